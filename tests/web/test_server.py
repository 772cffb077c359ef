"""Starting the workbench: 127.0.0.1 only, a free port or the one asked, a ledger that exists."""

import socket

import httpx
import pytest

from ledger_tools.errors import UsageError
from ledger_tools.web import server


def test_a_missing_or_foreign_file_is_refused(tmp_path):
    with pytest.raises(UsageError, match="找不到台账文件"):
        server.check_ledger(tmp_path / "台账.xlsx")
    (tmp_path / "台账.docx").write_bytes(b"x")
    with pytest.raises(UsageError, match="不是 Excel 工作簿"):
        server.check_ledger(tmp_path / "台账.docx")


def test_a_port_in_use_is_refused(sample):
    with socket.socket() as s:
        s.bind((server.HOST, 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(UsageError, match=f"端口 {port} 已被占用"):
            server.serve(sample, port, open_browser=False, tell=lambda _t: None)


def test_serves_on_loopback_with_the_token_address(sample):
    with server.background(sample) as (address, app):
        assert address.startswith("http://127.0.0.1:") and "token=" in address
        with httpx.Client(follow_redirects=True) as c:
            assert "督办预警" in c.get(address).text
            assert c.get(address.split("/?")[0] + "/items").status_code == 200
        root = app.bench.tasks.root
        assert root.is_dir()
    assert not root.exists()  # the private folder goes with the server
