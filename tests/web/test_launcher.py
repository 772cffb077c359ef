"""ledger-workbench: the last ledger remembered per user; no tkinter, a clear message."""

from ledger_tools.web import launcher


def test_remembers_the_last_ledger_per_user(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    assert launcher.last_ledger() is None
    launcher.remember(tmp_path / "督查台账.xlsx")
    assert launcher.last_ledger() == tmp_path / "督查台账.xlsx"
    launcher.config_file().write_text("{not json", encoding="utf-8")
    assert launcher.last_ledger() is None


def test_without_tkinter_and_without_argument_says_what_to_do(monkeypatch, capsys):
    monkeypatch.setattr(launcher, "_tk", lambda: None)
    assert launcher.main([]) == 2
    err = capsys.readouterr().err
    assert "tkinter" in err and "ledger serve 台账.xlsx" in err


def test_a_missing_ledger_is_said_and_not_remembered(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(launcher, "_tk", lambda: None)
    assert launcher.main([str(tmp_path / "无.xlsx")]) == 2
    assert "找不到台账文件" in capsys.readouterr().err
    assert launcher.last_ledger() is None
