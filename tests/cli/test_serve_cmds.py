"""ledger serve: the address printed, a bad port or ledger refused with the documented codes."""

from click.testing import CliRunner

from ledger_tools.cli.app import cli


def test_serve_prints_the_address_and_stops_on_ctrl_c(tmp_path, monkeypatch):
    from ledger_tools.web import server

    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(b"PK")
    seen = {}

    def fake_serve(path, port, *, open_browser, tell):
        seen.update(path=path, port=port, open_browser=open_browser)
        tell("督查台账工作台已启动：http://127.0.0.1:8765/?token=x")
        raise KeyboardInterrupt

    monkeypatch.setattr(server, "serve", fake_serve)
    r = CliRunner().invoke(cli, ["serve", str(ledger), "--port", "8765", "--no-browser"])
    assert r.exit_code == 0, r.output
    assert "http://127.0.0.1:8765/" in r.output and "工作台已停止" in r.output
    assert seen == {"path": ledger, "port": 8765, "open_browser": False}


def test_bad_port_and_missing_ledger(tmp_path):
    r = CliRunner().invoke(cli, ["serve", str(tmp_path / "台账.xlsx"), "--port", "七"])
    assert r.exit_code == 2 and "不是有效端口" in r.output
    r = CliRunner().invoke(cli, ["serve", str(tmp_path / "台账.xlsx"), "--no-browser"])
    assert r.exit_code == 2 and "找不到台账文件" in r.output
