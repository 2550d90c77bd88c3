"""The points ledger: the trace flattened into steps whose changes add up to the total.

The trace is a tree; an auditor checking sums wants a list.  Each ledger line is
one step — an item given its points by its rule, or a rounding, cap or clamp —
with the item's points before and after the step, the step's effect on the
running total, and the running total before and after.  The lines reconcile by
construction:

* ``change = sign × (points_after − points_before)``, where ``sign`` is −1 in
  the deduction section and +1 elsewhere;
* each line's ``total_before`` is the previous line's ``total_after`` (0 for the
  first line) and ``total_after = total_before + change``;
* the last line's ``total_after`` is the result's total.

:func:`check_ledger` checks exactly these rules, on data alone, the way an
auditor would by hand (``docs/trace.md``, *The points ledger*).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from htx_rules.result import Status, TraceNode, Value
    from htx_rules.source import Span

LedgerKind = Literal["award", "bonus", "deduction", "round", "cap", "max", "min", "requires_unmet"]

_ZERO = Decimal(0)
# Ledger sums must be exact: a rule's raw value may carry 60 significant
# digits (a ratio before rounding), and adding it to a running total must not
# round.  Any inexact step is a bug, so it raises.
EXACT = decimal.Context(
    prec=1000,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_OPENING: dict[str, LedgerKind] = {"part": "award", "bonus": "bonus", "deduction": "deduction"}


class LedgerLine(NamedTuple):
    """One step of the points ledger.

    Attributes:
        number: The line's number, from 1.
        kind: ``award`` (a criterion of a part given its points by its rule),
            ``bonus`` or ``deduction`` (a bonus or deduction rule given its
            points), ``round``, ``cap``, ``max`` or ``min`` (an adjustment of
            an item, a section or the total), ``requires_unmet`` (a criterion
            with sub-criteria whose ``requires`` failed: its sub-criteria's
            points are taken back).
        id: The criterion, rule, part or section the step is about; the
            rubric's id for a clamp of the total.
        section: The part's id, ``bonus``, ``deduction``, or ``total``.
        status: The item's status (``scored``, ``missing``, ...).
        span: The rubric text the step comes from.
        reads: The evidence fields the rule read, with their values (opening
            lines only).
        points_before: The item's points before the step.
        points_after: The item's points after it.
        limit: The bound of a cap or clamp (None otherwise).
        change: The step's effect on the total.
        total_before: The running total before the step.
        total_after: The running total after it.
    """

    number: int
    kind: LedgerKind
    id: str
    section: str
    status: Status
    span: Span
    reads: tuple[tuple[str, Value | None], ...]
    points_before: Decimal
    points_after: Decimal
    limit: Decimal | None
    change: Decimal
    total_before: Decimal
    total_after: Decimal


class LedgerBuildError(AssertionError):
    """The trace does not reconcile: a bug in the engine, never in a rubric."""


def build_ledger(root: TraceNode) -> tuple[LedgerLine, ...]:
    """The ledger of a scored result, from its trace (``Result.ledger`` calls this)."""
    with decimal.localcontext(EXACT):
        return _Builder().build(root)


class _Builder:
    def __init__(self) -> None:
        self.lines: list[LedgerLine] = []
        self.total = _ZERO

    def build(self, root: TraceNode) -> tuple[LedgerLine, ...]:
        for group in root.children:
            section = group.id if group.kind == "part" else group.kind
            self.visit(group, section, _OPENING[group.kind], -1 if group.kind == "deduction" else 1)
        current = self.total
        self.adjust(root, "total", 1, current)
        if self.total != root.points:
            raise LedgerBuildError(f"ledger ends at {self.total}, total is {root.points}")
        return tuple(self.lines)

    def visit(self, node: TraceNode, section: str, opening: LedgerKind, sign: int) -> None:
        if node.children:
            for child in node.children:
                self.visit(child, section, opening, sign)
            current = sum((child.points for child in node.children), _ZERO)
            if node.status == "requires_unmet":
                self.add("requires_unmet", node, section, sign, current, _ZERO)
                return
        else:
            # A rule's own "at most" cap is its first adjustment: the opening
            # line gives what the rule computed before it.
            current = node.adjustments[0].before if node.adjustments else node.points
            self.add(opening, node, section, sign, _ZERO, current, reads=node.reads)
        self.adjust(node, section, sign, current)

    def adjust(self, node: TraceNode, section: str, sign: int, current: Decimal) -> None:
        for adjustment in node.adjustments:
            if adjustment.before != current:
                raise LedgerBuildError(
                    f"{node.id}: {adjustment.kind} starts at {adjustment.before}, not {current}"
                )
            self.add(
                adjustment.kind,
                node,
                section,
                sign,
                adjustment.before,
                adjustment.after,
                adjustment.limit,
            )
            current = adjustment.after
        if current != node.points:
            raise LedgerBuildError(f"{node.id}: steps end at {current}, points are {node.points}")

    def add(
        self,
        kind: LedgerKind,
        node: TraceNode,
        section: str,
        sign: int,
        before: Decimal,
        after: Decimal,
        limit: Decimal | None = None,
        *,
        reads: tuple[tuple[str, Value | None], ...] = (),
    ) -> None:
        change = after - before if sign > 0 else before - after
        total_after = self.total + change
        self.lines.append(
            LedgerLine(
                len(self.lines) + 1,
                kind,
                node.id,
                section,
                node.status,
                node.span,
                reads,
                before,
                after,
                limit,
                change,
                self.total,
                total_after,
            )
        )
        self.total = total_after


class LedgerProblem(NamedTuple):
    """A ledger line that breaks one of the ledger's rules.

    Attributes:
        line: The line's number as written (its position, from 1, when the
            number itself is unreadable; 0 for the ledger as a whole).
        rule: ``malformed`` (a number is missing or not a decimal string),
            ``numbering``, ``change``, ``running-total`` or ``total``.
        expected: What the rule gives (None for ``malformed``).
        found: What the line says (for ``malformed``: the key at fault).
    """

    line: int
    rule: Literal["malformed", "numbering", "change", "running-total", "total"]
    expected: Decimal | None
    found: Decimal | str


_NUMBER_KEYS = ("points_before", "points_after", "change", "total_before", "total_after")


def check_ledger(lines: Sequence[Mapping[str, Any]], total: str) -> tuple[LedgerProblem, ...]:
    """Check that a ledger in its JSON form reconciles, from its numbers alone.

    This is the auditor's check, done without the engine: it reads only the
    ledger's lines and the total, both as written in a result document.

    Args:
        lines: The ``ledger`` array of a result document.
        total: The document's ``total`` (a decimal string).

    Returns:
        Every problem found; empty when the ledger reconciles.
    """
    problems: list[LedgerProblem] = []
    running = _ZERO
    with decimal.localcontext(EXACT):
        for position, line in enumerate(lines, start=1):
            number = line.get("line") if isinstance(line, Mapping) else None
            where = number if isinstance(number, int) and not isinstance(number, bool) else position
            values = {key: _decimal(line, key) for key in _NUMBER_KEYS}
            broken = [key for key, value in values.items() if value is None]
            if broken or not isinstance(line, Mapping):
                problems.append(
                    LedgerProblem(where, "malformed", None, broken[0] if broken else "")
                )
                continue
            before, after, change = (
                values["points_before"],
                values["points_after"],
                values["change"],
            )
            total_before, total_after = values["total_before"], values["total_after"]
            assert before is not None
            assert after is not None
            assert change is not None
            assert total_before is not None
            assert total_after is not None
            if where != position:
                problems.append(
                    LedgerProblem(where, "numbering", Decimal(position), Decimal(where))
                )
            moved = before - after if line.get("section") == "deduction" else after - before
            if change != moved:
                problems.append(LedgerProblem(where, "change", moved, change))
            if total_before != running or total_after != total_before + change:
                problems.append(
                    LedgerProblem(where, "running-total", running + change, total_after)
                )
            running += change
        expected = _parse(total)
        if expected is None:
            problems.append(LedgerProblem(0, "malformed", None, "total"))
        elif running != expected:
            problems.append(LedgerProblem(0, "total", expected, running))
    return tuple(problems)


def _decimal(line: object, key: str) -> Decimal | None:
    return _parse(line.get(key)) if isinstance(line, Mapping) else None


def _parse(text: object) -> Decimal | None:
    if not isinstance(text, str):
        return None
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:
        return None
    return value if value.is_finite() else None


__all__ = [
    "EXACT",
    "LedgerBuildError",
    "LedgerKind",
    "LedgerLine",
    "LedgerProblem",
    "build_ledger",
    "check_ledger",
]
