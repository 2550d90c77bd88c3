"""Small helpers for writing rubric texts in tests."""

from __future__ import annotations

import textwrap

import htx_rules

HEADER = """\
rubric test_rubric "Bảng điểm thử"
  year 2021
  total {total}
  deadline 2021-12-20
  rounding 2 decimals half-up
"""


def rubric_text(
    evidence: str, criteria: str, *, part_max: str, total: str | None = None, tail: str = ""
) -> str:
    """A whole rubric: a header, the ``evidence`` lines, one part ``I`` worth
    ``part_max`` holding ``criteria``, then ``tail`` (bonus, deduction, awards).

    ``evidence`` and ``criteria`` are written without indentation; they are
    indented here.
    """
    parts = [HEADER.format(total=total or part_max)]
    if evidence.strip():
        parts.append("evidence\n" + textwrap.indent(textwrap.dedent(evidence).strip(), "  ") + "\n")
    parts.append(
        f'part I "Phần một" max {part_max}\n'
        + textwrap.indent(textwrap.dedent(criteria).strip(), "  ")
        + "\n"
    )
    if tail.strip():
        parts.append(textwrap.dedent(tail).strip() + "\n")
    return "\n".join(parts)


def compile_rubric(
    evidence: str, criteria: str, *, part_max: str, total: str | None = None, tail: str = ""
) -> htx_rules.Rubric:
    """Compile :func:`rubric_text`."""
    text = rubric_text(evidence, criteria, part_max=part_max, total=total, tail=tail)
    return htx_rules.loads(text, name="test.rules")
