"""Stage 4, fast path: the checked rule model compiled to Python source.

The reference evaluator (:mod:`htx_rules.evaluator`) runs a tree of closures;
this module writes the same rules out as one straight-line Python function per
rubric (one traced, one untraced variant), compiles it once, and runs that.
Both give identical points; the tests hold them to it.

Safety: the generated source contains no text from the rubric at all.  Every
constant — numbers, dates, field names, labels, spans, source excerpts — is
bound by a generated name (``K12``) in the function's namespace; variables are
generated names (``p3``, ``r3``).  So a rubric cannot inject code whatever its
labels or names say, and the generated code has no loops: its running time is
linear in the size of the rubric.
"""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal
from typing import Any, Final

from htx_rules import model as m
from htx_rules.checker import all_items, fields_read, kind_of
from htx_rules.decimals import ONE, SCORING_CONTEXT, ZERO
from htx_rules.evaluator import (
    Undefined,
    _Compiler,
    _constant,
    _dependency_order,
    _highest_total,
)
from htx_rules.ranges import RangeAnalysis
from htx_rules.result import Adjustment, Decision, TraceNode
from htx_rules.source import SourceText

_OPS: Final = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "=": "==", "!=": "!="}
_ROUND = decimal.ROUND_HALF_UP


def _divide(numerator: Any, denominator: Any, span: Any) -> Decimal:
    if not denominator:
        raise Undefined("division-by-zero", span)
    quotient: Decimal = Decimal(numerator) / denominator
    return quotient


def _absent(values: Any, fields: tuple[str, ...]) -> list[str]:
    """The fields of a rule that were not given (what to supply to score it)."""
    return [name for name in fields if name not in values]


def _negative_target(span: Any) -> None:
    raise Undefined("negative-target", span)


class _Writer:
    """Accumulates source lines and the namespace their names refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "Decimal": Decimal,
            "ZERO": ZERO,
            "ONE": ONE,
            "DecimalException": decimal.DecimalException,
            "Undefined": Undefined,
            "_divide": _divide,
            "_negative_target": _negative_target,
            "_absent": _absent,
            "_new": tuple.__new__,
            "TraceNode": TraceNode,
            "Decision": Decision,
            "Adjustment": Adjustment,
        }
        self._constants: dict[tuple[type, Any], str] = {}

    def const(self, value: Any) -> str:
        """A generated name bound to ``value``."""
        key = (type(value), value if _hashable(value) else id(value))
        name = self._constants.get(key)
        if name is None:
            name = f"K{len(self._constants)}"
            self._constants[key] = name
            self.namespace[name] = value
        return name

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Generator:
    def __init__(self, model: m.RubricModel, source: SourceText, traced: bool) -> None:
        self.model = model
        self.source = source
        self.traced = traced
        self.reference = _Compiler(model, source)
        self.ranges = RangeAnalysis(model)
        self.fields = {f.name: f for f in model.fields}
        self.out = _Writer()
        self.index: dict[str, int] = {}

    # ------------------------------------------------------------ static facts

    def decimal_typed(self, expr: m.Expr) -> bool:
        """Whether ``expr`` always yields a Decimal (never an int from a count)."""
        if isinstance(expr, m.Number | m.PointsOf):
            return True
        if isinstance(expr, m.FieldRef):
            return self.fields[expr.name].type == "percent"
        if isinstance(expr, m.Negate):
            return self.decimal_typed(expr.operand)
        if isinstance(expr, m.Arithmetic):
            if expr.op == "/":
                return True
            kind = kind_of(expr.left, self.fields)
            if kind is not None and kind.base == "date":
                return False
            return self.decimal_typed(expr.left) or self.decimal_typed(expr.right)
        if isinstance(expr, m.Call):
            if expr.function in ("min", "max"):
                return all(self.decimal_typed(a) for a in expr.args)
            return True
        return False

    def scoring_decimal_typed(self, scoring: m.Scoring) -> bool:
        if isinstance(scoring, m.Formula):
            return self.decimal_typed(scoring.expr)
        if isinstance(scoring, m.Conditional):
            return self.decimal_typed(scoring.points) and (
                scoring.otherwise is None or self.decimal_typed(scoring.otherwise)
            )
        if isinstance(scoring, m.PerUnit):
            amount = self.decimal_typed(scoring.rate) or self.decimal_typed(scoring.units)
            capped = scoring.cap is None or self.decimal_typed(scoring.cap)
            return (amount and capped) or (
                scoring.base is not None and self.decimal_typed(scoring.base)
            )
        if isinstance(scoring, m.Banded | m.Cases):
            return all(self.decimal_typed(arm.points) for arm in scoring.arms)
        return True  # a target's points are computed from the Decimal maximum

    def needs_clamp(self, item: m.Criterion) -> tuple[bool, bool]:
        """Whether the clamps to 0 and to the maximum can ever change the value."""
        if item.scoring is None:
            # The checker makes the maxima of the children add up to the parent's.
            return False, False
        span = self.ranges.scoring(item.scoring, item.maximum)
        exponent = item.maximum.as_tuple().exponent
        on_grid = isinstance(exponent, int) and exponent >= -self.reference.places
        if not on_grid:
            return True, True
        # Rounding to the grid keeps a value inside bounds that are on the grid.
        return span.low < 0, span.high > item.maximum

    # ------------------------------------------------------------ expressions

    def expr(self, expr: m.Expr) -> str:
        known, value = _constant(expr, self.model)
        if known:
            return self.out.const(value)
        if isinstance(expr, m.FieldRef):
            read = f"values[{self.out.const(expr.name)}]"
            if self.fields[expr.name].type == "percent":
                return f"{read}.scaleb(-2)"
            return read
        if isinstance(expr, m.PointsOf):
            return f"p{self.index[expr.item]}"
        if isinstance(expr, m.Negate):
            return f"(-{self.expr(expr.operand)})"
        if isinstance(expr, m.Not):
            return f"(not {self.expr(expr.operand)})"
        if isinstance(expr, m.Logical):
            return "(" + f" {expr.op} ".join(self.expr(o) for o in expr.operands) + ")"
        if isinstance(expr, m.Comparison):
            return f"({self.expr(expr.left)} {_OPS[expr.op]} {self.expr(expr.right)})"
        if isinstance(expr, m.Arithmetic):
            left, right = self.expr(expr.left), self.expr(expr.right)
            if expr.op == "/":
                return f"_divide({left}, {right}, {self.out.const(expr.span)})"
            kind = kind_of(expr.left, self.fields)
            if expr.op == "-" and kind is not None and kind.base == "date":
                return f"({left} - {right}).days"
            return f"({left} {expr.op} {right})"
        assert isinstance(expr, m.Call)
        args = [self.expr(a) for a in expr.args]
        if expr.function in ("min", "max"):
            return f"{expr.function}({', '.join(args)})"
        if expr.function == "round":
            places = expr.args[1]
            assert isinstance(places, m.Number)
            quantum = self.out.const(Decimal(1).scaleb(-int(places.value)))
            mode = self.out.const(self.reference.rounding_mode)
            return f"Decimal({args[0]}).quantize({quantum}, rounding={mode})"
        mode = self.out.const(
            decimal.ROUND_FLOOR if expr.function == "floor" else decimal.ROUND_CEILING
        )
        return f"Decimal({args[0]}).to_integral_value(rounding={mode})"

    # ------------------------------------------------------------ scoring forms
    # Each form sets r{i} (the raw value) and t{i} (the token its explain
    # function reads), exactly as the reference evaluator's run() returns them.

    def set(self, depth: int, i: int, value: str, token: str) -> None:
        """Set the raw value of step ``i``, and in traced code its token."""
        if self.traced:
            self.out.line(depth, f"r{i} = {value}; t{i} = {token}")
        else:
            self.out.line(depth, f"r{i} = {value}")

    def scoring(self, i: int, item: m.Criterion, depth: int) -> None:
        scoring = item.scoring
        out = self.out
        if isinstance(scoring, m.Formula):
            self.set(depth, i, f"{self.expr(scoring.expr)}", "None")
        elif isinstance(scoring, m.Conditional):
            out.line(depth, f"if {self.expr(scoring.condition)}:")
            self.set(depth + 1, i, f"{self.expr(scoring.points)}", "True")
            out.line(depth, "else:")
            other = "ZERO" if scoring.otherwise is None else self.expr(scoring.otherwise)
            self.set(depth + 1, i, f"{other}", "False")
        elif isinstance(scoring, m.PerUnit):
            out.line(depth, f"u{i} = {self.expr(scoring.units)}; e{i} = {self.expr(scoring.rate)}")
            out.line(depth, f"a{i} = e{i} * u{i}; b{i} = None")
            if scoring.cap is not None:
                out.line(depth, f"c{i} = {self.expr(scoring.cap)}")
                out.line(depth, f"if a{i} > c{i}:")
                out.line(depth + 1, f"b{i} = a{i}; a{i} = c{i}")
            if scoring.base is None:
                self.set(depth, i, f"a{i}", f"(u{i}, e{i}, None, a{i}, b{i})")
            else:
                out.line(depth, f"s{i} = {self.expr(scoring.base)}")
                self.set(depth, i, f"s{i} - a{i}", f"(u{i}, e{i}, s{i}, a{i}, b{i})")
        elif isinstance(scoring, m.Banded):
            self.banded(i, scoring, depth)
        elif isinstance(scoring, m.Cases):
            keyword = "if"
            for index, arm in enumerate(scoring.arms):
                if isinstance(arm, m.CaseArm):
                    out.line(depth, f"{keyword} {self.expr(arm.condition)}:")
                else:
                    out.line(depth, "else:" if keyword == "elif" else "if True:")
                self.set(depth + 1, i, f"{self.expr(arm.points)}", f"{index}")
                keyword = "elif"
                if isinstance(arm, m.OtherwiseArm):
                    break
            else:
                out.line(depth, "else:")
                self.set(depth + 1, i, "ZERO", "None")
        else:
            assert isinstance(scoring, m.Target)
            self.target(i, scoring, item.maximum, depth)

    def banded(self, i: int, scoring: m.Banded, depth: int) -> None:
        out = self.out
        s = f"s{i}"
        out.line(depth, f"{s} = {self.expr(scoring.subject)}")
        kind = kind_of(scoring.subject, self.fields)
        keyword = "if"
        if kind is not None and kind.base == "choice":
            for number, arm in enumerate(scoring.arms, start=1):
                if isinstance(arm, m.ChoiceArm):
                    test = " or ".join(f"{s} == {out.const(v)}" for v in arm.values)
                    out.line(depth, f"{keyword} {test}:")
                else:
                    out.line(depth, "else:")
                self.set(depth + 1, i, f"{self.expr(arm.points)}", f"({number}, {s})")
                keyword = "elif"
                if isinstance(arm, m.OtherwiseArm):
                    break
            return
        for index, arm in enumerate(scoring.arms):
            points = self.expr(arm.points)
            if isinstance(arm, m.ThresholdArm):
                known, value = _constant(arm.bound, self.model)
                if known:
                    bound = out.const(value)
                    out.line(depth, f"{keyword} {s} {_OPS[arm.op]} {bound}:")
                else:
                    bound = f"l{i}"
                    out.line(
                        depth, f"{keyword} {s} {_OPS[arm.op]} ({bound} := {self.expr(arm.bound)}):"
                    )
                self.set(depth + 1, i, f"{points}", f"({index}, {s}, {bound})")
            else:
                out.line(depth, "else:" if keyword == "elif" else "if True:")
                self.set(depth + 1, i, f"{points}", f"({index}, {s}, None)")
                return
            keyword = "elif"
        out.line(depth, "else:")
        self.set(depth + 1, i, "ZERO", f"(None, {s}, None)")

    def target(self, i: int, scoring: m.Target, maximum: Decimal, depth: int) -> None:
        out = self.out
        a, g = f"a{i}", f"g{i}"
        top = out.const(maximum)
        out.line(depth, f"{a} = {self.expr(scoring.actual)}; {g} = {self.expr(scoring.target)}")
        out.line(depth, f"if {g} < 0:")
        out.line(depth + 1, f"_negative_target({out.const(scoring.span)})")
        out.line(depth, f"if not {g}:")
        zero = top if scoring.zero_target is None else self.expr(scoring.zero_target)
        self.set(depth + 1, i, f"{zero}", f"({a}, {g}, ONE, None)")
        out.line(depth, "else:")
        out.line(depth + 1, f"q{i} = Decimal({a}) / {g}")
        mode = scoring.mode
        if isinstance(mode, m.Linear):
            self.set(depth + 1, i, f"{top} * {a} / {g}", f"({a}, {g}, q{i}, None)")
            return
        assert isinstance(mode.size, m.Number)
        size = out.const(mode.size.value)
        rounding = out.const(decimal.ROUND_CEILING if mode.started else decimal.ROUND_FLOOR)
        out.line(depth + 1, f"if {a} >= {g}:")
        self.set(depth + 2, i, f"{top}", f"({a}, {g}, q{i}, ZERO)")
        out.line(depth + 1, "else:")
        out.line(
            depth + 2,
            f"n{i} = (Decimal({g} - {a}) / ({g} * {size})).to_integral_value(rounding={rounding})",
        )
        self.set(
            depth + 2, i, f"{top} - n{i} * {self.expr(mode.points)}", f"({a}, {g}, q{i}, n{i})"
        )

    # ------------------------------------------------------------ steps

    def generate(self) -> str:
        out = self.out
        model = self.model
        items = {item.id: item for item in all_items(model)}
        order = _dependency_order(model)
        self.index = {item_id: number for number, item_id in enumerate(order)}
        rule_ids = {r.id for s in (model.bonus, model.deduction) if s for r in s.rules}
        name = "score_traced" if self.traced else "score"
        out.line(0, f"def {name}(values):")
        out.line(1, "missing = []")
        if self.traced:
            out.line(1, "get = values.get")
        for item_id in order:
            item = items[item_id]
            self.step(self.index[item_id], item, "rule" if item_id in rule_ids else "criterion")
        self.totals(items)
        return "\n".join(out.lines) + "\n"

    def step(self, i: int, item: m.Criterion, kind: str) -> None:
        out = self.out
        top = out.const(item.maximum)
        p, r = f"p{i}", f"r{i}"
        traced = self.traced
        if item.scoring is None:
            children = [f"p{self.index[c.id]}" for c in item.children]
            out.line(1, f"{r} = {p} = {' + '.join(children)}")
            if traced:
                out.line(1, "st = 'scored'; dec = _SUM; adj = ()")
        else:
            self.rule_step(i, item)
        below, above = self.needs_clamp(item)
        keyword = "if"
        if above:
            out.line(1, f"if {p} > {top}:")
            if traced:
                out.line(2, f"adj = adj + (_new(Adjustment, ('max', {p}, {top}, {top})),)")
            out.line(2, f"{p} = {top}")
            keyword = "elif"
        if below:
            out.line(1, f"{keyword} {p} < 0:")
            if traced:
                out.line(2, f"adj = adj + (_new(Adjustment, ('min', {p}, ZERO, ZERO)),)")
            out.line(2, f"{p} = ZERO")
        if traced:
            fields = fields_read(item.scoring) if item.scoring is not None else ()
            reads = "(" + "".join(f"get({out.const(f)}), " for f in fields) + ")"
            nodes = "(" + "".join(f"n{self.index[c.id]}, " for c in item.children) + ")"
            span = item.scoring.span if item.scoring is not None else item.span
            static = ", ".join(out.const(v) for v in (kind, item.id, item.label))
            out.line(
                1,
                f"n{i} = _new(TraceNode, ({static}, {p}, {top}, {out.const(span)}, "
                f"{out.const(self.source.excerpt(span))}, st, {r}, dec, "
                f"{out.const(fields)}, {reads}, adj, {nodes}))",
            )

    def rule_step(self, i: int, item: m.Criterion) -> None:
        out = self.out
        p, r = f"p{i}", f"r{i}"
        traced = self.traced
        assert item.scoring is not None
        exact = self.reference.scoring_on_grid(item.scoring)
        depth = 1
        if item.requires:
            unmet = " or ".join(f"p{self.index[q]} <= 0" for q in item.requires)
            out.line(1, f"if {unmet}:")
            out.line(2, f"{r} = None; {p} = ZERO")
            if traced:
                details = (
                    "("
                    + "".join(f"({out.const(q)}, p{self.index[q]}), " for q in item.requires)
                    + ")"
                )
                out.line(2, "st = 'requires_unmet'; adj = ()")
                out.line(
                    2, f"dec = _new(Decision, ('requires_unmet', None, None, {details}, '', None))"
                )
            out.line(1, "else:")
            depth = 2
        out.line(depth, "try:")
        self.scoring(i, item, depth + 1)
        if not self.scoring_decimal_typed(item.scoring):
            out.line(depth + 1, f"if type({r}) is not Decimal:")
            out.line(depth + 2, f"{r} = Decimal({r})")
        if exact:
            out.line(depth + 1, f"{p} = {r}")
        else:
            quantum = out.const(self.reference.quantum)
            mode = out.const(self.reference.rounding_mode)
            out.line(depth + 1, f"{p} = {r}.quantize({quantum}, rounding={mode})")
        if traced:
            out.line(depth + 1, f"st = 'scored'; dec, adj = {self.explain(item)}")
            if not exact:
                out.line(depth + 1, f"if {p} != {r}:")
                out.line(depth + 2, f"adj = adj + (_new(Adjustment, ('round', {r}, {p}, None)),)")
        out.line(depth, "except KeyError as error:")
        fields = out.const(fields_read(item.scoring))
        out.line(depth + 1, f"missing.extend(_absent(values, {fields})); {r} = None; {p} = ZERO")
        if traced:
            out.line(depth + 1, "st = 'missing'; adj = ()")
            out.line(
                depth + 1, "dec = _new(Decision, ('missing', None, error.args[0], (), '', None))"
            )
        out.line(depth, "except Undefined as error:")
        out.line(depth + 1, f"{r} = None; {p} = ZERO")
        if traced:
            out.line(depth + 1, "st = 'undefined'; adj = ()")
            out.line(
                depth + 1,
                "dec = _new(Decision, ('undefined', None, error.reason, (), '', error.span))",
            )
        out.line(depth, "except DecimalException:")
        out.line(depth + 1, f"{r} = None; {p} = ZERO")
        if traced:
            out.line(depth + 1, "st = 'undefined'; adj = ()")
            out.line(
                depth + 1, "dec = _new(Decision, ('undefined', None, 'out-of-range', (), '', None))"
            )

    def explain(self, item: m.Criterion) -> str:
        """Code giving ``(decision, adjustments)`` for the token ``t{i}``.

        The reference evaluator's explain function is the one source of
        decisions; where its answer depends only on which branch was taken,
        the answers are computed here once and picked by the token.
        """
        _run, explain = self.reference.rule(item)
        t = f"t{self.index[item.id]}"
        scoring = item.scoring
        if isinstance(scoring, m.Formula):
            return self.out.const(explain(None))
        if isinstance(scoring, m.Conditional):
            return f"({self.out.const(explain(True))} if {t} else {self.out.const(explain(False))})"
        if isinstance(scoring, m.Cases):
            answers = tuple(explain(index) for index in range(len(scoring.arms)))
            return (
                f"({self.out.const(explain(None))} if {t} is None else "
                f"{self.out.const(answers)}[{t}])"
            )
        return f"{self.out.const(explain)}({t})"

    def totals(self, items: dict[str, m.Criterion]) -> None:
        out = self.out
        model = self.model
        traced = self.traced
        part_names = []
        groups = []
        for number, part in enumerate(model.parts):
            g = f"g{number}"
            part_names.append((part.id, g))
            self.group(
                g,
                "part",
                part.id,
                part.label,
                part.maximum,
                part.span,
                [c.id for c in part.criteria],
                "max",
            )
            groups.append(f"m{g}")
        out.line(1, "standard = " + " + ".join(g for _, g in part_names))
        sections = {"bonus": "ZERO", "deduction": "ZERO"}
        for section in (model.bonus, model.deduction):
            if section is None:
                continue
            g = f"g_{section.kind}"
            self.group(
                g,
                section.kind,
                section.kind,
                section.label,
                section.maximum,
                section.span,
                [r.id for r in section.rules],
                "cap",
            )
            sections[section.kind] = g
            groups.append(f"m{g}")
        out.line(1, f"bonus = {sections['bonus']}; deduction = {sections['deduction']}")
        out.line(1, "raw = standard + bonus - deduction")
        out.line(1, "total = raw if raw >= 0 else ZERO")
        out.line(
            1, "parts = {" + "".join(f"{out.const(pid)}: {g}, " for pid, g in part_names) + "}"
        )
        out.line(
            1,
            "points = {"
            + "".join(f"{out.const(item_id)}: p{self.index[item_id]}, " for item_id in items)
            + "}",
        )
        if traced:
            header = model.header
            out.line(1, "adj = () if raw >= 0 else (_new(Adjustment, ('min', raw, ZERO, ZERO)),)")
            static = ", ".join(out.const(v) for v in ("rubric", header.id, header.title))
            out.line(
                1,
                f"trace = _new(TraceNode, ({static}, total, {out.const(_highest_total(model))}, "
                f"{out.const(header.span)}, {out.const(self.source.excerpt(header.span))},"
                f" 'scored', raw, _TOTAL, (), (), adj, ({''.join(g + ', ' for g in groups)})"
                "))",
            )
        else:
            out.line(1, "trace = None")
        out.line(
            1,
            "return total, standard, bonus, deduction, parts, points, "
            "tuple(dict.fromkeys(missing)), trace",
        )

    def group(
        self,
        g: str,
        kind: str,
        group_id: str,
        label: str,
        maximum: Decimal,
        span: Any,
        children: list[str],
        cap_kind: str,
    ) -> None:
        out = self.out
        top = out.const(maximum)
        total = " + ".join(f"p{self.index[c]}" for c in children) or "ZERO"
        out.line(1, f"{g} = raw_{g} = {total}")
        out.line(1, "adj = ()" if self.traced else "pass")
        out.line(1, f"if {g} > {top}:")
        if self.traced:
            out.line(2, f"adj = (_new(Adjustment, ({out.const(cap_kind)}, {g}, {top}, {top})),)")
        out.line(2, f"{g} = {top}")
        out.line(1, f"elif {g} < 0:")
        if self.traced:
            out.line(2, f"adj = (_new(Adjustment, ('min', {g}, ZERO, ZERO)),)")
        out.line(2, f"{g} = ZERO")
        if self.traced:
            static = ", ".join(out.const(v) for v in (kind, group_id, label))
            nodes = "".join(f"n{self.index[c]}, " for c in children)
            out.line(
                1,
                f"m{g} = _new(TraceNode, ({static}, {g}, {top}, {out.const(span)}, "
                f"{out.const(self.source.excerpt(span))}, 'scored', raw_{g}, _SUM, "
                f"(), (), adj, ({nodes})))",
            )


def _whole_bounds(low: Decimal, high: Decimal) -> tuple[Any, Any]:
    """Integral bounds as ints, so an int is compared with an int."""
    return (
        int(low) if low == low.to_integral_value() else low,
        int(high) if high == high.to_integral_value() else high,
    )


def compile_validator(
    fields: tuple[m.Field, ...], bounds: dict[str, tuple[Decimal, Decimal]], max_decimals: int
) -> Any:
    """A generated function that accepts clearly valid evidence fast.

    It returns the evidence in the engine's form, or None when anything needs
    a closer look (an unknown key, a None, a value of another type, a value
    out of bounds); the caller then runs the field validators, which decide
    and explain.  Like the scoring code, it holds no text from the rubric.
    """
    out = _Writer()
    out.namespace.update({"_date": datetime.date, "_fromisoformat": datetime.date.fromisoformat})
    out.line(0, "def validate(evidence):")
    out.line(1, "values = {}")
    out.line(1, "given_none = 0")
    out.line(1, "get = evidence.get")
    for field in fields:
        name = out.const(field.name)
        out.line(1, f"v = get({name})")
        out.line(1, "if v is None:")
        out.line(2, f"if {name} in evidence: given_none += 1")  # None means not given
        out.line(1, "else:")
        if field.type == "yes/no":
            out.line(2, "if type(v) is not bool: return None")
            out.line(2, f"values[{name}] = v")
        elif field.type == "choice":
            allowed = out.const(frozenset(c.value for c in field.choices))
            out.line(2, f"if type(v) is not str or v not in {allowed}: return None")
            out.line(2, f"values[{name}] = v")
        elif field.type == "date":
            out.line(2, "if type(v) is str and len(v) == 10 and v[4] == '-' and v[7] == '-':")
            out.line(3, "try:")
            out.line(4, f"values[{name}] = _fromisoformat(v)")
            out.line(3, "except ValueError:")
            out.line(4, "return None")
            out.line(2, "elif type(v) is _date:")
            out.line(3, f"values[{name}] = v")
            out.line(2, "else:")
            out.line(3, "return None")
        else:
            low, high = (out.const(b) for b in _whole_bounds(*bounds[field.name]))
            as_engine = "Decimal(v)" if field.type == "percent" else "v"
            out.line(2, f"if type(v) is int and {low} <= v <= {high}:")
            out.line(3, f"values[{name}] = {as_engine}")
            if field.type == "count":
                out.line(2, "else: return None")
                continue
            out.line(
                2,
                f"elif (type(v) is Decimal and v.is_finite() and {low} <= v <= {high}"
                f" and v.as_tuple().exponent >= {-max_decimals}):",
            )
            out.line(3, f"values[{name}] = v")
            out.line(2, "else: return None")
    # Any key left over is not a declared field: let the slow path name it.
    out.line(1, "if len(values) + given_none != len(evidence): return None")
    out.line(1, "return values")
    scope: dict[str, Any] = {}
    names = sorted(out.namespace)
    body = "\n".join(out.lines).replace("\n", "\n    ")
    factory = f"def _factory({', '.join(names)}):\n    {body}\n    return validate\n"
    exec(compile(factory, "<htx_rules: evidence>", "exec"), scope)
    return scope["_factory"](**out.namespace)


class CompiledProgram:
    """A checked rubric compiled to Python functions; build once, run many times.

    Attributes:
        source_code: The generated source of the untraced and traced functions,
            for inspection (it contains generated names only).
    """

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.model = model
        functions = {}
        texts = []
        for traced in (False, True):
            generator = _Generator(model, source, traced)
            code = generator.generate()
            namespace = generator.out.namespace
            namespace["_SUM"] = Decision("sum")
            namespace["_TOTAL"] = Decision("sum", text="standard + bonus - deduction")
            # Constants become closure cells of a factory: faster than globals.
            names = sorted(namespace)
            body = code.rstrip("\n").replace("\n", "\n    ") + "\n"
            factory = (
                f"def _factory({', '.join(names)}):\n    {body}"
                f"    return {'score_traced' if traced else 'score'}\n"
            )
            scope: dict[str, Any] = {}
            exec(compile(factory, f"<htx_rules: {model.header.id}>", "exec"), scope)
            functions[traced] = scope["_factory"](**namespace)
            texts.append(code)
        self._untraced = functions[False]
        self._traced = functions[True]
        self.source_code = "\n".join(texts)

    def run(self, values: Any, *, traced: bool = True) -> Any:
        """Score validated evidence; the same return value as the reference
        :meth:`htx_rules.evaluator.Program.run`."""
        with decimal.localcontext(SCORING_CONTEXT):
            return (self._traced if traced else self._untraced)(values)
