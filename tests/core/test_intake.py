"""core.intake: what a merge adds and changes, decided from checked files as plain data."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from ledger_tools.core import form_checks as fc
from ledger_tools.core import intake as ci
from ledger_tools.core.findings import make
from ledger_tools.core.model import (
    Approval,
    Extension,
    Item,
    ItemKind,
    Report,
    Status,
    UnitReportStatus,
)

D = dt.date
AS_OF = D(2026, 11, 20)
STAMP = dt.datetime(2026, 11, 20, 15, 30)
MADE = dt.datetime(2026, 11, 1, 9, 0)
ONGOING, DONE, EXT = UnitReportStatus.ONGOING, UnitReportStatus.DONE, UnitReportStatus.EXTENSION


def make_item(item_id="2026-CW12-01", **over) -> Item:
    base = dict(
        id=item_id,
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        current_deadline=D(2026, 12, 31),
        status=Status.IN_PROGRESS,
        row=2,
    )
    base.update(over)
    return Item(**base)


def row(item, status=ONGOING, progress="已完成主体工程", *, findings=(), **cells) -> fc.RowOutcome:
    """An accepted form row for ``item``; ``cells`` by form header (dates go to dates)."""
    entry = fc.FormEntry(5, item.id if item else None)
    entry.texts[fc.COL_STATUS] = status.value
    entry.texts[fc.COL_PROGRESS] = progress
    for header, value in cells.items():
        if isinstance(value, dt.date):
            entry.dates[header] = value
            entry.texts[header] = value.isoformat()
        else:
            entry.texts[header] = value
    return fc.RowOutcome(entry, item, fc.REPORT, status, list(findings))


def checked(order=0, rows=(), *, period="2026-11", generated=MADE, **over) -> ci.CheckedFile:
    o = ci.CheckedFile(
        Path(f"反馈表-{order}.xlsx"),
        order,
        sha256=f"sha{order}",
        unit="东城区人民政府",
        period=period,
        generated=generated,
        contact="李明",
        phone="0571-1234567",
        rows=list(rows),
        **over,
    )
    for r in o.rows:
        for f in r.findings:
            o.add(f, whole_file=False)
    return o


def plan(files, extensions=(), partial=False) -> ci.MergePlan:
    return ci.plan_merge(files, list(extensions), AS_OF, STAMP, partial)


BAD = make("R104", file="x.xlsx", item="2026-CW12-02")  # an error in one row
TERSE = make("W201", file="x.xlsx", item="2026-CW12-01", detail="过于简略")


# --- what becomes of each file -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "over", "partial", "result", "reports"),
    [
        pytest.param(["good"], {}, False, ci.MERGED, 1, id="clean"),
        pytest.param(["good", "warned"], {}, False, ci.MERGED, 2, id="warnings-do-not-stop-it"),
        pytest.param([], {}, False, ci.MERGED, 0, id="nothing-filled-in"),
        pytest.param(["good", "bad"], {}, False, ci.REJECTED, 0, id="one-error-rejects-all"),
        pytest.param(["good", "bad"], {}, True, ci.MERGED, 1, id="partial-takes-valid-rows"),
        pytest.param(["bad"], {}, True, ci.REJECTED, 0, id="partial-with-nothing-valid"),
        pytest.param(["good"], {"duplicate": True}, False, ci.DUPLICATE, 0, id="duplicate"),
        pytest.param(["good"], {"file_error": True}, True, ci.REJECTED, 0, id="file-error"),
    ],
)
def test_file_result(rows, over, partial, result, reports):
    items = {
        "good": row(make_item("2026-CW12-01")),
        "warned": row(make_item("2026-CW12-03"), findings=[TERSE]),
        "bad": row(make_item("2026-CW12-02"), progress=None, findings=[BAD]),
    }
    files = [checked(0, [items[r] for r in rows], **over)]
    if over.get("file_error"):
        files[0].add(make("F005", file="x.xlsx", detail="隐藏信息与签名不符"))
    p = plan(files, partial=partial)
    assert p.results == {0: result}
    assert len(p.reports) == reports and len(p.updates) == reports
    assert [(r.file, r.result, r.items, r.form_made) for r in p.imports] == [
        ("反馈表-0.xlsx", result, len(rows), MADE)
    ]


# --- the 台账 row and 延期记录 --------------------------------------------------------------


PENDING = Extension(item_id="2026-CW12-01", requested_to=D(2027, 3, 31))
DECIDED = Extension(item_id="2026-CW12-01", requested_to=D(2027, 3, 31), result=Approval.REFUSED)


@pytest.mark.parametrize(
    ("item", "form_row", "extensions", "changes", "asked"),
    [
        pytest.param(
            make_item(),
            dict(status=ONGOING),
            [],
            {"latest_progress": "已完成主体工程", "last_report": AS_OF},
            None,
            id="ongoing",
        ),
        pytest.param(
            make_item(),
            dict(status=ONGOING, **{fc.COL_STAGE: "年底前完成"}),
            [],
            {"latest_progress": "已完成主体工程", "last_report": AS_OF},
            None,
            id="stage-target-only-for-long-term",
        ),
        pytest.param(
            make_item(kind=ItemKind.LONG_TERM, status=Status.LONG_TERM),
            dict(status=ONGOING, **{fc.COL_STAGE: "年底前完成"}),
            [],
            {
                "latest_progress": "已完成主体工程",
                "last_report": AS_OF,
                "stage_target": "年底前完成",
            },
            None,
            id="long-term-first-target",
        ),
        pytest.param(
            make_item(kind=ItemKind.LONG_TERM, status=Status.LONG_TERM, stage_target="原目标"),
            dict(status=ONGOING, **{fc.COL_STAGE: "新目标"}),
            [],
            {"latest_progress": "已完成主体工程", "last_report": AS_OF},
            None,
            id="long-term-target-kept",
        ),
        pytest.param(
            make_item(),
            dict(status=DONE, **{fc.COL_DONE: D(2026, 11, 15)}),
            [],
            {
                "latest_progress": "已完成主体工程",
                "last_report": AS_OF,
                "status": Status.DONE,
                "done_date": D(2026, 11, 15),
            },
            None,
            id="done",
        ),
        pytest.param(
            make_item(),
            dict(status=EXT, **{fc.COL_EXT_TO: D(2027, 3, 31), fc.COL_EXT_REASON: "资金未到位"}),
            [],
            {
                "latest_progress": "已完成主体工程",
                "last_report": AS_OF,
                "status": Status.EXTENSION_REQUESTED,
            },
            Extension(
                item_id="2026-CW12-01",
                requested=AS_OF,
                unit="东城区人民政府",
                old_deadline=D(2026, 12, 31),
                requested_to=D(2027, 3, 31),
                reason="资金未到位",
            ),
            id="extension-request",
        ),
        pytest.param(
            make_item(),
            dict(status=EXT, **{fc.COL_EXT_TO: D(2027, 3, 31), fc.COL_EXT_REASON: "资金未到位"}),
            [PENDING],
            {
                "latest_progress": "已完成主体工程",
                "last_report": AS_OF,
                "status": Status.EXTENSION_REQUESTED,
            },
            None,
            id="same-request-still-pending",
        ),
        pytest.param(
            make_item(),
            dict(status=EXT, **{fc.COL_EXT_TO: D(2027, 3, 31), fc.COL_EXT_REASON: "资金未到位"}),
            [DECIDED],
            {
                "latest_progress": "已完成主体工程",
                "last_report": AS_OF,
                "status": Status.EXTENSION_REQUESTED,
            },
            Extension(
                item_id="2026-CW12-01",
                requested=AS_OF,
                unit="东城区人民政府",
                old_deadline=D(2026, 12, 31),
                requested_to=D(2027, 3, 31),
                reason="资金未到位",
            ),
            id="asked-again-after-a-refusal",
        ),
        pytest.param(
            make_item(status=Status.DONE, done_date=D(2026, 11, 2)),
            dict(status=EXT, **{fc.COL_EXT_TO: D(2027, 3, 31), fc.COL_EXT_REASON: "资金未到位"}),
            [],
            {"latest_progress": "已完成主体工程", "last_report": AS_OF},
            None,
            id="no-request-for-a-finished-item",
        ),
    ],
)
def test_item_update_and_extension_request(item, form_row, extensions, changes, asked):
    before = copy.deepcopy(item)
    p = plan([checked(0, [row(item, **form_row)])], extensions)
    assert [(u.item, u.changes) for u in p.updates] == [(item, changes)]
    assert p.extensions == ([asked] if asked else [])
    assert item == before  # the plan changes nothing itself


@pytest.mark.parametrize(
    ("status", "cells", "expected"),
    [
        pytest.param(
            ONGOING,
            {fc.COL_DONE: D(2026, 11, 15), fc.COL_EXT_REASON: "无", fc.COL_PROBLEMS: "缺资金"},
            dict(done_date=None, extension_reason=None, extension_to=None, problems="缺资金"),
            id="ongoing-keeps-no-done-or-extension-fields",
        ),
        pytest.param(
            DONE,
            {fc.COL_DONE: D(2026, 11, 15), fc.COL_EXT_TO: D(2027, 1, 1)},
            dict(done_date=D(2026, 11, 15), extension_to=None),
            id="done-keeps-its-date",
        ),
        pytest.param(
            EXT,
            {fc.COL_DONE: D(2026, 11, 15), fc.COL_EXT_TO: D(2027, 1, 1), fc.COL_EXT_REASON: "雨季"},
            dict(done_date=None, extension_to=D(2027, 1, 1), extension_reason="雨季"),
            id="extension-keeps-reason-and-date",
        ),
        pytest.param(
            ONGOING,
            {fc.COL_STAGE: "年底前完成"},
            dict(stage_target="年底前完成"),
            id="stage-target-as-given",
        ),
    ],
)
def test_report_row(status, cells, expected):
    (report,) = plan([checked(0, [row(make_item(), status, **cells)])]).reports
    assert report.recorded == STAMP and report.item_id == "2026-CW12-01"
    assert (report.unit, report.period, report.status) == ("东城区人民政府", "2026-11", status)
    assert (report.contact, report.phone) == ("李明", "0571-1234567")
    assert (report.source_file, report.fingerprint) == ("反馈表-0.xlsx", "sha0")
    assert {k: getattr(report, k) for k in expected} == expected


# --- order: the last report decides, later-made forms win -----------------------------------


@pytest.mark.parametrize(
    ("files", "winner"),
    [
        pytest.param(
            [dict(order=0, generated=MADE), dict(order=1, generated=MADE)],
            1,
            id="same-form-time-file-order",
        ),
        pytest.param(
            [dict(order=0, generated=MADE.replace(day=5)), dict(order=1, generated=MADE)],
            0,
            id="later-made-form-wins-over-file-order",
        ),
        pytest.param(
            [dict(order=0, period="2026-11"), dict(order=1, period="2026-10")],
            0,
            id="later-period-wins",
        ),
    ],
)
def test_last_report_decides(files, winner):
    item = make_item()
    outcomes = [checked(rows=[row(item, progress=f"第{f['order']}份")], **f) for f in files]
    p = plan(outcomes)
    assert len(p.reports) == 2
    assert [u.changes["latest_progress"] for u in p.updates] == [f"第{winner}份"]


def test_a_superseded_report_is_logged_but_leaves_the_item():
    item = make_item()
    older = checked(0, [row(item, progress="旧表")], superseded={item.id: MADE.replace(day=5)})
    p = plan([older])
    assert [r.progress for r in p.reports] == ["旧表"] and p.updates == []
    assert p.results == {0: ci.MERGED}


def test_imports_follow_the_order_files_were_given():
    files = [
        checked(0, [row(make_item())], period="2026-11"),
        checked(1, [], duplicate=True, period="2026-10"),
    ]
    files[1].add(make("F007", file="反馈表-1.xlsx", detail="与本次的 反馈表-0.xlsx 完全相同"))
    p = plan(files)
    assert [(r.file, r.result, r.problems, r.time) for r in p.imports] == [
        ("反馈表-0.xlsx", ci.MERGED, 0, STAMP),
        ("反馈表-1.xlsx", ci.DUPLICATE, 0, STAMP),  # F007 is not a problem
    ]


# --- what earlier merges tell the checks -------------------------------------------------


def test_history_counts_merged_rows_only():
    imports = [
        ci.ImportRecord(
            file="a.xlsx",
            fingerprint=" ABC ",
            unit="东城区",
            period="2026-10",
            result=ci.MERGED,
            form_made=MADE,
        ),
        ci.ImportRecord(file="b.xlsx", fingerprint="def", unit="西山县", period="2026-11"),
        ci.ImportRecord(
            file="c.xlsx", fingerprint="ghi", unit="东城区", period="2026年11月", result=ci.MERGED
        ),
        ci.ImportRecord(file="d.xlsx", fingerprint="jkl", result=ci.REJECTED),
    ]
    reports = [
        Report(
            item_id="2026-CW12-01", period="2026-10", recorded=D(2026, 10, 20), fingerprint="abc"
        ),
        Report(item_id="2026-CW12-01", period="2026-10", recorded=D(2026, 10, 18)),
        Report(item_id="2026-CW12-02", period="2026-11", recorded=None, fingerprint="ghi"),
    ]
    h = ci.history(imports, reports, {"东城区": "东城区人民政府"}.get)
    assert h.merged_files == {"abc": "a.xlsx", "ghi": "c.xlsx"}
    assert h.merged_periods == {"东城区人民政府": {"2026-10", "2026-11"}}
    assert h.first_reports == {"2026-CW12-01": D(2026, 10, 18)}
    assert h.newest_made == {("2026-CW12-01", "2026-10"): MADE}  # c.xlsx: no form time kept


@pytest.mark.parametrize(
    ("generated", "merged", "w205"),
    [
        pytest.param(MADE, {}, False, id="nothing-newer"),
        pytest.param(MADE, {("2026-CW12-01", "2026-11"): MADE}, False, id="the-same-form-again"),
        pytest.param(
            MADE, {("2026-CW12-01", "2026-11"): MADE.replace(day=5)}, True, id="newer-merged"
        ),
        pytest.param(
            MADE, {("2026-CW12-01", "2026-10"): MADE.replace(day=5)}, False, id="other-period"
        ),
    ],
)
def test_supersede(generated, merged, w205):
    o = checked(0, [row(make_item())], generated=generated)
    ci.supersede([o], merged, partial=False)
    assert bool(o.superseded) is w205
    assert [f.code for f in o.findings] == (["W205"] if w205 else [])
    if w205:
        assert o.findings[0].item == "2026-CW12-01" and not o.has_errors
        assert "2026-11-05 09:00" in o.findings[0].message


def test_supersede_within_one_run():
    item = make_item()
    older = checked(0, [row(item)], generated=MADE)
    newer = checked(1, [row(item)], generated=MADE.replace(day=5))
    ci.supersede([older, newer], {}, partial=False)
    assert list(older.superseded) == [item.id] and newer.superseded == {}
    p = plan([older, newer])
    assert [u.changes["latest_progress"] for u in p.updates] == ["已完成主体工程"]
    assert len(p.reports) == 2 and p.results == {0: ci.MERGED, 1: ci.MERGED}
