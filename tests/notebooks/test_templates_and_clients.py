"""Template notebooks (structure, literal parameters, no outputs) and client workspaces."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from wxsync.cli import main
from wxsync.clients import STEPS, TEMPLATES_DIR, new_client
from wxsync.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SECRET_PARAMETER = re.compile(r"^\w*(api_key|secret|password|token)\w*\s*=", re.I | re.M)


def _nb(step: str) -> nbformat.NotebookNode:
    return nbformat.read(TEMPLATES_DIR / f"{step}.ipynb", as_version=4)


def test_committed_notebooks_match_their_builder():
    done = subprocess.run([sys.executable, str(ROOT / "notebooks" / "_build.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("step", STEPS)
def test_notebook_shape(step):
    nb = _nb(step)
    nbformat.validate(nb)
    first, params, last = nb.cells[0], nb.cells[1], nb.cells[-1]
    assert first.cell_type == "markdown"
    assert "What this step does" in first.source and "What you must check" in first.source
    assert params.metadata.get("tags") == ["parameters"]
    tree = ast.parse(params.source)
    assert tree.body and all(isinstance(s, ast.Assign) for s in tree.body)
    for statement in tree.body:  # literals only (a dict of literals for a CSV column mapping)
        ast.literal_eval(statement.value)
    assert not SECRET_PARAMETER.search(params.source)  # secrets go through the masked prompt, never a parameter
    names = {t.id for s in tree.body for t in s.targets}
    assert {"client", "data_dir"} <= names
    assert set(pm.inspect_notebook(str(TEMPLATES_DIR / f"{step}.ipynb"))) == names  # papermill reads them all
    assert last.cell_type == "markdown" and last.source.startswith("## Next")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            body = ast.parse(cell.source).body
            # no step logic in notebooks: only calls into the library (and parameter switches)
            assert not any(isinstance(s, ast.FunctionDef | ast.ClassDef | ast.For | ast.While) for s in body)
            assert cell is params or len(cell.source.splitlines()) <= 6


def test_new_client_creates_workspace_with_filled_notebooks(tmp_path):
    ws = new_client("acme-training", tmp_path, sandbox_url="http://127.0.0.1:9999/")
    for sub in ("notebooks", "snapshots", "evidence"):
        assert (ws.root / sub).is_dir()
    assert ws.settings["sandbox"]["url"] == "http://127.0.0.1:9999"
    assert ws.settings["client"]["name"] == "acme-training"
    assert (ws.root / ".gitignore").read_text().strip().endswith("*")
    for step in STEPS:
        nb = nbformat.read(ws.notebooks_dir / f"{step}.ipynb", as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1
        assert 'client = "acme-training"' in injected[0].source
        assert f'data_dir = "{tmp_path.resolve()}"' in injected[0].source
        assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")


def test_clients_never_touch_each_other(tmp_path):
    a = new_client("alpha", tmp_path)
    record = a.notebooks_dir / "02_review_duplicates.ipynb"
    record.write_text(record.read_text() + " ")  # stands for the executed record of client alpha
    stamp = record.read_bytes()
    b = new_client("beta", tmp_path)
    again = new_client("alpha", tmp_path)  # reopening keeps alpha's executed notebooks
    assert record.read_bytes() == stamp and again.root == a.root
    assert sorted(p.name for p in b.root.rglob("*") if p.is_file()) == sorted(
        p.name for p in a.root.rglob("*") if p.is_file())
    beta_nb = (b.notebooks_dir / "02_review_duplicates.ipynb").read_text()
    assert '"alpha"' not in beta_nb


@pytest.mark.parametrize("name", ["../evil", "a/b", "", ".hidden", "x" * 80, "spaces here"])
def test_unsafe_client_names_are_refused(tmp_path, name):
    with pytest.raises(InputError):
        new_client(name, tmp_path)
    assert not any(tmp_path.iterdir())


def test_names_differing_only_in_case_and_symlinks_are_refused(tmp_path):
    new_client("Acme", tmp_path)
    with pytest.raises(InputError, match="differs only in case"):
        new_client("acme", tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "other")
    with pytest.raises(InputError, match="link"):
        new_client("linked", tmp_path)
    assert not any((tmp_path / "other").iterdir())


def test_cli_client_new(tmp_path, capsys):
    assert main(["client", "new", "cli-client", "--data-dir", str(tmp_path)]) == 0
    assert "00_connect.ipynb" in capsys.readouterr().out
    assert (tmp_path / "cli-client" / "notebooks" / "04_resync.ipynb").exists()
    assert main(["client", "new", "../bad", "--data-dir", str(tmp_path)]) == 2
