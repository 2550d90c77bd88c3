"""Stage 7: a contest turned into a terminal table, Markdown and JSON.

Pure functions over a :class:`~htx_rules.contest.ContestResult`: the ranking,
the awards, who is not eligible and why, how ties were broken, and for each
unit the reconciliation of claimed, reported and verified points.  Every text a
person reads comes from :mod:`htx_rules.messages`, in Vietnamese (numbers as
``87,5`` and ``10.000.000 đồng``) or English.  The Excel workbook is built by
:mod:`htx_rules.excel` from the same words.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final, NamedTuple

from tabulate import tabulate

from htx_rules import model as m
from htx_rules.contest import ContestResult, ReconciliationLine, Standing, TieNote
from htx_rules.decimals import Lang, canonical, format_money, format_number
from htx_rules.render import (
    _Index,
    describe,
    document_head,
    json_value,
    result_to_dict,
    rubric_to_dict,
    show_evidence,
    text,
)
from htx_rules.whatif_report import ContestWhatIf

CONTEST_FORMAT: Final = "htx-rules.contest"
CONTEST_FORMAT_VERSION: Final = 2


# ---------------------------------------------------------------- words


def points_words(value: Decimal | None, lang: Lang) -> str:
    """Points for people (``87,5``); ``—`` when there are none."""
    return "—" if value is None else format_number(value, lang)


def tie_key_words(key: m.TieBreak, lang: Lang, model: m.RubricModel | None = None) -> str:
    """One tie-break key in words (``điểm phần III cao hơn``); a field is named
    by its label when the rubric is given."""
    label = None
    if key.subject == "field" and model is not None:
        label = next((f.label for f in model.fields if f.name == key.ref), None)
    subject = {
        "part": lambda: text("tie-subject-part", lang, id=key.ref),
        "criterion": lambda: text("tie-subject-criterion", lang, id=key.ref),
        "bonus": lambda: text("tie-subject-bonus", lang),
        "deduction": lambda: text("tie-subject-deduction", lang),
        "total": lambda: text("tie-subject-total", lang),
        "field": lambda: label or str(key.ref),
    }[key.subject]()
    return text(f"tie-{key.direction}", lang, subject=subject)


def tie_order_words(model: m.RubricModel, lang: Lang) -> str:
    """The ranking rule: by total, then each tie-break key in order."""
    awards = model.awards
    keys = awards.tie_breaks if awards is not None else ()
    if not keys:
        return text("contest-rank-rule-plain", lang)
    return text(
        "contest-rank-rule", lang, keys="; ".join(tie_key_words(k, lang, model) for k in keys)
    )


def policy_words(policy: str | None, lang: Lang) -> str:
    """The rubric's rule for a tie its order cannot break."""
    return text(f"tie-policy-{policy or 'none'}", lang)


def tie_words(standing: Standing, result: ContestResult, lang: Lang) -> str:
    """How a unit was separated from the one above it with the same total, or
    that it shares its rank; empty when neither."""
    if standing.shared_with:
        others = tuple(
            f"{result.standing(code).contestant.name} ({code})" for code in standing.shared_with
        )
        return text("contest-tie-shared", lang, others=others)
    note: TieNote | None = standing.tie
    if note is None or note.key is None:
        return ""
    other = result.standing(note.other).contestant
    field = None
    if note.key.subject == "field":
        field = next((f for f in result.rubric.fields if f.name == note.key.ref), None)
    return text(
        "contest-tie-broken",
        lang,
        other=other.name,
        code=other.code,
        key=tie_key_words(note.key, lang, result.rubric.model),
        own=_value_words(note.own, field, lang),
        theirs=_value_words(note.theirs, field, lang),
    )


def _value_words(value: Any, field: m.Field | None, lang: Lang) -> str:
    if isinstance(value, Decimal) and field is None:
        return format_number(value, lang)
    return show_evidence(value, field, lang)


def eligibility_words(standing: Standing, lang: Lang) -> str:
    """``có`` / ``yes``, or every reason the unit is not eligible."""
    if standing.eligible:
        return text("value-yes", lang)
    return (
        text("contest-not-eligible", lang)
        + ": "
        + "; ".join(r.text(lang) for r in standing.reasons)
    )


def award_words(standing: Standing, result: ContestResult, lang: Lang) -> str:
    """The award in words: place, prize, and for a shared place the rule applied."""
    award = standing.award
    if award is None:
        return ""
    if not award.shared_with:
        return award.place.label
    others = ", ".join(result.standing(code).contestant.name for code in award.shared_with)
    return text(
        f"contest-award-shared-{award.policy}", lang, place=award.place.label, others=others
    )


def prize_words(standing: Standing, lang: Lang) -> str:
    """The prize money, ``—`` without an award, a note when the council decides."""
    award = standing.award
    if award is None:
        return "—"
    if award.prize is None:
        return text("contest-prize-pending", lang)
    return format_money(award.prize, lang)


def no_award_words(standing: Standing, result: ContestResult, lang: Lang) -> str:
    """Why a unit received nothing: its eligibility reasons, or its rank."""
    if standing.award is not None:
        return ""
    if not standing.eligible:
        return "; ".join(r.text(lang) for r in standing.reasons)
    return text("contest-below-awards", lang, rank=standing.rank)


def line_reason(line: ReconciliationLine, model: m.RubricModel, lang: Lang) -> str:
    """Why a reconciliation line reads as it does: what re-inspection changed,
    how the verified points were earned, and what is wrong with the claim."""
    index = _Index(model)
    fields = index.fields
    words: list[str] = []
    if line.changed:
        changes = ", ".join(
            text(
                "contest-changed-value",
                lang,
                field=change.field,
                reported=show_evidence(change.reported, fields.get(change.field), lang),
                verified=show_evidence(change.verified, fields.get(change.field), lang),
            )
            for change in line.changed
        )
        words.append(text("contest-changed", lang, changes=changes))
    words.append(describe(line.verified_node, index, lang))
    if line.claimed is not None and line.claimed > line.maximum:
        words.append(
            text(
                "contest-claim-over-max",
                lang,
                claimed=format_number(line.claimed, lang),
                max=format_number(line.maximum, lang),
            )
        )
    elif line.claim_differs:
        words.append(
            text(
                "contest-claim-differs",
                lang,
                claimed=format_number(line.claimed or Decimal(0), lang),
                verified=format_number(line.verified, lang),
            )
        )
    return "; ".join(w for w in words if w)


def basis_words(standing: Standing, lang: Lang) -> str:
    """What the verified points rest on: re-inspection, or the report alone."""
    return text(
        "contest-basis-verified" if standing.re_inspected else "contest-basis-reported", lang
    )


# ---------------------------------------------------------------- text


def _ranking_rows(result: ContestResult, lang: Lang) -> list[list[str]]:
    rows = []
    for s in result.standings:
        rank = str(s.rank) + ("=" if s.shared else "")
        rows.append(
            [
                rank,
                s.code,
                s.contestant.name,
                points_words(s.claimed_total, lang),
                points_words(s.reported.total, lang),
                points_words(s.total, lang) + ("" if s.re_inspected else "*"),
                text("value-yes", lang) if s.eligible else text("value-no", lang),
                award_words(s, result, lang) or "—",
                prize_words(s, lang),
            ]
        )
    return rows


def _ranking_headers(lang: Lang) -> list[str]:
    return [
        text(code, lang)
        for code in (
            "contest-col-rank",
            "contest-col-code",
            "contest-col-unit",
            "contest-col-claimed",
            "contest-col-reported",
            "contest-col-verified",
            "contest-col-eligible",
            "contest-col-award",
            "contest-col-prize",
        )
    ]


class NoteSection(NamedTuple):
    """One paragraph under the ranking: a heading (None for a lone sentence)
    and its items."""

    heading: str | None
    items: tuple[str, ...]


def note_sections(result: ContestResult, lang: Lang) -> list[NoteSection]:
    """The paragraphs under the ranking, in order: awards, units passed over,
    other units not eligible, ties, units that sent nothing, the note on units
    not re-inspected (the last two without a heading); empty ones left out."""
    sections: list[NoteSection] = []
    awarded = result.awarded
    awards: list[str] = []
    if not awarded:
        awards.append(text("contest-no-awards", lang))
    for s in awarded:
        awards.append(
            text(
                "contest-award-line",
                lang,
                award=award_words(s, result, lang),
                unit=s.contestant.name,
                code=s.code,
                total=format_number(s.total, lang),
                prize=prize_words(s, lang),
            )
        )
        award = s.award
        last_of_group = not any(o.rank == s.rank for o in awarded[awarded.index(s) + 1 :])
        if award is not None and award.remainder and last_of_group:
            awards.append(
                text("contest-remainder", lang, amount=format_money(award.remainder, lang))
            )
    sections.append(NoteSection(text("contest-awards-head", lang), tuple(awards)))
    passed = result.passed_over()
    if passed:
        sections.append(
            NoteSection(
                text("contest-passed-over-head", lang),
                tuple(_unit_line(s, lang) + ": " + no_award_words(s, result, lang) for s in passed),
            )
        )
    others = [s for s in result.standings if not s.eligible and s not in passed]
    if others:
        sections.append(
            NoteSection(
                text("contest-ineligible-head", lang),
                tuple(
                    _unit_line(s, lang) + ": " + "; ".join(r.text(lang) for r in s.reasons)
                    for s in others
                ),
            )
        )
    tie_lines: list[str] = []
    seen_ranks: set[int] = set()
    for s in result.standings:
        if s.shared_with:
            if s.rank not in seen_ranks:
                seen_ranks.add(s.rank)
                units = tuple(
                    f"{o.contestant.name} ({o.code})" for o in result.standings if o.rank == s.rank
                )
                tie_lines.append(text("contest-shared-line", lang, units=units, rank=s.rank))
        elif tie_words(s, result, lang):
            tie_lines.append(f"{s.contestant.name} ({s.code}): {tie_words(s, result, lang)}")
    if any(s.shared for s in result.standings):
        tie_lines.append(text("contest-policy", lang, rule=policy_words(result.policy, lang)))
    if tie_lines:
        sections.append(NoteSection(text("contest-ties-head", lang), tuple(tie_lines)))
    if result.missing:
        units = tuple(f"{c.name} ({c.code})" for c in result.missing)
        sections.append(NoteSection(None, (text("contest-missing", lang, units=units),)))
    if any(not s.re_inspected for s in result.standings):
        sections.append(NoteSection(None, (text("contest-star", lang),)))
    return sections


def _unit_line(standing: Standing, lang: Lang) -> str:
    return text(
        "contest-unit-line",
        lang,
        unit=standing.contestant.name,
        code=standing.code,
        rank=standing.rank,
        total=format_number(standing.total, lang),
    )


def _notes(result: ContestResult, lang: Lang, bullet: str) -> list[str]:
    """The paragraphs under the ranking as lines: a blank line between
    paragraphs, ``bullet`` before each item of a paragraph with a heading."""
    lines: list[str] = []
    for number, section in enumerate(note_sections(result, lang)):
        if number:
            lines.append("")
        if section.heading is None:
            lines.extend(section.items)
            continue
        lines.append(section.heading)
        lines.extend(f"{bullet}{item}" for item in section.items)
    return lines


def _header_lines(result: ContestResult, lang: Lang) -> list[str]:
    header = result.rubric.model.header
    return [
        text("contest-title", lang, title=header.title),
        text(
            "contest-rubric", lang, id=header.id, year=header.year, file=result.rubric.source.name
        ),
        tie_order_words(result.rubric.model, lang),
        text("contest-still-tied", lang, rule=policy_words(result.policy, lang)),
    ]


def _line_rows(standing: Standing, result: ContestResult, lang: Lang) -> list[list[str]]:
    model = result.rubric.model
    return [
        [
            "  " * line.depth + line.id,
            line.label,
            points_words(line.maximum, lang),
            points_words(line.claimed, lang),
            points_words(line.reported, lang),
            points_words(line.verified, lang),
            line_reason(line, model, lang),
        ]
        for line in standing.differences
    ]


def _line_headers(lang: Lang) -> list[str]:
    return [
        text(code, lang)
        for code in (
            "column-id",
            "column-label",
            "column-max",
            "contest-col-claimed",
            "contest-col-reported",
            "contest-col-verified",
            "contest-col-reason",
        )
    ]


def _unit_head(standing: Standing, lang: Lang) -> str:
    return text(
        "contest-unit-head",
        lang,
        unit=standing.contestant.name,
        code=standing.code,
        rank=standing.rank,
        total=format_number(standing.total, lang),
    )


def unit_head_lines(standing: Standing, lang: Lang) -> list[str]:
    """The first lines about a unit in every report: whether it was re-inspected, its
    note, and its claimed, reported and verified totals."""
    lines = [basis_words(standing, lang)]
    if standing.submission.note:
        lines.append(text("contest-note", lang, note=standing.submission.note))
    lines.append(
        text(
            "contest-totals",
            lang,
            claimed=points_words(standing.claimed_total, lang),
            reported=points_words(standing.reported.total, lang),
            verified=points_words(standing.total, lang),
        )
    )
    return lines


def dossier_missing_words(standing: Standing, lang: Lang) -> str:
    """The documents of the dossier a unit did not send, as one line."""
    return text(
        "contest-dossier-missing",
        lang,
        documents=tuple(d.label for d in standing.dossier_missing),
    )


def _unit_summary(standing: Standing, lang: Lang) -> list[str]:
    lines = unit_head_lines(standing, lang)
    if standing.dossier_missing:
        lines.append(dossier_missing_words(standing, lang))
    if standing.verified.missing:
        lines.append(text("contest-evidence-missing", lang, fields=standing.verified.missing))
    for line in standing.lines:
        assessment = standing.verified.assessments.get(line.id)
        if assessment is not None:
            lines.append(
                text(
                    "contest-assessed",
                    lang,
                    id=line.id,
                    points=format_number(line.verified, lang),
                    max=format_number(line.maximum, lang),
                    reviewer=assessment.reviewer,
                    justification=assessment.justification,
                )
            )
    if standing.verified.unassessed:
        lines.append(text("report-unassessed", lang, items=standing.verified.unassessed))
    if not standing.submission.claimed and standing.claimed_total is None:
        lines.append(text("contest-no-claims", lang))
    elif not standing.differences:
        lines.append(text("contest-no-differences", lang))
    return lines


def contest_text(result: ContestResult, lang: Lang = "vi") -> str:
    """The contest as a terminal report: ranking table, awards and reasons, and
    each unit's reconciliation (the lines where something differs)."""
    out = _header_lines(result, lang)
    out.append("")
    out.append(
        tabulate(
            _ranking_rows(result, lang),
            headers=_ranking_headers(lang),
            tablefmt="simple",
            disable_numparse=True,
            colalign=("right", "left", "left", "right", "right", "right", "left", "left", "right"),
        )
    )
    out.append("")
    out.extend(_notes(result, lang, "  - "))
    out.append("")
    text_pads = ("", "  - ", "      ", "        ")
    out.extend(text_pads[depth] + line for depth, line in ContestWhatIf(result).lines(lang))
    out.append("")
    out.append(text("contest-reconciliation-head", lang))
    for standing in result.standings:
        out.append("")
        out.append(_unit_head(standing, lang))
        out.extend("  " + line for line in _unit_summary(standing, lang))
        rows = _line_rows(standing, result, lang)
        if rows:
            table = tabulate(
                rows,
                headers=_line_headers(lang),
                tablefmt="simple",
                disable_numparse=True,
                colalign=("left", "left", "right", "right", "right", "right", "left"),
                maxcolwidths=[None, 36, None, None, None, None, 60],
                preserve_whitespace=True,
            )
            out.append(table)
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- markdown


def _md_escape(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _md_indent(cell: str) -> str:
    """A sub-criterion's id indented in a Markdown table (cells are trimmed,
    so the indentation is written as non-breaking spaces)."""
    id_ = cell.lstrip(" ")
    return "&nbsp;&nbsp;" * ((len(cell) - len(id_)) // 2) + _md_escape(id_)


def contest_markdown(result: ContestResult, lang: Lang = "vi") -> str:
    """The contest as Markdown, for a written report."""
    header = _header_lines(result, lang)
    out = [f"# {header[0]}", "", *(f"{line}  " for line in header[1:]), ""]
    out.append(
        tabulate(
            [[_md_escape(c) for c in row] for row in _ranking_rows(result, lang)],
            headers=_ranking_headers(lang),
            tablefmt="pipe",
            disable_numparse=True,
        )
    )
    out.append("")
    for note in _notes(result, lang, "- "):
        if note.endswith(":") and not note.startswith("- "):
            out.append(f"**{note}**")
        elif note.startswith("* "):
            out.append("\\" + note)  # a footnote mark, not a list item
        else:
            out.append(note)
    out.append("")
    md_pads = ("", "- ", "  - ", "    - ")
    for depth, line in ContestWhatIf(result).lines(lang):
        if depth == 0 and line:
            out.append(f"**{_md_escape(line)}**")
        else:
            out.append(md_pads[depth] + _md_escape(line) if line else "")
    out.append("")
    out.append(f"## {text('contest-reconciliation-head', lang).rstrip(':')}")
    for standing in result.standings:
        out.append("")
        out.append(f"### {_unit_head(standing, lang)}")
        out.append("")
        out.extend(f"- {line}" for line in _unit_summary(standing, lang))
        rows = _line_rows(standing, result, lang)
        if rows:
            out.append("")
            out.append(
                tabulate(
                    [[_md_indent(row[0]), *map(_md_escape, row[1:])] for row in rows],
                    headers=_line_headers(lang),
                    tablefmt="pipe",
                    disable_numparse=True,
                )
            )
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- JSON


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def standing_to_dict(standing: Standing, result: ContestResult, lang: Lang) -> dict[str, Any]:
    """One unit's standing as JSON-ready data (decimals as strings)."""
    model = result.rubric.model
    award = standing.award
    return {
        "rank": standing.rank,
        "contestant": {"code": standing.code, "name": standing.contestant.name},
        "source": standing.submission.source,
        "submission_sha256": standing.submission.sha256,
        "note": standing.submission.note,
        "re_inspected": standing.re_inspected,
        "claimed_total": _decimal(standing.claimed_total),
        "reported_total": canonical(standing.reported.total),
        "verified_total": canonical(standing.total),
        "eligible": standing.eligible,
        "reasons": [{"code": r.code, "text": r.text(lang)} for r in standing.reasons],
        "dossier": {
            "sent": list(standing.submission.dossier),
            "missing": [d.id for d in standing.dossier_missing],
        },
        "shared_with": list(standing.shared_with),
        "tie": None
        if standing.tie is None
        else {
            "shared": standing.tie.key is None,
            "with": standing.tie.other,
            "text": tie_words(standing, result, lang),
        },
        "award": None
        if award is None
        else {
            "place": award.place.rank,
            "label": award.place.label,
            "prize": _decimal(award.prize),
            "pending": award.pending,
            "shared_with": list(award.shared_with),
            "policy": award.policy,
            "places": [p.rank for p in award.places],
            "remainder": canonical(award.remainder),
            "text": award_words(standing, result, lang),
        },
        "no_award": no_award_words(standing, result, lang) or None,
        "reconciliation": [
            {
                "id": line.id,
                "label": line.label,
                "kind": line.kind,
                "max": canonical(line.maximum),
                "claimed": _decimal(line.claimed),
                "reported": canonical(line.reported),
                "verified": canonical(line.verified),
                "assessed": line.assessed,
                "differs": line.differs,
                "changed": [
                    {
                        "field": c.field,
                        "reported": json_value(c.reported),
                        "verified": json_value(c.verified),
                    }
                    for c in line.changed
                ],
                "reason": line_reason(line, model, lang) if line.differs else None,
            }
            for line in standing.lines
        ],
        "reported": result_to_dict(standing.reported, lang),
        "verified": result_to_dict(standing.verified, lang),
    }


def contest_to_dict(result: ContestResult, lang: Lang = "vi") -> dict[str, Any]:
    """The whole contest as JSON-ready data (``docs/contest.md``)."""
    rubric = result.rubric
    awards = rubric.model.awards
    return {
        **document_head(CONTEST_FORMAT, CONTEST_FORMAT_VERSION, lang),
        "rubric": rubric_to_dict(rubric.model.header, rubric.source.name, rubric.sha256),
        "ranking_rule": tie_order_words(result.rubric.model, lang),
        "still_tied": result.policy,
        "still_tied_rule": policy_words(result.policy, lang),
        "places": [
            {"place": p.rank, "label": p.label, "prize": canonical(p.prize)} for p in result.places
        ],
        "minimum": _decimal(awards.minimum) if awards is not None else None,
        "standings": [standing_to_dict(s, result, lang) for s in result.standings],
        "passed_over": [s.code for s in result.passed_over()],
        "missing": [{"code": c.code, "name": c.name} for c in result.missing],
        "what_if": ContestWhatIf(result).to_dict(lang),
    }


def contest_to_json(result: ContestResult, lang: Lang = "vi") -> str:
    """The contest as JSON text, keys in a stable order."""
    return json.dumps(contest_to_dict(result, lang), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "NoteSection",
    "award_words",
    "contest_markdown",
    "contest_text",
    "contest_to_dict",
    "contest_to_json",
    "dossier_missing_words",
    "eligibility_words",
    "line_reason",
    "no_award_words",
    "note_sections",
    "policy_words",
    "prize_words",
    "tie_key_words",
    "tie_words",
    "unit_head_lines",
]
