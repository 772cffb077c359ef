"""Fixtures shared by the ledger store's tests."""

import os

import pytest


@pytest.fixture
def umask():
    """Run with a chosen umask, restored afterwards (the tests in one process share it)."""
    saved = os.umask(0o022)
    os.umask(saved)

    def use(mask: int) -> None:
        os.umask(mask)

    yield use
    os.umask(saved)
