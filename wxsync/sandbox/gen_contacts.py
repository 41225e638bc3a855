"""Xero contacts of the demo organisation, keeping Xero's rules: Name unique among ACTIVE contacts,
ContactNumber and AccountNumber unique among all contacts."""

from __future__ import annotations

import re
import string
from typing import Any

from .data.business import COMPANY_SUFFIXES, COMPANY_WORDS, SUPPLIERS, TRADE_PHRASES
from .gen_common import Ctx
from .gen_people import PeopleFactory, Person, ascii_word
from .gen_records import (
    addresses,
    contact_record,
    format_landline,
    format_mobile,
    phones,
    street_line,
    wisenet_address,
)

Record = dict[str, Any]

_SPACES = re.compile(r"\s+")
_LEGAL_WORDS = {"pty", "ltd", "pl", "co", "", "group", "services"}


def name_key(name: str) -> str:
    """How Xero compares contact names for uniqueness (case and spacing insensitive)."""
    return _SPACES.sub(" ", name).strip().casefold()


class ContactBook:
    """All contacts made so far, with the uniqueness registries Xero enforces."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.contacts: list[Record] = []
        self.active_names: set[str] = set()
        self.numbers: set[str] = set()
        self.account_numbers: set[str] = set()
        self._next_account = ctx.randint(100, 900)
        self._next_legacy = ctx.randint(1, 5000)

    def free_name(self, name: str) -> str:
        """``name`` itself, or a variant a bookkeeper would type to get past Xero's duplicate-name check."""
        if name_key(name) not in self.active_names:
            return name
        rng = self.ctx.rng
        parts = name.split()
        for _ in range(30):
            r = rng.random()
            if len(parts) >= 2 and r < 0.6:
                candidate = " ".join([parts[0], rng.choice(string.ascii_uppercase), *parts[1:]])
            elif r < 0.8:
                candidate = f"{name} ({rng.randint(2, 9)})"
            else:
                candidate = f"{name} {rng.randint(2, 99)}"
            if name_key(candidate) not in self.active_names:
                return candidate
        n = 2
        while name_key(f"{name} #{n}") in self.active_names:
            n += 1
        return f"{name} #{n}"

    def account_number(self) -> str:
        self._next_account += self.ctx.randint(1, 7)
        number = f"CUST-{self._next_account:05d}"
        self.account_numbers.add(number)
        return number

    def legacy_code(self) -> str:
        """A Contact Code left by an earlier accounting system (never a learner number)."""
        self._next_legacy += self.ctx.randint(1, 30)
        return f"CUS{self._next_legacy:06d}"

    def add(self, contact: Record) -> Record:
        """Register ``contact``; raises if it would break Xero's uniqueness rules."""
        number = contact.get("ContactNumber", "")
        if number:
            if number in self.numbers:
                raise ValueError(f"duplicate ContactNumber {number}")
            self.numbers.add(number)
        if contact["ContactStatus"] == "ACTIVE":
            key = name_key(contact["Name"])
            if key in self.active_names:
                raise ValueError(f"duplicate active Name {contact['Name']}")
            self.active_names.add(key)
        self.contacts.append(contact)
        return contact


def wisenet_contact(ctx: Ctx, learner: Record, p: Person, name: str, updated: str, status: str = "ACTIVE") -> Record:
    """The contact Wisenet creates for a learner: Contact Code = LearnerNumber, details copied."""
    personal = learner["Personal"]
    mobile = personal["PhoneNumbers"]["Mobile"]
    addr = wisenet_address(p) if p["state"] else None
    return contact_record(
        ctx, name=name, first=personal["FirstName"], last=personal["LastName"],
        email=personal["EmailAddresses"]["Email"], phone_slots=phones(mobile=(mobile, "", "")),
        address_slots=addresses(street=addr, pobox=addr), status=status,
        contact_number=personal["LearnerNumber"], updated=updated,
    )


def company_name(ctx: Ctx, people: PeopleFactory, surname: str = "") -> str:
    rng = ctx.rng
    trade = rng.choice(TRADE_PHRASES)
    if surname:
        head = surname
    else:
        head = people.family() if rng.random() < 0.45 else rng.choice(COMPANY_WORDS)
    suffix = rng.choice(COMPANY_SUFFIXES)
    return f"{head} {trade} {suffix}".strip()


def company_contact(ctx: Ctx, people: PeopleFactory, book: ContactBook, updated: str, *,
                    name: str = "", email: str = "", state: str = "", supplier: bool = False) -> Record:
    """A business contact (employer who paid, customer company or supplier)."""
    rng = ctx.rng
    name = name or company_name(ctx, people)
    words = [ascii_word(w) for w in name.split() if ascii_word(w) not in _LEGAL_WORDS]
    domain = "".join(words)[:24] + rng.choice((".com.au", ".com.au", ".net.au", ".com"))
    email = email or f"{rng.choice(('accounts', 'admin', 'info', 'office', 'payables'))}@{domain}"
    where = people.address(state or None)
    area, local = format_landline(people.landline(where["state"]))
    street = {"AddressLine1": street_line(where, abbreviate=True), "City": where["suburb"], "Region": where["state"],
              "PostalCode": where["postcode"], "Country": "Australia"}
    boss_first, boss_last = ("", "")
    if rng.random() < 0.5:
        boss_first, boss_last = people.given("F" if rng.random() < 0.4 else "M"), people.family()
    return book.add(contact_record(
        ctx, name=book.free_name(name), first=boss_first, last=boss_last, email=email,
        phone_slots=phones(default=(local, area, "61")), address_slots=addresses(street=street, pobox=street),
        account_number=book.account_number() if rng.random() < 0.4 else "", updated=updated, supplier=supplier))


def person_contact(ctx: Ctx, book: ContactBook, p: Person, updated: str, *, name: str = "",
                   account: bool | None = None, status: str = "ACTIVE", legacy_code: bool = False) -> Record:
    """A plain hand-typed contact for a person (parents, look-alikes, unrelated customers).

    ``legacy_code`` gives it a Contact Code from an earlier system (one that matches no learner)."""
    rng = ctx.rng
    name = name or f"{p['first']} {p['last']}"
    mobile = format_mobile(rng, p["mobile"]) if p["mobile"] else ""
    addr = None
    if p["state"] and rng.random() < 0.7:
        addr = {"AddressLine1": street_line(p, abbreviate=rng.random() < 0.5), "City": p["suburb"],
                "Region": p["state"], "PostalCode": p["postcode"], "Country": "Australia"}
    if account is None:
        account = rng.random() < 0.12
    return book.add(contact_record(
        ctx, name=book.free_name(name) if status == "ACTIVE" else name,
        contact_number=book.legacy_code() if legacy_code else "", status=status,
        first=p["first"] if rng.random() < 0.8 else "",
        last=p["last"] if rng.random() < 0.8 else "", email=p["email"],
        phone_slots=phones(mobile=(mobile, "", "")) if rng.random() < 0.5 else phones(default=(mobile, "", "")),
        address_slots=addresses(street=addr), account_number=book.account_number() if account else "",
        updated=updated))


def supplier_names(ctx: Ctx, count: int, people: PeopleFactory) -> list[str]:
    names = list(SUPPLIERS)
    ctx.rng.shuffle(names)
    while len(names) < count:
        names.append(company_name(ctx, people))
    return names[:count]
