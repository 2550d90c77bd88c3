"""Stage 8: results and contests as one self-contained HTML file, to read and print.

Pure functions: :func:`result_html` (one unit's result), :func:`results_html`
(several results in one document) and :func:`contest_html` (the whole contest)
take data and return the text of an HTML document; they never read or write a
file.  The document needs nothing else: the style sheet is inline, there is no
script and no link to anything outside it, and it prints on A4 paper (tables
carry their headings onto every page, each unit of a contest starts a page).

The layout is in Jinja2 templates shipped inside the package
(``htx_rules/templates/``), rendered with autoescaping on, so every value —
labels, names, evidence, a reviewer's words — is shown as text, never read as
markup.  Every word comes from :mod:`htx_rules.messages` and every number is
formatted by :func:`htx_rules.decimals.format_number`, so the report says what
the text and Markdown reports say, in Vietnamese (``87,25``) or English.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from htx_rules import model as m
from htx_rules._version import __version__
from htx_rules.contest import ContestResult, ReconciliationLine, Standing
from htx_rules.decimals import Lang, format_number
from htx_rules.render import (
    _adjustment_words,
    _Index,
    describe,
    score_lines,
    show_evidence,
    text,
)
from htx_rules.report import (
    award_words,
    dossier_missing_words,
    line_reason,
    no_award_words,
    note_sections,
    points_words,
    policy_words,
    prize_words,
    tie_order_words,
    tie_words,
    unit_head_lines,
)
from htx_rules.result import Result, TraceNode

if TYPE_CHECKING:
    import jinja2

_SECTION_KINDS: Final = ("part", "bonus", "deduction")


# ---------------------------------------------------------------- what the templates show


class Line(NamedTuple):
    """One row of a criterion table: a part or section heading, a criterion or a rule.

    Attributes:
        kind: The trace node's kind (``part``, ``criterion``, ``bonus``, ...).
        id: Its id (empty for the bonus and deduction sections).
        label: Its label (a part's with its number: ``Phần I — …``).
        depth: 0 for a part or section, 1 for its criteria, 2 for sub-criteria.
        maximum: The maximum, formatted.
        points: The points, formatted (the verified points in a contest).
        why: Why it scored what it did (:func:`htx_rules.render.describe`).
        source_line: Where in the rubric the rule is written (``Bảng điểm, dòng 197``).
        source: The rubric text of that rule.
        status: The trace node's status (``scored``, ``missing``, ...).
        claimed: Contest only: the points claimed (``—`` when none).
        reported: Contest only: the points the reported evidence earns.
        differs: Contest only: whether claimed, reported and verified differ.
    """

    kind: str
    id: str
    label: str
    depth: int
    maximum: str
    points: str
    why: str
    source_line: str
    source: str
    status: str
    claimed: str = ""
    reported: str = ""
    differs: bool = False


class Difference(NamedTuple):
    """A reconciliation line that differs, with the reason in words."""

    id: str
    label: str
    depth: int
    claimed: str
    reported: str
    verified: str
    reason: str


class EvidenceRow(NamedTuple):
    """One evidence field: the value reported, and after re-inspection."""

    field: str
    label: str
    value: str
    verified: str = ""
    changed: bool = False
    items: str = ""


class AssessmentRow(NamedTuple):
    """A reviewer's assessment of one criterion."""

    id: str
    label: str
    given: str
    counted: str
    maximum: str
    reviewer: str
    justification: str


class DocumentRow(NamedTuple):
    """One document of the award dossier, and whether the unit sent it."""

    id: str
    label: str
    sent: str
    missing: bool


class AuditRow(NamedTuple):
    """One line of the audit block: what it is, and its value."""

    label: str
    value: str
    code: bool = True


class ResultView(NamedTuple):
    """One unit's result, ready to show."""

    anchor: str
    heading: str
    totals: tuple[str, ...]
    lines: tuple[Line, ...]
    evidence: tuple[EvidenceRow, ...]
    missing: tuple[str, ...]
    assessments: tuple[AssessmentRow, ...]
    unassessed: str
    audit: tuple[AuditRow, ...]


class SummaryRow(NamedTuple):
    """One row of the summary of several results."""

    anchor: str
    unit: str
    parts: tuple[str, ...]
    bonus: str
    deduction: str
    total: str
    missing: str


class RankingRow(NamedTuple):
    """One row of the contest's ranking table."""

    anchor: str
    rank: str
    code: str
    unit: str
    claimed: str
    reported: str
    verified: str
    eligible: str
    is_eligible: bool
    award: str
    prize: str


class UnitView(NamedTuple):
    """One unit of a contest: its outcome, reconciliation, evidence and trace."""

    anchor: str
    code: str
    heading: str
    facts: tuple[str, ...]
    differences: tuple[Difference, ...]
    no_differences: str
    changes: tuple[EvidenceRow, ...]
    lines: tuple[Line, ...]
    re_inspected: bool
    evidence: tuple[EvidenceRow, ...]
    missing: tuple[str, ...]
    assessments: tuple[AssessmentRow, ...]
    unassessed: str
    dossier: tuple[DocumentRow, ...]
    audit: tuple[AuditRow, ...]


class Notes(NamedTuple):
    """A paragraph under the ranking: a heading (empty for a lone sentence) and items."""

    heading: str
    items: tuple[str, ...]


# ---------------------------------------------------------------- the environment


@functools.cache
def _environment() -> jinja2.Environment:
    """The template environment: the package's templates, every value escaped,
    an unknown name an error rather than an empty string.  Jinja2 takes about
    0.1 s to import: it is imported when the first report is made, not with
    htx_rules."""
    import jinja2  # noqa: PLC0415

    return jinja2.Environment(
        loader=jinja2.PackageLoader("htx_rules", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(template: str, lang: Lang, **values: object) -> str:
    def words(code: str, **args: object) -> str:
        return text(code, lang, **args)

    page = _environment().get_template(template)
    return page.render(lang=lang, t=words, generator=f"htx-rules {__version__}", **values)


# ---------------------------------------------------------------- pieces shared by both


def _source_line(node: TraceNode, lang: Lang) -> str:
    return text("html-source-line", lang, line=node.span.line)


def _node_label(node: TraceNode, lang: Lang) -> str:
    if node.kind == "part":
        return text("explain-part", lang, id=node.id, label=node.label)
    return node.label


def _node_why(node: TraceNode, index: _Index, lang: Lang) -> str:
    if node.kind == "part":
        return ""
    if node.kind in ("bonus", "deduction"):
        return "; ".join(_adjustment_words(a, lang) for a in node.adjustments)
    return describe(node, index, lang)


def _result_lines(result: Result, index: _Index, lang: Lang) -> tuple[Line, ...]:
    assert result.trace is not None
    lines: list[Line] = []

    def add(node: TraceNode, depth: int) -> None:
        lines.append(
            Line(
                node.kind,
                "" if node.kind in ("bonus", "deduction") else node.id,
                _node_label(node, lang),
                depth,
                points_words(node.maximum, lang),
                points_words(node.points, lang),
                _node_why(node, index, lang),
                _source_line(node, lang),
                node.source,
                node.status,
            )
        )
        for child in node.children:
            add(child, depth + 1)

    for child in result.trace.children:
        add(child, 0)
    return tuple(lines)


def _evidence_rows(result: Result, lang: Lang) -> tuple[EvidenceRow, ...]:
    return tuple(
        EvidenceRow(f.name, f.label, show_evidence(result.evidence.get(f.name), f, lang))
        for f in result.model.fields
    )


def _missing(result: Result) -> tuple[str, ...]:
    labels = {f.name: f.label for f in result.model.fields}
    return tuple(f"{name} ({labels[name]})" for name in result.missing)


def _assessments(result: Result, index: _Index, lang: Lang) -> tuple[AssessmentRow, ...]:
    rows = []
    for item_id, assessment in result.assessments.items():
        item = index.items[item_id]
        rows.append(
            AssessmentRow(
                item_id,
                item.label,
                format_number(Decimal(assessment.points), lang),
                format_number(result.items[item_id], lang),
                format_number(item.maximum, lang),
                assessment.reviewer,
                assessment.justification,
            )
        )
    return tuple(rows)


def _unassessed(result: Result, lang: Lang) -> str:
    if not result.unassessed:
        return ""
    return text("report-unassessed", lang, items=result.unassessed)


def _anchor(code: str | None, number: int) -> str:
    """A fragment id for a unit's section: its code when it has one (made of
    letters, digits, ``-`` and ``_`` only), else its position."""
    if code and all(c.isalnum() or c in "-_" for c in code):
        return f"unit-{code}"
    return f"result-{number}"


# ---------------------------------------------------------------- one or several results


def _result_view(result: Result, number: int, lang: Lang) -> ResultView:
    if result.trace is None:
        raise ValueError("the result was scored without a trace")
    index = _Index(result.model)
    contestant = result.contestant
    audit = (AuditRow(text("html-evidence-sha256", lang), result.evidence_sha256),)
    return ResultView(
        anchor=_anchor(contestant.code if contestant else None, number),
        heading=(
            text("report-contestant", lang, code=contestant.code, name=contestant.name)
            if contestant
            else text("html-result-head", lang, number=number)
        ),
        totals=tuple(score_lines(result, lang)),
        lines=_result_lines(result, index, lang),
        evidence=_evidence_rows(result, lang),
        missing=_missing(result),
        assessments=_assessments(result, index, lang),
        unassessed=_unassessed(result, lang),
        audit=audit,
    )


def _summary(
    results: Sequence[Result], views: Sequence[ResultView], lang: Lang
) -> tuple[tuple[str, ...], tuple[SummaryRow, ...]]:
    model = results[0].model
    headers = [text("column-unit", lang)] + [
        text("column-part", lang, id=p.id, max=points_words(p.maximum, lang)) for p in model.parts
    ]
    if model.bonus is not None:
        headers.append(text("column-bonus", lang))
    if model.deduction is not None:
        headers.append(text("column-deduction", lang))
    headers += [text("column-total", lang), text("column-missing", lang)]
    rows = tuple(
        SummaryRow(
            view.anchor,
            f"{result.contestant.code} {result.contestant.name}"
            if result.contestant
            else view.heading,
            tuple(points_words(result.parts[p.id], lang) for p in model.parts),
            points_words(result.bonus, lang),
            points_words(result.deduction, lang),
            points_words(result.total, lang),
            str(len(result.missing)) if result.missing else "",
        )
        for result, view in zip(results, views, strict=True)
    )
    return tuple(headers), rows


def _rubric_audit(name: str, digest: str | None, lang: Lang) -> tuple[AuditRow, ...]:
    rows = [AuditRow(text("html-rubric-file", lang), name)]
    if digest is not None:
        rows.append(AuditRow(text("html-rubric-sha256", lang), digest))
    rows.append(AuditRow(text("html-engine-version", lang), f"htx-rules {__version__}"))
    return tuple(rows)


def results_html(results: Sequence[Result], lang: Lang = "vi") -> str:
    """Several results of one rubric as one HTML document: a summary table when
    there are several, then each unit's section (its totals, the criterion table
    with the explanation and rubric line of every row, the evidence, missing
    values, reviewers' assessments), and the audit block.

    Raises:
        ValueError: when there is no result, or one was scored without a trace.
    """
    if not results:
        raise ValueError("no result to show")
    views: list[ResultView] = []
    for number, result in enumerate(results, 1):
        view = _result_view(result, number, lang)
        if any(v.anchor == view.anchor for v in views):
            # Two files of the same unit: each section keeps its own link target.
            view = view._replace(anchor=f"{view.anchor}-{number}")
        views.append(view)
    first = results[0]
    header = first.model.header
    contestant = first.contestant
    if len(results) == 1 and contestant is not None:
        title = f"{contestant.code} {contestant.name} — {header.title}"
    else:
        title = header.title
    headers, rows = _summary(results, views, lang) if len(results) > 1 else ((), ())
    return _render(
        "results.html.j2",
        lang,
        title=title,
        heading=header.title,
        rubric_line=text(
            "report-rubric", lang, id=header.id, year=header.year, source=first.source_name
        ),
        results=views,
        summary_headers=headers,
        summary=rows,
        has_bonus=first.model.bonus is not None,
        has_deduction=first.model.deduction is not None,
        audit=_rubric_audit(first.source_name, first.rubric_sha256 or None, lang),
    )


def result_html(result: Result, lang: Lang = "vi") -> str:
    """One unit's result as a self-contained HTML document: totals, every part,
    criterion and rule with its points, maximum, explanation and the rubric line
    it came from, the evidence, missing values, reviewers' assessments and the
    audit block (the rubric file and its SHA-256, the evidence's SHA-256, the
    engine's version).

    Raises:
        ValueError: when the result was scored without a trace.
    """
    return results_html([result], lang)


# ---------------------------------------------------------------- the contest


def _ranking(result: ContestResult, lang: Lang) -> tuple[RankingRow, ...]:
    return tuple(
        RankingRow(
            anchor=_anchor(s.code, number),
            rank=str(s.rank) + ("=" if s.shared else ""),
            code=s.code,
            unit=s.contestant.name,
            claimed=points_words(s.claimed_total, lang),
            reported=points_words(s.reported.total, lang),
            verified=points_words(s.total, lang) + ("" if s.re_inspected else "*"),
            eligible=text("value-yes", lang) if s.eligible else text("value-no", lang),
            is_eligible=s.eligible,
            award=award_words(s, result, lang) or "—",
            prize=prize_words(s, lang),
        )
        for number, s in enumerate(result.standings, 1)
    )


def _contest_lines(standing: Standing, index: _Index, lang: Lang) -> tuple[Line, ...]:
    trace = standing.verified.trace
    reported_trace = standing.reported.trace
    assert trace is not None
    assert reported_trace is not None
    reconciled = {line.id: line for line in standing.lines}
    reported_sections = {n.id: n for n in reported_trace.children}
    lines: list[Line] = []

    def add(node: TraceNode, depth: int) -> None:
        line: ReconciliationLine | None = reconciled.get(node.id)
        if node.kind in _SECTION_KINDS or line is None:
            before = reported_sections.get(node.id)
            claimed, reported, differs = (
                "",
                points_words(before.points, lang) if before else "",
                False,
            )
        else:
            claimed = points_words(line.claimed, lang)
            reported = points_words(line.reported, lang)
            differs = line.differs
        lines.append(
            Line(
                node.kind,
                "" if node.kind in ("bonus", "deduction") else node.id,
                _node_label(node, lang),
                depth,
                points_words(node.maximum, lang),
                points_words(node.points, lang),
                _node_why(node, index, lang),
                _source_line(node, lang),
                node.source,
                node.status,
                claimed,
                reported,
                differs,
            )
        )
        for child in node.children:
            add(child, depth + 1)

    for child in trace.children:
        add(child, 0)
    return tuple(lines)


def _changes(standing: Standing, lang: Lang) -> tuple[EvidenceRow, ...]:
    """The evidence values re-inspection changed, with the items that read them."""
    fields = {f.name: f for f in standing.verified.model.fields}
    readers: dict[str, list[str]] = {}
    for line in standing.lines:
        for change in line.changed:
            readers.setdefault(change.field, []).append(line.id)
    rows = []
    for name, field in fields.items():
        before = standing.reported.evidence.get(name)
        after = standing.verified.evidence.get(name)
        if before == after and type(before) is type(after):
            continue
        rows.append(
            EvidenceRow(
                name,
                field.label,
                show_evidence(before, field, lang),
                show_evidence(after, field, lang),
                True,
                ", ".join(readers.get(name, ())),
            )
        )
    return tuple(rows)


def _unit_evidence(standing: Standing, lang: Lang) -> tuple[EvidenceRow, ...]:
    rows = []
    for f in standing.verified.model.fields:
        before = standing.reported.evidence.get(f.name)
        after = standing.verified.evidence.get(f.name)
        rows.append(
            EvidenceRow(
                f.name,
                f.label,
                show_evidence(before, f, lang),
                show_evidence(after, f, lang),
                before != after or type(before) is not type(after),
            )
        )
    return tuple(rows)


def _dossier(
    standing: Standing, documents: Sequence[m.Document], lang: Lang
) -> tuple[DocumentRow, ...]:
    missing = {d.id for d in standing.dossier_missing}
    return tuple(
        DocumentRow(
            d.id,
            d.label,
            text("value-no" if d.id in missing else "value-yes", lang),
            d.id in missing,
        )
        for d in documents
    )


def _facts(standing: Standing, result: ContestResult, lang: Lang) -> tuple[str, ...]:
    facts = unit_head_lines(standing, lang)
    if standing.eligible:
        facts.append(text("html-unit-eligible", lang))
    else:
        reasons = "; ".join(r.text(lang) for r in standing.reasons)
        facts.append(text("html-unit-not-eligible", lang, reasons=reasons))
    if standing.award is not None:
        facts.append(
            text(
                "html-unit-award",
                lang,
                award=award_words(standing, result, lang),
                prize=prize_words(standing, lang),
            )
        )
    elif standing.eligible and result.places:
        facts.append(text("html-unit-no-award", lang, why=no_award_words(standing, result, lang)))
    tie = tie_words(standing, result, lang)
    if tie:
        facts.append(text("html-unit-tie", lang, tie=tie))
    if standing.dossier_missing:
        facts.append(dossier_missing_words(standing, lang))
    return tuple(facts)


def _unit_view(standing: Standing, number: int, result: ContestResult, lang: Lang) -> UnitView:
    model = result.rubric.model
    index = _Index(model)
    verified = standing.verified
    differences = tuple(
        Difference(
            line.id,
            line.label,
            line.depth,
            points_words(line.claimed, lang),
            points_words(line.reported, lang),
            points_words(line.verified, lang),
            line_reason(line, model, lang),
        )
        for line in standing.differences
    )
    if not standing.submission.claimed and standing.claimed_total is None:
        no_differences = text("contest-no-claims", lang)
    elif not differences:
        no_differences = text("contest-no-differences", lang)
    else:
        no_differences = ""
    audit = (
        AuditRow(text("html-submission-file", lang), standing.submission.source),
        AuditRow(text("html-submission-sha256", lang), standing.submission.sha256),
        AuditRow(text("html-reported-sha256", lang), standing.reported.evidence_sha256),
        AuditRow(text("html-verified-sha256", lang), verified.evidence_sha256),
    )
    return UnitView(
        anchor=_anchor(standing.code, number),
        code=standing.code,
        heading=text(
            "contest-unit-head",
            lang,
            unit=standing.contestant.name,
            code=standing.code,
            rank=standing.rank,
            total=format_number(standing.total, lang),
        ),
        facts=_facts(standing, result, lang),
        differences=differences,
        no_differences=no_differences,
        changes=_changes(standing, lang),
        lines=_contest_lines(standing, index, lang),
        re_inspected=standing.re_inspected,
        evidence=_unit_evidence(standing, lang),
        missing=_missing(verified),
        assessments=_assessments(verified, index, lang),
        unassessed=_unassessed(verified, lang),
        dossier=_dossier(standing, model.dossier, lang),
        audit=audit,
    )


def contest_html(result: ContestResult, lang: Lang = "vi") -> str:
    """The whole contest as a self-contained HTML document: the ranking (claimed,
    reported and verified totals, eligibility, award, prize), the awards, the
    units not eligible and why, the ties; then, one page each, every unit's
    outcome, the criteria that differ and why, what re-inspection changed, the
    criterion table with the trace and rubric line of every row, the evidence,
    the reviewers' assessments and the dossier; and the audit block."""
    header = result.rubric.model.header
    notes = tuple(
        Notes((section.heading or "").rstrip(":"), section.items)
        for section in note_sections(result, lang)
    )
    return _render(
        "contest.html.j2",
        lang,
        title=text("contest-title", lang, title=header.title),
        rubric_line=text(
            "contest-rubric", lang, id=header.id, year=header.year, file=result.rubric.source.name
        ),
        rules=(
            tie_order_words(result.rubric.model, lang),
            text("contest-still-tied", lang, rule=policy_words(result.policy, lang)),
        ),
        ranking=_ranking(result, lang),
        notes=notes,
        units=tuple(
            _unit_view(s, number, result, lang) for number, s in enumerate(result.standings, 1)
        ),
        audit=_rubric_audit(result.rubric.source.name, result.rubric.sha256, lang),
    )


__all__ = ["contest_html", "result_html", "results_html"]
