"""What would have changed a result (``htx_rules.whatif``), checked against brute force.

The analysis finds the smallest helpful change of one evidence value by solving
the rules for that value; these tests find it again by trying every value on
the field's grid, one after the other, with the real engine, and demand the
same answer (value, points and total):

* on :data:`FORMS`, a rubric with one criterion per scoring form (yes/no, choice,
  per unit with a cap, ``minus … per``, thresholds on a ratio, a percentage, money
  and a number, targets linear, stepped and started, formulas with ``min``,
  ``max``, ``round``, ``floor`` and ``ceil``, ``and``/``or``/``not``, ``cases``,
  ``requires``, ``points of``, a date) whose fields are small enough to try in
  full: every count 0..40 (and 40 beyond a larger value), every percentage 0..100 on
  its grid, every amount
  0..40 đồng, every number -20..40, every date within 60 days; starting values
  drawn by hypothesis;
* on the shipped 2021 rubric and its eight example districts;
* on random rubrics (``tests/strategies.py``), within 25 grid steps of the value.

Award gaps and fragility are checked by re-running the whole contest
(:func:`htx_rules.run_contest`) with the changed value.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import model as m
from htx_rules.checker import all_items, fields_read, items_read
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, EXIT_USAGE, main
from htx_rules.evidence import parse_evidence_toml
from htx_rules.whatif import (
    Counterfactual,
    EvidenceChange,
    award_gaps,
    counterfactuals,
    field_step,
    fragility,
    neighbours,
)
from htx_rules.whatif_report import explain_what_if
from tests.conftest import EXAMPLES_2021, ROOT
from tests.strategies import evidence_for, rubric_texts
from tests.test_golden import GOLDEN_2021, WHATIF_GOLDENS, check_golden

D = Decimal
DEADLINE = datetime.date(2021, 12, 20)
COUNT_RANGE = 40  # counts are tried from 0 to 40, and 40 beyond a larger value
DAYS = 60  # dates are tried within 60 days of the value

FORMS = """\
rubric moi_cach_tinh "Mọi cách tính điểm — kiểm tra phân tích giả định"
  year 2021
  total 75
  deadline 2021-12-20
  rounding 2 decimals half-up

evidence
  co        yes/no   "Có quyết định"
  bao_cao   one of   "Báo cáo năm"
    dung_han  "Gửi đúng hạn"
    tre_han   "Gửi trễ hạn"
    khong_gui "Không gửi"
  n         count    "Số HTX thành lập mới" unit "HTX"
  t         count    "Chỉ tiêu HTX" unit "HTX"
  k         count    "Số HTX khá, tốt" unit "HTX"
  x         count    "Số HTX xếp loại" unit "HTX"
  p         percent  "Tỷ lệ HTX đại hội"
  ngay      date     "Ngày nộp báo cáo"
  tien      money    "Doanh thu" from 0 to 40
  so        number   "Điểm đánh giá" from -20 to 40

part I "Mọi cách tính" max 75
  criterion I.1 "Có hay không" max 2
    2 if co
  criterion I.2 "Lựa chọn" max 2
    by bao_cao
      dung_han -> 2
      tre_han -> 1
      khong_gui -> 0
  criterion I.3 "Mỗi HTX, tối đa" max 3
    0.5 per n, at most 3
  criterion I.4 "Trừ dần" max 4
    4 minus 0.5 per max(0, t - n), at most 1.5
  criterion I.5 "Ngưỡng trên tỷ số" max 8
    by k / x
      >= 50% -> 8
      >= 30% -> 4
      otherwise -> 0
  criterion I.6 "Ngưỡng trên phần trăm" max 3
    by p
      >= 80% -> 3
      > 50% -> 2
      otherwise -> 0
  criterion I.7 "Chỉ tiêu tỷ lệ thuận" max 10
    target n of t: linear
  criterion I.8 "Chỉ tiêu bậc" max 5
    target n of t: minus 1 per 10% short
  criterion I.9 "Chỉ tiêu bậc bắt đầu" max 3
    target k of t: minus 0.5 per started 20% short, zero target -> 1
  criterion I.10 "Công thức làm tròn" max 5
    min(5, round((n + k) / 3, 1))
  criterion I.11 "Công thức sàn" max 4
    max(0, floor(so / 3) - 2) + ceil(k / 4)
  criterion I.12 "Điều kiện và, hoặc, không" max 3
    3 if (n >= 2 and not co) or p >= 90%
  criterion I.13 "Trường hợp" max 4
    cases
      x = 0 -> 4
      k >= x -> 4
      k / x >= 50% -> 2
      otherwise -> 0
  criterion I.14 "Cần I.1" max 2
    requires I.1
    2 if n > t
  criterion I.15 "Ngày" max 2
    2 if ngay <= deadline otherwise 1
  criterion I.16 "Tiền" max 2
    by tien
      >= 30 đồng -> 2
      >= 10 đồng -> 1
      otherwise -> 0
  criterion I.17 "Số thập phân" max 2
    by so
      > 12.5 -> 2
      >= -3 -> 1
      otherwise -> 0
  criterion I.18 "Điểm của mục khác" max 5
    points of I.7 / 2
  criterion I.19 "Tỷ lệ tiền" max 6
    by (tien - 20 đồng) / 20 đồng
      >= 25% -> 6
      >= 0% -> 3
      otherwise -> 0

bonus "Điểm cộng" max 2
  rule B1 "Vượt chỉ tiêu" max 2
    0.5 per max(0, n - t)
  rule B2 "Nhiều HTX khá" max 1
    1 if k >= 3

deduction "Điểm trừ" max 3
  rule D1 "Nộp muộn" max 2
    2 if ngay > deadline
  rule D2 "HTX chưa xếp loại tốt" max 2
    0.5 per max(0, x - k)
  rule D3 "Thiếu chỉ tiêu" max 1.5
    1 per max(0, t - n), at most 1.5
"""


@pytest.fixture(scope="module")
def forms() -> htx_rules.Rubric:
    """The rubric with one criterion per scoring form."""
    return htx_rules.loads(FORMS, "forms.rules")


@pytest.fixture(scope="module")
def rubric_2021() -> htx_rules.Rubric:
    """The shipped 2021 rubric, loaded by its relative path."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return htx_rules.load("rubrics/2021.rules")


def example(rubric: htx_rules.Rubric, path: Path) -> htx_rules.Result:
    """One 2021 example scored as ``htx-rules score`` scores it."""
    parse = parse_evidence_toml if path.suffix == ".toml" else htx_rules.parse_evidence_json
    document = parse(path.read_text(encoding="utf-8"), path.name)
    return rubric.score(
        document.evidence, contestant=document.contestant, assessments=document.assessments
    )


EXAMPLES = sorted(p for p in EXAMPLES_2021.iterdir() if p.suffix in (".json", ".toml"))


# ---------------------------------------------------------------- brute force


def as_evidence(field: m.Field, number: Decimal) -> object:
    """A number on the field's axis as evidence (a date's axis is its day number)."""
    if field.type == "date":
        return datetime.date.fromordinal(int(number))
    if field.type == "count":
        return int(number)
    return number


def on_axis(value: object) -> Decimal:
    if isinstance(value, datetime.date):
        return D(value.toordinal())
    assert isinstance(value, int | Decimal)
    return D(value)


def tried_range(field: m.Field, value: object) -> tuple[Decimal, Decimal]:
    """The values brute force tries for ``field`` (inside what evidence allows)."""
    if field.type == "date":
        day = on_axis(value)
        return day - DAYS, day + DAYS
    if field.type == "count":
        # 0..40, and 40 beyond a larger value.
        high = max(D(COUNT_RANGE), on_axis(value) + COUNT_RANGE)
        high = high if field.maximum is None else min(field.maximum, high)
        return max(field.minimum or D(0), D(0)), high
    if field.type == "percent":
        low = D(0) if field.minimum is None else field.minimum * 100
        high = D(100) if field.maximum is None else field.maximum * 100
        return low, high
    edge = D(10) ** 18 - 1  # evidence stays below 10**18 in magnitude
    low = -edge if field.minimum is None else field.minimum
    high = edge if field.maximum is None else field.maximum
    return low, high


def points_of(rubric: htx_rules.Rubric, result: htx_rules.Result, changes: Mapping[str, object]):
    """The result with some values changed (None: left out), scored by the engine."""
    evidence = dict(result.evidence)
    for name, value in changes.items():
        if value is None:
            evidence.pop(name, None)
        else:
            evidence[name] = value
    return rubric.score(evidence, assessments=result.assessments, trace=False)


def helps(kind: str, before: Decimal, after: Decimal) -> bool:
    return after < before if kind == "deduction" else after > before


def brute_first(
    rubric: htx_rules.Rubric,
    result: htx_rules.Result,
    item: str,
    kind: str,
    field: m.Field,
    direction: int,
    low: Decimal,
    high: Decimal,
) -> tuple[object, htx_rules.Result] | None:
    """The first value from the current one, step by step in ``direction`` within
    ``[low, high]``, at which ``item`` does better; None when none does."""
    value = result.evidence[field.name]
    step = field_step(rubric.model, field, value)
    x = on_axis(value) + direction * step
    while low <= x <= high:
        changed = points_of(rubric, result, {field.name: as_evidence(field, x)})
        if helps(kind, result.items[item], changed.items[item]):
            return as_evidence(field, x), changed
        x += direction * step
    return None


def item_fields(rubric: htx_rules.Rubric, item_id: str) -> list[str]:
    """Every field ``item_id``'s points depend on (its rule, what it requires or
    reads the points of), found independently of the module under test."""
    items = {i.id: i for i in all_items(rubric.model)}
    names: dict[str, None] = {}
    seen: set[str] = set()

    def visit(current: str) -> None:
        if current in seen:
            return
        seen.add(current)
        item = items[current]
        if item.scoring is not None:
            names.update(dict.fromkeys(fields_read(item.scoring)))
            for other in items_read(item.scoring):
                visit(other)
        for other in (*item.requires, *(c.id for c in item.children)):
            visit(other)

    visit(item_id)
    return list(names)


def kind_of(rubric: htx_rules.Rubric, item_id: str) -> str:
    deduction = rubric.model.deduction
    if deduction is not None and item_id in {r.id for r in deduction.rules}:
        return "deduction"
    return "criterion"


def improvable(rubric: htx_rules.Rubric, result: htx_rules.Result) -> Iterator[m.Criterion]:
    """The items with a scoring form that could do better."""
    for item in all_items(rubric.model):
        if item.scoring is None or isinstance(item.scoring, m.Assessed):
            continue
        points = result.items[item.id]
        if kind_of(rubric, item.id) == "deduction":
            if points > 0:
                yield item
        elif points < item.maximum:
            yield item


def compare_with_brute_force(
    rubric: htx_rules.Rubric,
    result: htx_rules.Result,
    window: int | None = None,
    money_window: int | None = None,
) -> int:
    """Every (item, field, direction) the analysis answers, against brute force;
    returns how many were compared.  With ``window``, brute force tries only that
    many grid steps from the value, and the analysis is held to it within them."""
    found = counterfactuals(rubric, result)
    answers: dict[tuple[str, str, str], Counterfactual] = {}
    unanalysable: set[tuple[str, str]] = set()
    for c in found:
        if c.status == "change":
            assert c.change is not None
            answers[(c.item, c.change.field, c.change.direction)] = c
        elif c.status == "unanalysable":
            unanalysable.add((c.item, c.fields[0]))
    fields = {f.name: f for f in rubric.model.fields}
    compared = 0
    for item in improvable(rubric, result):
        kind = kind_of(rubric, item.id)
        for name in item_fields(rubric, item.id):
            field = fields[name]
            if name not in result.evidence or (item.id, name) in unanalysable:
                continue
            if field.type in ("yes/no", "choice"):
                compared += compare_alternatives(rubric, result, item.id, kind, field, answers)
                continue
            value = result.evidence[name]
            step = field_step(rubric.model, field, value)
            low, high = tried_range(field, value)
            # The range tried always reaches the value itself (a count above 40).
            low, high = min(low, on_axis(value)), max(high, on_axis(value))
            steps = money_window if field.type == "money" and money_window else window
            if steps is not None:
                low = max(low, on_axis(value) - steps * step)
                high = min(high, on_axis(value) + steps * step)
            for direction, word in ((1, "up"), (-1, "down")):
                brute = brute_first(rubric, result, item.id, kind, field, direction, low, high)
                answer = answers.get((item.id, name, word))
                where = (item.id, name, word, result.evidence)
                compared += 1
                if answer is None:
                    assert brute is None, where
                    continue
                assert answer.change is not None
                after = on_axis(answer.change.after)
                if not low <= after <= high:
                    assert brute is None, where  # the answer lies beyond what was tried
                    continue
                assert brute is not None, where
                value_found, scored = brute
                assert answer.change.after == value_found, where
                assert answer.points_after == scored.items[item.id], where
                assert answer.total_after == scored.total, where
    return compared


def compare_alternatives(
    rubric: htx_rules.Rubric,
    result: htx_rules.Result,
    item: str,
    kind: str,
    field: m.Field,
    answers: Mapping[tuple[str, str, str], Counterfactual],
) -> int:
    """A yes/no or choice field: the answer is the other value that helps most."""
    values: list[object] = (
        [True, False] if field.type == "yes/no" else [c.value for c in field.choices]
    )
    before = result.items[item]
    best: tuple[object, htx_rules.Result] | None = None
    for value in values:
        if value == result.evidence[field.name]:
            continue
        changed = points_of(rubric, result, {field.name: value})
        if not helps(kind, before, changed.items[item]):
            continue
        if best is None or helps(kind, best[1].items[item], changed.items[item]):
            best = (value, changed)
    answer = answers.get((item, field.name, "set"))
    if best is None:
        assert answer is None, (item, field.name)
        return 1
    assert answer is not None, (item, field.name)
    assert answer.points_after == best[1].items[item], (item, field.name)
    assert answer.change is not None
    assert answer.change.after == best[0], (item, field.name)
    return 1


@st.composite
def forms_evidence(draw: st.DrawFn) -> dict[str, object]:
    """Starting evidence for :data:`FORMS`: small values, sometimes a field left out."""
    halves = st.integers(0, 200).map(lambda n: D(n) / 2)
    values: dict[str, st.SearchStrategy[object]] = {
        "co": st.booleans(),
        "bao_cao": st.sampled_from(["dung_han", "tre_han", "khong_gui"]),
        "n": st.integers(0, 12),
        "t": st.integers(0, 12),
        "k": st.integers(0, 12),
        "x": st.integers(0, 12),
        "p": st.one_of(st.integers(0, 100).map(D), halves),
        "ngay": st.dates(
            DEADLINE - datetime.timedelta(days=8), DEADLINE + datetime.timedelta(days=8)
        ),
        "tien": st.integers(0, 40),
        "so": st.integers(-40, 80).map(lambda n: D(n) / 2),
    }
    evidence: dict[str, object] = {}
    for name, strategy in values.items():
        if draw(st.integers(0, 9)) == 0:
            continue
        evidence[name] = draw(strategy)
    return evidence


class TestStepsAndNeighbours:
    """The smallest step the rubric distinguishes, per kind of field."""

    def field(self, rubric: htx_rules.Rubric, name: str) -> m.Field:
        return next(f for f in rubric.fields if f.name == name)

    def test_count_and_date_move_by_one(self, forms: htx_rules.Rubric) -> None:
        """A count moves by one unit, a date by one day."""
        assert field_step(forms.model, self.field(forms, "n"), 3) == 1
        assert field_step(forms.model, self.field(forms, "ngay")) == 1

    def test_percent_moves_by_one_point_or_what_the_value_needs(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        """A percentage moves by one percentage point, by 0.1 when the value has a decimal."""
        field = self.field(rubric_2021, "ty_le_dai_hoi")
        assert field_step(rubric_2021.model, field, D(70)) == 1
        assert field_step(rubric_2021.model, field, D("72.5")) == D("0.1")
        assert field_step(rubric_2021.model, field, D("72.50")) == D("0.1")

    def test_percent_literals_refine_the_step(self) -> None:
        """A percentage written with a decimal in a rule reading the field refines the step."""
        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 1\n\nevidence\n  p percent "P"\n\n'
            'part I "I" max 1\n  criterion I.1 "A" max 1\n    1 if p >= 12.5%\n'
        )
        assert field_step(rubric.model, rubric.fields[0], D(10)) == D("0.1")

    def test_number_follows_the_rubric_constants(self, forms: htx_rules.Rubric) -> None:
        """A number moves by the finest decimal of the rules reading it (12.5 in FORMS)."""
        assert field_step(forms.model, self.field(forms, "so"), D(4)) == D("0.1")

    def test_money_moves_by_one_dong(self, rubric_2021: htx_rules.Rubric) -> None:
        """Money moves by one đồng."""
        field = self.field(rubric_2021, "doanh_thu_bq_2021")
        assert field_step(rubric_2021.model, field, 1_350_000_000) == 1

    def test_neighbours_stay_inside_the_bounds(self, forms: htx_rules.Rubric) -> None:
        """No step leaves the field's bounds: a count at 0 only goes up, a percentage
        at 100 only down, money at its declared top only down."""
        model = forms.model
        assert [c.after for c in neighbours(model, self.field(forms, "n"), 0)] == [1]
        assert [c.after for c in neighbours(model, self.field(forms, "p"), D(100))] == [D(99)]
        assert [c.after for c in neighbours(model, self.field(forms, "tien"), 40)] == [39]
        day = datetime.date(2021, 12, 20)
        steps = neighbours(model, self.field(forms, "ngay"), day)
        assert [(c.direction, c.after, c.delta) for c in steps] == [
            ("up", datetime.date(2021, 12, 21), 1),
            ("down", datetime.date(2021, 12, 19), -1),
        ]

    def test_neighbours_of_yes_no_and_choice(self, forms: htx_rules.Rubric) -> None:
        """A yes/no value flips; a choice takes every other value."""
        assert neighbours(forms.model, self.field(forms, "co"), True) == [
            EvidenceChange("co", "set", True, False)
        ]
        assert [
            c.after for c in neighbours(forms.model, self.field(forms, "bao_cao"), "tre_han")
        ] == [
            "dung_han",
            "khong_gui",
        ]


class TestAgainstBruteForce:
    """The analytic answer is the one trying every value finds."""

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(evidence=forms_evidence())
    def test_every_scoring_form(self, forms: htx_rules.Rubric, evidence: dict[str, object]) -> None:
        """FORMS, from hypothesis' starting values: every field tried over its whole range."""
        result = forms.score(evidence)
        compare_with_brute_force(forms, result)

    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
    def test_2021_examples(self, rubric_2021: htx_rules.Rubric, path: Path) -> None:
        """The eight districts: counts 0..40 (and 40 beyond the value), percentages
        0..100, dates within 60 days; money within 2000 đồng of the value (the answer
        is checked in full below)."""
        result = example(rubric_2021, path)
        compared = compare_with_brute_force(rubric_2021, result, money_window=2000)
        # 930 scores 105: every criterion at its maximum, nothing deducted.
        assert compared > 0 or path.stem == "930-tp-vi-thanh"

    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_generated_rubrics(self, data: st.DataObject) -> None:
        """Random rubrics and evidence: within 25 grid steps of every value."""
        rubric = htx_rules.loads(data.draw(rubric_texts()))
        result = rubric.score(data.draw(evidence_for(rubric)))
        compare_with_brute_force(rubric, result, window=25)

    def test_money_answers_are_the_nearest(self, rubric_2021: htx_rules.Rubric) -> None:
        """936's revenue (700 000 000 against 760 000 000 đồng in 2020): III.4 needs
        growth ≥ 0%, so exactly 760 000 000 đồng; one đồng less does not do, nor does any
        of 1000 amounts spread between."""
        result = example(rubric_2021, EXAMPLES_2021 / "936-h-long-my.toml")
        found = [
            c
            for c in counterfactuals(rubric_2021, result, "III.4")
            if c.status == "change" and c.field == "doanh_thu_bq_2021"
        ]
        assert [(c.change.after, c.change.delta, c.points_after) for c in found if c.change] == [
            (760_000_000, 60_000_000, D(2))
        ]
        assert (
            points_of(rubric_2021, result, {"doanh_thu_bq_2021": 759_999_999}).items["III.4"] == 0
        )
        for n in range(1000):
            amount = 700_000_000 + n * 60_000
            assert points_of(rubric_2021, result, {"doanh_thu_bq_2021": amount}).items["III.4"] == 0

    def test_supply_gives_the_best_points(self, forms: htx_rules.Rubric) -> None:
        """A field not given: the most points any value gives, and the value giving them
        nearest 0 (the lower of two as near), found by trying every value of its range."""
        evidence: dict[str, object] = {"co": True, "n": 2, "t": 3, "k": 1, "x": 4}
        result = forms.score(evidence)
        supplied = {c.item: c for c in counterfactuals(forms, result) if c.status == "supply"}
        fields = {f.name: f for f in forms.fields}
        checked = []
        for item, answer in supplied.items():
            if len(answer.fields) != 1 or fields[answer.fields[0]].type in ("yes/no", "choice"):
                continue
            field = fields[answer.fields[0]]
            step = field_step(forms.model, field)
            low, high = tried_range(field, DEADLINE if field.type == "date" else 0)
            start = min(max(D(0), low), high) if field.type != "date" else on_axis(DEADLINE)
            tried = []
            x = low
            while x <= high:
                value = as_evidence(field, x)
                points = points_of(forms, result, {field.name: value}).items[item]
                tried.append(((points, -abs(x - start), -x), value))
                x += step
            (points, _, _), value = max(tried, key=lambda pair: pair[0])
            assert answer.change is not None
            assert (answer.points_after, answer.change.after) == (points, value), item
            checked.append(item)
        # p (I.6, I.12), ngay (I.15, D1 is a deduction), tien (I.16, I.19), so (I.11, I.17)
        assert set(checked) == {"I.6", "I.11", "I.12", "I.15", "I.16", "I.17", "I.19"}
        # I.11 needs max(0, floor(so / 3) - 2) + ceil(k / 4) >= 4 with k = 1: so >= 15.
        assert supplied["I.11"].change == EvidenceChange("so", "set", None, 15)
        # Two fields missing together (I.5 reads k and x): which ones, and no figure.
        both = forms.score({"co": True, "n": 2, "t": 3})
        found = list(counterfactuals(forms, both, "I.5"))
        assert [(c.status, c.fields, c.points_after) for c in found] == [
            ("supply", ("k", "x"), None)
        ]


class TestSemantics:
    """What a counterfactual says, case by case."""

    def test_936_hand_checked(self, rubric_2021: htx_rules.Rubric) -> None:
        """936 (H. Long Mỹ), worked out from rubrics/2021.rules: I.9.b needs 60% (50% given,
        +10 points); III.2 needs 81 new members of 100 (shortfall under 20%: one step);
        D4 lowers when one more dormant cooperative is handled."""
        result = example(rubric_2021, EXAMPLES_2021 / "936-h-long-my.toml")
        found = {(c.item, c.field): c for c in counterfactuals(rubric_2021, result)}
        i9b = found[("I.9.b", "ty_le_dai_hoi")]
        assert i9b.change == EvidenceChange("ty_le_dai_hoi", "up", D(50), D(60), D(10))
        assert (i9b.points, i9b.points_after, i9b.total_after) == (D(0), D(1), D("38.02"))
        assert found[("III.2", "tv_moi")].change == EvidenceChange("tv_moi", "up", 75, 81, D(6))
        d4 = found[("D4", "htx_ngung_da_xu_ly")]
        assert (d4.kind, d4.points, d4.points_after) == ("deduction", D(1), D("0.5"))
        assert found[("I.9.c", None)].status == "reviewer"

    def test_items_at_their_best_are_left_out(self, rubric_2021: htx_rules.Rubric) -> None:
        """930 scores 105, every criterion at its maximum and nothing deducted: nothing to say."""
        result = example(rubric_2021, EXAMPLES_2021 / "930-tp-vi-thanh.json")
        assert counterfactuals(rubric_2021, result) == ()

    def test_none_when_no_single_change_helps(self, forms: htx_rules.Rubric) -> None:
        """I.14 requires I.1 (2 if co); with co false, no change of n or t helps, but co does."""
        result = forms.score({"co": False, "n": 5, "t": 3})
        found = list(counterfactuals(forms, result, "I.14"))
        assert [(c.status, c.fields) for c in found] == [("change", ("co",))]
        # I.5 divides k by x: with x = 0 it is undefined, and neither k alone
        # (still divided by 0) nor x alone (0 of any x) helps.
        stuck = forms.score({"co": True, "n": 5, "t": 3, "k": 0, "x": 0})
        assert [(c.status, c.fields) for c in counterfactuals(forms, stuck, "I.5")] == [
            ("none", ())
        ]

    def test_unanalysable_is_said_not_guessed(self) -> None:
        """A product of two uses of the same field is not of the first degree: the
        analysis says so instead of answering."""
        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 5\n\nevidence\n  n count "N"\n\n'
            'part I "I" max 5\n  criterion I.1 "A" max 5\n    by n * n\n'
            "      >= 10 -> 5\n      otherwise -> 0\n"
        )
        found = counterfactuals(rubric, rubric.score({"n": 2}))
        assert [(c.status, c.fields, c.reason) for c in found] == [
            ("unanalysable", ("n",), "nonlinear")
        ]

    def test_search_limit_is_said(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A search that crosses too many stretches says so (here: floor steps of 1 000)."""
        from htx_rules import whatif

        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 5\n\nevidence\n  so number "S"\n\n'
            'part I "I" max 5\n  criterion I.1 "A" max 5\n    floor(so / 1000)\n'
        )
        result = rubric.score({"so": -20_000})
        # Upwards, 21 steps of 1 000 to 1 000; downwards the steps never end.
        assert [
            (c.status, c.change.after if c.change else c.reason)
            for c in counterfactuals(rubric, result)
        ] == [("change", 1000), ("unanalysable", "limit")]
        monkeypatch.setattr(whatif, "SEARCH_LIMIT", 5)
        found = counterfactuals(rubric, result)
        assert [(c.status, c.reason) for c in found] == [("unanalysable", "limit")] * 2

    def test_one_item_and_unknown_ids(self, rubric_2021: htx_rules.Rubric) -> None:
        """``item_id`` keeps that item and those under it; a part keeps its criteria."""
        result = example(rubric_2021, EXAMPLES_2021 / "936-h-long-my.toml")
        assert {c.item for c in counterfactuals(rubric_2021, result, "I.9")} == {
            "I.9.a",
            "I.9.b",
            "I.9.c",
        }
        assert {c.item for c in counterfactuals(rubric_2021, result, "II")} == {
            "II.1",
            "II.2",
            "II.3",
        }
        with pytest.raises(KeyError):
            counterfactuals(rubric_2021, result, "IX.9")

    def test_totals_are_the_engines(self, rubric_2021: htx_rules.Rubric) -> None:
        """Every change's total is the total of the evidence with that one value changed."""
        result = example(rubric_2021, EXAMPLES_2021 / "933-h-chau-thanh.json")
        for found in counterfactuals(rubric_2021, result):
            if found.status != "change":
                continue
            assert found.change is not None
            changed = points_of(rubric_2021, result, {found.change.field: found.change.after})
            assert (found.points_after, found.total_after) == (
                changed.items[found.item],
                changed.total,
            )
            assert found.total == result.total

    def test_a_parent_whose_requirement_fails(self) -> None:
        """A criterion with sub-criteria that requires another one is listed when
        the requirement fails; the change is to the required item's field."""
        rubric = htx_rules.loads(
            'rubric r "R"\n  year 2021\n  total 4\n\nevidence\n  a yes/no "A"\n  b count "B"\n\n'
            'part I "I" max 4\n  criterion I.1 "A" max 1\n    1 if a\n'
            '  criterion I.2 "B" max 3\n    requires I.1\n'
            '    criterion I.2.a "B1" max 3\n      1 per b\n'
        )
        result = rubric.score({"a": False, "b": 2})
        found = [(c.item, c.status, c.fields) for c in counterfactuals(rubric, result)]
        assert ("I.2", "change", ("a",)) in found
        assert ("I.2.a", "change", ("b",)) in found


# ---------------------------------------------------------------- contests


@pytest.fixture(scope="module")
def contest_2021(rubric_2021: htx_rules.Rubric) -> htx_rules.ContestResult:
    """The 2021 contest of the eight example districts."""
    return htx_rules.run_contest(
        rubric_2021, htx_rules.read_submissions(EXAMPLES_2021, rubric_2021)
    )


def rerun(
    contest: htx_rules.ContestResult, code: str, field: str, value: object
) -> htx_rules.ContestResult:
    """The whole contest again, with one verified value of one unit changed."""
    submissions = []
    for standing in contest.standings:
        submission = standing.submission
        if standing.code == code:
            verified = {**(submission.verified or {}), field: value}
            submission = attrs.evolve(submission, verified=verified)
        submissions.append(submission)
    return htx_rules.run_contest(contest.rubric, submissions)


def outcome(contest: htx_rules.ContestResult) -> dict[str, tuple[int, Any]]:
    return {s.code: (s.rank, s.award) for s in contest.standings}


class TestAwardGaps:
    """What the unit just below each award place lacked."""

    def test_2021_gaps(self, contest_2021: htx_rules.ContestResult) -> None:
        """935 ties 934 at 88 and loses on part III; 937 is 0.75 behind 935; 933 is
        28.08 behind 937 and no single value closes that."""
        gaps = award_gaps(contest_2021)
        assert [
            (g.place.rank, g.holder, g.challenger, g.behind, g.wins_at_equal) for g in gaps
        ] == [
            (1, "934", "935", D(0), False),
            (2, "935", "937", D("0.75"), False),
            (3, "937", "933", D("28.08"), False),
        ]
        assert all(g.tie_key is not None and g.tie_key.ref == "III" for g in gaps)
        assert gaps[0].changes
        assert gaps[1].changes
        assert gaps[2].changes == ()

    def test_every_change_is_enough(self, contest_2021: htx_rules.ContestResult) -> None:
        """Each change ranks the challenger above the holder in a full re-run of the
        contest, with the total, rank and award the gap states."""
        for gap in award_gaps(contest_2021):
            for found in gap.changes:
                change = found.change
                again = rerun(contest_2021, gap.challenger, change.field, change.after)
                mine, theirs = again.standing(gap.challenger), again.standing(gap.holder)
                assert mine.eligible
                assert mine.rank < theirs.rank
                assert (mine.total, mine.rank, mine.award) == (found.total, found.rank, found.award)

    @pytest.mark.parametrize("place", [1, 2, 3])
    def test_against_brute_force(self, contest_2021: htx_rules.ContestResult, place: int) -> None:
        """Every count 0..40 (and 40 beyond its value) and every percentage 0..100 of
        the challenger, tried one by one from its value: the first that ranks it above
        the holder is the change the gap lists for that field and direction; where it
        lists none, none does."""
        gap = award_gaps(contest_2021)[place - 1]
        rubric = contest_2021.rubric
        challenger = contest_2021.standing(gap.challenger)
        holder = contest_2021.standing(gap.holder)
        listed = {(c.change.field, c.change.direction): c.change.after for c in gap.changes}
        compared = 0
        for field in rubric.fields:
            value = challenger.verified.evidence.get(field.name)
            if field.type not in ("count", "percent") or value is None:
                continue
            step = field_step(rubric.model, field, value)
            low, high = tried_range(field, value)
            for direction, word in ((1, "up"), (-1, "down")):
                first = None
                x = on_axis(value) + direction * step
                while low <= x <= high and first is None:
                    if passes_2021(rubric, challenger, holder, field.name, as_evidence(field, x)):
                        first = as_evidence(field, x)
                    x += direction * step
                answer = listed.get((field.name, word))
                if answer is not None and not low <= on_axis(answer) <= high:
                    answer = None  # beyond what brute force tried
                assert answer == first, (gap.challenger, field.name, word)
                compared += 1
        assert compared > 40


def passes_2021(
    rubric: htx_rules.Rubric,
    challenger: htx_rules.Standing,
    holder: htx_rules.Standing,
    field: str,
    value: object,
) -> bool:
    """Whether the challenger, with one verified value changed, would rank above the
    holder, by the 2021 rubric's awards section read by hand: eligible if the report
    arrived by 20/12/2021, the dossier is complete and the total is at least 50;
    ranked by total, then higher part III, higher part I, lower deduction, earlier
    report date."""
    evidence = {**challenger.verified.evidence, field: value}
    mine = rubric.score(evidence, assessments=challenger.verified.assessments, trace=False)

    def key(result: htx_rules.Result) -> tuple[Decimal, ...]:
        day = result.evidence["ngay_nop_bao_cao"]
        assert isinstance(day, datetime.date)
        return (
            result.total,
            result.parts["III"],
            result.parts["I"],
            -result.deduction,
            -D(day.toordinal()),
        )

    day = mine.evidence["ngay_nop_bao_cao"]
    assert isinstance(day, datetime.date)
    eligible = day <= DEADLINE and not challenger.dossier_missing and mine.total >= 50
    return eligible and key(mine) > key(holder.verified)


DATE_TIE = """\
rubric hoa_ngay "Bằng điểm, xét ngày nộp"
  year 2021
  total 10
  deadline 2021-12-20

contestants
  A "Đơn vị A"
  B "Đơn vị B"
  C "Đơn vị C"

evidence
  n     count  "Số HTX thành lập mới" unit "HTX"
  ngay  date   "Ngày nộp báo cáo"

part I "Phát triển HTX" max 10
  criterion I.1 "Mỗi HTX 1 điểm" max 10
    1 per n

awards
  place 1 "Hạng Nhất" 10.000.000 đồng
  place 2 "Hạng Nhì" 6.000.000 đồng
  eligible if ngay <= deadline "Nộp đúng hạn"
  ties earlier ngay
  still tied: split
"""


def date_tie_contest(**units: tuple[int, str]) -> htx_rules.ContestResult:
    rubric = htx_rules.loads(DATE_TIE, "hoa_ngay.rules")
    return htx_rules.run_contest(
        rubric,
        [htx_rules.Submission(code, {"n": n, "ngay": day}) for code, (n, day) in units.items()],
    )


class TestTieBreakOnADate:
    """A tie broken by the earlier report date (worked out by hand from DATE_TIE)."""

    def test_gap_needs_one_day_earlier(self) -> None:
        """A and B both score 5; A reported on the 10th, B on the 12th, so A is first.
        B passes A by reporting on the 9th (the 10th would only share the place) or
        with one more cooperative; C (3 points) passes B with 3 more."""
        contest = date_tie_contest(A=(5, "2021-12-10"), B=(5, "2021-12-12"), C=(3, "2021-12-01"))
        first, second = award_gaps(contest)
        assert (first.holder, first.challenger, first.behind) == ("A", "B", D(0))
        assert first.tie_key is not None
        assert (first.tie_key.ref, first.wins_at_equal) == ("ngay", False)
        changes = {(c.change.field, c.change.direction): c for c in first.changes}
        assert set(changes) == {("n", "up"), ("ngay", "down")}
        assert changes[("ngay", "down")].change.after == datetime.date(2021, 12, 9)
        assert changes[("ngay", "down")].change.delta == -3
        assert changes[("n", "up")].change.after == 6
        assert (second.holder, second.challenger, second.behind) == ("B", "C", D(2))
        assert second.tie_key is not None
        assert second.wins_at_equal  # C reported earlier than B
        assert [(c.change.field, c.change.after) for c in second.changes] == [("n", 5)]

    def test_fragility_of_the_date(self) -> None:
        """A (5, the 10th) is first, B (5, the 11th) second, C (1) third.  B one day
        earlier, or A one day later, puts both on the same day: a shared first place,
        the two prizes split (8 000 000 đồng each).  A earlier or B later changes
        nothing; one cooperative fewer for A, or more for B, swaps them; C's one more
        still leaves it third."""
        contest = date_tie_contest(A=(5, "2021-12-10"), B=(5, "2021-12-11"), C=(1, "2021-12-01"))
        flags = {(f.contestant, f.change.field, f.change.direction): f for f in fragility(contest)}
        # B one day earlier: the same day as A, a shared first place, prizes split.
        shared = flags[("B", "ngay", "down")]
        assert {e.contestant for e in shared.effects} == {"A", "B"}
        assert all(e.rank_after == 1 for e in shared.effects)
        assert all(
            e.award_after is not None and e.award_after.prize == 8_000_000 for e in shared.effects
        )
        # A one day later: the same day as B, shared again.
        assert ("A", "ngay", "up") in flags
        # A one day earlier, B one day later: nothing changes.
        assert ("A", "ngay", "down") not in flags
        assert ("B", "ngay", "up") not in flags
        assert ("A", "n", "down") in flags
        assert ("B", "n", "up") in flags
        assert ("C", "n", "up") not in flags  # 2 points: still third

    def test_a_contest_without_awards(self) -> None:
        """A rubric without an awards section ranks, and has no gaps; a step that
        reorders units is still flagged."""
        rubric = htx_rules.loads(DATE_TIE.split("awards", maxsplit=1)[0], "khong_giai.rules")
        contest = htx_rules.run_contest(
            rubric,
            [
                htx_rules.Submission("A", {"n": 5, "ngay": "2021-12-10"}),
                htx_rules.Submission("B", {"n": 4, "ngay": "2021-12-10"}),
            ],
        )
        assert award_gaps(contest) == ()
        flags = {(f.contestant, f.change.field, f.change.after) for f in fragility(contest)}
        assert flags == {("A", "n", 4), ("B", "n", 5)}


class TestFragility:
    """One smallest step of one verified value, and what it changes."""

    def test_every_flag_is_real(self, contest_2021: htx_rules.ContestResult) -> None:
        """Each flag's effects are exactly what a full re-run of the contest changes."""
        before = outcome(contest_2021)
        flags = fragility(contest_2021)
        assert flags
        for flag in flags:
            again = outcome(
                rerun(contest_2021, flag.contestant, flag.change.field, flag.change.after)
            )
            changed = {code for code in before if before[code] != again[code]}
            assert changed == {e.contestant for e in flag.effects}
            for effect in flag.effects:
                assert (effect.rank, effect.award) == before[effect.contestant]
                assert (effect.rank_after, effect.award_after) == again[effect.contestant]

    @pytest.mark.parametrize("code", ["935", "936"])
    def test_every_unflagged_step_changes_nothing(
        self, contest_2021: htx_rules.ContestResult, code: str
    ) -> None:
        """Every step of 935's and 936's values that is not flagged changes no rank or award."""
        before = outcome(contest_2021)
        flagged = {
            (f.change.field, f.change.after)
            for f in fragility(contest_2021)
            if f.contestant == code
        }
        standing = contest_2021.standing(code)
        for field in contest_2021.rubric.fields:
            if field.name not in standing.verified.evidence:
                continue
            for step in neighbours(
                contest_2021.rubric.model, field, standing.verified.evidence[field.name]
            ):
                if (field.name, step.after) in flagged:
                    continue
                assert outcome(rerun(contest_2021, code, field.name, step.after)) == before, step

    def test_a_report_date_one_day_later(self, contest_2021: htx_rules.ContestResult) -> None:
        """935's report arrived on the deadline: one day later it is not eligible and
        loses its award (Hạng Nhì), which goes to 937; 933 gets Hạng Ba."""
        flags = [f for f in fragility(contest_2021) if f.change.field == "ngay_nop_bao_cao"]
        assert [(f.contestant, f.change.after) for f in flags] == [
            ("935", datetime.date(2021, 12, 21))
        ]
        effects = {e.contestant: e for e in flags[0].effects}
        assert effects["935"].award_after is None
        assert effects["933"].award is None
        assert effects["933"].award_after is not None
        assert effects["933"].award_after.place.label == "Hạng Ba"


# ---------------------------------------------------------------- the command line


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class TestExplainCommand:
    """``htx-rules explain``: why each point, and what would add more."""

    @pytest.fixture(autouse=True)
    def in_root(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)

    @pytest.mark.parametrize("name", WHATIF_GOLDENS)
    def test_matches_golden(self, name: str, update_goldens: bool) -> None:
        """The explanation of each example equals its golden file."""
        stem, _, lang = name.removesuffix(".txt").split(".")
        path = next(p for p in EXAMPLES if p.stem == stem)
        code, out, err = run(
            "explain", "rubrics/2021.rules", f"examples/2021/{path.name}", "--lang", lang
        )
        assert (code, err) == (EXIT_OK, "")
        check_golden(GOLDEN_2021 / name, out, update_goldens)

    def test_the_issue_example(self) -> None:
        """A criterion below its maximum gets the change, the points and the total."""
        code, out, _ = run("explain", "rubrics/2021.rules", "examples/2021/936-h-long-my.toml")
        assert code == EXIT_OK
        path = Path("examples/2021/936-h-long-my.toml")
        document = htx_rules.parse_evidence_toml(path.read_text(encoding="utf-8"), str(path))
        scored = htx_rules.load("rubrics/2021.rules").score(document.evidence)
        i9b = scored.trace.find("I.9.b") if scored.trace else None
        assert i9b is not None
        assert i9b.decision is not None
        line = (i9b.decision.span or i9b.span).line
        assert (
            "    I.9.b 0 / 2: Tỷ lệ HTX tổ chức đại hội thành viên thường niên đúng hạn 50%: "
            f"không khớp dòng nào ở trên [ty_le_dai_hoi = 50%] (dòng {line})\n"
            "      → Để tăng điểm: thêm 10 điểm phần trăm ty_le_dai_hoi (50% → 60%) → 1 điểm (+1); "
            "tổng 38,02\n"
        ) in out
        assert "  được tính: D2 0,5; D4 1\n" in out

    def test_one_criterion(self) -> None:
        """``--criterion`` prints that criterion and its sub-criteria only."""
        code, out, _ = run(
            "explain",
            "rubrics/2021.rules",
            "examples/2021/936-h-long-my.toml",
            "--criterion",
            "I.9",
            "--lang",
            "en",
        )
        assert code == EXIT_OK
        ids = [
            line.split()[0] for line in out.splitlines()[1:-1] if not line.strip().startswith("→")
        ]
        assert ids == ["I.9", "I.9.a", "I.9.b", "I.9.c"]
        assert "→ To score more: ty_le_htx_danh_gia up by 10 percentage point(s) (60% → 70%)" in out
        assert "→ A reviewer gives these points, not the evidence" in out

    def test_unknown_criterion_names_near_matches(self) -> None:
        """An unknown id is a usage error (exit 3) naming the id and the ids like it."""
        code, out, err = run(
            "explain",
            "rubrics/2021.rules",
            "examples/2021/936-h-long-my.toml",
            "--criterion",
            "I.33",
        )
        assert (code, out) == (EXIT_USAGE, "")
        assert err == (
            "htx-rules: bảng điểm không có tiêu chí, quy tắc hay phần 'I.33'; "
            "mã gần giống: I.3, II.3, III.3, I.9, I.8\n"
        )
        code, _, err = run(
            "explain",
            "rubrics/2021.rules",
            "examples/2021/936-h-long-my.toml",
            "--criterion",
            "XYZ",
            "--lang",
            "en",
        )
        assert code == EXIT_USAGE
        assert err.startswith(
            "htx-rules: the rubric has no criterion, rule or part 'XYZ'; its ids: I, II, III, I.1,"
        )

    def test_bad_and_missing_files(self, tmp_path: Path) -> None:
        """Bad evidence exits with 1 and says why; a file that is not there with 3."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"evidence": {"htx_moi": -1}}', encoding="utf-8")
        code, out, err = run("explain", "rubrics/2021.rules", str(bad))
        assert (code, out) == (EXIT_EVIDENCE, "")
        assert "htx_moi" in err
        code, _, err = run(
            "explain", "rubrics/2021.rules", "examples/2021/nope.json", "--lang", "en"
        )
        assert code == EXIT_USAGE
        assert err == "htx-rules: cannot read 'examples/2021/nope.json': no such file or folder\n"

    def test_python_function(self, rubric_2021: htx_rules.Rubric) -> None:
        """``explain_what_if`` is what the command prints."""
        result = example(rubric_2021, EXAMPLES_2021 / "931-tp-nga-bay.toml")
        text = explain_what_if(rubric_2021, result, "en", "III")
        assert text.startswith("Thi đua")
        assert "Part III" in text
        assert not [line for line in text.splitlines() if line.startswith(("  I.", "  II."))]


class TestContestReports:
    """The award gaps and fragility in the contest's reports."""

    def test_json_has_one_what_if_key(self, contest_2021: htx_rules.ContestResult) -> None:
        """The contest JSON has a ``what_if`` key with both lists, decimals as strings."""
        data = htx_rules.contest_to_dict(contest_2021, "en")
        what_if = data["what_if"]
        assert set(what_if) == {"award_gaps", "fragility"}
        first = what_if["award_gaps"][0]
        assert (first["holder"], first["challenger"], first["behind"]) == ("934", "935", "0")
        assert first["tie_key"] == "higher Part III points"
        assert all(isinstance(c["delta"], str | None) for c in first["changes"])
        flag = what_if["fragility"][0]
        assert set(flag) == {
            "contestant",
            "field",
            "direction",
            "before",
            "after",
            "delta",
            "effects",
            "text",
        }

    def test_text_sections(self, contest_2021: htx_rules.ContestResult) -> None:
        """Both sections are in the text and Markdown reports, in both languages."""
        vi = htx_rules.contest_text(contest_2021)
        assert "Khoảng cách tới giải (đơn vị đủ điều kiện ngay dưới mỗi hạng giải):" in vi
        assert "Kết quả đổi khi một minh chứng đổi một bước nhỏ nhất" in vi
        md = htx_rules.contest_markdown(contest_2021, "en")
        assert "**How far the eligible unit just below each award place was:**" in md
