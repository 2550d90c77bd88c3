"""Excel workbooks: the self-score form units fill in, and the contest results.

Three jobs, each one function:

* :func:`write_template` (and :func:`write_forms` for one sheet per unit)
  builds the self-score form a district fills in: its evidence, the points it
  claims, its dossier — and the cells the Provincial Cooperative Alliance fills
  at re-inspection (phúc tra): verified values and reviewers' assessments.
* :func:`read_forms` reads filled forms back as
  :class:`~htx_rules.contest.Submission` objects, exactly (no binary float
  reaches scoring), reporting every problem with its file, sheet and cell.
* :func:`contest_workbook` writes a :class:`~htx_rules.contest.ContestResult`:
  a ranking sheet, then one sheet per unit with its reconciliation.

Texts are Vietnamese by default and English with ``lang="en"``; every text
comes from :mod:`htx_rules.messages`.  Only :func:`read_forms` reads a file
(the path it is given); the writers return an :class:`openpyxl.Workbook`
for the caller to ``save``.

The form sheet
--------------

Column A is hidden and holds a *key* on every row the reader needs; the other
columns are for people (B id, C label, D type or maximum, E allowed values or
notes, F–H inputs)::

    key (column A)           what the row is                       inputs
    htx:form                 title
    htx:meta:contestant      the unit: «930 — TP. Vị Thanh» (list)  C
    htx:meta:rubric, htx:meta:title, htx:meta:year, htx:meta:deadline
    htx:meta:claimed_total   the total the unit states (optional)   C
    htx:meta:note            a free remark                          C
    htx:meta:re_inspected    re-inspected (có/không), the Alliance's C
    htx:section:evidence     1. MINH CHỨNG (SỐ LIỆU), then headers
    htx:field:<name>         name, label, type, allowed values      F reported, G verified
    htx:section:claims       2. BẢNG TỰ CHẤM ĐIỂM, then headers
    htx:part:<id>            Phần I — … (tối đa 50 điểm)
    htx:item:<id>            id, label, maximum, note               F claimed points
    htx:section:assessments  only when criteria are assessed by a reviewer
    htx:assess:<id>          id, label, maximum, guidance           F points, G reviewer,
                                                                    H justification
    htx:section:dossier      only when the rubric has a dossier
    htx:doc:<id>             id, label                              F sent (có/không)

Meta values (the unit, its stated total, the note) are in column C; the
inputs of the tables in columns F to H.  Yellow cells are the unit's, blue
cells the Alliance's.  Input cells carry Excel data validation (yes/no and
choice lists, whole numbers for counts, decimals within the field's bounds,
0–100 for percentages, dates, 0 to the maximum for points) and are unlocked,
so that protecting the sheet (not done here, so that users may still insert
rows) leaves only them editable.  A list Excel cannot hold inline (longer
than 255 characters, or with a comma in an entry) is written on a hidden sheet
``htx_lists``, placed last; the reader skips it.

Reading relies on the keys alone, never on row numbers: rows may be inserted,
deleted or reordered, and blank or extra rows without a key are ignored.
The key column is found as the first of columns A–E holding ``htx:`` keys, so
a column inserted before A is tolerated too; the other columns are read at
their place relative to it.  A sheet without any ``htx:`` key is not a form
and is skipped (a list, a note, a chart); so is a form in which nothing is
filled in but perhaps the unit (an unused copy of the template, or the sheet
of a unit that sent nothing: the contest lists it as missing).  A form with
values but no unit is an error, and so is one with a unit and claims but no
reported value.  Keys that name nothing in the rubric (a form made for
another rubric) and keys given twice are errors.

Values as read (by :mod:`htx_rules.cells`, which ``htx-rules batch`` shares):

* Numbers typed into cells come from Excel as binary floats; each is turned
  into the shortest decimal that gives back the same float
  (``Decimal(repr(x))``) — what was typed, for up to 15 significant digits.
  A float with more digits is not something a person typed (usually a
  formula's result) and is refused.  A whole number stays an ``int``.
* A number in a cell formatted as a percentage (``95%`` typed in Excel is
  stored as 0.95) is read as that percentage (95).
* Text in a number cell is read the Vietnamese way where that is not
  ambiguous: ``72,5`` is 72.5, ``10.000.000`` is ten million, ``1.234,5`` is
  1234.5; the English ``72.5`` and ``10,000,000`` are understood too.  Text
  that may be either (``1.500``, ``1,500``: 1500 or 1.5) is read as the one
  reading the field allows (a count cannot be 1.5, a percentage cannot be
  1500), and refused with both readings when the field allows both.  A
  trailing ``%`` (percentages), ``đồng`` (money) or the field's
  unit is allowed.
* yes/no: ``có``/``không`` or ``yes``/``no`` (also ``true``/``false``,
  ``co``/``khong``, ``1``/``0``, ``x`` for yes, and Excel's TRUE/FALSE).
* choices: the choice's label (as the list offers it), its value, or
  ``value — label``.
* dates: a date cell, or text ``20/12/2021`` (day/month/year) or
  ``2021-12-20``; a date with a time of day is refused.
* An empty cell gives no value.  In a verified cell ``—`` (or ``-``) means the
  reported value is not accepted (the field is not given after
  re-inspection).  The unit counts as re-inspected when a verified cell is
  filled or the ``Đã phúc tra`` cell says ``có`` (re-inspection that changed
  nothing); otherwise ``Submission.verified`` is None.
* A formula is read through the value Excel last computed for it; a formula
  never computed (a file written by a program and not opened in Excel since)
  is refused.

Every value is checked against its field as it is read, so that an error
names the cell; claims are checked to be numbers of at least 0, and
assessments are passed on as given for :func:`~htx_rules.contest.run_contest`
to judge.

The results workbook
--------------------

Numbers are stored as numbers (never as text) and shown with Excel number
formats: points with the rubric's decimals (``#,##0.00``), money as
``#,##0 "đồng"``, dates as ``dd/mm/yyyy`` in Vietnamese.  A number format
always writes ``,`` for thousands and ``.`` for decimals; Excel shows them
with the separators of the reader's own settings (``1.234,5`` on a
Vietnamese system), which no file can fix.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from htx_rules import model as m
from htx_rules.cells import (
    CellProblem,
    choice_entries,
    field_value,
    float_decimal,
    is_percent_format,
    nfc,
    read_contestant,
    read_number,
    read_yes_no,
    shown,
    unknown_contestant,
)
from htx_rules.checker import all_items
from htx_rules.contest import ContestError, ContestResult, Standing, Submission
from htx_rules.decimals import Lang, canonical, format_number
from htx_rules.errors import EvidenceProblem
from htx_rules.evidence import LIMIT
from htx_rules.messages import Verbatim
from htx_rules.render import show_evidence, text
from htx_rules.report import (
    award_words,
    basis_words,
    dossier_missing_words,
    eligibility_words,
    line_reason,
    policy_words,
    tie_order_words,
    tie_words,
)
from htx_rules.result import Value
from htx_rules.rubric import Rubric
from htx_rules.source import Span

# ---------------------------------------------------------------- the form's keys

KEY: Final = "htx:"
FORM_KEY: Final = "htx:form"
META: Final = "htx:meta:"
FIELD: Final = "htx:field:"
ITEM: Final = "htx:item:"
ASSESS: Final = "htx:assess:"
DOC: Final = "htx:doc:"
#: keys of rows that only structure the sheet (titles, headers)
STRUCTURE: Final = ("htx:section:", "htx:head:", "htx:part:", "htx:legend")
META_KEYS: Final = (
    "rubric",
    "title",
    "year",
    "deadline",
    "contestant",
    "claimed_total",
    "note",
    "re_inspected",
)

# Column offsets from the key column.
_ID, _LABEL, _KIND, _ALLOWED, _REPORTED, _VERIFIED, _EXTRA = 1, 2, 3, 4, 5, 6, 7
_META_VALUE: Final = _LABEL
_POINTS, _REVIEWER, _JUSTIFICATION = _REPORTED, _VERIFIED, _EXTRA
_WIDTHS: Final = {1: 4, 2: 14, 3: 58, 4: 14, 5: 44, 6: 18, 7: 18, 8: 42}

#: what a verified cell holds to say the reported value is not accepted
REJECT_WORDS: Final = frozenset({"—", "–", "-"})
LISTS_SHEET: Final = "htx_lists"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_EXCEL_FIRST_DAY: Final = 1  # 1900-01-01
_EXCEL_LAST_DAY: Final = 2958465  # 9999-12-31

# ---------------------------------------------------------------- styles

_TITLE = Font(bold=True, size=14)
_SECTION = Font(bold=True, size=12, color="1F4E78")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_UNIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_ALLIANCE_FILL = PatternFill("solid", fgColor="DDEBF7")
_INFO_FILL = PatternFill("solid", fgColor="F2F2F2")
_SUM_FILL = PatternFill("solid", fgColor="FFFBEA")
_DIFF_FILL = PatternFill("solid", fgColor="FCE4D6")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def _points_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places > 0 else "")


_MONEY_FORMAT: Final = '#,##0 "đồng"'


def _date_format(lang: Lang) -> str:
    return "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd"


def _set(cell: Cell, value: object) -> None:
    """Put a value in a cell; text that begins with ``=`` stays text (openpyxl
    would store it as a formula)."""
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _fit_rows(ws: Worksheet, first: int = 1) -> None:
    """Give rows with wrapped text the height their text needs: Excel and
    LibreOffice do not always fit the rows of a file written by a program."""
    # A range merged along one row wraps its text over the width of its columns.
    merged: dict[str, float] = {}
    for ranges in ws.merged_cells.ranges:
        if ranges.min_row == ranges.max_row:
            merged[str(ranges.coord).split(":")[0]] = sum(
                ws.column_dimensions[get_column_letter(column)].width or 8.43
                for column in range(ranges.min_col, ranges.max_col + 1)
            )
    for cells in ws.iter_rows(min_row=first, max_row=ws.max_row):
        lines = 1
        row = None
        for cell in cells:
            if not isinstance(cell, Cell) or not isinstance(cell.value, str):
                continue
            row = cell.row
            if not cell.alignment.wrap_text:
                continue
            width = merged.get(cell.coordinate) or (
                ws.column_dimensions[get_column_letter(cell.column or 1)].width or 8.43
            )
            per_line = max(1, int(width * 1.15) - 1)
            needed = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if row is not None and lines > 1:
            current = ws.row_dimensions[row].height or 0
            ws.row_dimensions[row].height = max(current, 15 * lines)


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows is not None:
        ws.print_title_rows = title_rows


def _fresh_workbook() -> Workbook:
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    return book


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet title: at most 31 characters, none of ``[]:*?/\\``."""
    base = _SHEET_FORBIDDEN.sub("-", nfc(wanted)).strip("' ") or "-"
    title = base[:31].rstrip("' ")
    number = 2
    while title.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)].rstrip("' ") + suffix
        number += 1
    taken.add(title)
    return title


# ================================================================ the form


def write_template(rubric: Rubric, lang: Lang = "vi", contestant: str | None = None) -> Workbook:
    """The self-score form of ``rubric``: one sheet, for ``contestant`` when given.

    The sheet is titled with the unit's code (``931``) when ``contestant`` is
    given, which also fills in the unit cell; otherwise ``Mẫu tự chấm``
    (``Self-score form``), for any unit to fill in.  The layout is described in
    this module's documentation.

    Raises:
        ContestError: ``contestant`` is not listed in the rubric.
    """
    return write_forms(rubric, None if contestant is None else [contestant], lang)


def write_forms(
    rubric: Rubric, contestants: Iterable[str] | None = None, lang: Lang = "vi"
) -> Workbook:
    """Self-score forms in one workbook: one sheet per unit code in
    ``contestants`` (each titled with its code), or a single blank form when
    ``contestants`` is None.

    Raises:
        ContestError: a code is not listed in the rubric.
    """
    book = _fresh_workbook()
    writer = _FormWriter(book, rubric, lang)
    if contestants is None:
        writer.sheet(None)
        writer.finish()
        return book
    listed = {c.code: c for c in rubric.contestants}
    problems: list[tuple[str, EvidenceProblem]] = []
    chosen: list[m.Contestant] = []
    for code in contestants:
        found = listed.get(str(code))
        if found is None and listed:
            problems.append(("", unknown_contestant(str(code), rubric.contestants)))
            continue
        chosen.append(found or m.Contestant(str(code), str(code), _NO_SPAN))
    if problems:
        raise ContestError(problems)
    for unit in chosen:
        writer.sheet(unit)
    writer.finish()
    return book


class _FormWriter:
    """Writes form sheets for one rubric into one workbook."""

    def __init__(self, book: Workbook, rubric: Rubric, lang: Lang) -> None:
        self.book = book
        self.rubric = rubric
        self.lang = lang
        self.model = rubric.model
        self.taken: set[str] = set()
        self._lists: Worksheet | None = None
        self._list_ranges: dict[tuple[str, ...], str] = {}

    # -------------------------------------------------------------- cells

    def put(
        self,
        ws: Worksheet,
        row: int,
        offset: int,
        value: object,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        number_format: str | None = None,
        wrap: bool = False,
        box: bool = False,
        indent: int = 0,
    ) -> Cell:
        cell = ws.cell(row=row, column=1 + offset)
        assert isinstance(cell, Cell), "a form never writes into a merged cell"
        _set(cell, value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        if wrap or indent or box:
            cell.alignment = Alignment(wrap_text=wrap, vertical="top", indent=indent)
        if box:
            cell.border = _BOX
        return cell

    def input_cell(
        self, ws: Worksheet, row: int, offset: int, fill: PatternFill, number_format: str | None
    ) -> Cell:
        cell = self.put(ws, row, offset, None, fill=fill, number_format=number_format, box=True)
        cell.protection = _UNLOCKED
        return cell

    def validate(
        self,
        ws: Worksheet,
        cell: Cell,
        kind: str,
        *,
        formula1: str | None = None,
        formula2: str | None = None,
        operator: str | None = None,
        explain: str,
        title: str,
        warn: bool = False,
    ) -> None:
        """Excel data validation on one cell (one rule per cell, with its own message)."""
        rule = DataValidation(
            type=kind,  # type: ignore[arg-type]
            formula1=formula1,
            formula2=formula2,
            operator=operator,  # type: ignore[arg-type]
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="warning" if warn else "stop",
            errorTitle=text("report-excel-dv-title", self.lang)[:32],
            error=text("report-excel-dv-error", self.lang, allowed=explain)[:255],
            promptTitle=title[:32],
            prompt=explain[:255],
        )
        rule.add(cell.coordinate)
        ws.add_data_validation(rule)

    def list_formula(self, items: Sequence[str]) -> str:
        """A list validation's source: inline when Excel allows it, else a range
        of the hidden lists sheet."""
        inline = ",".join(items)
        if len(inline) <= 250 and not any("," in i or '"' in i for i in items):
            return f'"{inline}"'
        key = tuple(items)
        if key not in self._list_ranges:
            if self._lists is None:
                self._lists = self.book.create_sheet(LISTS_SHEET)
                self._lists.sheet_state = "hidden"
                self.taken.add(LISTS_SHEET)
            column = len(self._list_ranges) + 2  # column A stays free of anything key-like
            for number, item in enumerate(items, start=1):
                self._lists.cell(row=number, column=column).value = item
            letter = get_column_letter(column)
            self._list_ranges[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(items)}"
        return self._list_ranges[key]

    def finish(self) -> None:
        """Put the hidden lists sheet last and open the workbook on the first form
        (Excel refuses a workbook whose active sheet is hidden)."""
        if self._lists is not None:
            last = len(self.book.sheetnames) - 1
            self.book.move_sheet(self._lists, offset=last - self.book.index(self._lists))
        self.book.active = 0

    @property
    def id_width(self) -> int:
        """Column B holds ids and the labels of the header block."""
        lang = self.lang
        words = [
            *(f.name for f in self.model.fields),
            *(i.id for i in all_items(self.model)),
            *(d.id for d in self.model.dossier),
            *(text(code, lang) for code in ("report-excel-claimed-total", "report-excel-deadline")),
        ]
        return min(32, max(12, *(len(w) + 2 for w in words)))

    # -------------------------------------------------------------- the sheet

    def sheet(self, unit: m.Contestant | None) -> Worksheet:
        lang = self.lang
        title = unit.code if unit is not None else text("report-excel-form-sheet", lang)
        ws: Worksheet = self.book.create_sheet(_sheet_title(title, self.taken))
        header = self.model.header
        for column, width in _WIDTHS.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.column_dimensions["B"].width = self.id_width
        ws.column_dimensions["A"].hidden = True
        row = 1
        ws.cell(row=row, column=1).value = FORM_KEY
        self.put(ws, row, 1, text("report-excel-form-title", lang, title=header.title), font=_TITLE)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        ws.row_dimensions[row].height = 36
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="center")
        row += 1
        self.contestant_row(ws, row, unit)
        ws.freeze_panes = "A3"
        row += 1
        meta: list[tuple[str, str, object, str | None]] = [
            ("rubric", "report-excel-rubric", header.id, None),
            ("title", "report-excel-title", header.title, None),
            ("year", "report-excel-year", header.year, "0"),
            ("deadline", "report-excel-deadline", header.deadline or "—", _date_format(lang)),
        ]
        for key, code, value, number_format in meta:
            ws.cell(row=row, column=1).value = META + key
            self.put(ws, row, 1, text(code, lang), font=_BOLD)
            self.put(ws, row, _META_VALUE, value, number_format=number_format)
            ws.cell(row=row, column=1 + _META_VALUE).alignment = Alignment(horizontal="left")
            row += 1
        ws.cell(row=row, column=1).value = META + "claimed_total"
        self.put(ws, row, 1, text("report-excel-claimed-total", lang), font=_BOLD)
        cell = self.input_cell(ws, row, _META_VALUE, _UNIT_FILL, None)
        explain = text("report-excel-allowed-points", lang, range=self.range_words(0, None))
        self.validate(
            ws,
            cell,
            "decimal",
            formula1="0",
            operator="greaterThanOrEqual",
            explain=explain,
            title=text("report-excel-claimed-total", lang),
        )
        row += 1
        ws.cell(row=row, column=1).value = META + "note"
        self.put(ws, row, 1, text("report-excel-note", lang), font=_BOLD)
        self.input_cell(ws, row, _META_VALUE, _UNIT_FILL, None).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=8)
        ws.row_dimensions[row].height = 30
        row += 1
        self.re_inspected_row(ws, row)
        row += 1
        ws.cell(row=row, column=1).value = "htx:legend"
        self.put(ws, row, 1, text("report-excel-legend", lang), wrap=True)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        ws.row_dimensions[row].height = 45
        row += 2
        number = 1
        row = self.evidence(ws, row, number)
        number += 1
        row = self.claims(ws, row + 1, number)
        if self.rubric.assessed:
            number += 1
            row = self.assessments(ws, row + 1, number)
        if self.model.dossier:
            number += 1
            row = self.dossier(ws, row + 1, number)
        _fit_rows(ws, first=3)
        _print_setup(ws, "1:2")
        return ws

    def contestant_row(self, ws: Worksheet, row: int, unit: m.Contestant | None) -> None:
        lang = self.lang
        ws.cell(row=row, column=1).value = META + "contestant"
        self.put(ws, row, 1, text("report-excel-contestant", lang), font=_BOLD)
        cell = self.input_cell(ws, row, _META_VALUE, _UNIT_FILL, "@")
        cell.font = _BOLD
        ws.row_dimensions[row].height = 22
        listed = self.rubric.contestants
        if unit is not None:
            cell.value = _unit_entry(unit) if listed else unit.code
        if listed:
            entries = [_unit_entry(c) for c in listed]
            self.validate(
                ws,
                cell,
                "list",
                formula1=self.list_formula(entries),
                explain=text("report-excel-contestant-hint", lang),
                title=text("report-excel-contestant", lang),
            )
        self.put(ws, row, _KIND, text("report-excel-contestant-hint", lang), wrap=True)
        ws.merge_cells(start_row=row, start_column=1 + _KIND, end_row=row, end_column=8)

    def re_inspected_row(self, ws: Worksheet, row: int) -> None:
        """Whether the Alliance re-inspected the unit: an empty verified column
        then means every reported value was confirmed."""
        lang = self.lang
        ws.cell(row=row, column=1).value = META + "re_inspected"
        self.put(ws, row, 1, text("report-excel-re-inspected", lang), font=_BOLD)
        cell = self.input_cell(ws, row, _META_VALUE, _ALLIANCE_FILL, None)
        hint = text("report-excel-re-inspected-hint", lang)
        self.validate(
            ws,
            cell,
            "list",
            formula1=self.list_formula([text("value-yes", lang), text("value-no", lang)]),
            explain=hint,
            title=text("report-excel-re-inspected", lang),
        )
        self.put(ws, row, _KIND, hint, wrap=True)
        ws.merge_cells(start_row=row, start_column=1 + _KIND, end_row=row, end_column=8)

    def section(self, ws: Worksheet, row: int, key: str, title: str, headers: Sequence[str]) -> int:
        ws.cell(row=row, column=1).value = "htx:section:" + key
        self.put(ws, row, 1, title, font=_SECTION)
        row += 1
        ws.cell(row=row, column=1).value = "htx:head:" + key
        for offset, words in enumerate(headers, start=1):
            if words:
                self.put(ws, row, offset, words, font=_BOLD, fill=_HEADER_FILL, wrap=True, box=True)
        return row + 1

    def info(self, ws: Worksheet, row: int, values: Sequence[object], indent: int = 0) -> None:
        for offset, value in enumerate(values, start=1):
            self.put(
                ws,
                row,
                offset,
                value,
                fill=_INFO_FILL,
                wrap=offset in (_LABEL, _ALLOWED),
                box=True,
                indent=indent if offset == _ID else 0,
            )

    # -------------------------------------------------------------- evidence

    def evidence(self, ws: Worksheet, row: int, number: int) -> int:
        lang = self.lang
        row = self.section(
            ws,
            row,
            "evidence",
            text("report-excel-section-evidence", lang, number=number),
            [
                text("report-excel-col-field", lang),
                text("column-label", lang),
                text("report-excel-col-type", lang),
                text("report-excel-col-allowed", lang),
                text("report-excel-col-reported", lang),
                text("report-excel-col-verified", lang),
            ],
        )
        for field in self.model.fields:
            ws.cell(row=row, column=1).value = FIELD + field.name
            explain = self.allowed_words(field)
            self.info(
                ws,
                row,
                [
                    field.name,
                    field.label,
                    text(f"report-excel-type-{_type_code(field)}", lang),
                    explain,
                ],
            )
            number_format = _input_format(field)
            reported = self.input_cell(ws, row, _REPORTED, _UNIT_FILL, number_format)
            verified = self.input_cell(ws, row, _VERIFIED, _ALLIANCE_FILL, number_format)
            self.field_validation(ws, reported, field, explain, warn=False)
            self.field_validation(ws, verified, field, explain, warn=True)
            row += 1
        return row

    def field_validation(
        self, ws: Worksheet, cell: Cell, field: m.Field, explain: str, *, warn: bool
    ) -> None:
        """The data validation of a reported (``warn=False``) or verified cell;
        a verified cell also takes ``—`` (the value is not accepted)."""
        extra = ["—"] if warn else []
        kind = field.type
        title = field.name
        if kind == "yes/no":
            words = [text("value-yes", self.lang), text("value-no", self.lang), *extra]
            self.validate(
                ws,
                cell,
                "list",
                formula1=self.list_formula(words),
                explain=explain,
                title=title,
                warn=warn,
            )
        elif kind == "choice":
            entries = [*choice_entries(field), *extra]
            self.validate(
                ws,
                cell,
                "list",
                formula1=self.list_formula(entries),
                explain=explain,
                title=title,
                warn=warn,
            )
        elif kind == "date":
            self.validate(
                ws,
                cell,
                "date",
                formula1=str(_EXCEL_FIRST_DAY),
                formula2=str(_EXCEL_LAST_DAY),
                operator="between",
                explain=explain,
                title=title,
                warn=warn,
            )
        else:
            low, high = _field_bounds(field)
            if low is None and high is None:
                # Any number: the rule only keeps text out.
                low, high = -LIMIT, LIMIT
            if low is not None and high is not None:
                operator, formula1, formula2 = "between", canonical(low), canonical(high)
            elif low is not None:
                operator, formula1, formula2 = "greaterThanOrEqual", canonical(low), None
            else:
                assert high is not None
                operator, formula1, formula2 = "lessThanOrEqual", canonical(high), None
            self.validate(
                ws,
                cell,
                "whole" if kind == "count" else "decimal",
                formula1=formula1,
                formula2=formula2,
                operator=operator,
                explain=explain,
                title=title,
                warn=warn,
            )

    def range_words(self, low: Decimal | int | None, high: Decimal | int | None) -> str:
        lang = self.lang
        shown = {
            "low": None if low is None else format_number(Decimal(low), lang),
            "high": None if high is None else format_number(Decimal(high), lang),
        }
        if low is not None and high is not None:
            return text("report-excel-range", lang, **shown)
        if low is not None:
            return text("report-excel-range-from", lang, **shown)
        if high is not None:
            return text("report-excel-range-to", lang, **shown)
        return ""

    def allowed_words(self, field: m.Field) -> str:
        """What a field's cell takes, in words (also the validation's message)."""
        lang = self.lang
        kind = field.type
        if kind == "yes/no":
            words = text("report-excel-allowed-yesno", lang)
        elif kind == "choice":
            words = text(
                "report-excel-allowed-choice",
                lang,
                choices="; ".join(choice_entries(field)),
            )
        elif kind == "date":
            example = self.model.header.deadline or datetime.date(self.model.header.year, 12, 31)
            shown = example.strftime("%d/%m/%Y") if lang == "vi" else example.isoformat()
            words = text("report-excel-allowed-date", lang, example=shown)
        else:
            low, high = _field_bounds(field)
            words = text(
                f"report-excel-allowed-{kind}", lang, range=self.range_words(low, high)
            ).rstrip()
        if field.unit:
            words += "; " + text("report-excel-unit", lang, unit=field.unit)
        return words

    # -------------------------------------------------------------- claims

    def claims(self, ws: Worksheet, row: int, number: int) -> int:
        lang = self.lang
        row = self.section(
            ws,
            row,
            "claims",
            text("report-excel-section-claims", lang, number=number),
            [
                text("column-id", lang),
                text("column-label", lang),
                text("column-max", lang),
                text("report-excel-col-notes", lang),
                text("report-excel-col-claimed", lang),
            ],
        )
        model = self.model
        groups: list[tuple[str, str, Sequence[m.Criterion]]] = [
            (
                "htx:part:" + part.id,
                text("report-excel-part", lang, id=part.id, label=part.label, max=part.maximum),
                part.criteria,
            )
            for part in model.parts
        ]
        for section in (model.bonus, model.deduction):
            if section is not None:
                groups.append(
                    (
                        "htx:part:" + section.kind,
                        text(
                            "report-excel-section-max",
                            lang,
                            label=section.label,
                            max=section.maximum,
                        ),
                        section.rules,
                    )
                )
        for key, title, items in groups:
            ws.cell(row=row, column=1).value = key
            self.put(ws, row, _ID, title, font=_BOLD)
            row += 1
            for item, depth in _nested(items):
                row = self.claim_row(ws, row, item, depth)
        return row

    def claim_row(self, ws: Worksheet, row: int, item: m.Criterion, depth: int) -> int:
        lang = self.lang
        ws.cell(row=row, column=1).value = ITEM + item.id
        if item.children:
            note = text("report-excel-sum-of-children", lang)
        elif isinstance(item.scoring, m.Assessed):
            note = text("report-excel-assessed-item", lang)
        else:
            note = ""
        self.info(ws, row, [item.id, item.label, item.maximum, note], indent=depth)
        if item.children:
            for offset in (_ID, _LABEL):
                ws.cell(row=row, column=1 + offset).font = _BOLD
        cell = self.input_cell(ws, row, _REPORTED, _SUM_FILL if item.children else _UNIT_FILL, None)
        self.validate(
            ws,
            cell,
            "decimal",
            formula1="0",
            formula2=canonical(item.maximum),
            operator="between",
            explain=text(
                "report-excel-allowed-points", lang, range=self.range_words(0, item.maximum)
            ),
            title=item.id,
        )
        return row + 1

    # -------------------------------------------------------------- assessments

    def assessments(self, ws: Worksheet, row: int, number: int) -> int:
        lang = self.lang
        row = self.section(
            ws,
            row,
            "assessments",
            text("report-excel-section-assessments", lang, number=number),
            [
                text("column-id", lang),
                text("column-label", lang),
                text("column-max", lang),
                text("report-excel-col-guidance", lang),
                text("column-points", lang),
                text("report-excel-col-reviewer", lang),
                text("report-excel-col-justification", lang),
            ],
        )
        for item_id, item in self.rubric.assessed.items():
            ws.cell(row=row, column=1).value = ASSESS + item_id
            guidance = item.scoring.guidance if isinstance(item.scoring, m.Assessed) else None
            self.info(ws, row, [item_id, item.label, item.maximum, guidance or ""])
            points = self.input_cell(ws, row, _POINTS, _ALLIANCE_FILL, None)
            self.validate(
                ws,
                points,
                "decimal",
                formula1="0",
                formula2=canonical(item.maximum),
                operator="between",
                explain=text(
                    "report-excel-allowed-points", lang, range=self.range_words(0, item.maximum)
                ),
                title=item_id,
            )
            self.input_cell(ws, row, _REVIEWER, _ALLIANCE_FILL, "@").alignment = _WRAP
            self.input_cell(ws, row, _JUSTIFICATION, _ALLIANCE_FILL, "@").alignment = _WRAP
            ws.row_dimensions[row].height = 45
            row += 1
        return row

    # -------------------------------------------------------------- dossier

    def dossier(self, ws: Worksheet, row: int, number: int) -> int:
        lang = self.lang
        row = self.section(
            ws,
            row,
            "dossier",
            text("report-excel-section-dossier", lang, number=number),
            [
                text("column-id", lang),
                text("report-excel-col-document", lang),
                text("report-excel-col-type", lang),
                "",
                text("report-excel-col-sent", lang),
            ],
        )
        words = [text("value-yes", lang), text("value-no", lang)]
        for document in self.model.dossier:
            ws.cell(row=row, column=1).value = DOC + document.id
            self.info(
                ws,
                row,
                [document.id, document.label, text("report-excel-type-yesno", lang), ""],
            )
            cell = self.input_cell(ws, row, _REPORTED, _UNIT_FILL, None)
            self.validate(
                ws,
                cell,
                "list",
                formula1=self.list_formula(words),
                explain=text("report-excel-allowed-yesno", lang),
                title=document.id,
            )
            row += 1
        return row


_NO_SPAN: Final = Span("<excel>", 1, 1, 1, 1)


def _unit_entry(unit: m.Contestant) -> str:
    return f"{unit.code} — {unit.name}"


def _type_code(field: m.Field) -> str:
    return "yesno" if field.type == "yes/no" else field.type


def _input_format(field: m.Field) -> str | None:
    if field.type == "date":
        return "dd/mm/yyyy"
    if field.type == "count":
        return "0"
    if field.type == "money":
        return _MONEY_FORMAT
    if field.type == "choice":
        return "@"
    return None


def _field_bounds(field: m.Field) -> tuple[Decimal | None, Decimal | None]:
    """A field's bounds in the units a form cell takes (percentages 0–100)."""
    low, high = field.minimum, field.maximum
    if field.type == "percent":
        low = max(low * 100, Decimal(0)) if low is not None else Decimal(0)
        high = min(high * 100, Decimal(100)) if high is not None else Decimal(100)
    if field.type == "count":
        low = max(low, Decimal(0)) if low is not None else Decimal(0)
    return low, high


def _nested(items: Sequence[m.Criterion], depth: int = 0) -> list[tuple[m.Criterion, int]]:
    found: list[tuple[m.Criterion, int]] = []
    for item in items:
        found.append((item, depth))
        found.extend(_nested(item.children, depth + 1))
    return found


# ================================================================ reading forms


def read_forms(
    source: str | Path | Workbook, rubric: Rubric, *, name: str | None = None
) -> list[Submission]:
    """Every filled form in a workbook, as submissions (one per form sheet).

    ``source`` is the path of an ``.xlsx`` file or a workbook already open;
    ``name`` is what errors and :attr:`Submission.source` call it (by default
    the path, or ``<workbook>``).  Each submission's source is
    ``file[sheet]``.  Which sheets are forms, and how cells are read, is
    described in this module's documentation.

    Raises:
        ContestError: listing every problem of every sheet, each with
            ``file[sheet]!cell``; or the file is not an Excel workbook, or holds
            no filled form.
        OSError: the file cannot be read.
    """
    if isinstance(source, Workbook):
        book = source
        file = name or "<workbook>"
        computed: Callable[[], Workbook] | None = None
    else:
        path = Path(source)
        file = name or str(path)
        book = _open(path, file, data_only=False)

        def load_values() -> Workbook:
            return _open(path, file, data_only=True)

        computed = load_values
    reader = _BookReader(book, computed, rubric, file)
    return reader.read()


def _open(path: Path, file: str, *, data_only: bool) -> Workbook:
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        reason = str(error) or type(error).__name__
        problem = EvidenceProblem("", None, "excel-unreadable", {"reason": Verbatim(reason)})
        raise ContestError([(file, problem)]) from None


class _BookReader:
    def __init__(
        self, book: Workbook, computed: Callable[[], Workbook] | None, rubric: Rubric, file: str
    ) -> None:
        self.book = book
        self._computed = computed
        self._values: Workbook | None = None
        self.rubric = rubric
        self.file = file
        self.problems: list[tuple[str, EvidenceProblem]] = []

    def computed_value(self, sheet: str, row: int, column: int) -> object:
        """The value Excel last computed for a formula cell (None: never computed)."""
        if self._computed is None:
            return None
        if self._values is None:
            self._values = self._computed()
        return self._values[sheet].cell(row=row, column=column).value

    def read(self) -> list[Submission]:
        submissions: list[Submission] = []
        for ws in self.book.worksheets:
            if not isinstance(ws, Worksheet) or ws.title == LISTS_SHEET:
                continue
            sheet = _SheetReader(self, ws)
            if not sheet.keys:
                continue
            submission = sheet.read()
            if submission is not None:
                submissions.append(submission)
        if not submissions and not self.problems:
            self.problems.append((self.file, EvidenceProblem("", None, "excel-no-forms")))
        if self.problems:
            raise ContestError(self.problems)
        return submissions


class _Unreadable(Exception):
    """A cell's value cannot be read (the problem is already recorded)."""


class _SheetReader:
    """Reads one sheet that holds form keys."""

    def __init__(self, book: _BookReader, ws: Worksheet) -> None:
        self.book = book
        self.ws = ws
        self.rubric = book.rubric
        self.source = f"{book.file}[{ws.title}]"
        self.problems: list[tuple[str, EvidenceProblem]] = []
        self.keys: dict[str, int] = {}
        self.column = 1
        #: whether any reported evidence cell holds something
        self.reported_filled = False
        self._find_keys()

    # -------------------------------------------------------------- keys

    def _find_keys(self) -> None:
        ws = self.ws
        found: dict[int, list[tuple[int, str]]] = {}
        last = min(ws.max_column, 5)
        for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1, max_col=last):
            for cell in cells:
                value = cell.value
                if isinstance(value, str) and value.startswith(KEY):
                    assert cell.row is not None
                    assert cell.column is not None
                    found.setdefault(cell.column, []).append((cell.row, value.strip()))
        if not found:
            return
        self.column = min(found)
        for row, key in found[self.column]:
            if key in self.keys:
                first = self.keys[key]
                self.problem(
                    row,
                    0,
                    EvidenceProblem(
                        key.removeprefix(KEY),
                        key.split(":")[-1],
                        "excel-duplicate-row",
                        {"row": first},
                    ),
                )
                continue
            self.keys[key] = row

    def where(self, row: int, offset: int) -> str:
        return f"{self.source}!{get_column_letter(self.column + offset)}{row}"

    def problem(self, row: int, offset: int, problem: EvidenceProblem) -> None:
        self.book.problems.append((self.where(row, offset), problem))
        self.problems.append((self.where(row, offset), problem))

    def raw(self, row: int, offset: int, name: str) -> object:
        """A cell's value (a formula's computed value), None when empty.

        Raises:
            _Unreadable: the cell holds a formula Excel never computed.
        """
        cell = self.ws.cell(row=row, column=self.column + offset)
        if isinstance(cell, MergedCell):
            return None
        value: object = cell.value
        if cell.data_type == "f":
            formula = value if isinstance(value, str) else "=…"
            value = self.book.computed_value(self.ws.title, row, self.column + offset)
            if value is None:
                self.problem(
                    row,
                    offset,
                    EvidenceProblem(name, Verbatim(formula[:60]), "excel-formula-no-value"),
                )
                raise _Unreadable
        if isinstance(value, str):
            value = nfc(value)
            if not value:
                return None
        return value

    def percent_formatted(self, row: int, offset: int) -> bool:
        cell = self.ws.cell(row=row, column=self.column + offset)
        return is_percent_format(str(cell.number_format or ""))

    # -------------------------------------------------------------- the sheet

    def read(self) -> Submission | None:
        rubric = self.rubric
        fields = {f.name: f for f in rubric.fields}
        items = {i.id: i for i in all_items(rubric.model)}
        documents = {d.id: d for d in rubric.model.dossier}
        meta: dict[str, object] = {}
        evidence: dict[str, object] = {}
        verified: dict[str, object] = {}
        claimed: dict[str, object] = {}
        assessments: dict[str, object] = {}
        dossier: list[str] = []
        filled = False
        for key, row in sorted(self.keys.items(), key=lambda pair: pair[1]):
            try:
                if key == FORM_KEY or key.startswith(STRUCTURE):
                    continue
                if key.startswith(META) and key.removeprefix(META) in META_KEYS:
                    meta[key.removeprefix(META)] = self.raw(
                        row, _META_VALUE, key.removeprefix(META)
                    )
                elif key.startswith(FIELD) and key.removeprefix(FIELD) in fields:
                    field = fields[key.removeprefix(FIELD)]
                    filled |= self.field(row, field, evidence, verified)
                elif key.startswith(ITEM) and key.removeprefix(ITEM) in items:
                    item = items[key.removeprefix(ITEM)]
                    points = self.number(row, _REPORTED, f"claimed.{item.id}", item.label)
                    if points is not None:
                        filled = True
                        if points < 0:
                            self.problem(
                                row,
                                _REPORTED,
                                EvidenceProblem(f"claimed.{item.id}", points, "claim-negative"),
                            )
                        claimed[item.id] = points
                elif key.startswith(ASSESS) and key.removeprefix(ASSESS) in rubric.assessed:
                    item_id = key.removeprefix(ASSESS)
                    given = self.assessment(row, item_id, rubric.assessed[item_id].label)
                    if given is not None:
                        filled = True
                        assessments[item_id] = given
                elif key.startswith(DOC) and key.removeprefix(DOC) in documents:
                    document = documents[key.removeprefix(DOC)]
                    value = self.raw(row, _REPORTED, f"dossier.{document.id}")
                    if value is not None:
                        filled = True
                        sent = read_yes_no(value)
                        if sent is None:
                            self.problem(
                                row,
                                _REPORTED,
                                EvidenceProblem(
                                    f"dossier.{document.id}",
                                    shown(value),
                                    "excel-yes-no",
                                    {"label": document.label},
                                ),
                            )
                        elif sent:
                            dossier.append(document.id)
                else:
                    self.problem(
                        row,
                        0,
                        EvidenceProblem("", key, "excel-unknown-row", {"rubric": rubric.id}),
                    )
            except _Unreadable:
                filled = True
        return self.submission(meta, evidence, verified, claimed, assessments, dossier, filled)

    def submission(
        self,
        meta: Mapping[str, object],
        evidence: dict[str, object],
        verified: dict[str, object],
        claimed: dict[str, object],
        assessments: dict[str, object],
        dossier: list[str],
        filled: bool,
    ) -> Submission | None:
        rubric = self.rubric
        contestant_row = self.keys.get(META + "contestant", 1)
        note = meta.get("note")
        if not (
            filled
            or note is not None
            or meta.get("claimed_total") is not None
            or meta.get("re_inspected") is not None
        ):
            # Nothing filled in (the unit's code aside): an unused copy of the form.
            return None
        form_rubric = meta.get("rubric")
        if form_rubric is not None and str(form_rubric) != rubric.id:
            self.problem(
                self.keys[META + "rubric"],
                _META_VALUE,
                EvidenceProblem(
                    "rubric", shown(form_rubric), "excel-rubric-mismatch", {"expected": rubric.id}
                ),
            )
        claimed_total: object = None
        total_row = self.keys.get(META + "claimed_total")
        if total_row is not None and meta.get("claimed_total") is not None:
            try:
                claimed_total = self.number(total_row, _META_VALUE, "claimed_total", None)
            except _Unreadable:
                claimed_total = None
        inspected = False
        flag = meta.get("re_inspected")
        if flag is not None:
            answer = read_yes_no(flag)
            if answer is None:
                self.problem(
                    self.keys[META + "re_inspected"],
                    _META_VALUE,
                    EvidenceProblem(
                        "re_inspected",
                        shown(flag),
                        "excel-yes-no",
                        {"label": _Words("report-excel-re-inspected")},
                    ),
                )
            inspected = bool(answer)
        given = meta.get("contestant")
        code = None
        if given is not None:
            code = self.contestant(given, contestant_row)
        else:
            self.problem(
                contestant_row,
                _META_VALUE,
                EvidenceProblem("contestant", None, "excel-no-contestant"),
            )
        if code is not None and not self.reported_filled:
            self.problem(
                contestant_row,
                _META_VALUE,
                EvidenceProblem("evidence", code, "excel-no-values"),
            )
        if self.problems or code is None:
            return None
        return Submission(
            contestant=code,
            evidence=evidence,
            claimed=claimed,
            claimed_total=claimed_total,
            dossier=tuple(dossier),
            verified=verified if verified or inspected else None,
            assessments=assessments,
            note=None if note is None else _text_of(note),
            source=self.source,
        )

    # -------------------------------------------------------------- values

    def contestant(self, given: object, row: int) -> str | None:
        code = read_contestant(given, self.rubric.contestants)
        if isinstance(code, EvidenceProblem):
            self.problem(row, _META_VALUE, code)
            return None
        return code

    def field(
        self,
        row: int,
        field: m.Field,
        evidence: dict[str, object],
        verified: dict[str, object],
    ) -> bool:
        """Read a field's reported and verified cells; True when either was filled."""
        filled = False
        for offset, target, name in (
            (_REPORTED, evidence, field.name),
            (_VERIFIED, verified, f"verified.{field.name}"),
        ):
            try:
                value = self.raw(row, offset, name)
            except _Unreadable:
                filled = True
                self.reported_filled |= offset == _REPORTED
                continue
            if value is None:
                continue
            filled = True
            if offset == _REPORTED:
                self.reported_filled = True
            if isinstance(value, str) and value in REJECT_WORDS:
                if offset == _VERIFIED:
                    target[field.name] = None
                continue
            checked = self.evidence_value(row, offset, field, name, value)
            if checked is not None:
                target[field.name] = checked
        return filled

    def evidence_value(
        self, row: int, offset: int, field: m.Field, name: str, value: object
    ) -> Value | None:
        """A cell's value in the engine's form, or None (the problem recorded)."""
        checked = field_value(field, name, value, percent_cell=self.percent_formatted(row, offset))
        if isinstance(checked, EvidenceProblem):
            self.problem(row, offset, checked)
            return None
        return checked

    def number(self, row: int, offset: int, name: str, label: str | None) -> int | Decimal | None:
        """A number cell outside the evidence (points), or None when empty.

        Raises:
            _Unreadable: the cell holds a formula Excel never computed.
        """
        value = self.raw(row, offset, name)
        if value is None:
            return None
        try:
            return read_number(value, None, percent_cell=False)
        except CellProblem as error:
            args = {"label": label or name, **error.values}
            self.problem(
                row, offset, EvidenceProblem(name, shown(value), error.code, args, error.hint)
            )
            return None

    def assessment(self, row: int, item_id: str, label: str) -> dict[str, object] | None:
        try:
            points = self.number(row, _POINTS, item_id, label)
        except _Unreadable:
            points = None
        texts: list[str | None] = []
        for offset in (_REVIEWER, _JUSTIFICATION):
            try:
                value = self.raw(row, offset, item_id)
            except _Unreadable:
                value = None
            texts.append(None if value is None else _text_of(value))
        points_given = self.ws.cell(row=row, column=self.column + _POINTS).value is not None
        if not points_given and texts == [None, None]:
            return None
        return {"points": points, "reviewer": texts[0], "justification": texts[1]}


# ---------------------------------------------------------------- cell values


class _Words:
    """A catalog text shown in the reader's language when a message is rendered."""

    def __init__(self, code: str) -> None:
        self.code = code

    def localize(self, lang: Lang) -> str:
        return text(self.code, lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Words) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


def _text_of(value: object) -> str:
    if isinstance(value, float):
        return canonical(float_decimal(value)) if math.isfinite(value) else repr(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return nfc(str(value))


# ================================================================ results


def contest_workbook(result: ContestResult, lang: Lang = "vi") -> Workbook:
    """The contest as a workbook: a ranking sheet, then one sheet per unit
    (titled with its code and name) with its reconciliation, what
    re-inspection changed, its eligibility and its award.

    Points, totals and prizes are stored as numbers and shown with number
    formats (see this module's documentation).
    """
    book = _fresh_workbook()
    writer = _ResultWriter(book, result, lang)
    writer.ranking()
    for standing in result.standings:
        writer.unit(standing)
    return book


class _ResultWriter:
    def __init__(self, book: Workbook, result: ContestResult, lang: Lang) -> None:
        self.book = book
        self.result = result
        self.lang = lang
        self.model = result.rubric.model
        self.points = _points_format(self.model.header.rounding.places)
        self.taken: set[str] = set()

    def put(
        self,
        ws: Worksheet,
        row: int,
        column: int,
        value: object,
        *,
        number_format: str | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
        wrap: bool = False,
        indent: int = 0,
        box: bool = True,
    ) -> Cell:
        cell = ws.cell(row=row, column=column)
        assert isinstance(cell, Cell), "results never write into a merged cell"
        _set(cell, value)
        if number_format is not None:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if wrap or indent or box:
            cell.alignment = Alignment(wrap_text=wrap, vertical="top", indent=indent)
        if box:
            cell.border = _BOX
        return cell

    def headers(self, ws: Worksheet, row: int, words: Sequence[str]) -> None:
        for column, word in enumerate(words, start=1):
            self.put(ws, row, column, word, font=_BOLD, fill=_HEADER_FILL, wrap=True)

    def line(self, ws: Worksheet, row: int, words: str, *, font: Font | None = None) -> None:
        cell = self.put(ws, row, 1, words, font=font, box=False)
        cell.alignment = Alignment(wrap_text=False, vertical="top")

    # -------------------------------------------------------------- ranking

    def ranking(self) -> None:
        lang, result = self.lang, self.result
        title = _sheet_title(text("report-excel-ranking-sheet", lang), self.taken)
        ws: Worksheet = self.book.create_sheet(title)
        header = self.model.header
        self.line(ws, 1, text("contest-title", lang, title=header.title), font=_TITLE)
        self.line(
            ws,
            2,
            text(
                "contest-rubric",
                lang,
                id=header.id,
                year=header.year,
                file=result.rubric.source.name,
            ),
        )
        self.line(ws, 3, tie_order_words(self.model, lang))
        self.line(ws, 4, text("contest-still-tied", lang, rule=policy_words(result.policy, lang)))
        top = 6
        self.headers(
            ws,
            top,
            [
                text("contest-col-rank", lang),
                text("contest-col-code", lang),
                text("contest-col-unit", lang),
                text("report-excel-col-verified-total", lang),
                text("report-excel-col-claimed-total", lang),
                text("report-excel-col-reported-total", lang),
                text("contest-col-eligible", lang),
                text("contest-col-reason", lang),
                text("contest-col-award", lang),
                text("report-excel-col-prize", lang),
                text("report-excel-col-tie", lang),
            ],
        )
        ranks = [s.rank for s in result.standings]
        row = top
        for standing in result.standings:
            row += 1
            shared = ranks.count(standing.rank) > 1
            self.put(ws, row, 1, standing.rank, number_format='0"="' if shared else "0")
            self.put(ws, row, 2, standing.code)
            self.put(ws, row, 3, standing.contestant.name)
            star = "" if standing.re_inspected else '"*"'
            self.put(ws, row, 4, standing.total, number_format=self.points + star, font=_BOLD)
            self.put(ws, row, 5, standing.claimed_total, number_format=self.points)
            self.put(ws, row, 6, standing.reported.total, number_format=self.points)
            self.put(
                ws,
                row,
                7,
                text("value-yes" if standing.eligible else "value-no", lang),
            )
            reasons = "; ".join(r.text(lang) for r in standing.reasons)
            self.put(ws, row, 8, reasons or None, wrap=True)
            self.put(ws, row, 9, award_words(standing, result, lang) or None, wrap=True)
            self.prize(ws, row, 10, standing)
            self.put(ws, row, 11, tie_words(standing, result, lang) or None, wrap=True)
        ws.auto_filter.ref = f"A{top}:K{row}"
        ws.freeze_panes = f"D{top + 1}"
        notes = self.notes()
        row += 1
        for note in notes:
            row += 1
            self.line(ws, row, note)
        widths = {1: 8, 2: 8, 3: 20, 4: 13, 5: 13, 6: 13, 7: 12, 8: 50, 9: 24, 10: 18, 11: 50}
        for column, width in widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        _fit_rows(ws, first=top)
        _print_setup(ws, f"{top}:{top}")

    def prize(self, ws: Worksheet, row: int, column: int, standing: Standing) -> None:
        award = standing.award
        if award is None:
            self.put(ws, row, column, None)
        elif award.prize is None:
            self.put(ws, row, column, text("contest-prize-pending", self.lang))
        else:
            self.put(ws, row, column, award.prize, number_format=_MONEY_FORMAT)

    def notes(self) -> list[str]:
        lang, result = self.lang, self.result
        notes: list[str] = []
        for standing in result.awarded:
            award = standing.award
            if award is not None and award.remainder:
                notes.append(
                    f"{standing.contestant.name} ({standing.code}): "
                    + text(
                        "contest-remainder",
                        lang,
                        amount=Verbatim(_money_words(award.remainder, lang)),
                    )
                )
        if result.missing:
            notes.append(
                text(
                    "contest-missing",
                    lang,
                    units=tuple(f"{c.name} ({c.code})" for c in result.missing),
                )
            )
        if any(not s.re_inspected for s in result.standings):
            notes.append(text("contest-star", lang))
        return notes

    # -------------------------------------------------------------- one unit

    def unit(self, standing: Standing) -> None:
        lang, result = self.lang, self.result
        unit = standing.contestant
        ws: Worksheet = self.book.create_sheet(_sheet_title(f"{unit.code} {unit.name}", self.taken))
        widths = {1: 12, 2: 50, 3: 16, 4: 12, 5: 14, 6: 12, 7: 10, 8: 80}
        for column, width in widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = "A2"
        self.line(
            ws,
            1,
            text(
                "contest-unit-head",
                lang,
                unit=unit.name,
                code=unit.code,
                rank=standing.rank,
                total=Verbatim(format_number(standing.total, lang)),
            ),
            font=_TITLE,
        )
        self.line(ws, 2, basis_words(standing, lang))
        row = 3
        if standing.submission.note:
            self.line(ws, row, text("contest-note", lang, note=standing.submission.note))
            row += 1
        row += 1
        summary: list[tuple[str, object, str | None]] = [
            (text("contest-col-rank", lang), standing.rank, "0"),
            (text("report-excel-col-claimed-total", lang), standing.claimed_total, self.points),
            (text("report-excel-col-reported-total", lang), standing.reported.total, self.points),
            (text("report-excel-col-verified-total", lang), standing.total, self.points),
            (text("contest-col-eligible", lang), eligibility_words(standing, lang), None),
            (text("contest-col-award", lang), award_words(standing, result, lang) or "—", None),
        ]
        for label, value, number_format in summary:
            self.put(ws, row, 1, label, font=_BOLD, fill=_HEADER_FILL)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            self.put(ws, row, 3, value, number_format=number_format, wrap=True)
            if isinstance(value, str):
                ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=8)
            row += 1
        self.put(ws, row, 1, text("report-excel-col-prize", lang), font=_BOLD, fill=_HEADER_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        self.prize(ws, row, 3, standing)
        row += 1
        tie = tie_words(standing, result, lang)
        if tie:
            self.put(ws, row, 1, text("report-excel-col-tie", lang), font=_BOLD, fill=_HEADER_FILL)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            self.put(ws, row, 3, tie, wrap=True)
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=8)
            row += 1
        row += 1
        row = self.criteria(ws, row, standing)
        row = self.changes(ws, row + 1, standing)
        row = self.eligibility(ws, row + 1, standing)
        _fit_rows(ws, first=2)
        _print_setup(ws, None)

    def criteria(self, ws: Worksheet, row: int, standing: Standing) -> int:
        lang = self.lang
        self.line(ws, row, text("report-excel-criteria-head", lang), font=_SECTION)
        row += 1
        self.headers(
            ws,
            row,
            [
                text("column-id", lang),
                text("column-label", lang),
                text("column-max", lang),
                text("contest-col-claimed", lang),
                text("contest-col-reported", lang),
                text("contest-col-verified", lang),
                text("report-excel-col-difference", lang),
                text("column-why", lang),
            ],
        )
        section_of = _sections(self.model)
        current = None
        for line in standing.lines:
            section = section_of.get(line.id)
            if section is not None and section != current:
                current = section
                row += 1
                self.section_row(ws, row, section, standing)
            row += 1
            self.put(ws, row, 1, line.id, indent=line.depth)
            self.put(ws, row, 2, line.label, wrap=True)
            self.put(ws, row, 3, line.maximum, number_format=self.points)
            self.put(ws, row, 4, line.claimed, number_format=self.points)
            self.put(ws, row, 5, line.reported, number_format=self.points)
            fill = _DIFF_FILL if line.differs else None
            self.put(ws, row, 6, line.verified, number_format=self.points, font=_BOLD, fill=fill)
            self.put(ws, row, 7, "≠" if line.differs else None, fill=fill)
            self.put(ws, row, 8, line_reason(line, self.model, lang), wrap=True)
            if not line.leaf:
                for column in (1, 2):
                    ws.cell(row=row, column=column).font = _BOLD
        row += 1
        self.put(ws, row, 1, text("column-total", lang), font=_BOLD, fill=_HEADER_FILL)
        self.put(ws, row, 2, None, fill=_HEADER_FILL)
        self.put(
            ws,
            row,
            3,
            self.result.rubric.maximum_total,
            number_format=self.points,
            fill=_HEADER_FILL,
        )
        for column, value in (
            (4, standing.claimed_total),
            (5, standing.reported.total),
            (6, standing.total),
        ):
            self.put(
                ws, row, column, value, number_format=self.points, font=_BOLD, fill=_HEADER_FILL
            )
        return row + 1

    def section_row(self, ws: Worksheet, row: int, section: str, standing: Standing) -> None:
        lang, model = self.lang, self.model
        reported, verified = standing.reported, standing.verified
        part = next((p for p in model.parts if p.id == section), None)
        if part is not None:
            label = text("explain-part", lang, id=part.id, label=part.label)
            values = (part.maximum, reported.parts[part.id], verified.parts[part.id])
        else:
            block = model.bonus if section == "bonus" else model.deduction
            assert block is not None
            label = block.label
            values = (
                block.maximum,
                reported.bonus if section == "bonus" else reported.deduction,
                verified.bonus if section == "bonus" else verified.deduction,
            )
        self.put(ws, row, 1, part.id if part is not None else None, font=_BOLD, fill=_HEADER_FILL)
        self.put(ws, row, 2, label, font=_BOLD, fill=_HEADER_FILL, wrap=True)
        self.put(ws, row, 3, values[0], number_format=self.points, fill=_HEADER_FILL)
        self.put(ws, row, 4, None, fill=_HEADER_FILL)
        self.put(ws, row, 5, values[1], number_format=self.points, fill=_HEADER_FILL)
        self.put(ws, row, 6, values[2], number_format=self.points, fill=_HEADER_FILL, font=_BOLD)
        for column in (7, 8):
            self.put(ws, row, column, None, fill=_HEADER_FILL)

    def changes(self, ws: Worksheet, row: int, standing: Standing) -> int:
        lang = self.lang
        self.line(ws, row, text("report-excel-changes-head", lang), font=_SECTION)
        row += 1
        before, after = standing.reported.evidence, standing.verified.evidence
        changed = [
            field
            for field in self.model.fields
            if before.get(field.name) != after.get(field.name)
            or type(before.get(field.name)) is not type(after.get(field.name))
        ]
        if not standing.re_inspected or not changed:
            code = "report-excel-no-changes" if standing.re_inspected else "contest-basis-reported"
            self.line(ws, row, text(code, lang))
            return row + 1
        self.headers(
            ws,
            row,
            [
                text("report-excel-col-field", lang),
                text("column-label", lang),
                text("contest-col-reported", lang),
                text("contest-col-verified", lang),
            ],
        )
        for field in changed:
            row += 1
            self.put(ws, row, 1, field.name)
            self.put(ws, row, 2, field.label, wrap=True)
            for column, value in ((3, before.get(field.name)), (4, after.get(field.name))):
                shown, number_format = self.value_cell(value, field)
                self.put(ws, row, column, shown, number_format=number_format)
        return row + 1

    def value_cell(self, value: Value | None, field: m.Field) -> tuple[object, str | None]:
        """An evidence value as a cell: numbers and dates stay numbers and dates."""
        lang = self.lang
        if value is None or isinstance(value, bool | str):
            return show_evidence(value, field, lang), None
        if isinstance(value, datetime.date):
            return value, _date_format(lang)
        number = Decimal(value)
        places = max(0, -int(number.normalize().as_tuple().exponent))
        shape = "#,##0" + ("." + "0" * places if places else "")
        if field.type == "percent":
            return number, shape + '"%"'
        if field.type == "money":
            return number, shape + ' "đồng"'
        if field.unit:
            return number, shape + ' "' + field.unit.replace('"', "'") + '"'
        return number, shape

    def eligibility(self, ws: Worksheet, row: int, standing: Standing) -> int:
        lang = self.lang
        self.line(ws, row, text("report-excel-eligibility-head", lang), font=_SECTION)
        row += 1
        if standing.eligible:
            self.line(ws, row, text("report-excel-eligible", lang))
            row += 1
        for reason in standing.reasons:
            self.line(ws, row, "– " + reason.text(lang))
            row += 1
        if standing.dossier_missing:
            self.line(ws, row, dossier_missing_words(standing, lang))
            row += 1
        if standing.verified.missing:
            self.line(
                ws, row, text("contest-evidence-missing", lang, fields=standing.verified.missing)
            )
            row += 1
        if standing.verified.unassessed:
            self.line(ws, row, text("report-unassessed", lang, items=standing.verified.unassessed))
            row += 1
        return row


def _sections(model: m.RubricModel) -> dict[str, str]:
    """The part id (or ``bonus``, ``deduction``) of every criterion of depth 0."""
    found: dict[str, str] = {}
    for part in model.parts:
        for item in part.criteria:
            found[item.id] = part.id
    for block in (model.bonus, model.deduction):
        if block is not None:
            for item in block.rules:
                found[item.id] = block.kind
    return found


def _money_words(amount: Decimal, lang: Lang) -> str:
    return format_number(amount, lang) + " đồng"


__all__ = ["contest_workbook", "read_forms", "write_forms", "write_template"]
