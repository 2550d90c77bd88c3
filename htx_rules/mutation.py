"""Mutants of a rubric: small changes to its rule model that its tests should notice.

Mutation testing asks whether a rubric's test cases (``rubric_tests``) pin
the rubric down: each *mutant* is the rubric with one small change — a
comparison's ``>=`` turned into ``>``, a threshold moved by one step, a point
value changed by one step — and a mutant is *killed* when some case's
expected points no longer hold for it.  A mutant no case kills marks a rule
the cases do not test at its edge.

Mutants are made from the checked rule model (:mod:`htx_rules.model`) with
:func:`attrs.evolve`, never by editing text, so every mutant is a rubric the
language could have written.  What each kind of change does, and the steps
used, are in ``docs/rubric-tests.md``:

* **op** — a comparison's boundary flipped: ``>=`` ↔ ``>``, ``<=`` ↔ ``<``,
  ``=`` ↔ ``!=`` (threshold arms, conditions, ``cases`` arms);
* **bound** — a constant a value is compared with moved one step up and
  down: one unit of the last digit written (``90%`` → 91% and 89%, ``2.5``
  → 2.6 and 2.4, ``1`` → 2 and 0), one đồng for money, one day for a date
  (and for ``deadline``);
* **size** — the size of a ``target`` step moved the same way;
* **points**, **rate**, **cap**, **base**, **step**, **zero** — a point value
  (an arm's points, per-unit points, ``at most``, the base of ``minus``, the
  points of a target step, the points of a zero target) changed by the
  rubric's ``step``, or without one by the rounding rule's smallest unit;
* **max** — the maximum of a criterion or rule with a scoring line, and the
  cap of the bonus and deduction sections, changed the same way;
* **not** — a rule's ``if`` condition negated;
* **requires** — a ``requires`` line removed.

Changes that provably cannot change any points are not made: raising a
constant that is itself the rule's value above the maximum (it is clamped
back), lowering one that is 0 (raised back to 0), raising a maximum the rule
can never exceed (found by :mod:`htx_rules.ranges`), and changing the
maximum of a criterion with sub-criteria or of a part (their maxima are the
sums of the maxima below them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from htx_rules import model as m
from htx_rules.checker import all_items, walk
from htx_rules.printer import compare_text, expr_text
from htx_rules.ranges import RangeAnalysis
from htx_rules.rubric import Rubric
from htx_rules.shown import Shown
from htx_rules.source import SourceText

MutationKind = Literal[
    "op", "bound", "size", "points", "rate", "cap", "base", "step", "zero", "max", "not", "requires"
]

_FLIP: dict[m.CompareOp, m.CompareOp] = {
    ">=": ">",
    ">": ">=",
    "<=": "<",
    "<": "<=",
    "=": "!=",
    "!=": "=",
}
_DAY = datetime.timedelta(days=1)


@attrs.frozen
class Mutant:
    """The rubric with one small change to its rules.

    Attributes:
        id: A stable name: the item, the place in its rule and the change
            (``I.9.a/arm1/bound+``, ``I.7/if/op``, ``bonus/max-``).
        item: The criterion or rule changed (``bonus`` or ``deduction`` for a
            section's cap).
        line: The rubric line of what was changed.
        kind: What kind of change (see the module's documentation).
        old: What the rubric says there (shown the way ``htx-rules diff``
            shows a change's values).
        new: What the mutant says instead.
        model: The mutant's rule model.
    """

    id: str
    item: str
    line: int
    kind: MutationKind
    old: Shown
    new: Shown
    model: m.RubricModel = attrs.field(eq=False, repr=False)


# A change inside one item's scoring form: place, kind, old, new, line, new form.
_Change: TypeAlias = tuple[str, MutationKind, Shown, Shown, int, m.Scoring]
# A change of one expression: suffix of the place, kind, old, new, line, new expression.
_ExprChange: TypeAlias = tuple[str, MutationKind, Shown, Shown, int, m.Expr]


def generate_mutants(rubric: Rubric) -> tuple[Mutant, ...]:
    """Every mutant of a rubric, in rubric order (each holds its rule model;
    compile it with :class:`htx_rules.evaluator.Program` to score)."""
    return tuple(_Generator(rubric.model, rubric.source).mutants())


def points_step(model: m.RubricModel) -> Decimal:
    """The step a point value is changed by: the header's ``step``, else the
    smallest unit the rounding rule keeps (0.01 for 2 decimals)."""
    header = model.header
    return header.step if header.step is not None else Decimal(1).scaleb(-header.rounding.places)


class _Generator:
    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        self.source = source
        self.step = points_step(model)
        self.ranges = RangeAnalysis(model)

    # ------------------------------------------------------------ the rubric

    def mutants(self) -> Iterator[Mutant]:
        for item in all_items(self.model):
            if item.scoring is None:
                continue  # its maximum is the sum of its sub-criteria's
            yield from self.item(item)
        for section in (self.model.bonus, self.model.deduction):
            if section is not None:
                yield from self.section(section)

    def item(self, item: m.Criterion) -> Iterator[Mutant]:
        scoring = item.scoring
        assert scoring is not None
        if item.requires:
            line = (item.requires_spans or (item.span,))[0].line
            old = Shown("ids", item.requires)
            yield self.mutant(
                f"{item.id}/requires",
                item,
                line,
                "requires",
                old,
                Shown("ids", ()),
                attrs.evolve(item, requires=(), requires_spans=()),
            )
        for place, kind, old, new, line, changed in self.scoring(scoring, item.maximum):
            yield self.mutant(
                f"{item.id}/{place}",
                item,
                line,
                kind,
                old,
                new,
                attrs.evolve(item, scoring=changed),
            )
        reachable = self.ranges.scoring(scoring, item.maximum).high
        for sign, value in self.steps(item.maximum, self.step):
            if value <= 0 or (sign == "+" and reachable <= item.maximum):
                continue
            yield self.mutant(
                f"{item.id}/max{sign}",
                item,
                item.span.line,
                "max",
                Shown("points", item.maximum),
                Shown("points", value),
                attrs.evolve(item, maximum=value),
            )

    def section(self, section: m.Section) -> Iterator[Mutant]:
        reachable = sum((r.maximum for r in section.rules), Decimal(0))
        for sign, value in self.steps(section.maximum, self.step):
            if value <= 0 or (sign == "+" and reachable <= section.maximum):
                continue
            changed = attrs.evolve(section, maximum=value)
            model = (
                attrs.evolve(self.model, bonus=changed)
                if section.kind == "bonus"
                else attrs.evolve(self.model, deduction=changed)
            )
            yield Mutant(
                f"{section.kind}/max{sign}",
                section.kind,
                section.span.line,
                "max",
                Shown("points", section.maximum),
                Shown("points", value),
                model,
            )

    def mutant(
        self,
        mutant_id: str,
        item: m.Criterion,
        line: int,
        kind: MutationKind,
        old: Shown,
        new: Shown,
        changed: m.Criterion,
    ) -> Mutant:
        return Mutant(mutant_id, item.id, line, kind, old, new, _with_item(self.model, changed))

    @staticmethod
    def steps(value: Decimal, step: Decimal) -> tuple[tuple[str, Decimal], ...]:
        return (("+", value + step), ("-", value - step))

    # ------------------------------------------------------------ scoring forms

    def scoring(self, scoring: m.Scoring, maximum: Decimal) -> Iterator[_Change]:
        if isinstance(scoring, m.Conditional):
            yield from self.conditional(scoring, maximum)
        elif isinstance(scoring, m.PerUnit):
            yield from self.per_unit(scoring, maximum)
        elif isinstance(scoring, m.Banded | m.Cases):
            yield from self.arms(scoring, maximum)
        elif isinstance(scoring, m.Target):
            yield from self.target(scoring, maximum)
        elif isinstance(scoring, m.Formula):
            for suffix, kind, old, new, line, expr in self.points(scoring.expr, "points", maximum):
                yield f"formula{suffix}", kind, old, new, line, attrs.evolve(scoring, expr=expr)
        # a reviewer's assessment has nothing to change but its maximum

    def conditional(self, scoring: m.Conditional, maximum: Decimal) -> Iterator[_Change]:
        for suffix, kind, old, new, line, expr in self.comparisons(scoring.condition):
            yield f"if{suffix}", kind, old, new, line, attrs.evolve(scoring, condition=expr)
        negated = m.Not(scoring.condition, span=scoring.condition.span)
        yield (
            "if/not",
            "not",
            Shown("expr", scoring.condition),
            Shown("expr", negated),
            scoring.condition.span.line,
            attrs.evolve(scoring, condition=negated),
        )
        for suffix, kind, old, new, line, expr in self.points(scoring.points, "points", maximum):
            yield f"then{suffix}", kind, old, new, line, attrs.evolve(scoring, points=expr)
        if scoring.otherwise is not None:
            for suffix, kind, old, new, line, expr in self.points(
                scoring.otherwise, "points", maximum
            ):
                yield f"else{suffix}", kind, old, new, line, attrs.evolve(scoring, otherwise=expr)

    def per_unit(self, scoring: m.PerUnit, maximum: Decimal) -> Iterator[_Change]:
        for suffix, kind, old, new, line, expr in self.points(scoring.rate, "rate", None):
            yield f"rate{suffix}", kind, old, new, line, attrs.evolve(scoring, rate=expr)
        if scoring.cap is not None:
            # Without a base, the cap is the rule's value when it binds.
            limit = maximum if scoring.base is None else None
            for suffix, kind, old, new, line, expr in self.points(scoring.cap, "cap", limit):
                yield f"cap{suffix}", kind, old, new, line, attrs.evolve(scoring, cap=expr)
        if scoring.base is not None:
            for suffix, kind, old, new, line, expr in self.points(scoring.base, "base", None):
                yield f"base{suffix}", kind, old, new, line, attrs.evolve(scoring, base=expr)

    def arms(self, scoring: m.Banded | m.Cases, maximum: Decimal) -> Iterator[_Change]:
        for number, arm in enumerate(scoring.arms, start=1):
            changed: list[tuple[str, MutationKind, Shown, Shown, int, m.Arm]] = []
            if isinstance(arm, m.ThresholdArm):
                changed += [
                    (suffix, kind, old, new, line, attrs.evolve(arm, op=op, bound=bound))
                    for suffix, kind, old, new, line, op, bound in self.threshold(arm)
                ]
            elif isinstance(arm, m.CaseArm):
                changed += [
                    (suffix, kind, old, new, line, attrs.evolve(arm, condition=expr))
                    for suffix, kind, old, new, line, expr in self.comparisons(arm.condition)
                ]
            changed += [
                (suffix, kind, old, new, line, attrs.evolve(arm, points=expr))
                for suffix, kind, old, new, line, expr in self.points(arm.points, "points", maximum)
            ]
            for suffix, kind, old, new, line, new_arm in changed:
                arms = (*scoring.arms[: number - 1], new_arm, *scoring.arms[number:])
                yield f"arm{number}{suffix}", kind, old, new, line, attrs.evolve(scoring, arms=arms)

    def target(self, scoring: m.Target, maximum: Decimal) -> Iterator[_Change]:
        mode = scoring.mode
        if isinstance(mode, m.Stepped):
            for suffix, kind, old, new, line, expr in self.points(mode.points, "step", None):
                changed = attrs.evolve(scoring, mode=attrs.evolve(mode, points=expr))
                yield f"step{suffix}", kind, old, new, line, changed
            if isinstance(mode.size, m.Number):
                for sign, value in self.steps(mode.size.value, self.bound_step(mode.size)):
                    if value <= 0:
                        continue
                    size = attrs.evolve(mode.size, value=value)
                    yield (
                        f"size{sign}",
                        "size",
                        Shown("expr", mode.size),
                        Shown("expr", size),
                        mode.size.span.line,
                        attrs.evolve(scoring, mode=attrs.evolve(mode, size=size)),
                    )
        if scoring.zero_target is not None:
            for suffix, kind, old, new, line, expr in self.points(
                scoring.zero_target, "zero", maximum
            ):
                yield f"zero{suffix}", kind, old, new, line, attrs.evolve(scoring, zero_target=expr)

    # ------------------------------------------------------------ expressions

    def points(
        self, expr: m.Expr, kind: MutationKind, result_max: Decimal | None
    ) -> Iterator[_ExprChange]:
        """A point value changed by one step up and down.

        ``result_max`` is the item's maximum when ``expr`` is itself the
        rule's value in some branch (an arm's points): a change that the
        clamp to ``[0, maximum]`` would undo is then not made.  Inside
        ``min``/``max`` in such a place, each constant argument is changed.
        """
        if isinstance(expr, m.Number) and expr.unit == "plain":
            for sign, value in self.steps(expr.value, self.step):
                if result_max is not None and (
                    (sign == "+" and expr.value >= result_max) or (sign == "-" and expr.value <= 0)
                ):
                    continue
                yield (
                    f"/{kind}{sign}" if kind == "points" else sign,
                    kind,
                    Shown("points", expr.value),
                    Shown("points", value),
                    expr.span.line,
                    attrs.evolve(expr, value=value),
                )
        elif (
            isinstance(expr, m.Call) and expr.function in ("min", "max") and result_max is not None
        ):
            for index, arg in enumerate(expr.args):
                for suffix, change, old, new, line, changed in self.points(arg, kind, result_max):
                    args = (*expr.args[:index], changed, *expr.args[index + 1 :])
                    yield (
                        f".{index + 1}{suffix}",
                        change,
                        old,
                        new,
                        line,
                        attrs.evolve(expr, args=args),
                    )

    def comparisons(self, expr: m.Expr) -> Iterator[_ExprChange]:
        """Flips and bound moves of every comparison in a condition; with more
        than one comparison, the place names which (``.2`` for the second)."""
        found = [sub for sub in walk(expr) if isinstance(sub, m.Comparison)]
        for number, comparison in enumerate(found, start=1):
            label = f".{number}" if len(found) > 1 else ""
            for suffix, kind, old, new, line, changed in self.comparison(comparison):
                yield label + suffix, kind, old, new, line, _replace(expr, comparison, changed)

    def comparison(self, expr: m.Comparison) -> Iterator[_ExprChange]:
        flipped = attrs.evolve(expr, op=_FLIP[expr.op])
        yield "/op", "op", Shown("expr", expr), Shown("expr", flipped), expr.span.line, flipped
        for side in ("right", "left"):
            bound: m.Expr = getattr(expr, side)
            moved = list(self.moves(bound))
            if moved:
                for sign, old, new, changed in moved:
                    yield (
                        f"/bound{sign}",
                        "bound",
                        old,
                        new,
                        bound.span.line,
                        attrs.evolve(expr, right=changed)
                        if side == "right"
                        else attrs.evolve(expr, left=changed),
                    )
                return

    def threshold(
        self, arm: m.ThresholdArm
    ) -> Iterator[tuple[str, MutationKind, Shown, Shown, int, m.CompareOp, m.Expr]]:
        bound_text = expr_text(arm.bound)
        flipped = _FLIP[arm.op]
        yield (
            "/op",
            "op",
            Shown("plain", f"{compare_text(arm.op)} {bound_text}"),
            Shown("plain", f"{compare_text(flipped)} {bound_text}"),
            arm.span.line,
            flipped,
            arm.bound,
        )
        for sign, old, new, changed in self.moves(arm.bound):
            yield f"/bound{sign}", "bound", old, new, arm.bound.span.line, arm.op, changed

    def moves(self, bound: m.Expr) -> Iterator[tuple[str, Shown, Shown, m.Expr]]:
        """A constant compared with, one step up and one down (nothing for others)."""
        if isinstance(bound, m.Number):
            for sign, value in self.steps(bound.value, self.bound_step(bound)):
                moved = attrs.evolve(bound, value=value)
                yield sign, Shown("expr", bound), Shown("expr", moved), moved
            return
        day: datetime.date | None = None
        if isinstance(bound, m.DateLiteral):
            day = bound.value
        elif isinstance(bound, m.DeadlineRef):
            day = self.model.header.deadline
        if day is not None:
            for sign, other in (("+", day + _DAY), ("-", day - _DAY)):
                yield (
                    sign,
                    Shown("date", day),
                    Shown("date", other),
                    m.DateLiteral(other, span=bound.span),
                )

    def bound_step(self, number: m.Number) -> Decimal:
        """One unit of the last digit written: 1 for ``90%`` (as a rate, 0.01),
        0.1 for ``2.5``, 1 for a whole number, 1 đồng for money."""
        if number.unit == "money":
            return Decimal(1)
        written = self.source.slice(number.span).rstrip("%").replace("_", "")
        places = len(written.partition(".")[2])
        step = Decimal(1).scaleb(-places)
        return step.scaleb(-2) if number.unit == "percent" else step


def _replace(expr: m.Expr, old: m.Expr, new: m.Expr) -> m.Expr:
    """``expr`` with the sub-expression ``old`` (by identity) replaced by ``new``."""
    if expr is old:
        return new
    if isinstance(expr, m.Logical):
        return attrs.evolve(expr, operands=tuple(_replace(o, old, new) for o in expr.operands))
    if isinstance(expr, m.Not | m.Negate):
        return attrs.evolve(expr, operand=_replace(expr.operand, old, new))
    if isinstance(expr, m.Arithmetic | m.Comparison):
        return attrs.evolve(
            expr, left=_replace(expr.left, old, new), right=_replace(expr.right, old, new)
        )
    if isinstance(expr, m.Call):
        return attrs.evolve(expr, args=tuple(_replace(a, old, new) for a in expr.args))
    return expr


def _with_item(model: m.RubricModel, changed: m.Criterion) -> m.RubricModel:
    """The model with the criterion or rule of ``changed.id`` replaced by it."""

    def swap(items: tuple[m.Criterion, ...]) -> tuple[m.Criterion, ...]:
        return tuple(
            changed
            if item.id == changed.id
            else attrs.evolve(item, children=swap(item.children))
            if item.children
            else item
            for item in items
        )

    evolve: Callable[..., m.RubricModel] = attrs.evolve
    sections = {
        kind: attrs.evolve(section, rules=swap(section.rules))
        for kind, section in (("bonus", model.bonus), ("deduction", model.deduction))
        if section is not None
    }
    parts = tuple(attrs.evolve(part, criteria=swap(part.criteria)) for part in model.parts)
    return evolve(model, parts=parts, **sections)
