"""Confidential items in circulated files: counted, their content never shown."""

import dataclasses
import datetime as dt

from ledger_tools.core.confidential import PLACEHOLDER, TEXT_FIELDS, for_circulation, redact
from ledger_tools.core.model import Item, Status

# Text fields of Item that are not an item's content: who handles it and how it is filed.
NOT_CONTENT = {"id", "leader", "section", "lead_unit", "closed_by"}


def secret(**kw) -> Item:
    base = dict(
        id="2026-CW12-03",
        source_name="市人民政府2026年第12次常务会议",
        matter="某涉密项目选址",
        requirement="年底前报方案",
        lead_unit="市发改委",
        leader="张副市长",
        deadline=dt.date(2026, 12, 31),
        status=Status.IN_PROGRESS,
        latest_progress="已完成初步论证",
        notice_no="督查通〔2026〕7号",
        confidential=True,
    )
    base.update(kw)
    return Item(**base)


def test_every_text_field_of_an_item_is_either_content_or_known_not_to_be():
    text_fields = {f.name for f in dataclasses.fields(Item) if f.type in ("str | None", "str")}
    assert text_fields == set(TEXT_FIELDS) | NOT_CONTENT  # a new field must be classified
    assert not set(TEXT_FIELDS) & NOT_CONTENT


def test_redact_hides_the_content_and_keeps_what_is_counted():
    item = secret()
    shown = redact(item)
    assert shown.matter == shown.requirement == shown.source_name == PLACEHOLDER
    assert shown.latest_progress == shown.notice_no == PLACEHOLDER
    assert shown.stage_target is None and shown.note is None  # blank stays blank
    # What is counted and who is responsible still show.
    assert shown.id == "2026-CW12-03" and shown.lead_unit == "市发改委"
    assert shown.deadline == dt.date(2026, 12, 31) and shown.status is Status.IN_PROGRESS
    assert item.matter == "某涉密项目选址"  # the ledger's item is not touched


def test_an_ordinary_item_passes_unchanged():
    item = secret(confidential=False)
    assert redact(item) is item


def test_for_circulation_redacts_unless_asked_not_to():
    items = [secret(), secret(id="2026-CW12-04", confidential=False)]
    out = for_circulation(iter(items))
    assert [i.matter for i in out] == [PLACEHOLDER, "某涉密项目选址"]
    assert for_circulation(items, include_confidential=True) == items


# --- every odd 涉密 spelling is confidential in every consumer (SPEC §3 Fail closed) -----------

import pytest  # noqa: E402

from ledger_tools.core.confidential import is_confidential  # noqa: E402
from ledger_tools.core.model import YesNo  # noqa: E402
from ledger_tools.jobs import briefing, forms, intake, notices, reminders, sampling, scoring  # noqa: E402
from ledger_tools.jobs import refresh as refresh_job  # noqa: E402
from ledger_tools.sheets.forms import layout as fl  # noqa: E402
from tests.builders import (  # noqa: E402
    ODD_SECRET_SPELLINGS,
    SECRET_CO,
    SECRET_LEAD,
    SECRET_WORDS,
    fill,
    leaked,
    package_text,
    secret_ledger,
)

AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize("value", [None, "", "否", " 否 ", "\u3000否", YesNo.NO, False])
def test_only_blank_or_no_is_public(value):
    assert is_confidential(value) is False


@pytest.mark.parametrize(
    "value", [YesNo.YES, "是", True, *ODD_SECRET_SPELLINGS, "否（已解密）", "=A1"]
)
def test_every_other_value_is_confidential(value):
    assert is_confidential(value) is True


@pytest.fixture(params=ODD_SECRET_SPELLINGS)
def ledger(request, tmp_path):
    return secret_ledger(tmp_path / "台账.xlsx", request.param)


def test_forms_give_the_text_to_the_lead_unit_only(ledger, tmp_path):
    out = tmp_path / "forms"
    forms.run(ledger, "2026-11", out, AS_OF)
    files = {p.name: p for p in out.iterdir()}
    own = files.pop(fl.form_file_name("2026-11", SECRET_LEAD))
    assert fl.form_file_name("2026-11", SECRET_CO) in files  # the co-unit has a form of its own
    assert {n: leaked(p) for n, p in files.items()} == {n: [] for n in files}
    text = package_text(own)
    assert SECRET_WORDS[0] in text and "涉密" in text  # its own item, marked


def test_notices_keep_the_text_in_the_lead_units_notice(ledger, tmp_path):
    out = tmp_path / "notices"
    notices.run(ledger, "第13次", out, AS_OF, as_of=AS_OF)
    files = sorted(out.iterdir())
    mine = [p for p in files if SECRET_LEAD in p.name]
    others = [p for p in files if SECRET_LEAD not in p.name]
    assert len(mine) == 1 and others and [leaked(p) for p in others] == [[] for _ in others]
    assert "保密规定" in package_text(mine[0])


def test_reminders_hide_the_text_from_other_units_and_the_call_list(ledger, tmp_path):
    result = reminders.run(ledger, tmp_path / "remind", AS_OF)
    assert result.checklist is not None and leaked(result.checklist) == []
    others = [u.path for u in result.units if u.unit != SECRET_LEAD]
    assert others and [leaked(p) for p in others] == [[] for _ in others]


def test_briefing_sample_and_score_hide_the_text(ledger, tmp_path):
    b = briefing.run(ledger, "2026-11", tmp_path / "brief", AS_OF)
    assert leaked(b.xlsx) == [] and leaked(b.docx) == []
    assert "2026-CW12-01" in package_text(b.xlsx)  # counted and listed by its id
    s = sampling.run(ledger, 5, 1, tmp_path / "抽查.xlsx")
    assert "2026-CW12-02" in package_text(s.path) and leaked(s.path) == []
    score = scoring.run(ledger, 2026, tmp_path / "扣分.xlsx", AS_OF)
    assert "2026-CW12-01" in package_text(score.out) and leaked(score.out) == []


def test_check_reports_do_not_quote_the_text(ledger, tmp_path):
    refresh_job.run(ledger, AS_OF)
    forms.run(ledger, "2026-11", tmp_path / "forms", AS_OF)
    form = tmp_path / "forms" / fl.form_file_name("2026-11", SECRET_LEAD)

    def swap(wb, ws, cols, ids):  # the unit overwrites its confidential item's locked text
        ws.cell(ids["2026-CW12-01"], cols["议定事项"]).value = "改过的文字"

    returned = fill(form, tmp_path / "东城.xlsx", {}, edit=swap)
    report = tmp_path / "问题.xlsx"
    result = intake.check(ledger, [returned], AS_OF, report=report)
    assert "R102" in [f.code for f in result.findings]
    assert not [f.message for f in result.findings if any(w in f.message for w in SECRET_WORDS)]
    assert leaked(report) == []


def test_a_confidential_item_typed_with_a_shared_name_goes_to_no_unit(tmp_path):
    """L314 routing: an item led through a name two units share gets no form, notice or
    reminder through it, and every command says so."""
    from click.testing import CliRunner

    from ledger_tools.cli.app import cli
    from ledger_tools.core.model import Unit
    from tests.builders import UNITS, make_ledger, sha
    from tests.builders import item as row

    units = [*UNITS[:2], Unit("市财政局", ["东城区"])]  # 东城区: also 东城区人民政府's alias
    secret = dict(
        涉密="√", 议定事项=SECRET_WORDS[0], 主责单位="东城区", 完成时限=dt.date(2026, 11, 10)
    )
    ledger = make_ledger(
        tmp_path / "台账.xlsx",
        [
            row(事项编号="2026-CW12-01", **secret),
            row(
                事项编号="2026-CW12-02",
                主责单位=SECRET_CO,
                协办单位="东城区",
                完成时限=dt.date(2026, 11, 10),
            ),
            row(**{**secret, "来源名称": "市人民政府2026年第13次常务会议", "交办日期": None}),
        ],
        units=units,
    )
    refresh_job.run(ledger, AS_OF)
    f = forms.run(ledger, "2026-11", tmp_path / "forms", AS_OF)
    assert [c.unit for c in f.files] == [SECRET_CO]  # the co-unit named by 东城区 gets nothing
    assert [leaked(c.path) for c in f.files] == [[]]
    r = reminders.run(ledger, tmp_path / "remind", AS_OF)
    assert [u.unit for u in r.units] == [SECRET_CO]
    digest = sha(ledger)
    assert notices.run(ledger, "第13次", tmp_path / "notices", AS_OF, as_of=AS_OF).files == []
    assert sha(ledger) == digest  # not assigned: no 交办日期 written for it
    out = CliRunner().invoke(
        cli, ["remind", str(ledger), "--out", str(tmp_path / "r2"), "--as-of", "2026-11-20"]
    )
    assert out.exit_code == 0 and "「东城区」同时是" in out.output and "2026-CW12-01" in out.output
