"""ledger adopt on the terminal: preview, adoption with refresh and validate, refusals in Chinese
with OLD byte-identical (SPEC §7, §12)."""

from __future__ import annotations

import pytest

from ledger_tools.demo.old_ledger import build_office_units, build_old_ledger
from tests.builders import assert_refused, run, sha


@pytest.fixture
def old(tmp_path):
    return build_old_ledger(tmp_path / "原台账.xlsx")


def test_preview_then_adopt(tmp_path, old):
    before = sha(old)
    r = run("adopt", old, tmp_path / "新台账.xlsx", "--preview", tmp_path / "预览.xlsx")
    assert r.exit_code == 0, r.output
    assert "预览已写入" in r.output and "未创建新台账" in r.output
    assert "牵头单位" in r.output and "主责单位" in r.output
    assert not (tmp_path / "新台账.xlsx").exists()
    units = build_office_units(tmp_path / "单位名单.xlsx")
    r = run("adopt", old, tmp_path / "新台账.xlsx", "--units", units, "--as-of", "2026-11-20")
    # the item whose lead unit and deadline could not be read is what validate still asks for
    assert r.exit_code == 1, r.output
    assert "已创建新台账" in r.output and "导入事项 10 个" in r.output
    assert "新编号 10 个" in r.output and "L304" in r.output
    assert "需核对" in r.output and "待定" in r.output
    assert "跳过的行：合计行 2 行" in r.output
    assert sha(old) == before


def test_new_existing_is_refused(tmp_path, old):
    (tmp_path / "新台账.xlsx").write_bytes(b"x")
    assert_refused(run("adopt", old, tmp_path / "新台账.xlsx"), 2, "已存在")
    assert (tmp_path / "新台账.xlsx").read_bytes() == b"x"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("缺.xlsx", "新.xlsx"), "不存在"),
        (("{old}", "新.docx"), ".xlsx 结尾"),
        (("{old}", "{old}"), "同名"),
        (("{old}", "新.xlsx", "--map", "无.xlsx"), "找不到对照表"),
        (("{old}", "新.xlsx", "--units", "无.xlsx"), "找不到单位名单"),
    ],
)
def test_usage_mistakes(tmp_path, old, args, words):
    before = sha(old)
    argv = [a.format(old=old) if "{old}" in a else tmp_path / a for a in args[:2]]
    argv += [a if a.startswith("--") else tmp_path / a for a in args[2:]]
    assert_refused(run("adopt", *argv), 2, words)
    assert sha(old) == before
    assert not (tmp_path / "新.xlsx").exists()


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "原台账.xls"
    bad.write_bytes(b"\x00" * 64)
    assert_refused(run("adopt", bad, tmp_path / "新台账.xlsx"), 2, "无法读取原台账")
