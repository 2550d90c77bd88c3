"""`htx-rules verify`: a recorded result is confirmed, and every one-byte tampering is caught.

Each tamper test changes one byte — of the rubric file, of the evidence file, of
a point or the total in the recorded result, of a ledger line — and checks that
verify fails (exit 4) with the reason that names that change.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from htx_rules.cli import EXIT_EVIDENCE, EXIT_MISMATCH, EXIT_OK, EXIT_USAGE, main
from tests.conftest import EXAMPLES_2021, ROOT

RUBRIC = ROOT / "rubrics" / "2021.rules"
EVIDENCE = EXAMPLES_2021 / "932-h-chau-thanh-a.json"


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of the rubric and the evidence, scored into result.json."""
    (tmp_path / "rubrics").mkdir()
    shutil.copy(RUBRIC, tmp_path / "rubrics" / "2021.rules")
    shutil.copy(EVIDENCE, tmp_path / "evidence.json")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("score", "rubrics/2021.rules", "evidence.json", "--format", "json")
    assert code == EXIT_OK
    (tmp_path / "result.json").write_text(out, encoding="utf-8")
    return tmp_path


def verify(*extra: str) -> tuple[int, str, str]:
    return run(
        "verify",
        "result.json",
        "--rubric",
        "rubrics/2021.rules",
        "--evidence",
        "evidence.json",
        *extra,
    )


def replace_once(path: Path, old: bytes, new: bytes) -> None:
    """Change the file at the first occurrence of ``old`` (same length: one byte differs)."""
    assert len(old) == len(new)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
    data = path.read_bytes()
    assert old in data, old
    path.write_bytes(data.replace(old, new, 1))


def difference_lines(out: str) -> list[str]:
    return [line[4:] for line in out.splitlines() if line.startswith("  - ")]


class TestConfirms:
    def test_an_untouched_result_verifies(self, workspace: Path) -> None:
        code, out, err = verify()
        assert (code, err) == (EXIT_OK, "")
        assert out.startswith("KHỚP")

    def test_english(self, workspace: Path) -> None:
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_OK
        assert out.startswith("VERIFIED")

    def test_reformatted_json_still_verifies(self, workspace: Path) -> None:
        document = json.loads((workspace / "result.json").read_text(encoding="utf-8"))
        (workspace / "result.json").write_text(json.dumps(document), encoding="utf-8")
        assert verify()[0] == EXIT_OK

    def test_a_moved_rubric_verifies_by_its_bytes(self, workspace: Path) -> None:
        (workspace / "elsewhere").mkdir()
        shutil.copy(workspace / "rubrics" / "2021.rules", workspace / "elsewhere" / "r.rules")
        code, out, _ = run(
            "verify", "result.json", "--rubric", "elsewhere/r.rules", "--evidence", "evidence.json"
        )
        assert code == EXIT_OK, out

    def test_reordered_evidence_keys_verify(self, workspace: Path) -> None:
        data = json.loads((workspace / "evidence.json").read_text(encoding="utf-8"))
        data["evidence"] = dict(reversed(list(data["evidence"].items())))
        (workspace / "evidence.json").write_text(json.dumps(data), encoding="utf-8")
        assert verify()[0] == EXIT_OK

    def test_another_engine_version_is_a_note_not_a_failure(self, workspace: Path) -> None:
        document = json.loads((workspace / "result.json").read_text(encoding="utf-8"))
        document["engine"]["version"] = "0.0.1"
        (workspace / "result.json").write_text(json.dumps(document), encoding="utf-8")
        code, out, _ = verify()
        assert code == EXIT_OK
        assert "htx-rules 0.0.1" in out.splitlines()[0]


class TestTampering:
    def test_one_byte_of_the_rubric(self, workspace: Path) -> None:
        # A label's letter: the rubric's hash changes and so does the label in the trace.
        replace_once(workspace / "rubrics" / "2021.rules", b'"Ban Ch', b'"Ban Kh')
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        lines = difference_lines(out)
        assert lines[0].startswith("rubric.sha256: the rubric file is not the one that scored")
        assert any("label" in line and "Ban Kh" in line for line in lines)

    def test_one_byte_of_a_rubric_comment(self, workspace: Path) -> None:
        # Nothing scored changes, but the file is not the one that scored.
        replace_once(workspace / "rubrics" / "2021.rules", b"# (R)", b"# (X)")
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        assert [line.split(":")[0] for line in difference_lines(out)] == ["rubric.sha256"]

    def test_one_byte_of_the_evidence(self, workspace: Path) -> None:
        data = (workspace / "evidence.json").read_text(encoding="utf-8")
        field, value = next(
            (k, v)
            for k, v in json.loads(data)["evidence"].items()
            if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 9
        )
        replace_once(
            workspace / "evidence.json",
            f'"{field}": {value}'.encode(),
            f'"{field}": {value + 1}'.encode(),
        )
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        lines = difference_lines(out)
        assert lines[0].startswith("evidence_sha256: the evidence is not the evidence")
        assert any(line.startswith(f"evidence.{field}:") for line in lines)

    def test_one_byte_of_a_point(self, workspace: Path) -> None:
        document = json.loads((workspace / "result.json").read_text(encoding="utf-8"))
        assert document["items"]["I.5"] == "6"
        replace_once(workspace / "result.json", b'"I.5": "6"', b'"I.5": "7"')
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        assert difference_lines(out) == ['items["I.5"]: the document says 7, re-derived 6']

    def test_one_byte_of_the_total(self, workspace: Path) -> None:
        replace_once(workspace / "result.json", b'"total": "86"', b'"total": "87"')
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        lines = difference_lines(out)
        assert lines == [
            "ledger: the ledger lines add up to 86, not to the document's total 87",
            "total: the document says 87, re-derived 86",
        ]

    def test_one_byte_of_a_ledger_line(self, workspace: Path) -> None:
        text = (workspace / "result.json").read_text(encoding="utf-8")
        document = json.loads(text)
        line = next(entry for entry in document["ledger"] if entry["change"] == "2")
        number = line["line"]
        start = text.index(f'"line": {number},')
        change_at = text.index('"change": "2"', start)
        edited = text[:change_at] + '"change": "3"' + text[change_at + len('"change": "2"') :]
        (workspace / "result.json").write_text(edited, encoding="utf-8")
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        lines = difference_lines(out)
        assert lines[0] == (
            f"ledger[{number}]: the change says 3, but the line's points before and after give 2"
        )
        assert f"ledger[{number}].change: the document says 3, re-derived 2" in lines

    def test_one_byte_of_the_recorded_rubric_hash(self, workspace: Path) -> None:
        document = json.loads((workspace / "result.json").read_text(encoding="utf-8"))
        digest = document["rubric"]["sha256"]
        flipped = ("1" if digest[0] != "1" else "2") + digest[1:]
        replace_once(workspace / "result.json", digest.encode(), flipped.encode())
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        assert [line.split(":")[0] for line in difference_lines(out)] == ["rubric.sha256"]

    def test_vietnamese_reasons(self, workspace: Path) -> None:
        replace_once(workspace / "result.json", b'"total": "86"', b'"total": "87"')
        code, out, _ = verify()
        assert code == EXIT_MISMATCH
        assert out.startswith("KHÔNG KHỚP: 2 khác biệt")
        assert "total: tài liệu ghi 87, tính lại được 86" in out


class TestContest:
    @pytest.fixture
    def contest(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        (tmp_path / "rubrics").mkdir()
        shutil.copy(RUBRIC, tmp_path / "rubrics" / "2021.rules")
        shutil.copytree(EXAMPLES_2021, tmp_path / "hoso")
        monkeypatch.chdir(tmp_path)
        code, out, _ = run("contest", "rubrics/2021.rules", "hoso", "--format", "json")
        assert code == EXIT_OK
        (tmp_path / "contest.json").write_text(out, encoding="utf-8")
        return tmp_path

    def verify(self, folder: str = "hoso") -> tuple[int, str, str]:
        return run(
            "verify",
            "contest.json",
            "--rubric",
            "rubrics/2021.rules",
            "--evidence",
            folder,
            "--lang",
            "en",
        )

    def test_contest_verifies(self, contest: Path) -> None:
        code, out, _ = self.verify()
        assert code == EXIT_OK
        assert out.startswith("VERIFIED: the htx-rules.contest document")

    def test_moved_folder_verifies(self, contest: Path) -> None:
        (contest / "hoso").rename(contest / "moved")
        assert self.verify("moved")[0] == EXIT_OK

    def test_one_byte_of_a_submission(self, contest: Path) -> None:
        replace_once(
            contest / "hoso" / "934-h-phung-hiep.json", b'"reviewer": "Tr', b'"reviewer": "Xr'
        )
        code, out, _ = self.verify()
        assert code == EXIT_MISMATCH
        lines = difference_lines(out)
        assert lines[0].startswith("standings[934].submission_sha256: the unit's submission")

    def test_one_byte_of_a_prize(self, contest: Path) -> None:
        replace_once(
            contest / "contest.json",
            b'"prize": "7000000",\n        "pending"',
            b'"prize": "8000000",\n        "pending"',
        )
        code, out, _ = self.verify()
        assert code == EXIT_MISMATCH
        assert difference_lines(out) == [
            "standings[935].award.prize: the document says 8000000, re-derived 7000000"
        ]


class TestBadInput:
    def test_not_json(self, workspace: Path) -> None:
        (workspace / "result.json").write_text("{not json", encoding="utf-8")
        code, _, err = verify("--lang", "en")
        assert code == EXIT_USAGE
        assert "'result.json' is not a readable JSON document" in err
        assert "line 1, column 2" in err

    def test_not_an_htx_rules_document(self, workspace: Path) -> None:
        (workspace / "result.json").write_text('{"format": "other"}', encoding="utf-8")
        code, out, _ = verify("--lang", "en")
        assert code == EXIT_MISMATCH
        assert difference_lines(out)[0].startswith("format: not an htx-rules document")

    def test_evidence_is_required(self, workspace: Path) -> None:
        code, _, err = run("verify", "result.json", "--rubric", "rubrics/2021.rules")
        assert code == EXIT_USAGE
        assert "--evidence" in err

    def test_missing_result_file(self, workspace: Path) -> None:
        code, _, err = run(
            "verify", "nope.json", "--rubric", "rubrics/2021.rules", "--evidence", "evidence.json"
        )
        assert code == EXIT_USAGE
        assert "nope.json" in err

    def test_bad_evidence_is_an_evidence_error(self, workspace: Path) -> None:
        data = json.loads((workspace / "evidence.json").read_text(encoding="utf-8"))
        data["evidence"]["htx_moi"] = -1
        (workspace / "evidence.json").write_text(json.dumps(data), encoding="utf-8")
        code, _, err = verify()
        assert code == EXIT_EVIDENCE
        assert "evidence.json" in err
