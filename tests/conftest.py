"""Test-wide hooks: tests marked ``posix_only`` (file modes, process groups, flock) are skipped
where the system is not POSIX, so that the suite passes on a clerk's Windows too."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.name == "posix":
        return
    skip = pytest.mark.skip(reason="POSIX only (file modes, process groups or flock)")
    for item in items:
        if "posix_only" in item.keywords:
            item.add_marker(skip)
