"""The contest through the Python API: ranking, shared places, awards,
eligibility, reconciliation of claims, reviewers' assessments and input errors.

Every test writes its own small rubric inline (:func:`contest_rubric`), so the
points each unit earns are plain to read: in :data:`CONTEST` a unit earns
1 point per ``x`` (at most 5, criterion I.1), 1 per ``w`` (at most 5, I.2),
1 per ``y`` (at most 10, part II), plus 1 bonus point per ``b`` (at most 2),
minus 1 per ``z`` (at most 3).  Expected values are worked out by hand from
those lines in each test.  Hypothesis properties at the end check that
ranking and awards do not depend on input order, reward a better score, and
never pay more than the places are worth.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import Assessment, ContestError, ContestResult, Standing, Submission, run_contest
from htx_rules.contest import TieNote
from htx_rules.evaluator import Program
from htx_rules.submissions import parse_submission, read_submissions
from htx_rules.trace import assessment_key

D = Decimal
MILLION = D(1_000_000)
BOTH_DOCUMENTS = ("to_trinh", "bien_ban")
ON_TIME = "2021-12-10"

# ---------------------------------------------------------------- rubrics

CONTEST = """\
rubric thi_thu "Thi đua thử"
  year 2021
  total 20
  deadline 2021-12-20
  rounding 2 decimals half-up

contestants
{contestants}

evidence
  x count "Số mô hình liên kết" unit "mô hình"
  w count "Số văn bản chỉ đạo" unit "văn bản"
  y count "Số HTX thành lập mới" unit "HTX"
  b count "Số lần được khen thưởng" unit "lần"
  z count "Số lượt báo cáo trễ" unit "lượt"
  ngay date "Ngày nộp báo cáo"

dossier
  to_trinh "Tờ trình đề nghị khen thưởng"
  bien_ban "Biên bản họp xét khen thưởng"

part I "Công tác chỉ đạo" max 10
  criterion I.1 "Mỗi mô hình liên kết được 1 điểm" max 5
    1 per x
  criterion I.2 "Mỗi văn bản chỉ đạo được 1 điểm" max 5
    1 per w

part II "Phát triển hợp tác xã" max 10
  criterion II.1 "Mỗi HTX thành lập mới được 1 điểm" max 10
    1 per y

bonus "Điểm cộng" max 2
  rule B1 "Mỗi lần được khen thưởng cộng 1 điểm" max 2
    1 per b

deduction "Điểm trừ" max 3
  rule D1 "Mỗi lượt báo cáo trễ trừ 1 điểm" max 3
    1 per z

awards
  place 1 "Giải Nhất" 10.000.000 đồng
  place 2 "Giải Nhì" 7.000.000 đồng
  place 3 "Giải Ba" 5.000.000 đồng
{awards}
"""

UNITS = {
    "A": "Đơn vị An",
    "B": "Đơn vị Bình",
    "C": "Đơn vị Cường",
    "D": "Đơn vị Dũng",
    "E": "Đơn vị Em",
}

# The tie-break order of most tests: part II, then criterion I.2, then the
# smaller deduction, then the earlier report.
TIES = "ties higher part II, higher criterion I.2, lower deduction, earlier ngay"

ELIGIBILITY = """\
minimum 5
eligible if ngay <= deadline "Nộp báo cáo chấm điểm chậm nhất ngày 20/12/2021"
eligible if dossier complete "Có đủ hồ sơ đề nghị khen thưởng"
"""


@functools.cache
def _compiled(text: str) -> htx_rules.Rubric:
    return htx_rules.loads(text, name="thi_thu.rules")


def contest_rubric(
    awards: str = TIES, *, policy: str | None = "split", units: Sequence[str] = tuple(UNITS)
) -> htx_rules.Rubric:
    """:data:`CONTEST` with ``awards`` lines after the three places, a ``still
    tied`` line for ``policy`` (none when None) and the units ``units``."""
    lines = textwrap.dedent(awards).strip().splitlines()
    if policy is not None:
        lines.append(f"still tied: {policy}")
    text = CONTEST.format(
        contestants="\n".join(f'  {code} "{UNITS[code]}"' for code in units),
        awards="\n".join(f"  {line}" for line in lines),
    )
    return _compiled(text)


def unit(
    code: str,
    *,
    dossier: tuple[str, ...] = BOTH_DOCUMENTS,
    verified: dict[str, object] | None = None,
    claimed: dict[str, object] | None = None,
    ngay: str | None = ON_TIME,
    **evidence: object,
) -> Submission:
    """A submission for ``code``: the evidence given (``x``, ``y``, ...), sent
    on time with the whole dossier unless told otherwise."""
    values = dict(evidence)
    if ngay is not None:
        values["ngay"] = ngay
    return Submission(
        code,
        values,
        claimed=claimed or {},
        dossier=dossier,
        verified=verified,
        source=f"{code}.toml",
    )


def ranks(result: ContestResult) -> dict[str, int]:
    """Each unit's rank, by code."""
    return {s.code: s.rank for s in result.standings}


def order(result: ContestResult) -> list[str]:
    """The codes in the order of the standings."""
    return [s.code for s in result.standings]


def prizes(result: ContestResult) -> dict[str, Decimal | None]:
    """The prize of every awarded unit, by code (None: left to the council)."""
    return {s.code: s.award.prize for s in result.standings if s.award is not None}


def place_of(result: ContestResult, code: str) -> int | None:
    """The award place a unit holds, or None."""
    award = result.standing(code).award
    return None if award is None else award.place.rank


def every_order(rubric: htx_rules.Rubric, submissions: Sequence[Submission]) -> list[ContestResult]:
    """The contest run once for every order of the submissions."""
    return [run_contest(rubric, list(p)) for p in itertools.permutations(submissions)]


# ---------------------------------------------------------------- ranking


class TestRanking:
    """Verified total first, then the rubric's ``ties`` keys in order; never name or input order."""

    def test_higher_total_ranks_first(self) -> None:
        """A: 2 × 1 = 2; B: 3 × 1 = 3; C: 1 HTX = 1 → B, A, C, ranks 1, 2, 3, no tie."""
        result = run_contest(contest_rubric(), [unit("A", x=2), unit("B", x=3), unit("C", y=1)])
        assert order(result) == ["B", "A", "C"]
        assert ranks(result) == {"B": 1, "A": 2, "C": 3}
        assert [s.total for s in result.standings] == [3, 2, 1]
        assert all(s.tie is None for s in result.standings)

    def test_tie_broken_by_part(self) -> None:
        """A: 3 + 2 = 5 and B: 2 + 3 = 5; "higher part II" puts B (3) before A (2)."""
        a, b = unit("A", x=3, y=2), unit("B", x=2, y=3)
        for result in every_order(contest_rubric(), [a, b]):
            assert order(result) == ["B", "A"]
            assert ranks(result) == {"B": 1, "A": 2}
            note = result.standing("A").tie
            assert note is not None
            assert note.key is not None
            assert (note.key.direction, note.key.subject, note.key.ref) == ("higher", "part", "II")
            assert (note.other, note.own, note.theirs) == ("B", 2, 3)
            assert result.standing("B").tie is None

    def test_tie_broken_by_criterion(self) -> None:
        """A: 4 + 1 = 5, B: 3 + 2 = 5, part II 0 each; "higher criterion I.2": B (2) over A (1)."""
        a, b = unit("A", x=4, w=1), unit("B", x=3, w=2)
        for result in every_order(contest_rubric(), [a, b]):
            assert ranks(result) == {"B": 1, "A": 2}
            note = result.standing("A").tie
            assert note is not None
            assert note.key is not None
            assert (note.key.subject, note.key.ref) == ("criterion", "I.2")
            assert (note.own, note.theirs) == (1, 2)

    def test_tie_broken_by_lower_deduction(self) -> None:
        """A: 3 + 1 bonus − 1 = 3; B: 3. Part II and I.2 are 0 for both; B deducts less."""
        a, b = unit("A", x=3, b=1, z=1), unit("B", x=3)
        for result in every_order(contest_rubric(), [a, b]):
            assert [s.total for s in result.standings] == [3, 3]
            assert ranks(result) == {"B": 1, "A": 2}
            note = result.standing("A").tie
            assert note is not None
            assert note.key is not None
            assert (note.key.direction, note.key.subject) == ("lower", "deduction")
            assert (note.own, note.theirs) == (1, 0)

    def test_tie_broken_by_earlier_date(self) -> None:
        """A and B both 3 points with equal parts and deduction; B reported on 5/12, A on 10/12."""
        a, b = unit("A", x=3, ngay="2021-12-10"), unit("B", x=3, ngay="2021-12-05")
        for result in every_order(contest_rubric(), [a, b]):
            assert ranks(result) == {"B": 1, "A": 2}
            note = result.standing("A").tie
            assert note is not None
            assert note.key is not None
            assert (note.key.direction, note.key.subject, note.key.ref) == (
                "earlier",
                "field",
                "ngay",
            )
            assert (note.own, note.theirs) == (
                datetime.date(2021, 12, 10),
                datetime.date(2021, 12, 5),
            )

    def test_a_missing_date_is_worst(self) -> None:
        """B gave no date: on the last key it ranks after A, whatever A's date."""
        a, b = unit("A", x=3, ngay="2021-12-19"), unit("B", x=3, ngay=None)
        for result in every_order(contest_rubric(), [a, b]):
            assert ranks(result) == {"A": 1, "B": 2}

    def test_first_differing_key_decides(self) -> None:
        """A: 1 + 2 = 3, reported earlier; B: 0 + 3 = 3. Part II (3 > 2) decides before the date."""
        a = unit("A", x=1, y=2, ngay="2021-12-01")
        b = unit("B", y=3, ngay="2021-12-19")
        result = run_contest(contest_rubric(), [a, b])
        assert ranks(result) == {"B": 1, "A": 2}
        note = result.standing("A").tie
        assert note is not None
        assert note.key is not None
        assert note.key.subject == "part"

    def test_unbroken_tie_is_a_shared_rank(self) -> None:
        """A and B: 3 points, equal on every key → both rank 1; C (2 points) is 3rd, not 2nd."""
        a, b, c = unit("A", x=3), unit("B", x=3), unit("C", x=2)
        for result in every_order(contest_rubric(), [a, b, c]):
            assert ranks(result) == {"A": 1, "B": 1, "C": 3}
            # Within the shared place the rubric's list order is kept for display.
            assert order(result) == ["A", "B", "C"]
            assert result.standing("B").tie == TieNote(None, "A")
            assert result.standing("B").shared
            assert result.standing("C").tie is None

    def test_shared_place_is_not_decided_by_name(self) -> None:
        """The rubric lists C before A: the display follows the list, the rank is shared."""
        rubric = contest_rubric(units=("C", "B", "A"))
        result = run_contest(rubric, [unit("A", x=3), unit("C", x=3), unit("B", x=1)])
        assert order(result) == ["C", "A", "B"]
        assert ranks(result) == {"C": 1, "A": 1, "B": 3}

    def test_without_tie_keys_equal_totals_share(self) -> None:
        """No ``ties`` line: A (3 + 0) and B (0 + 3) share rank 1 although their parts differ."""
        rubric = contest_rubric("", policy=None)
        result = run_contest(rubric, [unit("A", x=3), unit("B", y=3)])
        assert ranks(result) == {"A": 1, "B": 1}
        assert result.standing("B").tie == TieNote(None, "A")

    def test_three_way_partial_tie(self) -> None:
        """A 0 + 3, B 1 + 2 and C 1 + 2 all total 3: A first by part II; B and C share rank 2."""
        a, b, c = unit("A", y=3), unit("B", x=1, y=2), unit("C", x=1, y=2)
        for result in every_order(contest_rubric(), [a, b, c]):
            assert ranks(result) == {"A": 1, "B": 2, "C": 2}
            assert result.standing("C").tie == TieNote(None, "B")

    def test_every_unit_of_a_shared_place_is_shared(self) -> None:
        """A, B and C share rank 1: each is marked shared and names the other two; D is not."""
        submissions = [unit("A", x=3), unit("B", x=3), unit("C", x=3), unit("D", x=1)]
        result = run_contest(contest_rubric(), submissions)
        assert ranks(result) == {"A": 1, "B": 1, "C": 1, "D": 4}
        assert {s.code: s.shared for s in result.standings} == {
            "A": True,
            "B": True,
            "C": True,
            "D": False,
        }
        assert result.standing("A").shared_with == ("B", "C")
        assert result.standing("C").shared_with == ("A", "B")
        assert result.standing("D").shared_with == ()

    def test_a_broken_tie_is_not_shared(self) -> None:
        result = run_contest(contest_rubric(), [unit("A", x=3, y=2), unit("B", x=2, y=3)])
        assert not any(s.shared for s in result.standings)


# ---------------------------------------------------------------- shared award places


class TestSharedPlaces:
    """``still tied: split | each | council`` (none declared: council) at an award place."""

    def test_split_three_ways_leaves_a_remainder(self) -> None:
        """A, B, C tie for first: 10M + 7M + 5M = 22M; 22.000.000 / 3 = 7.333.333 each,
        3 × 7.333.333 = 21.999.999, so 1 đồng is left over."""
        a, b, c, d = unit("A", x=3), unit("B", x=3), unit("C", x=3), unit("D", x=2)
        result = run_contest(contest_rubric(), [a, b, c, d])
        assert ranks(result) == {"A": 1, "B": 1, "C": 1, "D": 4}
        assert prizes(result) == {"A": D(7_333_333), "B": D(7_333_333), "C": D(7_333_333)}
        award = result.standing("B").award
        assert award is not None
        assert award.policy == "split"
        assert award.remainder == 1
        assert [p.rank for p in award.places] == [1, 2, 3]
        assert award.place.rank == 1
        assert award.shared_with == ("A", "C")
        # All three places are taken: D, 4th, gets nothing.
        assert result.standing("D").award is None

    def test_split_two_ways_exactly(self) -> None:
        """A and B tie for first: (10M + 7M) / 2 = 8.500.000 each, no remainder; C, 3rd: Giải Ba."""
        result = run_contest(contest_rubric(), [unit("A", x=3), unit("B", x=3), unit("C", x=2)])
        assert prizes(result) == {"A": D(8_500_000), "B": D(8_500_000), "C": 5 * MILLION}
        a_award = result.standing("A").award
        c_award = result.standing("C").award
        assert a_award is not None
        assert c_award is not None
        assert a_award.remainder == 0
        assert (c_award.place.label, c_award.shared_with, c_award.policy) == ("Giải Ba", (), None)

    def test_each_gets_the_first_place(self) -> None:
        """``each``: A and B both get Giải Nhất's full 10M; C, 3rd, gets Giải Ba (5M)."""
        rubric = contest_rubric(policy="each")
        result = run_contest(rubric, [unit("A", x=3), unit("B", x=3), unit("C", x=2)])
        assert prizes(result) == {"A": 10 * MILLION, "B": 10 * MILLION, "C": 5 * MILLION}
        award = result.standing("A").award
        assert award is not None
        assert (award.place.rank, award.policy, award.remainder) == (1, "each", 0)
        assert [p.rank for p in award.places] == [1, 2]
        # By design 'each' pays 20M for the two places worth 10M + 7M = 17M.
        assert sum(p for p in prizes(result).values() if p is not None) == 25 * MILLION

    @pytest.mark.parametrize("policy", ["council", None])
    def test_council_leaves_the_prize_pending(self, policy: str | None) -> None:
        """``council`` (and no ``still tied`` line): A and B hold Giải Nhất, prize to be decided."""
        rubric = contest_rubric(policy=policy)
        result = run_contest(rubric, [unit("A", x=3), unit("B", x=3), unit("C", x=2)])
        assert result.policy == policy
        for code in ("A", "B"):
            award = result.standing(code).award
            assert award is not None
            assert award.prize is None
            assert award.pending
            assert award.policy == "council"
            assert award.place.rank == 1
        assert prizes(result)["C"] == 5 * MILLION

    @pytest.mark.parametrize(
        ("policy", "each_prize"),
        [
            ("split", D(2_500_000)),  # the one place left, 5M, split in two
            ("each", 5 * MILLION),  # both get Giải Ba in full
            ("council", None),
        ],
    )
    def test_tie_straddling_the_last_place(self, policy: str, each_prize: Decimal | None) -> None:
        """A 5 (1st), B 4 (2nd), C and D 3 each share 3rd: only Giải Ba is left for them."""
        rubric = contest_rubric(policy=policy)
        submissions = [unit("A", x=5), unit("B", x=4), unit("C", x=3), unit("D", x=3)]
        result = run_contest(rubric, submissions)
        assert ranks(result) == {"A": 1, "B": 2, "C": 3, "D": 3}
        assert prizes(result) == {
            "A": 10 * MILLION,
            "B": 7 * MILLION,
            "C": each_prize,
            "D": each_prize,
        }
        award = result.standing("D").award
        assert award is not None
        assert [p.rank for p in award.places] == [3]
        assert award.remainder == 0

    def test_three_tied_for_the_two_last_places(self) -> None:
        """A is 1st; B, C, D tie at rank 2 for Giải Nhì and Giải Ba: (7M + 5M) / 3 = 4M each."""
        submissions = [unit("A", x=5), unit("B", x=3), unit("C", x=3), unit("D", x=3)]
        result = run_contest(contest_rubric(), submissions)
        assert prizes(result) == {
            "A": 10 * MILLION,
            "B": 4 * MILLION,
            "C": 4 * MILLION,
            "D": 4 * MILLION,
        }
        award = result.standing("C").award
        assert award is not None
        assert (award.place.rank, [p.rank for p in award.places]) == (2, [2, 3])

    def test_more_tied_units_than_places(self) -> None:
        """Four units tie for first with three places: 22M / 4 = 5.500.000 each; E gets nothing."""
        submissions = [unit(code, x=3) for code in "ABCD"] + [unit("E", x=1)]
        result = run_contest(contest_rubric(), submissions)
        assert prizes(result) == dict.fromkeys("ABCD", D(5_500_000))
        assert result.standing("E").award is None

    def test_tie_below_the_award_places(self) -> None:
        """D and E share rank 4, below the three places: the policy does not come into it."""
        submissions = [
            unit("A", x=5),
            unit("B", x=4),
            unit("C", x=3),
            unit("D", x=1),
            unit("E", x=1),
        ]
        result = run_contest(contest_rubric(policy="each"), submissions)
        assert ranks(result)["D"] == ranks(result)["E"] == 4
        assert prizes(result) == {"A": 10 * MILLION, "B": 7 * MILLION, "C": 5 * MILLION}


# ---------------------------------------------------------------- eligibility


def reason_codes(standing: Standing) -> list[str]:
    """The codes of a unit's reasons for not being eligible."""
    return [r.code for r in standing.reasons]


class TestEligibility:
    """``eligible if`` lines, the dossier and the minimum decide who may be awarded."""

    def rubric(self) -> htx_rules.Rubric:
        return contest_rubric(ELIGIBILITY + TIES)

    def test_ineligible_leader_is_ranked_but_passed_over(self) -> None:
        """A has 9 points but reported on 22/12, after the 20/12 deadline: rank 1, no award;
        B (8), C (7), D (6) get the three places; A is listed as passed over."""
        submissions = [
            unit("A", x=5, y=4, ngay="2021-12-22"),
            unit("B", x=5, y=3),
            unit("C", x=5, y=2),
            unit("D", x=5, y=1),
        ]
        result = run_contest(self.rubric(), submissions)
        leader = result.standing("A")
        assert (leader.rank, leader.total, leader.eligible, leader.award) == (1, 9, False, None)
        assert reason_codes(leader) == ["ineligible-rule"]
        reason = leader.reasons[0]
        assert reason.args["reason"] == "Nộp báo cáo chấm điểm chậm nhất ngày 20/12/2021"
        assert "22/12/2021" in reason.text("vi")
        assert "2021-12-22" in reason.text("en")
        assert {code: place_of(result, code) for code in "BCD"} == {"B": 1, "C": 2, "D": 3}
        assert [s.code for s in result.passed_over()] == ["A"]

    def test_report_on_the_deadline_day_is_on_time(self) -> None:
        """``ngay <= deadline`` holds on 20/12/2021 itself."""
        result = run_contest(self.rubric(), [unit("A", x=5, ngay="2021-12-20")])
        assert result.standing("A").eligible

    def test_missing_document_is_named(self) -> None:
        """A sent only the submission letter: the reason names the minutes it lacks."""
        result = run_contest(self.rubric(), [unit("A", x=5, dossier=("to_trinh",))])
        standing = result.standing("A")
        assert [d.id for d in standing.dossier_missing] == ["bien_ban"]
        assert reason_codes(standing) == ["ineligible-dossier"]
        assert standing.reasons[0].args["documents"] == ("Biên bản họp xét khen thưởng",)
        for lang in ("vi", "en"):
            assert "Biên bản họp xét khen thưởng" in standing.reasons[0].text(lang)
        assert "Tờ trình" not in standing.reasons[0].text("vi")

    def test_below_the_minimum(self) -> None:
        """``minimum 5``: A with 4 points is not eligible; B with exactly 5 is."""
        result = run_contest(self.rubric(), [unit("A", x=4), unit("B", x=5)])
        standing = result.standing("A")
        assert reason_codes(standing) == ["ineligible-minimum"]
        assert (standing.reasons[0].args["total"], standing.reasons[0].args["minimum"]) == (4, 5)
        assert result.standing("B").eligible
        assert place_of(result, "B") == 1
        assert place_of(result, "A") is None

    def test_missing_value_the_condition_needs(self) -> None:
        """A gave no report date: whether it was on time cannot be established."""
        result = run_contest(self.rubric(), [unit("A", x=5, ngay=None)])
        standing = result.standing("A")
        assert reason_codes(standing) == ["ineligible-unknown"]
        assert standing.reasons[0].args["field"] == "ngay"
        assert standing.reasons[0].args["label"] == "Ngày nộp báo cáo"
        assert "Ngày nộp báo cáo" in standing.reasons[0].text("en")
        assert standing.award is None

    def test_every_reason_is_listed(self) -> None:
        """Late, no dossier at all and 2 points < 5: three reasons, in the rubric's order."""
        result = run_contest(self.rubric(), [unit("A", x=2, ngay="2021-12-21", dossier=())])
        standing = result.standing("A")
        assert reason_codes(standing) == [
            "ineligible-rule",
            "ineligible-dossier",
            "ineligible-minimum",
        ]
        assert standing.reasons[1].args["documents"] == (
            "Tờ trình đề nghị khen thưởng",
            "Biên bản họp xét khen thưởng",
        )

    def test_ineligible_unit_in_a_shared_place(self) -> None:
        """A and B tie at 7 points but A lacks a document: B takes Giải Nhất alone, C Giải Nhì."""
        submissions = [
            unit("A", x=5, y=2, dossier=("to_trinh",)),
            unit("B", x=5, y=2),
            unit("C", x=5, y=1),
        ]
        result = run_contest(self.rubric(), submissions)
        assert ranks(result) == {"A": 1, "B": 1, "C": 3}
        award = result.standing("B").award
        assert award is not None
        assert (award.place.rank, award.prize, award.shared_with, award.policy) == (
            1,
            10 * MILLION,
            (),
            None,
        )
        assert place_of(result, "C") == 2
        assert result.standing("A").award is None
        assert [s.code for s in result.passed_over()] == ["A"]

    def test_eligibility_reads_the_verified_values(self) -> None:
        """A reported 19/12 but re-inspection found 22/12: late. B reported 22/12, corrected to
        19/12: on time."""
        submissions = [
            unit("A", x=5, ngay="2021-12-19", verified={"ngay": "2021-12-22"}),
            unit("B", x=5, ngay="2021-12-22", verified={"ngay": "2021-12-19"}),
        ]
        result = run_contest(self.rubric(), submissions)
        assert not result.standing("A").eligible
        assert result.standing("B").eligible

    def test_minimum_reads_the_verified_total(self) -> None:
        """A reported 6 models (5 points) but only 4 were verified: 4 < 5, not eligible."""
        result = run_contest(self.rubric(), [unit("A", x=6, verified={"x": 4})])
        standing = result.standing("A")
        assert (standing.reported.total, standing.total) == (5, 4)
        assert reason_codes(standing) == ["ineligible-minimum"]

    def test_nobody_eligible(self) -> None:
        """Both late: nobody is awarded; nobody is "passed over" (there is no awarded
        unit to be above), and both are ineligible with their reason."""
        submissions = [unit("A", x=5, ngay="2021-12-21"), unit("B", x=4, ngay="2021-12-21")]
        result = run_contest(self.rubric(), submissions)
        assert result.awarded == ()
        assert result.passed_over() == ()
        assert [(s.code, s.eligible) for s in result.standings] == [("A", False), ("B", False)]
        assert all(any(r.code == "ineligible-rule" for r in s.reasons) for s in result.standings)


# ---------------------------------------------------------------- reconciliation

RECONCILE = """\
rubric doi_chieu "Đối chiếu tự chấm"
  year 2021
  total 10
  deadline 2021-12-20
  rounding 2 decimals half-up

contestants
  A "Đơn vị An"

evidence
  co_quyet_dinh yes/no "Có quyết định thành lập Ban Chỉ đạo"
  hoi_nghi count "Số hội nghị tuyên truyền" unit "hội nghị"
  mo_hinh count "Số mô hình liên kết" unit "mô hình"
  khen count "Số HTX được khen thưởng" unit "HTX"
  lien_hiep count "Số liên hiệp HTX mới" unit "liên hiệp"
  tre count "Số báo cáo trễ" unit "lượt"

part I "Công tác chỉ đạo" max 10
  criterion I.1 "Ban Chỉ đạo và tuyên truyền" max 5
    criterion I.1.a "Có quyết định thành lập Ban Chỉ đạo" max 2
      2 if co_quyet_dinh
    criterion I.1.b "Mỗi hội nghị 1 điểm" max 3
      1 per hoi_nghi
  criterion I.2 "Mỗi mô hình 2 điểm" max 5
    2 per mo_hinh

bonus "Điểm cộng" max 2
  rule B1 "Mỗi HTX được khen thưởng cộng 1 điểm" max 2
    1 per khen
  rule B2 "Thành lập liên hiệp HTX cộng 2 điểm" max 2
    2 if lien_hiep >= 1

deduction "Điểm trừ" max 1
  rule D1 "Mỗi báo cáo trễ trừ 1 điểm" max 2
    1 per tre
"""


def reconcile_rubric() -> htx_rules.Rubric:
    return _compiled(RECONCILE)


def lines_of(standing: Standing) -> dict[str, tuple[Decimal | None, Decimal, Decimal]]:
    """(claimed, reported, verified) per criterion and rule id."""
    return {line.id: (line.claimed, line.reported, line.verified) for line in standing.lines}


class TestReconciliation:
    """Claimed, reported and verified points side by side."""

    EVIDENCE: dict[str, object] = {  # noqa: RUF012 - read only
        "co_quyet_dinh": True,
        "hoi_nghi": 3,
        "mo_hinh": 2,
        "khen": 0,
        "lien_hiep": 0,
        "tre": 0,
    }

    def run(self, **fields: Any) -> Standing:
        submission = Submission("A", dict(self.EVIDENCE), **fields)
        return run_contest(reconcile_rubric(), [submission]).standing("A")

    def test_lines_claimed_reported_verified(self) -> None:
        """Reported: I.1.a 2, I.1.b 3 × 1 = 3, I.2 2 × 2 = 4 (max 5). Re-inspection found 1
        conference and 1 model: I.1.b 1, I.2 2. The unit claimed the full marks."""
        standing = self.run(
            claimed={"I.1.a": 2, "I.1.b": 3, "I.2": 5},
            verified={"hoi_nghi": 1, "mo_hinh": 1},
        )
        lines = lines_of(standing)
        assert lines["I.1.a"] == (2, 2, 2)
        assert lines["I.1.b"] == (3, 3, 1)
        assert lines["I.1"] == (2 + 3, 2 + 3, 2 + 1)
        assert lines["I.2"] == (5, 4, 2)
        assert lines["B1"] == (None, 0, 0)
        assert [line.id for line in standing.lines] == [
            "I.1",
            "I.1.a",
            "I.1.b",
            "I.2",
            "B1",
            "B2",
            "D1",
        ]
        assert {line.id: line.depth for line in standing.lines}["I.1.b"] == 1
        assert {line.id: line.kind for line in standing.lines}["D1"] == "rule"
        assert standing.re_inspected
        assert (standing.reported.total, standing.total) == (2 + 3 + 4, 2 + 1 + 2)

    def test_changed_values(self) -> None:
        """The lines that read a value re-inspection changed list it, with both values."""
        standing = self.run(verified={"hoi_nghi": 1, "co_quyet_dinh": True})
        by_id = {line.id: line for line in standing.lines}
        changed = by_id["I.1.b"].changed
        assert [(c.field, c.label, c.reported, c.verified) for c in changed] == [
            ("hoi_nghi", "Số hội nghị tuyên truyền", 3, 1)
        ]
        # Confirmed unchanged (True → True) is not a change.
        assert by_id["I.1.a"].changed == ()
        assert by_id["I.2"].changed == ()
        assert [line.id for line in standing.differences] == ["I.1", "I.1.b"]

    def test_value_not_accepted_by_reinspection(self) -> None:
        """``mo_hinh = None`` in the verified values: the reported 2 is refused, I.2 scores 0."""
        standing = self.run(verified={"mo_hinh": None})
        line = {line.id: line for line in standing.lines}["I.2"]
        assert (line.reported, line.verified) == (4, 0)
        assert [(c.field, c.reported, c.verified) for c in line.changed] == [("mo_hinh", 2, None)]
        assert "mo_hinh" in standing.verified.missing

    def test_claim_over_the_maximum(self) -> None:
        """A claim of 7 for I.2 (max 5) is kept as claimed on its line, and differs."""
        standing = self.run(claimed={"I.2": 7})
        line = {line.id: line for line in standing.lines}["I.2"]
        assert (line.claimed, line.maximum, line.verified) == (7, 5, 4)
        assert line.claim_differs
        assert line.evidence_differs
        assert not line.inspection_differs

    def test_parent_claim(self) -> None:
        """I.1 claims what its sub-criteria claim (2 + 1 = 3); a parent's own claim wins;
        with no sub-claim at all it claims nothing."""
        assert lines_of(self.run(claimed={"I.1.a": 2, "I.1.b": 1}))["I.1"][0] == 3
        assert lines_of(self.run(claimed={"I.1.b": 1}))["I.1"][0] == 1
        assert lines_of(self.run(claimed={"I.1": 4, "I.1.a": 2, "I.1.b": 3}))["I.1"][0] == 4
        assert lines_of(self.run(claimed={"I.2": 4}))["I.1"][0] is None

    def test_claimed_total_adds_up_with_caps(self) -> None:
        """Part I: 2 + 3 + 7 = 12, capped at 10; bonus 2 + 2 = 4, capped at 2; deduction 2,
        capped at 1: 10 + 2 − 1 = 11."""
        standing = self.run(
            claimed={"I.1.a": 2, "I.1.b": 3, "I.2": 7, "B1": 2, "B2": 2, "D1": 2},
        )
        assert standing.claimed_total == 11

    def test_claimed_total_without_caps(self) -> None:
        """Claims 2 + 1 + 4 = 7 in part I, bonus 1, deduction 1: 7 + 1 − 1 = 7."""
        standing = self.run(claimed={"I.1.a": 2, "I.1.b": 1, "I.2": 4, "B1": 1, "D1": 1})
        assert standing.claimed_total == 7

    def test_claimed_total_as_stated(self) -> None:
        """A stated total is taken as stated, even when the claims add up to something else."""
        standing = self.run(claimed={"I.2": 4}, claimed_total=D("9.5"))
        assert standing.claimed_total == D("9.5")

    def test_no_claims_no_claimed_total(self) -> None:
        standing = self.run()
        assert standing.claimed_total is None
        assert all(line.claimed is None for line in standing.lines)

    def test_not_reinspected_rests_on_the_report(self) -> None:
        """Without verified values the reported evidence is the basis: 2 + 3 + 4 = 9 both ways."""
        standing = self.run(claimed={"I.2": 5})
        assert not standing.re_inspected
        assert standing.reported.total == standing.total == 9
        assert all(line.reported == line.verified for line in standing.lines)
        assert not any(line.changed for line in standing.lines)

    def test_empty_verified_table_is_a_reinspection_that_changed_nothing(self) -> None:
        standing = self.run(verified={})
        assert standing.re_inspected
        assert standing.total == standing.reported.total == 9

    def test_claims_are_exact_decimals(self) -> None:
        """1.1 + 2.2 read from TOML is exactly 3.3 (no binary float)."""
        text = (
            'contestant = "A"\n[evidence]\nhoi_nghi = 3\n[claimed]\n"I.1.a" = 1.1\n"I.1.b" = 2.2\n'
        )
        submission = parse_submission(text, "A.toml")
        standing = run_contest(reconcile_rubric(), [submission]).standing("A")
        assert lines_of(standing)["I.1"][0] == D("3.3")
        assert standing.claimed_total == D("3.3")


# ---------------------------------------------------------------- reviewer-assessed criteria

ASSESSED = """\
rubric danh_gia "Tiêu chí do người chấm đánh giá"
  year 2021
  total 10
  deadline 2021-12-20
  rounding 2 decimals half-up

contestants
  A "Đơn vị An"

evidence
  n count "Số cuộc kiểm tra" unit "cuộc"

part I "Kiểm tra, giám sát" max 10
  criterion I.1 "Mỗi cuộc kiểm tra 1 điểm" max 7
    1 per n
  criterion I.2 "Chất lượng kiểm tra" max 3
    assessed by reviewer "Tốt: 3 điểm; chưa tốt: 1–2 điểm"
"""


def assessed_rubric() -> htx_rules.Rubric:
    return _compiled(ASSESSED)


def judged(
    points: object, reviewer: object = "Trần Thị Mai", why: object = "Có biên bản"
) -> dict[str, object]:
    """An assessment as a file gives it."""
    return {"points": points, "reviewer": reviewer, "justification": why}


class TestAssessedCriteria:
    """``assessed by reviewer``: a reviewer's points, rounded and clamped like any rule's."""

    def test_points_are_rounded(self) -> None:
        """2.345 rounds half-up to 2.35 (2 decimals); the trace shows the rounding."""
        result = assessed_rubric().score({"n": 2}, assessments={"I.2": judged(D("2.345"))})
        node = result.trace.find("I.2") if result.trace else None
        assert node is not None
        assert (node.raw, node.points) == (D("2.345"), D("2.35"))
        assert [(a.kind, a.before, a.after) for a in node.adjustments] == [
            ("round", D("2.345"), D("2.35"))
        ]
        assert node.decision is not None
        assert node.decision.kind == "assessed"
        assert node.decision.detail("reviewer") == "Trần Thị Mai"
        assert result.total == 2 + D("2.35")

    def test_points_are_clamped_to_the_maximum(self) -> None:
        """5 points for a criterion worth at most 3 count 3; the trace shows the clamp."""
        result = assessed_rubric().score({"n": 2}, assessments={"I.2": judged(5)})
        node = result.trace.find("I.2") if result.trace else None
        assert node is not None
        assert node.points == 3
        assert [(a.kind, a.after, a.limit) for a in node.adjustments] == [("max", 3, 3)]
        assert result.total == 2 + 3

    def test_unassessed_scores_zero_and_is_listed(self) -> None:
        result = assessed_rubric().score({"n": 2})
        assert result.points("I.2") == 0
        assert result.unassessed == ("I.2",)
        node = result.trace.find("I.2") if result.trace else None
        assert node is not None
        assert node.status == "not_assessed"
        assert result.total == 2

    @pytest.mark.parametrize(
        ("assessment", "code"),
        [
            (judged(2, why=""), "assessment-no-justification"),
            (judged(2, why=None), "assessment-no-justification"),
            (judged(2, reviewer="  "), "assessment-no-reviewer"),
            (judged(-1), "assessment-negative"),
            (judged("hai"), "assessment-points"),
            (3, "assessment-not-object"),
        ],
    )
    def test_wrong_assessment_names_the_criterion(self, assessment: object, code: str) -> None:
        with pytest.raises(htx_rules.EvidenceError) as caught:
            assessed_rubric().score({"n": 2}, assessments={"I.2": assessment})
        assert caught.value.codes == (code,)
        assert caught.value.fields == ("I.2",)
        assert "I.2" in caught.value.render("en")

    def test_unknown_criterion_suggests_the_assessed_one(self) -> None:
        """I.1 is scored from evidence, not by a reviewer; I.3 does not exist: both are errors,
        and 'I.3' gets the did-you-mean hint for I.2."""
        with pytest.raises(htx_rules.EvidenceError) as caught:
            assessed_rubric().score(
                {"n": 2}, assessments={"I.1": judged(1), "I.3": judged(1), "I.2": judged(1)}
            )
        assert caught.value.codes == ("assessment-unknown-criterion",) * 2
        assert caught.value.fields == ("I.1", "I.3")
        assert "did you mean 'I.2'" in caught.value.render("en")

    def test_every_problem_of_one_assessment(self) -> None:
        """Negative points, no reviewer and no justification: three problems for I.2."""
        with pytest.raises(htx_rules.EvidenceError) as caught:
            assessed_rubric().score({"n": 1}, assessments={"I.2": judged(-2, "", "")})
        assert set(caught.value.codes) == {
            "assessment-negative",
            "assessment-no-reviewer",
            "assessment-no-justification",
        }

    def test_assessment_counts_on_both_sides_of_the_reconciliation(self) -> None:
        """Reported 4 inspections, verified 3; the reviewer's 2 points are on both sides."""
        submission = Submission(
            "A", {"n": 4}, verified={"n": 3}, assessments={"I.2": judged(2)}, claimed={"I.2": 3}
        )
        standing = run_contest(assessed_rubric(), [submission]).standing("A")
        line = {line.id: line for line in standing.lines}["I.2"]
        assert (line.claimed, line.reported, line.verified, line.assessed) == (3, 2, 2, True)
        assert (standing.reported.total, standing.total) == (4 + 2, 3 + 2)
        assert standing.verified.unassessed == ()

    def test_contest_without_assessment_lists_it_unassessed(self) -> None:
        standing = run_contest(assessed_rubric(), [Submission("A", {"n": 4})]).standing("A")
        assert standing.verified.unassessed == ("I.2",)
        assert standing.total == 4

    def test_assessment_errors_in_a_contest_name_the_key(self) -> None:
        submission = Submission(
            "A", {"n": 4}, assessments={"I.2": judged(1, why=""), "I.9": judged(1)}, source="A.toml"
        )
        with pytest.raises(ContestError) as caught:
            run_contest(assessed_rubric(), [submission])
        assert [(w, p.field, p.code) for w, p in caught.value.problems] == [
            ("A.toml", "assessments.I.2", "assessment-no-justification"),
            ("A.toml", "assessments.I.9", "assessment-unknown-criterion"),
        ]

    @settings(max_examples=40, deadline=None)
    @given(
        n=st.integers(0, 9),
        points=st.one_of(st.none(), st.decimals(0, 12, places=3, allow_nan=False)),
    )
    def test_compiled_and_reference_evaluators_agree(self, n: int, points: Decimal | None) -> None:
        """The compiled evaluator and :class:`Program` agree on an assessed criterion."""
        rubric = assessed_rubric()
        values: dict[Any, Any] = dict(rubric.validate({"n": n}))
        if points is not None:
            values[assessment_key("I.2")] = Assessment(points, "Trần Thị Mai", "Có biên bản")
        reference = Program(rubric.model, rubric.source)
        assert rubric._program.run(values) == reference.run(values)
        assert rubric._program.run(values, traced=False) == reference.run(values, traced=False)


# ---------------------------------------------------------------- input errors


def problems_of(error: ContestError) -> list[tuple[str, str, str]]:
    """(where, field, code) of every problem."""
    return [(where, p.field, p.code) for where, p in error.problems]


class TestInputErrors:
    """Wrong contest input: every problem, with the file it is in."""

    def test_unknown_contestant(self) -> None:
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [unit("Z", x=1), unit("A", x=1)])
        assert problems_of(caught.value) == [("Z.toml", "contestant", "unknown-contestant")]
        assert "Đơn vị An" in caught.value.render("en")

    def test_duplicate_contestant_names_both_files(self) -> None:
        first = Submission("A", {"x": 1}, source="don_vi_a.toml")
        second = Submission("A", {"x": 2}, source="ban_sao_a.json")
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [first, second])
        assert problems_of(caught.value) == [("ban_sao_a.json", "contestant", "contest-duplicate")]
        text = caught.value.render("en")
        assert "don_vi_a.toml" in text
        assert "ban_sao_a.json" in text

    def test_missing_contestants_are_listed(self) -> None:
        """The rubric lists A–E; only B and D sent anything: A, C, E are missing, in list order."""
        result = run_contest(contest_rubric(), [unit("D", x=1), unit("B", x=2)])
        assert [c.code for c in result.missing] == ["A", "C", "E"]
        assert [c.name for c in result.missing] == ["Đơn vị An", "Đơn vị Cường", "Đơn vị Em"]
        assert order(result) == ["B", "D"]

    def test_unknown_claimed_criterion_with_did_you_mean(self) -> None:
        submission = unit("A", x=1, claimed={"I.3": 1, "II1": 1, "XYZ": 1})
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [submission])
        assert [p.field for _, p in caught.value.problems] == [
            "claimed.I.3",
            "claimed.II1",
            "claimed.XYZ",
        ]
        assert set(caught.value.codes) == {"claim-unknown-item"}
        hints = [p.hint_args.get("name") for _, p in caught.value.problems]
        assert hints[0] in ("I.1", "I.2")
        assert hints[1] == "II.1"
        assert hints[2] is None

    @pytest.mark.parametrize(
        ("claim", "code"),
        [("ba", "claim-not-number"), (1.5, "claim-not-number"), (-1, "claim-negative")],
    )
    def test_wrong_claims(self, claim: object, code: str) -> None:
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [unit("A", x=1, claimed={"I.1": claim})])
        assert problems_of(caught.value) == [("A.toml", "claimed.I.1", code)]

    def test_unknown_dossier_document(self) -> None:
        submission = unit("A", x=1, dossier=("to_trinh", "giay_phep"))
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [submission])
        assert caught.value.codes == ("dossier-unknown-document",)
        text = caught.value.render("en")
        assert "giay_phep" in text
        assert "bien_ban" in text  # the documents the rubric knows

    def test_bad_verified_values_name_the_verified_field(self) -> None:
        submission = unit("A", x=1, verified={"x": -2, "ngay": "2021-02-30", "khong_co": 1})
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [submission])
        fields = [p.field for _, p in caught.value.problems]
        assert sorted(fields) == ["verified.khong_co", "verified.ngay", "verified.x"]
        assert "'verified.x'" in caught.value.render("en")

    def test_every_problem_of_every_submission(self) -> None:
        """Two units, each with several problems, plus an unknown unit: all of them at once."""
        first = unit("A", x=-1, claimed={"I.9": 1}, verified={"y": "mot"})
        second = unit("B", y=1, dossier=("to_trinh", "khac"), claimed={"II.1": -3})
        third = unit("Z", x=1)
        with pytest.raises(ContestError) as caught:
            run_contest(contest_rubric(), [first, second, third])
        assert sorted(problems_of(caught.value)) == sorted(
            [
                ("A.toml", "claimed.I.9", "claim-unknown-item"),
                ("A.toml", "x", "evidence-negative"),
                ("A.toml", "verified.y", "evidence-wrong-type"),
                ("B.toml", "dossier", "dossier-unknown-document"),
                ("B.toml", "claimed.II.1", "claim-negative"),
                ("Z.toml", "contestant", "unknown-contestant"),
            ]
        )
        assert caught.value.render("en").startswith("the contest input has 6 problem(s)")


class TestSubmissionFiles:
    """``parse_submission`` and ``read_submissions``: TOML and JSON files."""

    def test_toml_submission(self) -> None:
        text = """\
contestant = "A"
rubric = "thi_thu"
note = "Phúc tra: 1 mô hình chưa có hợp đồng"
dossier = ["to_trinh", "bien_ban"]
claimed_total = 5.5

[evidence]
x = 3
ngay = 2021-12-15

[claimed]
"I.1" = 3

[verified]
x = 2
"""
        submission = parse_submission(text, "A.toml", rubric_id="thi_thu")
        assert submission.contestant == "A"
        assert submission.evidence == {"x": 3, "ngay": datetime.date(2021, 12, 15)}
        assert submission.claimed == {"I.1": 3}
        assert submission.claimed_total == D("5.5")
        assert submission.verified == {"x": 2}
        assert submission.dossier == BOTH_DOCUMENTS
        standing = run_contest(contest_rubric(), [submission]).standing("A")
        assert (standing.reported.total, standing.total, standing.claimed_total) == (3, 2, D("5.5"))

    def test_json_submission_with_a_numeric_code(self) -> None:
        text = '{"contestant": 931, "evidence": {"x": 1.5}}'
        submission = parse_submission(text, "931.json", form="json")
        assert submission.contestant == "931"
        assert submission.evidence == {"x": D("1.5")}

    def test_toml_syntax_error(self) -> None:
        with pytest.raises(ContestError) as caught:
            parse_submission('contestant = "A"\n[evidence\nx = 1\n', "A.toml")
        assert problems_of(caught.value) == [("A.toml", "", "contest-toml")]
        assert "line 2" in caught.value.render("en")

    def test_json_error(self) -> None:
        with pytest.raises(ContestError) as caught:
            parse_submission('{"contestant": "A", "evidence": {"x": 1,}}', "A.json", form="json")
        assert problems_of(caught.value) == [("A.json", "", "evidence-json")]
        assert "line 1, column" in caught.value.render("en")

    def test_wrong_types_of_top_level_keys(self) -> None:
        text = """\
contestant = ""
rubric = "nam_khac"
note = 3
evidence = 5
dossier = "to_trinh"
thua = 1
"""
        with pytest.raises(ContestError) as caught:
            parse_submission(text, "A.toml", rubric_id="thi_thu")
        assert sorted(problems_of(caught.value)) == sorted(
            [
                ("A.toml", "contestant", "contest-no-contestant"),
                ("A.toml", "rubric", "rubric-mismatch"),
                ("A.toml", "note", "evidence-document-text"),
                ("A.toml", "evidence", "contest-not-table"),
                ("A.toml", "dossier", "contest-dossier-list"),
                ("A.toml", "thua", "evidence-document-key"),
            ]
        )

    def test_wrong_types_of_tables(self) -> None:
        text = (
            'contestant = "A"\nevidence = {}\nclaimed = [1, 2]\nverified = 3\nassessments = "x"\n'
        )
        with pytest.raises(ContestError) as caught:
            parse_submission(text, "A.toml")
        assert [p.field for _, p in caught.value.problems] == ["claimed", "verified", "assessments"]

    def test_wrong_type_of_claimed_names_the_key(self) -> None:
        text = 'contestant = "A"\nevidence = {}\nclaimed = [1, 2]\n'
        with pytest.raises(ContestError) as caught:
            parse_submission(text, "A.toml")
        assert "claimed" in caught.value.render("en")

    def test_missing_evidence_table(self) -> None:
        with pytest.raises(ContestError) as caught:
            parse_submission('contestant = "A"\n', "A.toml")
        assert caught.value.codes == ("contest-no-evidence",)

    def test_read_submissions_reports_every_file(self, tmp_path: Path) -> None:
        """Three bad files and a good one: the problems of all three bad files, at once."""
        (tmp_path / "a.toml").write_text('contestant = "A"\n[evidence\n', encoding="utf-8")
        (tmp_path / "b.json").write_text('{"contestant": "B", "evidence": [}', encoding="utf-8")
        (tmp_path / "c.toml").write_text(
            'contestant = "C"\nnote = 1\ndossier = 2\n[evidence]\nx = 1\n', encoding="utf-8"
        )
        (tmp_path / "d.toml").write_text('contestant = "D"\n[evidence]\nx = 1\n', encoding="utf-8")
        (tmp_path / "ghi_chu.txt").write_text("không phải hồ sơ", encoding="utf-8")
        with pytest.raises(ContestError) as caught:
            read_submissions(tmp_path, contest_rubric())
        found = [(Path(where).name, problem.code) for where, problem in caught.value.problems]
        assert found == [
            ("a.toml", "contest-toml"),
            ("b.json", "evidence-json"),
            ("c.toml", "evidence-document-text"),
            ("c.toml", "contest-dossier-list"),
        ]

    def test_read_submissions_of_a_good_folder(self, tmp_path: Path) -> None:
        (tmp_path / "b.toml").write_text('contestant = "B"\n[evidence]\nx = 2\n', encoding="utf-8")
        (tmp_path / "a.json").write_text('{"contestant": "A", "evidence": {"x": 1}}', "utf-8")
        submissions = read_submissions(tmp_path, contest_rubric())
        assert [s.contestant for s in submissions] == ["A", "B"]
        assert [Path(s.source).name for s in submissions] == ["a.json", "b.toml"]

    def test_empty_folder(self, tmp_path: Path) -> None:
        with pytest.raises(ContestError) as caught:
            read_submissions(tmp_path, contest_rubric())
        assert caught.value.codes == ("contest-no-submissions",)


# ---------------------------------------------------------------- properties

PROPERTY_UNITS = ("A", "B", "C", "D", "E")
POLICIES = ("split", "each", "council", None)
DATES = (None, "2021-12-15", "2021-12-18", "2021-12-20", "2021-12-21")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def property_rubric(policy: str | None) -> htx_rules.Rubric:
    return contest_rubric(ELIGIBILITY + TIES, policy=policy)


@st.composite
def submission_for(draw: st.DrawFn, code: str) -> Submission:
    """Small counts (so that ties are frequent), a date around the deadline or none,
    the dossier usually complete, sometimes a re-inspected count."""
    verified = draw(st.one_of(st.none(), st.fixed_dictionaries({"x": st.integers(0, 6)})))
    return unit(
        code,
        x=draw(st.integers(0, 6)),
        w=draw(st.integers(0, 2)),
        y=draw(st.integers(0, 3)),
        b=draw(st.integers(0, 1)),
        z=draw(st.integers(0, 1)),
        ngay=draw(st.sampled_from(DATES)),
        dossier=draw(st.sampled_from([BOTH_DOCUMENTS, BOTH_DOCUMENTS, ("to_trinh",)])),
        verified=verified,
    )


@st.composite
def contests(draw: st.DrawFn) -> list[Submission]:
    """3 to 5 units of the rubric's five (the rest are missing), in a random order."""
    codes = draw(st.lists(st.sampled_from(PROPERTY_UNITS), min_size=3, max_size=5, unique=True))
    return [draw(submission_for(code)) for code in codes]


def outcome(result: ContestResult) -> list[tuple[object, ...]]:
    """Everything ranking and awards decided, unit by unit, in display order."""
    return [
        (s.code, s.total, s.rank, s.tie, s.shared_with, s.award, s.reasons)
        for s in result.standings
    ]


def raised(submission: Submission, extra: int) -> Submission:
    """The same submission with ``extra`` more models (``x``: 1 point each, up to 5), reported
    and, when re-inspected, verified: its total cannot go down."""
    evidence = dict(submission.evidence)
    evidence["x"] = int(str(evidence["x"])) + extra
    verified = None
    if submission.verified is not None:
        verified = {"x": int(str(submission.verified["x"])) + extra}
    return Submission(
        submission.contestant,
        evidence,
        dossier=submission.dossier,
        verified=verified,
        source=submission.source,
    )


class TestContestProperties:
    """Invariants of ranking and awards, whatever the scores."""

    @PROPERTY
    @given(contests(), st.sampled_from(POLICIES), st.randoms(use_true_random=False))
    def test_input_order_does_not_matter(
        self, submissions: list[Submission], policy: str | None, random: Any
    ) -> None:
        rubric = property_rubric(policy)
        shuffled = list(submissions)
        random.shuffle(shuffled)
        assert outcome(run_contest(rubric, shuffled)) == outcome(run_contest(rubric, submissions))

    @PROPERTY
    @given(contests(), st.sampled_from(POLICIES), st.data())
    def test_a_better_score_never_costs_rank_or_award(
        self, submissions: list[Submission], policy: str | None, data: st.DataObject
    ) -> None:
        rubric = property_rubric(policy)
        index = data.draw(st.integers(0, len(submissions) - 1), label="unit")
        extra = data.draw(st.integers(1, 3), label="extra models")
        code = submissions[index].contestant
        before = run_contest(rubric, submissions).standing(code)
        changed = list(submissions)
        changed[index] = raised(submissions[index], extra)
        after = run_contest(rubric, changed).standing(code)
        assert after.total >= before.total
        assert after.rank <= before.rank
        if before.award is not None:
            assert before.eligible
            assert after.award is not None
            assert after.award.place.rank <= before.award.place.rank

    @PROPERTY
    @given(contests(), st.sampled_from(POLICIES))
    def test_a_place_is_held_by_one_unit_unless_shared(
        self, submissions: list[Submission], policy: str | None
    ) -> None:
        result = run_contest(property_rubric(policy), submissions)
        holders: dict[int, list[Standing]] = {}
        for standing in result.awarded:
            assert standing.award is not None
            holders.setdefault(standing.award.place.rank, []).append(standing)
        for group in holders.values():
            if len(group) == 1:
                award = group[0].award
                assert award is not None
                assert (award.shared_with, award.policy) == ((), None)
                continue
            assert len({s.rank for s in group}) == 1
            codes = {s.code for s in group}
            for standing in group:
                assert standing.award is not None
                assert set(standing.award.shared_with) == codes - {standing.code}
        # Places are given in order: the places held are the first ones, none skipped
        # except those a shared place spans.
        spanned: set[int] = set()
        for standing in result.awarded:
            award = standing.award
            assert award is not None
            spanned.update(p.rank for p in award.places or (award.place,))
        assert sorted(spanned) == list(range(1, len(spanned) + 1))

    @PROPERTY
    @given(contests(), st.sampled_from(("split", "council", None)))
    def test_prizes_paid_never_exceed_the_places(
        self, submissions: list[Submission], policy: str | None
    ) -> None:
        """Paid plus left over ≤ the prizes of the places awarded; a split pays them exactly.
        (``each`` pays every tied unit in full and is left out on purpose.)"""
        result = run_contest(property_rubric(policy), submissions)
        groups: dict[int, list[Standing]] = {}
        for standing in result.awarded:
            assert standing.award is not None
            groups.setdefault(standing.award.place.rank, []).append(standing)
        paid = D(0)
        worth = D(0)
        for group in groups.values():
            award = group[0].award
            assert award is not None
            places = award.places or (award.place,)
            pool = sum((p.prize for p in places), D(0))
            # The remainder is the group's: every member's award repeats it.
            assert {s.award.remainder for s in group if s.award is not None} == {award.remainder}
            shares = [s.award.prize for s in group if s.award is not None]
            group_paid = sum((p for p in shares if p is not None), D(0)) + award.remainder
            if award.policy == "split":
                assert group_paid == pool
                assert 0 <= award.remainder < len(group)
            paid += group_paid
            worth += pool
        assert paid <= worth
        assert worth <= sum((p.prize for p in result.places), D(0))

    @PROPERTY
    @given(contests(), st.sampled_from(POLICIES))
    def test_ineligible_units_hold_no_award(
        self, submissions: list[Submission], policy: str | None
    ) -> None:
        result = run_contest(property_rubric(policy), submissions)
        for standing in result.standings:
            if not standing.eligible:
                assert standing.award is None
        # And an eligible unit ranked above an awarded one is awarded too.
        awarded_ranks = [s.rank for s in result.awarded]
        if awarded_ranks:
            for standing in result.standings:
                if standing.eligible and standing.rank <= max(awarded_ranks):
                    assert standing.award is not None
