"""A run that regenerates golden files fails: LEDGER_REGEN_GOLDEN=1 can never turn CI green.

Each golden-file test module is run as it is, in a subprocess, on a copy of itself and its
golden folder (so the reviewed references in the tree are never touched): with the variable set
it rewrites a stale reference to what the code writes now, and fails saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import REGEN_GOLDEN, assert_matches_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_MODULES = {
    "tests/sheets/forms/test_writer.py": "form_sheet1.xml",
    "tests/sheets/documents/test_briefing.py": "brief-通报.xml",
}


def _regenerate(module: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{REGEN_GOLDEN: "1"})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "golden"]
        + ["--rootdir", str(module.parent), "-c", os.devnull, str(module)],
        cwd=module.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("module, reference", sorted(GOLDEN_MODULES.items()))
def test_regenerating_a_golden_file_fails_and_writes_the_new_reference(tmp_path, module, reference):
    source = ROOT / module
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    shutil.copytree(source.with_name("golden"), tmp_path / "golden")
    stale = tmp_path / "golden" / reference
    stale.write_text("<stale/>\n", encoding="utf-8")

    regen = _regenerate(copy)
    assert regen.returncode == 1, regen.stdout + regen.stderr
    assert "regenerated; review the diff and rerun without LEDGER_REGEN_GOLDEN" in regen.stdout
    # Rewritten to exactly the reviewed reference, which the plain run of the module accepts.
    assert stale.read_bytes() == (source.with_name("golden") / reference).read_bytes()


def test_the_helper_fails_after_writing_and_compares_without_the_variable(tmp_path, monkeypatch):
    golden = tmp_path / "golden" / "part.xml"
    monkeypatch.setenv(REGEN_GOLDEN, "1")
    with pytest.raises(pytest.fail.Exception, match="part.xml regenerated"):
        assert_matches_golden(["<a>", "</a>"], golden)
    assert golden.read_text(encoding="utf-8") == "<a>\n</a>\n"

    monkeypatch.delenv(REGEN_GOLDEN)
    assert_matches_golden(["<a>", "</a>"], golden)
    with pytest.raises(AssertionError):
        assert_matches_golden(["<b/>"], golden)
    assert golden.read_text(encoding="utf-8") == "<a>\n</a>\n"
