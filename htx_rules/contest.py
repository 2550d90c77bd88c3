"""Stage 6: the contest — every unit's self-score, re-inspection, eligibility,
ranking and awards.

A contest is a rubric and one :class:`Submission` per unit: the evidence the
unit reported, the points it claimed per criterion (its self-score table), the
dossier documents it sent and, once the Provincial Cooperative Alliance has
re-inspected it (phúc tra), the verified evidence and the reviewers'
assessments.  :func:`run_contest` scores every unit twice — on its reported
evidence, and on the verified evidence (the reported evidence where
re-inspection gave nothing) — and then:

* puts claimed, reported and verified points side by side per criterion
  (:class:`ReconciliationLine`);
* decides eligibility from the rubric's ``eligible if`` lines, its dossier and
  its minimum score, listing every reason a unit is not eligible;
* ranks every unit by verified total, breaking ties by the rubric's ``ties``
  order; a tie that order cannot break is a shared place, never decided by name
  or input order;
* gives the rubric's award places to eligible units in rank order, applying
  the rubric's ``still tied`` rule to a shared place (``docs/contest.md``).

Everything here is data; :mod:`htx_rules.report` and :mod:`htx_rules.excel`
render it.  Nothing reads files.
"""

from __future__ import annotations

import datetime
import decimal
import difflib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from htx_rules import model as m
from htx_rules.checker import all_items, walk
from htx_rules.decimals import SCORING_CONTEXT, ZERO
from htx_rules.digest import canonical_json, sha256_hex
from htx_rules.errors import EvidenceError, EvidenceProblem, HtxRulesError
from htx_rules.evaluator import DOSSIER_COMPLETE, Missing, Undefined, compile_condition
from htx_rules.evidence import validate_assessments
from htx_rules.messages import QuotedList, Verbatim, render_message
from htx_rules.render import show_evidence
from htx_rules.result import Assessment, Result, TraceNode, Value
from htx_rules.rubric import Rubric

TiePolicy = Literal["split", "each", "council"]


# ---------------------------------------------------------------- input


@attrs.frozen
class Submission:
    """What one unit sent, and what re-inspection found.

    Attributes:
        contestant: The unit's code, as the rubric lists it (``"931"``).
        evidence: The evidence the unit reported, field by field (not yet
            validated: plain values as read from a file).
        claimed: The points the unit claimed, by criterion or rule id (its
            self-score table); criteria it did not score are left out.
        claimed_total: The total the unit claimed, when its table states one.
        dossier: Ids of the dossier documents it sent (see the rubric's
            ``dossier`` section).
        verified: The evidence as re-inspection found it, or None when the unit
            has not been re-inspected.  Only fields that re-inspection checked
            need to be given: any other field keeps its reported value; a field
            given as None is one whose reported value was not accepted.
        assessments: The reviewers' assessments of the criteria the rubric
            marks ``assessed by reviewer``, by criterion id.
        note: A free remark (shown in reports).
        source: Where the submission was read from (a file, a sheet).
    """

    contestant: str
    evidence: Mapping[str, object] = attrs.field(factory=dict)
    claimed: Mapping[str, object] = attrs.field(factory=dict)
    claimed_total: object = None
    dossier: tuple[str, ...] = ()
    verified: Mapping[str, object] | None = None
    assessments: Mapping[str, object] = attrs.field(factory=dict)
    note: str | None = None
    source: str = "<submission>"

    @property
    def sha256(self) -> str:
        """The SHA-256 of everything the unit sent and re-inspection found, in canonical form.

        The canonical form is that of ``docs/trace.md`` (*Hashes*), applied to
        the submission's fields as read (``source``, where it was read from, is
        left out: moving a file does not change what it says).
        """
        return sha256_hex(
            canonical_json(
                {
                    "assessments": self.assessments,
                    "claimed": self.claimed,
                    "claimed_total": self.claimed_total,
                    "contestant": self.contestant,
                    "dossier": list(self.dossier),
                    "evidence": self.evidence,
                    "note": self.note,
                    "verified": self.verified,
                }
            )
        )


class ContestError(HtxRulesError):
    """The contest input is wrong; every problem is listed with where it is.

    Attributes:
        problems: ``(where, problem)`` pairs: ``where`` names the file (and
            sheet) a problem was found in, or is empty for the contest as a whole.
    """

    def __init__(self, problems: Sequence[tuple[str, EvidenceProblem]]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render("vi"))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every problem, in order."""
        return tuple(p.code for _, p in self.problems)

    def render(self, lang: Literal["vi", "en"] = "vi") -> str:
        head = render_message("contest-invalid", {"count": len(self.problems)}, lang)
        lines = [head]
        for where, problem in self.problems:
            prefix = f"{where}: " if where else ""
            lines.append(f"  - {prefix}{problem.message(lang)}")
        return "\n".join(lines)


# ---------------------------------------------------------------- results


@attrs.frozen
class ChangedValue:
    """An evidence value that re-inspection changed."""

    field: str
    label: str
    reported: Value | None
    verified: Value | None


@attrs.frozen
class ReconciliationLine:
    """One criterion or rule of one unit: claimed, reported and verified points.

    Attributes:
        id: The criterion or rule id.
        label: Its label.
        kind: ``criterion`` or ``rule`` (bonus and deduction rules).
        depth: 0 for a criterion of a part, 1 for its sub-criteria, and so on.
        maximum: Its maximum.
        claimed: The points the unit claimed, or None when it claimed none.
        reported: The points its reported evidence earns under the rubric (a
            reviewer's assessment counts on both sides: it is not evidence).
        verified: The points it earns after re-inspection (the basis of the ranking).
        reported_node: The trace of the reported scoring for this item.
        verified_node: The trace of the verified scoring for this item.
        changed: Evidence values this item reads that re-inspection changed.
        assessed: Whether a reviewer gives its points.
    """

    id: str
    label: str
    kind: str
    depth: int
    maximum: Decimal
    claimed: Decimal | None
    reported: Decimal
    verified: Decimal
    reported_node: TraceNode = attrs.field(repr=False)
    verified_node: TraceNode = attrs.field(repr=False)
    changed: tuple[ChangedValue, ...] = ()
    assessed: bool = False

    @property
    def leaf(self) -> bool:
        """Whether its points come from its own rule (not from sub-criteria)."""
        return not self.verified_node.children

    @property
    def claim_differs(self) -> bool:
        """Whether the claimed points differ from the verified points."""
        return self.claimed is not None and self.claimed != self.verified

    @property
    def inspection_differs(self) -> bool:
        """Whether re-inspection changed the points the reported evidence earns."""
        return self.reported != self.verified

    @property
    def evidence_differs(self) -> bool:
        """Whether the claim differs from what the unit's own evidence earns."""
        return self.claimed is not None and self.claimed != self.reported

    @property
    def differs(self) -> bool:
        """Whether anything on the line differs."""
        return self.claim_differs or self.inspection_differs or self.evidence_differs


@attrs.frozen
class Reason:
    """Why a unit is not eligible for an award (a catalog message and its values).

    Codes: ``ineligible-rule`` (an ``eligible if`` line does not hold; ``reason``
    is the rubric's words, ``line`` where it is written), ``ineligible-dossier``
    (documents missing), ``ineligible-minimum`` (total below the minimum),
    ``ineligible-unknown`` (a value the condition needs was not given).
    """

    code: str
    args: Mapping[str, object] = attrs.field(factory=dict)

    def text(self, lang: Literal["vi", "en"] = "vi") -> str:
        """The reason in ``lang``."""
        return render_message(self.code, self.args, lang)


@attrs.frozen
class TieNote:
    """How a unit was separated from the unit ranked just above it with the same total.

    Attributes:
        key: The tie-break key that decided (None: the tie could not be broken).
        other: The code of the unit just above.
        own: This unit's value for the key.
        theirs: The other unit's value.
    """

    key: m.TieBreak | None
    other: str
    own: Value | None = None
    theirs: Value | None = None


@attrs.frozen
class Award:
    """The award a unit receives (or, for a tie left to the council, may receive).

    Attributes:
        place: The award place (rank, name, prize in the rubric).
        prize: The money this unit receives, in đồng (None: to be decided).
        shared_with: Codes of the other units sharing the place.
        policy: The rule applied to a shared place (``split``, ``each``,
            ``council``), or None when the place is not shared.
        places: For a shared place, every award place the tied units span.
        remainder: Đồng left over when a split prize does not divide exactly: the
            remainder of the whole shared place, the same on each of its units.
    """

    place: m.Place
    prize: Decimal | None
    shared_with: tuple[str, ...] = ()
    policy: TiePolicy | None = None
    places: tuple[m.Place, ...] = ()
    remainder: Decimal = ZERO

    @property
    def pending(self) -> bool:
        """Whether the award is left to the emulation council to decide."""
        return self.prize is None


@attrs.frozen
class Standing:
    """One unit's outcome in the contest.

    Attributes:
        contestant: The unit.
        submission: What it sent.
        reported: Its score on the evidence it reported (claims aside).
        verified: Its score after re-inspection: the basis of ranking and
            awards (the reported evidence, with any assessments, when it was
            not re-inspected).
        re_inspected: Whether verified evidence was given.
        lines: Claimed, reported and verified points per criterion and rule.
        claimed_total: The total it claimed (stated, or the sum of its claims).
        dossier_missing: Dossier documents it did not send.
        reasons: Why it is not eligible (empty: eligible).
        rank: Its place in the ranking of all units (shared by a tie).
        tie: How it was separated from the unit above with the same total
            (``key`` None: it was not; it shares that unit's rank).
        award: The award it receives, or None.
        shared_with: Codes of the other units sharing its rank (a tie the
            rubric's order cannot break), in display order.
    """

    contestant: m.Contestant
    submission: Submission = attrs.field(repr=False)
    reported: Result = attrs.field(repr=False)
    verified: Result = attrs.field(repr=False)
    re_inspected: bool
    lines: tuple[ReconciliationLine, ...] = attrs.field(repr=False)
    claimed_total: Decimal | None
    dossier_missing: tuple[m.Document, ...]
    reasons: tuple[Reason, ...]
    rank: int
    tie: TieNote | None
    award: Award | None
    shared_with: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The unit's code."""
        return self.contestant.code

    @property
    def total(self) -> Decimal:
        """The verified total, the one that ranks."""
        return self.verified.total

    @property
    def eligible(self) -> bool:
        """Whether the unit may receive an award."""
        return not self.reasons

    @property
    def differences(self) -> tuple[ReconciliationLine, ...]:
        """The reconciliation lines on which something differs."""
        return tuple(line for line in self.lines if line.differs)

    @property
    def shared(self) -> bool:
        """Whether its rank is shared with another unit (a tie not broken)."""
        return bool(self.shared_with)


@attrs.frozen
class ContestResult:
    """The whole contest: every unit's standing in rank order, and what was missing.

    Attributes:
        rubric: The rubric the contest was scored with.
        standings: One per unit, best first (a shared place keeps rubric order
            of the units' codes only for display; they share the rank).
        missing: Units the rubric lists that sent nothing.
        policy: The rubric's rule for a tie its order cannot break (None: not
            declared, and such a tie at an award place is left to the council).
    """

    rubric: Rubric = attrs.field(repr=False)
    standings: tuple[Standing, ...]
    missing: tuple[m.Contestant, ...]
    policy: TiePolicy | None

    def standing(self, code: str) -> Standing:
        """The standing of the unit with code ``code``."""
        for standing in self.standings:
            if standing.code == code:
                return standing
        raise KeyError(code)

    @property
    def awarded(self) -> tuple[Standing, ...]:
        """Units with an award (pending ones included), in rank order."""
        return tuple(s for s in self.standings if s.award is not None)

    @property
    def places(self) -> tuple[m.Place, ...]:
        """The rubric's award places, in order."""
        awards = self.rubric.model.awards
        return tuple(sorted(awards.places, key=lambda p: p.rank)) if awards else ()

    def passed_over(self) -> tuple[Standing, ...]:
        """Units ranked at or above the last awarded unit that received nothing
        (none when no unit is awarded: then every ineligible unit is simply
        not eligible, with its reasons)."""
        awarded = self.awarded
        if not awarded:
            return ()
        last = max(s.rank for s in awarded)
        return tuple(s for s in self.standings if s.award is None and s.rank <= last)


# ---------------------------------------------------------------- the contest


def run_contest(rubric: Rubric, submissions: Iterable[Submission]) -> ContestResult:
    """Score, reconcile, check eligibility, rank and award every submission.

    Raises:
        ContestError: listing every problem of the input — a unit the rubric
            does not list, a unit given twice, unknown criteria in a claim,
            unknown dossier documents, and every evidence problem — each with
            the file (or sheet) it is in.
    """
    given = list(submissions)
    problems: list[tuple[str, EvidenceProblem]] = []
    listed = {c.code: c for c in rubric.contestants}
    seen: dict[str, Submission] = {}
    for submission in given:
        code = str(submission.contestant)
        if listed and code not in listed:
            known = tuple(f"{c.code} ({c.name})" for c in rubric.contestants)
            problems.append(
                (
                    submission.source,
                    EvidenceProblem("contestant", code, "unknown-contestant", {"known": known}),
                )
            )
            # Its other problems are reported too, so one round of fixes is enough.
            try:
                _score(rubric, attrs.evolve(submission, contestant=""))
            except _Problems as error:
                problems.extend((submission.source, p) for p in error.problems)
            continue
        if code in seen:
            problems.append(
                (
                    submission.source,
                    EvidenceProblem(
                        "contestant", code, "contest-duplicate", {"other": seen[code].source}
                    ),
                )
            )
            continue
        seen[code] = submission
    scored: list[_Scored] = []
    for submission in seen.values():
        try:
            scored.append(_score(rubric, submission))
        except _Problems as error:
            problems.extend((submission.source, p) for p in error.problems)
    if problems:
        raise ContestError(problems)
    missing = tuple(c for c in rubric.contestants if c.code not in seen)
    return _rank(rubric, scored, missing)


class _Problems(Exception):
    def __init__(self, problems: list[EvidenceProblem]) -> None:
        super().__init__(problems)
        self.problems = problems


@attrs.frozen
class _Scored:
    """A unit scored, reconciled and judged eligible or not; not yet ranked."""

    contestant: m.Contestant
    submission: Submission
    reported: Result
    verified: Result
    lines: tuple[ReconciliationLine, ...]
    claimed_total: Decimal | None
    dossier_missing: tuple[m.Document, ...]
    reasons: tuple[Reason, ...]


def _score(rubric: Rubric, submission: Submission) -> _Scored:
    """Score a submission; raise :class:`_Problems` listing everything wrong with it."""
    problems: list[EvidenceProblem] = []
    # An unlisted unit is checked too (under no code), so that all of its
    # problems are reported in one round.
    code: str | None = str(submission.contestant) or None
    claimed = _claims(rubric, submission.claimed, problems)
    claimed_total = _claim_total(submission.claimed_total, problems)
    documents = {d.id: d for d in rubric.model.dossier}
    for document in submission.dossier:
        if document not in documents:
            problems.append(_unknown_document(document, documents))
    judged: dict[str, Assessment] = {}
    try:
        judged = validate_assessments(rubric.assessed, submission.assessments)
    except EvidenceError as error:
        problems.extend(attrs.evolve(p, field=f"assessments.{p.field}") for p in error.problems)
    reported = None
    try:
        # A reviewer's judgment is not evidence the unit reports: it counts
        # on both sides, so that reported and verified differ by evidence only.
        reported = rubric.score(submission.evidence, contestant=code, assessments=judged)
    except EvidenceError as error:
        problems.extend(error.problems)
    merged: dict[str, object] = dict(submission.evidence)
    if submission.verified is not None:
        try:
            rubric.validate(submission.verified)
        except EvidenceError as error:
            problems.extend(attrs.evolve(p, field=f"verified.{p.field}") for p in error.problems)
        merged.update(submission.verified)
    if problems:
        raise _Problems(problems)
    assert reported is not None
    verified = rubric.score(merged, contestant=code, assessments=judged)
    if code is None:
        raise _Problems([])
    sent = set(submission.dossier)
    dossier_missing = tuple(d for d in rubric.model.dossier if d.id not in sent)
    lines = _reconcile(rubric, claimed, reported, verified)
    if claimed_total is None and claimed:
        claimed_total = _claimed_sum(rubric, claimed)
    reasons = _eligibility(rubric, verified, dossier_missing)
    who = verified.contestant
    assert who is not None
    return _Scored(
        who, submission, reported, verified, lines, claimed_total, dossier_missing, reasons
    )


def _claims(
    rubric: Rubric, given: Mapping[str, object], problems: list[EvidenceProblem]
) -> dict[str, Decimal]:
    items = {item.id: item for item in all_items(rubric.model)}
    claims: dict[str, Decimal] = {}
    for key, value in given.items():
        item_id = str(key)
        if item_id not in items:
            problems.append(_unknown_item(item_id, items))
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            hint = "hint-decimal-evidence" if isinstance(value, float) else None
            problems.append(
                EvidenceProblem(f"claimed.{item_id}", _shown(value), "claim-not-number", hint=hint)
            )
            continue
        points = Decimal(value)
        if not points.is_finite():
            problems.append(EvidenceProblem(f"claimed.{item_id}", points, "claim-not-number"))
            continue
        if points < 0:
            problems.append(EvidenceProblem(f"claimed.{item_id}", points, "claim-negative"))
            continue
        claims[item_id] = points
    return claims


def _claim_total(value: object, problems: list[EvidenceProblem]) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        problems.append(EvidenceProblem("claimed_total", _shown(value), "claim-not-number"))
        return None
    total = Decimal(value)
    if not total.is_finite():
        problems.append(EvidenceProblem("claimed_total", total, "claim-not-number"))
        return None
    if total < 0:
        problems.append(EvidenceProblem("claimed_total", total, "claim-negative"))
        return None
    return total


def _shown(value: object) -> object:
    """A wrong value as a message shows it: as Python writes it, so that text
    keeps its quotes (``'90'`` is not the number 90)."""
    text = repr(value)
    return Verbatim(text if len(text) <= 60 else text[:57] + "…")


def _unknown_item(item_id: str, items: Mapping[str, m.Criterion]) -> EvidenceProblem:
    guess = difflib.get_close_matches(item_id, list(items), n=1, cutoff=0.6)
    return EvidenceProblem(
        f"claimed.{item_id}",
        None,
        "claim-unknown-item",
        hint="hint-did-you-mean" if guess else None,
        hint_args={"name": guess[0]} if guess else {},
    )


def _unknown_document(document: str, documents: Mapping[str, m.Document]) -> EvidenceProblem:
    known = QuotedList(tuple(documents)) if documents else "—"
    return EvidenceProblem("dossier", document, "dossier-unknown-document", {"known": known})


def _claimed_sum(rubric: Rubric, claimed: Mapping[str, Decimal]) -> Decimal:
    """The total a self-score table adds up to, the way the rubric adds: each
    part's claims (sub-criteria summed where their parent was not claimed)
    capped at the part's maximum, plus the bonus claims capped, minus the
    deduction claims capped.  A claim above a criterion's own maximum is left
    as claimed: the reconciliation shows it."""

    def points(item: m.Criterion) -> Decimal:
        if item.id in claimed:
            return claimed[item.id]
        return sum((points(c) for c in item.children), ZERO)

    def capped(items: Sequence[m.Criterion], maximum: Decimal) -> Decimal:
        return min(sum((points(i) for i in items), ZERO), maximum)

    model = rubric.model
    total = sum((capped(part.criteria, part.maximum) for part in model.parts), ZERO)
    if model.bonus is not None:
        total += capped(model.bonus.rules, model.bonus.maximum)
    if model.deduction is not None:
        total -= capped(model.deduction.rules, model.deduction.maximum)
    return max(total, ZERO)


def _reconcile(
    rubric: Rubric, claimed: Mapping[str, Decimal], reported: Result, verified: Result
) -> tuple[ReconciliationLine, ...]:
    assert reported.trace is not None
    assert verified.trace is not None
    reported_nodes = {n.id: n for n in reported.trace.walk() if n.kind in ("criterion", "rule")}
    verified_nodes = {n.id: n for n in verified.trace.walk() if n.kind in ("criterion", "rule")}
    fields = {f.name: f for f in rubric.model.fields}
    lines = []
    depth_of = _depths(rubric.model)
    claims: dict[str, Decimal | None] = dict(claimed)

    def claim_of(item: m.Criterion) -> Decimal | None:
        # A parent the table does not score itself claims what its
        # sub-criteria claim, as a self-score table adds them up.
        if item.id in claimed or not item.children:
            return claimed.get(item.id)
        parts = [claim_of(c) for c in item.children]
        known = [p for p in parts if p is not None]
        return sum(known, ZERO) if known else None

    for item in all_items(rubric.model):
        claims[item.id] = claim_of(item)
    for item in all_items(rubric.model):
        before, after = reported_nodes[item.id], verified_nodes[item.id]
        assessed = isinstance(item.scoring, m.Assessed)
        changed = tuple(
            ChangedValue(name, fields[name].label, old, new)
            for (name, old), (_, new) in zip(before.reads, after.reads, strict=True)
            if old != new or type(old) is not type(new)
        )
        lines.append(
            ReconciliationLine(
                item.id,
                item.label,
                after.kind,
                depth_of[item.id],
                item.maximum,
                claims.get(item.id),
                before.points,
                after.points,
                before,
                after,
                changed,
                assessed,
            )
        )
    return tuple(lines)


def _depths(model: m.RubricModel) -> dict[str, int]:
    depths: dict[str, int] = {}

    def visit(items: Sequence[m.Criterion], depth: int) -> None:
        for item in items:
            depths[item.id] = depth
            visit(item.children, depth + 1)

    for part in model.parts:
        visit(part.criteria, 0)
    for section in (model.bonus, model.deduction):
        if section is not None:
            visit(section.rules, 0)
    return depths


def _eligibility(
    rubric: Rubric, result: Result, dossier_missing: tuple[m.Document, ...]
) -> tuple[Reason, ...]:
    awards = rubric.model.awards
    if awards is None:
        return ()
    reasons: list[Reason] = []
    values: dict[Any, Any] = dict(result.evidence)
    values[DOSSIER_COMPLETE] = not dossier_missing
    points: dict[str, Decimal] = {**result.parts, **result.items}
    fields = {f.name: f for f in rubric.model.fields}
    for rule in awards.eligibility:
        check = compile_condition(rubric.model, rubric.source, rule.condition)
        try:
            holds = check(values, points)
        except Missing as error:
            name = error.field
            label = fields[name].label if isinstance(name, str) and name in fields else str(name)
            reasons.append(
                Reason(
                    "ineligible-unknown",
                    {"reason": rule.reason, "field": name, "label": label, "line": rule.span.line},
                )
            )
            continue
        except (Undefined, decimal.DecimalException):
            reasons.append(
                Reason("ineligible-undefined", {"reason": rule.reason, "line": rule.span.line})
            )
            continue
        if holds:
            continue
        if _reads_dossier(rule.condition) and dossier_missing:
            reasons.append(
                Reason(
                    "ineligible-dossier",
                    {
                        "reason": rule.reason,
                        "documents": tuple(d.label for d in dossier_missing),
                        "line": rule.span.line,
                    },
                )
            )
        else:
            shown = _condition_values(rule.condition, result, fields)
            reasons.append(
                Reason(
                    "ineligible-rule" if shown.pairs else "ineligible-rule-plain",
                    {"reason": rule.reason, "line": rule.span.line, "values": shown},
                )
            )
    if awards.minimum is not None and result.total < awards.minimum:
        reasons.append(
            Reason("ineligible-minimum", {"total": result.total, "minimum": awards.minimum})
        )
    return tuple(reasons)


def _reads_dossier(expr: m.Expr) -> bool:
    return any(isinstance(e, m.DossierComplete) for e in walk(expr))


class _Shown:
    """Field values a condition read, shown the reader's way (``ngay = 22/12/2021``)."""

    def __init__(self, pairs: tuple[tuple[m.Field, Value | None], ...]) -> None:
        self.pairs = pairs

    def localize(self, lang: Literal["vi", "en"]) -> str:
        return ", ".join(f"{f.name} = {show_evidence(v, f, lang)}" for f, v in self.pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Shown) and self.pairs == other.pairs

    def __hash__(self) -> int:
        return hash(self.pairs)

    def __repr__(self) -> str:
        return repr(tuple((f.name, v) for f, v in self.pairs))


def _condition_values(expr: m.Expr, result: Result, fields: Mapping[str, m.Field]) -> _Shown:
    names = dict.fromkeys(e.name for e in walk(expr) if isinstance(e, m.FieldRef))
    return _Shown(tuple((fields[n], result.evidence.get(n)) for n in names))


# ---------------------------------------------------------------- ranking


def _key_value(rubric: Rubric, key: m.TieBreak, result: Result) -> Value | None:
    if key.subject == "part":
        return result.parts[key.ref or ""]
    if key.subject == "criterion":
        return result.items[key.ref or ""]
    if key.subject == "bonus":
        return result.bonus
    if key.subject == "deduction":
        return result.deduction
    if key.subject == "total":
        return result.total
    return result.evidence.get(key.ref or "")


def _comparable(key: m.TieBreak, value: Value | None) -> tuple[int, Any]:
    """A value as a sort key where larger is better; a missing value is worst."""
    if value is None:
        return (0, 0)
    if isinstance(value, datetime.date):
        ordinal = value.toordinal()
        return (1, -ordinal if key.direction == "earlier" else ordinal)
    number = Decimal(value) if not isinstance(value, Decimal) else value
    return (1, -number if key.direction == "lower" else number)


def _rank(
    rubric: Rubric, scored: list[_Scored], missing: tuple[m.Contestant, ...]
) -> ContestResult:
    awards = rubric.model.awards
    keys = awards.tie_breaks if awards is not None else ()
    policy: TiePolicy | None = awards.still_tied if awards is not None else None
    order = {c.code: number for number, c in enumerate(rubric.contestants)}

    def sort_key(unit: _Scored) -> tuple[Any, ...]:
        values = tuple(_comparable(key, _key_value(rubric, key, unit.verified)) for key in keys)
        return (unit.verified.total, *values)

    with decimal.localcontext(SCORING_CONTEXT):
        keyed = [(sort_key(u), u) for u in scored]
    # Best first; within a tie that no key breaks, the rubric's list order is
    # only the order of display: the units share the rank.
    keyed.sort(key=lambda pair: order.get(pair[1].contestant.code, len(order)))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    ranks: list[int] = []
    ties: list[TieNote | None] = []
    for position, (key, unit) in enumerate(keyed):
        if position == 0:
            ranks.append(1)
            ties.append(None)
            continue
        above_key, above = keyed[position - 1]
        if key == above_key:
            ranks.append(ranks[-1])
            ties.append(TieNote(None, above.contestant.code))
            continue
        ranks.append(position + 1)
        if key[0] != above_key[0]:
            ties.append(None)
            continue
        for number, tie_key in enumerate(keys, start=1):
            if key[number] != above_key[number]:
                ties.append(
                    TieNote(
                        tie_key,
                        above.contestant.code,
                        _key_value(rubric, tie_key, unit.verified),
                        _key_value(rubric, tie_key, above.verified),
                    )
                )
                break
    award_of = _awards(rubric, keyed, ranks, policy)
    codes_at: dict[int, list[str]] = {}
    for (_, unit), rank in zip(keyed, ranks, strict=True):
        codes_at.setdefault(rank, []).append(unit.contestant.code)
    standings = tuple(
        Standing(
            unit.contestant,
            unit.submission,
            unit.reported,
            unit.verified,
            unit.submission.verified is not None,
            unit.lines,
            unit.claimed_total,
            unit.dossier_missing,
            unit.reasons,
            rank,
            tie,
            award_of.get(unit.contestant.code),
            tuple(c for c in codes_at[rank] if c != unit.contestant.code),
        )
        for (_, unit), rank, tie in zip(keyed, ranks, ties, strict=True)
    )
    return ContestResult(rubric, standings, missing, policy)


def _awards(
    rubric: Rubric,
    keyed: list[tuple[tuple[Any, ...], _Scored]],
    ranks: list[int],
    policy: TiePolicy | None,
) -> dict[str, Award]:
    """Award places to eligible units in rank order; a shared place by ``policy``."""
    awards = rubric.model.awards
    if awards is None or not awards.places:
        return {}
    places = sorted(awards.places, key=lambda p: p.rank)
    groups: list[list[_Scored]] = []
    group_rank: list[int] = []
    for (_, unit), rank in zip(keyed, ranks, strict=True):
        if unit.reasons:
            continue
        if groups and group_rank[-1] == rank:
            groups[-1].append(unit)
        else:
            groups.append([unit])
            group_rank.append(rank)
    result: dict[str, Award] = {}
    next_place = 0
    for group in groups:
        if next_place >= len(places):
            break
        spanned = tuple(places[next_place : next_place + len(group)])
        next_place += len(group)
        codes = [u.contestant.code for u in group]
        if len(group) == 1:
            result[codes[0]] = Award(spanned[0], spanned[0].prize)
            continue
        for unit in group:
            others = tuple(c for c in codes if c != unit.contestant.code)
            result[unit.contestant.code] = _shared_award(spanned, len(group), others, policy)
    return result


def _shared_award(
    spanned: tuple[m.Place, ...], count: int, others: tuple[str, ...], policy: TiePolicy | None
) -> Award:
    first = spanned[0]
    if policy == "split":
        pool = sum((p.prize for p in spanned), ZERO)
        with decimal.localcontext(SCORING_CONTEXT):
            share = (pool / count).quantize(Decimal(1), rounding=decimal.ROUND_DOWN)
            remainder = pool - share * count
        return Award(first, share, others, "split", spanned, remainder)
    if policy == "each":
        return Award(first, first.prize, others, "each", spanned)
    return Award(first, None, others, policy or "council", spanned)


__all__ = [
    "Award",
    "ChangedValue",
    "ContestError",
    "ContestResult",
    "Reason",
    "ReconciliationLine",
    "Standing",
    "Submission",
    "TieNote",
    "run_contest",
]
