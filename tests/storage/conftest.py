"""Fixtures for the storage tests: a journal in the per-test SECUREBASE_HOME, with or without
a little demo data."""
from __future__ import annotations

from datetime import date

import pytest

from app import paths
from app.storage.demo import fill_demo

DEMO_END = date(2026, 3, 4)


@pytest.fixture
def journal_path(securebase_home):
    return paths.journal_file()


@pytest.fixture
def demo_journal(journal):
    """About two months of demo records ending on 2026-03-04."""
    fill_demo(journal, years=0.17, seed=3, end=DEMO_END)
    return journal
