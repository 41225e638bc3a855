"""Per-field comparison levels for aligned candidate pairs, vectorised.

For each field a pair gets an integer *level*: 0 means "missing on either side" (no evidence),
1 is the strongest agreement, the last level is disagreement. String similarities come from
``rapidfuzz.process.cpdist(..., workers=-1)``, evaluated once per distinct pair of values.
The level names live in :mod:`wxsync.match.scoring` (``FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from wxsync.match.features import name_like
from wxsync.match.nicknames import nickname_pairs


@dataclass
class Encoded:
    """String columns of both sides as integer codes over one vocabulary per column group.

    Code 0 is always the empty string, so "missing" is ``code == 0`` and equality is an integer test.
    First and last names share one vocabulary so they can be compared crosswise (swapped names).
    """

    old: dict[str, np.ndarray]
    wis: dict[str, np.ndarray]
    vocab: dict[str, np.ndarray]


_GROUPS = {"given": "name", "surname": "name", "given_joined": "name", "surname_joined": "name", "email": "email", "local_key": "local_key", "phone": "phone",
           "street": "street", "street_no": "street_no", "postcode": "postcode", "city": "city"}


def encode(old: pd.DataFrame, wis: pd.DataFrame) -> Encoded:
    """Integer-code the compared columns of both sides."""
    enc = Encoded({}, {}, {})
    for group in dict.fromkeys(_GROUPS.values()):
        cols = [c for c, g in _GROUPS.items() if g == group]
        parts = [np.array([""], dtype=object)]
        parts += [old[c].to_numpy(dtype=object) for c in cols] + [wis[c].to_numpy(dtype=object) for c in cols]
        codes, vocab = pd.factorize(np.concatenate(parts))
        vocab = np.asarray(vocab, dtype=object)
        pos = 1
        for c in cols:
            enc.old[c] = codes[pos:pos + len(old)].astype(np.int64)
            pos += len(old)
        for c in cols:
            enc.wis[c] = codes[pos:pos + len(wis)].astype(np.int64)
            pos += len(wis)
        for c in cols:
            enc.vocab[c] = vocab
    return enc


def distinct_pairs(ca: np.ndarray, cb: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left codes, right codes, inverse) of the distinct (ca, cb) code pairs."""
    inv, uniq = pd.factorize(ca * width + cb)
    uniq = np.asarray(uniq, dtype=np.int64)
    return uniq // width, uniq % width, inv


def on_distinct(fn, ca: np.ndarray, cb: np.ndarray, vocab: np.ndarray) -> tuple[np.ndarray, ...]:  # noqa: ANN001
    """Run a comparison on the distinct value pairs only and spread its results back to every pair."""
    if len(ca) == 0:
        return fn(vocab[:0], vocab[:0])
    ua, ub, inv = distinct_pairs(ca, cb, len(vocab))
    return tuple(x[inv] for x in fn(vocab[ua], vocab[ub]))


def pairwise(a: np.ndarray, b: np.ndarray, scorer, **kwargs) -> np.ndarray:  # noqa: ANN001
    """``scorer`` on aligned arrays of strings (all cores)."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.float64)
    return np.asarray(process.cpdist(list(a), list(b), scorer=scorer, workers=-1, **kwargs), dtype=np.float64)


def _jw(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return pairwise(a, b, JaroWinkler.normalized_similarity)


def _shares_token(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=bool)
    multi = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x and y and (" " in x or " " in y)]
    for k in multi:
        out[k] = bool(set(a[k].split()) & set(b[k].split()))
    return out


def _select(conditions: list[np.ndarray], n: int, missing: np.ndarray) -> np.ndarray:
    """Level = 1 + index of the first true condition, last level if none, 0 where missing."""
    level = np.select(conditions, list(range(1, len(conditions) + 1)), default=len(conditions) + 1)
    level[missing] = 0
    return level.astype(np.int8)


def _one_typo(a: np.ndarray, b: np.ndarray, min_len: int = 4) -> np.ndarray:
    """One insertion, deletion, substitution or transposition apart (both at least ``min_len`` long)."""
    long_enough = np.fromiter((min(len(x), len(y)) >= min_len for x, y in zip(a, b, strict=True)), dtype=bool,
                              count=len(a))
    out = np.zeros(len(a), dtype=bool)
    idx = np.nonzero(long_enough)[0]
    if len(idx):
        out[idx] = pairwise(a[idx], b[idx], OSA.distance) <= 1
    return out


def _one_typo_below(a: np.ndarray, b: np.ndarray, jw: np.ndarray) -> np.ndarray:
    """:func:`_one_typo` where Jaro-Winkler is below 0.92 (above it the pair is similar anyway). One edit
    between strings of 4+ characters keeps Jaro at or above 0.83, so only 0.8 <= JW < 0.92 is checked."""
    out = np.zeros(len(a), dtype=bool)
    idx = np.nonzero((jw >= 0.8) & (jw < 0.92))[0]
    if len(idx):
        out[idx] = _one_typo(a[idx], b[idx])
    return out


def given_levels(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """identical, nickname, similar (JW>=0.92 or one typo), initial, close (JW>=0.85), differs.
    Returns (level, jw). Close is where different people live (Oliver/Olivia)."""
    missing = (a == "") | (b == "")
    jw = _jw(a, b)
    first_a = np.array([x[:1] for x in a], dtype=object)
    first_b = np.array([x[:1] for x in b], dtype=object)
    len_a = np.fromiter((len(x) for x in a), dtype=np.int32, count=len(a))
    len_b = np.fromiter((len(x) for x in b), dtype=np.int32, count=len(b))
    initial = ((len_a == 1) | (len_b == 1)) & (first_a == first_b)
    similar = (jw >= 0.92) | _one_typo_below(a, b, jw)
    level = _select([a == b, nickname_pairs(a, b), similar, initial, jw >= 0.85], len(a), missing)
    return level, jw


def surname_levels(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """identical, similar (JW>=0.92 or one typo), shares a part (double-barrelled), close (JW>=0.85),
    differs."""
    missing = (a == "") | (b == "")
    jw = _jw(a, b)
    similar = (jw >= 0.92) | _one_typo_below(a, b, jw)
    level = _select([a == b, similar, _shares_token(a, b), jw >= 0.85], len(a), missing)
    return level, jw


def email_levels(ea, eb, la, lb, vocab_local, local_is_name) -> np.ndarray:  # noqa: ANN001
    """identical, same local part, similar local part (one typo apart, 5+ characters), differs (codes).

    A local part made only of the person's own name ("jane.smith", "jsmith") says nothing the name
    comparison has not said already (two Jane Smiths pick it too), so an equal or similar local part on
    different addresses counts as missing rather than as agreement or disagreement. ``local_is_name(rows)``
    answers that for the pair positions ``rows`` (only the few pairs with agreeing local parts)."""
    missing = (ea == 0) | (eb == 0)
    has_local = (la != 0) & (lb != 0)
    typo = np.zeros(len(ea), dtype=bool)
    idx = np.nonzero(has_local & ~missing & (ea != eb) & (la != lb))[0]
    if len(idx):  # one edit apart needs lengths within one of each other: skip the rest cheaply
        size = np.fromiter(map(len, vocab_local), dtype=np.int32, count=len(vocab_local))
        sa, sb = size[la[idx]], size[lb[idx]]
        idx = idx[(np.abs(sa - sb) <= 1) & (np.minimum(sa, sb) >= 5)]
    if len(idx):
        typo[idx] = on_distinct(lambda a, b: (_one_typo(a, b, 5),), la[idx], lb[idx], vocab_local)[0]
    local_agrees = np.nonzero((ea != eb) & has_local & ((la == lb) | typo) & ~missing)[0]
    if len(local_agrees):
        missing[local_agrees] = local_is_name(local_agrees)
    return _select([ea == eb, has_local & (la == lb), typo], len(ea), missing)


def phone_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """identical, differs (arguments are codes)."""
    return _select([a == b], len(a), (a == 0) | (b == 0))


def street_levels(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Street similarity (token-sort ratio / 100) on strings. Returns (exact, similarity)."""
    return a == b, pairwise(a, b, fuzz.token_sort_ratio) / 100.0


def street_level(exact, sim, missing, other_house) -> np.ndarray:  # noqa: ANN001
    """identical, similar (token-sort >= 90), close (>= 75), differs; a different house number caps the
    level at close."""
    return _select([exact, (sim >= 0.90) & ~other_house, sim >= 0.75], len(exact), missing)


def locality_levels(pa, pb, ca, cb, vocab_city) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # noqa: ANN001
    """postcode and suburb, postcode only, suburb only, differs (codes). Returns (level, pc_eq, city_eq)."""
    has_pc = (pa != 0) & (pb != 0)
    has_city = (ca != 0) & (cb != 0)
    pc_eq = has_pc & (pa == pb)
    city_eq = np.zeros(len(pa), dtype=bool)
    idx = np.nonzero(has_city)[0]
    if len(idx):
        city_eq[idx] = on_distinct(lambda a, b: (_jw(a, b),), ca[idx], cb[idx], vocab_city)[0] >= 0.9
    level = _select([pc_eq & city_eq, pc_eq, city_eq], len(pa), ~has_pc & ~has_city)
    return level, pc_eq, city_eq


#: joint address level by (street state, locality state); street: agrees (identical or similar), close,
#: missing, differs; locality: postcode and suburb, postcode or suburb, missing, differs
ADDRESS_TABLE = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 0, 11], [12, 13, 14, 15]], dtype=np.int8)


def street_state(street: np.ndarray) -> np.ndarray:
    """0 agrees, 1 close, 2 missing, 3 differs (from the street sub-level)."""
    return np.select([np.isin(street, (1, 2)), street == 3, street == 0], [0, 1, 2], default=3)


def locality_state(locality: np.ndarray) -> np.ndarray:
    """0 postcode and suburb, 1 postcode or suburb, 2 missing, 3 differs (from the locality sub-level)."""
    return np.select([locality == 1, np.isin(locality, (2, 3)), locality == 0], [0, 1, 2], default=3)


def address_level(street: np.ndarray, locality: np.ndarray) -> np.ndarray:
    """The joint address level (``wxsync.match.scoring.ADDRESS_LEVELS``, 0 = nothing to compare) from the
    street and locality sub-levels."""
    return ADDRESS_TABLE[street_state(street), locality_state(locality)]


@dataclass
class Compared:
    """Levels (``levels[field]``, one per scored field, plus the boolean ``levels["given_initial_differs"]``
    the household correction reads), sub-levels for the evidence columns (``sub``:
    street, locality) and the raw similarities the explanation shows."""

    levels: dict[str, np.ndarray]
    sub: dict[str, np.ndarray]
    swapped: np.ndarray
    given_jw: np.ndarray
    surname_jw: np.ndarray
    street_sim: np.ndarray
    pc_eq: np.ndarray
    city_eq: np.ndarray
    joined: np.ndarray | None = None   # bit 1 / bit 2: given name / surname run together (stray space)
    given_codes: tuple[np.ndarray, np.ndarray] | None = None       # the given names compared (name vocabulary)
    surname_codes: tuple[np.ndarray, np.ndarray] | None = None     # the surnames compared


def _name_like_rows(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """name_like for the given frame rows, evaluated once per distinct row."""
    inv, uniq = pd.factorize(rows)
    sub = frame.iloc[uniq]
    flags = np.fromiter((name_like(k, g, m, s) for k, g, m, s in zip(
        sub["local_key"], sub["given"], sub["middle"], sub["surname"], strict=True)), dtype=bool, count=len(uniq))
    return flags[inv]


def _goodness(level: np.ndarray, n_levels: int) -> np.ndarray:
    return np.where(level == 0, 0, n_levels + 1 - level.astype(np.int32))


def compare(old: pd.DataFrame, wis: pd.DataFrame, i: np.ndarray, j: np.ndarray,
            enc: Encoded | None = None) -> Compared:
    """Compare old row ``i[k]`` with Wisenet row ``j[k]`` for every k (positional rows)."""
    enc = enc or encode(old, wis)

    def codes(name: str) -> tuple[np.ndarray, np.ndarray]:
        return enc.old[name][i], enc.wis[name][j]

    names = enc.vocab["given"]
    (ga, gb), (sa, sb) = codes("given"), codes("surname")
    g1, gjw1 = on_distinct(given_levels, ga, gb, names)
    s1, sjw1 = on_distinct(surname_levels, sa, sb, names)
    # Swapped first/last names: the same comparisons crosswise; keep whichever orientation agrees more.
    g2, gjw2 = on_distinct(given_levels, ga, sb, names)
    s2, sjw2 = on_distinct(surname_levels, sa, gb, names)
    swapped = (_goodness(g2, 6) + _goodness(s2, 5)) > (_goodness(g1, 6) + _goodness(s1, 5))
    given_codes = (ga, np.where(swapped, sb, gb))
    surname_codes = (sa, np.where(swapped, gb, sb))
    g, s = np.where(swapped, g2, g1), np.where(swapped, s2, s1)
    gjw, sjw = np.where(swapped, gjw2, gjw1), np.where(swapped, sjw2, sjw1)
    g, s, gjw, sjw, joined = _try_joined(enc, i, j, names, (g, s, gjw, sjw), given_codes, surname_codes, swapped)
    sta, stb = codes("street")
    exact, street_sim = on_distinct(street_levels, sta, stb, enc.vocab["street"])
    na, nb = codes("street_no")
    street = street_level(exact, street_sim, (sta == 0) | (stb == 0), (na != 0) & (nb != 0) & (na != nb))
    locality, pc_eq, city_eq = locality_levels(*codes("postcode"), *codes("city"), enc.vocab["city"])
    levels = {
        "given": g.astype(np.int8),
        "surname": s.astype(np.int8),
        "email": email_levels(*codes("email"), *codes("local_key"), enc.vocab["local_key"],
                              lambda rows: _name_like_rows(old, i[rows]) | _name_like_rows(wis, j[rows])),
        "phone": phone_levels(*codes("phone")),
        # not a scored field: read by the household correction (a typo rarely changes the first letter)
        "given_initial_differs": _initials_differ(names, *given_codes),
        # sub-levels: not scored themselves (``address`` is), read by the household correction and conflicts
        "street": street,
        "locality": locality,
        "address": address_level(street, locality),
    }
    return Compared(levels, {"street": street, "locality": locality}, swapped, gjw, sjw, street_sim, pc_eq, city_eq,
                    joined=joined, given_codes=given_codes, surname_codes=surname_codes)


def _initials_differ(names: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Both given names present and starting with different letters (codes into ``names``)."""
    first = np.array([x[:1] for x in names], dtype=object)
    return (first[a] != first[b]) & (a != 0) & (b != 0)


def _try_joined(enc: Encoded, i: np.ndarray, j: np.ndarray, names: np.ndarray,
                best: tuple[np.ndarray, ...], given_codes: tuple[np.ndarray, np.ndarray],
                surname_codes: tuple[np.ndarray, np.ndarray], swapped: np.ndarray) -> tuple[np.ndarray, ...]:
    """Names split by a stray space: where one side has a middle token, also compare its given name run
    together with it ("ja cob" ~ "jacob") and its surname run together with it ("chab rel" ~ "chabrel"),
    against the other side's given name / surname (pairs not compared crosswise); keep a variant only where
    it agrees strictly more.
    Updates ``given_codes``/``surname_codes`` (the values compared, for the explanation) in place."""
    g, s, gjw, sjw = (x.copy() for x in best)
    joined = np.zeros(len(i), dtype=np.int8)   # bit 1: given name run together, bit 2: surname
    variants = []
    for side, rows, other_rows in (("old", i, j), ("wis", j, i)):
        src = enc.old if side == "old" else enc.wis
        dst = enc.wis if side == "old" else enc.old
        variants.append(("given", src["given_joined"][rows], dst["given"][other_rows], side))
        variants.append(("surname", src["surname_joined"][rows], dst["surname"][other_rows], side))
    for what, alt, target, side in variants:
        idx = np.nonzero((alt != 0) & (target != 0) & ~swapped)[0]
        if len(idx) == 0:
            continue
        fn, n_levels = (given_levels, 6) if what == "given" else (surname_levels, 5)
        level, jw = on_distinct(fn, alt[idx], target[idx], names)
        current = g[idx] if what == "given" else s[idx]
        better = _goodness(level, n_levels) > _goodness(current, n_levels)
        rows = idx[better]
        codes = given_codes if what == "given" else surname_codes
        if what == "given":
            g[rows], gjw[rows] = level[better], jw[better]
        else:
            s[rows], sjw[rows] = level[better], jw[better]
        k = 0 if side == "old" else 1
        codes[k][rows] = alt[rows]
        codes[1 - k][rows] = target[rows]
        joined[rows] |= 1 if what == "given" else 2
    return g, s, gjw, sjw, joined
