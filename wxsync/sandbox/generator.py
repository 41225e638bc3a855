"""Deterministic demo organisation: an Australian RTO in Xero after Wisenet was connected.

``generate(seed, learners)`` returns a :class:`DemoOrg` with learners, the contacts Wisenet generated
for them, old hand-typed contacts (true duplicates with realistic variation, hard look-alikes, parents,
employers, unrelated customers and suppliers), documents of every status and the ground truth.
``generate_with_notes`` also returns :class:`GenerationNotes` (what the generator did to each record),
for tests and benchmarks.
"""

from __future__ import annotations

import gc
from datetime import timedelta
from typing import Any

from ..errors import InputError
from .gen_common import Ctx
from .gen_contacts import ContactBook, wisenet_contact
from .gen_documents import ROUTE_OF_PROFILE, DocumentMaker, wisenet_copy
from .gen_notes import GenerationNotes
from .gen_old_contacts import OldContacts
from .gen_org import accounts, learner_number_format, name_template, organisation, states
from .gen_people import PeopleFactory, Person
from .gen_records import contact_record, learner_record
from .gen_variants import old_view
from .model import DemoOrg

__all__ = ["GenerationNotes", "generate", "generate_with_notes"]

Record = dict[str, Any]

SIBLING_PAIR_SHARE = 0.012


def generate(seed: int, learners: int = 2000, *, noise: float = 1.0, old_contacts: int | None = None) -> DemoOrg:
    """The demo organisation for ``seed`` (same seed and arguments -> identical output)."""
    return generate_with_notes(seed, learners, noise=noise, old_contacts=old_contacts)[0]


def generate_with_notes(seed: int, learners: int = 2000, *, noise: float = 1.0,
                        old_contacts: int | None = None) -> tuple[DemoOrg, GenerationNotes]:
    """Like :func:`generate`, plus the notes of what was generated."""
    if learners < 1 or noise < 0 or (old_contacts is not None and old_contacts < 0):
        raise InputError(f"Cannot generate a demo organisation with learners={learners}, noise={noise}, "
                         f"old_contacts={old_contacts}.",
                         "Use at least 1 learner, a noise level of 0 or more and a non-negative old_contacts.")
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: cyclic GC passes would dominate the run time
    try:
        return _Run(seed, learners, noise, old_contacts).build()
    finally:
        if collecting:
            gc.enable()


class _Run:
    def __init__(self, seed: int, learners: int, noise: float, old_contacts: int | None) -> None:
        self.ctx = Ctx(seed, noise)
        self.n = learners
        self.people = PeopleFactory(self.ctx)
        self.book = ContactBook(self.ctx)
        self.docs = DocumentMaker(self.ctx)
        self.notes = GenerationNotes()
        target = round(0.6 * learners) if old_contacts is None else old_contacts
        self.old = OldContacts(self.ctx, self.people, self.book, self.notes, target)

    # ------------------------------------------------------------------------------------------
    def build(self) -> tuple[DemoOrg, GenerationNotes]:
        ctx = self.ctx
        org = organisation(ctx)
        template = name_template(ctx)
        kind, fmt, start = learner_number_format(ctx, org["Name"])
        self.notes.number_format = kind
        persons, sibling_pairs = self._persons()
        numbers = self._numbers(fmt, start)
        status = self._statuses(persons, sibling_pairs)
        eligible = [i for i, s in enumerate(status) if s == "contact"]
        sibling_idx = {i for pair in sibling_pairs for i in pair}
        plan = self.old.plan(eligible, sibling_idx, len(sibling_pairs))
        views = {i: [old_view(ctx, self.people, persons[i]) for _ in range(k)] for i, k in plan["dups"].items()}

        learner_recs = self._learner_records(persons, numbers, status)
        wisenet_ids = self._wisenet_contacts(persons, learner_recs, status, template)
        self.old.duplicates(numbers, views)
        self.old.siblings(persons, numbers, sibling_pairs)
        self.old.lookalikes(persons, numbers, plan)
        self.old.unrelated(max(0, self.old.target - self.old.made))
        wisenet_invoices = self._documents(learner_recs, wisenet_ids)

        for number, st in zip(numbers, status, strict=True):
            self.notes.learner_status[number] = st
        demo = DemoOrg(
            organisation=org, first_connection_date=ctx.first_connection.isoformat(),
            wisenet_name_template=template, accounts=accounts(ctx), contacts=self.book.contacts,
            invoices=self.docs.invoices, credit_notes=self.docs.credit_notes, overpayments=self.docs.overpayments,
            prepayments=self.docs.prepayments, repeating_invoices=self.docs.repeating, learners=learner_recs,
            states=states(), wisenet_invoices=wisenet_invoices, truth=self.old.truth,
        )
        return demo, self.notes

    # ---- learners ----------------------------------------------------------------------------
    def _persons(self) -> tuple[list[Person], list[tuple[int, int]]]:
        rng = self.ctx.rng
        persons: list[Person] = []
        pairs: list[tuple[int, int]] = []
        while len(persons) < self.n:
            p = self.people.person()
            persons.append(p)
            if len(persons) < self.n and rng.random() < SIBLING_PAIR_SHARE:
                persons.append(self.people.sibling_of(p))
                pairs.append((len(persons) - 2, len(persons) - 1))
        return persons, pairs

    def _numbers(self, fmt: Any, start: int) -> list[str]:
        rng = self.ctx.rng
        out, n = [], start
        for _ in range(self.n):
            out.append(fmt(n))
            n += 1 if rng.random() < 0.95 else rng.randint(2, 20)
        return out

    def _statuses(self, persons: list[Person], sibling_pairs: list[tuple[int, int]]) -> list[str]:
        """Decide per learner whether Wisenet created its contact, and if not why."""
        rng = self.ctx.rng
        siblings = {i for pair in sibling_pairs for i in pair}
        out = []
        for i, p in enumerate(persons):
            if i in siblings:
                out.append("contact")
                continue
            active = rng.random() < 0.92
            sync = rng.random() < (0.9 if active else 0.6)
            r = rng.random()
            defect = "no_last_name" if r < 0.015 else "no_address" if r < 0.035 else "invalid_email" if r < 0.05 else ""
            self._apply_defect(p, defect)
            if not sync:
                out.append("not_synced")
            elif defect:
                out.append(defect)
            elif not active:
                out.append("inactive_contact" if rng.random() < 0.7 else "inactive")
            else:
                r = rng.random()
                out.append("missing" if r < 0.03 else "archived_holder" if r < 0.036 else
                           "name_taken" if r < 0.041 else "contact")
        # Make sure the preflight cases exist even in a small organisation.
        plain = [i for i, s in enumerate(out) if s == "contact" and i not in siblings]
        for case in ("missing", "archived_holder", "name_taken"):
            need = min(2, len(plain) // 40) - out.count(case)
            for _ in range(max(0, need)):
                i = plain.pop(rng.randrange(len(plain)))
                out[i] = case
        return out

    def _apply_defect(self, p: Person, defect: str) -> None:
        rng = self.ctx.rng
        if defect == "no_last_name":
            p["last"] = ""
        elif defect == "no_address":
            if rng.random() < 0.5:
                p.update(unit="", street_no="", street="", suffix="", suffix_abbr="", suburb="", state="", postcode="")
            else:
                p["postcode"] = ""
        elif defect == "invalid_email":
            local, _, domain = p["email"].partition("@")
            p["email"] = rng.choice((f"{local}@{domain.split('.')[0]}", f"{local.replace('.', ' ')}@{domain}",
                                     f"{local}.{domain}", "", f"{local}@@{domain}"))

    def _learner_records(self, persons: list[Person], numbers: list[str], status: list[str]) -> list[Record]:
        ctx = self.ctx
        first_id = ctx.randint(1000, 90000)
        mobile_style = ctx.rng.choice(("spaced", "plain", "e164"))
        recs = []
        for i, p in enumerate(persons):
            modified = ctx.stamp(ctx.day_between(ctx.first_connection - timedelta(days=400), ctx.now))
            style = mobile_style if ctx.rng.random() < 0.6 else None
            recs.append(learner_record(
                ctx, p, learner_id=first_id + i, number=numbers[i], active=status[i] not in ("inactive",
                "inactive_contact"), sync=status[i] != "not_synced", modified=modified, mobile_style=style or ""))
        return recs

    # ---- contacts Wisenet made and the preflight cases ---------------------------------------
    def _wisenet_contacts(self, persons: list[Person], recs: list[Record], status: list[str],
                          template: str) -> dict[int, str]:
        ctx, book = self.ctx, self.book
        ids: dict[int, str] = {}
        for i, st in enumerate(status):
            personal = recs[i]["Personal"]
            name = template.format(first=personal["FirstName"], last=personal["LastName"],
                                   number=personal["LearnerNumber"])
            if st in ("contact", "inactive_contact"):
                updated = ctx.stamp(ctx.day_between(ctx.first_connection, ctx.now))
                c = book.add(wisenet_contact(ctx, recs[i], persons[i], name, updated))
                ids[i] = c["ContactID"]
                self.notes.wisenet_contact_of[personal["LearnerNumber"]] = c["ContactID"]
            elif st == "archived_holder":
                updated = ctx.stamp(ctx.day_between(ctx.first_connection - timedelta(days=700), ctx.first_connection))
                c = book.add(wisenet_contact(ctx, recs[i], persons[i], name, updated, status="ARCHIVED"))
                self.notes.special[c["ContactID"]] = "archived_holder"
            elif st == "name_taken":
                updated = ctx.stamp(ctx.day_between(ctx.org_created, ctx.first_connection))
                c = book.add(contact_record(ctx, name=name, first=personal["FirstName"], last=personal["LastName"],
                                            email=personal["EmailAddresses"]["Email"], updated=updated))
                self.notes.special[c["ContactID"]] = "name_taken"
                self.old.profiles[c["ContactID"]] = "none"
        return ids

    # ---- documents ---------------------------------------------------------------------------
    def _documents(self, learner_recs: list[Record], wisenet_ids: dict[int, str]) -> list[Record]:
        ctx, docs = self.ctx, self.docs
        by_id = {c["ContactID"]: c for c in self.book.contacts}
        for cid, profile in self.old.profiles.items():
            docs.for_old_contact(by_id[cid], profile)
            self.notes.routes[cid] = ROUTE_OF_PROFILE[profile]
        synced: list[tuple[Record, int]] = []
        for i, cid in wisenet_ids.items():
            if ctx.rng.random() < 0.7:
                learner_id = learner_recs[i]["LearnerId"]
                synced.extend((inv, learner_id) for inv in docs.for_wisenet_contact(by_id[cid]))
        docs.finish()
        balances = docs.balances()
        for c in self.book.contacts:
            c["IsCustomer"] = c["ContactID"] in balances
            if c["IsCustomer"]:
                outstanding, overdue = balances[c["ContactID"]]
                c["Balances"] = {"AccountsReceivable": {"Outstanding": outstanding, "Overdue": overdue},
                                 "AccountsPayable": {"Outstanding": 0.0, "Overdue": 0.0}}
        return [wisenet_copy(inv, learner_id) for inv, learner_id in synced]
