"""The wheel carries the grammar, the shipped rubric and the HTML report's templates:
htx_rules works installed.

The wheel is built without network (``--no-build-isolation`` uses the hatchling
of the dev dependency group), installed with its dependencies from uv's cache
(``--offline``) into a fresh virtual environment, and used from a temporary
folder, away from the checkout, so nothing can be found in ``grammar/`` or
``rubrics/`` at the top of the repository by accident.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import EXAMPLES_2021, ROOT

EXAMPLE = "934-h-phung-hiep.json"


class Installed(NamedTuple):
    """A wheel installed in its own virtual environment."""

    wheel: Path
    venv: Path
    python: Path
    script: Path
    workdir: Path


def _uv() -> str | None:
    """The uv that runs this test session (``uv run`` sets ``UV``), else the one on PATH."""
    found = os.environ.get("UV")
    if found and Path(found).exists():
        return found
    return shutil.which("uv")


def _clean_env() -> dict[str, str]:
    """An environment that cannot lead a subprocess back to the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
        and not key.startswith("UV_PROJECT")
    }
    env["PYTHONUTF8"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from the checkout, installed offline in a fresh venv."""
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed: the wheel test needs uv to build and install offline")
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, workdir = base / "dist", base / "venv", base / "work"
    workdir.mkdir()
    env_uv = [uv, "--no-progress"]
    _run([*env_uv, "build", "--wheel", "--no-build-isolation", "--out-dir", str(dist)], ROOT)
    wheels = sorted(dist.glob("htx_rules-*.whl"))
    assert len(wheels) == 1, wheels
    _run([*env_uv, "venv", str(venv), "--python", sys.executable], base)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    _run([*env_uv, "pip", "install", "--offline", "--python", str(python), str(wheels[0])], base)
    script = bin_dir / ("htx-rules.exe" if os.name == "nt" else "htx-rules")
    shutil.copy(EXAMPLES_2021 / EXAMPLE, workdir / EXAMPLE)
    return Installed(wheels[0], venv, python, script, workdir)


class TestWheelContents:
    """What the wheel file holds."""

    def test_wheel_holds_grammar_and_rubric(self, installed: Installed) -> None:
        """The grammar and the 2021 rubric (and its Vietnamese-keyword twin) are
        inside the package, byte for byte."""
        with zipfile.ZipFile(installed.wheel) as wheel:
            names = set(wheel.namelist())
            assert "htx_rules/grammar/rubric.lark" in names
            assert "htx_rules/rubrics/2021.rules" in names
            assert "htx_rules/rubrics/2021.vi.rules" in names
            assert "htx_rules/py.typed" in names
            templates = sorted((ROOT / "htx_rules" / "templates").iterdir())
            assert templates, "htx_rules/templates/ is empty"
            for template in templates:
                name = f"htx_rules/templates/{template.name}"
                assert name in names, name
                assert wheel.read(name) == template.read_bytes(), name
            assert (
                wheel.read("htx_rules/rubrics/2021.rules")
                == (ROOT / "rubrics" / "2021.rules").read_bytes()
            )
            assert (
                wheel.read("htx_rules/grammar/rubric.lark")
                == (ROOT / "grammar" / "rubric.lark").read_bytes()
            )
            entry_points = wheel.read(
                next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
            ).decode("utf-8")
        assert "htx-rules = htx_rules.cli:main" in entry_points

    def test_wheel_leaves_out_tests_and_examples(self, installed: Installed) -> None:
        """Only the package goes into the wheel: no tests, examples or top-level folders."""
        with zipfile.ZipFile(installed.wheel) as wheel:
            tops = {name.split("/", 1)[0] for name in wheel.namelist()}
        assert {top for top in tops if not top.endswith(".dist-info")} == {"htx_rules"}


# Run by the venv's python from the temporary folder; prints one JSON line.
PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import htx_rules
    from htx_rules import _resources
    rubric_path = _resources.shipped_rubric("2021")
    grammar_path = _resources.resource_path("grammar", "rubric.lark")
    rubric = htx_rules.load(rubric_path)
    document = htx_rules.parse_evidence_json(Path(sys.argv[1]).read_text("utf-8"), sys.argv[1])
    result = rubric.score(
        document.evidence, contestant=document.contestant, assessments=document.assessments
    )
    print(json.dumps({
        "package": htx_rules.__file__,
        "rubric": str(rubric_path),
        "grammar": str(grammar_path),
        "rubric_id": rubric.id,
        "total": str(result.total),
        "html": htx_rules.result_html(result, "en"),
        "sys_path": sys.path,
    }))
    """
)


class TestInstalledWheel:
    """htx_rules imported and run from the installed wheel, outside the checkout."""

    def test_import_and_score_from_the_venv(self, installed: Installed) -> None:
        """The venv's htx_rules loads the shipped rubric and grammar from site-packages."""
        done = _run([str(installed.python), "-c", PROBE, EXAMPLE], installed.workdir)
        probe = json.loads(done.stdout)
        venv = installed.venv.resolve()
        package = Path(probe["package"]).resolve()
        assert package.is_relative_to(venv), probe["package"]
        assert not package.is_relative_to(ROOT), probe["package"]
        for key in ("rubric", "grammar"):
            path = Path(probe[key]).resolve()
            assert path.is_relative_to(package.parent), (key, probe[key])
        assert str(ROOT) not in probe["sys_path"]
        assert probe["rubric_id"] == "thi_dua_kttt_htx_2021"
        assert Decimal(probe["total"]) == 88
        # The report's templates are found inside the installed package.
        assert probe["html"].startswith("<!DOCTYPE html>")
        assert "Unit: 934 H. Phụng Hiệp" in probe["html"]

    def test_console_script_scores_an_example(self, installed: Installed) -> None:
        """The venv's ``htx-rules score`` scores a copied example with the shipped rubric."""
        rubric = installed.venv.glob("lib*/python*/site-packages/htx_rules/rubrics/2021.rules")
        rubric_path = next(iter(rubric), None) or next(
            installed.venv.glob("Lib/site-packages/htx_rules/rubrics/2021.rules")
        )
        done = _run(
            [str(installed.script), "score", str(rubric_path), EXAMPLE, "--lang", "en"],
            installed.workdir,
        )
        assert "Unit: 934 H. Phụng Hiệp" in done.stdout
        assert done.stdout.rstrip().endswith("TOTAL: 88")
        assert done.stderr == ""

    def test_console_script_version(self, installed: Installed) -> None:
        """The installed script reports the version of the built wheel."""
        done = _run([str(installed.script), "--version"], installed.workdir)
        version = installed.wheel.name.split("-")[1]
        assert done.stdout == f"htx-rules {version}\n"
