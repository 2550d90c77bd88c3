"""The rubric generator of the scaling benchmark stays valid (not a timing test).

``benchmarks/scaling.py`` times rubrics of 30 to 3,000 criteria written by
``benchmarks/rubric_generator.py``; these tests keep that generator from rotting as
the language and the checker change: its rubrics compile, have the number of
criteria asked for, pass ``htx-rules check`` without an error or a warning, and
score alike with the compiled and the reference evaluator.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules.checker import all_items
from tests.conftest import ROOT
from tests.test_scoring_forms import score_both


def _load_generator() -> ModuleType:
    """``benchmarks/rubric_generator.py`` (``benchmarks`` is not a package)."""
    loaded = sys.modules.get("rubric_generator")
    if loaded is not None:
        return loaded
    path = ROOT / "benchmarks" / "rubric_generator.py"
    spec = importlib.util.spec_from_file_location("rubric_generator", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["rubric_generator"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


class TestGeneratedRubrics:
    """Rubrics of N criteria, as the benchmark generates them."""

    @pytest.mark.parametrize("n", [30, 60])
    def test_compiles_with_n_criteria_and_checks_clean(self, n: int) -> None:
        """It compiles, has exactly N criteria and rules, and ``check`` finds no error and
        no warning (``clamped-to-max`` notes are expected: per-unit rules without a cap)."""
        generated = generator.generate_rubric(n)
        rubric = htx_rules.loads(generated.text)
        assert sum(1 for _ in all_items(rubric.model)) == n
        assert generated.field_count == len(rubric.fields)
        report = htx_rules.check(generated.text)
        assert report.errors == ()
        assert report.warnings == ()
        assert set(report.codes) <= {"clamped-to-max"}

    @pytest.mark.parametrize("n", [30, 60])
    def test_compiled_and_reference_evaluators_agree(self, n: int) -> None:
        """On 20 seeded evidence dicts: the same points, missing fields and trace, with
        and without a trace."""
        generated = generator.generate_rubric(n)
        rubric = htx_rules.loads(generated.text)
        rng = random.Random(n)
        for _ in range(20):
            score_both(rubric, generator.random_evidence(generated, rng))

    @settings(max_examples=8, deadline=None)
    @given(n=st.integers(6, 45), seed=st.integers(0, 10**6))
    def test_any_size_and_seed(self, n: int, seed: int) -> None:
        """Whatever the size and seed: N criteria, no error or warning, evidence that
        validates and scores alike with both evaluators."""
        generated = generator.generate_rubric(n, seed)
        rubric = htx_rules.loads(generated.text)
        assert sum(1 for _ in all_items(rubric.model)) == n
        report = htx_rules.check(generated.text)
        assert report.errors == ()
        assert report.warnings == ()
        score_both(rubric, generator.random_evidence(generated, random.Random(seed)))

    def test_every_scoring_form_appears(self) -> None:
        """A rubric of 300 criteria uses every scoring form and construct of the language
        that scores points (only the text is looked at: nothing is compiled)."""
        text = generator.generate_rubric(300).text
        for pattern in (
            r"\n +[\d.]+ if co_\d+\n",  # yes/no
            r" if so_\d+ >= 1\n",  # condition on a count
            r" if co_\d+ and co_\d+\n",
            r" per so_\d+, at most ",
            r" per so_\d+\n",  # per unit without a cap
            r" minus [\d.]+ per so_\d+, at most ",
            r"by ty_le_\d+\n +>= \d+% -> ",
            r"by so_\d+\n +(= 0 -> )",
            r"by lua_chon_\d+\n",
            r": linear\n",
            r": linear, zero target -> 0\n",
            r": minus [\d.]+ per \d+% short\n",
            r": minus [\d.]+ per started \d+% short\n",
            r"by so_\d+ / so_\d+\n",
            r"by \(tien_\d+ - tien_\d+\) / tien_\d+\n",
            r"\n +cases\n",
            r"min\(\d+, so_\d+\)",
            r"assessed by reviewer",
            r"requires [IVXLCDM]+\.\d+\.a\n",
            r"per max\(0, so_\d+ - so_\d+\)",  # bonus: a target's excess
            r"2 if ngay_\d+ > deadline",  # deduction: late report
            r'\nbonus "Điểm cộng" max \d+\n',
            r'\ndeduction "Điểm trừ" max \d+\n',
        ):
            assert re.search(pattern, text), pattern

    def test_deterministic(self) -> None:
        """The same size and seed give the same text and evidence; another seed, another."""
        first, again = generator.generate_rubric(30, 7), generator.generate_rubric(30, 7)
        assert first.text == again.text
        assert generator.random_evidence(first, random.Random(1)) == generator.random_evidence(
            again, random.Random(1)
        )
        assert generator.generate_rubric(30, 8).text != first.text

    def test_evidence_is_valid_with_some_fields_missing(self) -> None:
        """Every generated dict validates; over 50 dicts some fields are left out or None."""
        generated = generator.generate_rubric(60)
        rubric = htx_rules.loads(generated.text)
        rng = random.Random(3)
        dicts = [generator.random_evidence(generated, rng) for _ in range(50)]
        missing = 0
        for evidence in dicts:
            values = rubric.validate(evidence)
            missing += len(rubric.fields) - len(values)
        assert 0 < missing < len(dicts) * len(rubric.fields) // 10

    def test_too_small(self) -> None:
        """Fewer than 6 criteria is refused: two bonus, two deduction rules and a part."""
        with pytest.raises(ValueError, match="at least 6"):
            generator.generate_rubric(5)
