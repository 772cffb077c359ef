"""ledger sample: a reproducible draw of finished items, written for spot checks; the ledger untouched."""

import datetime as dt
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.demo.sample import build_sample
from ledger_tools.errors import UsageError
from ledger_tools.jobs import sampling
from tests.builders import item, make_ledger, sha


@pytest.fixture(scope="module")
def sample_master(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample") / "示例台账.xlsx")


@pytest.fixture
def sample(sample_master, tmp_path):
    return shutil.copy(sample_master, tmp_path / "台账.xlsx")


def rows(path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["抽查清单"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_same_seed_same_items_other_seed_other_draw_ledger_untouched(sample, tmp_path):
    digest = sha(sample)
    a = sampling.run(sample, 5, 2026, tmp_path / "a.xlsx")
    b = sampling.run(sample, 5, 2026, tmp_path / "b.xlsx")
    c = sampling.run(sample, 5, 7, tmp_path / "c.xlsx")
    assert sha(sample) == digest
    assert a.candidates == 29 and len(a.item_ids) == 5 and not a.all_taken
    assert a.item_ids == b.item_ids and a.item_ids != c.item_ids
    assert [r["事项编号"] for r in rows(a.path)] == a.item_ids


def test_workbook_has_item_data_and_empty_check_columns_with_drop_downs(sample, tmp_path):
    result = sampling.run(sample, 3, 1, tmp_path / "抽查.xlsx")
    first = rows(result.path)[0]
    assert first["序号"] == 1 and first["主责单位"] and isinstance(first["办结日期"], dt.datetime)
    for blank in ("核查方式", "核查结果", "核查人", "核查日期", "备注"):
        assert blank in first and first[blank] is None
    ws = openpyxl.load_workbook(result.path)["抽查清单"]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"属实,报送不实,措施不力"' in lists and '"随机抽查,实地检查"' in lists


def test_more_than_the_candidates_takes_all_with_a_note(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 办理状态="已办结", 办结日期=dt.date(2026, 11, 1)),
            item(
                事项编号="2026-CW12-02",
                办理状态="已办结",
                办结日期=dt.date(2026, 11, 2),
                涉密="是",
                议定事项="涉密工程",
            ),
            item(
                事项编号="2026-CW12-03",
                办理状态="已销号",
                办结日期=dt.date(2026, 10, 1),
                销号日期=dt.date(2026, 10, 9),
            ),
            item(事项编号="2026-CW12-04"),
        ],
    )
    result = sampling.run(path, 10, 1, tmp_path / "out.xlsx")
    assert result.all_taken and result.item_ids == ["2026-CW12-01", "2026-CW12-02"]
    notes = [c.value for c in openpyxl.load_workbook(result.path)["说明"]["A"] if c.value]
    assert any("只有 2 个，已全部列入" in n for n in notes)
    drawn = rows(result.path)
    assert drawn[1]["议定事项"] == "涉密事项" and drawn[1]["事项编号"] == "2026-CW12-02"
    full = sampling.run(path, 10, 1, tmp_path / "full.xlsx", include_confidential=True)
    assert rows(full.path)[1]["议定事项"] == "涉密工程"


def test_out_must_not_be_the_ledger(sample):
    digest = sha(sample)
    with pytest.raises(UsageError, match="不能是台账本身"):
        sampling.run(sample, 3, 1, sample)
    assert sha(sample) == digest


def test_cli_sample(sample, tmp_path):
    digest = sha(sample)
    r = CliRunner().invoke(
        cli, ["sample", str(sample), "--n", "4", "--seed", "11", "--out", str(tmp_path / "抽查")]
    )
    assert r.exit_code == 0, r.output
    assert "从 29 个已办结待销号的事项中按随机种子 11 抽取 4 个" in r.output
    assert (tmp_path / "抽查.xlsx").exists() and sha(sample) == digest
    r = CliRunner().invoke(
        cli, ["sample", str(sample), "--n", "0", "--seed", "1", "--out", str(tmp_path / "x.xlsx")]
    )
    assert r.exit_code == 2
