"""The steps behind the notebooks: each notebook cell is one call into here, so tests reach every step.

One module per notebook, all re-exported here (``from wxsync import steps; steps.load(ws)``):
``workspace`` (shared: the client workspace, saved frames, API clients), ``connect`` (step 0: secrets
and sign-in), ``load`` (step 1: snapshot, preflight, pairs), ``review`` (step 2: the review widget),
``merge`` (step 3: plan, dry run, execute, worklist, verify, undo), ``resync`` (step 4: the first
connection date, the Wisenet checklist, the learner resync, the Xero-vs-Wisenet comparison).
"""

from wxsync.steps.connect import (
    XERO_SECRET_ITEM,
    connect,
    masked,
    save_secret,
    saved_secret,
    secret_prompt,
    secret_status,
    xero_client_secret,
)
from wxsync.steps.load import Loaded, load
from wxsync.steps.merge import (
    API_ROUTES,
    current_results,
    merge_dry_run,
    merge_execute,
    merge_plan,
    merge_runs,
    merge_undo,
    merge_verify,
    plan_table,
    sandbox_merge_worklist,
    worklist_frame,
    worklist_panel,
)
from wxsync.steps.resync import (
    DateConfirmation,
    FirstConnection,
    ResyncPlan,
    apply_date_parameters,
    confirm_first_connection,
    evidence_summary,
    first_connection,
    first_connection_picker,
    learner_contacts,
    learners_without_contact,
    report_source,
    resync_compare,
    resync_instructions,
    sandbox_learner_resync,
    sandbox_resync,
)
from wxsync.steps.review import review_summary, review_table
from wxsync.steps.workspace import (
    MERGE_DIR,
    REVIEW_DIR,
    REVIEW_FILES,
    SANDBOX_WISENET_KEY,
    WISENET_KEY_ENV,
    WISENET_KEY_ITEM,
    load_frame,
    load_review_inputs,
    open_workspace,
    require_bound,
    review_dir,
    sandbox_url,
    save_frame,
    save_review_inputs,
    secret_store,
    use_sandbox,
    wisenet_api_key,
    wisenet_client,
    xero_client,
)

__all__ = [
    "API_ROUTES", "MERGE_DIR", "REVIEW_DIR", "REVIEW_FILES", "SANDBOX_WISENET_KEY", "WISENET_KEY_ENV",
    "WISENET_KEY_ITEM", "XERO_SECRET_ITEM", "DateConfirmation", "FirstConnection", "Loaded", "ResyncPlan",
    "apply_date_parameters", "confirm_first_connection", "connect", "current_results", "evidence_summary",
    "first_connection", "first_connection_picker", "learner_contacts", "learners_without_contact", "load",
    "load_frame", "load_review_inputs", "masked", "merge_dry_run", "merge_execute", "merge_plan", "merge_runs",
    "merge_undo", "merge_verify", "open_workspace", "plan_table", "report_source", "require_bound",
    "resync_compare", "resync_instructions", "review_dir", "review_summary", "review_table", "sandbox_learner_resync",
    "sandbox_merge_worklist", "sandbox_resync", "sandbox_url", "save_frame", "save_review_inputs", "save_secret",
    "saved_secret", "secret_prompt", "secret_status", "secret_store", "use_sandbox", "wisenet_api_key",
    "wisenet_client", "worklist_frame", "worklist_panel", "xero_client", "xero_client_secret",
]
