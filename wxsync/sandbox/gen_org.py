"""The training organisation itself: Xero Organisation, chart of accounts, Wisenet state combo,
learner-number format and the Wisenet contact-name template, all chosen per seed."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from .data import places as P
from .data.business import ORG_FIRST, ORG_SECOND
from .gen_common import Ctx

Record = dict[str, Any]

NAME_TEMPLATES = (
    "{first} {last} ({number})",
    "{first} {last} - {number}",
    "{last}, {first} {number}",
    "{first} {last} [{number}]",
)

# (account code, name, Type, TaxType, Class)
ACCOUNTS = (
    ("090", "Business Bank Account", "BANK", "BASEXCLUDED", "ASSET"),
    ("091", "Business Savings Account", "BANK", "BASEXCLUDED", "ASSET"),
    ("200", "Sales", "REVENUE", "OUTPUT", "REVENUE"),
    ("210", "Course Fees - GST Free", "REVENUE", "EXEMPTOUTPUT", "REVENUE"),
    ("260", "Other Revenue", "REVENUE", "OUTPUT", "REVENUE"),
    ("270", "Interest Income", "REVENUE", "INPUTTAXED", "REVENUE"),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT", "EXPENSE"),
    ("400", "Advertising", "EXPENSE", "INPUT", "EXPENSE"),
    ("404", "Bank Fees", "EXPENSE", "INPUTTAXED", "EXPENSE"),
    ("429", "General Expenses", "EXPENSE", "INPUT", "EXPENSE"),
    ("469", "Rent", "EXPENSE", "INPUT", "EXPENSE"),
    ("477", "Wages and Salaries", "EXPENSE", "BASEXCLUDED", "EXPENSE"),
    ("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", "ASSET"),
    ("620", "Prepayments", "CURRENT", "BASEXCLUDED", "ASSET"),
    ("800", "Accounts Payable", "CURRLIAB", "BASEXCLUDED", "LIABILITY"),
    ("820", "GST", "CURRLIAB", "BASEXCLUDED", "LIABILITY"),
    ("835", "Revenue Received in Advance", "CURRLIAB", "BASEXCLUDED", "LIABILITY"),
    ("960", "Retained Earnings", "EQUITY", "BASEXCLUDED", "EQUITY"),
)


def organisation(ctx: Ctx) -> Record:
    """The Xero Organisation record (OrganisationID doubles as the tenant id)."""
    rng = ctx.rng
    name = f"{rng.choice(ORG_FIRST)} {rng.choice(ORG_SECOND)}"
    short = "!" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(5))
    return {
        "OrganisationID": ctx.uuid(), "APIKey": "", "Name": name, "LegalName": f"{name} Pty Ltd",
        "ShortCode": short, "CountryCode": "AU", "BaseCurrency": "AUD", "Version": "AU",
        "OrganisationType": "COMPANY", "OrganisationEntityType": "COMPANY", "OrganisationStatus": "ACTIVE",
        "IsDemoCompany": False, "PaysTax": True, "SalesTaxBasis": "ACCRUALS", "SalesTaxPeriod": "QUARTERLY1",
        "FinancialYearEndDay": 30, "FinancialYearEndMonth": 6, "Timezone": "AUSEASTERNSTANDARDTIME",
        "LineOfBusiness": "Vocational education and training", "Edition": "BUSINESS", "Class": "STANDARD",
        "CreatedDateUTC": ctx.stamp(ctx.org_created),
    }


def accounts(ctx: Ctx) -> list[Record]:
    out = []
    for code, name, kind, tax, cls in ACCOUNTS:
        acc: Record = {"AccountID": ctx.uuid(), "Code": code, "Name": name, "Type": kind, "TaxType": tax,
                       "Status": "ACTIVE", "Class": cls, "EnablePaymentsToAccount": False,
                       "ShowInExpenseClaims": False, "ReportingCode": "", "HasAttachments": False,
                       "UpdatedDateUTC": ctx.stamp(ctx.org_created)}
        if kind == "BANK":
            acc.update(BankAccountType="BANK", CurrencyCode="AUD",
                       BankAccountNumber=f"{ctx.randint(0, 999999):06d}{ctx.randint(0, 99999999):08d}")
        out.append(acc)
    return out


def states() -> list[Record]:
    """Wisenet's ``combos/states`` list."""
    out = [{"StateId": sid, "Code": code, "ShortDescription": code, "LongDescription": long_name}
           for code, (sid, long_name, *_rest) in P.STATES.items()]
    sid, code, short, long_name = P.OVERSEAS
    out.append({"StateId": sid, "Code": code, "ShortDescription": short, "LongDescription": long_name})
    return out


def learner_number_format(ctx: Ctx, org_name: str) -> tuple[str, Callable[[int], str], int]:
    """(format kind, number -> LearnerNumber string, first number) for this organisation.

    Kinds: zero-padded digits ("004512"), initials prefix ("BFT10234"), plain digits ("10234"),
    letter and zero-padded digits ("S0001234").
    """
    rng = ctx.rng
    kind = rng.choices(("zero6", "prefix", "plain", "s7"), weights=(0.35, 0.3, 0.2, 0.15))[0]
    if kind == "zero6":
        return kind, lambda n: f"{n:06d}", rng.randint(1, 3000)
    if kind == "prefix":
        initials = "".join(w[0] for w in org_name.split() if w[0].isalpha()).upper()[:3]
        return kind, lambda n: f"{initials}{n:05d}", rng.randint(10000, 30000)
    if kind == "plain":
        return kind, str, rng.randint(1000, 60000)
    return kind, lambda n: f"S{n:07d}", rng.randint(1, 200000)


def name_template(ctx: Ctx) -> str:
    return ctx.rng.choice(NAME_TEMPLATES)
