"""One readable line per pair: the fields that agreed and disagreed with their weights, strongest first.

Example: ``"email identical +14.2; first name Bob~Robert (nickname) +4.1; street differs, postcode and suburb differ -2.0"``.
Weights are the Fellegi-Sunter match weights (log2 of the Bayes factor): +1 doubles the odds that the
two contacts are the same person, -1 halves them. Fields missing on either side are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxsync.match.compare import Compared
from wxsync.match.scoring import FIELDS

_LOCALITY_TEXT = {1: "postcode and suburb agree", 2: "postcode agrees", 3: "suburb agrees",
                  4: "postcode and suburb differ"}


def _title(a: np.ndarray) -> pd.Series:
    return pd.Series(a, dtype=object).str.title()


def _sim(x: np.ndarray) -> pd.Series:
    return pd.Series(np.round(x, 2)).map("{:.2f}".format)


def field_texts(cmp: Compared, values: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, pd.Series]:
    """Text (without weight) per field and pair. ``values[field] = (old_values, wisenet_values)``."""
    out: dict[str, pd.Series] = {}
    lv = cmp.levels
    ga, gb = (_title(v) for v in values["given"])
    g = lv["given"]
    text = pd.Series("first name identical", index=range(len(g)), dtype=object)
    text = text.mask(g == 2, "first name " + ga + "~" + gb + " (nickname)")
    text = text.mask((g == 3) | (g == 5), "first name " + _sim(cmp.given_jw) + " " + ga + "~" + gb)
    text = text.mask(g == 4, "first name " + ga + "~" + gb + " (initial)")
    text = text.mask(g == 6, "first name differs (" + ga + " vs " + gb + ")")
    out["given"] = text.mask(cmp.swapped, text + " [first/last swapped]")
    joined = np.zeros(len(g), dtype=np.int8) if cmp.joined is None else cmp.joined
    sa, sb = (_title(v) for v in values["surname"])
    s = lv["surname"]
    text = pd.Series("surname identical", index=range(len(s)), dtype=object)
    text = text.mask((s == 2) | (s == 4), "surname " + _sim(cmp.surname_jw) + " " + sa + "~" + sb)
    text = text.mask(s == 3, "surname shares a part (" + sa + "~" + sb + ")")
    out["surname"] = text.mask(s == 5, "surname differs (" + sa + " vs " + sb + ")")
    for name, bit in (("given", 1), ("surname", 2)):
        out[name] = out[name].mask((joined & bit) > 0, out[name] + " [split name joined]")
    for name in ("email", "phone"):
        f = next(x for x in FIELDS if x.name == name)
        names = np.array(["", *f.levels], dtype=object)
        out[name] = pd.Series(name + " " + names[lv[name]], dtype=object)
    st = lv["street"]
    street = pd.Series("street identical", index=range(len(st)), dtype=object)
    street = street.mask((st == 2) | (st == 3), "street " + _sim(cmp.street_sim))
    street = street.mask(st == 4, "street differs").mask(st == 0, "")
    names = np.array(["", *(_LOCALITY_TEXT[k] for k in range(1, 5))], dtype=object)
    locality = pd.Series(names[lv["locality"]], dtype=object)
    both = (street != "") & (locality != "")
    # one scored field (address), described by its two parts: "street 0.93, postcode agrees"
    out["address"] = (street + np.where(both, ", ", "") + locality).astype(object)
    return out


def reasons(cmp: Compared, w: np.ndarray, values: dict[str, tuple[np.ndarray, np.ndarray]],
            rows: np.ndarray) -> list[str]:
    """Reasons line for the pairs at positions ``rows`` of ``cmp``; ``w`` (pairs x fields) and ``values``
    are already restricted to those rows."""
    if len(rows) == 0:
        return []
    sub = Compared(
        levels={k: v[rows] for k, v in cmp.levels.items()}, sub={k: v[rows] for k, v in cmp.sub.items()},
        swapped=cmp.swapped[rows],
        given_jw=cmp.given_jw[rows], surname_jw=cmp.surname_jw[rows], street_sim=cmp.street_sim[rows],
        pc_eq=cmp.pc_eq[rows], city_eq=cmp.city_eq[rows],
        joined=None if cmp.joined is None else cmp.joined[rows],
    )
    texts = field_texts(sub, values)
    wr = w
    tenths = np.round(wr * 10).astype(np.int64)
    inv, uniq = pd.factorize(tenths.ravel())
    fmt = np.array([f"{t / 10:+.1f}" for t in uniq], dtype=object)[inv].reshape(tenths.shape)
    present = np.stack([sub.levels[f.name] != 0 for f in FIELDS], axis=1)
    parts = np.empty(wr.shape, dtype=object)
    for c, f in enumerate(FIELDS):
        parts[:, c] = (texts[f.name] + " ").to_numpy(dtype=object) + fmt[:, c]
    order = np.argsort(-np.abs(wr), axis=1, kind="stable")
    out = []
    for r in range(len(rows)):
        out.append("; ".join(parts[r, c] for c in order[r] if present[r, c]))
    return out
