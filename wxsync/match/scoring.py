"""Fellegi-Sunter scoring: per-field match weights log2(m/u), a prior, a calibrated probability.

Everything is estimated per run from the organisation's own data, so nothing is tuned to one data set:

* ``u`` (chance a level occurs for two *different* people) from comparing random old x Wisenet pairs,
  smoothed towards generic defaults so tiny inputs stay sane; exact agreement on a name, email, phone or
  street uses the value's term frequency instead (agreeing on "Smith" or on a family email counts for
  less than agreeing on "Vanstone").
* ``m`` (chance a level occurs for the *same* person) and the prior by a few rounds of expectation
  maximisation over the candidate pairs, anchored by Dirichlet pseudo-counts on documented priors.
* An old contact is one person, so it matches at most one Wisenet contact: its candidates' odds are
  normalised together (``p_k = o_k / (1 + sum o)``). Two equally good learners therefore both stay at or
  below 0.5; the conflict module flags them.

A missing value on either side is level 0 and weighs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wxsync.match.compare import Compared, Encoded, compare

STREET_LEVELS = ("identical", "similar", "close", "differs")
LOCALITY_LEVELS = ("postcode and suburb", "postcode", "suburb", "differs")


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
    Field("street", "street", STREET_LEVELS,
          m=(0.60, 0.10, 0.05, 0.25), u=(1e-4, 5e-4, 5e-3, 0.9944), tf="street"),
    Field("locality", "postcode/suburb", LOCALITY_LEVELS,
          m=(0.65, 0.08, 0.05, 0.22), u=(0.005, 0.003, 0.003, 0.989)),
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
    return out


def term_frequencies(old: pd.DataFrame, wis: pd.DataFrame, u: dict[str, np.ndarray]) -> dict[str, pd.Series]:
    """Smoothed share of records holding each value, pooled over both sides, per TF field."""
    out = {}
    for f in FIELDS:
        if f.tf is None:
            continue
        values = pd.concat([old[f.tf], wis[f.tf]], ignore_index=True)
        values = values[values != ""]
        counts = values.value_counts()
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


HOUSEHOLD = ("surname", "email", "phone", "street", "locality")
CORROBORATING = ("email", "phone", "street", "locality")
_GIVEN_CLOSE, _GIVEN_DIFFERS = 5, 6
_SURNAME_AGREES = (1, 2, 3)          # identical, similar, shares a part
_STREET_AGREES = (1, 2)              # identical, similar

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


def _moved(levels: dict[str, np.ndarray]) -> np.ndarray:
    return (levels["street"] == len(FIELD_BY_NAME["street"].levels)) & (
        levels["locality"] == len(FIELD_BY_NAME["locality"].levels))


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
    """Count correlated evidence once (Fellegi-Sunter assumes the fields independent; these are not).

    * Address: the street line and the postcode/suburb describe one place. Moving house changes both
      together, so when both differ only the stronger negative weight counts. (Counting only the stronger
      of two *agreeing* address weights was measured too and lost FEBRL4 recall: the suburb does add
      information to a street line, since street names repeat across suburbs.)
    * Household: a parent, sibling or payer shares surname, email, phone and address with the learner.
      For two *different* first names that share an email or a phone, or that start with different
      letters and share the surname and the address while each has an email or phone of their own that
      differs, these agreements are one fact ("same household"), not independent evidence: only the
      strongest positive household weight counts. When the first names are merely close
      (Oliver/Olivia) and share an email or phone, the surname still counts on its own.
    Returns a corrected copy.
    """
    out = w.copy()
    st, loc = FIELD_INDEX["street"], FIELD_INDEX["locality"]
    _keep_strongest(out, np.nonzero(_moved(levels))[0], [st, loc], -1)
    all_cols, contact_cols = _household_columns()
    for rows, use in _household_rows(levels, all_cols, contact_cols):
        _keep_strongest(out, rows, use, +1)
    return out


def household_rows(levels: dict[str, np.ndarray]) -> list[tuple[np.ndarray, list[int]]]:
    """The pair rows (and columns) :func:`household_penalty` corrects; compute once, reuse per EM round."""
    st, loc = FIELD_INDEX["street"], FIELD_INDEX["locality"]
    all_cols, contact_cols = _household_columns()
    return [(np.nonzero(_moved(levels))[0], [st, loc]), *_household_rows(levels, all_cols, contact_cols)]


def household_penalty(w: np.ndarray, levels: dict[str, np.ndarray],
                      rows: list[tuple[np.ndarray, list[int]]] | None = None) -> np.ndarray:
    """Weight to subtract per pair so that correlated evidence counts once (the row sums of
    ``w - household_once(w, levels)``, computed without building the corrected matrix). ``rows`` is
    :func:`household_rows` ``(levels)``, when already known."""
    pen = np.zeros(len(w))
    (moved, (st, loc)), *household = rows if rows is not None else household_rows(levels)
    pen[moved] = np.maximum(w[moved, st], w[moved, loc])  # both negative: keep only the stronger one
    for r, use in household:
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
