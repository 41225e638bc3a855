"""``find_duplicates``: the pairs frame (old ACTIVE contact x Wisenet ACTIVE contact).

Columns (``PAIR_COLUMNS``, in this order; strings are never NaN):

==================  ======  ==========================================================================
old_contact_id      str     the older, non-Wisenet contact (merged away)
wisenet_contact_id  str     the Wisenet-generated contact (kept)
learner_number      str     the Wisenet contact's learner number
score               float   calibrated probability 0..1 that both are the same person (> 0.5: more
                            likely than not); an old contact's candidates share one unit of probability
band                str     ``high`` (score >= 0.90, no conflict, corroborated by email, phone or
                            address - a name alone, or a name plus the same suburb but another
                            street and a different email or phone, never makes a high pair),
                            ``review`` (score >= 0.05 otherwise), ``low`` (score < 0.05)
reasons             str     fields that agreed/disagreed with their weights, strongest first
conflict            str     "" or why the pair needs care (see ``wxsync.match.conflicts``)
name_score          float   0..1 name similarity (first name and surname, nickname-aware, swap-aware)
first_name_match    str     identical | nickname | similar | initial | close | differs | missing
last_name_match     str     identical | similar | shares a part | close | differs | missing
email_match         str     identical | same local part | similar local part | differs | missing
phone_match         str     identical | differs | missing (E.164, AU default)
address_score       float   0..1 street similarity and postcode/suburb agreement (0 when missing)
street_match        str     identical | similar | close | differs | missing
locality_match      str     postcode and suburb | postcode | suburb | differs | missing
match_weight        float   total log2 odds (prior + all field weights) before the at-most-one step
old_name            str     display names, for the review table
wisenet_name        str
==================  ======  ==========================================================================

Rows are sorted by score (descending), then old_contact_id, wisenet_contact_id; the result does not
depend on the input row order. Candidate pairs scoring below ``min_score`` are dropped.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from wxsync.errors import InputError
from wxsync.frames import text_column
from wxsync.match.blocking import candidate_pairs
from wxsync.match.classify import REQUIRED_FOR_MATCHING, require_columns
from wxsync.match.compare import compare, encode
from wxsync.match.conflicts import conflicts, several_learners
from wxsync.match.explain import reasons
from wxsync.match.features import contact_features
from wxsync.match.scoring import (
    CORROBORATING,
    FIELD_INDEX,
    FIELDS,
    LOCALITY_LEVELS,
    STREET_LEVELS,
    estimate_u,
    exclusive_probability,
    fit,
    household_once,
    household_penalty,
    logit2,
    term_frequencies,
    tf_u,
)
from wxsync.match.scoring import weights as field_weights

PAIR_COLUMNS: tuple[str, ...] = (
    "old_contact_id", "wisenet_contact_id", "learner_number", "score", "band", "reasons", "conflict",
    "name_score", "first_name_match", "last_name_match", "email_match", "phone_match", "address_score",
    "street_match", "locality_match", "match_weight", "old_name", "wisenet_name",
)
FLOAT_COLUMNS = ("score", "name_score", "address_score", "match_weight")
#: ``high`` needs this score *and* no conflict *and* evidence besides the name. Chosen on generated orgs:
#: from 0.95 down to 0.90 no wrong pair entered the band (the corroboration and conflict rules carry the
#: precision there); lower, the stress case with concentrated names began to admit namesakes.
HIGH, REVIEW = 0.90, 0.05


def split_sides(classified: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(old, wisenet) ACTIVE contacts, sorted by contact_id, positional index, with features."""
    if "is_wisenet" not in classified.columns or "learner_number" not in classified.columns:
        raise InputError("find_duplicates needs a classified contacts frame (is_wisenet, learner_number).",
                         "Run wxsync.match.classify_contacts(contacts, learners) first and pass its result.")
    require_columns(classified, REQUIRED_FOR_MATCHING, "contacts")
    df = classified.copy()
    df.attrs = {}
    df["contact_id"] = df["contact_id"].astype(str)
    df = df.sort_values("contact_id", kind="stable").drop_duplicates("contact_id")
    active = df["status"].fillna("").astype(str).str.upper().eq("ACTIVE")
    if "merged_to_contact_id" in df.columns:
        active &= df["merged_to_contact_id"].fillna("").astype(str).eq("")
    is_w = df["is_wisenet"].fillna(False).astype(bool)
    old_c = df[active & ~is_w].reset_index(drop=True)
    wis_c = df[active & is_w].reset_index(drop=True)
    old_c["learner_number"] = ""
    old, wis = contact_features(old_c), contact_features(wis_c, company_check=False)
    for side, src in ((old, old_c), (wis, wis_c)):
        side["name_raw"] = text_column(src["name"])
        side["learner_number"] = text_column(src["learner_number"])
        side["wisenet_by"] = src.get("wisenet_by", pd.Series("", index=src.index)).fillna("").astype(str)
    return old, wis


def empty_pairs() -> pd.DataFrame:
    """A pairs frame with no rows and the contract dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=np.float64 if c in FLOAT_COLUMNS else object)
                         for c in PAIR_COLUMNS})


def _level_names(field_name: str, levels: np.ndarray) -> np.ndarray:
    f = next(x for x in FIELDS if x.name == field_name)
    return np.array(["missing", *f.levels], dtype=object)[levels]


def find_duplicates(classified: pd.DataFrame, *, min_score: float = 0.01, seed: int = 0) -> pd.DataFrame:
    """Candidate (old contact, Wisenet contact) pairs with calibrated scores, bands and reasons."""
    clock = _Clock()
    old, wis = split_sides(classified)
    clock.lap("features")
    i, j = candidate_pairs(old, wis)
    clock.lap("blocking")
    if len(i) == 0:
        return empty_pairs()
    enc = encode(old, wis)
    cmp = compare(old, wis, i, j, enc)
    clock.lap("compare")
    u = estimate_u(old, wis, seed=seed, enc=enc)
    tf = term_frequencies(old, wis, u)
    names = enc.vocab["given"]
    tfu = tf_u(cmp.levels, old, i, tf, {"given": names[cmp.given_codes[0]], "surname": names[cmp.surname_codes[0]]})
    clock.lap("u and term frequencies")
    model = fit(cmp, tfu, i, len(old), len(wis), u)
    clock.lap("em")
    w = field_weights(cmp.levels, model, tfu)
    x = logit2(model.prior) + w.sum(axis=1) - household_penalty(w, cmp.levels)
    raw = 1.0 / (1.0 + np.exp2(-x))
    score = exclusive_probability(x, i)
    several = several_learners(raw, score, i)
    keep = np.nonzero(score >= min_score)[0]
    n_candidates = len(i)
    i, j, x, score = i[keep], j[keep], x[keep], score[keep]
    w = household_once(w[keep], {k: v[keep] for k, v in cmp.levels.items()})
    values = {"given": (names[cmp.given_codes[0][keep]], names[cmp.given_codes[1][keep]]),
              "surname": (names[cmp.surname_codes[0][keep]], names[cmp.surname_codes[1][keep]])}
    lv = {k: v[keep] for k, v in {**cmp.levels, **cmp.sub}.items()}
    conflict = conflicts(lv, several[keep], i, old, wis, j, names=values["given"])
    corroborated = (w[:, [k for k, f in enumerate(FIELDS) if f.name in CORROBORATING]] > 0).any(axis=1)
    # the same suburb but another street, while email or phone disagree, is a neighbour as often as the
    # same person: not enough to tick without looking
    contact_cols = [FIELD_INDEX[f] for f in ("email", "phone")]
    locality_only = (w[:, FIELD_INDEX["address"]] > 0) & (lv["street"] == len(STREET_LEVELS))
    contrary = (w[:, contact_cols] < 0).any(axis=1) & ~(w[:, contact_cols] > 0).any(axis=1)
    corroborated &= ~(locality_only & contrary)
    band = np.where((score >= HIGH) & (conflict == "") & corroborated, "high",
                    np.where(score >= REVIEW, "review", "low")).astype(object)
    out = pd.DataFrame({
        "old_contact_id": old["contact_id"].to_numpy(dtype=object)[i],
        "wisenet_contact_id": wis["contact_id"].to_numpy(dtype=object)[j],
        "learner_number": wis["learner_number"].to_numpy(dtype=object)[j],
        "score": np.round(score, 6),
        "band": band,
        "reasons": np.array(reasons(cmp, w, values, keep), dtype=object),
        "conflict": conflict,
        "name_score": np.round(_name_score(lv, cmp.given_jw[keep], cmp.surname_jw[keep]), 3),
        "first_name_match": _level_names("given", lv["given"]),
        "last_name_match": _level_names("surname", lv["surname"]),
        "email_match": _level_names("email", lv["email"]),
        "phone_match": _level_names("phone", lv["phone"]),
        "address_score": np.round(_address_score(lv, cmp.street_sim[keep]), 3),
        "street_match": np.array(["missing", *STREET_LEVELS], dtype=object)[lv["street"]],
        "locality_match": np.array(["missing", *LOCALITY_LEVELS], dtype=object)[lv["locality"]],
        "match_weight": np.round(x, 2),
        "old_name": old["name_raw"].to_numpy(dtype=object)[i],
        "wisenet_name": wis["name_raw"].to_numpy(dtype=object)[j],
    }, columns=list(PAIR_COLUMNS))
    clock.lap("explain")
    out = out.sort_values(["score", "old_contact_id", "wisenet_contact_id"], ascending=[False, True, True],
                          kind="stable").reset_index(drop=True)
    clock.lap("sort")
    out.attrs["model"] = model.log
    out.attrs["timings"] = clock.laps
    out.attrs["candidates"] = int(n_candidates)
    return out


class _Clock:
    """Wall time per phase, reported in ``attrs["timings"]`` (seconds)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._t, 3)
        self._t = now


def _name_score(lv: dict[str, np.ndarray], gjw: np.ndarray, sjw: np.ndarray) -> np.ndarray:
    g, s = lv["given"], lv["surname"]
    sg = np.select([g == 1, g == 2, g == 4], [1.0, 0.95, 0.8], default=gjw)
    ss = np.select([s == 1, s == 3], [1.0, 0.9], default=sjw)
    num = np.where(g != 0, sg, 0.0) + np.where(s != 0, ss, 0.0)
    den = (g != 0).astype(int) + (s != 0).astype(int)
    return np.where(den > 0, num / np.maximum(den, 1), 0.0)


def _address_score(lv: dict[str, np.ndarray], street_sim: np.ndarray) -> np.ndarray:
    st, loc = lv["street"], lv["locality"]
    loc_sim = np.array([0.0, 1.0, 0.75, 0.5, 0.0])[loc]
    st_sim = np.where(st == 1, 1.0, street_sim)
    num = np.where(st != 0, st_sim, 0.0) + np.where(loc != 0, loc_sim, 0.0)
    den = (st != 0).astype(int) + (loc != 0).astype(int)
    return np.where(den > 0, num / np.maximum(den, 1), 0.0)
