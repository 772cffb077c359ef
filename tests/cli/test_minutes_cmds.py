"""ledger minutes on real files: a preview that leaves the ledger alone, an import, and each
refusal in Chinese with the ledger byte-identical. (The reading itself: tests/jobs/test_minutes.py.)"""

import zipfile

import openpyxl
import pytest

from ledger_tools.demo.minutes import SOURCE_NAME, build_minutes
from ledger_tools.demo.sample import SAMPLE_UNITS
from tests.builders import (
    BAD_LEDGERS,
    ENGLISH,
    STREAM,
    assert_refused,
    bad_ledger,
    compound_file,
    item,
    make_ledger,
    run,
    sha,
)


@pytest.fixture
def files(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx", [item()], units=SAMPLE_UNITS)
    return ledger, build_minutes(tmp_path / "纪要.docx")


def _sheet_rows(path, sheet: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    return sum(
        1 for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)
    )


def test_a_preview_shows_the_proposals_and_changes_nothing_in_the_ledger(files, tmp_path):
    ledger, docx = files
    before = sha(ledger)
    r = run("minutes", ledger, docx, "--preview", tmp_path / "核对")
    assert r.exit_code == 0, r.output
    assert f"纪要 纪要.docx：{SOURCE_NAME}，印发日期 2026-11-18，来源类型 常务会议" in r.output
    assert "序号" in r.output and "主责单位" in r.output  # the table of proposals
    assert (
        "未列入交办 1 个" in r.output and "审议《市城市生活垃圾分类管理办法（草案）》" in r.output
    )
    assert "待核对：事项 1 协办单位：「市应急管理局」未在「单位」表登记" in r.output
    assert f"预览已写入 {tmp_path / '核对.xlsx'}，台账未改动" in r.output
    assert (tmp_path / "核对.xlsx").exists()
    assert sha(ledger) == before and "Traceback" not in r.output

    r = run("minutes", ledger, docx)  # after review: the import itself
    assert r.exit_code == 0 and "已在台账中追加 10 个事项" in r.output, r.output
    assert "ledger refresh" in r.output and "ledger notices" in r.output
    assert _sheet_rows(ledger, "台账") == 11 and _sheet_rows(ledger, "导入记录") == 1


def test_an_old_word_doc_is_refused_in_chinese_with_exit_2(files, tmp_path):
    """A .doc (Word 97–2003, a compound file) named by mistake: save it as .docx first."""
    ledger, _ = files
    before = sha(ledger)
    doc = tmp_path / "纪要.doc"
    doc.write_bytes(compound_file([("WordDocument", STREAM, b"")]))
    r = run("minutes", ledger, doc)
    assert_refused(r, 2, "纪要.doc")
    assert "另存为 .docx" in r.output
    assert sha(ledger) == before


def test_the_same_minutes_saved_again_by_another_program_is_refused_with_exit_1(files, tmp_path):
    ledger, docx = files
    assert run("minutes", ledger, docx).exit_code == 0
    before = sha(ledger)
    other = tmp_path / "另存.docx"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(other, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    r = run("minutes", ledger, other)
    assert_refused(r, 1, SOURCE_NAME)
    assert "10 个事项" in r.output and sha(ledger) == before


def test_a_ledger_open_in_excel_exits_3(files):
    ledger, docx = files
    (ledger.parent / f"~${ledger.name}").write_bytes(b"owner")
    before = sha(ledger)
    assert_refused(run("minutes", ledger, docx), 3, "台账.xlsx")
    assert sha(ledger) == before


@pytest.mark.parametrize(("kind", "code"), BAD_LEDGERS, ids=[k for k, _ in BAD_LEDGERS])
def test_a_wrong_ledger_file_is_refused(tmp_path, kind, code, fresh_ledger):
    docx = build_minutes(tmp_path / "纪要.docx")
    ledger = bad_ledger(kind, tmp_path, fresh_ledger)
    before = sha(ledger) if ledger.is_file() else None
    assert_refused(run("minutes", ledger, docx), code, "台账.xlsx")
    assert (sha(ledger) if ledger.is_file() else None) == before


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("--type", "常委会"), "不是来源类型"),
        (("--preview",), "需要一个值"),
    ],
)
def test_option_mistakes_are_chinese_usage_errors(files, args, word):
    ledger, docx = files
    before = sha(ledger)
    r = run("minutes", ledger, docx, *args)
    assert_refused(r, 2, word)
    assert sha(ledger) == before


def test_help_has_no_english():
    r = run("minutes", "-h")
    assert r.exit_code == 0 and "用法：ledger minutes" in r.output and "纪要.docx" in r.output
    assert not ENGLISH.search(r.output) and "选项：" in r.output, r.output
