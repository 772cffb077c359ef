"""Downloads only by opaque id of files a job wrote; one action at a time; the folder goes."""

import threading

import pytest

from ledger_tools.errors import LedgerBusy
from ledger_tools.web.tasks import Busy, Tasks, refusal_of


def test_downloads_only_by_issued_id(tmp_path):
    tasks = Tasks()
    out = tasks.folder("out")
    (out / "问题清单.xlsx").write_bytes(b"x")
    d = tasks.downloads.add(out / "问题清单.xlsx")
    assert tasks.downloads.get(d.id).path == (out / "问题清单.xlsx").resolve()
    for trick in ("../../etc/passwd", d.id[:-1], d.id + "x", "问题清单.xlsx", "%2e%2e%2f" * 5):
        assert tasks.downloads.get(trick) is None
    outside = tmp_path / "台账.xlsx"
    outside.write_bytes(b"ledger")
    with pytest.raises(ValueError):
        tasks.downloads.add(outside)  # only what the workbench wrote
    tasks.close()
    assert not tasks.root.exists()
    assert tasks.downloads.get(d.id) is None


def test_many_files_are_one_zip_named_as_asked():
    import zipfile

    tasks = Tasks()
    out = tasks.folder("out")
    paths = []
    for unit in ("东城区", "西山县"):
        paths.append(out / f"反馈表-2026-11-{unit}.xlsx")
        paths[-1].write_bytes(unit.encode())
    d = tasks.downloads.bundle(paths, "反馈表-2026-11.zip", out)
    assert d.name == "反馈表-2026-11.zip"
    assert sorted(zipfile.ZipFile(d.path).namelist()) == sorted(p.name for p in paths)
    tasks.close()


def test_one_action_at_a_time_and_cleanup_always_runs():
    tasks = Tasks()
    gate, cleaned = threading.Event(), []
    first = tasks.start("检查", lambda t: gate.wait(5), cleanup=lambda: cleaned.append(1))
    with pytest.raises(Busy):
        tasks.start("合并入台账", lambda t: None, cleanup=lambda: cleaned.append(2))
    assert cleaned == [2]  # the refused action's uploads are removed at once
    gate.set()
    for _ in range(100):
        if first.finished:
            break
        threading.Event().wait(0.05)
    assert first.finished and cleaned == [2, 1]

    def refuse(t):
        raise LedgerBusy("台账.xlsx 正在 Excel/WPS 中打开")

    failed = tasks.start("重算", refuse, wait=True)
    assert failed.refusal.message == "台账.xlsx 正在 Excel/WPS 中打开"
    assert failed.refusal.exit_code == 3
    tasks.close()


def test_refusals_are_chinese_for_every_error():
    assert "程序内部错误" in refusal_of(KeyError("x")).message
    assert "无法读写" in refusal_of(PermissionError(13, "denied", "/x/台账.xlsx")).message
