"""The checks the generated scoring code makes of raw evidence, against the validator.

``Rubric.score`` hands the evidence dict to the generated function, which reads
and checks every field itself and steps aside (returns None) for anything it
does not plainly accept; the evidence validator then decides.  So both must
accept exactly the same evidence, and score it the same.  These tests hold the
two to it on values at every edge, and pin the differences a review of the
generated code found (each test failed before its fix).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules.evaluator import Program
from tests.strategies import field_values
from tests.support import compile_rubric

D = Decimal

# Bounds wider than the size limit (10**18), bounds that leave out zero, and
# every type of field.
RUBRIC = compile_rubric(
    """
    y yes/no "Có"
    n count "Số HTX" to 100000000000000000000
    k count "Số xã" from 2 to 30
    p percent "Tỷ lệ" from 1% to 60%
    q percent "Tỷ lệ khác"
    x number "Chênh lệch" from -100000000000000000000
    m money "Doanh thu"
    d date "Ngày nộp"
    c one of "Báo cáo"
      dung_han "Đúng hạn"
      tre_han "Trễ hạn"
    """,
    """
    criterion I.1 "Có" max 1
      1 if y
    criterion I.2 "Số" max 2
      0.5 per n, at most 1
    criterion I.3 "Tỷ lệ" max 2
      by p
        >= 50% -> 2
        otherwise -> 1
    criterion I.4 "Tiền" max 1
      1 if m > 1000000 or x > 0
    criterion I.5 "Ngày" max 1
      1 if d <= deadline
    """,
    part_max="7",
)
FIELDS = {f.name: f for f in RUBRIC.fields}

EDGES = st.sampled_from(
    [0, 1, -1, 2, 30, 31, 60, 61, 100, 101, True, False, None,
     10**18 - 1, 10**18, 10**18 + 1, -(10**18) + 1, -(10**18), 5 * 10**18, 10**20, 10**20 + 1,
     D("1E+18"), D("-1E+18"), D("5E+18"), D("999999999999999999.5"),
     D("999999999999999999.99999999999"), D("-999999999999999999.999999999999"),
     D("0.99"), D("1"), D("1.00"), D("60.0000000000001"), D("0E-13"), D("-0"), D("0.5"),
     D("1.0000000000000"), D("1E-12"), D("1E-13"), D("NaN"), D("sNaN"), D("Infinity"),
     D("5"), D("5E+1"), "2021-12-20", "2021-02-29", "20211220", "2021-W01-1",
     datetime.date(2021, 12, 20), datetime.datetime(2021, 12, 20, 8, 0), "dung_han", "khac",
     1.0, "1", [1]]
)  # fmt: skip


def outcome(action: object) -> tuple[str, object]:
    """What a call answers: its value, or the problem codes of its EvidenceError."""
    try:
        return "ok", action()  # type: ignore[operator]
    except htx_rules.EvidenceError as error:
        return "error", (error.fields, error.codes)


class TestSameEvidenceAccepted:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.fixed_dictionaries(
            {}, optional={name: st.one_of(field_values(f), EDGES) for name, f in FIELDS.items()}
        ),
        st.booleans(),
    )
    def test_score_accepts_what_validate_accepts(
        self, evidence: dict[str, object], strict: bool
    ) -> None:
        """``score`` raises the validator's error exactly when ``validate`` does,
        and otherwise keeps the validated evidence and scores it as the reference."""
        validated = outcome(lambda: RUBRIC.validate(evidence, strict=strict))
        for trace in (False, True):
            scored = outcome(lambda t=trace: RUBRIC.score(evidence, strict=strict, trace=t))
            assert scored[0] == validated[0]
            if scored[0] == "error":
                assert scored == validated
                continue
            result = scored[1]
            assert isinstance(result, htx_rules.Result)
            assert dict(result.evidence) == validated[1]
            reference = Program(RUBRIC.model, RUBRIC.source).run(validated[1], traced=trace)
            assert result.total == reference[0]
            assert dict(result.items) == reference[5]

    @pytest.mark.parametrize(
        ("field", "value"),
        [("n", 5 * 10**18), ("n", 10**20), ("x", D("5E+18")), ("x", -(10**19))],
    )
    def test_a_bound_beyond_the_size_limit_does_not_lift_it(
        self, field: str, value: object
    ) -> None:
        """``n`` may go to 10**20 and ``x`` from -10**20 by their declarations; the
        size limit still applies."""
        with pytest.raises(htx_rules.EvidenceError) as raised:
            RUBRIC.score({field: value}, trace=False)
        assert raised.value.codes == ("evidence-too-large",)

    def test_a_long_decimal_just_below_the_limit_is_judged_exactly(self) -> None:
        """abs() of a Decimal rounds to the caller's context (28 digits): the
        validator compares exactly, as the generated code does."""
        value = D("999999999999999999.99999999999")
        assert RUBRIC.validate({"m": value}) == {"m": value}
        assert RUBRIC.score({"m": value}, trace=False).evidence == {"m": value}


class TestReviewedDifferences:
    def test_a_ratio_with_a_long_constant_is_decided_as_the_reference(self) -> None:
        """Cross-multiplying is exact only for constants as short as evidence:
        with 43 decimals the reference's 60-digit quotient rounds to the bound."""
        rubric = compile_rubric(
            """
            a number "A"
            b number "B"
            """,
            """
            criterion I.1 "a" max 5
              1 if (a + 0.0000000000000000000000000000000000000000001) / b > 10%
            criterion I.2 "b" max 5
              by (a + 0.0000000000000000000000000000000000000000001) / b
                > 10% -> 2
                otherwise -> 1
            """,
            part_max="10",
        )
        evidence = {"a": 90_000_000_000_000_000, "b": 900_000_000_000_000_000}
        reference = Program(rubric.model, rubric.source).run(rubric.validate(evidence))
        for trace in (False, True):
            result = rubric.score(evidence, trace=trace)
            assert dict(result.items) == reference[5]
        assert reference[5] == {"I.1": D(0), "I.2": D(1)}

    def test_wrong_evidence_is_reported_before_wrong_assessments(self) -> None:
        rubric = htx_rules.load("rubrics/2021.rules")
        bad = {"points": -1, "reviewer": "", "justification": ""}
        with pytest.raises(htx_rules.EvidenceError) as raised:
            rubric.score({"zzz_unknown": 1}, assessments={"I.9.c": bad})
        assert raised.value.codes == ("evidence-unknown-field",)

    def test_the_trace_names_the_first_field_the_rule_reads(self) -> None:
        """``(a + 1.5) * b`` reads a first: with neither given, the trace names a."""
        rubric = compile_rubric(
            """
            a count "A"
            b count "B"
            """,
            """
            criterion I.1 "a" max 100
              (a + 1.5) * b
            """,
            part_max="100",
        )
        node = rubric.score({}).trace
        assert node is not None
        found = node.find("I.1")
        assert found is not None
        assert found.decision is not None
        assert found.decision.subject == "a"
        reference = Program(rubric.model, rubric.source).run({})
        assert reference[7] == rubric.score({}).trace
