"""Why a pair needs care even when its score is good. Any conflict keeps a pair out of the high band.

Rules (each adds one clause to ``conflict``):

* the old contact fits several learners (two or more candidates with raw probability >= 0.5 that keep
  >= 0.05 after the at-most-one normalisation) - never silently assigned;
* the old contact's name looks like an organisation (cleanco legal form, "Pty Ltd", "P/L", "Trust", ...) -
  an employer or payer, not the learner;
* email (or phone) identical but the first names differ or are merely close (Oliver/Olivia) - a parent,
  sibling or payer sharing it;
* the email is used by several Wisenet contacts (siblings sharing one address) and the first names do not
  tell which one (an initial does when it is the only learner on that email with a name starting so);
* email, phone and address all present and all different - a namesake rather than the same person;
* the Wisenet contact was recognised only by a learner number in its name, not by its Contact Code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_FIT = 0.05


def _join(clauses: list[tuple[np.ndarray, pd.Series | str]], n: int) -> np.ndarray:
    out = pd.Series("", index=range(n), dtype=object)
    for mask, text in clauses:
        if not np.any(mask):
            continue
        add = text if isinstance(text, str) else text.reset_index(drop=True)
        joined = out.where(out == "", out + "; ") + add
        out = out.mask(pd.Series(mask), joined)
    return out.to_numpy(dtype=object)


def several_learners(raw: np.ndarray, score: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Per pair: how many learners its old contact fits (0 when this pair is not one of them)."""
    fits = (raw >= 0.5) & (score >= MIN_FIT)
    per_old = pd.Series(fits.astype(np.int64)).groupby(i).transform("sum").to_numpy()
    return np.where(fits & (per_old >= 2), per_old, 0)


def conflicts(levels: dict[str, np.ndarray], several: np.ndarray, i: np.ndarray,
              old: pd.DataFrame, wis: pd.DataFrame, j: np.ndarray,
              names: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Conflict text per pair ("" when none); all arrays are aligned on the same pairs."""
    n = len(i)
    if n == 0:
        return np.zeros(0, dtype=object)
    learners = pd.Series(wis["learner_number"].to_numpy(dtype=object)[j])
    several_text = pd.Series("", index=range(n), dtype=object)
    if (several > 0).any():
        flagged = several > 0
        lists = learners[flagged].groupby(i[flagged]).agg(lambda s: ", ".join(sorted(s)))
        several_text = ("old contact fits " + pd.Series(several).astype(str) + " learners ("
                        + pd.Series(i).map(lists).fillna("") + ")")
    company = old["company"].to_numpy(dtype=object)[i]
    differs_given = np.isin(levels["given"], (5, 6))  # close (Oliver/Olivia) or different
    given_agrees = np.isin(levels["given"], (1, 2, 3))
    who = ("(" + pd.Series(names[0], dtype=object).str.title() + " vs "
           + pd.Series(names[1], dtype=object).str.title() + ")")
    wis_email = wis["email"]
    email_users = wis_email[wis_email != ""].value_counts()
    n_users = wis_email.map(email_users).fillna(0).to_numpy()[j]
    # an initial tells the learners sharing an email apart when only one of them has a name starting with it
    email_initial = wis_email + "|" + wis["given"].str[:1]
    initial_users = email_initial.map(email_initial[wis_email != ""].value_counts()).fillna(0).to_numpy()[j]
    given_agrees |= (levels["given"] == 4) & (initial_users == 1)
    all_differ = (levels["email"] == 4) & (levels["phone"] == 2) & (
        (levels["street"] == 4) | (levels["locality"] == 4))
    by_name = wis["wisenet_by"].to_numpy(dtype=object)[j] == "name_token"
    return _join([
        (several > 0, several_text),
        (company != "", "old contact looks like an organisation (" + pd.Series(company, dtype=object) + ")"),
        ((levels["email"] == 1) & differs_given,
         "email shared by a different first name " + who + ": parent, sibling or payer?"),
        ((levels["phone"] == 1) & differs_given,
         "phone shared by a different first name " + who + ": parent, sibling or payer?"),
        ((levels["email"] == 1) & (n_users >= 2) & ~given_agrees,
         "email used by " + pd.Series(n_users.astype(np.int64)).astype(str) + " learners (shared address)"),
        (all_differ, "email, phone and address all differ (namesake?)"),
        (by_name, "Wisenet contact recognised by the learner number in its name only"),
    ], n)
