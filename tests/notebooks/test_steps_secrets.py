"""Step 0 secrets: typed into a masked prompt, stored in the private store, never shown or kept in widgets."""

from __future__ import annotations

import json

import ipywidgets as W
import pytest

from wxsync import steps
from wxsync.clients import new_client
from wxsync.secrets import SecretStore

KEY = "wk-live-7f3c9a2b5e81d4406a1c-4321"


def _all_widget_state() -> str:
    return json.dumps(W.Widget.get_manager_state(drop_defaults=False), default=str)


def test_prompt_stores_the_key_clears_the_field_and_shows_only_its_end(tmp_path):
    ws = new_client("secret-client", tmp_path)
    prompt = steps.secret_prompt(ws, "wisenet_api_key", "Wisenet API key")
    assert "not saved" in prompt.status.value
    prompt.field.value = KEY  # what the browser syncs when the consultant presses Enter or leaves the field
    assert SecretStore(ws.name).get("wisenet_api_key") == KEY
    assert prompt.field.value == ""
    assert "…4321" in prompt.status.value and KEY not in prompt.status.value
    assert KEY not in _all_widget_state()  # the state a saved notebook would keep
    assert KEY not in json.dumps(prompt._repr_mimebundle_(), default=str)
    prompt.save()  # pressing Save again with an empty field keeps the saved key and says so
    assert SecretStore(ws.name).get("wisenet_api_key") == KEY and "…4321" in prompt.status.value
    assert KEY not in ws.client_toml.read_text() and not any(KEY in p.read_text(errors="ignore")
                                                             for p in ws.root.rglob("*") if p.is_file())
    assert steps.wisenet_api_key(ws) == KEY


def test_save_button_path_and_empty_field_message(tmp_path):
    ws = new_client("button-client", tmp_path)
    prompt = steps.secret_prompt(ws, "xero_client_secret", "Xero client secret")
    prompt.save()
    assert "nothing typed" in prompt.status.value and SecretStore(ws.name).get("xero_client_secret") is None
    prompt.field.unobserve_all("value")  # press the button itself, not the sync handler
    prompt.field.value = "short"
    prompt.save()
    assert SecretStore(ws.name).get("xero_client_secret") == "short"
    assert prompt.field.value == "" and prompt.status.value.endswith(": saved")  # too short to show any of it


def test_headless_key_from_environment_is_not_stored(tmp_path, monkeypatch):
    ws = new_client("headless-client", tmp_path)
    assert steps.wisenet_api_key(ws) == ""  # live client, nothing given
    monkeypatch.setenv("WXSYNC_WISENET_API_KEY", KEY)
    assert steps.wisenet_api_key(ws) == KEY
    status = steps.secret_status(ws, "wisenet_api_key")
    assert status.startswith("from $WXSYNC_WISENET_API_KEY") and KEY not in status and "4321" in status
    assert SecretStore(ws.name).get("wisenet_api_key") is None


def test_connect_never_shows_the_key_and_signs_in_with_a_custom_connection(sandbox, tmp_path):
    ws = new_client("custom-conn", tmp_path, sandbox_url=sandbox.url)
    steps.save_secret(ws, "wisenet_api_key", KEY)
    steps.save_secret(ws, steps.XERO_SECRET_ITEM, "custom-connection-secret-0001")
    table = steps.connect(ws, client_id="custom-app", confirm_org_name=sandbox.state.organisation["Name"])
    assert table.iloc[0]["workspace"] == "bound"
    shown = table.to_string() + table.to_html()
    assert KEY not in shown and "…4321" in shown and "custom-connection-secret" not in shown
    app = SecretStore(ws.name).get("xero_app")
    assert app["client_id"] == "custom-app" and app["client_secret"] == "custom-connection-secret-0001"


def test_connect_has_no_secret_parameter():
    import inspect

    params = set(inspect.signature(steps.connect).parameters)
    assert not {p for p in params if "key" in p or "secret" in p}


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_secret_is_refused(tmp_path, value):
    from wxsync.errors import InputError

    ws = new_client("empty-secret", tmp_path)
    with pytest.raises(InputError, match="Nothing was typed"):
        steps.save_secret(ws, "wisenet_api_key", value)
