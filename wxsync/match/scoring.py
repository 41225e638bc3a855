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
         tf: dict[str, pd.Series]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per field: (pair positions with exact agreement, log2 of their term-frequency u)."""
    out = {}
    for f in FIELDS:
        if f.tf is None or f.name not in tf:
            continue
        rows = np.nonzero(cmp_levels[f.name] == 1)[0]
        # both sides hold the same value (also for crosswise-swapped names), so read the old side
        v = pd.Series(old[f.tf].to_numpy(dtype=object)[i[rows]]).map(tf[f.name]).to_numpy(dtype=np.float64)
        known = ~np.isnan(v)
        out[f.name] = (rows[known], np.log2(np.maximum(v[known], 1e-9)))
    return out


def weights(levels: dict[str, np.ndarray], model: Model,
            tfu: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Match weight log2(m/u) per pair (rows) and field (columns, in FIELDS order); 0 when missing."""
    n = len(next(iter(levels.values()))) if levels else 0
    out = np.zeros((n, len(FIELDS)))
    for c, f in enumerate(FIELDS):
        lv = levels[f.name]
        m, u = model.m[f.name], model.u[f.name]
        table = np.log2(m / u)
        table[0] = 0.0
        w = table[lv]
        if f.name in tfu:
            rows, log_u = tfu[f.name]
            w[rows] = np.log2(m[1]) - log_u
        out[:, c] = w
    return out


HOUSEHOLD = ("surname", "email", "phone", "street", "locality")
CORROBORATING = ("email", "phone", "street", "locality")
_GIVEN_CLOSE, _GIVEN_DIFFERS = 5, 6


def _household_columns() -> tuple[list[int], list[int]]:
    cols = [k for k, f in enumerate(FIELDS) if f.name in HOUSEHOLD]
    return cols, [k for k in cols if FIELDS[k].name != "surname"]


def _shares_contact_point(levels: dict[str, np.ndarray]) -> np.ndarray:
    return (levels["email"] == 1) | (levels["phone"] == 1)


def _moved(levels: dict[str, np.ndarray]) -> np.ndarray:
    return (levels["street"] == len(FIELD_BY_NAME["street"].levels)) & (
        levels["locality"] == len(FIELD_BY_NAME["locality"].levels))


def household_penalty(w: np.ndarray, levels: dict[str, np.ndarray]) -> np.ndarray:
    """Weight to subtract per pair so that household evidence counts once (see :func:`household_once`)."""
    st, loc = FIELD_INDEX["street"], FIELD_INDEX["locality"]
    moved = np.nonzero(_moved(levels))[0]
    pen = np.zeros(len(w))
    pen[moved] = np.maximum(w[moved, st], w[moved, loc])  # both negative: keep only the stronger one
    all_cols, contact_cols = _household_columns()
    shared = _shares_contact_point(levels)
    for level, use in ((_GIVEN_DIFFERS, all_cols), (_GIVEN_CLOSE, contact_cols)):
        rows = np.nonzero((levels["given"] == level) & shared)[0]
        if len(rows):
            pos = np.clip(w[rows][:, use], 0, None)
            pen[rows] = pos.sum(axis=1) - pos.max(axis=1)
    return pen


def household_once(w: np.ndarray, levels: dict[str, np.ndarray]) -> np.ndarray:
    """Count correlated evidence once.

    Moving house changes the street and the postcode/suburb together, so when both differ only the
    stronger of the two negative weights counts.

    A parent, sibling or payer shares surname, email, phone and address with the learner; for two
    different first names that share an email or a phone these agreements are one fact ("same household"),
    not independent evidence. So then only the strongest positive household weight counts (when the first
    names are merely close - Oliver/Olivia - the surname still counts on its own). Without a shared email or
    phone nothing changes: a typo-ridden first name at the same address is still mostly the same person.
    Returns a corrected copy.
    """
    out = w.copy()
    st, loc = FIELD_INDEX["street"], FIELD_INDEX["locality"]
    moved = np.nonzero(_moved(levels))[0]
    weaker = np.where(w[moved, st] >= w[moved, loc], st, loc)
    out[moved, weaker] = 0.0
    all_cols, contact_cols = _household_columns()
    shared = _shares_contact_point(levels)
    for level, use in ((_GIVEN_DIFFERS, all_cols), (_GIVEN_CLOSE, contact_cols)):
        rows = np.nonzero((levels["given"] == level) & shared)[0]
        if len(rows) == 0:
            continue
        sub = out[rows][:, use]
        best = np.clip(sub, 0, None).argmax(axis=1)
        keep = np.zeros_like(sub, dtype=bool)
        keep[np.arange(len(rows)), best] = True
        sub = np.where((sub > 0) & ~keep, 0.0, sub)
        for k, col in enumerate(use):
            out[rows, col] = sub[:, k]
    return out


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
        x = logit2(model.prior) + w.sum(axis=1) - household_penalty(w, levels)
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
