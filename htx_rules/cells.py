"""Reading a value a person typed into a cell — of an Excel form, or of a table
(CSV, Excel) scored by ``htx-rules batch`` — as evidence of a declared field.

A cell holds text (every CSV cell; an Excel cell a person typed text into) or,
in Excel, a number, a yes/no, a date or a date and time.  The rules, the same
for every reader (``docs/cli.md`` and :mod:`htx_rules.excel` describe them for
their users):

* Numbers typed into Excel cells come as binary floats; each is turned into
  the shortest decimal that gives back the same float (``Decimal(repr(x))``) —
  what was typed, for up to 15 significant digits.  A float with more digits is
  not something a person typed (usually a formula's result) and is refused.  A
  whole number stays an ``int``.  A number in a cell formatted as a percentage
  (``95%`` typed in Excel is stored as 0.95) is read as that percentage (95).
* Text in a number cell is read the Vietnamese way where that is not
  ambiguous: ``72,5`` is 72.5, ``10.000.000`` is ten million, ``1.234,5`` is
  1234.5; the English ``72.5`` and ``10,000,000`` are understood too.  Text
  that may be either (``1.500``, ``1,500``: 1500 or 1.5) is read as the one
  reading the field allows (a count cannot be 1.5, a percentage cannot be
  1500), and refused with both readings when the field allows both.  A trailing
  ``%`` (percentages), ``đồng`` (money) or the field's unit is allowed.
* yes/no: ``có``/``không`` or ``yes``/``no`` (also ``true``/``false``,
  ``co``/``khong``, ``y``/``n``, ``1``/``0``, ``x`` for yes, and Excel's
  TRUE/FALSE), in any case.
* choices: the choice's value, its label, or ``value — label``.
* dates: a date cell, or text ``20/12/2021`` (day/month/year) or
  ``2021-12-20``; a date with a time of day is refused.

Every value read is then checked against its field (bounds, whole numbers) by
the field's own validator, so that a problem names the cell.  No binary float
ever reaches scoring.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from htx_rules import model as m
from htx_rules.errors import EvidenceProblem
from htx_rules.evidence import validator_for
from htx_rules.messages import QuotedList, TypeWord, Verbatim
from htx_rules.result import Value

#: words read as yes and as no in yes/no cells (after NFC, trimming, casefold)
YES_WORDS: Final = frozenset({"có", "co", "yes", "y", "true", "1", "x", "✓", "✔"})
NO_WORDS: Final = frozenset({"không", "khong", "no", "n", "false", "0"})
#: significant digits a typed number can have and still be read back exactly
FLOAT_DIGITS: Final = 15


def nfc(value: str) -> str:
    """Text in composed Unicode (NFC), without surrounding blanks."""
    return unicodedata.normalize("NFC", value).strip()


def choice_entries(field: m.Field) -> list[str]:
    """What a choice list offers: the labels when they tell the choices apart,
    otherwise ``value — label``."""
    labels = [nfc(c.label) for c in field.choices]
    values = {c.value for c in field.choices}
    if len({label.casefold() for label in labels}) == len(labels) and all(
        label and label not in values for label in labels
    ):
        return labels
    return [f"{c.value} — {c.label}" for c in field.choices]


def field_value(
    field: m.Field, name: str, value: object, *, percent_cell: bool = False
) -> Value | EvidenceProblem:
    """A (non-empty) cell's value as evidence of ``field``, in the engine's form,
    or the problem with it, reported under ``name`` (the field's name, or
    ``verified.<name>`` for a re-inspection cell).

    ``percent_cell``: the cell is formatted as a percentage in Excel.
    """
    return FieldReader(field, name).read(value, percent_cell=percent_cell)


def read_contestant(given: object, units: Sequence[m.Contestant]) -> str | EvidenceProblem | None:
    """The unit a cell names — by code (``930``, a number or text), by
    ``code — name`` as a list offers it, or by name — or the problem when the
    rubric lists its units and none is that one.  A rubric that lists no units
    takes any code (None for a blank one)."""
    if isinstance(given, bool):
        words = str(given)
    elif isinstance(given, int) or (isinstance(given, float) and given.is_integer()):
        words = str(int(given))
    elif isinstance(given, float):
        words = repr(given)
    else:
        words = nfc(str(given))
    head = re.split(r"\s+[—–-]\s+", words, maxsplit=1)[0].strip()
    if not units:
        return head or None
    listed = {c.code for c in units}
    for candidate in (words, head):
        if candidate in listed:
            return candidate
    by_name = {nfc(c.name).casefold(): c.code for c in units}
    code = by_name.get(words.casefold())
    if code is not None:
        return code
    return unknown_contestant(words, units)


def unknown_contestant(code: object, units: Sequence[m.Contestant]) -> EvidenceProblem:
    """``unknown-contestant``: ``code`` is none of the units listed."""
    known = tuple(f"{c.code} ({c.name})" for c in units)
    return EvidenceProblem("contestant", code, "unknown-contestant", {"known": known})


class FieldReader:
    """Reads the cells of one field (:func:`field_value`), built once for a
    column of a table: the common cells — digits, ``có``, a choice's value, an
    ISO date — take a short path to the same values."""

    def __init__(self, field: m.Field, name: str | None = None) -> None:
        self.field = field
        self.name = field.name if name is None else name
        self.validate = validator_for(field)
        self._args = {"label": field.label, "type": TypeWord(field.type)}
        self._digits = field.type in ("count", "number", "percent", "money")
        self._iso = field.type == "date"
        # Exact texts that mean one value: yes/no words, choice values.
        self._words: dict[str, bool | str] = {}
        if field.type == "yes/no":
            self._words.update(dict.fromkeys(YES_WORDS, True))
            self._words.update(dict.fromkeys(NO_WORDS, False))
        elif field.type == "choice":
            self._words.update({c.value: c.value for c in field.choices})

    def read_text(self, text: str) -> Value | EvidenceProblem | None:
        """A text cell (of a CSV file): its value, its problem, or None when
        blank."""
        if self._digits and len(text) < 18 and text.isdigit() and text.isascii():
            # Scoring checks the bounds, with the same message as here.
            return int(text)
        if text in self._words:
            return self._words[text]
        if self._iso and len(text) == 10:
            checked = self.validate(text)
            if type(checked) is datetime.date:
                return checked
        words = nfc(text)
        return self.read(words) if words else None

    def read(self, value: object, *, percent_cell: bool = False) -> Value | EvidenceProblem:
        """A non-empty cell's value (text, number, yes/no, date) as evidence, or
        its problem.  ``percent_cell``: formatted as a percentage in Excel."""
        field = self.field
        kind = field.type
        validate = self.validate
        candidate: object
        try:
            if kind == "yes/no":
                candidate = read_yes_no(value)
                if candidate is None:
                    raise CellProblem("excel-yes-no")
            elif kind == "choice":
                candidate = read_choice(field, value)
            elif kind == "date":
                candidate = read_date(value)
            else:
                try:
                    candidate = read_number(value, field, percent_cell=percent_cell)
                except Ambiguous as error:
                    # ``1.500`` in a count can only be 1500; in a percentage only 1.5.
                    fitting = [r for r in error.readings if not _is_problem(validate(r))]
                    if len(fitting) != 1:
                        raise
                    candidate = fitting[0]
        except CellProblem as error:
            return EvidenceProblem(
                self.name, shown(value), error.code, {**self._args, **error.values}, error.hint
            )
        checked = validate(candidate)
        if isinstance(checked, Decimal | int | bool | str | datetime.date):
            return checked
        return EvidenceProblem(
            self.name,
            shown(candidate),
            checked.code,
            {**self._args, **checked.args},
            checked.hint,
            checked.hint_args,
        )


class CellProblem(Exception):
    """What is wrong with a cell's value: a catalog code, its values and a hint."""

    def __init__(self, code: str, hint: str | None = None, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.hint = hint
        self.values = values


class Ambiguous(CellProblem):
    """Text that reads as a whole number or as a decimal (``1.500``)."""

    def __init__(self, whole: int, fraction: Decimal, text: str) -> None:
        super().__init__(
            "excel-ambiguous-number",
            "hint-excel-ambiguous",
            whole=Verbatim(text),
            fraction=fraction,
        )
        self.readings: tuple[int, Decimal] = (whole, fraction)


def _is_problem(checked: object) -> bool:
    return not isinstance(checked, Decimal | int | bool | str | datetime.date)


def shown(value: object) -> object:
    """A cell's value as an error message shows it."""
    if isinstance(value, float):
        return Verbatim(repr(value))
    if isinstance(value, datetime.datetime):
        return Verbatim(value.isoformat(sep=" "))
    if isinstance(value, bool | int | Decimal | datetime.date):
        return value
    words = str(value)
    return words if len(words) <= 60 else words[:57] + "…"


def read_yes_no(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        word = nfc(value).casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
    return None


def read_choice(field: m.Field, value: object) -> str:
    words = nfc(str(value)) if not isinstance(value, float) else repr(value)
    folded = words.casefold()
    for choice in field.choices:
        label = nfc(choice.label).casefold()
        if words == choice.value or folded in (
            label,
            f"{choice.value} — {label}".casefold(),
            f"{label} ({choice.value})".casefold(),
        ):
            return choice.value
    head = re.split(r"\s+[—–-]\s+", words, maxsplit=1)[0].strip()
    if head in {c.value for c in field.choices}:
        return head
    raise CellProblem("excel-unknown-choice", choices=QuotedList(tuple(choice_entries(field))))


_VI_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def read_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time():
            raise CellProblem("excel-date-time", "hint-excel-date")
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        iso = _ISO_DATE.fullmatch(value)
        vi = _VI_DATE.fullmatch(value)
        try:
            if iso:
                return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if vi:
                return datetime.date(int(vi[3]), int(vi[2]), int(vi[1]))
        except ValueError:
            pass
    raise CellProblem("excel-not-date", "hint-excel-date")


def float_decimal(value: float) -> Decimal:
    return Decimal(repr(value))


def is_percent_format(number_format: str) -> bool:
    """Whether an Excel number format shows its number as a percentage
    (a ``%`` outside quotes and not escaped)."""
    outside = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in outside


_SPACES = "\u0020\u00a0\u202f\u2009"
_MINUS = "-\u2212"


def read_number(value: object, field: m.Field | None, *, percent_cell: bool) -> int | Decimal:
    """A number from a cell: an int, or the exact decimal typed.

    Raises:
        CellProblem: the value is not a number, is ambiguous, or is a float
            that was not typed (more than 15 significant digits).
    """
    if isinstance(value, bool):
        raise CellProblem("excel-not-number", "hint-excel-number")
    number: int | Decimal
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellProblem("excel-not-number", "hint-excel-number")
        number = float_decimal(value)
        digits = len(number.normalize().as_tuple().digits)
        if digits > FLOAT_DIGITS:
            raise CellProblem("excel-inexact-number", "hint-excel-round", digits=FLOAT_DIGITS)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = read_text_number(value, field)
        percent_cell = False
    else:
        raise CellProblem("excel-not-number", "hint-excel-number")
    if percent_cell and field is not None and field.type == "percent":
        number = Decimal(number).scaleb(2)
    if (
        isinstance(number, Decimal)
        and number.is_finite()
        and number == number.to_integral_value()
        and number.adjusted() < 30
    ):
        return int(number)
    return number


def _suffixes(field: m.Field | None) -> list[str]:
    if field is None:
        return []
    words = []
    if field.type == "percent":
        words.append("%")
    if field.type == "money":
        words += ["đồng", "đ", "vnđ", "vnd"]
    if field.unit:
        words.append(nfc(field.unit).casefold())
    return words


_PLAIN = re.compile(r"\d+")
_ONE_SEPARATOR = re.compile(r"(\d+)([.,])(\d+)")
_VI_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?")


def read_text_number(words: str, field: m.Field | None) -> int | Decimal:
    """Text typed as a number, read the Vietnamese way where that is not ambiguous."""
    body = nfc(words)
    folded = body.casefold()
    for suffix in sorted(_suffixes(field), key=len, reverse=True):
        if folded.endswith(suffix):
            body = body[: len(body) - len(suffix)].strip(_SPACES)
            break
    sign = ""
    if body[:1] in _MINUS or body[:1] == "+":
        sign = "-" if body[0] in _MINUS else ""
        body = body[1:].strip(_SPACES)
    try:
        plain = _read_digits(body)
    except Ambiguous as error:
        whole, fraction = error.readings
        if sign:
            raise Ambiguous(-whole, -fraction, f"-{whole}") from None
        raise
    if plain is None:
        raise CellProblem("excel-not-number", "hint-excel-number")
    result = Decimal(sign + plain)
    return int(result) if "." not in plain else result


def _read_digits(body: str) -> str | None:
    """Digits with separators as a plain decimal string (``1234.5``), or None.

    Raises:
        Ambiguous: one separator followed by exactly three digits, which may
            group thousands or mark decimals.
    """
    if _PLAIN.fullmatch(body):
        return body
    single = _ONE_SEPARATOR.fullmatch(body)
    if single:
        whole, _, fraction = single.groups()
        if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0":
            raise Ambiguous(int(whole + fraction), Decimal(f"{whole}.{fraction}"), whole + fraction)
        return f"{whole}.{fraction}"
    if _VI_GROUPED.fullmatch(body):
        return body.replace(".", "").replace(",", ".")
    if _EN_GROUPED.fullmatch(body):
        return body.replace(",", "")
    if _SPACE_GROUPED.fullmatch(body):
        squeezed = re.sub(f"[{_SPACES}]", "", body)
        return squeezed.replace(",", ".")
    return None
