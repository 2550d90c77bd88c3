"""The Excel routes through the command line: ``htx-rules template``, a folder
of filled forms as contest input, and ``contest --format xlsx``."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import htx_rules
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, EXIT_USAGE, main
from htx_rules.submissions import read_folder
from tests.conftest import EXAMPLES_2021, ROOT
from tests.test_excel import fill, keys_of

RUBRIC = str(ROOT / "rubrics" / "2021.rules")


def run(*args: str) -> tuple[int, str, str]:
    """Run ``htx-rules ARGS``; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class TestTemplateCommand:
    def test_writes_a_form_for_a_unit(self, tmp_path: Path) -> None:
        """The form names the unit given with --contestant and has a row per field."""
        path = tmp_path / "931.xlsx"
        code, out, err = run("template", RUBRIC, "--out", str(path), "--contestant", "931")
        assert (code, err) == (EXIT_OK, "")
        assert str(path) in out
        sheet = openpyxl.load_workbook(path).worksheets[0]
        keys = keys_of(sheet)
        rubric = htx_rules.load(RUBRIC)
        assert {f"htx:field:{f.name}" for f in rubric.fields} <= set(keys)
        assert {f"htx:doc:{d.id}" for d in rubric.model.dossier} <= set(keys)
        unit_cell = sheet.cell(row=keys["htx:meta:contestant"], column=3).value
        assert str(unit_cell).startswith("931")

    def test_an_unknown_unit_is_refused(self, tmp_path: Path) -> None:
        code, _, err = run(
            "template", RUBRIC, "--out", str(tmp_path / "x.xlsx"), "--contestant", "999"
        )
        assert code == EXIT_EVIDENCE
        assert "'999'" in err
        assert not (tmp_path / "x.xlsx").exists()

    def test_an_unwritable_path_is_a_usage_error(self, tmp_path: Path) -> None:
        code, _, err = run("template", RUBRIC, "--out", str(tmp_path / "no" / "such" / "f.xlsx"))
        assert code == EXIT_USAGE
        assert "không ghi được" in err


class TestFilledFormsAsInput:
    def test_a_folder_of_filled_forms_ranks_as_the_toml_and_json_files(
        self, tmp_path: Path
    ) -> None:
        """Each example, written into its own form by the template command and filled in,
        gives the same contest as the example files themselves."""
        rubric = htx_rules.load(RUBRIC)
        folder = tmp_path / "ho_so"
        folder.mkdir()
        for submission in read_folder(EXAMPLES_2021, rubric_id=rubric.id):
            path = folder / f"{submission.contestant}.xlsx"
            code, _, _ = run("template", RUBRIC, "--out", str(path))
            assert code == EXIT_OK
            book = openpyxl.load_workbook(path)
            fill(book.worksheets[0], submission, rubric)
            book.save(path)
        from_forms = run("contest", RUBRIC, str(folder), "--format", "json")
        from_files = run("contest", RUBRIC, str(EXAMPLES_2021), "--format", "json")
        assert from_forms[0] == from_files[0] == EXIT_OK
        assert _outcome(from_forms[1]) == _outcome(from_files[1])

    def test_a_bad_cell_names_the_file_sheet_and_cell(self, tmp_path: Path) -> None:
        rubric = htx_rules.load(RUBRIC)
        submission = read_folder(EXAMPLES_2021, rubric_id=rubric.id)[0]
        path = tmp_path / "bad.xlsx"
        run("template", RUBRIC, "--out", str(path))
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        fill(sheet, submission, rubric)
        row = keys_of(sheet)["htx:field:htx_moi"]
        sheet.cell(row=row, column=6).value = "nhiều"
        book.save(path)
        code, _, err = run("contest", RUBRIC, str(path))
        assert code == EXIT_EVIDENCE
        assert f"bad.xlsx[{sheet.title}]!F{row}" in err
        assert "htx_moi" in err


def _outcome(json_text: str) -> list[tuple[object, ...]]:
    data = json.loads(json_text)
    return [
        (
            s["rank"],
            s["contestant"]["code"],
            s["verified_total"],
            s["claimed_total"],
            s["eligible"],
            s["award"] and s["award"]["prize"],
            tuple((line["id"], line["claimed"], line["verified"]) for line in s["reconciliation"]),
        )
        for s in data["standings"]
    ]


class TestResultsWorkbook:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_ranking_sheet_and_one_sheet_per_unit(self, tmp_path: Path, lang: str) -> None:
        path = tmp_path / "ket_qua.xlsx"
        code, out, err = run(
            "contest",
            RUBRIC,
            str(EXAMPLES_2021),
            "--format",
            "xlsx",
            "--out",
            str(path),
            "--lang",
            lang,
        )
        assert (code, out, err) == (EXIT_OK, "", "")
        book = openpyxl.load_workbook(path)
        names = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
        assert len(names) == 1 + 8
        assert names[0] == ("Xếp hạng" if lang == "vi" else "Ranking")
        ranking = book.worksheets[0]
        numbers = [
            cell.value
            for row in ranking.iter_rows()
            for cell in row
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        ]
        # The prizes are stored as numbers: 10.000.000, 7.000.000 and 5.000.000 đồng.
        assert {10_000_000, 7_000_000, 5_000_000} <= {Decimal(str(n)) for n in numbers}

    def test_needs_out(self) -> None:
        code, _, err = run("contest", RUBRIC, str(EXAMPLES_2021), "--format", "xlsx")
        assert code == EXIT_USAGE
        assert "--out" in err
