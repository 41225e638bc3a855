"""Start JupyterLab on loopback for the demo, the browser tests and the browser benchmark."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from wxsync.errors import WxsyncError

NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LabServer:
    """A running ``jupyter lab``; ``url_for(path)`` gives a browser URL that signs in with the token."""

    process: subprocess.Popen
    port: int
    token: str
    root_dir: Path
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, path: str = "", reset: bool = True) -> str:
        """``/lab/tree/<path>`` with the token (``?reset`` opens a fresh layout, not the last one)."""
        query = ("reset&" if reset else "") + f"token={self.token}"
        return f"{self.url}/lab/tree/{path}?{query}" if path else f"{self.url}/lab?{query}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._log:
            self._log.close()

    def __enter__(self) -> LabServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _own_session_dying_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """New session (terminal Ctrl-C reaches wxsync only) and, on Linux, SIGTERM when wxsync dies."""
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def _isolate(state_dir: Path, env: dict[str, str]) -> list[str]:
    """Own config/runtime/workspaces dirs (no news toast, no cookie secrets in the user's home)."""
    labconfig = state_dir / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": {NEWS_PLUGIN: True}}))
    env["JUPYTER_CONFIG_DIR"] = str(state_dir / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(state_dir / "runtime")
    return [f"--LabApp.workspaces_dir={state_dir / 'workspaces'}"]


def start_lab(root_dir: str | Path, *, port: int = 0, token: str | None = None, state_dir: str | Path | None = None,
              open_browser: bool = False, default_url: str | None = None, env: dict[str, str] | None = None,
              timeout_s: float = 60.0) -> LabServer:
    """Start ``jupyter lab`` on 127.0.0.1 and wait until it answers.

    ``state_dir`` isolates Jupyter's config, runtime and workspace folders (tests). Root is allowed
    because CI runs as root; the server binds loopback only and needs the token.
    """
    root_dir = Path(root_dir).resolve()
    port = port or free_port()
    token = token or secrets.token_urlsafe(24)
    run_env = dict(os.environ if env is None else env)
    state = Path(state_dir) if state_dir else None
    log_dir = state or root_dir
    args = [sys.executable, "-m", "jupyter", "lab", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
            "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
            "--ServerApp.open_browser=" + ("True" if open_browser else "False")]
    if default_url:
        args.append(f"--LabApp.default_url={default_url}")
    if state:
        args += _isolate(state, run_env)
    log_path = log_dir / "jupyterlab.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed by LabServer.stop
    # a Ctrl-C in the terminal reaches wxsync only (which stops Lab cleanly); Lab never outlives wxsync
    proc = subprocess.Popen(args, env=run_env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            cwd=root_dir, preexec_fn=_own_session_dying_with_parent)  # noqa: PLW1509
    server = LabServer(proc, port, token, root_dir, log_path, log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            server.stop()
            raise WxsyncError(f"JupyterLab stopped while starting (see {log_path}).",
                              "Check that the port is free and the virtual environment is complete.")
        try:
            urllib.request.urlopen(f"{server.url}/api/status?token={token}", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise WxsyncError(f"JupyterLab did not answer within {timeout_s:.0f} s (see {log_path}).",
                      "Try again; on a slow machine close other programs first.")
