"""Worker processes for independent outputs, with fork and with spawn (Windows' only way)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets import workers
from ledger_tools.sheets.files import write_atomically


def _write(path: Path, text: str) -> None:  # top level: a spawned worker imports it by name
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _refuse(path: Path, text: str) -> None:
    if path.name == "坏.txt":
        raise LedgerBusy(f"{path} 正在 Word/Excel/WPS 中打开。请先关闭该文件，再重新运行本命令。")
    _write(path, text)


@pytest.fixture(params=["fork", "spawn"])
def start_method(request, monkeypatch):
    monkeypatch.setattr(workers, "START_METHOD", request.param)
    return request.param


def test_every_call_runs_and_is_reported_here(tmp_path, start_method):
    calls = [(tmp_path / f"{n}.txt", f"第{n}份") for n in range(5)]
    seen: list[int] = []
    workers.run_all(_write, calls, workers=2, done=seen.append)
    assert sorted(seen) == list(range(5))
    assert [p.read_text(encoding="utf-8") for p, _ in calls] == [t for _, t in calls]


def test_an_error_in_a_worker_is_the_message_it_would_be_here(tmp_path, start_method):
    calls = [(tmp_path / name, "内容") for name in ("甲.txt", "坏.txt", "乙.txt")]
    with pytest.raises(LedgerBusy) as here:
        workers.run_all(_refuse, calls, workers=1)
    with pytest.raises(LedgerBusy) as there:
        workers.run_all(_refuse, calls, workers=2)
    assert str(there.value) == str(here.value) and "坏.txt" in str(there.value)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_background_call_runs_beside_the_block_and_raises_after_it(
    tmp_path, start_method, monkeypatch
):
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    with workers.in_background(_write, tmp_path / "文档.txt", "正文"):
        (tmp_path / "工作簿.txt").write_text("表", encoding="utf-8")
    assert (tmp_path / "文档.txt").read_text(encoding="utf-8") == "正文"
    ran_here = False
    with pytest.raises(LedgerBusy, match="坏.txt"):
        with workers.in_background(_refuse, tmp_path / "坏.txt", "正文"):
            ran_here = True
    assert ran_here


def _warm() -> None:  # top level, for a spawned worker
    os.environ["LEDGER_TEST_WARMED"] = "1"


def _write_if_warmed(path: Path, text: str) -> None:
    _write(path, text + os.environ.get("LEDGER_TEST_WARMED", "（未预热）"))


def test_a_spare_worker_warms_up_ahead_then_runs_the_call_beside_the_block(
    tmp_path, start_method, monkeypatch
):
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    with workers.spare_worker() as worker:
        worker.ahead(_warm)
        with worker.background(_write_if_warmed, tmp_path / "文档.txt", "正文"):
            (tmp_path / "工作簿.txt").write_text("表", encoding="utf-8")
    assert (tmp_path / "文档.txt").read_text(encoding="utf-8") == "正文1"  # warmed there
    assert "LEDGER_TEST_WARMED" not in os.environ  # not here
    ran_here = False
    with pytest.raises(LedgerBusy, match="坏.txt"), workers.spare_worker() as worker:
        with worker.background(_refuse, tmp_path / "坏.txt", "正文"):
            ran_here = True
    assert ran_here


def _write_slowly(path: Path, text: str) -> None:  # top level, for a spawned worker
    import time

    time.sleep(0.3)
    _write(path, text)


def test_when_the_block_fails_the_spare_workers_call_is_over_before_the_error_goes_on(
    tmp_path, monkeypatch
):
    """The briefing's Word document is written in the worker into a staging folder that the
    failing block's caller removes: the call must be over first, or it writes into a folder
    being removed (and a half-written document may stay behind)."""
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    with workers.spare_worker() as worker:
        with pytest.raises(OSError, match="磁盘已满"):
            with worker.background(_write_slowly, tmp_path / "文档.txt", "正文"):
                raise OSError("磁盘已满")
        assert (tmp_path / "文档.txt").read_text(encoding="utf-8") == "正文"  # already there


def test_with_one_core_a_spare_worker_is_no_process_and_its_call_runs_here(tmp_path, monkeypatch):
    def no_pool(n):
        raise AssertionError("no worker process was wanted")

    monkeypatch.setattr(workers, "_pool", no_pool)
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    with workers.spare_worker() as worker:
        worker.ahead(_warm)  # nothing: the call imports what it needs here
        assert "LEDGER_TEST_WARMED" not in os.environ
        with worker.background(_write, tmp_path / "文档.txt", "正文"):
            assert (tmp_path / "文档.txt").read_text(encoding="utf-8") == "正文"  # first


def test_one_call_or_one_core_runs_here_without_a_pool(tmp_path, monkeypatch):
    def no_pool(n):
        raise AssertionError("no worker process was wanted")

    monkeypatch.setattr(workers, "_pool", no_pool)
    workers.run_all(_write, [(tmp_path / "a.txt", "一")], workers=4)
    workers.run_all(_write, [(tmp_path / "b.txt", "二"), (tmp_path / "c.txt", "三")], workers=1)
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    with pytest.raises(UsageError, match="是一个文件"):
        with workers.in_background(_write, tmp_path / "a.txt" / "d.txt", "四"):
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "c.txt"]


def _read_back(path: Path) -> tuple[str, int]:  # top level, for a spawned worker
    return path.read_text(encoding="utf-8"), os.getpid()


def test_results_come_back_in_the_order_of_the_calls(tmp_path, start_method):
    calls = []
    for n in range(6):
        (tmp_path / f"{n}.txt").write_text(f"第{n}份", encoding="utf-8")
        calls.append((tmp_path / f"{n}.txt",))
    here = workers.map_all(_read_back, calls, workers=1)
    there = workers.map_all(_read_back, calls, workers=2)
    assert [t for t, _ in there] == [t for t, _ in here] == [f"第{n}份" for n in range(6)]
    assert {pid for _, pid in here} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in there}  # read in the workers
    with pytest.raises(FileNotFoundError):
        workers.map_all(_read_back, [*calls, (tmp_path / "无.txt",)], workers=2)


def test_a_map_begun_ahead_gives_map_all_s_results_in_order(tmp_path, start_method):
    calls = []
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(f"第{n}份", encoding="utf-8")
        calls.append((tmp_path / f"{n}.txt",))
    for cores in (1, 2):
        with workers.map_ahead(_read_back, calls, workers=cores) as results:
            got = list(results())
        assert [t for t, _ in got] == [f"第{n}份" for n in range(5)]
        assert (os.getpid() in {pid for _, pid in got}) == (cores == 1)
    with pytest.raises(FileNotFoundError):
        with workers.map_ahead(_read_back, [*calls, (tmp_path / "无.txt",)], workers=2) as results:
            list(results())


def _mark(path: Path) -> str:  # top level, for a spawned worker
    path.write_text("读过", encoding="utf-8")
    return path.name


def test_a_map_begun_ahead_reads_only_its_window_ahead_of_what_was_taken(tmp_path):
    import time

    calls = [(tmp_path / f"{n}.txt",) for n in range(12)]
    with workers.map_ahead(_mark, calls, workers=2, window=3) as results:
        time.sleep(1.5)  # the workers have long finished the window, and wait
        assert len(list(tmp_path.glob("*.txt"))) == 3
        got = results()
        assert next(got) == "0.txt"  # taking one starts one more
        time.sleep(1.5)
        assert len(list(tmp_path.glob("*.txt"))) == 4
        assert [*got] == [f"{n}.txt" for n in range(1, 12)]
