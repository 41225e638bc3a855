"""The ``wxsync`` command: ``sandbox``, ``demo``, ``client new``."""

from __future__ import annotations

import argparse
import sys

from wxsync.errors import WxsyncError


def _add_sandbox(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sandbox", help="serve the local Xero + Wisenet emulator on loopback")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--seed", type=int, default=1, help="demo organisation seed (deterministic)")
    p.add_argument("--learners", type=int, default=2000, help="learners in the demo organisation")
    p.add_argument("--state", default=None, help="SQLite file that keeps the sandbox state across restarts")
    p.add_argument("--faults", type=float, default=0.0, help="fraction of API requests that fail (0..1)")
    p.add_argument("--minute-limit", type=int, default=60, help="Xero calls per minute per tenant")
    p.add_argument("--day-limit", type=int, default=5000, help="Xero calls per day per tenant")

    def run(a: argparse.Namespace) -> int:
        from wxsync.sandbox.server import serve

        serve(host=a.host, port=a.port, seed=a.seed, learners=a.learners, state=a.state,
              faults=a.faults, minute_limit=a.minute_limit, day_limit=a.day_limit)
        return 0

    p.set_defaults(run=run)


def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole job on the sandbox (JupyterLab, or --headless)")
    p.add_argument("--headless", action="store_true", help="execute the notebooks with papermill, no browser")
    p.add_argument("--data-dir", default="data", help="where the demo workspace lives (default ./data)")
    p.add_argument("--faults", type=float, default=0.0, help="sandbox fault rate for a robustness run")
    p.add_argument("--learners", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--port", type=int, default=0, help="sandbox port (0 picks a free one)")
    p.add_argument("--minute-limit", type=int, default=60,
                   help="sandbox Xero calls per minute (default 60, Xero's real limit)")

    def run(a: argparse.Namespace) -> int:
        from wxsync.demo import run_demo

        return run_demo(headless=a.headless, data_dir=a.data_dir, faults=a.faults,
                        learners=a.learners, seed=a.seed, port=a.port, minute_limit=a.minute_limit)

    p.set_defaults(run=run)


def _add_client(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("client", help="manage client workspaces")
    csub = p.add_subparsers(dest="client_cmd", required=True)
    n = csub.add_parser("new", help="create data/NAME/ with its own copies of the notebooks")
    n.add_argument("name")
    n.add_argument("--data-dir", default="data")
    n.add_argument("--sandbox-url", default=None, help="bind the client to a running sandbox instead of real Xero")

    def run(a: argparse.Namespace) -> int:
        from wxsync.clients import new_client

        ws = new_client(a.name, data_dir=a.data_dir, sandbox_url=a.sandbox_url)
        print(f"Created {ws.root}. Open {ws.notebooks_dir / '00_connect.ipynb'} in JupyterLab to begin.")
        return 0

    n.set_defaults(run=run)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``wxsync`` command."""
    parser = argparse.ArgumentParser(prog="wxsync", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_sandbox(sub)
    _add_demo(sub)
    _add_client(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``wxsync`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except WxsyncError as exc:
        print(f"wxsync: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("wxsync: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
