"""CSV evidence of a merge: ``evidence/merges.csv`` (one row per pair) and ``evidence/summary.csv``.

Both open cleanly in Excel: UTF-8 with a byte-order mark, ISO 8601 dates, one header row. They carry
identifying contact fields and decisions only, never tokens, client secrets or API keys.
``resync_verification`` is filled from ``evidence/resync.csv`` (written by :mod:`wxsync.resync`, columns
``learner_number, status, detail``) when that file exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.csvfiles import read_excel_csv, write_excel_csv
from wxsync.timestamps import utc_now

MERGES_COLUMNS = [
    "client", "tenant_name", "tenant_id",
    "old_contact_id", "old_name", "old_email", "old_phone", "old_contact_number",
    "wisenet_contact_id", "wisenet_name", "wisenet_email", "wisenet_phone", "wisenet_contact_number",
    "learner_number", "score", "band", "reasons", "ticked_by", "ticked_at",
    "planned_route", "route", "route_reason", "documents_moved", "n_documents_moved", "archived_at",
    "verification", "verified_at", "outcome", "message", "resync_verification", "run_id",
]


RESYNC_PROBLEMS = ("missing", "extra", "amount_differs")
"""Statuses :mod:`wxsync.resync_compare` gives a learner whose documents did not all arrive in Wisenet."""


def _resync_column(evidence_dir: Path, learners: pd.Series) -> pd.Series:
    path = evidence_dir / "resync.csv"
    if not path.exists():
        return pd.Series([""] * len(learners), index=learners.index)
    resync = read_excel_csv(path)
    if "learner_number" not in resync.columns:
        return pd.Series([""] * len(learners), index=learners.index)
    status = resync.get("status", pd.Series([""] * len(resync)))
    detail = resync.get("detail", pd.Series([""] * len(resync)))
    text = [f"{s}: {d}" if d else s for s, d in zip(status, detail, strict=False)]
    by_learner = dict(zip(resync["learner_number"], text, strict=False))
    return learners.astype(str).map(lambda n: by_learner.get(n, ""))


def _outcome(row: pd.Series) -> str:
    if row["verification"] == "verified":
        return "merged with Xero's merge" if row["route"] == "xero_ui" else "merged through the API"
    return str(row.get("outcome", "") or "not executed")


def merges_frame(results: pd.DataFrame, verification: pd.DataFrame | None, *, client: str,
                 tenant_name: str, tenant_id: str, evidence_dir: Path) -> pd.DataFrame:
    """The rows of ``merges.csv`` (one per pair)."""
    out = results.copy()
    if "planned_route" not in out.columns:
        out["planned_route"] = out["route"]
    out["route_reason"] = out["reason"]
    for col in ("documents_moved", "archived_at"):
        if col not in out.columns:
            out[col] = ""
    if "n_documents_moved" not in out.columns:
        out["n_documents_moved"] = 0
    if verification is not None and len(verification):
        cols = ["old_contact_id", "wisenet_contact_id", "verification", "verified_at"]
        ver = verification[cols + (["archived_at"] if "archived_at" in verification.columns else [])]
        ver = ver.rename(columns={"archived_at": "_seen_archived_at"})
        out = out.drop(columns=[c for c in ("verification", "verified_at") if c in out.columns]).merge(
            ver, on=["old_contact_id", "wisenet_contact_id"], how="left")
        out["verification"] = out["verification"].fillna("not verified yet")
        out["verified_at"] = out["verified_at"].fillna("")
        if "_seen_archived_at" in out.columns:
            seen = out["_seen_archived_at"].fillna("")
            out["archived_at"] = out["archived_at"].fillna("").where(out["archived_at"].fillna("") != "", seen)
        # Xero's own merge moved every document the old contact had
        by_xero = (out["route"] == "xero_ui") & (out["verification"] == "verified")
        out.loc[by_xero, "documents_moved"] = out.loc[by_xero, "document_numbers"].map(
            lambda v: ";".join(n for n in str(v).split(";") if n))
        out.loc[by_xero, "n_documents_moved"] = out.loc[by_xero, "n_documents"]
    else:
        out["verification"] = "not verified yet"
        out["verified_at"] = ""
    out["client"] = client
    out["tenant_name"] = tenant_name or (out["tenant_name"] if "tenant_name" in out.columns else "")
    out["tenant_id"] = tenant_id or (out["tenant_id"] if "tenant_id" in out.columns else "")
    out["outcome"] = out.apply(_outcome, axis=1) if len(out) else ""
    out["resync_verification"] = _resync_column(evidence_dir, out["learner_number"])
    for col in MERGES_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[MERGES_COLUMNS].copy()
    out["score"] = pd.to_numeric(out["score"], errors="coerce").round(4)
    return out


def summary_frame(merges: pd.DataFrame, *, client: str, tenant_name: str, tenant_id: str,
                  api_calls: int | None = None) -> pd.DataFrame:
    """The run's counts as ``metric, value`` rows."""
    ver = merges["verification"] == "verified"
    resync_status = merges["resync_verification"].astype(str).str.split(":", n=1).str[0].str.strip()
    items: list[tuple[str, Any]] = [
        ("client", client), ("tenant_name", tenant_name), ("tenant_id", tenant_id),
        ("generated_at", utc_now()), ("pairs", len(merges)),
    ]
    for route in ("archive", "repoint", "xero_ui", "blocked"):
        items.append((f"planned_{route}", int((merges["planned_route"] == route).sum())))
    for route in ("archive", "repoint", "xero_ui", "blocked"):
        items.append((f"final_{route}", int((merges["route"] == route).sum())))
    items += [
        ("fallbacks_to_xero_ui", int(((merges["planned_route"] != merges["route"])
                                      & (merges["route"] == "xero_ui")).sum())),
        ("documents_moved", int(pd.to_numeric(merges["n_documents_moved"], errors="coerce").fillna(0).sum())),
        ("verified", int(ver.sum())), ("not_verified", int((~ver).sum())),
        ("merged_through_api", int((merges["outcome"] == "merged through the API").sum())),
        ("merged_with_xero_merge", int((merges["outcome"] == "merged with Xero's merge").sum())),
        ("resync_clean", int((resync_status == "clean").sum())),
        ("resync_not_clean", int(resync_status.isin(RESYNC_PROBLEMS).sum())),
        ("resync_not_checked", int((resync_status == "").sum())),
        ("runs", ";".join(sorted({r for r in merges["run_id"].astype(str) if r}))),
    ]
    if api_calls is not None:
        items.append(("api_calls", int(api_calls)))
    return pd.DataFrame(items, columns=["metric", "value"])


def export(ws: Any, results: pd.DataFrame, verification: pd.DataFrame | None = None, *,
           api_calls: int | None = None, client: str | None = None, tenant_name: str | None = None,
           tenant_id: str | None = None) -> dict[str, Path]:
    """Write ``merges.csv`` and ``summary.csv`` into the workspace's ``evidence/`` folder.

    ``results`` is the frame :func:`wxsync.merge.execute` returned (or a plan), ``verification`` the one
    :func:`wxsync.merge.verify` returned. Returns the paths written.
    """
    settings = getattr(ws, "settings", {}) or {}
    xero = settings.get("xero", {})
    client = client or settings.get("client", {}).get("name") or getattr(ws, "name", "")
    tenant_name = tenant_name or xero.get("tenant_name", "")
    tenant_id = tenant_id or xero.get("tenant_id", "")
    evidence_dir = Path(ws.evidence_dir)
    merges = merges_frame(results, verification, client=client, tenant_name=tenant_name,
                          tenant_id=tenant_id, evidence_dir=evidence_dir)
    summary = summary_frame(merges, client=client, tenant_name=tenant_name or "", tenant_id=tenant_id or "",
                            api_calls=api_calls)
    paths = {"merges": evidence_dir / "merges.csv", "summary": evidence_dir / "summary.csv"}
    write_excel_csv(merges, paths["merges"])
    write_excel_csv(summary, paths["summary"])
    return paths
