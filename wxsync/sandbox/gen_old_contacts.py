"""The old, hand-typed (non-Wisenet) contacts of the demo organisation and the ground truth about them:
true duplicates of learners, look-alikes that are other people (namesakes, near names, parents and
employers who paid, siblings), and unrelated customers and suppliers up to the requested total."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .data.business import TRADE_PHRASES
from .data.names import NEAR_GIVEN
from .gen_common import Ctx, Picker
from .gen_contacts import ContactBook, company_contact, company_name, person_contact, supplier_names
from .gen_notes import GenerationNotes
from .gen_people import PeopleFactory, Person
from .gen_records import contact_record
from .gen_variants import old_view

Record = dict[str, Any]

# Shares of the learners with an active Wisenet contact that get each kind of old contact.
DUPLICATE_SHARE = 0.48
EXTRA_DUPLICATES = ((1, 0.82), (2, 0.13), (3, 0.05))
LOOKALIKE_SHARES = {"same_name": 0.016, "near_name": 0.012, "parent": 0.025, "employer": 0.02}
# Document profiles (none -> archive route, editable -> repoint, locked -> Xero's merge).
PROFILES = ("none", "editable", "locked")
DUPLICATE_PROFILE_WEIGHTS = (0.35, 0.30, 0.35)
PAYER_PROFILE_WEIGHTS = (0.15, 0.35, 0.50)
OTHER_PROFILE_WEIGHTS = (0.30, 0.30, 0.40)


class OldContacts:
    """Makes the non-Wisenet contacts into ``book`` and records truth, notes and document profiles."""

    def __init__(self, ctx: Ctx, people: PeopleFactory, book: ContactBook, notes: GenerationNotes,
                 target: int) -> None:
        self.ctx, self.people, self.book, self.notes = ctx, people, book, notes
        self.target = target
        """How many old contacts to make in all."""
        self.made = 0
        self.truth: Record = {"duplicates": [], "lookalikes": []}
        self.profiles: dict[str, str] = {}
        """contact id -> document profile (none | editable | locked)."""
        self.typed_names: list[str] = []  # names of old duplicate contacts, for archived namesakes
        self._pickers: dict[tuple[float, ...], Picker] = {}

    def plan(self, eligible: list[int], siblings: set[int], n_sibling_pairs: int) -> dict[str, Any]:
        """How many old duplicates each learner gets and how many look-alikes of each kind, scaled to fit
        the target total. ``eligible``: indexes of learners with an active Wisenet contact."""
        rng = self.ctx.rng
        pool = [i for i in eligible if i not in siblings]
        counts = {k: round(share * len(eligible)) for k, share in LOOKALIKE_SHARES.items()}
        n_dup_learners = round(DUPLICATE_SHARE * len(pool))
        mean_dups = sum(k * w for k, w in EXTRA_DUPLICATES)
        need = n_dup_learners * mean_dups + sum(counts.values()) + n_sibling_pairs * 2
        budget = self.target * 0.92
        if need > budget and need > 0:
            scale = budget / need
            n_dup_learners = int(n_dup_learners * scale)
            counts = {k: int(v * scale) for k, v in counts.items()}
        chosen = rng.sample(pool, min(n_dup_learners, len(pool)))
        ks, ws = zip(*EXTRA_DUPLICATES, strict=True)
        dups = {i: rng.choices(ks, weights=ws)[0] for i in sorted(chosen)}
        return {"dups": dups, "lookalikes": counts, "pool": pool}

    def _profile(self, weights: tuple[float, float, float]) -> str:
        """A document profile drawn with ``weights`` (none, editable, locked)."""
        return self._pickers.setdefault(weights, Picker(PROFILES, weights))(self.ctx.rng)

    def _old_updated(self) -> str:
        """When an old contact was last edited: before the first Wisenet connection."""
        ctx = self.ctx
        return ctx.stamp(ctx.day_between(ctx.org_created + timedelta(days=20), ctx.first_connection - timedelta(days=1)))

    def duplicates(self, numbers: list[str], views: dict[int, list[tuple[dict[str, Any], list[str]]]]) -> None:
        """One old contact per prepared view (see ``gen_variants.old_view``): the true duplicates."""
        ctx, book = self.ctx, self.book
        for i, learner_views in views.items():
            for fields, kinds in learner_views:
                c = book.add(contact_record(
                    ctx, name=book.free_name(fields["name"]), first=fields["first"], last=fields["last"],
                    email=fields["email"], phone_slots=fields["phones"], address_slots=fields["addresses"],
                    account_number=book.account_number() if ctx.rng.random() < 0.15 else "",
                    updated=self._old_updated()))
                self._record_duplicate(c, numbers[i], kinds)
                self.typed_names.append(c["Name"])

    def _record_duplicate(self, c: Record, number: str, kinds: list[str]) -> None:
        self.truth["duplicates"].append({"old_contact_id": c["ContactID"], "learner_number": number})
        self.notes.variations[c["ContactID"]] = kinds
        self.profiles[c["ContactID"]] = self._profile(DUPLICATE_PROFILE_WEIGHTS)
        self.made += 1

    def _record_lookalike(self, c: Record, number: str, kind: str) -> None:
        self.truth["lookalikes"].append({"old_contact_id": c["ContactID"], "learner_number": number})
        self.notes.lookalike_kind[c["ContactID"]] = kind
        payer = kind in ("parent", "employer")
        self.profiles[c["ContactID"]] = self._profile(PAYER_PROFILE_WEIGHTS if payer else OTHER_PROFILE_WEIGHTS)
        self.made += 1

    def siblings(self, persons: list[Person], numbers: list[str], pairs: list[tuple[int, int]]) -> None:
        """Siblings share a parent's email and address; one of them has an old contact (theirs only)."""
        ctx, book = self.ctx, self.book
        for a, b in pairs:
            self.notes.siblings.append((numbers[a], numbers[b]))
            if self.made + 1 > self.target:
                continue
            owner, other = (a, b) if ctx.rng.random() < 0.5 else (b, a)
            p = persons[owner]
            fields, kinds = old_view(ctx, self.people, p)
            fields["email"] = p["email"]  # the family email is what makes this hard
            c = book.add(contact_record(ctx, name=book.free_name(fields["name"]), first=fields["first"],
                                        last=fields["last"], email=fields["email"], phone_slots=fields["phones"],
                                        address_slots=fields["addresses"], updated=self._old_updated()))
            self._record_duplicate(c, numbers[owner], [k for k in kinds if k not in ("other_email", "no_email")])
            self.truth["lookalikes"].append({"old_contact_id": c["ContactID"], "learner_number": numbers[other]})
            self.notes.lookalike_kind[c["ContactID"]] = "sibling"
            if ctx.rng.random() < 0.4 and self.made + 1 <= self.target:
                # The parent who paid for both, on the family email: resembles each sibling, is neither.
                parent = self.people.parent_of(p, share_email=True)
                c = person_contact(ctx, book, parent, self._old_updated(), name=self._payer_name(parent))
                self._record_lookalike(c, numbers[a], "parent")
                self.truth["lookalikes"].append({"old_contact_id": c["ContactID"], "learner_number": numbers[b]})

    def lookalikes(self, persons: list[Person], numbers: list[str], plan: dict[str, Any]) -> None:
        """Other people who resemble a learner: namesakes, near names, parents and employers who paid."""
        ctx, book, people = self.ctx, self.book, self.people
        rng = ctx.rng
        pool: list[int] = plan["pool"]
        if not pool:
            return
        near = {a: b for a, b in NEAR_GIVEN} | {b: a for a, b in NEAR_GIVEN}
        near_pool = [i for i in pool if persons[i]["first"] in near]
        for kind, count in plan["lookalikes"].items():
            for _ in range(count):
                i = rng.choice(near_pool if kind == "near_name" and near_pool else pool)
                p = persons[i]
                if kind == "same_name" or (kind == "near_name" and not near_pool):
                    other = people.person(age_from=18, mean_extra_age=14)
                    other.update(first=p["first"], last=p["last"], group=p["group"])
                    if rng.random() < 0.3:  # a namesake in the same suburb
                        other.update({k: p[k] for k in ("suburb", "state", "postcode")})
                    other["email"] = people.email(other["first"], other["last"], other["dob"], other["state"])
                    c = person_contact(ctx, book, other, self._old_updated())
                    kind_done = "same_name"
                elif kind == "near_name":
                    other = people.person(age_from=18, mean_extra_age=12)
                    other.update(first=near[p["first"]], last=p["last"], group=p["group"])
                    if rng.random() < 0.5:
                        other.update({k: p[k] for k in ("suburb", "state", "postcode")})
                    other["email"] = people.email(other["first"], other["last"], other["dob"], other["state"])
                    c = person_contact(ctx, book, other, self._old_updated())
                    kind_done = "near_name"
                elif kind == "parent":
                    parent = people.parent_of(p, share_email=rng.random() < 0.45)
                    c = person_contact(ctx, book, parent, self._old_updated(), name=self._payer_name(parent))
                    kind_done = "parent"
                else:
                    r = rng.random()
                    if r < 0.1:  # a sole trader named after the learner: "Jack Green Electrical"
                        name = f"{p['first']} {p['last']} {rng.choice(TRADE_PHRASES)}"
                    else:
                        name = company_name(ctx, people, p["last"] if r < 0.35 else "")
                    email = p["email"] if rng.random() < 0.35 else ""
                    c = company_contact(ctx, people, book, self._old_updated(), name=name, email=email,
                                        state=p["state"])
                    kind_done = "employer"
                self._record_lookalike(c, numbers[i], kind_done)

    def _payer_name(self, parent: Person) -> str:
        """How a parent who paid was typed into Xero: "Karen Smith", "Karen & Tony Smith", "Mrs K Smith"."""
        rng = self.ctx.rng
        r = rng.random()
        if r < 0.7:
            return f"{parent['first']} {parent['last']}"
        if r < 0.85:
            partner = self.people.given("M" if parent["gender"] == "F" else "F", parent["group"])
            return f"{parent['first']} & {partner} {parent['last']}"
        if r < 0.95:
            title = rng.choice(("Mrs", "Ms")) if parent["gender"] == "F" else "Mr"
            return f"{title} {parent['first'][0]} {parent['last']}"
        return f"The {parent['last']} Family"

    def unrelated(self, count: int) -> None:
        """Customers and suppliers that have nothing to do with any learner (a few archived, a few with
        a Contact Code from an earlier system)."""
        ctx, book, people = self.ctx, self.book, self.people
        rng = ctx.rng
        n_suppliers = round(count * 0.08)
        for name in supplier_names(ctx, n_suppliers, people):
            c = company_contact(ctx, people, book, self._old_updated(), name=name, supplier=True)
            self.profiles[c["ContactID"]] = "none"
        for _ in range(count - n_suppliers):
            if rng.random() < 0.2:
                c = company_contact(ctx, people, book, self._old_updated())
            elif rng.random() < 0.03:  # archived long ago, sometimes under a name an active contact now has
                p = people.person(age_from=18, mean_extra_age=15)
                name = rng.choice(self.typed_names) if self.typed_names and rng.random() < 0.5 else ""
                c = person_contact(ctx, book, p, self._old_updated(), name=name, status="ARCHIVED")
            else:
                c = person_contact(ctx, book, people.person(age_from=18, mean_extra_age=15), self._old_updated(),
                                   legacy_code=rng.random() < 0.03)
            self.profiles[c["ContactID"]] = self._profile(OTHER_PROFILE_WEIGHTS)
        self.made += count
