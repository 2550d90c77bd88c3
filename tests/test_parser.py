"""Every construct of the rubric language, parsed into the typed rule model.

Each test compiles a small rubric and compares what it means
(``htx_rules.loads(text).model``, the checked model) with model objects
written out by hand.  Model nodes carry source spans that are left out of
equality, so the expected objects are built with a placeholder span
(:data:`NO_SPAN`); :class:`TestSpans` checks the real spans, and that two
texts differing only in layout compile to equal models.
"""

from __future__ import annotations

import datetime
import textwrap
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import htx_rules
from htx_rules import model as m
from htx_rules.source import Span
from tests.support import compile_rubric, rubric_text

NO_SPAN = Span("<expected>", 0, 0, 0, 0)
D = Decimal

# Fields that the expression and scoring tests read.
FIELDS = """\
x yes/no "Có quyết định"
y yes/no "Có quy chế"
n count "Số hội nghị"
t count "Chỉ tiêu"
v number "Điểm bình quân"
p percent "Tỷ lệ"
q percent "Tỷ lệ khác"
mo money "Doanh thu"
d date "Ngày nộp"
c one of a, b, k "Báo cáo"
"""


# ---------------------------------------------------------------- model builders


def num(value: str, unit: m.NumberUnit = "plain") -> m.Number:
    """A number literal of the model."""
    return m.Number(D(value), unit, NO_SPAN)


def ref(name: str) -> m.FieldRef:
    """A resolved reference to an evidence field."""
    return m.FieldRef(name, NO_SPAN)


def arith(op: m.ArithOp, left: m.Expr, right: m.Expr) -> m.Arithmetic:
    """``left op right``."""
    return m.Arithmetic(op, left, right, NO_SPAN)


def cmp(op: m.CompareOp, left: m.Expr, right: m.Expr) -> m.Comparison:
    """``left op right`` for a comparison."""
    return m.Comparison(op, left, right, NO_SPAN)


def logical(op: str, *operands: m.Expr) -> m.Logical:
    """``a and b …`` or ``a or b …``."""
    assert op in ("and", "or")
    return m.Logical("and" if op == "and" else "or", operands, NO_SPAN)


def call(function: str, *args: m.Expr) -> m.Call:
    """A call of one of the five functions."""
    assert function in ("min", "max", "round", "floor", "ceil")
    return m.Call(function, args, NO_SPAN)  # type: ignore[arg-type]


# ---------------------------------------------------------------- helpers


def one_criterion(scoring: str, *, maximum: str = "2", evidence: str = FIELDS) -> m.Criterion:
    """The single criterion I.1 of a rubric whose scoring lines are ``scoring``."""
    criteria = f'criterion I.1 "Tiêu chí" max {maximum}\n' + textwrap.indent(
        textwrap.dedent(scoring).strip(), "  "
    )
    rubric = compile_rubric(evidence, criteria, part_max=maximum)
    (criterion,) = rubric.model.parts[0].criteria
    return criterion


def scoring_of(scoring: str, *, maximum: str = "2") -> m.Scoring:
    """The scoring form of a one-criterion rubric."""
    result = one_criterion(scoring, maximum=maximum).scoring
    assert result is not None
    return result


def expr_of(text: str) -> m.Expr:
    """The expression of a criterion scored by the plain formula ``text``."""
    scoring = scoring_of(text)
    assert isinstance(scoring, m.Formula)
    return scoring.expr


def condition_of(text: str) -> m.Expr:
    """The condition of a criterion scored by ``1 if text``."""
    scoring = scoring_of(f"1 if {text}")
    assert isinstance(scoring, m.Conditional)
    return scoring.condition


def header_of(*items: str) -> m.Header:
    """The header of a rubric whose header lines are exactly ``items`` (plus year and total)."""
    text = "\n".join(
        [
            'rubric thu_nghiem "Bảng điểm thử"',
            *(f"  {item}" for item in items),
            "evidence",
            '  x yes/no "X"',
            'part I "P" max 2',
            '  criterion I.1 "C" max 2',
            "    2 if x",
        ]
    )
    return htx_rules.loads(text).model.header


MINIMAL = """\
rubric r "Bảng điểm"
  year 2021
  total 2
evidence
  x yes/no "Có quyết định"
  n count "Số HTX"
part I "Phần I" max 2
  criterion I.1 "Tiêu chí một" max 1
    1 if x
  criterion I.2 "Tiêu chí hai" max 1
    0.5 per n, at most 1
"""


# ---------------------------------------------------------------- header


class TestHeader:
    """The ``rubric`` line and the items indented under it."""

    def test_every_header_item(self) -> None:
        """All eight header items land in the Header, with dates and decimals exact."""
        header = header_of(
            "year 2021",
            'scored "Ủy ban nhân dân huyện, thị xã, thành phố"',
            "total 2",
            "period 2021-01-01 to 2021-12-20, estimated to 2021-12-31",
            "deadline 2021-12-20",
            "language en",
            "rounding 3 decimals half-even",
            "step 0.25",
        )
        assert header == m.Header(
            id="thu_nghiem",
            title="Bảng điểm thử",
            year=2021,
            scored="Ủy ban nhân dân huyện, thị xã, thành phố",
            total=D(2),
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2021, 12, 20),
            estimated_to=datetime.date(2021, 12, 31),
            deadline=datetime.date(2021, 12, 20),
            language="en",
            rounding=m.Rounding(3, "half-even"),
            step=D("0.25"),
            span=NO_SPAN,
            total_span=NO_SPAN,
        )
        assert type(header.total) is Decimal
        assert type(header.step) is Decimal

    def test_defaults_without_optional_items(self) -> None:
        """With only year and total: Vietnamese, 2 decimals half-up, no dates, no step."""
        header = header_of("year 2022", "total 2")
        assert header.year == 2022
        assert header.scored is None
        assert (header.period_start, header.period_end, header.estimated_to) == (None, None, None)
        assert header.deadline is None
        assert header.language == "vi"
        assert header.rounding == m.Rounding(2, "half-up")
        assert header.step is None

    def test_period_without_estimate(self) -> None:
        """A period without ``estimated to`` has no estimate date."""
        header = header_of("year 2021", "total 2", "period 2021-03-01 to 2021-11-30")
        assert header.period_start == datetime.date(2021, 3, 1)
        assert header.period_end == datetime.date(2021, 11, 30)
        assert header.estimated_to is None

    @pytest.mark.parametrize("mode", ["half-up", "half-even", "down", "up"])
    def test_rounding_modes(self, mode: str) -> None:
        """Each of the four rounding modes is read with its number of decimals."""
        header = header_of("year 2021", "total 2", f"rounding 0 decimals {mode}")
        assert header.rounding == m.Rounding(0, mode)  # type: ignore[arg-type]

    def test_items_in_any_order(self) -> None:
        """Header items may come in any order and mean the same."""
        one = header_of("year 2021", "total 2", "deadline 2021-12-20", "step 0.5")
        other = header_of("step 0.5", "deadline 2021-12-20", "total 2", "year 2021")
        assert one == other
        assert one.step == D("0.5")

    def test_total_and_step_accept_underscores_and_decimals(self) -> None:
        """``total 1_000`` is one thousand and ``step 0.125`` keeps all its digits."""
        text = MINIMAL.replace("total 2", "total 1_000\n  step 0.125").replace(
            'part I "Phần I" max 2',
            'part I "Phần I" max 1_000\n  criterion I.0 "Bù" max 998\n    998',
        )
        header = htx_rules.loads(text).model.header
        assert header.total == D(1000)
        assert header.step == D("0.125")


# ---------------------------------------------------------------- contestants


class TestContestants:
    """The ``contestants`` section: a code and a name per line."""

    def test_numeric_and_named_codes(self) -> None:
        """Codes may be numbers or names; both are kept as text, in file order."""
        text = MINIMAL + 'contestants\n  930 "TP. Vị Thanh"\n  tx_long_my "TX. Long Mỹ"\n'
        contestants = htx_rules.loads(text).model.contestants
        assert contestants == (
            m.Contestant("930", "TP. Vị Thanh", NO_SPAN),
            m.Contestant("tx_long_my", "TX. Long Mỹ", NO_SPAN),
        )

    def test_no_contestants_section(self) -> None:
        """Without the section the rubric lists no contestants."""
        assert htx_rules.loads(MINIMAL).model.contestants == ()


# ---------------------------------------------------------------- evidence


class TestEvidence:
    """Evidence fields: every type, choice values, and the from/to/unit options."""

    @pytest.mark.parametrize(
        ("type_text", "type_name"),
        [
            ("yes/no", "yes/no"),
            ("count", "count"),
            ("number", "number"),
            ("percent", "percent"),
            ("money", "money"),
            ("date", "date"),
        ],
    )
    def test_simple_types(self, type_text: str, type_name: str) -> None:
        """Each simple type gives a field with that type and no choices or options."""
        rubric = compile_rubric(
            f'gia_tri {type_text} "Giá trị"\nx yes/no "X"',
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
        )
        assert rubric.model.fields[0] == m.Field(
            "gia_tri",
            type_name,
            "Giá trị",
            (),
            None,
            None,
            None,
            NO_SPAN,  # type: ignore[arg-type]
        )

    def test_inline_choice(self) -> None:
        """``one of a, b, c`` lists values whose labels are their names."""
        field = compile_rubric(
            'bao_cao one of dung_han, tre_han, khong_gui "Báo cáo năm"',
            'criterion I.1 "C" max 2\n  by bao_cao\n    dung_han -> 2\n    otherwise -> 0',
            part_max="2",
        ).model.fields[0]
        assert field == m.Field(
            "bao_cao",
            "choice",
            "Báo cáo năm",
            (
                m.Choice("dung_han", "dung_han", NO_SPAN),
                m.Choice("tre_han", "tre_han", NO_SPAN),
                m.Choice("khong_gui", "khong_gui", NO_SPAN),
            ),
            None,
            None,
            None,
            NO_SPAN,
        )

    def test_choice_block_with_labels(self) -> None:
        """``one of`` followed by an indented block gives labelled values, in order."""
        field = compile_rubric(
            """
            bao_cao one of "Báo cáo năm"
              dung_han  "Gửi đúng hạn"
              tre_han   "Gửi trễ hạn"
              khong_gui "Không gửi"
            x yes/no "X"
            """,
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
        ).model.fields[0]
        assert field.type == "choice"
        assert field.label == "Báo cáo năm"
        assert field.choices == (
            m.Choice("dung_han", "Gửi đúng hạn", NO_SPAN),
            m.Choice("tre_han", "Gửi trễ hạn", NO_SPAN),
            m.Choice("khong_gui", "Không gửi", NO_SPAN),
        )

    def test_field_after_a_choice_block(self) -> None:
        """The field after a choice block is a field again, not another value."""
        fields = compile_rubric(
            'c one of "C"\n  a "A"\n  b "B"\nx yes/no "X"',
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
        ).model.fields
        assert [(f.name, f.type) for f in fields] == [("c", "choice"), ("x", "yes/no")]

    def test_options_from_to_unit(self) -> None:
        """``from``, ``to`` and ``unit`` give the bounds and the unit of a count."""
        field = compile_rubric(
            'xa count "Số xã" from 0 to 30 unit "xã"',
            'criterion I.1 "C" max 2\n  2 if xa = 0',
            part_max="2",
        ).model.fields[0]
        assert field == m.Field("xa", "count", "Số xã", (), D(0), D(30), "xã", NO_SPAN)

    def test_options_in_any_order(self) -> None:
        """The options may be written in any order."""
        fields = compile_rubric(
            'a count "A" unit "HTX" to 9 from 1\nb count "B" from 1 unit "HTX" to 9',
            'criterion I.1 "C" max 2\n  2 if a = b',
            part_max="2",
        ).model.fields
        assert fields[0].minimum == fields[1].minimum == D(1)
        assert fields[0].maximum == fields[1].maximum == D(9)
        assert fields[0].unit == fields[1].unit == "HTX"

    @pytest.mark.parametrize(
        ("bounds", "low", "high"),
        [
            ("from 10% to 90%", "0.1", "0.9"),
            ("from 10 to 90", "0.1", "0.9"),
            ("to 12.5%", None, "0.125"),
        ],
    )
    def test_percent_bounds_are_rates(self, bounds: str, low: str | None, high: str) -> None:
        """Percent bounds are stored as rates, written with or without ``%``."""
        field = compile_rubric(
            f'p percent "P" {bounds}', 'criterion I.1 "C" max 2\n  2 if p >= 50%', part_max="2"
        ).model.fields[0]
        assert field.minimum == (None if low is None else D(low))
        assert field.maximum == D(high)

    @pytest.mark.parametrize("minus", ["-", "−"])
    def test_negative_bounds(self, minus: str) -> None:
        """A number field may have a negative lower bound, with an ASCII or Unicode minus."""
        field = compile_rubric(
            f'v number "V" from {minus}5.5 to 5',
            'criterion I.1 "C" max 2\n  2 if v > 0',
            part_max="2",
        ).model.fields[0]
        assert (field.minimum, field.maximum) == (D("-5.5"), D(5))

    def test_money_bounds(self) -> None:
        """Money bounds may be written as amounts of money."""
        field = compile_rubric(
            'mo money "Doanh thu" from 0 to 10.000.000 đồng',
            'criterion I.1 "C" max 2\n  2 if mo > 0',
            part_max="2",
        ).model.fields[0]
        assert (field.minimum, field.maximum) == (D(0), D(10_000_000))

    def test_fields_keep_file_order(self) -> None:
        """Fields are listed in the order the file declares them."""
        rubric = compile_rubric(FIELDS, 'criterion I.1 "C" max 2\n  2 if x', part_max="2")
        names = [f.name for f in rubric.fields]
        assert names == ["x", "y", "n", "t", "v", "p", "q", "mo", "d", "c"]


# ---------------------------------------------------------------- parts and criteria


class TestStructure:
    """Parts, criteria, sub-criteria, ``requires`` and ``note``."""

    def test_parts_and_criteria(self) -> None:
        """Two parts with their labels, maxima and criteria, in order."""
        text = rubric_text(
            'x yes/no "X"',
            'criterion I.1 "Một" max 1\n  1 if x\ncriterion I.2 "Hai" max 1\n  1 if x',
            part_max="2",
            total="5",
            tail='part II "Phần hai" max 3\n  criterion II.1 "Ba" max 3\n    3 if x',
        )
        parts = htx_rules.loads(text).model.parts
        yes = ref("x")
        assert parts == (
            m.Part(
                "I",
                "Phần một",
                D(2),
                (
                    m.Criterion(
                        "I.1",
                        "Một",
                        D(1),
                        m.Conditional(num("1"), yes, None, NO_SPAN),
                        (),
                        (),
                        None,
                        NO_SPAN,
                    ),
                    m.Criterion(
                        "I.2",
                        "Hai",
                        D(1),
                        m.Conditional(num("1"), yes, None, NO_SPAN),
                        (),
                        (),
                        None,
                        NO_SPAN,
                    ),
                ),
                NO_SPAN,
            ),
            m.Part(
                "II",
                "Phần hai",
                D(3),
                (
                    m.Criterion(
                        "II.1",
                        "Ba",
                        D(3),
                        m.Conditional(num("3"), yes, None, NO_SPAN),
                        (),
                        (),
                        None,
                        NO_SPAN,
                    ),
                ),
                NO_SPAN,
            ),
        )

    def test_nested_sub_criteria(self) -> None:
        """Criteria nest to any depth; a criterion with children has no scoring."""
        criterion = one_criterion(
            """
            criterion I.1.a "a" max 1.5
              1.5 if x
            criterion I.1.b "b" max 0.5
              criterion I.1.b.1 "b1" max 0.25
                0.25 if y
              criterion I.1.b.2 "b2" max 0.25
                0.25 if x
            """
        )
        assert criterion.scoring is None
        assert [c.id for c in criterion.children] == ["I.1.a", "I.1.b"]
        assert criterion.children[0].maximum == D("1.5")
        grandchildren = criterion.children[1].children
        assert [(c.id, c.label, c.maximum) for c in grandchildren] == [
            ("I.1.b.1", "b1", D("0.25")),
            ("I.1.b.2", "b2", D("0.25")),
        ]
        assert grandchildren[0].scoring == m.Conditional(num("0.25"), ref("y"), None, NO_SPAN)

    def test_requires_and_note(self) -> None:
        """``requires`` lists ids in order; ``note`` keeps its label."""
        rubric = compile_rubric(
            'x yes/no "X"',
            """
            criterion I.1 "C" max 1
              1 if x
            criterion I.2 "C" max 0.5
              0.5 if x
            criterion I.3 "C" max 0.5
              requires I.1, I.2
              note "Chỉ tính khi đạt I.1 và I.2"
              0.5 if x
            """,
            part_max="2",
        )
        criterion = rubric.model.parts[0].criteria[2]
        assert criterion.requires == ("I.1", "I.2")
        assert criterion.note == "Chỉ tính khi đạt I.1 và I.2"
        assert rubric.model.parts[0].criteria[0].requires == ()
        assert rubric.model.parts[0].criteria[0].note is None

    def test_note_before_requires_on_a_parent(self) -> None:
        """Modifiers come in any order and may sit on a criterion with children."""
        parent = (
            compile_rubric(
                FIELDS,
                'criterion I.1 "C" max 1\n  note "Gồm"\n  requires I.2\n'
                '  criterion I.1.a "a" max 1\n    1 if x\ncriterion I.2 "D" max 1\n  1 if y',
                part_max="2",
            )
            .model.parts[0]
            .criteria[0]
        )
        assert (parent.note, parent.requires) == ("Gồm", ("I.2",))

    def test_bonus_and_deduction_sections(self) -> None:
        """Bonus and deduction sections hold rules with their caps, requires and notes."""
        rubric = compile_rubric(
            FIELDS,
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
            tail="""
            bonus "Điểm cộng" max 2
              rule B1 "Vượt chỉ tiêu" max 2
                requires I.1
                note "Mỗi HTX 0,5 điểm"
                0.5 per max(0, n - t)
            deduction "Điểm trừ" max 1
              rule D1 "Nộp trễ" max 1
                1 if d > deadline
            """,
        )
        assert rubric.model.bonus == m.Section(
            "bonus",
            "Điểm cộng",
            D(2),
            (
                m.Criterion(
                    "B1",
                    "Vượt chỉ tiêu",
                    D(2),
                    m.PerUnit(
                        num("0.5"),
                        call("max", num("0"), arith("-", ref("n"), ref("t"))),
                        None,
                        None,
                        NO_SPAN,
                    ),
                    (),
                    ("I.1",),
                    "Mỗi HTX 0,5 điểm",
                    NO_SPAN,
                ),
            ),
            NO_SPAN,
        )
        deduction = rubric.model.deduction
        assert deduction is not None
        assert (deduction.kind, deduction.label, deduction.maximum) == ("deduction", "Điểm trừ", 1)
        assert deduction.rules[0].scoring == m.Conditional(
            num("1"), cmp(">", ref("d"), m.DeadlineRef(NO_SPAN)), None, NO_SPAN
        )

    def test_without_bonus_deduction_or_awards(self) -> None:
        """Sections left out are None."""
        model = htx_rules.loads(MINIMAL).model
        assert (model.bonus, model.deduction, model.awards) == (None, None, None)

    def test_sections_in_any_order(self) -> None:
        """Awards, contestants and evidence may come before the parts."""
        head, rest = MINIMAL.split("evidence\n", 1)
        evidence, parts = rest.split("part I", 1)
        reordered = (
            head
            + 'awards\n  place 1 "Nhất" 1.000.000 đồng\n'
            + 'contestants\n  930 "A"\n'
            + "part I"
            + parts
            + "evidence\n"
            + evidence
        )
        model = htx_rules.loads(reordered).model
        original = htx_rules.loads(
            MINIMAL + 'contestants\n  930 "A"\nawards\n  place 1 "Nhất" 1.000.000 đồng\n'
        ).model
        assert model == original


# ---------------------------------------------------------------- scoring forms


class TestScoringForms:
    """Each way a criterion earns points, as model objects."""

    def test_conditional(self) -> None:
        """``X if cond`` has no otherwise."""
        assert scoring_of("2 if x") == m.Conditional(num("2"), ref("x"), None, NO_SPAN)

    def test_conditional_with_otherwise(self) -> None:
        """``X if cond otherwise Y`` keeps both amounts."""
        assert scoring_of("2 if n >= 1 otherwise 0.5") == m.Conditional(
            num("2"), cmp(">=", ref("n"), num("1")), num("0.5"), NO_SPAN
        )

    def test_per_unit(self) -> None:
        """``R per U`` has no cap and no base."""
        assert scoring_of("0.5 per n") == m.PerUnit(num("0.5"), ref("n"), None, None, NO_SPAN)

    def test_per_unit_at_most(self) -> None:
        """``R per U, at most C`` keeps the cap."""
        assert scoring_of("1 per n, at most 1.5") == m.PerUnit(
            num("1"), ref("n"), num("1.5"), None, NO_SPAN
        )

    def test_minus_per_unit(self) -> None:
        """``B minus R per U`` has a base and no cap."""
        assert scoring_of("2 minus 0.5 per n") == m.PerUnit(
            num("0.5"), ref("n"), None, num("2"), NO_SPAN
        )

    def test_minus_per_unit_at_most(self) -> None:
        """``B minus R per U, at most C`` has a base and a cap."""
        assert scoring_of("2 minus 0.5 per n, at most 1.5") == m.PerUnit(
            num("0.5"), ref("n"), num("1.5"), num("2"), NO_SPAN
        )

    def test_by_thresholds(self) -> None:
        """``by`` a number with threshold arms and ``otherwise``, in order."""
        assert scoring_of(
            """
            by p
              >= 80% -> 2
              > 50% -> 1
              otherwise -> 0
            """
        ) == m.Banded(
            ref("p"),
            (
                m.ThresholdArm(">=", num("0.8", "percent"), num("2"), NO_SPAN),
                m.ThresholdArm(">", num("0.5", "percent"), num("1"), NO_SPAN),
                m.OtherwiseArm(num("0"), NO_SPAN),
            ),
            NO_SPAN,
        )

    def test_by_expression_subject(self) -> None:
        """The subject of ``by`` may be any expression, such as a ratio."""
        scoring = scoring_of("by n / t\n  >= 50% -> 2\n  otherwise -> 0")
        assert isinstance(scoring, m.Banded)
        assert scoring.subject == arith("/", ref("n"), ref("t"))

    def test_by_choice(self) -> None:
        """``by`` a choice with arms of one or several values, and ``otherwise``."""
        assert scoring_of(
            """
            by c
              a -> 2
              b, k -> 1
            """
        ) == m.Banded(
            ref("c"),
            (
                m.ChoiceArm(("a",), num("2"), NO_SPAN),
                m.ChoiceArm(("b", "k"), num("1"), NO_SPAN),
            ),
            NO_SPAN,
        )
        with_otherwise = scoring_of("by c\n  a -> 2\n  otherwise -> 0")
        assert isinstance(with_otherwise, m.Banded)
        assert with_otherwise.arms[-1] == m.OtherwiseArm(num("0"), NO_SPAN)

    def test_cases(self) -> None:
        """``cases`` with condition arms and ``otherwise``."""
        assert scoring_of(
            """
            cases
              n = 0 -> 2
              n <= t and x -> 1
              otherwise -> 0
            """
        ) == m.Cases(
            (
                m.CaseArm(cmp("=", ref("n"), num("0")), num("2"), NO_SPAN),
                m.CaseArm(
                    logical("and", cmp("<=", ref("n"), ref("t")), ref("x")), num("1"), NO_SPAN
                ),
                m.OtherwiseArm(num("0"), NO_SPAN),
            ),
            NO_SPAN,
        )

    def test_target_linear(self) -> None:
        """``target A of T: linear``."""
        assert scoring_of("target n of t: linear") == m.Target(
            ref("n"), ref("t"), m.Linear(), None, NO_SPAN
        )

    def test_target_stepped(self) -> None:
        """``target A of T: minus N per 10% short`` counts full steps."""
        assert scoring_of("target n of t: minus 1 per 10% short") == m.Target(
            ref("n"), ref("t"), m.Stepped(num("1"), num("0.1", "percent"), False), None, NO_SPAN
        )

    def test_target_stepped_started(self) -> None:
        """``... per started 10% short`` counts started steps."""
        scoring = scoring_of("target n of t: minus 0.5 per started 20% short")
        assert isinstance(scoring, m.Target)
        assert scoring.mode == m.Stepped(num("0.5"), num("0.2", "percent"), True)

    def test_target_zero_target(self) -> None:
        """``, zero target -> N`` gives the points for a target of zero."""
        assert scoring_of("target n of t: linear, zero target -> 1") == m.Target(
            ref("n"), ref("t"), m.Linear(), num("1"), NO_SPAN
        )
        stepped = scoring_of("target n of t: minus 1 per 10% short, zero target → 0")
        assert isinstance(stepped, m.Target)
        assert stepped.zero_target == num("0")

    def test_plain_formula(self) -> None:
        """An expression alone is a formula."""
        assert scoring_of("min(2, n * 0.5)") == m.Formula(
            call("min", num("2"), arith("*", ref("n"), num("0.5"))), NO_SPAN
        )

    def test_linear_and_stepped_differ(self) -> None:
        """Different target modes give different models (equality is not vacuous)."""
        assert scoring_of("target n of t: linear") != scoring_of(
            "target n of t: minus 1 per 10% short"
        )
        assert scoring_of("target n of t: minus 1 per 10% short") != scoring_of(
            "target n of t: minus 1 per started 10% short"
        )


# ---------------------------------------------------------------- awards


class TestAwards:
    """Award places, minimum score, tie-break keys and the last resort."""

    TIES = (
        "higher part I, lower criterion I.1, higher bonus, lower deduction, higher total, "
        "earlier d, later d, higher n, lower v"
    )
    AWARDS = f"""
    awards
      place 1 "Hạng Nhất" 10.000.000 đồng
      place 2 "Hạng Nhì" 7_000_000 đồng
      place 3 "Hạng Ba" 500000 đ
      minimum 1.5
      ties {TIES}
      still tied: council
    bonus "Cộng" max 1
      rule B1 "b" max 1
        1 if y
    deduction "Trừ" max 1
      rule D1 "d" max 1
        1 if not x
    """

    def awards(self) -> m.Awards:
        rubric = compile_rubric(
            FIELDS, 'criterion I.1 "C" max 2\n  2 if x', part_max="2", tail=self.AWARDS
        )
        assert rubric.model.awards is not None
        return rubric.model.awards

    def test_places_with_money_in_every_spelling(self) -> None:
        """Dots, underscores and ``đ`` all write whole đồng."""
        assert self.awards().places == (
            m.Place(1, "Hạng Nhất", D(10_000_000), NO_SPAN),
            m.Place(2, "Hạng Nhì", D(7_000_000), NO_SPAN),
            m.Place(3, "Hạng Ba", D(500_000), NO_SPAN),
        )

    def test_minimum(self) -> None:
        """``minimum`` is the lowest total that can win a place."""
        assert self.awards().minimum == D("1.5")

    def test_every_tie_key_form(self) -> None:
        """Part, criterion, bonus, deduction, total and field keys, in written order."""
        assert self.awards().tie_breaks == (
            m.TieBreak("higher", "part", "I", NO_SPAN),
            m.TieBreak("lower", "criterion", "I.1", NO_SPAN),
            m.TieBreak("higher", "bonus", None, NO_SPAN),
            m.TieBreak("lower", "deduction", None, NO_SPAN),
            m.TieBreak("higher", "total", None, NO_SPAN),
            m.TieBreak("earlier", "field", "d", NO_SPAN),
            m.TieBreak("later", "field", "d", NO_SPAN),
            m.TieBreak("higher", "field", "n", NO_SPAN),
            m.TieBreak("lower", "field", "v", NO_SPAN),
        )

    @pytest.mark.parametrize("policy", ["split", "each", "council"])
    def test_still_tied_policies(self, policy: str) -> None:
        """``still tied:`` takes split, each or council."""
        rubric = compile_rubric(
            'x yes/no "X"',
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
            tail=f'awards\n  place 1 "Nhất" 1.000 đồng\n  still tied: {policy}',
        )
        awards = rubric.model.awards
        assert awards is not None
        assert awards.still_tied == policy
        assert (awards.minimum, awards.tie_breaks) == (None, ())

    def test_awards_without_places(self) -> None:
        """An awards section may hold only a tie order."""
        rubric = compile_rubric(
            'x yes/no "X"',
            'criterion I.1 "C" max 2\n  2 if x',
            part_max="2",
            tail="awards\n  ties higher total",
        )
        assert rubric.model.awards == m.Awards(
            (), None, (m.TieBreak("higher", "total", None, NO_SPAN),), None, NO_SPAN
        )


# ---------------------------------------------------------------- expressions


class TestExpressions:
    """Operators, precedence, functions, references and literals."""

    def test_and_binds_tighter_than_or(self) -> None:
        """``x or y and not n > 1`` is ``x or (y and (not (n > 1)))``."""
        assert condition_of("x or y and not n > 1") == logical(
            "or", ref("x"), logical("and", ref("y"), m.Not(cmp(">", ref("n"), num("1")), NO_SPAN))
        )

    def test_chains_flatten(self) -> None:
        """``a and b and c`` is one ``and`` of three operands; likewise ``or``."""
        assert condition_of("x and y and n > 0") == logical(
            "and", ref("x"), ref("y"), cmp(">", ref("n"), num("0"))
        )
        assert condition_of("x or y or n > 0") == logical(
            "or", ref("x"), ref("y"), cmp(">", ref("n"), num("0"))
        )

    def test_parentheses_group(self) -> None:
        """Parentheses override precedence."""
        assert condition_of("(x or y) and n > 0") == logical(
            "and", logical("or", ref("x"), ref("y")), cmp(">", ref("n"), num("0"))
        )

    def test_not_applies_to_the_next_operand(self) -> None:
        """``not x and y`` negates x only."""
        assert condition_of("not x and y") == logical("and", m.Not(ref("x"), NO_SPAN), ref("y"))

    @pytest.mark.parametrize(
        ("written", "op"),
        [
            (">=", ">="),
            ("≥", ">="),
            ("<=", "<="),
            ("≤", "<="),
            ("!=", "!="),
            ("≠", "!="),
            ("=", "="),
            ("==", "="),
            (">", ">"),
            ("<", "<"),
        ],
    )
    def test_comparison_operators(self, written: str, op: str) -> None:
        """Every comparison, in its ASCII and Unicode spelling, gives one operator."""
        assert condition_of(f"n {written} t") == cmp(op, ref("n"), ref("t"))  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("written", "op"),
        [("+", "+"), ("-", "-"), ("−", "-"), ("*", "*"), ("×", "*"), ("/", "/"), ("÷", "/")],
    )
    def test_arithmetic_operators(self, written: str, op: str) -> None:
        """Every arithmetic operator, in its ASCII and Unicode spelling."""
        assert expr_of(f"n {written} t") == arith(op, ref("n"), ref("t"))  # type: ignore[arg-type]

    def test_product_binds_tighter_than_sum(self) -> None:
        """``1 + n * 0.5`` multiplies first."""
        assert expr_of("1 + n * 0.5") == arith("+", num("1"), arith("*", ref("n"), num("0.5")))

    def test_operators_associate_to_the_left(self) -> None:
        """``n - t - 1`` is ``(n - t) - 1`` and ``n / t * 2`` is ``(n / t) * 2``."""
        assert expr_of("n - t - 1") == arith("-", arith("-", ref("n"), ref("t")), num("1"))
        assert expr_of("n / t * 2") == arith("*", arith("/", ref("n"), ref("t")), num("2"))

    def test_parenthesised_sum(self) -> None:
        """``(1 + n) * 0.5`` adds first."""
        assert expr_of("(1 + n) * 0.5") == arith("*", arith("+", num("1"), ref("n")), num("0.5"))

    def test_longest_sum_within_the_nesting_limit(self) -> None:
        """A sum of 101 terms (100 additions inside each other, the limit) is read left
        to right; one term more is refused as expression-too-deep."""
        expected: m.Expr = ref("n")
        for _ in range(100):
            expected = arith("+", expected, ref("n"))
        assert expr_of(" + ".join(["n"] * 101)) == expected
        with pytest.raises(htx_rules.RubricCompileError) as info:
            expr_of(" + ".join(["n"] * 102))
        assert info.value.codes == ("expression-too-deep",)

    def test_deepest_calls_and_negations_within_the_limit(self) -> None:
        """100 calls inside each other, or 100 negations, are within the limit."""
        expected: m.Expr = ref("n")
        for _ in range(100):
            expected = call("floor", expected)
        assert expr_of("floor(" * 100 + "n" + ")" * 100) == expected
        negated: m.Expr = ref("n")
        for _ in range(100):
            negated = m.Negate(negated, NO_SPAN)
        assert expr_of("- " * 100 + "n") == negated

    def test_unary_minus_and_plus(self) -> None:
        """A leading minus negates (either spelling); a leading plus changes nothing."""
        assert expr_of("-n + 3") == arith("+", m.Negate(ref("n"), NO_SPAN), num("3"))
        assert expr_of("−n + 3") == expr_of("-n + 3")
        assert expr_of("+n") == ref("n")
        assert expr_of("n * -1") == arith("*", ref("n"), m.Negate(num("1"), NO_SPAN))

    def test_functions(self) -> None:
        """min and max take several arguments, round two, floor and ceil one."""
        assert expr_of("min(2, n, t)") == call("min", num("2"), ref("n"), ref("t"))
        assert expr_of("max(0, n - t)") == call("max", num("0"), arith("-", ref("n"), ref("t")))
        assert expr_of("round(n / 3, 2)") == call("round", arith("/", ref("n"), num("3")), num("2"))
        assert expr_of("floor(n / 2)") == call("floor", arith("/", ref("n"), num("2")))
        assert expr_of("ceil(n / 2)") == call("ceil", arith("/", ref("n"), num("2")))

    def test_points_of(self) -> None:
        """``points of I.2`` reads another criterion's points."""
        rubric = compile_rubric(
            FIELDS,
            'criterion I.1 "C" max 1\n  points of I.2 / 2\ncriterion I.2 "D" max 1\n  1 if x',
            part_max="2",
        )
        scoring = rubric.model.parts[0].criteria[0].scoring
        assert scoring == m.Formula(arith("/", m.PointsOf("I.2", NO_SPAN), num("2")), NO_SPAN)

    def test_names_that_begin_with_a_keyword(self) -> None:
        """``per_xa``, ``iffy``, ``notx`` and ``max_htx`` are names, not glued keywords."""
        rubric = compile_rubric(
            'per_xa count "A"\niffy count "B"\nnotx yes/no "C"\nmax_htx count "D"',
            'criterion I.1 "C" max 2\n  2 if notx and iffy >= 1\n'
            'criterion I.2 "D" max 2\n  0.5 per per_xa, at most max_htx',
            part_max="4",
        )
        first, second = rubric.model.parts[0].criteria
        assert first.scoring == m.Conditional(
            num("2"), logical("and", ref("notx"), cmp(">=", ref("iffy"), num("1"))), None, NO_SPAN
        )
        assert second.scoring == m.PerUnit(num("0.5"), ref("per_xa"), ref("max_htx"), None, NO_SPAN)

    def test_deadline_and_date_literal(self) -> None:
        """``deadline`` refers to the header's date; a date literal is a date."""
        assert condition_of("d <= deadline") == cmp("<=", ref("d"), m.DeadlineRef(NO_SPAN))
        assert condition_of("d < 2021-06-30") == cmp(
            "<", ref("d"), m.DateLiteral(datetime.date(2021, 6, 30), NO_SPAN)
        )

    def test_choice_value_in_comparison(self) -> None:
        """A bare name facing a choice field is one of its values."""
        assert condition_of("c = a") == cmp("=", ref("c"), m.ChoiceValue("c", "a", NO_SPAN))
        assert condition_of("k != c") == cmp("!=", m.ChoiceValue("c", "k", NO_SPAN), ref("c"))

    @pytest.mark.parametrize(
        ("written", "value"),
        [("80%", "0.8"), ("12.5%", "0.125"), ("100%", "1"), ("0%", "0")],
    )
    def test_percent_literals_are_rates(self, written: str, value: str) -> None:
        """A percentage literal is stored as an exact rate: ``80%`` is ``Decimal("0.8")``."""
        comparison = condition_of(f"p >= {written}")
        assert isinstance(comparison, m.Comparison)
        literal = comparison.right
        assert literal == num(value, "percent")
        assert isinstance(literal, m.Number)
        assert type(literal.value) is Decimal
        assert literal.value == Decimal(value)

    @pytest.mark.parametrize(
        ("written", "value"),
        [
            ("10.000.000 đồng", 10_000_000),
            ("10_000_000 đồng", 10_000_000),
            ("500000 đ", 500_000),
            ("500000đ", 500_000),
            ("1.500 VND", 1_500),
            ("750 đồng", 750),
        ],
    )
    def test_money_literals(self, written: str, value: int) -> None:
        """Amounts of money: dots or underscores group thousands; đồng, đ or VND."""
        comparison = condition_of(f"mo >= {written}")
        assert isinstance(comparison, m.Comparison)
        assert comparison.right == num(str(value), "money")

    @pytest.mark.parametrize(
        ("written", "value"),
        [("1_000", "1000"), ("1_000_000", "1000000"), ("1_000.25", "1000.25"), ("0.5", "0.5")],
    )
    def test_underscores_in_numbers(self, written: str, value: str) -> None:
        """Underscores group thousands in plain numbers and decimals."""
        comparison = condition_of(f"n >= {written}")
        assert isinstance(comparison, m.Comparison)
        assert comparison.right == num(value)

    def test_arrow_spellings(self) -> None:
        """``→`` and ``->`` are the same arrow in ``by``, ``cases`` and ``zero target``."""
        ascii_by = scoring_of("by n\n  >= 2 -> 2\n  otherwise -> 0")
        assert scoring_of("by n\n  ≥ 2 → 2\n  otherwise → 0") == ascii_by
        ascii_cases = scoring_of("cases\n  x -> 2\n  otherwise -> 1")
        assert scoring_of("cases\n  x → 2\n  otherwise → 1") == ascii_cases
        assert scoring_of("target n of t: linear, zero target → 1") == scoring_of(
            "target n of t: linear, zero target -> 1"
        )
        assert ascii_by != scoring_of("by n\n  >= 2 -> 1\n  otherwise -> 0")

    def test_decimal_literals_are_exact(self) -> None:
        """``0.1 + 0.2`` keeps the decimals exactly as written."""
        expr = expr_of("0.1 + 0.2")
        assert isinstance(expr, m.Arithmetic)
        assert isinstance(expr.left, m.Number)
        assert str(expr.left.value) == "0.1"
        assert expr == arith("+", num("0.1"), num("0.2"))
        assert expr != arith("+", num("0.1"), num("0.3"))


# ---------------------------------------------------------------- lexical matters


class TestLexical:
    """Comments, labels, line endings, the final newline and the byte order mark."""

    def test_comments_anywhere(self) -> None:
        """Comments on own lines, after code, at odd indentation and at the end are ignored."""
        commented = """\
# Bảng điểm thử — ghi chú đầu tệp
rubric r "Bảng điểm"   # tiêu đề
  # trong phần đầu
  year 2021
  total 2 # tổng

# giữa các mục
evidence
  x yes/no "Có quyết định"  # trường đầu
    # ghi chú lệch lề
  n count "Số HTX"
part I "Phần I" max 2   # phần
# ghi chú ở cột 0 trong khối
  criterion I.1 "Tiêu chí một" max 1
      # sâu hơn
    1 if x # cuối dòng
  criterion I.2 "Tiêu chí hai" max 1
    0.5 per n, at most 1   #và thêm
# cuối tệp, không xuống dòng"""
        assert htx_rules.loads(commented).model == htx_rules.loads(MINIMAL).model

    def test_hash_inside_labels_is_text(self) -> None:
        """A ``#`` inside a straight or curly quoted label is part of the label."""
        text = MINIMAL.replace('"Tiêu chí một"', '"Mục #1"').replace(
            '"Tiêu chí hai" max 1', "“Mục #2” max 1  # chú thích"
        )
        labels = [c.label for c in htx_rules.loads(text).model.parts[0].criteria]
        assert labels == ["Mục #1", "Mục #2"]

    def test_curly_quoted_labels(self) -> None:
        """“…” labels equal "…" labels and may hold straight quotes."""
        curly = MINIMAL.replace('"Tiêu chí một"', "“Tiêu chí một”")
        assert htx_rules.loads(curly).model == htx_rules.loads(MINIMAL).model
        inner = MINIMAL.replace('"Tiêu chí một"', '“Báo cáo "năm"”')
        assert htx_rules.loads(inner).model.parts[0].criteria[0].label == 'Báo cáo "năm"'

    def test_escapes_in_straight_labels(self) -> None:
        r"""``\"`` and ``\\`` inside a straight label are a quote and a backslash."""
        text = MINIMAL.replace('"Tiêu chí một"', r'"Văn bản \"số 1\" a\\b"')
        label = htx_rules.loads(text).model.parts[0].criteria[0].label
        assert label == 'Văn bản "số 1" a\\b'

    def test_vietnamese_labels_everywhere(self) -> None:
        """Vietnamese labels with diacritics are kept in title, fields, parts and criteria."""
        title = '"Thi đua năm 2021 — Hậu Giang"'
        model = htx_rules.loads(MINIMAL.replace('"Bảng điểm"', title)).model
        assert model.header.title == "Thi đua năm 2021 — Hậu Giang"
        assert model.fields[1].label == "Số HTX"
        assert model.parts[0].label == "Phần I"

    def test_labels_are_normalised_to_nfc(self) -> None:
        """Every label of a decomposed (NFD) file comes out composed (NFC) and equal."""
        text = (
            MINIMAL.replace("total 2", 'total 2\n  scored "Ủy ban nhân dân huyện"')
            .replace(
                'n count "Số HTX"',
                'n count "Số HTX" unit "hợp tác xã"\n'
                '  c one of "Báo cáo"\n    dung_han "Gửi đúng hạn"\n    tre_han "Gửi trễ"',
            )
            .replace("    1 if x", '    note "Ghi chú tiếng Việt"\n    1 if x')
            + 'contestants\n  936 "H. Long Mỹ"\nawards\n  place 1 "Hạng Nhất" 1.000 đ\n'
        )
        decomposed = unicodedata.normalize("NFD", text)
        assert decomposed != text
        model = htx_rules.loads(decomposed).model
        assert model == htx_rules.loads(text).model
        awards = model.awards
        assert awards is not None
        criterion = model.parts[0].criteria[0]
        labels = [
            model.header.title,
            model.header.scored,
            *(f.label for f in model.fields),
            model.fields[1].unit,
            *(c.label for c in model.fields[2].choices),
            model.parts[0].label,
            criterion.label,
            criterion.note,
            model.contestants[0].name,
            awards.places[0].label,
        ]
        for label in labels:
            assert label is not None
            assert unicodedata.is_normalized("NFC", label), label
        assert model.fields[2].choices[0].label == "Gửi đúng hạn"

    def test_decomposed_money_literal(self) -> None:
        """A prize written ``10.000.000 đồng`` in decomposed Unicode is still money."""
        text = MINIMAL + 'awards\n  place 1 "Hạng Nhất" 10.000.000 đồng\n'
        decomposed = unicodedata.normalize("NFD", text)
        assert htx_rules.loads(decomposed).model == htx_rules.loads(text).model

    def test_crlf_line_endings(self) -> None:
        """Windows line endings give the same model."""
        crlf = MINIMAL.replace("\n", "\r\n")
        assert "\r\n" in crlf
        assert htx_rules.loads(crlf).model == htx_rules.loads(MINIMAL).model

    def test_no_final_newline(self) -> None:
        """A file whose last line has no newline gives the same model."""
        assert htx_rules.loads(MINIMAL.rstrip("\n")).model == htx_rules.loads(MINIMAL).model
        crlf = MINIMAL.replace("\n", "\r\n").rstrip("\r\n")
        assert htx_rules.loads(crlf).model == htx_rules.loads(MINIMAL).model

    def test_blank_lines_anywhere(self) -> None:
        """Blank lines (even with spaces) between any two lines are ignored."""
        spaced = MINIMAL.replace("\n", "\n\n   \n")
        assert htx_rules.loads(spaced).model == htx_rules.loads(MINIMAL).model

    def test_byte_order_mark_via_load(self, tmp_path: Path) -> None:
        """``load`` reads a UTF-8 file with a byte order mark, with LF or CRLF endings."""
        path = tmp_path / "bom.rules"
        path.write_bytes(MINIMAL.encode("utf-8-sig"))
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        expected = htx_rules.loads(MINIMAL).model
        assert htx_rules.load(path).model == expected
        path.write_bytes(MINIMAL.replace("\n", "\r\n").encode("utf-8-sig"))
        assert htx_rules.load(path).model == expected

    def test_byte_order_mark_does_not_shift_positions(self, tmp_path: Path) -> None:
        """Columns on the first line count from after the byte order mark."""
        path = tmp_path / "bom.rules"
        path.write_bytes(MINIMAL.encode("utf-8-sig"))
        assert htx_rules.load(path).model.header.span.column == 1

    def test_comment_indented_with_a_tab_is_ignored(self) -> None:
        """A comment line indented with a tab is a comment, not a tab in the indentation."""
        text = MINIMAL.replace("    1 if x", "\t# ghi chú thụt lề bằng tab\n    1 if x")
        assert "\t#" in text
        assert htx_rules.loads(text).model == htx_rules.loads(MINIMAL).model

    def test_tabs_inside_a_line_are_spacing(self) -> None:
        """A tab between tokens (not in indentation) is ordinary spacing."""
        tabbed = MINIMAL.replace('  x yes/no "Có quyết định"', '  x\tyes/no\t"Có quyết định"')
        assert htx_rules.loads(tabbed).model == htx_rules.loads(MINIMAL).model

    def test_shipped_rubric_compiles(self, rubric_2021: htx_rules.Rubric) -> None:
        """The shipped 2021 rubric uses most constructs and compiles to its 42 fields,
        four dossier documents, two eligibility lines and one reviewer-assessed criterion."""
        model = rubric_2021.model
        assert len(model.fields) == 42
        assert [d.id for d in model.dossier] == [
            "bao_cao_cham_diem",
            "to_trinh",
            "bien_ban",
            "bao_cao_thanh_tich",
        ]
        assert list(rubric_2021.assessed) == ["I.9.c"]
        assert model.header.period_end == datetime.date(2021, 12, 20)
        assert model.header.estimated_to == datetime.date(2021, 12, 31)
        assert model.awards is not None
        assert model.awards.still_tied == "split"
        assert [e.reason for e in model.awards.eligibility] == [
            "Gửi báo cáo chấm điểm thi đua chậm nhất ngày 20/12/2021",
            "Có đủ hồ sơ đề nghị khen thưởng",
        ]


# ---------------------------------------------------------------- spans


class TestSpans:
    """Model nodes carry spans; spans are left out of equality."""

    TEXT = """\
rubric r "Bảng điểm"
  year 2021
  total 2
contestants
  930 "TP. Vị Thanh"
evidence
  x yes/no "Có quyết định"
  n count "Số HTX"
part I "Phần I" max 2
  criterion I.1 "Tiêu chí" max 1.5
    requires I.2
    1.5 if x and n >= 1
  criterion I.2 "Tiêu chí" max 0.5
    by n
      >= 2 -> 0.5
      otherwise -> 0
awards
  place 1 "Nhất" 10.000.000 đồng
  ties higher part I
"""

    @pytest.fixture
    def model(self) -> m.RubricModel:
        """The model of :attr:`TEXT`, loaded as ``spans.rules``."""
        return htx_rules.loads(self.TEXT, name="spans.rules").model

    @staticmethod
    def where(span: Span) -> tuple[str, int, int, int, int]:
        return (span.file, span.line, span.column, span.end_line, span.end_column)

    def test_header_spans(self, model: m.RubricModel) -> None:
        """The header spans its ``rubric`` keyword; ``total_span`` the whole total line."""
        assert self.where(model.header.span) == ("spans.rules", 1, 1, 1, 7)
        assert self.where(model.header.total_span) == ("spans.rules", 3, 3, 3, 10)

    def test_declaration_spans(self, model: m.RubricModel) -> None:
        """Contestants, fields, parts and criteria span their code, name or id."""
        assert self.where(model.contestants[0].span) == ("spans.rules", 5, 3, 5, 6)
        assert self.where(model.fields[0].span) == ("spans.rules", 7, 3, 7, 4)
        assert self.where(model.fields[1].span) == ("spans.rules", 8, 3, 8, 4)
        assert self.where(model.parts[0].span) == ("spans.rules", 9, 6, 9, 7)
        assert self.where(model.parts[0].criteria[0].span) == ("spans.rules", 10, 13, 10, 16)
        assert [self.where(s) for s in model.parts[0].criteria[0].requires_spans] == [
            ("spans.rules", 11, 14, 11, 17)
        ]

    def test_expression_spans(self, model: m.RubricModel) -> None:
        """Scoring forms and expressions span their first to last token."""
        scoring = model.parts[0].criteria[0].scoring
        assert isinstance(scoring, m.Conditional)
        assert self.where(scoring.span) == ("spans.rules", 12, 5, 12, 24)
        assert self.where(scoring.points.span) == ("spans.rules", 12, 5, 12, 8)
        condition = scoring.condition
        assert isinstance(condition, m.Logical)
        assert self.where(condition.span) == ("spans.rules", 12, 12, 12, 24)
        comparison = condition.operands[1]
        assert isinstance(comparison, m.Comparison)
        assert self.where(comparison.span) == ("spans.rules", 12, 18, 12, 24)
        assert self.where(comparison.right.span) == ("spans.rules", 12, 23, 12, 24)

    def test_block_spans_cover_their_lines(self, model: m.RubricModel) -> None:
        """A ``by`` block spans from ``by`` to the end of its last arm."""
        banded = model.parts[0].criteria[1].scoring
        assert isinstance(banded, m.Banded)
        assert self.where(banded.span) == ("spans.rules", 14, 5, 16, 21)
        assert [self.where(a.span)[1:3] for a in banded.arms] == [(15, 7), (16, 7)]

    def test_award_spans(self, model: m.RubricModel) -> None:
        """The awards span their keyword; places and tie keys their whole item."""
        awards = model.awards
        assert awards is not None
        assert self.where(awards.span) == ("spans.rules", 17, 1, 17, 7)
        assert self.where(awards.places[0].span) == ("spans.rules", 18, 3, 18, 33)
        assert self.where(awards.tie_breaks[0].span) == ("spans.rules", 19, 8, 19, 21)

    def test_loaded_file_name_is_the_path(self, tmp_path: Path) -> None:
        """``load`` names spans after the path it was given."""
        path = tmp_path / "2021.rules"
        path.write_text(self.TEXT, encoding="utf-8")
        assert htx_rules.load(path).model.fields[0].span.file == str(path)

    def test_spans_are_left_out_of_equality(self) -> None:
        """Two nodes differing only in span are equal; differing in value they are not."""
        one = m.Number(D(1), "plain", Span("a.rules", 1, 1, 1, 2))
        other = m.Number(D(1), "plain", Span("b.rules", 9, 9, 9, 10))
        assert one == other
        assert one != m.Number(D(2), "plain", Span("a.rules", 1, 1, 1, 2))

    def test_layout_does_not_change_the_model(self) -> None:
        """Indentation, spacing, comments, blank lines, spellings and file name do not matter."""
        relaid = """\
# Cùng bảng điểm, trình bày khác

rubric    r    "Bảng điểm"
    year 2021
    total   2

contestants
    930  “TP. Vị Thanh”
evidence
    x   yes/no   "Có quyết định"   # có/không
    n   count    "Số HTX"
part I "Phần I" max 2
    criterion I.1 "Tiêu chí" max 1.5
        requires I.2

        1.5 if x and n ≥ 1
    criterion I.2 "Tiêu chí" max 0.5
        by n
            ≥ 2 → 0.5
            otherwise → 0
awards
    place 1 "Nhất" 10_000_000 đồng
    ties higher part I"""
        expected = htx_rules.loads(self.TEXT, name="spans.rules").model
        relaid_model = htx_rules.loads(relaid.replace("\n", "\r\n"), name="other.rules").model
        assert relaid_model == expected
        assert relaid_model.fields[0].span.line != expected.fields[0].span.line

    def test_content_change_changes_the_model(self) -> None:
        """A different threshold gives a different model (the equality above can fail)."""
        changed = self.TEXT.replace(">= 2 -> 0.5", ">= 3 -> 0.5")
        assert htx_rules.loads(changed).model != htx_rules.loads(self.TEXT).model
