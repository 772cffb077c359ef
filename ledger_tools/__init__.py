"""ledger_tools: the supervision office's ledger of executive-meeting decisions, kept in Excel."""

__version__ = "0.1.0"
