"""The ``htx-rules`` command line: output formats, languages and exit codes.

Most tests call :func:`htx_rules.cli.main` in-process with string buffers; the
tests in :class:`TestInstalledCommand` run the installed console script (and
``python -m htx_rules``) as a subprocess, as a user would.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import htx_rules
from htx_rules.checker import all_items
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, EXIT_RUBRIC, EXIT_USAGE, main
from tests.conftest import EXAMPLES_2021, ROOT

RUBRIC = "rubrics/2021.rules"
EXAMPLES = "examples/2021"
FILE_934 = f"{EXAMPLES}/934-h-phung-hiep.json"
FILE_933 = f"{EXAMPLES}/933-h-chau-thanh.json"

DISTRICTS = {
    "930": "TP. Vị Thanh",
    "931": "TP. Ngã Bảy",
    "932": "H. Châu Thành A",
    "933": "H. Châu Thành",
    "934": "H. Phụng Hiệp",
    "935": "H. Vị Thủy",
    "936": "H. Long Mỹ",
    "937": "TX. Long Mỹ",
}
# Totals checked by hand against rubrics/2021.rules (see tests/test_golden.py).
TOTALS_VI = {
    "930": "105",
    "931": "87,5",
    "932": "86",
    "933": "59,17",
    "934": "88",
    "935": "88",
    "936": "37,02",
    "937": "94,25",
}

# A rubric whose only criterion reads a field that is not declared (line 10,
# column 11: the 'b' of "10 if b").
UNKNOWN_FIELD_RUBRIC = """\
rubric thu "Bảng điểm thử"
  year 2021
  total 10

evidence
  a yes/no "A"

part I "Phần một" max 10
  criterion I.1 "Một" max 10
    10 if b
"""

# A rubric with a grammar error on line 7 ("iff" is not a keyword).
SYNTAX_ERROR_RUBRIC = """\
rubric thu "Bảng điểm thử"
  year 2021
  total 10

part I "Phần một" max 10
  criterion I.1 "Một" max 10
    10 iff b
"""


class CliRun(NamedTuple):
    """What one run of the command line did."""

    code: int
    out: str
    err: str


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so relative paths work as in the README."""
    monkeypatch.chdir(ROOT)


def run(*args: str) -> CliRun:
    """Run ``htx-rules`` in-process and capture what it printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return CliRun(code, out.getvalue(), err.getvalue())


def subprocess_env() -> dict[str, str]:
    """The environment for a subprocess: UTF-8 output, no stray Python path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONUTF8"] = "1"
    return env


def run_command(command: list[str], cwd: Path = ROOT) -> CliRun:
    """Run a command line as a subprocess and capture its output."""
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(),
        check=False,
        timeout=120,
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def console_script() -> str | None:
    """The installed ``htx-rules`` console script, or None."""
    found = shutil.which("htx-rules")
    if found:
        return found
    beside = Path(sys.executable).with_name("htx-rules")
    return str(beside) if beside.exists() else None


def summary_rows(text: str, heading: str = "TỔNG HỢP") -> dict[str, list[str]]:
    """The rows of the summary table after ``heading``, by district code."""
    lines = text.split(heading + "\n", 1)[1].splitlines()
    rows: dict[str, list[str]] = {}
    for line in lines[2:]:
        cells = re.split(r"\s{2,}", line.strip())
        code = cells[0].split()[0]
        rows[code] = cells
    return rows


def no_floats(text: str) -> Any:
    """Parse JSON, failing on any number with a fraction or exponent."""

    def reject(number: str) -> Any:
        raise AssertionError(f"a JSON number with a fraction: {number}")

    return json.loads(text, parse_float=reject)


def copy_examples(folder: Path, *codes: str) -> None:
    """Copy the example files of the districts ``codes`` into ``folder``."""
    for path in sorted(EXAMPLES_2021.glob("*.json")):
        if path.name[:3] in codes:
            shutil.copy(path, folder / path.name)


@pytest.mark.usefixtures("in_root")
class TestTextOutput:
    """The default text output: one table per district, then a summary."""

    def test_one_file_prints_its_table_and_no_summary(self) -> None:
        """Scoring one file prints that district's table and totals, and no summary."""
        result = run("score", RUBRIC, FILE_934)
        assert result.code == EXIT_OK
        assert result.err == ""
        assert "Đơn vị: 934 H. Phụng Hiệp" in result.out
        assert "Bảng điểm: thi_dua_kttt_htx_2021 (năm 2021), tệp rubrics/2021.rules" in result.out
        assert "TỔNG ĐIỂM: 88\n" in result.out
        assert "TỔNG HỢP" not in result.out

    def test_table_has_a_row_for_every_criterion_and_rule(self) -> None:
        """The table lists every part, criterion, sub-criterion, bonus and deduction rule."""
        out = run("score", RUBRIC, FILE_934).out
        first_cells = {line.split()[0] for line in out.splitlines() if line.strip()}
        model = htx_rules.load(RUBRIC).model
        ids = {p.id for p in model.parts} | {item.id for item in all_items(model)}
        assert len(ids) == 51
        assert ids <= first_cells, ids - first_cells

    def test_folder_prints_every_district_and_a_summary(self) -> None:
        """A folder is scored file by file, in name order, followed by a summary table."""
        result = run("score", RUBRIC, EXAMPLES)
        assert result.code == EXIT_OK
        assert result.err == ""
        positions = [
            result.out.index(f"Đơn vị: {code} {name}\n") for code, name in DISTRICTS.items()
        ]
        assert positions == sorted(positions)
        assert result.out.index("TỔNG HỢP\n") > positions[-1]
        assert result.out.count("TỔNG ĐIỂM: ") == len(DISTRICTS)

    def test_summary_has_one_row_per_district_with_its_total(self) -> None:
        """The summary shows each district's parts, bonus, deduction, total and missing count."""
        rows = summary_rows(run("score", RUBRIC, EXAMPLES).out)
        assert list(rows) == list(DISTRICTS)
        assert {code: cells[6] for code, cells in rows.items()} == TOTALS_VI
        # Only 933 lacks evidence; its row counts the missing fields.
        assert rows["933"][7:] == ["8"]
        assert all(len(cells) == 7 for code, cells in rows.items() if code != "933")

    def test_files_and_folders_can_be_mixed(self, tmp_path: Path) -> None:
        """Files and folders given together are all scored, in the order given."""
        copy_examples(tmp_path, "930")
        result = run("score", RUBRIC, FILE_934, str(tmp_path))
        assert result.code == EXIT_OK
        assert list(summary_rows(result.out)) == ["934", "930"]


@pytest.mark.usefixtures("in_root")
class TestJsonOutput:
    """``--format json``: the result format of docs/trace.md, decimals as strings."""

    def test_one_file_gives_one_result_object(self) -> None:
        """One file prints one result object with its total and contestant."""
        result = run("score", RUBRIC, FILE_934, "--format", "json")
        assert result.code == EXIT_OK
        data = no_floats(result.out)
        assert data["format"] == "htx-rules.result"
        assert data["format_version"] == 2
        assert data["contestant"] == {"code": "934", "name": "H. Phụng Hiệp"}
        assert data["total"] == "88"
        assert data["parts"] == {"I": "47", "II": "9", "III": "32"}

    def test_several_files_give_a_result_list(self) -> None:
        """A folder prints one ``htx-rules.result-list`` document holding every result."""
        result = run("score", RUBRIC, EXAMPLES, "--format", "json")
        assert result.code == EXIT_OK
        data = no_floats(result.out)
        assert data["format"] == "htx-rules.result-list"
        assert data["format_version"] == 2
        codes = [r["contestant"]["code"] for r in data["results"]]
        assert codes == list(DISTRICTS)
        totals = {r["contestant"]["code"]: r["total"] for r in data["results"]}
        assert totals == {code: total.replace(",", ".") for code, total in TOTALS_VI.items()}

    def test_decimals_are_strings(self) -> None:
        """Every point in the JSON is a string such as "6.67", never a JSON number."""
        data = no_floats(run("score", RUBRIC, EXAMPLES, "--format", "json").out)
        by_code = {r["contestant"]["code"]: r for r in data["results"]}
        assert by_code["933"]["items"]["III.1"] == "6.67"
        assert by_code["931"]["total"] == "87.5"

        def points(node: dict[str, Any]) -> Iterator[Any]:
            yield node["points"]
            yield node["max"]
            for child in node["children"]:
                yield from points(child)

        assert all(isinstance(p, str) for r in data["results"] for p in points(r["trace"]))

    def test_json_equals_the_python_api(self) -> None:
        """The command line prints exactly what ``Result.to_json()`` gives."""
        document = htx_rules.parse_evidence_json(Path(FILE_934).read_text("utf-8"), FILE_934)
        result = htx_rules.load(RUBRIC).score(
            document.evidence, contestant=document.contestant, assessments=document.assessments
        )
        assert run("score", RUBRIC, FILE_934, "--format", "json").out == result.to_json()

    def test_json_is_the_same_in_both_languages_but_for_the_ledgers_words(self) -> None:
        """JSON is data: ``--lang`` changes only ``language`` and the ledger's sentences."""
        vi = json.loads(run("score", RUBRIC, FILE_934, "--format", "json").out)
        en = json.loads(run("score", RUBRIC, FILE_934, "--format", "json", "--lang", "en").out)
        assert (vi.pop("language"), en.pop("language")) == ("vi", "en")
        vi_words = [line.pop("text") for line in vi["ledger"]]
        en_words = [line.pop("text") for line in en["ledger"]]
        assert vi == en
        assert "dòng" in vi_words[0]
        assert "line" in en_words[0]


@pytest.mark.usefixtures("in_root")
class TestMarkdownOutput:
    """``--format md``: a section per district and a pipe-table summary."""

    def test_one_file_is_a_markdown_section_with_a_pipe_table(self) -> None:
        """A district becomes a level-2 heading, a pipe table and a list of totals."""
        result = run("score", RUBRIC, FILE_934, "--format", "md")
        assert result.code == EXIT_OK
        lines = result.out.splitlines()
        assert lines[0] == "## 934 H. Phụng Hiệp"
        assert any(
            re.match(r"\| Mã +\| Nội dung +\| +Điểm \| +Tối đa \| Giải thích", line)
            for line in lines
        )
        assert any(line.startswith("|:--") for line in lines)
        assert "- TỔNG ĐIỂM: 88" in lines

    def test_sub_criteria_are_indented(self) -> None:
        """Sub-criteria are indented with non-breaking spaces so the hierarchy shows."""
        out = run("score", RUBRIC, FILE_934, "--format", "md").out
        assert "| &nbsp;&nbsp;&nbsp;&nbsp;I.1.a " in out
        assert "| &nbsp;&nbsp;I.1 " in out

    def test_folder_ends_with_a_summary_section(self) -> None:
        """Several files end with a "TỔNG HỢP" section holding a pipe table."""
        out = run("score", RUBRIC, EXAMPLES, "--format", "md").out
        assert out.count("\n## ") + out.startswith("## ") == len(DISTRICTS) + 1
        summary = out.split("## TỔNG HỢP\n\n", 1)[1]
        assert summary.startswith("| Đơn vị ")
        assert "| 930 TP. Vị Thanh " in summary

    def test_pipes_in_text_are_escaped(self) -> None:
        """Every table row has exactly the five columns (no stray pipe from a label)."""
        out = run("score", RUBRIC, FILE_934, "--format", "md").out
        rows = [line for line in out.splitlines() if line.startswith("|")]
        assert rows
        assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)


@pytest.mark.usefixtures("in_root")
class TestLanguage:
    """Vietnamese by default; ``--lang en`` for English headers, numbers and errors."""

    def test_default_headers_are_vietnamese(self) -> None:
        """Without ``--lang``, headers, totals and numbers are Vietnamese."""
        out = run("score", RUBRIC, EXAMPLES).out
        assert re.search(r"^Mã +Nội dung +Điểm +Tối đa +Giải thích$", out, re.MULTILINE)
        assert re.search(
            r"^Đơn vị +Phần I \(50\) +Phần II \(10\) +Phần III \(40\) +Cộng +Trừ "
            r"+Tổng +Thiếu MC$",
            out,
            re.MULTILINE,
        )
        assert "TỔNG ĐIỂM: 87,5" in out
        assert "Id  " not in out

    def test_english_headers_and_numbers(self) -> None:
        """With ``--lang en``, headers and words are English and decimals use a point."""
        out = run("score", RUBRIC, EXAMPLES, "--lang", "en").out
        assert re.search(r"^Id +Criterion +Points +Max +Why$", out, re.MULTILINE)
        assert re.search(
            r"^Unit +Part I \(50\) +Part II \(10\) +Part III \(40\) +Bonus "
            r"+Deduction +Total +Missing$",
            out,
            re.MULTILINE,
        )
        assert "SUMMARY\n" in out
        assert "TOTAL: 87.5" in out
        assert "Unit: 931 TP. Ngã Bảy" in out
        assert "TỔNG ĐIỂM" not in out
        assert "Giải thích" not in out

    def test_english_evidence_errors(self, tmp_path: Path) -> None:
        """Evidence errors are printed in English with ``--lang en``."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"evidence": {"htx_moii": 3}}', encoding="utf-8")
        result = run("score", RUBRIC, str(bad), "--lang", "en")
        assert result.code == EXIT_EVIDENCE
        assert f"{bad}: error: the evidence has 1 problem(s)" in result.err
        assert "'htx_moii': " in result.err
        assert "hint: did you mean 'htx_moi'?" in result.err
        assert "lỗi" not in result.err

    def test_english_rubric_errors(self, tmp_path: Path) -> None:
        """Rubric errors are printed in English with ``--lang en``."""
        rubric = tmp_path / "bad.rules"
        rubric.write_text(UNKNOWN_FIELD_RUBRIC, encoding="utf-8")
        result = run("score", str(rubric), FILE_934, "--lang", "en")
        assert result.code == EXIT_RUBRIC
        assert f"{rubric}:10:11: error: there is no evidence field 'b'" in result.err

    def test_english_usage_errors(self) -> None:
        """A file that does not exist is reported in English with ``--lang en``."""
        result = run("score", RUBRIC, "nope.json", "--lang", "en")
        assert result.code == EXIT_USAGE
        assert result.err == "htx-rules: cannot read 'nope.json': no such file or folder\n"


# Each bad evidence file, and what the error must say about it (Vietnamese).
BAD_EVIDENCE = {
    "unknown-field": (
        '{"evidence": {"bcd_quyet_dinhx": true}}',
        [
            "'bcd_quyet_dinhx': bảng điểm không có trường minh chứng này",
            "có phải là 'bcd_quyet_dinh'?",
        ],
    ),
    "invalid-json": (
        '{\n  "evidence": {\n    "htx_moi": 3,\n  }\n}\n',
        ["tệp JSON không hợp lệ ở dòng 4, cột 3"],
    ),
    "duplicate-key": (
        '{"evidence": {"htx_moi": 3, "htx_moi": 4}}',
        ["khóa 'htx_moi' xuất hiện hai lần"],
    ),
    "other-rubric": (
        '{"rubric": "thi_dua_kttt_htx_2022", "evidence": {"htx_moi": 3}}',
        ["viết cho bảng điểm 'thi_dua_kttt_htx_2022', không phải 'thi_dua_kttt_htx_2021'"],
    ),
    "wrong-values": (
        '{"evidence": {"htx_moi": 1.5, "ty_le_dai_hoi": 120, "ngay_nop_bao_cao": "2021-13-01"}}',
        ["minh chứng có 3 lỗi", "'htx_moi'", "'ty_le_dai_hoi'", "'ngay_nop_bao_cao'"],
    ),
    "not-an-object": ("[1, 2, 3]", ["lỗi"]),
}


@pytest.mark.usefixtures("in_root")
class TestBadEvidence:
    """Exit code 1: every bad file is reported, and the good ones are still scored."""

    @pytest.mark.parametrize("case", list(BAD_EVIDENCE))
    def test_bad_file_is_reported_and_the_others_scored(self, tmp_path: Path, case: str) -> None:
        """A bad file in a folder gives exit 1 and its error; the good files print as usual."""
        copy_examples(tmp_path, "934", "935")
        bad = tmp_path / "900-bad.json"
        content, expected = BAD_EVIDENCE[case]
        bad.write_text(content, encoding="utf-8")
        result = run("score", RUBRIC, str(tmp_path))
        assert result.code == EXIT_EVIDENCE
        assert result.err.startswith(f"{bad}: lỗi: ")
        for words in expected:
            assert words in result.err
        assert "Đơn vị: 934 H. Phụng Hiệp" in result.out
        assert "Đơn vị: 935 H. Vị Thủy" in result.out
        assert list(summary_rows(result.out)) == ["934", "935"]

    def test_every_bad_file_is_reported(self, tmp_path: Path) -> None:
        """Two bad files give two error reports, not just the first."""
        copy_examples(tmp_path, "934")
        (tmp_path / "a.json").write_text("{", encoding="utf-8")
        (tmp_path / "b.json").write_text('{"htx_moi": -1}', encoding="utf-8")
        result = run("score", RUBRIC, str(tmp_path))
        assert result.code == EXIT_EVIDENCE
        assert f"{tmp_path / 'a.json'}: lỗi" in result.err
        assert f"{tmp_path / 'b.json'}: lỗi" in result.err
        assert "TỔNG ĐIỂM: 88" in result.out

    def test_unknown_contestant(self, tmp_path: Path) -> None:
        """A contestant code the rubric does not list is bad evidence."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"contestant": "999", "evidence": {"htx_moi": 3}}', encoding="utf-8")
        result = run("score", RUBRIC, str(bad))
        assert result.code == EXIT_EVIDENCE
        assert "999" in result.err
        assert result.out == ""

    def test_only_bad_files_print_nothing_on_stdout(self, tmp_path: Path) -> None:
        """When no file could be scored, stdout stays empty and the exit code is 1."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"evidence": {"htx_moi": "ba"}}', encoding="utf-8")
        result = run("score", RUBRIC, str(bad))
        assert result == CliRun(EXIT_EVIDENCE, "", result.err)
        assert "'htx_moi'" in result.err

    def test_json_shape_does_not_depend_on_failures(self, tmp_path: Path) -> None:
        """Several files give a result list even when some of them could not be scored."""
        copy_examples(tmp_path, "934")
        (tmp_path / "900-bad.json").write_text("{", encoding="utf-8")
        result = run("score", RUBRIC, str(tmp_path), "--format", "json")
        assert result.code == EXIT_EVIDENCE
        assert json.loads(result.out)["format"] == "htx-rules.result-list"


@pytest.mark.usefixtures("in_root")
class TestStrict:
    """``--strict``: missing evidence becomes an error."""

    def test_missing_evidence_scores_zero_without_strict(self) -> None:
        """Without ``--strict``, 933's missing fields score 0 and are listed."""
        result = run("score", RUBRIC, FILE_933)
        assert result.code == EXIT_OK
        assert "Thiếu minh chứng: can_bo_chuyen_trach" in result.out

    def test_missing_evidence_is_an_error_with_strict(self) -> None:
        """With ``--strict``, 933 gives exit 1 listing every missing field, in English too."""
        result = run("score", RUBRIC, FILE_933, "--strict", "--lang", "en")
        assert result.code == EXIT_EVIDENCE
        assert result.out == ""
        assert "the evidence has 8 problem(s)" in result.err
        for field in (
            "can_bo_chuyen_trach",
            "tht_moi",
            "chi_tieu_tht",
            "ty_le_tht_hop_dong",
            "tht_nang_cap",
            "doanh_thu_bq_2021",
            "doanh_thu_bq_2020",
            "ty_le_htx_bao_cao",
        ):
            assert f"'{field}' (" in result.err
        assert "no value given (strict mode)" in result.err

    def test_strict_vietnamese_message(self) -> None:
        """The strict-mode error is Vietnamese by default."""
        result = run("score", RUBRIC, FILE_933, "--strict")
        assert "thiếu minh chứng (chế độ nghiêm ngặt)" in result.err

    def test_complete_evidence_passes_strict(self) -> None:
        """A district that gave every field scores normally under ``--strict``."""
        result = run("score", RUBRIC, FILE_934, "--strict")
        assert result.code == EXIT_OK
        assert "TỔNG ĐIỂM: 88" in result.out


@pytest.mark.usefixtures("in_root")
class TestBadRubric:
    """Exit code 2: the rubric's error, with file:line:col and a caret, on stderr only."""

    def test_unknown_field_points_at_it(self, tmp_path: Path) -> None:
        """An undeclared field is reported at its line and column, with a caret under it."""
        rubric = tmp_path / "bad.rules"
        rubric.write_text(UNKNOWN_FIELD_RUBRIC, encoding="utf-8")
        result = run("score", str(rubric), FILE_934)
        assert result.code == EXIT_RUBRIC
        assert result.out == ""
        lines = result.err.splitlines()
        assert lines[0] == f"{rubric}:10:11: lỗi: không có trường minh chứng 'b'"
        source_line = next(line for line in lines if line.startswith("  10 | "))
        caret_line = lines[lines.index(source_line) + 1]
        assert caret_line.strip(" |") == "^"
        assert caret_line.index("^") == source_line.index(" b") + 1

    def test_syntax_error(self, tmp_path: Path) -> None:
        """A grammar error is reported with its position and caret, exit 2."""
        rubric = tmp_path / "syntax.rules"
        rubric.write_text(SYNTAX_ERROR_RUBRIC, encoding="utf-8")
        result = run("score", str(rubric), FILE_934)
        assert result.code == EXIT_RUBRIC
        assert result.out == ""
        assert result.err.startswith(f"{rubric}:7:")
        assert "  7 |     10 iff b\n" in result.err
        assert "^" in result.err

    def test_rubric_is_checked_before_evidence(self, tmp_path: Path) -> None:
        """A bad rubric wins over bad evidence: exit 2, and the evidence is not read."""
        rubric = tmp_path / "bad.rules"
        rubric.write_text(UNKNOWN_FIELD_RUBRIC, encoding="utf-8")
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        result = run("score", str(rubric), str(bad))
        assert result.code == EXIT_RUBRIC
        assert "JSON" not in result.err

    def test_rubric_not_utf8(self, tmp_path: Path) -> None:
        """A rubric that is not UTF-8 is a rubric error, not a crash."""
        rubric = tmp_path / "latin1.rules"
        rubric.write_bytes(UNKNOWN_FIELD_RUBRIC.encode("utf-8").replace("thử".encode(), b"th\xe9"))
        result = run("score", str(rubric), FILE_934)
        assert result.code == EXIT_RUBRIC
        assert result.err.startswith(f"{rubric}:1:")
        assert result.out == ""


@pytest.mark.usefixtures("in_root")
class TestUsageErrors:
    """Exit code 3: a file or folder that cannot be read, or a wrong command line."""

    def test_missing_evidence_file(self) -> None:
        """An evidence path that does not exist gives exit 3 and nothing on stdout."""
        result = run("score", RUBRIC, "examples/2021/999-nowhere.json")
        assert result == CliRun(
            EXIT_USAGE,
            "",
            "htx-rules: không đọc được 'examples/2021/999-nowhere.json': "
            "không có tệp hay thư mục này\n",
        )

    def test_missing_file_stops_before_scoring(self) -> None:
        """One missing path among good ones: exit 3 and no partial output."""
        result = run("score", RUBRIC, FILE_934, "nope.json")
        assert result.code == EXIT_USAGE
        assert result.out == ""

    def test_missing_rubric_file(self) -> None:
        """A rubric path that does not exist gives exit 3 naming it."""
        result = run("score", "rubrics/1999.rules", FILE_934)
        assert result.code == EXIT_USAGE
        assert result.out == ""
        assert result.err.startswith("htx-rules: không đọc được 'rubrics/1999.rules': ")

    def test_missing_rubric_file_reason_is_vietnamese(self) -> None:
        """An unreadable rubric is explained in Vietnamese, as an unreadable evidence file is."""
        result = run("score", "rubrics/1999.rules", FILE_934)
        assert result.err == (
            "htx-rules: không đọc được 'rubrics/1999.rules': không có tệp hay thư mục này\n"
        )

    def test_empty_folder(self, tmp_path: Path) -> None:
        """A folder without .json files gives exit 3."""
        (tmp_path / "readme.txt").write_text("không phải minh chứng", encoding="utf-8")
        result = run("score", RUBRIC, str(tmp_path))
        assert result == CliRun(
            EXIT_USAGE, "", f"htx-rules: thư mục '{tmp_path}' không có tệp .json hay .toml nào\n"
        )

    def test_empty_folder_in_english(self, tmp_path: Path) -> None:
        """The empty-folder error is English with ``--lang en``."""
        result = run("score", RUBRIC, str(tmp_path), "--lang", "en")
        assert result.err == f"htx-rules: folder '{tmp_path}' holds no .json or .toml file\n"

    @pytest.mark.parametrize(
        "args",
        [
            ["score", RUBRIC, FILE_934, "--format", "xml"],
            ["score", RUBRIC, FILE_934, "--lang", "fr"],
            ["score", RUBRIC],
            ["grade", RUBRIC, FILE_934],
            [],
        ],
        ids=["bad-format", "bad-lang", "no-evidence", "bad-command", "no-command"],
    )
    def test_bad_command_line_exits_3(self, args: list[str]) -> None:
        """A wrong option or argument ends the program with exit code 3."""
        try:
            code = run(*args).code
        except SystemExit as stopped:  # argparse ends the program itself
            code = -1 if stopped.code is None else int(stopped.code)
        assert code == EXIT_USAGE

    def test_bad_option_returns_3_and_writes_to_given_stderr(self) -> None:
        """``main`` returns the exit code for a bad option and prints usage to its stderr."""
        out, err = io.StringIO(), io.StringIO()
        try:
            code = main(["score", RUBRIC, FILE_934, "--format", "xml"], stdout=out, stderr=err)
        except SystemExit as stopped:
            code = -1 if stopped.code is None else int(stopped.code)
        assert code == EXIT_USAGE
        assert "usage: htx-rules" in err.getvalue()
        assert "--format" in err.getvalue()


class TestVersion:
    """``--version`` prints the package version."""

    def test_version_subprocess(self) -> None:
        """``htx-rules --version`` prints "htx-rules <version>" and exits 0."""
        result = run_command([sys.executable, "-m", "htx_rules", "--version"])
        assert result == CliRun(EXIT_OK, f"htx-rules {htx_rules.__version__}\n", "")

    def test_version_matches_the_package_metadata(self) -> None:
        """The version printed is the installed distribution's version."""
        from importlib.metadata import version

        assert htx_rules.__version__ == version("htx-rules")

    def test_version_in_process(self) -> None:
        """``main(["--version"])`` returns 0 and writes the version to the stdout given."""
        out = io.StringIO()
        try:
            code = main(["--version"], stdout=out, stderr=io.StringIO())
        except SystemExit as stopped:
            code = -1 if stopped.code is None else int(stopped.code)
        assert code == EXIT_OK
        assert out.getvalue() == f"htx-rules {htx_rules.__version__}\n"


class TestInstalledCommand:
    """The console script installed by ``uv run`` behaves like ``main``."""

    def test_console_script_scores_the_examples(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``htx-rules score`` as a subprocess prints exactly what ``main`` prints, exit 0."""
        script = console_script()
        if script is None:
            pytest.skip("the htx-rules console script is not installed in this environment")
        done = run_command([script, "score", RUBRIC, EXAMPLES + "/"])
        monkeypatch.chdir(ROOT)
        assert done == run("score", RUBRIC, EXAMPLES + "/")
        assert done.code == EXIT_OK
        assert "TỔNG HỢP" in done.out

    def test_module_exit_codes(self, tmp_path: Path) -> None:
        """``python -m htx_rules`` exits 1, 2 and 3 for bad evidence, rubric and paths."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"htx_moi": 1.5}', encoding="utf-8")
        rubric = tmp_path / "bad.rules"
        rubric.write_text(UNKNOWN_FIELD_RUBRIC, encoding="utf-8")
        python = [sys.executable, "-m", "htx_rules", "score"]
        assert run_command([*python, RUBRIC, str(bad)]).code == EXIT_EVIDENCE
        assert run_command([*python, str(rubric), FILE_934]).code == EXIT_RUBRIC
        assert run_command([*python, RUBRIC, "nope.json"]).code == EXIT_USAGE

    def test_bad_option_subprocess(self) -> None:
        """A bad option exits 3 with the usage on stderr and nothing on stdout."""
        result = run_command(
            [sys.executable, "-m", "htx_rules", "score", RUBRIC, FILE_934, "--format", "xml"]
        )
        assert result.code == EXIT_USAGE
        assert result.out == ""
        assert result.err.startswith("usage: htx-rules score")
        assert "invalid choice: 'xml'" in result.err

    def test_missing_evidence_subprocess(self) -> None:
        """A missing file exits 3 with its name on stderr."""
        result = run_command([sys.executable, "-m", "htx_rules", "score", RUBRIC, "nope.json"])
        assert result.code == EXIT_USAGE
        assert "'nope.json'" in result.err

    def test_strict_subprocess(self) -> None:
        """``--strict`` on 933 exits 1 from the installed command too."""
        result = run_command(
            [sys.executable, "-m", "htx_rules", "score", RUBRIC, FILE_933, "--strict"]
        )
        assert result.code == EXIT_EVIDENCE
        assert "chi_tieu_tht" in result.err
