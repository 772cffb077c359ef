"""click's own words in Chinese: the catalogue is in click's modules, and messages are tidied."""

from __future__ import annotations

import click

from ledger_tools.cli import click_text


def test_clicks_messages_come_out_in_chinese():
    assert click.core._("Usage:") == "用法："  # type: ignore[attr-defined]
    assert click.exceptions._("Missing argument") == "缺少参数"  # type: ignore[attr-defined]
    assert click.core._("a message click adds later") == "a message click adds later"


def test_tidy_drops_ascii_quotes_and_ends_in_a_chinese_full_stop():
    assert click_text.tidy("没有这个选项：'--foo'.") == "没有这个选项：--foo。"
