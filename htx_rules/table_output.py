"""What ``htx-rules batch`` writes: one row per row read, in the order read.

Each row gives the row's number in the input (its line in a CSV or JSON Lines
file, its row in an Excel sheet), the unit's code, the total, the standard
points, the bonus and the deduction, the points of every part and of every
criterion, sub-criterion and rule (in rubric order), the evidence fields that
were missing, the criteria left for a reviewer, and for a row that could not
be scored its problems (and no points).

Three encodings, each a pure function of the row:

* CSV (:meth:`Columns.csv_line`): a header row in the reader's language, then
  the rows; numbers written exactly, as :func:`~htx_rules.decimals.canonical`
  writes them (``87.5``, never ``87.50000001``), with a ``.`` for decimals.
* JSON Lines (:meth:`Columns.jsonl_line`): one object per row, keys in a fixed
  order, numbers as strings, so that the same input gives the same bytes.
* Excel (:class:`SheetWriter`): the CSV's header and rows, numbers stored as
  numbers, streamed to the file (openpyxl's write-only mode).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from htx_rules.checker import all_items
from htx_rules.decimals import Lang, canonical
from htx_rules.errors import EvidenceProblem
from htx_rules.messages import render_message
from htx_rules.result import Result

if TYPE_CHECKING:
    from htx_rules.rubric import Rubric

OUTPUT_FORMATS: Final = ("csv", "jsonl", "xlsx")
#: what separates the problems of a row in one CSV or Excel cell
PROBLEM_SEPARATOR: Final = " | "
_KEEP: Final = 1 << 14


class Columns:
    """The output columns for a rubric, in one language."""

    def __init__(self, rubric: Rubric, lang: Lang) -> None:
        model = rubric.model
        self.lang: Lang = lang
        self.part_ids = tuple(p.id for p in model.parts)
        self.item_ids = tuple(i.id for i in all_items(model))
        words = [
            render_message(code, {}, lang)
            for code in (
                "batch-column-row",
                "column-unit",
                "column-total",
                "batch-column-standard",
                "column-bonus",
                "column-deduction",
            )
        ]
        parts = [
            render_message("column-part", {"id": p.id, "max": p.maximum}, lang) for p in model.parts
        ]
        after = [
            render_message(code, {}, lang)
            for code in ("batch-column-missing", "batch-column-unassessed", "batch-column-problems")
        ]
        #: the header row
        self.header: tuple[str, ...] = (*words, *parts, *self.item_ids, *after)
        # Points take few values: each is written once, then looked up.
        self._written: dict[Decimal, str] = {}
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\n")

    def cells(
        self,
        number: int,
        contestant: str | None,
        result: Result | None,
        problems: Sequence[EvidenceProblem] = (),
    ) -> list[object]:
        """The row's cells: numbers as :class:`~decimal.Decimal` (None when the
        row was not scored), lists joined into text."""
        lang = self.lang
        if result is None:
            blank: list[object] = [None] * (4 + len(self.part_ids) + len(self.item_ids))
            return [
                number,
                contestant,
                *blank,
                None,
                None,
                PROBLEM_SEPARATOR.join(p.message(lang) for p in problems),
            ]
        parts = result.parts
        items = result.items
        return [
            number,
            None if result.contestant is None else result.contestant.code,
            result.total,
            result.standard,
            result.bonus,
            result.deduction,
            *[parts[i] for i in self.part_ids],
            *[items[i] for i in self.item_ids],
            " ".join(result.missing) or None,
            " ".join(result.unassessed) or None,
            None,
        ]

    def csv_header(self) -> str:
        """The header line of the CSV output."""
        return self._line(self.header)

    def csv_line(self, cells: Sequence[object]) -> str:
        """One row of the CSV output, numbers written exactly."""
        written = self._written
        line: list[object] = []
        for cell in cells:
            if type(cell) is Decimal:
                text = written.get(cell)
                if text is None:
                    text = canonical(cell)
                    if len(written) < _KEEP:
                        written[cell] = text
                line.append(text)
            else:
                line.append("" if cell is None else cell)
        return self._line(line)

    def _line(self, cells: Sequence[object]) -> str:
        self._csv.writerow(cells)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text

    def jsonl_line(
        self,
        number: int,
        contestant: str | None,
        result: Result | None,
        problems: Sequence[EvidenceProblem] = (),
    ) -> str:
        """One line of the JSON Lines output (see ``docs/cli.md``)."""
        data: dict[str, Any]
        if result is None:
            data = {
                "row": number,
                "contestant": contestant,
                "total": None,
                "standard": None,
                "bonus": None,
                "deduction": None,
                "parts": None,
                "items": None,
                "missing": None,
                "unassessed": None,
                "problems": [
                    {"field": p.field, "code": p.code, "message": p.message(self.lang)}
                    for p in problems
                ],
            }
        else:
            parts = result.parts
            items = result.items
            data = {
                "row": number,
                "contestant": None if result.contestant is None else result.contestant.code,
                "total": canonical(result.total),
                "standard": canonical(result.standard),
                "bonus": canonical(result.bonus),
                "deduction": canonical(result.deduction),
                "parts": {i: canonical(parts[i]) for i in self.part_ids},
                "items": {i: canonical(items[i]) for i in self.item_ids},
                "missing": list(result.missing),
                "unassessed": list(result.unassessed),
                "problems": [],
            }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


class SheetWriter:
    """An Excel workbook of one sheet, written row by row (openpyxl's write-only
    mode keeps memory flat); :meth:`save` writes it."""

    def __init__(self, columns: Columns) -> None:
        from openpyxl import Workbook  # noqa: PLC0415 - slow to import, and only for workbooks
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
        from openpyxl.styles import Font  # noqa: PLC0415

        self._cell = WriteOnlyCell
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(render_message("batch-sheet", {}, columns.lang))
        self.sheet.freeze_panes = "C2"
        bold = Font(bold=True)
        header = []
        for words in columns.header:
            cell = WriteOnlyCell(self.sheet, value=words)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def append(self, cells: Sequence[object]) -> None:
        """Add a row (numbers as numbers; text that starts with ``=`` stays text)."""
        self.sheet.append([self._text(cell) for cell in cells])

    def _text(self, cell: object) -> object:
        if isinstance(cell, str) and cell.startswith("="):
            # openpyxl would store it as a formula
            text = self._cell(self.sheet, value=cell)
            text.data_type = "s"
            return text
        return cell

    def save(self, path: str) -> None:
        """Write the workbook to ``path``.

        Raises:
            OSError: it cannot be written.
        """
        self.book.save(path)


__all__ = ["OUTPUT_FORMATS", "PROBLEM_SEPARATOR", "Columns", "SheetWriter"]
