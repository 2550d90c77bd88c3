"""Excel workbooks: the self-score form (written, filled, read back exactly),
its data validation, the problems a filled form can have, and the results
workbook of a contest."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import htx_rules
from htx_rules.contest import ContestError, ContestResult, Submission, run_contest
from htx_rules.decimals import format_number
from htx_rules.excel import (
    _sheet_title,
    contest_workbook,
    read_forms,
    write_forms,
    write_template,
)
from htx_rules.submissions import read_file, read_folder
from tests.conftest import EXAMPLES_2021
from tests.strategies import evidence_for

# Columns of the form: A key (hidden), C meta value, F reported / claimed /
# sent / points, G verified / reviewer, H justification.
KEY, META, REPORTED, VERIFIED, EXTRA = 1, 3, 6, 7, 8
FORM_SHEET = "Mẫu tự chấm"


# ---------------------------------------------------------------- helpers


def keys_of(ws: Worksheet) -> dict[str, int]:
    """Row of every key in the hidden key column."""
    found = {}
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row=row, column=KEY).value
        if isinstance(value, str):
            found[value] = row
    return found


def typed(value: object, field: htx_rules.model.Field, lang: str = "vi") -> Any:
    """An evidence value as a person puts it in a form cell."""
    if isinstance(value, bool):
        if lang == "vi":
            return "có" if value else "không"
        return "yes" if value else "no"
    if field.type == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if field.type == "choice":
        return next(c.label for c in field.choices if c.value == value)
    return value


def fill(ws: Worksheet, submission: Submission, rubric: htx_rules.Rubric, lang: str = "vi") -> None:
    """Fill a form sheet with everything a submission holds, the way people would."""
    keys = keys_of(ws)
    fields = {f.name: f for f in rubric.fields}
    unit = next(c for c in rubric.contestants if c.code == submission.contestant)
    ws.cell(row=keys["htx:meta:contestant"], column=META).value = f"{unit.code} — {unit.name}"
    if submission.note:
        ws.cell(row=keys["htx:meta:note"], column=META).value = submission.note
    for name, value in submission.evidence.items():
        if value is not None:
            cell = ws.cell(row=keys[f"htx:field:{name}"], column=REPORTED)
            cell.value = typed(value, fields[name], lang)
    for name, value in (submission.verified or {}).items():
        cell = ws.cell(row=keys[f"htx:field:{name}"], column=VERIFIED)
        cell.value = "—" if value is None else typed(value, fields[name], lang)
    for item_id, points in submission.claimed.items():
        ws.cell(row=keys[f"htx:item:{item_id}"], column=REPORTED).value = points  # type: ignore[assignment]
    yes, no = ("có", "không") if lang == "vi" else ("yes", "no")
    for document in rubric.model.dossier:
        cell = ws.cell(row=keys[f"htx:doc:{document.id}"], column=REPORTED)
        cell.value = yes if document.id in submission.dossier else no
    for item_id, assessment in submission.assessments.items():
        assert isinstance(assessment, Mapping)
        row = keys[f"htx:assess:{item_id}"]
        ws.cell(row=row, column=REPORTED).value = assessment["points"]
        ws.cell(row=row, column=VERIFIED).value = assessment["reviewer"]
        ws.cell(row=row, column=EXTRA).value = assessment["justification"]


def outcome(result: ContestResult) -> list[tuple[object, ...]]:
    """What a contest decided, line by line, for comparing two runs."""
    return [
        (
            s.code,
            s.rank,
            s.total,
            s.reported.total,
            s.claimed_total,
            s.eligible,
            s.award,
            tuple((line.id, line.claimed, line.reported, line.verified) for line in s.lines),
        )
        for s in result.standings
    ]


def unmerge(ws: Worksheet) -> None:
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))


def sheet_of(book: Workbook, title: str) -> Worksheet:
    ws = book[title]
    assert isinstance(ws, Worksheet)
    return ws


@pytest.fixture(scope="module")
def rubric(rubric_2021: htx_rules.Rubric) -> htx_rules.Rubric:
    return rubric_2021


@pytest.fixture(scope="module")
def long_my() -> Submission:
    """937 TX. Long Mỹ: re-inspected, with an assessment, a full dossier."""
    return read_file(EXAMPLES_2021 / "937-tx-long-my.json")


@pytest.fixture(scope="module")
def nga_bay() -> Submission:
    """931 TP. Ngã Bảy (TOML): late report, re-inspected."""
    return read_file(EXAMPLES_2021 / "931-tp-nga-bay.toml")


def filled_book(rubric: htx_rules.Rubric, submission: Submission) -> Workbook:
    book = write_template(rubric)
    fill(sheet_of(book, FORM_SHEET), submission, rubric)
    return book


def problems_of(error: ContestError) -> dict[str, tuple[str, str]]:
    """``where`` -> (code, field) of every problem."""
    return {where: (p.code, p.field) for where, p in error.problems}


# ---------------------------------------------------------------- round trip


class TestRoundTrip:
    """A form filled with an example submission reads back as that submission."""

    def test_submission_read_back_equals_the_original(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        path = tmp_path / "forms.xlsx"
        filled_book(rubric, long_my).save(path)
        [read] = read_forms(path, rubric)
        assert read.contestant == "937"
        assert read.source == f"{path}[{FORM_SHEET}]"
        assert read.note == long_my.note
        assert dict(read.evidence) == rubric.validate(long_my.evidence)
        assert read.verified is not None
        assert long_my.verified is not None
        assert dict(read.verified) == rubric.validate(long_my.verified)
        assert dict(read.claimed) == {k: Decimal(str(v)) for k, v in long_my.claimed.items()}
        assert read.dossier == long_my.dossier
        assert dict(read.assessments) == dict(long_my.assessments)
        assert read.claimed_total is None

    def test_values_are_exact_and_of_the_engines_types(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        path = tmp_path / "forms.xlsx"
        filled_book(rubric, long_my).save(path)
        [read] = read_forms(path, rubric)
        values = [*read.evidence.values(), *read.claimed.values()]
        assert not any(isinstance(v, float) for v in values)
        assert read.evidence["ty_le_htx_bao_cao"] == Decimal("76.5")
        assert type(read.evidence["hoi_nghi_tuyen_truyen"]) is int
        assert read.evidence["doanh_thu_bq_2021"] == 1_350_000_000
        assert read.evidence["ngay_nop_bao_cao"] == datetime.date(2021, 12, 19)
        assert read.evidence["bao_cao_nam"] == "dung_han"
        assert read.evidence["bcd_quyet_dinh"] is True
        assert read.claimed["B5"] == Decimal("0.25")

    @pytest.mark.parametrize(
        "example", sorted(p.name for p in EXAMPLES_2021.iterdir() if p.suffix in (".json", ".toml"))
    )
    def test_every_example_reads_back_and_scores_the_same(
        self, rubric: htx_rules.Rubric, example: str, tmp_path: Path
    ) -> None:
        original = read_file(EXAMPLES_2021 / example)
        path = tmp_path / "forms.xlsx"
        filled_book(rubric, original).save(path)
        [read] = read_forms(path, rubric)
        assert dict(read.evidence) == rubric.validate(original.evidence)
        assert (read.verified is None) == (original.verified is None)
        assert read.dossier == original.dossier
        assert outcome(run_contest(rubric, [read])) == outcome(run_contest(rubric, [original]))

    def test_the_contest_scores_the_form_as_the_original(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        path = tmp_path / "forms.xlsx"
        filled_book(rubric, long_my).save(path)
        read = read_forms(path, rubric)
        assert outcome(run_contest(rubric, read)) == outcome(run_contest(rubric, [long_my]))

    def test_english_form_reads_yes_and_no(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        book = write_template(rubric, lang="en")
        ws = sheet_of(book, "Self-score form")
        fill(ws, long_my, rubric, lang="en")
        keys = keys_of(ws)
        assert ws.cell(row=keys["htx:head:evidence"], column=REPORTED).value == "Reported value"
        path = tmp_path / "forms.xlsx"
        book.save(path)
        [read] = read_forms(path, rubric)
        assert dict(read.evidence) == rubric.validate(long_my.evidence)
        assert read.dossier == long_my.dossier

    def test_inserted_and_moved_rows_do_not_matter(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        unmerge(ws)  # openpyxl, unlike Excel, does not move merged ranges
        ws.insert_rows(keys_of(ws)["htx:field:tht_moi"], amount=3)
        ws.insert_rows(keys_of(ws)["htx:item:III.1"], amount=1)
        ws.cell(row=ws.max_row + 2, column=3).value = "Người lập biểu: Nguyễn Văn A"
        # Swap two evidence rows, keys and all.
        first, second = keys_of(ws)["htx:field:htx_moi"], keys_of(ws)["htx:field:tv_moi"]
        for column in range(1, 9):
            a, b = ws.cell(row=first, column=column), ws.cell(row=second, column=column)
            a.value, b.value = b.value, a.value
        path = tmp_path / "forms.xlsx"
        book.save(path)
        [read] = read_forms(path, rubric)
        assert dict(read.evidence) == rubric.validate(long_my.evidence)
        assert dict(read.verified or {}) == rubric.validate(long_my.verified or {})

    def test_a_column_inserted_before_the_keys_is_tolerated(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        unmerge(ws)
        ws.insert_cols(1)
        path = tmp_path / "forms.xlsx"
        book.save(path)
        [read] = read_forms(path, rubric)
        assert dict(read.evidence) == rubric.validate(long_my.evidence)
        assert read.note == long_my.note
        assert read.dossier == long_my.dossier

    def test_a_verified_dash_means_not_accepted(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        ws.cell(row=keys_of(ws)["htx:field:htx_lien_ket"], column=VERIFIED).value = "—"
        [read] = read_forms(book, rubric)
        assert read.verified is not None
        assert "htx_lien_ket" in read.verified
        assert read.verified["htx_lien_ket"] is None
        assert read.evidence["htx_lien_ket"] == 3

    def test_a_form_without_verified_values_is_not_re_inspected(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, attrs_evolve(long_my, verified=None))
        [read] = read_forms(book, rubric)
        assert read.verified is None

    def test_re_inspected_without_changes(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, attrs_evolve(long_my, verified=None))
        ws = sheet_of(book, FORM_SHEET)
        cell = ws.cell(row=keys_of(ws)["htx:meta:re_inspected"], column=META)
        cell.value = "có"
        [read] = read_forms(book, rubric)
        assert read.verified == {}
        standing = run_contest(rubric, [read]).standings[0]
        assert standing.re_inspected
        cell.value = "chưa rõ"
        with pytest.raises(ContestError) as caught:
            read_forms(book, rubric)
        assert caught.value.codes == ("excel-yes-no",)
        assert "'re_inspected' (Re-inspected)" in caught.value.render("en")
        assert "'re_inspected' (Đã phúc tra)" in caught.value.render("vi")

    def test_claimed_total_and_unit_by_code_or_name(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        keys = keys_of(ws)
        ws.cell(row=keys["htx:meta:claimed_total"], column=META).value = 94.25
        for unit in (937, "937", "TX. Long Mỹ", "937 — anything"):
            ws.cell(row=keys["htx:meta:contestant"], column=META).value = unit
            [read] = read_forms(book, rubric)
            assert read.contestant == "937"
            assert read.claimed_total == Decimal("94.25")

    def test_percent_typed_with_a_percent_sign(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        # Excel stores "76,5%" typed in a cell as 0.765 with a percent format.
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        cell = ws.cell(row=keys_of(ws)["htx:field:ty_le_htx_bao_cao"], column=REPORTED)
        cell.value = 0.765
        cell.number_format = "0.0%"
        [read] = read_forms(book, rubric)
        assert read.evidence["ty_le_htx_bao_cao"] == Decimal("76.5")

    @pytest.mark.parametrize(
        ("field", "words", "expected"),
        [
            ("ty_le_htx_bao_cao", "76,5", Decimal("76.5")),
            ("ty_le_htx_bao_cao", "76,5%", Decimal("76.5")),
            ("ty_le_htx_bao_cao", "76.5", Decimal("76.5")),
            ("ty_le_htx_bao_cao", "1.500", Decimal("1.5")),  # 1500% is no percentage
            ("doanh_thu_bq_2021", "1.350.000.000", 1_350_000_000),
            ("doanh_thu_bq_2021", "1.350.000.000 đồng", 1_350_000_000),
            ("doanh_thu_bq_2021", "1,350,000,000", 1_350_000_000),
            ("doanh_thu_bq_2021", "1 350 000 000", 1_350_000_000),
            ("doanh_thu_bq_2021", "1.234,5", Decimal("1234.5")),
            ("doanh_thu_bq_2021", "0,500", Decimal("0.5")),
            ("htx_xep_loai", "1.500", 1500),  # a count cannot be 1.5
            ("htx_xep_loai", "12 HTX", 12),
            ("ngay_nop_bao_cao", "19/12/2021", datetime.date(2021, 12, 19)),
            ("ngay_nop_bao_cao", "2021-12-19", datetime.date(2021, 12, 19)),
            ("ngay_nop_bao_cao", datetime.datetime(2021, 12, 19), datetime.date(2021, 12, 19)),
            ("bao_cao_nam", "dung_han", "dung_han"),
            ("bao_cao_nam", "gửi trễ hạn", "tre_han"),
            ("bcd_quyet_dinh", True, True),
            ("bcd_quyet_dinh", "Không", False),
            ("bcd_quyet_dinh", "x", True),
        ],
    )
    def test_text_is_read_the_vietnamese_way(
        self,
        rubric: htx_rules.Rubric,
        long_my: Submission,
        field: str,
        words: object,
        expected: object,
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        ws.cell(row=keys_of(ws)[f"htx:field:{field}"], column=REPORTED).value = words  # type: ignore[assignment]
        [read] = read_forms(book, rubric)
        assert read.evidence[field] == expected
        assert type(read.evidence[field]) is type(expected)


def attrs_evolve(submission: Submission, **changes: object) -> Submission:
    import attrs

    return attrs.evolve(submission, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------- several sheets


class TestSeveralSheets:
    """One sheet per unit: one submission per filled form sheet."""

    def test_one_submission_per_unit_sheet(
        self,
        rubric: htx_rules.Rubric,
        long_my: Submission,
        nga_bay: Submission,
        tmp_path: Path,
    ) -> None:
        book = write_forms(rubric, ["931", "937", "930"])
        assert book.sheetnames == ["931", "937", "930"]
        fill(sheet_of(book, "931"), nga_bay, rubric)
        fill(sheet_of(book, "937"), long_my, rubric)
        # 930's sheet is left as written (its code only): that unit sent nothing.
        notes = book.create_sheet("Ghi chú")
        notes["A1"] = "Tổng hợp ngày 05/01/2022"
        notes["A2"] = 42
        path = tmp_path / "huyen.xlsx"
        book.save(path)
        read = read_forms(path, rubric)
        assert [s.contestant for s in read] == ["931", "937"]
        assert [s.source for s in read] == [f"{path}[931]", f"{path}[937]"]
        result = run_contest(rubric, read)
        assert outcome(result) == outcome(run_contest(rubric, [nga_bay, long_my]))
        assert "930" in [c.code for c in result.missing]

    def test_the_unit_sheet_is_prefilled(self, rubric: htx_rules.Rubric) -> None:
        book = write_template(rubric, contestant="932")
        ws = sheet_of(book, "932")
        keys = keys_of(ws)
        assert (
            ws.cell(row=keys["htx:meta:contestant"], column=META).value == "932 — H. Châu Thành A"
        )

    def test_an_unknown_unit_cannot_have_a_form(self, rubric: htx_rules.Rubric) -> None:
        with pytest.raises(ContestError) as caught:
            write_template(rubric, contestant="999")
        assert caught.value.codes == ("unknown-contestant",)

    def test_a_workbook_without_forms_is_refused(
        self, rubric: htx_rules.Rubric, tmp_path: Path
    ) -> None:
        book = openpyxl.Workbook()
        book.active["A1"] = "Danh sách"  # type: ignore[index]
        path = tmp_path / "khac.xlsx"
        book.save(path)
        with pytest.raises(ContestError) as caught:
            read_forms(path, rubric)
        assert caught.value.codes == ("excel-no-forms",)
        assert caught.value.problems[0][0] == str(path)
        # A template nobody filled in is not a submission either.
        with pytest.raises(ContestError) as caught:
            read_forms(write_template(rubric), rubric)
        assert caught.value.codes == ("excel-no-forms",)


# ---------------------------------------------------------------- data validation


def rules_at(ws: Worksheet, coordinate: str) -> list[Any]:
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv]


def rule_at(ws: Worksheet, coordinate: str) -> Any:
    found = rules_at(ws, coordinate)
    assert len(found) == 1, (coordinate, found)
    return found[0]


class TestDataValidation:
    """Every input cell carries an Excel rule for what it takes."""

    @pytest.fixture(scope="class")
    @classmethod
    def saved(cls, rubric: htx_rules.Rubric, tmp_path_factory: pytest.TempPathFactory) -> Worksheet:
        """The template, saved and opened again (the rules survive the file)."""
        path = tmp_path_factory.mktemp("dv") / "mau.xlsx"
        write_template(rubric).save(path)
        ws = openpyxl.load_workbook(path)[FORM_SHEET]
        assert isinstance(ws, Worksheet)
        return ws

    def test_every_evidence_cell_has_the_rule_of_its_type(
        self, rubric: htx_rules.Rubric, saved: Worksheet
    ) -> None:
        keys = keys_of(saved)
        expected_type = {
            "yes/no": "list",
            "choice": "list",
            "count": "whole",
            "number": "decimal",
            "percent": "decimal",
            "money": "decimal",
            "date": "date",
        }
        for field in rubric.fields:
            row = keys[f"htx:field:{field.name}"]
            reported = rule_at(saved, f"F{row}")
            verified = rule_at(saved, f"G{row}")
            assert reported.type == verified.type == expected_type[field.type], field.name
            assert reported.errorStyle == "stop"
            assert verified.errorStyle == "warning"  # the Alliance may write «—»
            assert reported.allow_blank

    def test_rules_carry_the_bounds(self, saved: Worksheet) -> None:
        keys = keys_of(saved)

        def at(name: str, column: str = "F") -> Any:
            return rule_at(saved, f"{column}{keys[f'htx:field:{name}']}")

        assert at("bcd_quyet_dinh").formula1 == '"có,không"'
        assert at("bcd_quyet_dinh", "G").formula1 == '"có,không,—"'
        assert at("bao_cao_nam").formula1 == '"Gửi đúng hạn,Gửi trễ hạn,Không gửi"'
        count = at("xa_chua_dat_tc13")  # declared 'to 30'
        assert (count.operator, count.formula1, count.formula2) == ("between", "0", "30")
        unbounded = at("htx_moi")
        assert (unbounded.operator, unbounded.formula1) == ("greaterThanOrEqual", "0")
        percent = at("ty_le_dai_hoi")
        assert (percent.operator, percent.formula1, percent.formula2) == ("between", "0", "100")
        money = at("doanh_thu_bq_2021")  # declared 'from 0'
        assert (money.operator, money.formula1) == ("greaterThanOrEqual", "0")

    def test_claims_assessments_dossier_and_unit(
        self, rubric: htx_rules.Rubric, saved: Worksheet
    ) -> None:
        keys = keys_of(saved)
        for item in htx_rules.checker.all_items(rubric.model):
            rule = rule_at(saved, f"F{keys[f'htx:item:{item.id}']}")
            assert (rule.type, rule.formula1) == ("decimal", "0")
            assert Decimal(rule.formula2) == item.maximum
        assessed = rule_at(saved, f"F{keys['htx:assess:I.9.c']}")
        assert (assessed.type, assessed.formula2) == ("decimal", "3")
        for document in rubric.model.dossier:
            rule = rule_at(saved, f"F{keys[f'htx:doc:{document.id}']}")
            assert rule.type == "list"
        unit = rule_at(saved, f"C{keys['htx:meta:contestant']}")
        assert unit.type == "list"
        assert "930 — TP. Vị Thanh" in unit.formula1

    def test_the_form_holds_no_formula(self, saved: Worksheet) -> None:
        assert not [
            cell.coordinate for row in saved.iter_rows() for cell in row if cell.data_type == "f"
        ]

    def test_the_form_is_laid_out_for_people(self, saved: Worksheet) -> None:
        assert saved.column_dimensions["A"].hidden
        assert saved.freeze_panes == "A3"
        keys = keys_of(saved)
        head = keys["htx:head:evidence"]
        assert saved.cell(row=head, column=REPORTED).value == "Số liệu báo cáo"
        assert saved.cell(row=head, column=VERIFIED).value == "Số liệu phúc tra"
        assert saved.cell(row=head, column=REPORTED).font.b
        assert saved.cell(row=keys["htx:field:htx_moi"], column=REPORTED).protection.locked is False
        assert saved.cell(row=keys["htx:field:htx_moi"], column=3).protection.locked is True


# ---------------------------------------------------------------- long lists

SMALL_RUBRIC = """\
rubric nho_2022 "Bảng điểm nhỏ"
  year 2022
  total 10
  language vi
  rounding 2 decimals half-up

contestants
  001 "Xã An Bình, huyện Long Mỹ"
  002 "Xã Tân Phú, huyện Long Mỹ"

evidence
  muc     one of "Mức độ thực hiện"
    tot   "Tốt, đầy đủ"
    chua  "Chưa tốt, còn thiếu"
  so_hop  count "Số cuộc họp" from 2 to 12 unit "cuộc"
  ty_le   percent "Tỷ lệ" from 50% to 90%

part I "Phần I" max 10
  criterion I.1 "Mức độ" max 6
    by muc
      tot -> 6
      chua -> 2
  criterion I.2 "Họp" max 4
    1 per so_hop, at most 4
"""


class TestListsWithCommas:
    """Lists Excel cannot hold inline (a comma in a name) live on a hidden sheet."""

    @pytest.fixture(scope="class")
    @classmethod
    def small(cls) -> htx_rules.Rubric:
        return htx_rules.loads(SMALL_RUBRIC, "nho.rules")

    def test_lists_sheet_is_hidden_and_last(self, small: htx_rules.Rubric) -> None:
        book = write_forms(small, ["001", "002"])
        assert book.sheetnames == ["001", "002", "htx_lists"]
        assert book["htx_lists"].sheet_state == "hidden"
        assert book.active is not None
        assert book.active.title == "001"
        ws = sheet_of(book, "001")
        keys = keys_of(ws)
        unit = rule_at(ws, f"C{keys['htx:meta:contestant']}")
        assert unit.formula1 == "'htx_lists'!$B$1:$B$2"
        lists = sheet_of(book, "htx_lists")
        assert [lists.cell(row=r, column=2).value for r in (1, 2)] == [
            "001 — Xã An Bình, huyện Long Mỹ",
            "002 — Xã Tân Phú, huyện Long Mỹ",
        ]
        choice = rule_at(ws, f"F{keys['htx:field:muc']}")
        sheet, _, cells = choice.formula1.partition("!")
        assert sheet == "'htx_lists'"
        first = cells.split(":")[0].replace("$", "")
        assert lists[first].value == "Tốt, đầy đủ"

    def test_bounds_of_percentages_and_counts(self, small: htx_rules.Rubric) -> None:
        ws = sheet_of(write_template(small), FORM_SHEET)
        keys = keys_of(ws)
        percent = rule_at(ws, f"F{keys['htx:field:ty_le']}")
        assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "50", "90")
        count = rule_at(ws, f"F{keys['htx:field:so_hop']}")
        assert (count.type, count.formula1, count.formula2) == ("whole", "2", "12")
        allowed = ws.cell(row=keys["htx:field:so_hop"], column=5).value
        assert allowed == "số nguyên từ 2 đến 12; đơn vị tính: cuộc"

    def test_filled_form_reads_back(self, small: htx_rules.Rubric, tmp_path: Path) -> None:
        book = write_forms(small, ["002"])
        ws = sheet_of(book, "002")
        keys = keys_of(ws)
        ws.cell(row=keys["htx:field:muc"], column=REPORTED).value = "Tốt, đầy đủ"
        ws.cell(row=keys["htx:field:muc"], column=VERIFIED).value = "Chưa tốt, còn thiếu"
        ws.cell(row=keys["htx:field:so_hop"], column=REPORTED).value = "4 cuộc"
        ws.cell(row=keys["htx:field:ty_le"], column=REPORTED).value = 95
        path = tmp_path / "nho.xlsx"
        book.save(path)
        with pytest.raises(ContestError) as caught:
            read_forms(path, small)
        assert problems_of(caught.value) == {
            f"{path}[002]!F{keys['htx:field:ty_le']}": ("evidence-out-of-bounds", "ty_le")
        }
        ws.cell(row=keys["htx:field:ty_le"], column=REPORTED).value = 72.5
        book.save(path)
        [read] = read_forms(path, small)
        assert read.contestant == "002"
        assert dict(read.evidence) == {"muc": "tot", "so_hop": 4, "ty_le": Decimal("72.5")}
        assert read.verified == {"muc": "chua"}
        result = run_contest(small, [read])
        assert result.standings[0].total == Decimal(6)


# ---------------------------------------------------------------- bad input


class TestBadInput:
    """Every problem of every sheet is reported, with file, sheet, cell and field."""

    def test_all_problems_are_listed_with_their_cells(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        keys = keys_of(ws)
        wrong: dict[str, tuple[int, int, object]] = {
            "yes-no": (keys["htx:field:bcd_quy_che"], REPORTED, "có lẽ"),
            "text-count": (keys["htx:field:hoi_nghi_tuyen_truyen"], REPORTED, "ba"),
            "float": (keys["htx:field:ty_le_dai_hoi"], REPORTED, 0.3),
            "time": (
                keys["htx:field:ngay_nop_bao_cao"],
                REPORTED,
                datetime.datetime(2021, 12, 19, 14, 30),
            ),
            "choice": (keys["htx:field:bao_cao_nam"], REPORTED, "gửi sớm"),
            "bounds": (keys["htx:field:xa_chua_dat_tc13"], REPORTED, 31),
            "verified": (keys["htx:field:htx_moi"], VERIFIED, -1),
            "ambiguous": (keys["htx:field:doanh_thu_bq_2020"], REPORTED, "1.200"),
            "claim-text": (keys["htx:item:I.3"], REPORTED, "hai"),
            "claim-negative": (keys["htx:item:I.7"], REPORTED, -5),
            "dossier": (keys["htx:doc:to_trinh"], REPORTED, "đã nộp"),
            "formula": (keys["htx:field:tv_moi"], REPORTED, "=60+10"),
        }
        for row, column, value in wrong.values():
            ws.cell(row=row, column=column).value = value  # type: ignore[assignment]
        path = tmp_path / "forms.xlsx"
        book.save(path)
        # Excel writes a formula's result with all 17 digits (openpyxl writes 16).
        row, column, _ = wrong["float"]
        _patch_cell(path, f"F{row}", lambda xml: xml.replace(">0.3<", ">0.30000000000000004<"))
        with pytest.raises(ContestError) as caught:
            read_forms(path, rubric)

        def where(key: str) -> str:
            row, column, _ = wrong[key]
            return f"{path}[{FORM_SHEET}]!{openpyxl.utils.get_column_letter(column)}{row}"

        found = problems_of(caught.value)
        assert found == {
            where("yes-no"): ("excel-yes-no", "bcd_quy_che"),
            where("text-count"): ("excel-not-number", "hoi_nghi_tuyen_truyen"),
            where("float"): ("excel-inexact-number", "ty_le_dai_hoi"),
            where("time"): ("excel-date-time", "ngay_nop_bao_cao"),
            where("choice"): ("excel-unknown-choice", "bao_cao_nam"),
            where("bounds"): ("evidence-out-of-bounds", "xa_chua_dat_tc13"),
            where("verified"): ("evidence-negative", "verified.htx_moi"),
            where("ambiguous"): ("excel-ambiguous-number", "doanh_thu_bq_2020"),
            where("claim-text"): ("excel-not-number", "claimed.I.3"),
            where("claim-negative"): ("claim-negative", "claimed.I.7"),
            where("dossier"): ("excel-yes-no", "dossier.to_trinh"),
            where("formula"): ("excel-formula-no-value", "tv_moi"),
        }
        text = str(caught.value)
        assert "hồ sơ thi đua có 12 lỗi" in text
        assert "'bcd_quy_che' (Ban Chỉ đạo có quy chế hoạt động): ô ghi 'có lẽ'" in text
        assert "'1.200' có thể là số nguyên 1200 hoặc số thập phân 1,2" in text
        assert "0.30000000000000004" in text
        english = caught.value.render("en")
        assert "choose «yes» or «no»" in english
        assert "may be the whole number 1200 or the decimal 1.2" in english

    def test_a_computed_formula_is_read(
        self, rubric: htx_rules.Rubric, long_my: Submission, tmp_path: Path
    ) -> None:
        # What Excel leaves after computing: the formula, and its cached value.
        book = filled_book(rubric, long_my)
        path = tmp_path / "forms.xlsx"
        ws = sheet_of(book, FORM_SHEET)
        row = keys_of(ws)["htx:field:tv_moi"]
        ws.cell(row=row, column=REPORTED).value = "=60+10"
        book.save(path)
        _patch_cell(
            path,
            f"F{row}",
            lambda xml: (
                xml.replace("<v></v>", "").replace("<v />", "").replace("</f>", "</f><v>70</v>")
            ),
        )
        [read] = read_forms(path, rubric)
        assert read.evidence["tv_moi"] == 70

    @pytest.mark.parametrize(
        ("given", "code"),
        [("999", "unknown-contestant"), (None, "excel-no-contestant")],
    )
    def test_the_unit_must_be_known(
        self, rubric: htx_rules.Rubric, long_my: Submission, given: str | None, code: str
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        row = keys_of(ws)["htx:meta:contestant"]
        ws.cell(row=row, column=META).value = given
        with pytest.raises(ContestError) as caught:
            read_forms(book, rubric, name="f.xlsx")
        assert problems_of(caught.value) == {f"f.xlsx[{FORM_SHEET}]!C{row}": (code, "contestant")}

    def test_claims_without_evidence_are_refused(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, attrs_evolve(long_my, evidence={}, verified=None))
        with pytest.raises(ContestError) as caught:
            read_forms(book, rubric)
        assert caught.value.codes == ("excel-no-values",)

    def test_rows_of_another_rubric_and_repeated_rows(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        keys = keys_of(ws)
        ws.cell(row=keys["htx:meta:rubric"], column=META).value = "thi_dua_2022"
        ws.cell(row=keys["htx:field:htx_moi"], column=KEY).value = "htx:field:htx_moi_2022"
        ws.cell(row=ws.max_row + 1, column=KEY).value = "htx:item:I.3"
        with pytest.raises(ContestError) as caught:
            read_forms(book, rubric)
        assert sorted(caught.value.codes) == [
            "excel-duplicate-row",
            "excel-rubric-mismatch",
            "excel-unknown-row",
        ]

    def test_problems_of_every_sheet_are_reported(
        self, rubric: htx_rules.Rubric, long_my: Submission, nga_bay: Submission
    ) -> None:
        book = write_forms(rubric, ["931", "937"])
        fill(sheet_of(book, "931"), nga_bay, rubric)
        fill(sheet_of(book, "937"), long_my, rubric)
        for title in ("931", "937"):
            ws = sheet_of(book, title)
            ws.cell(row=keys_of(ws)["htx:field:tht_moi"], column=REPORTED).value = "nhiều"
        with pytest.raises(ContestError) as caught:
            read_forms(book, rubric, name="b.xlsx")
        assert [where for where, _ in caught.value.problems] == [
            f"b.xlsx[931]!F{keys_of(sheet_of(book, '931'))['htx:field:tht_moi']}",
            f"b.xlsx[937]!F{keys_of(sheet_of(book, '937'))['htx:field:tht_moi']}",
        ]

    def test_a_file_that_is_not_a_workbook(self, rubric: htx_rules.Rubric, tmp_path: Path) -> None:
        path = tmp_path / "forms.xlsx"
        path.write_text("contestant = 931", encoding="utf-8")
        with pytest.raises(ContestError) as caught:
            read_forms(path, rubric)
        assert caught.value.codes == ("excel-unreadable",)

    def test_assessments_are_judged_by_the_contest(
        self, rubric: htx_rules.Rubric, long_my: Submission
    ) -> None:
        book = filled_book(rubric, long_my)
        ws = sheet_of(book, FORM_SHEET)
        ws.cell(row=keys_of(ws)["htx:assess:I.9.c"], column=VERIFIED).value = None
        [read] = read_forms(book, rubric)
        assert read.assessments["I.9.c"] == {
            "points": 3,
            "reviewer": None,
            "justification": long_my.assessments["I.9.c"]["justification"],  # type: ignore[index]
        }
        with pytest.raises(ContestError) as caught:
            run_contest(rubric, [read])
        assert caught.value.codes == ("assessment-no-reviewer",)
        assert caught.value.problems[0][0] == f"<workbook>[{FORM_SHEET}]"


def _patch_cell(path: Path, coordinate: str, change: Callable[[str], str]) -> None:
    """Rewrite one cell's XML in a saved workbook, as another program would write it."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    cell = re.search(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', xml)
    assert cell is not None
    changed = change(cell.group(0))
    assert changed != cell.group(0)
    members[name] = (xml[: cell.start()] + changed + xml[cell.end() :]).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)


# ---------------------------------------------------------------- properties


_TEMPLATES: dict[str, Workbook] = {}


def _blank_form(rubric: htx_rules.Rubric) -> Workbook:
    """One template per test run, refilled by each example."""
    if "vi" not in _TEMPLATES:
        _TEMPLATES["vi"] = write_template(rubric, contestant="930")
    return _TEMPLATES["vi"]


@st.composite
def _shapes(draw: st.DrawFn, value: object, field: htx_rules.model.Field) -> Any:
    """One of the ways a person may put ``value`` into a cell."""
    if isinstance(value, bool):
        return draw(st.sampled_from([value, *(["có", "yes"] if value else ["không", "no"])]))
    if field.type == "date":
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        return draw(st.sampled_from([day, day.isoformat(), day.strftime("%d/%m/%Y")]))
    if field.type == "choice":
        label = next(c.label for c in field.choices if c.value == value)
        return draw(st.sampled_from([value, label]))
    assert isinstance(value, int | Decimal)
    return draw(st.sampled_from([value, float(value)]))


class TestProperties:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def test_any_valid_evidence_reads_back_identical(
        self, rubric: htx_rules.Rubric, data: st.DataObject
    ) -> None:
        evidence = data.draw(evidence_for(rubric))
        book = _blank_form(rubric)
        ws = sheet_of(book, "930")
        keys = keys_of(ws)
        fields = {f.name: f for f in rubric.fields}
        for name, field in fields.items():
            cell = ws.cell(row=keys[f"htx:field:{name}"], column=REPORTED)
            value = evidence.get(name)
            cell.value = None if value is None else data.draw(_shapes(value, field))
        # Through a file: numbers come back from Excel's XML as floats.
        stream = io.BytesIO()
        book.save(stream)
        stream.seek(0)
        [read] = read_forms(openpyxl.load_workbook(stream), rubric)
        assert dict(read.evidence) == rubric.validate(evidence)
        assert not any(isinstance(v, float) for v in read.evidence.values())

    @settings(max_examples=60, deadline=None)
    @given(
        amount=st.decimals(
            min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
        )
    )
    def test_vietnamese_text_numbers_read_back_or_are_called_ambiguous(
        self, rubric: htx_rules.Rubric, amount: Decimal
    ) -> None:
        book = _blank_form(rubric)
        ws = sheet_of(book, "930")
        keys = keys_of(ws)
        words = format_number(amount, "vi")
        cell = ws.cell(row=keys["htx:field:doanh_thu_bq_2021"], column=REPORTED)
        cell.value = words
        separators = sum(words.count(s) for s in ".,")
        head, _, tail = words.replace(",", ".").partition(".")
        ambiguous = separators == 1 and len(tail) == 3 and head != "0"
        if ambiguous:
            with pytest.raises(ContestError) as caught:
                read_forms(book, rubric)
            assert caught.value.codes == ("excel-ambiguous-number",), words
        else:
            [read] = read_forms(book, rubric)
            assert read.evidence["doanh_thu_bq_2021"] == amount, words


# ---------------------------------------------------------------- results


@pytest.fixture(scope="module")
def contest(rubric: htx_rules.Rubric) -> ContestResult:
    return run_contest(rubric, read_folder(EXAMPLES_2021, rubric_id=rubric.id))


@pytest.fixture(scope="module")
def results_book(contest: ContestResult, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The results workbook, saved and opened again."""
    path = tmp_path_factory.mktemp("results") / "ket-qua.xlsx"
    contest_workbook(contest).save(path)
    return openpyxl.load_workbook(path)


def _ranking_rows(ws: Worksheet) -> tuple[int, list[tuple[Any, ...]]]:
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Hạng")
    rows = []
    for row in range(header + 1, ws.max_row + 1):
        values = tuple(ws.cell(row=row, column=c).value for c in range(1, 12))
        if values[1] is None:
            break
        rows.append(values)
    return header, rows


def _exact(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class TestResultsWorkbook:
    def test_a_ranking_sheet_then_one_sheet_per_unit(
        self, contest: ContestResult, results_book: Workbook
    ) -> None:
        names = results_book.sheetnames
        assert names[0] == "Xếp hạng"
        assert len(names) == 1 + len(contest.standings)
        for name, standing in zip(names[1:], contest.standings, strict=True):
            assert name.startswith(standing.code + " ")
            assert len(name) <= 31
            assert not set(name) & set("[]:*?/\\")

    def test_ranking_rows_hold_the_numbers(
        self, contest: ContestResult, results_book: Workbook
    ) -> None:
        ws = sheet_of(results_book, "Xếp hạng")
        header, rows = _ranking_rows(ws)
        assert [c.value for c in ws[header]][:11] == [
            "Hạng",
            "Mã",
            "Đơn vị",
            "Tổng điểm phúc tra",
            "Tổng điểm tự chấm",
            "Tổng điểm theo báo cáo",
            "Đủ điều kiện",
            "Lý do",
            "Giải",
            "Tiền thưởng (đồng)",
            "Bằng điểm, đồng hạng",
        ]
        assert [r[1] for r in rows] == [s.code for s in contest.standings]
        for values, standing in zip(rows, contest.standings, strict=True):
            rank, _code, name, verified, claimed, reported, eligible, reasons, award, prize, _ = (
                values
            )
            assert rank == standing.rank
            assert name == standing.contestant.name
            assert _exact(verified) == standing.total
            assert _exact(reported) == standing.reported.total
            assert claimed is None or _exact(claimed) == standing.claimed_total
            assert eligible == ("có" if standing.eligible else "không")
            assert bool(reasons) == (not standing.eligible)
            if standing.award is None:
                assert award is None
                assert prize is None
            else:
                assert award == standing.award.place.label
                assert _exact(prize) == standing.award.prize
        prizes = [r[9] for r in rows if r[9] is not None]
        assert prizes == [10_000_000, 7_000_000, 5_000_000]

    def test_number_formats_and_rules(self, contest: ContestResult, results_book: Workbook) -> None:
        ws = sheet_of(results_book, "Xếp hạng")
        header, _ = _ranking_rows(ws)
        for offset, standing in enumerate(contest.standings, start=1):
            total = ws.cell(row=header + offset, column=4)
            assert total.number_format.startswith("#,##0.00")
            assert total.number_format.endswith('"*"') == (not standing.re_inspected)
            if standing.award is not None:
                assert ws.cell(row=header + offset, column=10).number_format == '#,##0 "đồng"'
        top = [ws.cell(row=r, column=1).value for r in range(1, header)]
        assert any(
            isinstance(t, str) and t.startswith("Vẫn bằng nhau sau mọi tiêu chí xét") for t in top
        )
        assert ws.freeze_panes == f"D{header + 1}"

    def test_a_unit_sheet_reconciles_every_criterion(
        self, contest: ContestResult, results_book: Workbook
    ) -> None:
        standing = contest.standing("937")
        ws = sheet_of(results_book, "937 TX. Long Mỹ")
        by_id = {
            ws.cell(row=r, column=1).value: r
            for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(row=r, column=1).value, str)
        }
        for line in standing.lines:
            row = by_id[line.id]
            assert _exact(ws.cell(row=row, column=3).value) == line.maximum
            assert _exact(ws.cell(row=row, column=6).value) == line.verified
            assert (ws.cell(row=row, column=7).value == "≠") == line.differs
            assert ws.cell(row=row, column=8).value
            assert ws.cell(row=row, column=1).alignment.indent == line.depth
        iii1 = by_id["III.1"]
        assert "phúc tra sửa: htx_moi" in str(ws.cell(row=iii1, column=8).value)
        changes = by_id["Mã trường"]
        changed = [ws.cell(row=changes + n, column=1).value for n in (1, 2, 3)]
        assert changed == ["htx_moi", "tv_moi", "so_lieu_sai_lech"]
        assert [ws.cell(row=changes + 1, column=c).value for c in (3, 4)] == [2, 1]

    def test_no_text_is_stored_as_a_formula(self, results_book: Workbook) -> None:
        # Explanations such as "= min(5, htx_lien_ket)" begin with "=".
        cells = [
            cell
            for ws in results_book.worksheets
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert any(isinstance(c.value, str) and c.value.startswith("= min(") for c in cells)

    def test_english_headers(self, contest: ContestResult) -> None:
        book = contest_workbook(contest, lang="en")
        assert book.sheetnames[0] == "Ranking"
        ws = sheet_of(book, "Ranking")
        header = next(
            r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Rank"
        )
        assert ws.cell(row=header, column=10).value == "Prize (đồng)"

    def test_sheet_titles_are_valid(self) -> None:
        taken: set[str] = set()
        assert _sheet_title("930 TP. Vị/Thanh [cũ]: *?", taken) == "930 TP. Vị-Thanh -cũ-- --"
        long = _sheet_title("937 " + "Thị xã Long Mỹ " * 4, taken)
        assert len(long) <= 31
        again = _sheet_title("937 " + "Thị xã Long Mỹ " * 4, taken)
        assert again != long
        assert again.endswith(" (2)")
        assert len(again) <= 31
