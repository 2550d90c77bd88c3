"""Rubric tests written by rubric authors: the tests file, running, coverage, mutants.

The shipped ``rubrics/2021.tests`` is run here as CI runs it (``htx-rules test
rubrics/``): every case passes, every branch is reached and every mutant is
killed or explained.  The other tests use a small rubric.
"""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules.checker import all_items
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, EXIT_RUBRIC, EXIT_USAGE, main
from htx_rules.evaluator import Program
from htx_rules.rubric_tests import _reached, measure_coverage, mutation_test, rubric_branches
from tests.conftest import ROOT, RUBRIC_2021
from tests.strategies import evidence_for, rubric_texts

TESTS_2021 = ROOT / "rubrics" / "2021.tests"

SMALL = """\
rubric thu "Bảng điểm thử"
  year 2021
  total 10
  deadline 2021-12-20
  step 0.5

evidence
  co     yes/no   "Có quyết định"
  ty_le  percent  "Tỷ lệ HTX báo cáo"
  so     count    "Số HTX" unit "HTX"
  nop    date     "Ngày nộp"

part I "Phần một" max 10
  criterion I.1 "Có quyết định" max 3
    3 if co
  criterion I.2 "Tỷ lệ báo cáo" max 4
    by ty_le
      >= 50% -> 4
      otherwise -> 0
  criterion I.3 "Mỗi HTX 1 điểm" max 3
    1 per so, at most 3

deduction "Điểm trừ" max 2
  rule D1 "Nộp sau hạn" max 2
    2 if nop > deadline
"""

BASE = """\
[mac_dinh.minh_chung]
co = true
ty_le = 60
so = 2
nop = 2021-12-01
"""


@pytest.fixture(scope="module")
def small() -> htx_rules.Rubric:
    """The small rubric of these tests."""
    return htx_rules.loads(SMALL, "thu.rules")


@pytest.fixture(scope="module")
def shipped(rubric_2021: htx_rules.Rubric) -> htx_rules.RubricTestResult:
    """The shipped tests of 2021, run with coverage and mutation testing (once)."""
    tests = htx_rules.parse_rubric_tests(
        TESTS_2021.read_text(encoding="utf-8"), rubric_2021, "rubrics/2021.tests"
    )
    return htx_rules.run_rubric_tests(rubric_2021, tests, coverage=True, mutate=True)


def _parse(rubric: htx_rules.Rubric, text: str) -> htx_rules.RubricTests:
    return htx_rules.parse_rubric_tests(text, rubric, "thu.tests")


def _problems(rubric: htx_rules.Rubric, text: str) -> list[tuple[str, str, str]]:
    """``(where, field, code)`` of every problem of a tests file."""
    with pytest.raises(htx_rules.RubricTestsError) as caught:
        _parse(rubric, text)
    return [(where, p.field, p.code) for where, p in caught.value.problems]


def _run(rubric: htx_rules.Rubric, text: str, **options: bool) -> htx_rules.RubricTestResult:
    return htx_rules.run_rubric_tests(rubric, _parse(rubric, text), **options)


# ---------------------------------------------------------------- the shipped tests


class TestShippedTests:
    """rubrics/2021.tests pins the 2021 rubric down."""

    def test_command_passes_in_ci(self) -> None:
        """``htx-rules test rubrics/`` (what CI runs) exits 0 and says every case passed."""
        out, err = io.StringIO(), io.StringIO()
        code = main(["test", str(ROOT / "rubrics")], stdout=out, stderr=err)
        assert code == EXIT_OK
        assert ", 0 ca sai" in out.getvalue()
        # The other shipped rubrics (2021 in Vietnamese keywords, the 2022 draft) are
        # named, not failed.
        assert err.getvalue().count("\n") <= 1
        assert err.getvalue().startswith("bảng điểm chưa có tệp kiểm thử: ") or not err.getvalue()
        assert str(ROOT / "rubrics" / "2021.rules") not in err.getvalue()

    def test_the_vietnamese_keyword_rubric_passes_too(self) -> None:
        """rubrics/2021.vi.rules (the same rubric in Vietnamese keywords) passes every
        case of 2021.tests and reaches every branch (``--tests`` names the file)."""
        out, err = io.StringIO(), io.StringIO()
        vietnamese = str(ROOT / "rubrics" / "2021.vi.rules")
        code = main(
            ["test", vietnamese, "--tests", str(TESTS_2021), "--coverage", "--strict"],
            stdout=out,
            stderr=err,
        )
        assert (code, err.getvalue()) == (EXIT_OK, "")
        assert "Mọi nhánh đều có ca tới." in out.getvalue()

    def test_every_case_passes(self, shipped: htx_rules.RubricTestResult) -> None:
        """No expectation of the shipped file fails."""
        assert [o.case.name for o in shipped.failed] == []
        assert len(shipped.outcomes) >= 150

    def test_every_item_is_expected_somewhere(
        self, shipped: htx_rules.RubricTestResult, rubric_2021: htx_rules.Rubric
    ) -> None:
        """Every criterion, sub-criterion, bonus and deduction rule, every part, the
        bonus, the deduction and the total are expected by some case."""
        expected = {e.key for case in shipped.tests.cases for e in case.expect}
        keys = {i.id for i in all_items(rubric_2021.model)} | {"I", "II", "III"}
        assert keys | {"total", "standard", "bonus", "deduction", "missing"} <= expected

    def test_every_branch_is_reached(self, shipped: htx_rules.RubricTestResult) -> None:
        """Coverage is complete: every arm, choice, cap, clamp and missing value."""
        assert shipped.coverage is not None
        assert [(b.item, b.key) for b in shipped.coverage.unreached] == []
        assert len(shipped.coverage.branches) > 100

    def test_no_mutant_survives(self, shipped: htx_rules.RubricTestResult) -> None:
        """Every mutant is killed, except those the file explains as equivalent,
        and every explanation is still needed."""
        report = shipped.mutation
        assert report is not None
        assert not report.skipped
        assert [o.mutant.id for o in report.survivors] == []
        assert report.with_status("stale") == ()
        assert {o.mutant.id for o in report.with_status("equivalent")} == set(
            shipped.tests.equivalent
        )
        assert len(report.with_status("killed")) > 200

    def test_an_equivalent_mutant_really_changes_nothing(
        self, shipped: htx_rules.RubricTestResult, rubric_2021: htx_rules.Rubric
    ) -> None:
        """The explained mutant of III.7 scores every case exactly as the rubric does
        (and a sweep of the two counts it reads)."""
        report = shipped.mutation
        assert report is not None
        (outcome,) = report.with_status("equivalent")
        program = Program(outcome.mutant.model, rubric_2021.source)
        original = Program(rubric_2021.model, rubric_2021.source)
        for stopped in range(4):
            for handled in range(5):
                values = {"htx_ngung_hoat_dong": stopped, "htx_ngung_da_xu_ly": handled}
                mutant_points = program.run(values, traced=False)[5]["III.7"]
                assert mutant_points == original.run(values, traced=False)[5]["III.7"]


# ---------------------------------------------------------------- the file


class TestTestsFile:
    """The format: base, cases, spellings, values."""

    def test_cases_extend_the_base(self, small: htx_rules.Rubric) -> None:
        """A case's evidence is the base's with its own on top, less what it leaves out."""
        tests = _parse(
            small,
            BASE
            + """
[[ca]]
ten = "một"
minh_chung = { so = 5 }
bo = ["nop"]
ky_vong = { "I.3" = 3 }

[[ca]]
ten = "hai"
bo = "*"
minh_chung = { co = false }
ky_vong = { "I.1" = 0 }
""",
        )
        first, second = tests.cases
        assert first.evidence == {"co": True, "ty_le": 60, "so": 5}
        assert second.evidence == {"co": False}
        assert (first.line, second.line) == (7, 13)

    def test_english_spellings_mean_the_same(self, small: htx_rules.Rubric) -> None:
        """``base``/``case``/``name``/``evidence``/``expect``/``total`` read like their
        Vietnamese spellings."""
        vietnamese = _parse(
            small,
            BASE
            + '[[ca]]\nten = "x"\nghi_chu = "n"\nminh_chung = { so = 1 }\n'
            + 'ky_vong = { tong_diem = 8, diem_tru = 0, "I.3" = 1 }\n',
        )
        english = _parse(
            small,
            BASE.replace("mac_dinh.minh_chung", "base.evidence")
            + '[[case]]\nname = "x"\nnote = "n"\nevidence = { so = 1 }\n'
            + 'expect = { total = 8, deduction = 0, "I.3" = 1 }\n',
        )
        assert [(c.name, c.note, c.evidence) for c in english.cases] == [
            (c.name, c.note, c.evidence) for c in vietnamese.cases
        ]
        assert [(e.key, e.points) for e in english.cases[0].expect] == [
            (e.key, e.points) for e in vietnamese.cases[0].expect
        ]

    def test_points_are_exact(self, small: htx_rules.Rubric) -> None:
        """Expected points are Decimals, read exactly; a decimal comma in quotes works."""
        tests = _parse(
            small,
            BASE + '[[ca]]\nten = "x"\nky_vong = { "I.1" = 3.0, "I.2" = "4", "I.3" = "1,5" }\n',
        )
        points = [e.points for e in tests.cases[0].expect]
        assert points == [Decimal(3), Decimal(4), Decimal("1.5")]
        assert all(type(p) is Decimal for p in points)

    def test_bare_number_assessment(self, rubric_2021: htx_rules.Rubric) -> None:
        """An assessment given as a number is the reviewer's points, justified by the case."""
        tests = htx_rules.parse_rubric_tests(
            '[[ca]]\nten = "đánh giá"\ndanh_gia = { "I.9.c" = 2.5 }\nky_vong = { "I.9.c" = 2.5 }\n',
            rubric_2021,
        )
        assert tests.cases[0].assessments == {
            "I.9.c": {
                "points": Decimal("2.5"),
                "reviewer": "htx-rules test",
                "justification": "đánh giá",
            }
        }
        assert htx_rules.run_rubric_tests(rubric_2021, tests).ok

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("ca = [", [("thu.tests", "", "tests-toml")]),
            (
                "tieu_de = 1\n",
                [
                    ("thu.tests:1", "tieu_de", "tests-unknown-top-key"),
                    ("thu.tests", "ca", "tests-no-cases"),
                ],
            ),
            ("", [("thu.tests", "ca", "tests-no-cases")]),
            (
                '[[ca]]\nten = "x"\nky_vonq = { "I.1" = 3 }\n',
                [
                    ("thu.tests:3", "ky_vonq", "tests-unknown-key"),
                    ("thu.tests:1", "x", "tests-no-expect"),
                ],
            ),
            (
                '[[ca]]\nten = "x"\nname = "y"\nky_vong = { "I.1" = 3 }\n',
                [("thu.tests:3", "name", "tests-both-spellings")],
            ),
            ('[[ca]]\nky_vong = { "I.1" = 3 }\n', [("thu.tests:1", "ten", "tests-no-name")]),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = 3 }\n' * 2,
                [("thu.tests:4", "x", "tests-duplicate-name")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.4" = 3 }\n',
                [("thu.tests:3", "I.4", "tests-unknown-item")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = 3.5 }\n',
                [("thu.tests:3", "I.1", "tests-expect-over-max")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { diem_tru = -2 }\n',
                [("thu.tests:3", "diem_tru", "tests-expect-negative")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = 1.005 }\n',
                [("thu.tests:3", "I.1", "tests-expect-off-grid")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = "ba" }\n',
                [("thu.tests:3", "I.1", "tests-expect-number")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = true }\n',
                [("thu.tests:3", "I.1", "tests-expect-number")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { thieu = "so" }\n',
                [("thu.tests:3", "thieu", "tests-missing-list")],
            ),
            (
                '[[ca]]\nten = "x"\nbo = 3\nky_vong = { "I.1" = 0 }\n',
                [("thu.tests:3", "bo", "tests-omit")],
            ),
            (
                '[[ca]]\nten = "x"\nbo = ["sô"]\nky_vong = { "I.1" = 0 }\n',
                [("thu.tests:3", "sô", "evidence-unknown-field")],
            ),
            (
                '[[ca]]\nten = "x"\nminh_chung = 3\nky_vong = { "I.1" = 0 }\n',
                [("thu.tests:3", "minh_chung", "tests-not-table")],
            ),
            (
                'bang_diem = "khac"\n[[ca]]\nten = "x"\nky_vong = { "I.1" = 0 }\n',
                [("thu.tests:1", "bang_diem", "tests-rubric-mismatch")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = 0 }\n'
                + '[tuong_duong]\n"I.2/arm1/bound" = "v"\n',
                [("thu.tests:5", "I.2/arm1/bound", "tests-unknown-mutant")],
            ),
            (
                '[[ca]]\nten = "x"\nky_vong = { "I.1" = 0 }\n[tuong_duong]\n"I.2/arm1/op" = " "\n',
                [("thu.tests:5", "I.2/arm1/op", "tests-equivalent-reason")],
            ),
        ],
    )
    def test_problem(
        self, small: htx_rules.Rubric, text: str, expected: list[tuple[str, str, str]]
    ) -> None:
        """Each mistake is reported with the file, the line and the key."""
        assert _problems(small, text) == expected

    def test_evidence_problems_name_their_line(self, small: htx_rules.Rubric) -> None:
        """A wrong value is reported at its line; one in the base once, at the base."""
        text = (
            BASE.replace("so = 2", 'so = "2"')
            + '\n[[ca]]\nten = "a"\nminh_chung = { ty_le = 120 }\nky_vong = { "I.1" = 3 }\n'
            + '\n[[ca]]\nten = "b"\nminh_chung = { so = 1 }\nky_vong = { "I.1" = 3 }\n'
        )
        assert _problems(small, text) == [
            ("thu.tests:4", "so", "evidence-wrong-type"),
            ("thu.tests:9", "ty_le", "evidence-percent-range"),
        ]

    def test_unknown_contestant(self, rubric_2021: htx_rules.Rubric) -> None:
        """A case for a unit the rubric does not list is refused."""
        text = '[[ca]]\nten = "x"\ndon_vi = "999"\nky_vong = { tong_diem = 0 }\n'
        assert _problems(rubric_2021, text) == [("thu.tests:3", "don_vi", "unknown-contestant")]

    def test_error_renders_in_both_languages(self, small: htx_rules.Rubric) -> None:
        """The error names the file and count, then each problem with file:line."""
        with pytest.raises(htx_rules.RubricTestsError) as caught:
            _parse(small, '[[ca]]\nten = "x"\nky_vong = { "I.1" = 4 }\n')
        assert caught.value.render("vi").splitlines() == [
            "tệp kiểm thử thu.tests có 1 lỗi",
            "  - thu.tests:3: 'I.1': điểm kỳ vọng 4 vượt điểm tối đa 3",
        ]
        assert caught.value.render("en").splitlines()[1] == (
            "  - thu.tests:3: 'I.1': the expected 4 is above the maximum of 3"
        )
        assert caught.value.codes == ("tests-expect-over-max",)
        assert isinstance(caught.value, htx_rules.HtxRulesError)


# ---------------------------------------------------------------- running


class TestRunning:
    """Expected against actual points, exactly, with the trace of what differs."""

    def test_failure_shows_expected_actual_and_trace(self, small: htx_rules.Rubric) -> None:
        """A wrong expectation gives the points expected and scored, the line of the
        expectation, and the explanation of that criterion with its rubric line."""
        result = _run(
            small,
            BASE + '[[ca]]\nten = "ngưỡng"\nminh_chung = { ty_le = 49 }\nky_vong = { "I.2" = 4 }\n',
        )
        (outcome,) = result.failed
        (failure,) = outcome.failures
        assert (failure.expectation.points, failure.actual) == (Decimal(4), Decimal(0))
        text = htx_rules.rubric_tests_text(result, "vi")
        assert text.splitlines()[1:4] == [
            "SAI thu.tests:6 «ngưỡng»",
            "  I.2: cần 4, được 0 (kỳ vọng ở dòng 9)",
            "    0 / 4: Tỷ lệ HTX báo cáo 49%: không khớp dòng nào ở trên [ty_le = 49%] (dòng 19)",
        ]
        assert text.splitlines()[-1] == "0 ca đạt, 1 ca sai"
        assert "I.2: expected 4, got 0 (expected on line 9)" in htx_rules.rubric_tests_text(
            result, "en"
        )

    def test_total_failure_shows_the_sum(self, small: htx_rules.Rubric) -> None:
        """A wrong total shows standard + bonus − deduction and each part."""
        result = _run(
            small,
            BASE
            + '[[ca]]\nten = "muộn"\nminh_chung = { nop = 2021-12-21 }\n'
            + "ky_vong = { tong_diem = 9 }\n",
        )
        lines = htx_rules.rubric_tests_text(result, "vi").splitlines()
        assert lines[2:6] == [
            "  tổng điểm: cần 9, được 7 (kỳ vọng ở dòng 9)",
            "    Tổng: 9 + 0 − 2 = 7",
            "      I 9 / 10",
            "      điểm trừ 2 / 2",
        ]

    def test_points_compare_as_numbers(self, small: htx_rules.Rubric) -> None:
        """3 and 3.00 are the same points; 2.99 is not."""
        ok = _run(small, BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 3.00 }\n')
        wrong = _run(small, BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 2.99 }\n')
        assert ok.ok
        assert not wrong.ok

    def test_missing_expectation(self, small: htx_rules.Rubric) -> None:
        """``thieu`` compares the missing fields as a set and names the difference."""
        passing = _run(
            small,
            BASE + '[[ca]]\nten = "a"\nbo = ["so", "nop"]\nky_vong = { thieu = ["nop", "so"] }\n',
        )
        failing = _run(
            small, BASE + '[[ca]]\nten = "a"\nbo = ["so"]\nky_vong = { thieu = ["nop"] }\n'
        )
        assert passing.ok
        assert "thiếu minh chứng khác kỳ vọng — thiếu thêm: so; không thiếu: nop" in (
            htx_rules.rubric_tests_text(failing, "vi")
        )

    def test_json_document(self, small: htx_rules.Rubric) -> None:
        """The JSON form holds every case, the failures with decimals as strings."""
        result = _run(
            small,
            BASE
            + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 3 }\n'
            + '[[ca]]\nten = "b"\nky_vong = { "I.3" = 3 }\n',
            coverage=True,
        )
        document = htx_rules.rubric_tests_document([result], "en")
        assert document["format"] == "htx-rules.tests"
        (rubric,) = document["rubrics"]
        assert (rubric["passed"], rubric["failed"]) == (1, 1)
        failure = rubric["cases"][1]["failures"][0]
        assert (failure["key"], failure["expected"], failure["actual"]) == ("I.3", "3", "2")
        assert rubric["coverage"]["total"] == len(rubric["coverage"]["branches"])
        json.dumps(document)

    def test_json_follows_the_schema(
        self, small: htx_rules.Rubric, shipped: htx_rules.RubricTestResult
    ) -> None:
        """The documents, with failures of both kinds, coverage and mutants, follow
        ``$defs/tests`` of the project's JSON Schema; a wrong one does not."""
        schema = json.loads((ROOT / "docs" / "schema" / "htx-rules.schema.json").read_text("utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        failing = _run(
            small,
            BASE + '[[ca]]\nten = "a"\nbo = ["so"]\nky_vong = { "I.1" = 0, thieu = [] }\n',
            coverage=True,
            mutate=True,
        )
        for document in (
            htx_rules.rubric_tests_document([failing, shipped], "vi"),
            htx_rules.rubric_tests_document([], "en"),
        ):
            assert list(validator.iter_errors(json.loads(json.dumps(document)))) == []
        wrong = htx_rules.rubric_tests_document([failing], "vi")
        wrong["rubrics"][0]["cases"][0]["failures"][0]["expected"] = 0.5
        assert list(validator.iter_errors(json.loads(json.dumps(wrong))))


class TestDocumentedExample:
    """The example of docs/rubric-tests.md is a tests file that passes."""

    def test_example_passes(self) -> None:
        """Its rubric and tests file, read from the page, pass; coverage names the one
        branch it leaves unreached."""
        page = (ROOT / "docs" / "rubric-tests.md").read_text(encoding="utf-8")
        toml = page.split("```toml\n", 1)[1].split("```", 1)[0]
        rules = page.split("```rules\n", 1)[1].split("```", 1)[0]
        rubric = htx_rules.loads(rules, "thu.rules")
        result = _run(rubric, toml, coverage=True, mutate=True)
        assert result.ok
        assert result.coverage is not None
        assert [(b.item, b.key) for b in result.coverage.unreached] == [("I.1", "false")]
        assert result.mutation is not None
        assert result.mutation.survivors == ()


# ---------------------------------------------------------------- coverage


class TestCoverage:
    """Which branches the cases reach, from their traces."""

    def test_small_rubric_branches(self, small: htx_rules.Rubric) -> None:
        """Every way each rule can go is listed, with its rubric line."""
        branches = [(b.item, b.key, b.line) for b in rubric_branches(small)]
        assert branches == [
            ("I.1", "missing", 15),
            ("I.1", "true", 15),
            ("I.1", "false", 15),
            ("I.2", "missing", 17),
            ("I.2", "arm1", 18),
            ("I.2", "arm2", 19),
            ("I.3", "missing", 21),
            ("I.3", "cap-binds", 21),
            ("I.3", "cap-free", 21),
            ("D1", "missing", 25),
            ("D1", "true", 25),
            ("D1", "false", 25),
            ("total", "clamp-min", 1),
        ]

    def test_unreached_branch_is_listed_until_a_case_reaches_it(
        self, small: htx_rules.Rubric
    ) -> None:
        """The base case leaves the cap of I.3 unreached; a case with 4 HTX reaches it."""
        base_case = BASE + '[[ca]]\nten = "mẫu"\nky_vong = { "I.3" = 2 }\n'
        before = _run(small, base_case, coverage=True).coverage
        assert before is not None
        assert ("I.3", "cap-binds") in {(b.item, b.key) for b in before.unreached}
        text = "\n".join(
            htx_rules.rubric_tests_text(_run(small, base_case, coverage=True)).splitlines()
        )
        assert "I.3 (dòng 21): chạm mức tối đa 3" in text
        after = _run(
            small,
            base_case + '[[ca]]\nten = "4 HTX"\nminh_chung = { so = 4 }\nky_vong = { "I.3" = 3 }\n',
            coverage=True,
        ).coverage
        assert after is not None
        cap = next(b for b in after.branches if (b.item, b.key) == ("I.3", "cap-binds"))
        assert cap.cases == ("4 HTX",)
        assert after.reached == before.reached + 1

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_every_reached_branch_is_known(self, data: st.DataObject) -> None:
        """For random rubrics and evidence, whatever a trace goes through is one of
        the rubric's listed branches (the list is the whole denominator)."""
        rubric = htx_rules.loads(data.draw(rubric_texts(), label="rubric"))
        branches = rubric_branches(rubric)
        known = {(b.item, b.key) for b in branches}
        capped = frozenset(b.item for b in branches if b.kind == "cap-binds")
        for _ in range(3):
            result = rubric.score(data.draw(evidence_for(rubric), label="evidence"))
            assert result.trace is not None
            assert set(_reached(result.trace, capped)) <= known


# ---------------------------------------------------------------- mutants


class TestMutants:
    """Mutants are small, named changes; the cases kill them or they are listed."""

    def test_a_threshold_tested_only_inside_leaves_survivors(self, small: htx_rules.Rubric) -> None:
        """Testing 60% only cannot tell ``>= 50%`` from ``> 50%`` or 49% from 51%;
        cases at 50% and 49% kill those mutants."""
        inside = BASE + '[[ca]]\nten = "60%"\nky_vong = { "I.2" = 4 }\n'
        report = _run(small, inside, mutate=True).mutation
        assert report is not None
        survivors = {o.mutant.id for o in report.survivors}
        assert {"I.2/arm1/op", "I.2/arm1/bound-", "I.2/arm1/bound+"} <= survivors
        edges = (
            inside
            + '[[ca]]\nten = "50%"\nminh_chung = { ty_le = 50 }\nky_vong = { "I.2" = 4 }\n'
            + '[[ca]]\nten = "49%"\nminh_chung = { ty_le = 49 }\nky_vong = { "I.2" = 0 }\n'
        )
        report = _run(small, edges, mutate=True).mutation
        assert report is not None
        killed = {o.mutant.id: o.killed_by for o in report.outcomes}
        assert killed["I.2/arm1/op"] == "50%"
        assert killed["I.2/arm1/bound+"] == "50%"
        assert killed["I.2/arm1/bound-"] == "49%"

    def test_survivors_are_listed_with_line_and_change(self, small: htx_rules.Rubric) -> None:
        """The report names each surviving mutant, its rubric line and the change."""
        result = _run(small, BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 3 }\n', mutate=True)
        text = htx_rules.rubric_tests_text(result, "vi")
        assert "  I.2/arm1/bound+ (dòng 18): ngưỡng 50% thành 51%" in text
        assert "  D1/if/bound- (dòng 25): ngưỡng 20/12/2021 thành 19/12/2021" in text
        english = htx_rules.rubric_tests_text(result, "en")
        assert "  I.3/cap- (line 21): cap (at most) 3 becomes 2.5" in english

    def test_mutants_of_the_small_rubric(self, small: htx_rules.Rubric) -> None:
        """Points move by the header's step, bounds by one unit of what is written;
        changes the clamp would undo are not made."""
        mutants = {
            m.id: (m.old.rubric_text(), m.new.rubric_text())
            for m in htx_rules.generate_mutants(small)
        }
        assert mutants == {
            "I.1/if/not": ("co", "not co"),
            "I.1/then/points-": ("3", "2.5"),
            "I.1/max-": ("3", "2.5"),
            "I.2/arm1/op": ("≥ 50%", "> 50%"),
            "I.2/arm1/bound+": ("50%", "51%"),
            "I.2/arm1/bound-": ("50%", "49%"),
            "I.2/arm1/points-": ("4", "3.5"),
            "I.2/arm2/points+": ("0", "0.5"),
            "I.2/max-": ("4", "3.5"),
            "I.3/rate+": ("1", "1.5"),
            "I.3/rate-": ("1", "0.5"),
            "I.3/cap-": ("3", "2.5"),
            "I.3/max-": ("3", "2.5"),
            "D1/if/op": ("nop > deadline", "nop ≥ deadline"),
            "D1/if/bound+": ("2021-12-20", "2021-12-21"),
            "D1/if/bound-": ("2021-12-20", "2021-12-19"),
            "D1/if/not": ("nop > deadline", "not nop > deadline"),
            "D1/then/points-": ("2", "1.5"),
            "D1/max-": ("2", "1.5"),
            "deduction/max-": ("2", "1.5"),
        }

    def test_every_mutant_changes_the_model(self, rubric_2021: htx_rules.Rubric) -> None:
        """Ids are unique; each mutant's model differs from the rubric's, in one item."""
        mutants = htx_rules.generate_mutants(rubric_2021)
        assert len({m.id for m in mutants}) == len(mutants)
        items = {i.id: i for i in all_items(rubric_2021.model)}
        for mutant in mutants:
            assert mutant.model != rubric_2021.model
            changed = [
                i.id for i in all_items(mutant.model) if i.scoring is not None and i != items[i.id]
            ]
            assert changed == ([] if mutant.item in ("bonus", "deduction") else [mutant.item])

    def test_stale_explanation_is_reported(self, small: htx_rules.Rubric) -> None:
        """A mutant explained as equivalent that a case kills is reported as stale."""
        text = (
            BASE
            + '[[ca]]\nten = "50%"\nminh_chung = { ty_le = 50 }\nky_vong = { "I.2" = 4 }\n'
            + '[tuong_duong]\n"I.2/arm1/op" = "tưởng là tương đương"\n'
        )
        result = _run(small, text, mutate=True)
        assert result.mutation is not None
        (stale,) = result.mutation.with_status("stale")
        assert stale.mutant.id == "I.2/arm1/op"
        assert "I.2/arm1/op: ghi trong [tuong_duong] nhưng ca «50%» đã phát hiện" in (
            htx_rules.rubric_tests_text(result, "vi")
        )

    def test_skipped_while_a_case_fails(self, small: htx_rules.Rubric) -> None:
        """Mutation testing needs every case to pass first."""
        result = _run(small, BASE + '[[ca]]\nten = "sai"\nky_vong = { "I.1" = 0 }\n', mutate=True)
        assert result.mutation is not None
        assert result.mutation.skipped
        assert "Không kiểm thử đột biến vì còn ca sai." in htx_rules.rubric_tests_text(result)

    def test_mutation_test_function(self, small: htx_rules.Rubric) -> None:
        """``mutation_test`` runs the cases itself when not given their outcomes."""
        tests = _parse(small, BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 3 }\n')
        report = mutation_test(small, tests)
        killed = {o.mutant.id for o in report.with_status("killed")}
        assert killed == {"I.1/if/not", "I.1/then/points-", "I.1/max-"}
        assert measure_coverage(small, htx_rules.run_rubric_tests(small, tests).outcomes).reached


# ---------------------------------------------------------------- command line


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["test", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class TestCommand:
    """``htx-rules test``: files, folders, formats and exit codes."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """A folder with the small rubric and a passing tests file beside it."""
        (tmp_path / "thu.rules").write_text(SMALL, encoding="utf-8")
        (tmp_path / "thu.tests").write_text(
            BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 3 }\n', encoding="utf-8"
        )
        return tmp_path

    def test_rubric_file(self, folder: Path) -> None:
        """A .rules file runs the .tests file beside it."""
        code, out, err = _cli(str(folder / "thu.rules"), "--lang", "en")
        assert (code, err) == (EXIT_OK, "")
        assert out.splitlines()[-1] == "1 passed, 0 failed"

    def test_folder_names_rubrics_without_tests(self, folder: Path) -> None:
        """In a folder, a rubric without tests is named on standard error, not failed."""
        shutil.copy(RUBRIC_2021, folder / "khac.rules")
        code, _, err = _cli(str(folder))
        assert code == EXIT_OK
        assert err.strip() == f"bảng điểm chưa có tệp kiểm thử: {folder / 'khac.rules'}"

    def test_no_tests_file(self, folder: Path) -> None:
        """A rubric without a tests file, or a folder without tested rubrics, is exit 3."""
        (folder / "thu.tests").unlink()
        code, _, err = _cli(str(folder / "thu.rules"))
        assert code == EXIT_USAGE
        assert "không có tệp kiểm thử" in err
        assert _cli(str(folder))[0] == EXIT_USAGE
        assert _cli(str(folder / "khong-co.rules"))[0] == EXIT_USAGE
        assert _cli(str(folder), "--tests", str(TESTS_2021))[0] == EXIT_USAGE

    def test_failing_case_and_bad_file_exit_1(self, folder: Path) -> None:
        """A failing case and a wrong tests file both exit 1."""
        (folder / "thu.tests").write_text(
            BASE + '[[ca]]\nten = "a"\nky_vong = { "I.1" = 0 }\n', encoding="utf-8"
        )
        assert _cli(str(folder))[0] == EXIT_EVIDENCE
        (folder / "thu.tests").write_text("[[ca]]\nten = 1\n", encoding="utf-8")
        code, out, err = _cli(str(folder))
        assert (code, out) == (EXIT_EVIDENCE, "")
        assert f"{folder / 'thu.tests'}:2: 'ten' phải là văn bản" in err

    def test_a_wrong_file_does_not_stop_the_others(self, folder: Path) -> None:
        """In a folder, a wrong tests file is reported and the other rubrics still run;
        naming the tests file instead of the rubric works too."""
        shutil.copy(RUBRIC_2021, folder / "a.rules")
        (folder / "a.tests").write_text("[[ca]]\nten = 1\n", encoding="utf-8")
        code, out, err = _cli(str(folder))
        assert code == EXIT_EVIDENCE
        assert f"{folder / 'a.tests'}:2:" in err
        assert out.splitlines()[-1] == "1 ca đạt, 0 ca sai"
        assert _cli(str(folder / "thu.tests"))[0] == EXIT_OK

    def test_bad_rubric_exit_2(self, folder: Path) -> None:
        """A rubric that does not compile exits 2, as for every command."""
        (folder / "thu.rules").write_text(SMALL.replace("3 if co", "3 if coo"), encoding="utf-8")
        assert _cli(str(folder))[0] == EXIT_RUBRIC

    def test_strict(self, folder: Path) -> None:
        """With --strict, unreached branches and surviving mutants fail the run."""
        assert _cli(str(folder), "--coverage", "--mutate")[0] == EXIT_OK
        code, out, _ = _cli(str(folder), "--coverage", "--mutate", "--strict")
        assert code == EXIT_EVIDENCE
        assert "Nhánh chưa ca nào tới:" in out
        assert "Đột biến không ca nào phát hiện" in out

    def test_json(self, folder: Path) -> None:
        """--format json prints one document for every rubric tested."""
        code, out, _ = _cli(str(folder), "--format", "json", "--coverage", "--mutate")
        document = json.loads(out)
        assert code == EXIT_OK
        assert [r["rubric"]["id"] for r in document["rubrics"]] == ["thu"]
        statuses = {m["status"] for m in document["rubrics"][0]["mutation"]["mutants"]}
        assert statuses == {"killed", "survived"}
