"""htx_rules: a rules engine and small language for points rubrics.

Load a rubric once, score evidence many times, and explain every point::

    import htx_rules

    rubric = htx_rules.load("rubrics/2021.rules")
    result = rubric.score({"bcd_quyet_dinh": True, "htx_moi": 3, "chi_tieu_htx": 4})
    print(result.total)
    print(result.explain("vi"))

Run a whole contest — self-scores, re-inspection, eligibility, ranking, awards::

    contest = htx_rules.run_contest(rubric, htx_rules.read_submissions("examples/2021", rubric))
    print(htx_rules.contest_text(contest))

Ask what would have changed a result — the smallest change of one evidence value
that would raise a criterion, what the units just below an award lacked, which
results one small step of evidence would change::

    for found in htx_rules.counterfactuals(rubric, result):
        print(found.item, found.change, found.points, "->", found.points_after)
    gaps, flags = htx_rules.award_gaps(contest), htx_rules.fragility(contest)
"""

from htx_rules._version import __version__
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
from htx_rules.errors import (
    Diagnostic,
    EvidenceError,
    EvidenceProblem,
    HtxRulesError,
    RubricCompileError,
    RubricError,
    RubricSyntaxError,
)
from htx_rules.evidence import EvidenceDocument, parse_evidence_json
from htx_rules.report import contest_markdown, contest_text, contest_to_dict, contest_to_json
from htx_rules.result import Adjustment, Assessment, Decision, Result, TraceNode
from htx_rules.rubric import Rubric, load, loads
from htx_rules.source import Span
from htx_rules.submissions import parse_submission, read_submissions, run_contest_from
from htx_rules.whatif import (
    AwardGap,
    Change,
    Counterfactual,
    Effect,
    Fragility,
    GapChange,
    award_gaps,
    counterfactuals,
    field_step,
    fragility,
)
from htx_rules.whatif_report import explain_what_if

__all__ = [
    "Adjustment",
    "Assessment",
    "Award",
    "AwardGap",
    "Change",
    "ContestError",
    "ContestResult",
    "Counterfactual",
    "Decision",
    "Diagnostic",
    "Effect",
    "EvidenceDocument",
    "EvidenceError",
    "EvidenceProblem",
    "Fragility",
    "GapChange",
    "HtxRulesError",
    "Reason",
    "ReconciliationLine",
    "Result",
    "Rubric",
    "RubricCompileError",
    "RubricError",
    "RubricSyntaxError",
    "Span",
    "Standing",
    "Submission",
    "TraceNode",
    "__version__",
    "award_gaps",
    "contest_markdown",
    "contest_text",
    "contest_to_dict",
    "contest_to_json",
    "counterfactuals",
    "explain_what_if",
    "field_step",
    "fragility",
    "load",
    "loads",
    "parse_evidence_json",
    "parse_submission",
    "read_submissions",
    "run_contest",
    "run_contest_from",
]
