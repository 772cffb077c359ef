"""Writing the office's documents: notices (.docx via docxtpl) and two working lists (.xlsx).

The notices come from Word templates that staff may restyle (templates.template_path), so a
broken template is a user's mistake: every template error becomes a UsageError naming the
template and how to get the bundled one back. Templates run in Jinja's sandbox with undefined
names as errors (a misspelt placeholder is reported, not printed as nothing); values are
XML-escaped and stripped of characters XML cannot hold, so ledger text cannot break a document.

The phone checklist and the spot-check list are written with XlsxWriter (strings never become
formulas or links) to a temporary file beside the target, then renamed: a crash never leaves
half a file that looks complete.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import xlsxwriter
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from xlsxwriter.exceptions import FileCreateError

from ledger_tools.errors import LedgerBusy, UsageError, os_reason
from ledger_tools.sheets.documents.templates import OVERRIDE_DIR
from ledger_tools.sheets.ledger.file import default_file_mode, owner_files
from ledger_tools.sheets.styles import FONT_NAME, HEADER

__all__ = [
    "Column",
    "ListSheet",
    "Staging",
    "check_not_open",
    "ensure_dir",
    "output_workbook",
    "publish_mode",
    "render_docx",
    "safe_filename",
    "write_list_workbook",
]

# Characters XML 1.0 cannot hold; a vertical tab pasted from Word is the usual one.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BAD_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(text: str, limit: int = 80) -> str:
    """A unit's name or a 文号 as part of a file name on Windows, macOS and Linux."""
    cleaned = _BAD_IN_NAME.sub("_", text).strip(" .") or "未命名"
    return cleaned[:limit]


def ensure_dir(out_dir: Path, what: str, *, create: bool = True) -> Path:
    """The output folder, created if needed; a file in its place is the user's mistake.

    ``create=False`` only checks, so that a run refused later (a missing ledger) leaves no
    empty folder behind.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} 是一个文件，不是文件夹。请用 --out 指定存放{what}的文件夹。")
    if not create:
        return out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(
            f"无法创建文件夹 {out_dir}（{os_reason(e)}）。请检查路径和权限。"
        ) from None
    return out_dir


def publish_mode(path: Path) -> None:
    """Give a finished output the mode of an ordinary new file (mkstemp makes it 0600).

    Notices, lists and scoring workbooks are for colleagues on the shared folder as well.
    """
    try:
        os.chmod(path, default_file_mode())
    except OSError:
        pass


def _same_file(a: Path, b: Path | None) -> bool:
    try:
        return b is not None and a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_a_ledger(path: Path) -> bool:
    """Whether ``path`` is some ledger workbook (it has the hidden _系统 sheet): never overwritten."""
    try:
        with zipfile.ZipFile(path) as z:
            return 'name="_系统"' in z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def output_workbook(out: Path, *, ledger: Path | None, what: str, example: str) -> Path:
    """Where a command's one output workbook goes, refusing the clerk's mistakes that destroy files.

    No suffix gets .xlsx; another suffix, a folder, the ledger itself or any other ledger, and a
    workbook open in Excel/WPS are refused before anything is read or written. An older output
    of the same name is replaced, as a re-run should.
    """
    out = Path(out)
    if out.suffix == "" and not out.is_dir():
        out = out.with_name(out.name + ".xlsx")
    if out.is_dir():
        raise UsageError(f"{out} 是文件夹。--out 须是{what}的文件名，例如 --out {out / example}。")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{what}须保存为 .xlsx 工作簿，「{out.name}」不是。例如 --out {out.with_suffix('.xlsx')}。"
        )
    if _same_file(out, ledger):
        raise UsageError(
            f"--out 不能是台账本身（{out}），否则台账会被覆盖。请换一个文件名，例如 --out {out.parent / example}。"
        )
    if out.exists() and _is_a_ledger(out):
        raise UsageError(
            f"{out} 是一个台账，不能用作输出文件（会被覆盖）。请换一个文件名，例如 --out {out.parent / example}。"
        )
    if out.parent.exists() and not out.parent.is_dir():
        raise UsageError(f"{out.parent} 是一个文件，不是文件夹。请检查 --out 的路径。")
    check_not_open(out)
    return out  # the folder is made when the workbook is written, after the ledger was read


class Staging:
    """A hidden folder inside the output folder where a run writes its files first.

    Only when everything is written (and the ledger saved, where the command saves it) are the
    files moved into place; a failure leaves the output folder as it was.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=".~ledger-", dir=self.out_dir))
        except OSError as e:
            raise _unwritable(self.out_dir, e) from None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name: str) -> Path:
        return self.dir / name

    def check(self) -> None:
        """Refuse before anything is saved when a file to be replaced is open in Word/Excel/WPS."""
        for staged in self.dir.iterdir():
            check_not_open(self.out_dir / staged.name)

    def publish(self) -> list[Path]:
        """Move every staged file into the output folder (replacing files of the same name)."""
        self.check()
        moved = []
        for staged in sorted(self.dir.iterdir()):
            target = self.out_dir / staged.name
            try:
                os.replace(staged, target)
            except OSError as e:
                raise _unwritable(target, e) from None
            moved.append(target)
        return moved


def _clean(value: object) -> object:
    """Recursively strip characters that would make the document's XML invalid."""
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _template_error(template: Path, e: Exception) -> UsageError:
    line = getattr(e, "lineno", None)
    where = f"（第 {line} 行附近）" if line else ""
    return UsageError(
        f"通知模板 {template.name}{where}有误（{type(e).__name__}: {e}）。请在 Word 中改正 {{{{ }}}} 或 "
        f"{{%p %}} 占位符；如需恢复自带模板，删除「{OVERRIDE_DIR}」文件夹中的 {template.name} 即可。"
    )


def _unwritable(path: Path, e: Exception) -> UsageError:
    reason = os_reason(e)
    if path.is_dir() or not path.exists():  # nothing there to be open elsewhere: the folder refused
        folder = path if path.is_dir() else path.parent
        return UsageError(
            f"无法在文件夹 {folder} 中写入文件（{reason}）。请检查文件夹是否只读、权限是否足够，或换一个文件夹。"
        )
    return UsageError(
        f"无法写入 {path}（{reason}）。如该文件正在 Word/Excel/WPS 中打开，请先关闭；并检查文件夹权限。"
    )


def check_not_open(path: Path) -> None:
    """An output that Word/Excel/WPS holds open would be overwritten under it: busy, retry later."""
    if owner_files(path):
        raise LedgerBusy(
            f"{path} 正在 Word/Excel/WPS 中打开（发现 {owner_files(path)[0].name}）。"
            "请先关闭该文件，再重新运行本命令。"
        )


def render_docx(template: Path, context: Mapping[str, object], out: Path) -> Path:
    """Fill a Word template and save it atomically to ``out``."""
    template, out = Path(template), Path(out)
    check_not_open(out)
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        doc = DocxTemplate(str(template))
        doc.render(_clean(dict(context)), jinja_env=env, autoescape=True)
    except jinja2.TemplateError as e:
        raise _template_error(template, e) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise UsageError(
            f"无法读取通知模板 {template.name}（{type(e).__name__}: {e}）。模板须为 Word 的 .docx 文件；"
            f"如需恢复自带模板，删除「{OVERRIDE_DIR}」文件夹中的 {template.name} 即可。"
        ) from None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~doc-", suffix=".docx", dir=out.parent)
        os.close(fd)
    except OSError as e:
        raise _unwritable(out, e) from None
    tmp = Path(tmp_name)
    try:
        doc.save(str(tmp))
        publish_mode(tmp)
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise _unwritable(out, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


# -- list workbooks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list sheet. ``kind``: text, date, int; ``choices`` makes a drop-down;
    ``blank`` marks a column staff fill in (highlighted, empty)."""

    header: str
    width: float = 12
    kind: str = "text"
    choices: tuple[str, ...] = ()
    blank: bool = False


@dataclass
class ListSheet:
    name: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, object]]
    landscape: bool = True


@dataclass
class _Formats:
    wb: xlsxwriter.Workbook
    cache: dict = field(default_factory=dict)

    def get(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {
                "font_name": FONT_NAME,
                "font_size": 10,
                "valign": "top",
                "text_wrap": True,
                "border": 1,
                "border_color": "#BFBFBF",
            }
            base.update(props)
            self.cache[key] = self.wb.add_format(base)
        return self.cache[key]


INPUT_FILL = "#FFF2CC"
MAX_ROWS_VALIDATED = 5000  # drop-downs reach this far below the header, for rows staff add


def _list_sheet(wb: xlsxwriter.Workbook, fm: _Formats, sheet: ListSheet) -> None:
    ws = wb.add_worksheet(sheet.name)
    header = fm.get(bold=True, bg_color=f"#{HEADER}", align="center", valign="vcenter")
    input_header = fm.get(bold=True, bg_color="#FFD966", align="center", valign="vcenter")
    for c, col in enumerate(sheet.columns):
        ws.write_string(0, c, col.header, input_header if col.blank else header)
        ws.set_column(c, c, col.width)
    ws.set_row(0, 30)
    for r, row in enumerate(sheet.rows, start=1):
        for c, col in enumerate(sheet.columns):
            fill = {"bg_color": INPUT_FILL} if col.blank else {}
            value = row.get(col.header)
            if value is None or value == "":
                ws.write_blank(r, c, None, fm.get(**fill))
            elif col.kind == "date" and isinstance(value, dt.date):
                ws.write_datetime(
                    r,
                    c,
                    dt.datetime.combine(value, dt.time())
                    if not isinstance(value, dt.datetime)
                    else value,
                    fm.get(num_format="yyyy-mm-dd", align="center", **fill),
                )
            elif (
                col.kind == "int"
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            ):
                ws.write_number(r, c, value, fm.get(align="center", **fill))
            else:
                ws.write_string(r, c, _ILLEGAL_XML.sub("", str(value)), fm.get(**fill))
    last = max(len(sheet.rows), 1)
    for c, col in enumerate(sheet.columns):
        if col.choices:
            ws.data_validation(
                1,
                c,
                max(last, MAX_ROWS_VALIDATED),
                c,
                {
                    "validate": "list",
                    "source": list(col.choices),
                    "error_title": "请从下拉列表选择",
                    "error_message": "可选：" + "、".join(col.choices),
                },
            )
        elif col.kind == "date" and col.blank:
            ws.data_validation(
                1,
                c,
                max(last, MAX_ROWS_VALIDATED),
                c,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": dt.date(2000, 1, 1),
                    "error_title": "日期有误",
                    "error_message": "请按 2026-03-05 的格式填写日期。",
                },
            )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last, len(sheet.columns) - 1)
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _notes_sheet(wb: xlsxwriter.Workbook, fm: _Formats, title: str, notes: Sequence[str]) -> None:
    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, title, fm.get(bold=True, font_size=14, border=0, text_wrap=False))
    for r, line in enumerate(notes, start=2):
        ws.write_string(r, 0, _ILLEGAL_XML.sub("", line), fm.get(border=0))


def write_list_workbook(
    path: Path, sheet: ListSheet, *, title: str, notes: Sequence[str], author: str = ""
) -> Path:
    """A list sheet (header row 1, frozen, filtered, print-ready) and a 说明 sheet after it."""
    path = Path(path)
    check_not_open(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~list-", suffix=".xlsx", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise _unwritable(path, e) from None
    tmp = Path(tmp_name)
    try:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        wb.set_properties({"title": title, "author": author})
        fm = _Formats(wb)
        _list_sheet(wb, fm, sheet)
        _notes_sheet(wb, fm, title, notes)
        wb.close()
        publish_mode(tmp)
        os.replace(tmp, path)
    except (OSError, FileCreateError) as e:
        tmp.unlink(missing_ok=True)
        raise _unwritable(path, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
