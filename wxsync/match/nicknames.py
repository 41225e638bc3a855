"""Nickname relation between given names, from the ``nicknames`` package (carltonnorthern/nicknames).

Two given names are nickname-related when one is a listed nickname of the other (Bob/Robert,
Liz/Elizabeth, Bill/William) or both are listed nicknames of the same name (Liz/Beth). The table is
noisy (it was mined from genealogy pages), so the matcher uses it only as its own comparison level with a
weight estimated from the data, never as a blocking key or as proof.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from nicknames import NickNamer


@lru_cache(maxsize=1)
def nickname_groups() -> dict[str, frozenset[str]]:
    """name -> the canonical names it is a nickname of, plus itself when it is canonical."""
    nn = NickNamer()
    groups: dict[str, set[str]] = {}
    for canonical, nicks in nn.nickname_lookup.items():
        groups.setdefault(canonical, set()).add(canonical)
        for nick in nicks:
            groups.setdefault(nick, set()).add(canonical)
    return {name: frozenset(g) for name, g in groups.items()}


def are_nicknames(a: str, b: str) -> bool:
    """True when two different lower-case given names are nickname-related."""
    if not a or not b or a == b:
        return False
    g = nickname_groups()
    ga, gb = g.get(a), g.get(b)
    return bool(ga and gb and ga & gb)


def nickname_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise :func:`are_nicknames` over aligned arrays, evaluated once per distinct pair."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    g = nickname_groups()
    known_a = np.fromiter((x in g for x in a), dtype=bool, count=len(a))
    known_b = np.fromiter((x in g for x in b), dtype=bool, count=len(b))
    out = np.zeros(len(a), dtype=bool)
    idx = np.nonzero(known_a & known_b & (a != b))[0]
    cache: dict[tuple[str, str], bool] = {}
    for k in idx:
        key = (a[k], b[k])
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = bool(g[key[0]] & g[key[1]])
        out[k] = hit
    return out
