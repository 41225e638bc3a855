"""Candidate generation: a union of cheap blocking keys joined with pandas merges.

Each key kind maps a contact to zero or more strings; an (old, Wisenet) pair is a candidate when they
share a string of any kind. Per kind, key values are taken smallest block first (block size = old count x
Wisenet count) until the kind's pair budget is spent, and no block above ``max_block`` is taken. So on a
small organisation every block is used, while on a large one a common "Smith|J" or a busy postcode is
skipped by that kind - the selective kinds (email, phone, full name, street) still catch those pairs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from wxsync.match.nicknames import nickname_groups

KeyFn = Callable[[pd.DataFrame], pd.DataFrame]


def _one(values: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"row": np.arange(len(values)), "key": values.to_numpy()})
    return frame[frame["key"] != ""]


def _join(*parts: pd.Series) -> pd.Series:
    out = parts[0].astype(str)
    empty = out.eq("")
    for p in parts[1:]:
        p = p.astype(str)
        empty |= p.eq("")
        out = out + "|" + p
    return out.where(~empty, "")


def _last(f: pd.DataFrame) -> pd.Series:
    return f["surname_last"]


def _lo(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.where(a <= b, b)


def _hi(a: pd.Series, b: pd.Series) -> pd.Series:
    return b.where(a <= b, a)


def _name_keys(f: pd.DataFrame) -> pd.DataFrame:
    """token|initial-of-the-other in both orders, for every surname token (swap and double-barrel safe)."""
    tokens = f["surname"].str.split(" ")
    ex = pd.DataFrame({"row": np.arange(len(f)), "given": f["given"].to_numpy(), "tok": tokens.to_numpy()})
    ex = ex.explode("tok")
    ex["tok"] = ex["tok"].fillna("")
    a = _join(ex["given"], ex["tok"].str[:1])
    b = _join(ex["tok"], ex["given"].str[:1])
    out = pd.concat([pd.DataFrame({"row": ex["row"], "key": a}), pd.DataFrame({"row": ex["row"], "key": b})])
    return out[out["key"] != ""]


def _nickname_keys(f: pd.DataFrame) -> pd.DataFrame:
    """every name the given name may be a nickname of (and itself) | surname: Nollie Williams ~ Olivia."""
    groups = nickname_groups()
    rows, keys = [], []
    for r, (g, s) in enumerate(zip(f["given"].tolist(), f["surname"].tolist(), strict=True)):
        if g and s and g in groups:
            last = s.split(" ")[-1]
            for canon in groups[g]:
                rows.append(r)
                keys.append(canon + "|" + last)
    return pd.DataFrame({"row": np.asarray(rows, dtype=np.int64), "key": np.asarray(keys, dtype=object)})


def _digits_sorted(postcode: pd.Series) -> pd.Series:
    """The postcode's characters in sorted order, so a transposition (2042 / 2024) keeps the key."""
    uniq = pd.unique(postcode)
    return postcode.map({p: "".join(sorted(p)) for p in uniq})


def _sorted_metaphone(f: pd.DataFrame) -> pd.DataFrame:
    g, s = f["given_mp"], f["surname_mp"]
    lo = g.where(g <= s, s)
    hi = s.where(g <= s, g)
    return _one(_join(lo, hi))


#: The key kinds, in the order they are listed in benchmark output.
KEYS: dict[str, KeyFn] = {
    "email": lambda f: _one(f["email"]),
    "email_local": lambda f: _one(f["local_key"]),
    "phone": lambda f: _one(f["phone"]),
    "name_initial": _name_keys,
    "nickname_surname": _nickname_keys,
    "metaphone_sorted": _sorted_metaphone,
    "given_surname": lambda f: _one(_join(_lo(f["given"], _last(f)), _hi(f["given"], _last(f)))),
    "surname_given3": lambda f: _one(_join(_last(f), f["given"].str[:3])),
    "given_surname3": lambda f: _one(_join(f["given"], _last(f).str[:3])),
    "soundex_initial": lambda f: _one(_join(f["surname_sx"], f["given"].str[:1])),
    "postcode": lambda f: _one(f["postcode"]),
    "postcode_surname_initial": lambda f: _one(_join(f["postcode"], f["surname_last"].str[:1])),
    "postcode_given_initial": lambda f: _one(_join(f["postcode"], f["given"].str[:1])),
    "city_surname_initial": lambda f: _one(_join(f["city"], f["surname_last"].str[:1])),
    "surname_postcode_anagram": lambda f: _one(_join(_last(f), _digits_sorted(f["postcode"]))),
    "given_postcode_anagram": lambda f: _one(_join(f["given"], _digits_sorted(f["postcode"]))),
    "postcode_street_no": lambda f: _one(_join(f["postcode"], f["street_no"])),
    "city_street_no": lambda f: _one(_join(f["city"], f["street_no"])),
    "city_street_word": lambda f: _one(_join(f["city"], f["street_word"])),
    "street": lambda f: _one(f["street"].where(f["street"].str.len() >= 6, "")),
}


#: Budget (and, above 1, largest block) multiplier per key kind, by how much an agreement on the key says.
#: The same full name is the strongest name evidence there is, so even common names ("Olivia Smith") are
#: compared up to a larger block; a shared postcode and first initial, or suburb and street word, says
#: little (and at 100k contacts those keys found no true pair the other keys missed), so they get less.
BUDGET_SCALE: dict[str, float] = {"given_surname": 6.0, "postcode_given_initial": 0.25, "city_street_word": 0.25}


def pair_budget(n_old: int, n_wis: int) -> int:
    """Candidate pairs each key kind may add: linear in the number of contacts."""
    return 50_000 + 2 * (n_old + n_wis)


def candidate_pairs(old: pd.DataFrame, wis: pd.DataFrame, max_block: int = 2500,
                    keys: dict[str, KeyFn] | None = None,
                    budget: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positional (old_row, wisenet_row) candidate pairs, unique and sorted."""
    if len(old) == 0 or len(wis) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    budget = pair_budget(len(old), len(wis)) if budget is None else budget
    codes = []
    for kind, fn in (keys or KEYS).items():
        scale = BUDGET_SCALE.get(kind, 1.0)
        kind_budget, kind_block = budget * scale, max_block * max(scale, 1.0)
        ko, kw = fn(old), fn(wis)
        if ko.empty or kw.empty:
            continue
        key_codes, uniq = pd.factorize(np.concatenate([ko["key"].to_numpy(dtype=object),
                                                       kw["key"].to_numpy(dtype=object)]))
        n_keys = len(uniq)
        co, cw = key_codes[: len(ko)], key_codes[len(ko):]
        ro, rw = ko["row"].to_numpy(np.int64), kw["row"].to_numpy(np.int64)
        co, ro = _dedupe(co, ro)
        cw, rw = _dedupe(cw, rw)
        size = np.bincount(co, minlength=n_keys).astype(np.int64) * np.bincount(cw, minlength=n_keys)
        order = np.lexsort((np.arange(n_keys), size))        # smallest blocks first, ties by first use
        order = order[(size[order] > 0) & (size[order] <= kind_block)]
        chosen = np.zeros(n_keys, dtype=bool)
        chosen[order[np.cumsum(size[order]) <= kind_budget]] = True
        left = pd.DataFrame({"k": co[chosen[co]], "i": ro[chosen[co]]})
        right = pd.DataFrame({"k": cw[chosen[cw]], "j": rw[chosen[cw]]})
        pairs = left.merge(right, on="k")
        codes.append(pairs["i"].to_numpy(np.int64) * len(wis) + pairs["j"].to_numpy(np.int64))
    if not codes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    uniq_pairs = sorted_unique(np.concatenate(codes))
    return uniq_pairs // len(wis), uniq_pairs % len(wis)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort + mask; much faster than np.unique on large int arrays)."""
    if len(values) == 0:
        return values
    out = np.sort(values)
    return out[np.r_[True, out[1:] != out[:-1]]]


def _dedupe(codes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = sorted_unique(codes.astype(np.int64) * (int(rows.max(initial=0)) + 1) + rows)
    width = int(rows.max(initial=0)) + 1
    return both // width, both % width
