"""The bundled templates (Jinja2 text and .docx), installed as ledger_tools.templates.

Staff override any of them by file name in a folder 模板 beside the ledger.
"""
