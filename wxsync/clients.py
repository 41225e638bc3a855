"""``wxsync client new NAME``: a client workspace with its own copies of the template notebooks."""

from __future__ import annotations

from pathlib import Path

from wxsync.config import Workspace, default_data_dir
from wxsync.errors import InputError

_PACKAGED = Path(__file__).resolve().parent / "notebooks"  # when a wheel ships them as package data
TEMPLATES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "notebooks"
STEPS = ("00_connect", "01_load", "02_review_duplicates", "03_merge", "04_resync")


def template_notebooks() -> list[Path]:
    """The template notebooks in step order (a clear error if any is missing)."""
    paths = [TEMPLATES_DIR / f"{step}.ipynb" for step in STEPS]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        raise InputError(f"The template notebook(s) {', '.join(missing)} are missing from {TEMPLATES_DIR}.",
                         "Reinstall wxsync from its repository (the notebooks folder is part of it).")
    return paths


def _refuse_unsafe(name: str, data_dir: Path) -> None:
    root = data_dir / name
    if root.is_symlink():
        raise InputError(f"{root} is a link to another folder; wxsync will not write through it.",
                         "Remove the link or pick another client name.")
    if data_dir.is_dir():
        for other in data_dir.iterdir():
            if other.name != name and other.name.lower() == name.lower():
                raise InputError(f"A client named {other.name!r} already exists; {name!r} differs only in case.",
                                 f"Use {other.name!r}, or a clearly different name.")


def new_client(name: str, data_dir: str | Path = "data", sandbox_url: str | None = None,
               overwrite_notebooks: bool = False) -> Workspace:
    """Create ``data_dir/NAME/`` (design section 2) with copies of the notebooks, ``client`` filled in.

    Existing notebook copies are kept (they are the client's executed record) unless
    ``overwrite_notebooks``. ``sandbox_url`` binds the client to a running sandbox instead of real Xero.
    """
    import papermill as pm

    base = Path(data_dir) if data_dir else default_data_dir()
    base.mkdir(parents=True, exist_ok=True)
    _refuse_unsafe(name, base)
    settings = {"sandbox": {"url": sandbox_url.rstrip("/")}} if sandbox_url else None
    ws = Workspace.create(name, base, settings=settings)
    (ws.root / ".gitignore").write_text("# client data never enters git\n*\n", encoding="utf-8")
    root = ws.root.resolve()
    params = {"client": name, "data_dir": str(root.parent)}
    for template in template_notebooks():
        target = (ws.notebooks_dir / template.name).resolve()
        if not target.is_relative_to(root):
            raise InputError(f"{target} is outside the workspace {root}.", "Check the data folder for links.")
        if target.exists() and not overwrite_notebooks:
            continue
        pm.execute_notebook(str(template), str(target), parameters=params, prepare_only=True,
                            kernel_name="python3", language="python", progress_bar=False, log_output=False)
    return ws
