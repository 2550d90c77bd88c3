"""Stage 5: results and traces turned into text, Markdown and JSON.

Pure functions: they read a :class:`~htx_rules.result.Result` and return a
string or plain data, and never score, print or write files.  Every text a
person reads comes from :mod:`htx_rules.messages`, in Vietnamese or English.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from htx_rules import model as m
from htx_rules._version import __version__
from htx_rules.checker import all_items, kind_of, scoring_exprs, walk
from htx_rules.decimals import SCORING_CONTEXT, Lang, canonical, format_money, format_number
from htx_rules.messages import render_message

if TYPE_CHECKING:
    from htx_rules.ledger import LedgerLine
    from htx_rules.result import Adjustment, Decision, Result, TraceNode, Value
    from htx_rules.source import Span


def tabulate(rows: Iterable[Sequence[str]], **options: Any) -> str:
    """:func:`tabulate.tabulate`, imported when a table is first drawn: scoring
    (which imports this module through the result) does not pay for it."""
    from tabulate import tabulate as draw  # noqa: PLC0415

    return draw(rows, **options)


RESULT_FORMAT: Final = "htx-rules.result"
RESULT_FORMAT_VERSION: Final = 2
ENGINE: Final = "htx-rules"

_OPS: Final = {">=": "≥", "<=": "≤", "!=": "≠", ">": ">", "<": "<", "=": "="}
_DISPLAY_DECIMALS: Final = 4


class _Index:
    """Look-ups into the rubric a result was scored with."""

    def __init__(self, model: m.RubricModel) -> None:
        self.model = model
        self.fields = {f.name: f for f in model.fields}
        self.items = {i.id: i for i in all_items(model)}
        self.uses_deadline = {
            i.id
            for i in self.items.values()
            if i.scoring is not None
            and any(
                isinstance(e, m.DeadlineRef)
                for expr in scoring_exprs(i.scoring)
                for e in walk(expr)
            )
        }


def text(code: str, lang: Lang, /, **args: object) -> str:
    """A catalog message in ``lang``."""
    return render_message(code, args, lang)


# ---------------------------------------------------------------- values


def _approx(value: Decimal, places: int) -> str:
    """``value`` with at most ``places`` decimals; ``≈`` marks a rounded display."""
    text = canonical(value)
    if len(text.partition(".")[2]) <= places:
        return text
    rounded = value.quantize(
        Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP, context=SCORING_CONTEXT
    )
    return "≈" + canonical(rounded)


def show_number(value: Decimal, lang: Lang) -> str:
    """A computed number for people: ``0,6667`` shown as ``≈0,6667``."""
    shown = _approx(value, _DISPLAY_DECIMALS)
    prefix = "≈" if shown.startswith("≈") else ""
    return prefix + format_number(Decimal(shown.lstrip("≈")), lang)


def show_rate(rate: Decimal, lang: Lang) -> str:
    """A rate (0.6543) as a percentage for people (``65,43%``)."""
    shown = _approx(rate.scaleb(2, SCORING_CONTEXT), 2)
    prefix = "≈" if shown.startswith("≈") else ""
    return prefix + format_number(Decimal(shown.lstrip("≈")), lang) + "%"


def show_evidence(value: Value | None, field: m.Field | None, lang: Lang) -> str:
    """An evidence value as given, for people: ``có``, ``65%``, ``20/12/2021``."""
    if value is None:
        return text("value-missing", lang)
    if isinstance(value, bool):
        return text("value-yes" if value else "value-no", lang)
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    if isinstance(value, str):
        if field is not None:
            for choice in field.choices:
                if choice.value == value and choice.label != value:
                    return f"{choice.label} ({value})"
        return value
    if field is not None and field.type == "percent":
        return format_number(value, lang) + "%"
    if field is not None and field.type == "money":
        return format_money(value, lang)
    if field is not None and field.unit:
        return f"{format_number(value, lang)} {field.unit}"
    return format_number(value, lang)


def _points(value: Decimal, lang: Lang) -> str:
    return format_number(value, lang)


# ---------------------------------------------------------------- one-line reasons


def _reads(node: TraceNode, index: _Index, lang: Lang) -> str:
    shown = [
        f"{name} = {show_evidence(value, index.fields.get(name), lang)}"
        for name, value in node.reads
    ]
    deadline = index.model.header.deadline
    if deadline is not None and node.id in index.uses_deadline:
        shown.append(f"deadline = {show_evidence(deadline, None, lang)}")
    return f" [{'; '.join(shown)}]" if shown else ""


def _subject_expr(node: TraceNode, index: _Index) -> m.Expr | None:
    item = index.items.get(node.id)
    if item is not None and isinstance(item.scoring, m.Banded):
        return item.scoring.subject
    return None


def _subject_words(node: TraceNode, index: _Index) -> str:
    expr = _subject_expr(node, index)
    if isinstance(expr, m.FieldRef):
        return index.fields[expr.name].label
    item = index.items.get(node.id)
    if item is not None and isinstance(item.scoring, m.Banded):
        # The block's first line is the keyword and the subject: "by a / b".
        first = node.source.splitlines()[0].split(None, 1)
        return first[1].strip() if len(first) == 2 else ""
    return ""


def _show_subject(
    value: Value | None, node: TraceNode, index: _Index, lang: Lang, as_rate: bool
) -> str:
    expr = _subject_expr(node, index)
    if isinstance(expr, m.FieldRef):
        return show_evidence(_field_value(node, expr.name), index.fields[expr.name], lang)
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, Decimal):
        kind = kind_of(expr, index.fields) if expr is not None else None
        if as_rate or (kind is not None and kind.unit == "percent"):
            return show_rate(value, lang)
        if kind is not None and kind.unit == "money":
            return format_money(value, lang)
        return show_number(value, lang)
    return show_evidence(value, None, lang)


def _field_value(node: TraceNode, name: str) -> Value | None:
    for field, value in node.reads:
        if field == name:
            return value
    return None


def _show_bound(value: Value | None, as_rate: bool, money: bool, lang: Lang) -> str:
    """A threshold's bound, in the unit of what it is compared with."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if as_rate:
            return show_rate(value, lang)
        return format_money(value, lang) if money else show_number(value, lang)
    return show_evidence(value, None, lang)


def _subject_is_money(node: TraceNode, index: _Index) -> bool:
    expr = _subject_expr(node, index)
    kind = kind_of(expr, index.fields) if expr is not None else None
    return kind is not None and kind.unit == "money"


def _bound_is_rate(node: TraceNode, index: _Index, arm: int | None) -> bool:
    item = index.items.get(node.id)
    if item is None or not isinstance(item.scoring, m.Banded):
        return False
    chosen = (
        item.scoring.arms[arm - 1] if arm is not None and arm <= len(item.scoring.arms) else None
    )
    if isinstance(chosen, m.ThresholdArm):
        bound = chosen.bound
        if isinstance(bound, m.Number):
            return bound.unit == "percent"
        kind = kind_of(bound, index.fields)
        return kind is not None and kind.unit == "percent"
    return any(
        isinstance(a, m.ThresholdArm)
        and isinstance(a.bound, m.Number)
        and a.bound.unit == "percent"
        for a in item.scoring.arms
    )


def _decision_words(node: TraceNode, decision: Decision, index: _Index, lang: Lang) -> str:
    kind = decision.kind
    if kind == "condition":
        return text(
            "why-condition-true" if decision.subject else "why-condition-false",
            lang,
            text=decision.text,
        )
    if kind in ("threshold", "no_match") and _subject_expr(node, index) is not None:
        as_rate = _bound_is_rate(node, index, decision.arm)
        subject = _subject_words(node, index)
        value = _show_subject(decision.subject, node, index, lang, as_rate)
        if kind == "no_match":
            return text("why-no-match", lang, subject=subject, value=value)
        op = decision.text.split()[0] if decision.text else ""
        return text(
            "why-threshold",
            lang,
            subject=subject,
            value=value,
            op=_OPS.get(op, op),
            bound=_show_bound(
                decision.detail("bound"), as_rate, _subject_is_money(node, index), lang
            ),
        )
    if kind == "no_match":
        return text("why-case-none", lang)
    if kind == "choice" or (kind == "otherwise" and isinstance(decision.subject, str)):
        expr = _subject_expr(node, index)
        field = index.fields.get(expr.name) if isinstance(expr, m.FieldRef) else None
        value = show_evidence(decision.subject, field, lang)
        subject = field.label if field is not None else _subject_words(node, index)
        code = "why-choice" if kind == "choice" else "why-choice-otherwise"
        return text(code, lang, subject=subject, value=value)
    if kind == "otherwise" and _subject_expr(node, index) is not None:
        as_rate = _bound_is_rate(node, index, None)
        return text(
            "why-otherwise-band",
            lang,
            subject=_subject_words(node, index),
            value=_show_subject(decision.subject, node, index, lang, as_rate),
        )
    if kind == "otherwise":
        return text("why-case-otherwise", lang)
    if kind == "case":
        return text("why-case", lang, arm=decision.arm, text=decision.text)
    if kind == "per_unit":
        units = decision.detail("units")
        rate = decision.detail("rate")
        base = decision.detail("base")
        taken = decision.detail("taken")
        args = {"units": _num(units, lang), "rate": _num(rate, lang), "amount": _num(taken, lang)}
        if base is None:
            return text("why-per-unit", lang, **args)
        uncapped = decision.detail("uncapped")
        if uncapped is not None:
            return text(
                "why-minus-per-unit-capped",
                lang,
                base=_num(base, lang),
                uncapped=_num(uncapped, lang),
                **args,
            )
        return text("why-minus-per-unit", lang, base=_num(base, lang), **args)
    if kind == "target":
        target = decision.detail("target")
        if isinstance(target, Decimal | int) and not isinstance(target, bool) and target == 0:
            return text("why-target-zero", lang)
        ratio = decision.detail("ratio")
        words = text(
            "why-target",
            lang,
            actual=_num(decision.detail("actual"), lang),
            target=_num(target, lang),
            ratio=show_rate(ratio, lang) if isinstance(ratio, Decimal) else "",
        )
        steps = decision.detail("steps")
        if isinstance(steps, Decimal | int) and not isinstance(steps, bool) and steps:
            words += text("why-target-steps", lang, steps=_num(steps, lang))
        return words
    if kind == "formula":
        return text("why-formula", lang, text=decision.text)
    if kind == "sum":
        return text("why-sum", lang)
    if kind == "requires_unmet":
        unmet = tuple(
            name
            for name, points in decision.details
            if isinstance(points, Decimal | int) and points <= 0
        )
        return text("why-requires", lang, items=unmet)
    if kind == "assessed":
        return text(
            "why-assessed",
            lang,
            points=_num(decision.subject, lang),
            reviewer=decision.detail("reviewer"),
            justification=decision.detail("justification"),
        )
    if kind == "not_assessed":
        return text("why-not-assessed", lang)
    if kind == "missing":
        name = str(decision.subject)
        field = index.fields.get(name)
        return text("why-missing", lang, field=name, label=field.label if field else name)
    assert kind == "undefined"
    return text(f"why-undefined-{decision.subject}", lang, text=decision.text or node.source)


def _num(value: Value | None, lang: Lang) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return show_number(Decimal(value), lang)
    return show_evidence(value, None, lang)


def _adjustment_words(adjustment: Adjustment, lang: Lang) -> str:
    return text(
        f"adjust-{adjustment.kind}",
        lang,
        before=show_number(adjustment.before, lang),
        after=show_number(adjustment.after, lang),
        limit=show_number(adjustment.limit, lang) if adjustment.limit is not None else "",
    )


def describe(
    node: TraceNode,
    index: _Index,
    lang: Lang,
    *,
    with_reads: bool = True,
    with_adjustments: bool = True,
) -> str:
    """Why ``node`` scored what it did, in one line."""
    if node.decision is None:
        return ""
    words = _decision_words(node, node.decision, index, lang)
    if with_reads and node.decision.kind not in ("sum", "requires_unmet", "missing"):
        words += _reads(node, index, lang)
    if with_adjustments:
        for adjustment in node.adjustments:
            words += "; " + _adjustment_words(adjustment, lang)
    if node.kind in ("criterion", "rule") and node.decision.kind != "sum":
        line = (node.decision.span or node.span).line
        words += f" ({text('why-line', lang, line=line)})"
    item = index.items.get(node.id) if node.kind in ("criterion", "rule") else None
    if item is not None and item.note:
        words += " — " + text("why-note", lang, note=item.note)
    return words


def explain_node(result: Result, node_id: str, lang: Lang = "vi") -> str:
    """Why the criterion, rule or part ``node_id`` scored what it did, in one line."""
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    node = result.trace.find(node_id)
    if node is None:
        raise KeyError(node_id)
    return f"{_points(node.points, lang)} / {_points(node.maximum, lang)}: " + describe(
        node, _Index(result.model), lang
    )


def explain_lines(result: Result, node_id: str, lang: Lang = "vi") -> list[str]:
    """Why the criterion, rule, part or section ``node_id`` scored what it did:
    its line (as :func:`explain_node`), then one line per item below it, indented.

    ``node_id`` may also be ``bonus`` or ``deduction`` (the sections).
    """
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    trace = result.trace
    if node_id in ("bonus", "deduction"):
        node = next((n for n in trace.children if n.kind == node_id), None)
    else:
        node = trace.find(node_id)
    if node is None:
        raise KeyError(node_id)
    index = _Index(result.model)

    def line(node: TraceNode) -> str:
        score = f"{_points(node.points, lang)} / {_points(node.maximum, lang)}"
        return f"{score}: " + describe(node, index, lang)

    return [line(node), *(f"  {c.id} {line(c)}" for c in node.children)]


# ---------------------------------------------------------------- JSON


def json_value(value: Value | None) -> Any:
    """An evidence value as JSON: numbers as exact decimal strings, dates as ISO text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return canonical(value)
    return value.isoformat()


def _decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _note(node: TraceNode, index: _Index) -> str | None:
    if node.kind not in ("criterion", "rule"):
        return None
    item = index.items.get(node.id)
    return item.note if item is not None else None


def node_to_dict(node: TraceNode, index: _Index) -> dict[str, Any]:
    """One trace node (and everything below it) as JSON-ready data."""
    decision = node.decision
    return {
        "kind": node.kind,
        "id": node.id,
        "label": node.label,
        "note": _note(node, index),
        "points": canonical(node.points),
        "max": canonical(node.maximum),
        "status": node.status,
        "raw": _decimal_or_none(node.raw),
        "source": {**_span_to_dict(node.span), "text": node.source},
        "decision": None
        if decision is None
        else {
            "kind": decision.kind,
            "arm": decision.arm,
            "subject": json_value(decision.subject),
            "details": {k: json_value(v) for k, v in decision.details},
            "text": decision.text,
            "line": decision.span.line if decision.span else None,
        },
        "reads": [
            {
                "field": name,
                "label": index.fields[name].label,
                "value": json_value(value),
                "missing": value is None,
            }
            for name, value in node.reads
        ],
        "adjustments": [
            {
                "kind": a.kind,
                "before": canonical(a.before),
                "after": canonical(a.after),
                "limit": _decimal_or_none(a.limit),
            }
            for a in node.adjustments
        ],
        "children": [node_to_dict(child, index) for child in node.children],
    }


def document_head(fmt: str, version: int, lang: Lang) -> dict[str, Any]:
    """The keys every JSON document starts with: what it is, who wrote it, its language."""
    return {
        "format": fmt,
        "format_version": version,
        "engine": {"name": ENGINE, "version": __version__},
        "language": lang,
    }


def rubric_to_dict(header: m.Header, source: str, sha256: str) -> dict[str, Any]:
    """Which rubric a document comes from: id, title, year, label language, file, hash."""
    return {
        "id": header.id,
        "title": header.title,
        "year": header.year,
        "language": header.language,
        "source": source,
        "sha256": sha256,
    }


def _span_to_dict(span: Span) -> dict[str, Any]:
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def _ledger_text(line: LedgerLine, node: TraceNode, index: _Index, lang: Lang) -> str:
    if line.kind in ("round", "cap", "max", "min"):
        adjustment = next(
            a for a in node.adjustments if a.kind == line.kind and a.before == line.points_before
        )
        return _adjustment_words(adjustment, lang)
    return describe(node, index, lang, with_adjustments=False)


def ledger_to_list(result: Result, lang: Lang = "vi") -> list[dict[str, Any]] | None:
    """The points ledger as JSON-ready data, each line with a sentence in ``lang``."""
    if result.trace is None or result.ledger is None:
        return None
    index = _Index(result.model)
    nodes = {node.id: node for node in result.trace.walk()}
    return [
        {
            "line": line.number,
            "kind": line.kind,
            "id": line.id,
            "section": line.section,
            "status": line.status,
            "source": _span_to_dict(line.span),
            "reads": [{"field": name, "value": json_value(value)} for name, value in line.reads],
            "points_before": canonical(line.points_before),
            "points_after": canonical(line.points_after),
            "limit": _decimal_or_none(line.limit),
            "change": canonical(line.change),
            "total_before": canonical(line.total_before),
            "total_after": canonical(line.total_after),
            "text": _ledger_text(line, nodes[line.id], index, lang),
        }
        for line in result.ledger
    ]


def result_to_dict(result: Result, lang: Lang = "vi") -> dict[str, Any]:
    """A result as JSON-ready data: stable keys, decimals as strings (``docs/trace.md``).

    The same result and ``lang`` always give the same data, in the same key
    order; ``lang`` is the language of the ledger's sentences.
    """
    index = _Index(result.model)
    return {
        **document_head(RESULT_FORMAT, RESULT_FORMAT_VERSION, lang),
        "rubric": rubric_to_dict(result.model.header, result.source_name, result.rubric_sha256),
        "evidence_sha256": result.evidence_sha256,
        "contestant": None
        if result.contestant is None
        else {"code": result.contestant.code, "name": result.contestant.name},
        "total": canonical(result.total),
        "standard": canonical(result.standard),
        "bonus": canonical(result.bonus),
        "deduction": canonical(result.deduction),
        "parts": {k: canonical(v) for k, v in result.parts.items()},
        "items": {i.id: canonical(result.items[i.id]) for i in all_items(result.model)},
        "missing": list(result.missing),
        "unassessed": list(result.unassessed),
        "assessments": {
            item_id: {
                "points": canonical(a.points),
                "reviewer": a.reviewer,
                "justification": a.justification,
            }
            for item_id, a in result.assessments.items()
        },
        "evidence": {
            f.name: json_value(result.evidence[f.name])
            for f in result.model.fields
            if f.name in result.evidence
        },
        "ledger": ledger_to_list(result, lang),
        "trace": None if result.trace is None else node_to_dict(result.trace, index),
    }


def result_to_json(result: Result, lang: Lang = "vi") -> str:
    """A result as JSON text (UTF-8 friendly, two-space indent)."""
    return json.dumps(result_to_dict(result, lang), ensure_ascii=False, indent=2) + "\n"


def results_to_json(results: Sequence[Result], lang: Lang = "vi") -> str:
    """Several results as one JSON document: ``{"format": ..., "results": [...]}``."""
    return (
        json.dumps(
            {
                **document_head(RESULT_FORMAT + "-list", RESULT_FORMAT_VERSION, lang),
                "results": [result_to_dict(r, lang) for r in results],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


# ---------------------------------------------------------------- tables


def _title_lines(result: Result, lang: Lang) -> list[str]:
    header = result.model.header
    lines = [header.title]
    if result.contestant is not None:
        lines.append(
            text(
                "report-contestant", lang, code=result.contestant.code, name=result.contestant.name
            )
        )
    lines.append(
        text("report-rubric", lang, id=header.id, year=header.year, source=result.source_name)
    )
    return lines


def _rows(result: Result, lang: Lang, *, markdown: bool) -> list[list[str]]:
    assert result.trace is not None
    index = _Index(result.model)
    rows: list[list[str]] = []
    indent = "&nbsp;&nbsp;" if markdown else "  "

    def add(node: TraceNode, depth: int) -> None:
        if node.kind in ("bonus", "deduction"):
            label, node_id = node.label, ""
        else:
            label, node_id = node.label, indent * depth + node.id
        why = "" if node.kind == "part" else describe(node, index, lang)
        if node.kind in ("bonus", "deduction") and not node.adjustments:
            why = ""
        elif node.kind in ("bonus", "deduction"):
            why = "; ".join(_adjustment_words(a, lang) for a in node.adjustments)
        rows.append([node_id, label, _points(node.points, lang), _points(node.maximum, lang), why])
        for child in node.children:
            add(child, depth + 1)

    for child in result.trace.children:
        add(child, 0)
    if markdown:
        rows = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    return rows


def _headers(lang: Lang) -> list[str]:
    return [text(f"column-{name}", lang) for name in ("id", "label", "points", "max", "why")]


def score_lines(result: Result, lang: Lang) -> list[str]:
    """The standard points, bonus, deduction and total, one line each."""
    header = result.model.header
    lines = [
        text(
            "report-standard",
            lang,
            points=_points(result.standard, lang),
            total=_points(header.total, lang),
        )
    ]
    if result.model.bonus is not None:
        lines.append(
            text(
                "report-bonus",
                lang,
                points=_points(result.bonus, lang),
                max=_points(result.model.bonus.maximum, lang),
            )
        )
    if result.model.deduction is not None:
        lines.append(
            text(
                "report-deduction",
                lang,
                points=_points(result.deduction, lang),
                max=_points(result.model.deduction.maximum, lang),
            )
        )
    lines.append(text("report-total", lang, points=_points(result.total, lang)))
    return lines


def _totals(result: Result, lang: Lang) -> list[str]:
    lines = score_lines(result, lang)
    if result.missing:
        fields = {f.name: f for f in result.model.fields}
        names = tuple(f"{name} ({fields[name].label})" for name in result.missing)
        lines.append(text("report-missing", lang, fields=names))
    if result.unassessed:
        lines.append(text("report-unassessed", lang, items=result.unassessed))
    return lines


def text_report(result: Result, lang: Lang = "vi") -> str:
    """A result as a text table: one row per part, criterion and rule, with why."""
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    table = tabulate(
        _rows(result, lang, markdown=False),
        headers=_headers(lang),
        tablefmt="simple",
        disable_numparse=True,
        colalign=("left", "left", "right", "right", "left"),
        maxcolwidths=[None, 42, None, None, 64],
        preserve_whitespace=True,  # the indentation of sub-criteria ids
    )
    return "\n".join([*_title_lines(result, lang), "", table, "", *_totals(result, lang)]) + "\n"


def markdown_report(result: Result, lang: Lang = "vi") -> str:
    """A result as a Markdown section with a pipe table."""
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    title, *rest = _title_lines(result, lang)
    table = tabulate(
        _rows(result, lang, markdown=True),
        headers=_headers(lang),
        tablefmt="pipe",
        disable_numparse=True,
        colalign=("left", "left", "right", "right", "left"),
    )
    totals = [f"- {line}" for line in _totals(result, lang)]
    heading = (
        title
        if result.contestant is None
        else (f"{result.contestant.code} {result.contestant.name}")
    )
    return (
        "\n".join([f"## {heading}", "", *[f"{r}  " for r in rest], "", table, "", *totals]) + "\n"
    )


def explain(
    result: Result,
    lang: Lang = "vi",
    *,
    only: str | None = None,
    notes: Callable[[TraceNode], Sequence[str]] | None = None,
) -> str:
    """Why every part, criterion, bonus and deduction rule scored what it did.

    With ``only`` (a part, criterion or rule id), just that node and the nodes
    under it (``KeyError`` for an unknown id).  ``notes`` gives lines to print
    under a node, one level deeper (what would change it, for instance).
    """
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    index = _Index(result.model)
    lines = [
        text(
            "explain-head",
            lang,
            title=result.model.header.title,
            who=_who(result),
            points=_points(result.total, lang),
        )
    ]

    def add(node: TraceNode, depth: int) -> None:
        pad = "  " * depth
        score = f"{_points(node.points, lang)} / {_points(node.maximum, lang)}"
        if node.kind == "part":
            title = text("explain-part", lang, id=node.id, label=node.label)
            lines.append(f"{pad}{title}: {score}")
        elif node.kind in ("bonus", "deduction"):
            extra = "".join("; " + _adjustment_words(a, lang) for a in node.adjustments)
            lines.append(f"{pad}{node.label}: {score}{extra}")
        else:
            lines.append(f"{pad}{node.id} {score}: {describe(node, index, lang)}")
        if notes is not None:
            lines.extend(f"{pad}  {note}" for note in notes(node))
        for child in node.children:
            add(child, depth + 1)

    assert result.trace is not None
    roots = result.trace.children
    if only is not None:
        found = result.trace.find(only)
        if found is None or found.kind == "rubric":
            raise KeyError(only)
        roots = (found,)
    for child in roots:
        add(child, 0)
    lines.append(total_line(result, lang))
    for adjustment in result.trace.adjustments:
        lines.append(_adjustment_words(adjustment, lang))
    return "\n".join(lines) + "\n"


def total_line(result: Result, lang: Lang = "vi") -> str:
    """``Tổng: 75,75 + 0,5 − 0,5 = 75,75``: the total as the sum it is."""
    return text(
        "explain-total",
        lang,
        standard=_points(result.standard, lang),
        bonus=_points(result.bonus, lang),
        deduction=_points(result.deduction, lang),
        total=_points(result.total, lang),
    )


def _who(result: Result) -> str:
    if result.contestant is None:
        return ""
    return f" — {result.contestant.code} {result.contestant.name}"


def summary(results: Iterable[Result], lang: Lang = "vi", *, markdown: bool = False) -> str:
    """One row per result: unit, parts, bonus, deduction, total, missing evidence."""
    results = list(results)
    if not results:
        return ""
    model = results[0].model
    headers = [text("column-unit", lang)] + [
        text("column-part", lang, id=p.id, max=_points(p.maximum, lang)) for p in model.parts
    ]
    if model.bonus is not None:
        headers.append(text("column-bonus", lang))
    if model.deduction is not None:
        headers.append(text("column-deduction", lang))
    headers += [text("column-total", lang), text("column-missing", lang)]
    rows = []
    for result in results:
        who = (
            f"{result.contestant.code} {result.contestant.name}"
            if result.contestant is not None
            else ""
        )
        row = [who] + [_points(result.parts[p.id], lang) for p in model.parts]
        if model.bonus is not None:
            row.append(_points(result.bonus, lang))
        if model.deduction is not None:
            row.append(_points(result.deduction, lang))
        row += [_points(result.total, lang), str(len(result.missing)) if result.missing else ""]
        rows.append(row)
    align = ("left",) + ("right",) * (len(headers) - 1)
    return (
        tabulate(
            rows,
            headers=headers,
            tablefmt="pipe" if markdown else "simple",
            disable_numparse=True,
            colalign=align,
        )
        + "\n"
    )
