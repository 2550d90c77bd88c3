"""Golden files for the eight 2021 districts, and hand checks of their numbers.

Each example file has four golden files in ``tests/golden/2021/``: the JSON
result, the Vietnamese table, and the English and Vietnamese explanations;
``cli-score.txt`` holds the whole output of the README's main command.  They
are compared byte for byte; ``pytest --update-goldens`` rewrites them (review
the diff by eye: auditors read these).

The rubric is loaded by the relative path ``rubrics/2021.rules`` from the
repository root, so the golden files carry no machine-specific path.

:class:`TestHandChecks` recomputes the numbers of several districts by hand
from ``rubrics/2021.rules``, independently of the golden files.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import htx_rules
from htx_rules.cli import main
from htx_rules.evidence import parse_evidence_toml
from tests.conftest import EXAMPLES_2021, GOLDEN, ROOT

RUBRIC = "rubrics/2021.rules"
GOLDEN_2021 = GOLDEN / "2021"
CLI_GOLDEN = GOLDEN_2021 / "cli-score.txt"
EXAMPLE_FILES = {
    path.stem: path.name for path in EXAMPLES_2021.iterdir() if path.suffix in (".json", ".toml")
}
STEMS = sorted(EXAMPLE_FILES)

# What each golden file holds, by suffix.
RENDERINGS: dict[str, Callable[[htx_rules.Result], str]] = {
    "result.json": lambda result: result.to_json(),
    "table.vi.txt": lambda result: result.table("vi"),
    "explain.en.txt": lambda result: result.explain("en"),
    "explain.vi.txt": lambda result: result.explain("vi"),
}


@pytest.fixture(scope="module")
def relative_rubric() -> htx_rules.Rubric:
    """The 2021 rubric, loaded by its path relative to the repository root."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return htx_rules.load(RUBRIC)


@pytest.fixture(scope="module")
def results(relative_rubric: htx_rules.Rubric) -> dict[str, htx_rules.Result]:
    """The result of each example file, by file stem (``934-h-phung-hiep``)."""
    scored = {}
    for stem in STEMS:
        relative = f"examples/2021/{EXAMPLE_FILES[stem]}"
        text = (ROOT / relative).read_text(encoding="utf-8")
        parse = parse_evidence_toml if relative.endswith(".toml") else htx_rules.parse_evidence_json
        document = parse(text, relative)
        # As ``htx-rules score`` does: the reported evidence, and the
        # reviewer's assessment of I.9.c the file carries.
        scored[stem] = relative_rubric.score(
            document.evidence, contestant=document.contestant, assessments=document.assessments
        )
    return scored


@pytest.fixture(scope="module")
def by_code(results: dict[str, htx_rules.Result]) -> dict[str, htx_rules.Result]:
    """The same results, by district code (``"934"``)."""
    return {stem[:3]: result for stem, result in results.items()}


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file byte for byte, or rewrite it."""
    data = actual.encode("utf-8")
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing; run pytest --update-goldens and review it"
    expected = path.read_bytes()
    if expected != data:
        assert actual == expected.decode("utf-8"), f"{path} differs"
        raise AssertionError(f"{path} differs in bytes (encoding or line endings)")


# The explanations with what would score more (``htx-rules explain``), written
# by tests/test_whatif.py: every example in Vietnamese, one in English.
WHATIF_GOLDENS = (*(f"{stem}.whatif.vi.txt" for stem in STEMS), "936-h-long-my.whatif.en.txt")


def expected_golden_names() -> set[str]:
    """Every golden file this module writes, and the explanations of tests/test_whatif.py."""
    names = {f"{stem}.{suffix}" for stem in STEMS for suffix in RENDERINGS} | {CLI_GOLDEN.name}
    return names | set(WHATIF_GOLDENS)


def d(text: str) -> Decimal:
    """A decimal from text, for writing expected points."""
    return Decimal(text)


def half_up(value: Decimal) -> Decimal:
    """The rubric's rounding rule: 2 decimals, half up (rubrics/2021.rules line 23)."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class TestGoldenFiles:
    """The results, tables and explanations of the examples, byte for byte."""

    def test_there_are_eight_examples(self) -> None:
        """The examples folder holds the eight districts 930 to 937."""
        assert [stem[:3] for stem in STEMS] == [str(code) for code in range(930, 938)]

    @pytest.mark.parametrize("suffix", list(RENDERINGS))
    @pytest.mark.parametrize("stem", STEMS)
    def test_example_matches_golden(
        self,
        results: dict[str, htx_rules.Result],
        update_goldens: bool,
        stem: str,
        suffix: str,
    ) -> None:
        """The rendering of one example equals its golden file."""
        actual = RENDERINGS[suffix](results[stem])
        check_golden(GOLDEN_2021 / f"{stem}.{suffix}", actual, update_goldens)

    def test_readme_command_matches_golden(
        self, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
    ) -> None:
        """``htx-rules score rubrics/2021.rules examples/2021/`` prints the golden text."""
        monkeypatch.chdir(ROOT)
        out, err = io.StringIO(), io.StringIO()
        code = main(["score", RUBRIC, "examples/2021/"], stdout=out, stderr=err)
        assert (code, err.getvalue()) == (0, "")
        check_golden(CLI_GOLDEN, out.getvalue(), update_goldens)

    def test_no_stray_golden_files(self) -> None:
        """Every file in the golden folder is one these tests write (no stale leftovers);
        the contest's golden files belong to tests/test_contest_cli.py, the HTML reports
        (``*.html``) to tests/test_html.py."""
        present = {
            path.name
            for path in GOLDEN_2021.iterdir()
            if not path.name.startswith("contest") and path.suffix != ".html"
        }
        assert present == expected_golden_names()

    def test_golden_files_carry_no_machine_paths(self) -> None:
        """No golden file names the checkout's absolute path or a temporary folder."""
        for name in sorted(expected_golden_names()):
            text = (GOLDEN_2021 / name).read_text(encoding="utf-8")
            assert str(ROOT) not in text, name
            assert "/tmp" not in text, name
            assert '"file": "rubrics/2021.rules"' in text or not name.endswith(".json")

    def test_golden_json_parses_back_to_the_results(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """Each golden JSON file holds the result's total and points as exact strings."""
        import json

        for stem in STEMS:
            data = json.loads((GOLDEN_2021 / f"{stem}.result.json").read_text(encoding="utf-8"))
            result = by_code[stem[:3]]
            assert Decimal(data["total"]) == result.total
            assert {k: Decimal(v) for k, v in data["items"].items()} == dict(result.items)

    def test_traced_and_untraced_scores_agree(
        self, relative_rubric: htx_rules.Rubric, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """Scoring without a trace gives the same points as the golden (traced) results."""
        for result in by_code.values():
            quick = relative_rubric.score(
                result.evidence, trace=False, assessments=result.assessments
            )
            assert quick.trace is None
            assert (quick.total, dict(quick.items)) == (result.total, dict(result.items))


class TestHandChecks:
    """Numbers recomputed by hand from rubrics/2021.rules (line numbers in the docstrings)."""

    def test_summary_totals(self, by_code: dict[str, htx_rules.Result]) -> None:
        """The eight totals are standard points + bonus - deduction, as in the summary."""
        totals = {code: result.total for code, result in by_code.items()}
        assert totals == {
            "930": d("105"),
            "931": d("87.5"),
            "932": d("86"),
            "933": d("59.17"),
            "934": d("88"),
            "935": d("88"),
            "936": d("37.02"),
            "937": d("94.25"),
        }
        for result in by_code.values():
            assert result.total == result.standard + result.bonus - result.deduction

    def test_934_totals_88(self, by_code: dict[str, htx_rules.Result]) -> None:
        """934 (H. Phụng Hiệp): 47 + 9 + 32 = 88, no bonus, no deduction."""
        result = by_code["934"]
        part_1 = (
            d("1.5")
            + d("1.5")  # I.1: both yes (l. 98, 101)
            + d("1.5")
            + d("1.5")  # I.2 (l. 105, 107)
            + 2  # I.3 (l. 110)
            + 2
            + 2
            + 2  # I.4 a-c (l. 114-118)
            + min(3 * 1, 3)
            + min(6 * d("0.5"), 3)  # I.5: 3 conferences, 6 articles
            + (4 - min(2 * d("0.5"), d("1.5")))  # I.6: 2 communes short: 4 - 1 = 3
            + 5  # I.7: 1 value-chain model >= 1
            + 2
            + 3 * d(5) / 5
            + min(3, 3)  # I.8: budget, 5 of 5 supported, 3 young staff
            + 2
            + 2
            + 1  # I.9: 95% >= 90%, 85% >= 80%; the reviewer gave I.9.c 1 point
            + 2
            + 2
            + 2  # I.10: on time, on time, 0 late
        )
        part_2 = (
            4 * d(6) / 6  # II.1: 6 of a target of 6
            + 2  # II.2: 65% >= 50%
            + min(2 * d("1.5"), 3)  # II.3: 2 groups upgraded
        )
        part_3 = (
            half_up(10 * d(4) / 5)  # III.1: 4 of 5 -> 8
            + (5 - 1)  # III.2: 130 of 150 is 13.3% short: 1 full 10% step
            + 6  # III.3: 9 / 21 = 42.9% >= 40%
            + 2  # III.4: (1180 - 1150) / 1150 = 2.6% >= 0%
            + min(5, 4)  # III.5
            + 4  # III.6: 92% >= 90%
            + 4  # III.7: 2 dissolved of 2 stopped
        )
        assert (part_1, part_2, part_3) == (47, 9, 32)
        assert dict(result.parts) == {"I": part_1, "II": part_2, "III": part_3}
        assert (result.bonus, result.deduction, result.total) == (0, 0, 88)

    def test_935_totals_88(self, by_code: dict[str, htx_rules.Result]) -> None:
        """935 (H. Vị Thủy): 49 + 7.5 + 31.5 = 88, the same total as 934."""
        result = by_code["935"]
        part_1 = 3 + 3 + 2 + 6 + (2 + 3) + 4 + 5 + 8 + (2 + 2 + 3) + 6
        part_2 = 4 + 2 + 1 * d("1.5")  # II.2: 55% >= 50%; II.3: 1 group x 1.5
        part_3 = (
            half_up(10 * d(3) / 4)  # III.1: 7.5
            + 5  # III.2: 140 of 140
            + 6  # III.3: 8 / 19 = 42.1%
            + 0  # III.4: (980 - 1010) / 1010 < 0%
            + 5
            + 4
            + 4
        )
        assert (part_1, part_2, part_3) == (49, d("7.5"), d("31.5"))
        assert dict(result.parts) == {"I": part_1, "II": part_2, "III": part_3}
        assert result.total == by_code["934"].total == 88
        # 935 handed its report in on the deadline day: "> deadline" is strict (l. 251).
        assert result.evidence["ngay_nop_bao_cao"].isoformat() == "2021-12-20"
        assert result.points("D1") == 0

    def test_tie_934_935_is_broken_by_part_3(self, by_code: dict[str, htx_rules.Result]) -> None:
        """The first tie-break (l. 278, "higher part III") puts 934 (32) before 935 (31.5)."""
        assert by_code["934"].parts["III"] > by_code["935"].parts["III"]

    def test_930_bonus_raw_6_capped_at_5(self, by_code: dict[str, htx_rules.Result]) -> None:
        """930: B1..B5 give 1 + 2 + 1 + 1 + 1 = 6 after each rule's maximum; the cap is 5."""
        result = by_code["930"]
        rules = {
            "B1": d(1),  # 3 value-chain models >= 2 (l. 238)
            "B2": min(d("0.5") * (9 - 4), 2),  # 5 co-ops above target: 2.5 -> max 2
            "B3": min(d("0.5") * 3, 1),  # 3 model co-ops: 1.5 -> max 1
            "B4": d(1),  # 1 new union of co-ops
            "B5": min(d("0.25") * (10 - 6), 1),  # 4 groups above target: 1
        }
        assert {rule: result.points(rule) for rule in rules} == rules
        assert sum(rules.values()) == 6
        assert result.bonus == min(sum(rules.values()), 5) == 5
        assert result.trace is not None
        bonus = next(n for n in result.trace.children if n.kind == "bonus")
        assert bonus.raw == 6
        assert [(a.kind, a.before, a.after) for a in bonus.adjustments] == [("cap", 6, 5)]
        assert (result.standard, result.total) == (100, 105)

    def test_932_deduction_raw_7_5_capped_at_5(self, by_code: dict[str, htx_rules.Result]) -> None:
        """932: D1..D5 give 2 + 1.5 + 2 + 1.5 + 0.5 = 7.5; the section cap is 5."""
        result = by_code["932"]
        rules = {
            "D1": d(2),  # report received 2021-12-22 > 2021-12-20 (l. 251)
            "D2": d("0.5") * 3,  # 3 late ad-hoc reports
            "D3": 1 * d(2),  # 2 new co-ops not operating
            "D4": d("0.5") * (4 - 1),  # 3 stopped co-ops not dissolved
            "D5": d("0.5") * 1,  # 1 wrong figure
        }
        assert {rule: result.points(rule) for rule in rules} == rules
        assert sum(rules.values()) == d("7.5")
        assert result.trace is not None
        deduction = next(n for n in result.trace.children if n.kind == "deduction")
        assert deduction.raw == d("7.5")
        assert [(a.kind, a.before, a.after) for a in deduction.adjustments] == [
            ("cap", d("7.5"), 5)
        ]
        assert (result.standard, result.deduction, result.total) == (91, 5, 86)

    def test_931_late_report_costs_d1(self, by_code: dict[str, htx_rules.Result]) -> None:
        """931 handed its report in on 2021-12-23, after the 2021-12-20 deadline: D1 = 2."""
        result = by_code["931"]
        assert result.evidence["ngay_nop_bao_cao"].isoformat() == "2021-12-23"
        assert result.points("D1") == 2
        assert result.deduction == 2
        # III.2 (l. 201): 95 of 120 is 20.8% short: 2 full 10% steps, 5 - 2 = 3.
        assert result.points("III.2") == 3
        assert (result.standard, result.bonus, result.total) == (d("88.5"), 1, d("87.5"))

    def test_933_missing_fields(self, by_code: dict[str, htx_rules.Result]) -> None:
        """933 gave no value for 8 fields; every rule reading one scores 0 and is marked missing."""
        result = by_code["933"]
        absent = {
            "can_bo_chuyen_trach",
            "tht_moi",
            "chi_tieu_tht",
            "ty_le_tht_hop_dong",
            "tht_nang_cap",
            "doanh_thu_bq_2021",
            "doanh_thu_bq_2020",
            "ty_le_htx_bao_cao",
        }
        assert absent == {f.name for f in result.model.fields} - set(result.evidence)
        assert set(result.missing) == absent
        assert result.trace is not None
        missing_nodes = {n.id for n in result.trace.walk() if n.status == "missing"}
        assert missing_nodes == {"I.3", "II.1", "II.2", "II.3", "III.4", "III.6", "B5"}
        assert all(result.points(item) == 0 for item in missing_nodes)
        # Part III: 6.67 + 1 + 2 + 0 + 5 + 0 + 4; III.1 is 2/3 of 10 rounded half-up.
        assert result.points("III.1") == half_up(10 * d(2) / 3) == d("6.67")
        assert result.parts["III"] == d("6.67") + 1 + 2 + 0 + 5 + 0 + 4 == d("18.67")
        assert result.parts["II"] == 0
        assert result.total == d("40.5") + 0 + d("18.67") == d("59.17")

    def test_933_every_missing_field_is_reported(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """Every field a rule needed and that was not given is listed as missing."""
        result = by_code["933"]
        assert set(result.missing) == {
            "can_bo_chuyen_trach",
            "tht_moi",
            "chi_tieu_tht",
            "ty_le_tht_hop_dong",
            "tht_nang_cap",
            "doanh_thu_bq_2021",
            "doanh_thu_bq_2020",
            "ty_le_htx_bao_cao",
        }

    def test_936_deduction_per_commune_is_capped(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """936: I.6 (l. 129) is 4 minus 0.5 per commune short, at most 1.5 off: 4 -> 2.5."""
        result = by_code["936"]
        assert result.points("I.6") == 4 - min(4 * d("0.5"), d("1.5")) == d("2.5")
        # I.1.b requires I.1.a, which scored; it scores 0 because the answer is no.
        assert result.points("I.1.b") == 0
        # I.8.b: 1 of a target of 4, linear on 3 points.
        assert result.points("I.8.b") == half_up(3 * d(1) / 4) == d("0.75")
        # III.7 (l. 228-232): 1 of 3 stopped co-ops dealt with is under 50%: 0.
        assert result.points("III.7") == 0
        assert result.deduction == d("0.5") * 1 + d("0.5") * (3 - 1)
        assert result.total == d("23.25") + d("2.6") + d("12.67") - d("1.5") == d("37.02")

    def test_937_zero_target_counts_as_achieved(self, by_code: dict[str, htx_rules.Result]) -> None:
        """937 had a target of 0 new groups: II.1 is full (4), and 1 above target gives B5 0.25."""
        result = by_code["937"]
        assert result.evidence["chi_tieu_tht"] == 0
        assert result.points("II.1") == 4
        assert result.points("B5") == d("0.25") * (1 - 0)
        assert result.total == 48 + 10 + 36 + d("0.25")

    def test_930_target_over_100_percent_is_limited(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """930: II.1 is 10 of 6 -> 6.67 limited to 4; III.1 is 9 of 4 -> 22.5 limited to 10."""
        result = by_code["930"]
        assert min(half_up(4 * d(10) / 6), 4) == result.points("II.1") == 4
        assert min(half_up(10 * d(9) / 4), 10) == result.points("III.1") == 10


class TestReportReadability:
    """What auditors read must say what the engine computed."""

    def test_every_line_number_points_at_the_rule(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """The "(line N)" of each criterion's explanation is a line of that rule's text."""
        lines = (ROOT / RUBRIC).read_text(encoding="utf-8").splitlines()
        result = by_code["930"]
        assert result.trace is not None
        for node in result.trace.walk():
            if node.kind in ("criterion", "rule") and node.decision is not None:
                line = (node.decision.span or node.span).line
                assert lines[line - 1].strip() in node.source, node.id

    def test_zero_target_is_explained_as_such(self, by_code: dict[str, htx_rules.Result]) -> None:
        """937's II.1 says the target is 0 and counts as achieved, not "1 of 0 (100%)"."""
        result = by_code["937"]
        assert "the target is 0: counted as achieved" in result.explain("en")
        assert "chỉ tiêu bằng 0: coi như hoàn thành" in result.explain("vi")
        assert "1 of a target of 0" not in result.explain("en")

    def test_capped_deduction_within_a_criterion_reads_right(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """936's I.6 explanation does not claim the criterion's value was capped at 1.5."""
        line = next(
            text
            for text in by_code["936"].explain("en").splitlines()
            if text.strip().startswith("I.6 ")
        )
        assert line.strip().startswith("I.6 2.5 / 4:")
        assert "capped at 1.5 (was 2)" not in line

    def test_text_table_indents_sub_criteria(self, by_code: dict[str, htx_rules.Result]) -> None:
        """In the text table a sub-criterion's id is indented under its criterion."""
        lines = by_code["934"].table("vi").splitlines()
        assert any(line.startswith("  I.1 ") for line in lines)
        assert any(line.startswith("    I.1.a ") for line in lines)

    def test_exact_rates_are_not_marked_approximate(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """70 of 80 is exactly 87.5% and a growth of 150/1200 exactly 12.5%: no "≈"."""
        explained = by_code["937"].explain("en")
        assert "70 of a target of 80 (87.5%)" in explained
        assert "/ doanh_thu_bq_2020 12.5% ≥ 10%" in explained
        assert "≈12.5%" not in by_code["930"].explain("en")

    def test_no_matching_equality_arm_reads_right(
        self, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """932's I.10.c (3 late reports; arms "= 0" and "= 1") does not call 3 "below" them."""
        line = next(
            text
            for text in by_code["932"].explain("en").splitlines()
            if text.strip().startswith("I.10.c ")
        )
        assert line.strip().startswith("I.10.c 0 / 2:")
        assert "below every threshold" not in line


class TestExactExport:
    """The JSON export keeps every decimal exactly, whatever the caller's decimal context."""

    def test_raw_values_in_json_are_exact(self, by_code: dict[str, htx_rules.Result]) -> None:
        """933's III.1 raw value (2/3 of 10) reads back from the JSON exactly as traced."""
        import json

        result = by_code["933"]
        assert result.trace is not None
        node = result.trace.find("III.1")
        assert node is not None
        assert node.raw is not None
        data = json.loads(result.to_json())

        def find(tree: dict[str, object], node_id: str) -> dict[str, object] | None:
            if tree["id"] == node_id:
                return tree
            children = tree["children"]
            assert isinstance(children, list)
            return next((f for c in children if (f := find(c, node_id))), None)

        exported = find(data["trace"], "III.1")
        assert exported is not None
        assert Decimal(str(exported["raw"])) == node.raw

    def test_rendering_ignores_the_callers_decimal_context(
        self, relative_rubric: htx_rules.Rubric, by_code: dict[str, htx_rules.Result]
    ) -> None:
        """A program running with a small decimal precision gets the same JSON and table."""
        import decimal
        import json

        evidence = dict(by_code["936"].evidence)
        evidence["doanh_thu_bq_2021"] = Decimal("700000000.5")
        result = relative_rubric.score(evidence, contestant="936")
        expected_json, expected_table = result.to_json(), result.table("vi")
        assert json.loads(expected_json)["evidence"]["doanh_thu_bq_2021"] == "700000000.5"
        with decimal.localcontext() as context:
            context.prec = 6
            assert result.to_json() == expected_json
            assert result.table("vi") == expected_table
