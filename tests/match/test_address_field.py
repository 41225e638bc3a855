"""The street line and the postcode/suburb scored as ONE address field (joint levels, u from the data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from match_builders import background, classified, contact, wisenet

from wxsync.match import find_duplicates
from wxsync.match.compare import address_level
from wxsync.match.features import contact_features
from wxsync.match.scoring import ADDRESS_LEVELS, FIELD_BY_NAME, locality_given_street


# street sub-level: 0 missing, 1 identical, 2 similar, 3 close, 4 differs
# locality sub-level: 0 missing, 1 postcode and suburb, 2 postcode, 3 suburb, 4 differs
@pytest.mark.parametrize(("street", "locality", "name"), [
    (1, 1, "same street, same postcode and suburb"),
    (2, 3, "same street, same postcode or suburb"),
    (1, 0, "same street, no locality"),
    (1, 4, "same street, other locality"),
    (3, 1, "street close, same postcode and suburb"),
    (0, 1, "no street, same postcode and suburb"),
    (0, 2, "no street, same postcode or suburb"),
    (4, 1, "other street, same postcode and suburb"),
    (4, 4, "other street, other locality"),
])
def test_joint_address_levels(street, locality, name):
    level = address_level(np.array([street]), np.array([locality]))[0]
    assert ADDRESS_LEVELS[level - 1] == name


def test_nothing_to_compare_is_level_zero_and_the_field_has_one_level_per_state():
    assert address_level(np.array([0]), np.array([0]))[0] == 0
    assert len(FIELD_BY_NAME["address"].levels) == len(ADDRESS_LEVELS) == 15
    assert ADDRESS_LEVELS[-1] == "other street, other locality"   # disagreement is the last level


def _wis(streets: list[str], suburbs: list[tuple[str, str]]) -> pd.DataFrame:
    rows = [wisenet(f"w{k}", "Ann", f"Doe{k}", f"L{k}", address_line1=s, city=c, postcode=p)
            for k, (s, (c, p)) in enumerate(zip(streets, suburbs, strict=True))]
    return contact_features(pd.DataFrame(rows), company_check=False).reset_index(drop=True)


def test_locality_given_street_is_measured_from_different_people_on_one_street():
    marginal = np.array([0.01, 0.02, 0.07, 0.90])
    streets = [f"{k % 20} Main St" for k in range(200)]          # 10 people per street line
    places = [("Carlton", "3053"), ("Hobart", "7000"), ("Toowong", "4066"), ("Glenelg", "5045")]
    pinned = _wis(streets, [places[(k % 20) % 4] for k in range(200)])        # a line is in one suburb
    spread = _wis(streets, [places[(k // 20 + k) % 4] for k in range(200)])   # lines repeat across suburbs
    same_place = locality_given_street(pinned, marginal)[0, 0]
    elsewhere = locality_given_street(spread, marginal)[0, 0]
    assert same_place > 0.8            # the suburb adds (almost) nothing once the street line agrees
    assert elsewhere < 0.35 and elsewhere < same_place / 2
    assert np.allclose(locality_given_street(pinned, marginal).sum(axis=1), 1.0)
    # no pairs to learn from: independence (the marginal)
    lonely = _wis([f"{k} Main St" for k in range(4)], places)
    assert np.allclose(locality_given_street(lonely, marginal)[0], marginal)


def test_same_street_and_suburb_is_one_reason_with_one_weight():
    rows = [*background(3), wisenet("w1", "Harriet", "Quill", "L501", email="hq@mail.test",
                                    address_line1="9 Banksia Cres", city="Tolga", postcode="4882"),
            contact("o1", "Harriet Quill", email="hq@mail.test", address_line1="9 Banksia Cres", city="Tolga",
                    postcode="4882")]
    out = find_duplicates(classified(rows))
    row = out[(out["old_contact_id"] == "o1") & (out["wisenet_contact_id"] == "w1")].iloc[0]
    assert "street identical, postcode and suburb agree +" in row["reasons"]
    assert row["reasons"].count("postcode") == 1
    assert row["street_match"] == "identical" and row["locality_match"] == "postcode and suburb"
    assert row["band"] == "high"


def test_same_name_neighbours_in_one_suburb_with_their_own_contacts_are_not_likely():
    rows = [*background(5),
            wisenet("w-n", "Mia", "Kovac", "L700", email="mia.k@uni.test", phone="0400 123 456",
                    address_line1="4 Elm St", city="Carlton", postcode="3053"),
            contact("o-n", "Mia Kovac", email="mkovac@other.test", phone="0499 654 321",
                    address_line1="88 Lygon St", city="Carlton", postcode="3053")]
    out = find_duplicates(classified(rows))
    hit = out[(out["old_contact_id"] == "o-n") & (out["wisenet_contact_id"] == "w-n")]
    assert hit.empty or (hit["band"].iloc[0] != "high" and hit["score"].iloc[0] < 0.5)
    if not hit.empty:
        assert "street differs, postcode and suburb agree" in hit["reasons"].iloc[0]


@pytest.mark.parametrize(("sibling", "flagged"), [("Jack", False), ("Chloe", True)])
def test_an_initial_tells_learners_sharing_an_email_apart_only_when_unique(sibling, flagged):
    shared = dict(email="hunter.family@mail.test", address_line1="3 Acacia Ave", city="Glenelg", postcode="5045")
    rows = [*background(9),
            wisenet("w-c", "Charlotte", "Hunter", "L801", phone="0400 222 333", **shared),
            wisenet("w-s", sibling, "Hunter", "L802", phone="0400 444 555", **shared),
            contact("o-c", "C Hunter", phone="0400 222 333", **shared)]
    out = find_duplicates(classified(rows))
    row = out[(out["old_contact_id"] == "o-c") & (out["wisenet_contact_id"] == "w-c")].iloc[0]
    assert ("email used by 2 learners" in row["conflict"]) is flagged
    assert (row["band"] == "high") is (not flagged)
