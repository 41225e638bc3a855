"""Write the template notebooks ``notebooks/NN_*.ipynb`` from the cells below (no outputs, stable ids).

Run ``python notebooks/_build.py`` after editing; ``--check`` exits non-zero when a committed notebook
differs from what this script writes (used by the tests). Each notebook: what the step does and what to
check, a papermill ``parameters`` cell of literals, a few calls into :mod:`wxsync.steps`, what to do next.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

COMMON_PARAMS = '''client = "demo"        # the client workspace: data/<client>/
data_dir = ""          # empty: the workspace this notebook sits in (or ./data)'''

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "00_connect": [
        ("md", """# Step 0: connect to the client's Xero and Wisenet

**What this step does.** Signs in to Xero (a browser tab opens; pick the client's organisation and
click *Allow access*), shows which organisation you are connected to, and binds this client workspace
to it so that no later step can touch another organisation. Wisenet is read in step 1.

**What you must check.**
* The organisation name printed below is the client's, exactly.
* Type that name into `confirm_org_name` in the parameters cell and run the notebook again: only then
  is the workspace bound to the organisation.
* Tokens and keys are kept in your private per-user store, never in this notebook: paste the Wisenet
  API key (Wisenet LRM > Settings > API Keys) into the password field below and press **Save**. The field
  is cleared at once and only its last four characters are shown. For a Xero *Custom Connection*, save its
  client secret the same way, then run the sign-in cell again. Headless runs read the key from the
  environment variable `WXSYNC_WISENET_API_KEY`; on the sandbox no key is needed."""),
        ("params", COMMON_PARAMS + '''
sandbox_url = ""       # set by wxsync demo; empty: the URL saved in client.toml, else real Xero
xero_client_id = ""    # your Xero app client id; empty: the one saved before (any value on the sandbox)
confirm_org_name = ""  # type the organisation name shown below, then run again'''),
        ("code", """from wxsync import steps

ws = steps.open_workspace(client, data_dir)
steps.use_sandbox(ws, sandbox_url)
ws.root"""),
        ("code", """steps.secret_prompt(ws, "wisenet_api_key", "Wisenet API key")"""),
        ("code", """steps.secret_prompt(ws, "xero_client_secret", "Xero client secret (Custom Connection only)")"""),
        ("code", """connection = steps.connect(ws, client_id=xero_client_id, confirm_org_name=confirm_org_name)
connection"""),
        ("md", """## Next

* If the table above says **bound**, open `01_load.ipynb`.
* If it says **not confirmed**, type the organisation name into `confirm_org_name` and run again.
* If it names a different organisation, stop: sign in again and pick the right one."""),
    ],
    "01_load": [
        ("md", """# Step 1: load contacts, documents and learners

**What this step does.** Reads every Xero contact (archived ones too) and their invoices, credit notes,
overpayments and prepayments, and every Wisenet learner. It saves a snapshot in this client's folder
(an interrupted load resumes), runs the preflight checks and finds the candidate duplicate pairs.

**What you must check.**
* The counts look like the organisation you know.
* The preflight table: how many learners Wisenet cannot sync, per problem (missing name, address,
  postcode, bad email, ...), and the Wisenet or Xero screen that fixes each kind. Every learner row is in
  the preflight CSV named above it; fix them before the resync in step 4.
* The contacts whose Contact Code matches no learner: a typo, a deleted learner, or another tool's codes."""),
        ("params", COMMON_PARAMS + '''
fresh_snapshot = False  # True reloads everything from Xero; False reuses a finished snapshot
learners_csv = ""       # a Wisenet learners CSV export instead of the Wisenet API (optional)'''),
        ("code", """from wxsync import steps

ws = steps.open_workspace(client, data_dir)
loaded = steps.load(ws, fresh=fresh_snapshot, learners_csv=learners_csv)
loaded.counts"""),
        ("code", """print(loaded.preflight_text)
loaded.preflight"""),
        ("code", """loaded.unmatched_codes"""),
        ("code", """loaded.pairs_by_band"""),
        ("md", """## Next

Fix in Wisenet what the preflight table lists (it can wait until before step 4), then open
`02_review_duplicates.ipynb` to review the pairs."""),
    ],
    "02_review_duplicates": [
        ("md", """# Step 2: review the duplicate pairs

**What this step does.** Shows each candidate pair: an old Xero contact and the Wisenet-generated contact
(Contact Code = learner number) that looks like the same person, with a score, a band and the reasons.
**Click a row to tick it** (click again to untick). Every tick is saved at once, with your name and the
time, in this client's `decisions.csv`, and comes back when you reopen this notebook.

**What you must check.**
* Use the filters (band, score, conflict, search) and the detail panel under the table, which compares
  both contacts and their documents side by side.
* Pairs with a **conflict** need care: one old contact matching several learners, a company name,
  an email shared by different people.
* *Tick all high without conflict* is a shortcut; look at the `review` band yourself."""),
        ("params", COMMON_PARAMS + '''
auto_tick_high = False  # True ticks every high-band pair without conflict (headless demo)'''),
        ("code", """from wxsync import steps

ws = steps.open_workspace(client, data_dir)
review = steps.review_table(ws, auto_tick_high=auto_tick_high)
review"""),
        ("code", """steps.review_summary(ws)"""),
        ("md", """## Next

When every pair you want merged is ticked, open `03_merge.ipynb`. Ticks are already saved: there is
nothing else to save here."""),
    ],
    "03_merge": [
        ("md", """# Step 3: merge the ticked pairs

**What this step does.** Plans a route for each ticked pair: `archive` (the old contact has no documents),
`repoint` (its documents can be moved to the Wisenet contact, then it is archived) or `xero_ui` (Xero's own
merge is needed: you do it in Xero from the worklist links). It shows a dry run, executes the API routes
once you type the organisation name, and verifies every pair through the API.

**What you must check.**
* The plan and the dry run: the route of each pair and why.
* Xero's own merge **cannot be undone**. The API routes can be undone while the documents are editable.
* After merging the worklist pairs in Xero, press **Verify**: every pair must say `verified`."""),
        ("params", COMMON_PARAMS + '''
confirm_org_name = ""          # type the organisation name to execute the API routes
policy = "auto"                # "auto", or "xero_ui_only" to send every pair to Xero own merge
history_notes = True           # add a history note to both contacts of each API merge
perform_sandbox_merges = False # demo and tests only: do the worklist merges on the sandbox
undo_run_id = ""               # empty: undo nothing (the runs are listed); a run id: undo its API merges'''),
        ("code", """from wxsync import steps

ws = steps.open_workspace(client, data_dir)
plan = steps.merge_plan(ws, policy=policy, history_notes=history_notes)
steps.plan_table(plan)"""),
        ("code", """print(steps.merge_dry_run(plan))"""),
        ("code", """steps.merge_execute(ws, plan, confirm_org_name=confirm_org_name)"""),
        ("code", """if perform_sandbox_merges:
    steps.sandbox_merge_worklist(ws, plan)
steps.worklist_panel(ws, plan, verify_now=perform_sandbox_merges)"""),
        ("md", """## Undo (only if a merge was wrong)

The API merges (`archive`, `repoint`) of a run can be undone while their documents are still editable:
put the run's id into `undo_run_id` and run this cell. **Xero's own merge (the worklist pairs) cannot be
undone.** With `undo_run_id` empty, this cell only lists the runs."""),
        ("code", """steps.merge_undo(ws, undo_run_id)"""),
        ("md", """## Next

Merge each worklist pair in Xero (the link opens the old contact; choose *Merge* and pick the Wisenet
contact named in the table), then press **Verify**. When every pair is verified, the evidence is in
this client's `evidence/` folder; open `04_resync.ipynb`."""),
    ],
    "04_resync": [
        ("md", """# Step 4: resync Wisenet and check the documents

**What this step does.** Asks you to confirm the date Wisenet was first connected to Xero (a suggestion
from the data is filled in, with the reason), then gives the date to resync invoices from (one year
before) and the exact steps in Wisenet as a checklist. After the resync it compares, per merged learner,
the documents in Xero with the invoices in Wisenet, and writes the result into the evidence.

**What you must check.**
* The first connection date: check it against Wisenet's Connected Apps page or the client's records,
  correct it in the picker if needed and press **Confirm**; the resync date and the checklist appear.
* Do the Wisenet steps exactly as listed, with the date shown, then run the cells below.
* No Wisenet API licence? Export Wisenet report #0442 (synced invoices) as CSV and put its path into
  `report_0442_csv` (and a column mapping into `report_0442_mapping` if its headers are unusual).
* After the resync, every learner in the table should say `clean`; anything else (`missing`, `extra`,
  `amount_differs`) is listed with the reason."""),
        ("params", COMMON_PARAMS + '''
first_connection_date = ""     # YYYY-MM-DD; empty: the confirmed date, else confirm the suggestion below
accept_suggested_date = False  # headless runs: accept the suggested date without the date picker
report_0442_csv = ""           # a Wisenet report #0442 CSV: compare from it instead of the Wisenet API
report_0442_mapping = {}       # e.g. {"number": "Inv #", "learner_number": "Student Ref", "total": "Amount"}
perform_sandbox_resync = False          # demo and tests only: press the sandbox's invoice resync button
perform_sandbox_learner_resync = False  # demo and tests only: press the sandbox's learner resync button'''),
        ("code", """from wxsync import steps

ws = steps.open_workspace(client, data_dir)
steps.first_connection_picker(ws, first_connection_date, accept_suggested_date)"""),
        ("md", """## After the resync in Wisenet

Run the cells below once the date is confirmed and the Wisenet steps are done. If learners were missing
their Wisenet contact, the first table shows which of them now have it in Xero, and what still blocks
the others."""),
        ("code", """resync = steps.resync_instructions(ws)
if perform_sandbox_learner_resync:
    steps.sandbox_learner_resync(ws)
if perform_sandbox_resync:
    steps.sandbox_resync(ws, resync.from_date)
steps.learner_contacts(ws)"""),
        ("code", """comparison = steps.resync_compare(ws, report_0442_csv, report_0442_mapping)
comparison"""),
        ("code", """steps.evidence_summary(ws)"""),
        ("md", """## Next

The job is done for this client when every pair is verified and every learner is `clean`. Send the client
the files in `evidence/`; keep this folder (with these executed notebooks) as your record."""),
    ],
}


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` with stable cell ids and no outputs."""
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for i, (kind, source) in enumerate(NOTEBOOKS[name]):
        cell_id = f"{name[:2]}-{i:02d}"
        if kind == "md":
            cell = new_markdown_cell(source, id=cell_id)
        else:
            cell = new_code_cell(source, id=cell_id)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in NOTEBOOKS:
        path = HERE / f"{name}.ipynb"
        text = nbformat.writes(build(name)) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run python notebooks/_build.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
