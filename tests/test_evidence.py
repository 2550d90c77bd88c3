"""Evidence validation: wrong evidence is an EvidenceError naming every problem.

Never a bare Python exception: every check here expects either the value in
the engine's form or an :class:`htx_rules.EvidenceError` whose problems name
the field, the value and what was expected, in Vietnamese and in English.
Also the evidence file reader :func:`htx_rules.parse_evidence_json`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from tests.strategies import field_values
from tests.support import compile_rubric

D = Decimal

RUBRIC = compile_rubric(
    """
    co_quyet_dinh yes/no "Có quyết định thành lập Ban Chỉ đạo"
    so_htx count "Số HTX thành lập mới" unit "HTX"
    so_xa count "Số xã chưa đạt tiêu chí 13" to 30
    ty_le percent "Tỷ lệ HTX được đánh giá"
    ty_le_hep percent "Tỷ lệ HTX gửi báo cáo" from 10% to 90%
    chenh_lech number "Chênh lệch doanh thu" from -5 to 5
    doanh_thu money "Doanh thu bình quân" from 0
    ngay_nop date "Ngày nộp báo cáo"
    bao_cao one of "Báo cáo tổng kết năm"
      dung_han "Gửi đúng hạn"
      tre_han "Gửi trễ hạn"
      khong_gui "Không gửi"
    """,
    """
    criterion I.1 "Quyết định" max 2
      2 if co_quyet_dinh
    """,
    part_max="2",
)

VALID: dict[str, object] = {
    "co_quyet_dinh": True,
    "so_htx": 3,
    "so_xa": 30,
    "ty_le": 80,
    "ty_le_hep": D("90"),
    "chenh_lech": D("-4.5"),
    "doanh_thu": 1_200_000_000,
    "ngay_nop": "2021-12-20",
    "bao_cao": "dung_han",
}


def problems_of(evidence: object, *, strict: bool = False) -> htx_rules.EvidenceError:
    """The EvidenceError that validating ``evidence`` must raise."""
    with pytest.raises(htx_rules.EvidenceError) as caught:
        RUBRIC.validate(evidence, strict=strict)  # type: ignore[arg-type]
    return caught.value


def only_problem(evidence: object) -> htx_rules.EvidenceProblem:
    """The one problem validating ``evidence`` must report."""
    error = problems_of(evidence)
    assert len(error.problems) == 1, error.render("en")
    return error.problems[0]


class TestValidEvidence:
    """Valid evidence comes back in the engine's form."""

    def test_every_field_type(self) -> None:
        """Counts stay int, percentages become Decimal (0-100), dates become date."""
        values = RUBRIC.validate(VALID)
        assert values == {
            "co_quyet_dinh": True,
            "so_htx": 3,
            "so_xa": 30,
            "ty_le": D(80),
            "ty_le_hep": D(90),
            "chenh_lech": D("-4.5"),
            "doanh_thu": 1_200_000_000,
            "ngay_nop": datetime.date(2021, 12, 20),
            "bao_cao": "dung_han",
        }
        assert type(values["so_htx"]) is int
        assert type(values["ty_le"]) is Decimal

    @pytest.mark.parametrize("given", [D("3"), D("3.00"), D("3E+0")])
    def test_integral_decimal_count_is_an_int(self, given: Decimal) -> None:
        """An integral Decimal for a count is accepted and becomes the int 3."""
        values = RUBRIC.validate({"so_htx": given})
        assert values == {"so_htx": 3}
        assert type(values["so_htx"]) is int

    def test_none_is_missing(self) -> None:
        """``None`` is left out of the validated evidence, like a missing key."""
        assert RUBRIC.validate({"so_htx": None, "co_quyet_dinh": True}) == {"co_quyet_dinh": True}

    def test_date_object(self) -> None:
        """A datetime.date is accepted as it is."""
        day = datetime.date(2021, 12, 1)
        assert RUBRIC.validate({"ngay_nop": day}) == {"ngay_nop": day}

    @pytest.mark.parametrize(
        ("name", "value"),
        [("ty_le", 0), ("ty_le", 100), ("ty_le_hep", 10), ("so_xa", 0), ("chenh_lech", -5),
         ("chenh_lech", 5), ("doanh_thu", 0)],
    )  # fmt: skip
    def test_values_on_the_bounds_are_accepted(self, name: str, value: int) -> None:
        """Bounds are inclusive."""
        assert RUBRIC.validate({name: value}) == {
            name: D(value) if name.startswith("ty_le") else value
        }


class TestUnknownKeys:
    """Keys the rubric does not declare."""

    def test_near_key_gets_a_did_you_mean(self) -> None:
        """``so_hxt`` is close to ``so_htx``: the hint suggests it."""
        problem = only_problem({"so_hxt": 3})
        assert problem.code == "evidence-unknown-field"
        assert problem.field == "so_hxt"
        assert problem.hint == "hint-did-you-mean"
        assert problem.hint_args == {"name": "so_htx"}
        assert "so_htx" in problem.message("en")
        assert "so_htx" in problem.message("vi")

    def test_far_key_gets_no_suggestion(self) -> None:
        """A key like nothing declared gets the 'declare it' hint instead."""
        problem = only_problem({"hoan_toan_khac": 3})
        assert problem.code == "evidence-unknown-field"
        assert problem.hint == "hint-declare-field"

    def test_non_string_key(self) -> None:
        """A key that is not a string is an unknown field, not a crash."""
        problem = only_problem({1: 3})
        assert problem.code == "evidence-unknown-field"
        assert problem.field == "1"


class TestWrongTypes:
    """A value of the wrong type for its field."""

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("co_quyet_dinh", "true"),
            ("co_quyet_dinh", 1),
            ("so_htx", "3"),
            ("so_htx", True),  # a bool is not a count
            ("so_htx", False),
            ("ty_le", "80%"),
            ("chenh_lech", [1]),
            ("doanh_thu", True),
            ("ngay_nop", 20211220),
            ("ngay_nop", True),
        ],
    )
    def test_wrong_type(self, name: str, value: object) -> None:
        """Each is reported as evidence-wrong-type on its own field, the value shown."""
        problem = only_problem({name: value})
        assert (problem.field, problem.code) == (name, "evidence-wrong-type")
        assert f"'{value}'" in problem.message("en")
        assert f"'{value}'" in problem.message("vi")

    @pytest.mark.parametrize(
        ("value", "en", "vi"),
        [(1, "1", "1"), (True, "True", "True"), (D("1.5"), "1.5", "1,5"), ([1], "[1]", "[1]")],
    )
    def test_wrong_type_for_a_choice_lists_the_values(
        self, value: object, en: str, vi: str
    ) -> None:
        """A value that is not text, for a one-of field, is evidence-unknown-choice listing
        the allowed values, quoted (a wrong type is one more value that is not allowed);
        a number is written the reader's way."""
        problem = only_problem({"bao_cao": value})
        assert (problem.field, problem.code) == ("bao_cao", "evidence-unknown-choice")
        assert problem.hint is None
        assert problem.message("en") == (
            f"'bao_cao' (Báo cáo tổng kết năm): '{en}' is not one of "
            "'dung_han', 'tre_han', 'khong_gui'"
        )
        assert problem.message("vi") == (
            f"'bao_cao' (Báo cáo tổng kết năm): '{vi}' không phải một trong các giá trị "
            "'dung_han', 'tre_han', 'khong_gui'"
        )

    @pytest.mark.parametrize(
        ("name", "value"),
        [("co_quyet_dinh", "true"), ("so_htx", "3"), ("so_htx", True), ("ty_le", "80%"),
         ("ngay_nop", 20211220), ("bao_cao", 1), ("bao_cao", "dung han"), ("so_htx", -1)],
    )  # fmt: skip
    def test_problem_value_is_the_value_given(self, name: str, value: object) -> None:
        """``EvidenceProblem.value`` is the value given (docs: "The value given")."""
        assert only_problem({name: value}).value == value

    @pytest.mark.parametrize(
        ("name", "value"),
        [("chenh_lech", [1]), ("so_htx", 1.0), ("ngay_nop", datetime.datetime(2021, 12, 20))],
        ids=["list", "float", "datetime"],
    )
    def test_problem_value_of_other_objects_prints_as_given(self, name: str, value: object) -> None:
        """A list, a float or a datetime given as a value prints as that value (its str
        or, as in the message, its repr)."""
        problem = only_problem({name: value})
        assert problem.code in ("evidence-wrong-type", "evidence-float")
        assert str(problem.value) in (str(value), repr(value))

    @pytest.mark.parametrize(
        "name",
        ["co_quyet_dinh", "so_htx", "so_xa", "ty_le", "ty_le_hep", "chenh_lech", "doanh_thu",
         "ngay_nop", "bao_cao"],
    )  # fmt: skip
    def test_float_is_rejected_everywhere(self, name: str) -> None:
        """1.0 is a binary float and is rejected for every field type: as a float for a
        number, as a value not allowed for a one-of field, as a wrong type otherwise."""
        problem = only_problem({name: 1.0})
        assert problem.field == name
        expected = {
            "so_htx": "evidence-float",
            "so_xa": "evidence-float",
            "ty_le": "evidence-float",
            "ty_le_hep": "evidence-float",
            "chenh_lech": "evidence-float",
            "doanh_thu": "evidence-float",
            "bao_cao": "evidence-unknown-choice",
        }.get(name, "evidence-wrong-type")
        assert problem.code == expected
        assert "'1.0'" in problem.message("en")

    @pytest.mark.parametrize("name", ["so_htx", "ty_le", "chenh_lech", "doanh_thu"])
    def test_float_for_a_number_says_float(self, name: str) -> None:
        """For numeric fields the problem is named: a float, use Decimal."""
        problem = only_problem({name: 1.0})
        assert problem.code == "evidence-float"
        assert problem.hint == "hint-decimal-evidence"
        assert "Decimal" in problem.message("en")


class TestNumbers:
    """Counts, percentages and declared bounds."""

    def test_negative_count(self) -> None:
        """A count is 0 or more."""
        problem = only_problem({"so_htx": -1})
        assert (problem.code, problem.value) == ("evidence-negative", -1)

    @pytest.mark.parametrize("given", [D("2.5"), D("-0.5"), D("0.001")])
    def test_non_integral_count(self, given: Decimal) -> None:
        """A count is a whole number."""
        problem = only_problem({"so_htx": given})
        assert problem.code == "evidence-not-whole"

    @pytest.mark.parametrize("given", [101, D("100.01"), -1, D("-0.01")])
    def test_percent_outside_zero_to_hundred(self, given: object) -> None:
        """Percentages are given as 0-100."""
        problem = only_problem({"ty_le": given})
        assert problem.code == "evidence-percent-range"
        assert problem.hint == "hint-percent-evidence"

    @pytest.mark.parametrize(
        ("name", "value"),
        [("so_xa", 31), ("ty_le_hep", 95), ("ty_le_hep", D("9.99")), ("chenh_lech", D("5.01")),
         ("chenh_lech", -6), ("doanh_thu", -1)],
    )  # fmt: skip
    def test_outside_declared_bounds(self, name: str, value: object) -> None:
        """``to 30``, ``from 10% to 90%``, ``from -5 to 5``, ``from 0`` are enforced."""
        problem = only_problem({name: value})
        assert (problem.field, problem.code) == (name, "evidence-out-of-bounds")

    def test_bounds_are_named(self) -> None:
        """The out-of-bounds problem carries the declared bounds (in percent for a percent)."""
        assert only_problem({"so_xa": 31}).args["high"] == D(30)
        problem = only_problem({"ty_le_hep": 95})
        assert (problem.args["low"], problem.args["high"]) == (D(10), D(90))

    def test_too_many_decimals(self) -> None:
        """More than 12 decimals is refused (scoring stays exact)."""
        problem = only_problem({"chenh_lech": D("1.0000000000001")})
        assert problem.code == "evidence-too-precise"

    def test_quiet_nan(self) -> None:
        """Decimal('NaN') is not a finite number."""
        problem = only_problem({"chenh_lech": D("NaN")})
        assert problem.code == "evidence-not-finite"


class TestDates:
    """Date fields."""

    @pytest.mark.parametrize(
        "given",
        ["2021-13-01", "2021-02-29", "2021-12-32", "20/12/2021", "2021-1-1", "2021/12/20",
         "20211220", " 2021-12-20", "2021-12-20T00:00", ""],
    )  # fmt: skip
    def test_unparseable_or_impossible_dates(self, given: str) -> None:
        """Only an existing day written year-month-day is a date."""
        problem = only_problem({"ngay_nop": given})
        assert (problem.field, problem.code, problem.value) == (
            "ngay_nop",
            "evidence-invalid-date",
            given,
        )
        assert problem.hint == "hint-date-format"


class TestChoices:
    """One-of fields."""

    def test_near_value_gets_a_suggestion(self) -> None:
        """``dung han`` is close to ``dung_han``."""
        problem = only_problem({"bao_cao": "dung han"})
        assert problem.code == "evidence-unknown-choice"
        assert problem.hint_args == {"name": "dung_han"}
        assert "'dung_han', 'tre_han', 'khong_gui'" in problem.message("en")

    def test_far_value_gets_no_suggestion(self) -> None:
        """A value like none of the choices gets no did-you-mean."""
        problem = only_problem({"bao_cao": "xyz"})
        assert problem.code == "evidence-unknown-choice"
        assert problem.hint is None

    def test_choice_values_are_case_sensitive(self) -> None:
        """``Dung_han`` is not ``dung_han`` (but is suggested)."""
        problem = only_problem({"bao_cao": "Dung_han"})
        assert problem.code == "evidence-unknown-choice"
        assert problem.hint_args == {"name": "dung_han"}


class TestShapeOfEvidence:
    """Evidence that is not a mapping, and several problems at once."""

    @pytest.mark.parametrize("given", [[1, 2], "so_htx=3", None, 3, ("so_htx", 3)])
    def test_not_a_mapping(self, given: object) -> None:
        """Evidence must be a mapping of field names to values."""
        problem = only_problem(given)
        assert problem.code == "evidence-not-object"

    def test_every_problem_is_listed(self) -> None:
        """Four wrong values and an unknown key: five problems, in the evidence's order."""
        error = problems_of(
            {
                "so_htx": -1,
                "ty_le": 120,
                "ngay_nop": "20/12/2021",
                "khong_co": 1,
                "bao_cao": "tre",
                "co_quyet_dinh": True,
            }
        )
        assert error.fields == ("so_htx", "ty_le", "ngay_nop", "khong_co", "bao_cao")
        assert error.codes == (
            "evidence-negative",
            "evidence-percent-range",
            "evidence-invalid-date",
            "evidence-unknown-field",
            "evidence-unknown-choice",
        )
        assert len(error.problems) == 5
        for lang in ("vi", "en"):
            text = error.render(lang)  # type: ignore[arg-type]
            assert "5" in text.splitlines()[0]
            for name in error.fields:
                assert f"'{name}'" in text

    def test_str_is_vietnamese(self) -> None:
        """``str(error)`` is the Vietnamese rendering."""
        error = problems_of({"so_htx": -1})
        assert str(error) == error.render("vi")
        assert str(error) != error.render("en")


class TestMessages:
    """Messages name the field, the value and what was expected, in both languages."""

    @pytest.mark.parametrize(
        ("evidence", "english", "vietnamese"),
        [
            ({"so_htx": -1}, ["'so_htx'", "'-1'", "a count is 0 or more"],
             ["'so_htx'", "'-1'", "số đếm phải từ 0 trở lên"]),
            ({"so_htx": D("2.5")}, ["'2.5'", "not a whole number", "give a whole number"],
             ["'2,5'", "không phải số nguyên", "ghi một số nguyên"]),
            ({"ty_le": 120}, ["'ty_le'", "'120'", "from 0 to 100"],
             ["'ty_le'", "'120'", "từ 0 đến 100"]),
            ({"so_xa": 31}, ["'so_xa'", "'31'", "0 – 30"], ["'so_xa'", "'31'", "0 – 30"]),
            ({"chenh_lech": D("5.5")}, ["'5.5'", "-5 – 5"], ["'5,5'", "-5 – 5"]),
            ({"ngay_nop": "2021-13-01"},
             ["'ngay_nop'", "'2021-13-01'", "not a valid date", "year-month-day"],
             ["'ngay_nop'", "'2021-13-01'", "không phải ngày hợp lệ", "năm-tháng-ngày"]),
            ({"bao_cao": "dung han"},
             ["'bao_cao'", "'dung han'", "'dung_han', 'tre_han', 'khong_gui'",
              "did you mean 'dung_han'"],
             ["'bao_cao'", "'dung han'", "'dung_han', 'tre_han', 'khong_gui'",
              "có phải là 'dung_han'"]),
            ({"co_quyet_dinh": "yes"}, ["'co_quyet_dinh'", "'yes'", "yes/no (true/false)"],
             ["'co_quyet_dinh'", "'yes'", "có/không (true/false)"]),
            ({"so_htx": True}, ["'True'", "count (a whole number from 0)"],
             ["'True'", "số đếm (số nguyên từ 0)"]),
            ({"so_htx": 1.0}, ["'so_htx'", "'1.0'", "binary float", "decimal.Decimal"],
             ["'so_htx'", "'1.0'", "số thực nhị phân", "decimal.Decimal"]),
            ({"so_htz": 1}, ["'so_htz'", "no such evidence field", "did you mean 'so_htx'"],
             ["'so_htz'", "không có trường minh chứng", "có phải là 'so_htx'"]),
        ],
    )  # fmt: skip
    def test_message_names_field_value_and_expectation(
        self, evidence: dict[str, object], english: list[str], vietnamese: list[str]
    ) -> None:
        """Each expected fragment appears in the rendered error of its language."""
        error = problems_of(evidence)
        english_text, vietnamese_text = error.render("en"), error.render("vi")
        for fragment in english:
            assert fragment in english_text, english_text
        for fragment in vietnamese:
            assert fragment in vietnamese_text, vietnamese_text

    def test_label_is_named_too(self) -> None:
        """The field's label from the rubric is part of the message."""
        error = problems_of({"so_htx": -1})
        assert "Số HTX thành lập mới" in error.render("en")

    def test_wrong_type_for_a_choice_lists_the_choices(self) -> None:
        """A number given for a one-of field: the message says which values are allowed."""
        error = problems_of({"bao_cao": 1})
        for lang in ("vi", "en"):
            assert "'dung_han', 'tre_han', 'khong_gui'" in error.render(lang)

    @pytest.mark.parametrize(("given", "shown"), [([1, 2], "[1, 2]"), ((1, 2), "(1, 2)"), (3, "3")])
    def test_non_mapping_value_is_shown_as_given(self, given: object, shown: str) -> None:
        """Evidence that is not a mapping is shown as Python writes it, not joined."""
        error = problems_of(given)
        assert error.codes == ("evidence-not-object",)
        assert f"mapping of field names to values, not '{shown}'" in error.render("en")
        assert f"không phải '{shown}'" in error.render("vi")


class TestMissingAndStrict:
    """Missing values, and strict mode."""

    def test_missing_is_not_an_error(self) -> None:
        """Without ``strict``, leaving everything out is valid."""
        assert RUBRIC.validate({}) == {}

    def test_strict_reports_every_missing_field(self) -> None:
        """With ``strict``, each declared field not given is an evidence-missing problem."""
        partial = {k: v for k, v in VALID.items() if k not in ("so_xa", "bao_cao")}
        partial["ty_le"] = None
        error = problems_of(partial, strict=True)
        assert error.fields == ("so_xa", "ty_le", "bao_cao")
        assert set(error.codes) == {"evidence-missing"}
        assert "no value given" in error.render("en")
        assert "'ty_le'" in error.render("vi")

    def test_strict_accepts_complete_evidence(self) -> None:
        """With every field given, strict mode changes nothing."""
        assert RUBRIC.validate(VALID, strict=True) == RUBRIC.validate(VALID)

    def test_strict_wrong_value_is_not_also_missing(self) -> None:
        """A wrong value is reported once, as wrong, not a second time as missing."""
        evidence = dict(VALID, so_htx=-1)
        error = problems_of(evidence, strict=True)
        assert error.codes == ("evidence-negative",)

    def test_score_strict(self) -> None:
        """``Rubric.score(strict=True)`` raises for a missing field; without it, scores 0."""
        with pytest.raises(htx_rules.EvidenceError) as caught:
            RUBRIC.score({"so_htx": 1}, strict=True)
        assert "co_quyet_dinh" in caught.value.fields
        result = RUBRIC.score({"so_htx": 1})
        assert result.total == D(0)
        assert result.missing == ("co_quyet_dinh",)


class TestContestant:
    """The ``contestant`` argument of ``Rubric.score``."""

    def test_unknown_code(self, rubric_2021: htx_rules.Rubric) -> None:
        """999 is not one of the eight districts: an EvidenceError listing the known codes."""
        with pytest.raises(htx_rules.EvidenceError) as caught:
            rubric_2021.score({}, contestant="999")
        error = caught.value
        assert error.codes == ("unknown-contestant",)
        assert error.fields == ("contestant",)
        assert "999" in error.render("en")
        assert "930 (TP. Vị Thanh)" in error.render("vi")

    @pytest.mark.parametrize("code", ["930", 930])
    def test_known_code(self, rubric_2021: htx_rules.Rubric, code: object) -> None:
        """A listed code (also given as an int) names the unit in the result."""
        result = rubric_2021.score({}, contestant=code)  # type: ignore[arg-type]
        assert result.contestant is not None
        assert (result.contestant.code, result.contestant.name) == ("930", "TP. Vị Thanh")

    @pytest.mark.parametrize("code", ["999", 999, "HTX Tân Phú"])
    def test_any_code_when_the_rubric_lists_none(self, code: object) -> None:
        """A rubric with no contestants section accepts any code and uses it as the name."""
        result = RUBRIC.score({}, contestant=code)  # type: ignore[arg-type]
        assert result.contestant is not None
        assert (result.contestant.code, result.contestant.name) == (str(code), str(code))


class TestExtremeValues:
    """Values at the edges of what a number can be still give an EvidenceError."""

    @pytest.mark.parametrize("given", [D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity")])
    def test_non_finite_decimal(self, given: Decimal) -> None:
        """A non-finite Decimal is an evidence-not-finite problem, for any numeric field."""
        for name in ("so_htx", "ty_le", "chenh_lech", "doanh_thu"):
            problem = only_problem({name: given})
            assert problem.code == "evidence-not-finite"

    @pytest.mark.parametrize(
        ("given", "shown"),
        [(D("Infinity"), "'Infinity'"), (D("sNaN"), "'sNaN'"), (D("-Infinity"), "'-Infinity'"),
         (D("NaN"), "'NaN'")],
    )  # fmt: skip
    def test_non_finite_decimal_is_shown_as_given(self, given: Decimal, shown: str) -> None:
        """The message shows the value as it was given, without thousands separators."""
        error = problems_of({"chenh_lech": given})
        assert error.codes == ("evidence-not-finite",)
        assert f"value {shown} is not a finite number" in error.render("en")
        assert f"giá trị {shown} không phải một số hữu hạn" in error.render("vi")

    def test_huge_decimal(self) -> None:
        """A Decimal with thousands of digits is evidence-too-large."""
        problem = only_problem({"so_htx": D("1E+5000")})
        assert problem.code == "evidence-too-large"

    @pytest.mark.parametrize("name", ["so_htx", "chenh_lech", "doanh_thu", "ty_le"])
    def test_huge_int(self, name: str) -> None:
        """An int with thousands of digits is evidence-too-large, described by its number
        of digits (Python refuses to print it)."""
        problem = only_problem({name: 10**5000})
        assert problem.code == "evidence-too-large"
        assert "value 'a number of about 5001 digits' is beyond the limit" in problem.message("en")
        assert "giá trị 'một số có khoảng 5001 chữ số' vượt quá giới hạn" in problem.message("vi")

    def test_huge_int_for_a_field_that_is_not_a_number(self) -> None:
        """A huge int for a yes/no, date or one-of field is described the same way."""
        error = problems_of({"co_quyet_dinh": 10**5000, "ngay_nop": -(10**5000),
                             "bao_cao": 10**5000})  # fmt: skip
        assert error.codes == (
            "evidence-wrong-type",
            "evidence-wrong-type",
            "evidence-unknown-choice",
        )
        for lang, words in (("en", "a number of about 5001 digits"),
                            ("vi", "một số có khoảng 5001 chữ số")):  # fmt: skip
            assert error.render(lang).count(f"'{words}'") == 3  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("given", "code", "shown"),
        [(D("1E-5000"), "evidence-too-precise", "'1E-5000'"),
         (D("1E+5000"), "evidence-too-large", "'1E+5000'"),
         (D("-1E+5000"), "evidence-too-large", "'-1E+5000'")],
    )  # fmt: skip
    def test_message_of_an_extreme_number_stays_short(
        self, given: Decimal, code: str, shown: str
    ) -> None:
        """A value with thousands of digits is shown as written, not expanded."""
        error = problems_of({"chenh_lech": given})
        assert error.codes == (code,)
        assert shown in error.render("en")
        assert shown in error.render("vi")
        assert len(error.render("en")) < 400
        assert len(error.render("vi")) < 400

    def test_just_below_the_limit(self) -> None:
        """10**18 - 1 is the largest count accepted."""
        assert RUBRIC.validate({"so_htx": 10**18 - 1}) == {"so_htx": 10**18 - 1}

    @pytest.mark.parametrize(
        ("name", "value"),
        [("so_htx", 10**18), ("doanh_thu", 10**18), ("doanh_thu", D("1E+18")),
         ("chenh_lech", -(10**18)), ("ty_le", 10**18)],
    )  # fmt: skip
    def test_limit_is_the_same_whatever_else_is_given(self, name: str, value: object) -> None:
        """10**18 is too large (values must be below the limit), alone or with another error."""
        alone = problems_of({name: value})
        with_another = problems_of({name: value, "co_quyet_dinh": "yes"})
        assert alone.codes == ("evidence-too-large",)
        assert with_another.codes == ("evidence-too-large", "evidence-wrong-type")
        assert alone.render("en").splitlines()[1:] == with_another.render("en").splitlines()[1:2]

    def test_very_negative_count_is_negative(self) -> None:
        """A count at or below -(10**18) is reported as negative, like -1."""
        problem = only_problem({"so_htx": -(10**18)})
        assert problem.code == "evidence-negative"

    def test_limit_with_another_error(self) -> None:
        """With another wrong field, 10**18 is reported as too large."""
        error = problems_of({"so_htx": 10**18, "ty_le": 120})
        assert error.codes == ("evidence-too-large", "evidence-percent-range")


# Any value a caller might pass, ints of thousands of digits included.
_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from([10**5000, -(10**5000), 10**70 + 1]),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20),
    st.sampled_from([D("NaN"), D("-NaN"), D("sNaN"), D("Infinity"), D("-Infinity")]),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["dung_han", "2021-12-20", "2021-02-29", "80", "true"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
)


def _check_error(error: htx_rules.EvidenceError, evidence: dict[str, object]) -> None:
    """Every problem names a key that was given, and the error renders in both languages."""
    assert error.problems
    assert set(error.fields) <= {str(k) for k in evidence}
    assert error.render("en")
    assert error.render("vi")


def _outcome(evidence: dict[str, object]) -> tuple[str, object]:
    """What validation answers: the values with their types, or the problem codes."""
    try:
        values = RUBRIC.validate(evidence)
    except htx_rules.EvidenceError as error:
        return "error", (error.fields, error.codes)
    return "ok", {name: (type(value), value) for name, value in values.items()}


_FIELDS = {f.name: f for f in RUBRIC.fields}
# Values at the edges of the checks, the size limit 10**18 itself included.
_EDGES = st.sampled_from(
    [0, 1, -1, 30, 31, 100, 101, 10**18 - 1, 10**18, 10**18 + 1, -(10**18) + 1, -(10**18),
     D("1E+18"), D("-1E+18"), D("999999999999999999.5"), D("0.5"), D("-0"),
     D("1E+2"), D("100.0"), D("100.000000000001"), D("1E-12"), D("1E-13"), D("90"), D("10"),
     D("9.99"), D("5"), D("-5"), D("5.01"), D("NaN"), True, False, "2021-12-20", "2021-02-29",
     "dung_han", datetime.date(2021, 12, 20), 1.0]
)  # fmt: skip


class TestNeverABareException:
    """Whatever is given, validation answers with values or an EvidenceError."""

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.dictionaries(
            st.one_of(st.sampled_from(list(VALID)), st.text(max_size=8)), _ANY_VALUE, max_size=6
        )
    )
    def test_any_values(self, evidence: dict[str, object]) -> None:
        """Either the evidence validates or every problem names a given key."""
        try:
            values = RUBRIC.validate(evidence)
        except htx_rules.EvidenceError as error:
            _check_error(error, evidence)
        else:
            assert set(values) <= set(evidence)
            assert all(value is not None for value in values.values())
            assert not any(isinstance(value, float) for value in values.values())

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.fixed_dictionaries(
            {}, optional={name: st.one_of(field_values(f), _EDGES) for name, f in _FIELDS.items()}
        ),
        st.sampled_from(sorted(_FIELDS)),
    )
    def test_fast_path_agrees_with_the_field_validators(
        self, evidence: dict[str, object], absent: str
    ) -> None:
        """Adding a declared field as None (which sends validation down the careful,
        field-by-field path) changes neither the values nor the problems found."""
        evidence.pop(absent, None)
        assert _outcome(evidence) == _outcome({**evidence, absent: None})


# ---------------------------------------------------------------- evidence files


def parse(text: str) -> htx_rules.EvidenceDocument:
    return htx_rules.parse_evidence_json(text, "unit.json")


def parse_error(text: str) -> htx_rules.EvidenceError:
    with pytest.raises(htx_rules.EvidenceError) as caught:
        parse(text)
    assert caught.value.source == "unit.json"
    assert "unit.json" in caught.value.render("en")
    return caught.value


def _no_floats(value: object) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(_no_floats(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_floats(v) for v in value)
    return True


class TestParseEvidenceJson:
    """``htx_rules.parse_evidence_json``."""

    def test_flat_form(self) -> None:
        """An object of field values is the evidence itself."""
        document = parse('{"so_htx": 3, "ty_le": 80.5}')
        assert document.evidence == {"so_htx": 3, "ty_le": D("80.5")}
        assert (document.contestant, document.rubric, document.note) == (None, None, None)
        assert document.source == "unit.json"

    def test_wrapper_form(self) -> None:
        """With an ``evidence`` key, contestant, rubric and note are read beside it."""
        document = parse(
            '{"contestant": "930", "rubric": "thi_dua", "note": "Ghi chú",'
            ' "evidence": {"so_htx": 3}}'
        )
        assert document.evidence == {"so_htx": 3}
        assert (document.contestant, document.rubric, document.note) == (
            "930",
            "thi_dua",
            "Ghi chú",
        )

    def test_contestant_number_becomes_text(self) -> None:
        """``"contestant": 930`` is read as the code "930"."""
        assert parse('{"contestant": 930, "evidence": {}}').contestant == "930"

    @pytest.mark.parametrize("given", ["true", "[930]", "1.5"])
    def test_contestant_must_be_text(self, given: str) -> None:
        """A contestant that is not a string (or a whole number) is refused."""
        error = parse_error(f'{{"contestant": {given}, "evidence": {{}}}}')
        assert error.codes == ("evidence-document-text",)
        assert error.fields == ("contestant",)

    def test_numbers_are_decimals(self) -> None:
        """Every JSON number with a fraction or exponent becomes a Decimal, never a float."""
        document = parse('{"evidence": {"a": 0.1, "b": 1e2, "c": [2.50, {"d": -0.0}], "e": 7}}')
        assert _no_floats(document.evidence)
        assert document.evidence["a"] == D("0.1")
        assert document.evidence["b"] == D("1E+2")
        assert document.evidence["c"] == [D("2.50"), {"d": D("-0.0")}]
        assert type(document.evidence["e"]) is int

    def test_invalid_json_names_line_and_column(self) -> None:
        """A syntax error is reported with its line and column."""
        error = parse_error('{\n  "so_htx": 3,\n  "ty_le": \n}')
        assert error.codes == ("evidence-json",)
        problem = error.problems[0]
        assert (problem.args["line"], problem.args["column"]) == (4, 1)
        assert "line 4, column 1" in error.render("en")
        assert "dòng 4, cột 1" in error.render("vi")

    @pytest.mark.parametrize(
        "text",
        ['{"so_htx": 1, "so_htx": 2}', '{"evidence": {"so_htx": 1, "so_htx": 2}}',
         '{"evidence": {}, "evidence": {}}'],
    )  # fmt: skip
    def test_duplicate_keys(self, text: str) -> None:
        """A key given twice is refused, at the top level or inside ``evidence``."""
        error = parse_error(text)
        assert error.codes == ("evidence-duplicate-key",)
        assert "appears twice" in error.render("en")

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_non_finite_constants(self, constant: str) -> None:
        """NaN and Infinity are not numbers evidence can hold."""
        error = parse_error(f'{{"so_htx": {constant}}}')
        assert error.codes == ("evidence-not-finite-json",)
        assert constant in error.render("en")

    def test_unknown_top_level_key_in_wrapper_form(self) -> None:
        """Next to ``evidence`` only contestant, rubric and note are allowed."""
        error = parse_error('{"evidence": {}, "unit": "930", "notes": "x"}')
        assert error.codes == ("evidence-document-key", "evidence-document-key")
        assert error.fields == ("unit", "notes")
        assert "contestant, rubric, evidence, note" in error.render("en")

    @pytest.mark.parametrize("text", ["[1, 2]", "3", '"930"', "null"])
    def test_top_level_must_be_an_object(self, text: str) -> None:
        """A file that is not a JSON object is refused."""
        assert parse_error(text).codes == ("evidence-not-object",)

    def test_evidence_must_be_an_object(self) -> None:
        """``"evidence": [...]`` is refused."""
        error = parse_error('{"evidence": [1]}')
        assert error.codes == ("evidence-not-object",)
        assert error.fields == ("evidence",)

    def test_parsed_document_scores(self) -> None:
        """A parsed file's evidence validates like a dict written in Python."""
        document = parse('{"evidence": {"so_htx": 3.0, "ty_le": 80.25, "ngay_nop": "2021-12-01"}}')
        assert RUBRIC.validate(document.evidence) == {
            "so_htx": 3,
            "ty_le": D("80.25"),
            "ngay_nop": datetime.date(2021, 12, 1),
        }

    def test_integer_too_long_for_python(self) -> None:
        """A 5000-digit number is refused as too long, without calling it non-finite."""
        error = parse_error('{"so_htx": ' + "1" * 5000 + "}")
        assert error.codes == ("evidence-number-too-long",)
        assert "not a finite number" not in error.render("en")
        assert error.problems[0].args["digits"] == 5000
        assert error.problems[0].message("en") == (
            "the file holds an integer of 5000 digits ('11111111111111111111…'), "
            "too long to be evidence"
        )
        assert error.problems[0].message("vi") == (
            "tệp chứa một số nguyên có 5000 chữ số ('11111111111111111111…'), "
            "quá dài để là minh chứng"
        )

    @pytest.mark.parametrize("sign", ["", "-"], ids=["positive", "negative"])
    def test_integer_length_limit_is_thirty_digits(self, sign: str) -> None:
        """An integer of 30 digits is read (validation judges its size); 31 is refused as
        too long, the sign not counted, wherever it is in the file."""
        thirty = sign + "9" * 30
        assert parse(f'{{"so_htx": {thirty}}}').evidence == {"so_htx": int(thirty)}
        for text in (f'{{"so_htx": {thirty}1}}', f'{{"evidence": {{"a": [{thirty}1]}}}}',
                     f'{{"contestant": {thirty}1, "evidence": {{}}}}'):  # fmt: skip
            error = parse_error(text)
            assert error.codes == ("evidence-number-too-long",)
            assert error.problems[0].args["digits"] == 31
            assert "31 digits" in error.render("en")
            assert "31 chữ số" in error.render("vi")

    def test_long_number_with_a_fraction_is_a_decimal(self) -> None:
        """The length limit is on integers: a long number with a fraction is a Decimal
        (validation refuses it as too large)."""
        document = parse('{"so_htx": 1' + "0" * 40 + ".5}")
        assert document.evidence == {"so_htx": D("1" + "0" * 40 + ".5")}
