"""The browser face (``ledger serve``): routes, templates and vendored static files.

A face like the CLI: it calls the jobs and shows their results, and decides nothing itself.
"""
