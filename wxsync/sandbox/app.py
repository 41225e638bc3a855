"""The sandbox's Flask application: Xero identity and Accounting API, Wisenet v1, pages, /sandbox."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from wxsync.sandbox import identity, pages, sandbox_api, wisenet_api, xero_api
from wxsync.sandbox.state import SandboxState

TEMPLATES = Path(__file__).with_name("templates")


def create_app(state: SandboxState) -> Flask:
    """A Flask app serving ``state``."""
    app = Flask("wxsync.sandbox", template_folder=str(TEMPLATES))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["wxsync_sandbox"] = state
    for bp in (identity.bp, xero_api.bp, wisenet_api.bp, pages.bp, sandbox_api.bp):
        app.register_blueprint(bp)
    return app
