"""Templates: the bundled one, unless staff keep their own in 模板 beside the ledger."""

from __future__ import annotations

import pytest

from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.templates import OVERRIDE_DIR, bundled_template, template_path

NAMES = ("通报.docx", "通报正文.j2", "督查检查办理事项通知.docx", "催办通知.docx")


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_template_is_installed(name):
    assert bundled_template(name).is_file()


def test_without_a_staff_copy_the_bundled_template_is_used(tmp_path):
    ledger = tmp_path / "台账.xlsx"
    assert template_path("通报.docx", ledger) == bundled_template("通报.docx")
    assert template_path("通报.docx") == bundled_template("通报.docx")


def test_a_staff_copy_in_the_folder_beside_the_ledger_wins(tmp_path):
    own = tmp_path / OVERRIDE_DIR / "通报正文.j2"
    own.parent.mkdir()
    own.write_text("本月{{ t.total }}件", encoding="utf-8")
    assert template_path("通报正文.j2", tmp_path / "台账.xlsx") == own
    assert template_path("通报.docx", tmp_path / "台账.xlsx") == bundled_template("通报.docx")


def test_a_folder_named_like_a_template_is_not_taken_for_it(tmp_path):
    (tmp_path / OVERRIDE_DIR / "通报.docx").mkdir(parents=True)
    assert template_path("通报.docx", tmp_path / "台账.xlsx") == bundled_template("通报.docx")


def test_an_unknown_template_asks_for_a_reinstall():
    with pytest.raises(UsageError, match="找不到模板 无此模板.docx.*重新安装"):
        bundled_template("无此模板.docx")
