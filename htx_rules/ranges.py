"""What values a rule can produce, found by reasoning over the rule, not by sampling.

An interval analysis over the checked rule model: each expression gets the
smallest range ``[low, high]`` this simple reasoning can prove it stays in, for
any evidence the field declarations allow.  Infinite ends mean "no bound
proved".  Conditions get a three-valued answer (always true, never true, or
not known), and the arms of ``by`` and ``cases`` are followed to find the
ones no evidence can ever reach.

Two users: the compiled evaluator leaves out clamps that can never bind, and
``htx-rules check`` (:mod:`htx_rules.lint`) reports maxima that cannot be
reached, caps that never bind and arms never taken.  Both need the analysis to
be conservative: a range always holds every value the rule can produce (ends
are computed with the evaluator's own correctly rounded arithmetic, which is
monotone, so they bound what it computes), and an arm is only called
unreachable when that is proved.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal

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

    @property
    def constant(self) -> Decimal | None:
        """The one value of a finite single-point interval, or None."""
        if self.low == self.high and self.low.is_finite():
            return self.low
        return None


UNKNOWN: Final = Interval(-INFINITY, INFINITY)
NON_NEGATIVE: Final = Interval(_ZERO, INFINITY)


def _safe(low: Decimal, high: Decimal) -> Interval:
    if low.is_nan() or high.is_nan():
        return UNKNOWN
    return Interval(low, high)


def _quotient(a: Interval, b: Interval) -> Interval:
    """``a / b`` for a divisor that is never zero: entirely above or below zero."""
    if b.high < 0:
        flipped = _quotient(a, Interval(-b.high, -b.low))
        return Interval(-flipped.high, -flipped.low)
    assert b.low > 0
    # With a positive divisor, the quotient grows with the dividend; it is
    # largest over the smallest divisor when the dividend is positive.
    high = _CONTEXT.divide(a.high, b.low if a.high >= 0 else b.high)
    low = _CONTEXT.divide(a.low, b.high if a.low >= 0 else b.low)
    return _safe(low, high)


def is_whole(expr: m.Expr, fields: Mapping[str, m.Field]) -> bool:
    """Whether ``expr`` is a whole number for any evidence (a count, days between
    dates, sums and products of whole numbers, ``floor``, ``ceil``)."""
    if isinstance(expr, m.Number):
        return expr.value == expr.value.to_integral_value()
    if isinstance(expr, m.FieldRef):
        return fields[expr.name].type == "count"
    if isinstance(expr, m.Negate):
        return is_whole(expr.operand, fields)
    if isinstance(expr, m.Arithmetic) and expr.op != "/":
        if _is_date(expr.left, fields):
            return True
        return is_whole(expr.left, fields) and is_whole(expr.right, fields)
    if isinstance(expr, m.Call):
        if expr.function in ("floor", "ceil"):
            return True
        if expr.function in ("min", "max"):
            return all(is_whole(a, fields) for a in expr.args)
    return False


def _is_date(expr: m.Expr, fields: Mapping[str, m.Field]) -> bool:
    if isinstance(expr, m.FieldRef):
        return fields[expr.name].type == "date"
    return isinstance(expr, m.DateLiteral | m.DeadlineRef)


def _products(a: Interval, b: Interval) -> list[Decimal]:
    values = []
    for x in (a.low, a.high):
        for y in (b.low, b.high):
            # 0 × ∞ is NaN; the product of a zero end is zero whatever the other.
            values.append(_ZERO if x.is_zero() or y.is_zero() else _CONTEXT.multiply(x, y))
    return values


Truth = Literal[True, False] | None
#: Why an arm of ``by`` or ``cases`` can never be taken.
Blocked = Literal["outside", "duplicate", "shadowed", "covered", "never", "after-always"]


@attrs.frozen
class ArmFate:
    """Whether one arm of ``by`` or ``cases`` can be taken.

    Attributes:
        blocked: None when some evidence may take the arm; otherwise why none can:
            ``outside`` (no value the subject can have meets the bound),
            ``duplicate`` (an arm above has the same comparison and bound),
            ``shadowed`` (the arms above take every value it holds for),
            ``covered`` (an ``otherwise`` after arms that take every value),
            ``never`` (a ``cases`` condition that never holds),
            ``after-always`` (an arm after a ``cases`` condition that always holds).
        by: The indices of the arms above that take its values (for
            ``duplicate``, ``shadowed``, ``covered`` and ``after-always``).
    """

    blocked: Blocked | None = None
    by: tuple[int, ...] = ()


@attrs.frozen
class ArmsAnalysis:
    """The fate of every arm of a ``by`` or ``cases``, in order.

    Attributes:
        fates: One per arm.
        rest: Whether some value can fall past every arm: it takes ``otherwise``
            when there is one, and scores 0 when there is none.
        domain: For a ``by`` on a number: the range of its subject.
    """

    fates: tuple[ArmFate, ...]
    rest: bool
    domain: Interval | None = None


class _Atoms:
    """The number line cut at finitely many points into pieces — the points
    themselves and the open stretches between them — on each of which every
    comparison with one of the points has a single answer.  Each piece is
    represented by one value inside it; for a subject that is always a whole
    number, by a whole number inside it, and a piece holding none is left out."""

    def __init__(self, points: Sequence[Decimal], whole: bool) -> None:
        cuts = sorted(set(points))
        one = Decimal(1)
        samples: list[Decimal | None] = []
        if not cuts:
            samples.append(_ZERO)
        else:
            # Below the first cut, and above the last: never empty.
            samples.append(_ceil(cuts[0]) - one if whole else cuts[0] - one)
            for index, cut in enumerate(cuts):
                samples.append(cut if not whole or cut == cut.to_integral_value() else None)
                if index + 1 < len(cuts):
                    following = cuts[index + 1]
                    if whole:
                        inner = _floor(cut) + one
                        samples.append(inner if inner < following else None)
                    else:
                        samples.append(_CONTEXT.divide(_CONTEXT.add(cut, following), Decimal(2)))
            samples.append(_floor(cuts[-1]) + one if whole else cuts[-1] + one)
        self.samples = samples

    def where(self, op: m.CompareOp, bound: Decimal, domain: Interval) -> frozenset[int]:
        """The pieces inside ``domain`` where ``subject op bound`` holds."""
        return frozenset(i for i in self.inside(domain) if _holds(op, self._sample(i), bound))

    def inside(self, domain: Interval) -> frozenset[int]:
        """The pieces inside ``domain``."""
        return frozenset(
            index
            for index, x in enumerate(self.samples)
            if x is not None and domain.low <= x <= domain.high
        )

    def _sample(self, index: int) -> Decimal:
        value = self.samples[index]
        assert value is not None
        return value


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(decimal.ROUND_FLOOR)


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(decimal.ROUND_CEILING)


def _holds(op: m.CompareOp, left: Decimal, right: Decimal) -> bool:
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    if op == "=":
        return left == right
    return left != right


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
                if _is_date(expr.left, self.fields):
                    return UNKNOWN
                return _safe(
                    _CONTEXT.subtract(left.low, right.high), _CONTEXT.subtract(left.high, right.low)
                )
            if expr.op == "*":
                values = _products(left, right)
                return _safe(min(values), max(values))
            divisor = self._divisor(expr.right, right)
            return UNKNOWN if divisor is None else _quotient(left, divisor)
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

    def _divisor(self, expr: m.Expr, span: Interval) -> Interval | None:
        """The values a divisor has when the division has a value: a division by
        zero is undefined (the rule scores 0), so zero is left out; a whole
        number that is never negative is then at least 1.  None when the divisor
        can be on both sides of zero."""
        if span.low > 0 or span.high < 0:
            return span
        if is_whole(expr, self.fields):
            if span.low == 0 and span.high >= 1:
                return Interval(Decimal(1), span.high)
            if span.high == 0 and span.low <= -1:
                return Interval(span.low, Decimal(-1))
        return None

    def truth(self, condition: m.Expr) -> Truth:
        """True when ``condition`` holds for any evidence, False when it never does,
        None when this reasoning cannot tell (or the condition is not numeric)."""
        if isinstance(condition, m.Not):
            inner = self.truth(condition.operand)
            return None if inner is None else not inner
        if isinstance(condition, m.Logical):
            answers = [self.truth(o) for o in condition.operands]
            decisive = condition.op == "or"  # `or` is decided by a True, `and` by a False
            if decisive in answers:
                return decisive
            if all(a is (not decisive) for a in answers):
                return not decisive
            return None
        if not isinstance(condition, m.Comparison):
            return None
        # Dates, choices and yes/no values have no interval (UNKNOWN): no answer.
        left, right = self.expr(condition.left), self.expr(condition.right)
        op = condition.op
        if op in (">=", ">", "<=", "<"):
            if op in ("<=", "<"):  # a <= b is b >= a
                left, right, op = right, left, (">=" if op == "<=" else ">")
            if _holds(op, left.low, right.high):
                return True
            if not _holds(op, left.high, right.low):
                return False
            return None
        same: Truth = None
        if left.constant is not None and left.constant == right.constant:
            same = True
        elif left.high < right.low or right.high < left.low:
            same = False
        if same is None or op == "=":
            return same
        return not same

    def arms(self, scoring: m.Banded | m.Cases) -> ArmsAnalysis:
        """Which arms of a ``by`` or ``cases`` some evidence can take."""
        if isinstance(scoring, m.Cases):
            return self._case_arms(scoring.arms)
        if any(isinstance(a, m.ChoiceArm) for a in scoring.arms):
            return self._choice_arms(scoring)
        return self._threshold_arms(scoring)

    def _case_arms(self, arms: Sequence[m.Arm]) -> ArmsAnalysis:
        fates: list[ArmFate] = []
        always: int | None = None
        for index, arm in enumerate(arms):
            if always is not None:
                fates.append(ArmFate("after-always", (always,)))
                continue
            if isinstance(arm, m.CaseArm):
                answer = self.truth(arm.condition)
                if answer is True:
                    always = index
                fates.append(ArmFate("never") if answer is False else ArmFate())
            else:
                fates.append(ArmFate())
                always = index
        return ArmsAnalysis(tuple(fates), always is None)

    def _choice_arms(self, scoring: m.Banded) -> ArmsAnalysis:
        covered = {v for a in scoring.arms if isinstance(a, m.ChoiceArm) for v in a.values}
        field = (
            self.fields.get(scoring.subject.name)
            if isinstance(scoring.subject, m.FieldRef)
            else None
        )
        rest = field is None or any(c.value not in covered for c in field.choices)
        fates: list[ArmFate] = []
        for arm in scoring.arms:
            if isinstance(arm, m.OtherwiseArm):
                earlier = tuple(range(len(fates)))
                fates.append(ArmFate() if rest else ArmFate("covered", earlier))
                rest = False
            else:
                fates.append(ArmFate())
        return ArmsAnalysis(tuple(fates), rest)

    def _threshold_arms(self, scoring: m.Banded) -> ArmsAnalysis:
        domain = self.expr(scoring.subject)
        bounds: list[Decimal | None] = [
            self.expr(arm.bound).constant if isinstance(arm, m.ThresholdArm) else None
            for arm in scoring.arms
        ]
        cuts = [b for b in bounds if b is not None]
        cuts += [end for end in (domain.low, domain.high) if end.is_finite()]
        atoms = _Atoms(cuts, is_whole(scoring.subject, self.fields))
        left = atoms.inside(domain)
        takes: list[frozenset[int]] = []
        fates: list[ArmFate] = []
        for index, (arm, bound) in enumerate(zip(scoring.arms, bounds, strict=True)):
            if isinstance(arm, m.OtherwiseArm):
                earlier = tuple(i for i, t in enumerate(takes) if t)
                fates.append(ArmFate() if left else ArmFate("covered", earlier))
                takes.append(left)
                left = frozenset()
                continue
            if not isinstance(arm, m.ThresholdArm) or bound is None:
                fates.append(ArmFate())  # a bound this reasoning cannot follow
                takes.append(frozenset())
                continue
            holds = atoms.where(arm.op, bound, domain)
            taken = holds & left
            if not holds:
                fates.append(ArmFate("outside"))
            elif not taken:
                same = tuple(
                    i
                    for i, (other, b) in enumerate(zip(scoring.arms[:index], bounds, strict=False))
                    if isinstance(other, m.ThresholdArm) and other.op == arm.op and b == bound
                )
                above = tuple(i for i, t in enumerate(takes) if t & holds)
                fates.append(ArmFate("duplicate", same[:1]) if same else ArmFate("shadowed", above))
            else:
                fates.append(ArmFate())
            takes.append(taken)
            left = left - holds
        return ArmsAnalysis(tuple(fates), bool(left), domain)

    def scoring(self, scoring: m.Scoring, maximum: Decimal) -> Interval:
        """The range of the raw value a scoring form produces."""
        if isinstance(scoring, m.Formula):
            return self.expr(scoring.expr)
        if isinstance(scoring, m.Conditional):
            other = (
                Interval.point(_ZERO) if scoring.otherwise is None else self.expr(scoring.otherwise)
            )
            answer = self.truth(scoring.condition)
            if answer is True:
                return self.expr(scoring.points)
            if answer is False:
                return other
            return self.expr(scoring.points).hull(other)
        if isinstance(scoring, m.PerUnit):
            amount = self.per_unit_amount(scoring)
            if scoring.base is None:
                return amount
            base = self.expr(scoring.base)
            return _safe(
                _CONTEXT.subtract(base.low, amount.high), _CONTEXT.subtract(base.high, amount.low)
            )
        if isinstance(scoring, m.Assessed):
            return UNKNOWN  # a reviewer's points: bounded only by the clamp
        if isinstance(scoring, m.Banded | m.Cases):
            analysis = self.arms(scoring)
            result: Interval | None = None
            for arm, fate in zip(scoring.arms, analysis.fates, strict=True):
                if fate.blocked is None:
                    arm_range = self.expr(arm.points)
                    result = arm_range if result is None else result.hull(arm_range)
            has_otherwise = any(isinstance(a, m.OtherwiseArm) for a in scoring.arms)
            if analysis.rest and not has_otherwise:
                zero = Interval.point(_ZERO)
                result = zero if result is None else result.hull(zero)
            # No arm can be taken at all: the rule never has a value (it is
            # undefined or missing whenever it runs), and then scores 0.
            return result or Interval.point(_ZERO)
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

    def per_unit_amount(self, scoring: m.PerUnit) -> Interval:
        """The range of ``rate × units`` after its ``at most`` cap, if any."""
        amount = self.uncapped_amount(scoring)
        if scoring.cap is not None:
            cap = self.expr(scoring.cap)
            amount = Interval(min(amount.low, cap.low), min(amount.high, cap.high))
        return amount

    def uncapped_amount(self, scoring: m.PerUnit) -> Interval:
        """The range of ``rate × units`` before any cap."""
        values = _products(self.expr(scoring.rate), self.expr(scoring.units))
        return _safe(min(values), max(values))
