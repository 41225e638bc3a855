"""Start the sandbox: in a background thread for tests and the demo, or in the foreground for
``wxsync sandbox``. Loopback only."""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from wxsync.errors import SandboxError
from wxsync.sandbox.app import create_app
from wxsync.sandbox.model import DemoOrg
from wxsync.sandbox.state import SandboxState
from wxsync.sandbox.store import Store

log = logging.getLogger(__name__)


class _QuietHandler(WSGIRequestHandler):
    """No access log lines (tests and the demo would drown in them)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002
        if type == "error":
            log.debug(message, *args)


def _require_loopback(host: str) -> None:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SandboxError(f"The sandbox only listens on loopback; {host!r} is not a loopback address.",
                           "Use --host 127.0.0.1 (the default) or leave --host out.")


def _generate(seed: int, learners: int) -> DemoOrg:
    try:
        from wxsync.sandbox.generator import generate
    except ImportError as exc:  # pragma: no cover - the generator is another module's job
        raise SandboxError("The demo organisation generator is not available.",
                           "Pass org=DemoOrg(...) to start_sandbox, or install wxsync fully.") from exc
    return generate(seed, learners)


def open_store(seed: int, learners: int, state: str | Path | None, org: DemoOrg | None) -> Store:
    """A store with the demo organisation: a new one, or the state file from an earlier run."""
    store = Store(str(state) if state else None)
    if not store.is_seeded():
        store.seed(org if org is not None else _generate(seed, learners))
    return store


class RunningSandbox:
    """A sandbox serving on loopback in a background thread. Use as a context manager or call :meth:`stop`."""

    def __init__(self, server: BaseWSGIServer, state: SandboxState) -> None:
        self._server = server
        self.state = state
        self.store = state.store
        self.clock = state.clock
        self.host = server.host
        self.port = server.port
        self.url = f"http://{server.host}:{server.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"wxsync-sandbox-{self.port}", daemon=True)
        self._thread.start()
        self._stopped = False

    @property
    def tenant_id(self) -> str:
        return self.state.tenant_id

    @property
    def short_code(self) -> str:
        return self.state.short_code

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change limits, faults or latency at run time (same as ``POST /sandbox/config``)."""
        return self.state.configure(**changes)

    def stop(self) -> None:
        """Stop serving and close the store (a state file keeps everything)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(seed: int = 1, learners: int = 200, state: str | Path | None = None, faults: float = 0.0,
                  minute_limit: int = 60, day_limit: int = 5000, concurrent_limit: int = 5,
                  wisenet_per_second: int = 10, host: str = "127.0.0.1", port: int = 0,
                  org: DemoOrg | None = None, *, minute_window_s: float = 60.0, fault_seed: int = 0,
                  wisenet_day_limit: int = 10000, latency_s: float = 0.0) -> RunningSandbox:
    """Serve a sandbox on a loopback port (0 picks a free one) in a background thread."""
    _require_loopback(host)
    store = open_store(seed, learners, state, org)
    sandbox_state = SandboxState(store, faults=faults, fault_seed=fault_seed, minute_limit=minute_limit,
                                 day_limit=day_limit, concurrent_limit=concurrent_limit,
                                 minute_window_s=minute_window_s, wisenet_per_second=wisenet_per_second,
                                 wisenet_day_limit=wisenet_day_limit, latency_s=latency_s)
    try:
        server = make_server(host, port, create_app(sandbox_state), threaded=True, request_handler=_QuietHandler)
    except OSError as exc:
        store.close()
        raise SandboxError(f"The sandbox could not listen on {host}:{port} ({exc}).",
                           "Pick another --port, or stop the program using this one.") from exc
    server.daemon_threads = True
    return RunningSandbox(server, sandbox_state)


def serve(host: str = "127.0.0.1", port: int = 8765, seed: int = 1, learners: int = 2000,
          state: str | None = None, faults: float = 0.0, minute_limit: int = 60, day_limit: int = 5000) -> None:
    """``wxsync sandbox``: serve in the foreground until Ctrl+C."""
    _require_loopback(host)
    started = time.perf_counter()
    sb = start_sandbox(seed=seed, learners=learners, state=state, faults=faults, minute_limit=minute_limit,
                       day_limit=day_limit, host=host, port=port)
    org = sb.state.organisation
    print(f"wxsync sandbox: {org.get('Name')} (tenant {sb.tenant_id}), ready in {time.perf_counter() - started:.1f} s")
    print(f"  Xero API        {sb.url}/api.xro/2.0   (token: {sb.url}/connect/token, "
          f"connections: {sb.url}/connections)")
    print(f"  Xero sign-in    {sb.url}/identity/connect/authorize")
    print(f"  Wisenet API     {sb.url}/v1   (any non-empty x-api-key)")
    print(f"  Xero contacts   {sb.url}/app/{sb.short_code}/contacts/contact/<ContactID>")
    print(f"  Wisenet resync  {sb.url}/wisenet/settings/connected-apps/xero")
    print(f"  Ground truth    {sb.url}/sandbox/truth   stats: {sb.url}/sandbox/stats")
    print(f"  State           {state or 'in memory (lost on stop; use --state FILE to keep it)'}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nwxsync sandbox: stopping.")
    finally:
        sb.stop()
