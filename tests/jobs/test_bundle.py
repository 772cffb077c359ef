"""The offline bundle with a fake pip (no network): every platform and Python asked for, binary
wheels only, scripts that install with --no-index, and pip's failures as Chinese exit-2 errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ledger_tools.errors import UsageError
from ledger_tools.jobs import bundle

OWN = "ledger_tools-0.1.0-py3-none-any.whl"


class FakePip:
    """Records every call; ``wheel`` makes the project's wheel, ``download`` one per platform."""

    def __init__(self, fail_on: str | None = None, output: str = "ok"):
        self.calls: list[list[str]] = []
        self.fail_on = fail_on
        self.output = output

    def __call__(self, args):
        args = list(args)
        self.calls.append(args)
        if self.fail_on == args[0]:
            return bundle.PipRun(1, self.output)
        if args[0] == "wheel":
            folder, name = Path(args[args.index("-w") + 1]), OWN
            assert (Path(args[-1]) / "pyproject.toml").exists()  # built from a copy of the source
        else:
            folder = Path(args[args.index("-d") + 1])
            name = f"python_calamine-0.3-cp311-cp311-{args[args.index('--platform') + 1]}.whl"
        folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(folder / name, "w") as z:
            z.writestr("x", "x")
        return bundle.PipRun(0, self.output)


def _platforms(call: list[str]) -> tuple[str, ...]:
    return tuple(call[i + 1] for i, a in enumerate(call) if a == "--platform")


def test_the_bundle_holds_every_platforms_wheels_and_both_install_scripts(tmp_path):
    pip = FakePip()
    result = bundle.run(tmp_path / "包", runner=pip)
    downloads = [c for c in pip.calls if c[0] == "download"]
    asked = {(_platforms(c), c[c.index("--python-version") + 1]) for c in downloads}
    assert asked == {(t, v) for t in bundle.PLATFORMS.values() for v in bundle.PYTHONS}
    firsts = {t[0] for t, _ in asked}
    assert firsts == {"win_amd64", "manylinux_2_28_x86_64", "manylinux_2_28_aarch64"}
    linux = bundle.PLATFORMS["Linux x86_64（UOS、麒麟等）"]
    assert "manylinux_2_17_x86_64" in linux and "manylinux2014_x86_64" in linux  # older wheels too
    assert set(bundle.PYTHONS) == {"3.10", "3.11", "3.12", "3.13"}
    for call in downloads:
        assert "--only-binary=:all:" in call and call[call.index("--implementation") + 1] == "cp"
        assert call[-1].endswith(OWN)  # the dependencies are those of the project's own wheel
    names = {p.name for p in result.wheels}
    assert OWN in names and len(names) == 4
    assert {p.name for p in result.scripts} == {"安装.bat", "install.sh", "说明.txt"}
    assert result.size > 0 and (tmp_path / "包" / bundle.LOG_NAME).exists()


def test_the_windows_script_is_gbk_with_crlf_and_installs_offline(tmp_path):
    bundle.run(tmp_path, runner=FakePip())
    raw = (tmp_path / "安装.bat").read_bytes()
    text = raw.decode("gbk")  # cmd.exe on a Chinese Windows reads batch files in cp936
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert 'py -m pip install --no-index --find-links "%~dp0wheels" ledger_tools' in text
    special = set(b'|&<>^%()"!')
    for ch in set(text) - set(text.encode("ascii", "ignore").decode()):
        assert not special & set(ch.encode("gbk")), f"{ch} has a byte cmd.exe would parse"


def test_the_linux_script_installs_offline_and_the_note_is_chinese(tmp_path):
    bundle.run(tmp_path, runner=FakePip())
    sh = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert sh.startswith("#!/bin/sh") and "\r" not in sh
    assert "-m pip install --no-index --find-links ./wheels ledger_tools" in sh
    note = (tmp_path / "说明.txt").read_text(encoding="utf-8-sig")
    assert "安装.bat" in note and "install.sh" in note and "Python 3.10" in note


@pytest.mark.parametrize(
    "output, said",
    [
        ("ERROR: ... NewConnectionError: Failed to establish a new connection", "无法连接"),
        ("ERROR: No matching distribution found for python-calamine>=0.2.3", "python-calamine"),
        ("ERROR: something else", "pip 运行失败"),
    ],
)
def test_a_failing_download_is_a_chinese_usage_error_pointing_at_the_log(tmp_path, output, said):
    with pytest.raises(UsageError) as caught:
        bundle.run(tmp_path, runner=FakePip(fail_on="download", output=output))
    message = str(caught.value)
    assert caught.value.exit_code == 2 and said in message and bundle.LOG_NAME in message
    assert output in (tmp_path / bundle.LOG_NAME).read_text(encoding="utf-8")


def test_a_failing_build_of_the_own_wheel_is_refused(tmp_path):
    with pytest.raises(UsageError, match="生成本工具的安装包失败"):
        bundle.run(tmp_path, runner=FakePip(fail_on="wheel"))


def test_a_package_without_its_source_checkout_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle.ledger_tools, "__file__", str(tmp_path / "x" / "__init__.py"))
    with pytest.raises(UsageError, match="源代码"):
        bundle.run(tmp_path / "out", runner=FakePip())
