"""Step 0 (``00_connect``): secrets through a masked prompt, Xero sign-in, organisation confirmation."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from wxsync.config import Workspace
from wxsync.errors import InputError
from wxsync.steps.workspace import WISENET_KEY_ENV, WISENET_KEY_ITEM, sandbox_url, secret_store

XERO_SECRET_ITEM = "xero_client_secret"
XERO_SECRET_ENV = "WXSYNC_XERO_CLIENT_SECRET"
SECRET_ENV = {WISENET_KEY_ITEM: WISENET_KEY_ENV, XERO_SECRET_ITEM: XERO_SECRET_ENV}


# ----- secrets: typed into a password field, never into a parameter or an output -----------------
def masked(value: str) -> str:
    """A confirmation that never reveals a secret: its last 4 characters only when it is long."""
    text = str(value or "")
    return f"saved (ends …{text[-4:]})" if len(text) >= 12 else "saved"


def save_secret(ws: Workspace, item: str, value: str) -> str:
    """Store ``value`` in the client's private secret store; the masked confirmation."""
    text = str(value or "").strip()
    if not text:
        raise InputError("Nothing was typed.", "Paste the value into the field, then press Save.")
    secret_store(ws).put(item, text)
    return masked(text)


def saved_secret(ws: Workspace, item: str) -> str:
    """The stored value (a legacy ``{"api_key": ...}`` record too), else "" ."""
    value = secret_store(ws).get(item)
    if isinstance(value, dict):
        value = value.get("api_key") or value.get("value") or ""
    return str(value or "")


def secret_status(ws: Workspace, item: str) -> str:
    """What is known about the secret, masked: saved, from the environment, or not given."""
    if saved_secret(ws, item):
        return masked(saved_secret(ws, item))
    env = SECRET_ENV.get(item)
    if env and os.environ.get(env, "").strip():
        return f"from ${env}" + masked(os.environ[env].strip()).removeprefix("saved")
    return "not saved" + (f" (headless runs read ${env})" if env else "")


def secret_prompt(ws: Workspace, item: str, label: str) -> Any:
    """A password field and a Save button: the value goes to the secret store and the field is cleared
    at once, so the secret is in no parameter, output or saved widget state; only a masked note shows.

    The field syncs only on Enter or when it loses focus, and any synced value is saved and cleared
    straight away, so a typed key never lingers in the widget state a saved notebook keeps.
    """
    import ipywidgets as W

    field = W.Password(description=label, placeholder="paste here, then Save", continuous_update=False,
                       style={"description_width": "initial"}, layout=W.Layout(width="32em"))
    field.add_class("wxsync-secret")
    button = W.Button(description="Save", button_style="primary", icon="lock")
    button.add_class("wxsync-secret-save")
    status = W.Label(value=f"{label}: {secret_status(ws, item)}")
    status.add_class("wxsync-secret-status")

    def save(_b: Any = None) -> None:
        value, field.value = field.value, ""  # cleared before anything else can show or save it
        if not value.strip():
            if not saved_secret(ws, item):
                status.value = f"{label}: nothing typed yet; paste it into the field, then press Save"
            return
        status.value = f"{label}: {save_secret(ws, item, value)}"

    def synced(change: dict) -> None:
        if change["new"]:
            save()

    button.on_click(save)
    field.observe(synced, names="value")
    return SecretPrompt([W.HBox([field, button]), status], field=field, status=status, save=save)


class SecretPrompt:
    """The prompt's widgets (``field``, ``status``) and its ``save`` action; displays as its box."""

    def __init__(self, children: list[Any], *, field: Any, status: Any, save: Any) -> None:
        import ipywidgets as W

        self.box = W.VBox(children)
        self.field, self.status, self.save = field, status, save

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = dict(self.box._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.status.value  # masked: what a headless run's record shows
        return bundle


def xero_client_secret(ws: Workspace) -> str:
    """A Custom Connection's client secret: the saved one, else ``$WXSYNC_XERO_CLIENT_SECRET``, else ""."""
    return saved_secret(ws, XERO_SECRET_ITEM) or os.environ.get(XERO_SECRET_ENV, "").strip()


def _show_link(url: str) -> None:
    """Open the Xero sign-in page: a clickable link in the notebook, and the default browser if any."""
    import html
    import webbrowser

    try:
        from IPython.display import HTML, display

        link = html.escape(url, quote=True)
        display(HTML(f'<p>Sign in to Xero in the tab that opened, or <a href="{link}" target="_blank">'
                     "click here to sign in</a>. This cell waits until you are back.</p>"))
    except ImportError:
        print(f"Sign in to Xero: {url}")
    webbrowser.open(url)


# ----- sign-in and binding -------------------------------------------------------------------------
def connect(ws: Workspace, client_id: str = "", confirm_org_name: str = "", tenant_name: str = "",
            open_browser: Any = None) -> pd.DataFrame:
    """Sign in (or reuse the saved sign-in), show the organisation, bind the workspace once confirmed.

    With a saved client secret (a Xero Custom Connection) the sign-in uses client credentials; otherwise
    PKCE in the browser. On the sandbox the consent page answers at once, so the sign-in needs no click.
    """
    import requests

    from wxsync.auth import TokenSource, sign_in_client_credentials, sign_in_pkce
    from wxsync.errors import AuthError, TenantMismatchError
    from wxsync.xero import XeroClient

    store = secret_store(ws)
    on_sandbox = bool(sandbox_url(ws))

    def sign_in() -> Any:
        app = store.get("xero_app") or {}
        cid = client_id or app.get("client_id", "") or ("wxsync-sandbox" if on_sandbox else "")
        if not cid:
            raise InputError("No Xero app client id is known for this client.",
                             "Put your Xero app's client id in xero_client_id and run again.")
        secret = xero_client_secret(ws)
        if secret:
            return sign_in_client_credentials(ws.xero_settings(), cid, secret, store=store)
        opener = open_browser or ((lambda url: requests.get(url, timeout=30)) if on_sandbox else _show_link)
        return sign_in_pkce(ws.xero_settings(), cid, store=store, open_browser=opener)

    try:
        tokens = TokenSource.from_store(store)
        saved = tokens.has_token()
    except AuthError:
        saved = False
    if not saved:
        tokens = sign_in()
    xero = XeroClient(ws.xero_settings(), tokens, tenant_id=ws.tenant_id, progress=False)
    if saved:
        try:
            xero.connections()
        except AuthError:  # the saved sign-in expired or was revoked: sign in again, once
            store.delete("xero_token")
            xero = XeroClient(ws.xero_settings(), sign_in(), tenant_id=ws.tenant_id, progress=False)
    if ws.tenant_id:
        org = xero.connect(workspace=ws)
        state = "bound"
    else:
        org = xero.connect(tenant_name=tenant_name or None)
        name = str(org.get("Name", ""))
        typed = confirm_org_name.strip()
        if typed and typed.casefold() != name.strip().casefold():
            raise TenantMismatchError(f"You typed {typed!r}, but you are signed in to {name!r}.",
                                      "Type the organisation name exactly as shown, or sign in to the right one.")
        if typed:
            ws.bind_tenant(xero.tenant_id, name, str(org.get("ShortCode", "")))
            state = "bound"
        else:
            state = "not confirmed"
            print(f"Signed in to {name!r}. If this is the client's organisation, type {name!r} into "
                  "confirm_org_name in the parameters cell and run this notebook again.")
    return pd.DataFrame([{"organisation": org.get("Name", ""), "short code": org.get("ShortCode", ""),
                          "tenant id": xero.tenant_id, "workspace": state,
                          "Xero": "sandbox " + sandbox_url(ws) if on_sandbox else "live",
                          "Wisenet API key": secret_status(ws, WISENET_KEY_ITEM),
                          "API calls": xero.calls}])
