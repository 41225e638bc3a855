"""Fellegi-Sunter scoring: per-field match weights log2(m/u), a prior, a calibrated probability.

Everything is estimated per run from the organisation's own data, so nothing is tuned to one data set:

* ``u`` (chance a level occurs for two *different* people) from comparing random old x Wisenet pairs,
  smoothed towards generic defaults so tiny inputs stay sane; exact agreement on a name, email, phone or
  street uses the value's term frequency instead (agreeing on "Smith" or on a family email counts for
  less than agreeing on "Vanstone").
* ``m`` (chance a level occurs for the *same* person) and the prior by a few rounds of expectation
  maximisation over the candidate pairs, anchored by Dirichlet pseudo-counts on documented priors.
* The street line and the postcode/suburb are ONE field, ``address``, whose levels are the joint states of
  the two (same street + same postcode and suburb, other street + same suburb, ...), because the two are not
  independent: counting a street and its suburb as two agreements double counts wherever a street line pins
  down the suburb. The rare joint levels with an agreeing street get u = u(street) x P(locality | street,
  different people), the latter measured on Wisenet contacts sharing a street (:func:`locality_given_street`).
* An old contact is one person, so it matches at most one Wisenet contact: its candidates' odds are
  normalised together (``p_k = o_k / (1 + sum o)``). Two equally good learners therefore both stay at or
  below 0.5; the conflict module flags them.

A missing value on either side is level 0 and weighs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wxsync.match.compare import (
    Compared,
    Encoded,
    compare,
    locality_levels,
    locality_state,
    street_level,
    street_levels,
)

STREET_LEVELS = ("identical", "similar", "close", "differs")
LOCALITY_LEVELS = ("postcode and suburb", "postcode", "suburb", "differs")
#: The scored address comparison: the street line and the postcode/suburb as ONE field, so that living in
#: the same suburb is not counted a second time on top of the same street (nor the same suburb as evidence
#: next to a street that differs). Levels are joint states of the two sub-comparisons; EM fits their m.
STREET_U = (1e-4, 5e-4, 5e-3, 0.9944)   # generic u of the street sub-levels (identical, similar, close, differs)
ADDRESS_LEVELS = tuple(f"{st}, {loc}" for st in ("same street", "street close", "no street", "other street")
                       for loc in ("same postcode and suburb", "same postcode or suburb", "no locality",
                                   "other locality"))
ADDRESS_LEVELS = tuple(x for x in ADDRESS_LEVELS if x != "no street, no locality")


@dataclass(frozen=True)
class Field:
    """One compared field: level names (level 1..n), prior m, generic u, term-frequency column."""

    name: str
    label: str
    levels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]
    tf: str | None = None


FIELDS: tuple[Field, ...] = (
    Field("given", "first name", ("identical", "nickname", "similar", "initial", "close", "differs"),
          m=(0.86, 0.04, 0.04, 0.02, 0.02, 0.02), u=(0.01, 0.002, 0.003, 0.02, 0.03, 0.935), tf="given"),
    Field("surname", "surname", ("identical", "similar", "shares a part", "close", "differs"),
          m=(0.88, 0.04, 0.03, 0.015, 0.035), u=(0.002, 0.001, 0.0005, 0.01, 0.9865), tf="surname"),
    Field("email", "email", ("identical", "same local part", "similar local part", "differs"),
          m=(0.60, 0.08, 0.05, 0.27), u=(1e-5, 1e-4, 1e-3, 0.99889), tf="email"),
    Field("phone", "phone", ("identical", "differs"), m=(0.65, 0.35), u=(1e-5, 0.99999), tf="phone"),
    Field("address", "address", ADDRESS_LEVELS,
          m=(0.50, 0.04, 0.05, 0.02, 0.02, 0.01, 0.01, 0.01, 0.05, 0.01, 0.01, 0.03, 0.02, 0.03, 0.19),
          u=(1e-5, 2e-5, 1e-5, 6e-5, 1e-5, 3e-5, 1e-4, 3e-3, 5e-4, 5e-4, 0.05, 5e-3, 5e-3, 0.1, 0.83583),
          tf="street"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
FIELD_INDEX = {f.name: k for k, f in enumerate(FIELDS)}

U_SAMPLE = 40_000       # random pairs compared to estimate u
U_PSEUDO = 1_000.0      # pseudo-pairs pulling u towards the generic defaults
TF_PSEUDO = 10.0        # pseudo-records pulling a value's frequency towards the field's average
M_PSEUDO = 50.0         # pseudo-matches pulling m towards its prior
RATE_PRIOR, RATE_PSEUDO = 0.3, 10.0   # prior Wisenet matches per old contact, and its weight
EM_ROUNDS = 8


@dataclass
class Model:
    """Fitted parameters. ``m``/``u`` are arrays indexed by level (index 0 unused)."""

    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    prior: float
    tf: dict[str, pd.Series] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def _with_zero(values: tuple[float, ...] | np.ndarray) -> np.ndarray:
    return np.concatenate([[np.nan], np.asarray(values, dtype=np.float64)])


MAX_GROUP, MAX_DEPENDENCE_PAIRS = 30, 50_000


def _pairs_within(keys: pd.Series, exclude: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (a < b) sharing a non-empty key (at most ``MAX_GROUP`` rows per key, first rows first),
    optionally not sharing ``exclude``."""
    frame = pd.DataFrame({"key": keys.to_numpy(dtype=object), "row": np.arange(len(keys))})
    frame = frame[frame["key"] != ""]
    frame = frame[frame.groupby("key").cumcount() < MAX_GROUP]
    pairs = frame.merge(frame, on="key")
    pairs = pairs[pairs["row_x"] < pairs["row_y"]]
    a, b = pairs["row_x"].to_numpy(), pairs["row_y"].to_numpy()
    if exclude is not None:
        ex = exclude.to_numpy(dtype=object)
        keep = (ex[a] != ex[b]) | (ex[a] == "")
        a, b = a[keep], b[keep]
    if len(a) > MAX_DEPENDENCE_PAIRS:
        pick = np.random.default_rng(0).choice(len(a), MAX_DEPENDENCE_PAIRS, replace=False)
        a, b = a[pick], b[pick]
    return a, b


def _locality_states(wis: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    pc, _ = pd.factorize(pd.concat([pd.Series([""]), wis["postcode"]], ignore_index=True))
    city, city_vocab = pd.factorize(pd.concat([pd.Series([""]), wis["city"]], ignore_index=True))
    pc, city = pc[1:], city[1:]
    level, _, _ = locality_levels(pc[a], pc[b], city[a], city[b], np.asarray(city_vocab, dtype=object))
    return locality_state(level)


def locality_given_street(wis: pd.DataFrame, marginal: np.ndarray) -> np.ndarray:
    """P(locality state | street state, different people) for the street states "agrees" and "close" (rows),
    over the locality states (postcode and suburb, postcode or suburb, missing, differs).

    Measured on pairs of Wisenet contacts (distinct learners) on the same street line, and on the same street
    name with another line; shrunk towards ``marginal`` (the locality states of random pairs, i.e.
    independence) with the weight of one expected same-locality pair. Where a street line pins down the place
    (real addresses) the locality then agrees nearly always and adds little on top of the street; where street
    and suburb vary independently it stays rare and remains extra evidence."""
    out = np.tile(marginal, (2, 1))
    strength = 1.0 / max(marginal[0], 1e-6)
    same_line = _pairs_within(wis["street"])
    same_name = _pairs_within(wis["street_word"], exclude=wis["street"])
    for row, (a, b) in enumerate((same_line, same_name)):
        if row == 1 and len(a):   # keep the pairs the street comparison calls close
            exact, sim = street_levels(wis["street"].to_numpy(dtype=object)[a], wis["street"].to_numpy(dtype=object)[b])
            no = wis["street_no"].to_numpy(dtype=object)
            st = street_level(exact, sim, np.zeros(len(a), dtype=bool), (no[a] != "") & (no[b] != "") & (no[a] != no[b]))
            a, b = a[st == 3], b[st == 3]
        counts = np.bincount(_locality_states(wis, a, b), minlength=4).astype(np.float64) if len(a) else np.zeros(4)
        out[row] = (counts + strength * marginal) / (counts.sum() + strength)
    return out


def _address_u(levels: dict[str, np.ndarray], u: np.ndarray, wis: pd.DataFrame) -> tuple[np.ndarray, float]:
    """u of the joint address levels with a street that agrees or is close (random pairs almost never reach
    them): the street's own u times how often the locality then agrees for different people. Returns the
    new u and P(same postcode and suburb | same street line, different people) (for the term frequencies)."""
    street = np.bincount(levels["street"], minlength=5)[1:].astype(np.float64)
    street = (street + U_PSEUDO * np.asarray(STREET_U)) / (street.sum() + U_PSEUDO)
    loc = np.bincount(locality_state(levels["locality"]), minlength=4).astype(np.float64)
    cond = locality_given_street(wis, (loc + 1.0) / (loc.sum() + 4.0))
    out = u.copy()
    out[1:5] = (street[0] + street[1]) * cond[0]
    out[5:9] = street[2] * cond[1]
    out[-1] = 0.0
    out[-1] = max(1.0 - out[1:].sum(), 1e-6)
    out[1:] /= out[1:].sum()
    return out, float(cond[0, 0])


def estimate_u(old: pd.DataFrame, wis: pd.DataFrame, seed: int = 0,
               enc: Encoded | None = None) -> dict[str, np.ndarray]:
    """u per level from random old x Wisenet pairs (all pairs when there are few)."""
    n_o, n_w = len(old), len(wis)
    if n_o * n_w <= U_SAMPLE:
        i, j = np.divmod(np.arange(n_o * n_w, dtype=np.int64), n_w)
    else:
        rng = np.random.default_rng(seed)
        i, j = rng.integers(0, n_o, U_SAMPLE), rng.integers(0, n_w, U_SAMPLE)
    levels = compare(old, wis, i, j, enc).levels
    out = {}
    for f in FIELDS:
        counts = np.bincount(levels[f.name], minlength=len(f.levels) + 1)[1:].astype(np.float64)
        u = (counts + U_PSEUDO * np.asarray(f.u)) / (counts.sum() + U_PSEUDO)
        out[f.name] = _with_zero(u)
    out["address"], same_line = _address_u(levels, out["address"], wis)
    out["_same_line_locality"] = np.array([same_line])   # read by term_frequencies
    return out


def term_frequencies(old: pd.DataFrame, wis: pd.DataFrame, u: dict[str, np.ndarray]) -> dict[str, pd.Series]:
    """Smoothed share of records holding each value, pooled over both sides, per TF field. For the address
    (same street and locality) the street line's share times how often different people on one street
    line share the postcode and suburb too (:func:`locality_given_street`)."""
    out = {}
    for f in FIELDS:
        if f.tf is None:
            continue
        values = pd.concat([old[f.tf], wis[f.tf]], ignore_index=True)
        values = values[values != ""]
        counts = values.value_counts()
        if f.name == "address":
            same_line = float(u["_same_line_locality"][0])
            out[f.name] = (counts + TF_PSEUDO * u[f.name][1] / same_line) / (len(values) + TF_PSEUDO) * same_line
        else:
            out[f.name] = (counts + TF_PSEUDO * u[f.name][1]) / (len(values) + TF_PSEUDO)
    return out


def tf_u(cmp_levels: dict[str, np.ndarray], old: pd.DataFrame, i: np.ndarray,
         tf: dict[str, pd.Series],
         compared: dict[str, np.ndarray] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per field: (pair positions with exact agreement, log2 of their term-frequency u).

    ``compared[field]`` (optional) holds the old side's value as compared, per pair, where it is not simply
    the old contact's column (names compared crosswise or run together)."""
    out = {}
    compared = compared or {}
    for f in FIELDS:
        if f.tf is None or f.name not in tf:
            continue
        rows = np.nonzero(cmp_levels[f.name] == 1)[0]
        # both sides hold the same value, so read the old side
        held = compared[f.name][rows] if f.name in compared else old[f.tf].to_numpy(dtype=object)[i[rows]]
        v = pd.Series(held, dtype=object).map(tf[f.name]).to_numpy(dtype=np.float64)
        known = ~np.isnan(v)
        out[f.name] = (rows[known], np.log2(np.maximum(v[known], 1e-9)))
    return out


def weights(levels: dict[str, np.ndarray], model: Model,
            tfu: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Match weight log2(m/u) per pair (rows) and field (columns, in FIELDS order); 0 when missing."""
    n = len(next(iter(levels.values()))) if levels else 0
    out = np.empty((len(FIELDS), n))  # one contiguous row per field; returned transposed (pairs x fields)
    for c, f in enumerate(FIELDS):
        m, u = model.m[f.name], model.u[f.name]
        table = np.log2(m / u)
        table[0] = 0.0
        np.take(table, levels[f.name], out=out[c])
        if f.name in tfu:
            rows, log_u = tfu[f.name]
            out[c, rows] = np.log2(m[1]) - log_u
    return out.T


HOUSEHOLD = ("surname", "email", "phone", "address")
CORROBORATING = ("email", "phone", "address")
_GIVEN_CLOSE, _GIVEN_DIFFERS = 5, 6
_SURNAME_AGREES = (1, 2, 3)          # identical, similar, shares a part
_STREET_AGREES = (1, 2)              # identical, similar (street sub-level)

#: Switches for the dependence corrections (benchmarks flip them to measure each one).
CORRECTIONS = {"household_without_contact": True}


def _household_columns() -> tuple[list[int], list[int]]:
    cols = [k for k, f in enumerate(FIELDS) if f.name in HOUSEHOLD]
    return cols, [k for k in cols if FIELDS[k].name != "surname"]


def _shares_contact_point(levels: dict[str, np.ndarray]) -> np.ndarray:
    return (levels["email"] == 1) | (levels["phone"] == 1)


def _own_contact_points(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Both sides hold an email or a phone, and none of them agree."""
    differs = (levels["email"] == len(FIELD_BY_NAME["email"].levels)) | (
        levels["phone"] == len(FIELD_BY_NAME["phone"].levels))
    return differs & ~_shares_contact_point(levels) & ~np.isin(levels["email"], (2, 3))


def _lives_together(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Same surname and the same street (or postcode and suburb)."""
    return np.isin(levels["surname"], _SURNAME_AGREES) & (
        np.isin(levels["street"], _STREET_AGREES) | (levels["locality"] == 1))


def _keep_strongest(out: np.ndarray, rows: np.ndarray, use: list[int], sign: int) -> None:
    """In ``rows``, keep only the strongest weight of sign ``sign`` among columns ``use`` (in place)."""
    if len(rows) == 0:
        return
    sub = out[np.ix_(rows, use)]
    signed = np.clip(sign * sub, 0, None)
    best = signed.argmax(axis=1)
    keep = np.zeros_like(sub, dtype=bool)
    keep[np.arange(len(rows)), best] = True
    out[np.ix_(rows, use)] = np.where((signed > 0) & ~keep, 0.0, sub)


def _household_rows(levels: dict[str, np.ndarray], all_cols: list[int],
                    contact_cols: list[int]) -> list[tuple[np.ndarray, list[int]]]:
    """(pair rows, household columns that count once there): different first names that share an email or
    phone, or the surname and address while their own email/phone differ; close first names that share an
    email or phone (then the surname still counts on its own)."""
    shared = _shares_contact_point(levels)
    family = shared
    if CORRECTIONS["household_without_contact"]:
        family = shared | (_lives_together(levels) & _own_contact_points(levels)
                           & levels.get("given_initial_differs", np.True_))
    given = levels["given"]
    return [(np.nonzero((given == _GIVEN_DIFFERS) & family)[0], all_cols),
            (np.nonzero((given == _GIVEN_CLOSE) & shared)[0], contact_cols)]


def household_once(w: np.ndarray, levels: dict[str, np.ndarray]) -> np.ndarray:
    """Count correlated household evidence once (Fellegi-Sunter assumes the fields independent; these are
    not). A parent, sibling or payer shares surname, email, phone and address with the learner. For two
    *different* first names that share an email or a phone, or that start with different letters and share
    the surname and the address while each has an email or phone of their own that differs, these
    agreements are one fact ("same household"), not independent evidence: only the strongest positive
    household weight counts. When the first names are merely close (Oliver/Olivia) and share an email or
    phone, the surname still counts on its own. (The street and the postcode/suburb are one field,
    ``address``, so they need no correction of their own.) Returns a corrected copy.
    """
    out = w.copy()
    all_cols, contact_cols = _household_columns()
    for rows, use in _household_rows(levels, all_cols, contact_cols):
        _keep_strongest(out, rows, use, +1)
    return out


def household_rows(levels: dict[str, np.ndarray]) -> list[tuple[np.ndarray, list[int]]]:
    """The pair rows (and columns) :func:`household_penalty` corrects; compute once, reuse per EM round."""
    all_cols, contact_cols = _household_columns()
    return _household_rows(levels, all_cols, contact_cols)


def household_penalty(w: np.ndarray, levels: dict[str, np.ndarray],
                      rows: list[tuple[np.ndarray, list[int]]] | None = None) -> np.ndarray:
    """Weight to subtract per pair so that correlated evidence counts once (the row sums of
    ``w - household_once(w, levels)``, computed without building the corrected matrix). ``rows`` is
    :func:`household_rows` ``(levels)``, when already known."""
    pen = np.zeros(len(w))
    for r, use in rows if rows is not None else household_rows(levels):
        if len(r):
            pos = np.clip(w[np.ix_(r, use)], 0, None)
            pen[r] += pos.sum(axis=1) - pos.max(axis=1)
    return pen


def logit2(p: float) -> float:
    return float(np.log2(p) - np.log2(1.0 - p))


def exclusive_probability(x: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Posterior when each group (old contact) matches at most one candidate; x = log2 odds, groups sorted."""
    if len(x) == 0:
        return np.zeros(0)
    starts = np.r_[0, np.nonzero(np.diff(group))[0] + 1]
    sizes = np.diff(np.r_[starts, len(x)])
    top = np.maximum(np.maximum.reduceat(x, starts), 0.0)
    top_rep = np.repeat(top, sizes)
    e = np.exp2(x - top_rep)
    denom = np.exp2(-top) + np.add.reduceat(e, starts)
    return e / np.repeat(denom, sizes)


def _restrict_tf(tfu: dict[str, tuple[np.ndarray, np.ndarray]], live: np.ndarray,
                n_all: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    new_pos = np.full(n_all, -1, dtype=np.int64)
    new_pos[live] = np.arange(len(live))
    out = {}
    for name, (rows, log_u) in tfu.items():
        keep = new_pos[rows] >= 0
        out[name] = (new_pos[rows[keep]], log_u[keep])
    return out


def fit(cmp: Compared, tfu: dict[str, tuple[np.ndarray, np.ndarray]], group: np.ndarray, n_old: int, n_wis: int,
        u: dict[str, np.ndarray]) -> Model:
    """Estimate m and the prior by EM over the candidate pairs, u fixed."""
    model = Model(m={f.name: _with_zero(f.m) for f in FIELDS}, u=u,
                  prior=min(0.5, RATE_PRIOR / max(n_wis, 1)))
    previous = -1.0
    levels, n_all = cmp.levels, len(group)
    for rnd in range(EM_ROUNDS):
        w = weights(levels, model, tfu)
        if rnd <= 1:
            rows = household_rows(levels)   # again after the levels are restricted in round 0
        x = logit2(model.prior) + w.sum(axis=1) - household_penalty(w, levels, rows)
        p = exclusive_probability(x, group)
        if rnd == 0 and n_all > 50_000:
            # pairs the model gives less than 1e-6 contribute nothing to the counts: drop them for speed
            live = np.nonzero(x > -20.0)[0]
            levels = {k: v[live] for k, v in levels.items()}
            tfu = _restrict_tf(tfu, live, n_all)
            group, x, p = group[live], x[live], p[live]
        expected = float(p.sum())
        if abs(expected - previous) <= 1e-3 * max(expected, 1.0):
            break
        previous = expected
        for f in FIELDS:
            counts = np.bincount(levels[f.name], weights=p, minlength=len(f.levels) + 1)[1:]
            m = (counts + M_PSEUDO * np.asarray(f.m)) / (counts.sum() + M_PSEUDO)
            model.m[f.name] = _with_zero(m)
        rate = (p.sum() + RATE_PRIOR * RATE_PSEUDO) / (n_old + RATE_PSEUDO)
        model.prior = float(min(0.5, max(rate / max(n_wis, 1), 1e-12)))
        model.log.append(f"round {rnd + 1}: expected matches {p.sum():.1f}, prior {model.prior:.3g}")
    return model
