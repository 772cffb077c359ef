"""The clerk's monthly routine in a real browser (Debian's chromium driven by Playwright).

On the sample ledger, through the pages only: generate the forms, let the demo's simulated
units fill them in, upload them, 检查, 合并入台账, generate every document of 下发, import the
minutes (preview first), and refuse a ledger open in Excel with the CLI's message. Every
download is opened (openpyxl for workbooks, zipfile for zips and Word files).
"""

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.demo.minutes import build_minutes
from ledger_tools.demo.run import INSTRUCTION, _fill_like_units
from ledger_tools.web.server import subprocess_server
from tests.builders import sha

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]
LONG = 120_000


def _nav(page, name):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name).click()


def _download(page, link_text: str, folder: Path) -> Path:
    with page.expect_download(timeout=LONG) as info:
        page.get_by_role("link", name=link_text).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _opened(path: Path) -> list[str]:
    """Open a download as its kind: a workbook's sheet names, a zip's or a docx's members."""
    if path.suffix == ".xlsx":
        return openpyxl.load_workbook(path).sheetnames
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        names = z.namelist()
        for inner in names:
            if inner.endswith(".xlsx"):
                openpyxl.load_workbook(io.BytesIO(z.read(inner)))
            elif inner.endswith(".docx"):
                assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(z.read(inner))).namelist()
        return names


@pytest.fixture
def browser_page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        yield context.new_page()
        browser.close()


def test_the_monthly_routine_end_to_end(tmp_path, sample, browser_page):
    page, got = browser_page, tmp_path / "下载"
    got.mkdir()
    with subprocess_server(sample) as address:
        page.goto(address)
        assert "token" not in page.url
        # a count is a link to its list
        page.locator("a.card", has=page.locator(".label", has_text=re.compile("^逾期$"))).click()
        assert page.get_by_label("督办预警").input_value() == "逾期"

        _nav(page, "下发")
        page.get_by_label("报送期次").fill("2026-11")
        page.locator("#forms-as-of").fill("2026-11-20")
        page.get_by_role("button", name="生成反馈表").click()
        page.get_by_text("期反馈表（共").wait_for(timeout=LONG)
        forms_zip = _download(page, "反馈表-2026-11.zip", got)
        assert forms_zip.name == "反馈表-2026-11.zip"
        blank = tmp_path / "反馈表"
        zipfile.ZipFile(forms_zip).extractall(blank)
        returns, mistakes = _fill_like_units(sorted(blank.glob("*.xlsx")), tmp_path / "报回")
        assert len(returns) > 5 and mistakes

        _nav(page, "收表")
        page.get_by_label("报回文件").set_input_files(returns)
        page.locator("#intake-as-of").fill("2026-11-20")
        page.get_by_role("button", name="检查").click()
        page.get_by_text("共检查").wait_for(timeout=LONG)
        result = page.locator("#intake-result")
        assert result.get_by_text("需退回").count() >= len(mistakes)
        assert result.locator("td.code", has_text="R104").count() >= 1  # code, cell, message
        assert "问题清单" in _opened(_download(page, "问题清单.xlsx", got))[0]
        annotated = _opened(_download(page, "退回文件.zip", got))
        assert len(annotated) == len(mistakes) and all(n.startswith("退回-") for n in annotated)
        before = sha(sample)
        assert sha(sample) == before  # 检查 changed nothing

        page.get_by_role("button", name="合并入台账").click()
        page.get_by_text("条事项报送（延期申请").wait_for(timeout=LONG)
        assert sha(sample) != before
        wb = openpyxl.load_workbook(sample, read_only=True)
        logged = [r[1] for r in wb["导入记录"].iter_rows(min_row=2, values_only=True)]
        assert {p.name for p in returns} <= set(logged)

        _nav(page, "下发")
        page.get_by_label("来源名称").select_option(
            next(
                o
                for o in page.locator("#notices-source option").all_inner_texts()
                if INSTRUCTION in o
            )
        )
        page.get_by_label("通知日期").fill("2026-11-20")
        page.get_by_role("button", name="生成交办通知").click()
        page.locator("#r-notices .downloads").wait_for(timeout=LONG)
        notices = page.locator("#r-notices a.download").first.inner_text()
        _opened(_download(page, notices, got))

        page.locator("#remind-as-of").fill("2026-11-20")
        page.get_by_label("登记催办记录").check()
        page.get_by_label("经办人").fill("督查室 李华")
        page.get_by_role("button", name="生成催办通知").click()
        page.get_by_text("条书面督办").wait_for(timeout=LONG)
        assert any(n.endswith(".docx") for n in _opened(_download(page, "催办通知.zip", got)))

        page.get_by_role("button", name="随机抽查").click()
        page.get_by_text("抽中：").wait_for(timeout=LONG)
        assert _opened(_download(page, "抽查清单.xlsx", got))

        page.get_by_label("通报月份").fill("2026-11")
        page.get_by_role("button", name="生成通报").click()
        page.get_by_text("已生成 2026-11 通报").wait_for(timeout=LONG)
        assert sorted(_opened(_download(page, "通报-2026-11.zip", got))) == [
            "通报-2026-11.docx",
            "通报-2026-11.xlsx",
        ]

        page.get_by_label("考评年度").fill("2026")
        page.locator("#score-as-of").fill("2026-11-20")
        page.get_by_role("button", name="生成扣分意见").click()
        page.locator("#r-score .downloads").wait_for(timeout=LONG)
        assert _opened(_download(page, "扣分意见-2026.xlsx", got))

        _nav(page, "台账")
        page.get_by_role("button", name="校验").click()
        page.get_by_text("共 ").first.wait_for(timeout=LONG)
        page.locator("#refresh-as-of").fill("2026-11-20")
        page.get_by_role("button", name="重算").click()
        page.get_by_text("已按 2026-11-20 重算").wait_for(timeout=LONG)
        minutes = build_minutes(tmp_path / "纪要.docx")
        page.get_by_label("会议纪要").set_input_files(minutes)
        page.get_by_role("button", name="导入纪要").click()
        page.get_by_role("button", name="确认导入").wait_for(timeout=LONG)
        assert _opened(_download(page, "纪要导入预览.xlsx", got))
        page.get_by_role("button", name="确认导入").click()
        page.get_by_text("已在台账中追加").wait_for(timeout=LONG)

        _nav(page, "概览")
        pdf = page.pdf(landscape=True, format="A4")
        assert _pages(pdf) == 1  # 概览 prints as one A4 landscape sheet


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_ledger_open_in_excel_is_refused_on_the_page(tmp_path, sample, browser_page):
    page = browser_page
    (sample.parent / f"~${sample.name}").write_bytes(b"\x05admin" + b"\0" * 50)
    before = sha(sample)
    with subprocess_server(sample) as address:
        page.goto(address)
        _nav(page, "台账")
        page.locator("#refresh-as-of").fill("2026-11-20")
        page.get_by_role("button", name="重算").click()
        refusal = page.get_by_role("alert")
        refusal.wait_for(timeout=LONG)
        assert "错误：" in refusal.inner_text() and "Excel" in refusal.inner_text()
    assert sha(sample) == before
