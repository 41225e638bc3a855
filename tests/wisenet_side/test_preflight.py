"""Preflight rules on small hand-built frames (design section 4 columns)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from wxsync.errors import InputError
from wxsync.preflight import PROBLEMS, email_problem, normalise_name, preflight


def learner(number: str, **kw: object) -> dict:
    row = {"learner_id": f"id{number}", "learner_number": number, "first_name": "Ann", "last_name": "Lee",
           "email": f"ann{number}@mail.com.au", "mobile": "", "date_of_birth": "2000-01-01",
           "is_active": True, "sync_to_xero": True, "address_line1": "1 Main St", "city": "Perth",
           "state": "WA", "postcode": "6000"}
    row.update(kw)
    return row


def contact(cid: str, name: str, number: str = "", status: str = "ACTIVE") -> dict:
    return {"contact_id": cid, "name": name, "first_name": "", "last_name": "", "email": "", "phone": "",
            "contact_number": number, "account_number": "", "status": status, "merged_to_contact_id": "",
            "postcode": ""}


def run(learners: list[dict], contacts: list[dict]):
    return preflight(pd.DataFrame(learners), pd.DataFrame(contacts))


def problems_of(result, number: str) -> set[str]:
    return set(result.issues.loc[result.issues["learner_number"] == number, "problem"])


def test_clean_learner_with_wisenet_contact_is_ready() -> None:
    res = run([learner("100")], [contact("c1", "Ann Lee (100)", "100")])
    assert problems_of(res, "100") == set()
    row = res.table.iloc[0]
    assert row["ready"] and row["wisenet_contact_id"] == "c1"
    assert sum(res.counts.values()) == 0


def test_ticked_learner_without_contact_is_flagged() -> None:
    res = run([learner("100"), learner("101", first_name="Bo")], [contact("c1", "Ann Lee (100)", "100")])
    assert problems_of(res, "101") == {"no_wisenet_contact"}
    assert res.counts["no_wisenet_contact"] == 1
    fix = res.issues.loc[res.issues["learner_number"] == "101", "where_to_fix"].iloc[0]
    assert "resync missing Learners" in fix


def test_active_learner_not_ticked_is_flagged_but_inactive_unticked_is_out_of_scope() -> None:
    res = run([learner("100", sync_to_xero=False), learner("101", sync_to_xero=False, is_active=False)], [])
    assert problems_of(res, "100") == {"sync_not_ticked"}
    assert list(res.table["learner_number"]) == ["100"]


@pytest.mark.parametrize(("field", "value"), [("first_name", ""), ("last_name", "  ")])
def test_missing_first_or_last_name(field: str, value: str) -> None:
    res = run([learner("100", **{field: value})], [contact("c1", "x", "100")])
    assert problems_of(res, "100") == {"missing_name"}
    assert field.replace("_", " ") in res.issues.iloc[0]["detail"]
    assert "Edit Personal" in res.issues.iloc[0]["where_to_fix"]


@pytest.mark.parametrize("field", ["state", "postcode", "address_line1"])
def test_address_needs_line_state_and_postcode(field: str) -> None:
    res = run([learner("100", **{field: ""})], [contact("c1", "x", "100")])
    assert problems_of(res, "100") == {"no_address"}


@pytest.mark.parametrize("email", ["", "ann@", "ann lee@mail.com", "ann@mail", "a@@mail.com", "x@y.test"])
def test_invalid_email(email: str) -> None:
    res = run([learner("100", email=email)], [contact("c1", "x", "100")])
    assert problems_of(res, "100") == {"invalid_email"}


def test_valid_email_needs_no_network() -> None:
    assert email_problem("jo.o'neil+wx@some-unregistered-domain-zz.com.au") == ""


def test_inactive_learner_with_sync_ticked() -> None:
    res = run([learner("100", is_active=False)], [contact("c1", "x", "100")])
    assert problems_of(res, "100") == {"inactive"}
    assert res.counts["inactive"] == 1


def test_archived_contact_holding_the_learner_number() -> None:
    res = run([learner("100")], [contact("c9", "Ann Lee old", "100", status="ARCHIVED")])
    assert problems_of(res, "100") == {"archived_code_holder"}
    issue = res.issues.iloc[0]
    assert issue["contact_id"] == "c9"
    assert issue["where_to_fix"] == "Xero > Contacts > Archived: restore or clear the Contact Code"


def test_active_non_wisenet_contact_with_the_learner_name() -> None:
    contacts = [contact("c5", "  ANN   LÉE "), contact("c6", "Ann Lee (101)", "101")]
    res = run([learner("100"), learner("101")], contacts)
    assert problems_of(res, "100") == {"no_wisenet_contact", "name_taken"}
    assert problems_of(res, "101") == set()  # already has its Wisenet contact: the name no longer matters
    taken = res.issues[res.issues["problem"] == "name_taken"].iloc[0]
    assert taken["contact_id"] == "c5" and taken["severity"] == "check"


@pytest.mark.parametrize("name", ["Ann Lee (100)", "Lee, Ann - 100", "ann lee 100"])
def test_active_contact_with_the_wisenet_style_name_but_no_contact_code(name: str) -> None:
    res = run([learner("100")], [contact("c5", name)])
    assert problems_of(res, "100") == {"no_wisenet_contact", "name_taken"}
    res_other = run([learner("100")], [contact("c5", name.replace("100", "101"))])
    assert problems_of(res_other, "100") == {"no_wisenet_contact"}


def test_archived_contact_with_the_same_name_is_no_clash() -> None:
    res = run([learner("100")], [contact("c5", "Ann Lee", status="ARCHIVED")])
    assert problems_of(res, "100") == {"no_wisenet_contact"}


def test_several_problems_on_one_learner_and_counts() -> None:
    res = run([learner("100", email="bad", postcode="", first_name=""), learner("101", email="nope")],
              [contact("c1", "x", "100")])
    assert problems_of(res, "100") == {"invalid_email", "no_address", "missing_name"}
    assert res.counts["invalid_email"] == 2 and res.counts["no_address"] == 1
    row = res.table.set_index("learner_number").loc["100"]
    assert not row["ready"] and set(row["problems"].split("; ")) == problems_of(res, "100")
    summary = res.summary().set_index("problem")
    assert summary.loc["invalid_email", "learners"] == 2
    assert set(summary.index) == set(PROBLEMS)


def test_learners_without_ids_from_a_csv_are_kept_apart() -> None:
    res = run([learner("100", learner_id="", email="bad"), learner("101", learner_id="")],
              [contact("c1", "x", "100"), contact("c2", "y", "101")])
    assert res.counts["invalid_email"] == 1
    assert list(res.table["ready"]) == [False, True]


def test_contacts_whose_code_matches_no_learner() -> None:
    res = run([learner("100")], [contact("c1", "x", "100"), contact("c2", "Old Co", "ZZ-9"),
                                 contact("c3", "No code")])
    assert list(res.unmatched_codes["contact_id"]) == ["c2"]


def test_learner_numbers_are_compared_exactly_not_as_numbers() -> None:
    res = run([learner("00100")], [contact("c1", "x", "100")])
    assert problems_of(res, "00100") == {"no_wisenet_contact"}
    assert list(res.unmatched_codes["contact_id"]) == ["c1"]


def test_csv_export_has_bom_and_rows(tmp_path) -> None:
    res = run([learner("100", email="bad", first_name="José")], [contact("c1", "x", "100")])
    path = res.write_csv(tmp_path / "out" / "preflight.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [r["problem"] for r in rows] == ["invalid_email"] and rows[0]["first_name"] == "José"
    table_rows = list(csv.DictReader(res.write_csv(tmp_path / "t.csv", per_learner=True).open(encoding="utf-8-sig")))
    assert table_rows[0]["learner_number"] == "100" and table_rows[0]["ready"] == "False"


def test_missing_columns_raise_input_error() -> None:
    with pytest.raises(InputError, match="postcode"):
        preflight(pd.DataFrame([{"learner_id": 1}]).assign(**{c: "" for c in (
            "learner_number", "first_name", "last_name", "email", "is_active", "sync_to_xero",
            "address_line1", "city", "state")}), pd.DataFrame([contact("c1", "x")]))


def test_normalise_name() -> None:
    assert normalise_name("  José  O'Neil-Smith ") == normalise_name("jose o neil smith")
    assert normalise_name("Ann Lee") != normalise_name("Ann Leeds")
