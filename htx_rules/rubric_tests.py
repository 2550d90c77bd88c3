"""Rubric tests: named cases written by the rubric's authors, run against the rubric.

A *tests file* (``rubrics/2021.tests`` beside ``rubrics/2021.rules``) is TOML
that policy staff can read: a ``[mac_dinh]`` table of evidence every case
starts from, then ``[[ca]]`` cases, each with a name, the evidence it changes
and the points it expects (of criteria, rules, parts, the bonus, the deduction
or the total).  The format, with its English spellings, is in
``docs/rubric-tests.md``.

This module reads such a file (:func:`parse_rubric_tests`), runs its cases
(:func:`run_rubric_tests`): expected against actual points, exactly, with the
trace of every point that differs; measures which branches of the rubric the
cases reach (coverage); and runs mutation testing (:mod:`htx_rules.mutation`).
:mod:`htx_rules.tests_report` renders the outcome.  It reads no files: the
command line does (``htx-rules test``).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

import attrs

from htx_rules import model as m
from htx_rules.checker import all_items, fields_read, scoring_exprs, walk
from htx_rules.decimals import Lang, canonical
from htx_rules.errors import EvidenceError, EvidenceProblem, HtxRulesError
from htx_rules.evaluator import Program, highest_total
from htx_rules.evidence import validate_assessments
from htx_rules.messages import QuotedList, render_message
from htx_rules.mutation import Mutant, generate_mutants
from htx_rules.ranges import RangeAnalysis
from htx_rules.result import Result, TraceNode
from htx_rules.rubric import Rubric
from htx_rules.trace import assessment_key

# Every key has a Vietnamese and an English spelling; both mean the same.
_TOP_KEYS: Final = {
    "bang_diem": "rubric",
    "mac_dinh": "base",
    "ca": "case",
    "tuong_duong": "equivalent",
}
_SETTING_KEYS: Final = {
    "ghi_chu": "note",
    "don_vi": "contestant",
    "minh_chung": "evidence",
    "danh_gia": "assessments",
}
_CASE_KEYS: Final = {**_SETTING_KEYS, "ten": "name", "bo": "omit", "ky_vong": "expect"}
#: What an expectation may name besides a criterion, rule or part id.
SPECIAL_KEYS: Final = {
    "tong_diem": "total",
    "diem_chuan": "standard",
    "diem_cong": "bonus",
    "diem_tru": "deduction",
    "thieu": "missing",
}
_OMIT_ALL: Final = "*"
_POINTS_TEXT = re.compile(r"\d+(?:[.,]\d+)?")
_CASE_HEADER = re.compile(r"\s*\[\[\s*(?:ca|case)\s*\]\]")
_BASE_HEADER = re.compile(r"\s*\[\s*(?:mac_dinh|base)\s*[\].]")
_TOP_HEADER = re.compile(r"\s*\[\[?\s*([^\].\s]+)")
#: The reviewer named for an assessment given as a bare number.
TEST_REVIEWER: Final = "htx-rules test"


# ---------------------------------------------------------------- the file


@attrs.frozen
class Expectation:
    """What a case expects of one key.

    Attributes:
        key: A criterion, rule or part id, or ``total``, ``standard``,
            ``bonus``, ``deduction`` (in the file also ``tong_diem``,
            ``diem_chuan``, ``diem_cong``, ``diem_tru``), or ``missing``.
        points: The points expected (None for ``missing``).
        missing: For ``missing``: the evidence fields expected missing, sorted.
        line: The line of the tests file where it is written.
    """

    key: str
    points: Decimal | None
    line: int
    missing: tuple[str, ...] = ()


@attrs.frozen
class RubricCase:
    """One test case of a rubric.

    Attributes:
        name: Its name (``ten``), unique in the file.
        line: The line of its ``[[ca]]`` header.
        note: A remark (``ghi_chu``), or None.
        contestant: The unit's code (``don_vi``), or None.
        evidence: The evidence scored: the base's with the case's on top,
            less what the case omits (``bo``).
        assessments: The reviewers' assessments, likewise.
        expect: What it expects, in file order.
    """

    name: str
    line: int
    note: str | None
    contestant: str | None
    evidence: Mapping[str, object]
    assessments: Mapping[str, object]
    expect: tuple[Expectation, ...]


@attrs.frozen
class RubricTests:
    """A tests file, read and checked against its rubric.

    Attributes:
        source: The file's name (as shown in messages).
        cases: The cases, in file order.
        equivalent: Mutants the authors explain as equivalent (changes that no
            evidence can tell apart), by mutant id, with the reason.
    """

    source: str
    cases: tuple[RubricCase, ...]
    equivalent: Mapping[str, str] = attrs.field(factory=dict)


class RubricTestsError(HtxRulesError):
    """A tests file is wrong; every problem is listed with where it is.

    Attributes:
        problems: ``(where, problem)`` pairs: ``where`` is ``file:line``.
        source: The tests file.
    """

    def __init__(self, problems: Sequence[tuple[str, EvidenceProblem]], source: str) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.render("vi"))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every problem, in order."""
        return tuple(p.code for _, p in self.problems)

    def render(self, lang: Lang = "vi") -> str:
        head = render_message(
            "tests-invalid", {"file": self.source, "count": len(self.problems)}, lang
        )
        lines = [head]
        for where, problem in self.problems:
            prefix = f"{where}: " if where else ""
            lines.append(f"  - {prefix}{problem.message(lang)}")
        return "\n".join(lines)


class _Lines:
    """Where keys are in the file's text (TOML readers give no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.cases: list[int] = []
        self.base: tuple[int, int] | None = None
        for number, line in enumerate(self.lines, start=1):
            if _CASE_HEADER.match(line):
                self.cases.append(number)
        # A block runs to the next table that is not one of its own.
        for number, line in enumerate(self.lines, start=1):
            if _BASE_HEADER.match(line):
                self.base = (number, self.block_end(number, ("mac_dinh", "base")))
                break

    def block_end(self, start: int, names: tuple[str, ...]) -> int:
        for number in range(start + 1, len(self.lines) + 1):
            header = _TOP_HEADER.match(self.lines[number - 1])
            if header and (
                header.group(1) not in names or _CASE_HEADER.match(self.lines[number - 1])
            ):
                return number
        return len(self.lines) + 1

    def case(self, index: int) -> tuple[int, int]:
        if index >= len(self.cases):
            return (1, len(self.lines) + 1)
        start = self.cases[index]
        return start, self.block_end(start, ("ca", "case"))

    def find(self, key: str, block: tuple[int, int] | None, after: str = "") -> int | None:
        """The first line of ``block`` that gives ``key`` (after a line naming ``after``)."""
        if block is None:
            return None
        pattern = re.compile(
            r"(?:^|[\s{,.\[])(?:\""
            + re.escape(key)
            + r"\"|'"
            + re.escape(key)
            + r"'|"
            + re.escape(key)
            + r")\s*[=\].]"
        )
        start, end = block
        if after:
            found = self.find(after, block)
            start = found if found is not None else start
        for number in range(start, min(end, len(self.lines) + 1)):
            if pattern.search(self.lines[number - 1]):
                return number
        return None


class _Settings(dict[str, Any]):
    """A table's values by English key, remembering how each key was written
    and where the table is."""

    def __init__(self, block: tuple[int, int] | None) -> None:
        super().__init__()
        self.block = block
        self.written: dict[str, str] = {}

    def written_as(self, key: str) -> str:
        """The key as the file writes it (the Vietnamese spelling if absent)."""
        return self.written.get(key, _VIETNAMESE.get(key, key))


_VIETNAMESE: Final = {
    english: vietnamese
    for spellings in (_TOP_KEYS, _CASE_KEYS, SPECIAL_KEYS)
    for vietnamese, english in spellings.items()
}


class _Reader:
    """Reads a parsed tests file, collecting every problem with its line."""

    def __init__(self, rubric: Rubric, text: str, source: str) -> None:
        self.rubric = rubric
        self.source = source
        self.lines = _Lines(text)
        self.problems: list[tuple[str, EvidenceProblem]] = []
        self.parts = {p.id: p.maximum for p in rubric.model.parts}
        self.items = {i.id: i.maximum for i in all_items(rubric.model)}
        self.fields = {f.name for f in rubric.model.fields}
        model = rubric.model
        self.specials: dict[str, Decimal] = {
            "total": highest_total(model),
            "standard": model.header.total,
            "bonus": model.bonus.maximum if model.bonus else Decimal(0),
            "deduction": model.deduction.maximum if model.deduction else Decimal(0),
        }
        self.places = model.header.rounding.places

    def problem(
        self,
        at: int | None,
        field: str,
        code: str,
        value: object = None,
        hint: str | None = None,
        hint_args: Mapping[str, object] | None = None,
        **args: object,
    ) -> None:
        where = f"{self.source}:{at}" if at else self.source
        self.problems.append(
            (where, EvidenceProblem(field, value, code, args, hint, hint_args or {}))
        )

    def unknown(
        self,
        at: int | None,
        name: str,
        code: str,
        candidates: Iterable[str],
        otherwise: str | None = None,
        **args: object,
    ) -> None:
        """Report ``name`` as unknown, suggesting the closest of ``candidates``
        (else the hint ``otherwise``)."""
        guess = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
        self.problem(
            at,
            name,
            code,
            hint="hint-did-you-mean" if guess else otherwise,
            hint_args={"name": guess[0]} if guess else None,
            **args,
        )

    def keys(
        self,
        table: Mapping[str, Any],
        spellings: Mapping[str, str],
        name: str,
        block: tuple[int, int] | None,
    ) -> _Settings:
        """The table's keys in English, every unknown or doubled key reported."""
        known = {**spellings, **{english: english for english in spellings.values()}}
        found = _Settings(block)
        given = found.written
        for key, value in table.items():
            english = known.get(key)
            line = self.lines.find(key, block) or (block[0] if block else None)
            if english is None:
                self.unknown(
                    line,
                    key,
                    "tests-unknown-key" if name else "tests-unknown-top-key",
                    known,
                    table=name,
                    keys=QuotedList(tuple(spellings)),
                )
            elif english in found:
                self.problem(line, key, "tests-both-spellings", other=given[english])
            else:
                found[english] = value
                given[english] = key
        return found

    # ------------------------------------------------------------ the whole file

    def read(self, data: Mapping[str, Any]) -> RubricTests:
        top = self.keys(data, _TOP_KEYS, "", (1, len(self.lines.lines) + 1))
        rubric_id = top.get("rubric")
        if rubric_id is not None and rubric_id != self.rubric.id:
            self.problem(
                self.line_of(top, "rubric"),
                top.written_as("rubric"),
                "tests-rubric-mismatch",
                rubric_id,
                expected=self.rubric.id,
            )
        base_block = self.lines.base
        base = self.table(top, "base")
        base_settings = self.keys(base, _SETTING_KEYS, top.written_as("base"), base_block)
        base_evidence = self.table(base_settings, "evidence")
        base_assessments = self.table(base_settings, "assessments")
        base_contestant = self.contestant(base_settings)
        base_problems = self.check_evidence(base_evidence, base_assessments, base_block, set())
        raw_cases = top.get("case", [])
        if not isinstance(raw_cases, list) or not raw_cases:
            self.problem(None, top.written_as("case"), "tests-no-cases")
            raw_cases = []
        cases = []
        names: dict[str, int] = {}
        for index, raw in enumerate(raw_cases):
            block = self.lines.case(index)
            if not isinstance(raw, Mapping):
                self.problem(block[0], top.written_as("case"), "tests-not-table")
                continue
            case = self.case(
                index, raw, block, base_evidence, base_assessments, base_contestant, base_problems
            )
            if case is None:
                continue
            if case.name in names:
                self.problem(case.line, case.name, "tests-duplicate-name", line=names[case.name])
            names.setdefault(case.name, case.line)
            cases.append(case)
        equivalent = self.equivalent(top)
        if self.problems:
            raise RubricTestsError(self.problems, self.source)
        return RubricTests(self.source, tuple(cases), equivalent)

    def line_of(self, settings: _Settings, key: str) -> int | None:
        """The line a key of ``settings`` is written on (else its table's first)."""
        block = settings.block
        found = self.lines.find(settings.written_as(key), block)
        return found or (block[0] if block else None)

    def table(self, settings: _Settings, key: str) -> dict[str, Any]:
        """The table under ``key`` (empty when not given, or when not a table)."""
        value = settings.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(self.line_of(settings, key), settings.written_as(key), "tests-not-table")
            return {}
        return dict(value)

    def text(self, settings: _Settings, key: str) -> str | None:
        value = settings.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key == "contestant":
            return str(value)
        if value is not None and not isinstance(value, str):
            self.problem(self.line_of(settings, key), settings.written_as(key), "tests-text", value)
            return None
        return value

    # ------------------------------------------------------------ one case

    def case(
        self,
        index: int,
        raw: Mapping[str, Any],
        block: tuple[int, int],
        base_evidence: Mapping[str, Any],
        base_assessments: Mapping[str, Any],
        base_contestant: str | None,
        base_problems: set[str],
    ) -> RubricCase | None:
        settings = self.keys(raw, _CASE_KEYS, "ca", block)
        name = self.text(settings, "name")
        if not name or not name.strip():
            self.problem(block[0], settings.written_as("name"), "tests-no-name", number=index + 1)
            return None
        name = name.strip()
        note = self.text(settings, "note")
        contestant = self.contestant(settings) or base_contestant
        omitted = self.omit(settings)
        evidence = {
            k: v for k, v in base_evidence.items() if omitted is not None and k not in omitted
        }
        own_evidence = self.table(settings, "evidence")
        evidence.update(own_evidence)
        assessments = {
            k: v for k, v in base_assessments.items() if omitted is not None and k not in omitted
        }
        own_assessments = self.table(settings, "assessments")
        assessments.update(own_assessments)
        # A problem of a base value is reported once, at the base.
        skip = {k for k in base_problems if k not in own_evidence and k not in own_assessments}
        self.check_evidence(evidence, assessments, block, skip)
        expect = self.expectations(settings)
        if not expect and settings.get("expect") is None:
            self.problem(block[0], name, "tests-no-expect")
        return RubricCase(
            name,
            block[0],
            note,
            contestant,
            evidence,
            {key: _assessment(value, name) for key, value in assessments.items()},
            expect,
        )

    def contestant(self, settings: _Settings) -> str | None:
        """The unit's code a table gives, checked against the rubric's list."""
        code = self.text(settings, "contestant")
        listed = self.rubric.contestants
        if code is not None and listed and code not in {c.code for c in listed}:
            self.problem(
                self.line_of(settings, "contestant"),
                settings.written_as("contestant"),
                "unknown-contestant",
                code,
                known=tuple(f"{c.code} ({c.name})" for c in listed),
            )
        return code

    def omit(self, settings: _Settings) -> set[str] | None:
        """The names a case leaves out of the base (every name for ``"*"``)."""
        value = settings.get("omit")
        if value is None:
            return set()
        line = self.line_of(settings, "omit")
        if value == _OMIT_ALL:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                line,
                settings.written_as("omit"),
                "tests-omit",
                _shown(value),
            )
            return set()
        for name in value:
            if name not in self.fields and name not in self.rubric.assessed:
                self.unknown_field(line, name)
        return set(value)

    def unknown_field(self, line: int | None, name: str) -> None:
        self.unknown(
            line, name, "evidence-unknown-field", sorted(self.fields), "hint-declare-field"
        )

    def check_evidence(
        self,
        evidence: Mapping[str, Any],
        assessments: Mapping[str, Any],
        block: tuple[int, int] | None,
        skip: set[str],
    ) -> set[str]:
        """Report the evidence's and assessments' problems; return the keys at fault."""
        at_fault: set[str] = set()
        given = {k: _assessment(v, "") for k, v in assessments.items()}
        checks: tuple[Callable[[], object], ...] = (
            lambda: self.rubric.validate(evidence),
            lambda: validate_assessments(self.rubric.assessed, given),
        )
        for check in checks:
            try:
                check()
            except EvidenceError as error:
                for problem in error.problems:
                    at_fault.add(problem.field)
                    if problem.field not in skip:
                        line = self.lines.find(problem.field, block)
                        where = line or (block[0] if block else None)
                        self.problems.append((f"{self.source}:{where}", problem))
        return at_fault

    def expectations(self, settings: _Settings) -> tuple[Expectation, ...]:
        value = settings.get("expect")
        if value is None:
            return ()
        spelled = settings.written_as("expect")
        block = settings.block
        assert block is not None
        spelling_line = self.line_of(settings, "expect")
        if not isinstance(value, Mapping):
            self.problem(spelling_line, spelled, "tests-not-table")
            return ()
        found: list[Expectation] = []
        seen: dict[str, str] = {}
        for key, given in value.items():
            line = self.lines.find(key, block, spelled) or self.lines.find(key, block)
            line = line or spelling_line or block[0]
            english: str = SPECIAL_KEYS.get(str(key), str(key))
            if english in seen:
                self.problem(line, key, "tests-both-spellings", other=seen[english])
                continue
            seen[english] = key
            if english == "missing":
                names = self.missing(key, given, line)
                if names is not None:
                    found.append(Expectation("missing", None, line, names))
                continue
            maximum = self.maximum(english)
            if maximum is None:
                self.unknown(
                    line, key, "tests-unknown-item", [*SPECIAL_KEYS, *self.parts, *self.items]
                )
                continue
            points = self.points(key, given, line, maximum)
            if points is not None:
                found.append(Expectation(english, points, line))
        return tuple(found)

    def maximum(self, key: str) -> Decimal | None:
        if key in self.specials:
            return self.specials[key]
        if key in self.parts:
            return self.parts[key]
        return self.items.get(key)

    def points(self, key: str, given: object, line: int, maximum: Decimal) -> Decimal | None:
        points: Decimal | None = None
        if isinstance(given, Decimal | int) and not isinstance(given, bool):
            points = Decimal(given)
        elif isinstance(given, str) and _POINTS_TEXT.fullmatch(given.strip()):
            points = Decimal(given.strip().replace(",", "."))
        elif isinstance(given, str) and given.strip().startswith("-"):
            try:
                points = Decimal(given.strip().replace(",", "."))
            except InvalidOperation:
                points = None
        if points is None or not points.is_finite():
            self.problem(line, key, "tests-expect-number", _shown(given), hint="hint-test-points")
            return None
        if points < 0:
            self.problem(line, key, "tests-expect-negative", points)
            return None
        if points > maximum:
            self.problem(line, key, "tests-expect-over-max", points, max=maximum)
            return None
        exponent = points.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -self.places:
            self.problem(line, key, "tests-expect-off-grid", points, places=self.places)
            return None
        return points

    def missing(self, key: str, given: object, line: int) -> tuple[str, ...] | None:
        if not isinstance(given, list) or not all(isinstance(v, str) for v in given):
            self.problem(line, key, "tests-missing-list", _shown(given))
            return None
        unknown = [name for name in given if name not in self.fields]
        for name in unknown:
            self.unknown_field(line, name)
        return None if unknown else tuple(sorted(set(given)))

    # ------------------------------------------------------------ equivalent mutants

    def equivalent(self, top: _Settings) -> dict[str, str]:
        """The mutants explained as equivalent, by id, with their reasons."""
        value = self.table(top, "equivalent")
        if not value:
            return {}
        whole = (1, len(self.lines.lines) + 1)
        ids = [mutant.id for mutant in generate_mutants(self.rubric)]
        reasons: dict[str, str] = {}
        for key, reason in value.items():
            line = self.lines.find(key, whole) or 1
            if key not in ids:
                self.unknown(line, key, "tests-unknown-mutant", ids)
            elif not isinstance(reason, str) or not reason.strip():
                self.problem(line, key, "tests-equivalent-reason")
            else:
                reasons[key] = reason.strip()
        return reasons


def _assessment(value: object, case_name: str) -> object:
    """An assessment as the engine takes it: a bare number is the points, given
    by :data:`TEST_REVIEWER` with the case's name as the justification."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return {"points": value, "reviewer": TEST_REVIEWER, "justification": case_name or "-"}
    return value


def _shown(value: object) -> object:
    if isinstance(value, str | int | Decimal | bool) or value is None:
        return value
    return str(value)


def parse_rubric_tests(text: str, rubric: Rubric, source: str = "<string>") -> RubricTests:
    """Read a tests file (TOML text) and check it against ``rubric``.

    Every case's evidence and assessments are validated, every expected key
    must be a criterion, rule or part of the rubric (or ``total`` …), and every
    expected number must be points the rubric can give there.

    Raises:
        RubricTestsError: listing every problem, with the file's line.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        problem = EvidenceProblem("", None, "tests-toml", {"reason": str(error)})
        raise RubricTestsError([(source, problem)], source) from None
    return _Reader(rubric, text, source).read(data)


# ---------------------------------------------------------------- running


@attrs.frozen
class ExpectationFailure:
    """A key whose points are not what the case expects.

    Attributes:
        expectation: What was expected.
        actual: The points scored (None for ``missing``).
        actual_missing: For ``missing``: the fields that were missing.
    """

    expectation: Expectation
    actual: Decimal | None
    actual_missing: tuple[str, ...] = ()


@attrs.frozen
class CaseOutcome:
    """One case run.

    Attributes:
        case: The case.
        result: The rubric's result for its evidence.
        failures: Every expectation that does not hold, in file order.
    """

    case: RubricCase
    result: Result
    failures: tuple[ExpectationFailure, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation holds."""
        return not self.failures


BranchKind = Literal[
    "arm",
    "value",
    "no-match",
    "true",
    "false",
    "cap-binds",
    "cap-free",
    "target-zero",
    "target-short",
    "target-met",
    "assessed",
    "not-assessed",
    "scored",
    "missing",
    "undefined",
    "requires-unmet",
    "clamp-max",
    "clamp-min",
]


@attrs.frozen
class Branch:
    """A way a criterion, rule, section or the total can go, and the cases that went it.

    Attributes:
        item: The criterion or rule id, ``bonus``, ``deduction`` or ``total``.
        key: Its name within the item (``arm2``, ``value:tre_han``, ``true``, ``cap-binds``).
        kind: What kind of branch.
        line: The rubric line it is written on.
        text: The rubric text it concerns (an arm, a condition, a cap), or a value.
        cases: The names of the cases that reached it.
    """

    item: str
    key: str
    kind: BranchKind
    line: int
    text: str
    cases: tuple[str, ...] = ()

    @property
    def reached(self) -> bool:
        """Whether some case reached it."""
        return bool(self.cases)


@attrs.frozen
class Coverage:
    """Which branches of a rubric its cases reach.

    Attributes:
        branches: Every branch, in rubric order.
    """

    branches: tuple[Branch, ...]

    @property
    def reached(self) -> int:
        """How many branches some case reaches."""
        return sum(1 for b in self.branches if b.reached)

    @property
    def unreached(self) -> tuple[Branch, ...]:
        """The branches no case reaches."""
        return tuple(b for b in self.branches if not b.reached)

    def by_item(self) -> dict[str, tuple[Branch, ...]]:
        """The branches grouped by item, in rubric order."""
        grouped: dict[str, list[Branch]] = {}
        for branch in self.branches:
            grouped.setdefault(branch.item, []).append(branch)
        return {item: tuple(branches) for item, branches in grouped.items()}


MutantStatus = Literal["killed", "survived", "equivalent", "stale"]


@attrs.frozen
class MutantOutcome:
    """One mutant run against every case.

    Attributes:
        mutant: The mutant.
        killed_by: The first case whose expectations fail for it, or None.
        reason: The authors' explanation when the tests file lists it as equivalent.
    """

    mutant: Mutant
    killed_by: str | None
    reason: str | None = None

    @property
    def status(self) -> MutantStatus:
        """``killed``; ``survived``; ``equivalent`` (survived, explained in the
        tests file); ``stale`` (explained as equivalent, yet killed)."""
        if self.killed_by is None:
            return "survived" if self.reason is None else "equivalent"
        return "killed" if self.reason is None else "stale"


@attrs.frozen
class MutationReport:
    """The outcome of mutation testing.

    Attributes:
        outcomes: One per mutant, in rubric order; empty when skipped.
        skipped: True when mutation testing did not run because a case fails.
    """

    outcomes: tuple[MutantOutcome, ...]
    skipped: bool = False

    def with_status(self, status: MutantStatus) -> tuple[MutantOutcome, ...]:
        """The outcomes of one status."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def survivors(self) -> tuple[MutantOutcome, ...]:
        """Mutants no case kills and the tests file does not explain."""
        return self.with_status("survived")


@attrs.frozen
class RubricTestResult:
    """Everything one run of a rubric's tests found.

    Attributes:
        rubric: The rubric tested.
        tests: The tests file.
        outcomes: One per case, in file order.
        coverage: Which branches the cases reach, when asked for.
        mutation: Mutation testing's outcome, when asked for.
    """

    rubric: Rubric
    tests: RubricTests
    outcomes: tuple[CaseOutcome, ...]
    coverage: Coverage | None = None
    mutation: MutationReport | None = None

    @property
    def failed(self) -> tuple[CaseOutcome, ...]:
        """The cases with an expectation that does not hold."""
        return tuple(o for o in self.outcomes if not o.passed)

    @property
    def ok(self) -> bool:
        """Whether every case passes."""
        return not self.failed


def run_rubric_tests(
    rubric: Rubric, tests: RubricTests, *, coverage: bool = False, mutate: bool = False
) -> RubricTestResult:
    """Run every case of ``tests`` against ``rubric``.

    Args:
        rubric: The rubric the tests were read for.
        tests: From :func:`parse_rubric_tests`.
        coverage: Also measure which branches the cases reach.
        mutate: Also run mutation testing (only when every case passes).
    """
    outcomes = tuple(_run_case(rubric, case) for case in tests.cases)
    measured = measure_coverage(rubric, outcomes) if coverage else None
    mutation = None
    if mutate:
        if all(o.passed for o in outcomes):
            mutation = mutation_test(rubric, tests, outcomes)
        else:
            mutation = MutationReport((), skipped=True)
    return RubricTestResult(rubric, tests, outcomes, measured, mutation)


def _run_case(rubric: Rubric, case: RubricCase) -> CaseOutcome:
    result = rubric.score(case.evidence, contestant=case.contestant, assessments=case.assessments)
    failures = _failures(
        case.expect,
        (result.total, result.standard, result.bonus, result.deduction),
        result.parts,
        result.items,
        result.missing,
    )
    return CaseOutcome(case, result, failures)


def _failures(
    expect: Iterable[Expectation],
    totals: tuple[Decimal, Decimal, Decimal, Decimal],
    parts: Mapping[str, Decimal],
    items: Mapping[str, Decimal],
    missing: Sequence[str],
) -> tuple[ExpectationFailure, ...]:
    """The expectations that do not hold; points are compared exactly."""
    specials = dict(zip(("total", "standard", "bonus", "deduction"), totals, strict=True))
    failures = []
    for expectation in expect:
        key = expectation.key
        if key == "missing":
            actual_missing = tuple(sorted(set(missing)))
            if actual_missing != expectation.missing:
                failures.append(ExpectationFailure(expectation, None, actual_missing))
            continue
        actual = specials[key] if key in specials else parts[key] if key in parts else items[key]
        if actual != expectation.points:
            failures.append(ExpectationFailure(expectation, actual))
    return tuple(failures)


# ---------------------------------------------------------------- coverage


def measure_coverage(rubric: Rubric, outcomes: Iterable[CaseOutcome]) -> Coverage:
    """Which branches of ``rubric`` the cases' results reach, from their traces."""
    branches = rubric_branches(rubric)
    capped = frozenset(b.item for b in branches if b.kind == "cap-binds")
    reached: dict[tuple[str, str], list[str]] = {}
    for outcome in outcomes:
        trace = outcome.result.trace
        assert trace is not None
        for item, key in set(_reached(trace, capped)):
            reached.setdefault((item, key), []).append(outcome.case.name)
    return Coverage(
        tuple(
            attrs.evolve(branch, cases=tuple(reached.get((branch.item, branch.key), ())))
            for branch in branches
        )
    )


def rubric_branches(rubric: Rubric) -> tuple[Branch, ...]:
    """Every branch of a rubric that some evidence can reach, in rubric order
    (no case has reached any of them yet)."""
    model, source = rubric.model, rubric.source
    ranges = RangeAnalysis(model)
    fields = {f.name: f for f in model.fields}
    branches: list[Branch] = []
    for item in all_items(model):
        scoring = item.scoring
        if scoring is None:
            continue  # a sum of sub-criteria, never above its maximum

        def add(
            key: str, kind: BranchKind, line: int, text: str = "", item: m.Criterion = item
        ) -> None:
            branches.append(Branch(item.id, key, kind, line, text))

        line = scoring.span.line
        if item.requires:
            spans = item.requires_spans or (item.span,)
            add("requires-unmet", "requires-unmet", spans[0].line, ", ".join(item.requires))
        if isinstance(scoring, m.Assessed):
            add("assessed", "assessed", line)
            add("not-assessed", "not-assessed", line)
        elif fields_read(scoring):
            add("missing", "missing", line)
        if isinstance(scoring, m.Conditional):
            text = source.slice(scoring.condition.span)
            add("true", "true", scoring.condition.span.line, text)
            add("false", "false", scoring.condition.span.line, text)
        elif isinstance(scoring, m.PerUnit):
            if scoring.cap is not None:
                text = source.slice(scoring.cap.span)
                add("cap-binds", "cap-binds", scoring.cap.span.line, text)
                add("cap-free", "cap-free", scoring.cap.span.line, text)
        elif (
            isinstance(scoring, m.Banded)
            and isinstance(scoring.subject, m.FieldRef)
            and (fields[scoring.subject.name].type == "choice")
        ):
            for choice in fields[scoring.subject.name].choices:
                chosen = next(
                    (
                        a
                        for a in scoring.arms
                        if isinstance(a, m.OtherwiseArm)
                        or (isinstance(a, m.ChoiceArm) and choice.value in a.values)
                    ),
                    None,
                )
                where = line if chosen is None else chosen.span.line
                add(f"value:{choice.value}", "value", where, choice.value)
        elif isinstance(scoring, m.Banded | m.Cases):
            for number, arm in enumerate(scoring.arms, start=1):
                add(f"arm{number}", "arm", arm.span.line, source.excerpt(arm.span))
            if not any(isinstance(a, m.OtherwiseArm) for a in scoring.arms):
                add("no-match", "no-match", line)
        elif isinstance(scoring, m.Target):
            add("target-zero", "target-zero", line)
            add("target-short", "target-short", line)
            add("target-met", "target-met", line)
        elif isinstance(scoring, m.Formula):
            add("scored", "scored", line)
        if _may_be_undefined(scoring, ranges):
            add("undefined", "undefined", line)
        raw = ranges.scoring(scoring, item.maximum)
        if isinstance(scoring, m.Assessed):
            # A reviewer's points are checked not to be negative before scoring.
            raw = attrs.evolve(raw, low=Decimal(0))
        if raw.high > item.maximum:
            add("clamp-max", "clamp-max", item.span.line, canonical(item.maximum))
        if raw.low < 0:
            add("clamp-min", "clamp-min", item.span.line)
    for section in (model.bonus, model.deduction):
        if section is not None and sum(r.maximum for r in section.rules) > section.maximum:
            cap = canonical(section.maximum)
            branches.append(Branch(section.kind, "cap-binds", "cap-binds", section.span.line, cap))
            branches.append(Branch(section.kind, "cap-free", "cap-free", section.span.line, cap))
    if model.deduction is not None:
        branches.append(Branch("total", "clamp-min", "clamp-min", model.header.span.line, ""))
    return tuple(branches)


def _may_be_undefined(scoring: m.Scoring, ranges: RangeAnalysis) -> bool:
    """Whether some evidence makes the rule's value undefined: a division by a
    value that can be 0 (unless an earlier ``cases`` arm tests that it is
    ``= 0``), or a target that can be negative."""
    if isinstance(scoring, m.Target) and ranges.expr(scoring.target).low < 0:
        return True
    guarded: list[m.Expr] = []
    groups: list[tuple[m.Expr, ...]]
    if isinstance(scoring, m.Cases):
        groups = [
            (arm.condition, arm.points) if isinstance(arm, m.CaseArm) else (arm.points,)
            for arm in scoring.arms
        ]
    else:
        groups = [tuple(scoring_exprs(scoring))]
    for group in groups:
        for expr in group:
            for sub in walk(expr):
                if not (isinstance(sub, m.Arithmetic) and sub.op == "/"):
                    continue
                divisor = ranges.expr(sub.right)
                if divisor.low <= 0 <= divisor.high and sub.right not in guarded:
                    return True
        first = group[0] if group else None
        if isinstance(first, m.Comparison) and first.op == "=":
            for side, other in ((first.left, first.right), (first.right, first.left)):
                if isinstance(other, m.Number) and other.value == 0:
                    guarded.append(side)
    return False


def _reached(trace: TraceNode, capped: frozenset[str]) -> Iterator[tuple[str, str]]:
    """The (item, branch) pairs one scoring's trace went through; ``capped``
    names the rules with an ``at most`` and the sections whose cap can bind."""
    for node in trace.walk():
        adjustments = {a.kind for a in node.adjustments}
        if node.kind == "rubric":
            if "min" in adjustments:
                yield "total", "clamp-min"
            continue
        if node.kind in ("bonus", "deduction"):
            if node.kind in capped:
                yield node.kind, "cap-binds" if "cap" in adjustments else "cap-free"
            continue
        if node.kind == "part":
            continue
        item = node.id
        if "max" in adjustments:
            yield item, "clamp-max"
        if "min" in adjustments:
            yield item, "clamp-min"
        decision = node.decision
        if decision is None:
            continue
        kind = decision.kind
        if node.status != "scored":
            yield (
                item,
                {
                    "requires_unmet": "requires-unmet",
                    "missing": "missing",
                    "not_assessed": "not-assessed",
                    "undefined": "undefined",
                }[node.status],
            )
        elif kind == "condition":
            yield item, "true" if decision.subject else "false"
        elif kind in ("choice", "otherwise") and isinstance(decision.subject, str):
            yield item, f"value:{decision.subject}"
        elif kind in ("threshold", "case", "otherwise"):
            yield item, f"arm{decision.arm}"
        elif kind == "no_match":
            yield item, "no-match"
        elif kind == "per_unit":
            if item in capped:
                binds = decision.detail("uncapped") is not None or "cap" in adjustments
                yield item, "cap-binds" if binds else "cap-free"
        elif kind == "target":
            actual, target = decision.detail("actual"), decision.detail("target")
            assert isinstance(actual, Decimal | int)
            assert isinstance(target, Decimal | int)
            yield (
                item,
                (
                    "target-zero"
                    if target == 0
                    else "target-met"
                    if actual >= target
                    else "target-short"
                ),
            )
        elif kind == "assessed":
            yield item, "assessed"
        elif kind == "formula":
            yield item, "scored"


# ---------------------------------------------------------------- mutation testing


def mutation_test(
    rubric: Rubric, tests: RubricTests, outcomes: Sequence[CaseOutcome] | None = None
) -> MutationReport:
    """Run every case against every mutant of ``rubric`` (:mod:`htx_rules.mutation`).

    Each mutant is scored by the reference evaluator
    (:class:`htx_rules.evaluator.Program`), case by case, until some case's
    expectation fails (the mutant is *killed*).  ``outcomes`` are the cases
    already run against the rubric itself (they give the validated evidence);
    they are run here when not given.
    """
    if outcomes is None:
        outcomes = [_run_case(rubric, case) for case in tests.cases]
    prepared = []
    for outcome in outcomes:
        values: dict[Any, Any] = dict(outcome.result.evidence)
        for item_id, assessment in outcome.result.assessments.items():
            values[assessment_key(item_id)] = assessment
        prepared.append((outcome.case, values))
    results = []
    for mutant in generate_mutants(rubric):
        program = Program(mutant.model, rubric.source)
        killer = None
        for case, values in prepared:
            total, standard, bonus, deduction, parts, items, missing, _ = program.run(
                values, traced=False
            )
            if _failures(case.expect, (total, standard, bonus, deduction), parts, items, missing):
                killer = case.name
                break
        results.append(MutantOutcome(mutant, killer, tests.equivalent.get(mutant.id)))
    return MutationReport(tuple(results))
