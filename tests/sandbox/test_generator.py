"""The demo organisation generator: determinism, Xero/Wisenet shapes, Xero's rules, ground truth, money."""

from __future__ import annotations

import os
import re
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from wxsync.errors import InputError
from wxsync.sandbox.gen_contacts import name_key
from wxsync.sandbox.gen_variants import VARIATION_KINDS
from wxsync.sandbox.generator import generate, generate_with_notes

SPEC = Path(os.environ.get("WXSYNC_XERO_SPEC", "/work/shared/reference/xero-openapi/xero_accounting.yaml"))
EMAIL_OK = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@pytest.fixture(scope="module")
def demo():
    """The default-size demo organisation (2,000 learners), generated once for the module."""
    start = time.perf_counter()
    org, notes = generate_with_notes(11, 2000)
    print(f"\ngenerate(seed=11, learners=2000): {time.perf_counter() - start:.2f} s")
    return org, notes


def _cents(x: float) -> int:
    return round(x * 100)


def _wisenet_numbers(org) -> set[str]:
    return {ln["Personal"]["LearnerNumber"] for ln in org.learners}


def test_same_seed_same_org_and_other_seed_differs():
    a = generate(5, 300)
    b = generate(5, 300)
    c = generate(6, 300)
    assert a == b
    assert a.contacts != c.contacts
    assert a.organisation["OrganisationID"] != c.organisation["OrganisationID"]


def test_counts_and_proportions(demo):
    org, notes = demo
    assert len(org.learners) == 2000
    numbers = _wisenet_numbers(org)
    wisenet = [c for c in org.contacts if c.get("ContactNumber") in numbers and c["ContactStatus"] == "ACTIVE"]
    old = [c for c in org.contacts if c.get("ContactNumber") not in numbers]
    assert 0.65 * 2000 <= len(wisenet) <= 0.92 * 2000
    assert abs(len(old) - 1200) <= 60  # default old_contacts is 0.6 x learners
    dup_learners = {d["learner_number"] for d in org.truth["duplicates"]}
    assert 0.3 * 2000 <= len(dup_learners) <= 0.45 * 2000
    per_learner = Counter(d["learner_number"] for d in org.truth["duplicates"])
    assert max(per_learner.values()) >= 3 and sum(v > 1 for v in per_learner.values()) >= 40
    assert 60 <= len(org.truth["lookalikes"]) <= 250
    assert sum(not ln["Personal"]["IsActive"] for ln in org.learners) > 50
    assert sum(ln["Personal"]["SyncToXero"] for ln in org.learners) > 0.8 * 2000
    assert len(org.wisenet_invoices) > 500
    assert {"DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"} <= {i["Status"] for i in org.invoices}
    assert org.credit_notes and org.overpayments and org.prepayments and org.repeating_invoices


def test_old_contacts_parameter_sets_the_total(demo):
    org = generate(3, 400, old_contacts=900)
    numbers = _wisenet_numbers(org)
    assert abs(sum(c.get("ContactNumber") not in numbers for c in org.contacts) - 900) <= 10
    small = generate(3, 400, old_contacts=50)
    assert sum(c.get("ContactNumber") not in numbers for c in small.contacts) <= 60
    assert small.truth["duplicates"]


def test_truth_points_at_old_active_contacts_and_real_learners(demo):
    org, _ = demo
    assert set(org.truth) == {"duplicates", "lookalikes"}
    by_id = {c["ContactID"]: c for c in org.contacts}
    numbers = _wisenet_numbers(org)
    active_numbers = {c["ContactNumber"] for c in org.contacts
                      if c.get("ContactNumber") and c["ContactStatus"] == "ACTIVE"}
    for kind in ("duplicates", "lookalikes"):
        for row in org.truth[kind]:
            assert set(row) == {"old_contact_id", "learner_number"}
            contact = by_id[row["old_contact_id"]]
            assert contact["ContactStatus"] == "ACTIVE"
            assert contact.get("ContactNumber", "") not in numbers
            assert row["learner_number"] in numbers
            assert row["learner_number"] in active_numbers  # the learner has a Wisenet contact to pair with
    dups = {(r["old_contact_id"], r["learner_number"]) for r in org.truth["duplicates"]}
    looks = {(r["old_contact_id"], r["learner_number"]) for r in org.truth["lookalikes"]}
    assert not dups & looks


def test_unique_active_names_and_contact_numbers(demo):
    org, _ = demo
    names = Counter(name_key(c["Name"]) for c in org.contacts if c["ContactStatus"] == "ACTIVE")
    assert max(names.values()) == 1
    codes = Counter(c["ContactNumber"] for c in org.contacts if c.get("ContactNumber"))
    assert max(codes.values()) == 1
    accounts = Counter(c["AccountNumber"] for c in org.contacts if c.get("AccountNumber"))
    assert max(accounts.values()) == 1
    assert len({c["ContactID"] for c in org.contacts}) == len(org.contacts)


def test_wisenet_contacts_copy_the_learner_and_follow_the_template(demo):
    org, _ = demo
    learners = {ln["Personal"]["LearnerNumber"]: ln["Personal"] for ln in org.learners}
    checked = 0
    for c in org.contacts:
        personal = learners.get(c.get("ContactNumber", ""))
        if personal is None or c["ContactStatus"] != "ACTIVE":
            continue
        expected = org.wisenet_name_template.format(first=personal["FirstName"], last=personal["LastName"],
                                                    number=personal["LearnerNumber"])
        assert c["Name"] == expected
        assert c["FirstName"] == personal["FirstName"] and c["LastName"] == personal["LastName"]
        assert c["EmailAddress"] == personal["EmailAddresses"]["Email"]
        mobile = next(p for p in c["Phones"] if p["PhoneType"] == "MOBILE")
        assert mobile.get("PhoneNumber", "") == personal["PhoneNumbers"]["Mobile"]
        street = next(a for a in c["Addresses"] if a["AddressType"] == "STREET")
        assert street["PostalCode"] == personal["StreetAddress"]["Postcode"]
        checked += 1
    assert checked > 1000


def test_learner_numbers_are_opaque_strings_with_leading_zeros_kept():
    seeds = [s for s in range(40) if generate_with_notes(s, 30)[1].number_format == "zero6"]
    assert seeds, "no seed in 0..39 uses zero-padded learner numbers"
    org = generate(seeds[0], 300)
    numbers = [ln["Personal"]["LearnerNumber"] for ln in org.learners]
    assert all(isinstance(n, str) for n in numbers)
    assert all(n.startswith("0") and len(n) == 6 for n in numbers)
    codes = {c["ContactNumber"] for c in org.contacts if c.get("ContactNumber")}
    assert codes & set(numbers)
    assert all(n in codes or n.lstrip("0") not in codes for n in numbers)
    kinds = {generate_with_notes(s, 30)[1].number_format for s in range(40)}
    assert len(kinds) >= 3


def test_learners_look_like_wisenet_and_addresses_are_valid(demo):
    org, _ = demo
    state_ids = {s["StateId"]: s["Code"] for s in org.states}
    assert {"NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"} <= set(state_ids.values())
    first_digit = {"NSW": "12", "ACT": "02", "VIC": "38", "QLD": "49", "SA": "5", "WA": "6", "TAS": "7", "NT": "0"}
    ids = [ln["LearnerId"] for ln in org.learners]
    assert len(set(ids)) == len(ids) and all(isinstance(i, int) for i in ids)
    preferred = 0
    for ln in org.learners:
        personal = ln["Personal"]
        street = personal["StreetAddress"]
        date.fromisoformat(personal["DateOfBirth"])
        preferred += bool(personal["PreferredNamed"])
        if street["StateId"] is not None and street["Postcode"]:
            code = state_ids[street["StateId"]]
            assert street["Postcode"][0] in first_digit[code] and len(street["Postcode"]) == 4
    assert preferred > 50


def test_preflight_cases_exist(demo):
    org, notes = demo
    learners = {ln["Personal"]["LearnerNumber"]: ln["Personal"] for ln in org.learners}
    active_codes = {c["ContactNumber"] for c in org.contacts if c.get("ContactNumber") and c["ContactStatus"] == "ACTIVE"}
    archived_codes = {c["ContactNumber"] for c in org.contacts if c.get("ContactNumber") and c["ContactStatus"] == "ARCHIVED"}

    def ready(p):
        return (p["IsActive"] and p["SyncToXero"] and p["FirstName"] and p["LastName"]
                and p["StreetAddress"]["StateId"] is not None and p["StreetAddress"]["Postcode"]
                and EMAIL_OK.match(p["EmailAddresses"]["Email"] or ""))

    missing = [n for n, p in learners.items() if ready(p) and n not in active_codes and n not in archived_codes]
    assert len(missing) >= 2
    holders = [n for n in archived_codes if n in learners]
    assert len(holders) >= 2 and not set(holders) & active_codes
    active_names = {c["Name"] for c in org.contacts if c["ContactStatus"] == "ACTIVE" and not c.get("ContactNumber")}
    taken = [n for n, p in learners.items() if org.wisenet_name_template.format(
        first=p["FirstName"], last=p["LastName"], number=n) in active_names]
    assert len(taken) >= 2
    assert sum(not p["LastName"] for p in learners.values()) >= 5
    assert sum(p["StreetAddress"]["StateId"] is None or not p["StreetAddress"]["Postcode"]
               for p in learners.values()) >= 5
    assert sum(not EMAIL_OK.match(p["EmailAddresses"]["Email"] or "") for p in learners.values()) >= 5


def test_every_variation_and_lookalike_kind_occurs(demo):
    org, notes = demo
    seen = Counter(k for kinds in notes.variations.values() for k in kinds)
    assert set(VARIATION_KINDS) <= set(seen), set(VARIATION_KINDS) - set(seen)
    assert set(notes.lookalike_kind.values()) == {"same_name", "near_name", "parent", "employer", "sibling"}
    by_id = {c["ContactID"]: c for c in org.contacts}
    employers = [by_id[cid] for cid, k in notes.lookalike_kind.items() if k == "employer"]
    assert any(re.search(r"Pty\.? Ltd|P/L", c["Name"]) for c in employers)
    learners = {ln["Personal"]["LearnerNumber"]: ln["Personal"] for ln in org.learners}
    lookalike_learner = {r["old_contact_id"]: r["learner_number"] for r in org.truth["lookalikes"]}
    employer_emails = [c.get("EmailAddress") == learners[lookalike_learner[c["ContactID"]]]["EmailAddresses"]["Email"]
                       for c in employers]
    assert any(employer_emails) and not all(employer_emails)


def test_siblings_share_email_and_address_and_only_one_has_the_old_contact(demo):
    org, notes = demo
    learners = {ln["Personal"]["LearnerNumber"]: ln["Personal"] for ln in org.learners}
    active_codes = {c["ContactNumber"] for c in org.contacts if c.get("ContactNumber") and c["ContactStatus"] == "ACTIVE"}
    assert len(notes.siblings) >= 5
    for a, b in notes.siblings:
        pa, pb = learners[a], learners[b]
        assert pa["EmailAddresses"]["Email"] == pb["EmailAddresses"]["Email"]
        assert pa["LastName"] == pb["LastName"] and pa["FirstName"] != pb["FirstName"]
        assert pa["StreetAddress"]["StreetAddress"] == pb["StreetAddress"]["StreetAddress"]
        assert a in active_codes and b in active_codes
    dup_of = defaultdict(set)
    for r in org.truth["duplicates"]:
        dup_of[r["old_contact_id"]].add(r["learner_number"])
    sibling_old = [cid for cid, k in notes.lookalike_kind.items() if k == "sibling"]
    assert sibling_old
    for cid in sibling_old:
        assert len(dup_of[cid]) == 1
    # A parent who paid for both siblings resembles each of them and is neither.
    looks_like = defaultdict(set)
    for r in org.truth["lookalikes"]:
        looks_like[r["old_contact_id"]].add(r["learner_number"])
    pairs = {frozenset(pair) for pair in notes.siblings}
    shared = [cid for cid, lns in looks_like.items() if len(lns) == 2 and frozenset(lns) in pairs]
    assert len(shared) >= 2
    assert all(notes.lookalike_kind[cid] == "parent" for cid in shared)
    by_id = {c["ContactID"]: c for c in org.contacts}
    parent_names = [by_id[cid]["Name"] for cid, k in notes.lookalike_kind.items() if k == "parent"]
    assert any(" & " in n for n in parent_names)


def _route(docs):
    """The merge route a contact's documents imply (design section 6), computed from the records."""
    if not docs:
        return "archive"
    for kind, d in docs:
        if kind != "invoice" or d["Status"] not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
            return "xero_ui"
        if d["AmountPaid"] or d["AmountCredited"] or d.get("RepeatingInvoiceID"):
            return "xero_ui"
    return "repoint"


def test_route_mix_of_duplicates(demo):
    org, notes = demo
    docs = defaultdict(list)
    for kind, items in (("invoice", org.invoices), ("credit", org.credit_notes), ("over", org.overpayments),
                        ("pre", org.prepayments), ("repeating", org.repeating_invoices)):
        for d in items:
            docs[d["Contact"]["ContactID"]].append((kind, d))
    routes = Counter(_route(docs[r["old_contact_id"]]) for r in org.truth["duplicates"])
    total = sum(routes.values())
    assert 0.28 <= routes["archive"] / total <= 0.42
    assert 0.23 <= routes["repoint"] / total <= 0.37
    assert routes["xero_ui"] / total >= 0.25
    for r in org.truth["duplicates"]:
        assert notes.routes[r["old_contact_id"]] == _route(docs[r["old_contact_id"]])


def test_money_is_consistent_per_status(demo):
    org, _ = demo
    for inv in org.invoices:
        assert inv["Type"] == "ACCREC" and inv["CurrencyCode"] == "AUD"
        lines = inv["LineItems"]
        assert lines and all(x["AccountCode"] == "200" for x in lines)
        assert _cents(inv["SubTotal"]) == sum(_cents(x["LineAmount"]) for x in lines)
        assert _cents(inv["TotalTax"]) == sum(_cents(x["TaxAmount"]) for x in lines)
        assert abs(_cents(inv["TotalTax"]) - _cents(inv["SubTotal"]) / 10) <= len(lines)
        assert _cents(inv["Total"]) == _cents(inv["SubTotal"]) + _cents(inv["TotalTax"])
        paid = sum(_cents(p["Amount"]) for p in inv["Payments"])
        credited = sum(_cents(e["AppliedAmount"]) for k in ("CreditNotes", "Overpayments", "Prepayments")
                       for e in inv[k])
        status = inv["Status"]
        if status == "VOIDED":
            assert _cents(inv["AmountDue"]) == 0 and paid == 0 and credited == 0
            continue
        assert _cents(inv["AmountPaid"]) == paid and _cents(inv["AmountCredited"]) == credited
        assert _cents(inv["AmountDue"]) == _cents(inv["Total"]) - paid - credited
        if status in ("DRAFT", "SUBMITTED"):
            assert paid == 0 and credited == 0
        elif status == "PAID":
            assert _cents(inv["AmountDue"]) == 0 and inv["FullyPaidOnDate"]
        else:
            assert _cents(inv["AmountDue"]) > 0
        for p in inv["Payments"]:
            assert p["Date"] >= inv["Date"]
    statuses = Counter((i["Status"], bool(i["Payments"])) for i in org.invoices)
    assert statuses[("AUTHORISED", True)] > 10  # part-paid
    for group in (org.credit_notes, org.overpayments, org.prepayments):
        for doc in group:
            allocated = sum(_cents(a["Amount"]) for a in doc["Allocations"])
            assert _cents(doc["RemainingCredit"]) == _cents(doc["Total"]) - allocated >= 0
            assert doc["Status"] == ("PAID" if _cents(doc["RemainingCredit"]) == 0 else "AUTHORISED")
            assert _cents(doc["Total"]) == _cents(doc["SubTotal"]) + _cents(doc["TotalTax"])
    assert any(d["Allocations"] for d in org.credit_notes) and any(not d["Allocations"] for d in org.credit_notes)


def test_document_numbers_links_and_dates(demo):
    org, _ = demo
    numbers = [i["InvoiceNumber"] for i in org.invoices]
    assert len(set(numbers)) == len(numbers) and all(re.fullmatch(r"INV-\d{5}", n) for n in numbers)
    cns = [c["CreditNoteNumber"] for c in org.credit_notes]
    assert len(set(cns)) == len(cns) and all(re.fullmatch(r"CN-\d{5}", n) for n in cns)
    by_number = {i["InvoiceNumber"]: i for i in org.invoices}
    for doc in (*org.credit_notes, *org.overpayments, *org.prepayments):
        for a in doc["Allocations"]:
            assert by_number[a["Invoice"]["InvoiceNumber"]]["InvoiceID"] == a["Invoice"]["InvoiceID"]
    templates = {r["RepeatingInvoiceID"] for r in org.repeating_invoices}
    made = [i for i in org.invoices if i.get("RepeatingInvoiceID")]
    assert made and {i["RepeatingInvoiceID"] for i in made} <= templates
    ids = {c["ContactID"] for c in org.contacts}
    assert all(d["Contact"]["ContactID"] in ids for d in (*org.invoices, *org.credit_notes))
    first = org.first_connection_date
    truth_ids = {r["old_contact_id"] for r in org.truth["duplicates"]}
    old_dates = [i["Date"] for i in org.invoices if i["Contact"]["ContactID"] in truth_ids]
    before = sum(d < first for d in old_dates)
    year_before = date.fromisoformat(first).replace(year=date.fromisoformat(first).year - 1).isoformat()
    assert before >= 0.9 * len(old_dates)
    assert 0.15 * len(old_dates) <= sum(d < year_before for d in old_dates) <= 0.6 * len(old_dates)
    for doc in (*org.invoices, *org.credit_notes, *org.overpayments, *org.prepayments, *org.contacts):
        assert doc["UpdatedDateUTC"][:10] <= date.today().isoformat()


def test_wisenet_invoices_mirror_post_connection_xero_invoices(demo):
    org, _ = demo
    xero = {i["InvoiceID"]: i for i in org.invoices}
    learner_of = {ln["LearnerId"]: ln["Personal"]["LearnerNumber"] for ln in org.learners}
    contact_of = {c["ContactID"]: c for c in org.contacts}
    for w in org.wisenet_invoices:
        inv = xero[w["InvoiceId"]]
        assert w["SourceAppKey"] == "Xero" and w["InvoiceNumber"] == inv["InvoiceNumber"]
        assert (w["AmountTotal"], w["AmountDue"], w["AmountPaid"], w["Status"]) == (
            inv["Total"], inv["AmountDue"], inv["AmountPaid"], inv["Status"])
        assert w["Date"] >= org.first_connection_date
        assert contact_of[inv["Contact"]["ContactID"]]["ContactNumber"] == learner_of[w["LearnerId"]]


def test_only_valid_enum_values(demo):
    org, _ = demo
    assert org.organisation["ShortCode"].startswith("!") and org.organisation["CountryCode"] == "AU"
    codes = {a["Code"]: a for a in org.accounts}
    assert codes["200"]["Type"] == "REVENUE" and codes["090"]["Type"] == "BANK" and "610" in codes
    for c in org.contacts:
        assert c["ContactStatus"] in ("ACTIVE", "ARCHIVED")
        assert [a["AddressType"] for a in c["Addresses"]] == ["POBOX", "STREET"]
        assert {p["PhoneType"] for p in c["Phones"]} <= {"DEFAULT", "MOBILE", "DDI", "FAX"}
        assert isinstance(c["IsSupplier"], bool) and isinstance(c["IsCustomer"], bool)
        if c.get("EmailAddress"):
            assert EMAIL_OK.match(c["EmailAddress"]), c["EmailAddress"]
    assert {i["Status"] for i in org.invoices} <= {"DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"}
    assert {i["LineAmountTypes"] for i in org.invoices} <= {"Exclusive", "Inclusive", "NoTax"}
    assert {c["Type"] for c in org.credit_notes} == {"ACCRECCREDIT"}
    assert {c["Status"] for c in org.credit_notes} <= {"DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"}
    assert {o["Type"] for o in org.overpayments} == {"RECEIVE-OVERPAYMENT"}
    assert {p["Type"] for p in org.prepayments} == {"RECEIVE-PREPAYMENT"}
    assert {r["Schedule"]["Unit"] for r in org.repeating_invoices} <= {"WEEKLY", "MONTHLY"}
    assert {r["Status"] for r in org.repeating_invoices} <= {"DRAFT", "AUTHORISED"}


def test_noise_scales_the_differences():
    def mean_kinds(noise):
        _, notes = generate_with_notes(21, 600, noise=noise)
        return sum(len(k) for k in notes.variations.values()) / len(notes.variations)

    quiet, normal, hard = mean_kinds(0.0), mean_kinds(1.0), mean_kinds(2.0)
    assert quiet < 0.3 < normal < hard



def test_other_contact_codes_archived_namesakes_and_balances(demo):
    org, _ = demo
    numbers = _wisenet_numbers(org)
    legacy = [c for c in org.contacts if c.get("ContactNumber") and c["ContactNumber"] not in numbers]
    assert legacy  # Contact Codes that match no learner (preflight lists them)
    active = {name_key(c["Name"]) for c in org.contacts if c["ContactStatus"] == "ACTIVE"}
    archived_old = [c for c in org.contacts if c["ContactStatus"] == "ARCHIVED" and not c.get("ContactNumber")]
    assert archived_old and any(name_key(c["Name"]) in active for c in archived_old)
    owed = defaultdict(int)
    for inv in org.invoices:
        if inv["Status"] == "AUTHORISED":
            owed[inv["Contact"]["ContactID"]] += _cents(inv["AmountDue"])
    for doc in (*org.credit_notes, *org.overpayments, *org.prepayments):
        if doc["Status"] == "AUTHORISED":
            owed[doc["Contact"]["ContactID"]] -= _cents(doc["RemainingCredit"])
    with_balances = [c for c in org.contacts if "Balances" in c]
    assert len(with_balances) > 500
    for c in with_balances:
        assert c["IsCustomer"]
        assert _cents(c["Balances"]["AccountsReceivable"]["Outstanding"]) == owed[c["ContactID"]]


def test_learner_details_vary_like_real_data(demo):
    org, notes = demo
    personal = [ln["Personal"] for ln in org.learners]
    domains = Counter(p["EmailAddresses"]["Email"].rpartition("@")[2] for p in personal)
    assert {"gmail.com", "bigpond.com", "outlook.com"} <= set(domains)
    assert any(d.endswith(".edu.au") or d.endswith(".gov.au") for d in domains)
    mobiles = [p["PhoneNumbers"]["Mobile"] for p in personal if p["PhoneNumbers"]["Mobile"]]
    shapes = {re.sub(r"\d", "9", m) for m in mobiles}
    assert len(shapes) >= 4 and any(m.startswith("+61") for m in mobiles)
    assert any(p["PreviousName"] for p in personal)  # some married learners kept their old surname on file
    assert any(p["FirstName"] != p["FirstName"].encode("ascii", "ignore").decode() for p in personal)
    surnames = Counter(p["LastName"] for p in personal if p["LastName"])
    given = Counter(p["FirstName"] for p in personal if p["FirstName"])
    full = Counter((p["FirstName"], p["LastName"]) for p in personal if p["FirstName"] and p["LastName"])
    n = len(personal)
    # common names are common, but no name is absurdly common (namesakes as often as in a real org)
    assert 10 <= surnames.most_common(1)[0][1] <= 0.025 * n, surnames.most_common(3)
    assert 10 <= given.most_common(1)[0][1] <= 0.025 * n, given.most_common(3)
    assert full.most_common(1)[0][1] <= 5, full.most_common(3)


@pytest.mark.parametrize(("learners", "old", "noise"), [(1, None, 1.0), (5, 0, 0.0), (40, 3, 2.0), (120, None, 2.0)])
def test_small_and_edge_sizes_still_keep_the_rules(learners, old, noise):
    org = generate(learners, learners, noise=noise, old_contacts=old)
    assert len(org.learners) == learners
    numbers = _wisenet_numbers(org)
    if old is not None:
        assert sum(c.get("ContactNumber") not in numbers for c in org.contacts) <= old + 1
    active = Counter(name_key(c["Name"]) for c in org.contacts if c["ContactStatus"] == "ACTIVE")
    assert not active or max(active.values()) == 1
    ids = {c["ContactID"] for c in org.contacts}
    assert all(r["old_contact_id"] in ids for r in org.truth["duplicates"] + org.truth["lookalikes"])


@pytest.mark.parametrize("kwargs", [{"learners": 0}, {"learners": 10, "noise": -1}, {"learners": 10, "old_contacts": -5}])
def test_bad_arguments_are_refused_with_a_hint(kwargs):
    with pytest.raises(InputError) as info:
        generate(1, **kwargs)
    assert info.value.hint


def test_records_validate_against_the_official_xero_schemas(demo):
    if not SPEC.exists():
        pytest.skip(f"Xero OpenAPI spec not found at {SPEC}; set WXSYNC_XERO_SPEC to its path to run this test")
    yaml = pytest.importorskip("yaml")
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    registry = Registry().with_resource("urn:xero", Resource.from_contents(spec, default_specification=DRAFT4))
    org, _ = demo
    groups = {"Contact": org.contacts, "Invoice": org.invoices, "CreditNote": org.credit_notes,
              "Overpayment": org.overpayments, "Prepayment": org.prepayments,
              "RepeatingInvoice": org.repeating_invoices, "Account": org.accounts, "Organisation": [org.organisation]}
    for schema, records in groups.items():
        validator = jsonschema.Draft4Validator({"$ref": f"urn:xero#/components/schemas/{schema}"}, registry=registry)
        assert records
        for rec in records[:: max(1, len(records) // 200)]:
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(rec)]
            assert not errors, (schema, errors[:3])


@pytest.mark.parametrize("seed", range(8))
def test_dates_are_in_order_for_many_seeds(seed):
    org = generate(seed, 150)
    first = org.first_connection_date
    assert org.organisation["CreatedDateUTC"][:10] < first
    for inv in org.invoices:
        assert inv["DueDate"] >= inv["Date"] and inv["UpdatedDateUTC"][:10] >= inv["Date"]
        assert all(p["Date"] >= inv["Date"] for p in inv["Payments"])
    for doc in (*org.credit_notes, *org.overpayments, *org.prepayments):
        assert all(a["Date"] >= doc["Date"] for a in doc["Allocations"])
    numbers = _wisenet_numbers(org)
    for c in org.contacts:
        if c.get("ContactNumber") in numbers and c["ContactStatus"] == "ACTIVE":
            assert c["UpdatedDateUTC"][:10] >= first
    assert all(w["UpdateDateUtc"][:10] >= w["Date"] >= first for w in org.wisenet_invoices)
