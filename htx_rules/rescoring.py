"""Last year's evidence scored under two rubrics, and each unit's change in
total traced back to the individual rubric changes.

:func:`rescore` runs the contest twice — under the old rubric and under the new
one — on the same submissions, and puts every unit's total, rank and award side
by side.  Then it applies the changes of the :class:`~htx_rules.diff.RubricDiff`
to the old rubric one step at a time (:func:`~htx_rules.diff.plan_steps`),
compiles each rubric in between from its model, scores every unit under it, and
gives each step the difference it makes: the total after the step minus the
total before it.  The shares of the steps add up exactly to the unit's change,
by construction (``docs/diff.md``, *Attribution*).

Evidence written for one rubric does not always fit the other.  What does not
fit is set aside and said so in :attr:`Rescoring.notes`: values of fields a
rubric does not declare, values a rubric's bounds or types refuse (counted as
missing), fields a new rubric reads that the old evidence lacks (missing:
their rules score 0), reviewers' assessments of criteria renumbered (used
under the new id) or gone.

Pure functions; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from htx_rules import model as m
from htx_rules.contest import ContestResult, Standing, Submission, run_contest
from htx_rules.decimals import Lang
from htx_rules.diff import Change, RubricDiff, Shown, Step, diff_rubrics, plan_steps
from htx_rules.errors import EvidenceError, EvidenceProblem
from htx_rules.messages import render_message
from htx_rules.render import show_evidence
from htx_rules.rubric import Rubric
from htx_rules.source import SourceText

#: Kinds of change that cannot move a verified total: words (titles, labels,
#: notes, names), dates that no rule reads, the awards (they rank, not score)
#: and the dossier.  A step made only of these shares 0 without being scored
#: (a test scores them all the same and finds 0).
NEUTRAL: Final = frozenset(
    {
        "header-id",
        "header-title",
        "header-year",
        "header-scored",
        "header-period",
        "header-language",
        "header-step",
        "contestant-added",
        "contestant-removed",
        "contestant-name",
        "field-label",
        "field-unit",
        "part-label",
        "section-label",
        "item-label",
        "item-note",
        "guidance",
        "document-added",
        "document-removed",
        "document-label",
        "awards-added",
        "awards-removed",
        "awards-minimum",
        "awards-ties",
        "awards-still-tied",
        "place-added",
        "place-removed",
        "place-label",
        "place-prize",
        "eligibility-added",
        "eligibility-removed",
        "eligibility-condition",
        "eligibility-reason",
    }
)


@attrs.frozen
class Note:
    """Something the reader of a re-scoring must know: evidence set aside,
    counted as missing, or used under another id.

    Attributes:
        code: The catalog message (``diff-note-new-field`` …).
        args: Its values.
    """

    code: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: Lang = "vi") -> str:
        """The note in ``lang``."""
        return render_message(self.code, dict(self.args), lang)


@attrs.frozen
class Share:
    """What one step of the attribution did to one unit's total.

    Attributes:
        step: The step (one change, or a group applied together).
        points: The unit's total after the step minus its total before it.
    """

    step: Step
    points: Decimal


@attrs.frozen
class UnitChange:
    """One unit under the old rubric and under the new one.

    Attributes:
        code: The unit's code.
        name: Its name (as the new rubric lists it, else as the old one does).
        old: Its standing in the contest under the old rubric (None: not scored there).
        new: Its standing under the new rubric (None: not scored there).
        shares: One per step, in order, when it was scored under both: they add
            up exactly to :attr:`change`.
    """

    code: str
    name: str
    old: Standing | None = attrs.field(repr=False)
    new: Standing | None = attrs.field(repr=False)
    shares: tuple[Share, ...] = attrs.field(repr=False)

    @property
    def change(self) -> Decimal | None:
        """The new total minus the old one (None unless scored under both)."""
        if self.old is None or self.new is None:
            return None
        return self.new.total - self.old.total


@attrs.frozen
class Rescoring:
    """The same evidence under two rubrics, with every change in total explained.

    Attributes:
        diff: The rubric changes.
        steps: The order the changes were applied in (see :func:`~htx_rules.diff.plan_steps`).
        old: The contest under the old rubric.
        new: The contest under the new rubric.
        units: Every unit, in the order of the old ranking (then any unit scored
            under the new rubric only).
        notes: What was set aside, counted as missing or mapped, in words.
        source: Where the submissions were read from (shown in reports), or None.
    """

    diff: RubricDiff = attrs.field(repr=False)
    steps: tuple[Step, ...] = attrs.field(repr=False)
    old: ContestResult = attrs.field(repr=False)
    new: ContestResult = attrs.field(repr=False)
    units: tuple[UnitChange, ...]
    notes: tuple[Note, ...]
    source: str | None = None

    def unit(self, code: str) -> UnitChange:
        """The unit with code ``code``."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)


def rescore(
    old: Rubric,
    new: Rubric,
    submissions: Iterable[Submission] | Mapping[str, Mapping[str, object]],
    diff: RubricDiff | None = None,
    *,
    source: str | None = None,
) -> Rescoring:
    """Score the same evidence under ``old`` and ``new`` and attribute each
    unit's change in total to the changes of ``diff`` (by default
    ``diff_rubrics(old, new)``).

    Args:
        old: The rubric the evidence was written for.
        new: The rubric to compare it with.
        submissions: The contest's submissions (as :func:`~htx_rules.read_submissions`
            returns them), or plain evidence by unit code.  Plain evidence has
            no dossier and no re-inspection: where a rubric's award conditions
            need a complete dossier, no unit is eligible.
        diff: The changes between the two rubrics.
        source: Where the submissions were read from, for reports.

    Raises:
        ContestError: a submission is wrong even after what the other rubric
            does not accept was set aside (as :func:`~htx_rules.run_contest`).
    """
    diff = diff if diff is not None else diff_rubrics(old, new)
    given = _submissions(submissions)
    steps = plan_steps(diff)
    notes: list[Note] = []
    renamed = _renamed(diff)
    # The old contest is the contest the evidence was written for, exactly as
    # `htx-rules contest` runs it: a problem there is an error, not a note.
    new_subs = _adapt_all(given, new, lambda i: renamed.get(i, i), "new", notes)
    notes.extend(_general_notes(diff, given, old, new, renamed))
    old_contest = run_contest(old, given)
    new_contest = run_contest(new, new_subs)
    # Every change applied gives the new rubric back, so the last step ends
    # exactly at the new totals; anything else is a defect of the diff.
    if diff.apply(diff.changes) != new.model:  # pragma: no cover - a test keeps it so
        raise AssertionError("the changes do not rebuild the new rubric")

    original = {str(s.contestant): s for s in given}
    both = [s for s in old_contest.standings if _has(new_contest, s.code)]
    totals: dict[str, list[Decimal]] = {s.code: [s.total] for s in both}
    applied: list[Change] = []
    for number, step in enumerate(steps, start=1):
        applied.extend(step.changes)
        if number == len(steps):
            for standing in both:
                totals[standing.code].append(new_contest.standing(standing.code).total)
            break
        if all(c.kind in NEUTRAL for c in step.changes):
            for standing in both:
                totals[standing.code].append(totals[standing.code][-1])
            continue
        rubric = Rubric(diff.apply(applied), SourceText(f"<{diff.new_name}: step {number}>", ""))
        ids = _ids_after(applied)
        for standing in both:
            totals[standing.code].append(_total(rubric, original[standing.code], ids))

    units: list[UnitChange] = []
    for standing in old_contest.standings:
        after = _standing(new_contest, standing.code)
        sequence = totals.get(standing.code, [])
        shares = tuple(
            Share(step, sequence[n + 1] - sequence[n])
            for n, step in enumerate(steps)
            if len(sequence) == len(steps) + 1
        )
        name = after.contestant.name if after is not None else standing.contestant.name
        units.append(UnitChange(standing.code, name, standing, after, shares))
    for standing in new_contest.standings:
        if not _has(old_contest, standing.code):
            units.append(UnitChange(standing.code, standing.contestant.name, None, standing, ()))
    return Rescoring(diff, steps, old_contest, new_contest, tuple(units), tuple(notes), source)


# ---------------------------------------------------------------- evidence that fits


def _submissions(
    submissions: Iterable[Submission] | Mapping[str, Mapping[str, object]],
) -> list[Submission]:
    if isinstance(submissions, Mapping):
        return [
            Submission(contestant=str(code), evidence=dict(evidence), source=str(code))
            for code, evidence in submissions.items()
        ]
    return list(submissions)


def _renamed(diff: RubricDiff) -> dict[str, str]:
    """Old id -> new id of every criterion or rule renumbered."""
    return {c.old.value: c.new.value for c in diff.changes if c.kind == "item-id"}


def _ids_after(applied: Sequence[Change]) -> Callable[[str], str]:
    renamed = _renamed_by(applied)
    return lambda item_id: renamed.get(item_id, item_id)


def _renamed_by(changes: Iterable[Change]) -> dict[str, str]:
    return {c.old.value: c.new.value for c in changes if c.kind == "item-id"}


def _fitting(
    values: Mapping[str, object] | None,
    rubric: Rubric,
    on_invalid: Callable[[EvidenceProblem, object], None] | None = None,
) -> dict[str, object] | None:
    """The values a rubric declares and accepts; a refused value is left out
    (so it is missing), and reported to ``on_invalid``."""
    if values is None:
        return None
    declared = {f.name for f in rubric.fields}
    kept = {k: v for k, v in values.items() if k in declared}
    while True:
        try:
            rubric.validate(kept)
            return kept
        except EvidenceError as error:
            refused = {p.field for p in error.problems if p.field in kept}
            if not refused:  # pragma: no cover - every problem names a given field
                raise
            for problem in error.problems:
                if problem.field in refused and on_invalid is not None:
                    on_invalid(problem, kept[problem.field])
            for name in refused:
                del kept[name]


def _adapt(
    submission: Submission,
    rubric: Rubric,
    id_of: Callable[[str], str],
    on_invalid: Callable[[EvidenceProblem, object], None] | None = None,
) -> Submission:
    """A submission cut to what ``rubric`` accepts (claims left out: they do
    not change a total, rank or award)."""
    assessments = {}
    for item_id, assessment in submission.assessments.items():
        target = id_of(str(item_id))
        if target in rubric.assessed:
            assessments[target] = assessment
    documents = {d.id for d in rubric.model.dossier}
    return attrs.evolve(
        submission,
        evidence=_fitting(submission.evidence, rubric, on_invalid) or {},
        verified=_fitting(submission.verified, rubric, on_invalid),
        claimed={},
        claimed_total=None,
        assessments=assessments,
        dossier=tuple(d for d in submission.dossier if d in documents),
    )


def _adapt_all(
    submissions: Sequence[Submission],
    rubric: Rubric,
    id_of: Callable[[str], str],
    side: str,
    notes: list[Note],
) -> list[Submission]:
    listed = {c.code: c for c in rubric.contestants}
    adapted = []
    side_words = _Side(side)
    for submission in submissions:
        code = str(submission.contestant)
        if listed and code not in listed:
            notes.append(
                Note("diff-note-unlisted", (("unit", code), ("code", code), ("side", side_words)))
            )
            continue
        unit = listed[code].name if code in listed else code
        refused = _Refused(notes, rubric, unit, code, side_words)
        adapted.append(_adapt(submission, rubric, id_of, refused))
    return adapted


@attrs.frozen
class _Refused:
    """Notes each evidence value a rubric refuses, for one unit."""

    notes: list[Note]
    rubric: Rubric
    unit: str
    code: str
    side: _Side

    def __call__(self, problem: EvidenceProblem, value: object) -> None:
        field = next((f for f in self.rubric.fields if f.name == problem.field), None)
        args = (
            ("unit", self.unit),
            ("code", self.code),
            ("value", _Evidence(value, field)),
            ("field", problem.field),
            ("side", self.side),
            ("reason", _Problem(problem)),
        )
        self.notes.append(Note("diff-note-invalid-value", args))


@attrs.frozen
class _Problem:
    """An evidence problem's message, in the reader's language."""

    problem: EvidenceProblem

    def localize(self, lang: str) -> str:
        return self.problem.message("en" if lang == "en" else "vi")


@attrs.frozen
class _Side:
    """``cũ`` / ``old`` or ``mới`` / ``new``, in the reader's language."""

    side: str

    def localize(self, lang: str) -> str:
        return render_message(f"diff-side-{self.side}", {}, "en" if lang == "en" else "vi")


@attrs.frozen
class _Evidence:
    """An evidence value as given, for people."""

    value: Any
    field: m.Field | None

    def localize(self, lang: str) -> str:
        return show_evidence(self.value, self.field, "en" if lang == "en" else "vi")


def _general_notes(
    diff: RubricDiff,
    submissions: Sequence[Submission],
    old: Rubric,
    new: Rubric,
    renamed: Mapping[str, str],
) -> list[Note]:
    notes: list[Note] = []
    given: set[str] = set()
    for submission in submissions:
        given |= {k for k, v in submission.evidence.items() if v is not None}
        given |= {k for k, v in (submission.verified or {}).items() if v is not None}
    for side, rubric in (("old", old), ("new", new)):
        declared = {f.name for f in rubric.fields}
        for name in sorted(given - declared):
            notes.append(Note("diff-note-dropped-field", (("field", name), ("side", _Side(side)))))
    old_fields = {f.name for f in old.fields}
    for field in new.fields:
        if field.name in old_fields:
            continue
        lacking = sum(1 for s in submissions if _value(s, field.name) is None)
        if lacking:
            notes.append(
                Note(
                    "diff-note-new-field",
                    (("field", field.name), ("label", field.label), ("count", lacking)),
                )
            )
    assessed_ids = {str(k) for s in submissions for k in s.assessments}
    for item_id in sorted(assessed_ids):
        target = renamed.get(item_id, item_id)
        if item_id not in old.assessed:
            notes.append(
                Note("diff-note-assessment-dropped", (("id", item_id), ("side", _Side("old"))))
            )
        if target not in new.assessed:
            notes.append(
                Note("diff-note-assessment-dropped", (("id", item_id), ("side", _Side("new"))))
            )
        elif target != item_id:
            notes.append(Note("diff-note-assessment-moved", (("old", item_id), ("new", target))))
    # A criterion a reviewer assesses only under the new rubric has no assessment
    # in last year's evidence.
    old_id = {new_id: old_id for old_id, new_id in renamed.items()}
    for item_id in new.assessed:
        if old_id.get(item_id, item_id) not in old.assessed and submissions:
            notes.append(Note("diff-note-unassessed", (("id", item_id),)))
    before, after = old.model.header.deadline, new.model.header.deadline
    if before != after and any(f.type == "date" for f in old.fields if f.name in given):
        notes.append(
            Note(
                "diff-note-deadline",
                (("old", Shown("date", before)), ("new", Shown("date", after))),
            )
        )
    return notes


def _value(submission: Submission, field: str) -> object:
    verified = submission.verified or {}
    if field in verified:
        return verified[field]
    return submission.evidence.get(field)


# ---------------------------------------------------------------- scoring


def _has(result: ContestResult, code: str) -> bool:
    return any(s.code == code for s in result.standings)


def _standing(result: ContestResult, code: str) -> Standing | None:
    return next((s for s in result.standings if s.code == code), None)


def _total(rubric: Rubric, submission: Submission, id_of: Callable[[str], str]) -> Decimal:
    """The verified total of a submission under a rubric in between, scored as
    the contest scores it (re-inspected values over reported ones)."""
    adapted = _adapt(submission, rubric, id_of)
    merged: dict[str, object] = dict(adapted.evidence)
    merged.update(adapted.verified or {})
    return rubric.score(merged, assessments=adapted.assessments, trace=False).total


__all__ = ["Note", "Rescoring", "Share", "UnitChange", "rescore"]
