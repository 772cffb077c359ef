"""The terminal face: arguments in, Chinese text and exit codes out."""

from ledger_tools.cli.app import cli, main

__all__ = ["cli", "main"]
