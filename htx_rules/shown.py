"""Values shown for people: the old and new value of a change or a mutant.

A :class:`Shown` pairs a value of the rule model with how to show it
(``points``, ``expr``, ``date`` …); it is written in the reader's language and
number format (:func:`show_value`: ``0,5``, ``20/12/2021``, ``«nhãn»``) or as
rubric text, the same in every language (:func:`value_text`).  Used by the
comparison of rubrics (:mod:`htx_rules.diff`) and by the mutants of rubric
tests (:mod:`htx_rules.mutation`), which need it without the comparison.

Pure functions.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs

from htx_rules import model as m
from htx_rules.decimals import Lang, canonical, format_money, format_number
from htx_rules.messages import TypeWord, render_message
from htx_rules.printer import (
    arm_text,
    compare_text,
    expr_text,
    mode_text,
    scoring_text,
    tie_break_text,
)


@attrs.frozen
class Shown:
    """An old or new value of a change, shown for people in either language.

    Attributes:
        kind: How to show it: ``points``, ``label``, ``expr``, ``scoring``,
            ``date``, ``period``, ``ids``, ``type``, ``bounds``, ``choices``,
            ``ties``, ``policy``, ``money``, ``container``, ``plain``.
        value: The model's value (None: nothing).
    """

    kind: str
    value: Any

    def localize(self, lang: str) -> str:
        """The value in ``lang``'s words and number format."""
        return show_value(self.kind, self.value, "en" if lang == "en" else "vi")

    def rubric_text(self) -> str | None:
        """The value as rubric text (language-neutral; None for nothing)."""
        return value_text(self.kind, self.value)


def _date(value: datetime.date, lang: Lang) -> str:
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def _literal(expr: m.Expr, lang: Lang) -> str:
    """A bare number in the reader's format; any other expression as rubric text."""
    if isinstance(expr, m.Number):
        if expr.unit == "percent":
            return format_number(expr.value.scaleb(2), lang) + "%"
        if expr.unit == "money":
            return format_money(expr.value, lang)
        return format_number(expr.value, lang)
    if isinstance(expr, m.DateLiteral):
        return _date(expr.value, lang)
    return expr_text(expr)


def show_value(kind: str, value: Any, lang: Lang) -> str:
    """A value of a change for people (``0,5``, ``20/12/2021``, ``«label»``)."""
    if kind == "how":
        return "" if value is None else ": " + scoring_text(value)
    if kind == "noun":
        return render_message(f"diff-noun-{value}", {}, lang)
    if kind == "scoring" and value is None:
        return render_message("diff-sub-criteria", {}, lang)
    if kind == "band" and value is None:
        return render_message("diff-band-otherwise", {}, lang)
    if value is None or value == ():
        return render_message("diff-nothing", {}, lang)
    if isinstance(value, Bound):
        return value.localize(lang)
    if kind == "band":
        return value if isinstance(value, str) else expr_text(value)
    if kind == "points":
        return format_number(value, lang)
    if kind == "money":
        return format_money(value, lang)
    if kind == "label":
        return f"«{value}»"
    if kind == "expr":
        return _literal(value, lang)
    if kind == "scoring":
        return scoring_text(value)
    if kind == "date":
        return _date(value, lang)
    if kind == "period":
        start, end, estimated = value
        shown = f"{_date(start, lang) if start else '…'} – {_date(end, lang) if end else '…'}"
        if estimated is not None:
            shown += render_message("diff-estimated", {"date": _date(estimated, lang)}, lang)
        return shown
    if kind == "ids":
        return ", ".join(value)
    if kind == "type":
        return TypeWord(value).localize(lang)
    if kind == "bounds":
        low, high = value
        if low is None and high is None:
            return render_message("diff-nothing", {}, lang)
        words = []
        if low is not None:
            words.append(render_message("diff-from", {"value": format_number(low, lang)}, lang))
        if high is not None:
            words.append(render_message("diff-to", {"value": format_number(high, lang)}, lang))
        return " ".join(words)
    if kind == "choices":
        return ", ".join(f"{c.value} «{c.label}»" if c.label != c.value else c.value for c in value)
    if kind == "ties":
        from htx_rules.report import tie_key_words  # noqa: PLC0415 - only a diff shows ties

        return "; ".join(tie_key_words(key, lang) for key in value)
    if kind == "policy":
        return render_message(f"diff-policy-{value}", {}, lang)
    if kind == "container":
        from htx_rules.diffplan import container_words  # noqa: PLC0415 - only a diff has these

        return container_words(value, lang)
    if kind == "rounding":
        return render_message(
            "diff-rounding-value", {"places": value.places, "mode": value.mode}, lang
        )
    if kind == "arms":
        return "; ".join(arm_text(arm) for arm in value)
    if kind == "mode":
        return mode_text(value)
    if isinstance(value, Decimal):
        return format_number(value, lang)
    if isinstance(value, datetime.date):
        return _date(value, lang)
    return str(value)


def value_text(kind: str, value: Any) -> str | None:
    """A value of a change as rubric text, the same in every language."""
    if value is None:
        return None
    if isinstance(value, Bound):
        return str(value)
    if kind in ("band", "how"):
        return value if isinstance(value, str) else expr_text(value)
    if kind in ("points", "money"):
        return canonical(value)
    if kind == "expr":
        return expr_text(value)
    if kind == "scoring":
        return scoring_text(value)
    if kind == "date":
        return str(value.isoformat())
    if kind == "period":
        start, end, estimated = value
        shown = f"{start.isoformat() if start else ''} to {end.isoformat() if end else ''}"
        return shown + (f", estimated to {estimated.isoformat()}" if estimated else "")
    if kind == "ids":
        return ", ".join(value)
    if kind == "bounds":
        low, high = value
        words = ([f"from {canonical(low)}"] if low is not None else []) + (
            [f"to {canonical(high)}"] if high is not None else []
        )
        return " ".join(words)
    if kind == "choices":
        return ", ".join(f'{c.value} "{c.label}"' for c in value)
    if kind == "ties":
        return ", ".join(tie_break_text(key) for key in value)
    if kind == "container":
        where, ref = value
        return f"{where} {ref}" if ref else where
    if kind == "rounding":
        return f"{value.places} decimals {value.mode}"
    if kind == "arms":
        return "; ".join(arm_text(arm) for arm in value)
    if kind == "mode":
        return mode_text(value)
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@attrs.frozen
class Bound:
    """A threshold's comparison and bound, shown together: ``≥ 80%``."""

    op: m.CompareOp
    bound: m.Expr

    def localize(self, lang: str) -> str:
        return f"{compare_text(self.op)} {_literal(self.bound, 'en' if lang == 'en' else 'vi')}"

    def __str__(self) -> str:
        return f"{compare_text(self.op)} {expr_text(self.bound)}"
