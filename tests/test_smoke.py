"""The shipped rubric compiles and the support helpers build valid rubrics."""

from __future__ import annotations

from decimal import Decimal

import htx_rules
from tests.support import compile_rubric


class TestShippedRubric:
    """The 2021 rubric as shipped."""

    def test_parts_add_up_to_one_hundred(self, rubric_2021: htx_rules.Rubric) -> None:
        """The plan fixes three parts of 50, 10 and 40 points."""
        parts = {p.id: p.maximum for p in rubric_2021.model.parts}
        assert parts == {"I": Decimal(50), "II": Decimal(10), "III": Decimal(40)}
        assert rubric_2021.model.header.total == Decimal(100)

    def test_lists_the_eight_districts(self, rubric_2021: htx_rules.Rubric) -> None:
        """The eight district-level units of Hậu Giang in 2021, by statistical code."""
        codes = [c.code for c in rubric_2021.contestants]
        assert codes == [str(n) for n in range(930, 938)]


class TestSupport:
    """The rubric builder used across the tests."""

    def test_builds_a_scoring_rubric(self) -> None:
        """A one-criterion rubric scores its yes/no field."""
        rubric = compile_rubric('x yes/no "X"', 'criterion I.1 "Một" max 2\n  2 if x', part_max="2")
        assert rubric.score({"x": True}).total == 2
        assert rubric.score({"x": False}).total == 0
