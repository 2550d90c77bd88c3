"""``htx-rules check``: every compile error, and what a careful reviewer would raise.

A rubric that compiles can still be wrong in ways no evidence will show at
once: a criterion whose thresholds top out below its maximum, an arm written
below another that already takes all its values, a cap that never binds, an
evidence field nobody reads, two criteria with the same label, points off the
table's declared step.  This stage finds them by reasoning over the checked
model — the value ranges of :mod:`htx_rules.ranges`, never by sampling — so
what it says holds for every piece of evidence the declarations allow.

Three severities (see ``docs/check.md``):

* ``error`` — the rubric does not compile (every compile error is listed);
* ``warning`` — it compiles, but something is probably not what was meant;
* ``note`` — a fact worth knowing that is usually intended (a rule whose value
  can pass its maximum, so the clamp to the maximum binds).

Everything here is pure: :func:`check` takes text; only :func:`check_file`
reads a file.
"""

from __future__ import annotations

import decimal
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from htx_rules import model as m
from htx_rules.checker import SectionWord, all_items, scoring_exprs, walk
from htx_rules.decimals import ROUNDING_MODES, Lang, format_number
from htx_rules.digest import sha256_hex
from htx_rules.errors import Diagnostic, Reporter, RubricError, Severity
from htx_rules.messages import render_message
from htx_rules.parser import keyword_language
from htx_rules.ranges import INFINITY, ArmsAnalysis, Interval, RangeAnalysis, is_whole
from htx_rules.render import document_head
from htx_rules.rubric import compile_model, decode_rubric
from htx_rules.source import SourceText, Span

CHECK_FORMAT: Final = "htx-rules.check"
CHECK_FORMAT_VERSION: Final = 1

_SEVERITY_ORDER: Final[dict[Severity, int]] = {"error": 0, "warning": 1, "note": 2}
# Wide enough to round any proved bound of a rule without losing digits.
_WIDE: Final = decimal.Context(prec=200, traps=[])


@attrs.frozen
class CheckReport:
    """What ``htx-rules check`` found in one rubric file.

    Attributes:
        file: The name the rubric was checked under (a path, or ``<string>``).
        diagnostics: Every error, warning and note, in file order.
        compiled: Whether the rubric compiles (no errors); warnings and notes
            are only looked for in a rubric that compiles.
        sha256: The SHA-256 of the file's bytes (of the text's UTF-8 for text).
    """

    file: str
    diagnostics: tuple[Diagnostic, ...]
    compiled: bool
    sha256: str

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The compile errors (a rubric with any does not compile)."""
        return self._of("error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """What a careful reviewer would question."""
        return self._of("warning")

    @property
    def notes(self) -> tuple[Diagnostic, ...]:
        """Facts worth knowing, usually intended."""
        return self._of("note")

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every diagnostic, in order."""
        return tuple(d.code for d in self.diagnostics)

    @property
    def clean(self) -> bool:
        """No error and no warning (notes may remain)."""
        return not self.errors and not self.warnings

    def _of(self, severity: Severity) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == severity)

    def render(self, lang: Lang = "vi") -> str:
        """Every diagnostic drawn like a compile error, then the summary line."""
        return check_text([self], lang)


def check(text: str, name: str = "<string>", *, sha256: str | None = None) -> CheckReport:
    """Check rubric text: every compile error, or every warning and note.

    Args:
        text: The rubric, in the htx_rules rubric language.
        name: The name diagnostics show for it (usually a file path).
        sha256: The SHA-256 of the bytes the text came from (by default, of
            the text's UTF-8 encoding).

    Never raises for a wrong rubric: its problems are the report's diagnostics.
    """
    if not isinstance(text, str):
        raise TypeError("check() takes the rubric's text; use check_file() for a path")
    digest = sha256 if sha256 is not None else sha256_hex(text.encode("utf-8"))
    try:
        source, model = compile_model(text, name)
    except RubricError as error:
        return CheckReport(name, _sorted(error.diagnostics), False, digest)
    return CheckReport(name, _sorted(review(model, source)), True, digest)


def check_bytes(raw: bytes, name: str) -> CheckReport:
    """Check a rubric file's bytes (UTF-8, with or without a byte-order mark)."""
    digest = sha256_hex(raw)
    try:
        text = decode_rubric(raw, name)
    except RubricError as error:
        return CheckReport(name, error.diagnostics, False, digest)
    return check(text, name, sha256=digest)


def check_file(path: str | os.PathLike[str]) -> CheckReport:
    """Read and check a rubric file.

    Raises:
        OSError: the file cannot be read.
    """
    return check_bytes(Path(path).read_bytes(), str(path))


def review(model: m.RubricModel, source: SourceText) -> list[Diagnostic]:
    """The warnings and notes about a checked model, in no particular order."""
    reviewer = _Reviewer(model, source)
    reviewer.run()
    return reviewer.diagnostics


def _sorted(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    def key(d: Diagnostic) -> tuple[int, int, int]:
        line, column = (d.span.line, d.span.column) if d.span else (0, 0)
        return (line, column, _SEVERITY_ORDER[d.severity])

    return tuple(sorted(diagnostics, key=key))


# ---------------------------------------------------------------- words in messages


class Highest:
    """The highest value a rule can give: a number, or *no limit*."""

    def __init__(self, value: Decimal) -> None:
        self.value = value

    def localize(self, lang: str) -> str:
        if self.value.is_finite():
            return format_number(self.value, "vi" if lang == "vi" else "en")
        return "không giới hạn" if lang == "vi" else "no limit"


class RangeWord:
    """The values a subject can have, for people: ``từ 0% đến 100%``."""

    def __init__(self, span: Interval, unit: str, whole: bool) -> None:
        self.span = span
        self.unit = unit
        self.whole = whole

    def _number(self, value: Decimal, lang: Lang) -> str:
        if self.unit == "percent":
            return format_number(value.scaleb(2), lang) + "%"
        if self.unit == "money":
            return format_number(value, lang) + " đồng"
        return format_number(value, lang)

    def localize(self, lang: str) -> str:
        language: Lang = "vi" if lang == "vi" else "en"
        low, high = self.span.low, self.span.high
        if low.is_finite() and high.is_finite():
            key = "range-between"
        elif low.is_finite():
            key = "range-from"
        elif high.is_finite():
            key = "range-to"
        else:
            key = "range-any"
        args = {
            "low": self._number(low, language) if low.is_finite() else "",
            "high": self._number(high, language) if high.is_finite() else "",
        }
        text = render_message(f"check-{key}", args, language)
        if self.whole:
            text = render_message("check-range-whole", {"range": text}, language)
        return text


# ---------------------------------------------------------------- the review


class _Reviewer(Reporter):
    """Finds the warnings and notes of one checked model."""

    def __init__(self, model: m.RubricModel, source: SourceText) -> None:
        super().__init__(source)
        self.model = model
        self.ranges = RangeAnalysis(model)
        self.fields = {f.name: f for f in model.fields}
        rounding = model.header.rounding
        self.quantum = Decimal(1).scaleb(-rounding.places)
        self.mode = ROUNDING_MODES[rounding.mode]
        #: the most points each item can give, as far as the rules show
        self.reach: dict[str, Decimal] = {}

    def detect_keyword_language(self) -> Lang:
        return keyword_language(self.source.text)

    def warn(self, code: str, span: Span | None, hint: str | None = None, **args: object) -> None:
        self.report("warning", code, span, hint, args, args)

    def note(self, code: str, span: Span | None, hint: str | None = None, **args: object) -> None:
        self.report("note", code, span, hint, args, args)

    def run(self) -> None:
        model = self.model
        standard = Decimal(0)
        short: list[str] = []
        for part in model.parts:
            reached = min(
                part.maximum, sum((self.item(c, None) for c in part.criteria), Decimal(0))
            )
            standard += reached
            short += [i for i in _leaf_ids(part.criteria) if self.reach[i] < self._maximum(i)]
        if standard < model.header.total:
            self.warn(
                "total-unreachable",
                model.header.total_span,
                "hint-total-unreachable",
                high=standard,
                total=model.header.total,
                items=tuple(short),
            )
        for section in (model.bonus, model.deduction):
            if section is not None:
                self.section(section)
        self.eligibility()
        self.unused_fields()
        self.labels()
        self.steps()

    def _maximum(self, item_id: str) -> Decimal:
        return self.ranges.maxima[item_id]

    # ------------------------------------------------------------ items and maxima

    def item(self, item: m.Criterion, section: m.Section | None) -> Decimal:
        """Review one item; the most points it can give."""
        if item.children:
            reached = sum((self.item(c, section) for c in item.children), Decimal(0))
            self.reach[item.id] = min(item.maximum, reached)
            return self.reach[item.id]
        scoring = item.scoring
        assert scoring is not None
        if isinstance(scoring, m.Assessed):
            self.reach[item.id] = item.maximum
            return item.maximum
        self.arms(scoring)
        self.condition(scoring)
        above = self.points_above_max(item, scoring)
        if isinstance(scoring, m.PerUnit):
            above = self.cap(item, scoring) or above
        high = self.highest(scoring, item.maximum)
        reached = min(item.maximum, max(high, Decimal(0)))
        self.reach[item.id] = reached
        where = item.maximum_span or item.span
        if section is not None and high <= 0:
            self.warn(
                "rule-never-fires",
                scoring.span,
                "hint-rule-never-fires",
                id=item.id,
                section=SectionWord(section.kind),
            )
        elif reached < item.maximum:
            self.warn(
                "max-unreachable",
                where,
                "hint-max-unreachable",
                id=item.id,
                high=reached,
                max=item.maximum,
            )
        elif high > item.maximum and not above:
            self.note(
                "clamped-to-max",
                scoring.span,
                "hint-clamped-to-max",
                id=item.id,
                high=Highest(high),
                max=item.maximum,
            )
        return reached

    def highest(self, scoring: m.Scoring, maximum: Decimal) -> Decimal:
        """The highest raw value of a rule, rounded by the rubric's rounding rule
        (which is monotone, so this bounds every rounded value)."""
        high = self.ranges.scoring(scoring, maximum).high
        if not high.is_finite():
            return high
        rounded = high.quantize(self.quantum, rounding=self.mode, context=_WIDE)
        return INFINITY if rounded.is_nan() else rounded

    def points_above_max(self, item: m.Criterion, scoring: m.Scoring) -> bool:
        """Warn about points written above the item's maximum; whether any were."""
        found = False
        for expr in _written_points(scoring, self._blocked_arms(scoring)):
            value = self.ranges.expr(expr).constant
            if value is not None and value > item.maximum:
                found = True
                self.warn(
                    "points-above-max",
                    expr.span,
                    "hint-points-above-max",
                    id=item.id,
                    points=value,
                    max=item.maximum,
                )
        return found

    def cap(self, item: m.Criterion, scoring: m.PerUnit) -> bool:
        """Warn about an ``at most`` that never binds or never matters; whether
        the warning says the points can pass the maximum."""
        if scoring.cap is None:
            return False
        cap = self.ranges.expr(scoring.cap)
        uncapped = self.ranges.uncapped_amount(scoring)
        if uncapped.high <= cap.low:
            self.warn(
                "cap-never-binds",
                scoring.cap.span,
                "hint-cap-never-binds",
                id=item.id,
                cap=cap.low,
                high=uncapped.high,
            )
            return False
        if scoring.base is None and cap.low > item.maximum:
            self.warn(
                "cap-above-max",
                scoring.cap.span,
                "hint-cap-above-max",
                id=item.id,
                cap=cap.low,
                max=item.maximum,
            )
            return True
        return False

    def section(self, section: m.Section) -> None:
        reached = sum((self.item(r, section) for r in section.rules), Decimal(0))
        if reached <= section.maximum:
            self.warn(
                "section-cap-never-binds",
                section.maximum_span or section.span,
                "hint-section-cap-never-binds",
                section=SectionWord(section.kind),
                sum=reached,
                max=section.maximum,
            )

    # ------------------------------------------------------------ arms and conditions

    def _analysis(self, scoring: m.Scoring) -> ArmsAnalysis | None:
        if isinstance(scoring, m.Banded | m.Cases):
            return self.ranges.arms(scoring)
        return None

    def _blocked_arms(self, scoring: m.Scoring) -> frozenset[int]:
        analysis = self._analysis(scoring)
        if analysis is None:
            return frozenset()
        return frozenset(i for i, f in enumerate(analysis.fates) if f.blocked is not None)

    def arms(self, scoring: m.Scoring) -> None:
        analysis = self._analysis(scoring)
        if analysis is None:
            return
        assert isinstance(scoring, m.Banded | m.Cases)
        arms = scoring.arms
        for arm, fate in zip(arms, analysis.fates, strict=True):
            lines = tuple(arms[i].span.line for i in fate.by)
            if fate.blocked == "outside":
                assert isinstance(scoring, m.Banded)
                assert analysis.domain is not None
                self.warn(
                    "threshold-unreachable",
                    arm.span,
                    "hint-threshold-unreachable",
                    subject=self.source.slice(scoring.subject.span),
                    range=self._range_word(scoring, analysis.domain),
                )
            elif fate.blocked == "duplicate":
                self.warn("threshold-duplicate", arm.span, "hint-remove-duplicate", line=lines[0])
            elif fate.blocked == "shadowed":
                self.warn("threshold-order", arm.span, "hint-threshold-order", lines=lines)
            elif fate.blocked == "covered":
                self.warn("otherwise-never-taken", arm.span, "hint-otherwise-never-taken")
            elif fate.blocked == "never":
                assert isinstance(arm, m.CaseArm)
                self.warn("condition-never-holds", arm.condition.span, "hint-condition-never")
            elif fate.blocked == "after-always":
                self.warn("arm-after-always", arm.span, "hint-arm-after-always", line=lines[0])
        if isinstance(scoring, m.Banded):
            self.monotone(scoring, analysis)

    def _range_word(self, scoring: m.Banded, domain: Interval) -> RangeWord:
        units = [
            a.bound.unit
            for a in scoring.arms
            if isinstance(a, m.ThresholdArm) and isinstance(a.bound, m.Number)
        ]
        unit = "percent" if "percent" in units else ("money" if "money" in units else "plain")
        subject = scoring.subject
        if isinstance(subject, m.FieldRef) and self.fields[subject.name].type in (
            "percent",
            "money",
        ):
            unit = self.fields[subject.name].type
        return RangeWord(domain, unit, is_whole(subject, self.fields))

    def monotone(self, scoring: m.Banded, analysis: ArmsAnalysis) -> None:
        """Warn when the points of a ladder of thresholds change direction."""
        thresholds = [a for a in scoring.arms if isinstance(a, m.ThresholdArm)]
        ops = {a.op for a in thresholds}
        if not thresholds or not (ops <= {">=", ">"} or ops <= {"<=", "<"}):
            return
        ladder: list[tuple[m.Arm, Decimal]] = []
        for arm, fate in zip(scoring.arms, analysis.fates, strict=True):
            if fate.blocked is not None:
                continue
            value = self.ranges.expr(arm.points).constant
            if value is None:
                return
            ladder.append((arm, value))
        if not ladder:
            return
        # The first level where the points turn (up then down, or down then up).
        direction = 0
        last, value = ladder[0]  # the last level of the current run of equal points
        before: tuple[m.Arm, Decimal] | None = None  # the level before that run
        for arm, points in ladder[1:]:
            step = (points > value) - (points < value)
            if step == 0:
                last = arm
                continue
            if direction and step != direction and before is not None:
                self.warn(
                    "threshold-not-monotone",
                    last.span,
                    "hint-threshold-not-monotone",
                    points=value,
                    previous=before[1],
                    line=before[0].span.line,
                    next=points,
                    next_line=arm.span.line,
                )
                return
            direction = step
            before = (last, value)
            last, value = arm, points

    def condition(self, scoring: m.Scoring) -> None:
        if not isinstance(scoring, m.Conditional):
            return
        answer = self.ranges.truth(scoring.condition)
        if answer is False:
            self.warn("condition-never-holds", scoring.condition.span, "hint-condition-never")
        elif answer is True:
            self.warn("condition-always-holds", scoring.condition.span, "hint-condition-always")

    def eligibility(self) -> None:
        awards = self.model.awards
        if awards is None:
            return
        for rule in awards.eligibility:
            answer = self.ranges.truth(rule.condition)
            if answer is False:
                self.warn("condition-never-holds", rule.condition.span, "hint-condition-never")
            elif answer is True:
                self.warn("condition-always-holds", rule.condition.span, "hint-condition-always")

    # ------------------------------------------------------------ evidence, labels, step

    def unused_fields(self) -> None:
        read: set[str] = set()
        for item in all_items(self.model):
            if item.scoring is not None:
                read.update(_fields_in(scoring_exprs(item.scoring)))
        awards = self.model.awards
        if awards is not None:
            read.update(_fields_in(rule.condition for rule in awards.eligibility))
            read.update(k.ref for k in awards.tie_breaks if k.subject == "field" and k.ref)
        for field in self.model.fields:
            if field.name not in read:
                self.warn("field-unused", field.span, "hint-field-unused", name=field.name)

    def labels(self) -> None:
        model = self.model
        self.duplicates(
            (item.id, item.label, item.label_span or item.span) for item in all_items(model)
        )
        self.duplicates((p.id, p.label, p.label_span or p.span) for p in model.parts)
        self.duplicates((f.name, f.label, f.label_span or f.span) for f in model.fields)
        for field in model.fields:
            # Values listed inline are their own labels, and unique already.
            labelled = [c for c in field.choices if c.label != c.value]
            self.duplicates((c.value, c.label, c.span) for c in labelled)
        if model.awards is not None:
            self.duplicates((str(p.rank), p.label, p.span) for p in model.awards.places)
        self.duplicates((d.id, d.label, d.span) for d in model.dossier)

    def duplicates(self, labelled: Iterable[tuple[str, str, Span]]) -> None:
        seen: dict[str, tuple[str, Span]] = {}
        for name, label, span in labelled:
            key = " ".join(label.casefold().split())
            if key in seen:
                other, first = seen[key]
                self.warn(
                    "duplicate-label",
                    span,
                    "hint-duplicate-label",
                    name=name,
                    other=other,
                    line=first.line,
                )
            else:
                seen[key] = (name, span)

    def steps(self) -> None:
        step = self.model.header.step
        if step is None:
            return
        model = self.model
        written: list[tuple[Decimal, Span]] = []
        for part in model.parts:
            written.append((part.maximum, part.maximum_span or part.span))
        for section in (model.bonus, model.deduction):
            if section is not None:
                written.append((section.maximum, section.maximum_span or section.span))
        for item in all_items(model):
            written.append((item.maximum, item.maximum_span or item.span))
            if item.scoring is not None:
                for expr in _written_points(item.scoring, frozenset(), rates=True):
                    if isinstance(expr, m.Number):
                        written.append((expr.value, expr.span))
        if model.awards is not None and model.awards.minimum is not None:
            written.append((model.awards.minimum, model.awards.minimum_span or model.awards.span))
        for value, span in written:
            steps = value / step
            if steps != steps.to_integral_value():
                lower = step * steps.to_integral_value(decimal.ROUND_FLOOR)
                self.warn(
                    "points-off-step",
                    span,
                    "hint-points-off-step",
                    points=value,
                    step=step,
                    lower=lower,
                    upper=lower + step,
                )


def _leaf_ids(items: Sequence[m.Criterion]) -> Iterator[str]:
    for item in items:
        if item.children:
            yield from _leaf_ids(item.children)
        else:
            yield item.id


def _fields_in(exprs: Iterable[m.Expr]) -> Iterator[str]:
    for expr in exprs:
        for sub in walk(expr):
            if isinstance(sub, m.FieldRef):
                yield sub.name


def _written_points(
    scoring: m.Scoring, blocked: frozenset[int], *, rates: bool = False
) -> Iterator[m.Expr]:
    """The expressions of a scoring form that are points a unit can be given
    as they are written: the points of a condition and of each arm (but not of
    ``blocked`` arms), the base of ``minus … per``, the points for a zero
    target; with ``rates``, also the rate, the cap and the step of a target."""
    if isinstance(scoring, m.Formula):
        yield scoring.expr
    elif isinstance(scoring, m.Conditional):
        yield scoring.points
        if scoring.otherwise is not None:
            yield scoring.otherwise
    elif isinstance(scoring, m.PerUnit):
        if scoring.base is not None:
            yield scoring.base
        if rates:
            yield scoring.rate
            if scoring.cap is not None:
                yield scoring.cap
    elif isinstance(scoring, m.Banded | m.Cases):
        for index, arm in enumerate(scoring.arms):
            if index not in blocked:
                yield arm.points
    elif isinstance(scoring, m.Target):
        if scoring.zero_target is not None:
            yield scoring.zero_target
        if rates and isinstance(scoring.mode, m.Stepped):
            yield scoring.mode.points


# ---------------------------------------------------------------- rendering


def _counts(reports: Sequence[CheckReport]) -> dict[str, int]:
    return {
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
        "notes": sum(len(r.notes) for r in reports),
    }


def check_text(reports: Sequence[CheckReport], lang: Lang = "vi") -> str:
    """The reports for people: each diagnostic drawn like a compile error (file,
    line, column, the source line with a caret, the message and a hint), then a
    summary line per file, and a total line when there are several files."""
    blocks: list[str] = []
    for report in reports:
        drawn = [d.render(lang) for d in report.diagnostics]
        summary = render_message("check-summary", {"file": report.file, **_counts([report])}, lang)
        blocks.append("\n\n".join([*drawn, summary]))
    text = "\n\n".join(blocks)
    if len(reports) > 1:
        text += "\n\n" + render_message("check-total", _counts(reports), lang)
    return text + "\n"


def check_to_dict(reports: Sequence[CheckReport], lang: Lang = "vi") -> dict[str, Any]:
    """The reports as one JSON-ready document, ``"format": "htx-rules.check"``
    (described in ``docs/check.md``); messages and hints in ``lang``."""
    diagnostics: list[dict[str, Any]] = []
    for report in reports:
        for d in report.diagnostics:
            span = d.span
            diagnostics.append(
                {
                    "code": d.code,
                    "severity": d.severity,
                    "file": span.file if span else report.file,
                    "line": span.line if span else None,
                    "column": span.column if span else None,
                    "end_line": span.end_line if span else None,
                    "end_column": span.end_column if span else None,
                    "message": d.message(lang),
                    "hint": d.hint_text(lang),
                }
            )
    return {
        **document_head(CHECK_FORMAT, CHECK_FORMAT_VERSION, lang),
        "files": [
            {
                "file": r.file,
                "sha256": r.sha256,
                "compiled": r.compiled,
                **_counts([r]),
            }
            for r in reports
        ],
        "diagnostics": diagnostics,
        "summary": _counts(reports),
    }


def check_to_json(reports: Sequence[CheckReport], lang: Lang = "vi") -> str:
    """:func:`check_to_dict` as JSON text (UTF-8 characters kept, two-space indent)."""
    return json.dumps(check_to_dict(reports, lang), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "CHECK_FORMAT",
    "CHECK_FORMAT_VERSION",
    "CheckReport",
    "check",
    "check_bytes",
    "check_file",
    "check_text",
    "check_to_dict",
    "check_to_json",
    "review",
]
