"""The compiled evaluator's generated Python holds no rubric text and no loops.

Rubric text reaches the generated code only as generated names (``K12``) bound
to constants, so labels, notes, contestant names and field names that look
like Python cannot change what runs, and they come back into the trace
exactly as written.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

import htx_rules
from tests.strategies import rubric_texts
from tests.support import rubric_text

D = Decimal

# Texts that would break out of, or run as, Python if pasted into source code.
NASTY = (
    '"); import os #',
    "__import__('os').system('echo pwned')",
    "'''; raise SystemExit; '''",
    'eval("1+1") """ trailing',
    "C:\\temp\\new\\x41 \\",
    "{values} %(x)s {0!r} ${HOME}",
    "lambda: [x for x in ()] or exec('while True: pass')",
    "\\'; del values; missing = 1; '",
    "Nhãn có dấu “ngoặc kép cong” và # không phải chú thích",
    "os.remove('/etc/passwd')",
    "globals()['ZERO'] = 99",
    "\\\"); __import__('sys').exit(3) #",
)

# The only string literals the generator writes itself: statuses, adjustment kinds
# and the separators of an ISO date.
GENERATED_STRINGS = {
    "",
    "scored",
    "missing",
    "undefined",
    "requires_unmet",
    "out-of-range",
    "-",
    "round",
    "max",
    "min",
}

LOOPS_AND_HIDDEN_CODE = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.Import,
    ast.ImportFrom,
    ast.Global,
    ast.Nonlocal,
    ast.With,
    ast.ClassDef,
    ast.AsyncFunctionDef,
    ast.Yield,
    ast.YieldFrom,
    ast.Await,
)


def quoted(text: str) -> str:
    """``text`` as a rubric label: in double quotes, backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def safety_rubric(labels: tuple[str, ...], names: dict[str, str]) -> str:
    """One rubric in two costumes: ``labels`` fill every label, note and contestant
    name; ``names`` maps the placeholder field names to the names used."""
    q = [quoted(label) for label in labels]
    text = textwrap.dedent(
        f"""\
        rubric safety {q[0]}
          year 2021
          total 10
          deadline 2021-12-20
          rounding 2 decimals half-up

        contestants
          930 {q[1]}
          931 {q[2]}

        evidence
          F_VALUES count {q[3]} unit {q[4]}
          F_P0 yes/no {q[5]}
          F_IMPORT yes/no {q[6]}
          F_DECIMAL percent {q[7]}
          F_MISSING count {q[8]}
          F_GET one of {q[9]}
            exec_ {q[10]}
            khac {q[11]}

        part I {q[0]} max 10
          criterion I.1 {q[1]} max 4
            note {q[2]}
            1 per F_VALUES, at most 3
          criterion I.2 {q[3]} max 2
            2 if F_P0 and not F_IMPORT
          criterion I.3 {q[4]} max 4
            by F_DECIMAL
              >= 50% -> 4
              otherwise -> 1

        bonus {q[5]} max 1
          rule B1 {q[6]} max 1
            0.5 per F_MISSING

        deduction {q[7]} max 2
          rule D1 {q[8]} max 2
            by F_GET
              exec_ -> 2
              otherwise -> 0

        awards
          place 1 {q[9]} 1.000.000 đồng
        """
    )
    for placeholder, name in names.items():
        text = text.replace(placeholder, name)
    return text


# Field names that are also names in the generated code or Python builtins.
SHADOWING_NAMES = {
    "F_VALUES": "values",
    "F_P0": "p0",
    "F_IMPORT": "__import__",
    "F_DECIMAL": "Decimal",
    "F_MISSING": "missing",
    "F_GET": "get",
}
PLAIN_NAMES = {
    "F_VALUES": "so_hoi_nghi",
    "F_P0": "co_quyet_dinh",
    "F_IMPORT": "co_vi_pham",
    "F_DECIMAL": "ty_le",
    "F_MISSING": "so_htx",
    "F_GET": "bao_cao",
}
PLAIN_LABELS = tuple(f"Nhãn {n}" for n in range(len(NASTY)))

NASTY_RUBRIC = htx_rules.loads(safety_rubric(NASTY, SHADOWING_NAMES), name="nasty.rules")
PLAIN_RUBRIC = htx_rules.loads(safety_rubric(PLAIN_LABELS, PLAIN_NAMES), name="plain.rules")

NASTY_EVIDENCE = {
    "values": 2,
    "p0": True,
    "__import__": False,
    "Decimal": 50,
    "missing": 4,
    "get": "exec_",
}


def string_constants(source: str) -> set[str]:
    return {
        n.value
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


class TestNoRubricTextInGeneratedCode:
    """Labels, notes, names and values never appear in the generated source."""

    def test_nasty_texts_are_absent(self) -> None:
        """None of the Python-looking labels appears in the generated source."""
        code = NASTY_RUBRIC._program.source_code
        for label in NASTY:
            assert label not in code
        for fragment in ("import", "pwned", "SystemExit", "eval", "exec", "HOME", "passwd"):
            assert fragment not in code

    def test_no_quotes_or_backslashes_at_all(self) -> None:
        """The generated source has no double quote and no backslash anywhere."""
        code = NASTY_RUBRIC._program.source_code
        assert '"' not in code
        assert "\\" not in code

    def test_only_generated_string_literals(self) -> None:
        """Every string literal in the generated source is one the generator writes."""
        assert string_constants(NASTY_RUBRIC._program.source_code) <= GENERATED_STRINGS

    def test_same_code_whatever_the_texts(self) -> None:
        """Swapping every label and field name for plain ones gives the same syntax tree."""
        nasty = ast.dump(ast.parse(NASTY_RUBRIC._program.source_code))
        plain = ast.dump(ast.parse(PLAIN_RUBRIC._program.source_code))
        assert nasty == plain

    def test_shipped_rubric(self, rubric_2021: htx_rules.Rubric) -> None:
        """The 2021 rubric's labels and field names are absent from its generated source."""
        code = rubric_2021._program.source_code
        assert string_constants(code) <= GENERATED_STRINGS
        for field in rubric_2021.fields:
            assert field.name not in code
            assert field.label not in code
        assert "Hạng Nhất" not in code


class TestScoringStillWorks:
    """The nasty rubric scores like any other, and its texts round-trip exactly."""

    def test_points(self) -> None:
        """I.1 = 1 × 2; I.2 = 2 (true and not false); I.3 = 4 (50% >= 50%);
        B1 = 0.5 × 4 = 2, clamped to 1; D1 = 2 ('exec_'): total 8 + 1 - 2 = 7."""
        result = NASTY_RUBRIC.score(NASTY_EVIDENCE, contestant="930")
        assert dict(result.items) == {
            "I.1": D(2),
            "I.2": D(2),
            "I.3": D(4),
            "B1": D(1),
            "D1": D(2),
        }
        assert (result.standard, result.bonus, result.deduction) == (D(8), D(1), D(2))
        assert result.total == D(7)

    def test_shadowing_field_names_are_read_as_evidence(self) -> None:
        """A field called ``values`` or ``missing`` reads its own value, nothing else."""
        result = NASTY_RUBRIC.score({"values": 5, "missing": 1})
        assert result.points("I.1") == D(3)  # 1 × 5 capped at 3
        assert result.points("B1") == D("0.5")
        assert result.missing == ("p0", "__import__", "Decimal", "get")

    def test_labels_round_trip_into_the_trace(self) -> None:
        """Every label comes back exactly, escapes undone."""
        result = NASTY_RUBRIC.score(NASTY_EVIDENCE, contestant="931")
        trace = result.trace
        assert trace is not None
        expected = {
            "safety": NASTY[0],
            "I": NASTY[0],
            "I.1": NASTY[1],
            "I.2": NASTY[3],
            "I.3": NASTY[4],
            "bonus": NASTY[5],
            "B1": NASTY[6],
            "deduction": NASTY[7],
            "D1": NASTY[8],
        }
        for node_id, label in expected.items():
            found = trace.find(node_id)
            assert found is not None, node_id
            assert found.label == label
        assert result.contestant is not None
        assert result.contestant.name == NASTY[2]
        assert [f.label for f in NASTY_RUBRIC.fields] == [NASTY[i] for i in (3, 5, 6, 7, 8, 9)]
        assert NASTY_RUBRIC.fields[0].unit == NASTY[4]
        assert [c.label for c in NASTY_RUBRIC.fields[-1].choices] == [NASTY[10], NASTY[11]]
        assert NASTY_RUBRIC.model.parts[0].criteria[0].note == NASTY[2]

    def test_labels_round_trip_into_json(self) -> None:
        """The JSON form of the result carries the labels unchanged."""
        result = NASTY_RUBRIC.score(NASTY_EVIDENCE, contestant="930")
        text = json.dumps(json.loads(result.to_json()), ensure_ascii=False)
        for label in (NASTY[0], NASTY[1], NASTY[6]):
            assert json.dumps(label, ensure_ascii=False) in text


class TestNoLoops:
    """The generated functions are straight-line code."""

    def test_no_loop_keywords(self, rubric_2021: htx_rules.Rubric) -> None:
        """``for`` and ``while`` never appear in the generated source."""
        for rubric in (rubric_2021, NASTY_RUBRIC):
            assert re.search(r"\b(for|while)\b", rubric._program.source_code) is None

    def test_no_loops_or_hidden_code_in_the_syntax_tree(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        """No loop, comprehension, lambda, import or class in the generated syntax tree."""
        for rubric in (rubric_2021, NASTY_RUBRIC):
            tree = ast.parse(rubric._program.source_code)
            found = [
                type(n).__name__ for n in ast.walk(tree) if isinstance(n, LOOPS_AND_HIDDEN_CODE)
            ]
            assert found == []

    def test_two_functions(self, rubric_2021: htx_rules.Rubric) -> None:
        """The source is the untraced and the traced function, nothing else."""
        tree = ast.parse(rubric_2021._program.source_code)
        assert [type(n).__name__ for n in tree.body] == ["FunctionDef", "FunctionDef"]
        assert [n.name for n in tree.body] == ["score", "score_traced"]  # type: ignore[attr-defined]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(rubric_texts())
    def test_generated_rubrics(self, text: str) -> None:
        """For random rubrics of every scoring form: no loops, only generated strings."""
        rubric = htx_rules.loads(text)
        tree = ast.parse(rubric._program.source_code)
        assert not any(isinstance(n, LOOPS_AND_HIDDEN_CODE) for n in ast.walk(tree))
        assert string_constants(rubric._program.source_code) <= GENERATED_STRINGS


class TestLongExpressions:
    """A long expression is compiled or refused with a rubric error, never a crash."""

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (" + ".join(["n"] * 250), D(250)),
            (" + ".join(["n"] * 1000), D(1000)),
            ("-" * 200 + "n", D(1)),
            ("min(5000, " * 210 + "n" + ")" * 210, D(1)),
        ],
        ids=["sum-250", "sum-1000", "negations-200", "nested-min-210"],
    )
    def test_long_expression(self, body: str, expected: Decimal) -> None:
        """With n = 1 the formula is worth ``expected``, or the rubric is refused."""
        text = rubric_text(
            'n count "N"', f'criterion I.1 "Dài" max 5000\n  {body}', part_max="5000"
        )
        try:
            rubric = htx_rules.loads(text)
        except htx_rules.HtxRulesError:
            return
        assert rubric.score({"n": 1}).points("I.1") == expected

    @pytest.mark.parametrize("terms", [10, 100])
    def test_moderately_long_sum(self, terms: int) -> None:
        """A sum of up to 100 terms (the nesting limit) compiles and adds up."""
        body = " + ".join(["n"] * terms)
        text = rubric_text(
            'n count "N"', f'criterion I.1 "Dài" max 5000\n  {body}', part_max="5000"
        )
        rubric = htx_rules.loads(text)
        assert rubric.score({"n": 2}).points("I.1") == D(2 * terms)
