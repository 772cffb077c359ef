"""ledger bundle DIR: an offline install bundle for intranets with no network (SPEC §11).

Run on a machine that reaches the package index, it writes into DIR:

- ``wheels/``: the project's own wheel, built from the checkout this package runs from (copied
  to a temporary folder first, so that the build leaves nothing in the checkout), and a wheel of
  every dependency for each target platform (``PLATFORMS``) and Python version (``PYTHONS``),
  downloaded by pip with ``--only-binary=:all:`` so that nothing needs a compiler there;
- ``安装.bat`` (Windows: GBK, CRLF, because cmd.exe reads a batch file in the console's code
  page) and ``install.sh`` (Linux), both installing with ``--no-index --find-links wheels``;
- ``说明.txt``: what to do, in Chinese.

The Linux wheels are manylinux_2_28: glibc 2.28 is what UOS 20 and Kylin V10 ship, and pip
accepts every older manylinux wheel for it too. pip is run through ``runner`` (the tests give a
fake one); its log goes to ``DIR/pip日志.txt`` and a failure is a Chinese ``UsageError`` (exit 2)
that points there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ledger_tools
from ledger_tools.errors import UsageError, os_reason
from ledger_tools.sheets.files import output_dir

__all__ = ["PLATFORMS", "PYTHONS", "BundleResult", "PipRun", "platform_args", "run"]


def _manylinux(arch: str) -> tuple[str, ...]:
    """Every manylinux tag a glibc 2.28 system runs, newest first: pip does not widen a
    ``manylinux_2_28`` platform given on its command line to the older tags by itself."""
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)]
    tags.append(f"manylinux2014_{arch}")
    if arch == "x86_64":
        tags += [f"manylinux2010_{arch}", f"manylinux1_{arch}"]
    return tuple(tags)


# name shown to people -> the pip platform tags (each given as a --platform)
PLATFORMS: dict[str, tuple[str, ...]] = {
    "Windows（64 位）": ("win_amd64",),
    "Linux x86_64（UOS、麒麟等）": _manylinux("x86_64"),
    "Linux ARM64（鲲鹏、飞腾等）": _manylinux("aarch64"),
}


def platform_args(tags: tuple[str, ...]) -> list[str]:
    """``--platform T`` for each tag, for pip download and for the CI's dry-run install."""
    return [arg for tag in tags for arg in ("--platform", tag)]


PYTHONS = ("3.10", "3.11", "3.12", "3.13")
PROJECT = "ledger_tools"
LOG_NAME = "pip日志.txt"
# What the project's wheel is built from: the files pyproject.toml needs, nothing else.
_SOURCE_PARTS = ("pyproject.toml", "README.md", "ledger_tools", "templates")


@dataclass
class PipRun:
    """What one pip call gave: its exit status and its output (stdout and stderr together)."""

    returncode: int
    output: str


Runner = Callable[[Sequence[str]], PipRun]


@dataclass
class BundleResult:
    out_dir: Path
    wheels: list[Path] = field(default_factory=list)
    scripts: list[Path] = field(default_factory=list)
    size: int = 0  # bytes, the whole bundle


def pip_runner(args: Sequence[str]) -> PipRun:
    """``python -m pip ARGS`` with this interpreter; its output kept for the log."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as e:
        raise UsageError(
            f"无法运行 pip（{os_reason(e)}）。请确认本机的 Python 带有 pip。"
        ) from None
    return PipRun(done.returncode, (done.stdout or "") + (done.stderr or ""))


def source_checkout() -> Path:
    """The checkout this package runs from (an editable install or PYTHONPATH)."""
    root = Path(ledger_tools.__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and f'name = "{PROJECT}"' in pyproject.read_text(encoding="utf-8"):
        return root
    raise UsageError(
        "找不到 ledger_tools 的源代码。ledger bundle 须在代码仓库的副本中运行："
        "先取得代码，执行 python3 -m pip install -e . 后再运行本命令。"
    )


def _why(output: str) -> str:
    """pip's failure in Chinese: network, a missing wheel, or else see the log."""
    text = output.lower()
    if any(
        s in text
        for s in (
            "connection",
            "network is unreachable",
            "temporary failure in name resolution",
            "name or service not known",
            "max retries",
            "timed out",
            "proxy",
        )
    ):
        return "无法连接 Python 软件包索引（PyPI 或单位的镜像）。请确认本机能上网或能访问镜像"
    missing = re.search(r"no matching distribution found for ([^\s]+)", text)
    if missing:
        return f"软件包索引中没有 {missing.group(1)} 适合该平台的安装包（wheel）"
    return "pip 运行失败"


class _Pip:
    def __init__(self, runner: Runner, log: Path):
        self.runner = runner
        self.log = log
        self.lines: list[str] = []

    def __call__(self, args: list[str], what: str) -> None:
        outcome = self.runner(args)
        self.lines += [f"$ pip {' '.join(args)}", outcome.output.rstrip(), ""]
        self._write_log()
        if outcome.returncode != 0:
            raise UsageError(
                f"{what}失败：{_why(outcome.output)}。详细信息见 {self.log}。"
                "处理后重新运行 ledger bundle。"
            )

    def _write_log(self) -> None:
        try:
            self.log.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        except OSError as e:
            raise UsageError(f"无法写入 {self.log}（{os_reason(e)}）。请检查文件夹权限。") from None


def _own_wheel(pip: _Pip, source: Path, wheels: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="ledger-bundle-") as tmp:
        copy = Path(tmp) / "src"
        copy.mkdir()
        for part in _SOURCE_PARTS:
            origin = source / part
            if origin.is_dir():
                shutil.copytree(origin, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
            elif origin.is_file():
                shutil.copy2(origin, copy / part)
        built = Path(tmp) / "wheel"
        pip(["wheel", "--no-deps", "-q", "-w", str(built), str(copy)], "生成本工具的安装包")
        made = sorted(built.glob(f"{PROJECT}-*.whl"))
        if not made:
            raise UsageError(f"生成本工具的安装包失败：pip 没有生成 wheel。详细信息见 {pip.log}。")
        target = wheels / made[-1].name
        shutil.copy2(made[-1], target)
        return target


def _dependencies(pip: _Pip, own: Path, wheels: Path, progress: Callable[[str], None]) -> None:
    for shown, tags in PLATFORMS.items():
        for version in PYTHONS:
            progress(f"下载依赖：{shown}，Python {version}")
            pip(
                [
                    "download",
                    "-q",
                    "--only-binary=:all:",
                    *platform_args(tags),
                    "--python-version",
                    version,
                    "--implementation",
                    "cp",
                    "-d",
                    str(wheels),
                    str(own),
                ],
                f"下载 {shown}、Python {version} 的依赖包",
            )


BAT = """@echo off
rem ledger_tools offline install for Windows: no network needed
cd /d "%~dp0"
where py >nul 2>nul
if errorlevel 1 goto nopython
py -c "import sys; sys.exit(sys.version_info < (3, 10))"
if errorlevel 1 goto oldpython
py -m pip install --no-index --find-links "%~dp0wheels" ledger_tools
if errorlevel 1 goto failed
py -m ledger_tools --version
echo 安装完成。以后在命令提示符中输入 py -m ledger_tools 加命令即可使用，例如 py -m ledger_tools -h
pause
exit /b 0
:nopython
echo 没有找到 Python。请先安装 Python 3.10 或更新版本，安装时勾选 Add python.exe to PATH，再运行本文件。
pause
exit /b 1
:oldpython
echo 本机的 Python 版本太旧。本工具需要 Python 3.10 或更新版本。
pause
exit /b 1
:failed
echo 安装没有成功。请把本窗口中的信息截图发给维护人员。
pause
exit /b 1
"""

SH = """#!/bin/sh
# ledger_tools offline install for Linux (UOS, Kylin and others): no network needed
cd "$(dirname "$0")" || exit 1
PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "没有找到 python3。请先安装 Python 3.10 或更新版本。"
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "本机的 python3 版本太旧。本工具需要 Python 3.10 或更新版本，可用 PYTHON=python3.11 sh install.sh 指定。"
    exit 1
fi
if ! "$PYTHON" -m pip install --no-index --find-links ./wheels ledger_tools "$@"; then
    echo "安装没有成功。若提示 externally-managed-environment，请先建立虚拟环境："
    echo "  $PYTHON -m venv ~/ledger-env && PYTHON=~/ledger-env/bin/python sh install.sh"
    exit 1
fi
"$PYTHON" -m ledger_tools --version
echo "安装完成。以后输入 ledger -h（或 $PYTHON -m ledger_tools -h）查看全部命令。"
"""

README = """ledger_tools 离线安装包

本文件夹可以拷到不能上网的电脑上安装本工具，不需要联网。

Windows 10/11：
  1. 先安装 Python 3.10 或更新版本（安装时勾选 Add python.exe to PATH）。
  2. 双击“安装.bat”，等窗口显示“安装完成”。
  3. 打开命令提示符，输入 py -m ledger_tools -h 查看全部命令。

信创 Linux（统信 UOS、麒麟）及其他 Linux：
  1. 确认有 Python 3.10 或更新版本：python3 --version。
  2. 在本文件夹中打开终端，运行 sh install.sh。
  3. 输入 ledger -h（或 python3 -m ledger_tools -h）查看全部命令。

wheels 文件夹中是本工具和它用到的全部软件包，适用于 Windows 64 位、
Linux x86_64 和 Linux ARM64（鲲鹏、飞腾），Python 3.10 至 3.13。
请勿删改其中的文件。安装遇到问题时，把窗口中的信息发给维护人员。
"""


def _write(path: Path, text: str, encoding: str, newline: str) -> Path:
    try:
        path.write_text(text, encoding=encoding, newline=newline)
    except OSError as e:
        raise UsageError(f"无法写入 {path}（{os_reason(e)}）。请检查文件夹权限。") from None
    return path


def _scripts(out_dir: Path) -> list[Path]:
    sh = _write(out_dir / "install.sh", SH, "utf-8", "\n")
    sh.chmod(0o755)
    return [
        _write(out_dir / "安装.bat", BAT, "gbk", "\r\n"),
        sh,
        _write(out_dir / "说明.txt", README, "utf-8-sig", "\r\n"),
    ]


def run(
    out_dir: Path,
    *,
    runner: Runner | None = None,
    source: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BundleResult:
    """Write the offline bundle into ``out_dir``; what was written and how big it is."""
    tell = progress or (lambda _message: None)
    source = source or source_checkout()
    out_dir = output_dir(out_dir, "离线安装包")
    wheels = out_dir / "wheels"
    try:
        wheels.mkdir(exist_ok=True)
    except OSError as e:
        raise UsageError(f"无法创建文件夹 {wheels}（{os_reason(e)}）。请检查权限。") from None
    pip = _Pip(runner or pip_runner, out_dir / LOG_NAME)
    tell("生成本工具的安装包")
    own = _own_wheel(pip, source, wheels)
    _dependencies(pip, own, wheels, tell)
    result = BundleResult(out_dir=out_dir, scripts=_scripts(out_dir))
    result.wheels = sorted(wheels.glob("*.whl"))
    result.size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    return result
