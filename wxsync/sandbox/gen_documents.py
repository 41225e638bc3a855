"""Xero sales documents with consistent money: invoices of every status, credit notes, overpayments,
prepayments and repeating-invoice templates, plus Wisenet's copies of the invoices it synced.

Amounts are kept in integer cents while building and written as 2-decimal floats. GST is 10% on
tax-exclusive lines (account code "200", TaxType "OUTPUT").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .data.business import COURSE_LINES
from .gen_common import Ctx, Picker

Record = dict[str, Any]

# Profiles of the documents an old contact holds, and the merge route each implies.
ROUTE_OF_PROFILE = {"none": "archive", "editable": "repoint", "locked": "xero_ui"}
LOCK_KINDS = ("paid", "part_paid", "voided", "credit_allocated", "overpayment", "prepayment", "repeating")
_LOCK_WEIGHTS = (0.34, 0.15, 0.08, 0.12, 0.1, 0.1, 0.11)
_EDITABLE = Picker(("DRAFT", "SUBMITTED", "AUTHORISED"), (0.25, 0.15, 0.6))
_HISTORY = Picker(("PAID", "AUTHORISED", "DRAFT"), (0.6, 0.3, 0.1))


def money(cents: int) -> float:
    return round(cents / 100, 2)


def _contact_ref(contact: Record) -> Record:
    return {"ContactID": contact["ContactID"], "Name": contact["Name"]}


class DocumentMaker:
    """Builds documents into its lists; ``finish`` numbers them and fills cross references."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.invoices: list[Record] = []
        self.credit_notes: list[Record] = []
        self.overpayments: list[Record] = []
        self.prepayments: list[Record] = []
        self.repeating: list[Record] = []
        self.lock_kind = Picker(LOCK_KINDS, _LOCK_WEIGHTS)
        self.course = Picker(COURSE_LINES, [1.0 / (i + 1) ** 0.5 for i in range(len(COURSE_LINES))])

    # ---- building blocks ---------------------------------------------------------------------
    def _lines(self, n: int | None = None) -> tuple[list[Record], int, int]:
        rng = self.ctx.rng
        lines, sub, tax = [], 0, 0
        for _ in range(n or rng.choice((1, 1, 1, 2, 2, 3))):
            desc, unit = self.course(rng)
            qty = 1 if rng.random() < 0.9 else self.ctx.randint(2, 4)
            amount = unit * qty
            gst = round(amount / 10)
            lines.append({"LineItemID": self.ctx.uuid(), "Description": desc, "Quantity": float(qty),
                          "UnitAmount": money(unit), "AccountCode": "200", "TaxType": "OUTPUT",
                          "TaxAmount": money(gst), "LineAmount": money(amount)})
            sub += amount
            tax += gst
        return lines, sub, tax

    def _pay_day(self, start: date, within: int = 60) -> date:
        return min(start + timedelta(days=self.ctx.randint(0, within)), self.ctx.now - timedelta(days=1))

    def invoice(self, contact: Record, day: date, status: str, *, paid: str = "none",
                repeating_id: str = "", lines: list[Record] | None = None, reference: str = "") -> Record:
        """An ACCREC invoice. ``paid``: none | part | full (payments for AUTHORISED/PAID)."""
        ctx = self.ctx
        if lines is None:
            lines, sub, tax = self._lines()
        else:
            sub = sum(round(x["LineAmount"] * 100) for x in lines)
            tax = sum(round(x["TaxAmount"] * 100) for x in lines)
        total = sub + tax
        inv: Record = {
            "InvoiceID": ctx.uuid(), "InvoiceNumber": "", "Reference": reference, "Type": "ACCREC",
            "Contact": _contact_ref(contact), "Status": status, "Date": day.isoformat(),
            "DueDate": (day + timedelta(days=ctx.rng.choice((7, 14, 14, 30)))).isoformat(),
            "LineAmountTypes": "Exclusive", "LineItems": lines, "SubTotal": money(sub), "TotalTax": money(tax),
            "Total": money(total), "AmountDue": money(total), "AmountPaid": 0.0, "AmountCredited": 0.0,
            "CurrencyCode": "AUD", "CurrencyRate": 1.0, "Payments": [], "CreditNotes": [], "Overpayments": [],
            "Prepayments": [], "HasAttachments": False, "IsDiscounted": False,
            "SentToContact": status in ("AUTHORISED", "PAID"), "UpdatedDateUTC": "",
            "_total": total, "_paid": 0, "_credited": 0, "_last": day,
        }
        if repeating_id:
            inv["RepeatingInvoiceID"] = repeating_id
        if status == "PAID" or (status == "AUTHORISED" and paid != "none"):
            amount = total if status == "PAID" else ctx.randint(max(1, total // 10), max(1, total * 9 // 10))
            self.pay(inv, amount)
        self.invoices.append(inv)
        return inv

    def pay(self, inv: Record, amount: int) -> None:
        """Record payments of ``amount`` cents (one or two instalments) on ``inv``."""
        rng = self.ctx.rng
        parts = [amount] if amount < 2000 or rng.random() < 0.7 else [amount // 2, amount - amount // 2]
        for part in parts:
            day = self._pay_day(date.fromisoformat(inv["Date"]))
            inv["Payments"].append({"PaymentID": self.ctx.uuid(), "Date": day.isoformat(), "Amount": money(part),
                                    "Reference": rng.choice(("", "EFT", "Direct deposit", "Card", "BPAY")),
                                    "CurrencyRate": 1.0, "HasAccount": False, "HasValidationErrors": False})
            inv["_paid"] += part
            inv["_last"] = max(inv["_last"], day)

    def _apply(self, inv: Record, doc: Record, kind: str, amount: int, day: date) -> None:
        """Allocate ``amount`` cents of a credit note / overpayment / prepayment ``doc`` to ``inv``."""
        id_key = {"CreditNotes": "CreditNoteID", "Overpayments": "OverpaymentID", "Prepayments": "PrepaymentID"}[kind]
        entry: Record = {id_key: doc[id_key], "AppliedAmount": money(amount), "Date": day.isoformat(),
                         "Total": doc["Total"]}
        if kind == "CreditNotes":
            entry["CreditNoteNumber"] = ""
        inv[kind].append(entry)
        inv["_credited"] += amount
        inv["_last"] = max(inv["_last"], day)
        doc["Allocations"].append({"AllocationID": self.ctx.uuid(), "Amount": money(amount), "Date": day.isoformat(),
                                   "Invoice": {"InvoiceID": inv["InvoiceID"], "InvoiceNumber": ""}})
        doc["_allocated"] += amount
        doc["_last"] = max(doc["_last"], day)

    def _credit_doc(self, kind: str, contact: Record, day: date, total: int, lines: list[Record], sub: int,
                    tax: int, amount_types: str) -> Record:
        ctx = self.ctx
        id_key = {"credit": "CreditNoteID", "over": "OverpaymentID", "pre": "PrepaymentID"}[kind]
        doc: Record = {id_key: ctx.uuid()}
        if kind == "credit":
            doc.update(CreditNoteNumber="", Type="ACCRECCREDIT", Reference="")
        else:
            doc["Type"] = "RECEIVE-OVERPAYMENT" if kind == "over" else "RECEIVE-PREPAYMENT"
        doc.update({"Contact": _contact_ref(contact), "Status": "AUTHORISED", "Date": day.isoformat(),
                    "LineAmountTypes": amount_types, "LineItems": lines, "SubTotal": money(sub),
                    "TotalTax": money(tax), "Total": money(total), "RemainingCredit": money(total),
                    "Allocations": [], "CurrencyCode": "AUD", "CurrencyRate": 1.0, "HasAttachments": False,
                    "UpdatedDateUTC": "", "_total": total, "_allocated": 0, "_last": day})
        {"credit": self.credit_notes, "over": self.overpayments, "pre": self.prepayments}[kind].append(doc)
        return doc

    def credit_note(self, contact: Record, day: date, against: Record | None = None, *, full: bool = True) -> Record:
        """A sales credit note; allocated to ``against`` (fully or in part) or left unallocated."""
        lines, sub, tax = self._lines(1)
        if against is not None:  # credit part of the invoice: scale the line down
            room = against["_total"] - against["_paid"] - against["_credited"]
            target = room if full else max(1, room // 2)
            sub = round(target / 1.1)
            tax = target - sub
            lines[0].update(Description="Credit: " + lines[0]["Description"], Quantity=1.0, UnitAmount=money(sub),
                            LineAmount=money(sub), TaxAmount=money(tax))
        cn = self._credit_doc("credit", contact, day, sub + tax, lines, sub, tax, "Exclusive")
        if against is not None:
            self._apply(against, cn, "CreditNotes", sub + tax, max(day, date.fromisoformat(against["Date"])))
        return cn

    def overpayment(self, contact: Record, day: date) -> Record:
        total = self.ctx.randint(20, 900) * 100
        line = {"LineItemID": self.ctx.uuid(), "Description": "Overpayment", "Quantity": 1.0,
                "UnitAmount": money(total), "AccountCode": "610", "TaxType": "BASEXCLUDED", "TaxAmount": 0.0,
                "LineAmount": money(total)}
        return self._credit_doc("over", contact, day, total, [line], total, 0, "NoTax")

    def prepayment(self, contact: Record, day: date) -> Record:
        total = self.ctx.randint(5, 40) * 5000
        tax = round(total / 11)
        line = {"LineItemID": self.ctx.uuid(), "Description": "Deposit for course commencement", "Quantity": 1.0,
                "UnitAmount": money(total), "AccountCode": "200", "TaxType": "OUTPUT", "TaxAmount": money(tax),
                "LineAmount": money(total)}
        return self._credit_doc("pre", contact, day, total, [line], total - tax, tax, "Inclusive")

    def repeating_template(self, contact: Record, start: date, months: int) -> tuple[Record, list[Record]]:
        """A monthly payment-plan template and the invoices it produced (older ones paid)."""
        ctx = self.ctx
        lines, sub, tax = self._lines(1)
        lines[0].update(Description="Instalment - payment plan", Quantity=1.0)
        rid = ctx.uuid()
        start = min(start, ctx.now - timedelta(days=30 * months + 2))  # every instalment lies in the past
        ended = ctx.rng.random() < 0.5
        last = start + timedelta(days=30 * (months - 1))
        schedule = {"Period": 1, "Unit": "MONTHLY", "DueDate": 14, "DueDateType": "DAYSAFTERBILLDATE",
                    "StartDate": start.isoformat()}
        if ended:
            schedule["EndDate"] = last.isoformat()
        else:
            schedule["NextScheduledDate"] = (last + timedelta(days=30)).isoformat()
        template = {"RepeatingInvoiceID": rid, "ID": rid, "Type": "ACCREC", "Contact": _contact_ref(contact),
                    "Schedule": schedule, "LineItems": [dict(x, LineItemID=ctx.uuid()) for x in lines],
                    "LineAmountTypes": "Exclusive", "Reference": "Payment plan", "Status": "AUTHORISED",
                    "SubTotal": money(sub), "TotalTax": money(tax), "Total": money(sub + tax),
                    "CurrencyCode": "AUD", "HasAttachments": False}
        self.repeating.append(template)
        made = []
        for i in range(months):
            day = start + timedelta(days=30 * i)
            status = "PAID" if i < months - 1 or ctx.rng.random() < 0.3 else "AUTHORISED"
            made.append(self.invoice(contact, day, status, repeating_id=rid, reference="Payment plan",
                                     lines=[dict(x, LineItemID=ctx.uuid()) for x in lines]))
        return template, made

    # ---- per-contact mixes --------------------------------------------------------------------
    def old_day(self) -> date:
        """A document date for an old contact: mostly before the first connection, some over a year before."""
        ctx = self.ctx
        r = ctx.rng.random()
        if r < 0.05:
            return ctx.day_between(ctx.first_connection, ctx.now - timedelta(days=2))
        back = ctx.randint(1, 365) if r < 0.62 else ctx.randint(366, 1500)
        return max(ctx.org_created + timedelta(days=30), ctx.first_connection - timedelta(days=back))

    def for_old_contact(self, contact: Record, profile: str) -> None:
        """Documents for an old contact following ``profile`` (none | editable | locked)."""
        rng = self.ctx.rng
        if profile == "none":
            return
        if profile == "editable":
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                status = _EDITABLE(rng)
                self.invoice(contact, self.old_day(), status)
            return
        self.locked(contact, self.lock_kind(rng))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):  # other history on the same contact
            status = _HISTORY(rng)
            self.invoice(contact, self.old_day(), status)
        if rng.random() < 0.08:
            self.credit_note(contact, self.old_day())  # unallocated credit

    def locked(self, contact: Record, kind: str) -> None:
        """One document situation that only Xero's own merge can move."""
        rng = self.ctx.rng
        day = self.old_day()
        if kind == "paid":
            self.invoice(contact, day, "PAID")
        elif kind == "part_paid":
            self.invoice(contact, day, "AUTHORISED", paid="part")
        elif kind == "voided":
            self.invoice(contact, day, "VOIDED")
            if rng.random() < 0.5:
                self.invoice(contact, day + timedelta(days=1), "PAID")
        elif kind == "credit_allocated":
            inv = self.invoice(contact, day, "AUTHORISED", paid="part" if rng.random() < 0.3 else "none")
            full = rng.random() < 0.6
            self.credit_note(contact, self._pay_day(day, 30), inv, full=full)
            self.settle(inv)
        elif kind == "overpayment":
            op = self.overpayment(contact, day)
            if rng.random() < 0.5:
                inv = self.invoice(contact, self._pay_day(day, 30), "AUTHORISED")
                self._apply(inv, op, "Overpayments", min(op["_total"], inv["_total"]) // 2,
                            date.fromisoformat(inv["Date"]))
                self.settle(inv)
        elif kind == "prepayment":
            pp = self.prepayment(contact, day)
            if rng.random() < 0.6:
                inv = self.invoice(contact, self._pay_day(day, 45), "AUTHORISED")
                self._apply(inv, pp, "Prepayments", min(pp["_total"], inv["_total"]),
                            date.fromisoformat(inv["Date"]))
                self.settle(inv)
        else:
            self.repeating_template(contact, day, self.ctx.randint(2, 4))

    def settle(self, inv: Record) -> None:
        """Mark an AUTHORISED invoice PAID once payments and credits cover it."""
        if inv["Status"] == "AUTHORISED" and inv["_paid"] + inv["_credited"] >= inv["_total"]:
            inv["Status"] = "PAID"

    def for_wisenet_contact(self, contact: Record) -> list[Record]:
        """Invoices Wisenet pushed after the first connection (they also live in Wisenet)."""
        ctx = self.ctx
        made = []
        for _ in range(ctx.rng.choice((1, 1, 2, 2, 3))):
            day = ctx.day_between(ctx.first_connection, ctx.now - timedelta(days=3))
            r = ctx.rng.random()
            if r < 0.35:
                made.append(self.invoice(contact, day, "AUTHORISED"))
            elif r < 0.5:
                made.append(self.invoice(contact, day, "AUTHORISED", paid="part"))
            elif r < 0.95:
                made.append(self.invoice(contact, day, "PAID"))
            else:
                made.append(self.invoice(contact, day, "VOIDED"))
        return made

    # ---- finishing ---------------------------------------------------------------------------
    def finish(self) -> None:
        """Number documents by date, fill amounts, cross-references and timestamps; drop build fields."""
        ctx = self.ctx
        self.invoices.sort(key=lambda d: d["Date"])  # stable: same-day order is creation order
        self.credit_notes.sort(key=lambda d: d["Date"])
        numbers = {}
        for i, inv in enumerate(self.invoices, 1):
            inv["InvoiceNumber"] = f"INV-{i:05d}"
            numbers[inv["InvoiceID"]] = inv["InvoiceNumber"]
        cn_numbers = {}
        for i, cn in enumerate(self.credit_notes, 1):
            cn["CreditNoteNumber"] = f"CN-{i:05d}"
            cn_numbers[cn["CreditNoteID"]] = cn["CreditNoteNumber"]
        for inv in self.invoices:
            if inv["Status"] == "VOIDED":
                inv["AmountDue"] = 0.0
            else:
                inv["AmountPaid"] = money(inv["_paid"])
                inv["AmountCredited"] = money(inv["_credited"])
                inv["AmountDue"] = money(inv["_total"] - inv["_paid"] - inv["_credited"])
                if inv["Status"] == "PAID":
                    inv["FullyPaidOnDate"] = inv["_last"].isoformat()
            for entry in inv["CreditNotes"]:
                entry["CreditNoteNumber"] = cn_numbers[entry["CreditNoteID"]]
            inv["UpdatedDateUTC"] = ctx.stamp(inv["_last"] + timedelta(days=ctx.randint(0, 3)))
            del inv["_total"], inv["_paid"], inv["_credited"], inv["_last"]
        for doc in (*self.credit_notes, *self.overpayments, *self.prepayments):
            remaining = doc["_total"] - doc["_allocated"]
            doc["RemainingCredit"] = money(remaining)
            doc["Status"] = "PAID" if remaining == 0 else "AUTHORISED"
            for alloc in doc["Allocations"]:
                alloc["Invoice"]["InvoiceNumber"] = numbers[alloc["Invoice"]["InvoiceID"]]
            doc["UpdatedDateUTC"] = ctx.stamp(doc["_last"] + timedelta(days=ctx.randint(0, 3)))
            del doc["_total"], doc["_allocated"], doc["_last"]


    def balances(self) -> dict[str, tuple[float, float]]:
        """Per contact with sales documents: (receivable outstanding, overdue at the world's now).

        Outstanding is what approved invoices still owe less unallocated credit (credit notes,
        overpayments, prepayments), as Xero's contact Balances report it."""
        now = self.ctx.now.isoformat()
        owed: dict[str, list[int]] = {}
        for inv in self.invoices:
            row = owed.setdefault(inv["Contact"]["ContactID"], [0, 0])
            if inv["Status"] == "AUTHORISED":
                due = round(inv["AmountDue"] * 100)
                row[0] += due
                row[1] += due if inv["DueDate"] < now else 0
        for doc in (*self.credit_notes, *self.overpayments, *self.prepayments):
            row = owed.setdefault(doc["Contact"]["ContactID"], [0, 0])
            if doc["Status"] == "AUTHORISED":
                row[0] -= round(doc["RemainingCredit"] * 100)
        for rep in self.repeating:
            owed.setdefault(rep["Contact"]["ContactID"], [0, 0])
        return {cid: (money(a), money(b)) for cid, (a, b) in owed.items()}


def wisenet_copy(inv: Record, learner_id: int) -> Record:
    """Wisenet's copy of a Xero invoice it synced for a learner (after ``DocumentMaker.finish``)."""
    return {
        "InvoiceId": inv["InvoiceID"], "LearnerId": learner_id, "InvoiceNumber": inv["InvoiceNumber"],
        "InvoiceReference": inv["Reference"], "SourceAppKey": "Xero", "Status": inv["Status"],
        "Date": inv["Date"], "DueDate": inv["DueDate"],
        "LineItems": [{"ItemCode": "", "Description": x["Description"], "Quantity": x["Quantity"],
                       "UnitAmount": x["UnitAmount"], "AccountCode": x["AccountCode"], "TaxType": x["TaxType"],
                       "TaxAmount": x["TaxAmount"], "LineAmount": x["LineAmount"]} for x in inv["LineItems"]],
        "AmountTotal": inv["Total"], "AmountDue": inv["AmountDue"], "AmountPaid": inv["AmountPaid"],
        "AmountCredited": inv["AmountCredited"],
        "Payments": [{"Type": "Payment", "Date": p["Date"], "Amount": p["Amount"]} for p in inv["Payments"]],
        "UpdateDateUtc": inv["UpdatedDateUTC"],
    }
