"""Tables of evidence, one row per unit: the rows of a CSV, JSON Lines or Excel
file, read for ``htx-rules batch``.

Two steps, so that the second can run in worker processes:

1. *raw rows* — what the file holds, with the line (or Excel row) each comes
   from: :func:`csv_rows`, :func:`jsonl_rows`, :class:`WorkbookRows`.  These are
   cheap and read the file as a stream (never all of it at once); the command
   line opens the file and hands it over.
2. *evidence* — a raw row read against the rubric's fields
   (:class:`RowReader`): the unit's code, the evidence values in the engine's
   form, and every problem, each naming its column's field.

The header row of a CSV or Excel table names the fields (see
:func:`read_layout`); a column ``contestant`` (or ``don_vi``) holds the unit's
code; an empty cell gives no value.  Text cells are read as
:mod:`htx_rules.cells` reads an Excel form's (``có``/``không``, ``72,5``,
``20/12/2021``, …); a JSON line is read exactly like an evidence file.
"""

from __future__ import annotations

import csv
import itertools
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from xml.etree import ElementTree

import attrs

from htx_rules import model as m
from htx_rules.cells import FieldReader, is_percent_format, nfc, read_contestant, shown
from htx_rules.errors import EvidenceError, EvidenceProblem
from htx_rules.evidence import evidence_document, load_json_object
from htx_rules.messages import QuotedList, Verbatim

if TYPE_CHECKING:
    from htx_rules.rubric import Rubric

#: the headers (and JSON keys) of the unit's code, English and Vietnamese
CONTESTANT_COLUMNS: Final = ("contestant", "don_vi")
#: input formats by file name ending
FORMATS: Final = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
#: what a column's header may be said to hold besides a field
CONTESTANT: Final = "\0contestant"
_DELIMITERS: Final = (",", ";", "\t")


class RawRow(NamedTuple):
    """One row of a table, as the file holds it.

    Attributes:
        number: The line it starts on (CSV, JSON Lines), or its row (Excel).
        cells: The cells, in column order (text for CSV; text, numbers,
            yes/no, dates or :class:`Formula` for Excel); a JSON line's text.
        percent: Excel: the columns whose number is formatted as a percentage.
    """

    number: int
    cells: tuple[object, ...] | str
    percent: tuple[int, ...] = ()


class Formula(NamedTuple):
    """An Excel formula whose value Excel never computed."""

    text: str


@attrs.frozen
class Layout:
    """What the columns of a table hold.

    Attributes:
        source: The file (and sheet) the table is in, as messages name it.
        columns: For each column of the header, the field it holds,
            :data:`CONTESTANT`, or None (a blank header, or a column left aside).
        blank: The columns whose header is blank (a value under one is an error).
    """

    source: str
    columns: tuple[str | None, ...] = ()
    blank: frozenset[int] = frozenset()

    def where(self, number: int) -> str:
        """A row's position in messages: ``file:line``."""
        return f"{self.source}:{number}"


def read_layout(
    header: Sequence[object], rubric: Rubric, source: str, *, ignore: Collection[str] = ()
) -> tuple[Layout, list[EvidenceProblem]]:
    """The layout of a table from its header row, and the problems of the header:
    a column that is no field of the rubric (with the closest field's name), a
    column given twice, both spellings of the unit's column.

    ``ignore``: headers of columns to leave aside (notes, names).
    """
    fields = {f.name for f in rubric.fields}
    columns: list[str | None] = []
    blank: set[int] = set()
    seen: dict[str, str] = {}
    unknown: dict[str, None] = {}
    problems: list[EvidenceProblem] = []
    for index, cell in enumerate(header):
        name = "" if cell is None else nfc(str(cell))
        if not name:
            columns.append(None)
            blank.add(index)
            continue
        if name in ignore:
            columns.append(None)
            continue
        meaning = name if name in fields else CONTESTANT if name in CONTESTANT_COLUMNS else None
        if meaning is None:
            unknown[name] = None
            columns.append(None)
            continue
        if meaning in seen:
            first = seen[meaning]
            if first == name:
                problems.append(EvidenceProblem(name, None, "evidence-duplicate-key"))
            else:
                problems.append(
                    EvidenceProblem(name, None, "tests-both-spellings", {"other": first})
                )
        seen[meaning] = name
        columns.append(meaning)
    if unknown:
        try:
            rubric.validate(dict.fromkeys(unknown))
        except EvidenceError as error:
            problems.extend(error.problems)
    return Layout(source, tuple(columns), frozenset(blank)), problems


class Converted(NamedTuple):
    """A row read against the rubric: whose it is, its evidence, its problems.

    ``evidence`` is None when the row could not be read at all (a JSON line
    that is not JSON): it has no values to check further.
    """

    contestant: str | None
    evidence: dict[str, object] | None
    assessments: Mapping[str, object]
    problems: list[EvidenceProblem]


class RowReader:
    """Reads raw rows of one table against a rubric (:meth:`convert`)."""

    def __init__(self, rubric: Rubric, layout: Layout) -> None:
        self.rubric = rubric
        self.layout = layout
        by_name = {f.name: f for f in rubric.fields}
        self._readers: list[FieldReader | None] = [
            FieldReader(by_name[c]) if c is not None and c != CONTESTANT else None
            for c in layout.columns
        ]
        self._units: tuple[m.Contestant, ...] = rubric.contestants

    def convert(self, raw: RawRow) -> Converted:
        """The unit, the evidence and the problems of a raw row."""
        if isinstance(raw.cells, str):
            return self._json(raw)
        return self._cells(raw.cells, raw.percent)

    def _cells(self, cells: tuple[object, ...], percent: tuple[int, ...]) -> Converted:
        columns = self.layout.columns
        readers = self._readers
        evidence: dict[str, object] = {}
        problems: list[EvidenceProblem] = []
        contestant: str | None = None
        for index, value in enumerate(cells):
            if value is None or value == "":
                continue
            reader = readers[index] if index < len(readers) else None
            if reader is not None:
                if type(value) is str:
                    checked = reader.read_text(value)
                    if checked is None:
                        continue
                elif type(value) is Formula:
                    checked = EvidenceProblem(
                        reader.name, Verbatim(value.text[:60]), "excel-formula-no-value"
                    )
                else:
                    checked = reader.read(value, percent_cell=index in percent)
                if type(checked) is EvidenceProblem:
                    problems.append(checked)
                else:
                    evidence[reader.name] = checked
                continue
            if isinstance(value, str) and not nfc(value):
                continue
            column = columns[index] if index < len(columns) else None
            if column == CONTESTANT:
                found = read_contestant(value, self._units)
                if isinstance(found, EvidenceProblem):
                    problems.append(found)
                else:
                    contestant = found
            elif index >= len(columns) or index in self.layout.blank:
                problems.append(
                    EvidenceProblem(
                        "", shown(value), "batch-cell-without-column", {"column": index + 1}
                    )
                )
        return Converted(contestant, evidence, {}, problems)

    def _json(self, raw: RawRow) -> Converted:
        text = raw.cells
        assert isinstance(text, str)
        problems: list[EvidenceProblem] = []
        try:
            data = load_json_object(text.rstrip("\r\n"))
            if "evidence" in data:
                document = evidence_document(data, "")
                if document.rubric is not None and document.rubric != self.rubric.id:
                    problems.append(
                        EvidenceProblem(
                            "rubric",
                            document.rubric,
                            "rubric-mismatch",
                            {"expected": self.rubric.id},
                        )
                    )
                return Converted(
                    document.contestant, dict(document.evidence), document.assessments, problems
                )
        except EvidenceError as error:
            # A JSON error is at line 1 of the line: name the file's line.
            return Converted(None, None, {}, [_at_line(p, raw.number) for p in error.problems])
        fields = {f.name for f in self.rubric.fields}
        evidence = dict(data)
        contestant: str | None = None
        codes = [key for key in CONTESTANT_COLUMNS if key in evidence and key not in fields]
        if len(codes) == 2:
            problems.append(
                EvidenceProblem(codes[1], None, "tests-both-spellings", {"other": codes[0]})
            )
        for key in codes:
            given = evidence.pop(key)
            if given is None or isinstance(given, bool) or not isinstance(given, str | int):
                if given is not None:
                    problems.append(EvidenceProblem(key, shown(given), "evidence-document-text"))
                continue
            found = read_contestant(given, self._units)
            if isinstance(found, EvidenceProblem):
                problems.append(found)
            else:
                contestant = found
        return Converted(contestant, evidence, {}, problems)


def _at_line(problem: EvidenceProblem, line: int) -> EvidenceProblem:
    if problem.code == "evidence-json":
        return attrs.evolve(problem, args={**problem.args, "line": line})
    return problem


# ---------------------------------------------------------------- raw rows


def csv_rows(lines: Iterable[str]) -> tuple[list[str] | None, Iterator[RawRow]]:
    """The header and the rows of a CSV text (given line by line, newlines kept,
    as :func:`text_lines` gives it).

    The separator is the first of ``,``, ``;`` and tab found in the header line
    (a header holds field names, never one of them), else ``,``.  Blank lines
    and rows whose cells are all blank are skipped.

    Quotes are read strictly: a quote never closed, or text after a closing
    quote, is an error rather than a cell that swallows the lines after it.

    Raises:
        Unreadable: at the header, or from the rows' iterator at the first
            record CSV cannot read.
    """
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return None, iter(())
    delimiter = next((d for d in _DELIMITERS if d in first), ",")
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise Unreadable(1, _csv_problem(error)) from None
    if header is None or not any(cell.strip() for cell in header):
        return None, iter(())
    return header, _records(reader)


def _records(reader: Any) -> Iterator[RawRow]:
    line = reader.line_num
    while True:
        try:
            record = next(reader, None)
        except csv.Error as error:
            # The record that starts on the line after the last one read.
            raise Unreadable(line + 1, _csv_problem(error)) from None
        if record is None:
            return
        start, line = line + 1, reader.line_num
        if any(record) and any(cell.strip() for cell in record):
            yield RawRow(start, tuple(record))


def _csv_problem(error: csv.Error) -> EvidenceProblem:
    return EvidenceProblem("", None, "batch-csv", {"reason": Verbatim(str(error))})


def jsonl_rows(lines: Iterable[str]) -> Iterator[RawRow]:
    """The rows of a JSON Lines text: one JSON object per line; blank lines skipped."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield RawRow(number, line)


class Unreadable(Exception):
    """The file stops being readable at a line: its bytes are not UTF-8, or
    CSV cannot read it.  The rows before it were read.

    Attributes:
        line: The line.
        problem: What is wrong (``evidence-not-utf8``, ``batch-csv``).
    """

    def __init__(self, line: int, problem: EvidenceProblem) -> None:
        super().__init__(line, problem)
        self.line = line
        self.problem = problem


def text_lines(data: Iterable[bytes]) -> Iterator[str]:
    """The lines of a UTF-8 file read as bytes (with or without a byte-order
    mark), newlines kept.

    Raises:
        Unreadable: ``evidence-not-utf8``, at the line of the first bad byte.
    """
    for number, line in enumerate(data, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise Unreadable(number, EvidenceProblem("", None, "evidence-not-utf8")) from None


#: what openpyxl raises on a file that is not a workbook, or a damaged one
_BROKEN: Final = (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, TypeError)


def _unreadable(error: Exception) -> EvidenceProblem:
    reason = str(error) or type(error).__name__
    return EvidenceProblem("", None, "excel-unreadable", {"reason": Verbatim(reason)})


class WorkbookRows:
    """The header and rows of one sheet of an Excel workbook, streamed.

    The workbook is read with openpyxl in read-only mode, row by row.  A
    formula's cell gives the value Excel last computed for it (read from a
    second pass over the sheet, started only at the first formula), or a
    :class:`Formula` when Excel never computed it.  Use it as a context manager.

    Raises (on opening):
        EvidenceError: ``excel-unreadable`` (not a workbook), or
            ``batch-no-sheet`` (no sheet of that name).
    """

    def __init__(self, path: Path, sheet: str | None = None, *, name: str | None = None) -> None:
        import openpyxl  # noqa: PLC0415 - slow to import, and only for workbooks

        self._openpyxl = openpyxl
        self.path = path
        file = name or str(path)
        self._book = self._open(data_only=False, file=file)
        names = self._book.sheetnames
        title = names[0] if sheet is None else sheet
        if title not in names:
            self._book.close()
            raise EvidenceError(
                [EvidenceProblem("", sheet, "batch-no-sheet", {"sheets": QuotedList(names)})],
                file,
            )
        self.title = title
        self.source = f"{file}[{title}]"
        ws = self._book[title]
        #: the number of rows the workbook says the sheet has (None: unknown)
        self.size: int | None = ws.max_row if ws.max_row and ws.max_row > 1 else None
        # The dimensions a file records may be wrong: read every row there is.
        ws.reset_dimensions()
        self._rows = enumerate(ws.iter_rows(), start=1)
        self._computed: Iterator[tuple[int, tuple[object, ...]]] | None = None
        self._values_book: Any = None
        self._computed_at: tuple[int, tuple[object, ...]] = (0, ())
        self.done = 0
        header = next(self._rows, None)
        self.header: list[object] | None = None
        if header is not None:
            number, cells = header
            values = [self._value(number, i, c) for i, c in enumerate(cells)]
            if any(v is not None and str(v).strip() for v in values):
                self.header = values
                self.done = number

    def _open(self, *, data_only: bool, file: str) -> Any:
        from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

        try:
            return self._openpyxl.load_workbook(self.path, read_only=True, data_only=data_only)
        except (InvalidFileException, *_BROKEN) as error:
            raise EvidenceError([_unreadable(error)], file) from None

    def __enter__(self) -> WorkbookRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the workbook's file."""
        self._book.close()
        if self._values_book is not None:
            self._values_book.close()

    def rows(self, percent_columns: Collection[int] = ()) -> Iterator[RawRow]:
        """The rows after the header; ``percent_columns``: the columns whose
        numbers are to be checked for a percentage format.

        Raises:
            Unreadable: ``excel-unreadable``, at the row where the file turns
                out to be damaged.
        """
        while True:
            try:
                found = next(self._rows, None)
            except _BROKEN as error:
                raise Unreadable(self.done + 1, _unreadable(error)) from None
            if found is None:
                return
            number, cells = found
            self.done = number
            values = tuple(self._value(number, i, c) for i, c in enumerate(cells))
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                continue
            percent = tuple(
                i
                for i in percent_columns
                if i < len(cells)
                and isinstance(values[i], int | float)
                and not isinstance(values[i], bool)
                and is_percent_format(str(cells[i].number_format or ""))
            )
            yield RawRow(number, values, percent)

    def _value(self, number: int, index: int, cell: Any) -> object:
        value = cell.value
        if getattr(cell, "data_type", None) != "f":
            return value
        computed = self._computed_row(number)
        found = computed[index] if index < len(computed) else None
        return Formula(str(value)) if found is None else found

    def _computed_row(self, number: int) -> tuple[object, ...]:
        if self._computed is None:
            self._values_book = self._open(data_only=True, file=self.source)
            ws = self._values_book[self.title]
            ws.reset_dimensions()
            self._computed = enumerate(ws.iter_rows(values_only=True), start=1)
        at, values = self._computed_at
        while at < number:
            found = next(self._computed, None)
            if found is None:
                return ()
            at, values = found
            self._computed_at = found
        return values if at == number else ()
