"""Rule-model pieces written back as rubric text.

Pure functions from :mod:`htx_rules.model` objects to the text a rubric file
would hold for them: ``htx_kha_tot / htx_xep_loai``, ``>= 80% -> 2``,
``0.5 per max(0, htx_moi - chi_tieu_htx), at most 2``.  The text is written in
the language's ASCII spelling except for comparisons (``≥``, ``≤``, ``≠``, which
read better and are valid rubric text too); parentheses are added exactly where
precedence needs them, so every expression printed here reads back to the same
model (a test checks it on the shipped rubric).

Traces and errors quote the rubric's own lines (:meth:`SourceText.excerpt`);
this module is for what has no line of its own, or two of them: the old and
the new value of a rule in ``htx-rules diff``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from htx_rules import model as m
from htx_rules.decimals import SCORING_CONTEXT, canonical

_COMPARE: Final = {">=": "≥", "<=": "≤", "!=": "≠", ">": ">", "<": "<", "=": "="}

# Binding strength, loosest first (docs/language.md, "Precedence").
_OR, _AND, _NOT, _COMPARISON, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 9)


def number_text(number: m.Number) -> str:
    """A number literal as written: ``0.5``, ``80%``, ``10.000.000 đồng``."""
    if number.unit == "percent":
        return canonical(number.value.scaleb(2, SCORING_CONTEXT)) + "%"
    if number.unit == "money":
        return _grouped(number.value) + " đồng"
    return canonical(number.value)


def _grouped(value: Decimal) -> str:
    digits = canonical(value)
    sign = "-" if digits.startswith("-") else ""
    whole = digits.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups)


def _level(expr: m.Expr) -> int:
    if isinstance(expr, m.Logical):
        return _OR if expr.op == "or" else _AND
    if isinstance(expr, m.Not):
        return _NOT
    if isinstance(expr, m.Comparison):
        return _COMPARISON
    if isinstance(expr, m.Arithmetic):
        return _SUM if expr.op in ("+", "-") else _PRODUCT
    if isinstance(expr, m.Negate):
        return _UNARY
    return _ATOM


def _wrapped(expr: m.Expr, parens: bool) -> str:
    text = expr_text(expr)
    return f"({text})" if parens else text


def expr_text(expr: m.Expr) -> str:
    """An expression as rubric text, with the parentheses its structure needs."""
    if isinstance(expr, m.Number):
        return number_text(expr)
    if isinstance(expr, m.DateLiteral):
        return expr.value.isoformat()
    if isinstance(expr, m.Name | m.FieldRef):
        return expr.name
    if isinstance(expr, m.ChoiceValue):
        return expr.value
    if isinstance(expr, m.DeadlineRef):
        return "deadline"
    if isinstance(expr, m.PointsOf):
        return f"points of {expr.item}"
    if isinstance(expr, m.DossierComplete):
        return "dossier complete"
    if isinstance(expr, m.Negate):
        return "-" + _wrapped(expr.operand, _level(expr.operand) <= _UNARY)
    if isinstance(expr, m.Not):
        return "not " + _wrapped(expr.operand, _level(expr.operand) < _NOT)
    if isinstance(expr, m.Call):
        return f"{expr.function}({', '.join(expr_text(a) for a in expr.args)})"
    level = _level(expr)
    if isinstance(expr, m.Logical):
        return f" {expr.op} ".join(_wrapped(o, _level(o) <= level) for o in expr.operands)
    assert isinstance(expr, m.Arithmetic | m.Comparison)
    # Operators group to the left: a right operand of the same strength needs
    # parentheses (``a - (b - c)``).
    # Comparisons do not chain: a comparison on either side needs parentheses.
    left_limit = level + 1 if level == _COMPARISON else level
    left = _wrapped(expr.left, _level(expr.left) < left_limit)
    right = _wrapped(expr.right, _level(expr.right) <= level)
    op = _COMPARE[expr.op] if isinstance(expr, m.Comparison) else expr.op
    return f"{left} {op} {right}"


def compare_text(op: m.CompareOp) -> str:
    """A comparison operator as shown: ``≥``, ``≤``, ``≠``, ``>``, ``<``, ``=``."""
    return _COMPARE[op]


def arm_text(arm: m.Arm) -> str:
    """One arm of ``by`` or ``cases``: ``≥ 80% -> 2``, ``dung_han, tre_han -> 1``."""
    if isinstance(arm, m.ThresholdArm):
        return f"{_COMPARE[arm.op]} {expr_text(arm.bound)} -> {expr_text(arm.points)}"
    if isinstance(arm, m.ChoiceArm):
        return f"{', '.join(arm.values)} -> {expr_text(arm.points)}"
    if isinstance(arm, m.CaseArm):
        return f"{expr_text(arm.condition)} -> {expr_text(arm.points)}"
    return f"otherwise -> {expr_text(arm.points)}"


def mode_text(mode: m.Linear | m.Stepped) -> str:
    """A target's mode: ``linear`` or ``minus 1 per [started] 10% short``."""
    if isinstance(mode, m.Linear):
        return "linear"
    started = "started " if mode.started else ""
    return f"minus {expr_text(mode.points)} per {started}{expr_text(mode.size)} short"


def label_text(label: str) -> str:
    """A label as written in a rubric: in double quotes, with ``"`` and ``\\`` escaped."""
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scoring_lines(scoring: m.Scoring) -> list[str]:
    """A scoring form as the lines a rubric file holds for it, the arms of
    ``by`` and ``cases`` indented by two spaces under their first line."""
    if isinstance(scoring, m.Formula):
        return [expr_text(scoring.expr)]
    if isinstance(scoring, m.Conditional):
        line = f"{expr_text(scoring.points)} if {expr_text(scoring.condition)}"
        if scoring.otherwise is not None:
            line += f" otherwise {expr_text(scoring.otherwise)}"
        return [line]
    if isinstance(scoring, m.PerUnit):
        line = f"{expr_text(scoring.rate)} per {expr_text(scoring.units)}"
        if scoring.base is not None:
            line = f"{expr_text(scoring.base)} minus {line}"
        if scoring.cap is not None:
            line += f", at most {expr_text(scoring.cap)}"
        return [line]
    if isinstance(scoring, m.Banded):
        return [f"by {expr_text(scoring.subject)}"] + ["  " + arm_text(a) for a in scoring.arms]
    if isinstance(scoring, m.Cases):
        return ["cases"] + ["  " + arm_text(a) for a in scoring.arms]
    if isinstance(scoring, m.Target):
        line = (
            f"target {expr_text(scoring.actual)} of {expr_text(scoring.target)}: "
            f"{mode_text(scoring.mode)}"
        )
        if scoring.zero_target is not None:
            line += f", zero target -> {expr_text(scoring.zero_target)}"
        return [line]
    guidance = f" {label_text(scoring.guidance)}" if scoring.guidance is not None else ""
    return [f"assessed by reviewer{guidance}"]


def scoring_text(scoring: m.Scoring) -> str:
    """A scoring form on one line, arms separated by ``;``:
    ``by ty_le_dai_hoi: ≥ 80% -> 2; ≥ 60% -> 1; otherwise -> 0``."""
    lines = scoring_lines(scoring)
    if len(lines) == 1:
        return lines[0]
    return lines[0] + ": " + "; ".join(line.strip() for line in lines[1:])


def tie_break_text(key: m.TieBreak) -> str:
    """One tie-break key as written: ``higher part III``, ``earlier ngay_nop``."""
    if key.subject in ("part", "criterion"):
        return f"{key.direction} {key.subject} {key.ref}"
    if key.subject == "field":
        return f"{key.direction} {key.ref}"
    return f"{key.direction} {key.subject}"


__all__ = [
    "arm_text",
    "compare_text",
    "expr_text",
    "label_text",
    "mode_text",
    "number_text",
    "scoring_lines",
    "scoring_text",
    "tie_break_text",
]
