"""Stage 4: the checked rule model compiled into a program, and scoring with it.

Each scoring rule is compiled once into a Python closure; scoring runs the
closures in dependency order and never looks at the parse tree or re-checks
the model.  The semantics, documented in ``docs/semantics.md``:

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
from htx_rules.result import Adjustment, Decision, NodeKind, Status, TraceNode, Value
from htx_rules.source import SourceText, Span

Values = Mapping[str, Value]
Points = dict[str, Decimal]
ExprFn = Callable[[Values, Points], Any]
RuleFn = Callable[[Values, Points], "tuple[Decimal, Decision, tuple[Adjustment, ...]]"]

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
    "!=": operator.ne,
}
_NO_ADJUSTMENTS: tuple[Adjustment, ...] = ()


# compare (None for otherwise), bound, points, arm number, arm text, arm span
_ThresholdArm = tuple[Callable[[Any, Any], bool] | None, ExprFn | None, ExprFn, int, str, Span]


class Missing(Exception):
    """Raised inside a rule that needs an evidence value that was not given."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class Undefined(Exception):
    """Raised inside a rule whose value cannot be computed (division by zero)."""

    def __init__(self, reason: str, span: Span | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span


class _Compiler:
    """Turns resolved expressions and scoring forms into closures."""

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        self.source = source
        self.fields = {f.name: f for f in model.fields}
        rounding = model.header.rounding
        self.quantum = Decimal(1).scaleb(-rounding.places)
        self.rounding_mode = ROUNDING_MODES[rounding.mode]

    def text(self, span: Span) -> str:
        return self.source.excerpt(span)

    def kind(self, expr: m.Expr) -> Kind | None:
        return kind_of(expr, self.fields)

    # ------------------------------------------------------------ expressions

    def expr(self, expr: m.Expr) -> ExprFn:
        if isinstance(expr, m.Number):
            constant = expr.value
            return lambda values, points: constant
        if isinstance(expr, m.DateLiteral):
            day = expr.value
            return lambda values, points: day
        if isinstance(expr, m.DeadlineRef):
            deadline = self.model.header.deadline
            return lambda values, points: deadline
        if isinstance(expr, m.ChoiceValue):
            choice = expr.value
            return lambda values, points: choice
        if isinstance(expr, m.FieldRef):
            return self.field(expr.name)
        if isinstance(expr, m.PointsOf):
            item = expr.item
            return lambda values, points: points[item]
        if isinstance(expr, m.Negate):
            operand = self.expr(expr.operand)
            return lambda values, points: -operand(values, points)
        if isinstance(expr, m.Not):
            inner = self.expr(expr.operand)
            return lambda values, points: not inner(values, points)
        if isinstance(expr, m.Logical):
            return self.logical(expr)
        if isinstance(expr, m.Comparison):
            compare = _COMPARE[expr.op]
            left, right = self.expr(expr.left), self.expr(expr.right)
            return lambda values, points: compare(left(values, points), right(values, points))
        if isinstance(expr, m.Arithmetic):
            return self.arithmetic(expr)
        assert isinstance(expr, m.Call)
        return self.call(expr)

    def field(self, name: str) -> ExprFn:
        percent = self.fields[name].type == "percent"

        def read(values: Values, points: Points) -> Any:
            try:
                value = values[name]
            except KeyError:
                raise Missing(name) from None
            return value.scaleb(-2) if percent else value  # type: ignore[union-attr]

        return read

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
                return lambda values, points: Decimal(
                    (left(values, points) - right(values, points)).days
                )
            return lambda values, points: left(values, points) - right(values, points)
        if expr.op == "*":
            return lambda values, points: left(values, points) * right(values, points)
        span = expr.span

        def divide(values: Values, points: Points) -> Decimal:
            numerator = left(values, points)
            denominator = right(values, points)
            if not denominator:
                raise Undefined("division-by-zero", span)
            return numerator / denominator  # type: ignore[no-any-return]

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
            return lambda values, points: first(values, points).quantize(quantum, rounding=mode)
        mode = decimal.ROUND_FLOOR if expr.function == "floor" else decimal.ROUND_CEILING
        return lambda values, points: first(values, points).to_integral_value(rounding=mode)

    # ------------------------------------------------------------ scoring forms

    def rule(self, item: m.Criterion) -> RuleFn:
        scoring = item.scoring
        assert scoring is not None
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

    def formula(self, scoring: m.Formula) -> RuleFn:
        value = self.expr(scoring.expr)
        decision = Decision("formula", text=self.text(scoring.span), span=scoring.span)

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            return value(values, points), decision, _NO_ADJUSTMENTS

        return run

    def conditional(self, scoring: m.Conditional) -> RuleFn:
        condition = self.expr(scoring.condition)
        then = self.expr(scoring.points)
        otherwise = self.expr(scoring.otherwise) if scoring.otherwise is not None else None
        text = self.source.slice(scoring.condition.span)
        held = Decision("condition", subject=True, text=text, span=scoring.condition.span)
        failed = Decision("condition", subject=False, text=text, span=scoring.condition.span)

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            if condition(values, points):
                return then(values, points), held, _NO_ADJUSTMENTS
            if otherwise is None:
                return ZERO, failed, _NO_ADJUSTMENTS
            return otherwise(values, points), failed, _NO_ADJUSTMENTS

        return run

    def per_unit(self, scoring: m.PerUnit) -> RuleFn:
        rate = self.expr(scoring.rate)
        units = self.expr(scoring.units)
        cap = self.expr(scoring.cap) if scoring.cap is not None else None
        base = self.expr(scoring.base) if scoring.base is not None else None
        text = self.text(scoring.span)
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            count = units(values, points)
            each = rate(values, points)
            amount = each * count
            adjustments = _NO_ADJUSTMENTS
            if cap is not None:
                limit = cap(values, points)
                if amount > limit:
                    adjustments = (Adjustment("cap", amount, limit, limit),)
                    amount = limit
            details: tuple[tuple[str, Value], ...] = (("units", count), ("rate", each))
            if base is None:
                return (
                    amount,
                    Decision("per_unit", details=details, text=text, span=span),
                    adjustments,
                )
            start = base(values, points)
            details += (("base", start), ("taken", amount))
            return (
                start - amount,
                Decision("per_unit", details=details, text=text, span=span),
                adjustments,
            )

        return run

    def banded(self, scoring: m.Banded) -> RuleFn:
        subject = self.expr(scoring.subject)
        subject_kind = self.kind(scoring.subject)
        if subject_kind is not None and subject_kind.base == "choice":
            return self.by_choice(scoring, subject)
        arms: list[_ThresholdArm] = []
        for number, arm in enumerate(scoring.arms, start=1):
            if isinstance(arm, m.ThresholdArm):
                arms.append(
                    (
                        _COMPARE[arm.op],
                        self.expr(arm.bound),
                        self.expr(arm.points),
                        number,
                        self.text(arm.span),
                        arm.span,
                    )
                )
            else:
                assert isinstance(arm, m.OtherwiseArm)
                arms.append(
                    (None, None, self.expr(arm.points), number, self.text(arm.span), arm.span)
                )
        frozen_arms = tuple(arms)
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            value = subject(values, points)
            for compare, bound, earned, number, text, arm_span in frozen_arms:
                if compare is None:
                    return (
                        earned(values, points),
                        Decision("otherwise", number, value, text=text, span=arm_span),
                        _NO_ADJUSTMENTS,
                    )
                assert bound is not None
                limit = bound(values, points)
                if compare(value, limit):
                    return (
                        earned(values, points),
                        Decision("threshold", number, value, (("bound", limit),), text, arm_span),
                        _NO_ADJUSTMENTS,
                    )
            return ZERO, Decision("no_match", None, value, span=span), _NO_ADJUSTMENTS

        return run

    def by_choice(self, scoring: m.Banded, subject: ExprFn) -> RuleFn:
        table: dict[str, tuple[ExprFn, int, str, Span]] = {}
        fallback: tuple[ExprFn, int, str, Span] | None = None
        for number, arm in enumerate(scoring.arms, start=1):
            entry = (self.expr(arm.points), number, self.text(arm.span), arm.span)
            if isinstance(arm, m.ChoiceArm):
                for value in arm.values:
                    table.setdefault(value, entry)
            elif fallback is None:
                fallback = entry
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            value = subject(values, points)
            entry = table.get(value)
            kind: Any = "choice"
            if entry is None:
                entry, kind = fallback, "otherwise"
            if entry is None:  # pragma: no cover - the checker demands full coverage
                return ZERO, Decision("no_match", None, value, span=span), _NO_ADJUSTMENTS
            earned, number, text, arm_span = entry
            return (
                earned(values, points),
                Decision(kind, number, value, text=text, span=arm_span),
                _NO_ADJUSTMENTS,
            )

        return run

    def cases(self, scoring: m.Cases) -> RuleFn:
        arms: list[tuple[ExprFn | None, ExprFn, Decision]] = []
        for number, arm in enumerate(scoring.arms, start=1):
            if isinstance(arm, m.CaseArm):
                text = self.source.slice(arm.condition.span)
                arms.append(
                    (
                        self.expr(arm.condition),
                        self.expr(arm.points),
                        Decision("case", number, True, text=text, span=arm.span),
                    )
                )
            else:
                arms.append(
                    (
                        None,
                        self.expr(arm.points),
                        Decision("otherwise", number, text=self.text(arm.span), span=arm.span),
                    )
                )
        frozen_arms = tuple(arms)
        no_match = Decision("no_match", span=scoring.span)

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            for condition, earned, decision in frozen_arms:
                if condition is None or condition(values, points):
                    return earned(values, points), decision, _NO_ADJUSTMENTS
            return ZERO, no_match, _NO_ADJUSTMENTS

        return run

    def target(self, scoring: m.Target, maximum: Decimal) -> RuleFn:
        actual_fn = self.expr(scoring.actual)
        target_fn = self.expr(scoring.target)
        zero_fn = self.expr(scoring.zero_target) if scoring.zero_target is not None else None
        mode = scoring.mode
        step_points = self.expr(mode.points) if isinstance(mode, m.Stepped) else None
        step_size = (
            mode.size.value
            if isinstance(mode, m.Stepped) and isinstance(mode.size, m.Number)
            else None
        )
        rounding = (
            decimal.ROUND_CEILING
            if isinstance(mode, m.Stepped) and mode.started
            else decimal.ROUND_FLOOR
        )
        text = self.text(scoring.span)
        span = scoring.span

        def run(values: Values, points: Points) -> tuple[Decimal, Decision, tuple[Adjustment, ...]]:
            actual = actual_fn(values, points)
            goal = target_fn(values, points)
            if goal < 0:
                raise Undefined("negative-target", span)
            if not goal:
                details: tuple[tuple[str, Value], ...] = (
                    ("actual", actual),
                    ("target", goal),
                    ("ratio", ONE),
                )
                earned = zero_fn(values, points) if zero_fn is not None else maximum
                return (
                    earned,
                    Decision("target", details=details, text=text, span=span),
                    _NO_ADJUSTMENTS,
                )
            ratio = actual / goal
            details = (("actual", actual), ("target", goal), ("ratio", ratio))
            if step_points is None:
                earned = maximum * actual / goal
            elif actual >= goal:
                earned = maximum
                details += (("steps", ZERO),)
            else:
                steps = ((goal - actual) / (goal * step_size)).to_integral_value(rounding=rounding)
                earned = maximum - steps * step_points(values, points)
                details += (("steps", steps),)
            return (
                earned,
                Decision("target", details=details, text=text, span=span),
                _NO_ADJUSTMENTS,
            )

        return run


class _Step:
    """One item (criterion, sub-criterion or rule) of a compiled program."""

    __slots__ = (
        "children",
        "fields",
        "id",
        "kind",
        "label",
        "maximum",
        "requires",
        "rule",
        "source",
        "span",
    )

    def __init__(self, item: m.Criterion, kind: NodeKind, rule: RuleFn | None, source: str) -> None:
        self.id = item.id
        self.kind = kind
        self.label = item.label
        self.maximum = item.maximum
        self.span = item.scoring.span if item.scoring is not None else item.span
        self.children = tuple(c.id for c in item.children)
        self.requires = item.requires
        self.fields = fields_read(item.scoring) if item.scoring is not None else ()
        self.rule = rule
        self.source = source


class Program:
    """A checked rubric compiled for scoring; build once, run many times."""

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        compiler = _Compiler(model, source)
        self.quantum = compiler.quantum
        self.rounding_mode = compiler.rounding_mode
        steps: dict[str, _Step] = {}
        rule_ids = {r.id for s in (model.bonus, model.deduction) if s for r in s.rules}
        for item in all_items(model):
            kind: NodeKind = "rule" if item.id in rule_ids else "criterion"
            rule = compiler.rule(item) if item.scoring is not None else None
            text = source.excerpt(item.scoring.span if item.scoring is not None else item.span)
            steps[item.id] = _Step(item, kind, rule, text)
        self.steps = steps
        self.order = tuple(steps[i] for i in _dependency_order(model))
        self.part_sources = {p.id: source.excerpt(p.span) for p in model.parts}
        self.section_sources = {
            s.kind: source.excerpt(s.span) for s in (model.bonus, model.deduction) if s is not None
        }
        self.header_source = source.excerpt(model.header.span)

    def run(
        self, values: Values, *, traced: bool = True
    ) -> tuple[
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        dict[str, Decimal],
        Points,
        tuple[str, ...],
        TraceNode | None,
    ]:
        """Score validated evidence.

        Returns total, standard, bonus, deduction, part points, item points,
        missing fields and the trace (None when ``traced`` is false).
        """
        with decimal.localcontext(SCORING_CONTEXT):
            return self._run(values, traced)

    def _run(
        self, values: Values, traced: bool
    ) -> tuple[
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        dict[str, Decimal],
        Points,
        tuple[str, ...],
        TraceNode | None,
    ]:
        points: Points = {}
        nodes: dict[str, TraceNode] = {}
        missing: dict[str, None] = {}
        quantum, mode = self.quantum, self.rounding_mode
        for step in self.order:
            status: Status = "scored"
            decision: Decision | None
            adjustments: tuple[Adjustment, ...] = _NO_ADJUSTMENTS
            raw: Decimal | None
            if step.rule is None:
                raw = sum((points[c] for c in step.children), ZERO)
                value = raw
                decision = _SUM
            elif step.requires and any(points[r] <= 0 for r in step.requires):
                raw, value, status = None, ZERO, "requires_unmet"
                decision = Decision(
                    "requires_unmet", details=tuple((r, points[r]) for r in step.requires)
                )
            else:
                try:
                    raw, decision, adjustments = step.rule(values, points)
                    value = raw.quantize(quantum, rounding=mode)
                    if value != raw:
                        adjustments = (*adjustments, Adjustment("round", raw, value))
                except Missing as error:
                    missing[error.field] = None
                    raw, value, status = None, ZERO, "missing"
                    decision = Decision("missing", subject=error.field)
                except Undefined as error:
                    raw, value, status = None, ZERO, "undefined"
                    decision = Decision("undefined", subject=error.reason, span=error.span)
                except decimal.DecimalException:
                    raw, value, status = None, ZERO, "undefined"
                    decision = Decision("undefined", subject="out-of-range")
            if value > step.maximum:
                adjustments = (*adjustments, Adjustment("max", value, step.maximum, step.maximum))
                value = step.maximum
            elif value < 0:
                adjustments = (*adjustments, Adjustment("min", value, ZERO, ZERO))
                value = ZERO
            points[step.id] = value
            if traced:
                nodes[step.id] = TraceNode(
                    step.kind,
                    step.id,
                    step.label,
                    value,
                    step.maximum,
                    step.span,
                    step.source,
                    status,
                    raw,
                    decision,
                    tuple((name, values.get(name)) for name in step.fields),
                    adjustments,
                    tuple(nodes[c] for c in step.children),
                )
        model = self.model
        parts: dict[str, Decimal] = {}
        part_nodes: list[TraceNode] = []
        for part in model.parts:
            raw_part = sum((points[c.id] for c in part.criteria), ZERO)
            value, adjustments = _clamp(raw_part, part.maximum, "max")
            parts[part.id] = value
            if traced:
                part_nodes.append(
                    TraceNode(
                        "part",
                        part.id,
                        part.label,
                        value,
                        part.maximum,
                        part.span,
                        self.part_sources[part.id],
                        raw=raw_part,
                        decision=_SUM,
                        adjustments=adjustments,
                        children=tuple(nodes[c.id] for c in part.criteria),
                    )
                )
        standard = sum(parts.values(), ZERO)
        section_points: dict[str, Decimal] = {}
        section_nodes: list[TraceNode] = []
        for section in (model.bonus, model.deduction):
            if section is None:
                continue
            raw_section = sum((points[r.id] for r in section.rules), ZERO)
            value, adjustments = _clamp(raw_section, section.maximum, "cap")
            section_points[section.kind] = value
            if traced:
                section_nodes.append(
                    TraceNode(
                        section.kind,
                        section.kind,
                        section.label,
                        value,
                        section.maximum,
                        section.span,
                        self.section_sources[section.kind],
                        raw=raw_section,
                        decision=_SUM,
                        adjustments=adjustments,
                        children=tuple(nodes[r.id] for r in section.rules),
                    )
                )
        bonus = section_points.get("bonus", ZERO)
        deduction = section_points.get("deduction", ZERO)
        raw_total = standard + bonus - deduction
        total, adjustments = (
            (raw_total, _NO_ADJUSTMENTS)
            if raw_total >= 0
            else (ZERO, (Adjustment("min", raw_total, ZERO, ZERO),))
        )
        trace = None
        if traced:
            header = model.header
            trace = TraceNode(
                "rubric",
                header.id,
                header.title,
                total,
                header.total,
                header.span,
                self.header_source,
                raw=raw_total,
                decision=_TOTAL,
                adjustments=adjustments,
                children=(*part_nodes, *section_nodes),
            )
        return (total, standard, bonus, deduction, parts, points, tuple(missing), trace)


_SUM: Final = Decision("sum")
_TOTAL: Final = Decision("sum", text="standard + bonus - deduction")


def _clamp(value: Decimal, maximum: Decimal, kind: Any) -> tuple[Decimal, tuple[Adjustment, ...]]:
    if value > maximum:
        return maximum, (Adjustment(kind, value, maximum, maximum),)
    if value < 0:
        return ZERO, (Adjustment("min", value, ZERO, ZERO),)
    return value, _NO_ADJUSTMENTS


def _dependency_order(model: m.RubricModel) -> list[str]:
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
