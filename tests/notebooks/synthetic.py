"""A synthetic review input (pairs, contacts, documents) of any size, for widget tests and the benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST = ["Olivia", "Jack", "Charlotte", "William", "Amelia", "Noah", "Isla", "Thomas", "Mia", "James",
         "Ava", "Lucas", "Grace", "Henry", "Chloe", "Oliver", "Zoe", "Leo", "Ruby", "Ethan"]
LAST = ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson", "Martin", "White",
        "Anderson", "Walker", "Thompson", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King", "Davies"]


def review_inputs(n: int = 60, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(pairs, contacts, documents)`` with ``n`` pairs; bands and conflicts mixed, positions are pair order."""
    rng = np.random.default_rng(seed)
    first = rng.choice(FIRST, n)
    last = rng.choice(LAST, n)
    learner = [f"{100000 + i:07d}" for i in range(n)]  # leading zeros must survive
    old_ids = [f"old-{i:05d}" for i in range(n)]
    wis_ids = [f"wis-{i:05d}" for i in range(n)]
    score = np.round(rng.uniform(0.05, 1.0, n), 3)
    band = np.where(score >= 0.85, "high", np.where(score >= 0.5, "review", "low"))
    conflict = np.where(rng.uniform(size=n) < 0.12, "email shared by different names", "")
    emails = [f"{f.lower()}.{s.lower()}{i}@example.com.au" for i, (f, s) in enumerate(zip(first, last, strict=True))]
    pairs = pd.DataFrame({
        "old_contact_id": old_ids, "wisenet_contact_id": wis_ids, "learner_number": learner,
        "score": score, "band": band,
        "reasons": [f"email identical +7.3; name {s:.2f} ({f} {s_}) +6.1; phone identical +7.2; street identical "
                    f"+7.1; postcode and suburb agree +6.5; surname identical +3.2"
                    for f, s_, s in zip(first, last, score, strict=True)],  # as long as the matcher's
        "conflict": conflict, "name_score": score, "email_match": score > 0.5,
        "phone_match": score > 0.7, "address_score": np.round(score * 0.9, 3),
    })
    old = pd.DataFrame({"contact_id": old_ids, "name": [f"{f} {s}" for f, s in zip(first, last, strict=True)],
                        "first_name": first, "last_name": last, "email": emails, "phone": "0412 345 678",
                        "contact_number": "", "status": "ACTIVE", "postcode": "3000", "is_wisenet": False,
                        "learner_number": ""})
    wis = pd.DataFrame({"contact_id": wis_ids,
                        "name": [f"{f} {s} {ln}" for f, s, ln in zip(first, last, learner, strict=True)],
                        "first_name": first, "last_name": last, "email": emails, "phone": "+61412345678",
                        "contact_number": learner, "status": "ACTIVE", "postcode": "3000", "is_wisenet": True,
                        "learner_number": learner})
    contacts = pd.concat([old, wis], ignore_index=True)
    documents = pd.DataFrame({
        "document_id": [f"inv-{i:05d}" for i in range(0, n, 3)],
        "kind": "invoice", "number": [f"INV-{i:05d}" for i in range(0, n, 3)],
        "contact_id": [old_ids[i] for i in range(0, n, 3)], "status": "AUTHORISED", "date": "2024-03-01",
        "total": 450.0, "amount_due": 0.0, "has_payments": True})
    return pairs, contacts, documents
