"""htx_rules: a rules engine and small language for points rubrics.

Load a rubric once, score evidence many times, and explain every point::

    import htx_rules

    rubric = htx_rules.load("rubrics/2021.rules")
    result = rubric.score({"bcd_quyet_dinh": True, "htx_moi": 3, "chi_tieu_htx": 4})
    print(result.total)
    print(result.explain("vi"))

Review a rubric before using it — every compile error, and what a careful
reviewer would raise (``htx-rules check``)::

    report = htx_rules.check_file("rubrics/2021.rules")
    print(report.render("vi"))
Keep a rubric file in the one canonical layout (or convert its keywords)::

    text = htx_rules.format_rubric(open("rubrics/2021.rules").read(), keywords="vi")

Run a whole contest — self-scores, re-inspection, eligibility, ranking, awards::

    contest = htx_rules.run_contest(rubric, htx_rules.read_submissions("examples/2021", rubric))
    print(htx_rules.contest_text(contest))

Test a rubric with the cases its authors wrote beside it (``rubrics/2021.tests``)::

    tests = htx_rules.parse_rubric_tests(text, rubric, "rubrics/2021.tests")
    outcome = htx_rules.run_rubric_tests(rubric, tests, coverage=True, mutate=True)
    print(htx_rules.rubric_tests_text(outcome))

Ask what would have changed a result — the smallest change of one evidence value
that would raise a criterion, what the units just below an award lacked, which
results one small step of evidence would change::

    for found in htx_rules.counterfactuals(rubric, result):
        print(found.item, found.change, found.points, "->", found.points_after)
    gaps, flags = htx_rules.award_gaps(contest), htx_rules.fragility(contest)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from htx_rules._version import __version__
from htx_rules.errors import (
    Diagnostic,
    EvidenceError,
    EvidenceProblem,
    HtxRulesError,
    RowError,
    RubricCompileError,
    RubricError,
    RubricSyntaxError,
)
from htx_rules.evidence import EvidenceDocument, parse_evidence_json, parse_evidence_toml
from htx_rules.result import Adjustment, Assessment, Decision, Result, TraceNode
from htx_rules.rubric import Rubric, load, load_bytes, loads
from htx_rules.source import Span

if TYPE_CHECKING:
    from htx_rules.contest import (
        Award,
        ContestError,
        ContestResult,
        Reason,
        ReconciliationLine,
        Standing,
        Submission,
        run_contest,
    )
    from htx_rules.diff import Change, RubricDiff, diff_rubrics
    from htx_rules.diffreport import diff_markdown, diff_text, diff_to_dict, diff_to_json
    from htx_rules.fmt import format_rubric
    from htx_rules.html import contest_html, result_html
    from htx_rules.lint import (
        CheckReport,
        check,
        check_bytes,
        check_file,
        check_text,
        check_to_dict,
        check_to_json,
    )
    from htx_rules.mutation import Mutant, generate_mutants
    from htx_rules.report import (
        contest_markdown,
        contest_text,
        contest_to_dict,
        contest_to_json,
    )
    from htx_rules.rescoring import Rescoring, rescore
    from htx_rules.rubric_tests import (
        Branch,
        CaseOutcome,
        Coverage,
        Expectation,
        ExpectationFailure,
        MutantOutcome,
        MutationReport,
        RubricCase,
        RubricTestResult,
        RubricTests,
        RubricTestsError,
        parse_rubric_tests,
        run_rubric_tests,
    )
    from htx_rules.submissions import parse_submission, read_submissions, run_contest_from
    from htx_rules.tests_report import rubric_tests_document, rubric_tests_text
    from htx_rules.whatif import (
        AwardGap,
        Counterfactual,
        Effect,
        EvidenceChange,
        Fragility,
        GapChange,
        award_gaps,
        counterfactuals,
        field_step,
        fragility,
    )
    from htx_rules.whatif_report import explain_what_if

# Imported above: what loading a rubric and scoring evidence need.  Everything
# else is imported when first used (``htx_rules.run_contest``, ...), so that a
# program that only scores does not pay at start-up for the contest, the
# reports, the checks, the comparison of rubrics, Lark or Jinja.  The names
# are the same either way; the TYPE_CHECKING imports above tell type checkers.
_LATER_BY_MODULE: dict[str, tuple[str, ...]] = {
    "htx_rules.contest": (
        "Award",
        "ContestError",
        "ContestResult",
        "Reason",
        "ReconciliationLine",
        "Standing",
        "Submission",
        "run_contest",
    ),
    "htx_rules.diff": ("Change", "RubricDiff", "diff_rubrics"),
    "htx_rules.diffreport": ("diff_markdown", "diff_text", "diff_to_dict", "diff_to_json"),
    "htx_rules.fmt": ("format_rubric",),
    "htx_rules.html": ("contest_html", "result_html"),
    "htx_rules.lint": (
        "CheckReport",
        "check",
        "check_bytes",
        "check_file",
        "check_text",
        "check_to_dict",
        "check_to_json",
    ),
    "htx_rules.mutation": ("Mutant", "generate_mutants"),
    "htx_rules.report": ("contest_markdown", "contest_text", "contest_to_dict", "contest_to_json"),
    "htx_rules.rescoring": ("Rescoring", "rescore"),
    "htx_rules.rubric_tests": (
        "Branch",
        "CaseOutcome",
        "Coverage",
        "Expectation",
        "ExpectationFailure",
        "MutantOutcome",
        "MutationReport",
        "RubricCase",
        "RubricTestResult",
        "RubricTests",
        "RubricTestsError",
        "parse_rubric_tests",
        "run_rubric_tests",
    ),
    "htx_rules.submissions": ("parse_submission", "read_submissions", "run_contest_from"),
    "htx_rules.tests_report": ("rubric_tests_document", "rubric_tests_text"),
    "htx_rules.whatif": (
        "AwardGap",
        "Counterfactual",
        "Effect",
        "EvidenceChange",
        "Fragility",
        "GapChange",
        "award_gaps",
        "counterfactuals",
        "field_step",
        "fragility",
    ),
    "htx_rules.whatif_report": ("explain_what_if",),
}
_LATER = {name: module for module, names in _LATER_BY_MODULE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module 'htx_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})


__all__ = [
    "Adjustment",
    "Assessment",
    "Award",
    "AwardGap",
    "Branch",
    "CaseOutcome",
    "Change",
    "CheckReport",
    "ContestError",
    "ContestResult",
    "Counterfactual",
    "Coverage",
    "Decision",
    "Diagnostic",
    "Effect",
    "EvidenceChange",
    "EvidenceDocument",
    "EvidenceError",
    "EvidenceProblem",
    "Expectation",
    "ExpectationFailure",
    "Fragility",
    "GapChange",
    "HtxRulesError",
    "Mutant",
    "MutantOutcome",
    "MutationReport",
    "Reason",
    "ReconciliationLine",
    "Rescoring",
    "Result",
    "RowError",
    "Rubric",
    "RubricCase",
    "RubricCompileError",
    "RubricDiff",
    "RubricError",
    "RubricSyntaxError",
    "RubricTestResult",
    "RubricTests",
    "RubricTestsError",
    "Span",
    "Standing",
    "Submission",
    "TraceNode",
    "__version__",
    "award_gaps",
    "check",
    "check_bytes",
    "check_file",
    "check_text",
    "check_to_dict",
    "check_to_json",
    "contest_html",
    "contest_markdown",
    "contest_text",
    "contest_to_dict",
    "contest_to_json",
    "counterfactuals",
    "diff_markdown",
    "diff_rubrics",
    "diff_text",
    "diff_to_dict",
    "diff_to_json",
    "explain_what_if",
    "field_step",
    "format_rubric",
    "fragility",
    "generate_mutants",
    "load",
    "load_bytes",
    "loads",
    "parse_evidence_json",
    "parse_evidence_toml",
    "parse_rubric_tests",
    "parse_submission",
    "read_submissions",
    "rescore",
    "result_html",
    "rubric_tests_document",
    "rubric_tests_text",
    "run_contest",
    "run_contest_from",
    "run_rubric_tests",
]
