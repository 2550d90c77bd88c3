"""``htx-rules check``: compile errors, warnings and notes, the API and the command.

Every warning code has a small rubric that triggers it (code, line and column
asserted, the position found from the text) and a close variant that does not.
The properties hold the warnings to what scoring does: a maximum called
unreachable is never passed, a cap called idle never binds, an arm called dead
is never taken, and a rule with no note never needs its clamp.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import model as m
from htx_rules.checker import SectionWord, all_items, fields_read
from htx_rules.cli import EXIT_OK, EXIT_RUBRIC, EXIT_USAGE, EXIT_WARNINGS, main
from htx_rules.errors import Diagnostic
from htx_rules.lint import CheckReport, check, check_bytes, check_file, check_to_dict
from htx_rules.messages import CATALOG
from htx_rules.result import TraceNode
from tests.conftest import ROOT, RUBRIC_2021
from tests.strategies import evidence_for, mutations_of, rubric_texts

SCHEMA = json.loads(
    (ROOT / "docs" / "schema" / "htx-rules-check.schema.json").read_text(encoding="utf-8")
)

EVIDENCE = """
  a yes/no "Có quyết định"
  b yes/no "Có quy chế"
  n count "Số hội nghị" to 10
  k count "Số tin bài"
  p percent "Tỷ lệ HTX khá"
  d date "Ngày nộp"
  c one of x, y "Báo cáo"
"""


def rubric(
    criteria: str,
    *,
    maximum: str,
    header: str = "",
    evidence: str = EVIDENCE,
    tail: str = "",
    uses_all: bool = True,
) -> str:
    """A rubric with one part ``I`` worth ``maximum`` holding ``criteria``;
    with ``uses_all``, a last deduction rule reads every field above, so that
    ``field-unused`` stays out of the way of the case at hand."""
    readers = ""
    if uses_all:
        readers = textwrap.dedent("""
            deduction "Điểm trừ" max 1
              rule Z1 "Đọc mọi trường" max 0.5
                0.5 if a and b and n + k >= 1 and p >= 50% and d > deadline and c = x
              rule Z2 "Trừ thêm" max 0.75
                0.75 if not a
            """)
    return (
        'rubric r "Bảng thử"\n  year 2021\n  deadline 2021-12-20\n'
        f"  total {maximum}\n{header}"
        f"\nevidence{evidence}"
        f'\npart I "Phần một" max {maximum}\n'
        + textwrap.indent(textwrap.dedent(criteria).strip(), "  ")
        + "\n"
        + textwrap.dedent(tail)
        + readers
    )


def position(text: str, line_part: str, token: str) -> tuple[int, int]:
    """The line of the first line holding ``line_part``, and the column of
    ``token`` on it (1-based): where a diagnostic about that token points."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line_part in line:
            return number, line.index(token, line.index(line_part)) + 1
    raise AssertionError(f"{line_part!r} is not in the text")


def found(report: CheckReport, code: str) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.code == code]


# One entry per warning and note: code, severity, the rubric that triggers it,
# (the line part, the token) it points at, and the close variant that does not.
CASES: list[tuple[str, str, str, tuple[str, str], str]] = []


def case(code: str, severity: str, text: str, at: tuple[str, str], variant: str) -> None:
    CASES.append((code, severity, text, at, variant))


_LADDER = """
criterion I.1 "Tỷ lệ HTX khá" max 10
  by p
    >= 50% -> {top}
    otherwise -> 0
"""
case(
    "max-unreachable",
    "warning",
    rubric(_LADDER.format(top=8), maximum="10"),
    ('criterion I.1 "Tỷ lệ HTX khá" max 10', "10"),
    rubric(_LADDER.format(top=10), maximum="10"),
)
case(
    "total-unreachable",
    "warning",
    rubric(_LADDER.format(top=8), maximum="10"),
    ("total 10", "total"),
    rubric(_LADDER.format(top=10), maximum="10"),
)
case(
    "points-above-max",
    "warning",
    rubric('criterion I.1 "Quyết định" max 2\n  3 if a', maximum="2"),
    ("3 if a", "3"),
    rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2"),
)
case(
    "cap-never-binds",
    "warning",
    rubric('criterion I.1 "Hội nghị" max 3\n  0.5 per n, at most 6', maximum="3"),
    ("at most 6", "6"),
    rubric('criterion I.1 "Hội nghị" max 3\n  0.5 per n, at most 4', maximum="3"),
)
case(
    "cap-never-binds",
    "warning",
    rubric('criterion I.1 "Hội nghị" max 4\n  4 minus 0.25 per n, at most 3', maximum="4"),
    ("at most 3", "3"),
    rubric('criterion I.1 "Hội nghị" max 4\n  4 minus 0.5 per n, at most 3', maximum="4"),
)
case(
    "cap-above-max",
    "warning",
    rubric('criterion I.1 "Tin bài" max 2\n  0.5 per k, at most 3', maximum="2"),
    ("at most 3", "3"),
    rubric('criterion I.1 "Tin bài" max 2\n  0.5 per k, at most 2', maximum="2"),
)
_BONUS = """
bonus "Điểm cộng" max {cap}
  rule B1 "Mô hình" max 1
    1 if a
  rule B2 "Quy chế" max 1
    1 if b
"""
case(
    "section-cap-never-binds",
    "warning",
    rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2", tail=_BONUS.format(cap=2)),
    ('bonus "Điểm cộng" max 2', "2"),
    rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2", tail=_BONUS.format(cap=1)),
)
_NEVER = """
bonus "Điểm cộng" max 1
  rule B1 "Nhiều hội nghị" max 1
    1 if n {op} 10
  rule B2 "Quy chế" max 1
    1 if b
"""
case(
    "rule-never-fires",
    "warning",
    rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2", tail=_NEVER.format(op=">")),
    ("1 if n > 10", "1"),
    rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2", tail=_NEVER.format(op=">=")),
)
_THRESHOLDS = """
criterion I.1 "Tỷ lệ HTX khá" max 2
  by p
    {first} -> 2
    {second} -> 1
    otherwise -> 0
"""
case(
    "threshold-unreachable",
    "warning",
    rubric(_THRESHOLDS.format(first=">= 120%", second=">= 50%"), maximum="2"),
    (">= 120% -> 2", ">="),
    rubric(_THRESHOLDS.format(first=">= 100%", second=">= 50%"), maximum="2"),
)
case(
    "threshold-duplicate",
    "warning",
    rubric(_THRESHOLDS.format(first=">= 50%", second=">= 50%"), maximum="2"),
    (">= 50% -> 1", ">="),
    rubric(_THRESHOLDS.format(first=">= 50%", second=">= 40%"), maximum="2"),
)
case(
    "threshold-order",
    "warning",
    rubric(_THRESHOLDS.format(first=">= 50%", second=">= 80%"), maximum="2"),
    (">= 80% -> 1", ">="),
    rubric(_THRESHOLDS.format(first=">= 80%", second=">= 50%"), maximum="2"),
)
case(
    "otherwise-never-taken",
    "warning",
    rubric(_THRESHOLDS.format(first=">= 50%", second=">= 0%"), maximum="2"),
    ("otherwise -> 0", "otherwise"),
    rubric(_THRESHOLDS.format(first=">= 50%", second="> 0%"), maximum="2"),
)
case(
    "threshold-not-monotone",
    "warning",
    rubric(
        'criterion I.1 "Tỷ lệ HTX khá" max 3\n  by p\n    >= 80% -> 2\n'
        "    >= 50% -> 3\n    otherwise -> 0",
        maximum="3",
    ),
    (">= 50% -> 3", ">="),
    rubric(
        'criterion I.1 "Tỷ lệ HTX khá" max 3\n  by p\n    >= 80% -> 3\n'
        "    >= 50% -> 2\n    otherwise -> 0",
        maximum="3",
    ),
)
case(
    "condition-never-holds",
    "warning",
    rubric('criterion I.1 "Hội nghị" max 2\n  2 if n > 10 or p > 100%', maximum="2"),
    ("2 if n > 10", "n"),
    rubric('criterion I.1 "Hội nghị" max 2\n  2 if n > 10 or p >= 100%', maximum="2"),
)
case(
    "condition-never-holds",
    "warning",
    rubric(
        'criterion I.1 "Hội nghị" max 2\n  cases\n    n >= 11 -> 2\n    a -> 1\n    otherwise -> 0',
        maximum="2",
    ),
    ("n >= 11 -> 2", "n"),
    rubric(
        'criterion I.1 "Hội nghị" max 2\n  cases\n    n >= 10 -> 2\n    a -> 1\n    otherwise -> 0',
        maximum="2",
    ),
)
case(
    "condition-always-holds",
    "warning",
    rubric('criterion I.1 "Hội nghị" max 2\n  2 if n >= 0 and not (p > 100%)', maximum="2"),
    ("2 if n >= 0", "n"),
    rubric('criterion I.1 "Hội nghị" max 2\n  2 if n >= 1 and not (p > 100%)', maximum="2"),
)
case(
    "arm-after-always",
    "warning",
    rubric(
        'criterion I.1 "Hội nghị" max 2\n  cases\n    k >= 0 -> 2\n    otherwise -> 0',
        maximum="2",
    ),
    ("otherwise -> 0", "otherwise"),
    rubric(
        'criterion I.1 "Hội nghị" max 2\n  cases\n    k >= 1 -> 2\n    otherwise -> 0',
        maximum="2",
    ),
)
case(
    "field-unused",
    "warning",
    rubric(
        'criterion I.1 "Quyết định" max 2\n  2 if a',
        maximum="2",
        evidence=EVIDENCE + '  e date "Ngày nhận hồ sơ"\n',
    ),
    ('e date "Ngày nhận hồ sơ"', "e"),
    rubric(
        'criterion I.1 "Quyết định" max 2\n  2 if a',
        maximum="2",
        evidence=EVIDENCE + '  e date "Ngày nhận hồ sơ"\n',
        tail='\nawards\n  place 1 "Hạng Nhất" 1.000.000 đồng\n  ties earlier e\n',
    ),
)
case(
    "duplicate-label",
    "warning",
    rubric(
        'criterion I.1 "Quyết định  thành lập" max 1\n  1 if a\n'
        'criterion I.2 "quyết định thành lập" max 1\n  1 if b',
        maximum="2",
    ),
    ('criterion I.2 "quyết', '"'),
    rubric(
        'criterion I.1 "Quyết định thành lập" max 1\n  1 if a\n'
        'criterion I.2 "Quy chế hoạt động" max 1\n  1 if b',
        maximum="2",
    ),
)
case(
    "points-off-step",
    "warning",
    rubric('criterion I.1 "Tin bài" max 2\n  0.1 per k', maximum="2", header="  step 0.25\n"),
    ("0.1 per k", "0.1"),
    rubric('criterion I.1 "Tin bài" max 2\n  0.25 per k', maximum="2", header="  step 0.25\n"),
)
case(
    "points-off-step",
    "warning",
    rubric('criterion I.1 "Quyết định" max 1.1\n  1.1 if a', maximum="1.1", header="  step 0.25\n"),
    ('"Quyết định" max 1.1', "1.1"),
    rubric('criterion I.1 "Quyết định" max 1.1\n  1.1 if a', maximum="1.1"),
)
case(
    "clamped-to-max",
    "note",
    rubric('criterion I.1 "Tin bài" max 3\n  1 per k', maximum="3"),
    ("1 per k", "1"),
    rubric('criterion I.1 "Tin bài" max 3\n  1 per k, at most 3', maximum="3"),
)


def _case_id(entry: tuple[str, str, str, tuple[str, str], str]) -> str:
    return f"{entry[0]}@{entry[3][0][:16]}"


class TestEveryWarning:
    """Each warning and note fires where it should, and a close variant is clean of it."""

    def test_every_check_code_has_a_case(self) -> None:
        """No warning or note code of the catalog goes untested here."""
        codes = {c for c, *_ in CASES}
        lint_source = (ROOT / "htx_rules" / "lint.py").read_text(encoding="utf-8")
        emitted = {
            code
            for code in CATALOG
            if f'"{code}"' in lint_source and not code.startswith(("hint-", "check-"))
        }
        assert emitted <= codes, sorted(emitted - codes)

    @pytest.mark.parametrize("entry", CASES, ids=_case_id)
    def test_case_triggers_at_its_position(
        self, entry: tuple[str, str, str, tuple[str, str], str]
    ) -> None:
        """The rubric compiles and the code is reported, with its severity, at the token."""
        code, severity, text, (line_part, token), _variant = entry
        report = check(text, "thu.rules")
        assert report.compiled, report.render("en")
        line, column = position(text, line_part, token)
        hits = [(d.span.line, d.span.column) for d in found(report, code) if d.span]
        assert (line, column) in hits, report.render("en")
        assert {d.severity for d in found(report, code)} == {severity}
        diagnostic = found(report, code)[0]
        assert diagnostic.hint is not None
        assert diagnostic.hint_text("vi")
        assert diagnostic.span is not None
        assert diagnostic.span.file == "thu.rules"

    @pytest.mark.parametrize("entry", CASES, ids=_case_id)
    def test_close_variant_does_not_trigger(
        self, entry: tuple[str, str, str, tuple[str, str], str]
    ) -> None:
        """The variant compiles and the code is not reported."""
        code, _severity, _text, _at, variant = entry
        report = check(variant, "thu.rules")
        assert report.compiled, report.render("en")
        assert found(report, code) == [], report.render("en")

    def test_messages_render_in_both_languages(self) -> None:
        """Every diagnostic of every case renders in Vietnamese and English, with a hint."""
        for _code, _severity, text, _at, _variant in CASES:
            for diagnostic in check(text, "thu.rules").diagnostics:
                for lang in ("vi", "en"):
                    drawn = diagnostic.render(lang)  # type: ignore[arg-type]
                    assert "{" not in drawn
                    assert "thu.rules:" in drawn
                    assert ("gợi ý: " if lang == "vi" else "hint: ") in drawn

    def test_keywords_are_named_in_the_rubrics_language(self) -> None:
        """A rubric in Vietnamese keywords is told about 'tối đa 6', not 'at most 6'."""
        text = rubric('criterion I.1 "Hội nghị" max 3\n  0.5 per n, at most 6', maximum="3")
        vietnamese = htx_rules.format_rubric(text, keywords="vi")
        (english,) = found(check(text), "cap-never-binds")
        (translated,) = found(check(vietnamese), "cap-never-binds")
        assert "'at most 6'" in english.message("vi")
        assert "'tối đa 6'" in translated.message("vi")
        assert "'tối đa 6'" in translated.message("en")

    def test_a_rubric_with_no_step_is_not_checked_against_one(self) -> None:
        """Without ``step`` in the header, points are not checked against a step."""
        report = check(rubric('criterion I.1 "Tin bài" max 2\n  0.1 per k', maximum="2"))
        assert found(report, "points-off-step") == []

    def test_prizes_are_money_not_points(self) -> None:
        """A prize is not checked against the step; the award minimum is."""
        text = rubric(
            'criterion I.1 "Quyết định" max 2\n  2 if a',
            maximum="2",
            header="  step 0.25\n",
            tail='\nawards\n  place 1 "Hạng Nhất" 1.000.001 đồng\n  minimum 1.1\n',
        )
        report = check(text)
        assert [d.span.line for d in found(report, "points-off-step") if d.span] == [
            position(text, "minimum 1.1", "minimum")[0]
        ]

    def test_the_range_of_a_threshold_is_named(self) -> None:
        """An unreachable threshold says what values the subject can have."""
        text = rubric(_THRESHOLDS.format(first=">= 120%", second=">= 50%"), maximum="2")
        (diagnostic,) = found(check(text), "threshold-unreachable")
        assert diagnostic.message("vi") == (
            "ngưỡng này không bao giờ đạt: p chỉ có thể là từ 0% đến 100%"
        )
        assert (
            diagnostic.message("en") == "this threshold is never met: p can only be from 0% to 100%"
        )

    def test_a_count_ratio_is_bounded_by_its_fields(self) -> None:
        """A ratio of counts reaches what the fields' bounds allow and no more: a count
        declared ``to 10`` over a count (at least 1 when the ratio has a value) is at most
        1000%; nothing says the numerator is at most the denominator."""
        ladder = 'criterion I.1 "Tỷ lệ" max 2\n  by n / k\n    >= {bound} -> 2\n    otherwise -> 0'
        (diagnostic,) = found(
            check(rubric(ladder.format(bound="1200%"), maximum="2")), "threshold-unreachable"
        )
        assert diagnostic.message("en").endswith("n / k can only be from 0% to 1,000%")
        assert not found(
            check(rubric(ladder.format(bound="1000%"), maximum="2")), "threshold-unreachable"
        )

    def test_a_count_is_known_to_be_whole(self) -> None:
        """``= 0.5`` on a count never holds, and the message says why."""
        text = rubric(
            'criterion I.1 "Hội nghị" max 2\n  by n\n    = 0.5 -> 2\n    otherwise -> 0',
            maximum="2",
        )
        (diagnostic,) = found(check(text), "threshold-unreachable")
        assert "số nguyên từ 0 đến 10" in diagnostic.message("vi")

    def test_whole_steps_cover_a_count(self) -> None:
        """On a count, ``= 0``, ``= 1`` and ``>= 2`` leave nothing for ``otherwise``."""
        ladder = "by k\n    = 0 -> 2\n    = 1 -> 1\n    {last} -> 0\n    otherwise -> 0"
        covered = rubric(
            f'criterion I.1 "Tin bài" max 2\n  {ladder.format(last=">= 2")}', maximum="2"
        )
        gap = rubric(f'criterion I.1 "Tin bài" max 2\n  {ladder.format(last=">= 3")}', maximum="2")
        assert found(check(covered), "otherwise-never-taken")
        assert not found(check(gap), "otherwise-never-taken")

    def test_a_variable_bound_is_not_judged(self) -> None:
        """An arm whose bound depends on evidence is never called dead."""
        text = rubric(
            'criterion I.1 "Hội nghị" max 2\n  by n\n    >= k -> 2\n    >= k -> 1\n'
            "    otherwise -> 0",
            maximum="2",
        )
        report = check(text)
        assert not {"threshold-duplicate", "threshold-order"} & set(report.codes)

    def test_warnings_are_in_file_order(self) -> None:
        """Diagnostics come in the order of their positions."""
        text = rubric(
            'criterion I.1 "Quyết định" max 2\n  3 if a\ncriterion I.2 "Hội nghị" max 2\n'
            "  2 if n > 10",
            maximum="4",
            evidence=EVIDENCE + '  e date "Ngày nhận hồ sơ"\n',
        )
        spans = [(d.span.line, d.span.column) for d in check(text).diagnostics if d.span]
        assert len(spans) >= 4
        assert spans == sorted(spans)


class TestCompileErrors:
    """A rubric that does not compile reports all its compile errors, and nothing else."""

    def test_every_compile_error_is_listed(self) -> None:
        """Two meaning errors: both are errors of the report, which did not compile."""
        text = rubric(
            'criterion I.1 "Quyết định" max 2\n  2 if aa\ncriterion I.2 "Hội nghị" max 2\n'
            "  2 if nn > 1",
            maximum="3",
        )
        report = check(text, "sai.rules")
        assert not report.compiled
        with pytest.raises(htx_rules.RubricCompileError) as raised:
            htx_rules.loads(text, "sai.rules")
        assert report.codes == raised.value.codes
        assert {"unknown-field", "part-max-mismatch"} <= set(report.codes)
        assert report.errors == report.diagnostics
        assert report.warnings == ()

    def test_a_syntax_error(self) -> None:
        """A syntax error is the one error of the report."""
        report = check('rubric r "R"\n  year 2021\n  total 1\npart I "P" max 1 @\n')
        assert report.codes == ("syntax-character",)
        assert not report.compiled

    def test_an_empty_label_is_an_error(self) -> None:
        """A missing (blank) label is already a compile error, reported as such."""
        report = check(rubric('criterion I.1 "  " max 2\n  2 if a', maximum="2"))
        assert report.codes == ("empty-label",)

    def test_bytes_that_are_not_utf8(self) -> None:
        """Undecodable bytes give the not-utf8 error, with its position."""
        report = check_bytes(b'rubric r "R\xff"\n', "hong.rules")
        assert report.codes == ("not-utf8",)
        assert report.diagnostics[0].span is not None
        column = len(b'rubric r "R') + 1
        assert (report.diagnostics[0].span.line, report.diagnostics[0].span.column) == (1, column)

    def test_text_only(self) -> None:
        """check() takes text; a path object is refused with a pointer to check_file()."""
        with pytest.raises(TypeError, match="check_file"):
            check(RUBRIC_2021)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report() -> CheckReport:
    """The check of the shipped 2021 rubric."""
    return check_file(RUBRIC_2021)


class TestShippedRubric:
    """The 2021 rubric: no warning, and a note exactly where a rule can pass its maximum."""

    def test_it_compiles_without_warnings(self, report: CheckReport) -> None:
        assert report.compiled
        assert report.errors == ()
        assert report.warnings == ()
        assert report.file == str(RUBRIC_2021)
        assert report.sha256 == htx_rules.load(RUBRIC_2021).sha256

    def test_notes_are_the_rules_the_clamp_limits(
        self, report: CheckReport, rubric_2021: htx_rules.Rubric
    ) -> None:
        """A note is on an item exactly when some evidence makes the clamp to its
        maximum bind; found by scoring a grid of values, not by the analysis."""
        noted = {str(d.args["id"]) for d in report.notes}
        assert {d.code for d in report.notes} == {"clamped-to-max"}
        checked = 0
        for item in all_items(rubric_2021.model):
            if item.scoring is None or isinstance(item.scoring, m.Assessed):
                continue
            clamped = any(
                "max" in _adjustments(rubric_2021, evidence, item.id)
                for evidence in _grid(rubric_2021, item)
            )
            assert clamped == (item.id in noted), item.id
            checked += 1
        assert checked > 30
        assert len(noted) > 5

    def test_each_note_points_at_its_scoring_line(
        self, report: CheckReport, rubric_2021: htx_rules.Rubric
    ) -> None:
        items = {i.id: i for i in all_items(rubric_2021.model)}
        for note in report.notes:
            scoring = items[str(note.args["id"])].scoring
            assert scoring is not None
            assert note.span == scoring.span

    def test_the_rubric_in_vietnamese_keywords_gets_the_same_report(
        self, report: CheckReport
    ) -> None:
        """rubrics/2021.vi.rules, the same rubric in Vietnamese keywords: the same codes
        with the same arguments."""
        vietnamese = check_file(ROOT / "rubrics" / "2021.vi.rules")

        def summary(r: CheckReport) -> list[tuple[str, str, str]]:
            return [(d.code, d.severity, d.message("en")) for d in r.diagnostics]

        assert summary(vietnamese) == summary(report)

    def test_the_documented_output_is_what_check_prints(self, report: CheckReport) -> None:
        """docs/check.md quotes the summary line of the 2021 rubric."""
        summary = report.render("vi").splitlines()[-1]
        assert summary == f"{RUBRIC_2021}: 0 lỗi, 0 cảnh báo, {len(report.notes)} ghi chú"
        with contextlib.chdir(ROOT):
            relative = check_file("rubrics/2021.rules").render("vi").splitlines()[-1]
        assert relative in (ROOT / "docs" / "check.md").read_text(encoding="utf-8")


def _grid(rubric: htx_rules.Rubric, item: m.Criterion) -> list[dict[str, object]]:
    """Evidence for ``item``: every count or percent field it reads set to each of
    a few values (0, 1, 100, 1000 for counts; 0, 100 for percentages)."""
    assert item.scoring is not None
    fields = {f.name: f for f in rubric.fields}
    read = [n for n in fields_read(item.scoring) if fields[n].type in ("count", "percent")]
    choices = [
        [0, 1, 100, 1000]
        if fields[n].type == "count" and fields[n].maximum is None
        else [0, 100]
        if fields[n].type == "percent"
        else [0, 1, int(fields[n].maximum or 0)]
        for n in read
    ]
    return [dict(zip(read, values, strict=True)) for values in itertools.product(*choices)]


def _adjustments(rubric: htx_rules.Rubric, evidence: dict[str, object], item_id: str) -> set[str]:
    result = rubric.score(evidence)
    assert result.trace is not None
    node = result.trace.find(item_id)
    assert node is not None
    return {a.kind for a in node.adjustments}


# ---------------------------------------------------------------- command line


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT):
        code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A clean rubric, one with warnings only, and one that does not compile."""
    texts = {
        "clean": rubric('criterion I.1 "Quyết định" max 2\n  2 if a', maximum="2"),
        "warned": rubric('criterion I.1 "Quyết định" max 2\n  3 if a', maximum="2"),
        "broken": rubric('criterion I.1 "Quyết định" max 2\n  2 if aa', maximum="3"),
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = tmp_path / f"{name}.rules"
        paths[name].write_text(text, encoding="utf-8")
    return paths


class TestCommand:
    """``htx-rules check``: output, exit codes 0/1/2 (3 for the command line), JSON."""

    def test_the_shipped_rubric_exits_0(self) -> None:
        code, out, err = run("check", "rubrics/2021.rules")
        assert code == EXIT_OK
        assert err == ""
        assert out.rstrip("\n").splitlines()[-1].startswith("rubrics/2021.rules: 0 lỗi, 0 cảnh báo")

    def test_exit_codes(self, files: dict[str, Path]) -> None:
        assert run("check", str(files["clean"]))[0] == EXIT_OK
        assert run("check", str(files["warned"]))[0] == EXIT_WARNINGS == 1
        assert run("check", str(files["broken"]))[0] == EXIT_RUBRIC == 2
        assert run("check", str(files["clean"]), str(files["warned"]))[0] == 1
        assert run("check", str(files["warned"]), str(files["broken"]))[0] == 2

    def test_text_output(self, files: dict[str, Path]) -> None:
        """Each diagnostic drawn like a compile error, a summary per file, a total line."""
        code, out, _ = run("check", str(files["warned"]), str(files["broken"]))
        assert code == 2
        assert f"{files['warned']}:" in out
        assert "cảnh báo: 3 điểm nhiều hơn" in out
        assert any(line.rstrip().endswith("^") for line in out.splitlines())
        assert "gợi ý: ghi số điểm không quá 2" in out
        assert f"{files['warned']}: 0 lỗi, 1 cảnh báo, 0 ghi chú" in out
        assert f"{files['broken']}: 2 lỗi, 0 cảnh báo, 0 ghi chú" in out
        assert out.rstrip().splitlines()[-1] == "tổng cộng: 2 lỗi, 1 cảnh báo, 0 ghi chú"
        _, english, _ = run("check", str(files["warned"]), "--lang", "en")
        assert "warning: 3 points is more than I.1's maximum of 2" in english
        assert english.rstrip().endswith("0 error(s), 1 warning(s), 0 note(s)")

    def test_a_folder_is_every_rules_file_in_it(
        self, files: dict[str, Path], tmp_path: Path
    ) -> None:
        code, out, _ = run("check", str(tmp_path))
        assert code == 2
        assert [files[n].name in out for n in ("broken", "clean", "warned")] == [True] * 3

    def test_usage_errors_exit_3(self, tmp_path: Path) -> None:
        assert run("check")[0] == EXIT_USAGE
        code, _, err = run("check", str(tmp_path / "khong-co.rules"), "--lang", "en")
        assert code == EXIT_USAGE
        assert "no such file or folder" in err
        (tmp_path / "rong").mkdir()
        code, _, err = run("check", str(tmp_path / "rong"))
        assert code == EXIT_USAGE
        assert "không có tệp .rules nào" in err

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_json_output_has_its_documented_shape(self, files: dict[str, Path], lang: str) -> None:
        paths = [str(files[n]) for n in ("clean", "warned", "broken")]
        code, out, err = run(
            "check", *paths, "rubrics/2021.rules", "--format", "json", "--lang", lang
        )
        assert code == 2
        assert err == ""
        document = json.loads(out)
        jsonschema.Draft202012Validator.check_schema(SCHEMA)
        errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
        assert errors == []
        assert document["format"] == "htx-rules.check"
        assert document["format_version"] == 1
        assert document["language"] == lang
        assert [f["file"] for f in document["files"]] == [*paths, "rubrics/2021.rules"]
        assert [f["compiled"] for f in document["files"]] == [True, True, False, True]
        summary = document["summary"]
        assert summary["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])
        assert summary["warnings"] == 1
        warned = next(d for d in document["diagnostics"] if d["severity"] == "warning")
        expected = check_file(paths[1]).warnings[0]
        assert warned["message"] == expected.message(lang)  # type: ignore[arg-type]
        assert warned["hint"] == expected.hint_text(lang)  # type: ignore[arg-type]
        assert expected.span is not None
        assert (warned["line"], warned["column"], warned["end_line"], warned["end_column"]) == (
            expected.span.line,
            expected.span.column,
            expected.span.end_line,
            expected.span.end_column,
        )

    def test_the_schema_refuses_a_wrong_document(self) -> None:
        document: dict[str, Any] = check_to_dict([check_file(RUBRIC_2021)])
        validator = jsonschema.Draft202012Validator(SCHEMA)
        assert list(validator.iter_errors(document)) == []
        document["diagnostics"][0]["severity"] = "fatal"
        assert list(validator.iter_errors(document))

    def test_the_installed_help_lists_check(self) -> None:
        code, out, _ = run("check", "--help")
        assert code == EXIT_OK
        assert "--format" in out


# ---------------------------------------------------------------- properties


def _node(result: htx_rules.Result, node_id: str) -> TraceNode:
    assert result.trace is not None
    node = result.trace.find(node_id)
    assert node is not None
    return node


@st.composite
def checked_rubrics(draw: st.DrawFn) -> tuple[htx_rules.Rubric, CheckReport]:
    text = draw(rubric_texts(clamp_edges=draw(st.booleans())), label="rubric")
    report = check(text)
    assert report.compiled, report.render("en")
    return htx_rules.loads(text), report


_DEAD = {
    "threshold-unreachable",
    "threshold-duplicate",
    "threshold-order",
    "otherwise-never-taken",
    "arm-after-always",
    "condition-never-holds",
}


def _limits_hold(report: CheckReport, rubric: htx_rules.Rubric, result: htx_rules.Result) -> None:
    """An unreachable maximum is never passed, a rule that never fires gives 0, the
    standard points stay under a proved highest total, and an item without a note or
    a warning about its maximum never needs the clamp to its maximum."""
    for d in found(report, "max-unreachable"):
        assert result.points(str(d.args["id"])) <= Decimal(str(d.args["high"]))
    for d in found(report, "rule-never-fires"):
        assert result.points(str(d.args["id"])) == 0
    for d in found(report, "total-unreachable"):
        assert result.standard <= Decimal(str(d.args["high"]))
    said: dict[str, set[str]] = {}
    for d in report.diagnostics:
        if "id" in d.args:
            said.setdefault(str(d.args["id"]), set()).add(d.code)
    for item in all_items(rubric.model):
        if item.children or isinstance(item.scoring, m.Assessed):
            continue
        if not said.get(item.id, set()) & {"clamped-to-max", "points-above-max", "cap-above-max"}:
            assert "max" not in {a.kind for a in _node(result, item.id).adjustments}, item.id


def _caps_idle(report: CheckReport, result: htx_rules.Result) -> None:
    """A cap said never to bind leaves no cap in the trace: no ``cap`` adjustment,
    no ``uncapped`` amount for a ``minus … per`` rule, no cap on a section."""
    for d in found(report, "cap-never-binds"):
        node = _node(result, str(d.args["id"]))
        assert "cap" not in {a.kind for a in node.adjustments}
        assert node.decision is None or node.decision.detail("uncapped") is None
    for d in found(report, "section-cap-never-binds"):
        section = d.args["section"]
        assert isinstance(section, SectionWord)
        assert "cap" not in {a.kind for a in _node(result, section.kind).adjustments}


def _dead_arms(report: CheckReport, result: htx_rules.Result) -> None:
    """An arm said never to be taken never is; a condition said never (always) to
    hold never (always) does."""
    dead = {d.span.line for d in report.warnings if d.span and d.code in _DEAD}
    always = {d.span.line for d in found(report, "condition-always-holds") if d.span}
    assert result.trace is not None
    for node in result.trace.walk():
        decision = node.decision
        if decision is None or decision.span is None:
            continue
        line = decision.span.line
        if decision.kind in ("threshold", "otherwise", "case"):
            assert line not in dead, node.id
        if decision.kind == "condition" and line in dead:
            assert decision.subject is False, node.id
        if decision.kind == "condition" and line in always:
            assert decision.subject is True, node.id


class TestWarningsHoldForScoring:
    """What check proves is never contradicted by scoring random evidence."""

    @given(data=st.data())
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_check_agrees_with_scoring(self, data: st.DataObject) -> None:
        """On random rubrics (some with clamps a simple analysis could get wrong) and
        random evidence: proved limits hold, idle caps never bind, dead arms are never
        taken."""
        rubric, report = data.draw(checked_rubrics())
        for _ in range(3):
            result = rubric.score(data.draw(evidence_for(rubric), label="evidence"))
            _limits_hold(report, rubric, result)
            _caps_idle(report, result)
            _dead_arms(report, result)


class TestCheckNeverRaises:
    """Whatever the text, check() gives a report, and agrees with loads() on errors."""

    @given(text=mutations_of(RUBRIC_2021.read_text(encoding="utf-8")))
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_mutated_2021_rubric(self, text: str) -> None:
        report = check(text, "2021.rules")
        codes: tuple[str, ...] = ()
        try:
            htx_rules.loads(text, "2021.rules")
        except htx_rules.RubricError as error:
            codes = error.codes
        assert report.compiled == (codes == ())
        assert report.codes[: len(codes)] == codes
        assert tuple(d.code for d in report.errors) == codes
