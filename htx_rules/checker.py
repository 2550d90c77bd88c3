"""Stage 3: check what a rubric means, before any evidence is seen.

The checker resolves every bare name to an evidence field or a choice value,
infers the kind of every expression (yes/no, date, choice, or a number with a
unit: count, percent, money...), and rejects: duplicate ids, unknown fields and
criteria (with "did you mean"), type mismatches, cycles among criteria that
depend on each other, and maxima that the parts below them do not add up to.
It returns the resolved model; the evaluator trusts it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from htx_rules import model as m
from htx_rules.decimals import Lang
from htx_rules.errors import Reporter
from htx_rules.messages import QuotedList, TypeWord
from htx_rules.source import SourceText, Span

Unit = Literal["plain", "count", "number", "percent", "money"]


@attrs.frozen
class Kind:
    """What an expression yields.

    Attributes:
        base: ``bool`` (yes/no), ``date``, ``choice`` or ``number``.
        unit: For numbers: ``plain`` (a bare literal or a ratio), ``count``,
            ``number``, ``percent`` (a rate: 65% is 0.65) or ``money``.
        field: For choices: the field whose values it takes.
    """

    base: Literal["bool", "date", "choice", "number"]
    unit: Unit = "plain"
    field: str | None = None


BOOL = Kind("bool")
DATE = Kind("date")
PLAIN = Kind("number", "plain")

_FIELD_KINDS: dict[str, Kind] = {
    "yes/no": BOOL,
    "date": DATE,
    "count": Kind("number", "count"),
    "number": Kind("number", "number"),
    "percent": Kind("number", "percent"),
    "money": Kind("number", "money"),
}

_UNIT_WORDS = {
    "plain": ("số", "a number"),
    "count": ("số đếm", "a count"),
    "number": ("số", "a number"),
    "percent": ("tỷ lệ phần trăm", "a percentage"),
    "money": ("số tiền", "an amount of money"),
}
_BASE_WORDS = {
    "bool": ("có/không", "a yes/no value"),
    "date": ("ngày", "a date"),
    "choice": ("lựa chọn", "a choice"),
}


class KindWord:
    """A kind, named for people in either language (English with its article)."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def localize(self, lang: str) -> str:
        index = 0 if lang == "vi" else 1
        if self.kind.base == "number":
            return _UNIT_WORDS[self.kind.unit][index]
        if self.kind.base == "choice" and self.kind.field:
            field = self.kind.field
            return f"lựa chọn của '{field}'" if lang == "vi" else f"a choice of '{field}'"
        return _BASE_WORDS[self.kind.base][index]


class SectionWord:
    """The bonus or deduction section, named for people."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def localize(self, lang: str) -> str:
        words = {
            "bonus": ("mục điểm cộng", "the bonus section"),
            "deduction": ("mục điểm trừ", "the deduction section"),
        }[self.kind]
        return words[0] if lang == "vi" else words[1]


def field_kind(field: m.Field) -> Kind:
    """The kind of the values of an evidence field."""
    if field.type == "choice":
        return Kind("choice", field=field.name)
    return _FIELD_KINDS[field.type]


def add_units(left: Unit, right: Unit) -> Unit | None:
    """The unit of ``left + right``, or None when they cannot be added."""
    if left == right:
        return left
    if left == "plain":
        return right
    if right == "plain":
        return left
    if {left, right} == {"count", "number"}:
        return "number"
    return None


def literal_kind(number: m.Number) -> Kind:
    """The kind of a number literal: ``80%`` is a percentage, ``5 đồng`` money."""
    unit: Unit = (
        "percent" if number.unit == "percent" else ("money" if number.unit == "money" else "plain")
    )
    return Kind("number", unit)


def arithmetic_kind(op: m.ArithOp, left: Kind, right: Kind) -> Kind | None:
    """The kind of ``left op right``, or None when the operation makes no sense.

    Dates subtract to a count of days; sums need compatible units; a product
    keeps the unit of its non-plain side (money times a count is money); a
    quotient of like units is a plain ratio.
    """
    if op == "-" and left.base == right.base == "date":
        return Kind("number", "count")
    if left.base != "number" or right.base != "number":
        return None
    lu, ru = left.unit, right.unit
    if op in ("+", "-"):
        unit = add_units(lu, ru)
        return Kind("number", unit) if unit is not None else None
    if op == "*":
        if "money" in (lu, ru) and lu != ru:
            return Kind("number", "money")
        if lu in ("plain", "percent"):
            return right
        return left if ru in ("plain", "percent") else Kind("number", "number")
    if lu == ru:
        return PLAIN
    return left if ru == "plain" else Kind("number", "number")


def call_kind(function: str, args: Sequence[Kind]) -> Kind | None:
    """The kind of ``function(args…)``, or None when the arguments cannot combine."""
    if any(k.base != "number" for k in args):
        return None
    if function in ("round", "floor", "ceil"):
        return args[0]
    unit: Unit | None = "plain"
    for kind in args:
        unit = add_units(unit, kind.unit) if unit is not None else None
    return Kind("number", unit) if unit is not None else None


def _is_nonzero_plain_literal(expr: m.Expr) -> bool:
    return isinstance(expr, m.Number) and expr.unit == "plain" and expr.value != 0


def walk(expr: m.Expr) -> Iterator[m.Expr]:
    """Every sub-expression of ``expr``, itself first."""
    yield expr
    if isinstance(expr, m.Negate | m.Not):
        yield from walk(expr.operand)
    elif isinstance(expr, m.Arithmetic | m.Comparison):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, m.Logical):
        for operand in expr.operands:
            yield from walk(operand)
    elif isinstance(expr, m.Call):
        for arg in expr.args:
            yield from walk(arg)


def scoring_exprs(scoring: m.Scoring) -> Iterator[m.Expr]:
    """The expressions a scoring form is made of, in source order."""
    if isinstance(scoring, m.Formula):
        yield scoring.expr
    elif isinstance(scoring, m.Conditional):
        yield scoring.points
        yield scoring.condition
        if scoring.otherwise is not None:
            yield scoring.otherwise
    elif isinstance(scoring, m.PerUnit):
        if scoring.base is not None:
            yield scoring.base
        yield scoring.rate
        yield scoring.units
        if scoring.cap is not None:
            yield scoring.cap
    elif isinstance(scoring, m.Banded | m.Cases):
        if isinstance(scoring, m.Banded):
            yield scoring.subject
        for arm in scoring.arms:
            if isinstance(arm, m.ThresholdArm):
                yield arm.bound
            elif isinstance(arm, m.CaseArm):
                yield arm.condition
            yield arm.points
    elif isinstance(scoring, m.Target):
        yield scoring.actual
        yield scoring.target
        if isinstance(scoring.mode, m.Stepped):
            yield scoring.mode.points
            yield scoring.mode.size
        if scoring.zero_target is not None:
            yield scoring.zero_target


def fields_read(scoring: m.Scoring) -> tuple[str, ...]:
    """Names of the evidence fields a (resolved) scoring form reads, in source order."""
    names: dict[str, None] = {}
    for expr in scoring_exprs(scoring):
        for sub in walk(expr):
            if isinstance(sub, m.FieldRef):
                names[sub.name] = None
    return tuple(names)


def items_read(scoring: m.Scoring) -> tuple[str, ...]:
    """Ids of the criteria whose points a scoring form reads (``points of``)."""
    ids: dict[str, None] = {}
    for expr in scoring_exprs(scoring):
        for sub in walk(expr):
            if isinstance(sub, m.PointsOf):
                ids[sub.item] = None
    return tuple(ids)


def _reserved_words() -> set[str]:
    """Every spelling of every keyword: none can name a field or a document."""
    from htx_rules.parser import keywords  # noqa: PLC0415 - see detect_keyword_language

    return {word for words in keywords().values() for word in words}


def all_items(model: m.RubricModel) -> Iterator[m.Criterion]:
    """Every criterion (at every depth) and every bonus and deduction rule, in file order."""

    def nested(criteria: Iterable[m.Criterion]) -> Iterator[m.Criterion]:
        for criterion in criteria:
            yield criterion
            yield from nested(criterion.children)

    for part in model.parts:
        yield from nested(part.criteria)
    for section in (model.bonus, model.deduction):
        if section is not None:
            yield from section.rules


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class Checker(Reporter):
    """Checks and resolves a built model; problems go to :attr:`diagnostics`."""

    def __init__(self, source: SourceText, model: m.RubricModel) -> None:
        super().__init__(source)
        self.model = model
        self.fields: dict[str, m.Field] = {}
        self.items: dict[str, m.Criterion] = {}
        self.parts: dict[str, m.Part] = {}
        #: `dossier complete` may only be used in an `eligible if` condition
        self.in_eligibility = False

    # ------------------------------------------------------------ reporting

    def detect_keyword_language(self) -> Lang:
        # The parser (and Lark) is imported when a rubric is compiled, not by
        # the modules that score one, which need this module's model helpers.
        from htx_rules.parser import keyword_language  # noqa: PLC0415

        return keyword_language(self.source.text)

    def unknown(
        self, code: str, name: str, span: Span, candidates: Iterable[str], **args: object
    ) -> None:
        """Report an unknown name, suggesting the closest known one."""
        guess = _suggest(name, candidates)
        if guess is not None:
            self.error(code, span, "hint-did-you-mean", {"name": guess}, name=name, **args)
        else:
            self.error(code, span, None, None, name=name, **args)

    # ------------------------------------------------------------ whole rubric

    def check(self) -> m.RubricModel:
        """Check everything; return the resolved model (meaningful only without errors)."""
        model = self.model
        self.collect_fields(model.fields)
        self.collect_contestants(model.contestants)
        self.collect_items(model)
        parts = tuple(self.check_part(part) for part in model.parts)
        bonus = self.check_section(model.bonus)
        deduction = self.check_section(model.deduction)
        total = sum((p.maximum for p in model.parts), Decimal(0))
        parts_consistent = all(
            p.maximum == sum((c.maximum for c in p.criteria), Decimal(0)) for p in model.parts
        )
        # A part whose criteria do not add up is reported on its own; the
        # total is checked once the parts are right, so its hint is right too.
        if model.parts and parts_consistent and total != model.header.total:
            self.error(
                "total-mismatch",
                model.header.total_span,
                "hint-total",
                {"sum": total},
                total=model.header.total,
                sum=total,
            )
        self.collect_dossier(model.dossier)
        awards = self.check_awards(model.awards)
        resolved = attrs.evolve(model, parts=parts, bonus=bonus, deduction=deduction, awards=awards)
        self.check_cycles(resolved)
        self.diagnostics.sort(key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        return resolved

    def collect_fields(self, fields: Sequence[m.Field]) -> None:
        reserved = _reserved_words()
        for field in fields:
            if field.name in self.fields:
                self.error(
                    "duplicate-field",
                    field.span,
                    "hint-rename",
                    name=field.name,
                    line=self.fields[field.name].span.line,
                )
                continue
            self.fields[field.name] = field
            if field.name in reserved:
                self.error("keyword-name", field.span, "hint-rename", name=field.name)
            seen: dict[str, m.Choice] = {}
            for choice in field.choices:
                if choice.value in reserved:
                    self.error("keyword-name", choice.span, "hint-rename", name=choice.value)
                if choice.value in seen:
                    self.error(
                        "duplicate-choice",
                        choice.span,
                        "hint-remove-duplicate-value",
                        name=choice.value,
                        field=field.name,
                    )
                seen[choice.value] = choice
            if field.type == "choice" and len(field.choices) < 2 and field.choices:
                self.error("choice-too-few", field.span, "hint-choice-values", name=field.name)
            self.check_bounds(field)

    def check_bounds(self, field: m.Field) -> None:
        low, high = field.minimum, field.maximum
        low_span = field.minimum_span or field.span
        high_span = field.maximum_span or field.span
        if low is not None and high is not None and low > high:
            self.error("bounds-reversed", low_span, "hint-swap-bounds", name=field.name)
        natural = {"count": (Decimal(0), None), "percent": (Decimal(0), Decimal(1))}
        floor, ceiling = natural.get(field.type, (None, None))
        if floor is not None and low is not None and low < floor:
            self.error(
                "bound-outside-type",
                low_span,
                "hint-remove-bound",
                name=field.name,
                type=TypeWord(field.type),
            )
        if ceiling is not None and high is not None and high > ceiling:
            self.error(
                "bound-outside-type",
                high_span,
                "hint-remove-bound",
                name=field.name,
                type=TypeWord(field.type),
            )
        if field.type == "count":
            for bound, span in ((low, low_span), (high, high_span)):
                if bound is not None and bound != bound.to_integral_value():
                    self.error("bound-not-whole", span, "hint-whole-number", name=field.name)

    def collect_contestants(self, contestants: Sequence[m.Contestant]) -> None:
        codes: dict[str, m.Contestant] = {}
        names: dict[str, m.Contestant] = {}
        for contestant in contestants:
            if contestant.code in codes:
                self.error(
                    "duplicate-contestant",
                    contestant.span,
                    "hint-remove-duplicate",
                    name=contestant.code,
                    line=codes[contestant.code].span.line,
                )
            elif contestant.name in names:
                self.error(
                    "duplicate-contestant-name",
                    contestant.name_span or contestant.span,
                    "hint-remove-duplicate",
                    name=contestant.name,
                    line=names[contestant.name].span.line,
                )
            codes[contestant.code] = contestant
            names[contestant.name] = contestant

    def collect_items(self, model: m.RubricModel) -> None:
        for part in model.parts:
            if part.id in self.parts:
                self.error(
                    "duplicate-part",
                    part.span,
                    "hint-rename",
                    name=part.id,
                    line=self.parts[part.id].span.line,
                )
            else:
                self.parts[part.id] = part
        for item in all_items(model):
            if item.id in self.items:
                self.error(
                    "duplicate-id",
                    item.span,
                    "hint-rename",
                    name=item.id,
                    line=self.items[item.id].span.line,
                )
            else:
                self.items[item.id] = item

    # ------------------------------------------------------------ structure and maxima

    def check_part(self, part: m.Part) -> m.Part:
        self.check_grid(part.maximum, part.span)
        criteria = tuple(self.check_criterion(c) for c in part.criteria)
        self.check_sum("part-max-mismatch", part.span, part.id, part.maximum, part.criteria)
        return attrs.evolve(part, criteria=criteria)

    def check_sum(
        self, code: str, span: Span, item_id: str, maximum: Decimal, children: Sequence[m.Criterion]
    ) -> None:
        reachable = sum((c.maximum for c in children), Decimal(0))
        if reachable != maximum:
            self.error(
                code,
                span,
                "hint-max-sum",
                {"sum": reachable},
                id=item_id,
                max=maximum,
                sum=reachable,
            )

    def check_grid(self, maximum: Decimal, span: Span) -> None:
        """A maximum finer than the rounding rule could never be reached exactly."""
        places = self.model.header.rounding.places
        exponent = maximum.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            self.error(
                "max-off-grid",
                span,
                "hint-max-grid",
                {"places": places},
                max=maximum,
                places=places,
            )

    def check_criterion(self, criterion: m.Criterion) -> m.Criterion:
        self.check_grid(criterion.maximum, criterion.span)
        if criterion.maximum <= 0:
            self.error("max-not-positive", criterion.span, "hint-max-positive", id=criterion.id)
        for required, span in zip(criterion.requires, criterion.requires_spans, strict=True):
            if required == criterion.id:
                self.error("requires-self", span, "hint-remove-requires", id=criterion.id)
            elif required not in self.items:
                others = [i for i in self.items if i != criterion.id]
                self.unknown("unknown-item", required, span, others)
        if criterion.children:
            self.check_sum(
                "criterion-max-mismatch",
                criterion.span,
                criterion.id,
                criterion.maximum,
                criterion.children,
            )
            return attrs.evolve(
                criterion, children=tuple(self.check_criterion(c) for c in criterion.children)
            )
        assert criterion.scoring is not None
        return attrs.evolve(criterion, scoring=self.check_scoring(criterion, criterion.scoring))

    def check_section(self, section: m.Section | None) -> m.Section | None:
        if section is None:
            return None
        self.check_grid(section.maximum, section.span)
        if section.maximum <= 0:
            self.error(
                "max-not-positive", section.span, "hint-max-positive", id=SectionWord(section.kind)
            )
        return attrs.evolve(section, rules=tuple(self.check_criterion(r) for r in section.rules))

    def check_cycles(self, model: m.RubricModel) -> None:
        edges: dict[str, list[tuple[str, Span]]] = {}
        for item in all_items(model):
            # A self-require is reported as requires-self; a rule reading its
            # own points is a cycle of one.
            targets = [
                (r, s)
                for r, s in zip(item.requires, item.requires_spans, strict=True)
                if r != item.id
            ]
            targets += [(c.id, c.span) for c in item.children]
            if item.scoring is not None:
                for expr in scoring_exprs(item.scoring):
                    targets += [(e.item, e.span) for e in walk(expr) if isinstance(e, m.PointsOf)]
            edges[item.id] = [(t, s) for t, s in targets if t in self.items]
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            for target, span in edges.get(node, []):
                if state.get(target) == 1:
                    start = path.index(target) if target in path else len(path) - 1
                    cycle = [*path[start:], target]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.error("cycle", span, "hint-cycle", cycle=" → ".join(cycle))
                elif state.get(target) is None:
                    visit(target, [*path, target])
            state[node] = 2

        for item_id in edges:
            if item_id not in state:
                visit(item_id, [item_id])

    # ------------------------------------------------------------ scoring forms

    def check_scoring(self, item: m.Criterion, scoring: m.Scoring) -> m.Scoring:
        if isinstance(scoring, m.Assessed):
            return scoring
        if isinstance(scoring, m.Formula):
            return m.Formula(self.points(scoring.expr), scoring.span)
        if isinstance(scoring, m.Conditional):
            return m.Conditional(
                self.points(scoring.points),
                self.condition(scoring.condition),
                None if scoring.otherwise is None else self.points(scoring.otherwise),
                scoring.span,
            )
        if isinstance(scoring, m.PerUnit):
            return m.PerUnit(
                self.points(scoring.rate),
                self.numeric(scoring.units),
                None if scoring.cap is None else self.points(scoring.cap),
                None if scoring.base is None else self.points(scoring.base),
                scoring.span,
            )
        if isinstance(scoring, m.Banded):
            return self.check_banded(scoring)
        if isinstance(scoring, m.Cases):
            return m.Cases(self.check_arms(scoring.arms, None), scoring.span)
        assert isinstance(scoring, m.Target)
        actual, actual_kind = self.resolve(scoring.actual)
        target, target_kind = self.resolve(scoring.target)
        for expr, kind in ((actual, actual_kind), (target, target_kind)):
            self.expect_number(expr, kind)
        if (
            actual_kind
            and target_kind
            and actual_kind.base == target_kind.base == "number"
            and add_units(actual_kind.unit, target_kind.unit) is None
        ):
            self.error(
                "unit-mismatch",
                scoring.span,
                "hint-same-unit",
                left=KindWord(actual_kind),
                right=KindWord(target_kind),
            )
        mode: m.Linear | m.Stepped = scoring.mode
        if isinstance(mode, m.Stepped):
            size = mode.size
            if not (
                isinstance(size, m.Number)
                and size.unit in ("percent", "plain")
                and 0 < size.value <= 1
            ):
                self.error("step-size", _expr_span(size), "hint-step-size")
            mode = m.Stepped(self.points(mode.points), size, mode.started)
        zero = None if scoring.zero_target is None else self.points(scoring.zero_target)
        return m.Target(actual, target, mode, zero, scoring.span)

    def check_banded(self, scoring: m.Banded) -> m.Banded:
        subject, kind = self.resolve(scoring.subject)
        if kind is not None and kind.base == "bool":
            self.error("by-yes-no", _expr_span(subject), "hint-use-if")
            kind = None
        arms = self.check_arms(scoring.arms, kind, subject)
        if kind is not None and kind.base == "choice":
            field = self.fields[kind.field or ""]
            covered = {v for arm in arms if isinstance(arm, m.ChoiceArm) for v in arm.values}
            has_otherwise = any(isinstance(a, m.OtherwiseArm) for a in arms)
            missing = [c.value for c in field.choices if c.value not in covered]
            if missing and not has_otherwise:
                self.error(
                    "choice-not-covered",
                    scoring.span,
                    "hint-cover-choices",
                    {"values": QuotedList(missing)},
                    field=field.name,
                    values=QuotedList(missing),
                )
        return m.Banded(subject, arms, scoring.span)

    def check_arms(
        self, arms: Sequence[m.Arm], kind: Kind | None, subject: m.Expr | None = None
    ) -> tuple[m.Arm, ...]:
        result: list[m.Arm] = []
        seen_values: set[str] = set()
        otherwise_seen = False
        for arm in arms:
            if otherwise_seen:
                self.error("arm-after-otherwise", arm.span, "hint-otherwise-last")
            if isinstance(arm, m.OtherwiseArm):
                otherwise_seen = True
                result.append(m.OtherwiseArm(self.points(arm.points), arm.span))
            elif isinstance(arm, m.CaseArm):
                result.append(
                    m.CaseArm(self.condition(arm.condition), self.points(arm.points), arm.span)
                )
            elif isinstance(arm, m.ThresholdArm):
                bound, bound_kind = self.resolve(arm.bound)
                if kind is not None and kind.base == "choice":
                    self.error("threshold-on-choice", arm.span, "hint-choice-arm")
                elif kind is not None and bound_kind is not None:
                    self.check_comparable(arm.op, subject, kind, bound, bound_kind, arm.span)
                result.append(m.ThresholdArm(arm.op, bound, self.points(arm.points), arm.span))
            else:
                assert isinstance(arm, m.ChoiceArm)
                if kind is not None and kind.base != "choice":
                    self.error(
                        "choice-arm-on-number", arm.span, "hint-threshold-arm", kind=KindWord(kind)
                    )
                elif kind is not None:
                    field = self.fields[kind.field or ""]
                    allowed = [c.value for c in field.choices]
                    spans = arm.value_spans or (arm.span,) * len(arm.values)
                    for value, value_span in zip(arm.values, spans, strict=True):
                        if value not in allowed:
                            self.unknown(
                                "unknown-choice-value",
                                value,
                                value_span,
                                allowed,
                                field=field.name,
                                values=QuotedList(allowed),
                            )
                        elif value in seen_values:
                            self.error(
                                "duplicate-choice-arm",
                                value_span,
                                "hint-remove-duplicate-value",
                                name=value,
                            )
                        seen_values.add(value)
                result.append(
                    m.ChoiceArm(
                        arm.values, self.points(arm.points), arm.span, value_spans=arm.value_spans
                    )
                )
        return tuple(result)

    # ------------------------------------------------------------ expressions

    def points(self, expr: m.Expr) -> m.Expr:
        """Resolve an expression that gives points: it must be a number."""
        if isinstance(expr, m.Number) and expr.unit != "plain":
            # `2% if x` would give 0.02 points, `2 đồng` 2: neither is meant.
            self.error("points-with-unit", expr.span, "hint-points-plain")
        resolved, kind = self.resolve(expr)
        if kind is not None and kind.base != "number":
            hint = "hint-use-if" if kind.base == "bool" else None
            self.error("points-not-number", _expr_span(resolved), hint, kind=KindWord(kind))
        return resolved

    def numeric(self, expr: m.Expr) -> m.Expr:
        """Resolve an expression that must be a number."""
        resolved, kind = self.resolve(expr)
        self.expect_number(resolved, kind)
        return resolved

    def expect_number(self, expr: m.Expr, kind: Kind | None) -> None:
        if kind is not None and kind.base != "number":
            self.error("expected-number", _expr_span(expr), None, kind=KindWord(kind))

    def condition(self, expr: m.Expr) -> m.Expr:
        """Resolve an expression that must be yes/no."""
        resolved, kind = self.resolve(expr)
        if kind is not None and kind.base != "bool":
            self.error(
                "expected-condition", _expr_span(resolved), "hint-condition", kind=KindWord(kind)
            )
        return resolved

    def resolve(self, expr: m.Expr) -> tuple[m.Expr, Kind | None]:
        """Resolve names in ``expr`` and infer its kind (None after an error)."""
        if isinstance(expr, m.Number):
            return expr, literal_kind(expr)
        if isinstance(expr, m.DateLiteral):
            return expr, DATE
        if isinstance(expr, m.DossierComplete):
            if not self.in_eligibility:
                self.error("dossier-outside-eligibility", expr.span, "hint-dossier-eligibility")
                return expr, None
            if not self.model.dossier:
                self.error("no-dossier", expr.span, "hint-add-dossier")
                return expr, None
            return expr, BOOL
        if isinstance(expr, m.DeadlineRef):
            if self.model.header.deadline is None:
                self.error("no-deadline", expr.span, "hint-add-deadline")
                return expr, None
            return expr, DATE
        if isinstance(expr, m.Name | m.FieldRef):
            field = self.fields.get(expr.name)
            if field is None:
                self.unknown("unknown-field", expr.name, expr.span, self.fields)
                return expr, None
            return m.FieldRef(expr.name, expr.span), field_kind(field)
        if isinstance(expr, m.ChoiceValue):
            return expr, Kind("choice", field=expr.field)
        if isinstance(expr, m.PointsOf):
            if expr.item not in self.items:
                self.unknown("unknown-item", expr.item, expr.span, self.items)
                return expr, None
            return expr, Kind("number", "plain")
        if isinstance(expr, m.Negate):
            operand, kind = self.resolve(expr.operand)
            self.expect_number(operand, kind)
            return m.Negate(operand, expr.span), kind if kind and kind.base == "number" else None
        if isinstance(expr, m.Not):
            operand = self.condition(expr.operand)
            return m.Not(operand, expr.span), BOOL
        if isinstance(expr, m.Logical):
            return m.Logical(
                expr.op, tuple(self.condition(o) for o in expr.operands), expr.span
            ), BOOL
        if isinstance(expr, m.Comparison):
            return self.resolve_comparison(expr)
        if isinstance(expr, m.Arithmetic):
            return self.resolve_arithmetic(expr)
        assert isinstance(expr, m.Call)
        return self.resolve_call(expr)

    def resolve_comparison(self, expr: m.Comparison) -> tuple[m.Expr, Kind | None]:
        left, right = expr.left, expr.right
        # A bare name facing a choice field is one of its values: `bao_cao = dung_han`.
        left_choice = self.choice_field_of(left)
        right_choice = self.choice_field_of(right)
        if left_choice and isinstance(right, m.Name) and right_choice is None:
            right = self.choice_value(left_choice, right)
        elif right_choice and isinstance(left, m.Name) and left_choice is None:
            left = self.choice_value(right_choice, left)
        left, left_kind = self.resolve(left)
        right, right_kind = self.resolve(right)
        if left_kind is not None and right_kind is not None:
            self.check_comparable(expr.op, left, left_kind, right, right_kind, expr.span)
        return m.Comparison(expr.op, left, right, expr.span), BOOL

    def choice_field_of(self, expr: m.Expr) -> m.Field | None:
        if isinstance(expr, m.Name | m.FieldRef):
            field = self.fields.get(expr.name)
            if field is not None and field.type == "choice":
                return field
        return None

    def choice_value(self, field: m.Field, name: m.Name) -> m.Expr:
        values = [c.value for c in field.choices]
        if name.name in values:
            if name.name in self.fields:
                self.error(
                    "ambiguous-name", name.span, "hint-rename", name=name.name, field=field.name
                )
            return m.ChoiceValue(field.name, name.name, name.span)
        if name.name in self.fields:
            return name
        self.unknown(
            "unknown-choice-value",
            name.name,
            name.span,
            values,
            field=field.name,
            values=QuotedList(values),
        )
        return m.ChoiceValue(field.name, name.name, name.span)

    def check_comparable(
        self,
        op: str,
        left: m.Expr | None,
        left_kind: Kind,
        right: m.Expr,
        right_kind: Kind,
        span: Span,
    ) -> None:
        """Report a comparison between values of kinds that cannot be compared."""
        if left_kind.base != right_kind.base or (
            left_kind.base == "choice" and left_kind.field != right_kind.field
        ):
            self.error(
                "compare-mismatch", span, None, left=KindWord(left_kind), right=KindWord(right_kind)
            )
            return
        if left_kind.base in ("bool", "choice") and op not in ("=", "!="):
            self.error("compare-order", span, "hint-equality", kind=KindWord(left_kind), op=op)
            return
        if left_kind.base != "number":
            return
        units = {left_kind.unit, right_kind.unit}
        if "percent" in units:
            other, other_expr = (
                (right_kind, right) if left_kind.unit == "percent" else (left_kind, left)
            )
            if (
                other.unit == "plain"
                and other_expr is not None
                and _is_nonzero_plain_literal(other_expr)
            ):
                assert isinstance(other_expr, m.Number)
                self.error(
                    "percent-literal",
                    _expr_span(other_expr),
                    "hint-percent-literal",
                    {"value": other_expr.value},
                    value=other_expr.value,
                )
                return
        if add_units(left_kind.unit, right_kind.unit) is None:
            self.error(
                "unit-mismatch",
                span,
                "hint-same-unit",
                left=KindWord(left_kind),
                right=KindWord(right_kind),
            )

    def resolve_arithmetic(self, expr: m.Arithmetic) -> tuple[m.Expr, Kind | None]:
        left, left_kind = self.resolve(expr.left)
        right, right_kind = self.resolve(expr.right)
        resolved = m.Arithmetic(expr.op, left, right, expr.span)
        if left_kind is None or right_kind is None:
            return resolved, None
        if expr.op in ("+", "-"):
            # `ty_le + 5` adds 500%: almost certainly `ty_le + 5%` was meant.
            for side, other in ((left_kind, right), (right_kind, left)):
                if side.unit == "percent" and _is_nonzero_plain_literal(other):
                    assert isinstance(other, m.Number)
                    self.error(
                        "percent-literal-sum",
                        _expr_span(other),
                        "hint-percent-literal",
                        {"value": other.value},
                        value=other.value,
                    )
                    return resolved, None
        kind = arithmetic_kind(expr.op, left_kind, right_kind)
        if kind is not None:
            return resolved, kind
        for operand, operand_kind in ((left, left_kind), (right, right_kind)):
            if operand_kind.base != "number":
                self.error(
                    "arithmetic-type",
                    _expr_span(operand),
                    None,
                    kind=KindWord(operand_kind),
                    op=expr.op,
                )
                return resolved, None
        self.error(
            "unit-mismatch",
            expr.span,
            "hint-same-unit",
            left=KindWord(left_kind),
            right=KindWord(right_kind),
        )
        return resolved, None

    def resolve_call(self, expr: m.Call) -> tuple[m.Expr, Kind | None]:
        resolved_args = [self.resolve(a) for a in expr.args]
        args = tuple(a for a, _ in resolved_args)
        resolved = m.Call(expr.function, args, expr.span)
        arity = {
            "min": (2, None),
            "max": (2, None),
            "round": (2, 2),
            "floor": (1, 1),
            "ceil": (1, 1),
        }[expr.function]
        low, high = arity
        if len(args) < low or (high is not None and len(args) > high):
            self.error(
                "call-arity",
                expr.span,
                "hint-call-arity",
                function=expr.function,
                count=len(args),
                expected=low if low == high else f"{low}+",
            )
            return resolved, None
        kinds = [k for _, k in resolved_args if k is not None]
        if len(kinds) != len(args):
            return resolved, None
        for arg, kind in zip(args, kinds, strict=True):
            if kind.base != "number":
                self.error(
                    "arithmetic-type", _expr_span(arg), None, kind=KindWord(kind), op=expr.function
                )
                return resolved, None
        if expr.function == "round":
            places = args[1]
            if not (
                isinstance(places, m.Number)
                and places.unit == "plain"
                and places.value == places.value.to_integral_value()
                and 0 <= places.value <= 10
            ):
                self.error("round-places", _expr_span(places), "hint-round-places")
        combined = call_kind(expr.function, kinds)
        if combined is None:
            self.error(
                "unit-mismatch",
                expr.span,
                "hint-same-unit",
                left=KindWord(kinds[0]),
                right=KindWord(kinds[-1]),
            )
        return resolved, combined

    # ------------------------------------------------------------ awards

    def collect_dossier(self, documents: Sequence[m.Document]) -> None:
        seen: dict[str, m.Document] = {}
        reserved = _reserved_words()
        for document in documents:
            if document.id in seen:
                self.error(
                    "duplicate-document",
                    document.span,
                    "hint-rename",
                    name=document.id,
                    line=seen[document.id].span.line,
                )
            elif document.id in reserved:
                self.error("keyword-name", document.span, "hint-rename", name=document.id)
            seen[document.id] = document

    def check_awards(self, awards: m.Awards | None) -> m.Awards | None:
        if awards is None:
            return None
        self.in_eligibility = True
        eligibility = tuple(
            attrs.evolve(rule, condition=self.condition(rule.condition))
            for rule in awards.eligibility
        )
        self.in_eligibility = False
        seen: dict[int, m.Place] = {}
        duplicated = False
        for place in awards.places:
            if place.rank in seen:
                duplicated = True
                self.error(
                    "duplicate-place",
                    place.span,
                    "hint-remove-duplicate",
                    rank=place.rank,
                    line=seen[place.rank].span.line,
                )
            seen[place.rank] = place
        if not duplicated:
            for index, place in enumerate(awards.places, start=1):
                if place.rank != index:
                    self.error(
                        "place-order",
                        place.span,
                        "hint-place-order",
                        rank=place.rank,
                        expected=index,
                    )
                    break
        if awards.minimum is not None and awards.minimum > self.model.header.total:
            self.error(
                "minimum-too-high",
                awards.minimum_span or awards.span,
                None,
                minimum=awards.minimum,
                total=self.model.header.total,
            )
        for key in awards.tie_breaks:
            self.check_tie_break(key)
        return attrs.evolve(awards, eligibility=eligibility)

    def check_tie_break(self, key: m.TieBreak) -> None:
        if key.subject == "part":
            if key.ref not in self.parts:
                self.unknown("unknown-part", key.ref or "", key.span, self.parts)
        elif key.subject == "criterion":
            if key.ref not in self.items:
                self.unknown("unknown-item", key.ref or "", key.span, self.items)
        elif key.subject in ("bonus", "deduction"):
            if getattr(self.model, key.subject) is None:
                self.error("no-section", key.span, None, section=key.subject)
        elif key.subject == "field":
            field = self.fields.get(key.ref or "")
            if field is None:
                self.unknown("unknown-field", key.ref or "", key.span, self.fields)
                return
            wants_date = key.direction in ("earlier", "later")
            if wants_date != (field.type == "date") or field.type in ("yes/no", "choice"):
                self.error(
                    "tie-direction",
                    key.span,
                    "hint-tie-direction",
                    direction=key.direction,
                    name=field.name,
                    type=TypeWord(field.type),
                )


def _expr_span(expr: m.Expr) -> Span:
    return expr.span


def kind_of(expr: m.Expr, fields: dict[str, m.Field]) -> Kind | None:
    """The kind of a resolved expression: what the checker inferred for it."""
    if isinstance(expr, m.FieldRef):
        return field_kind(fields[expr.name])
    if isinstance(expr, m.Number):
        return literal_kind(expr)
    if isinstance(expr, m.DateLiteral | m.DeadlineRef):
        return DATE
    if isinstance(expr, m.DossierComplete):
        return BOOL
    if isinstance(expr, m.ChoiceValue):
        return Kind("choice", field=expr.field)
    if isinstance(expr, m.Comparison | m.Logical | m.Not):
        return BOOL
    if isinstance(expr, m.Negate):
        return kind_of(expr.operand, fields)
    if isinstance(expr, m.PointsOf):
        return PLAIN
    if isinstance(expr, m.Arithmetic):
        left, right = kind_of(expr.left, fields), kind_of(expr.right, fields)
        return arithmetic_kind(expr.op, left, right) if left and right else None
    if isinstance(expr, m.Call):
        kinds = [kind_of(a, fields) for a in expr.args]
        known = [k for k in kinds if k is not None]
        return call_kind(expr.function, known) if len(known) == len(kinds) else None
    return None  # pragma: no cover - an unresolved Name never reaches here
