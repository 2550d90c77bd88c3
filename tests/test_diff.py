"""``htx-rules diff``: the changes between two rubrics, the evidence re-scored
under both, and each unit's change in total attributed to the changes.

The expected values are read from the two rule models (a threshold's bound, a
criterion's maximum, a place's prize), not copied from the output.  The golden
file ``tests/golden/diff/2021-2022-draft.vi.txt`` holds the whole report of
``htx-rules diff rubrics/2021.rules rubrics/2022-draft.rules --evidence
examples/2021``; ``pytest --update-goldens`` rewrites it (review it by eye).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import model as m
from htx_rules.checker import all_items
from htx_rules.cli import EXIT_EVIDENCE, EXIT_MISMATCH, EXIT_OK, EXIT_RUBRIC, EXIT_USAGE, main
from htx_rules.decimals import format_money, format_number
from htx_rules.diff import Change, RubricDiff, diff_rubrics
from htx_rules.diffplan import SIMILARITY, match, merged_order, plan_steps, similarity
from htx_rules.diffreport import diff_text, diff_to_dict
from htx_rules.printer import expr_text, scoring_lines
from htx_rules.rescoring import Rescoring, rescore
from htx_rules.source import Span, strip_comment
from tests.conftest import EXAMPLES_2021, GOLDEN, ROOT, RUBRIC_2021
from tests.test_golden import check_golden

DRAFT_2022 = ROOT / "rubrics" / "2022-draft.rules"
SCHEMA = ROOT / "docs" / "schema" / "htx-rules-diff.schema.json"
GOLDEN_DIFF = GOLDEN / "diff"
D = Decimal


@pytest.fixture(scope="module")
def old() -> htx_rules.Rubric:
    """The 2021 rubric, loaded by its relative path (as the command line does)."""
    with contextlib.chdir(ROOT):
        return htx_rules.load("rubrics/2021.rules")


@pytest.fixture(scope="module")
def new() -> htx_rules.Rubric:
    """The illustrative 2022 draft."""
    with contextlib.chdir(ROOT):
        return htx_rules.load("rubrics/2022-draft.rules")


@pytest.fixture(scope="module")
def draft(old: htx_rules.Rubric, new: htx_rules.Rubric) -> RubricDiff:
    """The changes from 2021 to the 2022 draft."""
    return diff_rubrics(old, new)


@pytest.fixture(scope="module")
def rescored(old: htx_rules.Rubric, new: htx_rules.Rubric, draft: RubricDiff) -> Rescoring:
    """The eight 2021 examples re-scored under both rubrics."""
    submissions = htx_rules.read_submissions(EXAMPLES_2021, old)
    return rescore(old, new, submissions, draft, source="examples/2021")


def only(diff: RubricDiff, kind: str, item: str | None = None) -> Change:
    """The one change of ``kind`` (about ``item``)."""
    found = [c for c in diff.changes if c.kind == kind and (item is None or c.item == item)]
    assert len(found) == 1, (kind, item, [c.text() for c in diff.changes])
    return found[0]


def item(model: m.RubricModel, item_id: str) -> m.Criterion:
    """The criterion or rule ``item_id`` of a model."""
    return next(i for i in all_items(model) if i.id == item_id)


def check_rebuilds(diff: RubricDiff) -> None:
    """Every change applied gives the new model, none the old one, and every
    step of the attribution leaves a rubric the compiler accepts."""
    assert diff.apply(diff.changes) == diff.new
    assert diff.apply([]) == diff.old
    applied: list[Change] = []
    steps = plan_steps(diff)
    for step in steps:
        applied.extend(step.changes)
        assert diff.problems(applied) == frozenset(), step
    assert sorted(map(id, applied)) == sorted(map(id, diff.changes))


def run(args: list[str]) -> tuple[int, str, str]:
    """``htx-rules ARGS`` from the repository root: exit code, output, errors."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT):
        code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- nothing changed


def reformatted(text: str) -> str:
    """The same rubric written differently: no comments, indentation doubled,
    the typographic spelling of every symbol, blank lines added."""
    lines = []
    for line in text.splitlines():
        code = strip_comment(line).rstrip()
        if not code.strip():
            continue
        indent = len(code) - len(code.lstrip())
        body = code.strip()
        # Symbols outside labels only: labels are the parts in double quotes.
        parts = body.split('"')
        for n in range(0, len(parts), 2):
            parts[n] = parts[n].replace(">=", "≥").replace("<=", "≤").replace("->", "→")
        lines.append(" " * (indent * 2) + '"'.join(parts))
        if indent == 0:
            lines.append("")
    return "# một bản chép lại\n\n" + "\n".join(lines) + "\n"


class TestNothingChanged:
    """Rubrics that say the same have no differences, whatever their layout."""

    def test_a_rubric_against_itself(self, old: htx_rules.Rubric) -> None:
        """The 2021 rubric compared with itself: no change, and the report says so."""
        diff = diff_rubrics(old, old)
        assert not diff
        assert len(diff) == 0
        assert "Hai bảng điểm có cùng nội dung: không có thay đổi nào" in diff_text(diff)
        assert "The two rubrics say the same: no changes" in diff_text(diff, lang="en")

    def test_a_reformatted_copy(self, old: htx_rules.Rubric) -> None:
        """Comments, indentation, blank lines and symbol spellings change no meaning."""
        text = reformatted(RUBRIC_2021.read_text(encoding="utf-8"))
        assert text != RUBRIC_2021.read_text(encoding="utf-8")
        assert "≥ 80% → 2" in text
        assert "#" not in text.split("\n", 1)[1]
        copy = htx_rules.loads(text, name="copy.rules")
        assert diff_rubrics(old, copy).changes == ()

    def test_the_same_draft_twice(self, new: htx_rules.Rubric) -> None:
        """The draft against a reformatted copy of itself: empty too."""
        copy = htx_rules.loads(reformatted(DRAFT_2022.read_text(encoding="utf-8")))
        assert diff_rubrics(new, copy).changes == ()

    def test_rescoring_identical_rubrics(self, old: htx_rules.Rubric) -> None:
        """Re-scoring under the same rubric twice changes nobody and needs no step."""
        submissions = htx_rules.read_submissions(EXAMPLES_2021, old)
        result = rescore(old, old, submissions)
        assert result.steps == ()
        assert all(u.change == 0 and u.shares == () for u in result.units)
        assert [u.old.rank for u in result.units if u.old] == [
            u.new.rank for u in result.units if u.new
        ]


# ---------------------------------------------------------------- the 2022 draft


class TestDraft2022:
    """Every change the draft makes is reported, in the right words."""

    def test_the_draft_compiles_and_says_what_it_is(self, new: htx_rules.Rubric) -> None:
        """The draft compiles cleanly and its first line says it is illustrative."""
        first = DRAFT_2022.read_text(encoding="utf-8").splitlines()[0]
        assert "DỰ THẢO MINH HỌA — KHÔNG PHẢI VĂN BẢN CHÍNH THỨC" in first
        assert new.year == 2022

    def test_the_changes_rebuild_the_draft(self, draft: RubricDiff) -> None:
        """Applying every change to 2021 gives the draft; each step is a valid rubric."""
        check_rebuilds(draft)

    def test_every_intended_change_and_nothing_else(self, draft: RubricDiff) -> None:
        """The list of changes is the draft's list (its header comment), no more."""
        assert [(c.kind, c.item) for c in draft.changes] == [
            ("header-id", None),
            ("header-title", None),
            ("header-year", None),
            ("header-period", None),
            ("header-deadline", None),
            ("field-label", "ke_hoach_kttt"),
            ("field-label", "ke_hoach_thi_dua"),
            ("field-removed", "htx_lien_ket"),
            ("field-added", "htx_chuyen_doi_so"),
            ("item-label", "I.3"),
            ("item-label", "I.4.a"),
            ("item-max", "I.5.a"),
            ("cap", "I.5.a"),
            ("item-max", "I.5.b"),
            ("cap", "I.5.b"),
            ("threshold", "II.2"),
            ("item-label", "II.3"),
            ("rate", "II.3"),
            ("item-removed", "III.5"),
            ("item-id", "III.5"),
            ("item-id", "III.6"),
            ("item-added", "III.7"),
            ("section-max-bonus", None),
            ("item-label", "D1"),
            ("item-max", "D1"),
            ("condition-points", "D1"),
            ("place-prize", "1"),
            ("place-prize", "2"),
            ("place-prize", "3"),
            ("eligibility-reason", None),
        ]

    def test_header(self, draft: RubricDiff, old: htx_rules.Rubric, new: htx_rules.Rubric) -> None:
        """Year, deadline and period as the headers say, in dates people read."""
        year = only(draft, "header-year")
        assert (year.old.value, year.new.value) == (old.year, new.year)
        assert year.text() == f"năm thi đua: {old.year} → {new.year}"
        deadline = only(draft, "header-deadline")
        before, after = old.model.header.deadline, new.model.header.deadline
        assert before is not None
        assert after is not None
        assert (deadline.old.value, deadline.new.value) == (before, after)
        assert deadline.text() == (f"hạn gửi báo cáo: {before:%d/%m/%Y} → {after:%d/%m/%Y}")
        assert deadline.text("en") == f"deadline: {before.isoformat()} → {after.isoformat()}"
        assert only(draft, "header-period").new.value == (
            new.model.header.period_start,
            new.model.header.period_end,
            new.model.header.estimated_to,
        )

    def test_threshold_raised(
        self, draft: RubricDiff, old: htx_rules.Rubric, new: htx_rules.Rubric
    ) -> None:
        """II.2: the bound of the 3-point band, read from both models, in words."""
        change = only(draft, "threshold", "II.2")
        old_arm, new_arm = (
            item(model, "II.2").scoring.arms[0]  # type: ignore[union-attr]
            for model in (old.model, new.model)
        )
        assert isinstance(old_arm, m.ThresholdArm)
        assert isinstance(new_arm, m.ThresholdArm)
        assert change.old.value.bound == old_arm.bound
        assert change.new.value.bound == new_arm.bound
        assert isinstance(old_arm.bound, m.Number)
        assert isinstance(new_arm.bound, m.Number)
        assert old_arm.points == new_arm.points
        before = format_number(old_arm.bound.value * 100) + "%"
        after = format_number(new_arm.bound.value * 100) + "%"
        points = format_number(new_arm.points.value)  # type: ignore[union-attr]
        assert change.text() == f"II.2: ngưỡng ≥ {before} → ≥ {after} (mức {points} điểm)"
        assert change.text("en") == (
            f"II.2: threshold ≥ {before} → ≥ {after} (the {points}-point band)"
        )
        assert change.old_span is not None
        assert change.new_span is not None
        assert change.old_span.file == "rubrics/2021.rules"
        assert change.new_span.file == "rubrics/2022-draft.rules"
        assert (
            ">= 80% -> 3" in RUBRIC_2021.read_text("utf-8").splitlines()[change.old_span.line - 1]
        )

    def test_a_point_moves_between_two_criteria(
        self, draft: RubricDiff, old: htx_rules.Rubric, new: htx_rules.Rubric
    ) -> None:
        """I.5.a loses what I.5.b gains: the maxima and caps, and I.5 adds up as before."""
        for item_id in ("I.5.a", "I.5.b"):
            change = only(draft, "item-max", item_id)
            before, after = item(old.model, item_id).maximum, item(new.model, item_id).maximum
            assert (change.old.value, change.new.value) == (before, after)
            assert change.text() == f"{item_id}: điểm tối đa {before} → {after}"
            cap = only(draft, "cap", item_id)
            assert cap.new.value == item(new.model, item_id).scoring.cap  # type: ignore[union-attr]
        parent = [item(model, "I.5") for model in (old.model, new.model)]
        assert parent[0].maximum == parent[1].maximum == sum(c.maximum for c in parent[1].children)

    def test_points_per_unit(
        self, draft: RubricDiff, old: htx_rules.Rubric, new: htx_rules.Rubric
    ) -> None:
        """II.3: the rate of the per-unit rule."""
        change = only(draft, "rate", "II.3")
        rates = [item(model, "II.3").scoring.rate for model in (old.model, new.model)]  # type: ignore[union-attr]
        assert [change.old.value, change.new.value] == rates
        assert change.text() == (
            f"II.3: điểm cho mỗi đơn vị: {format_number(rates[0].value)} → "
            f"{format_number(rates[1].value)}"
        )

    def test_renumbered_by_label(self, draft: RubricDiff, old: htx_rules.Rubric) -> None:
        """III.6 and III.7 became III.5 and III.6: paired by their unchanged labels."""
        assert only(draft, "item-id", "III.5").old.value == "III.6"
        assert only(draft, "item-id", "III.6").old.value == "III.7"
        removed = only(draft, "item-removed", "III.5")
        assert removed.label == item(old.model, "III.5").label
        assert not [c for c in draft.changes if c.kind == "item-label" and c.item.startswith("III")]  # type: ignore[union-attr]

    def test_a_new_criterion_reading_a_new_field(
        self, draft: RubricDiff, new: htx_rules.Rubric
    ) -> None:
        """III.7 is new, with its scoring as rubric text; its field is new too."""
        added = only(draft, "item-added", "III.7")
        criterion = item(new.model, "III.7")
        assert criterion.scoring is not None
        assert added.new.value == criterion.scoring
        assert added.text() == (
            f"III.7: thêm tiêu chí «{criterion.label}», tối đa "
            f"{format_number(criterion.maximum)} điểm: {scoring_lines(criterion.scoring)[0]}"
        )
        field = only(draft, "field-added", "htx_chuyen_doi_so")
        assert field.new_span is not None
        assert field.old_span is None

    def test_bonus_cap_deduction_and_prizes(
        self, draft: RubricDiff, old: htx_rules.Rubric, new: htx_rules.Rubric
    ) -> None:
        """The bonus section's cap, D1's points, and every prize raised."""
        assert old.model.bonus is not None
        assert new.model.bonus is not None
        cap = only(draft, "section-max-bonus")
        assert (cap.old.value, cap.new.value) == (old.model.bonus.maximum, new.model.bonus.maximum)
        d1 = only(draft, "condition-points", "D1")
        assert d1.new.value == item(new.model, "D1").scoring.points  # type: ignore[union-attr]
        assert old.model.awards is not None
        assert new.model.awards is not None
        for before, after in zip(old.model.awards.places, new.model.awards.places, strict=True):
            prize = only(draft, "place-prize", str(before.rank))
            assert (prize.old.value, prize.new.value) == (before.prize, after.prize)
            assert after.prize > before.prize
            assert prize.text() == (
                f"giải {before.rank}: tiền thưởng {format_money(before.prize)} → "
                f"{format_money(after.prize)}"
            )

    def test_json_values_are_rubric_text(self, draft: RubricDiff) -> None:
        """In JSON, old and new values are written as in a rubric file."""
        data = diff_to_dict(draft)
        by_kind = {(c["kind"], c["item"]): c for c in data["changes"]}
        assert by_kind[("threshold", "II.2")]["old"] == "≥ 80%"
        assert by_kind[("rate", "II.3")]["old"] == "1.5"
        assert by_kind[("header-deadline", None)]["new"] == "2022-12-20"
        assert by_kind[("place-prize", "1")]["new"] == "12000000"
        assert by_kind[("item-added", "III.7")]["new"] == "1 per htx_chuyen_doi_so, at most 5"


# ---------------------------------------------------------------- small rubrics, one change each


BASE = """\
rubric vi_du "Bảng điểm thử"
  year 2021
  total 20
  deadline 2021-12-20

contestants
  930 "TP. Vị Thanh"
  931 "TP. Ngã Bảy"

evidence
  ty_le     percent  "Tỷ lệ HTX xếp loại tốt, khá"
  so_htx    count    "Số HTX thành lập mới" unit "HTX"
  chi_tieu  count    "Chỉ tiêu HTX thành lập mới được giao" unit "HTX"
  bcd       yes/no   "Có quyết định thành lập Ban Chỉ đạo"
  bao_cao   one of   "Báo cáo tổng kết năm"
    dung_han "Gửi đúng hạn"
    tre_han  "Gửi trễ hạn"
  ngay_nop  date     "Ngày nhận báo cáo tự chấm điểm"

dossier
  to_trinh  "Tờ trình đề nghị khen thưởng"

part I "Công tác phát triển hợp tác xã" max 20
  criterion I.1 "Tỷ lệ HTX xếp loại tốt, khá" max 8
    by ty_le
      >= 50% -> 8
      >= 30% -> 4
      otherwise -> 0
  criterion I.2 "Mỗi HTX thành lập mới được 1 điểm" max 4
    1 per so_htx, at most 4
  criterion I.3 "Có Ban Chỉ đạo" max 2
    2 if bcd
  criterion I.4 "Báo cáo tổng kết năm" max 2
    by bao_cao
      dung_han -> 2
      tre_han -> 1
  criterion I.5 "Thành lập mới HTX so với chỉ tiêu được giao" max 4
    target so_htx of chi_tieu: linear

bonus "Điểm cộng" max 2
  rule B1 "Mỗi HTX vượt chỉ tiêu cộng 0,5 điểm" max 2
    0.5 per max(0, so_htx - chi_tieu)

deduction "Điểm trừ" max 2
  rule D1 "Gửi báo cáo sau hạn" max 2
    2 if ngay_nop > deadline

awards
  place 1 "Hạng Nhất" 10.000.000 đồng
  minimum 5
  eligible if dossier complete "Có đủ hồ sơ đề nghị khen thưởng"
  ties higher criterion I.1
  still tied: split
"""

# (what to replace, by what, the changes expected: (kind, item, Vietnamese sentence))
CASES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str | None, str]]]] = {
    "threshold": (
        [(">= 50% -> 8", ">= 55% -> 8")],
        [("threshold", "I.1", "I.1: ngưỡng ≥ 50% → ≥ 55% (mức 8 điểm)")],
    ),
    "band points": (
        [
            (">= 50% -> 8", ">= 50% -> 7"),
            ("max 8", "max 7"),
            ("max 4\n    1 per", "max 5\n    1 per"),
        ],
        [
            ("item-max", "I.1", "I.1: điểm tối đa 8 → 7"),
            ("band-points", "I.1", "I.1: mức ≥ 50%: 8 → 7 điểm"),
            ("item-max", "I.2", "I.2: điểm tối đa 4 → 5"),
        ],
    ),
    "otherwise": (
        [("otherwise -> 0", "otherwise -> 1")],
        [("band-points", "I.1", "I.1: mức còn lại (otherwise): 0 → 1 điểm")],
    ),
    "rate": (
        [("1 per so_htx", "1.5 per so_htx")],
        [("rate", "I.2", "I.2: điểm cho mỗi đơn vị: 1 → 1,5")],
    ),
    "cap removed": (
        [("1 per so_htx, at most 4", "1 per so_htx")],
        [("cap", "I.2", "I.2: mức giới hạn (tối đa): 4 → không có")],
    ),
    "base minus": (
        [("1 per so_htx, at most 4", "4 minus 1 per chi_tieu, at most 2")],
        [
            ("base", "I.2", "I.2: điểm gốc (trước khi trừ): không có → 4"),
            ("units", "I.2", "I.2: số đơn vị tính điểm: so_htx → chi_tieu"),
            ("cap", "I.2", "I.2: mức giới hạn (tối đa): 4 → 2"),
        ],
    ),
    "condition": (
        [("2 if bcd", "2 if bcd and so_htx >= 1")],
        [("condition", "I.3", "I.3: điều kiện: bcd → bcd and so_htx ≥ 1")],
    ),
    "condition points": (
        [("2 if bcd", "1.5 if bcd otherwise 0.5")],
        [
            ("condition-points", "I.3", "I.3: điểm khi đạt điều kiện: 2 → 1,5"),
            ("otherwise-points", "I.3", "I.3: điểm khi không đạt điều kiện: không có → 0,5"),
        ],
    ),
    "choice points": (
        [("tre_han -> 1", "tre_han -> 0")],
        [("band-points", "I.4", "I.4: mức tre_han: 1 → 0 điểm")],
    ),
    "bands regrouped": (
        [("dung_han -> 2\n      tre_han -> 1", "dung_han, tre_han -> 2")],
        [("arms", "I.4", "I.4: các mức: dung_han -> 2; tre_han -> 1 → dung_han, tre_han -> 2")],
    ),
    "target mode": (
        [("chi_tieu: linear", "chi_tieu: minus 1 per 10% short, zero target -> 0")],
        [
            ("target-mode", "I.5", "I.5: cách tính theo chỉ tiêu: linear → minus 1 per 10% short"),
            ("zero-target", "I.5", "I.5: điểm khi chỉ tiêu bằng 0: không có → 0"),
        ],
    ),
    "scoring form": (
        [("2 if bcd", "by bao_cao\n      dung_han -> 2\n      tre_han -> 0")],
        [
            (
                "scoring",
                "I.3",
                "I.3: cách chấm: 2 if bcd → by bao_cao: dung_han -> 2; tre_han -> 0",
            )
        ],
    ),
    "units": (
        [("max(0, so_htx - chi_tieu)", "max(0, so_htx - (chi_tieu + 1))")],
        [
            (
                "units",
                "B1",
                "B1: số đơn vị tính điểm: max(0, so_htx - chi_tieu) → "
                "max(0, so_htx - (chi_tieu + 1))",
            )
        ],
    ),
    "requires and note": (
        [
            (
                "max 4\n    1 per",
                'max 4\n    requires I.3\n    note "Chỉ tính khi có BCĐ"\n    1 per',
            )
        ],
        [
            (
                "item-requires",
                "I.2",
                "I.2: chỉ tính khi các mục này có điểm (requires): không có → I.3",
            ),
            ("item-note", "I.2", "I.2: ghi chú không có → «Chỉ tính khi có BCĐ»"),
        ],
    ),
    "relabelled": (
        [('"Có Ban Chỉ đạo"', '"Có quyết định thành lập Ban Chỉ đạo"')],
        [
            (
                "item-label",
                "I.3",
                "I.3: nhãn «Có Ban Chỉ đạo» → «Có quyết định thành lập Ban Chỉ đạo»",
            )
        ],
    ),
    "fields": (
        [
            ('"Số HTX thành lập mới" unit "HTX"', '"Số HTX thành lập mới" to 50 unit "hợp tác xã"'),
            ("ty_le     percent", "ty_le     number"),
            ("      >= 50% -> 8\n      >= 30% -> 4", "      >= 0.5 -> 8\n      >= 0.3 -> 4"),
        ],
        [
            ("field-type", "ty_le", "ty_le: kiểu dữ liệu tỷ lệ phần trăm (0–100) → số"),
            ("field-bounds", "so_htx", "so_htx: giới hạn giá trị: không có → đến 50"),
            ("field-unit", "so_htx", "so_htx: đơn vị tính «HTX» → «hợp tác xã»"),
            ("threshold", "I.1", "I.1: ngưỡng ≥ 50% → ≥ 0,5 (mức 8 điểm)"),
            ("threshold", "I.1", "I.1: ngưỡng ≥ 30% → ≥ 0,3 (mức 4 điểm)"),
        ],
    ),
    "choices": (
        [
            (
                '    tre_han  "Gửi trễ hạn"\n',
                '    tre_han  "Gửi trễ hạn"\n    khong_gui "Không gửi"\n',
            ),
            ("      tre_han -> 1\n", "      tre_han -> 1\n      khong_gui -> 0\n"),
        ],
        [
            (
                "field-choices",
                "bao_cao",
                "bao_cao: các giá trị lựa chọn: dung_han «Gửi đúng hạn», tre_han «Gửi trễ hạn» → "
                "dung_han «Gửi đúng hạn», tre_han «Gửi trễ hạn», khong_gui «Không gửi»",
            ),
            (
                "arms",
                "I.4",
                "I.4: các mức: dung_han -> 2; tre_han -> 1 → dung_han -> 2; tre_han -> 1; "
                "khong_gui -> 0",
            ),
        ],
    ),
    "contestants": (
        [
            (
                '930 "TP. Vị Thanh"\n  931 "TP. Ngã Bảy"',
                '930 "Thành phố Vị Thanh"\n  932 "H. Châu Thành A"',
            )
        ],
        [
            ("contestant-name", "930", "930: tên đơn vị «TP. Vị Thanh» → «Thành phố Vị Thanh»"),
            ("contestant-removed", "931", "931: bỏ đơn vị «TP. Ngã Bảy»"),
            ("contestant-added", "932", "932: thêm đơn vị «H. Châu Thành A»"),
        ],
    ),
    "header": (
        [
            (
                "  deadline 2021-12-20",
                "  deadline 2021-12-25\n  rounding 1 decimals half-even\n  step 0.5",
            ),
        ],
        [
            ("header-deadline", None, "hạn gửi báo cáo: 20/12/2021 → 25/12/2021"),
            (
                "header-rounding",
                None,
                "quy tắc làm tròn: 2 chữ số thập phân, half-up → 1 chữ số thập phân, half-even",
            ),
            ("header-step", None, "bước điểm (step): không có → 0,5"),
        ],
    ),
    "sections": (
        [('bonus "Điểm cộng" max 2', 'bonus "Điểm cộng" max 1.5'), ('"Điểm trừ"', '"Điểm bị trừ"')],
        [
            ("section-max-bonus", None, "tổng điểm cộng tối đa 2 → 1,5"),
            ("section-label", None, "tên phần «Điểm trừ» → «Điểm bị trừ»"),
        ],
    ),
    "a section removed": (
        [
            (
                'deduction "Điểm trừ" max 2\n  rule D1 "Gửi báo cáo sau hạn" max 2\n'
                "    2 if ngay_nop > deadline\n",
                "",
            ),
        ],
        [
            ("section-deduction-removed", None, "bỏ phần điểm trừ «Điểm trừ» (tối đa 2 điểm)"),
            ("item-removed", "D1", "D1: bỏ quy tắc «Gửi báo cáo sau hạn» (tối đa 2 điểm)"),
        ],
    ),
    "dossier and awards": (
        [
            (
                '  to_trinh  "Tờ trình đề nghị khen thưởng"',
                '  to_trinh  "Tờ trình"\n  bien_ban  "Biên bản"',
            ),
            ("  minimum 5\n", '  place 2 "Hạng Nhì" 5.000.000 đồng\n  minimum 6\n'),
            ("ties higher criterion I.1", "ties higher part I, earlier ngay_nop"),
            ("still tied: split", "still tied: council"),
            (
                '"Có đủ hồ sơ đề nghị khen thưởng"',
                '"Có đủ hồ sơ đề nghị khen thưởng"\n  eligible if ngay_nop <= deadline "Đúng hạn"',
            ),
        ],
        [
            ("place-added", "2", "giải 2: thêm giải «Hạng Nhì», 5.000.000 đồng"),
            ("eligibility-added", None, "thêm điều kiện xét giải «Đúng hạn»: ngay_nop ≤ deadline"),
            ("awards-minimum", None, "điểm tối thiểu để được xét giải: 5 → 6"),
            (
                "awards-ties",
                None,
                "thứ tự xét khi bằng điểm: điểm tiêu chí I.1 cao hơn → điểm phần I cao hơn; "
                "ngay_nop sớm hơn",
            ),
            (
                "awards-still-tied",
                None,
                "khi vẫn bằng điểm: đồng hạng, chia đều tiền thưởng (split) → "
                "Hội đồng Thi đua - Khen thưởng quyết định (council)",
            ),
            (
                "document-label",
                "to_trinh",
                "to_trinh: tên tài liệu «Tờ trình đề nghị khen thưởng» → «Tờ trình»",
            ),
            ("document-added", "bien_ban", "bien_ban: thêm tài liệu vào hồ sơ: «Biên bản»"),
        ],
    ),
    "a new part": (
        [
            ("  total 20", "  total 24"),
            (
                'bonus "Điểm cộng"',
                'part II "Tổ hợp tác" max 4\n  criterion II.1 "Có tổ hợp tác" max 4\n'
                '    requires I.3\n    4 if bcd\n\nbonus "Điểm cộng"',
            ),
        ],
        [
            ("header-total", None, "tổng điểm chuẩn: 20 → 24"),
            ("part-added", "II", "phần II: thêm phần «Tổ hợp tác», tối đa 4 điểm"),
            ("item-added", "II.1", "II.1: thêm tiêu chí «Có tổ hợp tác», tối đa 4 điểm: 4 if bcd"),
        ],
    ),
}


def edited(replacements: list[tuple[str, str]]) -> str:
    """BASE with each replacement made exactly once."""
    text = BASE
    for before, after in replacements:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return text


class TestOneChangeAtATime:
    """Each kind of change on a small rubric: found, worded, and applied back."""

    @pytest.mark.parametrize("name", sorted(CASES))
    def test_change(self, name: str) -> None:
        """The expected changes and no other; applying them gives the new rubric."""
        replacements, expected = CASES[name]
        base = htx_rules.loads(BASE, name="old.rules")
        changed = htx_rules.loads(edited(replacements), name="new.rules")
        diff = diff_rubrics(base, changed)
        assert sorted((c.kind, c.item, c.text()) for c in diff.changes) == sorted(expected)
        check_rebuilds(diff)

    def test_every_change_kind_has_both_languages(self) -> None:
        """Every kind met above has a sentence in Vietnamese and in English."""
        base = htx_rules.loads(BASE)
        for replacements, _expected in CASES.values():
            for change in diff_rubrics(base, htx_rules.loads(edited(replacements))).changes:
                assert "{" not in change.text("vi")
                assert "{" not in change.text("en")

    def test_grouped_steps_name_what_they_share(self) -> None:
        """A new part's criterion is applied with its part, and the step says why."""
        replacements, _ = CASES["a new part"]
        diff = diff_rubrics(htx_rules.loads(BASE), htx_rules.loads(edited(replacements)))
        steps = plan_steps(diff)
        grouped = [s for s in steps if len(s.changes) > 1]
        assert [[c.kind for c in s.changes] for s in grouped] == [["part-added", "item-added"]]
        assert grouped[0].reason == ("container", "part", "II")
        assert grouped[0].reason_text() == (
            "áp dụng cùng nhau vì cùng liên quan đến phần II: áp dụng riêng từng thay đổi thì "
            "bảng điểm ở giữa không hợp lệ"
        )


# Changes of structure, and the groups they must be applied in.
STRUCTURE: dict[str, tuple[list[tuple[str, str]], list[list[str]]]] = {
    "a leaf gets sub-criteria": (
        [
            (
                '  criterion I.3 "Có Ban Chỉ đạo" max 2\n    2 if bcd',
                '  criterion I.3 "Có Ban Chỉ đạo" max 2\n'
                '    criterion I.3.a "Có quyết định" max 1\n      1 if bcd\n'
                '    criterion I.3.b "Có quy chế" max 1\n      1 if not bcd',
            )
        ],
        [["scoring", "item-added", "item-added"]],
    ),
    "a criterion moves under another": (
        [
            (
                "  criterion I.4 ",
                '  criterion I.6 "Chế độ báo cáo" max 2\n    criterion I.4 ',
            ),
            (
                "      dung_han -> 2\n      tre_han -> 1",
                "        dung_han -> 2\n        tre_han -> 1",
            ),
            ("    by bao_cao\n", "      by bao_cao\n"),
        ],
        [["item-added", "item-moved"]],
    ),
    "the awards removed": (
        [(BASE[BASE.index("awards\n") :], "")],
        [["awards-removed", "place-removed", "eligibility-removed"]],
    ),
    "a field renamed": (
        [
            ("  so_htx    count", "  htx_moi   count"),
            ("1 per so_htx", "1 per htx_moi"),
            ("target so_htx of", "target htx_moi of"),
            ("max(0, so_htx - chi_tieu)", "max(0, htx_moi - chi_tieu)"),
        ],
        [["field-removed", "field-added", "units", "target-actual", "units"]],
    ),
    "the deadline removed": (
        [("  deadline 2021-12-20\n", ""), ("ngay_nop > deadline", "ngay_nop > 2021-12-20")],
        [["header-deadline", "condition"]],
    ),
}


class TestStructure:
    """Changes of structure rebuild the new rubric, in the groups they need."""

    @pytest.mark.parametrize("name", sorted(STRUCTURE))
    def test_structure(self, name: str) -> None:
        """The groups are as expected, and every step is a valid rubric."""
        replacements, groups = STRUCTURE[name]
        base, changed = htx_rules.loads(BASE), htx_rules.loads(edited(replacements))
        diff = diff_rubrics(base, changed)
        check_rebuilds(diff)
        steps = plan_steps(diff)
        assert [[c.kind for c in s.changes] for s in steps if len(s.changes) > 1] == groups
        assert all(s.reason_text() for s in steps if len(s.changes) > 1)
        evidence = {"930": {"so_htx": 3, "chi_tieu": 2, "bcd": True, "bao_cao": "tre_han"}}
        for unit in rescore(base, changed, evidence, diff).units:
            assert sum((s.points for s in unit.shares), D(0)) == unit.change

    def test_a_leaf_with_sub_criteria_in_words(self) -> None:
        """A criterion that now adds up its sub-criteria says so."""
        replacements, _ = STRUCTURE["a leaf gets sub-criteria"]
        diff = diff_rubrics(htx_rules.loads(BASE), htx_rules.loads(edited(replacements)))
        assert only(diff, "scoring", "I.3").text() == (
            "I.3: cách chấm: 2 if bcd → cộng điểm các tiêu chí con"
        )

    def test_moved_under_another_criterion(self) -> None:
        """I.4 moves from part I into the new I.6."""
        replacements, _ = STRUCTURE["a criterion moves under another"]
        diff = diff_rubrics(htx_rules.loads(BASE), htx_rules.loads(edited(replacements)))
        assert only(diff, "item-moved", "I.4").text() == "I.4: chuyển từ phần I sang tiêu chí I.6"


# ---------------------------------------------------------------- matching


TWO_PARTS = """\
rubric hai_phan "Hai phần"
  year 2021
  total {total}

evidence
  a  yes/no  "Có quyết định thành lập Ban Chỉ đạo"
  b  yes/no  "Ban Chỉ đạo có quy chế hoạt động"
  c  yes/no  "Tổ chức sơ kết 6 tháng"
  d  yes/no  "Hội nghị tuyên truyền Luật Hợp tác xã"

part I "Công tác chỉ đạo" max {one}
{part_one}
part II "Công tác phát triển" max {two}
{part_two}
"""

CRITERIA = {
    "A": ('"Có quyết định thành lập Ban Chỉ đạo"', "a"),
    "B": ('"Ban Chỉ đạo có quy chế hoạt động"', "b"),
    "C": ('"Tổ chức sơ kết 6 tháng"', "c"),
    "D": ('"Hội nghị tuyên truyền Luật Hợp tác xã"', "d"),
}


def two_parts(one: list[tuple[str, str, int]], two: list[tuple[str, str, int]]) -> htx_rules.Rubric:
    """A rubric with the criteria ``(id, letter, max)`` in part I and part II."""

    def lines(criteria: list[tuple[str, str, int]]) -> str:
        return "".join(
            f"  criterion {cid} {CRITERIA[letter][0]} max {points}\n"
            f"    {points} if {CRITERIA[letter][1]}\n"
            for cid, letter, points in criteria
        )

    text = TWO_PARTS.format(
        total=sum(p for *_, p in one + two),
        one=sum(p for *_, p in one),
        two=sum(p for *_, p in two),
        part_one=lines(one),
        part_two=lines(two),
    )
    return htx_rules.loads(text)


class TestMatching:
    """Criteria pair by id and label, then by label (renumbered), then by id."""

    def test_renumbered_after_a_removal(self) -> None:
        """I.1 removed, I.2 and I.3 renumbered: one removal and two renumberings."""
        before = two_parts([("I.1", "A", 3), ("I.2", "B", 3), ("I.3", "C", 4)], [("II.1", "D", 1)])
        after = two_parts([("I.1", "B", 3), ("I.2", "C", 4)], [("II.1", "D", 1)])
        diff = diff_rubrics(before, after)
        assert [(c.kind, c.item, c.old.value, c.new.value) for c in diff.changes] == [
            ("header-total", None, D(11), D(8)),
            ("part-max", "I", D(10), D(7)),
            ("item-removed", "I.1", item(before.model, "I.1").scoring, None),
            ("item-id", "I.1", "I.2", "I.1"),
            ("item-id", "I.2", "I.3", "I.2"),
        ]
        assert diff.changes[2].label == "Có quyết định thành lập Ban Chỉ đạo"
        check_rebuilds(diff)

    def test_same_id_unrelated_label_is_a_new_criterion(self) -> None:
        """An id reused for something else entirely: removed and added, not relabelled."""
        before = two_parts([("I.1", "A", 3)], [("II.1", "C", 7)])
        after = two_parts([("I.1", "C", 3)], [("II.1", "A", 7)])
        kinds = [(c.kind, c.item) for c in diff_rubrics(before, after).changes]
        assert ("item-label", "I.1") not in kinds

    def test_moved_to_another_part(self) -> None:
        """I.2 moves to part II with its id: a move, in words."""
        before = two_parts([("I.1", "A", 3), ("I.2", "B", 3)], [("II.1", "C", 4)])
        after = two_parts([("I.1", "A", 3)], [("II.1", "C", 4), ("I.2", "B", 3)])
        diff = diff_rubrics(before, after)
        moved = only(diff, "item-moved", "I.2")
        assert moved.text() == "I.2: chuyển từ phần I sang phần II"
        assert moved.text("en") == "I.2: moved from part I to part II"
        check_rebuilds(diff)

    def test_similarity_is_exact(self) -> None:
        """difflib's ratio, as an exact fraction, on NFC case-folded labels."""
        assert similarity("Báo cáo năm", "BÁO CÁO NĂM") == 1
        decomposed = "Ba\u0301o ca\u0301o"
        assert similarity(decomposed, "Báo cáo") == 1
        assert similarity("abcd", "abce") == D(3) / D(4) == SIMILARITY

    @settings(max_examples=40, deadline=None)
    @given(st.text(max_size=20), st.text(max_size=20))
    def test_similarity_is_symmetric_and_bounded(self, a: str, b: str) -> None:
        """Between 0 and 1, and 1 when the labels are the same."""
        assert 0 <= similarity(a, b) <= 1
        assert similarity(a, a) == 1

    @settings(max_examples=60, deadline=None)
    @given(st.data())
    def test_merged_order(self, data: st.DataObject) -> None:
        """The new order is kept, and each old-only key follows the old key before it."""
        keys = list(range(12))
        old = data.draw(st.permutations(keys).map(lambda k: k[: data.draw(st.integers(0, 12))]))
        new = data.draw(st.permutations(keys).map(lambda k: k[: data.draw(st.integers(0, 12))]))
        merged = merged_order(old, new)
        assert sorted(merged) == sorted(set(old) | set(new))
        assert [k for k in merged if k in new] == list(new)
        for position, key in enumerate(old):
            if key not in new and position > 0:
                assert merged.index(old[position - 1]) < merged.index(key)

    def test_match_prefers_the_closest_label(self) -> None:
        """A label pairs with the most similar one, not the first one above the bar."""
        old = [("X.1", "Báo cáo tổng kết năm")]
        new = [("Y.1", "Báo cáo sơ kết năm"), ("Y.2", "Báo cáo tổng kết năm")]
        pairs = match(old, new, lambda t: t[0], lambda t: t[1])
        assert pairs[0] == (old[0], new[1])


# ---------------------------------------------------------------- re-scoring and attribution


def direct_totals(rubric: htx_rules.Rubric) -> dict[str, Decimal]:
    """Each example's verified total scored directly by ``rubric``, keeping only
    the fields the rubric declares (as the report says it does)."""
    totals = {}
    declared = {f.name for f in rubric.fields}
    for submission in htx_rules.read_submissions(EXAMPLES_2021, htx_rules.load(RUBRIC_2021)):
        values = {**submission.evidence, **(submission.verified or {})}
        values = {k: v for k, v in values.items() if k in declared}
        assessments = {k: v for k, v in submission.assessments.items() if k in rubric.assessed}
        totals[submission.contestant] = rubric.score(values, assessments=assessments).total
    return totals


class TestRescoring:
    """The eight 2021 examples under 2021 and under the draft."""

    def test_totals_are_each_rubrics_own(
        self, rescored: Rescoring, old: htx_rules.Rubric, new: htx_rules.Rubric
    ) -> None:
        """Old and new totals equal scoring each rubric directly."""
        assert {u.code: u.old.total for u in rescored.units if u.old} == direct_totals(old)
        assert {u.code: u.new.total for u in rescored.units if u.new} == direct_totals(new)
        assert len(rescored.units) == 8

    def test_ranks_and_awards_are_each_contests(
        self, rescored: Rescoring, old: htx_rules.Rubric
    ) -> None:
        """The old side is the 2021 contest itself: ranks, awards and prizes."""
        contest = htx_rules.run_contest_from(EXAMPLES_2021, old)
        for unit in rescored.units:
            standing = contest.standing(unit.code)
            assert unit.old is not None
            assert (unit.old.rank, unit.old.total) == (standing.rank, standing.total)
            assert unit.old.award == standing.award

    def test_shares_add_up_exactly(self, rescored: Rescoring) -> None:
        """Every unit's shares add up to its change in total, exactly."""
        for unit in rescored.units:
            assert unit.change is not None
            assert len(unit.shares) == len(rescored.steps)
            assert sum((s.points for s in unit.shares), D(0)) == unit.change
            assert all(isinstance(s.points, Decimal) for s in unit.shares)

    def test_the_removed_criterion_takes_its_points(
        self, rescored: Rescoring, old: htx_rules.Rubric
    ) -> None:
        """The step that removes III.5 takes from each unit what III.5 gave it."""
        contest = htx_rules.run_contest_from(EXAMPLES_2021, old)
        step = next(s for s in rescored.steps if any(c.kind == "item-removed" for c in s.changes))
        assert {c.kind for c in step.changes} == {"item-removed", "field-removed"}
        assert step.reason == ("field", "htx_lien_ket")
        for unit in rescored.units:
            share = next(s.points for s in unit.shares if s.step is step)
            assert share == -contest.standing(unit.code).verified.items["III.5"]

    def test_a_new_criterion_goes_with_its_field(self, rescored: Rescoring) -> None:
        """III.7 and the field it reads are one step, and that step says why."""
        step = next(s for s in rescored.steps if any(c.item == "III.7" for c in s.changes))
        assert [(c.kind, c.item) for c in step.changes] == [
            ("field-added", "htx_chuyen_doi_so"),
            ("item-added", "III.7"),
        ]
        assert step.reason == ("field", "htx_chuyen_doi_so")
        assert "trường minh chứng htx_chuyen_doi_so" in (step.reason_text() or "")
        # Nobody reported the new field: the new criterion gives nobody anything.
        assert all(next(s.points for s in u.shares if s.step is step) == 0 for u in rescored.units)

    def test_the_moved_deadline_forgives_a_late_report(
        self, rescored: Rescoring, old: htx_rules.Rubric
    ) -> None:
        """931 reported after 20/12/2021 but before 20/12/2022: the deadline step gives back D1."""
        contest = htx_rules.run_contest_from(EXAMPLES_2021, old)
        late = contest.standing("931").verified
        assert late.deduction == late.items["D1"] > 0  # D1 is its only deduction
        step = next(s for s in rescored.steps if s.changes[0].kind == "header-deadline")
        share = next(s.points for s in rescored.unit("931").shares if s.step is step)
        assert share == late.items["D1"]

    def test_neutral_changes_really_are(
        self, old: htx_rules.Rubric, new: htx_rules.Rubric, draft: RubricDiff, rescored: Rescoring,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        """Scoring the steps made of words only, instead of skipping them, gives the same shares."""
        monkeypatch.setattr("htx_rules.rescoring.NEUTRAL", frozenset())
        submissions = htx_rules.read_submissions(EXAMPLES_2021, old)
        again = rescore(old, new, submissions, draft)
        for unit in rescored.units:
            assert [s.points for s in again.unit(unit.code).shares] == [
                s.points for s in unit.shares
            ]

    def test_notes(self, rescored: Rescoring) -> None:
        """The removed field, the new field nobody reported, and the moved deadline are said."""
        codes = [n.code for n in rescored.notes]
        assert codes == ["diff-note-dropped-field", "diff-note-new-field", "diff-note-deadline"]
        new_field = rescored.notes[1]
        assert dict(new_field.args)["count"] == 8
        assert "htx_chuyen_doi_so" in new_field.text("en")

    def test_plain_evidence(self, old: htx_rules.Rubric, new: htx_rules.Rubric) -> None:
        """Evidence by unit code, without dossiers: totals still add up."""
        evidence = {
            "930": {"htx_moi": 5, "chi_tieu_htx": 4, "htx_lien_ket": 3, "ty_le_tht_hop_dong": 82},
            "931": {"htx_moi": 1, "chi_tieu_htx": 4, "tht_nang_cap": 2},
        }
        result = rescore(old, new, evidence)
        for unit in result.units:
            assert unit.old is not None
            assert unit.new is not None
            assert not unit.old.eligible  # no dossier was given
            assert sum((s.points for s in unit.shares), D(0)) == unit.change

    def test_a_value_the_new_rubric_refuses(self, old: htx_rules.Rubric) -> None:
        """A bound the new rubric adds turns an old value into a missing one, and says so."""
        text = RUBRIC_2021.read_text(encoding="utf-8").replace(
            '"Số HTX thành lập mới" unit "HTX"', '"Số HTX thành lập mới" to 3 unit "HTX"'
        )
        bounded = htx_rules.loads(text, name="bounded.rules")
        result = rescore(old, bounded, {"930": {"htx_moi": 5, "chi_tieu_htx": 4}})
        note = next(n for n in result.notes if n.code == "diff-note-invalid-value")
        assert "htx_moi" in note.text()
        assert "5" in note.text()
        unit = result.unit("930")
        assert unit.new is not None
        assert "htx_moi" in unit.new.verified.missing

    def test_renumbered_assessment_follows_its_criterion(self, old: htx_rules.Rubric) -> None:
        """I.9.c renumbered I.9.d: the reviewer's points go with it, and a note says so."""
        text = RUBRIC_2021.read_text(encoding="utf-8").replace("criterion I.9.c", "criterion I.9.d")
        renumbered = htx_rules.loads(text, name="renumbered.rules")
        submissions = htx_rules.read_submissions(EXAMPLES_2021, old)
        result = rescore(old, renumbered, submissions)
        assert all(u.change == 0 for u in result.units)
        assert [n.code for n in result.notes] == ["diff-note-assessment-moved"]

    def test_a_new_criterion_for_the_reviewer(self, old: htx_rules.Rubric) -> None:
        """A rule the new rubric has a reviewer assess has no assessment yet: noted, scored 0."""
        text = RUBRIC_2021.read_text(encoding="utf-8").replace(
            "    0.25 per max(0, tht_moi - chi_tieu_tht)\n",
            "    0.25 per max(0, tht_moi - chi_tieu_tht)\n"
            '  rule B6 "Sáng kiến trong phát triển HTX" max 1\n'
            "    assessed by reviewer\n",
        )
        reviewed = htx_rules.loads(text, name="reviewed.rules")
        submissions = htx_rules.read_submissions(EXAMPLES_2021, old)
        result = rescore(old, reviewed, submissions)
        assert [n.text("en") for n in result.notes] == [
            "B6 is assessed by a reviewer under the new rubric but the old evidence holds no "
            "assessment: scored 0"
        ]
        assert all(u.change == 0 for u in result.units)

    @settings(
        max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.lists(st.sampled_from(sorted(CASES)), min_size=1, max_size=1),
        st.integers(0, 10),
        st.integers(0, 6),
        st.integers(0, 100),
        st.booleans(),
    )
    def test_attribution_always_adds_up(
        self, cases: list[str], so_htx: int, chi_tieu: int, ty_le: int, bcd: bool
    ) -> None:
        """Whatever the change and the evidence, the shares add up to the change."""
        replacements, _ = CASES[cases[0]]
        base = htx_rules.loads(BASE)
        changed = htx_rules.loads(edited(replacements))
        evidence = {
            "930": {"so_htx": so_htx, "chi_tieu": chi_tieu, "ty_le": ty_le, "bcd": bcd},
            "931": {"so_htx": chi_tieu, "chi_tieu": so_htx, "bao_cao": "tre_han"},
        }
        result = rescore(base, changed, evidence)
        for unit in result.units:
            if unit.old is not None and unit.new is not None:
                assert sum((s.points for s in unit.shares), D(0)) == unit.change


# ---------------------------------------------------------------- the printer


class TestPrinter:
    """Rule-model pieces printed as rubric text read back to the same model."""

    def test_every_scoring_form_of_2021_reads_back(self, old: htx_rules.Rubric) -> None:
        """Each criterion's scoring, printed and compiled again, is the same scoring."""
        fields = RUBRIC_2021.read_text(encoding="utf-8")
        evidence = fields[fields.index("evidence\n") : fields.index("\npart I ")]
        for criterion in all_items(old.model):
            if criterion.scoring is None:
                continue
            lines = "\n".join("    " + line for line in scoring_lines(criterion.scoring))
            text = (
                'rubric t "T"\n  year 2021\n'
                f"  total {criterion.maximum}\n  deadline 2021-12-20\n\n{evidence}\n"
                f'part I "P" max {criterion.maximum}\n'
                f'  criterion X "X" max {criterion.maximum}\n{lines}\n'
            )
            again = htx_rules.loads(text)
            assert item(again.model, "X").scoring == criterion.scoring, criterion.id

    @pytest.mark.parametrize(
        ("source", "printed"),
        [
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("-(a + b) * c", "-(a + b) * c"),
            ("a / (b * c)", "a / (b * c)"),
            ("1 if not (x and y) or z", "1 if not (x and y) or z"),
            ("1 if (x or y) and not z", "1 if (x or y) and not z"),
            ("1 if min(a, b + 1) >= 2", "1 if min(a, b + 1) ≥ 2"),
            ("1 if (a >= b) = x", "1 if (a ≥ b) = x"),
            ("1 if ((x))", "1 if x"),
        ],
    )
    def test_parentheses_where_needed(self, source: str, printed: str) -> None:
        """Printed with exactly the parentheses its structure needs, and read back the same."""

        def rubric(scoring: str) -> htx_rules.Rubric:
            return htx_rules.loads(
                'rubric t "T"\n  year 2021\n  total 1\n\nevidence\n'
                '  a number "A"\n  b number "B"\n  c number "C"\n'
                '  x yes/no "X"\n  y yes/no "Y"\n  z yes/no "Z"\n\n'
                f'part I "P" max 1\n  criterion X "X" max 1\n    {scoring}\n'
            )

        scoring = item(rubric(source).model, "X").scoring
        assert scoring is not None
        assert scoring_lines(scoring) == [printed]
        assert item(rubric(printed).model, "X").scoring == scoring

    def test_numbers(self) -> None:
        """Percentages, money and plain numbers as a rubric writes them."""
        where = Span("<test>", 1, 1, 1, 1)
        assert expr_text(m.Number(D("0.725"), "percent", where)) == "72.5%"
        assert expr_text(m.Number(D("10000000"), "money", where)) == "10.000.000 đồng"
        assert expr_text(m.Number(D("1.50"), "plain", where)) == "1.5"


# ---------------------------------------------------------------- the command line


class TestCommandLine:
    """``htx-rules diff``: formats, exit codes, errors, and the golden report."""

    def test_golden_report(self, update_goldens: bool) -> None:
        """The whole report of the README's command, in Vietnamese and English."""
        for lang in ("vi", "en"):
            code, out, err = run(
                ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--evidence",
                 "examples/2021", "--lang", lang]
            )  # fmt: skip
            assert (code, err) == (EXIT_OK, "")
            check_golden(GOLDEN_DIFF / f"2021-2022-draft.{lang}.txt", out, update_goldens)

    def test_json_follows_the_schema(self, draft: RubricDiff) -> None:
        """The JSON document validates against its schema and lists every change."""
        code, out, _ = run(
            ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--format", "json",
             "--evidence", "examples/2021"]
        )  # fmt: skip
        assert code == EXIT_OK
        document = json.loads(out)
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
        assert errors == []
        assert len(document["changes"]) == len(draft.changes)
        for unit in document["rescoring"]["units"]:
            shares = sum((D(s["points"]) for s in unit["shares"]), D(0))
            assert shares == D(unit["change"])
        _, again, _ = run(["diff", "rubrics/2021.rules", "rubrics/2021.rules", "--format", "json"])
        assert not list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(again)))

    def test_markdown(self) -> None:
        """Markdown: a title, a section per part of the rubric, the table."""
        code, out, _ = run(
            ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--format", "md",
             "--evidence", "examples/2021", "--lang", "en"]
        )  # fmt: skip
        assert code == EXIT_OK
        assert out.startswith("# RUBRIC COMPARISON\n")
        assert "## Part II — Công tác phát triển tổ hợp tác" in out
        assert "| Code   | Unit" in out

    def test_exit_code(self) -> None:
        """0 by default; with --exit-code, 4 when the rubrics differ and 0 when not."""
        assert run(["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules"])[0] == EXIT_OK
        args = ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--exit-code"]
        assert run(args)[0] == EXIT_MISMATCH
        assert run(["diff", "rubrics/2021.rules", "rubrics/2021.rules", "--exit-code"])[0] == 0

    def test_out_file(self, tmp_path: Path) -> None:
        """--out writes the report to a file and nothing to standard output."""
        target = tmp_path / "so-sanh.md"
        code, out, _ = run(
            ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--format", "md",
             "--out", str(target)]
        )  # fmt: skip
        assert (code, out) == (EXIT_OK, "")
        assert target.read_text(encoding="utf-8").startswith("# SO SÁNH BẢNG ĐIỂM")

    def test_bad_inputs(self, tmp_path: Path) -> None:
        """A missing file or folder is 3, a wrong rubric 2, a wrong submission 1."""
        code, _, err = run(["diff", "rubrics/2021.rules", "nope.rules"])
        assert code == EXIT_USAGE
        assert "nope.rules" in err
        args = ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--evidence", "nope/"]
        code, _, err = run(args)
        assert code == EXIT_USAGE
        assert "nope/" in err
        broken = tmp_path / "broken.rules"
        broken.write_text('rubric x "X"\n  year 2021\n  total 1\n', encoding="utf-8")
        code, _, err = run(["diff", "rubrics/2021.rules", str(broken)])
        assert code == EXIT_RUBRIC
        assert "broken.rules" in err
        folder = tmp_path / "hồ sơ"
        shutil.copytree(ROOT / "examples" / "2021", folder)
        path = folder / "930-tp-vi-thanh.json"
        path.write_text(path.read_text("utf-8").replace('"htx_moi": ', '"htx_moi": -'), "utf-8")
        code, out, err = run(
            ["diff", "rubrics/2021.rules", "rubrics/2022-draft.rules", "--evidence", str(folder)]
        )
        assert code == EXIT_EVIDENCE
        assert out == ""
        assert "930-tp-vi-thanh.json" in err
        assert "htx_moi" in err

    def test_usage(self) -> None:
        """--help names the subcommand's options; a missing rubric is a usage error."""
        code, out, _ = run(["diff", "--help"])
        assert code == EXIT_OK
        assert "--evidence" in out
        assert "--exit-code" in out
        assert run(["diff", "rubrics/2021.rules"])[0] == EXIT_USAGE


def test_public_api_exports() -> None:
    """The comparison is part of the public API."""
    for name in ("diff_rubrics", "RubricDiff", "Change", "rescore", "Rescoring", "diff_text"):
        assert name in htx_rules.__all__
        assert getattr(htx_rules, name) is not None
