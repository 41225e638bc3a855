"""Normalisation of names, emails, phones and addresses into comparable keys.

Every function takes and returns pandas Series (or plain strings for the scalar helpers) and never
produces NaN: a missing value is the empty string ``""``. Work is done once per *unique* value where a
per-value Python step is unavoidable (unidecode, phonenumbers, metaphone), so cost grows with the
number of distinct values, not with the number of rows.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import phonenumbers
from cleanco import typesources as _typesources
from cleanco.clean import normalized as _cleanco_normalized
from unidecode import unidecode

from wxsync.frames import text_column

#: Honorifics and generational suffixes dropped from person names (not given names or surnames).
NAME_NOISE = frozenset(
    "mr mrs ms miss mx dr prof sir dame rev fr jr snr sr jnr ii iii iv esq".split()
)

#: Email local parts that name a role rather than a person; they are weak evidence and never block.
GENERIC_LOCALS = frozenset(
    """info admin administration accounts account accountspayable accounts.payable ap ar billing
    finance office reception enquiries enquiry contact contactus sales hello mail email noreply
    no-reply support team payments payroll invoices invoice admissions student students""".split()
)

#: Words that make a contact name look like an organisation rather than a person. cleanco covers
#: the international legal forms (Pty Ltd, Limited, Inc, GmbH, ...); these are Australian trading forms
#: and payer kinds cleanco does not know ("P/L", "Trust", "Trustee for ..."). Matched on folded tokens.
COMPANY_WORDS = frozenset(
    """pty ltd trust trustee trustees holdings group services solutions school college university council
    department dept association assn club church foundation institute academy agency corporation corp
    enterprises partners ministry hospital centre center government superannuation""".split()
)
COMPANY_PHRASES = frozenset({"p l", "t as", "super fund", "estate of"})

#: Australia Post street-type abbreviations, so "12 Smith Street" equals "12 Smith St".
_STREET_TYPES = {
    "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "drive": "dr", "court": "ct",
    "place": "pl", "crescent": "cres", "cr": "cres", "parade": "pde", "terrace": "tce", "highway": "hwy",
    "lane": "ln", "close": "cl", "circuit": "cct", "boulevard": "blvd", "square": "sq", "grove": "gr",
    "way": "wy", "esplanade": "esp", "unit": "u", "apartment": "u", "apt": "u", "flat": "u",
    "north": "n", "south": "s", "east": "e", "west": "w", "mount": "mt", "saint": "st",
}


_FOLD_TABLE = str.maketrans(
    {**{chr(c): " " for c in range(128) if not chr(c).isalnum()}, "'": None, "`": None}
)


def fold_str(text: str) -> str:
    """Scalar fold: lower case, ASCII (unidecode), apostrophes dropped, other punctuation -> one space."""
    if not text:
        return ""
    if not text.isascii():
        text = unidecode(text.replace("’", "").replace("´", ""))
    return " ".join(text.lower().translate(_FOLD_TABLE).split())


def map_unique(s: pd.Series, fn) -> pd.Series:  # noqa: ANN001 - a str -> Any function
    """Apply a per-value function once per distinct value."""
    s = text_column(s)
    uniq = pd.unique(s)
    return s.map(dict(zip(uniq, map(fn, uniq), strict=True))).astype(object)


def fold(s: pd.Series) -> pd.Series:
    """Lower-case, strip diacritics (unidecode), drop apostrophes, turn other punctuation into spaces."""
    return map_unique(s, fold_str)


def fold_one(text: str) -> str:
    """Scalar :func:`fold`."""
    return fold_str(text)


def strip_token(names: pd.Series, tokens: pd.Series) -> pd.Series:
    """Remove ``tokens[i]`` from ``names[i]`` where it stands as a whole token (the learner number).

    The Wisenet name template is not documented, so nothing else about the name is assumed.
    """
    out = names.astype(str).tolist()
    for k, (name, tok) in enumerate(zip(out, tokens.astype(str).tolist(), strict=True)):
        if tok and tok in name:
            out[k] = _remove_whole(name, tok)
    return pd.Series(out, index=names.index, dtype=object)


def _remove_whole(text: str, tok: str) -> str:
    start = 0
    while (pos := text.find(tok, start)) >= 0:
        end = pos + len(tok)
        before = text[pos - 1] if pos else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            text = text[:pos] + " " + text[end:]
            start = pos + 1
        else:
            start = pos + 1
    return text


def person_tokens(folded: str) -> list[str]:
    """Name tokens of a folded name: no digits, no honorifics or generational suffixes."""
    return [t for t in folded.split() if t.isalpha() and t not in NAME_NOISE]


_HYPHEN = "QxHyQ"            # placeholder survives fold() as letters ...
_HYPHEN_FOLDED = "qxhyq"     # ... and is turned back into a space inside the parsed token


def split_person_name(
    name: pd.Series, first_name: pd.Series, last_name: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (given, middle, surname) folded strings for each row.

    ``first_name``/``last_name`` win when both are present; otherwise the display name is parsed:
    "Smith, Jane" is surname-first, anything else is given ... surname. Hyphenated surnames become
    space-separated tokens ("smith jones") so each part can match on its own.
    """
    f_first, f_last = fold(first_name), fold(last_name)
    comma_first = name.astype(str).str.contains(",", regex=False)
    # keep a hyphenated surname in one piece while parsing the display name ("Andrew Smith-Cook")
    f_name = fold(name.astype(str).str.replace(r"(?<=[^\W\d_])-(?=[^\W\d_])", _HYPHEN, regex=True))
    given, middle, surname = [], [], []
    for fn, ln, nm, comma, raw in zip(
        f_first.tolist(), f_last.tolist(), f_name.tolist(), comma_first.tolist(), name.astype(str).tolist(),
        strict=True,
    ):
        ft, lt = person_tokens(fn), person_tokens(ln)
        if ft and lt:
            given.append(ft[0])
            middle.append(" ".join(ft[1:]))
            surname.append(" ".join(lt))
            continue
        if comma:
            last_part, _, first_part = raw.partition(",")
            lt2, ft2 = person_tokens(fold_one(last_part)), person_tokens(fold_one(first_part))
            if lt2 and ft2:
                given.append(ft2[0])
                middle.append(" ".join(ft2[1:]))
                surname.append(" ".join(lt2))
                continue
        toks = [t.replace(_HYPHEN_FOLDED, " ") for t in person_tokens(nm)] or ft or lt
        if len(toks) == 1:
            given.append("" if not ft else toks[0])
            middle.append("")
            surname.append("" if ft else toks[0])
        elif toks:
            given.append(toks[0])
            middle.append(" ".join(toks[1:-1]))
            surname.append(toks[-1])
        else:
            given.append("")
            middle.append("")
            surname.append("")
    idx = name.index
    return (pd.Series(given, index=idx, dtype=object), pd.Series(middle, index=idx, dtype=object),
            pd.Series(surname, index=idx, dtype=object))


def _email_parts(raw: str) -> tuple[str, str]:
    e = raw.strip().lower()
    if e.startswith("mailto:"):
        e = e[7:]
    if e.count("@") != 1 or e.startswith("@") or e.endswith("@"):
        return "", ""
    local = e.split("@", 1)[0].split("+", 1)[0]
    key = local.replace(".", "").replace("_", "").replace("-", "")
    if local in GENERIC_LOCALS or key in GENERIC_LOCALS or len(key) < 3:
        key = ""
    return e, key


def normalise_email(email: pd.Series) -> pd.DataFrame:
    """Columns ``email`` (lower, trimmed; "" unless it has one "@"), ``local_key`` (local part without
    +tag, dots, dashes or underscores; "" for role addresses such as info@ or accounts@)."""
    parts = map_unique(email, _email_parts)
    return pd.DataFrame({"email": parts.str[0].astype(object), "local_key": parts.str[1].astype(object)},
                        index=email.index)


@lru_cache(maxsize=200_000)
def _e164_slow(raw: str, region: str) -> str:
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(num):
        return ""
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def e164_one(raw: str, region: str = "AU") -> str:
    """E.164 form of one phone number ("" when it cannot be a phone number). Region default AU."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    # Fast path for the overwhelmingly common Australian shapes; identical to phonenumbers' output
    # (a property test checks this). Everything else goes through phonenumbers itself.
    if region == "AU" and re.fullmatch(r"[+\d\s().-]+", raw):
        plus = raw.startswith("+")
        if not plus and len(digits) == 10 and digits[0] == "0" and digits[1] in "23478":
            return "+61" + digits[1:]
        if len(digits) == 11 and digits.startswith("61") and digits[2] in "23478" and (plus or raw[0] == "6"):
            return "+" + digits
        if not plus and len(digits) == 9 and digits[0] == "4":
            return "+61" + digits
        if len(digits) == 12 and digits.startswith("610") and digits[3] in "23478" and (plus or raw[0] == "6"):
            return "+61" + digits[3:]  # Xero's country code + area code "0x" + number
    return _e164_slow(raw, region)


def normalise_phone(phone: pd.Series, region: str = "AU") -> pd.Series:
    """E.164 phone numbers via phonenumbers (default region AU); "" when missing or impossible."""
    phone = text_column(phone)
    uniq = pd.unique(phone)
    mapping = {u: e164_one(u, region) for u in uniq}
    return phone.map(mapping).astype(object)


def normalise_street(street: pd.Series) -> pd.Series:
    """Folded street line with Australia Post street-type abbreviations."""
    f = fold(street)
    uniq = pd.unique(f)
    mapping = {u: " ".join(_STREET_TYPES.get(t, t) for t in u.split()) for u in uniq}
    return f.map(mapping).astype(object)


def normalise_postcode(postcode: pd.Series) -> pd.Series:
    """Postcode with spaces removed, lower case."""
    return map_unique(postcode, lambda x: fold_str(x).replace(" ", ""))


@lru_cache(maxsize=1)
def _legal_terms() -> dict[str, str]:
    """cleanco's one-word legal terms (normalised the way cleanco does) -> business type."""
    terms: dict[str, str] = {}
    for kind, term in _typesources():
        norm = _cleanco_normalized(term)
        if norm and " " not in norm:
            terms.setdefault(norm, kind)
    return terms


@lru_cache(maxsize=100_000)
def _legal_term(token: str) -> str:
    return _legal_terms().get(_cleanco_normalized(token), "")


def _company_form(name: str) -> str:
    tokens = fold_str(name).split()
    for t in tokens:
        if t in COMPANY_WORDS:
            return t.title()
    for a, b in zip(tokens, tokens[1:], strict=False):
        if f"{a} {b}" in COMPANY_PHRASES:
            return f"{a}/{b}".upper() if len(a) == 1 else f"{a} {b}".title()
    # legal forms follow the business name ("Acme Pty Ltd", "Nokia Oyj"); a first token that spells one
    # is a person's name ("Ky Kyriacou", "Ab Milburn")
    for t in name.split()[1:]:
        kind = _legal_term(t.strip(".,;:()[]"))
        if kind:
            return kind
    return ""


def looks_like_company(name: pd.Series) -> pd.Series:
    """The legal form or organisation word that makes a name look like a company ("" for persons).

    Uses cleanco's table of legal terms (same token rule as ``cleanco.matches``, cached per token) plus
    Australian trading forms and payer kinds cleanco lacks."""
    return map_unique(name, _company_form)
