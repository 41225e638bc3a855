"""Second-round matcher changes: house numbers, names split by a stray space, household evidence counted
once, legal forms only after a name, blocking on suburb + house number, per-kind blocking budgets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from match_builders import classified, contact, wisenet

from wxsync.match import find_duplicates
from wxsync.match.blocking import KEYS, candidate_pairs
from wxsync.match.features import _street_no, _street_word, _without_unit_word, contact_features
from wxsync.match.normalize import looks_like_company
from wxsync.match.scoring import FIELDS, household_once, household_penalty


def pair(pairs: pd.DataFrame, old_id: str, wis_id: str) -> pd.Series:
    hit = pairs[(pairs["old_contact_id"] == old_id) & (pairs["wisenet_contact_id"] == wis_id)]
    assert len(hit) == 1, f"no pair {old_id} -> {wis_id}"
    return hit.iloc[0]


@pytest.mark.parametrize(("street", "number", "word"), [
    ("u 20 208 church rd", "208", "church"),
    ("20 208 church rd", "208", "church"),
    ("208 church rd", "208", "church"),
    ("lot 5 smith rd", "5", "smith"),
    ("12a smith st", "12a", "smith"),
    ("po box 12", "", ""),
    ("", "", ""),
])
def test_house_number_and_street_word(street, number, word):
    assert _street_no(street) == number
    assert _street_word(street) == word


def test_leading_unit_word_is_dropped_only_before_a_number():
    assert _without_unit_word("u 20 208 church rd") == "20 208 church rd"
    assert _without_unit_word("unit st") == "unit st"
    assert _without_unit_word("12 smith st") == "12 smith st"


def test_unit_prefix_does_not_break_the_address_match():
    rows = [wisenet("w1", "Harriet", "Quill", "L501", address_line1="Unit 20, 208 Church Rd", city="Frankston",
                    postcode="3199"),
            contact("o1", "Harriet Quill", address_line1="20/208 Church Road", city="Frankston", postcode="3199")]
    row = pair(find_duplicates(classified(rows)), "o1", "w1")
    assert row["street_match"] == "identical"


@pytest.mark.parametrize(("old_name", "field", "expected"), [
    ("Ly Dia Mcglinn", "first_name_match", "identical"),     # given name split
    ("Lydia Mcgl Inn", "last_name_match", "identical"),      # surname split
])
def test_names_split_by_a_stray_space_are_run_together(old_name, field, expected):
    rows = [wisenet("w1", "Lydia", "Mcglinn", "L502", address_line1="9 Banksia Cres", city="Tolga",
                    postcode="4882"),
            contact("o1", old_name, address_line1="9 Banksia Cres", city="Tolga", postcode="4882")]
    row = pair(find_duplicates(classified(rows)), "o1", "w1")
    assert row[field] == expected
    assert "[split name joined]" in row["reasons"]
    assert row["score"] > 0.95


def test_a_real_middle_name_is_not_run_together():
    rows = [wisenet("w1", "Olivia", "Taylor", "L503", email="olivia.t@mail.test"),
            contact("o1", "Olivia Mia Taylor", email="olivia.t@mail.test")]
    row = pair(find_duplicates(classified(rows)), "o1", "w1")
    assert row["first_name_match"] == "identical" and row["last_name_match"] == "identical"
    assert "[split name joined]" not in row["reasons"]


def _levels(n: int, **fixed: int) -> dict[str, np.ndarray]:
    base = {"given": 1, "surname": 1, "email": 1, "phone": 1, "address": 1, "street": 1, "locality": 1}
    base.update(fixed)
    return {k: np.full(n, v, dtype=np.int8) for k, v in base.items()}


def test_different_first_name_same_surname_and_home_with_own_email_counts_once():
    w = np.array([[-6.0, 8.0, -2.0, -2.0, 10.0]])
    household = _levels(1, given=6, email=4, phone=2)           # Jennifer vs Rose Kennedy, own email/phone
    pen = household_penalty(w, household)
    assert pen[0] == pytest.approx(8.0)                          # only the address (+10) still counts
    no_contact = _levels(1, given=6, email=0, phone=0)           # nothing to tell them apart: unchanged
    assert household_penalty(w, no_contact)[0] == 0.0
    typo = {**household, "given_initial_differs": np.array([False])}   # Micth vs Mitchell: a typo, not kin
    assert household_penalty(w, typo)[0] == 0.0
    kin = {**household, "given_initial_differs": np.array([True])}
    assert household_penalty(w, kin)[0] == pytest.approx(8.0)


def test_household_penalty_is_the_row_sum_of_household_once():
    rng = np.random.default_rng(3)
    n = 400
    levels = {f.name: rng.integers(0, len(f.levels) + 1, n).astype(np.int8) for f in FIELDS}
    levels["street"], levels["locality"] = (rng.integers(0, 5, n).astype(np.int8) for _ in range(2))
    # as in the model: a field's last level (it differs) weighs against, the others for, missing nothing
    sign = np.stack([np.where(levels[f.name] == len(f.levels), -1.0, 1.0) for f in FIELDS], axis=1)
    w = sign * np.abs(rng.normal(0, 6, (n, len(FIELDS))))
    w[np.stack([levels[f.name] == 0 for f in FIELDS], axis=1)] = 0.0
    expected = w.sum(axis=1) - household_once(w, levels).sum(axis=1)
    assert np.allclose(household_penalty(w, levels), expected)
    assert (household_penalty(w, levels) != 0).any()


def test_sibling_at_the_same_address_with_own_contact_details_is_not_more_likely_than_not():
    rows = [wisenet("w1", "Rose", "Kennedy", "L504", email="rose.k@mail.test", phone="0412 000 111",
                    address_line1="14 Wattle St", city="Newtown", postcode="2042"),
            contact("o1", "Jennifer Kennedy", email="jen.kennedy@other.test", phone="0413 999 222",
                    address_line1="14 Wattle St", city="Newtown", postcode="2042")]
    out = find_duplicates(classified(rows))
    hit = out[(out["old_contact_id"] == "o1") & (out["wisenet_contact_id"] == "w1")]
    assert hit.empty or (hit["band"].iloc[0] != "high" and hit["score"].iloc[0] < 0.5)
    # the same two names without any email or phone: nothing tells them apart, so the pair stays
    bare = [{**r, "email": "", "phone": ""} for r in rows]
    assert not pair(find_duplicates(classified(bare)), "o1", "w1").empty


@pytest.mark.parametrize(("name", "company"), [
    ("Ky Kyriacou", False), ("Ab Milburn", False), ("Nokia Oyj", True), ("Phan Dental Pty Ltd", True),
    ("Taylor Plumbing P/L", True),
])
def test_legal_forms_only_count_after_the_first_word(name, company):
    assert (looks_like_company(pd.Series([name])).iloc[0] != "") is company


def _sides(rows_old: list[dict], rows_wis: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    old = contact_features(pd.DataFrame(rows_old))
    wis = contact_features(pd.DataFrame(rows_wis), company_check=False)
    return old.reset_index(drop=True), wis.reset_index(drop=True)


def test_suburb_and_house_number_make_a_candidate_despite_postcode_typo_and_new_surname():
    w = contact("w", "Robert Hanna", first_name="Robert", last_name="Hanna", address_line1="48 Smith St",
                city="Magill", postcode="3031")
    o = contact("o", "Bob Spalvins", address_line1="48 Smiht Street", city="Magill", postcode="3036")
    old, wis = _sides([o], [w])
    i, _ = candidate_pairs(old, wis, keys={"city_street_no": KEYS["city_street_no"]})
    assert len(i) == 1
    i, _ = candidate_pairs(old, wis, keys={k: f for k, f in KEYS.items() if not k.startswith("city_street")})
    assert len(i) == 0


def test_a_transposed_postcode_still_blocks_with_the_surname_or_the_given_name():
    """Typed 2042 for 2024 and misspelt the suburb: the surname (or the given name) with the postcode's
    digits in any order still makes the pair a candidate; without those keys nothing else does."""
    w = contact("w", "Tiana Daronco", first_name="Tiana", last_name="Daronco", address_line1="4 Strehlow Pl",
                city="Wahroonga", postcode="3249")
    o = contact("o", "Daronco", address_line1="Strehlowplace", city="Wahronoga", postcode="3294")
    o2 = contact("o2", "Tiana Brown", address_line1="9 Other Rd", city="Wahronoga", postcode="3294")
    old, wis = _sides([o, o2], [w])
    anagram = {k: f for k, f in KEYS.items() if k.endswith("postcode_anagram")}
    i, _ = candidate_pairs(old, wis, keys=anagram)
    assert sorted(i.tolist()) == [0, 1]
    i, _ = candidate_pairs(old, wis, keys={k: f for k, f in KEYS.items() if k not in anagram})
    assert len(i) == 0


def test_full_name_key_may_take_a_larger_block_than_other_kinds():
    olds = [contact(f"o{k}", "Olivia Smith", address_line1=f"{k} A St") for k in range(12)]
    wiss = [contact(f"w{k}", "Olivia Smith", address_line1=f"{k} B St") for k in range(10)]
    old, wis = _sides(olds, wiss)
    fn = KEYS["given_surname"]
    wide, _ = candidate_pairs(old, wis, max_block=100, keys={"given_surname": fn})
    plain, _ = candidate_pairs(old, wis, max_block=100, keys={"some_other_kind": fn})
    assert len(wide) == 120 and len(plain) == 0
