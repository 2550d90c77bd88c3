"""Stage 2: the Lark parse tree to the (still unchecked) rule model.

This is the only module besides :mod:`htx_rules.parser` that knows Lark trees.
It reads literals (numbers, money, percentages, dates, labels), collects the
sections, and reports problems that the grammar cannot see (a date that does
not exist, a header line given twice) as diagnostics with spans.  Names and
types are checked afterwards by :mod:`htx_rules.checker`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import attrs
from lark import Token, Tree

from htx_rules import model as m
from htx_rules.decimals import HUNDRED, Lang
from htx_rules.errors import Reporter
from htx_rules.messages import TypeWord
from htx_rules.parser import keyword_language, keyword_spelling
from htx_rules.source import SourceText, Span, label_text

#: How deeply expressions may nest (operators and calls inside each other).
MAX_DEPTH = 100

_COMPARE_SPELLINGS = {"≥": ">=", "≤": "<=", "≠": "!=", "==": "="}
_ARITH_SPELLINGS = {"×": "*", "÷": "/", "−": "-"}


class Builder(Reporter):
    """Builds a :class:`~htx_rules.model.RubricModel` from a parse tree.

    Problems are collected in :attr:`diagnostics`; :meth:`build` returns None
    when any of them is an error.
    """

    def __init__(self, source: SourceText) -> None:
        super().__init__(source)
        self._too_deep = False
        #: the header's deadline is an impossible date (so rules using it are
        #: not also told that the rubric declares none)
        self.deadline_invalid = False

    # ------------------------------------------------------------ helpers

    def detect_keyword_language(self) -> Lang:
        return keyword_language(self.source.text)

    def span(self, node: Tree[Token] | Token) -> Span:
        """The span from the first to the last token of ``node``."""
        first, last = _first_token(node), _last_token(node)
        return self.source.span(
            first.line or 1,
            first.column or 1,
            last.end_line or last.line or 1,
            last.end_column or (last.column or 1) + 1,
        )

    def expr_span(self, node: Tree[Token]) -> Span:
        """The span of an expression, parentheses included.

        Parentheses are not tokens of the tree, so :meth:`span` would start
        after a leading ``(``; Lark's positions count them, and the text an
        explanation quotes from the rubric must keep them balanced.
        """
        meta = node.meta
        if meta.empty:  # pragma: no cover - positions are always propagated
            return self.span(node)
        return self.source.span(meta.line, meta.column, meta.end_line, meta.end_column)

    def label(self, token: Token) -> str:
        """The text of a quoted label, unescaped and in Unicode NFC form."""
        text = label_text(str(token))
        if not text.strip():
            self.error("empty-label", self.span(token), hint="hint-write-label")
        return text

    def number(self, node: Tree[Token]) -> m.Number:
        """A number literal: ``1.5``, ``10_000``, ``80%``, ``10.000.000 đồng``."""
        token = cast(Token, node.children[0])
        text = str(token)
        span = self.span(token)
        if token.type == "PERCENTAGE":
            return m.Number(Decimal(text[:-1]) / HUNDRED, "percent", span)
        if token.type == "AMOUNT":
            digits = re.match(r"[\d._]+", text)
            assert digits is not None
            amount = digits.group().replace(".", "").replace("_", "")
            return m.Number(Decimal(amount), "money", span)
        return m.Number(Decimal(text.replace("_", "")), "plain", span)

    def signed_number(self, node: Tree[Token]) -> m.Number:
        """A bound such as ``-100`` or ``0``."""
        children = node.children
        number = self.number(cast(Tree[Token], children[-1]))
        if len(children) == 2 and str(children[0]) in ("-", "−"):
            return m.Number(-number.value, number.unit, self.span(node))
        return number

    def date(self, token: Token) -> datetime.date | None:
        """A date literal, or None (with an error) when no such day exists."""
        try:
            return datetime.date.fromisoformat(str(token))
        except ValueError:
            self.error("invalid-date", self.span(token), hint="hint-date-format", value=str(token))
            return None

    # ------------------------------------------------------------ whole file

    def build(self, tree: Tree[Token], *, keep_going: bool = False) -> m.RubricModel | None:
        """Build the model, or None when errors were found.

        With ``keep_going``, the model is built whenever the header could be
        read, errors or not (``htx-rules check`` uses it to look further).
        """
        header_tree = cast(Tree[Token], tree.children[0])
        header = self.header(header_tree)
        contestants: tuple[m.Contestant, ...] = ()
        fields: tuple[m.Field, ...] = ()
        parts: list[m.Part] = []
        bonus: m.Section | None = None
        deduction: m.Section | None = None
        awards: m.Awards | None = None
        dossier: tuple[m.Document, ...] = ()
        seen: dict[str, Span] = {}
        for section in tree.children[1:]:
            section = cast(Tree[Token], section)
            kind = str(section.data)
            span = self.span(section.children[0])
            if kind != "part":
                if kind in seen:
                    self.error(
                        "duplicate-section",
                        span,
                        hint="hint-merge-sections",
                        section=str(section.children[0]),
                        line=seen[kind].line,
                    )
                    continue
                seen[kind] = span
            if kind == "contestants":
                contestants = tuple(self.contestant(c) for c in _trees(section))
            elif kind == "evidence":
                fields = tuple(self.field(f) for f in _trees(section))
            elif kind == "part":
                parts.append(self.part(section))
            elif kind == "bonus":
                bonus = self.section("bonus", section)
            elif kind == "deduction":
                deduction = self.section("deduction", section)
            elif kind == "awards":
                awards = self.awards(section)
            elif kind == "dossier":
                dossier = tuple(
                    m.Document(
                        str(d.children[0]),
                        self.label(cast(Token, d.children[1])),
                        self.span(d.children[0]),
                    )
                    for d in _trees(section)
                )
        if not parts:
            self.error("no-parts", self.span(header_tree.children[0]), hint="hint-add-part")
        self.diagnostics.sort(key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        if header is None or (
            not keep_going and any(d.severity == "error" for d in self.diagnostics)
        ):
            return None
        return m.RubricModel(
            header, contestants, fields, tuple(parts), bonus, deduction, awards, dossier
        )

    # ------------------------------------------------------------ header

    def header(self, node: Tree[Token]) -> m.Header | None:
        rubric_id = str(node.children[1])
        title = self.label(cast(Token, node.children[2]))
        values: dict[str, Any] = {}
        spans: dict[str, Span] = {}
        for item in _trees(node):
            kind = str(item.data)
            span = self.span(item)
            if kind in values:
                self.error(
                    "duplicate-header-item",
                    span,
                    hint="hint-remove-duplicate",
                    item=str(item.children[0]),
                    line=spans[kind].line,
                )
                continue
            spans[kind] = span
            values[kind] = self.header_item(kind, item)
        rubric_token = cast(Token, node.children[0])
        span = self.span(rubric_token)
        # Name the missing line in the keywords the rubric is written in.
        lang: Lang = "en" if str(rubric_token) == keyword_spelling("RUBRIC", "en") else "vi"
        for required in ("year", "total"):
            if required not in values:
                word = keyword_spelling(required.upper(), lang)
                self.error(
                    "missing-header-item",
                    span,
                    hint="hint-add-header-item",
                    hint_args={"item": word},
                    item=word,
                )
        if "year" not in values or "total" not in values:
            return None
        period = values.get("period") or (None, None, None)
        rounding = values.get("rounding") or m.Rounding(2, "half-up")
        return m.Header(
            id=rubric_id,
            title=title,
            year=values["year"],
            scored=values.get("scored"),
            total=values["total"],
            period_start=period[0],
            period_end=period[1],
            estimated_to=period[2],
            deadline=values.get("deadline"),
            language=values.get("language", "vi"),
            rounding=rounding,
            step=values.get("step"),
            span=span,
            total_span=spans["total"],
        )

    def header_item(self, kind: str, item: Tree[Token]) -> Any:
        children = item.children
        if kind == "year":
            return int(str(children[1]).replace("_", ""))
        if kind == "scored":
            return self.label(cast(Token, children[1]))
        if kind in ("total", "step"):
            number = self.number(cast(Tree[Token], children[1]))
            if number.unit != "plain" or number.value <= 0:
                self.error(
                    "header-positive-points",
                    number.span,
                    hint="hint-plain-number",
                    item=str(children[0]),
                )
            return number.value
        if kind == "period":
            dates = [self.date(t) for t in children if isinstance(t, Token) and t.type == "DATE"]
            start, end = dates[0], dates[1]
            estimated = dates[2] if len(dates) > 2 else None
            if start and end and end < start:
                self.error("period-reversed", self.span(item), hint="hint-swap-dates")
            if end and estimated and estimated < end:
                self.error("estimate-before-end", self.span(item), hint="hint-swap-dates")
            return (start, end, estimated)
        if kind == "deadline":
            deadline = self.date(cast(Token, children[1]))
            self.deadline_invalid = deadline is None
            return deadline
        if kind == "language":
            language = str(children[1])
            if language not in ("vi", "en"):
                self.error(
                    "unknown-language", self.span(children[1]), hint="hint-language", value=language
                )
            return language
        if kind == "rounding":
            places = int(str(children[1]).replace("_", ""))
            if places > 10:
                self.error("rounding-places", self.span(children[1]), value=places)
            mode_token = cast(Token, cast(Tree[Token], children[3]).children[0])
            return m.Rounding(places, cast(Any, _english(mode_token)))
        raise AssertionError(kind)  # pragma: no cover - the grammar allows no other

    # ------------------------------------------------------------ contestants, evidence

    def contestant(self, node: Tree[Token]) -> m.Contestant:
        code, name = cast(Token, node.children[0]), cast(Token, node.children[1])
        return m.Contestant(str(code), self.label(name), self.span(code), name_span=self.span(name))

    def field(self, node: Tree[Token]) -> m.Field:
        children = node.children
        name_token = cast(Token, children[0])
        type_tree = cast(Tree[Token], children[1])
        label = self.label(cast(Token, children[2]))
        kind = str(type_tree.data)
        choices: tuple[m.Choice, ...] = ()
        if kind == "choice_type":
            choices = tuple(m.Choice(str(t), str(t), self.span(t)) for t in type_tree.children[2:])
        elif kind == "choice_block_type":
            block = [c for c in _trees(node) if c.data == "choice_block"]
            if not block:
                self.error("choice-without-values", self.span(type_tree), hint="hint-choice-values")
            else:
                choices = tuple(
                    m.Choice(
                        str(c.children[0]),
                        self.label(cast(Token, c.children[1])),
                        self.span(c.children[0]),
                    )
                    for c in _trees(block[0])
                )
        else:
            stray = next((c for c in _trees(node) if c.data == "choice_block"), None)
            if stray is not None:
                self.error("values-without-choice", self.span(stray), hint="hint-choice-type")
        field_type = _FIELD_TYPES[kind]
        minimum = maximum = None
        minimum_span = maximum_span = None
        unit = None
        for option in _trees(node):
            if option.data == "lower_bound":
                if minimum is not None:
                    self.error("duplicate-option", self.span(option), option=_word(option))
                minimum_span = self.span(option.children[1])
                minimum = self.bound(field_type, cast(Tree[Token], option.children[1]))
            elif option.data == "upper_bound":
                if maximum is not None:
                    self.error("duplicate-option", self.span(option), option=_word(option))
                maximum_span = self.span(option.children[1])
                maximum = self.bound(field_type, cast(Tree[Token], option.children[1]))
            elif option.data == "unit":
                if unit is not None:
                    self.error("duplicate-option", self.span(option), option=_word(option))
                unit = self.label(cast(Token, option.children[1]))
        return m.Field(
            str(name_token),
            field_type,
            label,
            choices,
            minimum,
            maximum,
            unit,
            self.span(name_token),
            minimum_span=minimum_span,
            maximum_span=maximum_span,
            label_span=self.span(children[2]),
        )

    def bound(self, field_type: m.FieldType, node: Tree[Token]) -> Decimal | None:
        number = self.signed_number(node)
        if field_type in ("yes/no", "date", "choice"):
            self.error(
                "bound-on-type", number.span, hint="hint-remove-bound", type=TypeWord(field_type)
            )
            return None
        expected_unit = {"percent": "percent", "money": "money"}.get(field_type, "plain")
        if field_type == "percent" and number.unit == "plain":
            return number.value / HUNDRED
        if number.unit not in (expected_unit, "plain"):
            self.error(
                "bound-unit", number.span, hint="hint-plain-number", type=TypeWord(field_type)
            )
            return None
        return number.value

    # ------------------------------------------------------------ parts, criteria, sections

    def part(self, node: Tree[Token]) -> m.Part:
        children = node.children
        criteria = tuple(self.criterion(c) for c in _trees(node) if c.data == "criterion")
        return m.Part(
            str(children[1]),
            self.label(cast(Token, children[2])),
            self.points_literal(cast(Tree[Token], children[4])),
            criteria,
            self.span(children[1]),
            label_span=self.span(children[2]),
            maximum_span=self.span(children[4]),
        )

    def points_literal(self, node: Tree[Token]) -> Decimal:
        """Points written in the rubric: the grammar allows only plain numbers."""
        return self.number(node).value

    def criterion(self, node: Tree[Token]) -> m.Criterion:
        children = node.children
        requires: list[str] = []
        requires_spans: list[Span] = []
        note: str | None = None
        scoring: m.Scoring | None = None
        sub: tuple[m.Criterion, ...] = ()
        for child in _trees(node):
            if child.data == "requires":
                for token in child.children[1:]:
                    requires.append(str(token))
                    requires_spans.append(self.span(token))
            elif child.data == "note":
                if note is not None:
                    self.error("duplicate-option", self.span(child), option=_word(child))
                note = self.label(cast(Token, child.children[1]))
            elif child.data == "sub_criteria":
                sub = tuple(self.criterion(c) for c in _trees(child))
            elif child.data != "points":
                scoring = self.scoring(child)
        return m.Criterion(
            id=str(children[1]),
            label=self.label(cast(Token, children[2])),
            maximum=self.points_literal(cast(Tree[Token], children[4])),
            scoring=scoring,
            children=sub,
            requires=tuple(requires),
            note=note,
            span=self.span(children[1]),
            requires_spans=tuple(requires_spans),
            label_span=self.span(children[2]),
            maximum_span=self.span(children[4]),
        )

    def section(self, kind: str, node: Tree[Token]) -> m.Section:
        children = node.children
        rules = tuple(self.criterion(r) for r in _trees(node) if r.data == "rule")
        return m.Section(
            cast(Any, kind),
            self.label(cast(Token, children[1])),
            self.points_literal(cast(Tree[Token], children[3])),
            rules,
            self.span(children[0]),
            label_span=self.span(children[1]),
            maximum_span=self.span(children[3]),
        )

    # ------------------------------------------------------------ scoring forms

    def scoring(self, node: Tree[Token]) -> m.Scoring:
        kind = str(node.data)
        span = self.span(node)
        exprs = [self.expr(c) for c in _trees(node) if c.data not in _NON_EXPR]
        if kind == "formula":
            return m.Formula(exprs[0], span)
        if kind == "conditional":
            return m.Conditional(exprs[0], exprs[1], exprs[2] if len(exprs) > 2 else None, span)
        cap = next(
            (self.expr(cast(Tree[Token], c.children[2])) for c in _trees(node) if c.data == "cap"),
            None,
        )
        if kind == "per_unit":
            return m.PerUnit(exprs[0], exprs[1], cap, None, span)
        if kind == "minus_per_unit":
            return m.PerUnit(exprs[1], exprs[2], cap, exprs[0], span)
        if kind == "by":
            return m.Banded(
                exprs[0], tuple(self.arm(a) for a in _trees(node) if a.data in _ARMS), span
            )
        if kind == "cases":
            return m.Cases(tuple(self.arm(a) for a in _trees(node)), span)
        if kind == "assessed":
            guidance = next(
                (
                    self.label(t)
                    for t in node.children
                    if isinstance(t, Token) and t.type == "STRING"
                ),
                None,
            )
            return m.Assessed(guidance, span)
        if kind == "target":
            mode_tree = next(c for c in _trees(node) if c.data in ("linear", "stepped"))
            mode: m.Linear | m.Stepped = m.Linear()
            if mode_tree.data == "stepped":
                step_exprs = [self.expr(c) for c in _trees(mode_tree)]
                started = any(
                    isinstance(t, Token) and t.type == "STARTED" for t in mode_tree.children
                )
                mode = m.Stepped(step_exprs[0], step_exprs[1], started)
            zero = next(
                (
                    self.expr(cast(Tree[Token], c.children[-1]))
                    for c in _trees(node)
                    if c.data == "zero_target"
                ),
                None,
            )
            return m.Target(exprs[0], exprs[1], mode, zero, span)
        raise AssertionError(kind)  # pragma: no cover

    def arm(self, node: Tree[Token]) -> m.Arm:
        kind = str(node.data)
        span = self.span(node)
        points = self.expr(cast(Tree[Token], node.children[-1]))
        if kind == "threshold_arm":
            op = _COMPARE_SPELLINGS.get(str(node.children[0]), str(node.children[0]))
            return m.ThresholdArm(
                cast(Any, op), self.expr(cast(Tree[Token], node.children[1])), points, span
            )
        if kind == "choice_arm":
            tokens = node.children[:-1]
            return m.ChoiceArm(
                tuple(str(t) for t in tokens),
                points,
                span,
                value_spans=tuple(self.span(t) for t in tokens),
            )
        if kind == "case_arm":
            return m.CaseArm(self.expr(cast(Tree[Token], node.children[0])), points, span)
        return m.OtherwiseArm(points, span)

    # ------------------------------------------------------------ expressions

    def expr(self, node: Tree[Token] | Token, depth: int = 0) -> m.Expr:
        if isinstance(node, Token):  # pragma: no cover - every atom is a tree
            raise AssertionError(node)
        kind = str(node.data)
        span = self.expr_span(node)
        children = node.children
        if depth > MAX_DEPTH:
            # Deeper than any score table needs; refused so that compiling
            # stays within Python's limits (recursion, nested parentheses).
            if not self._too_deep:
                self._too_deep = True
                self.error(
                    "expression-too-deep", span, hint="hint-split-expression", limit=MAX_DEPTH
                )
            return m.Number(Decimal(0), "plain", span)
        sub = depth + 1
        if kind == "number":
            return self.number(node)
        if kind == "name":
            return m.Name(str(children[0]), span)
        if kind == "date_literal":
            value = self.date(cast(Token, children[0]))
            return m.DateLiteral(value or datetime.date(1, 1, 1), span)
        if kind == "deadline_ref":
            return m.DeadlineRef(span)
        if kind == "dossier_complete":
            return m.DossierComplete(span)
        if kind == "points_of":
            return m.PointsOf(str(children[2]), span)
        if kind == "paren":
            return attrs.evolve(self.expr(cast(Tree[Token], children[0]), sub), span=span)
        if kind == "negate":
            operand = self.expr(cast(Tree[Token], children[1]), sub)
            if str(children[0]) == "+":
                return operand
            return m.Negate(operand, span)
        if kind == "arith":
            op = _ARITH_SPELLINGS.get(str(children[1]), str(children[1]))
            return m.Arithmetic(
                cast(Any, op),
                self.expr(cast(Tree[Token], children[0]), sub),
                self.expr(cast(Tree[Token], children[2]), sub),
                span,
            )
        if kind == "compare":
            op = _COMPARE_SPELLINGS.get(str(children[1]), str(children[1]))
            return m.Comparison(
                cast(Any, op),
                self.expr(cast(Tree[Token], children[0]), sub),
                self.expr(cast(Tree[Token], children[2]), sub),
                span,
            )
        if kind in ("and_", "or_"):
            op = kind[:-1]
            operands: list[m.Expr] = []
            for child in (children[0], children[2]):
                built = self.expr(cast(Tree[Token], child), sub)
                if isinstance(built, m.Logical) and built.op == op:
                    operands.extend(built.operands)
                else:
                    operands.append(built)
            return m.Logical(cast(Any, op), tuple(operands), span)
        if kind == "not_":
            return m.Not(self.expr(cast(Tree[Token], children[1]), sub), span)
        if kind == "call":
            function = _english(cast(Token, cast(Tree[Token], children[0]).children[0]))
            args = tuple(self.expr(cast(Tree[Token], c), sub) for c in children[1:])
            return m.Call(cast(Any, function), args, span)
        raise AssertionError(kind)  # pragma: no cover

    # ------------------------------------------------------------ awards

    def awards(self, node: Tree[Token]) -> m.Awards:
        places: list[m.Place] = []
        minimum: Decimal | None = None
        minimum_span: Span | None = None
        eligibility: list[m.Eligibility] = []
        tie_breaks: tuple[m.TieBreak, ...] = ()
        still_tied: Any = None
        seen: dict[str, Span] = {}
        for item in _trees(node):
            kind = str(item.data)
            span = self.span(item)
            if kind not in ("place", "eligible"):
                if kind in seen:
                    self.error(
                        "duplicate-header-item",
                        span,
                        hint="hint-remove-duplicate",
                        item=str(item.children[0]),
                        line=seen[kind].line,
                    )
                    continue
                seen[kind] = span
            if kind == "place":
                prize = self.number(cast(Tree[Token], item.children[3]))
                if prize.unit == "percent":
                    self.error("prize-unit", prize.span, hint="hint-money")
                places.append(
                    m.Place(
                        int(str(item.children[1]).replace("_", "")),
                        self.label(cast(Token, item.children[2])),
                        prize.value,
                        span,
                    )
                )
            elif kind == "minimum":
                minimum = self.points_literal(cast(Tree[Token], item.children[1]))
                minimum_span = span
            elif kind == "ties":
                tie_breaks = tuple(self.tie_break(t) for t in _trees(item))
            elif kind == "still_tied":
                still_tied = _english(cast(Token, cast(Tree[Token], item.children[2]).children[0]))
            elif kind == "eligible":
                eligibility.append(
                    m.Eligibility(
                        self.expr(cast(Tree[Token], item.children[2])),
                        self.label(cast(Token, item.children[3])),
                        span,
                    )
                )
        return m.Awards(
            tuple(places),
            minimum,
            tie_breaks,
            still_tied,
            self.span(node.children[0]),
            minimum_span=minimum_span,
            eligibility=tuple(eligibility),
        )

    def tie_break(self, node: Tree[Token]) -> m.TieBreak:
        children = node.children
        direction = cast(Any, _english(cast(Token, children[0])))
        span = self.span(node)
        if node.data == "tie_part":
            return m.TieBreak(direction, "part", str(children[2]), span)
        if node.data == "tie_criterion":
            return m.TieBreak(direction, "criterion", str(children[2]), span)
        if node.data == "tie_section":
            return m.TieBreak(direction, cast(Any, _english(cast(Token, children[1]))), None, span)
        return m.TieBreak(direction, "field", str(children[1]), span)


_FIELD_TYPES: dict[str, m.FieldType] = {
    "yesno_type": "yes/no",
    "count_type": "count",
    "number_type": "number",
    "percent_type": "percent",
    "money_type": "money",
    "date_type": "date",
    "choice_type": "choice",
    "choice_block_type": "choice",
}
_NON_EXPR = frozenset(
    {
        "cap",
        "linear",
        "stepped",
        "zero_target",
        "threshold_arm",
        "choice_arm",
        "case_arm",
        "otherwise_arm",
    }
)
_ARMS = frozenset({"threshold_arm", "choice_arm", "otherwise_arm"})


def _english(token: Token) -> str:
    """A keyword's meaning, as its English spelling, however it was written:
    the model holds ``higher`` and ``half-up`` for ``cao_hơn`` and ``nửa_lên``."""
    return keyword_spelling(token.type, "en")


def _word(node: Tree[Token]) -> str:
    """The keyword that starts ``node``, as the rubric spells it."""
    return str(_first_token(node))


def _trees(node: Tree[Token]) -> Iterator[Tree[Token]]:
    return (c for c in node.children if isinstance(c, Tree))


def _first_token(node: Tree[Token] | Token) -> Token:
    while isinstance(node, Tree):
        node = node.children[0]
    return node


def _last_token(node: Tree[Token] | Token) -> Token:
    while isinstance(node, Tree):
        node = node.children[-1]
    return node
