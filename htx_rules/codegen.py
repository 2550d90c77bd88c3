"""Stage 4, fast path: the checked rule model compiled to Python source.

The reference evaluator (:mod:`htx_rules.evaluator`) runs a tree of closures
over Decimals; this module writes the same rules out as one straight-line
Python function per rubric, compiles it once, and runs that.  Two variants are
generated: an untraced one for bulk scoring, and a traced one that also
records, for every criterion and rule, its raw value and which branch it took
— the data :func:`htx_rules.trace.build_trace` turns into the trace tree.

Exact and fast: points are whole numbers of ``10 ** -places`` (hundredths for
a rubric rounding to 2 decimals).  Where a rule's value is provably on that
grid — constants, counts, per-unit points — it is computed with Python
integers; a linear target of two counts is rounded with exact integer
division; anything else (ratios, decimal evidence) is computed with Decimal
and rounded by the rubric's rule.  The tests hold every result, trace
included, equal to the reference evaluator's.

Safety: the generated source contains no text from the rubric at all.  Every
constant — numbers, dates, field names, labels — is bound by a generated name
(``K12``); variables are generated names (``p3``, ``r3``).  So a rubric cannot
inject code whatever its labels or names say, and the generated code has no
loops: its running time is linear in the size of the rubric.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import marshal
import re
from collections.abc import Callable
from decimal import Decimal
from types import CodeType
from typing import Any, Final

import attrs

from htx_rules import model as m
from htx_rules._collector import collector_paused
from htx_rules.checker import all_items, fields_read, kind_of, walk
from htx_rules.decimals import SCORING_CONTEXT, ZERO
from htx_rules.evaluator import (
    _COMPARE,
    RunResult,
    Undefined,
    _Compiler,
    _constant,
    dependency_order,
    make_plan,
)
from htx_rules.ranges import RangeAnalysis
from htx_rules.result import Scored, TraceNode
from htx_rules.source import SourceText
from htx_rules.trace import (
    REQUIRES_UNMET,
    MissingMark,
    ScaledPoints,
    TracePlan,
    UndefinedMark,
    assessment_key,
    build_trace,
    decimal_points,
)

#: the scoring context, trapping Rounded: quantizing in it fails when digits
#: would be dropped (see _Generator.prelude)
_TRAP_ROUNDED: Final = SCORING_CONTEXT.copy()
_TRAP_ROUNDED.traps[decimal.Rounded] = True

_OPS: Final = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "=": "==", "!=": "!="}
#: the comparison with its sides swapped: ``c < x`` is ``x > c``
_MIRRORED: Final = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "=": "=", "!=": "!="}
#: the largest numerator or denominator of a constant a ratio is compared
#: with by cross-multiplying (see _Generator.ratio)
_SMALL: Final = 10**12


def _divide(numerator: Any, denominator: Any, span: Any) -> Decimal:
    if not denominator:
        raise Undefined("division-by-zero", span)
    quotient: Decimal = Decimal(numerator) / denominator
    return quotient


def _not_given(name: str) -> Any:
    """Raise what reading a field that was not given raises: the rule's
    ``except KeyError`` scores it 0 and lists its missing fields."""
    raise KeyError(name)


def _absent(read: tuple[Any, ...], fields: tuple[str, ...]) -> list[str]:
    """The fields of a rule that were not given (what to supply to score it),
    from the values read for them (in the same order)."""
    return [name for name, value in zip(fields, read, strict=True) if value is None]


def _no_quotient(span: Any) -> None:
    raise Undefined("division-by-zero", span)


def _ratio_compare(
    numerator: Any, denominator: Any, p: int, q: int, op: Callable[[Any, Any], bool], span: Any
) -> bool:
    """``numerator / denominator  op  p / q``, exactly, by cross-multiplying."""
    if not denominator:
        raise Undefined("division-by-zero", span)
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    return op(numerator * q, p * denominator)


def _first_missing(read: tuple[Any, ...], fields: tuple[str, ...]) -> str:
    """The first of a rule's fields, in the order it reads them, that was not given."""
    return next(name for name, value in zip(fields, read, strict=True) if value is None)


def _negative_target(span: Any) -> None:
    raise Undefined("negative-target", span)


def divide_rounded(numerator: int, denominator: int, mode: str) -> int:
    """``numerator / denominator`` rounded to a whole number by a Decimal
    rounding ``mode``, in exact integer arithmetic (``denominator > 0``)."""
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder:
        twice = 2 * remainder
        if mode == decimal.ROUND_HALF_UP:
            quotient += twice >= denominator
        elif mode == decimal.ROUND_HALF_EVEN:
            quotient += twice > denominator or (twice == denominator and quotient % 2 == 1)
        elif mode == decimal.ROUND_UP:
            quotient += 1
    return sign * quotient


class _Writer:
    """Accumulates source lines and the namespace their names refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "Decimal": Decimal,
            "ZERO": ZERO,
            "DecimalException": decimal.DecimalException,
            "Undefined": Undefined,
            "_divide": _divide,
            "_negative_target": _negative_target,
            "_first_missing": _first_missing,
            "_TRAP_ROUNDED": _TRAP_ROUNDED,
            "_new": tuple.__new__,
            "_Scored": Scored,
            "_no_quotient": _no_quotient,
            "_ratio_compare": _ratio_compare,
            "_absent": _absent,
            "_not_given": _not_given,
            "_divide_rounded": divide_rounded,
            "MissingMark": MissingMark,
            "UndefinedMark": UndefinedMark,
            "REQUIRES_UNMET": REQUIRES_UNMET,
        }
        self._constants: dict[tuple[type, Any, Any], str] = {}

    def const(self, value: Any) -> str:
        """A generated name bound to ``value``."""
        # Equal Decimals can differ in exponent (1 and 1.00), which quantize
        # and the trace show: they are different constants.
        key = (
            type(value),
            value if _hashable(value) else id(value),
            value.as_tuple() if type(value) is Decimal else None,
        )
        name = self._constants.get(key)
        if name is None:
            name = f"K{len(self._constants)}"
            self._constants[key] = name
            self.namespace[name] = value
        return name

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def function(self, name: str, filename: str) -> Any:
        """Compile the lines as function ``name``; constants become closure cells.

        The function keeps its :class:`GeneratedFunction` record, so that a
        compiled rubric can be cached (see the end of this module)."""
        names = sorted(self.namespace)
        body = "\n".join(self.lines).replace("\n", "\n    ")
        factory = f"def _factory({', '.join(names)}):\n    {body}\n    return {name}\n"
        code = compile(factory, filename, "exec")  # generated from constants only
        return GeneratedFunction(dict(self.namespace), code).build()


def _literal(value: Any) -> str | None:
    """A whole Decimal as a Python int literal: the same number, compared and
    added faster; None for anything else."""
    if type(value) is Decimal and value == value.to_integral_value() and abs(value) < 10**18:
        return repr(int(value))
    return None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Shared:
    """What the traced and untraced generators of one rubric both need, made once."""

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        self.reference = _Compiler(model, source)
        self.ranges = RangeAnalysis(model)
        self.order = dependency_order(model)
        self.items = {item.id: item for item in all_items(model)}
        #: the range of each rule's value, by item id (see _Generator.clamp)
        self.spans: dict[str, Any] = {}


class _Generator:
    """Writes the scoring function of one rubric (traced or untraced)."""

    def __init__(
        self,
        model: m.RubricModel,
        source: SourceText,
        traced: bool,
        evidence: EvidenceLimits,
        shared: _Shared | None = None,
    ) -> None:
        shared = shared or _Shared(model, source)
        self.model = model
        self.evidence = evidence
        #: the local variable holding each field's value (None when not given)
        self.local = {f.name: f"f{number}" for number, f in enumerate(model.fields)}
        #: whether a field read raises KeyError when not given (see reads_first)
        self.guarded = True
        self.source = source
        self.traced = traced
        self.rule_ids = {r.id for s in (model.bonus, model.deduction) if s for r in s.rules}
        self.reference = shared.reference
        self.ranges = shared.ranges
        self.spans = shared.spans
        self.fields = {f.name: f for f in model.fields}
        self.places = self.reference.places
        self.scale = 10**self.places
        self.out = _Writer()
        self.out.namespace.update(
            {
                "_D": decimal_points(self.places),
                "_date": datetime.date,
                "_fromisoformat": datetime.date.fromisoformat,
            }
        )
        self.order = shared.order
        self.index = {item_id: number for number, item_id in enumerate(self.order)}
        self.items = shared.items
        #: items whose raw value is recorded as scaled integer points
        self.scaled_raw: set[str] = set()
        #: items whose token holds a percentage as given (65), not as a rate
        self.given_percent: set[str] = set()

    # ------------------------------------------------------------ evidence

    def read(self, name: str) -> str:
        """Code for the value of field ``name``; not given, it raises KeyError
        where the read happens, as a dictionary lookup in the reference does."""
        local = self.local[name]
        if not self.guarded:
            return local
        return f"({local} if {local} is not None else _not_given({self.out.const(name)}))"

    def prelude(self) -> None:
        """Read and check every field once, into its local variable (None: not given).

        A value that is clearly valid is kept as given (a percentage as 65 or
        Decimal("72.5"); a date is made a date).  On anything else — a wrong
        type, a value out of bounds, an unknown key, with ``strict`` a field
        not given — the function returns None, and the caller has the
        evidence validator judge and explain it.  Whatever the validator
        returns is accepted here: it is the same check.
        """
        out = self.out
        limit = self.evidence.limit
        out.line(1, "get = evidence.get")
        out.line(1, "absent = not_given = 0")
        for field in self.model.fields:
            f = self.local[field.name]
            name = out.const(field.name)
            out.line(1, f"{f} = get({name})")
            if field.type == "yes/no":
                out.line(1, f"if {f} is not True and {f} is not False:")
            elif field.type == "choice":
                allowed = out.const(frozenset(c.value for c in field.choices))
                out.line(1, f"if {f}.__class__ is not str or {f} not in {allowed}:")
            elif field.type == "date":
                out.line(1, f"if {f}.__class__ is str:")
                out.line(2, f"if len({f}) != 10 or {f}[4] != '-' or {f}[7] != '-': return None")
                out.line(2, "try:")
                out.line(3, f"{f} = _fromisoformat({f})")
                out.line(2, "except ValueError:")
                out.line(3, "return None")
                out.line(1, f"elif {f}.__class__ is not _date:")
            else:
                low, high = self.evidence.bounds[field.name]
                whole_low = _literal_or_const(out, _whole_bound(low, limit, decimal.ROUND_CEILING))
                whole_high = _literal_or_const(out, _whole_bound(high, limit, decimal.ROUND_FLOOR))
                out.line(
                    1, f"if {f}.__class__ is not int or not {whole_low} <= {f} <= {whole_high}:"
                )
                if field.type != "count":
                    quantum = out.const(Decimal(1).scaleb(-self.evidence.max_decimals))
                    lower = "<" if low == -limit else "<="
                    upper = "<" if high == limit else "<="
                    # The number of decimals: quantizing a non-zero value to
                    # the most decimals allowed drops a digit (Rounded) exactly
                    # when it has more (as_tuple() is far slower).
                    out.line(
                        2,
                        f"if {f}.__class__ is Decimal and {f}.is_finite() and "
                        f"{out.const(low)} {lower} {f} {upper} {out.const(high)}:",
                    )
                    out.line(3, f"if not {f}:")
                    out.line(4, f"if {f}.as_tuple().exponent < {-self.evidence.max_decimals}:")
                    out.line(5, "return None")
                    out.line(3, "else:")
                    out.line(4, "try:")
                    out.line(5, f"{f}.quantize({quantum}, context=_TRAP_ROUNDED)")
                    out.line(4, "except DecimalException:")
                    out.line(5, "return None")
                    out.line(2, f"elif {f} is not None: return None")
                    out.line(2, "else:")
                    out.line(3, "not_given += 1")
                    out.line(3, f"if {name} not in evidence: absent += 1")
                    continue
            out.line(2, f"if {f} is not None: return None")
            out.line(2, "not_given += 1")
            out.line(2, f"if {name} not in evidence: absent += 1")
        # A key left over is not a declared field: let the validator name it.
        out.line(1, f"if len(evidence) != {len(self.model.fields)} - absent: return None")
        out.line(1, "if strict and not_given: return None")
        given = "".join(f"{local}, " for local in self.local.values())
        out.line(1, f"given = ({given})")  # in the rubric's order of fields

    # ------------------------------------------------------------ expressions, real units

    def real(self, expr: m.Expr) -> str:
        """Code for the value of ``expr`` as the reference evaluator computes it."""
        out = self.out
        known, value = _constant(expr, self.model)
        if known:
            return _literal(value) or out.const(value)
        if isinstance(expr, m.FieldRef):
            read = self.read(expr.name)
            if self.fields[expr.name].type == "percent":
                return f"Decimal({read}).scaleb(-2)"  # given 0-100, computed with as a rate
            return read
        if isinstance(expr, m.PointsOf):
            return f"_D[p{self.index[expr.item]}]"
        if isinstance(expr, m.Negate):
            return f"(-{self.real(expr.operand)})"
        if isinstance(expr, m.Not):
            return f"(not {self.real(expr.operand)})"
        if isinstance(expr, m.Logical):
            return "(" + f" {expr.op} ".join(self.real(o) for o in expr.operands) + ")"
        if isinstance(expr, m.Comparison):
            for ratio, other, op in (
                (expr.left, expr.right, expr.op),
                (expr.right, expr.left, _MIRRORED[expr.op]),
            ):
                fraction = self.small_fraction(other)
                if fraction is not None and self.ratio(ratio) is not None:
                    assert isinstance(ratio, m.Arithmetic)
                    return (
                        f"_ratio_compare({self.real(ratio.left)}, {self.real(ratio.right)}, "
                        f"{fraction[0]}, {fraction[1]}, {out.const(_COMPARE[op])}, "
                        f"{out.const(ratio.span)})"
                    )
            left, right = self.percent_units(expr.left), self.percent_units(expr.right)
            if left is None or right is None:
                left, right = self.real(expr.left), self.real(expr.right)
            return f"({left} {_OPS[expr.op]} {right})"
        if isinstance(expr, m.Arithmetic):
            left, right = self.real(expr.left), self.real(expr.right)
            if expr.op == "/":
                return f"_divide({left}, {right}, {out.const(expr.span)})"
            kind = kind_of(expr.left, self.fields)
            if expr.op == "-" and kind is not None and kind.base == "date":
                return f"({left} - {right}).days"
            return f"({left} {expr.op} {right})"
        assert isinstance(expr, m.Call)
        args = [self.real(a) for a in expr.args]
        if expr.function in ("min", "max"):
            return f"{expr.function}({', '.join(args)})"
        if expr.function == "round":
            places = expr.args[1]
            assert isinstance(places, m.Number)
            quantum = out.const(Decimal(1).scaleb(-int(places.value)))
            mode = out.const(self.reference.rounding_mode)
            return f"Decimal({args[0]}).quantize({quantum}, rounding={mode})"
        mode = out.const(decimal.ROUND_FLOOR if expr.function == "floor" else decimal.ROUND_CEILING)
        return f"Decimal({args[0]}).to_integral_value(rounding={mode})"

    def ratio(self, expr: m.Expr) -> m.Arithmetic | None:
        """``expr`` when it is a quotient the untraced code may compare with a
        constant by cross-multiplying, else None.

        Exact and equal to the reference: numerator and denominator are sums
        of evidence values and constants, so they and their products with a
        small constant are exact in the scoring context; and a quotient of
        such numbers differs from a small fraction by far more than the
        reference's 60-digit rounding of the quotient, so both decide alike.
        """
        if self.traced or not isinstance(expr, m.Arithmetic) or expr.op != "/":
            return None
        if self.plain_sum(expr.left) and self.plain_sum(expr.right):
            return expr
        return None

    def plain_sum(self, expr: m.Expr) -> bool:
        """Whether ``expr`` adds and subtracts numeric fields and constants only."""
        if isinstance(expr, m.Number):
            # As small and short as evidence: at most 12 decimals.
            exponent = expr.value.as_tuple().exponent
            return abs(expr.value) < _SMALL and isinstance(exponent, int) and exponent >= -12
        if isinstance(expr, m.FieldRef):
            return self.fields[expr.name].type in ("count", "number", "percent", "money")
        if isinstance(expr, m.Negate):
            return self.plain_sum(expr.operand)
        if isinstance(expr, m.Arithmetic) and expr.op in ("+", "-"):
            return self.plain_sum(expr.left) and self.plain_sum(expr.right)
        return False

    def small_fraction(self, expr: m.Expr) -> tuple[int, int] | None:
        """A constant as ``(p, q)`` with ``p / q`` its value, when both are small."""
        known, value = _constant(expr, self.model)
        if not known or type(value) is not Decimal or not value.is_finite():
            return None
        p, q = value.as_integer_ratio()
        return (p, q) if abs(p) < _SMALL and q < _SMALL else None

    def percent_units(self, expr: m.Expr) -> str | None:
        """Code for ``expr`` in percentage points (65 for 65%), when that is exact
        without arithmetic: a percent field as given, a percent literal, zero."""
        if isinstance(expr, m.FieldRef) and self.fields[expr.name].type == "percent":
            return self.read(expr.name)
        if isinstance(expr, m.Number) and (expr.unit == "percent" or expr.value == 0):
            value = expr.value.scaleb(2)
            return _literal(value) or self.out.const(value)
        return None

    # ------------------------------------------------------------ expressions, scaled points

    def whole(self, expr: m.Expr) -> str | None:
        """Code for ``expr`` as a Python int when it is always a whole number."""
        if isinstance(expr, m.Number):
            if expr.value == expr.value.to_integral_value():
                return repr(int(expr.value))
            return None
        if isinstance(expr, m.FieldRef):
            if self.fields[expr.name].type == "count":
                return self.read(expr.name)
            return None
        if isinstance(expr, m.Negate):
            inner = self.whole(expr.operand)
            return None if inner is None else f"(-{inner})"
        if isinstance(expr, m.Arithmetic) and expr.op != "/":
            kind = kind_of(expr.left, self.fields)
            if kind is not None and kind.base == "date":
                return None
            left, right = self.whole(expr.left), self.whole(expr.right)
            if left is None or right is None:
                return None
            return f"({left} {expr.op} {right})"
        if isinstance(expr, m.Call) and expr.function in ("min", "max"):
            args = [self.whole(a) for a in expr.args]
            if any(a is None for a in args):
                return None
            return f"{expr.function}({', '.join(a for a in args if a is not None)})"
        return None

    def scaled(self, expr: m.Expr) -> str | None:
        """Code for ``expr`` times ``10 ** places`` as a Python int, when that is exact."""
        whole = self.whole(expr)
        if whole is not None:
            return whole if whole == "0" else f"({whole} * {self.scale})"
        if isinstance(expr, m.Number):
            shifted = expr.value.scaleb(self.places)
            if shifted == shifted.to_integral_value():
                return repr(int(shifted))
            return None
        if isinstance(expr, m.PointsOf):
            return f"p{self.index[expr.item]}"
        if isinstance(expr, m.Negate):
            inner = self.scaled(expr.operand)
            return None if inner is None else f"(-{inner})"
        if isinstance(expr, m.Arithmetic):
            if expr.op in ("+", "-"):
                left, right = self.scaled(expr.left), self.scaled(expr.right)
                if left is None or right is None:
                    return None
                return f"({left} {expr.op} {right})"
            if expr.op == "*":
                # The operands keep their order: the first field read that
                # was not given is the one the trace names.
                count, amount = self.whole(expr.left), self.scaled(expr.right)
                if count is not None and amount is not None:
                    return f"({count} * {amount})"
                amount, count = self.scaled(expr.left), self.whole(expr.right)
                if count is not None and amount is not None:
                    return f"({amount} * {count})"
            return None
        if isinstance(expr, m.Call) and expr.function in ("min", "max"):
            args = [self.scaled(a) for a in expr.args]
            if any(a is None for a in args):
                return None
            return f"{expr.function}({', '.join(a for a in args if a is not None)})"
        return None

    def to_points(self, real_code: str) -> str:
        """Code turning a real value into scaled points by the rubric's rounding rule."""
        quantum = self.out.const(self.reference.quantum)
        mode = self.out.const(self.reference.rounding_mode)
        return (
            f"int(Decimal({real_code}).quantize({quantum}, rounding={mode}).scaleb({self.places}))"
        )

    # ------------------------------------------------------------ scoring forms
    # Each form sets p{i} (the points before clamping, scaled), and in traced
    # code r{i} (the raw value recorded) and t{i} (the token the rule's
    # explain function reads, exactly as the reference evaluator returns it).

    def points(self, expr: m.Expr) -> str:
        scaled = self.scaled(expr)
        return scaled if scaled is not None else self.to_points(self.real(expr))

    def set(self, depth: int, i: int, points: str, token: str, raw: str | None = None) -> None:
        """Set step ``i``'s points; traced code records its raw value (default:
        the points themselves, scaled) and the token its explain function reads."""
        if not self.traced:
            self.out.line(depth, f"p{i} = {points}")
        elif raw is None:
            self.out.line(depth, f"p{i} = r{i} = {points}; t{i} = {token}")
        else:
            self.out.line(depth, f"r{i} = {raw}; p{i} = {points}; t{i} = {token}")

    def rule_exact_in_points(self, item: m.Criterion) -> bool:
        """Whether every value the rule produces is computed as scaled points
        (so its raw value is recorded scaled)."""
        scoring = item.scoring
        if isinstance(scoring, m.Formula):
            return self.scaled(scoring.expr) is not None
        if isinstance(scoring, m.Conditional):
            return self.scaled(scoring.points) is not None and (
                scoring.otherwise is None or self.scaled(scoring.otherwise) is not None
            )
        if isinstance(scoring, m.PerUnit):
            return (
                self.whole(scoring.units) is not None
                and self.scaled(scoring.rate) is not None
                and (scoring.cap is None or self.scaled(scoring.cap) is not None)
                and (scoring.base is None or self.scaled(scoring.base) is not None)
            )
        if isinstance(scoring, m.Banded | m.Cases):
            return all(self.scaled(arm.points) is not None for arm in scoring.arms)
        return False

    def cannot_fail(self, item: m.Criterion) -> bool:
        """Whether a rule whose fields are given computes in integers and
        comparisons only: nothing it does can raise (no division, no
        ``Decimal`` arithmetic, no target's checks)."""
        scoring = item.scoring
        if not self.rule_exact_in_points(item):
            return False
        if isinstance(scoring, m.Formula | m.PerUnit):
            return True
        if isinstance(scoring, m.Conditional):
            return self.cannot_raise(scoring.condition)
        if isinstance(scoring, m.Banded):
            return self.cannot_raise(scoring.subject) and all(
                _constant(arm.bound, self.model)[0]
                for arm in scoring.arms
                if isinstance(arm, m.ThresholdArm)
            )
        if isinstance(scoring, m.Cases):
            return all(
                self.cannot_raise(arm.condition)
                for arm in scoring.arms
                if isinstance(arm, m.CaseArm)
            )
        return False

    def cannot_raise(self, expr: m.Expr) -> bool:
        """Whether evaluating ``expr`` on given, validated values cannot raise."""
        if isinstance(
            expr,
            m.Number | m.FieldRef | m.PointsOf | m.ChoiceValue | m.DateLiteral | m.DeadlineRef,
        ):
            return True
        if isinstance(expr, m.Not):
            return self.cannot_raise(expr.operand)
        if isinstance(expr, m.Logical):
            return all(self.cannot_raise(o) for o in expr.operands)
        if isinstance(expr, m.Comparison):
            return self.cannot_raise(expr.left) and self.cannot_raise(expr.right)
        if isinstance(expr, m.Arithmetic) and expr.op == "-":
            kind = kind_of(expr.left, self.fields)
            if kind is not None and kind.base == "date":
                return self.cannot_raise(expr.left) and self.cannot_raise(expr.right)
        return self.whole(expr) is not None

    def scoring(self, i: int, item: m.Criterion, depth: int) -> None:
        scoring = item.scoring
        exact = self.rule_exact_in_points(item)
        if exact:
            self.scaled_raw.add(item.id)
        if isinstance(scoring, m.Formula):
            if exact:
                self.set(depth, i, self.points(scoring.expr), "None")
            else:
                self.out.line(depth, f"v{i} = {self.real(scoring.expr)}")
                self.set(depth, i, self.to_points(f"v{i}"), "None", raw=f"v{i}")
        elif isinstance(scoring, m.Conditional):
            self.out.line(depth, f"if {self.real(scoring.condition)}:")
            self.branch(depth + 1, i, exact, scoring.points, "True")
            self.out.line(depth, "else:")
            if scoring.otherwise is None:
                self.set(depth + 1, i, "0", "False", raw=None if exact else "ZERO")
            else:
                self.branch(depth + 1, i, exact, scoring.otherwise, "False")
        elif isinstance(scoring, m.PerUnit):
            self.per_unit(i, scoring, exact, depth)
        elif isinstance(scoring, m.Banded):
            self.banded(i, scoring, exact, depth)
        elif isinstance(scoring, m.Cases):
            self.cases(i, scoring, exact, depth)
        else:
            assert isinstance(scoring, m.Target)
            self.target(i, scoring, item.maximum, depth)

    def branch(self, depth: int, i: int, exact: bool, expr: m.Expr, token: str) -> None:
        """Points from ``expr``: scaled when exact, else computed and rounded."""
        if exact:
            self.set(depth, i, self.points(expr), token)
        else:
            self.out.line(depth, f"v{i} = {self.real(expr)}")
            self.set(depth, i, self.to_points(f"v{i}"), token, raw=f"v{i}")

    def per_unit(self, i: int, scoring: m.PerUnit, exact: bool, depth: int) -> None:
        out = self.out
        traced = self.traced
        if exact:
            units = self.whole(scoring.units)
            rate = self.scaled(scoring.rate)
            if not traced and scoring.cap is None and scoring.base is None:
                self.set(depth, i, f"{units} * {rate}", "None")
                return
            out.line(depth, f"a{i} = {units} * {rate}")
            if traced:
                out.line(
                    depth,
                    f"u{i} = {self.real(scoring.units)}; "
                    f"e{i} = {self.real(scoring.rate)}; c{i} = None",
                )
            if scoring.cap is not None:
                out.line(depth, f"if a{i} > (m{i} := {self.scaled(scoring.cap)}):")
                out.line(depth + 1, f"a{i} = m{i}")
                if traced:
                    out.line(depth + 1, f"c{i} = {self.real(scoring.cap)}")
            value = f"a{i}" if scoring.base is None else f"{self.scaled(scoring.base)} - a{i}"
            start = "None" if scoring.base is None or not traced else self.real(scoring.base)
            self.set(depth, i, value, f"(u{i}, e{i}, {start}, c{i})")
            return
        # Decimal units or rates: the reference evaluator's arithmetic, then rounded.
        out.line(depth, f"u{i} = {self.real(scoring.units)}; e{i} = {self.real(scoring.rate)}")
        out.line(depth, f"a{i} = e{i} * u{i}; c{i} = None")
        if scoring.cap is not None:
            out.line(depth, f"if a{i} > (m{i} := {self.real(scoring.cap)}):")
            out.line(depth + 1, f"a{i} = c{i} = m{i}")
        if scoring.base is None:
            out.line(depth, f"v{i} = a{i}; s{i} = None")
        else:
            out.line(depth, f"s{i} = {self.real(scoring.base)}; v{i} = s{i} - a{i}")
        self.set(depth, i, self.to_points(f"v{i}"), f"(u{i}, e{i}, s{i}, c{i})", raw=f"v{i}")

    def banded(self, i: int, scoring: m.Banded, exact: bool, depth: int) -> None:
        out = self.out
        s = f"s{i}"
        kind = kind_of(scoring.subject, self.fields)
        keyword = "if"
        if kind is not None and kind.base == "choice":
            out.line(depth, f"{s} = {self.real(scoring.subject)}")
            for number, arm in enumerate(scoring.arms, start=1):
                if isinstance(arm, m.ChoiceArm):
                    test = " or ".join(f"{s} == {out.const(v)}" for v in arm.values)
                    out.line(depth, f"{keyword} {test}:")
                else:
                    out.line(depth, "else:" if keyword == "elif" else "if True:")
                self.branch(depth + 1, i, exact, arm.points, f"({number}, {s})")
                keyword = "elif"
                if isinstance(arm, m.OtherwiseArm):
                    break
            return
        # Thresholds on a percent field against percent literals compare the
        # percentage as given (65 >= 60): exact, and no conversion per arm.
        as_given = self.percent_units(scoring.subject) is not None and all(
            self.percent_units(arm.bound) is not None
            for arm in scoring.arms
            if isinstance(arm, m.ThresholdArm)
        )
        if as_given:
            # The token keeps the percentage as given; the trace builder turns
            # it into the rate the explanation shows (StepPlan.given_percent).
            out.line(depth, f"{s} = {self.percent_units(scoring.subject)}")
            shown = s
            self.given_percent.add(self.order[i])
        elif (ratio := self.ratio(scoring.subject)) is not None and all(
            self.small_fraction(arm.bound) is not None
            for arm in scoring.arms
            if isinstance(arm, m.ThresholdArm)
        ):
            self.ratio_thresholds(i, ratio, scoring, exact, depth)
            return
        else:
            out.line(depth, f"{s} = {self.real(scoring.subject)}")
            shown = s
        for index, arm in enumerate(scoring.arms):
            if isinstance(arm, m.ThresholdArm):
                known, value = _constant(arm.bound, self.model)
                if as_given:
                    bound = self.percent_units(arm.bound)
                    assert bound is not None
                    out.line(depth, f"{keyword} {s} {_OPS[arm.op]} {bound}:")
                    limit = out.const(value)
                elif known:
                    limit = out.const(value)
                    out.line(depth, f"{keyword} {s} {_OPS[arm.op]} {limit}:")
                else:
                    limit = f"l{i}"
                    out.line(
                        depth, f"{keyword} {s} {_OPS[arm.op]} ({limit} := {self.real(arm.bound)}):"
                    )
                self.branch(depth + 1, i, exact, arm.points, f"({index}, {shown}, {limit})")
            else:
                out.line(depth, "else:" if keyword == "elif" else "if True:")
                self.branch(depth + 1, i, exact, arm.points, f"({index}, {shown}, None)")
                return
            keyword = "elif"
        out.line(depth, "else:")
        self.set(depth + 1, i, "0", f"(None, {shown}, None)", raw=None if exact else "ZERO")

    def ratio_thresholds(
        self, i: int, ratio: m.Arithmetic, scoring: m.Banded, exact: bool, depth: int
    ) -> None:
        """Thresholds on a quotient, in untraced code: each bound ``p / q`` is
        compared as ``n * q  op  p * d`` (``d`` made positive), as :meth:`ratio` allows."""
        out = self.out
        n, d = f"n{i}", f"d{i}"
        out.line(depth, f"{n} = {self.real(ratio.left)}; {d} = {self.real(ratio.right)}")
        out.line(depth, f"if not {d}: _no_quotient({out.const(ratio.span)})")
        if self.ranges.expr(ratio.right).low < 0:
            out.line(depth, f"if {d} < 0: {n} = -{n}; {d} = -{d}")
        keyword = "if"
        for arm in scoring.arms:
            if isinstance(arm, m.ThresholdArm):
                fraction = self.small_fraction(arm.bound)
                assert fraction is not None
                p, q = fraction
                out.line(depth, f"{keyword} {n} * {q} {_OPS[arm.op]} {p} * {d}:")
            else:
                out.line(depth, "else:" if keyword == "elif" else "if True:")
                self.branch(depth + 1, i, exact, arm.points, "None")
                return
            self.branch(depth + 1, i, exact, arm.points, "None")
            keyword = "elif"
        out.line(depth, "else:")
        self.set(depth + 1, i, "0", "None", raw=None if exact else "ZERO")

    def cases(self, i: int, scoring: m.Cases, exact: bool, depth: int) -> None:
        out = self.out
        keyword = "if"
        for index, arm in enumerate(scoring.arms):
            if isinstance(arm, m.CaseArm):
                out.line(depth, f"{keyword} {self.real(arm.condition)}:")
            else:
                out.line(depth, "else:" if keyword == "elif" else "if True:")
            self.branch(depth + 1, i, exact, arm.points, str(index))
            keyword = "elif"
            if isinstance(arm, m.OtherwiseArm):
                return
        out.line(depth, "else:")
        self.set(depth + 1, i, "0", "None", raw=None if exact else "ZERO")

    def target(self, i: int, scoring: m.Target, maximum: Decimal, depth: int) -> None:
        out = self.out
        traced = self.traced
        a, g = f"a{i}", f"g{i}"
        top = out.const(maximum)
        top_points = _literal_or_const(out, int(maximum.scaleb(self.places)))
        mode = scoring.mode
        actual, goal = self.whole(scoring.actual), self.whole(scoring.target)
        stepped = isinstance(mode, m.Stepped)
        step_points = self.scaled(mode.points) if isinstance(mode, m.Stepped) else None
        integral = actual is not None and goal is not None and (not stepped or step_points)
        out.line(
            depth,
            f"{a} = {actual if integral else self.real(scoring.actual)}; "
            f"{g} = {goal if integral else self.real(scoring.target)}",
        )
        if self.ranges.expr(scoring.target).low < 0:
            out.line(depth, f"if {g} < 0:")
            out.line(depth + 1, f"_negative_target({out.const(scoring.span)})")
        out.line(depth, f"if not {g}:")
        if scoring.zero_target is None:
            self.set(depth + 1, i, top_points, f"({a}, {g}, None)", raw=top)
        else:
            self.branch(depth + 1, i, False, scoring.zero_target, f"({a}, {g}, None)")
        out.line(depth, "else:")
        rounding = out.const(self.reference.rounding_mode)
        if isinstance(mode, m.Linear):
            half_up = self.reference.rounding_mode == decimal.ROUND_HALF_UP
            if integral and half_up and maximum >= 0 and self.ranges.expr(scoring.actual).low >= 0:
                # Half up of a non-negative quotient, in integers (g > 0 here).
                points = f"(2 * {top_points} * {a} + {g}) // (2 * {g})"
            elif integral:
                points = f"_divide_rounded({top_points} * {a}, {g}, {rounding})"
            else:
                points = self.to_points(f"{top} * {a} / {g}")
            raw = f"{top} * {a} / {g}" if traced else None
            self.set(depth + 1, i, points, f"({a}, {g}, None)", raw=raw)
            return
        assert isinstance(mode.size, m.Number)
        size = mode.size.value
        started = mode.started
        out.line(depth + 1, f"if {a} >= {g}:")
        self.set(depth + 2, i, top_points, f"({a}, {g}, ZERO)", raw=top)
        out.line(depth + 1, "else:")
        if integral:
            numerator, denominator = size.as_integer_ratio()
            # steps = floor (or ceil) of (g - a) / (g * size), in integers
            shortfall = f"({g} - {a}) * {denominator}"
            per_step = f"{g} * {numerator}"
            steps = (
                f"-((-{shortfall}) // ({per_step}))"
                if started
                else f"({shortfall}) // ({per_step})"
            )
            out.line(depth + 2, f"n{i} = {steps}")
            raw = f"{top} - n{i} * {self.real(mode.points)}" if traced else None
            self.set(
                depth + 2,
                i,
                f"{top_points} - n{i} * {step_points}",
                f"({a}, {g}, n{i})",
                raw=raw,
            )
            return
        step_rounding = out.const(decimal.ROUND_CEILING if started else decimal.ROUND_FLOOR)
        out.line(
            depth + 2,
            f"n{i} = (Decimal({g} - {a}) / ({g} * {out.const(size)}))"
            f".to_integral_value(rounding={step_rounding})",
        )
        out.line(depth + 2, f"v{i} = {top} - n{i} * {self.real(mode.points)}")
        self.set(depth + 2, i, self.to_points(f"v{i}"), f"({a}, {g}, n{i})", raw=f"v{i}")

    # ------------------------------------------------------------ steps

    def generate(self) -> Any:
        out = self.out
        name = "score_traced" if self.traced else "score"
        out.line(0, f"def {name}(evidence, judged, strict):")
        self.prelude()
        out.line(1, "missing = []")
        for item_id in self.order:
            self.step(self.index[item_id], self.items[item_id])
        self.totals()
        return out.function(name, f"<htx_rules: {self.model.header.id}>")

    def step(self, i: int, item: m.Criterion) -> None:
        out = self.out
        traced = self.traced
        depth = 1
        if item.scoring is None:
            # The checker makes the children's maxima add up to the parent's:
            # their sum needs no clamp.
            total = " + ".join(f"p{self.index[c.id]}" for c in item.children)
            if item.requires:
                self.unmet(i, item)
                depth = 2
            out.line(depth, f"p{i} = {total}")
            if traced:
                out.line(depth, f"r{i} = t{i} = None")
            return
        if item.requires:
            self.unmet(i, item)
            depth = 2
        if isinstance(item.scoring, m.Assessed):
            self.assessed(i, item, depth)
            self.clamp(i, item)
            return
        names = fields_read(item.scoring)
        read = "".join(f"{self.local[name]}, " for name in names)
        absent = f"missing.extend(_absent(({read}), {out.const(names)})); p{i} = 0"
        if len(names) == 1:
            absent = f"missing.append({out.const(names[0])}); p{i} = 0"
        eager = bool(names) and reads_first(item.scoring)
        if eager:
            # Every field is read before anything else can happen: a field
            # not given makes the rule missing, whatever the others hold.
            test = " or ".join(f"{self.local[name]} is None" for name in names)
            out.line(depth, f"if {test}:")
            out.line(depth + 1, absent)
            mark = len(out.lines)
            if traced:
                out.line(depth + 1, "")  # the missing mark, written below
            out.line(depth, "else:")
            depth += 1
            self.guarded = False
        body = len(out.lines)
        # A rule of integers and comparisons whose fields are all given cannot
        # fail: it needs no handler (and the smaller code compiles faster).
        safe = eager and self.cannot_fail(item)
        if not safe:
            out.line(depth, "try:")
        self.scoring(i, item, depth if safe else depth + 1)
        self.guarded = True
        if eager and traced:
            # The trace names the first field the rule reads that was not
            # given: the reads come first and in a straight line, so in the
            # order their variables first appear in the code.
            code = "\n".join(out.lines[body:])
            order = sorted(
                names,
                key=lambda name: re.search(rf"\b{self.local[name]}\b", code).start(),  # type: ignore[union-attr]
            )
            values = "".join(f"{self.local[name]}, " for name in order)
            first = f"_first_missing(({values}), {out.const(tuple(order))})"
            mark_code = f"MissingMark({first})"
            if len(names) == 1:
                mark_code = out.const(MissingMark(names[0]))
            out.lines[mark] = "    " * depth + f"r{i} = None; t{i} = {mark_code}"
        if safe:
            self.clamp(i, item)
            return
        if not eager:
            out.line(depth, "except KeyError as error:")
            out.line(depth + 1, absent)
            if traced:
                out.line(depth + 1, f"r{i} = None; t{i} = MissingMark(error.args[0])")
        out.line(depth, "except Undefined as error:")
        out.line(depth + 1, f"p{i} = 0")
        if traced:
            out.line(depth + 1, f"r{i} = None; t{i} = UndefinedMark(error.reason, error.span)")
        out.line(depth, "except DecimalException:")
        out.line(depth + 1, f"p{i} = 0")
        if traced:
            out.line(depth + 1, f"r{i} = None; t{i} = UndefinedMark('out-of-range', None)")
        self.clamp(i, item)

    def assessed(self, i: int, item: m.Criterion, depth: int) -> None:
        """A reviewer's points, rounded and clamped like any rule's value; the
        token is the whole assessment, for the trace.  No ``try``: bulk scoring
        usually has no assessment, and looking it up is cheaper than a
        KeyError; validated points (under 10**18, at most 12 decimals) cannot
        make the rounding fail."""
        out = self.out
        key = out.const(assessment_key(item.id))
        out.line(depth, f"w{i} = judged.get({key})")
        out.line(depth, f"if w{i} is None:")
        out.line(depth + 1, f"p{i} = 0")
        if self.traced:
            out.line(depth + 1, f"r{i} = None; t{i} = MissingMark({key})")
        out.line(depth, "else:")
        out.line(depth + 1, f"v{i} = w{i}.points")
        self.set(depth + 1, i, self.to_points(f"v{i}"), f"w{i}", raw=f"v{i}")

    def unmet(self, i: int, item: m.Criterion) -> None:
        """Open ``if`` an item it requires scored nothing: 0 points; ``else:``."""
        out = self.out
        unmet = " or ".join(f"p{self.index[q]} <= 0" for q in item.requires)
        out.line(1, f"if {unmet}:")
        out.line(2, f"p{i} = 0")
        if self.traced:
            out.line(2, f"r{i} = None; t{i} = REQUIRES_UNMET")
        out.line(1, "else:")

    def clamp(self, i: int, item: m.Criterion) -> None:
        """Clamp step ``i`` to [0, maximum], leaving out a bound the rule cannot pass."""
        assert item.scoring is not None
        span = self.spans.get(item.id)
        if span is None:
            span = self.spans[item.id] = self.ranges.scoring(item.scoring, item.maximum)
        exponent = item.maximum.as_tuple().exponent
        on_grid = isinstance(exponent, int) and exponent >= -self.places
        top = int(item.maximum.scaleb(self.places).to_integral_value(decimal.ROUND_FLOOR))
        if not on_grid or span.high > item.maximum:
            self.out.line(1, f"if p{i} > {top}: p{i} = {top}")
        if not on_grid or span.low < 0:
            self.out.line(1, f"if p{i} < 0: p{i} = 0")

    def totals(self) -> None:
        out = self.out
        model = self.model
        parts = [
            self.group(f"g{number}", part.maximum, [c.id for c in part.criteria])
            for number, part in enumerate(model.parts)
        ]
        out.line(1, f"standard = {' + '.join(parts) or '0'}")
        sections = {"bonus": "0", "deduction": "0"}
        for section in (model.bonus, model.deduction):
            if section is not None:
                sections[section.kind] = self.group(
                    f"g_{section.kind}", section.maximum, [r.id for r in section.rules]
                )
        out.line(1, f"bonus = {sections['bonus']}; deduction = {sections['deduction']}")
        out.line(1, "total = standard + bonus - deduction")
        out.line(1, "if total < 0: total = 0")
        items = "".join(f"p{self.index[item_id]}, " for item_id in self.items)
        record = "None"
        if self.traced:
            record = "({})".format(
                "".join(
                    f"r{self.index[item_id]}, t{self.index[item_id]}, " for item_id in self.order
                )
            )
        out.line(
            1,
            f"return _D[total], _D[standard], _D[bonus], _D[deduction], _new(_Scored, "
            f"(({''.join(p + ', ' for p in parts)}), ({items}), {record}, given, missing))",
        )

    def group(self, name: str, maximum: Decimal, members: list[str]) -> str:
        top = int(maximum.scaleb(self.places))
        total = " + ".join(f"p{self.index[m]}" for m in members) or "0"
        self.out.line(1, f"{name} = {total}")
        self.out.line(1, f"if {name} > {top}: {name} = {top}")
        self.out.line(1, f"elif {name} < 0: {name} = 0")
        return name


def _literal_or_const(out: _Writer, value: int) -> str:
    """A small int as a literal, a large one as a generated name."""
    return repr(value) if abs(value) < 2**30 else out.const(value)


def _straight(expr: m.Expr) -> bool:
    """Whether evaluating ``expr`` reads every field in it and cannot stop
    before the last read: no ``and``/``or``, no division, no rounding call."""
    if isinstance(
        expr, m.Number | m.FieldRef | m.PointsOf | m.DateLiteral | m.ChoiceValue | m.DeadlineRef
    ):
        return True
    if isinstance(expr, m.Negate | m.Not):
        return _straight(expr.operand)
    if isinstance(expr, m.Comparison):
        return _straight(expr.left) and _straight(expr.right)
    if isinstance(expr, m.Arithmetic):
        return expr.op != "/" and _straight(expr.left) and _straight(expr.right)
    if isinstance(expr, m.Call):
        return expr.function in ("min", "max") and all(_straight(a) for a in expr.args)
    return False


def _read_last(expr: m.Expr) -> bool:
    """Straight, or a division of straight operands (it can fail only after
    both are read), or such a division compared with what reads nothing."""
    if isinstance(expr, m.Arithmetic) and expr.op == "/":
        return _straight(expr.left) and _straight(expr.right)
    if isinstance(expr, m.Comparison):
        return (_read_last(expr.left) and _reads_nothing(expr.right)) or (
            _straight(expr.left) and _read_last(expr.right)
        )
    return _straight(expr)


def _reads_nothing(expr: m.Expr | None) -> bool:
    return expr is None or not any(isinstance(e, m.FieldRef) for e in walk(expr))


def reads_first(scoring: m.Scoring) -> bool:
    """Whether a scoring form reads all its fields before anything can stop
    it (a branch, a division by zero, a rounding).

    Then the rule is missing exactly when one of its fields is not given,
    and the generated code checks that up front instead of raising KeyError
    at the read — the same outcome, without an exception (the traced code
    names the first of them the rule reads, as the reference does).
    """
    if isinstance(scoring, m.Formula):
        return _read_last(scoring.expr)
    if isinstance(scoring, m.Conditional):
        return (
            _read_last(scoring.condition)
            and _reads_nothing(scoring.points)
            and _reads_nothing(scoring.otherwise)
        )
    if isinstance(scoring, m.PerUnit):
        return all(
            _straight(e) for e in (scoring.units, scoring.rate, scoring.cap, scoring.base) if e
        )
    if isinstance(scoring, m.Banded):
        return _read_last(scoring.subject) and all(
            _reads_nothing(arm.bound if isinstance(arm, m.ThresholdArm) else None)
            and _reads_nothing(arm.points)
            for arm in scoring.arms
        )
    if isinstance(scoring, m.Target):
        mode = scoring.mode
        return (
            _straight(scoring.actual)
            and _straight(scoring.target)
            and _reads_nothing(scoring.zero_target)
            and (not isinstance(mode, m.Stepped) or _reads_nothing(mode.points))
            and (not isinstance(mode, m.Stepped) or _reads_nothing(mode.size))
        )
    return False


def _whole_bound(bound: Decimal, limit: Decimal, rounding: str) -> int:
    """The last whole number inside an evidence bound: the bound itself,
    rounded inwards; the size limit is excluded (evidence must stay below it)."""
    if abs(bound) == limit:
        return int(bound) - 1 if bound > 0 else int(bound) + 1
    return int(bound.to_integral_value(rounding))


@attrs.frozen
class EvidenceLimits:
    """What the evidence validator accepts, for the checks inlined in generated code.

    Attributes:
        bounds: Each number field's bounds (percentages as 0-100), inclusive,
            except that a bound equal to ``limit`` is excluded.
        limit: No number may reach it in absolute value.
        max_decimals: The most decimals a number may have.
    """

    bounds: dict[str, tuple[Decimal, Decimal]]
    limit: Decimal
    max_decimals: int


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
            out.line(2, "if v is not True and v is not False: return None")
            out.line(2, f"values[{name}] = v")
        elif field.type == "choice":
            allowed = out.const(frozenset(c.value for c in field.choices))
            out.line(2, f"if v.__class__ is not str or v not in {allowed}: return None")
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
            out.line(2, f"if v.__class__ is int and {low} <= v <= {high}:")
            out.line(3, f"values[{name}] = {as_engine}")
            if field.type == "count":
                out.line(2, "else: return None")
                continue
            out.line(
                2,
                f"elif (v.__class__ is Decimal and v.is_finite() and {low} <= v <= {high}"
                f" and v.as_tuple().exponent >= {-max_decimals}):",
            )
            out.line(3, f"values[{name}] = v")
            out.line(2, "else: return None")
    # Any key left over is not a declared field: let the slow path name it.
    out.line(1, "if len(values) + given_none != len(evidence): return None")
    out.line(1, "return values")
    return out.function("validate", "<htx_rules: evidence>")


_NO_JUDGMENTS: Final[dict[Any, Any]] = {}


class CompiledProgram:
    """A checked rubric compiled to Python functions; build once, run many times.

    Attributes:
        source_code: The generated source of the untraced and traced functions,
            for inspection (it holds generated names only).
    """

    def __init__(self, model: m.RubricModel, source: SourceText, evidence: EvidenceLimits) -> None:
        self.model = model
        self.places = model.header.rounding.places
        shared = _Shared(model, source)
        untraced = _Generator(model, source, traced=False, evidence=evidence, shared=shared)
        traced = _Generator(model, source, traced=True, evidence=evidence, shared=shared)
        #: the generated functions: ``(evidence, judgments, strict)`` to the
        #: result of :meth:`score`, in the scoring context the caller installs
        self.untraced = untraced.generate()
        self.traced = traced.generate()
        self.source_code = "\n".join(untraced.out.lines) + "\n\n" + "\n".join(traced.out.lines)
        #: what :attr:`plan` is made from, when first needed
        self._plan_inputs = (
            source,
            frozenset(traced.scaled_raw),
            frozenset(traced.given_percent),
        )
        self.item_ids = {item.id: index for index, item in enumerate(all_items(model))}
        self.part_ids = {part.id: index for index, part in enumerate(model.parts)}
        #: scaled points to Decimals
        self.decimals = decimal_points(self.places)
        #: each field with its place among the values scoring read (``given``) and its type
        self._reading = tuple((f.name, index, f.type) for index, f in enumerate(model.fields))

    @functools.cached_property
    def plan(self) -> TracePlan:
        """What the trace tree shows besides the record, fixed by the rubric.

        Made when a trace is first built (scoring and loading do not need it);
        it holds the reference evaluator's explain functions, which cannot be
        pickled, so a cached rubric makes it again too."""
        source, scaled, given_percent = self._plan_inputs
        return make_plan(self.model, source, _Compiler(self.model, source), scaled, given_percent)

    def __getstate__(self) -> dict[str, Any]:
        return picklable_state(self.__dict__, rebuilt=("plan",))

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(restored_state(state))

    def score(
        self,
        evidence: Any,
        traced: bool,
        judged: Any = _NO_JUDGMENTS,
        strict: bool = False,
    ) -> tuple[Any, ...] | None:
        """Check and score evidence: total, standard, bonus, deduction (Decimals
        with the rubric's places) and the :class:`~htx_rules.result.Scored` points of parts
        and items, with the values read (see :meth:`evidence`), the missing
        fields and, with ``traced``, the record the trace is built from.

        None when the evidence is not clearly valid (a wrong type, a value out
        of bounds, an unknown key; with ``strict``, a field not given): the
        caller validates it (which explains what is wrong) and scores what the
        validator returns.  ``judged`` holds reviewers' assessments by
        :func:`~htx_rules.trace.assessment_key`.
        """
        # The scoring context is installed as it is, not copied as
        # localcontext() would: scoring only reads it, and this is the hot path.
        previous = decimal.getcontext()
        decimal.setcontext(SCORING_CONTEXT)
        try:
            return (self.traced if traced else self.untraced)(evidence, judged, strict)  # type: ignore[no-any-return]
        finally:
            decimal.setcontext(previous)

    def evidence(self, given: tuple[Any, ...]) -> dict[str, Any]:
        """The evidence in the engine's form (a percentage as a Decimal, a date
        as a date; fields not given left out) from the values scoring read."""
        values: dict[str, Any] = {}
        for name, index, kind in self._reading:
            value = given[index]
            if value is None:
                continue
            if kind == "percent":
                value = Decimal(value)
            elif kind == "date" and type(value) is str:
                value = datetime.date.fromisoformat(value)
            values[name] = value
        return values

    def trace(self, record: tuple[Any, ...], values: Any) -> TraceNode:
        """The trace tree of a scoring, built from its record (with the
        garbage collector paused: see :mod:`htx_rules._collector`)."""
        with collector_paused():
            return build_trace(self.plan, record, values)

    def points(self, ids: dict[str, int], scaled: tuple[int, ...]) -> ScaledPoints:
        """Scaled points by id, read as Decimals."""
        return ScaledPoints(ids, scaled, self.places)

    def run(self, values: Any, *, traced: bool = True) -> RunResult:
        """Score validated evidence, in the same form as the reference
        :meth:`htx_rules.evaluator.Program.run` (for comparing the two)."""
        judged = {key: value for key, value in values.items() if type(key) is tuple}
        evidence = {key: value for key, value in values.items() if type(key) is not tuple}
        result = self.score(evidence, traced, judged)
        if result is None:
            raise ValueError("the values are not in the form the evidence validator returns")
        total, standard, bonus, deduction, scored = result
        return (
            total,
            standard,
            bonus,
            deduction,
            dict(self.points(self.part_ids, scored.parts)),
            dict(self.points(self.item_ids, scored.items)),
            tuple(dict.fromkeys(scored.missing)),
            build_trace(self.plan, scored.record, values) if traced else None,
        )


# ---------------------------------------------------------------- keeping generated code
# The compiled-rubric cache (htx_rules.rubric_cache) pickles a whole Rubric.
# A function cannot be pickled, so every generated function keeps the record it
# was made from: the code object of its factory, and the namespace its
# generated names are bound to (Decimals, strings, spans, frozensets, tuples,
# classes and module-level helpers: all picklable).  The record is pickled with
# its code marshalled (no compile when loading), and builds the function again.
#
# What the generator must keep for the cache to work (tests/test_rubric_cache.py
# checks it):
#
# 1. Every generated function is made by _Writer.function (or else by
#    GeneratedFunction(...).build()), never by a bare exec.
# 2. Every attribute of CompiledProgram (and of EvidenceSchema) is picklable,
#    or a generated function (alone, or in a tuple, list or dict), or listed in
#    ``rebuilt`` by its __getstate__ and made again when first used (like
#    ``plan``: a functools.cached_property).
# 3. A namespace holds values, not closures or lambdas; a shared object whose
#    identity matters (REQUIRES_UNMET, the DecimalPoints tables) pickles as a
#    reference to the module's one copy (its __reduce__).

_RECORD = "_htx_generated"


class GeneratedFunction:
    """How one generated function was made; pickled in its place.

    Attributes:
        namespace: The values the generated names are bound to.
        code: The compiled module that defines ``_factory``, which takes the
            namespace and returns the function.
    """

    __slots__ = ("code", "namespace")

    def __init__(self, namespace: dict[str, Any], code: CodeType) -> None:
        self.namespace = namespace
        self.code = code

    def build(self) -> Any:
        """The function: run the factory's code with the namespace."""
        scope: dict[str, Any] = {}
        exec(self.code, scope)  # generated from constants only
        # By position, in the order _Writer.function declares them: binding thousands
        # of keyword arguments is quadratic in CPython (1.2 s of a 3,000-criteria compile).
        namespace = self.namespace
        function = scope["_factory"](*[namespace[name] for name in sorted(namespace)])
        setattr(function, _RECORD, self)
        return function

    def __reduce__(self) -> tuple[Any, ...]:
        return _unmarshal, (self.namespace, marshal.dumps(self.code))


def _unmarshal(namespace: dict[str, Any], code: bytes) -> GeneratedFunction:
    # The cache key holds the Python version: its marshal format is the one written.
    return GeneratedFunction(namespace, marshal.loads(code))


def picklable_state(state: dict[str, Any], rebuilt: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object's ``__dict__`` for pickling: each generated function (also in a
    tuple, list or dict) replaced by its record, the attributes in ``rebuilt`` left out."""
    return {key: _each(value, _record) for key, value in state.items() if key not in rebuilt}


def restored_state(state: dict[str, Any]) -> dict[str, Any]:
    """The ``__dict__`` of an unpickled object: each record built into its function."""
    return {key: _each(value, _built) for key, value in state.items()}


def _each(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """``leaf`` of ``value``, or of every item of a tuple, list or dict (its values)."""
    kind = type(value)
    if kind is tuple or kind is list:
        return kind(_each(item, leaf) for item in value)
    if kind is dict:
        return {key: _each(item, leaf) for key, item in value.items()}
    return leaf(value)


def _record(value: Any) -> Any:
    return getattr(value, _RECORD, value) if callable(value) else value


def _built(value: Any) -> Any:
    return value.build() if type(value) is GeneratedFunction else value
