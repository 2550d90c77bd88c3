"""Stage 8: what would have changed a result — counterfactuals, award gaps, fragility.

Three questions an auditor asks after scoring (``docs/what-if.md``):

* :func:`counterfactuals` — for every criterion below its maximum (and every
  bonus rule below its maximum, every deduction rule above 0): the smallest
  change of one evidence value, the others fixed, that would raise its points
  (lower them, for a deduction), the points and the total it would give;
* :func:`award_gaps` — for the unit just below each award place: how far
  behind it was, what an equal total would have given it under the tie-break
  order, and the smallest single-value changes that would have put it above;
* :func:`fragility` — every unit whose place or award a one-step change of one
  evidence value (one more cooperative, one percentage point, one day, …)
  would change, so that re-inspection looks there first.

**How the smallest change is found.**  Not by blind search: the rules are
analysed.  With every other value fixed, each number a rule computes is, as a
function of the one value ``f`` that moves, a quotient of two first-degree
polynomials, ``(n0 + n1·f) / (d0 + d1·f)`` (:class:`_Frac`), along the branch
the rules take at a given ``f``.  Every comparison, ``min``/``max``, cap,
``floor``/``ceil``/``round``, target step, division and the rubric's own
rounding of a rule's value is solved for ``f``: the solutions are the
*breakpoints* between which every item's points stay the same.  The search
walks from the current value towards the breakpoints in order, rounding each to
the field's grid (:func:`field_step`), and asks the real engine
(:meth:`Rubric.score <htx_rules.rubric.Rubric.score>`, or the contest's own
ranking) for the points at those values only; the first that helps is the
answer.  A rule that is not of that shape in ``f`` (a product of two uses of
``f``) is reported as such (status ``unanalysable``), never guessed.

The solver works in :class:`~decimal.Decimal` with 200 significant digits:
sums and products of evidence values and the rubric's literals are exact
there; a quotient (a breakpoint such as 20/3) is carried far enough that
rounding it to the field's grid is exact.  Every number of points reported
here comes from the engine, never from the solver.  Nothing here reads or
writes files.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal, NamedTuple, TypeAlias, TypeVar

import attrs

from htx_rules import model as m
from htx_rules.checker import all_items, fields_read, items_read, scoring_exprs, walk
from htx_rules.contest import (
    Award,
    ContestResult,
    Standing,
    _comparable,
    _eligibility,
    _key_value,
    _rank,
    _Scored,
)
from htx_rules.decimals import HUNDRED, ROUNDING_MODES, SCORING_CONTEXT, ZERO
from htx_rules.evaluator import DOSSIER_COMPLETE, dependency_order
from htx_rules.evidence import LIMIT, MAX_DECIMALS
from htx_rules.result import Result, Value
from htx_rules.rubric import Rubric
from htx_rules.trace import assessment_key

Direction = Literal["up", "down", "set"]
ItemKind = Literal["criterion", "bonus", "deduction"]
Status = Literal["change", "supply", "none", "unanalysable", "reviewer"]

#: How many pieces (stretches between breakpoints) one search may cross
#: before it gives up and says so (status ``unanalysable``, reason ``limit``).
SEARCH_LIMIT = 400

# The scoring context's rounding, range and traps, with more digits: solutions are
# found exactly enough that the grid values next to them are the right ones.
_SOLVER: Final = SCORING_CONTEXT.copy()
_SOLVER.prec = 200
_HALF: Final = Decimal("0.5")
_ONE: Final = Decimal(1)


# ---------------------------------------------------------------- results


@attrs.frozen
class EvidenceChange:
    """One evidence value changed.

    Attributes:
        field: The evidence field.
        direction: ``up`` or ``down`` for a number or a date, ``set`` for a
            yes/no or choice value (and for evidence supplied where none was given).
        before: The value given (None: not given).
        after: The value after the change.
        delta: ``after - before`` in the field's units (percentage points for
            a percentage, đồng for money, days for a date); None for yes/no and
            choice values and for a value supplied.
    """

    field: str
    direction: Direction
    before: Value | None
    after: Value
    delta: Decimal | None = None


@attrs.frozen
class Counterfactual:
    """What one change of evidence would do to one criterion or rule.

    Attributes:
        item: The criterion or rule id.
        label: Its label.
        kind: ``criterion``, ``bonus`` (a bonus rule) or ``deduction`` (a
            deduction rule: there, helping means fewer points).
        status: ``change`` — the smallest change of one value that helps;
            ``supply`` — evidence the item needs was not given (``fields``);
            ``none`` — no change of a single value helps;
            ``unanalysable`` — the rule cannot be analysed in ``fields[0]``
            (``reason``: ``nonlinear`` or ``limit``);
            ``reviewer`` — a reviewer gives its points, no evidence does.
        points: The item's points now.
        maximum: Its maximum.
        total: The unit's total now.
        fields: The field changed (``change``, ``unanalysable``) or to supply
            (``supply``); empty for ``none`` and ``reviewer``.
        change: The change (for ``supply`` with one field: the value from the
            field's lowest that gives the most points), or None.
        points_after: The item's points after the change (for ``supply``
            with several fields: None, the item can reach at most its maximum).
        total_after: The total after the change, or None.
        reason: Why an ``unanalysable`` field could not be analysed.
    """

    item: str
    label: str
    kind: ItemKind
    status: Status
    points: Decimal
    maximum: Decimal
    total: Decimal
    fields: tuple[str, ...] = ()
    change: EvidenceChange | None = None
    points_after: Decimal | None = None
    total_after: Decimal | None = None
    reason: str | None = None

    @property
    def field(self) -> str | None:
        """The (first) field concerned, or None."""
        return self.fields[0] if self.fields else None

    @property
    def gain(self) -> Decimal | None:
        """``points_after - points`` (negative for a deduction lowered), or None."""
        return None if self.points_after is None else self.points_after - self.points


@attrs.frozen
class GapChange:
    """A single change of a unit's verified evidence that would put it above another.

    Attributes:
        change: The change.
        total: The unit's verified total after it.
        rank: The unit's rank after it.
        award: The award it would then receive (None: none).
    """

    change: EvidenceChange
    total: Decimal
    rank: int
    award: Award | None


@attrs.frozen
class AwardGap:
    """What the unit just below an award place lacked to pass the unit holding it.

    Attributes:
        place: The holder's award place.
        holder: The code of the unit holding it.
        challenger: The code of the next eligible unit in rank order.
        behind: The holder's verified total minus the challenger's (0 or more).
        tie_key: The tie-break key that would decide between them at equal
            totals, with their present values (None: they would share the place).
        wins_at_equal: Whether an equal total would rank the challenger above.
        changes: The smallest change of each of its evidence values, in
            rubric order, that would have ranked it above the holder (empty:
            no single change would have).
        unanalysable: Fields the search could not analyse, with the reason.
    """

    place: m.Place
    holder: str
    challenger: str
    behind: Decimal
    tie_key: m.TieBreak | None
    wins_at_equal: bool
    changes: tuple[GapChange, ...] = ()
    unanalysable: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Effect:
    """How a unit's place or award would change.

    Attributes:
        contestant: The unit's code.
        rank: Its rank now.
        rank_after: Its rank after the change.
        award: Its award now (None: none).
        award_after: Its award after the change.
    """

    contestant: str
    rank: int
    rank_after: int
    award: Award | None
    award_after: Award | None


@attrs.frozen
class Fragility:
    """A one-step change of one unit's verified evidence that changes a place or an award.

    Attributes:
        contestant: The code of the unit whose value moves.
        change: The change (one smallest step, see :func:`field_step`).
        effects: Every unit whose rank or award would change, in rank order.
    """

    contestant: str
    change: EvidenceChange
    effects: tuple[Effect, ...]


# ---------------------------------------------------------------- grids and steps


def _decimals(value: Decimal) -> int:
    """How many decimals ``value`` needs (``72.50`` needs 1)."""
    if not value.is_finite() or value == 0:
        return 0
    exponent = value.normalize(_SOLVER).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _reads(expr: m.Expr, name: str) -> bool:
    return any(isinstance(e, m.FieldRef) and e.name == name for e in walk(expr))


def _literals_of(model: m.RubricModel, field: m.Field) -> Iterable[Decimal]:
    """The literals, in the field's own units, of the expressions that read it
    (with the bounds a ``by`` compares it with) in rules and award conditions."""
    unit = {"percent": "percent", "money": "money", "number": "plain"}.get(field.type)
    exprs: list[m.Expr] = []
    for item in all_items(model):
        scoring = item.scoring
        if scoring is None or field.name not in fields_read(scoring):
            continue
        if isinstance(scoring, m.Banded) and _reads(scoring.subject, field.name):
            exprs += [a.bound for a in scoring.arms if isinstance(a, m.ThresholdArm)]
        exprs += [e for e in scoring_exprs(scoring) if _reads(e, field.name)]
    if model.awards is not None:
        exprs += [e.condition for e in model.awards.eligibility if _reads(e.condition, field.name)]
    for expr in exprs:
        for sub in walk(expr):
            if isinstance(sub, m.Number) and sub.unit == unit:
                yield sub.value * HUNDRED if unit == "percent" else sub.value


def field_step(model: m.RubricModel, field: m.Field, value: Value | None = None) -> Decimal:
    """The smallest step the rubric distinguishes in ``field``, in its evidence units.

    * a count: 1; a date: 1 (day);
    * a percentage: 1 percentage point, or finer (0.1, 0.01, …) when the
      value given, a bound of the field or a percentage written in a rule that
      reads it has decimals (``72.5%`` makes it 0.1);
    * money: 1 đồng, or finer when the value given or a bound has decimals;
    * a number: 1, or finer when the value given, a bound or a plain number
      written in a rule that reads it has decimals;
    * yes/no and choice fields have no step (every other value is one change).

    The step never goes below 10**-12, the finest evidence the engine accepts.
    """
    if field.type in ("count", "date"):
        return _ONE
    if field.type in ("yes/no", "choice"):
        return _ONE
    places = 0
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        places = _decimals(Decimal(value))
    scale = HUNDRED if field.type == "percent" else _ONE
    for bound in (field.minimum, field.maximum):
        if bound is not None:
            places = max(places, _decimals(bound * scale))
    if field.type != "money":
        for literal in _literals_of(model, field):
            places = max(places, _decimals(literal))
    return Decimal(1).scaleb(-min(places, MAX_DECIMALS))


def _domain(field: m.Field, step: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest value evidence may give ``field``, on its grid
    (dates as day numbers)."""
    if field.type == "date":
        return _ONE, Decimal(datetime.date.max.toordinal())
    edge = LIMIT - step
    low = -edge if field.minimum is None else field.minimum
    high = edge if field.maximum is None else field.maximum
    if field.type == "percent":
        low, high = max(low * HUNDRED, ZERO), min(high * HUNDRED, HUNDRED)
    if field.type == "count":
        low = max(low, ZERO)
    return max(low, -edge), min(high, edge)


def _to_axis(field: m.Field, value: Value) -> Decimal:
    """An evidence value as a number on the field's axis (a date as its day number)."""
    if isinstance(value, datetime.date):
        return Decimal(value.toordinal())
    assert isinstance(value, Decimal | int)
    return Decimal(value)


def _from_axis(field: m.Field, x: Decimal, like: Value | None) -> Value:
    """A number on the field's axis as the evidence value the engine takes."""
    if field.type == "date":
        return datetime.date.fromordinal(int(x))
    if field.type == "count":
        return int(x)
    whole = x == x.to_integral_value()
    if field.type == "percent" or isinstance(like, Decimal):
        return Decimal(int(x)) if whole else x.normalize(_SOLVER)
    return int(x) if whole else x.normalize(_SOLVER)


def _delta(field: m.Field, before: Value | None, after: Value) -> Decimal | None:
    if before is None or isinstance(after, bool | str):
        return None
    return _to_axis(field, after) - _to_axis(field, before)


# ---------------------------------------------------------------- the solver


class _NotLinear(Exception):
    """A number is not a first-degree quotient in the field that moves."""


class _Singular(Exception):
    """The point analysed is itself a breakpoint (a division by zero there)."""


class _Missing(Exception):
    """A rule needs a value that was not given."""


class _Undefined(Exception):
    """A rule's value cannot be computed anywhere near the point analysed."""


Poly: TypeAlias = tuple[Decimal, Decimal, Decimal]  # c0 + c1·f + c2·f²


def _degree(p: Poly) -> int:
    return 2 if p[2] else 1 if p[1] else 0 if p[0] else -1


def _pmul(p: Poly, q: Poly) -> Poly:
    if (p[2] and (q[1] or q[2])) or (q[2] and p[1]):
        raise _NotLinear
    return (p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[0] * q[2] + p[1] * q[1] + p[2] * q[0])


def _padd(p: Poly, q: Poly) -> Poly:
    return (p[0] + q[0], p[1] + q[1], p[2] + q[2])


def _divides(factor: Poly, p: Poly) -> bool:
    """Whether the first-degree ``factor`` divides ``p`` (exactly: no division)."""
    l0, l1 = factor[0], factor[1]
    return p[0] * l1 * l1 - p[1] * l0 * l1 + p[2] * l0 * l0 == 0


def _divide(p: Poly, factor: Poly) -> Poly:
    """``p / factor`` times ``l1²`` (the same scale for a numerator and a denominator)."""
    l0, l1 = factor[0], factor[1]
    return (p[1] * l1 - p[2] * l0, p[2] * l1, ZERO)


def _roots(p: Poly) -> list[Decimal]:
    """The real roots of ``p`` (none when it is constant, or zero everywhere)."""
    degree = _degree(p)
    if degree == 1:
        return [-p[0] / p[1]]
    if degree == 2:
        disc = p[1] * p[1] - 4 * p[2] * p[0]
        if disc < 0:
            return []
        root = disc.sqrt()
        return [(-p[1] - root) / (2 * p[2]), (-p[1] + root) / (2 * p[2])]
    return []


class _Frac(NamedTuple):
    """``(n0 + n1·f) / (d0 + d1·f)``: a number as a function of the value that moves."""

    n0: Decimal
    n1: Decimal
    d0: Decimal
    d1: Decimal

    @property
    def num(self) -> Poly:
        return (self.n0, self.n1, ZERO)

    @property
    def den(self) -> Poly:
        return (self.d0, self.d1, ZERO)

    @property
    def fixed(self) -> bool:
        """Whether the value is the same for every ``f`` (where it is defined)."""
        return self.n1 * self.d0 == self.n0 * self.d1

    def at(self, x: Decimal) -> Decimal:
        den = self.d0 + self.d1 * x
        if not den:
            raise _Singular
        return (self.n0 + self.n1 * x) / den


def _const(value: Decimal) -> _Frac:
    return _Frac(value, ZERO, _ONE, ZERO)


def _make(num: Poly, den: Poly, factors: Sequence[Poly]) -> _Frac:
    for factor in factors:
        if _degree(num) <= 1 and _degree(den) <= 1:
            break
        if _degree(factor) == 1 and _divides(factor, num) and _divides(factor, den):
            num, den = _divide(num, factor), _divide(den, factor)
    if _degree(num) > 1 or _degree(den) > 1:
        raise _NotLinear
    return _Frac(num[0], num[1], den[0], den[1])


def _add(a: _Frac, b: _Frac) -> _Frac:
    if a.d0 == b.d0 and a.d1 == b.d1:
        return _Frac(a.n0 + b.n0, a.n1 + b.n1, a.d0, a.d1)
    num = _padd(_pmul(a.num, b.den), _pmul(b.num, a.den))
    return _make(num, _pmul(a.den, b.den), (a.den, b.den))


def _neg(a: _Frac) -> _Frac:
    return _Frac(-a.n0, -a.n1, a.d0, a.d1)


def _mul(a: _Frac, b: _Frac) -> _Frac:
    return _make(_pmul(a.num, b.num), _pmul(a.den, b.den), (a.den, b.den, a.num, b.num))


def _div(a: _Frac, b: _Frac) -> _Frac:
    return _make(_pmul(a.num, b.den), _pmul(a.den, b.num), (b.num, a.den, b.den, a.num))


def _crossings(a: _Frac, b: _Frac) -> list[Decimal]:
    """Where ``a`` and ``b`` are equal, or either has a pole (where their order may change)."""
    if a.fixed and b.fixed:
        return []
    poly = _padd(_pmul(a.num, b.den), _neg_poly(_pmul(b.num, a.den)))
    return _roots(poly) + _roots(a.den) + _roots(b.den)


def _neg_poly(p: Poly) -> Poly:
    return (-p[0], -p[1], -p[2])


def _level(a: _Frac, value: Decimal) -> list[Decimal]:
    """Where ``a`` equals ``value``."""
    return _roots((a.n0 - value * a.d0, a.n1 - value * a.d1, ZERO))


def _round(value: Decimal, quantum: Decimal, mode: str) -> Decimal:
    return value.quantize(quantum, rounding=mode, context=_SOLVER)


_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class _Analysis:
    """The rubric read as the solver needs it (built once per rubric)."""

    def __init__(self, rubric: Rubric) -> None:
        model = rubric.model
        self.rubric = rubric
        self.model = model
        self.fields = {f.name: f for f in model.fields}
        self.items = {i.id: i for i in all_items(model)}
        self.order = dependency_order(model)
        self.position = {item_id: n for n, item_id in enumerate(self.order)}
        rounding = model.header.rounding
        self.quantum = Decimal(1).scaleb(-rounding.places)
        self.mode = ROUNDING_MODES[rounding.mode]
        deadline = model.header.deadline
        self.deadline = None if deadline is None else Decimal(deadline.toordinal())
        sections = [s for s in (model.bonus, model.deduction) if s is not None]
        self._dependents: dict[str, list[str]] | None = None
        self.kind: dict[str, ItemKind] = dict.fromkeys(self.items, "criterion")
        for section in sections:
            for rule in section.rules:
                self.kind[rule.id] = section.kind

    def closure(self, item_id: str) -> list[str]:
        """``item_id`` and every item its points depend on, in dependency order."""
        seen: set[str] = set()

        def visit(current: str) -> None:
            if current in seen:
                return
            seen.add(current)
            item = self.items[current]
            deps = [c.id for c in item.children] + list(item.requires)
            if item.scoring is not None:
                deps += items_read(item.scoring)
            for dep in deps:
                visit(dep)

        visit(item_id)
        return sorted(seen, key=self.position.__getitem__)

    def dependents(self, field: str) -> list[str]:
        """The items whose points depend on ``field`` (read by their rule, or by
        an item they require or read the points of), in dependency order."""
        if self._dependents is None:
            self._dependents = {}
            for item_id in self.order:
                for name in self.fields_of(self.closure(item_id)):
                    self._dependents.setdefault(name, []).append(item_id)
        return self._dependents.get(field, [])

    def fields_of(self, items: Iterable[str]) -> list[str]:
        """The fields the scoring forms of ``items`` read, in rubric order of items."""
        names: dict[str, None] = {}
        for item_id in items:
            scoring = self.items[item_id].scoring
            if scoring is not None:
                names.update(dict.fromkeys(fields_read(scoring)))
        return list(names)

    def breakpoints(
        self,
        values: Mapping[Any, Any],
        field: str,
        x: Decimal,
        items: Sequence[str],
        conditions: Sequence[m.Expr] = (),
        goal: tuple[str, int] | None = None,
    ) -> list[Decimal]:
        """Where, as ``field`` moves away from ``x``, the points of ``items`` (or
        the outcome of ``conditions``) may change: the breakpoints of the branch
        the rules take at ``x``.  Raises :class:`_Singular` when ``x`` is one,
        :class:`_NotLinear` when a rule cannot be analysed in ``field``.

        With ``goal`` = ``(item, sign)``, the rounding steps of that item's value
        are left out where the value moves against ``sign`` (as ``field``
        moves the way the search goes): there its points cannot improve."""
        run = _Run(self, values, field, x, goal)
        for item_id in items:
            run.item(item_id)
        for condition in conditions:
            with contextlib.suppress(_Missing, _Undefined, decimal.DecimalException):
                run.value(condition)
        return run.breaks


class _Run:
    """One analysis of the rules at one point ``x`` of the field that moves."""

    def __init__(
        self,
        analysis: _Analysis,
        values: Mapping[Any, Any],
        field: str,
        x: Decimal,
        goal: tuple[str, int] | None = None,
    ) -> None:
        self.a = analysis
        self.values = values
        self.field = field
        self.x = x
        self.goal = goal
        self.points: dict[str, Decimal] = {}
        self.breaks: list[Decimal] = []

    # ------------------------------------------------------------ items

    def item(self, item_id: str) -> Decimal:
        a = self.a
        item = a.items[item_id]
        scoring = item.scoring
        if item.requires and any(self.points[r] <= 0 for r in item.requires):
            value = ZERO
        elif scoring is None:
            value = sum((self.points[c.id] for c in item.children), ZERO)
        elif isinstance(scoring, m.Assessed):
            given = self.values.get(assessment_key(item_id))
            value = ZERO if given is None else _round(given.points, a.quantum, a.mode)
        else:
            try:
                raw = self.scoring(scoring, item.maximum)
                value = self.rounded(raw, item.maximum, self.against(item_id, raw))
            except (_Missing, _Undefined, decimal.DecimalException):
                # As the engine: a value that cannot be computed scores 0.
                value = ZERO
        value = min(max(value, ZERO), item.maximum)
        self.points[item_id] = value
        return value

    def against(self, item_id: str, raw: _Frac) -> bool:
        """Whether ``raw`` is the goal item's value and moves against the goal."""
        if self.goal is None or self.goal[0] != item_id:
            return False
        slope = raw.n1 * raw.d0 - raw.n0 * raw.d1  # the sign of the derivative
        return slope * self.goal[1] < 0

    def rounded(self, raw: _Frac, maximum: Decimal, against: bool = False) -> Decimal:
        """The rubric's rounding of a rule's value, and where it changes (not
        where it only moves ``against`` the goal)."""
        a = self.a
        value = _round(raw.at(self.x), a.quantum, a.mode)
        if not raw.fixed and not against:
            # Near the value, or near the clamp that holds it, whichever binds.
            centre = maximum if value > maximum else ZERO if value < 0 else value
            self.rounding_breaks(raw, centre, a.quantum)
        return value

    def rounding_breaks(self, raw: _Frac, centre: Decimal, quantum: Decimal) -> None:
        """Where the rubric's rounding of ``raw`` leaves ``centre``: halfway to
        the neighbours (half-up, half-even), or at them (down, up)."""
        halves = self.a.mode in (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN)
        steps = (-_HALF, _HALF) if halves else (-_ONE, ZERO, _ONE)
        for level in steps:
            self.breaks += _level(raw, centre + level * quantum)

    def scoring(self, scoring: m.Scoring, maximum: Decimal) -> _Frac:
        if isinstance(scoring, m.Formula):
            return self.number(scoring.expr)
        if isinstance(scoring, m.Conditional):
            if self.truth(scoring.condition):
                return self.number(scoring.points)
            return _const(ZERO) if scoring.otherwise is None else self.number(scoring.otherwise)
        if isinstance(scoring, m.PerUnit):
            units = self.number(scoring.units)
            amount = _mul(self.number(scoring.rate), units)
            if scoring.cap is not None:
                cap = self.number(scoring.cap)
                self.breaks += _crossings(amount, cap)
                if amount.at(self.x) > cap.at(self.x):
                    amount = cap
            if scoring.base is None:
                return amount
            return _add(self.number(scoring.base), _neg(amount))
        if isinstance(scoring, m.Banded):
            return self.banded(scoring)
        if isinstance(scoring, m.Cases):
            for arm in scoring.arms:
                if isinstance(arm, m.OtherwiseArm):
                    return self.number(arm.points)
                assert isinstance(arm, m.CaseArm)
                if self.truth(arm.condition):
                    return self.number(arm.points)
            return _const(ZERO)
        assert isinstance(scoring, m.Target)
        return self.target(scoring, maximum)

    def banded(self, scoring: m.Banded) -> _Frac:
        subject = self.value(scoring.subject)
        if isinstance(subject, str):
            fallback = None
            for arm in scoring.arms:
                if isinstance(arm, m.ChoiceArm) and subject in arm.values:
                    return self.number(arm.points)
                if isinstance(arm, m.OtherwiseArm) and fallback is None:
                    fallback = arm
            assert fallback is not None
            return self.number(fallback.points)
        assert isinstance(subject, _Frac)
        for arm in scoring.arms:
            if isinstance(arm, m.OtherwiseArm):
                return self.number(arm.points)
            assert isinstance(arm, m.ThresholdArm)
            if self.compare(arm.op, subject, self.value(arm.bound)):
                return self.number(arm.points)
        return _const(ZERO)

    def target(self, scoring: m.Target, maximum: Decimal) -> _Frac:
        actual = self.number(scoring.actual)
        goal = self.number(scoring.target)
        zero = _const(ZERO)
        self.breaks += _crossings(goal, zero)
        goal_now = goal.at(self.x)
        if goal_now < 0:
            raise _Undefined
        if not goal_now:
            if not goal.fixed:
                raise _Singular
            if scoring.zero_target is not None:
                return self.number(scoring.zero_target)
            return _const(maximum)
        mode = scoring.mode
        if isinstance(mode, m.Linear):
            return _div(_mul(_const(maximum), actual), goal)
        self.breaks += _crossings(actual, goal)
        if actual.at(self.x) >= goal_now:
            return _const(maximum)
        size = mode.size.value if isinstance(mode.size, m.Number) else _ONE
        short = _div(_add(goal, _neg(actual)), _mul(goal, _const(size)))
        steps = self.whole(short, "ceil" if mode.started else "floor")
        return _add(_const(maximum), _neg(_mul(_const(steps), self.number(mode.points))))

    # ------------------------------------------------------------ expressions

    def number(self, expr: m.Expr) -> _Frac:
        value = self.value(expr)
        assert isinstance(value, _Frac)
        return value

    def truth(self, expr: m.Expr) -> bool:
        value = self.value(expr)
        assert isinstance(value, bool)
        return value

    def value(self, expr: m.Expr) -> _Frac | bool | str:
        if isinstance(expr, m.Number):
            return _const(expr.value)
        if isinstance(expr, m.DateLiteral):
            return _const(Decimal(expr.value.toordinal()))
        if isinstance(expr, m.DeadlineRef):
            assert self.a.deadline is not None
            return _const(self.a.deadline)
        if isinstance(expr, m.ChoiceValue):
            return expr.value
        if isinstance(expr, m.FieldRef):
            return self.read(expr.name)
        if isinstance(expr, m.PointsOf):
            return _const(self.points[expr.item])
        if isinstance(expr, m.DossierComplete):
            return bool(self.values.get(DOSSIER_COMPLETE, False))
        if isinstance(expr, m.Negate):
            return _neg(self.number(expr.operand))
        if isinstance(expr, m.Not):
            return not self.truth(expr.operand)
        if isinstance(expr, m.Logical):
            wanted = expr.op == "or"
            for operand in expr.operands:
                if self.truth(operand) is wanted:
                    return wanted
            return not wanted
        if isinstance(expr, m.Comparison):
            return self.compare(expr.op, self.value(expr.left), self.value(expr.right))
        if isinstance(expr, m.Arithmetic):
            return self.arithmetic(expr)
        assert isinstance(expr, m.Call)
        return self.call(expr)

    def read(self, name: str) -> _Frac | bool | str:
        field = self.a.fields[name]
        if name not in self.values:
            raise _Missing
        if name == self.field:
            scale = _ONE / HUNDRED if field.type == "percent" else _ONE
            return _Frac(ZERO, scale, _ONE, ZERO)
        value = self.values[name]
        if isinstance(value, bool | str):
            return value
        if isinstance(value, datetime.date):
            return _const(Decimal(value.toordinal()))
        number = Decimal(value)
        return _const(number.scaleb(-2) if field.type == "percent" else number)

    def compare(self, op: str, left: _Frac | bool | str, right: _Frac | bool | str) -> bool:
        if isinstance(left, _Frac) and isinstance(right, _Frac):
            self.breaks += _crossings(left, right)
            return _COMPARE[op](left.at(self.x), right.at(self.x))
        return _COMPARE[op](left, right)

    def arithmetic(self, expr: m.Arithmetic) -> _Frac:
        left, right = self.number(expr.left), self.number(expr.right)
        if expr.op == "+":
            return _add(left, right)
        if expr.op == "-":
            return _add(left, _neg(right))
        if expr.op == "*":
            return _mul(left, right)
        self.breaks += _roots(right.num)
        if not right.at(self.x):
            if right.fixed:
                raise _Undefined
            raise _Singular
        return _div(left, right)

    def call(self, expr: m.Call) -> _Frac:
        if expr.function in ("min", "max"):
            args = [self.number(a) for a in expr.args]
            now = [a.at(self.x) for a in args]
            best = (min if expr.function == "min" else max)(range(len(args)), key=now.__getitem__)
            for other in args:
                self.breaks += _crossings(args[best], other)
            return args[best]
        inner = self.number(expr.args[0])
        if expr.function == "round":
            places = expr.args[1]
            assert isinstance(places, m.Number)
            quantum = Decimal(1).scaleb(-int(places.value))
            value = _round(inner.at(self.x), quantum, self.a.mode)
            if not inner.fixed:
                self.rounding_breaks(inner, value, quantum)
            return _const(value)
        return _const(self.whole(inner, expr.function))

    def whole(self, inner: _Frac, how: str) -> Decimal:
        """``floor`` or ``ceil`` of ``inner`` at ``x``, with where it changes."""
        now = inner.at(self.x)
        rounding = decimal.ROUND_FLOOR if how == "floor" else decimal.ROUND_CEILING
        value = now.to_integral_value(rounding=rounding, context=_SOLVER)
        if not inner.fixed:
            # floor(v) = k on [k, k + 1); ceil(v) = k on (k - 1, k].
            for level in (value, value + 1) if how == "floor" else (value - 1, value):
                self.breaks += _level(inner, level)
        return value


# ---------------------------------------------------------------- the search


class _Limit:
    """The search crossed :data:`SEARCH_LIMIT` pieces without an answer."""


_LIMIT: Final = _Limit()
_NONLINEAR: Final = "nonlinear"
T = TypeVar("T")


def _grid(value: Decimal, step: Decimal, direction: int) -> Decimal:
    """The first grid point at or beyond ``value`` in ``direction``."""
    rounding = decimal.ROUND_CEILING if direction > 0 else decimal.ROUND_FLOOR
    return (value / step).to_integral_value(rounding=rounding, context=_SOLVER) * step


def _search(
    analysis: _Analysis,
    values: Mapping[Any, Any],
    field: m.Field,
    start: Decimal,
    direction: int,
    accept: Callable[[Decimal], T | None],
    items: Sequence[str],
    conditions: Sequence[m.Expr] = (),
    extra: Sequence[Decimal] = (),
    goal: tuple[str, int] | None = None,
) -> tuple[Decimal, T] | _Limit | str | None:
    """The nearest value of ``field`` beyond ``start`` in ``direction``, on its
    grid and inside its bounds, at which ``accept`` gives an answer.

    Only the grid points next to breakpoints are tried (the points of every
    item and the outcome of every condition are the same between two
    breakpoints).  Returns the value and the answer, None when no value does,
    :data:`_LIMIT` after :data:`SEARCH_LIMIT` pieces, or ``"nonlinear"``.
    ``goal`` is ``(item, 1)`` when the answer is more points for that item,
    ``(item, -1)`` when it is fewer (see :meth:`_Analysis.breakpoints`).
    """
    aim = None if goal is None else (goal[0], goal[1] * direction)
    step = field_step(analysis.model, field, values.get(field.name))
    low, high = _domain(field, step)
    trial = dict(values)
    x = start
    for _ in range(SEARCH_LIMIT):
        with decimal.localcontext(_SOLVER):
            trial[field.name] = _from_axis(field, x, values.get(field.name))
            try:
                breaks = analysis.breakpoints(trial, field.name, x, items, conditions, aim)
                singular = any(b == x for b in breaks) or x in extra
            except _Singular:
                singular, breaks = True, []
            except _NotLinear:
                return _NONLINEAR
            if singular:
                # The branch taken at x may not be the one taken just beyond it.
                candidates = [x + direction * step]
            else:
                ahead = [b for b in (*breaks, *extra) if (b - x) * direction > 0]
                if not ahead:
                    return None
                nearest = min(ahead, key=lambda b: abs(b - x))
                first = _grid(nearest, step, direction)
                candidates = [first] if first != nearest else [first, first + direction * step]
        for candidate in candidates:
            if not low <= candidate <= high:
                return None
            answer = accept(candidate)
            if answer is not None:
                return candidate, answer
        x = candidates[-1]
    return _LIMIT


# ---------------------------------------------------------------- counterfactuals


class _Scorer:
    """Scores one unit's evidence with one value changed (the real engine)."""

    def __init__(self, rubric: Rubric, evidence: Mapping[str, Value], assessments: Any) -> None:
        self.rubric = rubric
        self.evidence = dict(evidence)
        self.assessments = dict(assessments)

    def score(self, field: str, value: Value | None) -> Result:
        changed: dict[str, Value] = dict(self.evidence)
        if value is None:
            changed.pop(field, None)
        else:
            changed[field] = value
        return self.rubric.score(changed, assessments=self.assessments, trace=False)

    def values(self) -> dict[Any, Any]:
        """The evidence and the assessments, keyed as scoring keys them."""
        values: dict[Any, Any] = dict(self.evidence)
        for item_id, given in self.assessments.items():
            values[assessment_key(item_id)] = given
        return values


def counterfactuals(
    rubric: Rubric, result: Result, item_id: str | None = None
) -> tuple[Counterfactual, ...]:
    """For every criterion and rule that could score better, the smallest change of
    one evidence value that would help, in rubric order.

    A criterion (or bonus rule) below its maximum, or a deduction rule above 0,
    gets one :class:`Counterfactual` per field its points depend on (read by
    its rule, or through ``requires`` and ``points of``) and per direction that
    helps; ``supply`` when it depends on evidence that was not given; ``none``
    when no single change helps; ``reviewer`` when a reviewer gives its points.
    A criterion with sub-criteria is listed only when its ``requires`` is unmet
    (its sub-criteria carry the rest).

    Args:
        rubric: The rubric ``result`` was scored with.
        result: The score (its evidence and assessments are used).
        item_id: Only this criterion, rule or part and the items under it.

    Raises:
        KeyError: ``item_id`` names no criterion, rule or part of the rubric.
    """
    analysis = _Analysis(rubric)
    wanted = _subtree(analysis.model, item_id)
    scorer = _Scorer(rubric, result.evidence, result.assessments)
    found: list[Counterfactual] = []
    for item in all_items(analysis.model):
        if wanted is not None and item.id not in wanted:
            continue
        found.extend(_item_counterfactuals(analysis, scorer, result, item))
    return tuple(found)


def _subtree(model: m.RubricModel, item_id: str | None) -> set[str] | None:
    if item_id is None:
        return None
    for part in model.parts:
        if part.id == item_id:
            return {i.id for c in part.criteria for i in _nested(c)}
    for item in all_items(model):
        if item.id == item_id:
            return {i.id for i in _nested(item)}
    raise KeyError(item_id)


def _nested(item: m.Criterion) -> Iterable[m.Criterion]:
    yield item
    for child in item.children:
        yield from _nested(child)


def _item_counterfactuals(
    analysis: _Analysis, scorer: _Scorer, result: Result, item: m.Criterion
) -> list[Counterfactual]:
    kind = analysis.kind[item.id]
    points = result.items[item.id]
    lower = kind == "deduction"
    if (points <= 0) if lower else (points >= item.maximum):
        return []
    unmet = any(result.items[r] <= 0 for r in item.requires)
    if item.scoring is None and not unmet:
        return []
    base = Counterfactual(item.id, item.label, kind, "none", points, item.maximum, result.total)
    if isinstance(item.scoring, m.Assessed) and not unmet:
        return [attrs.evolve(base, status="reviewer")]
    closure = analysis.closure(item.id)
    names = analysis.fields_of([item.id, *(i for i in closure if i != item.id)])

    def rank(candidate: Result) -> Decimal:
        """Larger is better: the item's points, negated for a deduction."""
        now = candidate.items[item.id]
        return -now if lower else now

    def better(candidate: Result) -> bool:
        return rank(candidate) > (-points if lower else points)

    found: list[Counterfactual] = []
    missing = [n for n in names if n not in result.evidence]
    if missing and not lower:
        supplied = _supply(analysis, scorer, base, missing, closure)
        if supplied is not None:
            found.append(supplied)
    for name in names:
        if name in missing:
            continue
        field = analysis.fields[name]
        goal = (item.id, -1 if lower else 1)
        for outcome in _field_changes(analysis, scorer, field, closure, better, rank, goal):
            if isinstance(outcome, str):
                found.append(
                    attrs.evolve(base, status="unanalysable", fields=(name,), reason=outcome)
                )
                continue
            change, after = outcome
            found.append(
                attrs.evolve(
                    base,
                    status="change",
                    fields=(name,),
                    change=change,
                    points_after=after.items[item.id],
                    total_after=after.total,
                )
            )
    return found or [base]


def _field_changes(
    analysis: _Analysis,
    scorer: _Scorer,
    field: m.Field,
    closure: Sequence[str],
    better: Callable[[Result], bool],
    rank: Callable[[Result], Decimal],
    goal: tuple[str, int],
) -> list[tuple[EvidenceChange, Result] | str]:
    """The smallest helpful change of ``field`` in each direction that has one
    (for a yes/no or choice field: the other value that helps most), or why the
    field could not be analysed."""
    before = scorer.evidence[field.name]
    if field.type in ("yes/no", "choice"):
        best: tuple[EvidenceChange, Result] | None = None
        for value in _alternatives(field, before):
            candidate = scorer.score(field.name, value)
            if better(candidate) and (best is None or rank(candidate) > rank(best[1])):
                best = (EvidenceChange(field.name, "set", before, value), candidate)
        return [best] if best is not None else []
    outcomes: list[tuple[EvidenceChange, Result] | str] = []
    values = scorer.values()

    def accept(x: Decimal) -> Result | None:
        candidate = scorer.score(field.name, _from_axis(field, x, before))
        return candidate if better(candidate) else None

    for direction in (1, -1):
        found = _search(
            analysis, values, field, _to_axis(field, before), direction, accept, closure
        )
        if isinstance(found, str):
            return [found]
        if isinstance(found, _Limit):
            outcomes.append("limit")
        elif found is not None:
            x, candidate = found
            after = _from_axis(field, x, before)
            outcomes.append((_change(field, before, after), candidate))
    return outcomes


def _change(field: m.Field, before: Value, after: Value) -> EvidenceChange:
    """A change of a number or date value, with its direction and size."""
    delta = _delta(field, before, after)
    assert delta is not None
    return EvidenceChange(field.name, "up" if delta > 0 else "down", before, after, delta)


def _alternatives(field: m.Field, before: Value | None) -> list[Value]:
    if field.type == "yes/no":
        return [v for v in (True, False) if v is not before]
    return [c.value for c in field.choices if c.value != before]


def _supply(
    analysis: _Analysis,
    scorer: _Scorer,
    base: Counterfactual,
    missing: Sequence[str],
    closure: Sequence[str],
) -> Counterfactual | None:
    """Evidence to supply.  With one field: the most points any value of it
    gives, and the value nearest the start (:func:`_supply_start`; the lower of
    two as near) that gives them — None when no value gives more than now.  With
    several fields: which, and no figure."""
    supply = attrs.evolve(base, status="supply", fields=tuple(missing))
    if len(missing) != 1:
        return supply
    field = analysis.fields[missing[0]]
    best: tuple[tuple[Decimal, Decimal, Decimal], Value, Result] | None = None

    def consider(value: Value, distance: Decimal = ZERO, x: Decimal = ZERO) -> bool:
        """Keep ``value`` if it is the best so far; whether it reaches the maximum."""
        nonlocal best
        candidate = scorer.score(field.name, value)
        key = (candidate.items[base.item], -distance, -x)
        if best is None or key > best[0]:
            best = (key, value, candidate)
        return candidate.items[base.item] >= base.maximum

    if field.type in ("yes/no", "choice"):
        for value in _alternatives(field, None):
            if consider(value):
                break
    else:
        start = _supply_start(analysis, field)
        if start is None:
            return supply
        if not consider(_from_axis(field, start, None), ZERO, start):
            values = scorer.values()

            def accept(x: Decimal) -> bool | None:
                reached = consider(_from_axis(field, x, None), abs(x - start), x)
                return True if reached else None

            for direction in (1, -1):
                _search(analysis, values, field, start, direction, accept, closure)
    if best is None:
        return supply
    _, value, candidate = best
    if candidate.items[base.item] <= base.points:
        return None
    return attrs.evolve(
        supply,
        change=EvidenceChange(field.name, "set", None, value),
        points_after=candidate.items[base.item],
        total_after=candidate.total,
    )


def _supply_start(analysis: _Analysis, field: m.Field) -> Decimal | None:
    """Where to start looking for the best value of a field not given: 0, or
    the nearest value to 0 the field allows; for a date, the rubric's deadline
    (else the end, else the start of its period; None without any)."""
    if field.type == "date":
        header = analysis.model.header
        day = header.deadline or header.period_end or header.period_start
        return None if day is None else Decimal(day.toordinal())
    low, high = _domain(field, field_step(analysis.model, field))
    return min(max(ZERO, low), high)


# ---------------------------------------------------------------- contests


class _Contest:
    """One contest, re-ranked with one unit's verified evidence changed."""

    def __init__(self, contest: ContestResult) -> None:
        self.contest = contest
        self.rubric = contest.rubric
        self.analysis = _Analysis(contest.rubric)
        awards = contest.rubric.model.awards
        self.keys = awards.tie_breaks if awards is not None else ()
        self.conditions = tuple(e.condition for e in awards.eligibility) if awards else ()
        self.minimum = awards.minimum if awards is not None else None
        read = [e for c in self.conditions for e in walk(c)]
        # Eligibility is worked out again only when the value that moves can change it.
        self.condition_fields = {e.name for e in read if isinstance(e, m.FieldRef)}
        self.condition_points = any(isinstance(e, m.PointsOf) for e in read)
        self.units = [self._unit(s, s.verified, s.reasons) for s in contest.standings]
        self.key_of = {s.code: self.key(s.verified) for s in contest.standings}

    @staticmethod
    def _unit(standing: Standing, verified: Result, reasons: Any) -> _Scored:
        return _Scored(
            standing.contestant,
            standing.submission,
            standing.reported,
            verified,
            standing.lines,
            standing.claimed_total,
            standing.dossier_missing,
            reasons,
        )

    def key(self, result: Result) -> tuple[Any, ...]:
        with decimal.localcontext(_SOLVER):
            values = (_comparable(k, _key_value(self.rubric, k, result)) for k in self.keys)
            return (result.total, *values)

    def verified(self, standing: Standing, field: str, value: Value) -> Result:
        changed: dict[str, Value] = dict(standing.verified.evidence)
        changed[field] = value
        return self.rubric.score(
            changed,
            contestant=standing.code,
            assessments=standing.verified.assessments,
            trace=False,
        )

    def reasons(self, standing: Standing, field: str, verified: Result) -> tuple[Any, ...]:
        """Why the unit would not be eligible with ``verified``.  Worked out again
        when the condition reads ``field`` or points, or the total crosses the
        minimum; otherwise eligibility cannot change and the old reasons stand
        (only ranking and awards use them here)."""
        minimum = self.minimum
        crosses = minimum is not None and (verified.total < minimum) != (standing.total < minimum)
        if field in self.condition_fields or self.condition_points or crosses:
            return _eligibility(self.rubric, verified, standing.dossier_missing)
        return standing.reasons

    def moves(self, standing: Standing, verified: Result, reasons: Sequence[Any]) -> bool:
        """Whether a unit's new score could change any rank or award: its
        eligibility changes, or its ranking key changes its order (above, equal,
        below) against another unit's."""
        if bool(reasons) != bool(standing.reasons):
            return True
        old, new = self.key_of[standing.code], self.key(verified)
        if old == new:
            return False
        return any(
            (new > key) != (old > key) or (new == key) != (old == key)
            for code, key in self.key_of.items()
            if code != standing.code
        )

    def rerun(
        self, standing: Standing, field: str, value: Value, verified: Result | None = None
    ) -> ContestResult | None:
        """The contest with ``field`` of ``standing``'s verified evidence set to
        ``value``; None when no rank or award can differ."""
        if verified is None:
            verified = self.verified(standing, field, value)
        reasons = self.reasons(standing, field, verified)
        if not self.moves(standing, verified, reasons):
            return None
        units = [
            self._unit(standing, verified, reasons) if u.contestant.code == standing.code else u
            for u in self.units
        ]
        return _rank(self.rubric, units, self.contest.missing)

    def room(self, result: Result, field: str) -> Decimal:
        """At most how much ``field`` can add to ``result``'s total: what the
        items depending on it can still gain (criteria and bonus rules) or lose
        (deduction rules).  A criterion with sub-criteria counts only when it
        has a ``requires`` (otherwise its sub-criteria carry its points)."""
        room = ZERO
        for item_id in self.analysis.dependents(field):
            item = self.analysis.items[item_id]
            if item.scoring is None and not item.requires:
                continue
            points = result.items[item_id]
            lower = self.analysis.kind[item_id] == "deduction"
            room += points if lower else item.maximum - points
        return room

    def items_for(self, field: str) -> list[str]:
        """The items to analyse when ``field`` moves: those depending on it,
        the items they depend on, and those the award conditions read."""
        analysis = self.analysis
        wanted: set[str] = set()
        for item_id in analysis.dependents(field):
            wanted.update(analysis.closure(item_id))
        for condition in self.conditions:
            for sub in walk(condition):
                if isinstance(sub, m.PointsOf):
                    wanted.update(analysis.closure(sub.item))
        return sorted(wanted, key=analysis.position.__getitem__)

    def values(self, standing: Standing) -> dict[Any, Any]:
        values: dict[Any, Any] = dict(standing.verified.evidence)
        for item_id, given in standing.verified.assessments.items():
            values[assessment_key(item_id)] = given
        values[DOSSIER_COMPLETE] = not standing.dossier_missing
        return values

    def relevant(self) -> list[m.Field]:
        """Fields something that ranks or awards reads: a rule, an ``eligible if``
        condition or a tie-break key (other fields cannot change a place)."""
        names = set(self.analysis.fields_of(self.analysis.order))
        for condition in self.conditions:
            names |= {e.name for e in walk(condition) if isinstance(e, m.FieldRef)}
        names |= {k.ref for k in self.keys if k.subject == "field" and k.ref}
        return [f for f in self.rubric.model.fields if f.name in names]


def award_gaps(contest: ContestResult) -> tuple[AwardGap, ...]:
    """For the unit just below each award place: what it lacked to pass the holder.

    Eligible units are taken in rank order; for each awarded one, the next
    eligible unit is its challenger (so the holder of the last place is
    challenged by the first eligible unit without an award).  Units that are not
    eligible are left out: what they lack is a condition, with its reasons in
    the contest report.  The changes are searched on the challenger's verified
    evidence, one field at a time (fields it did not give are left out), and
    checked by re-ranking the whole contest.
    """
    runner = _Contest(contest)
    eligible = [s for s in contest.standings if s.eligible]
    gaps: list[AwardGap] = []
    for holder, challenger in itertools.pairwise(eligible):
        if holder.award is None:
            break
        key, wins = _tie_at_equal(runner, challenger, holder)
        changes, unanalysable = _gap_changes(runner, challenger, holder)
        gaps.append(
            AwardGap(
                holder.award.place,
                holder.code,
                challenger.code,
                holder.total - challenger.total,
                key,
                wins,
                changes,
                unanalysable,
            )
        )
    return tuple(gaps)


def _tie_at_equal(
    runner: _Contest, challenger: Standing, holder: Standing
) -> tuple[m.TieBreak | None, bool]:
    own, theirs = runner.key(challenger.verified)[1:], runner.key(holder.verified)[1:]
    for key, mine, other in zip(runner.keys, own, theirs, strict=True):
        if mine != other:
            return key, mine > other
    return None, False


def _gap_changes(
    runner: _Contest, challenger: Standing, holder: Standing
) -> tuple[tuple[GapChange, ...], tuple[tuple[str, str], ...]]:
    values = runner.values(challenger)
    behind = holder.total - challenger.total
    tie_fields = {k.ref for k in runner.keys if k.subject == "field"}
    changes: list[GapChange] = []
    unanalysable: list[tuple[str, str]] = []
    for field in runner.relevant():
        if field.name not in values:
            continue
        if field.name not in tie_fields:
            # No change of this field can raise the total by more than the
            # items depending on it can still gain (or lose, for deductions):
            # a field that cannot close the gap is not searched.
            room = runner.room(challenger.verified, field.name)
            if room <= 0 or room < behind:
                continue
        found, problems = _gap_field(runner, challenger, holder, field, values)
        changes.extend(found)
        unanalysable.extend((field.name, problem) for problem in problems)
    return tuple(changes), tuple(unanalysable)


def _gap_field(
    runner: _Contest,
    challenger: Standing,
    holder: Standing,
    field: m.Field,
    values: Mapping[Any, Any],
) -> tuple[list[GapChange], list[str]]:
    """The smallest changes of one field that rank ``challenger`` above ``holder``."""
    before: Value = values[field.name]

    goal = runner.key_of[holder.code]

    def attempt(value: Value) -> GapChange | None:
        verified = runner.verified(challenger, field.name, value)
        # Ranked above the holder exactly when its ranking key is higher.
        if not runner.key(verified) > goal:
            return None
        rerun = runner.rerun(challenger, field.name, value, verified)
        if rerun is None:
            return None
        mine, theirs = rerun.standing(challenger.code), rerun.standing(holder.code)
        if not (mine.eligible and mine.rank < theirs.rank):
            return None
        change = (
            EvidenceChange(field.name, "set", before, value)
            if isinstance(value, bool | str)
            else _change(field, before, value)
        )
        return GapChange(change, mine.total, mine.rank, mine.award)

    if field.type in ("yes/no", "choice"):
        for value in _alternatives(field, before):
            done = attempt(value)
            if done is not None:
                return [done], []
        return [], []
    # A tie-break on this very field compares it with the holder's value.
    extra = [
        _to_axis(field, holder.verified.evidence[field.name])
        for key in runner.keys
        if key.subject == "field" and key.ref == field.name
        if field.name in holder.verified.evidence
    ]

    def accept(x: Decimal) -> GapChange | None:
        return attempt(_from_axis(field, x, before))

    analysis = runner.analysis
    found: list[GapChange] = []
    for direction in (1, -1):
        outcome = _search(
            analysis,
            values,
            field,
            _to_axis(field, before),
            direction,
            accept,
            runner.items_for(field.name),
            runner.conditions,
            extra,
        )
        if isinstance(outcome, tuple):
            found.append(outcome[1])
        elif isinstance(outcome, _Limit):
            return found, ["limit"]
        elif isinstance(outcome, str):
            return found, [outcome]
    return found, []


def neighbours(model: m.RubricModel, field: m.Field, value: Value) -> list[EvidenceChange]:
    """The values one smallest step from ``value`` (see :func:`field_step`):
    one step up and one down (inside the field's bounds), the other yes/no
    value, every other choice value."""
    if field.type in ("yes/no", "choice"):
        return [EvidenceChange(field.name, "set", value, v) for v in _alternatives(field, value)]
    step = field_step(model, field, value)
    low, high = _domain(field, step)
    x = _to_axis(field, value)
    return [
        _change(field, value, _from_axis(field, moved, value))
        for moved in (x + step, x - step)
        if low <= moved <= high
    ]


def fragility(contest: ContestResult) -> tuple[Fragility, ...]:
    """Every one-step change of one unit's verified evidence that would change
    any unit's rank or award, units in rank order, fields in rubric order.

    Each value a unit gave is moved by one smallest step (:func:`neighbours`)
    and the whole contest is re-ranked.  Fields a unit did not give are not
    moved (supplying a value is not a small step), nor are the reviewers'
    assessments and the dossier; fields nothing that ranks reads are skipped.
    """
    runner = _Contest(contest)
    before = {s.code: s for s in contest.standings}
    flags: list[Fragility] = []
    fields = runner.relevant()
    for standing in contest.standings:
        evidence = standing.verified.evidence
        for field in fields:
            if field.name not in evidence:
                continue
            for change in neighbours(runner.rubric.model, field, evidence[field.name]):
                rerun = runner.rerun(standing, field.name, change.after)
                if rerun is None:
                    continue
                effects = tuple(
                    Effect(s.code, before[s.code].rank, s.rank, before[s.code].award, s.award)
                    for s in rerun.standings
                    if s.rank != before[s.code].rank or s.award != before[s.code].award
                )
                if effects:
                    ordered = tuple(sorted(effects, key=lambda e: (e.rank, e.contestant)))
                    flags.append(Fragility(standing.code, change, ordered))
    return tuple(flags)


__all__ = [
    "SEARCH_LIMIT",
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
    "neighbours",
]
