"""Stage 4½: the scoring record turned into the trace tree.

Scoring (by the compiled code, or by the reference evaluator) records, for
every criterion and rule in dependency order, two values: the *raw* value its
rule computed and a *token* saying which branch was taken (or that evidence
was missing, a value undefined, a required item unmet).  That record is the
complete trace data: from it and the static plan of the rubric, this module
builds the :class:`~htx_rules.result.TraceNode` tree — decisions, roundings,
caps, clamps, parts, sections and total — the first time a result's trace is
read.  Building it is deterministic, so the same record always gives the same
tree.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final, NamedTuple

from htx_rules.decimals import SCORING_CONTEXT, ZERO
from htx_rules.result import Adjustment, Decision, NodeKind, Status, TraceNode, Value
from htx_rules.source import Span

ExplainFn = Callable[[Any], "tuple[Decision, tuple[Adjustment, ...]]"]


class MissingMark(NamedTuple):
    """Token of a rule that needed evidence that was not given (``field`` is
    an :func:`assessment_key` when it was a reviewer's assessment)."""

    field: str | tuple[str, str]


def assessment_key(item_id: str) -> tuple[str, str]:
    """The key a reviewer's assessment of ``item_id`` is scored under.

    Assessments travel with the evidence values into scoring; a tuple key
    can never be taken for an evidence field's name.
    """
    return ("assessed", item_id)


class UndefinedMark(NamedTuple):
    """Token of a rule whose value could not be computed."""

    reason: str
    span: Span | None


class _RequiresUnmet:
    """Token of a rule that did not run because an item it requires scored 0."""

    def __repr__(self) -> str:
        return "REQUIRES_UNMET"

    def __reduce__(self) -> str:
        return "REQUIRES_UNMET"  # pickled as the one token: it is compared by identity


REQUIRES_UNMET: Final = _RequiresUnmet()
SUM: Final = Decision("sum")
TOTAL: Final = Decision("sum", text="standard + bonus - deduction")
_NONE: tuple[Adjustment, ...] = ()


class StepPlan(NamedTuple):
    """What the trace needs to know about one criterion or rule, fixed by the rubric.

    Attributes:
        kind: ``criterion`` or ``rule``.
        id: The item's id.
        label: Its label.
        maximum: Its maximum.
        span: Where its scoring rule (or, with sub-criteria, the item) is written.
        source: The text there.
        fields: Evidence fields its rule reads.
        children: Positions (in the plan) of its sub-criteria.
        requires: Positions of the items it requires.
        explain: The token-to-decision function of its rule; None with sub-criteria.
        exact: Whether its raw value is always on the rounding grid (no rounding step).
        scaled: Whether its raw value is recorded as an integer number of
            ``10 ** -places`` points instead of a Decimal.
        given_percent: Whether its token records a percentage as given (65)
            where the explanation shows the rate (0.65): a threshold rule on a
            percent field, compared as given by the compiled code.
    """

    kind: NodeKind
    id: str
    label: str
    maximum: Decimal
    span: Span
    source: str
    fields: tuple[str, ...]
    children: tuple[int, ...]
    requires: tuple[int, ...]
    explain: ExplainFn | None
    exact: bool
    scaled: bool
    given_percent: bool = False


class GroupPlan(NamedTuple):
    """A part, or the bonus or deduction section: what it sums and how it is capped."""

    kind: NodeKind
    id: str
    label: str
    maximum: Decimal
    span: Span
    source: str
    members: tuple[int, ...]
    cap_kind: Any


class TracePlan(NamedTuple):
    """Everything fixed by the rubric that the trace tree shows."""

    steps: tuple[StepPlan, ...]
    parts: tuple[GroupPlan, ...]
    sections: tuple[GroupPlan, ...]
    rubric_id: str
    title: str
    highest: Decimal
    span: Span
    source: str
    places: int
    rounding: str


def build_trace(plan: TracePlan, record: tuple[Any, ...], values: Mapping[str, Value]) -> TraceNode:
    """The trace tree of one scoring, from its record (raw value and token per step)."""
    with decimal.localcontext(SCORING_CONTEXT):
        return _build(plan, record, values)


def _build(plan: TracePlan, record: tuple[Any, ...], values: Mapping[str, Value]) -> TraceNode:
    quantum = Decimal(1).scaleb(-plan.places)
    mode = plan.rounding
    scaled_to_decimal = decimal_points(plan.places)
    get = values.get
    new = tuple.__new__
    ids = [step.id for step in plan.steps]
    nodes: list[TraceNode] = []
    points: list[Decimal] = []
    for (
        kind,
        item_id,
        label,
        maximum,
        span,
        source,
        fields,
        children,
        requires,
        explain,
        exact,
        scaled,
        given_percent,
    ), raw_value, token in zip(plan.steps, record[::2], record[1::2], strict=True):
        status: Status = "scored"
        adjustments = _NONE
        raw: Decimal | None
        if token is REQUIRES_UNMET:
            raw, value, status = None, ZERO, "requires_unmet"
            decision = new(
                Decision,
                (
                    "requires_unmet",
                    None,
                    None,
                    tuple([(ids[r], points[r]) for r in requires]),
                    "",
                    None,
                ),
            )
        elif type(token) is MissingMark:
            raw, value = None, ZERO
            if type(token.field) is tuple:
                status = "not_assessed"
                decision = new(Decision, ("not_assessed", None, None, (), "", span))
            else:
                status = "missing"
                decision = new(Decision, ("missing", None, token.field, (), "", None))
        elif type(token) is UndefinedMark:
            raw, value, status = None, ZERO, "undefined"
            decision = new(Decision, ("undefined", None, token.reason, (), "", token.span))
        elif explain is None:
            raw = value = sum([points[c] for c in children], ZERO)
            decision = SUM
        else:
            raw = scaled_to_decimal[raw_value] if scaled else Decimal(raw_value)
            explained = (
                (token[0], Decimal(token[1]).scaleb(-2), token[2]) if given_percent else token
            )
            decision, adjustments = explain(explained)
            value = raw if exact else raw.quantize(quantum, rounding=mode)
            if value != raw:
                adjustments = (*adjustments, new(Adjustment, ("round", raw, value, None)))
        if value > maximum:
            adjustments = (*adjustments, new(Adjustment, ("max", value, maximum, maximum)))
            value = maximum
        elif value < 0:
            adjustments = (*adjustments, new(Adjustment, ("min", value, ZERO, ZERO)))
            value = ZERO
        points.append(value)
        nodes.append(
            new(
                TraceNode,
                (
                    kind,
                    item_id,
                    label,
                    value,
                    maximum,
                    span,
                    source,
                    status,
                    raw,
                    decision,
                    fields,
                    tuple(map(get, fields)),
                    adjustments,
                    tuple([nodes[c] for c in children]),
                ),
            )
        )
    groups = [_group(group, points, nodes) for group in (*plan.parts, *plan.sections)]
    standard = sum((g.points for g in groups[: len(plan.parts)]), ZERO)
    sections = {g.kind: g.points for g in groups[len(plan.parts) :]}
    raw_total = standard + sections.get("bonus", ZERO) - sections.get("deduction", ZERO)
    total, adjustments = (
        (raw_total, _NONE)
        if raw_total >= 0
        else (ZERO, (Adjustment("min", raw_total, ZERO, ZERO),))
    )
    return TraceNode(
        "rubric",
        plan.rubric_id,
        plan.title,
        total,
        plan.highest,
        plan.span,
        plan.source,
        raw=raw_total,
        decision=TOTAL,
        adjustments=adjustments,
        children=tuple(groups),
    )


def _group(group: GroupPlan, points: list[Decimal], nodes: list[TraceNode]) -> TraceNode:
    raw = sum((points[m] for m in group.members), ZERO)
    value, adjustments = raw, _NONE
    if raw > group.maximum:
        value, adjustments = (
            group.maximum,
            (Adjustment(group.cap_kind, raw, group.maximum, group.maximum),),
        )
    elif raw < 0:
        value, adjustments = ZERO, (Adjustment("min", raw, ZERO, ZERO),)
    return TraceNode(
        group.kind,
        group.id,
        group.label,
        value,
        group.maximum,
        group.span,
        group.source,
        raw=raw,
        decision=SUM,
        adjustments=adjustments,
        children=tuple(nodes[m] for m in group.members),
    )


# ---------------------------------------------------------------- scaled points


class ScaledPoints(Mapping[str, Decimal]):
    """Points kept as integers of ``10 ** -places`` and shown as Decimals.

    Scoring adds, caps and clamps whole numbers of hundredths (for a rubric
    rounding to 2 decimals); a value becomes a :class:`~decimal.Decimal` only
    when it is read, exactly.
    """

    __slots__ = ("_ids", "_places", "_values")

    def __init__(self, ids: Mapping[str, int], values: tuple[int, ...], places: int) -> None:
        self._ids = ids
        self._values = values
        self._places = places

    def __getitem__(self, key: str) -> Decimal:
        return decimal_points(self._places)[self._values[self._ids[key]]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class DecimalPoints(dict[int, Decimal]):
    """Scaled points to Decimals: ``table[150]`` is ``Decimal("1.50")`` for 2 places.

    A dict, so the conversions that repeat (points do) cost one lookup; a
    value is computed the first time it is asked for.
    """

    __slots__ = ("places",)

    #: beyond this many entries, values are computed but no longer kept
    LIMIT: Final = 1 << 16

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the shared table of its places, not as its contents.
        return decimal_points, (self.places,)

    def __missing__(self, scaled: int) -> Decimal:
        # From text, so that the conversion is exact whatever the size.
        value = Decimal(f"{scaled}E-{self.places}")
        if len(self) < self.LIMIT:
            self[scaled] = value
        return value


_TABLES: dict[int, DecimalPoints] = {}


def decimal_points(places: int) -> DecimalPoints:
    """The shared conversion table for ``places`` decimals."""
    table = _TABLES.get(places)
    if table is None:
        table = _TABLES[places] = DecimalPoints(places)
    return table


def to_decimal(scaled: int, places: int) -> Decimal:
    """``scaled * 10 ** -places`` as an exact Decimal."""
    return decimal_points(places)[scaled]
