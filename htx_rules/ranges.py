"""What values a rule can produce, found by reasoning over the rule, not by sampling.

An interval analysis over the checked rule model: each expression gets the
smallest range ``[low, high]`` this simple reasoning can prove it stays in, for
any evidence the field declarations allow.  Infinite ends mean "no bound
proved".  The compiled evaluator uses it to leave out clamps that can never
bind; it is conservative, so a clamp is only left out when it provably cannot
change a value.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Final

import attrs

from htx_rules import model as m

_CONTEXT: Final = decimal.Context(prec=60, traps=[])
INFINITY: Final = Decimal("Infinity")
_ZERO: Final = Decimal(0)


@attrs.frozen
class Interval:
    """A closed range of numbers; ends may be infinite."""

    low: Decimal
    high: Decimal

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        return cls(value, value)

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        return Interval(min(self.low, other.low), max(self.high, other.high))

    def within(self, low: Decimal, high: Decimal) -> bool:
        """Whether every value of the interval lies in ``[low, high]``."""
        return self.low >= low and self.high <= high


UNKNOWN: Final = Interval(-INFINITY, INFINITY)
NON_NEGATIVE: Final = Interval(_ZERO, INFINITY)


def _safe(low: Decimal, high: Decimal) -> Interval:
    if low.is_nan() or high.is_nan():
        return UNKNOWN
    return Interval(low, high)


def _products(a: Interval, b: Interval) -> list[Decimal]:
    values = []
    for x in (a.low, a.high):
        for y in (b.low, b.high):
            # 0 × ∞ is NaN; the product of a zero end is zero whatever the other.
            values.append(_ZERO if x.is_zero() or y.is_zero() else _CONTEXT.multiply(x, y))
    return values


class RangeAnalysis:
    """Intervals of expressions and scoring forms of one checked rubric."""

    def __init__(self, model: m.RubricModel) -> None:
        self.model = model
        self.fields = {f.name: f for f in model.fields}
        self.maxima: dict[str, Decimal] = {}
        for part in model.parts:
            self._collect(part.criteria)
        for section in (model.bonus, model.deduction):
            if section is not None:
                self._collect(section.rules)

    def _collect(self, items: tuple[m.Criterion, ...]) -> None:
        for item in items:
            self.maxima[item.id] = item.maximum
            self._collect(item.children)

    def field(self, field: m.Field) -> Interval:
        if field.type not in ("count", "number", "percent", "money"):
            return UNKNOWN
        low = -INFINITY if field.minimum is None else field.minimum
        high = INFINITY if field.maximum is None else field.maximum
        if field.type == "count":
            low = max(low, _ZERO)
        if field.type == "percent":  # read as a rate
            low, high = max(low, _ZERO), min(high, Decimal(1))
        return Interval(low, high)

    def expr(self, expr: m.Expr) -> Interval:
        """The range of a numeric expression (UNKNOWN for anything not proved)."""
        if isinstance(expr, m.Number):
            return Interval.point(expr.value)
        if isinstance(expr, m.FieldRef):
            return self.field(self.fields[expr.name])
        if isinstance(expr, m.PointsOf):
            return Interval(_ZERO, self.maxima.get(expr.item, INFINITY))
        if isinstance(expr, m.Negate):
            inner = self.expr(expr.operand)
            return Interval(-inner.high, -inner.low)
        if isinstance(expr, m.Arithmetic):
            left, right = self.expr(expr.left), self.expr(expr.right)
            if expr.op == "+":
                return _safe(_CONTEXT.add(left.low, right.low), _CONTEXT.add(left.high, right.high))
            if expr.op == "-":
                if self._is_date(expr.left):
                    return UNKNOWN
                return _safe(
                    _CONTEXT.subtract(left.low, right.high), _CONTEXT.subtract(left.high, right.low)
                )
            if expr.op == "*":
                values = _products(left, right)
                return _safe(min(values), max(values))
            if left.low >= 0 and right.low > 0:
                return NON_NEGATIVE
            return UNKNOWN
        if isinstance(expr, m.Call):
            args = [self.expr(a) for a in expr.args]
            if expr.function == "min":
                return Interval(min(a.low for a in args), min(a.high for a in args))
            if expr.function == "max":
                return Interval(max(a.low for a in args), max(a.high for a in args))
            first = args[0]
            # round, floor and ceil move a value by less than one unit.
            return _safe(
                _CONTEXT.subtract(first.low, Decimal(1)), _CONTEXT.add(first.high, Decimal(1))
            )
        return UNKNOWN

    def _is_date(self, expr: m.Expr) -> bool:
        if isinstance(expr, m.FieldRef):
            return self.fields[expr.name].type == "date"
        return isinstance(expr, m.DateLiteral | m.DeadlineRef)

    def scoring(self, scoring: m.Scoring, maximum: Decimal) -> Interval:
        """The range of the raw value a scoring form produces."""
        if isinstance(scoring, m.Formula):
            return self.expr(scoring.expr)
        if isinstance(scoring, m.Conditional):
            other = (
                Interval.point(_ZERO) if scoring.otherwise is None else self.expr(scoring.otherwise)
            )
            return self.expr(scoring.points).hull(other)
        if isinstance(scoring, m.PerUnit):
            values = _products(self.expr(scoring.rate), self.expr(scoring.units))
            amount = _safe(min(values), max(values))
            if scoring.cap is not None:
                cap = self.expr(scoring.cap)
                amount = Interval(min(amount.low, cap.low), min(amount.high, cap.high))
            if scoring.base is None:
                return amount
            base = self.expr(scoring.base)
            return _safe(
                _CONTEXT.subtract(base.low, amount.high), _CONTEXT.subtract(base.high, amount.low)
            )
        if isinstance(scoring, m.Assessed):
            return UNKNOWN  # a reviewer's points: bounded only by the clamp
        if isinstance(scoring, m.Banded | m.Cases):
            result: Interval | None = None
            for arm in scoring.arms:
                arm_range = self.expr(arm.points)
                result = arm_range if result is None else result.hull(arm_range)
            if not any(isinstance(a, m.OtherwiseArm) for a in scoring.arms) and not (
                isinstance(scoring, m.Banded) and self._covers_choices(scoring)
            ):
                result = (
                    Interval.point(_ZERO) if result is None else result.hull(Interval.point(_ZERO))
                )
            return result or UNKNOWN
        assert isinstance(scoring, m.Target)
        zero = (
            Interval.point(maximum)
            if scoring.zero_target is None
            else self.expr(scoring.zero_target)
        )
        if isinstance(scoring.mode, m.Linear):
            actual = self.expr(scoring.actual)
            achieved = NON_NEGATIVE if actual.low >= 0 else UNKNOWN
            return achieved.hull(zero)
        steps = self.expr(scoring.mode.points)
        # Full marks at 100%; below it, whole steps of `points` are taken off,
        # which can only raise the value when the step points can be negative.
        high = maximum if steps.low >= 0 else INFINITY
        return Interval(-INFINITY, high).hull(zero)

    def _covers_choices(self, scoring: m.Banded) -> bool:
        return any(isinstance(a, m.ChoiceArm) for a in scoring.arms)
