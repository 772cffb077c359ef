"""click's own words in Chinese: its gettext catalogue, the help layout, the help option.

Imported for its effect by cli/base.py before any command is built: the catalogue is put into
click's modules, and ``ChineseCommand`` is the class every ``ledger`` command uses.
"""

from __future__ import annotations

import re

import click

__all__ = ["ChineseCommand", "ChineseHelpFormatter", "chinese_help_option", "tidy"]


# --- Chinese face for click's own words ------------------------------------------------------

# click passes every message of its own through gettext (``_`` and ``ngettext`` in each of its
# modules); supplying the catalogue there covers the messages the regexes of a post-processor
# would miss, and a message click adds later falls back to English instead of to garbage.
_CLICK_TEXT = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "env var: {var}": "环境变量：{var}",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Aborted!": "已取消。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "可用 {command} {option} 查看说明。",
    "Missing command.": "缺少命令。可用 ledger -h 查看全部命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "参数 {param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "No such option {name!r}.": "没有这个选项：{name}。",
    "No such command {name!r}.": "没有这个命令：{name}。可用 ledger -h 查看全部命令。",
    "Did you mean {possibility}?": "是不是要写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要写其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多余的参数：{args}。如路径中有空格，请用引号括起来。",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}。如路径中有空格，请用引号括起来。",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name} 不需要值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "「{value}」不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围（{range}）内。",
    "{value!r} is not {choice}.": "「{value}」不是 {choice}。",
    "{value!r} is not one of {choices}.": "「{value}」不是以下之一：{choices}。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在。",
    "{name} {filename!r} is a file.": "{name}「{filename}」是文件。",
    "{name} {filename!r} is a directory.": "{name}「{filename}」是文件夹。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」无法读取。",
    "{name} {filename!r} is not writable.": "{name}「{filename}」无法写入。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
}


def _gettext(message: str) -> str:
    return _CLICK_TEXT.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


for _module in (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
):
    if hasattr(_module, "_"):
        _module._ = _gettext  # type: ignore[attr-defined]  # click's private gettext alias
    if hasattr(_module, "ngettext"):
        _module.ngettext = _ngettext  # type: ignore[attr-defined]

_QUOTED = re.compile(r"'([^'\s]+)'")


def tidy(message: str) -> str:
    """Drop click's ASCII quotes around option names and end a Chinese sentence in 。"""
    message = _QUOTED.sub(r"\1", message.strip()).replace("。 ", "。")
    return message[:-1] + "。" if message.endswith(".") else message


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


click.Context.formatter_class = ChineseHelpFormatter


def chinese_help_option(self, ctx):
    option = click.Command.get_help_option(self, ctx)
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


class ChineseCommand(click.Command):
    get_help_option = chinese_help_option

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
