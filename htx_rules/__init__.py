"""htx_rules: a rules engine and small language for points rubrics.

Load a rubric once, score evidence many times, and explain every point::

    import htx_rules

    rubric = htx_rules.load("rubrics/2021.rules")
    result = rubric.score({"bcd_quyet_dinh": True, "htx_moi": 3, "chi_tieu_htx": 4})
    print(result.total)
    print(result.explain("vi"))
"""

from htx_rules._version import __version__
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
from htx_rules.result import Adjustment, Decision, Result, TraceNode
from htx_rules.rubric import Rubric, load, loads
from htx_rules.source import Span

__all__ = [
    "Adjustment",
    "Decision",
    "Diagnostic",
    "EvidenceDocument",
    "EvidenceError",
    "EvidenceProblem",
    "HtxRulesError",
    "Result",
    "Rubric",
    "RubricCompileError",
    "RubricError",
    "RubricSyntaxError",
    "Span",
    "TraceNode",
    "__version__",
    "load",
    "loads",
    "parse_evidence_json",
]
