"""``import htx_rules`` loads what loading and scoring a rubric need, and no more.

The rest of the public API is imported when first used (module
``__getattr__``); the command line imports each command's modules when the
command runs.  Checked in fresh processes, where nothing was imported before.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import htx_rules
from tests.conftest import RUBRIC_2021

#: Heavy or optional modules that scoring does not need.
NOT_FOR_SCORING = (
    "lark",
    "jinja2",
    "openpyxl",
    "tabulate",
    "htx_rules.parser",
    "htx_rules.builder",
    "htx_rules.contest",
    "htx_rules.html",
    "htx_rules.excel",
    "htx_rules.lint",
    "htx_rules.fmt",
    "htx_rules.diff",
    "htx_rules.whatif",
    "htx_rules.mutation",
    "htx_rules.rubric_tests",
    "htx_rules.report",
)


def imported_after(code: str) -> list[str]:
    """Which of NOT_FOR_SCORING a fresh process has imported after running ``code``."""
    probe = textwrap.dedent(
        f"""
        import json, sys
        {code}
        print(json.dumps([m for m in {list(NOT_FOR_SCORING)!r} if m in sys.modules]))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found: list[str] = json.loads(done.stdout)
    return found


class TestWhatImportLoads:
    """Fresh processes: what each step imports."""

    def test_import_htx_rules(self) -> None:
        """``import htx_rules`` imports none of them."""
        assert imported_after("import htx_rules") == []

    def test_cached_load_and_score(self) -> None:
        """Loading a cached rubric and scoring with a trace imports none of them either."""
        code = textwrap.dedent(
            f"""
            import htx_rules
            htx_rules.load({str(RUBRIC_2021)!r})
            rubric = htx_rules.load({str(RUBRIC_2021)!r})
            result = rubric.score({{"htx_moi": 3, "chi_tieu_htx": 4}})
            result.trace
            """
        ).replace("\n", "\n        ")
        found = imported_after(code)
        # The first load of the two may have compiled (no entry yet): the compiler's
        # modules are then imported, but never the reports, the contest or Jinja.
        assert set(found) <= {"lark", "htx_rules.parser", "htx_rules.builder"}

    def test_command_line_module(self) -> None:
        """The command line imports its commands' modules only when they run."""
        found = imported_after("import htx_rules.cli")
        assert found == []

    def test_a_later_name_imports_its_module(self) -> None:
        """``htx_rules.run_contest`` imports the contest, and only then."""
        found = imported_after("import htx_rules; htx_rules.run_contest")
        assert "htx_rules.contest" in found
        assert "jinja2" not in found


class TestLazyNames:
    """Every public name is there, imported now or when first used."""

    @pytest.mark.parametrize("name", htx_rules.__all__)
    def test_name_resolves(self, name: str) -> None:
        """Each name of ``__all__`` is an attribute, and is listed by ``dir()``."""
        assert getattr(htx_rules, name) is not None
        assert name in dir(htx_rules)

    def test_later_names_are_public(self) -> None:
        """What is imported later is part of ``__all__``, and comes from the module named."""
        later = htx_rules._LATER
        assert set(later) <= set(htx_rules.__all__)
        for name, module in later.items():
            assert getattr(htx_rules, name).__module__.startswith("htx_rules.")
            assert name in vars(sys.modules[module])

    def test_unknown_name(self) -> None:
        """A name that is not public raises AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="no_such_name"):
            htx_rules.no_such_name  # noqa: B018
