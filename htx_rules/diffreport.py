"""A rubric comparison (and a re-scoring) as text, Markdown and JSON.

Pure functions over a :class:`~htx_rules.diff.RubricDiff` and, when evidence
was re-scored, a :class:`~htx_rules.rescore.Rescoring`: the changes grouped by
where they are in the rubric, each with the item's id and label and its lines
in both files; then the table of every unit's total, rank and award before and
after, the notes on the evidence, and each unit's change in total step by step.
Every text comes from :mod:`htx_rules.messages`, in Vietnamese or English.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs
from tabulate import tabulate

from htx_rules import model as m
from htx_rules.contest import ContestResult, Standing
from htx_rules.decimals import Lang, canonical, format_number
from htx_rules.diff import Change, RubricDiff, Step
from htx_rules.render import _span_to_dict, document_head, text
from htx_rules.report import award_words, prize_words
from htx_rules.rescoring import Rescoring, UnitChange
from htx_rules.source import Span

DIFF_FORMAT: Final = "htx-rules.diff"
DIFF_FORMAT_VERSION: Final = 1


# ---------------------------------------------------------------- words


def signed(value: Decimal, lang: Lang) -> str:
    """A change of points with its sign: ``+0,5``, ``−5``, ``0``."""
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + format_number(abs(value), lang)


def _lines(change: Change, lang: Lang) -> str:
    old = str(change.old_span.line) if change.old_span else "—"
    new = str(change.new_span.line) if change.new_span else "—"
    return text("diff-lines", lang, old=old, new=new)


def _heading(diff: RubricDiff, section: str, lang: Lang) -> str:
    if section.startswith("part "):
        part_id = section[len("part ") :]
        part = _find(diff, lambda model: [p for p in model.parts if p.id == part_id])
        return text("diff-heading-part", lang, id=part_id, label=part.label if part else "")
    heading = text(f"diff-heading-{section}", lang)
    if section in ("bonus", "deduction"):
        # The section's own label, unless it only repeats the heading.
        found = _find(
            diff,
            lambda model: [s for s in (model.bonus, model.deduction) if s and s.kind == section],
        )
        if found is not None and found.label.casefold() != heading.casefold():
            heading += f" — {found.label}"
    return heading


def _find(diff: RubricDiff, pick: Any) -> Any:
    for model in (diff.new, diff.old):
        found = pick(model)
        if found:
            return found[0]
    return None


def _blocks(changes: Sequence[Change], lang: Lang) -> Iterator[tuple[str | None, list[Change]]]:
    """Consecutive changes about the same thing, with that thing's heading."""
    current: list[Change] = []
    key: tuple[str | None, str | None] | None = None
    for change in changes:
        this = (change.subject(lang), change.label if change.subject(lang) else None)
        if current and this != key:
            yield _block_head(current, lang), current
            current = []
        key = this
        current.append(change)
    if current:
        yield _block_head(current, lang), current


def _block_head(changes: list[Change], lang: Lang) -> str | None:
    first = changes[0]
    subject = first.subject(lang)
    if subject is None:
        return None
    # Something added or removed is named, label and all, by its own sentence.
    named = first.kind.endswith(("-added", "-removed"))
    label = f" «{first.label}»" if first.label and not named else ""
    return f"{subject}{label} {_lines(first, lang)}"


def _change_lines(
    diff: RubricDiff, lang: Lang
) -> Iterator[tuple[str, list[tuple[str | None, list[str]]]]]:
    """Each section's heading and its blocks: a heading (or None) and the details."""
    for section, changes in diff.sections():
        blocks = []
        for head, block in _blocks(changes, lang):
            if head is None:
                details = [
                    c.detail(lang) + ("" if section == "header" else " " + _lines(c, lang))
                    for c in block
                ]
            else:
                details = [c.detail(lang) for c in block]
            blocks.append((head, details))
        yield _heading(diff, section, lang), blocks


def _head_lines(diff: RubricDiff, lang: Lang) -> list[str]:
    old, new = diff.old.header, diff.new.header
    lines = [
        text("diff-title", lang),
        text("diff-old", lang, id=old.id, year=old.year, file=diff.old_name),
        text("diff-new", lang, id=new.id, year=new.year, file=diff.new_name),
    ]
    if diff.changes:
        lines.append(text("diff-count", lang, count=len(diff.changes)))
    else:
        lines.append(text("diff-same", lang))
    return lines


def _rank(standing: Standing | None) -> str:
    if standing is None:
        return "—"
    return str(standing.rank) + ("=" if standing.shared else "")


def _award(standing: Standing | None, result: ContestResult, lang: Lang) -> str:
    if standing is None:
        return "—"
    return award_words(standing, result, lang) or "—"


def _total(standing: Standing | None, lang: Lang) -> str:
    return "—" if standing is None else format_number(standing.total, lang)


def _rows(rescoring: Rescoring, lang: Lang) -> list[list[str]]:
    rows = []
    for unit in rescoring.units:
        change = unit.change
        rows.append(
            [
                unit.code,
                unit.name,
                f"{_total(unit.old, lang)} → {_total(unit.new, lang)}",
                "—" if change is None else signed(change, lang),
                f"{_rank(unit.old)} → {_rank(unit.new)}",
                f"{_award(unit.old, rescoring.old, lang)} → "
                f"{_award(unit.new, rescoring.new, lang)}",
                f"{prize_words(unit.old, lang) if unit.old else '—'} → "
                f"{prize_words(unit.new, lang) if unit.new else '—'}",
            ]
        )
    return rows


def _headers(lang: Lang) -> list[str]:
    return [
        text(code, lang)
        for code in (
            "diff-col-code",
            "diff-col-unit",
            "diff-col-total",
            "diff-col-change",
            "diff-col-rank",
            "diff-col-award",
            "diff-col-prize",
        )
    ]


def moving_steps(rescoring: Rescoring) -> list[Step]:
    """The steps that change some unit's total, in order."""
    moving = {s.step.number for u in rescoring.units for s in u.shares if s.points != 0}
    return [step for step in rescoring.steps if step.number in moving]


def step_words(step: Step, lang: Lang) -> str:
    """A step in words: its changes, and why a group is applied together."""
    words = "; ".join(change.text(lang) for change in step.changes)
    reason = step.reason_text(lang)
    return text("diff-step", lang, number=step.number, changes=words) + (
        f" — {reason}" if reason else ""
    )


def unit_words(unit: UnitChange, lang: Lang) -> str:
    """A unit's totals under both rubrics, and the difference."""
    if unit.old is None or unit.new is None:
        side = text("diff-side-new" if unit.old is None else "diff-side-old", lang)
        return text("diff-unit-one-side", lang, unit=unit.name, code=unit.code, side=side)
    change = unit.change
    assert change is not None
    code = "diff-unit-same" if change == 0 else "diff-unit-change"
    return text(
        code,
        lang,
        unit=unit.name,
        code=unit.code,
        old=format_number(unit.old.total, lang),
        new=format_number(unit.new.total, lang),
        change=signed(change, lang),
    )


def share_lines(unit: UnitChange, lang: Lang) -> list[str]:
    """One line per step that changed the unit's total, then the rest."""
    lines = [
        f"{text('diff-step-short', lang, number=share.step.number)}: {signed(share.points, lang)}"
        for share in unit.shares
        if share.points != 0
    ]
    if unit.shares and len(lines) < len(unit.shares):
        lines.append(text("diff-other-steps", lang))
    return lines


# ---------------------------------------------------------------- text and Markdown


@attrs.frozen
class _Layout:
    """How the report's lines are written: as terminal text, or as Markdown."""

    heading: str  # a section of the rubric
    subheading: str  # the attribution
    strong: str  # the notes' and the steps' heads, a unit's line
    loose: str  # a change about no item; a note
    item: str  # an item's heading
    detail: str  # one change of an item
    step: str  # one step
    unit: str  # a unit's totals
    share: str  # one of its shares
    table: str  # tabulate's format
    gap: tuple[str, ...]  # after a heading


_TEXT: Final = _Layout(
    "{}", "{}", "{}", "  - {}", "  {}", "    - {}", "  {}", "{}", "  {}", "simple", ()
)
_MARKDOWN: Final = _Layout(
    "## {}",
    "### {}",
    "**{}**",
    "- {}",
    "- **{}**",
    "  - {}",
    "- {}",
    "- **{}**",
    "  - {}",
    "pipe",
    ("",),
)


def _report(diff: RubricDiff, rescoring: Rescoring | None, lang: Lang, layout: _Layout) -> str:
    head = _head_lines(diff, lang)
    # In Markdown: a title, then lines that end with a line break.
    markdown = [f"# {head[0]}", "", *(f"{line}  " for line in head[1:])]
    out = markdown if layout is _MARKDOWN else head
    for heading, blocks in _change_lines(diff, lang):
        out.extend(["", layout.heading.format(heading), *layout.gap])
        for block_head, details in blocks:
            if block_head is None:
                out.extend(layout.loose.format(detail) for detail in details)
            else:
                out.append(layout.item.format(block_head))
                out.extend(layout.detail.format(detail) for detail in details)
    if rescoring is not None:
        out.append("")
        out.extend(_rescoring_lines(rescoring, lang, layout))
    return "\n".join(out).rstrip() + "\n"


def _rescoring_lines(rescoring: Rescoring, lang: Lang, layout: _Layout) -> list[str]:
    markdown = layout is _MARKDOWN
    rows = _rows(rescoring, lang)
    out = [
        layout.heading.format(text("diff-rescore-title", lang, source=rescoring.source or "—")),
        *layout.gap,
        text("diff-rescore-basis", lang),
        "",
        tabulate(
            [[_md(cell) for cell in row] for row in rows] if markdown else rows,
            headers=_headers(lang),
            tablefmt=layout.table,
            disable_numparse=True,
            colalign=None
            if markdown
            else ("left", "left", "right", "right", "right", "left", "right"),
        ),
    ]
    if rescoring.notes:
        out.extend(["", layout.strong.format(text("diff-notes-head", lang)), *layout.gap])
        out.extend(layout.loose.format(note.text(lang)) for note in rescoring.notes)
    out.extend(["", layout.subheading.format(text("diff-attribution-title", lang)), *layout.gap])
    out.append(text("diff-attribution-rule", lang))
    steps = moving_steps(rescoring)
    if steps:
        out.extend(["", layout.strong.format(text("diff-steps-head", lang)), *layout.gap])
        out.extend(layout.step.format(step_words(step, lang)) for step in steps)
    for unit in rescoring.units:
        out.extend(["", layout.unit.format(unit_words(unit, lang))])
        out.extend(layout.share.format(line) for line in share_lines(unit, lang))
    return out


def _md(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def diff_text(diff: RubricDiff, rescoring: Rescoring | None = None, lang: Lang = "vi") -> str:
    """The comparison as a terminal report; with ``rescoring``, the evidence
    re-scored under both rubrics and each unit's change step by step."""
    return _report(diff, rescoring, lang, _TEXT)


def diff_markdown(diff: RubricDiff, rescoring: Rescoring | None = None, lang: Lang = "vi") -> str:
    """The comparison as Markdown, for a written report."""
    return _report(diff, rescoring, lang, _MARKDOWN)


# ---------------------------------------------------------------- JSON


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else _span_to_dict(span)


def _rubric(model: m.RubricModel, name: str, sha256: str | None) -> dict[str, Any]:
    header = model.header
    return {
        "id": header.id,
        "title": header.title,
        "year": header.year,
        "source": name,
        "sha256": sha256,
    }


def change_to_dict(change: Change, number: int, lang: Lang) -> dict[str, Any]:
    """One change as JSON-ready data: values as rubric text, the sentence in ``lang``."""
    return {
        "number": number,
        "kind": change.kind,
        "section": change.section,
        "item": change.item,
        "label": change.label,
        "old": change.old.rubric_text(),
        "new": change.new.rubric_text(),
        "old_span": _span(change.old_span),
        "new_span": _span(change.new_span),
        "text": change.text(lang),
    }


def _side(standing: Standing | None, result: ContestResult, lang: Lang) -> dict[str, Any] | None:
    if standing is None:
        return None
    award = standing.award
    return {
        "total": canonical(standing.total),
        "rank": standing.rank,
        "shared": standing.shared,
        "eligible": standing.eligible,
        "award": None if award is None else award_words(standing, result, lang),
        "prize": None if award is None or award.prize is None else canonical(award.prize),
        "missing": list(standing.verified.missing),
    }


def rescoring_to_dict(rescoring: Rescoring, lang: Lang = "vi") -> dict[str, Any]:
    """A re-scoring as JSON-ready data (decimals as strings)."""
    number = {id(c): n for n, c in enumerate(rescoring.diff.changes, start=1)}
    return {
        "source": rescoring.source,
        "steps": [
            {
                "number": step.number,
                "changes": [number[id(c)] for c in step.changes],
                "together": step.reason_text(lang),
            }
            for step in rescoring.steps
        ],
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "old": _side(unit.old, rescoring.old, lang),
                "new": _side(unit.new, rescoring.new, lang),
                "change": None if unit.change is None else canonical(unit.change),
                "shares": [
                    {"step": share.step.number, "points": canonical(share.points)}
                    for share in unit.shares
                    if share.points != 0
                ],
            }
            for unit in rescoring.units
        ],
        "notes": [{"code": note.code, "text": note.text(lang)} for note in rescoring.notes],
    }


def diff_to_dict(
    diff: RubricDiff, rescoring: Rescoring | None = None, lang: Lang = "vi"
) -> dict[str, Any]:
    """The comparison as JSON-ready data (``docs/diff.md``, *The JSON document*)."""
    return {
        **document_head(DIFF_FORMAT, DIFF_FORMAT_VERSION, lang),
        "old": _rubric(diff.old, diff.old_name, diff.old_sha256),
        "new": _rubric(diff.new, diff.new_name, diff.new_sha256),
        "changes": [change_to_dict(c, n, lang) for n, c in enumerate(diff.changes, start=1)],
        "rescoring": None if rescoring is None else rescoring_to_dict(rescoring, lang),
    }


def diff_to_json(diff: RubricDiff, rescoring: Rescoring | None = None, lang: Lang = "vi") -> str:
    """The comparison as JSON text, keys in a stable order."""
    return json.dumps(diff_to_dict(diff, rescoring, lang), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "DIFF_FORMAT",
    "DIFF_FORMAT_VERSION",
    "change_to_dict",
    "diff_markdown",
    "diff_text",
    "diff_to_dict",
    "diff_to_json",
    "moving_steps",
    "rescoring_to_dict",
    "share_lines",
    "signed",
    "step_words",
    "unit_words",
]
