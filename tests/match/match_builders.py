"""Small hand-built canonical frames for the matching tests (imported by tests/match)."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd

from wxsync.match import classify_contacts
from wxsync.match.classify import CONTACT_COLUMNS, LEARNER_COLUMNS

GIVEN = ("Liam Noah Oliver Jack William James Lucas Henry Thomas Charlie Ethan Mason Harrison Leo Isaac "
         "Olivia Amelia Isla Mia Ava Grace Chloe Zoe Ella Sophie Ruby Lily Harper Evie Matilda Hannah Emily "
         "Priya Arjun Mei Wei Minh Linh Fatima Omar").split()
SURNAMES = ("Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Nguyen Thomas "
            "Walker Harris Lee Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson "
            "Clarke Patel Khan Lewis James Phillips Mitchell Turner Hughes Edwards Morris Cook").split()
STREETS = "George Pitt Elizabeth Collins Bourke Queen King Church High Station Park Victoria".split()
SUBURBS = [("Parramatta", "2150"), ("Fitzroy", "3065"), ("Toowong", "4066"), ("Glenelg", "5045"),
           ("Subiaco", "6008"), ("Hobart", "7000"), ("Newtown", "2042"), ("Carlton", "3053")]


def contact(contact_id: str, name: str, **fields: Any) -> dict[str, Any]:
    """A canonical contacts row; unspecified strings are ""."""
    row: dict[str, Any] = {c: "" for c in CONTACT_COLUMNS}
    row.update(contact_id=contact_id, name=name, status="ACTIVE", is_customer=True, is_supplier=False,
               ar_outstanding=0.0, n_documents=0)
    row.update(fields)
    return row


def wisenet(contact_id: str, first: str, last: str, number: str, **fields: Any) -> dict[str, Any]:
    """A Wisenet-generated contact: Contact Code = learner number, number in the name."""
    fields.setdefault("first_name", first)
    fields.setdefault("last_name", last)
    return contact(contact_id, f"{first} {last} ({number})", contact_number=number, **fields)


def learners_for(contacts: list[dict[str, Any]]) -> pd.DataFrame:
    """One learner per Wisenet contact (by contact_number)."""
    rows = []
    for c in contacts:
        if c["contact_number"].startswith("L"):
            row: dict[str, Any] = {col: "" for col in LEARNER_COLUMNS}
            row.update(learner_id=c["contact_number"][1:], learner_number=c["contact_number"],
                       first_name=c["first_name"], last_name=c["last_name"], email=c["email"],
                       is_active=True, sync_to_xero=True)
            rows.append(row)
    return pd.DataFrame(rows, columns=list(LEARNER_COLUMNS))


def background(seed: int = 7, learners: int = 80, duplicates: int = 30, others: int = 25) -> list[dict[str, Any]]:
    """A small realistic organisation: Wisenet contacts, some old duplicates, unrelated old contacts."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    people = []
    for k in range(learners):
        g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
        sub, pc = rng.choice(SUBURBS)
        person = dict(first=g, last=s, email=f"{g}.{s}{k}@example.com".lower(),
                      phone=f"04{rng.randrange(10**8):08d}", street=f"{rng.randint(1, 300)} {rng.choice(STREETS)} St",
                      city=sub, postcode=pc)
        people.append(person)
        rows.append(wisenet(f"bw{k:03d}", g, s, f"L9{k:04d}", email=person["email"], phone=person["phone"],
                            address_line1=person["street"], city=sub, postcode=pc))
    for k in range(duplicates):
        p = people[k]
        variant = k % 3
        rows.append(contact(
            f"bo{k:03d}", f"{p['first']} {p['last']}",
            email=p["email"] if variant != 1 else "",
            phone=p["phone"].replace("04", "+614", 1) if variant != 2 else "",
            address_line1=p["street"] if variant != 0 else "", city=p["city"], postcode=p["postcode"]))
    for k in range(others):
        g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
        sub, pc = rng.choice(SUBURBS)
        rows.append(contact(f"bx{k:03d}", f"{g} {s}", email=f"{g}{k}@mail.test".lower(),
                            phone=f"07{rng.randrange(10**8):08d}", address_line1=f"{rng.randint(1, 300)} Other Rd",
                            city=sub, postcode=pc))
    return rows


def classified(rows: list[dict[str, Any]], with_background: bool = True) -> pd.DataFrame:
    """Classify ``rows`` (plus the background organisation) against learners built from them."""
    allrows = rows + (background() if with_background else [])
    frame = pd.DataFrame(allrows, columns=list(CONTACT_COLUMNS))
    return classify_contacts(frame, learners_for(allrows))


