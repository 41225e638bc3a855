"""The review table: candidate duplicate pairs the consultant ticks, with filters and a detail panel.

Built on ``itables.widget.ITable(select="multi", maxBytes=0)``: a click toggles a row (a tick), and
``maxBytes=0`` stops itables from silently dropping rows of a large table. ``selected_rows`` holds row
positions in the table's data; this module maps them to pairs. Every tick is written at once to
``decisions.csv`` (see :mod:`wxsync.decisions`) and the ticks are restored when the table is built again.

A filter change builds a fresh ``ITable`` for the filtered rows (itables 2.9 binds its click handlers to
the first DataTable only, so replacing the data of a live table would stop clicks from reaching Python).
Ticks on pairs hidden by a filter are kept.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from itables.widget import ITable

from wxsync import decisions
from wxsync.errors import InputError

BANDS = ("high", "review", "low")
CONFLICT_CHOICES = ("all pairs", "without conflict", "with conflict")
REQUIRED = ("old_contact_id", "wisenet_contact_id", "score", "band")
CONTACT_FIELDS = (
    ("Name", "name"), ("First name", "first_name"), ("Last name", "last_name"), ("Email", "email"),
    ("Phone", "phone"), ("Contact code", "contact_number"), ("Account number", "account_number"),
    ("Status", "status"), ("Address", "address_line1"), ("City", "city"), ("Region", "region"),
    ("Postcode", "postcode"), ("Outstanding (AR)", "ar_outstanding"), ("Documents", "n_documents"),
    ("Updated (UTC)", "updated_utc"), ("Contact id", "contact_id"),
)
EVIDENCE_FIELDS = ("name_score", "email_match", "phone_match", "address_score")
DOCUMENT_FIELDS = ("kind", "number", "status", "date", "total", "amount_due")
_PAIR_KEY = tuple[str, str]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


class ReviewTable(W.VBox):
    """Tick duplicate pairs; ticks are saved to ``decisions_path`` at once and restored on reopening.

    ``pairs`` is the pairs frame of :func:`wxsync.match.find_duplicates`; ``contacts`` (classified contacts)
    and ``documents`` (documents frame) feed the names in the table and the detail panel.
    """

    def __init__(self, pairs: pd.DataFrame, decisions_path: str | Path,
                 contacts: pd.DataFrame | None = None, documents: pd.DataFrame | None = None,
                 by: str | None = None, page_length: int = 25) -> None:
        missing = [c for c in REQUIRED if c not in pairs.columns]
        if missing:
            raise InputError(f"The pairs frame lacks the column(s) {', '.join(missing)}.",
                             "Build it with wxsync.match.find_duplicates.")
        self.pairs = pairs.reset_index(drop=True).copy()
        for col in ("old_contact_id", "wisenet_contact_id"):
            self.pairs[col] = self.pairs[col].astype(str)
        for col in ("learner_number", "reasons", "conflict"):
            if col not in self.pairs:
                self.pairs[col] = ""
            self.pairs[col] = self.pairs[col].map(_text)
        self.decisions_path = Path(decisions_path)
        self.by = by or decisions.current_user()
        self.page_length = page_length
        self._contacts = self._index_contacts(contacts)
        self._documents = documents
        self._keys: list[_PAIR_KEY] = list(zip(self.pairs["old_contact_id"],
                                               self.pairs["wisenet_contact_id"], strict=True))
        self._pos_of = {k: i for i, k in enumerate(self._keys)}
        self._display = self._display_frame()
        self._haystack_cache: pd.Series | None = None
        self._ticked: set[_PAIR_KEY] = decisions.ticked_keys(self.decisions_path) & set(self._pos_of)
        self._view = np.arange(len(self.pairs))
        self._syncing = False  # True while Python sets the table's selection (not a user's click)
        self._syncing_filters = False  # True while set_filters changes several controls at once
        self.last_saved: str = ""

        self.band_filter = W.SelectMultiple(options=list(BANDS), value=list(BANDS), rows=3,
                                            description="Band")
        self.score_filter = W.FloatRangeSlider(value=(0.0, 1.0), min=0.0, max=1.0, step=0.01,
                                               description="Score", continuous_update=False,
                                               readout_format=".2f")
        self.conflict_filter = W.Dropdown(options=list(CONFLICT_CHOICES), value="all pairs",
                                          description="Conflict")
        self.text_filter = W.Text(placeholder="name, email, learner number, reason… then Enter",
                                  description="Search", continuous_update=False)
        for w in (self.band_filter, self.score_filter, self.conflict_filter, self.text_filter):
            w.observe(self._on_filter, names="value")
        self.tick_high_button = W.Button(description="Tick all high without conflict",
                                         layout=W.Layout(width="auto"))
        self.clear_button = W.Button(description="Clear all ticks", button_style="warning",
                                     layout=W.Layout(width="auto"))
        self.tick_high_button.add_class("wxsync-tick-high")
        self.clear_button.add_class("wxsync-clear")
        self.tick_high_button.on_click(lambda _b: self.tick_high_without_conflict())
        self.clear_button.on_click(lambda _b: self.clear())
        self.status = W.Label()
        self.status.add_class("wxsync-status")
        self.detail_number = W.BoundedIntText(value=0, min=0, max=max(len(self.pairs) - 1, 0),
                                              description="Pair #", layout=W.Layout(width="180px"))
        self.detail_button = W.Button(description="Show details")
        self.detail_button.on_click(lambda _b: self.show_detail(self.detail_number.value))
        self.detail = W.HTML("<i>Tick a row, or type its # and press Show details, to compare the two "
                             "contacts side by side.</i>")
        self.detail.add_class("wxsync-detail")
        self._table_box = W.Box(layout=W.Layout(width="100%"))
        self.table = self._new_table()
        filters = W.HBox([self.band_filter, W.VBox([self.score_filter, self.conflict_filter]),
                          self.text_filter])
        actions = W.HBox([self.tick_high_button, self.clear_button, self.status])
        detail_bar = W.HBox([self.detail_number, self.detail_button])
        super().__init__([filters, actions, self._table_box, detail_bar, self.detail])
        self.add_class("wxsync-review")
        self._update_status()

    # ----- public API --------------------------------------------------------------------------
    @property
    def ticked(self) -> pd.DataFrame:
        """The ticked pairs (rows of the pairs frame), in pair order."""
        pos = sorted(self._pos_of[k] for k in self._ticked)
        return self.pairs.iloc[pos]

    @property
    def visible(self) -> pd.DataFrame:
        """The pairs the filters currently show, in table order."""
        return self.pairs.iloc[self._view]

    def tick(self, positions: Iterable[int], ticked: bool = True) -> int:
        """Tick (or untick) pairs by their position (the ``#`` column); saved at once. Returns how many changed."""
        keys = [self._keys[p] for p in self._valid_positions(positions)]
        changed = [k for k in keys if (k in self._ticked) != ticked]
        self._save(changed, ticked)
        self._sync_table_selection()
        return len(changed)

    def tick_high_without_conflict(self) -> int:
        """Tick every pair in the ``high`` band that has no conflict (filters do not matter)."""
        mask = (self.pairs["band"] == "high") & (self.pairs["conflict"].str.strip() == "")
        return self.tick(np.flatnonzero(mask.to_numpy()).tolist(), True)

    def clear(self) -> int:
        """Untick every pair (each untick is recorded with who and when)."""
        return self.tick([self._pos_of[k] for k in self._ticked], False)

    def set_filters(self, bands: Sequence[str] | None = None, score_range: tuple[float, float] | None = None,
                    conflict: str | None = None, text: str | None = None) -> None:
        """Set any of the filters from code (the same as using the controls)."""
        self._syncing_filters = True
        try:
            if bands is not None:
                unknown = set(bands) - set(BANDS)
                if unknown:
                    raise InputError(f"Unknown band(s): {', '.join(sorted(unknown))}.",
                                     f"Use some of {', '.join(BANDS)}.")
                self.band_filter.value = tuple(bands)
            if score_range is not None:
                self.score_filter.value = (float(score_range[0]), float(score_range[1]))
            if conflict is not None:
                if conflict not in CONFLICT_CHOICES:
                    raise InputError(f"Unknown conflict filter {conflict!r}.",
                                     f"Use one of {', '.join(CONFLICT_CHOICES)}.")
                self.conflict_filter.value = conflict
            if text is not None:
                self.text_filter.value = text
        finally:
            self._syncing_filters = False
        self._apply_filters()

    def show_detail(self, position: int) -> None:
        """Show pair ``position`` side by side: both contacts, their documents, the reasons."""
        if not 0 <= position < len(self.pairs):
            self.detail.value = f"<b>There is no pair #{int(position)}.</b>"
            return
        self.detail.value = self._detail_html(position)

    # ----- building ----------------------------------------------------------------------------
    @staticmethod
    def _index_contacts(contacts: pd.DataFrame | None) -> pd.DataFrame | None:
        if contacts is None or "contact_id" not in contacts:
            return None
        frame = contacts.copy()
        frame["contact_id"] = frame["contact_id"].astype(str)
        return frame.drop_duplicates("contact_id").set_index("contact_id", drop=False)

    def _contact_column(self, ids: pd.Series, field: str) -> pd.Series:
        if self._contacts is None or field not in self._contacts:
            return pd.Series([""] * len(ids), index=ids.index, dtype=object)
        return ids.map(self._contacts[field]).map(_text)

    def _display_frame(self) -> pd.DataFrame:
        p = self.pairs
        old_name = self._contact_column(p["old_contact_id"], "name")
        wis_name = self._contact_column(p["wisenet_contact_id"], "name")
        return pd.DataFrame({
            "#": np.arange(len(p)),
            "band": p["band"].astype(str),
            "score": pd.to_numeric(p["score"], errors="coerce").map("{:.3f}".format),  # text: 3x less JSON
            "old contact": old_name.where(old_name != "", p["old_contact_id"]),
            "old email": self._contact_column(p["old_contact_id"], "email"),
            "Wisenet contact": wis_name.where(wis_name != "", p["wisenet_contact_id"]),
            "learner": p["learner_number"],
            "reasons": p["reasons"],
            "conflict": p["conflict"],
        })

    def _search_text(self) -> pd.Series:
        d = self._display
        parts = [d["old contact"], d["old email"], d["Wisenet contact"], d["learner"], d["reasons"],
                 d["conflict"], self._contact_column(self.pairs["wisenet_contact_id"], "email"),
                 self.pairs["old_contact_id"], self.pairs["wisenet_contact_id"]]
        text = parts[0].astype(str)
        for part in parts[1:]:
            text = text + " | " + part.astype(str)
        return text.str.lower()

    def _new_table(self) -> ITable:
        view = self._display.iloc[self._view].reset_index(drop=True)
        selected = [i for i, p in enumerate(self._view) if self._keys[p] in self._ticked]
        table = ITable(view, select="multi", maxBytes=0, showIndex=False, pageLength=self.page_length,
                       deferRender=True, order=[], classes="display compact wxsync-pairs",
                       style="width:100%;margin:0", selected_rows=selected)
        table.observe(self._on_selection, names="selected_rows")
        old = getattr(self, "table", None)
        self._table_box.children = [table]
        if old is not None:
            old.close()
        return table

    # ----- events ------------------------------------------------------------------------------
    def _on_filter(self, _change: dict[str, Any]) -> None:
        if not self._syncing_filters:
            self._apply_filters()

    def _apply_filters(self) -> None:
        p = self.pairs
        score = pd.to_numeric(p["score"], errors="coerce").fillna(0.0)
        lo, hi = self.score_filter.value
        mask = p["band"].isin(self.band_filter.value) & (score >= lo - 1e-9) & (score <= hi + 1e-9)
        has_conflict = p["conflict"].str.strip() != ""
        if self.conflict_filter.value == "without conflict":
            mask &= ~has_conflict
        elif self.conflict_filter.value == "with conflict":
            mask &= has_conflict
        words = self.text_filter.value.strip().lower().split()
        if words and self._haystack_cache is None:
            self._haystack_cache = self._search_text()
        for word in words:
            mask &= self._haystack_cache.str.contains(word, regex=False)
        self._view = np.flatnonzero(mask.to_numpy())
        self.table = self._new_table()
        self._update_status()

    def _on_selection(self, change: dict[str, Any]) -> None:
        if self._syncing or change.get("owner") is not self.table:
            return
        raw = list(change["new"])
        positions = [r for r in raw if 0 <= r < len(self._view)]
        selected = {self._keys[self._view[r]] for r in positions}
        in_view = {self._keys[p] for p in self._view}
        before = self._ticked & in_view
        added, removed = sorted(selected - before), sorted(before - selected)
        self._save(added, True)
        self._save(removed, False)
        if len(positions) != len(raw):
            self._sync_table_selection()
            self.status.value += f" (ignored {len(raw) - len(positions)} row(s) outside the table)"
        if added:
            self.show_detail(self._pos_of[added[-1]])

    # ----- helpers -----------------------------------------------------------------------------
    def _valid_positions(self, positions: Iterable[int]) -> list[int]:
        out = []
        for p in positions:
            p = int(p)
            if not 0 <= p < len(self.pairs):
                raise InputError(f"There is no pair #{p} (the table has {len(self.pairs)} pairs).",
                                 "Use the numbers shown in the # column.")
            out.append(p)
        return out

    def _save(self, keys: Sequence[_PAIR_KEY], ticked: bool) -> None:
        if not keys:
            self._update_status()
            return
        rows = self.pairs.iloc[[self._pos_of[k] for k in keys]]
        decisions.record(self.decisions_path, rows, ticked, by=self.by)
        if ticked:
            self._ticked.update(keys)
        else:
            self._ticked.difference_update(keys)
        verb = "ticked" if ticked else "unticked"
        self.last_saved = f"saved: {len(keys)} {verb}"
        self._update_status()

    def _sync_table_selection(self) -> None:
        selected = [i for i, p in enumerate(self._view) if self._keys[p] in self._ticked]
        self._syncing = True
        try:
            self.table.selected_rows = selected
        finally:
            self._syncing = False

    def _update_status(self) -> None:
        n = len(self._ticked)
        text = f"{n} pairs ticked · {len(self._view):,} of {len(self.pairs):,} shown"
        if self.last_saved:
            text += f" · {self.last_saved} to {self.decisions_path.name}"
        self.status.value = text

    def _detail_html(self, position: int) -> str:
        row = self.pairs.iloc[position]
        old_id, wis_id = row["old_contact_id"], row["wisenet_contact_id"]

        def value(contact_id: str, field: str) -> str:
            if self._contacts is None or contact_id not in self._contacts.index or field not in self._contacts:
                return ""
            return html.escape(_text(self._contacts.at[contact_id, field]))

        lines = [f"<h4>Pair #{position}: {html.escape(str(row['band']))}, score "
                 f"{float(row['score']):.3f}{' · TICKED' if self._keys[position] in self._ticked else ''}</h4>",
                 f"<p><b>Reasons:</b> {html.escape(row['reasons']) or '—'}<br>"
                 f"<b>Conflict:</b> {html.escape(row['conflict']) or 'none'}<br>"
                 f"<b>Learner number:</b> {html.escape(row['learner_number'])}</p>"]
        evidence = [f"{f}: {html.escape(_text(row[f]))}" for f in EVIDENCE_FIELDS if f in row.index]
        if evidence:
            lines.append(f"<p><b>Field evidence:</b> {' · '.join(evidence)}</p>")
        lines.append("<table class='wxsync-compare'><tr><th></th><th>Old contact (merged away)</th>"
                     "<th>Wisenet contact (kept)</th></tr>")
        for label, field in CONTACT_FIELDS:
            a = value(old_id, field) if field != "contact_id" else html.escape(old_id)
            b = value(wis_id, field) if field != "contact_id" else html.escape(wis_id)
            style = "" if a == b else " style='background:#fff3cd'"
            lines.append(f"<tr{style}><th style='text-align:left'>{label}</th><td>{a}</td><td>{b}</td></tr>")
        lines.append("</table>")
        lines.append("<div style='display:flex;gap:2em'>")
        for title, cid in (("Documents of the old contact", old_id), ("Documents of the Wisenet contact", wis_id)):
            lines.append(f"<div><b>{title}</b>{self._documents_html(cid)}</div>")
        lines.append("</div>")
        return "\n".join(lines)

    def _documents_html(self, contact_id: str, limit: int = 20) -> str:
        docs = self._documents
        if docs is None or "contact_id" not in docs:
            return "<p><i>documents not loaded</i></p>"
        mine = docs[docs["contact_id"].astype(str) == contact_id]
        if mine.empty:
            return "<p>none</p>"
        cols = [c for c in DOCUMENT_FIELDS if c in mine.columns]
        head = "".join(f"<th>{c}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_text(r[c]))}</td>" for c in cols) + "</tr>"
                       for _, r in mine.head(limit).iterrows())
        more = f"<p>… and {len(mine) - limit} more</p>" if len(mine) > limit else ""
        return f"<table><tr>{head}</tr>{body}</table>{more}"
