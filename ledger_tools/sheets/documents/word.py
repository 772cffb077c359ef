"""Rendering the templates staff may edit: Jinja2 text and Word (.docx via docxtpl).

Staff restyle these in Word or a text editor, so a broken template is a user's mistake, not
ours: every template error becomes a UsageError naming the template file and the line, and
saying how to get back to the bundled one. Templates run in Jinja's sandbox with undefined
names as errors, so a misspelt placeholder is reported instead of printing nothing. Values
are XML-escaped in the document (autoescape) and stripped of characters XML cannot hold, so
text such as 「<」, 「&」 or a pasted vertical tab from the ledger cannot break it.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.templates import OVERRIDE_DIR
from ledger_tools.sheets.ledger.file import default_file_mode

__all__ = ["environment", "render_docx", "render_paragraphs", "render_text"]

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


def _template_line(e: Exception) -> int | None:
    """The template line of an error: syntax errors carry it, runtime errors in the traceback."""
    line = getattr(e, "lineno", None)
    tb = e.__traceback__
    while tb is not None and line is None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _template_error(template: Path, e: Exception) -> UsageError:
    line = _template_line(e)
    where = f"第 {line} 行" if line else ""
    return UsageError(
        f"模板 {template.name}{where}有误（{type(e).__name__}: {e}）。请改正模板中的占位符或 {{% %}} 语句；"
        f"如需恢复自带模板，删除「{OVERRIDE_DIR}」文件夹中的 {template.name} 即可。"
    )


def _read(template: Path) -> str:
    try:
        return Path(template).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(
            f"无法读取模板 {Path(template).name}（{e}）。模板须为 UTF-8 文本文件。"
        ) from None


def _render(
    template: Path,
    source: str,
    context: Mapping[str, object],
    filters: Mapping[str, Callable] | None,
) -> str:
    try:
        return environment(filters).from_string(source).render(**context)
    except jinja2.TemplateError as e:
        raise _template_error(Path(template), e) from None


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


def render_docx(
    template: Path,
    context: Mapping[str, object],
    out: Path,
    filters: Mapping[str, Callable] | None = None,
) -> Path:
    """A .docx from a docxtpl template, written atomically (temporary file, then rename)."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate  # heavy import: only when a document is wanted

    template, out = Path(template), Path(out)
    try:
        doc = DocxTemplate(str(template))
        doc.render(_clean(dict(context)), environment(filters, text=False), autoescape=True)
    except jinja2.TemplateError as e:
        raise _template_error(template, e) from None
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        SyntaxError,  # lxml errors are SyntaxErrors
        PackageNotFoundError,
        OSError,
    ) as e:  # a text file, an empty file or a folder by that name
        raise UsageError(
            f"模板 {template.name} 不是有效的 Word 文档（{type(e).__name__}）。请在 Word 中另存为 .docx，"
            f"或删除「{OVERRIDE_DIR}」文件夹中的 {template.name} 以使用自带模板。"
        ) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".tmp.docx", dir=out.parent)
    os.close(fd)
    try:
        doc.save(tmp)
        os.chmod(tmp, default_file_mode())  # mkstemp's 0600 would keep colleagues out
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
