"""`ledger bundle` through the command line: the summary on success, exit 2 with a Chinese
message when pip cannot reach the index (a fake pip: no network in the tests)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from ledger_tools.cli import cli
from ledger_tools.jobs import bundle


def _fake_pip(fail: bool):
    def runner(args):
        if fail and args[0] == "download":
            return bundle.PipRun(1, "WARNING: Retrying ... NewConnectionError ... Max retries")
        folder = Path(args[args.index("-w" if args[0] == "wheel" else "-d") + 1])
        folder.mkdir(parents=True, exist_ok=True)
        name = (
            "ledger_tools-0.1.0-py3-none-any.whl"
            if args[0] == "wheel"
            else "click-8.1-py3-none-any.whl"
        )
        with zipfile.ZipFile(folder / name, "w") as z:
            z.writestr("x", "x")
        return bundle.PipRun(0, "ok")

    return runner


def test_the_bundle_is_written_and_summed_up(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "pip_runner", _fake_pip(fail=False))
    r = CliRunner().invoke(cli, ["bundle", str(tmp_path / "离线包")])
    assert r.exit_code == 0, r.output
    assert "离线安装包已生成" in r.output and "安装.bat" in r.output
    assert (tmp_path / "离线包" / "安装.bat").exists()


def test_no_network_is_exit_2_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "pip_runner", _fake_pip(fail=True))
    r = CliRunner().invoke(cli, ["bundle", str(tmp_path / "离线包")])
    assert r.exit_code == 2
    assert "无法连接 Python 软件包索引" in r.output and "Traceback" not in r.output
