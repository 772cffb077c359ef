"""Shared fixtures of the robustness suite, and the ``--crash-trials`` option.

``--crash-trials N`` (or the environment variable LEDGER_CRASH_TRIALS) raises the number of
killed merges in test_crash.py above the default 20; the option is known to pytest when the
run names this folder (``pytest tests/robustness --crash-trials 200``), the variable always.
"""

from __future__ import annotations

import os

import pytest

from tests.robustness.corpus import Workshop
from tests.robustness.staff import Base

DEFAULT_CRASH_TRIALS = 20


def pytest_addoption(parser):
    parser.addoption(
        "--crash-trials",
        type=int,
        default=None,
        metavar="N",
        help=f"merges killed at random moments in test_crash.py (default {DEFAULT_CRASH_TRIALS})",
    )


@pytest.fixture(scope="session")
def crash_trials(request) -> int:
    value = request.config.getoption("--crash-trials", default=None)
    if value is None:
        value = int(os.environ.get("LEDGER_CRASH_TRIALS", DEFAULT_CRASH_TRIALS))
    return max(1, value)


@pytest.fixture(scope="session")
def workshop(tmp_path_factory) -> Workshop:
    """A real ledger and its forms, built once: cases copy what they change."""
    return Workshop(tmp_path_factory.mktemp("workshop"))


@pytest.fixture(scope="session")
def staff_base(tmp_path_factory) -> Base:
    """The sample ledger, refreshed and loaded once: the staff-ledger cases edit copies."""
    return Base(tmp_path_factory.mktemp("staff-base"))
