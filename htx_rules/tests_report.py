"""Rubric tests' outcome as text and JSON-ready data.

Pure functions over a :class:`~htx_rules.rubric_tests.RubricTestResult`: the
failing cases with the trace of every point that differs, a summary line,
branch coverage and mutation testing.  Every text comes from
:mod:`htx_rules.messages`, in Vietnamese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from htx_rules import render
from htx_rules.decimals import Lang, canonical, format_number
from htx_rules.mutation import Mutant
from htx_rules.result import Result
from htx_rules.rubric_tests import (
    Branch,
    CaseOutcome,
    Coverage,
    MutantOutcome,
    MutationReport,
    RubricTestResult,
)

TESTS_FORMAT: Final = "htx-rules.tests"
TESTS_FORMAT_VERSION: Final = 1


_text = render.text


def _points(value: Decimal | None, lang: Lang) -> str:
    return "—" if value is None else format_number(value, lang)


def _key_words(key: str, lang: Lang) -> str:
    """An expectation's key for people: an id as it is, a total in words."""
    if key in ("total", "standard", "bonus", "deduction", "missing"):
        return _text(f"tests-key-{key}", lang)
    return key


def failure_lines(outcome: CaseOutcome, lang: Lang = "vi") -> list[str]:
    """Why a case fails: for each key, the points expected and scored, and the
    trace of that key (for a part or section, of each item in it)."""
    result = outcome.result
    lines = []
    for failure in outcome.failures:
        expectation = failure.expectation
        key = expectation.key
        if key == "missing":
            expected, actual = set(expectation.missing), set(failure.actual_missing)
            extra = ", ".join(sorted(actual - expected)) or "—"
            absent = ", ".join(sorted(expected - actual)) or "—"
            lines.append("  " + _text("tests-expected-missing", lang, extra=extra, absent=absent))
            continue
        lines.append(
            "  "
            + _text(
                "tests-expected-actual",
                lang,
                key=_key_words(key, lang),
                expected=_points(expectation.points, lang),
                actual=_points(failure.actual, lang),
                line=expectation.line,
            )
        )
        lines.extend("    " + line for line in _trace_lines(result, key, lang))
    return lines


def _trace_lines(result: Result, key: str, lang: Lang) -> list[str]:
    """The trace of one expectation's key: the total's sum, or the node's explanation."""
    if key not in ("total", "standard"):
        return render.explain_lines(result, key, lang)
    trace = result.trace
    assert trace is not None
    return [
        render.total_line(result, lang),
        *(
            f"  {_key_words(node.id, lang)} {_points(node.points, lang)}"
            f" / {_points(node.maximum, lang)}"
            for node in trace.children
        ),
    ]


def branch_words(branch: Branch, lang: Lang = "vi") -> str:
    """What a branch is, in words: ``arm «>= 90% -> 2»``."""
    return _text(f"tests-branch-{branch.kind}", lang, text=branch.text)


def mutant_words(mutant: Mutant, lang: Lang = "vi") -> str:
    """What a mutant changes, in words: ``bound 90% becomes 91%``."""
    return _text(f"tests-mutant-{mutant.kind}", lang, old=mutant.old, new=mutant.new)


def rubric_tests_text(result: RubricTestResult, lang: Lang = "vi") -> str:
    """The outcome as text: each failing case with its trace, a summary line,
    then coverage and mutation testing when they were run."""
    rubric = result.rubric
    lines = [
        _text(
            "tests-title",
            lang,
            rubric=rubric.source.name,
            file=result.tests.source,
        )
    ]
    for outcome in result.failed:
        lines.append(
            _text(
                "tests-failed-case",
                lang,
                where=f"{result.tests.source}:{outcome.case.line}",
                name=outcome.case.name,
            )
        )
        lines.extend(failure_lines(outcome, lang))
    lines.append(
        _text(
            "tests-summary",
            lang,
            passed=len(result.outcomes) - len(result.failed),
            failed=len(result.failed),
        )
    )
    if result.coverage is not None:
        lines.extend(coverage_lines(result.coverage, lang))
    if result.mutation is not None:
        lines.extend(mutation_lines(result.mutation, lang))
    return "\n".join(lines) + "\n"


def coverage_lines(coverage: Coverage, lang: Lang = "vi") -> list[str]:
    """Coverage as text: the total, a line per item, then the branches no case reaches."""
    total = len(coverage.branches)
    percent = Decimal(coverage.reached * 100) / total if total else Decimal(100)
    lines = [
        "",
        _text(
            "tests-coverage-head",
            lang,
            reached=coverage.reached,
            total=total,
            percent=format_number(percent.quantize(Decimal("0.1")), lang) + "%",
        ),
    ]
    for item, branches in coverage.by_item().items():
        reached = sum(1 for b in branches if b.reached)
        mark = "" if reached == len(branches) else "  ✗"
        lines.append(f"  {_key_words(item, lang):<10} {reached}/{len(branches)}{mark}")
    unreached = coverage.unreached
    if unreached:
        lines.append(_text("tests-coverage-unreached", lang))
        lines.extend(
            "  "
            + _text(
                "tests-branch-line",
                lang,
                item=_key_words(b.item, lang),
                line=b.line,
                branch=branch_words(b, lang),
            )
            for b in unreached
        )
    else:
        lines.append(_text("tests-coverage-complete", lang))
    return lines


def mutation_lines(report: MutationReport, lang: Lang = "vi") -> list[str]:
    """Mutation testing as text: the counts, then every mutant not killed."""
    if report.skipped:
        return ["", _text("tests-mutation-skipped", lang)]
    lines = [
        "",
        _text(
            "tests-mutation-head",
            lang,
            total=len(report.outcomes),
            killed=len(report.with_status("killed")),
            equivalent=len(report.with_status("equivalent")),
            survived=len(report.survivors),
        ),
    ]

    def line(outcome: MutantOutcome) -> str:
        mutant = outcome.mutant
        return "  " + _text(
            "tests-mutant-line",
            lang,
            id=mutant.id,
            line=mutant.line,
            change=mutant_words(mutant, lang),
        )

    if report.survivors:
        lines.append(_text("tests-mutation-survivors", lang))
        lines.extend(line(o) for o in report.survivors)
    equivalent = report.with_status("equivalent")
    if equivalent:
        lines.append(_text("tests-mutation-equivalent", lang))
        lines.extend(f"{line(o)} — {o.reason}" for o in equivalent)
    for outcome in report.with_status("stale"):
        lines.append(
            _text("tests-mutation-stale", lang, id=outcome.mutant.id, case=outcome.killed_by)
        )
    return lines


def rubric_tests_to_dict(result: RubricTestResult, lang: Lang = "vi") -> dict[str, Any]:
    """The outcome of one rubric's tests as JSON-ready data (``docs/rubric-tests.md``)."""
    rubric = result.rubric
    data: dict[str, Any] = {
        "rubric": {"id": rubric.id, "source": rubric.source.name, "sha256": rubric.sha256},
        "tests_file": result.tests.source,
        "passed": len(result.outcomes) - len(result.failed),
        "failed": len(result.failed),
        "cases": [_case_to_dict(o, lang) for o in result.outcomes],
        "coverage": None,
        "mutation": None,
    }
    if result.coverage is not None:
        data["coverage"] = {
            "reached": result.coverage.reached,
            "total": len(result.coverage.branches),
            "branches": [
                {
                    "item": b.item,
                    "branch": b.key,
                    "kind": b.kind,
                    "line": b.line,
                    "text": branch_words(b, lang),
                    "cases": list(b.cases),
                }
                for b in result.coverage.branches
            ],
        }
    if result.mutation is not None:
        report = result.mutation
        data["mutation"] = {
            "skipped": report.skipped,
            "total": len(report.outcomes),
            "killed": len(report.with_status("killed")),
            "equivalent": len(report.with_status("equivalent")),
            "survived": len(report.survivors),
            "mutants": [
                {
                    "id": o.mutant.id,
                    "item": o.mutant.item,
                    "line": o.mutant.line,
                    "kind": o.mutant.kind,
                    "old": o.mutant.old.rubric_text(),
                    "new": o.mutant.new.rubric_text(),
                    "text": mutant_words(o.mutant, lang),
                    "status": o.status,
                    "killed_by": o.killed_by,
                    "reason": o.reason,
                }
                for o in report.outcomes
            ],
        }
    return data


def _case_to_dict(outcome: CaseOutcome, lang: Lang) -> dict[str, Any]:
    failures: list[dict[str, Any]] = []
    for failure in outcome.failures:
        expectation = failure.expectation
        if expectation.key == "missing":
            failures.append(
                {
                    "key": "missing",
                    "line": expectation.line,
                    "expected": list(expectation.missing),
                    "actual": list(failure.actual_missing),
                }
            )
        else:
            assert expectation.points is not None
            assert failure.actual is not None
            failures.append(
                {
                    "key": expectation.key,
                    "line": expectation.line,
                    "expected": canonical(expectation.points),
                    "actual": canonical(failure.actual),
                    "trace": _trace_lines(outcome.result, expectation.key, lang),
                }
            )
    return {
        "name": outcome.case.name,
        "line": outcome.case.line,
        "passed": outcome.passed,
        "failures": failures,
    }


def rubric_tests_document(results: Sequence[RubricTestResult], lang: Lang = "vi") -> dict[str, Any]:
    """Several rubrics' test outcomes as one JSON-ready document
    (``"format": "htx-rules.tests"``)."""
    return {
        **render.document_head(TESTS_FORMAT, TESTS_FORMAT_VERSION, lang),
        "rubrics": [rubric_tests_to_dict(r, lang) for r in results],
    }
