"""The typed rule model: what a rubric file means, as immutable attrs objects.

The builder turns the parse tree into these objects and the checker resolves
and validates them; nothing after the checker ever sees the parse tree.  Every
node keeps its source :class:`~htx_rules.source.Span`, excluded from equality,
so two files that differ only in layout give equal models.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from htx_rules.source import Span


def _span() -> Span:
    """A source span: kept on every node, left out of equality and repr."""
    return attrs.field(eq=False, repr=False)  # type: ignore[no-any-return]


NumberUnit = Literal["plain", "percent", "money"]
FieldType = Literal["yes/no", "count", "number", "percent", "money", "date", "choice"]
CompareOp = Literal[">=", "<=", ">", "<", "=", "!="]
ArithOp = Literal["+", "-", "*", "/"]


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Number:
    """A number written in the rubric.

    Attributes:
        value: The exact value; a percentage is stored as a rate (``80%`` -> 0.8).
        unit: ``plain``, ``percent`` (written with ``%``) or ``money`` (with ``đồng``).
    """

    value: Decimal
    unit: NumberUnit
    span: Span = _span()


@attrs.frozen
class DateLiteral:
    """A date written in the rubric (``2021-12-20``)."""

    value: datetime.date
    span: Span = _span()


@attrs.frozen
class Name:
    """A bare name before the checker resolves it to a field or a choice value."""

    name: str
    span: Span = _span()


@attrs.frozen
class FieldRef:
    """A reference to a declared evidence field."""

    name: str
    span: Span = _span()


@attrs.frozen
class ChoiceValue:
    """One of the fixed values of a choice field (``dung_han``)."""

    field: str
    value: str
    span: Span = _span()


@attrs.frozen
class DeadlineRef:
    """The rubric's submission deadline (``deadline``)."""

    span: Span = _span()


@attrs.frozen
class PointsOf:
    """The points another criterion or rule earned (``points of I.1``)."""

    item: str
    span: Span = _span()


@attrs.frozen
class DossierComplete:
    """Whether the unit sent every document of the rubric's dossier (``dossier complete``)."""

    span: Span = _span()


@attrs.frozen
class Negate:
    """``-x``."""

    operand: Expr
    span: Span = _span()


@attrs.frozen
class Arithmetic:
    """``left op right`` for ``+ - * /``."""

    op: ArithOp
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Comparison:
    """``left op right`` for ``>= <= > < = !=``; yields yes/no."""

    op: CompareOp
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Logical:
    """``a and b and …`` or ``a or b or …``, evaluated left to right."""

    op: Literal["and", "or"]
    operands: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Not:
    """``not x``."""

    operand: Expr
    span: Span = _span()


@attrs.frozen
class Call:
    """``min(…)``, ``max(…)``, ``round(x, places)``, ``floor(x)``, ``ceil(x)``."""

    function: Literal["min", "max", "round", "floor", "ceil"]
    args: tuple[Expr, ...]
    span: Span = _span()


Expr: TypeAlias = (
    Number
    | DateLiteral
    | Name
    | FieldRef
    | ChoiceValue
    | DeadlineRef
    | PointsOf
    | DossierComplete
    | Negate
    | Arithmetic
    | Comparison
    | Logical
    | Not
    | Call
)


# ---------------------------------------------------------------- scoring forms


@attrs.frozen
class Formula:
    """Points are the value of an expression (``min(5, htx_lien_ket)``)."""

    expr: Expr
    span: Span = _span()


@attrs.frozen
class Conditional:
    """``points if condition [otherwise other]``; without ``otherwise``, 0."""

    points: Expr
    condition: Expr
    otherwise: Expr | None
    span: Span = _span()


@attrs.frozen
class PerUnit:
    """``rate per units [, at most cap]``, or with ``base``:
    ``base minus rate per units [, at most cap]`` (the cap bounds what is taken off)."""

    rate: Expr
    units: Expr
    cap: Expr | None
    base: Expr | None
    span: Span = _span()


@attrs.frozen
class ThresholdArm:
    """``>= 80% -> 10``: taken when ``subject op bound``."""

    op: CompareOp
    bound: Expr
    points: Expr
    span: Span = _span()


@attrs.frozen
class ChoiceArm:
    """``dung_han, tre_han -> 2``: taken when the subject is one of ``values``."""

    values: tuple[str, ...]
    points: Expr
    span: Span = _span()
    value_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class CaseArm:
    """``condition -> points`` inside ``cases``."""

    condition: Expr
    points: Expr
    span: Span = _span()


@attrs.frozen
class OtherwiseArm:
    """``otherwise -> points``: taken when no arm above it was."""

    points: Expr
    span: Span = _span()


Arm: TypeAlias = ThresholdArm | ChoiceArm | CaseArm | OtherwiseArm


@attrs.frozen
class Banded:
    """``by subject`` with threshold or choice arms; the first arm that holds wins."""

    subject: Expr
    arms: tuple[Arm, ...]
    span: Span = _span()


@attrs.frozen
class Cases:
    """``cases`` with condition arms; the first arm that holds wins."""

    arms: tuple[Arm, ...]
    span: Span = _span()


@attrs.frozen
class Linear:
    """Achievement scored in proportion: ``max × actual / target``."""


@attrs.frozen
class Stepped:
    """``minus points per [started] size short``: full marks at 100%, less
    ``points`` for every full (or started) ``size`` of shortfall."""

    points: Expr
    size: Expr
    started: bool


@attrs.frozen
class Target:
    """``target actual of target: mode [, zero target -> points]``.

    The criterion's maximum is earned at 100% of the target.  A target of zero
    counts as fully achieved unless ``zero_target`` says otherwise.
    """

    actual: Expr
    target: Expr
    mode: Linear | Stepped
    zero_target: Expr | None
    span: Span = _span()


@attrs.frozen
class Assessed:
    """``assessed by reviewer ["guidance"]``: the points are a reviewer's judgment,
    given with the verified input (points, reviewer's name, justification)."""

    guidance: str | None
    span: Span = _span()


Scoring: TypeAlias = Formula | Conditional | PerUnit | Banded | Cases | Target | Assessed


# ---------------------------------------------------------------- structure


@attrs.frozen
class Choice:
    """One allowed value of a choice field, with its label."""

    value: str
    label: str
    span: Span = _span()


@attrs.frozen
class Field:
    """A declared evidence field.

    Attributes:
        name: The key evidence gives it under.
        type: ``yes/no``, ``count``, ``number``, ``percent``, ``money``, ``date`` or ``choice``.
        label: What it is, in the rubric's language.
        choices: The allowed values of a choice field, in order.
        minimum: Lowest allowed value (besides the type's own bounds), or None.
        maximum: Highest allowed value, or None.
        unit: What it counts (``HTX``), for explanations, or None.
    """

    name: str
    type: FieldType
    label: str
    choices: tuple[Choice, ...]
    minimum: Decimal | None
    maximum: Decimal | None
    unit: str | None
    span: Span = _span()
    minimum_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    maximum_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    label_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Criterion:
    """A criterion of a part, or a bonus or deduction rule.

    Attributes:
        id: Its number in the table (``I.1.a``, ``B2``).
        label: What it rewards, in the rubric's language.
        maximum: The most points it can give (for a rule: its own cap).
        scoring: How points are earned, or None when it has sub-criteria.
        children: Its sub-criteria, in order.
        requires: Ids of items that must have scored for this one to score.
        note: A remark shown with it in reports, or None.
    """

    id: str
    label: str
    maximum: Decimal
    scoring: Scoring | None
    children: tuple[Criterion, ...]
    requires: tuple[str, ...]
    note: str | None
    span: Span = _span()
    requires_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)
    label_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    maximum_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Part:
    """One part (phần) of the standard points, such as ``I`` worth 50."""

    id: str
    label: str
    maximum: Decimal
    criteria: tuple[Criterion, ...]
    span: Span = _span()
    label_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    maximum_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Section:
    """The bonus (điểm cộng) or deduction (điểm trừ) section, with its cap."""

    kind: Literal["bonus", "deduction"]
    label: str
    maximum: Decimal
    rules: tuple[Criterion, ...]
    span: Span = _span()
    label_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    maximum_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Contestant:
    """A unit that is scored, by code (``930``) and name."""

    code: str
    name: str
    span: Span = _span()
    name_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Place:
    """An award place: rank, name and prize money in đồng."""

    rank: int
    label: str
    prize: Decimal
    span: Span = _span()


TieSubject = Literal["part", "criterion", "bonus", "deduction", "total", "field"]


@attrs.frozen
class TieBreak:
    """One key of the tie-break order, such as ``higher part III``."""

    direction: Literal["higher", "lower", "earlier", "later"]
    subject: TieSubject
    ref: str | None
    span: Span = _span()


@attrs.frozen
class Eligibility:
    """``eligible if condition "reason"``: a unit that does not meet the condition
    gets no award; the reason says what it lacked."""

    condition: Expr
    reason: str
    span: Span = _span()


@attrs.frozen
class Document:
    """A document of the award dossier (hồ sơ), by id and label."""

    id: str
    label: str
    span: Span = _span()


@attrs.frozen
class Awards:
    """Award places, minimum score, tie-break order and the rule for a tie
    the order cannot break."""

    places: tuple[Place, ...]
    minimum: Decimal | None
    tie_breaks: tuple[TieBreak, ...]
    still_tied: Literal["split", "each", "council"] | None
    span: Span = _span()
    minimum_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    eligibility: tuple[Eligibility, ...] = ()


@attrs.frozen
class Rounding:
    """The rubric's rounding rule: decimal places and mode (``half-up``)."""

    places: int
    mode: Literal["half-up", "half-even", "down", "up"]


@attrs.frozen
class Header:
    """What the rubric is: identity, title, year, dates, language, rounding."""

    id: str
    title: str
    year: int
    scored: str | None
    total: Decimal
    period_start: datetime.date | None
    period_end: datetime.date | None
    estimated_to: datetime.date | None
    deadline: datetime.date | None
    language: str
    rounding: Rounding
    step: Decimal | None
    span: Span = _span()
    total_span: Span = _span()


@attrs.frozen
class RubricModel:
    """A whole rubric, checked: every name resolved, every type and maximum consistent."""

    header: Header
    contestants: tuple[Contestant, ...]
    fields: tuple[Field, ...]
    parts: tuple[Part, ...]
    bonus: Section | None
    deduction: Section | None
    awards: Awards | None
    dossier: tuple[Document, ...] = ()
