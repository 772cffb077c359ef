"""Shared test helpers: every piece more than one test module uses lives here, not in a test module.

Test ledgers are built in code the way staff fill them: by header text, with plain openpyxl,
deliberately independent of ledger_tools.sheets.ledger.tables, so the reading code is tested
against files it did not write itself. The scenarios below (a feedback form's content, the intake
scenario, the briefing scenario) are shared by the tests of several modules and by the robustness
suite; tests/test_house.py keeps test modules from importing each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from ledger_tools.core.model import Item, ItemKind, Settings, Status
from ledger_tools.core.recompute import recompute
from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.writer import CoItem, FormContent
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.new import new_ledger

UNITS = SAMPLE_UNITS[:5]


def item(**over) -> dict:
    """A typical 一般 item as staff type it (header → value)."""
    row = {
        "来源类型": "常务会议",
        "来源名称": "市人民政府2026年第12次常务会议",
        "印发日期": dt.date(2026, 9, 18),
        "议定事项": "加快推进东城区老旧小区改造项目",
        "办理要求": "年底前完成改造任务",
        "责任领导": "张副市长",
        "承办科室": "城建科",
        "主责单位": "东城区人民政府",
        "事项类型": "一般",
        "完成时限": dt.date(2026, 12, 31),
        "交办日期": dt.date(2026, 9, 22),
    }
    row.update(over)
    return {k: v for k, v in row.items() if v is not None}


def append_rows(ws, rows: list[dict]) -> None:
    header = {c.value: c.column for c in ws[1] if c.value}
    start = ws.max_row + 1
    for i, row in enumerate(rows):
        for h, v in row.items():
            ws.cell(row=start + i, column=header[h], value=v)


def make_ledger(
    path: Path,
    items: list[dict] = (),
    *,
    units=UNITS,
    extensions: list[dict] = (),
    reports: list[dict] = (),
    reminders: list[dict] = (),
    calendar: list[dict] = (),
    settings: dict | None = None,
) -> Path:
    path = Path(path)
    new_ledger(path, list(units))
    wb = openpyxl.load_workbook(path)
    append_rows(wb["台账"], list(items))
    append_rows(wb["延期记录"], list(extensions))
    append_rows(wb["办理记录"], list(reports))
    append_rows(wb["催办记录"], list(reminders))
    append_rows(wb["工作日历"], list(calendar))
    for key, value in (settings or {}).items():
        ws = wb["设置"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
    wb.save(path)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def column_values(path: Path, sheet: str, header: str) -> list:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]


# --- golden files (XlsxWriter style) ------------------------------------------------------


def xml_lines(xml: str, strings: list[str]) -> list[str]:
    """One tag per line, in the manner of XlsxWriter's own golden-file comparisons, with each
    shared-string index replaced by its text so a reviewer reads what the unit sees."""
    xml = re.sub(
        r'(t="s"[^>]*>\s*<v>)(\d+)(</v>)',
        lambda m: m.group(1) + "«" + strings[int(m.group(2))].replace("\n", "⏎") + "»" + m.group(3),
        xml,
    )
    xml = re.sub(r">\s*<", ">\n<", xml.strip())
    return xml.splitlines()


def shared_strings(z: zipfile.ZipFile) -> list[str]:
    from defusedxml import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{ns}t")) for si in root.iter(f"{ns}si")]


REGEN_GOLDEN = "LEDGER_REGEN_GOLDEN"


def assert_matches_golden(got: list[str], golden: Path) -> None:
    """Compare ``got`` with a reviewed golden file, line by line.

    With LEDGER_REGEN_GOLDEN=1 the golden file is rewritten from ``got`` and the test *fails*:
    a run that regenerates must never pass, or a regenerated reference would be taken for a
    reviewed one (and a CI run with the variable set would check nothing). Review the diff,
    then rerun without the variable.
    """
    if os.environ.get(REGEN_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text("\n".join(got) + "\n", encoding="utf-8")
        pytest.fail(
            f"{golden.name} regenerated; review the diff and rerun without {REGEN_GOLDEN}",
            pytrace=False,
        )
    assert got == golden.read_text(encoding="utf-8").splitlines()


# --- feedback forms ----------------------------------------------------------------------


# The signing key of the forms the form tests write and read.
KEY = "5e" * 32


def form_item(n: int, **over) -> Item:
    """Item ``n`` of a feedback form: a typical 一般 item of 东城区人民政府."""
    values = dict(
        id=f"2026-CW12-{n:02d}",
        source_name="市人民政府2026年第12次常务会议",
        matter=f"加快推进第{n}项工作",
        requirement="年底前完成",
        leader="张副市长",
        lead_unit="东城区人民政府",
        co_units=["市财政局"],
        kind=ItemKind.REGULAR,
        deadline=dt.date(2026, 12, 31),
        current_deadline=dt.date(2026, 12, 31),
        assigned=dt.date(2026, 9, 22),
        status=Status.IN_PROGRESS,
        latest_progress="已完成方案编制。",
    )
    values.update(over)
    return Item(**values)


def content(**over) -> FormContent:
    """A feedback form's content for 东城区人民政府, 2026-11: a regular, a long-term and a
    confidential item, and two items it co-handles."""
    values = dict(
        ledger_id="0123456789abcdef0123456789abcdef",
        unit="东城区人民政府",
        period="2026-11",
        due=dt.date(2026, 11, 25),
        generated=dt.datetime(2026, 11, 20, 9, 0, 0),
        settings=Settings(),
        contact="李明",
        phone="0875-2101001",
        items=[
            form_item(1),
            form_item(
                2,
                kind=ItemKind.LONG_TERM,
                current_deadline=None,
                deadline=None,
                co_units=[],
                latest_progress="第一行\r\n第二行",
                matter='=HYPERLINK("http://x")',
            ),
            form_item(
                3, confidential=True, matter="保密的第三项工作", status=Status.EXTENSION_REQUESTED
            ),
        ],
        co_items=[
            CoItem(
                form_item(7, lead_unit="西山县人民政府", matter="西山县主责的工作"),
                "王芳",
                "0875-2101002",
            ),
            CoItem(
                form_item(
                    8, lead_unit="南湖县人民政府", matter="南湖县的涉密工作", confidential=True
                ),
                "张伟",
                "1",
            ),
        ],
    )
    values.update(over)
    return FormContent(**values)


# --- files from other programs ----------------------------------------------------------


# A 1×1 PNG image.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def patch_central_sizes(data: bytes, member: str, *, file_size: int) -> bytes:
    """Rewrite the uncompressed size a zip's central directory declares for one member."""
    out = bytearray(data)
    pos = 0
    name = member.encode()
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + n]) == name:
            struct.pack_into("<I", out, pos + 24, file_size)
            return bytes(out)
        pos += 4
    raise AssertionError(f"{member} not in central directory")


def ledger_by_xlsxwriter(path, decorate):
    """A ledger written by XlsxWriter (another program), with something openpyxl cannot keep."""
    wb = xlsxwriter.Workbook(str(path))
    for sheet in sc.SHEETS:
        ws = wb.add_worksheet(sheet.name)
        ws.write_row(0, 0, sheet.headers)
        if sheet is sc.SYSTEM:
            ws.very_hidden()
            ws.write_row(1, 0, ["ledger_id", "abc"])
            ws.write_row(2, 0, ["signing_key", "00" * 32])
        if sheet is sc.ITEMS:
            row = item()
            date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
            for c, header in enumerate(sheet.headers):
                value = row.get(header)
                if hasattr(value, "year"):
                    ws.write_datetime(1, c, dt.datetime.combine(value, dt.time()), date_format)
                elif value is not None:
                    ws.write(1, c, value)
            decorate(wb, ws)
    wb.close()
    return path


def add_data_bar(wb, ws):
    """A data bar (an ``extLst`` feature openpyxl drops on save), for ``ledger_by_xlsxwriter``."""
    ws.write_column(1, 26, [1, 2, 3])
    ws.conditional_format("AA2:AA4", {"type": "data_bar", "data_bar_2010": True})


def add_image(wb, ws):
    """A picture in a cell (openpyxl drops images it did not create), for ``ledger_by_xlsxwriter``."""
    ws.insert_image("AF2", "dot.png", {"image_data": io.BytesIO(PNG)})


# --- returned files built byte by byte -------------------------------------------------


def build_form(path: Path, *, vba: Path | None = None) -> Path:
    """A small form: data starting at C3 (A1 origin must hold), text, numbers, dates in ISO
    and East-Asian formats, a hidden and a very hidden sheet."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("反馈表")
    ws.write_string("C3", "推进中")
    ws.write_number("D4", 12.5)
    ws.write_number("E4", 3)
    ws.write_datetime("E5", dt.datetime(2026, 3, 5), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_datetime("F5", dt.datetime(2026, 3, 5), wb.add_format({"num_format": 31}))
    ws.write_datetime(
        "G5", dt.datetime(2026, 3, 5), wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    )
    ws.write_string("K7", "=SUM(A1)")  # unit text that looks like a formula stays text
    ws.write_string("B9", "  末尾有空格  ")
    meta = wb.add_worksheet("_meta")
    meta.write_string("A1", "form_version")
    meta.write_number("B1", 1)
    meta.very_hidden()
    hidden = wb.add_worksheet("说明")
    hidden.write_string("A1", "隐藏")
    hidden.hide()
    if vba is not None:
        wb.add_vba_project(str(vba))
    wb.close()
    return path


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def build_ods(tables: dict[str, str]) -> bytes:
    """A minimal OpenDocument spreadsheet, written by hand: {table name: rows XML}."""
    body = "".join(
        f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in tables.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ods_text(t: str, repeat: int = 1) -> str:
    return (
        f'<table:table-cell office:value-type="string" table:number-columns-repeated="{repeat}">'
        f"<text:p>{t}</text:p></table:table-cell>"
    )


def xlsx_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def ods_empty(n: int) -> str:
    return f'<table:table-cell table:number-columns-repeated="{n}"/>'


def far_cell_xlsx(path: Path) -> Path:
    """Values in A1 and XFD1048576 (moved there by editing the XML: xlsxwriter takes over a
    second to write a cell that far down)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("反馈表")
    ws.write("A1", "a")
    ws.write("B2", "z")
    wb.close()
    members = xlsx_members(path)
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace('<row r="2" spans="1:2">', '<row r="1048576">')
    xml = xml.replace('r="B2"', 'r="XFD1048576"')
    assert 'r="XFD1048576"' in xml and '<row r="1048576">' in xml
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    path.write_bytes(zip_bytes(members))
    return path


def assert_chinese(message: str) -> None:
    """A user message: Chinese, no exception class name, no English sentence."""
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert not re.search(r"(Error|Exception|Invalid|[a-z]{4,} [a-z]{3,})", message), message


# A minimal compound file (OLE2 / CFB, [MS-CFB]).
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def compound_file(entries: list[tuple[str, int, bytes]]) -> bytes:
    """A version-3 compound file holding ``(name, STREAM or STORAGE, data)`` under the root:
    one FAT sector, one directory sector (at most 3 entries), each stream empty or of at least
    4096 bytes (so it lies in regular sectors and no mini stream is needed)."""
    assert len(entries) <= 3
    ss = 512
    sectors: list[bytes] = []  # after the FAT (sector 0) and the directory (sector 1)
    fat = [FATSECT, END]
    dir_entries = [("Root Entry", ROOT, END, 0)]
    for name, kind, data in entries:
        assert not data or len(data) >= 4096
        if not data:
            dir_entries.append((name, kind, END if kind == STREAM else 0, 0))
            continue
        n = -(-len(data) // ss)
        first = 2 + len(sectors)
        for i in range(n):
            sectors.append(data[i * ss : (i + 1) * ss].ljust(ss, b"\0"))
            fat.append(first + i + 1 if i < n - 1 else END)
        dir_entries.append((name, kind, first, len(data)))
    fat += [FREE] * (128 - len(fat))
    directory = b""
    for i, (name, kind, start, size) in enumerate(dir_entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        child = 1 if kind == ROOT and len(dir_entries) > 1 else NOSTREAM
        right = i + 1 if 0 < i < len(dir_entries) - 1 else NOSTREAM  # siblings in a chain
        directory += (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child)
            + b"\0" * 36  # class id, state bits, creation and modification times
            + struct.pack("<IQ", start, size)
        )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        # directory sectors, FAT sectors, first directory sector, transaction, mini cutoff,
        # first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors
        + struct.pack("<9I", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))
    )
    return header + struct.pack("<128I", *fat) + directory.ljust(ss, b"\0") + b"".join(sectors)


def biff(*records: tuple[int, bytes]) -> bytes:
    """A BIFF8 Workbook stream, padded past the mini-stream cutoff with empty records."""
    body = b"".join(struct.pack("<HH", t, len(b)) + b for t, b in records)
    return body.ljust(4096, b"\0")


GLOBALS_BOF = (0x0809, struct.pack("<HH", 0x0600, 0x0005) + b"\0" * 12)
FILEPASS = (0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)


# --- the intake scenario ------------------------------------------------------------------
# A ledger of five items as of 2026-11-20 with the 2026-11 forms made from it (see the `base`
# fixture of tests/jobs/test_intake.py); shared by the intake tests and the robustness suite.


AS_OF = dt.date(2026, 11, 20)
PERIOD = "2026-11"
GENERATED = dt.datetime(2026, 11, 2, 9, 0)
EAST, WEST = "东城区人民政府", "西山县人民政府"
REGULAR, LONG, OTHER, NEW, SECRET = (
    "2026-CW12-01",
    "2026-CW12-02",
    "2026-CW12-03",
    "2026-CW12-04",
    "2026-CW12-05",
)

ITEMS = [
    item(事项编号=REGULAR),
    item(事项编号=LONG, 议定事项="持续推进东城区营商环境优化提升", 事项类型="长期", 完成时限=None),
    item(事项编号=OTHER, 主责单位=WEST, 议定事项="做好西山县冬春森林草原防灭火工作"),
    item(事项编号=NEW, 议定事项="推进东城区城乡生活垃圾分类处理", 交办日期=dt.date(2026, 11, 5)),
    item(事项编号=SECRET, 议定事项="推进东城区某涉密项目", 涉密="是"),
]
PROGRESS = "已完成项目招标，施工单位已进场，完成路基工程约40%，下一步加快桥梁施工。"
GOOD = {"办理状态": "推进中", "本期进展情况": PROGRESS}
GOOD_ROWS = {
    REGULAR: GOOD,
    LONG: {**GOOD, "阶段性目标": "2027年6月底前完成第一阶段整改任务"},
    SECRET: GOOD,
}


def form_table(ws) -> tuple[int, dict[str, int], dict[str, int]]:
    """A form sheet's table: its header row, {header: column}, {事项编号: row}."""
    for row in ws.iter_rows(max_row=30):
        cols = {fl.header_key(c.value): c.column for c in row if isinstance(c.value, str)}
        if "事项编号" in cols and "办理状态" in cols:
            header = row[0].row
            ids = {ws.cell(r, cols["事项编号"]).value: r for r in range(header + 1, ws.max_row + 1)}
            return header, cols, ids
    raise AssertionError("no table header")


def fill(src: Path, dest: Path, rows=None, *, block=None, edit=None, as_text=()) -> Path:
    """Fill a form as a unit does: cells found by header text, typed with openpyxl.

    (Forms are protected; openpyxl writes anyway, as a unit that unprotects would.)
    """
    wb = openpyxl.load_workbook(src)
    ws = wb[fl.SHEET_FORM]
    _header, cols, ids = form_table(ws)
    for item_id, values in (rows if rows is not None else GOOD_ROWS).items():
        for h, v in values.items():
            cell = ws.cell(ids[item_id], cols[h])
            cell.value = v
            if h in as_text:
                cell.data_type = "s"
    for label, value in (block or {}).items():
        for row in ws.iter_rows(max_row=5):
            for c in row:
                if isinstance(c.value, str) and fl.header_key(c.value) == label:
                    ws.cell(c.row, c.column + 1).value = value
    if edit:
        edit(wb, ws, cols, ids)
    wb.save(dest)
    return dest


def copy_meta_from(source: Path):
    """An edit that pastes ``source``'s `_meta` (validly signed) over the form's own."""
    src = openpyxl.load_workbook(source)[fl.SHEET_META]

    def edit(wb, ws, cols, ids):
        target = wb[fl.SHEET_META]
        for row in target.iter_rows():
            for c in row:
                c.value = None
        for row in src.iter_rows():
            for c in row:
                target.cell(c.row, c.column).value = c.value
                target.cell(c.row, c.column).data_type = "s"

    return edit


# --- the briefing scenario ----------------------------------------------------------------


# Text of confidential items: none of it may appear in a circulated file.
SECRETS = {
    "2026-CW12-20": (
        "涉密甲议定事项：某某专项工作",
        "涉密甲办理要求：限期完成",
        "涉密甲最新进展：已完成七成",
    ),
    "2026-CW12-21": (
        "涉密乙议定事项：长期专项",
        "涉密乙办理要求：每月报告",
        "涉密乙最新进展：稳步推进",
    ),
    "2026-CW12-22": (
        "涉密丙议定事项：延期专项",
        "涉密丙办理要求：年底完成",
        "涉密丙最新进展：申请延期中",
    ),
    "2026-CW12-23": (
        "涉密丁议定事项：本月办结专项",
        "涉密丁办理要求：尽快办结",
        "涉密丁最新进展：已全部完成",
    ),
    "2026-CW12-24": (
        "涉密戊议定事项：临期专项",
        "涉密戊办理要求：下月初完成",
        "涉密戊最新进展：进入收尾",
    ),
}
SECRET_REASON = "涉密丙延期原因：涉及保密审批"


def report_row(item_id, period, day, unit="东城区人民政府", status="推进中") -> dict:
    """A row of 办理记录 (header → value), recorded at 09:30 on ``day``."""
    return {
        "记录时间": dt.datetime.combine(day, dt.time(9, 30)),
        "事项编号": item_id,
        "报送单位": unit,
        "报送期次": period,
        "办理状态": status,
        "进展情况": "按计划推进，已完成阶段任务。",
    }


def scenario_ledger(path: Path) -> Path:
    """Every list of the briefing has rows, confidential items in each, as of 2026-11-30."""
    lt = dict(事项类型="长期", 完成时限=None)
    items = [
        item(
            事项编号="2026-CW12-01",
            完成时限=dt.date(2026, 10, 15),
            最新进展="已完成主体工程的七成。",
        ),  # overdue, chased twice
        item(
            事项编号="2026-CW12-02",
            主责单位="西山县",
            完成时限=dt.date(2026, 11, 10),
            责任领导="王副市长",
            议定事项='=HYPERLINK("http://x")看起来像公式',
        ),  # overdue, alias, formula-like
        item(
            事项编号="2026-CW12-03", 主责单位="南湖县人民政府", 完成时限=dt.date(2026, 12, 3)
        ),  # due soon
        item(
            事项编号="2026-CW12-04", 主责单位="北岭县人民政府", 阶段性目标="年内完成一期", **lt
        ),  # reported late
        item(
            事项编号="2026-CW12-05", 主责单位="青河市人民政府", 阶段性目标="次年完成", **lt
        ),  # missed
        item(
            事项编号="2026-CW12-06",
            交办日期=dt.date(2026, 11, 4),
            印发日期=dt.date(2026, 11, 2),
            **lt,
        ),  # grace month
        item(
            事项编号="2026-CW12-07", 办理状态="已办结", 办结日期=dt.date(2026, 11, 12)
        ),  # done in Nov
        item(
            事项编号="2026-CW12-08",
            主责单位="西山县人民政府",
            办结日期=dt.date(2026, 10, 28),
            销号日期=dt.date(2026, 11, 5),
            销号经办人="李华",
            核查结果="报送不实",
        ),  # closed in Nov
        item(
            来源类型="领导批示",
            来源名称="市长关于冬季安全生产的批示",
            印发日期=dt.date(2026, 11, 20),
            交办日期=None,
            责任领导="赵常务副市长",
        ),  # 交办超时
        item(事项编号="2026-CW12-10", 办理状态="已终止"),
        item(
            事项编号="2026-CW12-11",
            主责单位="南湖县人民政府",
            办理状态="申请延期",
            完成时限=dt.date(2026, 12, 20),
        ),
        item(
            事项编号="2026-CW12-12",
            完成时限=dt.date(2026, 11, 5),
            来源类型="专题会议",
            来源名称="市人民政府2026年第12次专题会议",
        ),  # extended in Nov
    ]
    secret = dict(涉密="是")
    for n, (item_id, (matter, req, progress)) in enumerate(SECRETS.items()):
        over = [
            dict(完成时限=dt.date(2026, 10, 20)),
            dict(**lt),
            dict(办理状态="申请延期", 完成时限=dt.date(2026, 12, 20)),
            dict(办理状态="已办结", 办结日期=dt.date(2026, 11, 16)),
            dict(完成时限=dt.date(2026, 12, 2)),
        ][n]
        items.append(
            item(
                事项编号=item_id, 议定事项=matter, 办理要求=req, 最新进展=progress, **secret, **over
            )
        )
    reports = [
        report_row(i, "2026-10", dt.date(2026, 10, 20))
        for i in (
            "2026-CW12-01",
            "2026-CW12-02",
            "2026-CW12-03",
            "2026-CW12-04",
            "2026-CW12-05",
            "2026-CW12-07",
            "2026-CW12-11",
            "2026-CW12-12",
            *SECRETS,
        )
    ]
    reports += [
        report_row(i, "2026-11", dt.date(2026, 11, 18))
        for i in (
            "2026-CW12-01",
            "2026-CW12-03",
            "2026-CW12-07",
            "2026-CW12-11",
            "2026-CW12-12",
            "2026-CW12-20",
            "2026-CW12-22",
            "2026-CW12-23",
            "2026-CW12-24",
        )
    ]
    reports.append(
        report_row("2026-CW12-04", "2026-11", dt.date(2026, 11, 27), unit="北岭县人民政府")
    )
    reminders = [
        {
            "催办日期": d,
            "事项编号": i,
            "催办单位": "东城区人民政府",
            "催办方式": m,
            "催办内容": "请加快办理。",
        }
        for i in ("2026-CW12-01", "2026-CW12-20")
        for d, m in ((dt.date(2026, 10, 22), "书面督办"), (dt.date(2026, 11, 3), "电话督办"))
    ]
    reminders.append(
        {"催办日期": dt.date(2026, 11, 3), "事项编号": "2026-CW12-08", "催办方式": "随机抽查"}
    )
    extensions = [
        {
            "事项编号": "2026-CW12-11",
            "申请日期": dt.date(2026, 11, 18),
            "申请单位": "南湖县人民政府",
            "原时限": dt.date(2026, 12, 20),
            "申请延期至": dt.date(2027, 3, 31),
            "延期原因": "受天气影响",
        },
        {
            "事项编号": "2026-CW12-22",
            "申请日期": dt.date(2026, 11, 19),
            "原时限": dt.date(2026, 12, 20),
            "申请延期至": dt.date(2027, 2, 28),
            "延期原因": SECRET_REASON,
        },
        {
            "事项编号": "2026-CW12-12",
            "申请日期": dt.date(2026, 10, 30),
            "原时限": dt.date(2026, 11, 5),
            "申请延期至": dt.date(2027, 1, 31),
            "延期原因": "资金到位较晚",
            "审批领导": "王副市长",
            "审批日期": dt.date(2026, 11, 2),
            "审批结果": "同意",
            "批准时限": dt.date(2027, 1, 31),
        },
    ]
    return make_ledger(path, items, reports=reports, reminders=reminders, extensions=extensions)


# --- the command line -------------------------------------------------------------------------
# The bad-input sweep: the mistakes a clerk makes, through the real command line. Every case must
# end with the documented exit code, a Chinese message naming the file (or the option), no
# traceback, no English from click, and the ledger byte-identical. The tests of each command's
# module (tests/cli/test_*_cmds.py) run the sweep over their own commands; the ledgers come from
# the fixtures in tests/cli/conftest.py.

ENGLISH = re.compile(
    r"\b(Error|Usage|Invalid|Missing|Options|required|not a valid|is not|range|Traceback|Aborted)\b"
)
COMMANDS = {  # {L}: the ledger, {D}: a scratch folder, {F}: a returned form
    "init": "init {L}",
    "validate": "validate {L}",
    "refresh": "refresh {L} --as-of 2026-11-20",
    "forms": "forms {L} --period 2026-11 --out {D}/反馈表 --as-of 2026-11-20",
    "check": "check {L} {F} --as-of 2026-11-20",
    "merge": "merge {L} {F} --as-of 2026-11-20",
    "brief": "brief {L} --month 2026-11 --out {D}/通报",
    "score": "score {L} --year 2026 --out {D}/扣分.xlsx",
    "notices": "notices {L} --source 第12次常务会议 --out {D}/通知 --date 2026-11-20",
    "remind": "remind {L} --out {D}/催办 --as-of 2026-11-20 --record",
    "sample": "sample {L} --n 2 --seed 1 --out {D}/抽查.xlsx",
}
BAD_LEDGERS = [  # (what the clerk named as the ledger, exit code)
    ("missing", 2),
    ("folder", 2),
    ("word", 2),
    ("text", 2),
    ("empty", 2),
    ("foreign", 2),
    ("sheet renamed", 2),
    ("header deleted", 1),
    ("password", 2),
    ("xls renamed", 2),
]


def run(*args):
    """``ledger`` with these arguments, in-process."""
    from click.testing import CliRunner

    from ledger_tools.cli.app import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def sweep_ledger(path: Path) -> Path:
    """The good ledger of the sweep: a new, a done and an overdue item beside a typical one."""
    return make_ledger(
        path,
        [
            item(),
            item(议定事项="新议定事项", 交办日期=None),
            item(议定事项="已办结的事项", 办理状态="已办结", 办结日期=dt.date(2026, 11, 2)),
            item(议定事项="逾期的事项", 完成时限=dt.date(2026, 11, 10)),
        ],
    )


def bad_ledger(kind: str, folder: Path, fresh_ledger) -> Path:
    """台账.xlsx in ``folder`` as one of ``BAD_LEDGERS``."""
    import shutil

    from ledger_tools.sheets.documents.templates import bundled_template

    path = folder / "台账.xlsx"
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "word":
        shutil.copy(bundled_template("通报.docx"), path)
    elif kind == "text":
        path.write_text("事项编号,议定事项\n1,修路\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "password":  # 文件 → 信息 → 保护工作簿 → 用密码进行加密
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = fresh_ledger(folder / "未加密.xlsx")
        with open(plain, "rb") as src, open(path, "wb") as out:
            OOXMLFile(src).encrypt("secret", out)
        plain.unlink()
    elif kind == "xls renamed":
        path.write_bytes(compound_file([("Workbook", STREAM, biff(GLOBALS_BOF))]))
    elif kind == "foreign":
        wb = openpyxl.Workbook()
        wb.active["A1"] = "工资表"
        wb.save(path)
    else:
        fresh_ledger(path, kind)
    return path


def invoke(template: str, ledger: Path, folder: Path, *extra: str):
    """One of ``COMMANDS`` on ``ledger``, with a returned form (an empty workbook) in ``folder``."""
    import shlex

    from click.testing import CliRunner

    from ledger_tools.cli.app import cli

    form = folder / "反馈表-2026-11-东城区人民政府.xlsx"
    if not form.exists():
        openpyxl.Workbook().save(form)
    args = shlex.split(
        template.format(
            L=shlex.quote(str(ledger)), D=shlex.quote(str(folder)), F=shlex.quote(str(form))
        )
    )
    return CliRunner().invoke(cli, [*args, *extra])


def assert_refused(r, code: int, *names: str) -> None:
    """Exit ``code``, no traceback, no English, and one of ``names`` in the message."""
    out = r.output
    assert r.exit_code == code, out
    assert "Traceback" not in out and not isinstance(
        r.exception, (AssertionError, TypeError, AttributeError)
    )
    assert not ENGLISH.search(out), out
    assert any(n in out for n in names), out


def sweep_wrong_ledger(tmp_path: Path, command: str, kind: str, code: int, fresh_ledger) -> None:
    ledger = bad_ledger(kind, tmp_path, fresh_ledger)
    before = sha(ledger) if ledger.is_file() else None
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert_refused(r, code, "台账.xlsx")
    assert (sha(ledger) if ledger.is_file() else None) == before
    if kind == "header deleted":
        assert "主责单位" in r.output
    if kind == "password":  # not 「已损坏，请从备份恢复」: the clerk's latest work is in this file
        assert "密码" in r.output and "文档加密" in r.output and "损坏" not in r.output
    if kind == "xls renamed":
        assert ".xls" in r.output and "另存为" in r.output


def sweep_open_in_excel(tmp_path: Path, command: str, fresh_ledger) -> None:
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    (tmp_path / "~$台账.xlsx").write_bytes(b"owner")
    digest = sha(ledger)
    assert_refused(invoke(COMMANDS[command], ledger, tmp_path), 3, "台账.xlsx")
    assert sha(ledger) == digest


def sweep_read_only(tmp_path: Path, command: str, monkeypatch, fresh_ledger) -> None:
    """As on Windows, where a read-only file cannot be replaced (root ignores chmod here)."""
    import errno

    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if Path(dst) == ledger:
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert_refused(r, 2, "台账.xlsx")
    assert "只读" in r.output and sha(ledger) == digest


def sweep_chmod_read_only(tmp_path: Path, command: str, fresh_ledger) -> None:
    """A ledger marked read-only (chmod 444; Windows' 只读 attribute reads the same through
    ``os.stat``): refused before anything is written, although ``os.replace`` (and root) would
    replace it regardless."""
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    os.chmod(ledger, 0o444)
    try:
        r = invoke(COMMANDS[command], ledger, tmp_path)
        assert_refused(r, 2, "台账.xlsx")
        assert "只读" in r.output and sha(ledger) == digest
        assert (os.stat(ledger).st_mode & 0o777) == 0o444
        assert not list((tmp_path / "台账备份").glob("台账-*.xlsx"))
    finally:
        os.chmod(ledger, 0o644)


def sweep_bad_option(tmp_path: Path, command: str, option: str, value: str, fresh_ledger) -> None:
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    r = invoke(COMMANDS[command], ledger, tmp_path, option, value)  # the last value given wins
    assert_refused(r, 2, option)
    assert "用法：ledger" in r.output and sha(ledger) == digest


def sweep_wrong_output(
    tmp_path: Path,
    command: str,
    option: str | None,
    target: str,
    code: int,
    word: str,
    fresh_ledger,
) -> None:
    """``--out`` (or ``option``) pointing at ``target``: refused before anything is written."""
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    other = fresh_ledger(tmp_path / "另一个台账.xlsx")
    text = tmp_path / "afile.txt"
    text.write_text("keep")
    (tmp_path / "文件夹").mkdir()
    (tmp_path / "~$打开的.xlsx").write_bytes(b"owner")
    (tmp_path / "打开的.xlsx").write_bytes(b"mine")
    out = {
        "the ledger": ledger,
        "another ledger": other,
        "a folder": tmp_path / "文件夹",
        "a text file": text,
        "a workbook open in Excel": tmp_path / "打开的.xlsx",
    }[target]
    kept = {p: sha(p) for p in (other, text, tmp_path / "打开的.xlsx")}
    if command == "demo":
        r = run("demo", out)
    else:
        assert option is not None
        r = invoke(COMMANDS[command], ledger, tmp_path, option, str(out))
    assert_refused(r, code, word)
    assert out.name in r.output or word in r.output
    assert sha(ledger) == digest and all(sha(p) == h for p, h in kept.items())


def sweep_ctrl_c(tmp_path: Path, command: str, monkeypatch, fresh_ledger) -> None:
    """Ctrl+C while the ledger is read: a short message and exit 130, not a traceback.

    Every job is imported before ``read_ledger`` is patched: a module first imported while it
    is patched would keep the patched function for the rest of the session."""
    import importlib
    import pkgutil
    import sys

    import ledger_tools.jobs
    import ledger_tools.sheets.ledger.data as ledger_data

    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    for info in pkgutil.iter_modules(ledger_tools.jobs.__path__):
        importlib.import_module(f"ledger_tools.jobs.{info.name}")
    real = ledger_data.read_ledger

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    for name, module in list(sys.modules.items()):
        if name.startswith("ledger_tools.") and getattr(module, "read_ledger", None) is real:
            monkeypatch.setattr(module, "read_ledger", interrupted)
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert r.exit_code == 130 and "已中断" in r.output and "Traceback" not in r.output, r.output
    assert sha(ledger) == digest


def refreshed(items, extensions, reports, reminders, settings, cal, as_of) -> list:
    """The items as ``refresh`` leaves them: core.recompute's tool columns applied, for tests
    that compute a briefing from model objects."""
    result = recompute(items, extensions, reports, reminders, settings, cal, as_of)
    return [
        replace(item, **result.values(n)) if n in result.computed else item
        for n, item in enumerate(items)
    ]


def assert_print_ready(ws, header_row: int) -> None:
    """An openpyxl-read worksheet prints as SPEC §6 asks: A4 landscape, one page wide, the
    header row (1-based) on every page, page numbers in the footer."""
    ps = ws.page_setup
    assert str(ps.paperSize) == "9" and ps.orientation == "landscape", (
        ps.paperSize,
        ps.orientation,
    )
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ps.fitToWidth or 1) == 1 and int(ps.fitToHeight) == 0  # as many pages down as needed
    rows = (ws.print_title_rows or "").replace("$", "")
    assert rows == f"{header_row}:{header_row}", ws.print_title_rows
    footer = ws.oddFooter.center.text or ""
    assert "&P" in footer and "&N" in footer, footer


def pdf_pages_landscape(pdf: Path) -> list[bool]:
    """For each page of a PDF LibreOffice wrote, whether it is wider than tall (its MediaBox)."""
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", data)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    out = []
    for box in boxes[:pages] if len(boxes) >= pages else boxes:
        x0, y0, x1, y1 = (float(v) for v in box.split())
        out.append(x1 - x0 > y1 - y0)
    return out


# --- odd 涉密 spellings (SPEC §3 Fail closed) ----------------------------------------------

# What staff type in 涉密 besides 是/否: each makes the item confidential everywhere.
ODD_SECRET_SPELLINGS = ("√", "机密", "秘密", "Y", "是（内部）", " 是 ", "绝密★")
# The confidential items' text: it may appear only in the lead unit's own files.
SECRET_WORDS = (
    "涉密庚议定事项某专项",
    "涉密庚办理要求限期",
    "涉密庚最新进展七成",
    "涉密辛已办结专项",
)
SECRET_LEAD, SECRET_CO = "东城区人民政府", "西山县人民政府"


def secret_ledger(path: Path, spelling: str) -> Path:
    """A ledger whose confidential items carry ``spelling`` in 涉密: one overdue and chased
    (forms, reminders, briefing, score), one reported done (sample), one not yet assigned in a
    source of its own (notices); each led by 东城区 with 西山县 as co-unit, beside public items
    of 西山县 so that 西山县 gets every kind of file too."""
    matter, requirement, progress, done = SECRET_WORDS
    s13 = dict(来源名称="市人民政府2026年第13次常务会议", 印发日期=dt.date(2026, 11, 16))
    items = [
        item(
            事项编号="2026-CW12-01",
            涉密=spelling,
            议定事项=matter,
            办理要求=requirement,
            最新进展=progress,
            协办单位=SECRET_CO,
            完成时限=dt.date(2026, 10, 20),
        ),
        item(
            事项编号="2026-CW12-02",
            涉密=spelling,
            议定事项=done,
            协办单位=SECRET_CO,
            办理状态="已办结",
            办结日期=dt.date(2026, 11, 10),
        ),
        item(事项编号="2026-CW12-03", 主责单位=SECRET_CO, 完成时限=dt.date(2026, 11, 10)),
        item(
            事项编号="2026-CW12-04",
            主责单位=SECRET_CO,
            办理状态="已办结",
            办结日期=dt.date(2026, 11, 9),
        ),
        item(**s13, 涉密=spelling, 议定事项=matter, 协办单位=SECRET_CO, 交办日期=None),
        item(**s13, 主责单位=SECRET_CO, 议定事项="西山县公开事项", 交办日期=None),
    ]
    reminders = [
        {
            "催办日期": d,
            "事项编号": i,
            "催办单位": u,
            "催办方式": "书面督办",
            "催办内容": "请加快办理。",
        }
        for i, u in (("2026-CW12-01", SECRET_LEAD), ("2026-CW12-03", SECRET_CO))
        for d in (dt.date(2026, 10, 22), dt.date(2026, 11, 3))
    ]
    return make_ledger(path, items, reminders=reminders)


def package_text(path: Path) -> str:
    """All text of an .xlsx or .docx, tags removed, so that text Word splits into runs is whole."""
    with zipfile.ZipFile(path) as z:
        xml = "".join(
            z.read(n).decode("utf-8", "replace")
            for n in z.namelist()
            if n.endswith((".xml", ".rels"))
        )
    return re.sub(r"<[^>]+>", "", xml)


def leaked(path: Path) -> list[str]:
    """The confidential words of ``secret_ledger`` found in ``path``."""
    text = package_text(path)
    return [w for w in SECRET_WORDS if w in text]


def rows_without_numbers(path: Path) -> Path:
    """The ledger with 台账's rows written without their numbers (valid, and read by openpyxl):
    a package the package writer is not sure of, so a save goes the openpyxl way."""
    from ledger_tools.sheets.ledger.package_writer import sheet_parts

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        part = sheet_parts(z)[sc.ITEMS.name]
    parts[part] = re.sub(rb'<row r="\d+"', b"<row", parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


# --- the package writer's corpus (ISSUE 15, SPEC §8 "Only what it owns") -------------------
#
# Ledgers as the office keeps them, each a different package: what our own openpyxl saves write
# (small, the sample, a benchmark-shaped one), another program's rebuild with a chart, a
# picture and a data bar, and staff's ordinary additions openpyxl drops (a WPS cell image, a
# sparkline, a password to modify, a formula with its cached value, a slicer). The package
# writer must save every one of them; test_package_writer compares it with the openpyxl path
# and tests/robustness/test_writer_corpus.py runs the commands on them.

WPS_CELL_IMAGES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>'
)
SPARKLINE_EXT = (
    b'<ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b"<x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>\xe5\x8f\xb0\xe8\xb4\xa6!AG2:AH2</xm:f>"
    b"<xm:sqref>AI2</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
    b"</x14:sparklineGroups></ext>"
)
FILE_SHARING = (
    b'<fileSharing userName="staff" algorithmName="SHA-512" hashValue="aGFzaA==" '
    b'saltValue="c2FsdA==" spinCount="100000"/>'
)
# Staff's cells in 台账 row 2, past the tool's columns: a number, a formula on it with its
# cached value (what a viewer that does not recalculate shows), a WPS cell image's formula.
STAFF_CELLS = (
    b'<c r="AG2"><v>3</v></c><c r="AH2"><f>AG2*2</f><v>6</v></c>'
    b'<c r="AJ2" t="str"><f>_xlfn.DISPIMG("ID_1",1)</f><v>=DISPIMG("ID_1",1)</v></c>'
)


def edit_parts(path: Path, edit) -> Path:
    """Rewrite the package at ``path`` in place: ``edit`` changes {part name: bytes}."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    """The worksheet part of ``sheet`` in a package read by ``edit_parts``."""
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet\b[^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)
    assert rid, sheet
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rel = re.search(rf'<Relationship\b[^>]*Id="{rid.group(1)}"[^>]*/>', rels)
    target = re.search(r'Target="([^"]+)"', rel.group(0)).group(1)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _cells_in_column_order(row: bytes) -> bytes:
    head, body, tail = re.match(rb"(<row\b[^>]*>)(.*)(</row>)", row, re.S).groups()
    cells = re.findall(rb"<c\b[^>]*?(?:/>|>.*?</c>)", body, re.S)

    def col(cell: bytes) -> tuple[int, bytes]:
        letters = re.search(rb'r="([A-Z]+)', cell).group(1)
        return (len(letters), letters)

    return head + b"".join(sorted(cells, key=col)) + tail


def with_staff_additions(path: Path) -> Path:
    """Staff's ordinary additions that openpyxl drops, put into the ledger at ``path``: a WPS
    cell image (xl/cellimages.xml, its media, its DISPIMG formula), a sparkline, a password to
    modify (``fileSharing``), a formula with its cached value and a slicer part."""

    def edit(parts: dict[str, bytes]) -> None:
        items = sheet_part(parts, sc.ITEMS.name)
        xml = re.sub(
            rb'<row r="2"[^>]*>.*?</row>',
            lambda m: _cells_in_column_order(m.group(0).replace(b">", b">" + STAFF_CELLS, 1)),
            parts[items],
            count=1,
            flags=re.S,
        )
        if b"</extLst>" in xml:  # the sheet has extensions already (a data bar): one list
            at = xml.rfind(b"</extLst>")
            xml = xml[:at] + SPARKLINE_EXT + xml[at:]
        else:
            xml = xml.replace(
                b"</worksheet>", b"<extLst>" + SPARKLINE_EXT + b"</extLst></worksheet>"
            )
        parts[items] = xml
        parts["xl/workbook.xml"] = re.sub(
            rb"(<workbook\b[^>]*>)", rb"\1" + FILE_SHARING, parts["xl/workbook.xml"], count=1
        )
        parts["xl/cellimages.xml"] = WPS_CELL_IMAGES
        parts["xl/media/cellimage1.png"] = PNG
        parts["xl/slicers/slicer1.xml"] = b"<slicers/>"

    return edit_parts(path, edit)


def xlsxwriter_rebuild(
    src: Path, dest: Path, *, chart: bool = False, image: bool = False, data_bar: bool = False
) -> Path:
    """The ledger's sheets and values copied into a new workbook by XlsxWriter (another
    program), plus decorations on 台账: a column chart and a data bar over 剩余工作日, a picture."""
    book = openpyxl.load_workbook(src)
    out = xlsxwriter.Workbook(
        str(dest),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    day, moment = (
        out.add_format({"num_format": "yyyy-mm-dd"}),
        out.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    )
    for ws_in in book.worksheets:
        ws = out.add_worksheet(ws_in.title)
        for row in ws_in.iter_rows():
            for c in row:
                v, r, k = c.value, c.row - 1, c.column - 1
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, k, v, day if v.time() == dt.time() else moment)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, k, dt.datetime.combine(v, dt.time()), day)
                elif isinstance(v, bool):
                    ws.write_boolean(r, k, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, k, v)
                else:
                    ws.write_string(r, k, str(v))
        if ws_in.sheet_state == "veryHidden":
            ws.very_hidden()
        elif ws_in.sheet_state == "hidden":
            ws.hide()
        if ws_in.title != sc.ITEMS.name:
            continue
        header = next(c for c in ws_in[1] if c.value == "剩余工作日")
        col, last = header.column_letter, ws_in.max_row
        if chart:
            ch = out.add_chart({"type": "column"})
            ch.add_series(
                {"name": "剩余工作日", "values": f"='{sc.ITEMS.name}'!${col}$2:${col}${last}"}
            )
            ws.insert_chart("AF2", ch)
        if image:
            ws.insert_image("AF20", "单位标识.png", {"image_data": io.BytesIO(PNG)})
        if data_bar:
            ws.conditional_format(
                f"{col}2:{col}{last}", {"type": "data_bar", "data_bar_2010": True}
            )
    out.close()
    return dest


def sample_ledger(path: Path) -> Path:
    """The sample ledger (``ledger sample``), refreshed as of its own day (AS_OF)."""
    from ledger_tools.demo.sample import build_sample
    from ledger_tools.jobs import refresh

    refresh.run(build_sample(path), AS_OF)
    return path


BENCHMARK_NEW_SOURCE = "benchmark-new-source"  # set by benchmark_ledger: the source to notify


def benchmark_ledger(path: Path, items: int = 300, units: int = 12) -> Path:
    """A ledger built by benchmarks/generate.py's own code at a few hundred items (history in
    办理记录, extensions, reminders), the newest source's items left unassigned, refreshed."""
    import random

    from benchmarks import generate as bench
    from ledger_tools.jobs import refresh

    rng = random.Random(2026)
    chosen = bench.make_units(rng)[:units]
    built = bench.build_rows(items, chosen, rng)
    newest = built.items[-1]["source_name"]
    fresh = {r["id"] for r in built.items if r["source_name"] == newest}
    for row in built.items:
        if row["source_name"] == newest:
            row.update(assigned=None, notice_no=None, status=None)
    for log in (built.reports, built.extensions, built.reminders):
        log[:] = [r for r in log if r.get("item_id", r.get("id")) not in fresh]
    bench.write_ledger(path, chosen, built)
    refresh.run(path, bench.REF)
    (path.parent / BENCHMARK_NEW_SOURCE).write_text(newest, encoding="utf-8")
    return path


def decorated_sample(path: Path) -> Path:
    """The sample rebuilt by XlsxWriter with a chart, a picture and a data bar, then given
    staff's additions (``with_staff_additions``): every kind of content at once."""
    plain = path.with_name("plain-" + path.name)
    sample_ledger(plain)
    xlsxwriter_rebuild(plain, path, chart=True, image=True, data_bar=True)
    plain.unlink()
    return with_staff_additions(path)


def record_saves(monkeypatch) -> list[tuple[Path, str | None]]:
    """(ledger, ``LedgerFile.saved_by``) of every writable open that ends from now on: which
    writer saved it ("writer", "openpyxl") or None when nothing was saved."""
    from ledger_tools.sheets.ledger.file import LedgerFile

    seen: list[tuple[Path, str | None]] = []
    original = LedgerFile.__exit__

    def exit_(self, *exc):
        if self.writable:
            seen.append((self.path, self.saved_by))
        return original(self, *exc)

    monkeypatch.setattr(LedgerFile, "__exit__", exit_)
    return seen


def saving_commands(ledger, form, out) -> dict[str, list]:
    """The arguments of each command that saves the ledger (SPEC §8), on ``ledger``, merging
    ``form`` and writing into ``out``."""
    as_of = ["--as-of", AS_OF.isoformat()]
    return {
        "refresh": ["refresh", ledger, "--as-of", "2026-11-23"],
        "merge": ["merge", ledger, form, *as_of],
        "notices": [
            "notices",
            ledger,
            "--source",
            "第12次常务会议",
            "--out",
            out,
            "--date",
            "2026-11-20",
        ],
        "remind --record": ["remind", ledger, "--out", out, "--record", "--as-of", "2026-12-28"],
        "brief": ["brief", ledger, "--month", PERIOD, "--out", out, *as_of],
    }
