"""How an old, hand-typed Xero contact of a learner differs from the learner (scaled by ``noise``).

``old_view`` returns the fields of one old contact plus the list of variation kinds applied, so tests
and benchmarks can check that every kind occurs.
"""

from __future__ import annotations

from typing import Any

from unidecode import unidecode

from .data import names as N
from .data import places as P
from .gen_common import Ctx
from .gen_people import PeopleFactory, Person, canonicals_for, nicknames_for
from .gen_records import addresses, format_landline, format_mobile, phones, street_line

# Base probability (at noise 1) of each name variation.
NAME_VARIATIONS = {
    "nickname": 0.16, "typo": 0.10, "swapped": 0.05, "married_surname": 0.06, "double_barrelled": 0.04,
    "middle_name": 0.08, "initial": 0.05, "case": 0.08, "spacing": 0.05, "last_comma_first": 0.04,
}
VARIATION_KINDS = (*NAME_VARIATIONS, "diacritics", "other_email", "no_email", "old_phone", "landline",
                   "no_phone", "moved", "no_address")

_ADD_DIACRITIC = {plain: fancy for fancy, plain in N.DIACRITIC_GIVEN + N.DIACRITIC_SURNAMES}
_KEYBOARD = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo",
    "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et",
    "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}


def typo(ctx: Ctx, word: str) -> str:
    """One keyboard slip (substitute, drop, swap or double a letter), never at the first letter."""
    rng = ctx.rng
    if len(word) < 3:
        return word + word[-1]
    i = rng.randint(1, len(word) - 1)
    op = rng.random()
    ch = word[i]
    if op < 0.35 and ch.lower() in _KEYBOARD:
        return word[:i] + rng.choice(_KEYBOARD[ch.lower()]) + word[i + 1:]
    if op < 0.6:
        return word[:i] + word[i + 1:]
    if op < 0.85 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + ch + word[i:]


def _casefold_style(ctx: Ctx, text: str) -> str:
    r = ctx.rng.random()
    if r < 0.4:
        return text.upper()
    if r < 0.75:
        return text.lower()
    return text[:1] + text[1:].lower() if " " not in text else text.split(" ", 1)[0] + " " + text.split(" ", 1)[1].lower()


def _nickname(ctx: Ctx, p: Person) -> str:
    if p["preferred"] and ctx.rng.random() < 0.7:
        return p["preferred"]
    options = nicknames_for(p["first"]) or canonicals_for(p["first"])
    if not options:
        return ""
    # The package also lists rare or odd forms ("Bell" for William): favour the familiar shortenings.
    weights = [4 if o[:2] == p["first"][:2] else 1 for o in options]
    return ctx.rng.choices(options, weights=weights)[0]


def old_view(ctx: Ctx, people: PeopleFactory, p: Person) -> tuple[dict[str, Any], list[str]]:
    """Fields of an old contact for person ``p`` (name, first, last, email, phones, addresses) and kinds."""
    rng = ctx.rng
    kinds: list[str] = []
    first, last, middle = p["first"], p["last"], ""

    if ctx.noisy(NAME_VARIATIONS["nickname"]):
        nick = _nickname(ctx, p)
        if nick and nick != first:
            first = nick
            kinds.append("nickname")
    if (p["gender"] == "F" or rng.random() < 0.1) and ctx.noisy(NAME_VARIATIONS["married_surname"] * 1.6):
        other = people.family(p["group"])
        if other != last:
            last = other
            kinds.append("married_surname")
            if rng.random() < 0.5:
                p["previous"] = other
    elif ctx.noisy(NAME_VARIATIONS["double_barrelled"]):
        other = people.family(p["group"])
        if "-" in last:
            last = last.split("-")[rng.randint(0, 1)]
            kinds.append("double_barrelled")
        elif other != last:
            last = f"{last}-{other}" if rng.random() < 0.6 else f"{other}-{last}"
            kinds.append("double_barrelled")
    if ctx.noisy(NAME_VARIATIONS["typo"]):
        if rng.random() < 0.5:
            first = typo(ctx, first)
        else:
            last = typo(ctx, last)
        kinds.append("typo")
    if ctx.noisy(NAME_VARIATIONS["middle_name"]):
        middle = p["middle"] or people.given(p["gender"], p["group"])
        kinds.append("middle_name")
    # Diacritics: drop them when the learner has them, or add them to a plain name that has a fancy form.
    plain_first, plain_last = unidecode(first), unidecode(last)
    if (plain_first != first or plain_last != last) and rng.random() < min(0.95, 0.7 * max(ctx.noise, 0.3)):
        first, last = plain_first, plain_last
        kinds.append("diacritics")
    elif (first in _ADD_DIACRITIC or last in _ADD_DIACRITIC) and ctx.noisy(0.5):
        first, last = _ADD_DIACRITIC.get(first, first), _ADD_DIACRITIC.get(last, last)
        kinds.append("diacritics")

    given_for_name = first
    if ctx.noisy(NAME_VARIATIONS["initial"]):
        given_for_name = first[0] + ("." if rng.random() < 0.6 else "")
        first = given_for_name if rng.random() < 0.7 else first
        kinds.append("initial")
    first_field, last_field = first, last
    if ctx.noisy(NAME_VARIATIONS["swapped"]):
        first_field, last_field = last, first
        kinds.append("swapped")
        name = f"{last} {given_for_name}"
    elif ctx.noisy(NAME_VARIATIONS["last_comma_first"]):
        name = f"{last}, {given_for_name}"
        kinds.append("last_comma_first")
    else:
        name = f"{given_for_name} {middle} {last}" if middle else f"{given_for_name} {last}"
    if ctx.noisy(NAME_VARIATIONS["case"]):
        name = _casefold_style(ctx, name)
        kinds.append("case")
    if ctx.noisy(NAME_VARIATIONS["spacing"]):
        r = rng.random()
        name = name.replace(" ", "  ", 1) if r < 0.4 else (name + " " if r < 0.7 else " " + name.replace(" ", "   "))
        kinds.append("spacing")
    if rng.random() < 0.2:  # many hand-typed contacts only have a Name
        first_field = last_field = ""

    email = p["email"]
    if ctx.noisy(0.1):
        email = ""
        kinds.append("no_email")
    elif ctx.noisy(0.25):
        email = people.email(first, p["last"], p["dob"], p["state"])
        kinds.append("other_email")
    elif email and rng.random() < 0.04:
        local, _, domain = email.partition("@")
        email = f"{local.title()}@{domain.capitalize()}"

    phone_slots, phone_kind = _old_phones(ctx, people, p)
    if phone_kind:
        kinds.append(phone_kind)
    address_slots, addr_kind = _old_addresses(ctx, people, p)
    if addr_kind:
        kinds.append(addr_kind)
    fields = {"name": name.strip() if "spacing" not in kinds else name, "first": first_field,
              "last": last_field, "email": email, "phones": phone_slots, "addresses": address_slots}
    return fields, kinds


def _old_phones(ctx: Ctx, people: PeopleFactory, p: Person) -> tuple[list[dict[str, Any]], str]:
    rng = ctx.rng
    if ctx.noisy(0.12) or not (p["mobile"] or p["home"]):
        return phones(), "no_phone"
    if p["home"] and ctx.noisy(0.35) or ctx.noisy(0.05):
        home = p["home"] or people.landline(p["state"])
        area, local = format_landline(home)
        return phones(default=(local, area, "61" if rng.random() < 0.4 else "")), "landline"
    mobile = p["mobile"]
    kind = ""
    if ctx.noisy(0.1):
        mobile = people.mobile()
        kind = "old_phone"
    if not mobile:
        return phones(), "no_phone"
    r = rng.random()
    if r < 0.08:  # split over Xero's area-code and number boxes
        slot = (f"{mobile[4:7]} {mobile[7:]}", mobile[:4], "")
    elif r < 0.15:
        slot = (f"{mobile[2:6]} {mobile[6:]}", mobile[:2], "61")
    else:
        slot = (format_mobile(rng, mobile), "", "")
    if rng.random() < 0.5:
        return phones(mobile=slot), kind
    return phones(default=slot), kind


def _old_addresses(ctx: Ctx, people: PeopleFactory, p: Person) -> tuple[list[dict[str, Any]], str]:
    rng = ctx.rng
    if not p["state"] or ctx.noisy(0.25):
        return addresses(), "no_address"
    kind = ""
    where = p
    if ctx.noisy(0.12):
        where = dict(p, **people.address(p["state"] if rng.random() < 0.7 else None))
        kind = "moved"
    region_style = rng.random()
    state = where["state"]
    region = state if region_style < 0.55 else (P.STATES[state][1] if region_style < 0.75 else
                                               (state.lower() if region_style < 0.82 else ""))
    city = where["suburb"].upper() if rng.random() < 0.15 else where["suburb"]
    addr = {"AddressLine1": street_line(where, abbreviate=rng.random() < 0.6, unit_slash=rng.random() < 0.6),
            "City": city, "Region": region, "PostalCode": where["postcode"] if rng.random() < 0.93 else "",
            "Country": rng.choice(("Australia", "Australia", "AUSTRALIA", "AU", ""))}
    if rng.random() < 0.5:
        return addresses(street=addr), kind
    return addresses(street=addr, pobox=addr), kind
