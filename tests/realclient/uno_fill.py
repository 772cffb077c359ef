"""Type values into a workbook in a running headless LibreOffice, as a unit's clerk would.

Run with the system interpreter that has the ``uno`` module (``/usr/bin/python3``), never
imported by the project's Python: ``lo.py`` starts soffice, then runs

    /usr/bin/python3 uno_fill.py JOB.json

JOB.json: {"port": 2002, "src": "/abs/in.xlsx", "method": "typed",
           "edits": {"反馈表": {"K7": "推进中", "M7": "2026-3-5"}},
           "outputs": [{"path": "/abs/out.xls", "filter": "MS Excel 97", "password": null}]}

Each value goes in the way typing does (see ``Typist``), so "2026-3-5" becomes a date and
"推进中" text. One JSON object is printed on stdout: what each cell became, and notes (e.g. a
locked cell on a protected sheet that had to be unprotected to type into).

Optional ``"decorations"`` are added after the edits, the way a clerk adds them in Calc:
    [{"kind": "chart", "sheet": "台账", "range": "A1:B6"},
     {"kind": "image", "sheet": "台账", "path": "/abs/logo.png"},
     {"kind": "databar", "sheet": "台账", "range": "AA2:AA6"}]
"""

import json
import os
import sys
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_TIMEOUT = 60.0


def _props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def connect(port, timeout=CONNECT_TIMEOUT):
    """soffice needs a few seconds to open its socket, longer on a fresh profile: retry."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _cell_type(cell):
    return str(cell.getType().value)  # EMPTY / VALUE / TEXT / FORMULA


class Typist:
    """Enters text into cells.

    method "typed" (default) sets the cell's ``FormulaLocal``: the text is read as the input
    line reads what a clerk types, in the office locale — "2026/3/5" or "2026年3月5日" become
    dates under zh-CN *and* the cell gets a date format, a leading "=" makes a formula, other
    text stays text. method "api" uses ``XCell.setFormula``: en-US parsing, and the cell keeps
    its number format, so "2026-3-5" typed into a General cell is saved as the bare number
    46086 and "2026年3月5日" stays text.

    (Dispatching ``.uno:EnterString`` to the frame would be the literal input path, but with
    a hidden frame soffice 7.4 aborts in a timer now and then while storing.)

    Neither path honours sheet protection, where a clerk is stopped: for a locked cell on a
    protected sheet the sheet is unprotected (empty password), typed into and protected again,
    and a note says so.
    """

    def __init__(self, method, notes):
        if method not in ("typed", "api"):
            raise ValueError(f"unknown typing method {method!r}")
        self.method = method
        self.notes = notes

    def type(self, sheet, ref, text):
        cell = sheet.getCellRangeByName(ref)
        locked = bool(sheet.isProtected() and cell.CellProtection.IsLocked)
        if locked:
            sheet.unprotect("")
            self.notes.append(
                f"{sheet.getName()}!{ref}: locked cell on a protected sheet; unprotected "
                "with an empty password, typed, protected again"
            )
        try:
            if self.method == "api":
                cell.setFormula(text)
            else:
                cell.FormulaLocal = text
        finally:
            if locked:
                sheet.protect("")
        if text and cell.getType().value == "EMPTY":
            raise RuntimeError(f"{sheet.getName()}!{ref}: typing {text!r} left the cell empty")
        return cell


def _rect(x, y, width, height):
    rect = uno.createUnoStruct("com.sun.star.awt.Rectangle")
    rect.X, rect.Y, rect.Width, rect.Height = x, y, width, height
    return rect


def add_chart(ctx, doc, sheet, deco):
    """A column chart over ``range`` (Insert > Chart)."""
    charts = sheet.getCharts()
    name = deco.get("name", f"图表{charts.getCount() + 1}")
    source = sheet.getCellRangeByName(deco["range"]).getRangeAddress()
    charts.addNewByName(name, _rect(2000, 2000, 12000, 7000), (source,), True, True)
    # headless, the new chart has no diagram (an empty plot area) until one is set
    chart = charts.getByName(name).getEmbeddedObject()
    chart.setDiagram(chart.createInstance("com.sun.star.chart.BarDiagram"))


def add_image(ctx, doc, sheet, deco):
    """A picture from a file placed on the sheet (Insert > Image)."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.graphic.GraphicProvider", ctx
    )
    graphic = provider.queryGraphic(_props(URL=uno.systemPathToFileUrl(deco["path"])))
    shape = doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
    shape.Graphic = graphic
    sheet.getDrawPage().add(shape)
    size = uno.createUnoStruct("com.sun.star.awt.Size")
    size.Width, size.Height = 3000, 3000
    point = uno.createUnoStruct("com.sun.star.awt.Point")
    point.X, point.Y = 16000, 1000
    shape.setSize(size)
    shape.setPosition(point)


DATABAR = 2  # com.sun.star.sheet.ConditionEntryType.DATABAR


def add_databar(ctx, doc, sheet, deco):
    """A data bar over ``range`` (Format > Conditional > Data Bar)."""
    ranges = doc.createInstance("com.sun.star.sheet.SheetCellRanges")
    ranges.addRangeAddress(sheet.getCellRangeByName(deco["range"]).getRangeAddress(), False)
    formats = sheet.ConditionalFormats
    key = formats.createByRange(ranges)
    target = next(f for f in formats.getConditionalFormats() if f.ID == key)
    target.createEntry(DATABAR, 0)


DECORATE = {"chart": add_chart, "image": add_image, "databar": add_databar}


def main(job_path):
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    ctx = connect(int(job["port"]))
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    result = {"notes": [], "cells": {}, "outputs": []}
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(job["src"]), "_blank", 0, _props(Hidden=True)
    )
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {job['src']}")
    try:
        typist = Typist(job.get("method", "typed"), result["notes"])
        sheets = doc.getSheets()
        for sheet_name, cells in job["edits"].items():
            if not sheets.hasByName(sheet_name):
                raise RuntimeError(f"no sheet {sheet_name!r} in {job['src']}")
            sheet = sheets.getByName(sheet_name)
            seen = result["cells"].setdefault(sheet_name, {})
            for ref, text in cells.items():
                cell = typist.type(sheet, ref, text)
                seen[ref] = {
                    "type": _cell_type(cell),
                    "string": cell.getString(),
                    "value": cell.getValue(),
                    "protected_sheet": bool(sheet.isProtected()),
                }
        for deco in job.get("decorations", ()):
            sheet = sheets.getByName(deco["sheet"])
            DECORATE[deco["kind"]](ctx, doc, sheet, deco)
            result["notes"].append(f"{deco['sheet']}: added {deco['kind']}")
        for out in job["outputs"]:
            args = _props(FilterName=out["filter"], Overwrite=True)
            if out.get("password"):
                args += _props(Password=out["password"])  # xls: FILEPASS (RC4); ods: ODF crypto
            doc.storeToURL(uno.systemPathToFileUrl(out["path"]), args)
            result["outputs"].append(out["path"])
    finally:
        try:
            doc.close(True)
        except Exception:
            pass
        try:
            desktop.terminate()  # the bridge drops as soffice exits: ignore that
        except Exception:
            pass
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    code = 0
    try:
        main(sys.argv[1])
    except Exception:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # pyuno sometimes crashes (SIGSEGV) tearing down a bridge whose office has just quit:
    # skip the interpreter's teardown, the work is done and reported.
    os._exit(code)
