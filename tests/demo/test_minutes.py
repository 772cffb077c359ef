"""The sample 会议纪要: a Word document that shows every case `ledger minutes` handles."""

from __future__ import annotations

import zipfile

from ledger_tools.core.minutes import read_minutes
from ledger_tools.core.model import ItemKind
from ledger_tools.demo.minutes import ISSUED, SOURCE_NAME, TITLE, build_minutes
from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.sheets.minutes.reader import read_minutes_docx


def test_the_same_document_on_every_run(tmp_path):
    a, b = build_minutes(tmp_path / "a.docx"), build_minutes(tmp_path / "b.docx")
    body = [read_minutes_docx(p).paragraphs for p in (a, b)]
    assert body[0] == body[1]


def test_its_numbering_is_words_not_typed(tmp_path):
    path = build_minutes(tmp_path / f"{TITLE}.docx")
    with zipfile.ZipFile(path) as z:
        assert "<w:numPr>" in z.read("word/document.xml").decode()
        assert "chineseCounting" in z.read("word/numbering.xml").decode()
    texts = [p.text for p in read_minutes_docx(path).paragraphs]
    assert "一、研究冬季森林草原防灭火工作" in texts
    assert any(t.startswith("（二）请东城区政府会同市交通局") for t in texts)


def test_every_case_shows_against_the_sample_units(tmp_path):
    doc = read_minutes_docx(build_minutes(tmp_path / "纪要.docx"))
    reading = read_minutes(doc.paragraphs, [u for u in SAMPLE_UNITS])
    assert (reading.source_name, reading.issued) == (SOURCE_NAME, ISSUED)
    assert len(reading.proposals) == 10  # the demo imports exactly these
    assert len(reading.not_assigned) == 1  # 垃圾分类管理办法: 原则通过, nothing to do yet
    unknown = {u.value for u in reading.unmatched if u.field in ("主责单位", "协办单位")}
    assert {"市应急管理局", "市林草局"} <= unknown  # not in the sample's 单位: listed, not guessed
    assert ItemKind.LONG_TERM in {p.kind for p in reading.proposals}  # 持续/常态化, no deadline
    by_alias = {p.lead_unit for p in reading.proposals}
    assert {"西山县人民政府", "高新技术产业开发区管委会"} <= by_alias
