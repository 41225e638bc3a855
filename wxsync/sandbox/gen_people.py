"""Random Australian people: names, date of birth, email, mobile, street address.

A person is a plain dict (fast to make by the hundred thousand) with the keys ``first, middle, last,
preferred, gender, dob, email, mobile, home, unit, street_no, street, suffix, suburb, state, postcode``.
``mobile`` and ``home`` hold national digits ("0412345678"); how they are written is chosen when a record
is built.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from nicknames import NickNamer
from unidecode import unidecode

from .data import names as N
from .data import places as P
from .data.business import COMPANY_WORDS, PERSONAL_DOMAINS, SCHOOL_DOMAINS, TRADE_PHRASES
from .gen_common import Ctx, Picker, zipf_picker

Person = dict[str, Any]

_NICKNAMER = NickNamer()


def _split(text: str, multiword: tuple[str, ...]) -> list[str]:
    """Split a space-separated list, keeping the known multi-word names together."""
    for mw in multiword:
        text = text.replace(mw, mw.replace(" ", "_"))
    return [w.replace("_", " ") for w in text.split()]


@lru_cache(maxsize=4096)
def nicknames_for(first: str) -> tuple[str, ...]:
    """Plausible short forms of a given name from the ``nicknames`` package (sorted, so deterministic)."""
    found = _NICKNAMER.nicknames_of(first.lower())
    return tuple(sorted(n.capitalize() for n in found if n.isalpha() and 2 < len(n) < len(first) + 2))


@lru_cache(maxsize=4096)
def canonicals_for(first: str) -> tuple[str, ...]:
    """Formal names a short given name may stand for (sorted)."""
    found = _NICKNAMER.canonicals_of(first.lower())
    return tuple(sorted(n.capitalize() for n in found if n.isalpha() and len(n) > 2))


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters only, as people type names into email addresses."""
    return "".join(ch for ch in unidecode(text).lower() if ch.isalnum())


#: Rank exponents of the name pickers. The lists hold about a hundred names per background, far fewer than
#: a real population, so a steep Zipf curve would make a few names absurdly common (with 1.0 for surnames
#: and 0.9 for given names, one learner in ten was a Smith and one in twenty an Olivia; in Australia the
#: most common surname, Smith, is well under 1 in 100). These keep the most common surname and given name
#: near 1-2% of people, so namesakes arise about as often as in a real organisation of that size
#: (the deliberate look-alikes of ``gen_old_contacts`` come on top).
GIVEN_EXPONENT, SURNAME_EXPONENT = 0.4, 0.25


class PeopleFactory:
    """Draws people from the name, place and domain lists with the run's RNG."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.group = Picker(range(len(N.GROUPS)), [g[0] for g in N.GROUPS])
        self.female = [zipf_picker(_split(g[1], N.MULTIWORD_GIVEN), GIVEN_EXPONENT) for g in N.GROUPS]
        self.male = [zipf_picker(_split(g[2], N.MULTIWORD_GIVEN), GIVEN_EXPONENT) for g in N.GROUPS]
        self.surname = [zipf_picker(_split(g[3], N.MULTIWORD_SURNAMES), SURNAME_EXPONENT) for g in N.GROUPS]
        codes = list(P.STATES)
        self.state = Picker(codes, [P.STATES[c][2] for c in codes])
        self.suburbs = {c: P.suburbs(c) for c in codes}
        self.street = zipf_picker(P.STREET_NAMES, 0.6)
        self.suffix = Picker(P.STREET_SUFFIXES, [s[2] for s in P.STREET_SUFFIXES])
        self.domain = Picker([d for d, _ in PERSONAL_DOMAINS], [w for _, w in PERSONAL_DOMAINS])
        self.used_emails: set[str] = set()

    # ---- names -------------------------------------------------------------------------------
    def given(self, gender: str, group: int | None = None) -> str:
        rng = self.ctx.rng
        g = self.group(rng) if group is None else group
        if rng.random() < 0.015:
            return rng.choice(N.DIACRITIC_GIVEN)[0]
        return (self.female if gender == "F" else self.male)[g](rng)

    def family(self, group: int | None = None) -> str:
        rng = self.ctx.rng
        g = self.group(rng) if group is None else group
        if rng.random() < 0.01:
            return rng.choice(N.DIACRITIC_SURNAMES)[0]
        return self.surname[g](rng)

    # ---- contact details ---------------------------------------------------------------------
    def mobile(self) -> str:
        return "04" + str(self.ctx.randint(0, 99_999_999)).zfill(8)

    def landline(self, state: str) -> str:
        area = P.STATES.get(state, P.STATES["NSW"])[3]
        return area + self.ctx.rng.choice("98543") + str(self.ctx.randint(0, 9_999_999)).zfill(7)

    def email(self, first: str, last: str, dob: date | None, state: str = "", domain: str = "") -> str:
        """A personal email in one of the patterns people use; unique across the run."""
        rng = self.ctx.rng
        f, la = ascii_word(first) or "x", ascii_word(last) or "x"
        yy = f"{dob.year % 100:02d}" if dob else str(self.ctx.randint(10, 99))
        if not domain:
            r = rng.random()
            if state in SCHOOL_DOMAINS and r < 0.04:
                domain = SCHOOL_DOMAINS[state]
            elif r < 0.07:  # a work address at the employer
                words = (rng.choice(COMPANY_WORDS), rng.choice(TRADE_PHRASES))
                domain = ascii_word("".join(words)) + rng.choice((".com.au", ".com.au", ".net.au"))
            else:
                domain = self.domain(rng)
        pattern = rng.random()
        if pattern < 0.3:
            local = f"{f}.{la}"
        elif pattern < 0.42:
            local = f"{f}{la}"
        elif pattern < 0.54:
            local = f"{f[0]}{la}{yy}"
        elif pattern < 0.62:
            local = f"{f}_{la}"
        elif pattern < 0.7:
            local = f"{f}{yy}"
        elif pattern < 0.77:
            local = f"{f}.{la}{self.ctx.randint(1, 99)}"
        elif pattern < 0.83:
            local = f"{la}.{f}"
        elif pattern < 0.9:
            local = f"{f[0]}.{la}"
        elif pattern < 0.95:
            local = f"{f}{la[0]}{self.ctx.randint(1, 999)}"
        else:
            local = f"{f}{rng.choice(['xo', 'gal', 'boy', 'girl', 'oz', 'au', 'x', 'z'])}{yy}"
        address = f"{local}@{domain}"
        while address in self.used_emails:
            address = f"{local}{self.ctx.randint(1, 9999)}@{domain}"
        self.used_emails.add(address)
        return address

    def address(self, state: str | None = None) -> dict[str, str]:
        rng = self.ctx.rng
        code = state or self.state(rng)
        suburb, postcode = rng.choice(self.suburbs[code])
        suffix = self.suffix(rng)
        return {
            "unit": str(self.ctx.randint(1, 40)) if rng.random() < 0.14 else "",
            "street_no": str(self.ctx.randint(1, 250)) + ("A" if rng.random() < 0.02 else ""),
            "street": self.street(rng),
            "suffix": suffix[0],
            "suffix_abbr": suffix[1],
            "suburb": suburb,
            "state": code,
            "postcode": postcode,
        }

    # ---- whole people ------------------------------------------------------------------------
    def person(self, *, age_from: int = 16, mean_extra_age: float = 9.0) -> Person:
        rng = self.ctx.rng
        g = self.group(rng)
        gender = "F" if rng.random() < 0.55 else "M"
        first = self.given(gender, g)
        last = self.family(g if rng.random() < 0.9 else None)
        age = min(75, age_from + int(rng.expovariate(1 / mean_extra_age)))
        dob = self.ctx.now - timedelta(days=age * 365 + self.ctx.randint(0, 364))
        addr = self.address()
        p: Person = {
            "group": g, "gender": gender, "first": first, "last": last, "dob": dob,
            "middle": self.given(gender, g) if rng.random() < 0.35 else "",
            "preferred": "",
            "mobile": self.mobile() if rng.random() < 0.96 else "",
            "home": self.landline(addr["state"]) if rng.random() < 0.18 else "",
            **addr,
        }
        if rng.random() < 0.12:
            nicks = nicknames_for(first)
            if nicks:
                p["preferred"] = rng.choice(nicks)
        p["email"] = self.email(first, last, dob, addr["state"])
        return p

    def sibling_of(self, p: Person) -> Person:
        """A brother or sister: same surname, address, home phone and (parent's) email."""
        rng = self.ctx.rng
        gender = "F" if rng.random() < 0.5 else "M"
        first = self.given(gender, p["group"])
        while first == p["first"]:
            first = self.given(gender, p["group"])
        s = dict(p)
        s.update(gender=gender, first=first, middle="", preferred="",
                 dob=p["dob"] + timedelta(days=rng.choice([-1, 1]) * self.ctx.randint(300, 2500)),
                 mobile=self.mobile() if rng.random() < 0.8 else "")
        return s

    def parent_of(self, p: Person, *, share_email: bool) -> Person:
        """A parent who paid: same surname and usually the same address; their own or the learner's email."""
        rng = self.ctx.rng
        gender = "F" if rng.random() < 0.6 else "M"
        first = self.given(gender, p["group"])
        while first == p["first"]:
            first = self.given(gender, p["group"])
        parent = dict(p)
        parent.update(gender=gender, first=first, middle="", preferred="",
                      dob=p["dob"] - timedelta(days=self.ctx.randint(20 * 365, 38 * 365)),
                      mobile=self.mobile(), home=p["home"] or (self.landline(p["state"]) if rng.random() < 0.3 else ""))
        if rng.random() < 0.25:
            parent.update(self.address(p["state"]))
        parent["email"] = p["email"] if share_email else self.email(first, p["last"], parent["dob"])
        return parent
