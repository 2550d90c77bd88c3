"""Shared fixtures: the shipped 2021 rubric, its examples, and golden-file updating."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import htx_rules
from htx_rules._resources import CACHE_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_2021 = ROOT / "rubrics" / "2021.rules"
EXAMPLES_2021 = ROOT / "examples" / "2021"
GOLDEN = Path(__file__).resolve().parent / "golden"


_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The suite keeps its caches (parser tables, compiled rubrics) in a folder
    of its own, unless HTX_RULES_CACHE_DIR says otherwise: tests neither read
    what other runs left in the user's cache nor fill it with test rubrics."""
    if CACHE_VARIABLE not in os.environ:
        folder = tempfile.mkdtemp(prefix="htx-rules-tests-")
        _SESSION_CACHE.append(folder)
        os.environ[CACHE_VARIABLE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _SESSION_CACHE:
        os.environ.pop(CACHE_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output (review the diff by eye)",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten instead of compared."""
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def rubric_2021() -> htx_rules.Rubric:
    """The shipped 2021 rubric, compiled once for the session."""
    return htx_rules.load(RUBRIC_2021)


@pytest.fixture(scope="session")
def example_files() -> list[Path]:
    """The example evidence files of 2021, one per district, in code order."""
    return sorted(EXAMPLES_2021.glob("*.json"))
