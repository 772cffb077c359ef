"""Rendering the templates staff may edit: filled safely, and every mistake told in Chinese."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest

from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets.documents.templates import OVERRIDE_DIR, bundled_template
from ledger_tools.sheets.documents.word import render_docx, render_paragraphs, render_text


def _template(folder: Path, *paragraphs: str, name: str = "通知.docx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = folder / name
    document.save(path)
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(path).paragraphs)


def _is_chinese_help(message: str, template: Path) -> bool:
    """Names the template, says how to get the bundled one back, and has no Python in it."""
    return (
        template.name in message
        and f"删除「{OVERRIDE_DIR}」文件夹中的 {template.name}" in message
        and not re.search(r"Error|Exception|undefined|unexpected|jinja", message, re.I)
    )


def test_a_template_is_filled_with_values_that_cannot_break_the_document(tmp_path):
    template = _template(
        tmp_path / OVERRIDE_DIR, "致{{ unit }}：", "{% for i in items %}{{ i }}；{% endfor %}"
    )
    out = render_docx(
        template, {"unit": "东城区<人民政府>&\x0b", "items": ["修路", "建桥"]}, tmp_path / "a.docx"
    )
    assert _text(out) == "致东城区<人民政府>&：\n修路；建桥；"
    with zipfile.ZipFile(out) as z:
        assert "&lt;人民政府&gt;&amp;" in z.read("word/document.xml").decode("utf-8")


@pytest.mark.posix_only  # file modes are POSIX
def test_the_document_gets_the_mode_of_any_new_file(tmp_path):
    saved = os.umask(0o022)
    try:
        out = render_docx(_template(tmp_path, "{{ x }}"), {"x": "1"}, tmp_path / "a.docx")
    finally:
        os.umask(saved)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [
        ("{{ unti }}", "占位符「unti」没有对应的内容"),
        ("{{ unit.nmae }}", "「nmae」没有对应的内容"),
        ("{% for i in items %}{{ i }}", "未结束"),
        ("{% frob %}", "无法识别的语句「frob」"),
        ("{{ unit | }}", "写法有误"),
        ("{{ unit.__class__ }}", "不允许"),
        ("{{ items + 1 }}", "无法按现有内容生成"),
    ],
)
def test_a_broken_word_template_is_a_chinese_usage_error_naming_it(tmp_path, paragraph, words):
    template = _template(tmp_path / OVERRIDE_DIR, "致各单位：", paragraph)
    out = tmp_path / "out.docx"
    with pytest.raises(UsageError) as caught:
        render_docx(template, {"unit": {"name": "东城区"}, "items": ["修路"]}, out)
    message = str(caught.value)
    assert words in message and _is_chinese_help(message, template), message
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("content", [b"not a word document", b""])
def test_a_file_that_is_not_a_word_document_is_named(tmp_path, content):
    template = tmp_path / OVERRIDE_DIR / "通知.docx"
    template.parent.mkdir()
    template.write_bytes(content)
    with pytest.raises(UsageError, match="不是有效的 Word 文档") as caught:
        render_docx(template, {}, tmp_path / "out.docx")
    assert _is_chinese_help(str(caught.value), template)


def test_a_broken_bundled_template_asks_for_a_reinstall_not_a_deletion(tmp_path):
    template = tmp_path / "通知.docx"
    template.write_bytes(b"broken")
    with pytest.raises(UsageError, match="重新安装"):
        render_docx(template, {}, tmp_path / "out.docx")


def test_a_document_open_in_word_is_busy(tmp_path):
    out = tmp_path / "通知.docx"
    out.write_bytes(b"old")
    (tmp_path / "~$通知.docx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        render_docx(_template(tmp_path / "t", "{{ x }}"), {"x": "1"}, out)
    assert out.read_bytes() == b"old"


def test_a_text_template_error_gives_the_line(tmp_path):
    template = tmp_path / OVERRIDE_DIR / "通报正文.j2"
    template.parent.mkdir()
    template.write_text("第一行\n本月{{ t.totl }}件", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        render_text(template, {"t": {"total": 3}})
    message = str(caught.value)
    assert "第 2 行" in message and "「totl」" in message and _is_chinese_help(message, template)


def test_a_text_template_that_is_not_utf8_is_named(tmp_path):
    template = tmp_path / OVERRIDE_DIR / "通报正文.j2"
    template.parent.mkdir()
    template.write_bytes("本月{{ n }}件".encode("gbk"))
    with pytest.raises(UsageError, match="UTF-8") as caught:
        render_paragraphs(template, {"n": 1})
    assert _is_chinese_help(str(caught.value), template)


def test_paragraphs_are_split_at_blank_lines_and_joined_inside(tmp_path):
    template = tmp_path / "正文.j2"
    template.write_text("本月共\n{{ n }}件。\n\n{% if n %}第二段。{% endif %}\n", encoding="utf-8")
    assert render_paragraphs(template, {"n": 3}) == ["本月共3件。", "第二段。"]


def test_the_bundled_briefing_template_renders(tmp_path):
    assert bundled_template("通报.docx").is_file()


def _document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_listings_are_resolved_as_docxtpl_resolves_them(tmp_path):
    """Only paragraphs holding a line break, tab, \\a or \\f go through docxtpl's resolve_listing;
    the document is byte for byte the one docxtpl alone writes, special characters or not."""
    from docxtpl import DocxTemplate

    from ledger_tools.sheets.documents import word

    template = _template(
        tmp_path, "{{ a }}", "甲 {{ b }} 乙", "{% for x in xs %}{{ x }}；{% endfor %}", "末段"
    )
    context = {
        "a": "第一行\n第二行\t制表\f分页",
        "b": "无特殊字符",
        "xs": ["一\a二", "三", "四\n"],
    }
    ours = render_docx(template, context, tmp_path / "ours.docx")
    stock = DocxTemplate(str(template))
    stock.render(word._clean(dict(context)), word.environment(text=False), autoescape=True)
    stock.save(str(tmp_path / "stock.docx"))
    assert _document_xml(ours) == _document_xml(tmp_path / "stock.docx")
    assert "第一行" in _text(ours) and "第二行" in _text(ours)

    def resolve(xml: str) -> str:
        return DocxTemplate.resolve_listing(stock, xml)

    plain = '<w:p><w:r><w:t xml:space="preserve">甲</w:t></w:r></w:p>'
    broken = '<w:p w:rsidR="1"><w:pPr><w:jc/></w:pPr><w:r><w:rPr/><w:t>a\nb\tc</w:t></w:r></w:p>'
    for xml in (plain, plain + broken + plain, "<w:body>" + broken * 3 + "</w:body>", ""):
        assert word.resolve_listing(resolve, xml) == resolve(xml)


def _table(grid: int, rows: list[int], span: bool = False) -> str:
    cols = "".join(f'<w:gridCol w:w="{1000 + n}"/>' for n in range(grid))
    cell = "<w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr></w:tc>" if span else "<w:tc/>"
    body = "".join("<w:tr>" + cell * n + "</w:tr>" for n in rows)
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


def test_table_grids_are_fixed_as_docxtpl_fixes_them():
    """A table whose grid matches its rows is left as parsed; any other (more cells than
    columns, fewer, merged cells, no grid) goes through docxtpl's fix_tables: the tree is
    the one docxtpl alone gives."""
    from docxtpl import DocxTemplate
    from lxml import etree

    from ledger_tools.sheets.documents import word

    def fix(xml: str):
        return DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for tables in (
        [_table(3, [3, 3, 2])],
        [_table(3, [3, 4])],
        [_table(3, [2, 2])],
        [_table(4, [2], span=True)],
        [_table(2, [])],
        [_table(3, [3]), _table(2, [3])],
        ["<w:tbl><w:tr><w:tc/></w:tr></w:tbl>"],
        [],
    ):
        xml = f"<w:document {ns}><w:body>{''.join(tables)}<w:p/></w:body></w:document>"
        try:
            expected = etree.tostring(fix(xml))
        except AttributeError:  # no grid: docxtpl fails, and so do we
            with pytest.raises(AttributeError):
                word.fix_tables(fix, xml)
            continue
        assert etree.tostring(word.fix_tables(fix, xml)) == expected
