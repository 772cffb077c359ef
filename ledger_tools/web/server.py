"""Starting the workbench: ``ledger serve`` and the ``ledger-workbench`` launcher.

uvicorn serves the application on 127.0.0.1 only (SPEC §9: nothing on the network can reach
it), on a free port unless one is asked for; the address with its token is printed and
opened in the default browser. Ctrl-C stops it, and its private folder goes with it.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path

import uvicorn

from ledger_tools.errors import UsageError
from ledger_tools.web.app import create_app
from ledger_tools.web.security import Guard, Secrets

__all__ = ["HOST", "background", "check_ledger", "free_port", "serve", "subprocess_server"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def check_ledger(ledger: Path) -> Path:
    """The ledger must be there before a server starts for it (the pages say the rest)."""
    ledger = Path(ledger)
    if not ledger.is_file():
        raise UsageError(f"找不到台账文件：{ledger}。请检查路径。")
    if ledger.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"{ledger} 不是 Excel 工作簿（.xlsx）。请选择台账文件。")
    return ledger.resolve()


def serve(
    ledger: Path,
    port: int | None = None,
    *,
    open_browser: bool = True,
    tell: Callable[[str], None] = print,
) -> None:
    """Serve the workbench for ``ledger`` until Ctrl-C."""
    ledger = check_ledger(ledger)
    if port is not None and not (1 <= port <= 65535):
        raise UsageError(f"端口「{port}」无效，请写 1–65535 之间的数，或不写由程序自选。")
    if port is not None and not _port_is_free(port):
        raise UsageError(f"端口 {port} 已被占用。请换一个端口（--port），或不写由程序自选。")
    keys = Secrets(port=port or free_port())
    app = create_app(ledger, keys)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=HOST, port=keys.port, log_level="warning", access_log=False, lifespan="on"
        )
    )
    address = keys.address()
    tell(f"督查台账工作台已启动：{address}")
    tell("请用浏览器打开上面的地址（含访问令牌，请勿发给他人）。按 Ctrl-C 停止。")
    if open_browser:
        threading.Timer(0.8, webbrowser.open, [address]).start()
    try:
        server.run()
    finally:
        app.bench.tasks.close()


@contextlib.contextmanager
def background(ledger: Path, port: int | None = None) -> Iterator[tuple[str, Guard]]:
    """The workbench served from a thread while the block runs: (address, application).

    For the screenshot script and the browser tests, which drive it from the same process.
    """
    ledger = check_ledger(ledger)
    keys = Secrets(port=port or free_port())
    app = create_app(ledger, keys)
    server = uvicorn.Server(
        uvicorn.Config(app, host=HOST, port=keys.port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="workbench", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the workbench did not start")
        time.sleep(0.05)
    try:
        yield keys.address(), app
    finally:
        server.should_exit = True
        thread.join(10)
        app.bench.tasks.close()


@contextlib.contextmanager
def subprocess_server(ledger: Path, port: int | None = None) -> Iterator[str]:
    """``ledger serve LEDGER --no-browser`` in a process of its own while the block runs: its
    address. How the browser tests and the screenshot script meet the workbench exactly as a
    clerk does (a process of its own, so its job processes fork from nothing of the caller's).
    """
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ledger_tools",
            "serve",
            str(ledger),
            "--no-browser",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://\S+", line)
        if not found:
            raise RuntimeError(f"the workbench did not start: {line}{proc.stdout.read()}")
        _wait_for(port, proc)
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for(port: int, proc: subprocess.Popen) -> None:
    """The address is printed just before the server listens: wait until it does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the workbench did not start listening")
