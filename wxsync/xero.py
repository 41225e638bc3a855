"""XeroClient: the Xero Accounting API through the official xero-python SDK, as raw JSON.

Requests go through the SDK's ``ApiClient.call_api`` with its OAuth2 auth settings (so the SDK refreshes
and rotates tokens through our getter/saver) and ``_preload_content=False``: we parse the JSON ourselves,
so values the SDK's strict enums reject (``AddressType: DELIVERY``) never crash a load. Every call is
rate limited (:mod:`wxsync.ratelimit`), retried on throttles, 5xx and dropped connections, and counted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import urllib3
from tqdm.auto import tqdm
from xero_python.api_client import ApiClient, Configuration
from xero_python.exceptions import AccessTokenExpiredError, ApiException, HTTPStatusException

from wxsync.auth import RotatingOAuth2Token, TokenSource
from wxsync.config import Workspace, XeroSettings
from wxsync.errors import AuthError, TenantMismatchError, WxsyncError, XeroValidationError
from wxsync.ratelimit import MinuteBudget, Transient, check_status, with_retries

PAGE_SIZE = 1000
DOCUMENT_KINDS = {
    # key in load_documents() -> (resource path, envelope key, paged)
    "invoices": ("/Invoices", "Invoices", True),
    "credit_notes": ("/CreditNotes", "CreditNotes", True),
    "overpayments": ("/Overpayments", "Overpayments", True),
    "prepayments": ("/Prepayments", "Prepayments", True),
    "repeating_invoices": ("/RepeatingInvoices", "RepeatingInvoices", False),
}


class NotFoundError(WxsyncError):
    """Xero answered 404 for something we asked by id."""


@dataclass
class XeroResponse:
    status: int
    headers: dict[str, str]
    data: Any = field(default=None)


def validation_messages(data: Any) -> list[str]:
    """All of Xero's validation texts in an error body or a per-element batch result."""
    out: list[str] = []
    if not isinstance(data, dict):
        return out
    for key in ("Elements", "Contacts", "Invoices", "CreditNotes"):
        for el in data.get(key) or []:
            if isinstance(el, dict):
                out += [ve.get("Message", "") for ve in el.get("ValidationErrors") or [] if isinstance(ve, dict)]
    if not out:
        for key in ("Message", "Detail", "error_description", "Title"):
            if data.get(key):
                out.append(str(data[key]))
                break
    return [m for m in out if m]


def _http_date(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _query(params: dict[str, Any] | None) -> list[tuple[str, str]]:
    out = []
    for k, v in (params or {}).items():
        if v is None:
            continue
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (list, tuple, set)):
            v = ",".join(str(x) for x in v)
        out.append((k, str(v)))
    return out


class XeroClient:
    """Raw-JSON Xero client for one organisation (tenant)."""

    def __init__(self, settings: XeroSettings, token_source: TokenSource, tenant_id: str | None = None,
                 minute_limit: int = 60, *, window_s: float = 60.0, concurrent: int = 5,
                 timeout_s: float = 60.0, attempts: int = 8, progress: bool = True,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.settings = settings
        self.tokens = token_source
        self.tenant_id = tenant_id
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.progress = progress
        self.calls = 0
        self.retries = 0
        self.budget = MinuteBudget(minute_limit, window_s, concurrent)
        self._sleep = sleep or time.sleep
        cfg = Configuration()  # quasi-singleton: returns a copy, so set attributes rather than kwargs
        self._oauth = RotatingOAuth2Token(token_source, settings.token_url)
        cfg.oauth2_token = self._oauth
        self._api = ApiClient(cfg, oauth2_token_getter=token_source.get,
                              oauth2_token_saver=token_source.save, pool_threads=1)
        # urllib3 would silently retry 429s (sleeping Retry-After, even hours for the day limit) and
        # dropped connections; every retry must go through our own counted, rate-aware policy instead.
        self._api.rest_client.pool_manager.connection_pool_kw["retries"] = False

    @classmethod
    def for_workspace(cls, ws: Workspace, tokens: TokenSource | None = None, **kwargs: Any) -> XeroClient:
        """A client for a workspace: its URLs, its bound tenant and its saved sign-in."""
        from wxsync.secrets import SecretStore

        tokens = tokens or TokenSource.from_store(SecretStore(ws.name))
        return cls(ws.xero_settings(), tokens, tenant_id=ws.tenant_id, **kwargs)

    @property
    def last_limits(self) -> dict[str, int | None]:
        return dict(self.budget.last_limits)

    # --- tokens ------------------------------------------------------------------------------------
    def _ensure_token(self, force: bool = False) -> None:
        """Refresh (and save) the token before the request when it is (nearly) expired."""
        try:
            self._oauth.update_token(**self.tokens.get())
            if force:
                if not self._oauth.refresh_access_token(self._api):
                    raise AuthError("Xero's sign-in expired and cannot be renewed.",
                                    "Run the sign-in cell of notebook 00_connect again.")
            else:
                self._oauth.get_valid_access_token(self._api)
        except AccessTokenExpiredError as exc:
            raise AuthError("Xero's sign-in expired and cannot be renewed.",
                            "Run the sign-in cell of notebook 00_connect again.") from exc
        except HTTPStatusException as exc:
            check_status(exc.status, exc.headers, "Xero's sign-in service")
            raise AuthError(f"Xero refused to renew the sign-in (HTTP {exc.status}).",
                            "The sign-in was revoked or unused for 60 days: sign in again (notebook 00_connect).") \
                from exc
        except (urllib3.exceptions.HTTPError, ConnectionError) as exc:
            raise Transient(f"token renewal failed: {type(exc).__name__}") from exc

    # --- one request -------------------------------------------------------------------------------
    def _send(self, method: str, url: str, params: dict[str, Any] | None, headers: dict[str, str] | None,
              body: Any, tenant: bool) -> XeroResponse:
        hdrs = {"Accept": "application/json", **(headers or {})}
        if tenant:
            if self.tenant_id is None:
                raise WxsyncError("No Xero organisation is chosen yet.", "Call connect() (notebook 00_connect).")
            hdrs["xero-tenant-id"] = self.tenant_id
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        refreshed = False
        while True:
            self._ensure_token(force=refreshed)
            with self.budget.slot():
                self.calls += 1
                try:
                    raw, status, rheaders = self._api.call_api(
                        url, method, query_params=_query(params), header_params=dict(hdrs), body=body,
                        auth_settings=["OAuth2"], _return_http_data_only=False, _preload_content=False,
                        _request_timeout=(10, self.timeout_s))
                    payload = raw.data
                except HTTPStatusException as exc:
                    status, rheaders, payload = exc.status, exc.headers, exc.body
                except ApiException as exc:  # status 0: transport problem the SDK wrapped
                    raise Transient(f"connection problem: {exc.reason}") from exc
                except (urllib3.exceptions.HTTPError, ConnectionError, TimeoutError) as exc:
                    raise Transient(f"connection problem: {type(exc).__name__}") from exc
            headers_out = {k: v for k, v in (rheaders or {}).items()}
            self.budget.observe(headers_out)
            if status == 401 and not refreshed:
                refreshed = True
                continue
            check_status(status, headers_out)
            try:
                data = json.loads(payload) if payload else None
            except ValueError as exc:
                if 200 <= status < 300:
                    raise Transient("Xero sent a response that is not JSON") from exc
                data = {"Message": payload.decode("utf-8", "replace")[:500] if isinstance(payload, bytes) else ""}
            return XeroResponse(status, headers_out, data)

    def _request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, body: Any = None, tenant: bool = True) -> XeroResponse:
        def on_retry(_exc: BaseException) -> None:
            self.retries += 1

        resp = with_retries(lambda: self._send(method, url, params, headers, body, tenant),
                            what=f"Xero {method} {url.split('?')[0].removeprefix(self.settings.api_base)}",
                            attempts=self.attempts, sleep=self._sleep, on_retry=on_retry)
        if resp.status in (401, 403):
            raise AuthError(f"Xero refused access (HTTP {resp.status}) to this organisation's data.",
                            "Sign in again and allow access to the organisation; check the app's scopes.")
        return resp

    # --- public API --------------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> dict[str, Any]:
        """GET ``{api_base}{path}`` and return the JSON body (raw, no SDK models)."""
        resp = self._request("GET", self.settings.api_base + path, params=params, headers=headers)
        if resp.status == 304:
            return {}
        if resp.status == 404:
            raise NotFoundError(f"Xero has no {path} for this organisation.",
                                "Reload the snapshot: the record may have been deleted or merged.")
        if resp.status >= 400:
            msgs = validation_messages(resp.data)
            raise XeroValidationError(f"Xero refused GET {path}: {'; '.join(msgs) or resp.status}",
                                      "Check the request parameters.", messages=msgs, status=resp.status)
        return resp.data if isinstance(resp.data, dict) else {"data": resp.data}

    def write(self, method: str, path: str, body: Any, *, params: dict[str, Any] | None = None,
              idempotency_key: str) -> XeroResponse:
        """The only raw write (called by the journal). Retries reuse ``idempotency_key``."""
        if not idempotency_key or len(idempotency_key) > 128:
            raise WxsyncError("Every Xero write needs an Idempotency-Key of 1 to 128 characters.",
                              "This is a bug in wxsync; please report it.")
        resp = self._request(method.upper(), self.settings.api_base + path, params=params, body=body,
                             headers={"Idempotency-Key": idempotency_key})
        if resp.status >= 400:
            msgs = validation_messages(resp.data)
            exc = XeroValidationError(f"Xero refused {method.upper()} {path}: {'; '.join(msgs) or resp.status}",
                                      "Read Xero's message; fix the record in Xero or leave this pair to Xero's "
                                      "own merge.", messages=msgs, status=resp.status)
            exc.response = resp  # type: ignore[attr-defined]
            raise exc
        return resp

    def connections(self) -> list[dict[str, Any]]:
        """The organisations this sign-in may access (``GET /connections``)."""
        resp = self._request("GET", self.settings.connections_url, tenant=False)
        return resp.data if isinstance(resp.data, list) else []

    def organisation(self) -> dict[str, Any]:
        orgs = self.get("/Organisation").get("Organisations") or [{}]
        return orgs[0]

    def connect(self, tenant_name: str | None = None, workspace: Workspace | None = None) -> dict[str, Any]:
        """Choose the organisation (by name, or the only one) and bind the workspace to it.

        Returns the organisation record. Raises ``TenantMismatchError`` when the workspace is bound to
        another organisation, ``AuthError`` when the name is not among the connections.
        """
        conns = [c for c in self.connections() if c.get("tenantType", "ORGANISATION") == "ORGANISATION"]
        bound = self.tenant_id or (workspace.tenant_id if workspace else None)
        chosen = None
        if tenant_name:
            want = tenant_name.strip().casefold()
            chosen = next((c for c in conns if str(c.get("tenantName", "")).strip().casefold() == want), None)
            if chosen is None:
                names = ", ".join(repr(c.get("tenantName")) for c in conns) or "none"
                raise AuthError(f"This sign-in has no Xero organisation named {tenant_name!r} (it has: {names}).",
                                "Sign in again and tick that organisation on Xero's consent page.")
        elif bound:
            chosen = next((c for c in conns if c.get("tenantId") == bound), None)
            if chosen is None:
                raise TenantMismatchError(
                    f"The organisation this workspace is bound to ({bound}) is not among this sign-in's "
                    "connections.", "Sign in again and allow access to that organisation.")
        elif len(conns) == 1:
            chosen = conns[0]
        else:
            names = ", ".join(repr(c.get("tenantName")) for c in conns) or "none"
            raise AuthError(f"Choose the Xero organisation by name (connected: {names}).",
                            "Pass tenant_name='...' exactly as Xero shows it.")
        if bound and chosen.get("tenantId") != bound:
            held = (workspace.settings.get("xero", {}).get("tenant_name") if workspace else None) or bound
            raise TenantMismatchError(
                f"This client workspace belongs to the Xero organisation {held!r}, not "
                f"{chosen.get('tenantName')!r}.",
                "Sign in again and pick the organisation this client workspace was created for, or create a "
                "new client workspace for the other organisation.")
        self.tenant_id = chosen["tenantId"]
        org = self.organisation()
        if workspace is not None:
            workspace.bind_tenant(self.tenant_id, org.get("Name") or chosen.get("tenantName", ""),
                                  org.get("ShortCode", ""))
        return org

    # --- paged loads -------------------------------------------------------------------------------
    def iter_pages(self, path: str, key: str, params: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None, start_page: int = 1,
                   desc: str | None = None, initial: int = 0) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(page, body)`` for ``page = start_page, ...`` at pageSize=1000 until the last page."""
        page = start_page
        with tqdm(desc=desc or key, unit=" rec", initial=initial, disable=not self.progress,
                  leave=True) as bar:
            while True:
                body = self.get(path, params={**(params or {}), "page": page, "pageSize": PAGE_SIZE},
                                headers=headers)
                items = body.get(key) or []
                pag = body.get("pagination") or {}
                if pag.get("itemCount") is not None:
                    bar.total = int(pag["itemCount"])
                bar.update(len(items))
                yield page, body
                count = pag.get("pageCount")
                if len(items) < PAGE_SIZE or (count is not None and page >= int(count)):
                    return
                page += 1

    def load_contacts(self, include_archived: bool = True,
                      modified_since: datetime | str | None = None) -> list[dict[str, Any]]:
        """All contacts (archived too by default), paged so ``MergedToContactID`` is present."""
        headers = {"If-Modified-Since": _http_date(modified_since)} if modified_since else None
        out: list[dict[str, Any]] = []
        for _page, body in self.iter_pages("/Contacts", "Contacts", {"includeArchived": include_archived},
                                           headers, desc="Xero contacts"):
            out.extend(body.get("Contacts") or [])
        return out

    def load_document_kind(self, kind: str, params: dict[str, Any] | None = None,
                           modified_since: datetime | str | None = None) -> list[dict[str, Any]]:
        path, key, paged = DOCUMENT_KINDS[kind]
        headers = {"If-Modified-Since": _http_date(modified_since)} if modified_since else None
        if not paged:
            try:
                return list(self.get(path, params=params, headers=headers).get(key) or [])
            except NotFoundError:
                return []
        out: list[dict[str, Any]] = []
        for _page, body in self.iter_pages(path, key, params, headers, desc=f"Xero {kind.replace('_', ' ')}"):
            out.extend(body.get(key) or [])
        return out

    def load_documents(self, contact_ids: Iterable[str] | None = None,
                       modified_since: datetime | str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Documents of every kind, of all contacts or of ``contact_ids``.

        Invoices are asked by ``ContactIDs`` (50 ids per request); the other kinds have no contact
        filter in Xero's API, so they are loaded whole (paged) and filtered here.
        """
        ids = None if contact_ids is None else sorted({str(c) for c in contact_ids if c})
        out: dict[str, list[dict[str, Any]]] = {}
        for kind in DOCUMENT_KINDS:
            if ids is not None and kind == "invoices":
                recs: list[dict[str, Any]] = []
                for i in range(0, len(ids), 50):
                    recs += self.load_document_kind(kind, {"ContactIDs": ids[i:i + 50]}, modified_since)
                out[kind] = recs
                continue
            recs = self.load_document_kind(kind, None, modified_since)
            if ids is not None:
                wanted = set(ids)
                recs = [r for r in recs if (r.get("Contact") or {}).get("ContactID") in wanted]
            out[kind] = recs
        return out

    def check_tenant(self, workspace: Workspace) -> None:
        """Refuse to work when this client's tenant differs from the workspace's."""
        bound = workspace.tenant_id
        if bound and self.tenant_id and bound != self.tenant_id:
            raise TenantMismatchError(f"This client is bound to Xero organisation {bound}, not {self.tenant_id}.",
                                      "Sign in again and choose the organisation this workspace was made for.")
