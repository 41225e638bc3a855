"""The demo organisation produced by the generator, in the sandbox's internal form.

Xero objects are PascalCase dicts with Xero's own field names; Wisenet learners are the ``Data`` part
of a Wisenet ``LearnerAu`` item. Dates are ISO 8601 strings; the server converts them to Xero's
``/Date(ms+0000)/`` on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass
class DemoOrg:
    """Everything the sandbox serves, plus the ground truth the generator knows."""

    organisation: Record
    """Xero Organisation: OrganisationID (== tenant id), Name, LegalName, ShortCode, CountryCode "AU",
    BaseCurrency "AUD", Timezone, OrganisationType, CreatedDateUTC."""
    first_connection_date: str
    """ISO date Wisenet was first connected to this Xero organisation."""
    wisenet_name_template: str = "{first} {last} ({number})"
    """How this (simulated) Wisenet names the contacts it creates; placeholders {first}, {last}, {number}.
    Varies by seed: wxsync itself must never rely on it (only the sandbox's resync does)."""
    accounts: list[Record] = field(default_factory=list)
    """Chart of accounts (Code "200" Sales, "090" bank, ...)."""
    contacts: list[Record] = field(default_factory=list)
    """Xero Contacts: ContactID, ContactNumber, AccountNumber, ContactStatus, Name, FirstName, LastName,
    EmailAddress, Addresses[{AddressType, AddressLine1, AddressLine2, City, Region, PostalCode, Country}],
    Phones[{PhoneType, PhoneNumber, PhoneAreaCode, PhoneCountryCode}], IsCustomer, IsSupplier,
    UpdatedDateUTC, MergedToContactID (only after a merge)."""
    invoices: list[Record] = field(default_factory=list)
    """Xero Invoices (Type ACCREC): InvoiceID, InvoiceNumber, Reference, Type, Contact{ContactID, Name},
    Status (DRAFT|SUBMITTED|AUTHORISED|PAID|VOIDED), Date, DueDate, LineAmountTypes, LineItems[...],
    SubTotal, TotalTax, Total, AmountDue, AmountPaid, AmountCredited, CurrencyCode, UpdatedDateUTC,
    Payments[...], CreditNotes[...], Overpayments[...], Prepayments[...], RepeatingInvoiceID (optional)."""
    credit_notes: list[Record] = field(default_factory=list)
    """Xero CreditNotes (Type ACCRECCREDIT): CreditNoteID, CreditNoteNumber, Contact, Status, Date, Total,
    RemainingCredit, Allocations[...], UpdatedDateUTC."""
    overpayments: list[Record] = field(default_factory=list)
    """Xero Overpayments (Type RECEIVE-OVERPAYMENT): OverpaymentID, Contact, Status, Date, Total,
    RemainingCredit, Allocations[...], UpdatedDateUTC."""
    prepayments: list[Record] = field(default_factory=list)
    """Xero Prepayments (Type RECEIVE-PREPAYMENT): PrepaymentID, Contact, Status, Date, Total,
    RemainingCredit, Allocations[...], UpdatedDateUTC."""
    repeating_invoices: list[Record] = field(default_factory=list)
    """Xero RepeatingInvoices: RepeatingInvoiceID, Contact, Status, Schedule, Total, Type ACCREC."""
    learners: list[Record] = field(default_factory=list)
    """Wisenet LearnerAu Data: LearnerId (int), LearnerGuid, LastModifiedTimeStamp, Personal{IsActive,
    FirstName, MiddleName, LastName, PreferredNamed, DateOfBirth, LearnerNumber, SyncToXero,
    PhoneNumbers{Mobile, PhoneHome, ...}, EmailAddresses{Email, AlternativeEmail},
    StreetAddress{StreetNumber, StreetName, SuburbTownCity, StateId, Postcode, CountryId, StreetAddress},
    PostalAddress{...}}."""
    states: list[Record] = field(default_factory=list)
    """Wisenet combos/states: StateId, Code, ShortDescription, LongDescription."""
    wisenet_invoices: list[Record] = field(default_factory=list)
    """Wisenet's copies of Xero documents: InvoiceId, LearnerId, InvoiceNumber, Status, Date,
    AmountTotal, AmountDue, AmountPaid, AmountCredited, SourceAppKey, UpdateDateUtc."""
    truth: Record = field(default_factory=lambda: {"duplicates": [], "lookalikes": []})
    """Ground truth: {"duplicates": [{old_contact_id, learner_number}], "lookalikes": [...]}."""
