"""ledger score: the year's proposals as a workbook, read-only on the ledger, nothing secret."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.jobs import scoring
from tests.builders import SECRETS, scenario_ledger, sha

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture
def ledger(tmp_path):
    return scenario_ledger(tmp_path / "台账.xlsx")


def _rows(ws, header_row=3):
    header = [c.value for c in ws[header_row]]
    out = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in values):
            break
        out.append(dict(zip(header, values)))
    return out


def test_summary_and_evidence_agree_and_the_ledger_is_untouched(ledger, tmp_path):
    digest = sha(ledger)
    result = scoring.run(ledger, 2026, tmp_path / "扣分建议.xlsx", AS_OF)
    assert sha(ledger) == digest
    wb = openpyxl.load_workbook(result.out)
    assert wb.sheetnames == ["扣分汇总", "扣分依据", "东城区人民政府", "西山县人民政府"]
    summary = _rows(wb["扣分汇总"])
    assert summary[-1]["单位名称"] == "合计" and summary[-1]["拟扣分合计"] == result.total
    by_unit = {r["单位名称"]: r for r in summary[:-1]}
    assert list(by_unit) == [s.unit for s in result.scores]
    evidence = _rows(wb["扣分依据"])
    assert len(evidence) == len(result.deductions)
    for unit, row in by_unit.items():
        mine = [e for e in evidence if e["单位名称"] == unit]
        assert row["拟扣分合计"] == pytest.approx(sum(e["扣分"] for e in mine))
        for reason in ("逾期未落实", "报送不实", "措施不力"):
            assert row[f"{reason}（件）"] == sum(e["扣分事由"] == reason for e in mine)
        assert row["未按时报送（次）"] == sum(e["扣分事由"] == "未按时报送" for e in mine)

    overdue = next(
        e for e in evidence if e["扣分事由"] == "逾期未落实" and e["事项编号"] == "2026-CW12-01"
    )
    assert overdue["单位名称"] == "东城区人民政府" and overdue["发生日期"].date() == dt.date(
        2026, 11, 3
    )
    assert "2026-10-22 书面督办、2026-11-03 电话督办" in overdue["依据"]
    missed = [e for e in evidence if e["事项编号"] == "2026-CW12-05"]
    assert {e["报送期次"] for e in missed} == {"2026-11"}  # October was reported, November was not
    false = next(e for e in evidence if e["扣分事由"] == "报送不实")
    assert (
        false["单位名称"] == "西山县人民政府" and false["扣分"] == 2 and "随机抽查" in false["依据"]
    )
    assert "2026-CW12-06" not in {
        e["事项编号"] for e in evidence
    }  # assigned in November: grace month


def test_confidential_text_stays_out_unless_included(ledger, tmp_path):
    texts = [t for triple in SECRETS.values() for t in triple]
    result = scoring.run(ledger, 2026, tmp_path / "a.xlsx", AS_OF)
    with zipfile.ZipFile(result.out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "2026-CW12-20" in xml and not [t for t in texts if t in xml]
    opened = scoring.run(ledger, 2026, tmp_path / "b.xlsx", AS_OF, include_confidential=True)
    with zipfile.ZipFile(opened.out) as z:
        assert SECRETS["2026-CW12-20"][0] in z.read("xl/sharedStrings.xml").decode()


def test_print_setup_of_both_sheets(ledger, tmp_path):
    result = scoring.run(ledger, 2026, tmp_path / "a.xlsx", AS_OF)
    with zipfile.ZipFile(result.out) as z:
        sheets = [n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        assert len(sheets) == 2 + len(result.referrals) == 4  # the evidence sheets print too
        for n in sheets:
            xml = z.read(n).decode()
            assert '<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>' in xml
            assert "第 &amp;P 页 共 &amp;N 页" in xml
        assert len(re.findall("_xlnm.Print_Titles", z.read("xl/workbook.xml").decode())) == 4


def test_a_year_not_started_has_nothing_and_the_cut_off_defaults_to_the_years_end(ledger, tmp_path):
    assert scoring.resolve_as_of(2025, None, today=dt.date(2026, 3, 1)) == dt.date(2025, 12, 31)
    assert scoring.resolve_as_of(2026, None, today=dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)
    with pytest.raises(UsageError):
        scoring.resolve_as_of(2027, dt.date(2026, 12, 1))
    result = scoring.run(ledger, 2025, tmp_path / "a.xlsx", dt.date(2025, 12, 31))
    assert result.scores == [] and result.out.exists()


def test_usage_errors_and_refusals(ledger, tmp_path):
    with pytest.raises(UsageError):
        scoring.run(ledger, 2026, tmp_path / "a.csv", AS_OF)
    (tmp_path / "~$a.xlsx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        scoring.run(ledger, 2026, tmp_path / "a.xlsx", AS_OF)


def test_cli_score(ledger, tmp_path):
    out = tmp_path / "扣分建议.xlsx"
    r = CliRunner().invoke(
        cli, ["score", str(ledger), "--year", "2026", "--out", str(out), "--as-of", "2026-11-30"]
    )
    assert r.exit_code == 0, r.output
    assert "东城区人民政府" in r.output and "合计" in r.output and out.exists()
    r = CliRunner().invoke(cli, ["score", str(ledger), "--year", "26", "--out", str(out)])
    assert r.exit_code == 2


def test_referral_evidence_gives_each_escalated_or_false_item_its_whole_history(ledger, tmp_path):
    result = scoring.run(ledger, 2026, tmp_path / "a.xlsx", AS_OF)
    wb = openpyxl.load_workbook(result.out)
    east = _rows(wb["东城区人民政府"])
    assert "移送问责" in wb["东城区人民政府"]["A1"].value
    escalated = {
        d.item_id
        for d in result.deductions
        if d.unit == "东城区人民政府" and d.reason.value in ("逾期未落实", "报送不实")
    }
    assert {r["事项编号"] for r in east} == escalated and "2026-CW12-01" in escalated
    east = [r for r in east if r["事项编号"] == "2026-CW12-01"]  # overdue after 2 reminders
    kinds = [(r["类别"], r["日期"].date() if r["日期"] else None) for r in east]
    assert kinds[0] == ("依据", None)
    assert ("催办", dt.date(2026, 10, 22)) in kinds and ("催办", dt.date(2026, 11, 3)) in kinds
    assert any(k == "报送" for k, _ in kinds)
    dates = [d for k, d in kinds[1:]]
    assert dates == sorted(dates)  # one history in date order
    west = _rows(wb["西山县人民政府"])
    assert any("报送不实" in (r["内容"] or "") for r in west if r["类别"] == "依据")
    # units with deductions of other kinds only (missed reports) get no evidence sheet
    assert {u.unit for u in result.referrals} == {"东城区人民政府", "西山县人民政府"}


def test_fractional_weights_are_charged_as_the_office_set_them(tmp_path):
    ledger = scenario_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(ledger)
    for row in wb["设置"].iter_rows(min_row=2):
        row[1].value = {"扣分_逾期未落实": 1.5, "扣分_报送不实": "2.5", "扣分_措施不力": 0.75}.get(
            row[0].value, row[1].value
        )
    wb.save(ledger)
    result = scoring.run(ledger, 2026, tmp_path / "a.xlsx", AS_OF)
    evidence = _rows(openpyxl.load_workbook(result.out)["扣分依据"])
    points = {e["扣分事由"]: e["扣分"] for e in evidence}
    assert points["逾期未落实"] == 1.5 and points["报送不实"] == 2.5


def test_an_unreadable_weight_stops_the_command_and_names_the_cell(tmp_path):
    ledger = scenario_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(ledger)
    for row in wb["设置"].iter_rows(min_row=2):
        if row[0].value == "扣分_逾期未落实":
            row[1].value, cell = "一点五", row[1].coordinate
    wb.save(ledger)
    digest = sha(ledger)
    r = CliRunner().invoke(
        cli, ["score", str(ledger), "--year", "2026", "--out", str(tmp_path / "a.xlsx")]
    )
    assert r.exit_code == 1 and cell in r.output and "扣分_逾期未落实" in r.output, r.output
    assert sha(ledger) == digest and not (tmp_path / "a.xlsx").exists()
