"""What scoring returns: the points, and the trace that explains every one of them.

The trace is data: a tree of :class:`TraceNode` mirroring the rubric (rubric →
parts, bonus, deduction → criteria → sub-criteria).  Each node records what
decided its points — the rule's source line and text, the evidence it read,
the branch taken, and every rounding, cap and clamp with the value before it.
Renderers (:mod:`htx_rules.render`) turn it into text, Markdown or JSON.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

import attrs

from htx_rules import digest
from htx_rules.ledger import LedgerLine, build_ledger
from htx_rules.model import Contestant, RubricModel
from htx_rules.source import Span

if TYPE_CHECKING:
    from htx_rules.decimals import Lang
    from htx_rules.rubric import Rubric

# An evidence value in the engine: counts (and other whole numbers given as
# such) stay ``int``; other numbers are ``Decimal``; never ``float``.
Value: TypeAlias = Decimal | int | bool | datetime.date | str

AdjustmentKind = Literal["round", "cap", "max", "min"]
NodeKind = Literal["rubric", "part", "criterion", "bonus", "deduction", "rule"]
Status = Literal["scored", "missing", "undefined", "requires_unmet", "not_assessed"]
DecisionKind = Literal[
    "formula",
    "condition",
    "per_unit",
    "threshold",
    "choice",
    "case",
    "otherwise",
    "no_match",
    "target",
    "assessed",
    "not_assessed",
    "sum",
    "requires_unmet",
    "missing",
    "undefined",
]


# Trace records are created in the scoring hot path, dozens per evaluation:
# immutable NamedTuples cost a tenth of a frozen attrs instance to build.


class Adjustment(NamedTuple):
    """One step that changed a value after its rule computed it.

    Attributes:
        kind: ``round`` (the rubric's rounding rule), ``cap`` (a rule's
            ``at most`` or a section's cap), ``max`` (clamped to the maximum) or
            ``min`` (raised to zero).
        before: The value before the step.
        after: The value after it.
        limit: The bound applied (None for rounding).
    """

    kind: AdjustmentKind
    before: Decimal
    after: Decimal
    limit: Decimal | None = None


class Assessment(NamedTuple):
    """A reviewer's judgment of a criterion the rubric marks ``assessed by reviewer``.

    Attributes:
        points: The points the reviewer gave; still rounded by the rubric's
            rule and clamped to the criterion's maximum, like any rule's value.
        reviewer: Who judged (a name, or a name and office).
        justification: Why, in the reviewer's words: required.
    """

    points: Decimal
    reviewer: str
    justification: str


class Decision(NamedTuple):
    """What decided a node's points.

    Attributes:
        kind: The branch taken: ``condition`` (true or false), ``threshold``,
            ``choice``, ``case``, ``otherwise``, ``no_match`` (no arm held),
            ``per_unit``, ``target``, ``formula``, ``assessed`` (a reviewer's
            points; ``details`` hold ``reviewer`` and ``justification``),
            ``not_assessed`` (no assessment was given), ``sum`` (of
            sub-criteria), ``requires_unmet``, ``missing`` or ``undefined``.
        arm: Which arm was taken (1-based), when the rule has arms.
        subject: The value the rule tested (a threshold's subject, a choice's
            value, a condition's outcome), or None.
        details: Named intermediate values (``units``, ``rate``, ``ratio``, ...).
        text: The source text of the arm or condition that decided.
        span: Where that text is.
    """

    kind: DecisionKind
    arm: int | None = None
    subject: Value | None = None
    details: tuple[tuple[str, Value], ...] = ()
    text: str = ""
    span: Span | None = None

    def detail(self, name: str) -> Value | None:
        """The intermediate value called ``name``, or None."""
        for key, value in self.details:
            if key == name:
                return value
        return None


class TraceNode(NamedTuple):
    """One node of the trace: a part, criterion, rule or section, and why it scored.

    Attributes:
        kind: ``rubric``, ``part``, ``criterion``, ``bonus``, ``deduction`` or ``rule``.
        id: Its id in the rubric (``I``, ``I.1.a``, ``B2``).
        label: Its label in the rubric's language.
        points: The points it gave, after every adjustment.
        maximum: Its maximum (for the bonus and deduction sections: their cap).
        span: Where the rule that decided it is written.
        source: The text of that rule.
        status: ``scored``; ``missing`` (it needed evidence that was not given);
            ``undefined`` (its value could not be computed, such as a division
            by zero); ``requires_unmet`` (an item it requires did not score);
            ``not_assessed`` (a reviewer's criterion with no assessment given).
        raw: The value its rule computed (a rule's own ``at most`` included, and
            shown as a ``cap`` adjustment), before rounding and clamping.
        decision: What decided it.
        read_fields: Evidence fields the rule reads, in source order.
        read_values: The values given for them (None: not given).
        adjustments: Roundings, caps and clamps applied, in order.
        children: Nodes below it.
    """

    kind: NodeKind
    id: str
    label: str
    points: Decimal
    maximum: Decimal
    span: Span
    source: str
    status: Status = "scored"
    raw: Decimal | None = None
    decision: Decision | None = None
    read_fields: tuple[str, ...] = ()
    read_values: tuple[Value | None, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    children: tuple[TraceNode, ...] = ()

    @property
    def reads(self) -> tuple[tuple[str, Value | None], ...]:
        """Each field the rule reads with the value given (None: not given)."""
        return tuple(zip(self.read_fields, self.read_values, strict=True))

    def walk(self) -> Iterator[TraceNode]:
        """This node and every node below it, depth first, in rubric order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, node_id: str) -> TraceNode | None:
        """The node with id ``node_id`` at or below this one, or None."""
        return next((n for n in self.walk() if n.id == node_id), None)

    @property
    def missing(self) -> tuple[str, ...]:
        """Fields this node read that were not given."""
        return tuple(name for name, value in self.reads if value is None)


class Scored(NamedTuple):
    """What scoring produced besides the totals, kept compact until read.

    Attributes:
        parts: Points of the parts, as integers of ``10 ** -places``.
        items: Points of the criteria and rules, likewise, in rubric order.
        record: Each rule's raw value and branch (the trace data), or None
            when scored without a trace.
        given: The value scoring read for each field, in the rubric's order
            (see :meth:`htx_rules.codegen.CompiledProgram.evidence`).
        missing: The fields rules needed and were not given, as each rule
            found them (a field may repeat).
    """

    parts: tuple[int, ...]
    items: tuple[int, ...]
    record: tuple[Any, ...] | None
    given: tuple[Any, ...]
    missing: list[str]

    def same_points(self, other: object) -> bool:
        """Equal when the points are (the program and record do not matter)."""
        return isinstance(other, Scored) and self.parts == other.parts and self.items == other.items


# Results are built once per scoring, in the hot path: a frozen attrs class
# with a __dict__ (not slots) is built by plain dictionary stores, and lets
# the derived attributes below be cached.
@attrs.frozen(slots=False, eq=False, repr=False)
class Result:
    """The score of one set of evidence under one rubric.

    Attributes:
        total: Standard points + bonus - deduction, never below zero.
        standard: The sum of the parts' points.
        bonus: The bonus section's points, after its cap.
        deduction: The deduction section's points (a positive number), after its cap.
        contestant: The unit scored, when known.
        scored: The points of every part, criterion and rule, the values
            read and the trace record, as scoring left them (read them through
            :attr:`parts`, :attr:`items`, :attr:`evidence` and :attr:`trace`).
        rubric: The rubric that scored (a :class:`~htx_rules.Rubric`).
        unassessed: Criteria assessed by a reviewer for which no assessment
            was given (they score 0).
        assessments: The reviewers' assessments given, by criterion id.

    Two results are equal when their points, missing fields, contestant,
    evidence and assessments are.
    """

    total: Decimal
    standard: Decimal
    bonus: Decimal
    deduction: Decimal
    contestant: Contestant | None
    scored: Scored = attrs.field(repr=False)
    rubric: Rubric = attrs.field(repr=False)
    unassessed: tuple[str, ...] = ()
    assessments: Mapping[str, Assessment] = attrs.field(factory=dict, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (
            self.total == other.total
            and self.standard == other.standard
            and self.bonus == other.bonus
            and self.deduction == other.deduction
            and self.missing == other.missing
            and self.contestant == other.contestant
            and self.scored.same_points(other.scored)
            and self.evidence == other.evidence
            and self.unassessed == other.unassessed
            and self.assessments == other.assessments
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Result(total={self.total!r}, standard={self.standard!r}, bonus={self.bonus!r}, "
            f"deduction={self.deduction!r}, missing={self.missing!r}, "
            f"contestant={self.contestant!r})"
        )

    @functools.cached_property
    def missing(self) -> tuple[str, ...]:
        """Evidence fields that rules needed and were not given, each once, in the order
        the rules were scored (the dependency order)."""
        return tuple(dict.fromkeys(self.scored.missing))

    @functools.cached_property
    def evidence(self) -> Mapping[str, Value]:
        """The validated evidence (percentages as given, 0-100, as Decimals;
        dates as dates; fields not given left out)."""
        return self.rubric._program.evidence(self.scored.given)

    @property
    def model(self) -> RubricModel:
        """The rubric's rule model (for renderers)."""
        return self.rubric.model

    @property
    def source_name(self) -> str:
        """The file the rubric was loaded from."""
        return self.rubric.source.name

    @property
    def rubric_sha256(self) -> str:
        """The SHA-256 of the rubric file's bytes."""
        return self.rubric.sha256

    @functools.cached_property
    def evidence_sha256(self) -> str:
        """The SHA-256 of the evidence, assessments and contestant in canonical form.

        The canonical form is described in ``docs/trace.md`` (*Hashes*): the
        same meaning always gives the same hash, whatever the file's layout.
        """
        code = None if self.contestant is None else self.contestant.code
        return digest.evidence_sha256(self.evidence, self.assessments, code)

    @functools.cached_property
    def parts(self) -> Mapping[str, Decimal]:
        """Points of each part, by part id."""
        program = self.rubric._program
        return program.points(program.part_ids, self.scored.parts)

    @functools.cached_property
    def items(self) -> Mapping[str, Decimal]:
        """Points of every criterion, sub-criterion and rule, by id, in rubric order."""
        program = self.rubric._program
        return program.points(program.item_ids, self.scored.items)

    @functools.cached_property
    def trace(self) -> TraceNode | None:
        """The explanation tree, or None when scored without a trace.

        Scoring records everything the tree shows (each rule's raw value and
        the branch it took, in a compact record); the tree of
        :class:`TraceNode` objects is built from that record the first time it
        is read, and kept.
        """
        record = self.scored.record
        if record is None:
            return None
        return self.rubric._program.trace(record, self.evidence)

    @functools.cached_property
    def ledger(self) -> tuple[LedgerLine, ...] | None:
        """The points ledger: every step from 0 to the total, or None without a trace.

        One line per criterion or rule given its points, and per rounding, cap
        and clamp; the lines' changes add up to :attr:`total` (see
        :mod:`htx_rules.ledger` and ``docs/trace.md``).
        """
        trace = self.trace
        return None if trace is None else build_ledger(trace)

    @property
    def rubric_id(self) -> str:
        """The id of the rubric that scored this result."""
        return self.model.header.id

    def points(self, item_id: str) -> Decimal:
        """Points of a part, criterion or rule, by id (``"I"``, ``"I.1.a"``, ``"B2"``)."""
        if item_id in self.parts:
            return self.parts[item_id]
        return self.items[item_id]

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """The result as plain JSON-ready data (decimals as strings); see ``docs/trace.md``.

        ``lang`` is the language of the ledger's sentences; every number and
        label is the same in both.
        """
        from htx_rules import render  # noqa: PLC0415 - renderers load when first used

        return render.result_to_dict(self, lang)

    def to_json(self, lang: Lang = "vi") -> str:
        """The result as JSON text, keys in a stable order; byte-identical for the same inputs."""
        from htx_rules import render  # noqa: PLC0415 - renderers load when first used

        return render.result_to_json(self, lang)

    def explain(self, lang: Lang = "vi") -> str:
        """Why each criterion, bonus and deduction earned what it did, line by line."""
        from htx_rules import render  # noqa: PLC0415 - renderers load when first used

        return render.explain(self, lang)

    def table(self, lang: Lang = "vi") -> str:
        """A text table of parts, criteria and rules with a one-line explanation each."""
        from htx_rules import render  # noqa: PLC0415 - renderers load when first used

        return render.text_report(self, lang)
