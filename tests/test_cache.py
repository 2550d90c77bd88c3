"""The parser's tables are kept in a cache folder outside the package, and only there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from htx_rules._resources import CACHE_VARIABLE, cache_directory
from tests.conftest import ROOT

# Compiled each time (cache=False): a rubric loaded from the compiled-rubric
# cache (tests/test_rubric_cache.py) would not need the parser at all.
LOAD = "import htx_rules; htx_rules.load('rubrics/2021.rules', cache=False); print('ok')"


def _run(env_changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_changes}
    return subprocess.run(
        [sys.executable, "-c", LOAD], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


class TestCacheFolder:
    """Where the cache goes, and how to turn it off."""

    def test_variable_names_the_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """HTX_RULES_CACHE_DIR is used as given, created when absent."""
        folder = tmp_path / "nested" / "cache"
        monkeypatch.setenv(CACHE_VARIABLE, str(folder))
        assert cache_directory() == folder
        assert folder.is_dir()

    def test_empty_variable_disables_the_cache(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An empty HTX_RULES_CACHE_DIR means no cache at all."""
        monkeypatch.setenv(CACHE_VARIABLE, "")
        assert cache_directory() is None

    def test_default_follows_xdg(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the variable, the folder is $XDG_CACHE_HOME/htx_rules."""
        monkeypatch.delenv(CACHE_VARIABLE, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert cache_directory() == tmp_path / "htx_rules"

    def test_unwritable_place_means_no_cache(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A path that cannot be a folder (it is a file) gives no cache, not an error."""
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
        assert cache_directory() is None


class TestParserCache:
    """A fresh process writes the parser tables once and reads them after."""

    def test_first_load_writes_the_tables(self, tmp_path: Path) -> None:
        """Loading a rubric in a new process leaves one grammar file in the cache folder."""
        result = _run({CACHE_VARIABLE: str(tmp_path)})
        assert result.stdout.strip() == "ok", result.stderr
        files = list(tmp_path.glob("grammar-*.lark"))
        assert len(files) == 1
        assert files[0].stat().st_size > 1000

    def test_corrupt_cache_is_rebuilt(self, tmp_path: Path) -> None:
        """A damaged cache file is ignored and replaced; loading still works."""
        assert _run({CACHE_VARIABLE: str(tmp_path)}).returncode == 0
        (cached,) = tmp_path.glob("grammar-*.lark")
        cached.write_bytes(b"not a cache")
        result = _run({CACHE_VARIABLE: str(tmp_path)})
        assert result.stdout.strip() == "ok", result.stderr
        assert cached.stat().st_size > 1000

    def test_no_cache_writes_nothing(self, tmp_path: Path) -> None:
        """With the cache turned off, loading works and writes no file anywhere we point."""
        result = _run({CACHE_VARIABLE: "", "XDG_CACHE_HOME": str(tmp_path)})
        assert result.stdout.strip() == "ok", result.stderr
        assert not any(tmp_path.iterdir())
