"""Evidence checking: what a rubric may read, and in what form.

Each declared field gets a validator, built once per rubric.  A value that is
present but wrong — an unknown key, a wrong type, a negative count, a percent
over 100, a date that does not parse, a binary float — is reported with the
field, the value and what was expected; every problem in one
:class:`~htx_rules.errors.EvidenceError`.  ``None`` (JSON ``null``) means the
value was not given, the same as leaving the key out.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from htx_rules import model as m
from htx_rules.codegen import (
    EvidenceLimits,
    compile_validator,
    picklable_state,
    restored_state,
)
from htx_rules.decimals import HUNDRED, ZERO, Lang
from htx_rules.errors import EvidenceError, EvidenceProblem
from htx_rules.messages import LongNumber, QuotedList, TypeWord, Verbatim, text_for
from htx_rules.result import Assessment, Value

# Evidence numbers are bounded so that every rubric computation stays exact
# inside the 60-digit scoring context.
LIMIT: Final = Decimal(10) ** 18
MAX_DECIMALS: Final = 12
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Problem:
    """A validator's answer when the value is wrong (cheaper than raising)."""

    __slots__ = ("args", "code", "hint", "hint_args")

    def __init__(
        self,
        code: str,
        hint: str | None = None,
        hint_args: dict[str, object] | None = None,
        **args: object,
    ) -> None:
        self.code = code
        self.args = args
        self.hint = hint
        self.hint_args = hint_args or {}


Validator = Callable[[object], "Value | _Problem"]


def _as_number(value: object) -> int | Decimal | _Problem:
    kind = type(value)
    if kind is int:
        assert isinstance(value, int)
        if abs(value) >= LIMIT:
            return _Problem("evidence-too-large", limit=LIMIT)
        return value
    if kind is Decimal:
        assert isinstance(value, Decimal)
        if not value.is_finite():
            return _Problem("evidence-not-finite")
        # copy_abs() is exact: abs() would round to the caller's context.
        if value.copy_abs() >= LIMIT:
            return _Problem("evidence-too-large", limit=LIMIT)
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
            return _Problem("evidence-too-precise", places=MAX_DECIMALS)
        return value
    if kind is float:
        return _Problem("evidence-float", "hint-decimal-evidence")
    if kind is str:
        return _Problem("evidence-wrong-type", "hint-unquote-number")
    return _Problem("evidence-wrong-type")


def _bounds(field: m.Field) -> tuple[Decimal, Decimal]:
    """A field's bounds in the units evidence gives (percentages as 0-100)."""
    low = -LIMIT if field.minimum is None else field.minimum
    high = LIMIT if field.maximum is None else field.maximum
    if field.type == "percent":
        # Bounds are stored as rates (80% -> 0.8); evidence gives percentages.
        low = max(low * HUNDRED, ZERO)
        high = min(high * HUNDRED, HUNDRED)
    if field.type == "count":
        low = max(low, ZERO)
    return low, high


def _within_limit(bounds: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """A field's bounds, no wider than the size limit (a declared bound may be)."""
    low, high = bounds
    return max(low, -LIMIT), min(high, LIMIT)


def _fast_bounds(field: m.Field) -> tuple[Decimal, Decimal]:
    """The bounds the fast path accepts within: never up to the size limit itself,
    which only the field validator judges (it rejects ``abs(value) >= LIMIT``)."""
    low, high = _bounds(field)
    edge = LIMIT - 1
    return max(low, -edge), min(high, edge)


def _negative(value: object) -> bool:
    """Whether a count was given below zero (whatever its size)."""
    if type(value) is int:
        return value < 0
    return (
        type(value) is Decimal
        and value.is_finite()
        and value < 0
        and value == value.to_integral_value()
    )


def _number(field: m.Field) -> Validator:
    low, high = _bounds(field)
    whole = field.type == "count"
    percent = field.type == "percent"

    def validate(value: object) -> Value | _Problem:
        if whole and _negative(value):
            return _Problem("evidence-negative")
        number = _as_number(value)
        if isinstance(number, _Problem):
            return number
        if whole:
            if number != int(number):
                return _Problem("evidence-not-whole", "hint-whole-number")
            if number < 0:
                return _Problem("evidence-negative")
            number = int(number)
        if percent and not ZERO <= number <= HUNDRED:
            return _Problem("evidence-percent-range", "hint-percent-evidence")
        if not low <= number <= high:
            return _Problem("evidence-out-of-bounds", low=_bound_word(low), high=_bound_word(high))
        return Decimal(number) if percent else number

    return validate


def _bound_word(bound: Decimal) -> object:
    return "…" if abs(bound) == LIMIT else bound


def _yes_no(value: object) -> Value | _Problem:
    if type(value) is bool:
        return value
    return _Problem("evidence-wrong-type", "hint-true-false")


def _date(value: object) -> Value | _Problem:
    if type(value) is datetime.date:
        return value
    if type(value) is str:
        assert isinstance(value, str)
        if _ISO_DATE.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        return _Problem("evidence-invalid-date", "hint-date-format")
    return _Problem("evidence-wrong-type", "hint-date-format")


def _choice(field: m.Field) -> Validator:
    allowed = {c.value for c in field.choices}
    names = tuple(c.value for c in field.choices)

    def validate(value: object) -> Value | _Problem:
        if type(value) is str and value in allowed:
            assert isinstance(value, str)
            return value
        if type(value) is not str:
            return _Problem("evidence-unknown-choice", values=QuotedList(names))
        guess = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
        if guess:
            return _Problem(
                "evidence-unknown-choice",
                "hint-did-you-mean",
                {"name": guess[0]},
                values=QuotedList(names),
            )
        return _Problem("evidence-unknown-choice", values=QuotedList(names))

    return validate


def validator_for(field: m.Field) -> Validator:
    """The validator of one declared field: it returns the value in the engine's
    form (a count as ``int``, a percentage as ``Decimal``) or a problem."""
    if field.type == "yes/no":
        return _yes_no
    if field.type == "date":
        return _date
    if field.type == "choice":
        return _choice(field)
    return _number(field)


class EvidenceSchema:
    """The evidence a rubric accepts: one validator per declared field."""

    def __init__(self, fields: tuple[m.Field, ...]) -> None:
        self.fields = {f.name: f for f in fields}
        self.validators = {f.name: validator_for(f) for f in fields}
        #: what the validator accepts, for the checks generated scoring code inlines
        self.limits = EvidenceLimits(
            {
                f.name: _within_limit(_bounds(f))
                for f in fields
                if f.type in ("count", "number", "percent", "money")
            },
            LIMIT,
            MAX_DECIMALS,
        )

    @functools.cached_property
    def _accept(self) -> Any:
        """The generated fast check of :meth:`validate`, made when first needed
        (scoring checks evidence in its own generated code)."""
        fields = tuple(self.fields.values())
        return compile_validator(
            fields,
            {
                f.name: _fast_bounds(f)
                for f in fields
                if f.type in ("count", "number", "percent", "money")
            },
            MAX_DECIMALS,
        )

    def __getstate__(self) -> dict[str, Any]:
        # The field validators are closures: they are made again when unpickled.
        return picklable_state(self.__dict__, rebuilt=("validators",))

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(restored_state(state))
        self.validators = {name: validator_for(f) for name, f in self.fields.items()}

    def validate(self, evidence: object, *, strict: bool = False) -> dict[str, Value]:
        """Check ``evidence`` and return it in the engine's form (numbers as Decimal,
        dates as :class:`datetime.date`, missing values left out).

        Raises:
            EvidenceError: listing every problem; with ``strict``, every
                declared field that is missing is a problem too.
        """
        if type(evidence) is not dict and not isinstance(evidence, Mapping):
            raise EvidenceError([EvidenceProblem("", _short(evidence), "evidence-not-object")])
        accepted = self._accept(evidence)
        if accepted is not None and (not strict or len(accepted) == len(self.fields)):
            return accepted  # type: ignore[no-any-return]
        validators = self.validators
        values: dict[str, Value] = {}
        problems: list[EvidenceProblem] = []
        for key, value in evidence.items():
            validate = validators.get(key) if type(key) is str else None
            if validate is None:
                problems.append(self.unknown_key(key, value))
                continue
            if value is None:
                continue
            checked = validate(value)
            if type(checked) is _Problem:
                problems.append(
                    EvidenceProblem(
                        key,
                        _short(value),
                        checked.code,
                        {
                            "label": self.fields[key].label,
                            "type": TypeWord(self.fields[key].type),
                            **checked.args,
                        },
                        checked.hint,
                        checked.hint_args,
                    )
                )
            else:
                values[key] = checked  # type: ignore[assignment]
        if strict:
            for name, field in self.fields.items():
                if name not in values and not any(p.field == name for p in problems):
                    problems.append(
                        EvidenceProblem(name, None, "evidence-missing", {"label": field.label})
                    )
        if problems:
            raise EvidenceError(problems)
        return values

    def unknown_key(self, key: object, value: object) -> EvidenceProblem:
        name = str(key)
        guess = difflib.get_close_matches(name, list(self.fields), n=1, cutoff=0.6)
        if guess:
            return EvidenceProblem(
                name,
                _short(value),
                "evidence-unknown-field",
                hint="hint-did-you-mean",
                hint_args={"name": guess[0]},
            )
        return EvidenceProblem(
            name, _short(value), "evidence-unknown-field", hint="hint-declare-field"
        )


def _short(value: object) -> object:
    """A value as it is shown in a message: as given, long texts cut.

    Numbers stay numbers (so they are written the reader's way); anything else
    is shown as Python writes it (``[1, 2]``); an integer too long to print
    is described by its number of digits.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if value.bit_length() > 200:
            # str() of a huge int is slow, and refused past 4300 digits.
            return LongNumber(int(value.bit_length() * 0.30103) + 1)
        return value
    if isinstance(value, Decimal):
        return value
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return text if isinstance(value, str) else Verbatim(text)


def validate_assessments(
    assessed: Mapping[str, m.Criterion], given: Mapping[str, object]
) -> dict[str, Assessment]:
    """Check reviewers' assessments against the criteria a rubric marks
    ``assessed by reviewer``; return them as :class:`Assessment` by id.

    An assessment is an :class:`Assessment` or a mapping with ``points``,
    ``reviewer`` and ``justification``.  Points above the criterion's maximum
    are accepted (scoring clamps them, and the trace shows it); negative
    points, a missing name or a missing justification are errors.

    Raises:
        EvidenceError: naming the criterion and what is wrong, for every problem.
    """
    problems: list[EvidenceProblem] = []
    checked: dict[str, Assessment] = {}
    for item_id, value in given.items():
        where = str(item_id)
        if item_id not in assessed:
            guess = difflib.get_close_matches(where, list(assessed), n=1, cutoff=0.6)
            problems.append(
                EvidenceProblem(
                    where,
                    None,
                    "assessment-unknown-criterion",
                    {"known": QuotedList(tuple(assessed)) if assessed else "—"},
                    "hint-did-you-mean" if guess else None,
                    {"name": guess[0]} if guess else {},
                )
            )
            continue
        points: object
        reviewer: object
        justification: object
        if isinstance(value, Assessment):
            points, reviewer, justification = value
        elif isinstance(value, Mapping):
            points = value.get("points")
            reviewer = value.get("reviewer")
            justification = value.get("justification")
            problems.extend(
                EvidenceProblem(where, str(key), "assessment-unknown-key")
                for key in value
                if key not in ("points", "reviewer", "justification")
            )
        else:
            problems.append(
                EvidenceProblem(
                    where, _short(value), "assessment-not-object", hint="hint-assessment-shape"
                )
            )
            continue
        number = _as_number(points)
        if points is None:
            problems.append(
                EvidenceProblem(where, None, "assessment-no-points", hint="hint-assessment-shape")
            )
        elif isinstance(number, _Problem):
            hint = "hint-decimal-evidence" if isinstance(points, float) else None
            shown = Verbatim(repr(points)) if isinstance(points, str) else _short(points)
            problems.append(EvidenceProblem(where, shown, "assessment-points", hint=hint))
        elif number < 0:
            problems.append(EvidenceProblem(where, number, "assessment-negative"))
        if not isinstance(reviewer, str) or not reviewer.strip():
            problems.append(EvidenceProblem(where, None, "assessment-no-reviewer"))
        if not isinstance(justification, str) or not justification.strip():
            problems.append(
                EvidenceProblem(where, None, "assessment-no-justification", hint="hint-justify")
            )
        if not problems or all(p.field != where for p in problems):
            checked[where] = Assessment(
                Decimal(number),  # type: ignore[arg-type]
                str(reviewer).strip(),
                str(justification).strip(),
            )
    if problems:
        raise EvidenceError(problems)
    return checked


# ---------------------------------------------------------------- evidence files

DOCUMENT_KEYS: Final = ("contestant", "rubric", "evidence", "note")
#: The further keys of a contest submission file (``docs/contest.md``).
SUBMISSION_KEYS: Final = (
    "claimed",
    "claimed_total",
    "dossier",
    "verified",
    "assessments",
)


@attrs.frozen
class EvidenceDocument:
    """One evidence file: whose evidence it is, and the values.

    Attributes:
        evidence: Field name to value, as read (not yet validated).
        contestant: The unit's code, when the file names it.
        rubric: The rubric id the file was written for, when it names one.
        note: A free remark, when given.
        source: Where it was read from.
        assessments: Reviewers' assessments of the criteria the rubric marks
            ``assessed by reviewer``, by criterion id, when the file gives them.
    """

    evidence: Mapping[str, object]
    contestant: str | None
    rubric: str | None
    note: str | None
    source: str
    assessments: Mapping[str, object] = attrs.field(factory=dict)


class JsonReason:
    """Python's JSON error message, in the reader's language where it is a known one."""

    _CODES: Final = {
        "Expecting value": "json-expecting-value",
        "Expecting ',' delimiter": "json-expecting-comma",
        "Expecting ':' delimiter": "json-expecting-colon",
        "Expecting property name enclosed in double quotes": "json-expecting-name",
        "Unterminated string starting at": "json-unterminated-string",
        "Invalid control character at": "json-control-character",
        "Extra data": "json-extra-data",
    }

    def __init__(self, message: str) -> None:
        self.message = message

    def localize(self, lang: Lang) -> str:
        code = self._CODES.get(self.message)
        return self.message if code is None else text_for(code, lang)


class _NotFinite(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _TooLong(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _reject_constant(name: str) -> object:
    raise _NotFinite(name)


def _parse_int(text: str) -> int:
    # An integer longer than any evidence can be is refused here, before
    # Python's own digit limit turns it into an unclear error.
    if len(text.lstrip("-")) > 30:
        raise _TooLong(text)
    return int(text)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_json_object(text: str, source: str = "<string>") -> dict[str, object]:
    """Read a JSON object exactly: numbers as ``int`` or :class:`~decimal.Decimal`,
    never ``float``; ``NaN``, ``Infinity``, over-long numbers and a key given
    twice are errors.

    Raises:
        EvidenceError: naming the file, and the line and column of a JSON error.
    """
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_parse_int,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as error:
        raise EvidenceError(
            [
                EvidenceProblem(
                    "",
                    None,
                    "evidence-json",
                    {"line": error.lineno, "column": error.colno, "reason": JsonReason(error.msg)},
                )
            ],
            source,
        ) from None
    except _DuplicateKey as error:
        raise EvidenceError(
            [EvidenceProblem(error.key, None, "evidence-duplicate-key")], source
        ) from None
    except _NotFinite as error:
        raise EvidenceError(
            [EvidenceProblem("", error.text, "evidence-not-finite-json")], source
        ) from None
    except _TooLong as error:
        raise EvidenceError(
            [
                EvidenceProblem(
                    "",
                    Verbatim(f"{error.text[:20]}…"),
                    "evidence-number-too-long",
                    {"digits": len(error.text.lstrip("-"))},
                )
            ],
            source,
        ) from None
    if not isinstance(data, dict):
        raise EvidenceError([EvidenceProblem("", _short(data), "evidence-not-object")], source)
    return data


def parse_evidence_json(text: str, source: str = "<string>") -> EvidenceDocument:
    """Read an evidence file written as JSON.

    The file is either an object of field values, or an object with the keys
    ``evidence`` (the field values), and optionally ``contestant``, ``rubric``
    and ``note`` — and the keys of a contest submission (``claimed``,
    ``dossier``, ``verified``, ...; see ``docs/contest.md``), which scoring
    one file leaves aside.  Numbers are read as exact decimals; ``NaN``,
    ``Infinity`` and a key given twice are errors.

    Raises:
        EvidenceError: naming the file, and the line and column of a JSON error.
    """
    return evidence_document(load_json_object(text, source), source)


def parse_evidence_toml(text: str, source: str = "<string>") -> EvidenceDocument:
    """Read an evidence file written as TOML (numbers exact, as with JSON).

    Raises:
        EvidenceError: naming the file, and what TOML could not read.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise EvidenceError(
            [EvidenceProblem("", None, "contest-toml", {"reason": str(error)})], source
        ) from None
    return evidence_document(data, source)


def evidence_document(data: Mapping[str, object], source: str) -> EvidenceDocument:
    """An evidence document from a parsed JSON or TOML object (see
    :func:`parse_evidence_json`).

    Raises:
        EvidenceError: naming the file and every key that is wrong.
    """
    if "evidence" not in data:
        return EvidenceDocument(data, None, None, None, source)
    problems = [
        EvidenceProblem(
            key, _short(value), "evidence-document-key", {"keys": DOCUMENT_KEYS + SUBMISSION_KEYS}
        )
        for key, value in data.items()
        if key not in DOCUMENT_KEYS and key not in SUBMISSION_KEYS
    ]
    evidence = data["evidence"]
    if not isinstance(evidence, Mapping):
        problems.append(EvidenceProblem("evidence", _short(evidence), "evidence-not-object"))
    texts: dict[str, str | None] = {}
    for key in ("contestant", "rubric", "note"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key == "contestant":
            value = str(value)
        if value is not None and not isinstance(value, str):
            problems.append(EvidenceProblem(key, _short(value), "evidence-document-text"))
            value = None
        texts[key] = value
    assessments = data.get("assessments") or {}
    if not isinstance(assessments, Mapping):
        problems.append(EvidenceProblem("assessments", _short(assessments), "evidence-not-object"))
        assessments = {}
    if problems:
        raise EvidenceError(problems, source)
    assert isinstance(evidence, Mapping)
    return EvidenceDocument(
        evidence, texts["contestant"], texts["rubric"], texts["note"], source, assessments
    )
