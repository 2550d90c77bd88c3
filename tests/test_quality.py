"""The code stays typed and linted: mypy --strict and ruff run with the suite."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


class TestStaticChecks:
    """Static checks that CI would otherwise have to remember to run."""

    def test_mypy_strict_is_clean(self) -> None:
        """The package type-checks under mypy --strict (configured in pyproject.toml)."""
        result = _run("mypy")
        assert result.returncode == 0, result.stdout + result.stderr

    def test_ruff_is_clean(self) -> None:
        """The package, tests and benchmarks pass ruff's lint rules."""
        result = _run("ruff", "check", "htx_rules", "tests", "benchmarks")
        assert result.returncode == 0, result.stdout + result.stderr
