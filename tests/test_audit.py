"""Audit-grade results: the JSON schema, hashes, the points ledger, byte-identical output.

Every document the engine writes is validated against
``docs/schema/htx-rules.schema.json``; the ledger is checked to reconcile from
its own numbers for every example and for random rubrics and evidence; the
hashes are recomputed here from their documented canonical form.
"""

from __future__ import annotations

import decimal
import hashlib
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules.cli import main
from htx_rules.ledger import build_ledger, check_ledger
from htx_rules.report import contest_to_dict
from htx_rules.submissions import run_contest_from
from tests.conftest import EXAMPLES_2021, ROOT
from tests.strategies import evidence_for, rubric_texts

SCHEMA_PATH = ROOT / "docs" / "schema" / "htx-rules.schema.json"
EXAMPLES = sorted(p for p in EXAMPLES_2021.iterdir() if p.suffix in (".json", ".toml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator: jsonschema.Draft202012Validator, document: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
        for e in validator.iter_errors(document)
    ]


def _document(rubric: htx_rules.Rubric, path: Path) -> htx_rules.EvidenceDocument:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        return htx_rules.parse_evidence_toml(text, str(path))
    return htx_rules.parse_evidence_json(text, str(path))


def _score(rubric: htx_rules.Rubric, path: Path) -> htx_rules.Result:
    document = _document(rubric, path)
    return rubric.score(
        document.evidence, contestant=document.contestant, assessments=document.assessments
    )


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- schema


class TestSchema:
    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_every_example_result_validates(
        self,
        validator: jsonschema.Draft202012Validator,
        rubric_2021: htx_rules.Rubric,
        path: Path,
        lang: str,
    ) -> None:
        document = json.loads(_score(rubric_2021, path).to_json(lang))  # type: ignore[arg-type]
        assert _errors(validator, document) == []

    def test_result_without_trace_validates(
        self, validator: jsonschema.Draft202012Validator, rubric_2021: htx_rules.Rubric
    ) -> None:
        result = rubric_2021.score({"htx_moi": 3, "chi_tieu_htx": 4}, trace=False)
        document = result.to_dict()
        assert document["ledger"] is None
        assert document["trace"] is None
        assert _errors(validator, document) == []

    def test_score_list_and_contest_output_validate(
        self, validator: jsonschema.Draft202012Validator
    ) -> None:
        rubric = str(ROOT / "rubrics" / "2021.rules")
        code, listed, _ = _run("score", rubric, str(EXAMPLES_2021), "--format", "json")
        assert code == 0
        assert json.loads(listed)["format"] == "htx-rules.result-list"
        assert _errors(validator, json.loads(listed)) == []
        for lang in ("vi", "en"):
            code, contest, _ = _run(
                "contest", rubric, str(EXAMPLES_2021), "--format", "json", "--lang", lang
            )
            assert code == 0
            assert _errors(validator, json.loads(contest)) == []

    @given(data=st.data())
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_random_rubrics_and_evidence_validate(
        self, validator: jsonschema.Draft202012Validator, data: st.DataObject
    ) -> None:
        rubric = htx_rules.loads(data.draw(rubric_texts(), label="rubric"))
        result = rubric.score(data.draw(evidence_for(rubric), label="evidence"))
        assert _errors(validator, result.to_dict()) == []

    @pytest.mark.parametrize(
        ("path", "value", "why"),
        [
            (("total",), 86.0, "a float is not a decimal string"),
            (("total",), "86.0", "a trailing zero is not canonical"),
            (("total",), "8.6e1", "an exponent is not canonical"),
            (("rubric", "sha256"), "ABC", "a hash is 64 lowercase hex digits"),
            (("ledger", 0, "change"), 1, "a ledger number is a decimal string"),
            (("format_version",), 1, "an older format version"),
        ],
    )
    def test_schema_rejects_wrong_documents(
        self,
        validator: jsonschema.Draft202012Validator,
        rubric_2021: htx_rules.Rubric,
        path: tuple[Any, ...],
        value: object,
        why: str,
    ) -> None:
        document = _score(rubric_2021, EXAMPLES_2021 / "932-h-chau-thanh-a.json").to_dict()
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert _errors(validator, document), why

    def test_schema_rejects_an_unknown_key(
        self, validator: jsonschema.Draft202012Validator, rubric_2021: htx_rules.Rubric
    ) -> None:
        document = _score(rubric_2021, EXAMPLES_2021 / "932-h-chau-thanh-a.json").to_dict()
        document["trace"]["children"][0]["surprise"] = True
        assert _errors(validator, document)


# ---------------------------------------------------------------- hashes


class TestHashes:
    def test_rubric_hash_is_the_files_bytes(self, rubric_2021: htx_rules.Rubric) -> None:
        expected = hashlib.sha256((ROOT / "rubrics" / "2021.rules").read_bytes()).hexdigest()
        result = _score(rubric_2021, EXAMPLES_2021 / "934-h-phung-hiep.json")
        assert rubric_2021.sha256 == expected
        assert result.to_dict()["rubric"]["sha256"] == expected

    def test_rubric_hash_counts_a_byte_order_mark(self, tmp_path: Path) -> None:
        raw = (ROOT / "rubrics" / "2021.rules").read_bytes()
        marked = tmp_path / "bom.rules"
        marked.write_bytes(b"\xef\xbb\xbf" + raw)
        assert htx_rules.load(marked).sha256 == hashlib.sha256(marked.read_bytes()).hexdigest()
        assert htx_rules.load(marked).sha256 != hashlib.sha256(raw).hexdigest()

    def test_evidence_hash_follows_the_documented_canonical_form(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        path = EXAMPLES_2021 / "932-h-chau-thanh-a.json"
        result = _score(rubric_2021, path)
        document = result.to_dict()
        # docs/trace.md, "Hashes": sorted keys, no spaces, UTF-8, values as in the
        # document's "evidence", assessments with their three keys, the unit's code.
        canonical = {
            "assessments": document["assessments"],
            "contestant": document["contestant"]["code"],
            "evidence": document["evidence"],
        }
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert document["evidence_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()

    def test_same_meaning_same_hash(self, rubric_2021: htx_rules.Rubric) -> None:
        data = json.loads((EXAMPLES_2021 / "934-h-phung-hiep.json").read_text(encoding="utf-8"))
        first = rubric_2021.score(data["evidence"], contestant=data["contestant"])
        reordered = dict(reversed(list(data["evidence"].items())))
        percent = next(k for k, v in reordered.items() if isinstance(v, int | float) and v > 1)
        reordered[percent] = Decimal(str(reordered[percent])) + Decimal("0.000")
        second = rubric_2021.score(reordered, contestant=data["contestant"])
        assert first.evidence_sha256 == second.evidence_sha256

    def test_any_change_of_meaning_changes_the_hash(self, rubric_2021: htx_rules.Rubric) -> None:
        data = json.loads((EXAMPLES_2021 / "934-h-phung-hiep.json").read_text(encoding="utf-8"))
        base = rubric_2021.score(data["evidence"], contestant=data["contestant"])
        hashes = {base.evidence_sha256}
        for name, value in data["evidence"].items():
            if isinstance(value, bool):
                changed = {**data["evidence"], name: not value}
            elif isinstance(value, int):
                changed = {**data["evidence"], name: value + 1 if value < 2 else value - 1}
            else:
                continue
            result = rubric_2021.score(changed, contestant=data["contestant"])
            hashes.add(result.evidence_sha256)
        other_unit = rubric_2021.score(data["evidence"], contestant="930")
        hashes.add(other_unit.evidence_sha256)
        assert len(hashes) > 10
        assert base.evidence_sha256 not in {other_unit.evidence_sha256}


# ---------------------------------------------------------------- ledger


def _assert_reconciles(result: htx_rules.Result) -> None:
    # An auditor adds exactly; 28 digits would round a raw ratio of 60 digits.
    with decimal.localcontext(decimal.Context(prec=400)):
        _reconciles(result)


def _reconciles(result: htx_rules.Result) -> None:
    ledger = result.ledger
    assert ledger is not None
    # The auditor's arithmetic, done here by hand: every change adds up.
    assert sum((line.change for line in ledger), Decimal(0)) == result.total
    running = Decimal(0)
    for number, line in enumerate(ledger, start=1):
        assert line.number == number
        assert line.total_before == running
        sign = -1 if line.section == "deduction" else 1
        assert line.change == sign * (line.points_after - line.points_before)
        running += line.change
        assert line.total_after == running
    # Each item's last ledger line leaves it at the points the result gives it.
    last: dict[str, Decimal] = {}
    for line in ledger:
        if line.section != "total":
            last[line.id] = line.points_after
    for item_id, points in result.items.items():
        if item_id in last:
            assert last[item_id] == points, item_id
    for part_id, points in result.parts.items():
        assert last.get(part_id, sum_children(result, part_id)) == points
    document = result.to_dict()
    assert check_ledger(document["ledger"], document["total"]) == ()


def sum_children(result: htx_rules.Result, part_id: str) -> Decimal:
    assert result.trace is not None
    node = result.trace.find(part_id)
    assert node is not None
    return sum((child.points for child in node.children), Decimal(0))


class TestLedger:
    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
    def test_ledger_reconciles_for_every_example(
        self, rubric_2021: htx_rules.Rubric, path: Path
    ) -> None:
        _assert_reconciles(_score(rubric_2021, path))

    def test_every_scored_leaf_has_an_opening_line(self, rubric_2021: htx_rules.Rubric) -> None:
        result = _score(rubric_2021, EXAMPLES_2021 / "930-tp-vi-thanh.json")
        assert result.trace is not None
        assert result.ledger is not None
        leaves = [
            n.id for n in result.trace.walk() if n.kind in ("criterion", "rule") and not n.children
        ]
        openings = [
            line.id for line in result.ledger if line.kind in ("award", "bonus", "deduction")
        ]
        assert openings == leaves

    def test_section_cap_is_a_line(self, rubric_2021: htx_rules.Rubric) -> None:
        # 930's bonus rules give 6, capped at 5; 932's deductions give 7.5, capped at 5.
        bonus = _score(rubric_2021, EXAMPLES_2021 / "930-tp-vi-thanh.json").ledger
        deduction = _score(rubric_2021, EXAMPLES_2021 / "932-h-chau-thanh-a.json").ledger
        assert bonus is not None
        assert deduction is not None
        (cap,) = [line for line in bonus if line.id == "bonus"]
        assert (cap.kind, cap.points_before, cap.points_after, cap.change) == ("cap", 6, 5, -1)
        (cap,) = [line for line in deduction if line.id == "deduction"]
        assert (cap.kind, cap.points_before, cap.points_after) == ("cap", Decimal("7.5"), 5)
        assert cap.change == Decimal("2.5")

    def test_opening_line_names_the_rule_and_the_evidence(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        result = _score(rubric_2021, EXAMPLES_2021 / "933-h-chau-thanh.json")
        assert result.trace is not None
        lines = result.to_dict()["ledger"]
        (line,) = [entry for entry in lines if entry["id"] == "III.3"]
        node = result.trace.find("III.3")
        assert node is not None
        assert line["source"]["line"] == node.span.line
        assert line["reads"] == [
            {"field": f, "value": htx_rules.render.json_value(v)} for f, v in node.reads
        ]
        assert f"dòng {node.decision.span.line}" in line["text"]  # type: ignore[union-attr]

    def test_clamp_of_a_negative_total_is_a_line(self) -> None:
        rubric = htx_rules.loads(
            """
rubric am "Tổng âm"
  year 2021
  total 1

evidence
  co  yes/no  "Có"
  vi_pham  count  "Số vi phạm"

part I "Phần I" max 1
  criterion I.1 "Có" max 1
    1 if co

deduction "Điểm trừ" max 5
  rule D1 "Vi phạm" max 5
    1 per vi_pham
"""
        )
        result = rubric.score({"co": False, "vi_pham": 3})
        assert result.total == 0
        assert result.ledger is not None
        assert result.ledger[-1].kind == "min"
        assert result.ledger[-1].section == "total"
        assert result.ledger[-1].change == 3
        _assert_reconciles(result)

    @given(data=st.data())
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_ledger_reconciles_for_random_rubrics_and_evidence(self, data: st.DataObject) -> None:
        rubric = htx_rules.loads(data.draw(rubric_texts(clamp_edges=True), label="rubric"))
        _assert_reconciles(rubric.score(data.draw(evidence_for(rubric), label="evidence")))

    @given(data=st.data())
    @settings(max_examples=60, deadline=None)
    def test_ledger_reconciles_for_random_2021_evidence(
        self, rubric_2021: htx_rules.Rubric, data: st.DataObject
    ) -> None:
        _assert_reconciles(rubric_2021.score(data.draw(evidence_for(rubric_2021))))

    def test_check_ledger_finds_an_edited_line(self, rubric_2021: htx_rules.Rubric) -> None:
        document = _score(rubric_2021, EXAMPLES_2021 / "935-h-vi-thuy.json").to_dict()
        lines = document["ledger"]
        lines[4]["change"] = str(Decimal(lines[4]["change"]) + 1)
        rules = {p.rule for p in check_ledger(lines, document["total"])}
        assert {"change", "running-total"} <= rules

    def test_build_ledger_refuses_a_trace_that_does_not_add_up(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        result = _score(rubric_2021, EXAMPLES_2021 / "935-h-vi-thuy.json")
        assert result.trace is not None
        broken = result.trace._replace(points=result.trace.points + 1)
        with pytest.raises(AssertionError):
            build_ledger(broken)


# ---------------------------------------------------------------- determinism


def _cli_output(*argv: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    completed = subprocess.run(
        [sys.executable, "-m", "htx_rules", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return completed.stdout


class TestByteIdentical:
    def test_result_json_is_byte_identical_across_runs(self) -> None:
        argv = ("score", "rubrics/2021.rules", "examples/2021/", "--format", "json")
        first = _cli_output(*argv, seed="1")
        assert first == _cli_output(*argv, seed="4242")
        assert json.loads(first)["results"]

    def test_contest_json_is_byte_identical_across_runs(self) -> None:
        argv = ("contest", "rubrics/2021.rules", "examples/2021/", "--format", "json")
        assert _cli_output(*argv, seed="7") == _cli_output(*argv, seed="99")

    def test_contest_dict_keys_are_in_a_stable_order(self, rubric_2021: htx_rules.Rubric) -> None:
        first = contest_to_dict(run_contest_from(EXAMPLES_2021, rubric_2021))
        second = contest_to_dict(run_contest_from(EXAMPLES_2021, rubric_2021))
        assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
        assert list(first)[:5] == ["format", "format_version", "engine", "language", "rubric"]
