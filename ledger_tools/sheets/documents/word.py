"""Rendering the templates staff may edit: Jinja2 text and Word (.docx via docxtpl).

Staff restyle these in Word or a text editor, so a broken template is a user's mistake, not
ours: every template error becomes a UsageError in Chinese naming the template file (and the
line, or in a Word template the text near the mistake) and saying how to get back to the
bundled one; never Jinja's English message or an exception's class name. Templates run in Jinja's sandbox with undefined
names as errors, so a misspelt placeholder is reported instead of printing nothing. Values
are XML-escaped in the document (autoescape) and stripped of characters XML cannot hold, so
text such as 「<」, 「&」 or a pasted vertical tab from the ledger cannot break it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ledger_tools.errors import UsageError, os_reason
from ledger_tools.sheets.boundary import Cause, Failure, Policy, Translate, map_exceptions
from ledger_tools.sheets.documents.templates import OVERRIDE_DIR
from ledger_tools.sheets.files import atomic_output, check_not_open

__all__ = ["environment", "prepare_docx", "render_docx", "render_paragraphs", "render_text"]

# A blank line in a text template separates paragraphs. It is marked before rendering, so that
# block tags (which eat the newline after them) can neither merge two paragraphs nor split one;
# the mark takes the blank line's place, so error messages keep the template's line numbers.
_PARAGRAPH = "\u2029"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Characters XML 1.0 cannot hold (a vertical tab pasted from Word is the usual one): a document
# containing one would not open, so they are dropped from the values put into it.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: object) -> object:
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def environment(
    filters: Mapping[str, Callable] | None = None, *, text: bool = True
) -> jinja2.Environment:
    """The sandbox; for text templates block tags also eat their line (for XML they must not)."""
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, trim_blocks=text, lstrip_blocks=text, autoescape=not text
    )
    env.filters.update(filters or {})
    return env


def _template_line(e: BaseException) -> int | None:
    """The template line of an error: syntax errors carry it, runtime errors in the traceback."""
    line = getattr(e, "lineno", None)
    tb = e.__traceback__
    while tb is not None and line is None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _from_template(e: BaseException) -> bool:
    """Whether an error that is not Jinja's own was raised by the template's code (a filter
    given the wrong value, ``{{ a + 1 }}`` on text): the template's mistake, not ours."""
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            return True
        tb = tb.tb_next
    return False


_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_UNDEFINED_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'$")
_UNKNOWN_TAG = re.compile(r"unknown tag '([^']+)'")
_XML_TAG = re.compile(r"<[^>]*>")


def _what_is_wrong(e: BaseException) -> str:
    """The template error in Chinese: Jinja's messages are English."""
    text = str(getattr(e, "message", None) or e)
    if isinstance(e, jinja2.UndefinedError):
        found = _UNDEFINED_NAME.search(text) or _UNDEFINED_ATTRIBUTE.search(text)
        name = f"「{found.group(1)}」" if found else ""
        return f"占位符{name}没有对应的内容（可能拼写有误）"
    if isinstance(e, jinja2.exceptions.SecurityError):
        return "使用了模板中不允许的操作"
    if isinstance(e, jinja2.TemplateSyntaxError):
        if "end of template" in text:
            return "有未结束的 {% %} 语句（例如缺少 {% endfor %} 或 {% endif %}）"
        found = _UNKNOWN_TAG.search(text)
        if found:
            return f"有无法识别的语句「{found.group(1)}」"
        return "{{ }} 占位符或 {% %} 语句的写法有误"
    return "占位符或 {% %} 语句无法按现有内容生成（例如对文字做了计算）"


def _near(e: BaseException) -> str:
    """For a Word template: the text around a syntax error, since its XML line means nothing."""
    source, line = getattr(e, "source", None), getattr(e, "lineno", None)
    if not source or not line:
        return ""
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return ""
    text = " ".join(_XML_TAG.sub("", lines[line - 1]).split())[:60]
    return f"（出错处附近：「{text}」）" if text else ""


def _restore(template: Path) -> str:
    if template.parent.name == OVERRIDE_DIR:
        return f"如需恢复自带模板，删除「{OVERRIDE_DIR}」文件夹中的 {template.name} 即可。"
    return "这是自带模板，请重新安装 ledger_tools 以恢复它。"


def _template_error(template: Path, e: BaseException, *, word: bool = False) -> UsageError:
    where = near = ""
    if word:
        near, fix = _near(e), "请在 Word 中改正模板里的 {{ }} 占位符或 {% %} 语句"
    else:
        line = _template_line(e)
        where = f"第 {line} 行" if line else ""
        fix = "请改正模板中的 {{ }} 占位符或 {% %} 语句"
    return UsageError(
        f"模板 {template.name}{where}有误：{_what_is_wrong(e)}{near}。{fix}；{_restore(template)}"
    )


def _not_a_document(template: Path) -> UsageError:
    return UsageError(
        f"模板 {template.name} 不是有效的 Word 文档（.docx）。请在 Word 中把它另存为 .docx 文件；"
        + _restore(template)
    )


def _read(template: Path) -> str:
    template = Path(template)
    try:
        return template.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"模板 {template.name} 不是 UTF-8 编码的文本文件。请用记事本等编辑器另存为 UTF-8 编码；"
            + _restore(template)
        ) from None
    except OSError as e:
        raise UsageError(
            f"无法读取模板 {template}（{os_reason(e)}）。请检查该文件；{_restore(template)}"
        ) from None


def _render(
    template: Path,
    source: str,
    context: Mapping[str, object],
    filters: Mapping[str, Callable] | None,
) -> str:
    with map_exceptions(_template_policy(Path(template), word=False)):
        return environment(filters).from_string(source).render(**context)


def _template_policy(
    template: Path, *, word: bool, otherwise: Translate = lambda failure: None
) -> dict[type[BaseException] | Cause, type[BaseException] | Translate]:
    """Jinja's errors, and any error raised by the template's own code (a filter given the
    wrong value), are the template's mistake; any other error is left to ``otherwise`` (by
    default: ours, it propagates)."""

    def template_error(failure: Failure) -> BaseException:
        return _template_error(template, failure.error, word=word)

    def written_in_template(failure: Failure) -> BaseException | None:
        if _from_template(failure.error):
            return template_error(failure)
        return otherwise(failure)

    return {jinja2.TemplateError: template_error, Exception: written_in_template}


def render_text(
    template: Path, context: Mapping[str, object], filters: Mapping[str, Callable] | None = None
) -> str:
    """A Jinja2 text template rendered with ``context``."""
    return _render(template, _read(template), context, filters)


def render_paragraphs(
    template: Path, context: Mapping[str, object], filters: Mapping[str, Callable] | None = None
) -> list[str]:
    """A narrative template as paragraphs: blank lines in the template separate them; line
    breaks inside one are joined without a space, as Chinese text wants."""
    source = _BLANK_LINE.sub(f"\n{_PARAGRAPH}\n", _read(template).replace("\r\n", "\n"))
    text = _render(template, source, context, filters)
    out = []
    for block in text.split(_PARAGRAPH):
        joined = "".join(line.strip() for line in block.splitlines())
        if joined:
            out.append(joined)
    return out


# A paragraph as docxtpl's ``resolve_listing`` finds them, and the characters it turns into
# Word's line breaks, tabs, new paragraphs and page breaks.
_DOCX_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARS = re.compile("[\t\a\n\f]")


def resolve_listing(resolve: Callable[[str], str], xml: str) -> str:
    """docxtpl's ``resolve_listing`` (``resolve``) on the paragraphs that need it only.

    It runs three nested regular-expression passes with a Python call for every paragraph,
    run and text of the rendered document (40% of rendering a briefing with 1,500 overdue
    items) to turn the characters above into Word markup; a paragraph without any of them
    comes out as it went in. Paragraphs are found with docxtpl's own pattern, and each one
    that holds such a character is given to ``resolve`` alone, which finds in it exactly the
    paragraph it would have found in the whole document, so the result is the same.
    """

    if not _LISTING_CHARS.search(xml):
        return xml  # no paragraph holds one (the common case): one scan, without a call each

    def paragraph(m: re.Match[str]) -> str:
        text = m.group(0)
        return resolve(text) if _LISTING_CHARS.search(text) else text

    return _DOCX_PARAGRAPH.sub(paragraph, xml)


def fix_tables(fix: Callable[[str], object], xml: str) -> object:
    """docxtpl's ``fix_tables`` (``fix``), only when a table's grid needs fixing.

    It parses the rendered body and walks every cell of every table (1,500 overdue items are
    15,000 cells) to widen or narrow a table grid whose columns do not match its rows' cells,
    in Python, and returns the parsed tree. A table needs neither when no row has more cells
    than the grid has columns and the widest row fills them; without merged cells
    (``gridSpan``) a row's width is its number of cells, counted here per row. When every
    table is such, the tree is the one ``fix`` returns, parsed the same way; otherwise (a
    table to fix, merged cells, no grid) ``fix`` does it all, as before.
    """
    from lxml import etree

    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    w = tree.nsmap.get("w")
    if w is None:
        return fix(xml)
    ns = "{" + w + "}"
    for table in tree.iter(ns + "tbl"):
        grid = table.find(ns + "tblGrid")
        if grid is None or next(table.iter(ns + "gridSpan"), None) is not None:
            return fix(xml)
        columns = len(grid.findall(ns + "gridCol"))
        widest = max((len(row.findall(ns + "tc")) for row in table.iter(ns + "tr")), default=0)
        if widest != columns:
            return fix(xml)
    return tree


def _template_class() -> type:
    """docxtpl's DocxTemplate, resolving listings and fixing table grids only where there is
    something to do."""
    from docxtpl import DocxTemplate  # heavy import: only when a document is wanted

    class Template(DocxTemplate):
        def resolve_listing(self, xml: str) -> str:
            return resolve_listing(super().resolve_listing, xml)

        def fix_tables(self, xml: str):
            return fix_tables(super().fix_tables, xml)

    return Template


def prepare_docx() -> None:
    """Import what ``render_docx`` needs (docxtpl, python-docx, lxml: a tenth of a second), in
    a worker started ahead of its document (``workers.spare_worker``)."""
    _template_class()
    from docx.opc.exceptions import PackageNotFoundError  # noqa: F401


def render_docx(
    template: Path,
    context: Mapping[str, object],
    out: Path,
    filters: Mapping[str, Callable] | None = None,
) -> Path:
    """A .docx from a docxtpl template, written atomically (files.atomic_output).

    Refused as busy when ``out`` is open in Word/WPS. The document is rendered completely
    before anything is written, so a broken template leaves no file behind.
    """
    from docx.opc.exceptions import PackageNotFoundError

    template, out = Path(template), Path(out)
    check_not_open(out)

    def not_a_document(failure: Failure) -> BaseException:
        return _not_a_document(template)

    def not_a_word_package(failure: Failure) -> BaseException | None:
        # python-docx raises ValueError for a package that is not a Word document
        return not_a_document(failure) if isinstance(failure.error, ValueError) else None

    policy: Policy = {
        **_template_policy(template, word=True, otherwise=not_a_word_package),
        # a text file, an empty file, a folder by that name: not a .docx package
        zipfile.BadZipFile: not_a_document,
        KeyError: not_a_document,
        SyntaxError: not_a_document,  # lxml's parse errors are SyntaxErrors
        PackageNotFoundError: not_a_document,
        OSError: not_a_document,
    }
    with map_exceptions(policy, path=template, what="模板"):
        doc = _template_class()(str(template))
        doc.render(_clean(dict(context)), environment(filters, text=False), autoescape=True)
    with atomic_output(out, check_open=False) as tmp:
        doc.save(str(tmp))
    return out
