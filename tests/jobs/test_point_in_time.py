"""A month's briefing is the same whenever it is produced (SPEC §3 Point in time, §6).

A year of history is lived day by day through the real jobs (items typed by staff, notices,
forms, units' returns merged, approvals, reminders, strike-offs, endings, a same-day
correction); each month is briefed at its end, and again on later days; every sheet's values
and the recorded 月度快照 rows must not change. Hypothesis draws the history.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_tools.jobs import briefing, forms, intake, notices, refresh, reminders, scoring
from ledger_tools.sheets.ledger.new import new_ledger
from tests.builders import UNITS, append_rows, fill, form_table, item, make_ledger

D = dt.date
LEAD = [u.name for u in UNITS[:2]]


def _end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _snapshot_rows(ledger: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(ledger)["月度快照"]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]


def _edit(ledger: Path, change) -> None:
    wb = openpyxl.load_workbook(ledger)
    change(wb)
    wb.save(ledger)


def _header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def _rows_where(ws, test):
    cols = _header(ws)
    for r in range(2, ws.max_row + 1):
        values = {h: ws.cell(r, c).value for h, c in cols.items()}
        if values.get("事项编号") and test(values):
            yield r, cols, values


# One month's doings, drawn: new items (unit, kind, days to deadline), what each unit returns
# (推进中, 已办结 for its first row, 申请延期 for its first row, or nothing), on time or late,
# and whether staff approve, chase, strike off, end an item, correct a typo the same day.
MONTH = st.fixed_dictionaries(
    {
        "new": st.lists(
            st.tuples(
                st.sampled_from(LEAD), st.sampled_from(["一般", "长期"]), st.integers(25, 120)
            ),
            max_size=2,
        ),
        "returns": st.lists(
            st.sampled_from(["推进中", "已办结", "申请延期", None]), min_size=2, max_size=2
        ),
        "late": st.booleans(),
        "approve": st.booleans(),
        "remind": st.booleans(),
        "strike": st.booleans(),
        "end": st.booleans(),
        "again": st.integers(0, 11),  # an earlier month briefed again early next month
    }
)


class Life:
    def __init__(self, folder: Path):
        self.folder = folder
        self.ledger = folder / "台账.xlsx"
        new_ledger(self.ledger, list(UNITS))
        self.first: dict[str, dict[str, list[tuple]]] = {}
        self.snapshots: dict[str, tuple] = {}
        self.runs = 0

    def out(self, what: str) -> Path:
        self.runs += 1
        return self.folder / f"{what}-{self.runs}"

    def enter(self, day: dt.date, new: list) -> str:
        source = f"市人民政府{day.year}年第{day.month}次常务会议"
        rows = [
            item(
                来源名称=source,
                印发日期=day,
                议定事项=f"{source}议定事项{n}",
                主责单位=unit,
                事项类型=kind,
                完成时限=None if kind == "长期" else day + dt.timedelta(days=days),
                交办日期=None,
            )
            for n, (unit, kind, days) in enumerate(new, start=1)
        ]
        _edit(self.ledger, lambda wb: append_rows(wb["台账"], rows))
        refresh.run(self.ledger, day)
        return source

    def returns(self, period: str, made_on: dt.date, merged_on: dt.date, choices) -> None:
        made = forms.run(
            self.ledger,
            period,
            self.out("反馈表"),
            made_on,
            now=dt.datetime.combine(made_on, dt.time(9)),
        )
        back = self.out("报回")
        back.mkdir()
        for f, choice in zip(sorted(made.files, key=lambda f: f.unit), choices * 3):
            if choice is None:
                continue
            ids = list(form_table(openpyxl.load_workbook(f.path)["反馈表"])[2])
            rows = {}
            for n, item_id in enumerate(i for i in ids if i):
                row = {"办理状态": "推进中", "本期进展情况": f"{period} 已完成阶段任务，继续推进。"}
                if n == 0 and choice == "已办结":
                    row.update(办理状态="已办结", 办结日期=made_on)
                if n == 0 and choice == "申请延期":
                    row.update(
                        办理状态="申请延期",
                        延期原因="征地手续尚未完成，需要延长时限",
                        申请延期至=made_on + dt.timedelta(days=200),
                    )
                rows[item_id] = row
            fill(
                f.path,
                back / f.path.name,
                rows,
                block={"联系人": "王明", "联系电话": "0731-1234567"},
            )
        intake.merge(
            self.ledger, [back], merged_on, now=dt.datetime.combine(merged_on, dt.time(16))
        )

    def approve(self, day: dt.date) -> None:
        """Staff approve every pending request, first with a typo, corrected the same day."""

        def approve(granted_shift):
            def change(wb):
                ws = wb["延期记录"]
                for r, cols, values in _rows_where(
                    ws,
                    lambda v: (
                        v.get("审批结果") in (None, "同意") and v.get("审批日期") in (None, day)
                    ),
                ):
                    ws.cell(r, cols["审批领导"]).value = "张副市长"
                    ws.cell(r, cols["审批日期"]).value = day
                    ws.cell(r, cols["审批结果"]).value = "同意"
                    ws.cell(r, cols["批准时限"]).value = values["申请延期至"] + granted_shift

            return change

        _edit(self.ledger, approve(dt.timedelta(days=365)))  # the typo
        refresh.run(self.ledger, day)
        _edit(self.ledger, approve(dt.timedelta(days=0)))  # corrected the same day
        refresh.run(self.ledger, day)

    def strike(self, day: dt.date) -> None:
        def change(wb):
            ws = wb["台账"]
            for r, cols, _ in _rows_where(ws, lambda v: v.get("办理状态") == "已办结"):
                ws.cell(r, cols["销号日期"]).value = day
                ws.cell(r, cols["销号经办人"]).value = "李华"

        _edit(self.ledger, change)
        refresh.run(self.ledger, day)

    def end(self, day: dt.date) -> None:
        def change(wb):
            ws = wb["台账"]
            for r, cols, _ in _rows_where(ws, lambda v: v.get("办理状态") == "办理中"):
                ws.cell(r, cols["办理状态"]).value = "已终止"
                return

        _edit(self.ledger, change)
        refresh.run(self.ledger, day)  # stamps 终止日期 with the day

    def brief(self, month: str, today: dt.date) -> None:
        result = briefing.run(self.ledger, month, self.out("通报"), today=today)
        got = _sheets(result.xlsx)
        rows = {r[0]: r for r in _snapshot_rows(self.ledger)}
        if month not in self.first:
            self.first[month] = got
            self.snapshots = rows
            return
        assert result.snapshot_kept == [], (month, today, result.snapshot_kept)
        for name, values in self.first[month].items():
            assert got[name] == values, (month, today, name)
        assert rows == self.snapshots, (month, today)


def live(folder: Path, year: list[dict]) -> Life:
    life = Life(folder)
    for n, plan in enumerate(year, start=1):
        period = f"2026-{n:02d}"
        if plan["new"]:
            source = life.enter(D(2026, n, 3), plan["new"])
            notices.run(life.ledger, source, life.out("交办"), D(2026, n, 5), as_of=D(2026, n, 5))
        if plan["end"]:
            life.end(D(2026, n, 12))
        merged_on = D(2026, n, 27 if plan["late"] else 20)
        try:
            life.returns(period, D(2026, n, 10), merged_on, plan["returns"])
        except Exception as e:  # no open item yet: no form to send
            if "没有" not in str(e):
                raise
        if plan["remind"]:
            reminders.run(life.ledger, life.out("催办"), D(2026, n, 26), record=True, clerk="李华")
        if plan["approve"]:
            life.approve(D(2026, n, 28))
        if plan["strike"]:
            life.strike(D(2026, n, 28))
        end = _end(2026, n)
        life.brief(period, end)
        if n > 1:  # an earlier month, briefed again early next month
            again = plan["again"] % (n - 1) + 1
            life.brief(f"2026-{again:02d}", end + dt.timedelta(days=3))
    for n in range(1, 13):  # and all of them next year
        life.brief(f"2026-{n:02d}", D(2027, 1, 11))
    return life


@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(st.lists(MONTH, min_size=12, max_size=12))
def test_a_year_briefed_at_each_month_end_is_briefed_the_same_later(year):
    with tempfile.TemporaryDirectory() as folder:
        live(Path(folder), year)


# -- the cases the issue names, each on a small ledger ------------------------------------


def _nov_ledger(path: Path) -> Path:
    return make_ledger(
        path,
        [
            item(事项编号="2026-CW12-01", 完成时限=D(2026, 11, 20), 办理状态="申请延期"),
            item(事项编号="2026-CW12-02", 主责单位=LEAD[1]),
            item(事项编号="2026-CW12-03", 办理状态="已办结", 办结日期=D(2026, 11, 5)),
        ],
        extensions=[
            {
                "事项编号": "2026-CW12-01",
                "申请日期": D(2026, 11, 10),
                "申请延期至": D(2027, 3, 31),
                "延期原因": "征地",
            }
        ],
    )


def test_november_briefed_in_december_is_what_it_was_on_30_november(tmp_path):
    ledger = _nov_ledger(tmp_path / "台账.xlsx")
    first = briefing.run(ledger, "2026-11", tmp_path / "a", today=D(2026, 11, 30))
    assert (first.briefing.totals.total, first.briefing.totals.overdue) == (3, 1)

    def december(wb):
        ws = wb["台账"]
        for r, cols, _ in _rows_where(ws, lambda v: v["事项编号"] == "2026-CW12-03"):
            ws.cell(r, cols["销号日期"]).value = D(2026, 12, 3)
        ext = wb["延期记录"]
        for r, cols, _ in _rows_where(ext, lambda v: True):
            ext.cell(r, cols["审批日期"]).value = D(2026, 12, 4)
            ext.cell(r, cols["审批结果"]).value = "同意"
            ext.cell(r, cols["批准时限"]).value = D(2027, 3, 31)
        append_rows(ws, [item(事项编号="2026-CW12-04", 印发日期=D(2026, 12, 2), 交办日期=None)])

    _edit(ledger, december)
    refresh.run(ledger, D(2026, 12, 10))
    later = briefing.run(ledger, "2026-11", tmp_path / "b", today=D(2026, 12, 10))
    t = later.briefing.totals
    assert (t.total, t.closed, t.done, t.overdue, t.extension_requested) == (3, 0, 1, 1, 1)
    assert [r.item.id for r in later.briefing.overdue] == ["2026-CW12-01"]
    assert later.snapshot_kept == [] and not later.snapshot_changed
    assert _sheets(later.xlsx) == _sheets(first.xlsx)
    assert "本通报按截至 2026年11月30日 的记录统计。" in str(_sheets(later.xlsx)["通报"])

    # --as-of earlier than the month's end: computed and dated as of that day
    mid = briefing.run(ledger, "2026-11", tmp_path / "c", D(2026, 11, 4), today=D(2026, 12, 10))
    assert mid.as_of == D(2026, 11, 4) and mid.briefing.totals.done == 0


def test_a_month_before_the_first_item_has_no_items(tmp_path):
    ledger = _nov_ledger(tmp_path / "台账.xlsx")
    result = briefing.run(ledger, "2025-06", tmp_path / "out", today=D(2026, 12, 10))
    assert result.briefing.totals.total == 0 and result.briefing.overdue == []


def test_a_finished_months_record_is_kept_and_changed_figures_named(tmp_path):
    ledger = _nov_ledger(tmp_path / "台账.xlsx")
    briefing.run(ledger, "2026-11", tmp_path / "a", today=D(2026, 11, 30))
    before = _snapshot_rows(ledger)

    def backdated(wb):  # a strike-off typed later with an earlier date changes November
        ws = wb["台账"]
        for r, cols, _ in _rows_where(ws, lambda v: v["事项编号"] == "2026-CW12-03"):
            ws.cell(r, cols["销号日期"]).value = D(2026, 11, 25)

    _edit(ledger, backdated)
    kept = briefing.run(ledger, "2026-11", tmp_path / "b", today=D(2026, 12, 10))
    assert kept.snapshot_kept == ["已销号 0 → 1", "已办结待销号 1 → 0"]
    assert _snapshot_rows(ledger) == before
    trend = _sheets(kept.xlsx)["趋势"]
    assert any(r[0] == "2026-11" and 0 in r for r in trend)  # the recorded row is shown

    updated = briefing.run(
        ledger, "2026-11", tmp_path / "c", today=D(2026, 12, 10), update_snapshot=True
    )
    assert updated.snapshot_changed and updated.snapshot_kept == []
    assert _snapshot_rows(ledger) != before


def test_a_running_months_row_is_replaced_each_run(tmp_path):
    ledger = _nov_ledger(tmp_path / "台账.xlsx")
    briefing.run(ledger, "2026-11", tmp_path / "a", today=D(2026, 11, 4))
    assert [r[1].date() for r in _snapshot_rows(ledger)] == [D(2026, 11, 4)]
    again = briefing.run(ledger, "2026-11", tmp_path / "b", today=D(2026, 11, 30))
    assert again.snapshot_changed and [r[1].date() for r in _snapshot_rows(ledger)] == [
        D(2026, 11, 30)
    ]


def test_refresh_stamps_an_ending_without_its_date_and_an_old_ledger_gains_the_column(tmp_path):
    ledger = _nov_ledger(tmp_path / "台账.xlsx")

    def old_and_ended(wb):
        ws = wb["台账"]
        ws.delete_cols(_header(ws)["终止日期"])  # a ledger made before 终止日期 existed
        ws["AE1"] = "我的列"
        for r, cols, _ in _rows_where(ws, lambda v: v["事项编号"] == "2026-CW12-02"):
            ws.cell(r, cols["办理状态"]).value = "已终止"

    _edit(ledger, old_and_ended)
    stats = refresh.run(ledger, D(2026, 12, 2))
    assert stats.ended_stamped == ["2026-CW12-02"]
    ws = openpyxl.load_workbook(ledger)["台账"]
    cols = _header(ws)
    assert cols["终止日期"] == cols["我的列"] + 1  # appended after the staff's own column
    ended = [v for _, _, v in _rows_where(ws, lambda v: v["事项编号"] == "2026-CW12-02")][0]
    assert ended["终止日期"].date() == D(2026, 12, 2)
    november = briefing.run(ledger, "2026-11", tmp_path / "b", today=D(2026, 12, 10))
    assert november.briefing.totals.terminated == 0  # ended in December


def test_score_as_of_a_years_end_ignores_a_later_reminder(tmp_path):
    ledger = make_ledger(
        tmp_path / "台账.xlsx",
        [item(印发日期=D(2025, 11, 3), 交办日期=D(2025, 11, 5), 完成时限=D(2025, 12, 10))],
        reminders=[
            {"催办日期": D(2025, 12, 15), "事项编号": "2025-CW12-01", "催办方式": "书面督办"},
            {"催办日期": D(2026, 3, 2), "事项编号": "2025-CW12-01", "催办方式": "电话督办"},
        ],
    )
    refresh.run(ledger, D(2026, 3, 5))
    r2025 = scoring.run(ledger, 2025, tmp_path / "s25.xlsx", today=D(2026, 3, 5))
    assert not [d for d in r2025.deductions if d.reason.value == "逾期未落实"]
    r2026 = scoring.run(ledger, 2026, tmp_path / "s26.xlsx", today=D(2026, 3, 5))
    assert [d.date for d in r2026.deductions if d.reason.value == "逾期未落实"] == [D(2026, 3, 2)]


def test_finished_after_the_due_day_without_a_report_is_one_breach_everywhere(tmp_path):
    ledger = make_ledger(
        tmp_path / "台账.xlsx",
        [item(事项编号="2026-CW12-01", 完成时限=D(2027, 6, 30))],
        reports=[
            {
                "记录时间": dt.datetime(2026, 10, 20, 9),
                "事项编号": "2026-CW12-01",
                "报送期次": "2026-10",
                "办理状态": "推进中",
                "进展情况": "推进",
            },
        ],
    )

    def done(wb):
        ws = wb["台账"]
        for r, cols, _ in _rows_where(ws, lambda v: True):
            ws.cell(r, cols["办理状态"]).value = "已办结"
            ws.cell(r, cols["办结日期"]).value = D(2026, 11, 27)

    _edit(ledger, done)
    refresh.run(ledger, D(2026, 11, 28))
    ws = openpyxl.load_workbook(ledger)["台账"]
    row = [v for _, _, v in _rows_where(ws, lambda v: True)][0]
    assert row["本期报送"] == "未报送"
    b = briefing.run(ledger, "2026-11", tmp_path / "b", today=D(2026, 12, 2)).briefing
    assert [(u.unit, u.missed) for u in b.by_unit] == [(row["主责单位"], 1)]
    s = scoring.run(ledger, 2026, tmp_path / "s.xlsx", D(2026, 11, 30), today=D(2026, 12, 2))
    assert [(d.reason.value, d.period) for d in s.deductions] == [("未按时报送", "2026-11")]
