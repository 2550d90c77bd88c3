"""Stage 4: the checked rule model compiled into a program, and scoring with it.

Each scoring rule is compiled once into Python closures; scoring runs them in
dependency order and never looks at the parse tree or re-checks the model.
The semantics, documented in ``docs/semantics.md``:

* a rule computes a raw value; **the rubric's rounding rule is applied here and
  only here**, to that raw value; then the value is clamped to ``[0, maximum]``;
* a criterion with sub-criteria scores their sum, clamped to its maximum;
  a part the sum of its criteria, clamped to its maximum;
* the bonus and deduction sections score the sum of their rules, capped;
* total = parts + bonus - deduction, never below zero.

A rule that needs a missing evidence value scores 0 and is marked ``missing``;
one whose value cannot be computed (a division by zero) scores 0 and is marked
``undefined``.  Conditions and arms are evaluated left to right, top to bottom,
and stop at the first that decides, so a value that is not needed is never read.

Every rule compiles to two functions: ``run`` computes the raw value and a
small token saying which branch was taken; ``explain`` turns the token into a
:class:`~htx_rules.result.Decision` (and any cap applied), and is called only
when a trace is asked for.  Constants are folded at compile time.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

from htx_rules import model as m
from htx_rules.checker import Kind, all_items, fields_read, items_read, kind_of
from htx_rules.decimals import ONE, ROUNDING_MODES, SCORING_CONTEXT, ZERO
from htx_rules.ranges import is_whole
from htx_rules.result import Adjustment, Decision, TraceNode, Value
from htx_rules.source import SourceText, Span
from htx_rules.trace import (
    REQUIRES_UNMET,
    ExplainFn,
    GroupPlan,
    MissingMark,
    StepPlan,
    TracePlan,
    UndefinedMark,
    assessment_key,
    build_trace,
)

Values = Mapping[str, Value]
#: What both evaluators' ``run`` return: total, standard points, bonus,
#: deduction, part points, item points, missing fields, and the trace.
RunResult = tuple[
    Decimal,
    Decimal,
    Decimal,
    Decimal,
    dict[str, Decimal],
    dict[str, Decimal],
    tuple[str, ...],
    TraceNode | None,
]
Points = dict[str, Decimal]
ExprFn = Callable[[Values, Points], Any]
RunFn = Callable[[Values, Points], "tuple[Any, Any]"]

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
    "!=": operator.ne,
}
_NONE: tuple[Adjustment, ...] = ()
# Builds a trace NamedTuple from a full tuple of fields, skipping the
# Python-level __new__ that NamedTuple generates (it handles defaults).
_new_node = tuple.__new__


class Missing(Exception):
    """Raised inside a rule that needs an evidence value that was not given."""

    def __init__(self, field: str | tuple[str, str]) -> None:
        super().__init__(field)
        self.field = field


class Undefined(Exception):
    """Raised inside a rule whose value cannot be computed (division by zero)."""

    def __init__(self, reason: str, span: Span | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span


def _constant(expr: m.Expr, model: m.RubricModel) -> tuple[bool, Any]:
    """``(True, value)`` when ``expr`` has the same value for any evidence."""
    if isinstance(expr, m.Number | m.DateLiteral):
        return True, expr.value
    if isinstance(expr, m.ChoiceValue):
        return True, expr.value
    if isinstance(expr, m.DeadlineRef):
        return True, model.header.deadline
    if isinstance(expr, m.Negate):
        known, value = _constant(expr.operand, model)
        return known, -value if known else None
    return False, None


class _Compiler:
    """Turns resolved expressions and scoring forms into closures."""

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        self.source = source
        self.fields = {f.name: f for f in model.fields}
        rounding = model.header.rounding
        self.quantum = Decimal(1).scaleb(-rounding.places)
        self.places = rounding.places
        self.rounding_mode = ROUNDING_MODES[rounding.mode]

    def text(self, span: Span) -> str:
        return self.source.excerpt(span)

    def kind(self, expr: m.Expr) -> Kind | None:
        return kind_of(expr, self.fields)

    # ------------------------------------------------------------ expressions

    def expr(self, expr: m.Expr) -> ExprFn:
        known, constant = _constant(expr, self.model)
        if known:
            return lambda values, points: constant
        if isinstance(expr, m.FieldRef):
            return self.field(expr.name)
        if isinstance(expr, m.PointsOf):
            item = expr.item
            return lambda values, points: points[item]
        if isinstance(expr, m.DossierComplete):
            return self.field(DOSSIER_COMPLETE)  # type: ignore[arg-type]
        if isinstance(expr, m.Negate):
            operand = self.expr(expr.operand)
            return lambda values, points: -operand(values, points)
        if isinstance(expr, m.Not):
            inner = self.expr(expr.operand)
            return lambda values, points: not inner(values, points)
        if isinstance(expr, m.Logical):
            return self.logical(expr)
        if isinstance(expr, m.Comparison):
            return self.comparison(expr)
        if isinstance(expr, m.Arithmetic):
            return self.arithmetic(expr)
        assert isinstance(expr, m.Call)
        return self.call(expr)

    def field(self, name: str) -> ExprFn:
        field = self.fields.get(name)
        if field is not None and field.type == "percent":
            # Percentages are given as 0-100 and computed with as rates.
            def read_rate(values: Values, points: Points) -> Any:
                try:
                    return values[name].scaleb(-2)  # type: ignore[union-attr]
                except KeyError:
                    raise Missing(name) from None

            return read_rate

        def read(values: Values, points: Points) -> Any:
            try:
                return values[name]
            except KeyError:
                raise Missing(name) from None

        return read

    def comparison(self, expr: m.Comparison) -> ExprFn:
        compare = _COMPARE[expr.op]
        left = self.expr(expr.left)
        known, constant = _constant(expr.right, self.model)
        if known:
            return lambda values, points: compare(left(values, points), constant)
        right = self.expr(expr.right)
        return lambda values, points: compare(left(values, points), right(values, points))

    def logical(self, expr: m.Logical) -> ExprFn:
        operands = tuple(self.expr(o) for o in expr.operands)
        if expr.op == "and":

            def all_of(values: Values, points: Points) -> bool:
                return all(o(values, points) for o in operands)

            return all_of

        def any_of(values: Values, points: Points) -> bool:
            return any(o(values, points) for o in operands)

        return any_of

    def arithmetic(self, expr: m.Arithmetic) -> ExprFn:
        left, right = self.expr(expr.left), self.expr(expr.right)
        if expr.op == "+":
            return lambda values, points: left(values, points) + right(values, points)
        if expr.op == "-":
            kind = self.kind(expr.left)
            if kind is not None and kind.base == "date":
                return lambda values, points: (left(values, points) - right(values, points)).days
            return lambda values, points: left(values, points) - right(values, points)
        if expr.op == "*":
            return lambda values, points: left(values, points) * right(values, points)
        span = expr.span

        def divide(values: Values, points: Points) -> Decimal:
            numerator = left(values, points)
            denominator = right(values, points)
            if not denominator:
                raise Undefined("division-by-zero", span)
            # Decimal(...) keeps int / int exact instead of a binary float.
            quotient: Decimal = Decimal(numerator) / denominator
            return quotient

        return divide

    def call(self, expr: m.Call) -> ExprFn:
        args = tuple(self.expr(a) for a in expr.args)
        if expr.function == "min":
            return lambda values, points: min(a(values, points) for a in args)
        if expr.function == "max":
            return lambda values, points: max(a(values, points) for a in args)
        first = args[0]
        if expr.function == "round":
            places = expr.args[1]
            assert isinstance(places, m.Number)
            quantum = Decimal(1).scaleb(-int(places.value))
            mode = self.rounding_mode
            return lambda values, points: Decimal(first(values, points)).quantize(
                quantum, rounding=mode
            )
        mode = decimal.ROUND_FLOOR if expr.function == "floor" else decimal.ROUND_CEILING
        return lambda values, points: Decimal(first(values, points)).to_integral_value(
            rounding=mode
        )

    # ------------------------------------------------------------ exactness

    def whole(self, expr: m.Expr) -> bool:
        """Whether ``expr`` is a whole number for any evidence."""
        return is_whole(expr, self.fields)

    def on_grid(self, expr: m.Expr) -> bool:
        """Whether ``expr`` never has more decimals than the rubric rounds to, so
        rounding it can be skipped: a proof by the shape of the expression."""
        if self.whole(expr):
            return True
        if isinstance(expr, m.Number):
            exponent = expr.value.as_tuple().exponent
            return isinstance(exponent, int) and exponent >= -self.places
        if isinstance(expr, m.PointsOf):
            return True
        if isinstance(expr, m.Negate):
            return self.on_grid(expr.operand)
        if isinstance(expr, m.Arithmetic):
            if expr.op in ("+", "-"):
                return self.on_grid(expr.left) and self.on_grid(expr.right)
            if expr.op == "*":
                return (self.whole(expr.left) and self.on_grid(expr.right)) or (
                    self.whole(expr.right) and self.on_grid(expr.left)
                )
            return False
        if isinstance(expr, m.Call):
            if expr.function in ("min", "max"):
                return all(self.on_grid(a) for a in expr.args)
            if expr.function == "round":
                places = expr.args[1]
                return isinstance(places, m.Number) and places.value <= self.places
        return False

    def scoring_on_grid(self, scoring: m.Scoring) -> bool:
        if isinstance(scoring, m.Formula):
            return self.on_grid(scoring.expr)
        if isinstance(scoring, m.Conditional):
            return self.on_grid(scoring.points) and (
                scoring.otherwise is None or self.on_grid(scoring.otherwise)
            )
        if isinstance(scoring, m.PerUnit):
            return (
                self.whole(scoring.units)
                and self.on_grid(scoring.rate)
                and (scoring.cap is None or self.on_grid(scoring.cap))
                and (scoring.base is None or self.on_grid(scoring.base))
            )
        if isinstance(scoring, m.Banded | m.Cases):
            return all(self.on_grid(arm.points) for arm in scoring.arms)
        return False

    # ------------------------------------------------------------ scoring forms

    def rule(self, item: m.Criterion) -> tuple[RunFn, ExplainFn]:
        scoring = item.scoring
        assert scoring is not None
        if isinstance(scoring, m.Assessed):
            return self.assessed(item.id, scoring)
        if isinstance(scoring, m.Formula):
            return self.formula(scoring)
        if isinstance(scoring, m.Conditional):
            return self.conditional(scoring)
        if isinstance(scoring, m.PerUnit):
            return self.per_unit(scoring)
        if isinstance(scoring, m.Banded):
            return self.banded(scoring)
        if isinstance(scoring, m.Cases):
            return self.cases(scoring)
        return self.target(scoring, item.maximum)

    def assessed(self, item_id: str, scoring: m.Assessed) -> tuple[RunFn, ExplainFn]:
        key = assessment_key(item_id)
        guidance = scoring.guidance or ""
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            try:
                given: Any = values[key]  # type: ignore[index]
            except KeyError:
                raise Missing(key) from None
            return given.points, given

        def explain(token: Any) -> tuple[Decision, tuple[Adjustment, ...]]:
            details: tuple[tuple[str, Value], ...] = (
                ("reviewer", token.reviewer),
                ("justification", token.justification),
            )
            return _new_node(
                Decision, ("assessed", None, token.points, details, guidance, span)
            ), _NONE

        return run, explain

    def formula(self, scoring: m.Formula) -> tuple[RunFn, ExplainFn]:
        value = self.expr(scoring.expr)
        decision = (Decision("formula", text=self.text(scoring.span), span=scoring.span), _NONE)

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            return value(values, points), None

        return run, lambda token: decision

    def conditional(self, scoring: m.Conditional) -> tuple[RunFn, ExplainFn]:
        condition = self.expr(scoring.condition)
        then = self.expr(scoring.points)
        otherwise = self.expr(scoring.otherwise) if scoring.otherwise is not None else None
        text = self.source.slice(scoring.condition.span)
        span = scoring.condition.span
        held = (Decision("condition", subject=True, text=text, span=span), _NONE)
        failed = (Decision("condition", subject=False, text=text, span=span), _NONE)

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            if condition(values, points):
                return then(values, points), True
            if otherwise is None:
                return ZERO, False
            return otherwise(values, points), False

        return run, lambda token: held if token else failed

    def per_unit(self, scoring: m.PerUnit) -> tuple[RunFn, ExplainFn]:
        rate = self.expr(scoring.rate)
        units = self.expr(scoring.units)
        cap = self.expr(scoring.cap) if scoring.cap is not None else None
        base = self.expr(scoring.base) if scoring.base is not None else None
        text = self.text(scoring.span)
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            count = units(values, points)
            each = rate(values, points)
            amount = each * count
            limit = None
            if cap is not None:
                most = cap(values, points)
                if amount > most:
                    amount = limit = most
            if base is None:
                return amount, (count, each, None, limit)
            start = base(values, points)
            return start - amount, (count, each, start, limit)

        def explain(token: Any) -> tuple[Decision, tuple[Adjustment, ...]]:
            count, each, start, limit = token
            amount = each * count
            details: tuple[tuple[str, Value], ...] = (
                ("units", count),
                ("rate", each),
                ("taken", amount if limit is None else limit),
            )
            adjustments = _NONE
            if start is not None:
                # The cap bounds what is taken off the base, not the points.
                details += (("base", start),)
                if limit is not None:
                    details += (("uncapped", amount),)
            elif limit is not None:
                adjustments = (Adjustment("cap", Decimal(amount), Decimal(limit), Decimal(limit)),)
            return _new_node(Decision, ("per_unit", None, None, details, text, span)), adjustments

        return run, explain

    def banded(self, scoring: m.Banded) -> tuple[RunFn, ExplainFn]:
        subject = self.expr(scoring.subject)
        subject_kind = self.kind(scoring.subject)
        if subject_kind is not None and subject_kind.base == "choice":
            return self.by_choice(scoring, subject)
        # Each arm: comparison (None for otherwise), bound, points, each with
        # "is constant" so constants are not called.
        arms: list[tuple[Any, Any, bool, Any, bool]] = []
        decisions: list[tuple[str, int, str, Span]] = []
        for number, arm in enumerate(scoring.arms, start=1):
            text = self.text(arm.span)
            points_known, points_value = _constant(arm.points, self.model)
            points = points_value if points_known else self.expr(arm.points)
            if isinstance(arm, m.ThresholdArm):
                bound_known, bound_value = _constant(arm.bound, self.model)
                bound = bound_value if bound_known else self.expr(arm.bound)
                arms.append((_COMPARE[arm.op], bound, bound_known, points, points_known))
                decisions.append(("threshold", number, text, arm.span))
            else:
                arms.append((None, None, True, points, points_known))
                decisions.append(("otherwise", number, text, arm.span))
        frozen = tuple(arms)
        span = scoring.span

        def run(values: Values, points_so_far: Points) -> tuple[Any, Any]:
            value = subject(values, points_so_far)
            for index, (compare, bound, bound_known, earned, earned_known) in enumerate(frozen):
                limit = bound if bound_known else bound(values, points_so_far)
                if compare is None or compare(value, limit):
                    points = earned if earned_known else earned(values, points_so_far)
                    return points, (index, value, limit)
            return ZERO, (None, value, None)

        def explain(token: Any) -> tuple[Decision, tuple[Adjustment, ...]]:
            index, value, limit = token
            if index is None:
                return _new_node(Decision, ("no_match", None, value, (), "", span)), _NONE
            kind, number, text, arm_span = decisions[index]
            details: tuple[tuple[str, Value], ...] = (
                (("bound", limit),) if kind == "threshold" else ()
            )
            return _new_node(Decision, (kind, number, value, details, text, arm_span)), _NONE

        return run, explain

    def by_choice(self, scoring: m.Banded, subject: ExprFn) -> tuple[RunFn, ExplainFn]:
        table: dict[str, tuple[ExprFn, int]] = {}
        fallback: tuple[ExprFn, int] | None = None
        decisions: dict[int, tuple[str, Span]] = {}
        for number, arm in enumerate(scoring.arms, start=1):
            entry = (self.expr(arm.points), number)
            decisions[number] = (self.text(arm.span), arm.span)
            if isinstance(arm, m.ChoiceArm):
                for value in arm.values:
                    table.setdefault(value, entry)
            elif fallback is None:
                fallback = entry

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            value = subject(values, points)
            entry = table.get(value, fallback)
            assert entry is not None  # the checker demands that every value is covered
            earned, number = entry
            return earned(values, points), (number, value)

        def explain(token: Any) -> tuple[Decision, tuple[Adjustment, ...]]:
            number, value = token
            text, arm_span = decisions[number]
            kind: Any = "choice" if value in table else "otherwise"
            return _new_node(Decision, (kind, number, value, (), text, arm_span)), _NONE

        return run, explain

    def cases(self, scoring: m.Cases) -> tuple[RunFn, ExplainFn]:
        arms: list[tuple[ExprFn | None, ExprFn]] = []
        decisions: list[tuple[Decision, tuple[Adjustment, ...]]] = []
        for number, arm in enumerate(scoring.arms, start=1):
            if isinstance(arm, m.CaseArm):
                arms.append((self.expr(arm.condition), self.expr(arm.points)))
                text = self.source.slice(arm.condition.span)
                decisions.append((Decision("case", number, True, text=text, span=arm.span), _NONE))
            else:
                arms.append((None, self.expr(arm.points)))
                text = self.text(arm.span)
                decisions.append((Decision("otherwise", number, text=text, span=arm.span), _NONE))
        frozen = tuple(arms)
        no_match = (Decision("no_match", span=scoring.span), _NONE)

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            for index, (condition, earned) in enumerate(frozen):
                if condition is None or condition(values, points):
                    return earned(values, points), index
            return ZERO, None

        return run, lambda token: no_match if token is None else decisions[token]

    def target(self, scoring: m.Target, maximum: Decimal) -> tuple[RunFn, ExplainFn]:
        actual_fn = self.expr(scoring.actual)
        target_fn = self.expr(scoring.target)
        zero_fn = self.expr(scoring.zero_target) if scoring.zero_target is not None else None
        mode = scoring.mode
        step_points = self.expr(mode.points) if isinstance(mode, m.Stepped) else None
        step_size = (
            mode.size.value
            if isinstance(mode, m.Stepped) and isinstance(mode.size, m.Number)
            else ONE
        )
        started = isinstance(mode, m.Stepped) and mode.started
        rounding = decimal.ROUND_CEILING if started else decimal.ROUND_FLOOR
        text = self.text(scoring.span)
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Any, Any]:
            actual = actual_fn(values, points)
            goal = target_fn(values, points)
            if goal < 0:
                raise Undefined("negative-target", span)
            if not goal:
                earned = zero_fn(values, points) if zero_fn is not None else maximum
                return earned, (actual, goal, None)
            if step_points is None:
                return maximum * actual / goal, (actual, goal, None)
            if actual >= goal:
                return maximum, (actual, goal, ZERO)
            steps = (Decimal(goal - actual) / (goal * step_size)).to_integral_value(
                rounding=rounding
            )
            return maximum - steps * step_points(values, points), (actual, goal, steps)

        def explain(token: Any) -> tuple[Decision, tuple[Adjustment, ...]]:
            actual, goal, steps = token
            # The achievement ratio only explains; it is worked out here, not
            # while scoring. A target of zero counts as fully achieved.
            ratio = Decimal(actual) / goal if goal else ONE
            details: tuple[tuple[str, Value], ...] = (
                ("actual", actual),
                ("target", goal),
                ("ratio", ratio),
            )
            if steps is not None:
                details += (("steps", steps),)
            return _new_node(Decision, ("target", None, None, details, text, span)), _NONE

        return run, explain


def make_plan(
    model: m.RubricModel,
    source: SourceText,
    compiler: _Compiler,
    scaled: frozenset[str] = frozenset(),
    given_percent: frozenset[str] = frozenset(),
) -> TracePlan:
    """The static part of the trace, in dependency order.

    ``scaled`` names the items whose raw value the evaluator records as an
    integer number of ``10 ** -places`` points (the compiled evaluator's fast
    path) instead of a Decimal; ``given_percent`` those whose token holds a
    percentage as given rather than as a rate.
    """
    rule_ids = {r.id for s in (model.bonus, model.deduction) if s for r in s.rules}
    items = {item.id: item for item in all_items(model)}
    order = dependency_order(model)
    position = {item_id: index for index, item_id in enumerate(order)}
    steps = []
    for item_id in order:
        item = items[item_id]
        scoring = item.scoring
        span = scoring.span if scoring is not None else item.span
        explain = compiler.rule(item)[1] if scoring is not None else None
        steps.append(
            StepPlan(
                kind="rule" if item_id in rule_ids else "criterion",
                id=item_id,
                label=item.label,
                maximum=item.maximum,
                span=span,
                source=source.excerpt(span),
                fields=fields_read(scoring) if scoring is not None else (),
                children=tuple(position[c.id] for c in item.children),
                requires=tuple(position[r] for r in item.requires),
                explain=explain,
                exact=scoring is None or compiler.scoring_on_grid(scoring),
                scaled=item_id in scaled,
                given_percent=item_id in given_percent,
            )
        )
    parts = tuple(
        GroupPlan(
            "part",
            p.id,
            p.label,
            p.maximum,
            p.span,
            source.excerpt(p.span),
            tuple(position[c.id] for c in p.criteria),
            "max",
        )
        for p in model.parts
    )
    sections = tuple(
        GroupPlan(
            s.kind,
            s.kind,
            s.label,
            s.maximum,
            s.span,
            source.excerpt(s.span),
            tuple(position[r.id] for r in s.rules),
            "cap",
        )
        for s in (model.bonus, model.deduction)
        if s is not None
    )
    header = model.header
    return TracePlan(
        tuple(steps),
        parts,
        sections,
        header.id,
        header.title,
        highest_total(model),
        header.span,
        source.excerpt(header.span),
        compiler.places,
        compiler.rounding_mode,
    )


class Program:
    """The reference evaluator: the checked rubric as closures; build once, run many times.

    It is slower than :class:`htx_rules.codegen.CompiledProgram` and kept as an
    independent second implementation that the tests hold the compiled code to.
    """

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        compiler = _Compiler(model, source)
        self.quantum = compiler.quantum
        self.rounding_mode = compiler.rounding_mode
        self.plan = make_plan(model, source, compiler)
        items = {item.id: item for item in all_items(model)}
        self.rules = tuple(
            compiler.rule(items[step.id])[0] if step.explain is not None else None
            for step in self.plan.steps
        )

    def run(self, values: Values, *, traced: bool = True) -> RunResult:
        """Score validated evidence.

        Returns total, standard, bonus, deduction, part points, item points,
        missing fields and the trace (None when ``traced`` is false).
        """
        with decimal.localcontext(SCORING_CONTEXT):
            result = self._run(values)
        record = result[-1]
        trace = build_trace(self.plan, record, values) if traced else None
        return (*result[:-1], trace)

    def _run(self, values: Values) -> tuple[Any, ...]:
        points: Points = {}
        in_order: list[Decimal] = []
        record: list[Any] = []
        missing: dict[str, None] = {}
        quantum, mode = self.quantum, self.rounding_mode
        for step, run in zip(self.plan.steps, self.rules, strict=True):
            raw: Any = None
            token: Any = None
            if step.requires and any(in_order[r] <= 0 for r in step.requires):
                value, token = ZERO, REQUIRES_UNMET
            elif run is None:
                value = sum((in_order[c] for c in step.children), ZERO)
            else:
                try:
                    raw, token = run(values, points)
                    raw = Decimal(raw)
                    value = raw if step.exact else raw.quantize(quantum, rounding=mode)
                except Missing as error:
                    # Everything the rule reads and was not given, not only the
                    # first field it stopped at: what to supply to score it.
                    for name in step.fields:
                        if name not in values:
                            missing[name] = None
                    raw, value, token = None, ZERO, MissingMark(error.field)
                except Undefined as error:
                    raw, value, token = None, ZERO, UndefinedMark(error.reason, error.span)
                except decimal.DecimalException:
                    raw, value, token = None, ZERO, UndefinedMark("out-of-range", None)
            if value > step.maximum:
                value = step.maximum
            elif value < 0:
                value = ZERO
            points[step.id] = value
            in_order.append(value)
            record += (raw, token)
        parts = {
            group.id: _clamped(sum((in_order[i] for i in group.members), ZERO), group.maximum)
            for group in self.plan.parts
        }
        sections = {
            group.kind: _clamped(sum((in_order[i] for i in group.members), ZERO), group.maximum)
            for group in self.plan.sections
        }
        standard = sum(parts.values(), ZERO)
        bonus, deduction = sections.get("bonus", ZERO), sections.get("deduction", ZERO)
        total = max(standard + bonus - deduction, ZERO)
        ordered = {item.id: points[item.id] for item in all_items(self.model)}
        return (total, standard, bonus, deduction, parts, ordered, tuple(missing), tuple(record))


#: The key under which a unit's values say whether its dossier is complete
#: (read by ``dossier complete`` in an ``eligible if`` condition).
DOSSIER_COMPLETE: Final = ("dossier", "complete")


def compile_condition(
    model: m.RubricModel, source: SourceText, condition: m.Expr
) -> Callable[[Mapping[Any, Any], Mapping[str, Decimal]], bool]:
    """A checked condition (an award's ``eligible if``) as a function of the
    values (evidence, and :data:`DOSSIER_COMPLETE`) and the points by id.

    It raises :class:`Missing` when it needs a value that was not given and
    :class:`Undefined` when a value cannot be computed.
    """
    function = _Compiler(model, source).expr(condition)

    def holds(values: Mapping[Any, Any], points: Mapping[str, Decimal]) -> bool:
        with decimal.localcontext(SCORING_CONTEXT):
            return bool(function(values, points))  # type: ignore[arg-type]

    return holds


def highest_total(model: m.RubricModel) -> Decimal:
    """The most a unit can score: the standard total plus the bonus cap."""
    bonus = model.bonus.maximum if model.bonus is not None else ZERO
    return model.header.total + bonus


def _clamped(value: Decimal, maximum: Decimal) -> Decimal:
    return maximum if value > maximum else (ZERO if value < 0 else value)


def dependency_order(model: m.RubricModel) -> list[str]:
    """Item ids so that every item comes after the items it depends on
    (its sub-criteria, what it ``requires``, what it reads ``points of``),
    otherwise in file order.  The checker has ruled out cycles."""
    items = {item.id: item for item in all_items(model)}
    order: list[str] = []
    done: set[str] = set()

    def visit(item_id: str) -> None:
        if item_id in done:
            return
        done.add(item_id)
        item = items[item_id]
        deps = [c.id for c in item.children] + list(item.requires)
        if item.scoring is not None:
            deps += items_read(item.scoring)
        for dep in deps:
            visit(dep)
        order.append(item_id)

    for item_id in items:
        visit(item_id)
    return order
