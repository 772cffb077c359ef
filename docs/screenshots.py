"""Regenerate the workbench screenshots in docs/ (run: python docs/screenshots.py).

Builds the demo in a temporary folder, serves the workbench on its ledger, and photographs
each page in Debian's chromium at 1366×768 (the smallest screen the offices use) with
Playwright. The 收表 shot shows the check of the demo's returns; the 下发 shot the briefing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.console import Console

from ledger_tools.demo import run as demo
from ledger_tools.web.server import subprocess_server

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name).click()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        ledger = demo.run(folder, Console(file=open("/dev/null", "w")))  # noqa: SIM115
        returns = sorted((folder / "报回").glob("*.xlsx"))
        with subprocess_server(ledger) as address, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(address)
            page.screenshot(path=DOCS / "workbench-概览.png")
            nav(page, "事项")
            page.get_by_label("督办预警").select_option("逾期")
            page.get_by_role("button", name="筛选").click()
            page.screenshot(path=DOCS / "workbench-事项.png")
            page.locator("table.items-table a").first.click()
            page.screenshot(path=DOCS / "workbench-事项详情.png")
            nav(page, "收表")
            page.get_by_label("报回文件").set_input_files(returns)
            page.get_by_role("button", name="检查").click()
            page.get_by_text("共检查").wait_for(timeout=60_000)
            page.screenshot(path=DOCS / "workbench-收表.png")
            nav(page, "下发")
            page.get_by_label("通报月份").fill("2026-11")
            page.get_by_role("button", name="生成通报").click()
            try:
                page.get_by_text("已生成 2026-11 通报").wait_for(timeout=60_000)
            finally:
                page.screenshot(path=DOCS / "workbench-下发.png")
            page.screenshot(path=DOCS / "workbench-下发.png")
            nav(page, "台账")
            page.get_by_role("button", name="校验").click()
            page.get_by_text("台账 督查台账-示例.xlsx：共").wait_for(timeout=60_000)
            page.screenshot(path=DOCS / "workbench-台账.png")
            page.goto(address.split("?")[0])
            page.pdf(path=str(Path(tmp) / "概览.pdf"), landscape=True, format="A4")
            browser.close()
    for shot in sorted(DOCS.glob("workbench-*.png")):
        print(shot.relative_to(DOCS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
