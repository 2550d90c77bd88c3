"""Each scoring form at its edges, on small purpose-built rubrics.

Every expected number is worked out by hand from the rubric line that decides
it (the comments say how where it is not obvious).  Every score is also
checked against the reference evaluator: :func:`score_both` runs the compiled
evaluator (``Rubric.score``) and :class:`htx_rules.evaluator.Program` on the
same validated evidence and demands identical results, traces included.
"""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal

import pytest

import htx_rules
from htx_rules import Adjustment, Result, TraceNode
from htx_rules.evaluator import Program
from tests.support import compile_rubric, rubric_text

D = Decimal


# ---------------------------------------------------------------- helpers


def score_both(rubric: htx_rules.Rubric, evidence: dict[str, object]) -> Result:
    """Score ``evidence`` with the compiled evaluator and check that the reference
    evaluator gives exactly the same run: points, missing fields and trace, with
    and without a trace."""
    result = rubric.score(evidence)
    values = rubric.validate(evidence)
    reference = Program(rubric.model, rubric.source)
    as_run = (
        result.total,
        result.standard,
        result.bonus,
        result.deduction,
        dict(result.parts),
        dict(result.items),
        result.missing,
        result.trace,
    )
    assert as_run == reference.run(values)
    assert rubric._program.run(values, traced=False) == reference.run(values, traced=False)
    return result


def node(result: Result, item_id: str) -> TraceNode:
    """The trace node of ``item_id`` (it must exist)."""
    assert result.trace is not None
    found = result.trace.find(item_id)
    assert found is not None, item_id
    return found


def points(result: Result, item_id: str) -> Decimal:
    """Points of ``item_id``, checked to be a Decimal (never a float or an int) and
    to be what its trace node shows."""
    value = result.points(item_id)
    assert type(value) is Decimal
    assert node(result, item_id).points == value
    return value


def line_of(rubric: htx_rules.Rubric, fragment: str) -> int:
    """The 1-based line of the rubric text holding ``fragment`` (first match)."""
    for number, line in enumerate(rubric.source.text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} is not in the rubric")


def with_rounding(
    evidence: str, criteria: str, *, part_max: str, places: int, mode: str
) -> htx_rules.Rubric:
    """A support rubric whose header rounds to ``places`` decimals with ``mode``."""
    text = rubric_text(evidence, criteria, part_max=part_max)
    text = text.replace("rounding 2 decimals half-up", f"rounding {places} decimals {mode}")
    assert f"rounding {places} decimals {mode}" in text
    return htx_rules.loads(text, name="test.rules")


# ---------------------------------------------------------------- yes/no


YES_NO = compile_rubric(
    """
    x yes/no "Có quyết định thành lập"
    y yes/no "Có quy chế hoạt động"
    n count "Số hội nghị"
    """,
    """
    criterion I.1 "Quyết định" max 2
      2 if x
    criterion I.2 "Quy chế" max 1.5
      1.5 if y otherwise 0.5
    criterion I.3 "Quyết định và hội nghị" max 3
      3 if x and n >= 2
    """,
    part_max="6.5",
)


class TestYesNo:
    """``P if condition [otherwise Q]``."""

    def test_true_earns_the_points(self) -> None:
        """A true condition earns the points written before ``if``; the trace says why."""
        result = score_both(YES_NO, {"x": True, "y": True, "n": 0})
        assert points(result, "I.1") == D(2)
        trace = node(result, "I.1")
        assert trace.status == "scored"
        assert trace.decision is not None
        assert trace.decision.kind == "condition"
        assert trace.decision.subject is True
        assert trace.decision.text == "x"
        assert trace.reads == (("x", True),)
        assert trace.span.line == line_of(YES_NO, "2 if x")
        assert trace.source == "2 if x"
        assert trace.adjustments == ()

    def test_false_without_otherwise_earns_zero(self) -> None:
        """A false condition with no ``otherwise`` earns 0, and is still 'scored'."""
        result = score_both(YES_NO, {"x": False, "y": True, "n": 0})
        assert points(result, "I.1") == D(0)
        trace = node(result, "I.1")
        assert trace.status == "scored"
        assert trace.decision is not None
        assert trace.decision.subject is False

    @pytest.mark.parametrize(("given", "expected"), [(True, "1.5"), (False, "0.5")])
    def test_otherwise_gives_the_other_points(self, given: bool, expected: str) -> None:
        """``1.5 if y otherwise 0.5``: 1.5 when true, 0.5 when false."""
        result = score_both(YES_NO, {"x": True, "y": given, "n": 0})
        assert points(result, "I.2") == D(expected)
        assert node(result, "I.2").source == "1.5 if y otherwise 0.5"

    @pytest.mark.parametrize(("n", "expected"), [(2, "3"), (1, "0"), (7, "3")])
    def test_compound_condition_at_its_edge(self, n: int, expected: str) -> None:
        """``3 if x and n >= 2``: n = 2 is enough, n = 1 is not."""
        result = score_both(YES_NO, {"x": True, "y": True, "n": n})
        assert points(result, "I.3") == D(expected)
        assert node(result, "I.3").reads == (("x", True), ("n", n))

    def test_condition_stops_at_the_first_deciding_operand(self) -> None:
        """With x false, ``x and n >= 2`` is decided without n: a missing n is not needed."""
        result = score_both(YES_NO, {"x": False, "y": True})
        assert points(result, "I.3") == D(0)
        assert node(result, "I.3").status == "scored"
        assert "n" not in result.missing


# ---------------------------------------------------------------- choice


CHOICE = compile_rubric(
    """
    bc one of "Báo cáo tổng kết năm"
      dung_han "Gửi đúng hạn"
      tre_han "Gửi trễ hạn"
      khong_gui "Không gửi"
    """,
    """
    criterion I.1 "Báo cáo" max 2
      by bc
        dung_han -> 2
        tre_han -> 1
        khong_gui -> 0
    criterion I.2 "Báo cáo, còn lại" max 2
      by bc
        dung_han -> 2
        otherwise -> 0.5
    criterion I.3 "Báo cáo, gộp" max 2
      by bc
        dung_han, tre_han -> 1.5
        khong_gui -> 0
    """,
    part_max="6",
)


class TestChoice:
    """``by`` a one-of field."""

    @pytest.mark.parametrize(
        ("value", "expected", "arm", "text"),
        [
            ("dung_han", "2", 1, "dung_han -> 2"),
            ("tre_han", "1", 2, "tre_han -> 1"),
            ("khong_gui", "0", 3, "khong_gui -> 0"),
        ],
    )
    def test_each_value_takes_its_arm(self, value: str, expected: str, arm: int, text: str) -> None:
        """Each listed value earns the points of its own arm."""
        result = score_both(CHOICE, {"bc": value})
        assert points(result, "I.1") == D(expected)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert (decision.kind, decision.arm, decision.subject, decision.text) == (
            "choice",
            arm,
            value,
            text,
        )
        assert decision.span is not None
        assert decision.span.line == line_of(CHOICE, text)

    def test_unlisted_value_takes_otherwise(self) -> None:
        """A value with no arm of its own falls to ``otherwise`` (arm 2 here)."""
        result = score_both(CHOICE, {"bc": "tre_han"})
        assert points(result, "I.2") == D("0.5")
        decision = node(result, "I.2").decision
        assert decision is not None
        assert (decision.kind, decision.arm, decision.subject) == ("otherwise", 2, "tre_han")

    def test_listed_value_does_not_take_otherwise(self) -> None:
        """A value listed before ``otherwise`` takes its own arm."""
        result = score_both(CHOICE, {"bc": "dung_han"})
        assert points(result, "I.2") == D(2)
        decision = node(result, "I.2").decision
        assert decision is not None
        assert (decision.kind, decision.arm) == ("choice", 1)

    @pytest.mark.parametrize(("value", "expected"), [("dung_han", "1.5"), ("tre_han", "1.5")])
    def test_arm_with_several_values(self, value: str, expected: str) -> None:
        """``dung_han, tre_han -> 1.5`` holds for both values."""
        result = score_both(CHOICE, {"bc": value})
        assert points(result, "I.3") == D(expected)
        decision = node(result, "I.3").decision
        assert decision is not None
        assert decision.arm == 1


# ---------------------------------------------------------------- thresholds


THRESHOLDS = compile_rubric(
    """
    p percent "Tỷ lệ HTX được đánh giá"
    k count "Số cuộc kiểm tra"
    a count "Số HTX khá, tốt"
    b count "Số HTX được xếp loại"
    """,
    """
    criterion I.1 "Đánh giá" max 2
      by p
        >= 90% -> 2
        >= 70% -> 1
    criterion I.2 "Kiểm tra" max 3
      by k
        > 4 -> 3
        >= 2 -> 2
        otherwise -> 0.5
    criterion I.3 "Tỷ lệ khá, tốt" max 8
      by a / b
        >= 50% -> 8
        >= 40% -> 6
        otherwise -> 0
    criterion I.4 "Báo cáo đột xuất" max 2
      by k
        = 0 -> 2
        = 1 -> 1
        otherwise -> 0
    """,
    part_max="15",
)


class TestThresholds:
    """``by`` a number with ``>=``, ``>`` and ``=`` arms."""

    def test_exactly_on_a_greater_or_equal_threshold(self) -> None:
        """90 given for a percent field is 90%, which meets ``>= 90%``."""
        result = score_both(THRESHOLDS, {"p": 90, "k": 0, "a": 0, "b": 1})
        assert points(result, "I.1") == D(2)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert (decision.kind, decision.arm, decision.text) == ("threshold", 1, ">= 90% -> 2")
        # Percentages are given as 0-100 and compared as rates.
        assert decision.subject == D("0.9")
        assert decision.detail("bound") == D("0.9")
        assert node(result, "I.1").reads == (("p", D(90)),)

    def test_just_below_a_threshold_takes_the_next_arm(self) -> None:
        """89.99% misses ``>= 90%`` and meets ``>= 70%``."""
        result = score_both(THRESHOLDS, {"p": D("89.99"), "k": 0, "a": 0, "b": 1})
        assert points(result, "I.1") == D(1)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert decision.arm == 2

    def test_exactly_on_the_lower_threshold(self) -> None:
        """70% meets ``>= 70%``."""
        result = score_both(THRESHOLDS, {"p": 70, "k": 0, "a": 0, "b": 1})
        assert points(result, "I.1") == D(1)

    @pytest.mark.parametrize("given", [D("69.99"), 0])
    def test_no_arm_reached_scores_zero(self, given: object) -> None:
        """Below every arm and no ``otherwise``: 0 points, decision ``no_match``."""
        result = score_both(THRESHOLDS, {"p": given, "k": 0, "a": 0, "b": 1})
        assert points(result, "I.1") == D(0)
        trace = node(result, "I.1")
        assert trace.status == "scored"
        assert trace.decision is not None
        assert trace.decision.kind == "no_match"
        assert trace.decision.arm is None
        assert trace.decision.subject == D(str(given)) / 100

    @pytest.mark.parametrize(("k", "expected", "arm"), [(5, "3", 1), (4, "2", 2), (2, "2", 2)])
    def test_strictly_greater_excludes_the_threshold(self, k: int, expected: str, arm: int) -> None:
        """``> 4`` is not met by 4 (which falls to ``>= 2``) but is by 5."""
        result = score_both(THRESHOLDS, {"p": 0, "k": k, "a": 0, "b": 1})
        assert points(result, "I.2") == D(expected)
        decision = node(result, "I.2").decision
        assert decision is not None
        assert decision.arm == arm

    def test_otherwise_arm_below_every_threshold(self) -> None:
        """k = 1 meets no threshold and takes ``otherwise -> 0.5`` (arm 3)."""
        result = score_both(THRESHOLDS, {"p": 0, "k": 1, "a": 0, "b": 1})
        assert points(result, "I.2") == D("0.5")
        decision = node(result, "I.2").decision
        assert decision is not None
        assert (decision.kind, decision.arm) == ("otherwise", 3)

    @pytest.mark.parametrize(
        ("a", "b", "expected"),
        [(1, 2, "8"), (2, 5, "6"), (49, 100, "6"), (39, 100, "0"), (3, 3, "8")],
    )
    def test_ratio_of_counts(self, a: int, b: int, expected: str) -> None:
        """``by a / b``: 1/2 is exactly 50% (8), 2/5 exactly 40% (6), 39/100 below both."""
        result = score_both(THRESHOLDS, {"p": 0, "k": 0, "a": a, "b": b})
        assert points(result, "I.3") == D(expected)
        decision = node(result, "I.3").decision
        assert decision is not None
        assert decision.subject == D(a) / D(b)

    def test_ratio_with_zero_denominator_is_undefined(self) -> None:
        """``a / b`` with b = 0 cannot be computed: 0 points, status ``undefined``."""
        result = score_both(THRESHOLDS, {"p": 0, "k": 0, "a": 3, "b": 0})
        assert points(result, "I.3") == D(0)
        trace = node(result, "I.3")
        assert trace.status == "undefined"
        assert trace.decision is not None
        assert trace.decision.kind == "undefined"
        assert trace.decision.subject == "division-by-zero"
        assert result.missing == ()

    @pytest.mark.parametrize(("k", "expected"), [(0, "2"), (1, "1"), (2, "0")])
    def test_equality_arms(self, k: int, expected: str) -> None:
        """``= 0 -> 2``, ``= 1 -> 1``, anything else 0."""
        result = score_both(THRESHOLDS, {"p": 0, "k": k, "a": 0, "b": 1})
        assert points(result, "I.4") == D(expected)


# ---------------------------------------------------------------- per unit


PER_UNIT = compile_rubric(
    """
    n count "Số hội nghị tuyên truyền"
    t count "Số tin, bài"
    x count "Số xã chưa đạt tiêu chí 13" to 30
    c count "Mức trần"
    """,
    """
    criterion I.1 "Hội nghị" max 3
      1 per n
    criterion I.2 "Tin, bài" max 3
      0.5 per t, at most 1.5
    criterion I.3 "Tiêu chí 13" max 4
      4 minus 0.5 per x, at most 1.5
    """,
    part_max="10",
)


class TestPerUnit:
    """``R per U [, at most C]`` and ``B minus R per U [, at most C]``."""

    def test_without_cap(self) -> None:
        """``1 per n`` with n = 2 gives 2; the trace shows units and rate."""
        result = score_both(PER_UNIT, {"n": 2, "t": 0, "x": 0})
        assert points(result, "I.1") == D(2)
        trace = node(result, "I.1")
        assert trace.decision is not None
        assert trace.decision.kind == "per_unit"
        assert trace.decision.detail("units") == 2
        assert trace.decision.detail("rate") == D(1)
        assert trace.adjustments == ()

    def test_without_cap_clamped_to_the_maximum(self) -> None:
        """``1 per n`` with n = 5 computes 5, clamped to the maximum 3 (Adjustment 'max')."""
        result = score_both(PER_UNIT, {"n": 5, "t": 0, "x": 0})
        assert points(result, "I.1") == D(3)
        trace = node(result, "I.1")
        assert trace.raw == D(5)
        assert trace.adjustments == (Adjustment("max", D(5), D(3), D(3)),)

    @pytest.mark.parametrize(("t", "expected"), [(0, "0"), (2, "1"), (3, "1.5")])
    def test_cap_not_exceeded(self, t: int, expected: str) -> None:
        """0.5 × t up to the cap (3 × 0.5 = 1.5 exactly is not over it): no adjustment."""
        result = score_both(PER_UNIT, {"n": 0, "t": t, "x": 0})
        assert points(result, "I.2") == D(expected)
        assert node(result, "I.2").adjustments == ()

    def test_cap_applies(self) -> None:
        """0.5 × 5 = 2.5 is over ``at most 1.5``: 1.5, with a 'cap' adjustment."""
        result = score_both(PER_UNIT, {"n": 0, "t": 5, "x": 0})
        assert points(result, "I.2") == D("1.5")
        trace = node(result, "I.2")
        assert trace.adjustments == (Adjustment("cap", D("2.5"), D("1.5"), D("1.5")),)
        assert trace.source == "0.5 per t, at most 1.5"
        assert trace.span.line == line_of(PER_UNIT, "0.5 per t, at most 1.5")

    @pytest.mark.parametrize(("x", "expected"), [(0, "4"), (1, "3.5"), (3, "2.5")])
    def test_minus_per_unit(self, x: int, expected: str) -> None:
        """``4 minus 0.5 per x``: 4, 3.5, and 2.5 when exactly the cap is taken."""
        result = score_both(PER_UNIT, {"n": 0, "t": 0, "x": x})
        assert points(result, "I.3") == D(expected)
        trace = node(result, "I.3")
        assert trace.adjustments == ()
        assert trace.decision is not None
        assert trace.decision.detail("base") == D(4)
        assert trace.decision.detail("taken") == D("0.5") * x

    @pytest.mark.parametrize("x", [4, 30])
    def test_minus_per_unit_takes_at_most_the_cap(self, x: int) -> None:
        """0.5 × x is over 1.5, so only 1.5 is taken (4 - 1.5 = 2.5), shown in the decision
        rather than as an adjustment since the cap bounds what is taken off, not the points."""
        result = score_both(PER_UNIT, {"n": 0, "t": 0, "x": x})
        assert points(result, "I.3") == D("2.5")
        trace = node(result, "I.3")
        assert trace.adjustments == ()
        assert trace.decision is not None
        assert trace.decision.detail("taken") == D("1.5")
        assert trace.decision.detail("uncapped") == D("0.5") * x
        assert trace.decision.detail("base") == D(4)

    def test_variable_cap_below_zero_is_clamped_to_zero(self) -> None:
        """``1 per n, at most c - 5`` with n = 1, c = 0 computes -5; the criterion is 0."""
        rubric = compile_rubric(
            'n count "N"\nc count "C"',
            'criterion I.1 "Trần thay đổi" max 5\n  1 per n, at most c - 5\n'
            'criterion I.2 "Cố định" max 5\n  5 if n >= 1',
            part_max="10",
        )
        result = score_both(rubric, {"n": 1, "c": 0})
        assert points(result, "I.1") == D(0)
        # The part is I.1 + I.2 = 0 + 5.
        assert result.parts["I"] == D(5)


# ---------------------------------------------------------------- targets


TARGETS = compile_rubric(
    """
    a count "Số HTX thành lập mới"
    g count "Chỉ tiêu được giao"
    m number "Chỉ tiêu (có thể âm)"
    """,
    """
    criterion I.1 "Tuyến tính" max 10
      target a of g: linear
    criterion I.2 "Bậc" max 5
      target a of g: minus 1 per 10% short
    criterion I.3 "Bậc bắt đầu" max 5
      target a of g: minus 1 per started 10% short
    criterion I.4 "Chỉ tiêu 0 không điểm" max 4
      target a of g: linear, zero target -> 0
    criterion I.5 "Chỉ tiêu âm" max 2
      target a of m: linear
    """,
    part_max="26",
)


class TestTargetLinear:
    """``target A of T: linear`` earns max × A / T, at most max."""

    def test_under_target(self) -> None:
        """3 of 4 earns 10 × 3 / 4 = 7.5."""
        result = score_both(TARGETS, {"a": 3, "g": 4})
        assert points(result, "I.1") == D("7.5")
        decision = node(result, "I.1").decision
        assert decision is not None
        assert decision.kind == "target"
        assert decision.detail("actual") == 3
        assert decision.detail("target") == 4
        assert decision.detail("ratio") == D("0.75")

    def test_exactly_on_target(self) -> None:
        """4 of 4 earns the full 10."""
        result = score_both(TARGETS, {"a": 4, "g": 4})
        assert points(result, "I.1") == D(10)
        assert node(result, "I.1").adjustments == ()

    def test_over_target_is_clamped_to_the_maximum(self) -> None:
        """6 of 4 computes 10 × 6 / 4 = 15, clamped to 10 (Adjustment 'max')."""
        result = score_both(TARGETS, {"a": 6, "g": 4})
        assert points(result, "I.1") == D(10)
        assert node(result, "I.1").adjustments == (Adjustment("max", D(15), D(10), D(10)),)

    def test_inexact_share_is_rounded_once(self) -> None:
        """2 of 3 computes 20 / 3 = 6.666…, rounded half-up to 2 decimals: 6.67."""
        result = score_both(TARGETS, {"a": 2, "g": 3})
        assert points(result, "I.1") == D("6.67")
        (adjustment,) = node(result, "I.1").adjustments
        assert adjustment.kind == "round"
        assert adjustment.after == D("6.67")
        assert D("6.6666666") < adjustment.before < D("6.6666667")


class TestTargetStepped:
    """``target A of T: minus P per [started] S short``."""

    @pytest.mark.parametrize(
        ("a", "g", "steps", "expected"),
        [
            (100, 100, 0, "5"),
            (120, 100, 0, "5"),  # over the target earns no more than the maximum
            (95, 100, 0, "5"),  # 5% short: no full step of 10%
            (90, 100, 1, "4"),  # exactly 10% short: one step
            (899, 1000, 1, "4"),  # 10.1% short: still one full step
            (80, 100, 2, "3"),
        ],
    )
    def test_full_steps_short(self, a: int, g: int, steps: int, expected: str) -> None:
        """One point off for every full 10% of the target not reached."""
        result = score_both(TARGETS, {"a": a, "g": g})
        assert points(result, "I.2") == D(expected)
        decision = node(result, "I.2").decision
        assert decision is not None
        assert decision.detail("steps") == steps

    def test_far_short_is_clamped_to_zero(self) -> None:
        """0 of 100 is ten steps short: 5 - 10 = -5, raised to 0 (Adjustment 'min')."""
        result = score_both(TARGETS, {"a": 0, "g": 100})
        assert points(result, "I.2") == D(0)
        assert node(result, "I.2").adjustments == (Adjustment("min", D(-5), D(0), D(0)),)

    @pytest.mark.parametrize(
        ("a", "g", "expected"),
        [
            (100, 100, "5"),
            (95, 100, "4"),  # 5% short: one started step
            (90, 100, "4"),  # exactly one step
            (899, 1000, "3"),  # 10.1% short: a second step is started
        ],
    )
    def test_started_steps_round_up(self, a: int, g: int, expected: str) -> None:
        """With ``started``, any part of a step short costs the whole step."""
        result = score_both(TARGETS, {"a": a, "g": g})
        assert points(result, "I.3") == D(expected)

    def test_negative_step_points_are_clamped_to_the_maximum(self) -> None:
        """``minus -1 per 10% short`` at 50% computes 5 + 5 = 10; the criterion is 5."""
        rubric = compile_rubric(
            'a count "A"\ng count "G"\nx yes/no "X"',
            'criterion I.1 "Bậc âm" max 5\n  target a of g: minus -1 per 10% short\n'
            'criterion I.2 "Khác" max 5\n  5 if x',
            part_max="10",
        )
        result = score_both(rubric, {"a": 5, "g": 10, "x": False})
        assert points(result, "I.1") == D(5)
        assert result.parts["I"] == D(5)


class TestZeroTarget:
    """A target of zero."""

    @pytest.mark.parametrize("a", [0, 3])
    def test_zero_target_counts_as_achieved_by_default(self, a: int) -> None:
        """With no ``zero target`` clause a target of 0 earns the maximum."""
        result = score_both(TARGETS, {"a": a, "g": 0})
        assert points(result, "I.1") == D(10)
        assert points(result, "I.2") == D(5)
        assert points(result, "I.3") == D(5)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert decision.detail("ratio") == D(1)

    def test_zero_target_clause(self) -> None:
        """``, zero target -> 0`` gives 0 for a target of 0."""
        result = score_both(TARGETS, {"a": 0, "g": 0})
        assert points(result, "I.4") == D(0)
        assert node(result, "I.4").status == "scored"

    def test_zero_target_clause_leaves_other_targets_alone(self) -> None:
        """With a target of 4, 2 achieved earns 4 × 2 / 4 = 2 as usual."""
        result = score_both(TARGETS, {"a": 2, "g": 4})
        assert points(result, "I.4") == D(2)

    def test_negative_target_is_undefined(self) -> None:
        """A negative target cannot be scored: 0 points, status ``undefined``."""
        result = score_both(TARGETS, {"a": 2, "g": 4, "m": -5})
        assert points(result, "I.5") == D(0)
        trace = node(result, "I.5")
        assert trace.status == "undefined"
        assert trace.decision is not None
        assert trace.decision.subject == "negative-target"


# ---------------------------------------------------------------- cases


CASES = compile_rubric(
    """
    h count "Số HTX ngừng hoạt động"
    d count "Số HTX đã xử lý"
    x yes/no "Có đề án"
    """,
    """
    criterion I.1 "Giải thể HTX" max 4
      cases
        h = 0 -> 4
        d >= h -> 3
        d / h >= 50% -> 2
        otherwise -> 0
    criterion I.2 "Không có otherwise" max 2
      cases
        x -> 2
        h > 5 -> 1
    """,
    part_max="6",
)


class TestCases:
    """``cases``: the first arm that holds decides."""

    def test_first_holding_arm_wins(self) -> None:
        """h = 0, d = 0: arms 1 and 2 both hold; arm 1 (4 points) decides."""
        result = score_both(CASES, {"h": 0, "d": 0, "x": True})
        assert points(result, "I.1") == D(4)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert (decision.kind, decision.arm, decision.subject, decision.text) == (
            "case",
            1,
            True,
            "h = 0",
        )
        assert decision.span is not None
        assert decision.span.line == line_of(CASES, "h = 0 -> 4")

    @pytest.mark.parametrize(
        ("h", "d", "expected", "arm"), [(4, 4, "3", 2), (4, 2, "2", 3), (4, 1, "0", 4)]
    )
    def test_later_arms(self, h: int, d: int, expected: str, arm: int) -> None:
        """4 of 4 handled: arm 2; 2 of 4 is exactly 50%: arm 3; 1 of 4: otherwise."""
        result = score_both(CASES, {"h": h, "d": d, "x": True})
        assert points(result, "I.1") == D(expected)
        decision = node(result, "I.1").decision
        assert decision is not None
        assert decision.arm == arm
        assert decision.kind == ("otherwise" if arm == 4 else "case")

    def test_unreached_arm_does_not_make_the_rule_missing(self) -> None:
        """h = 0 decides at arm 1, so d (read only by later arms) is never needed."""
        result = score_both(CASES, {"h": 0, "x": True})
        assert points(result, "I.1") == D(4)
        assert node(result, "I.1").status == "scored"
        assert result.missing == ()

    def test_reached_arm_with_missing_field_is_missing(self) -> None:
        """h = 3 reaches arm 2, which needs d: the rule is missing, d is listed."""
        result = score_both(CASES, {"h": 3, "x": True})
        assert points(result, "I.1") == D(0)
        trace = node(result, "I.1")
        assert trace.status == "missing"
        assert trace.decision is not None
        assert (trace.decision.kind, trace.decision.subject) == ("missing", "d")
        assert result.missing == ("d",)

    def test_no_arm_holds(self) -> None:
        """No arm holds and there is no ``otherwise``: 0, decision ``no_match``."""
        result = score_both(CASES, {"h": 2, "d": 0, "x": False})
        assert points(result, "I.2") == D(0)
        decision = node(result, "I.2").decision
        assert decision is not None
        assert (decision.kind, decision.arm) == ("no_match", None)

    def test_second_arm_of_a_case_without_otherwise(self) -> None:
        """x false, h = 6 > 5: arm 2 gives 1."""
        result = score_both(CASES, {"h": 6, "d": 0, "x": False})
        assert points(result, "I.2") == D(1)


# ---------------------------------------------------------------- requires and points of


REQUIRES = compile_rubric(
    """
    q yes/no "Có quyết định"
    c yes/no "Có quy chế"
    s yes/no "Có sơ kết"
    """,
    """
    criterion I.1 "Cần I.3 (khai báo sau)" max 1
      requires I.3
      1 if s
    criterion I.2 "Quy chế" max 1.5
      requires I.3
      1.5 if c
    criterion I.3 "Quyết định" max 1.5
      1.5 if q
    """,
    part_max="4",
)


class TestRequires:
    """``requires``: an item scores only when the item it requires scored."""

    def test_requirement_met(self) -> None:
        """I.3 scored 1.5, so I.2 scores its 1.5."""
        result = score_both(REQUIRES, {"q": True, "c": True, "s": True})
        assert points(result, "I.2") == D("1.5")
        assert node(result, "I.2").status == "scored"

    def test_requirement_scored_zero(self) -> None:
        """I.3 scored 0: I.2 scores 0, status ``requires_unmet``, whatever c says."""
        result = score_both(REQUIRES, {"q": False, "c": True, "s": True})
        assert points(result, "I.2") == D(0)
        trace = node(result, "I.2")
        assert trace.status == "requires_unmet"
        assert trace.decision is not None
        assert trace.decision.kind == "requires_unmet"
        assert trace.decision.details == (("I.3", D(0)),)

    def test_required_item_declared_later(self) -> None:
        """I.1 requires I.3, written after it: it still waits for I.3's points."""
        result = score_both(REQUIRES, {"q": False, "c": True, "s": True})
        assert points(result, "I.1") == D(0)
        assert node(result, "I.1").status == "requires_unmet"
        met = score_both(REQUIRES, {"q": True, "c": True, "s": True})
        assert points(met, "I.1") == D(1)

    def test_required_item_missing(self) -> None:
        """I.3's evidence is missing, so it scores 0 and I.2 is requires_unmet;
        I.2's own field is then not read and not listed as missing."""
        result = score_both(REQUIRES, {"s": True})
        assert node(result, "I.3").status == "missing"
        assert node(result, "I.2").status == "requires_unmet"
        assert result.missing == ("q",)

    def test_requires_on_a_parent_criterion(self) -> None:
        """A parent that requires I.1 scores 0 when I.1 scored 0."""
        rubric = compile_rubric(
            'x yes/no "X"\ny yes/no "Y"',
            """
            criterion I.1 "Điều kiện" max 1
              1 if x
            criterion I.2 "Cha" max 2
              requires I.1
              criterion I.2.a "Con" max 2
                2 if y
            """,
            part_max="3",
        )
        result = score_both(rubric, {"x": False, "y": True})
        assert points(result, "I.2") == D(0)
        assert node(result, "I.2").status == "requires_unmet"
        assert result.parts["I"] == D(0)


POINTS_OF = compile_rubric(
    """
    n count "Số cán bộ trẻ"
    """,
    """
    criterion I.1 "Nửa điểm của I.2" max 2
      points of I.2 / 2
    criterion I.2 "Cán bộ trẻ" max 3
      1 per n
    criterion I.3 "Tổng I.1 và I.2" max 5
      points of I.1 + points of I.2
    """,
    part_max="10",
)


class TestPointsOf:
    """``points of X`` reads the final points of another item."""

    def test_reads_points_of_items_declared_later(self) -> None:
        """n = 3: I.2 = 3, I.1 = 3 / 2 = 1.5, I.3 = 1.5 + 3 = 4.5."""
        result = score_both(POINTS_OF, {"n": 3})
        assert points(result, "I.2") == D(3)
        assert points(result, "I.1") == D("1.5")
        assert points(result, "I.3") == D("4.5")

    def test_reads_the_clamped_points(self) -> None:
        """n = 5: I.2 computes 5 but scores its maximum 3, and I.1 reads 3 (not 5)."""
        result = score_both(POINTS_OF, {"n": 5})
        assert points(result, "I.2") == D(3)
        assert points(result, "I.1") == D("1.5")

    def test_points_of_a_missing_item_are_zero(self) -> None:
        """I.2 is missing and scores 0; I.1 reads no evidence and scores 0 / 2 = 0."""
        result = score_both(POINTS_OF, {})
        assert node(result, "I.2").status == "missing"
        assert points(result, "I.1") == D(0)
        assert node(result, "I.1").status == "scored"
        assert node(result, "I.1").reads == ()

    def test_points_of_itself_is_refused(self) -> None:
        """``points of I.1`` inside I.1 is a cycle: a rubric compile error naming I.1."""
        text = rubric_text(
            'n count "N"', 'criterion I.1 "Vòng" max 5\n  points of I.1 + n', part_max="5"
        )
        with pytest.raises(htx_rules.RubricCompileError) as caught:
            htx_rules.loads(text)
        assert "I.1" in caught.value.render("en")


# ---------------------------------------------------------------- arithmetic


ARITHMETIC = compile_rubric(
    """
    a count "A"
    b count "B"
    """,
    """
    criterion I.1 "min" max 5
      min(5, a)
    criterion I.2 "max" max 5
      max(0, a - b)
    criterion I.3 "round" max 5
      round(a / 3, 1)
    criterion I.4 "floor" max 5
      floor(a / 3)
    criterion I.5 "ceil" max 5
      ceil(a / 3)
    criterion I.6 "mixed" max 10
      min(10, max(1, floor(a / 2) + ceil(b / 3) * 0.5))
    criterion I.7 "difference" max 5
      a - b
    """,
    part_max="40",
)


class TestArithmetic:
    """Formulas with + - * / and min, max, round, floor, ceil."""

    def test_functions_with_a_seven_and_a_two(self) -> None:
        """a = 7, b = 2: min(5, 7) = 5; max(0, 5) = 5; round(2.33…, 1) = 2.3; floor 2;
        ceil 3; floor(3.5) + ceil(0.66…) × 0.5 = 3 + 0.5 = 3.5."""
        result = score_both(ARITHMETIC, {"a": 7, "b": 2})
        expected = {"I.1": "5", "I.2": "5", "I.3": "2.3", "I.4": "2", "I.5": "3", "I.6": "3.5"}
        for item_id, value in expected.items():
            assert points(result, item_id) == D(value), item_id
        assert node(result, "I.6").decision is not None
        assert node(result, "I.6").decision.kind == "formula"  # type: ignore[union-attr]

    def test_functions_with_a_two_and_a_seven(self) -> None:
        """a = 2, b = 7: min 2; max(0, -5) = 0; round(0.66…, 1) = 0.7; floor 0; ceil 1;
        floor(1) + ceil(2.33…) × 0.5 = 1 + 1.5 = 2.5."""
        result = score_both(ARITHMETIC, {"a": 2, "b": 7})
        expected = {"I.1": "2", "I.2": "0", "I.3": "0.7", "I.4": "0", "I.5": "1", "I.6": "2.5"}
        for item_id, value in expected.items():
            assert points(result, item_id) == D(value), item_id

    def test_max_gives_a_floor(self) -> None:
        """a = b = 0: the sum is 0, so ``max(1, …)`` gives 1."""
        result = score_both(ARITHMETIC, {"a": 0, "b": 0})
        assert points(result, "I.6") == D(1)

    def test_product_of_large_counts_is_exact(self) -> None:
        """``a * a * a * a`` with a = 10**17 + 1 (a valid count) is clamped to 5; its raw
        value is the exact 69-digit integer (10**17 + 1) ** 4."""
        rubric = compile_rubric(
            'a count "A"', 'criterion I.1 "Tích" max 5\n  a * a * a * a', part_max="5"
        )
        result = score_both(rubric, {"a": 10**17 + 1})
        assert points(result, "I.1") == D(5)
        assert node(result, "I.1").raw == D((10**17 + 1) ** 4)

    def test_negative_formula_is_raised_to_zero(self) -> None:
        """``a - b`` with 1 - 4 = -3 is raised to 0 (Adjustment 'min')."""
        result = score_both(ARITHMETIC, {"a": 1, "b": 4})
        assert points(result, "I.7") == D(0)
        trace = node(result, "I.7")
        assert trace.raw == D(-3)
        assert trace.adjustments == (Adjustment("min", D(-3), D(0), D(0)),)


# ---------------------------------------------------------------- rounding


ROUNDING_CRITERIA = """
criterion I.1 "Một phần tám" max 5
  0.125 * n
criterion I.2 "Một phần tám nữa" max 5
  0.125 * n
criterion I.3 "Hàm round" max 5
  round(n / 4, 1)
"""


class TestRounding:
    """The rubric's rounding rule applies to each rule's raw value, once."""

    @pytest.mark.parametrize(
        ("mode", "n", "expected"),
        [
            ("half-up", 1, "0.13"),  # 0.125
            ("half-even", 1, "0.12"),  # 0.125: 2 is even
            ("half-even", 3, "0.38"),  # 0.375: 7 is odd
            ("down", 1, "0.12"),
            ("down", 7, "0.87"),  # 0.875
            ("up", 1, "0.13"),
            ("up", 9, "1.13"),  # 1.125
        ],
    )
    def test_rounding_modes_on_a_half(self, mode: str, n: int, expected: str) -> None:
        """0.125 × n rounded to 2 decimals with the rubric's mode."""
        rubric = with_rounding('n count "N"', ROUNDING_CRITERIA, part_max="15", places=2, mode=mode)
        result = score_both(rubric, {"n": n})
        assert points(result, "I.1") == D(expected)
        raw = D("0.125") * n
        assert node(result, "I.1").adjustments == (Adjustment("round", raw, D(expected)),)

    @pytest.mark.parametrize(
        ("mode", "a", "expected"),
        [
            ("half-up", 1, "0.13"),  # 1 × 1 / 8 = 0.125
            ("half-even", 1, "0.12"),
            ("half-even", 3, "0.38"),  # 3 / 8 = 0.375
            ("down", 7, "0.87"),  # 7 / 8 = 0.875
            ("up", 1, "0.13"),
            ("up", 8, "1"),  # exactly on target: nothing to round
        ],
    )
    def test_rounding_modes_on_a_linear_target_of_counts(
        self, mode: str, a: int, expected: str
    ) -> None:
        """``target a of g: linear`` with maximum 1 and g = 8 gives a / 8, rounded once."""
        rubric = with_rounding(
            'a count "A"\ng count "G"',
            'criterion I.1 "Chỉ tiêu" max 1\n  target a of g: linear',
            part_max="1",
            places=2,
            mode=mode,
        )
        result = score_both(rubric, {"a": a, "g": 8})
        assert points(result, "I.1") == D(expected)
        assert node(result, "I.1").raw == D(a) / 8

    def test_each_rule_is_rounded_not_the_sum(self) -> None:
        """Two rules of 0.125 each round to 0.13 (half-up): the part is 0.26, not 0.25."""
        rubric = with_rounding(
            'n count "N"', ROUNDING_CRITERIA, part_max="15", places=2, mode="half-up"
        )
        result = score_both(rubric, {"n": 1})
        # I.3 = round(1 / 4, 1) = round(0.25, 1) = 0.3 half-up.
        assert points(result, "I.3") == D("0.3")
        assert result.parts["I"] == D("0.13") + D("0.13") + D("0.3")
        assert node(result, "I").adjustments == ()

    @pytest.mark.parametrize(("mode", "expected"), [("half-up", "0.3"), ("half-even", "0.2")])
    def test_round_function_uses_the_rubric_mode(self, mode: str, expected: str) -> None:
        """``round(1 / 4, 1)`` = round(0.25, 1): 0.3 half-up, 0.2 half-even."""
        rubric = with_rounding('n count "N"', ROUNDING_CRITERIA, part_max="15", places=2, mode=mode)
        result = score_both(rubric, {"n": 1})
        assert points(result, "I.3") == D(expected)

    @pytest.mark.parametrize(("n", "expected"), [(5, "2"), (7, "4"), (3, "2")])
    def test_zero_decimals_half_even(self, n: int, expected: str) -> None:
        """0.5 × n to whole points, half-even: 2.5 → 2, 3.5 → 4, 1.5 → 2."""
        rubric = with_rounding(
            'n count "N"',
            'criterion I.1 "Nửa" max 5\n  0.5 * n',
            part_max="5",
            places=0,
            mode="half-even",
        )
        result = score_both(rubric, {"n": n})
        assert points(result, "I.1") == D(expected)

    def test_two_thirds_of_ten(self) -> None:
        """10 × 2 / 3 = 6.666…, rounded half-up to 6.67; the raw value is exact to the
        60 significant digits scoring computes with (documented in htx_rules.decimals)."""
        rubric = compile_rubric(
            'a count "A"\nb count "B"',
            'criterion I.1 "Hai phần ba" max 10\n  10 * a / b',
            part_max="10",
        )
        result = score_both(rubric, {"a": 2, "b": 3})
        assert points(result, "I.1") == D("6.67")
        expected_raw = decimal.Context(prec=60).divide(D(20), D(3))
        assert node(result, "I.1").raw == expected_raw
        assert node(result, "I.1").adjustments == (Adjustment("round", expected_raw, D("6.67")),)

    def test_value_on_the_grid_is_not_adjusted(self) -> None:
        """1.5 needs no rounding to 2 decimals: no adjustment is recorded."""
        result = score_both(YES_NO, {"x": True, "y": True, "n": 2})
        assert node(result, "I.2").adjustments == ()

    def test_maximum_with_more_decimals_than_the_rounding_is_refused(self) -> None:
        """A maximum of 1.125 under 2-decimal rounding can never be reached: a compile error
        for the criterion and for its part (3.125), each naming the maximum."""
        text = rubric_text(
            'x yes/no "X"',
            'criterion I.1 "Lẻ" max 1.125\n  1.125 if x\ncriterion I.2 "Chẵn" max 2\n  2 if x',
            part_max="3.125",
        )
        with pytest.raises(htx_rules.RubricCompileError) as caught:
            htx_rules.loads(text)
        assert caught.value.codes == ("max-off-grid", "max-off-grid")
        assert "1.125" in caught.value.render("en")
        assert "3,125" in caught.value.render("vi")

    def test_rounding_comes_before_the_clamp(self) -> None:
        """0.125 × 9 = 1.125 is rounded to 1.13, then clamped to the maximum 1."""
        rubric = compile_rubric(
            'n count "N"', 'criterion I.1 "Lẻ" max 1\n  0.125 * n', part_max="1"
        )
        result = score_both(rubric, {"n": 9})
        assert points(result, "I.1") == D(1)
        assert node(result, "I.1").adjustments == (
            Adjustment("round", D("1.125"), D("1.13")),
            Adjustment("max", D("1.13"), D(1), D(1)),
        )


# ---------------------------------------------------------------- sums, sections, total


SECTIONS = compile_rubric(
    """
    x yes/no "Có kế hoạch"
    y yes/no "Có quy chế"
    n count "Số HTX vượt chỉ tiêu"
    e count "Số chỉ tiêu sai lệch"
    nop date "Ngày nộp báo cáo"
    """,
    """
    criterion I.1 "Cha" max 3
      criterion I.1.a "Con a" max 1.5
        1.5 if x
      criterion I.1.b "Con b" max 1.5
        1.5 if y
    criterion I.2 "Đơn" max 2
      0.5 per n
    """,
    part_max="5",
    tail="""
    bonus "Điểm cộng" max 2
      rule B1 "Mỗi HTX vượt chỉ tiêu" max 2
        0.5 per n
      rule B2 "Có kế hoạch" max 1
        1 if x
    deduction "Điểm trừ" max 3
      rule D1 "Nộp trễ" max 2
        2 if nop > deadline
      rule D2 "Sai lệch số liệu" max 2
        1 per e
    """,
)


class TestEqualConstantsOfOtherExponents:
    """A bound of 1.00 (1%) and the rounding quantum 1 are equal Decimals with
    different exponents: the generated code must keep them apart, or 0.5 is
    rounded to 0.50 and read as 0 points (found by the property tests)."""

    def test_half_point_rounds_up_beside_a_one_percent_bound(self) -> None:
        rubric = with_rounding(
            'p percent "Tỷ lệ" from 1% to 60%\nx yes/no "Có"',
            'criterion I.1 "Một nửa điểm" max 1\n  0.5 if x',
            part_max="1",
            places=0,
            mode="half-up",
        )
        result = score_both(rubric, {"p": D("1.00"), "x": True})
        assert points(result, "I.1") == D(1)  # 0.5 rounded half up to a whole point
        assert result.total == D(1)


class TestSumsAndSections:
    """Parents, parts, the bonus and deduction sections and the total."""

    def test_parent_sums_its_children(self) -> None:
        """I.1 = I.1.a + I.1.b = 1.5 + 0."""
        result = score_both(SECTIONS, {"x": True, "y": False, "n": 0, "e": 0})
        assert points(result, "I.1") == D("1.5")
        trace = node(result, "I.1")
        assert trace.decision is not None
        assert trace.decision.kind == "sum"
        assert [c.id for c in trace.children] == ["I.1.a", "I.1.b"]
        assert [c.points for c in trace.children] == [D("1.5"), D(0)]

    def test_part_sums_its_criteria(self) -> None:
        """I = I.1 + I.2 = (1.5 + 1.5) + 0.5 × 2 = 4."""
        result = score_both(SECTIONS, {"x": True, "y": True, "n": 2, "e": 0})
        assert result.parts == {"I": D(4)}
        assert result.standard == D(4)
        part = node(result, "I")
        assert part.kind == "part"
        assert part.points == D(4)
        assert part.maximum == D(5)
        assert [c.id for c in part.children] == ["I.1", "I.2"]

    def test_bonus_is_capped(self) -> None:
        """B1 = 0.5 × 4 = 2, B2 = 1: 3 is over the section's cap 2 (Adjustment 'cap')."""
        result = score_both(SECTIONS, {"x": True, "y": True, "n": 4, "e": 0})
        assert points(result, "B1") == D(2)
        assert points(result, "B2") == D(1)
        assert result.bonus == D(2)
        section = node(result, "bonus")
        assert section.kind == "bonus"
        assert section.raw == D(3)
        assert section.adjustments == (Adjustment("cap", D(3), D(2), D(2)),)

    def test_bonus_under_its_cap(self) -> None:
        """B1 = 0.5, B2 = 1: 1.5, under the cap, no adjustment."""
        result = score_both(SECTIONS, {"x": True, "y": True, "n": 1, "e": 0})
        assert result.bonus == D("1.5")
        assert node(result, "bonus").adjustments == ()

    def test_rule_is_clamped_to_its_own_maximum(self) -> None:
        """B1 with n = 6 computes 3, more than its maximum 2."""
        result = score_both(SECTIONS, {"x": False, "y": True, "n": 6, "e": 0})
        assert points(result, "B1") == D(2)
        assert node(result, "B1").adjustments == (Adjustment("max", D(3), D(2), D(2)),)

    def test_deduction_is_capped(self) -> None:
        """D1 = 2 (late) and D2 = 1 × 2: 4 is over the cap 3."""
        result = score_both(SECTIONS, {"x": True, "y": True, "n": 0, "e": 2, "nop": "2021-12-21"})
        assert points(result, "D1") == D(2)
        assert points(result, "D2") == D(2)
        assert result.deduction == D(3)
        assert node(result, "deduction").adjustments == (Adjustment("cap", D(4), D(3), D(3)),)

    def test_total_is_standard_plus_bonus_minus_deduction(self) -> None:
        """Standard 3 + 0.5 = 3.5; bonus 0.5 + 1 = 1.5; deduction 1: total 4."""
        result = score_both(SECTIONS, {"x": True, "y": True, "n": 1, "e": 1, "nop": "2021-12-20"})
        assert (result.standard, result.bonus, result.deduction) == (D("3.5"), D("1.5"), D(1))
        assert result.total == D(4)
        assert result.trace is not None
        assert result.trace.kind == "rubric"
        assert result.trace.points == D(4)
        assert result.trace.adjustments == ()
        # The most a unit can score: the standard total 5 plus the bonus cap 2.
        assert result.trace.maximum == D(7)

    def test_total_never_below_zero(self) -> None:
        """No standard points, no bonus, deduction 3: -3 is raised to 0 (Adjustment 'min')."""
        result = score_both(SECTIONS, {"x": False, "y": False, "n": 0, "e": 2, "nop": "2021-12-31"})
        assert result.total == D(0)
        assert result.trace is not None
        assert result.trace.raw == D(-3)
        assert result.trace.adjustments == (Adjustment("min", D(-3), D(0), D(0)),)


# ---------------------------------------------------------------- missing, undefined, dates


MISSING = compile_rubric(
    """
    x yes/no "Có quyết định"
    n count "Số hội nghị"
    p percent "Tỷ lệ"
    """,
    """
    criterion I.1 "Quyết định" max 2
      2 if x
    criterion I.2 "Hội nghị" max 3
      1 per n
    criterion I.3 "Tỷ lệ" max 2
      by p
        >= 50% -> 2
    criterion I.4 "Hội nghị (trần)" max 2
      1 per n, at most 2
    """,
    part_max="9",
)


class TestMissingEvidence:
    """A rule that needs a value that was not given scores 0 and says so."""

    def test_missing_field_scores_zero(self) -> None:
        """x not given: I.1 scores 0, status missing, decision names x; others score."""
        result = score_both(MISSING, {"n": 2, "p": 60})
        assert points(result, "I.1") == D(0)
        trace = node(result, "I.1")
        assert trace.status == "missing"
        assert trace.raw is None
        assert trace.decision is not None
        assert (trace.decision.kind, trace.decision.subject) == ("missing", "x")
        assert trace.reads == (("x", None),)
        assert trace.missing == ("x",)
        assert result.missing == ("x",)
        # n = 2 and 60% >= 50%: the other rules are unaffected.
        assert points(result, "I.2") == D(2)
        assert points(result, "I.3") == D(2)
        assert result.total == D(6)

    def test_none_means_missing(self) -> None:
        """``None`` is the same as leaving the key out."""
        left_out = score_both(MISSING, {"n": 2, "p": 60})
        given_none = score_both(MISSING, {"x": None, "n": 2, "p": 60})
        assert given_none.items == left_out.items
        assert given_none.missing == left_out.missing
        assert given_none.trace == left_out.trace

    def test_field_read_by_two_rules_is_listed_once(self) -> None:
        """n is read by I.2 and I.4: both are missing, n is listed once."""
        result = score_both(MISSING, {"x": True, "p": 60})
        assert node(result, "I.2").status == "missing"
        assert node(result, "I.4").status == "missing"
        assert result.missing == ("n",)

    def test_every_missing_field_in_rubric_order(self) -> None:
        """Nothing given: every rule is missing, fields listed in the order rules read them."""
        result = score_both(MISSING, {})
        assert result.missing == ("x", "n", "p")
        assert result.total == D(0)
        assert all(node(result, i).status == "missing" for i in ("I.1", "I.2", "I.3", "I.4"))

    def test_every_absent_field_of_a_missing_rule_is_listed(self) -> None:
        """A rule that stops at its first absent field still lists every field it
        reads that was not given (what to supply to score it), in source order."""
        rubric = compile_rubric(
            'a count "Đạt được"\ng count "Chỉ tiêu"\nx yes/no "X"',
            'criterion I.1 "Chỉ tiêu" max 4\n  target a of g: linear\n'
            'criterion I.2 "Có" max 1\n  1 if x',
            part_max="5",
        )
        both_absent = score_both(rubric, {"x": True})
        assert both_absent.missing == ("a", "g")
        decision = node(both_absent, "I.1").decision
        assert decision is not None
        assert decision.subject == "a"
        one_absent = score_both(rubric, {"a": 3, "x": True})
        assert one_absent.missing == ("g",)
        assert node(one_absent, "I.1").missing == ("g",)


class TestUndefined:
    """A value that cannot be computed scores 0 and is marked ``undefined``."""

    @pytest.mark.parametrize("a", [0, 3])
    def test_division_by_zero(self, a: int) -> None:
        """``a / b`` with b = 0 (0 / 0 included): 0 points, status undefined, not missing."""
        rubric = compile_rubric(
            'a count "A"\nb count "B"', 'criterion I.1 "Chia" max 4\n  a / b', part_max="4"
        )
        result = score_both(rubric, {"a": a, "b": 0})
        assert points(result, "I.1") == D(0)
        trace = node(result, "I.1")
        assert trace.status == "undefined"
        assert trace.raw is None
        assert trace.decision is not None
        assert (trace.decision.kind, trace.decision.subject) == ("undefined", "division-by-zero")
        assert trace.decision.span is not None
        assert trace.decision.span.line == line_of(rubric, "a / b")
        assert result.missing == ()

    def test_division_by_nonzero(self) -> None:
        """``a / b`` with 3 / 2 = 1.5."""
        rubric = compile_rubric(
            'a count "A"\nb count "B"', 'criterion I.1 "Chia" max 4\n  a / b', part_max="4"
        )
        assert points(score_both(rubric, {"a": 3, "b": 2}), "I.1") == D("1.5")


DEADLINES = compile_rubric(
    """
    nop date "Ngày nộp báo cáo"
    """,
    """
    criterion I.1 "Đúng hạn" max 2
      2 if nop <= deadline
    criterion I.2 "Sớm ít nhất 5 ngày" max 1
      1 if (deadline - nop) >= 5
    """,
    part_max="3",
    tail="""
    deduction "Điểm trừ" max 2
      rule D1 "Nộp trễ" max 2
        2 if nop > deadline
    """,
)


def _as_given(day: str, form: str) -> object:
    return day if form == "iso" else datetime.date.fromisoformat(day)


class TestDeadline:
    """``deadline`` (2021-12-20 in the test header) compared with dates."""

    @pytest.mark.parametrize("form", ["iso", "date"])
    @pytest.mark.parametrize(
        ("day", "on_time", "early", "late"),
        [
            ("2021-12-20", "2", "0", "0"),  # on the deadline is not late
            ("2021-12-21", "0", "0", "2"),  # one day after is late
            ("2021-12-15", "2", "1", "0"),  # five days early
            ("2021-12-16", "2", "0", "0"),  # four days early
        ],
    )
    def test_dates_against_the_deadline(
        self, form: str, day: str, on_time: str, early: str, late: str
    ) -> None:
        """The same dates given as ISO strings and as datetime.date score the same."""
        result = score_both(DEADLINES, {"nop": _as_given(day, form)})
        assert points(result, "I.1") == D(on_time)
        assert points(result, "I.2") == D(early)
        assert points(result, "D1") == D(late)
        assert result.total == max(D(0), D(on_time) + D(early) - D(late))
        assert node(result, "D1").reads == (("nop", datetime.date.fromisoformat(day)),)


class TestQuotedConditions:
    """A decision quotes its condition from the rubric with its parentheses balanced."""

    @pytest.mark.parametrize(
        "condition",
        [
            "(n >= 2 and not co) or n >= 5",
            "n >= 5 or (n >= 2 and not co)",
            "(n >= 2)",
            "max(n, 1) >= 2 and (co or n = 0)",
        ],
    )
    def test_parentheses_are_kept(self, condition: str) -> None:
        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 2\n\nevidence\n'
            '  n  count "N"\n  co yes/no "Có"\n\n'
            'part I "P" max 2\n  criterion I.1 "C" max 2\n'
            f"    2 if {condition}\n"
        )
        result = rubric.score({"n": 1, "co": True})
        decision = node(result, "I.1").decision
        assert decision is not None
        assert decision.text == condition
        assert f": {condition} [" in result.explain("vi")


class TestMoneyBounds:
    """A threshold on money shows its bound as money, like the value it is compared with."""

    @pytest.mark.parametrize(
        ("value", "vi", "en"),
        [
            (12, "12 đồng ≥ 10 đồng", "12 đồng ≥ 10 đồng"),
            (20_000_000, "20.000.000 đồng ≥ 10.000.000 đồng", "20,000,000 đồng ≥ 10,000,000 đồng"),
        ],
    )
    def test_bound_in_dong(self, value: int, vi: str, en: str) -> None:
        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 2\n\nevidence\n  dt  money "Doanh thu"\n\n'
            'part I "P" max 2\n  criterion I.1 "C" max 2\n    by dt\n'
            "      >= 10.000.000 đồng -> 2\n      >= 10 -> 1\n      otherwise -> 0\n"
        )
        result = rubric.score({"dt": value})
        assert vi in result.explain("vi")
        assert en in result.explain("en")
