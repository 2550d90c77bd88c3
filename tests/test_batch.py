"""Scoring many rows: ``Rubric.score_many`` and ``htx-rules batch``.

The API is checked against :meth:`Rubric.score` row by row (results and
traces), for order, laziness, bad rows and several processes; the command line
on CSV, JSON Lines and Excel tables built in a temporary folder, for cell
conversion and its errors, byte-identical output whatever ``--jobs``, the same
per-row results in any row order, and the progress report.  Evidence is drawn
by :func:`random_rows` (plain ``random``, seeded) or by hypothesis strategies.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import model as m
from htx_rules import progress as progress_module
from htx_rules.batch import TableJob, ordered_map
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, EXIT_USAGE, main
from htx_rules.decimals import canonical, format_number
from htx_rules.source import SourceText
from htx_rules.table_input import csv_rows, read_layout
from tests.conftest import EXAMPLES_2021, ROOT
from tests.strategies import evidence_for

RUBRIC = str(ROOT / "rubrics" / "2021.rules")
EXAMPLES_BATCH = ROOT / "examples" / "batch"


# ---------------------------------------------------------------- helpers


def random_rows(rubric: htx_rules.Rubric, count: int, seed: int = 1) -> list[dict[str, object]]:
    """Valid evidence for ``rubric``, every field drawn by its type; a few left out.

    Yes/no fields are often false with their neighbours true, so that rules that
    require another (``I.1.b`` requires ``I.1.a``) are often unmet.
    """
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        row: dict[str, object] = {}
        for field in rubric.fields:
            if rng.random() < 0.05:
                continue
            row[field.name] = _value(field, rng)
        rows.append(row)
    return rows


def _value(field: m.Field, rng: random.Random) -> object:
    kind = field.type
    if kind == "yes/no":
        return rng.random() < 0.7
    if kind == "choice":
        return rng.choice([c.value for c in field.choices])
    if kind == "date":
        return (
            datetime.date(2021, 12, 1) + datetime.timedelta(days=rng.randint(0, 40))
        ).isoformat()
    if kind == "percent":
        return Decimal(rng.randint(0, 1000)).scaleb(-1)
    if kind == "money":
        return rng.randrange(0, 3_000_000_000, 1_000_000)
    return rng.randint(0, 12)


def cell_text(field: m.Field, value: object) -> str:
    """A value as a person types it into a CSV cell, the Vietnamese way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal | int) and field.type in ("percent", "money", "number"):
        text = format_number(Decimal(value), "vi")
        if re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
            # ``1.500`` may be 1500 or 1,5: the reader refuses it where both fit.
            text = text.replace(".", "")
        return text + ("%" if field.type == "percent" else "")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if field.type == "date":
        return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    return str(value)


def csv_text(
    rubric: htx_rules.Rubric, rows: Iterable[Mapping[str, object]], codes: Iterable[str] = ()
) -> str:
    """A CSV table of ``rows`` (with a ``don_vi`` column when ``codes`` are given)."""
    codes = list(codes)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [f.name for f in rubric.fields]
    writer.writerow((["don_vi"] if codes else []) + names)
    for index, row in enumerate(rows):
        cells = [cell_text(f, row.get(f.name)) for f in rubric.fields]
        writer.writerow(([codes[index]] if codes else []) + cells)
    return buffer.getvalue()


def run(*args: str) -> tuple[int, str, str]:
    """``htx-rules args`` in this process: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def csv_output(text: str) -> list[dict[str, str]]:
    """The rows of ``batch``'s CSV output, by header."""
    return list(csv.DictReader(io.StringIO(text)))


class Recording:
    """An iterator over ``rows`` that records how many it has handed out."""

    def __init__(self, rows: Iterable[object]) -> None:
        self._rows = iter(rows)
        self.read = 0

    def __iter__(self) -> Iterator[object]:
        return self

    def __next__(self) -> object:
        row = next(self._rows)
        self.read += 1
        return row


def same_result(a: htx_rules.Result, b: htx_rules.Result) -> None:
    """Two results are equal: points, evidence, missing fields, and traces."""
    assert a == b
    assert a.items == b.items
    assert a.parts == b.parts
    assert a.trace == b.trace


# ---------------------------------------------------------------- the API


class TestScoreMany:
    """``Rubric.score_many`` is ``Rubric.score`` over the rows, in order, streaming."""

    def test_each_result_is_what_score_gives(self, rubric_2021: htx_rules.Rubric) -> None:
        """Results come in the rows' order and equal ``score``'s, traces included."""
        rows = random_rows(rubric_2021, 60)
        for got, row in zip(rubric_2021.score_many(rows), rows, strict=True):
            same_result(got, rubric_2021.score(row))

    def test_untraced(self, rubric_2021: htx_rules.Rubric) -> None:
        """``trace=False`` gives the untraced results of ``score``."""
        rows = random_rows(rubric_2021, 20, seed=2)
        results = list(rubric_2021.score_many(rows, trace=False))
        assert results == [rubric_2021.score(r, trace=False) for r in rows]
        assert all(r.trace is None for r in results)

    def test_rows_are_read_lazily(self, rubric_2021: htx_rules.Rubric) -> None:
        """With one process, a row is read only when its result is asked for."""
        rows = Recording(random_rows(rubric_2021, 50))
        results = rubric_2021.score_many(rows)  # type: ignore[arg-type]
        assert rows.read == 0
        for taken in range(1, 4):
            next(results)
            assert rows.read == taken

    def test_rows_are_read_a_few_chunks_ahead_with_workers(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        """With two workers, at most two chunks per worker are read ahead."""
        rows = Recording(random_rows(rubric_2021, 400))
        results = rubric_2021.score_many(rows, jobs=2, chunk_size=10)  # type: ignore[arg-type]
        next(results)
        assert rows.read <= 2 * 2 * 10 + 10
        results.close()  # stops the workers

    def test_a_generator_is_enough(self, rubric_2021: htx_rules.Rubric) -> None:
        """Rows may come from a generator (a file read line by line)."""
        source = random_rows(rubric_2021, 5, seed=3)
        results = list(rubric_2021.score_many(dict(r) for r in source))
        assert [r.total for r in results] == [rubric_2021.score(r).total for r in source]

    def test_first_bad_row_raises_naming_its_position(self, rubric_2021: htx_rules.Rubric) -> None:
        """A bad row stops the run with a RowError naming its index and field; the
        rows after it are not read."""
        rows = Recording([{"htx_moi": 1}, {"htx_moi": 2}, {"htx_moi": "ba"}, {"htx_moi": 4}])
        results = rubric_2021.score_many(rows)  # type: ignore[arg-type]
        assert [r.total for r in (next(results), next(results))] == [
            rubric_2021.score({"htx_moi": 1}).total,
            rubric_2021.score({"htx_moi": 2}).total,
        ]
        with pytest.raises(htx_rules.RowError) as raised:
            next(results)
        error = raised.value
        assert (error.index, error.source, error.fields) == (2, "rows[2]", ("htx_moi",))
        assert isinstance(error, htx_rules.EvidenceError)
        assert "rows[2]" in str(error)
        assert rows.read == 3

    def test_keep_yields_the_error_in_place(self, rubric_2021: htx_rules.Rubric) -> None:
        """``errors="keep"`` puts each bad row's error where its result would be."""
        rows = [{"htx_moi": 1}, {"htx_moii": 1}, 7, {"htx_moi": 3}]
        got = list(rubric_2021.score_many(rows, errors="keep"))  # type: ignore[list-item]
        assert isinstance(got[0], htx_rules.Result)
        assert isinstance(got[3], htx_rules.Result)
        assert isinstance(got[1], htx_rules.RowError)
        assert isinstance(got[2], htx_rules.RowError)
        assert (got[1].index, got[1].codes) == (1, ("evidence-unknown-field",))
        assert (got[2].index, got[2].codes) == (2, ("evidence-not-object",))

    def test_documents_carry_unit_and_assessments(self, rubric_2021: htx_rules.Rubric) -> None:
        """An EvidenceDocument row is scored for its unit with its assessments."""
        paths = sorted(EXAMPLES_2021.glob("*.json"))
        documents = [
            htx_rules.parse_evidence_json(p.read_text(encoding="utf-8"), str(p)) for p in paths
        ]
        for got, document in zip(rubric_2021.score_many(documents), documents, strict=True):
            assert got.contestant is not None
            assert got.contestant.code == document.contestant
            same_result(
                got,
                rubric_2021.score(
                    document.evidence,
                    contestant=document.contestant,
                    assessments=document.assessments,
                ),
            )

    def test_a_document_for_another_rubric_is_refused(self, rubric_2021: htx_rules.Rubric) -> None:
        """A document naming another rubric is a bad row, named by its source."""
        document = htx_rules.parse_evidence_json(
            '{"rubric": "thi_dua_2030", "evidence": {"htx_moi": 1}}', "ho-so/x.json"
        )
        with pytest.raises(htx_rules.RowError) as raised:
            list(rubric_2021.score_many([document]))
        assert raised.value.codes == ("rubric-mismatch",)
        assert raised.value.source == "ho-so/x.json"

    @pytest.mark.parametrize(
        "arguments",
        [{"jobs": -1}, {"jobs": 1.5}, {"chunk_size": 0}, {"errors": "skip"}],
        ids=str,
    )
    def test_bad_arguments_are_refused_at_once(
        self, rubric_2021: htx_rules.Rubric, arguments: dict[str, Any]
    ) -> None:
        """A wrong ``jobs``, ``chunk_size`` or ``errors`` raises before any row is read."""
        rows = Recording([{"htx_moi": 1}])
        with pytest.raises(ValueError, match=next(iter(arguments))):
            rubric_2021.score_many(rows, **arguments)  # type: ignore[call-overload]
        assert rows.read == 0


class TestWorkers:
    """With ``jobs`` above 1, the same results, in the same order."""

    def test_two_workers_give_what_one_gives(self, rubric_2021: htx_rules.Rubric) -> None:
        """Results, traces and errors match one process row by row, in order."""
        rows: list[Any] = random_rows(rubric_2021, 90, seed=4)
        rows[7] = {"htx_moi": -1}
        rows[50] = "not evidence"
        alone = list(rubric_2021.score_many(rows, errors="keep"))
        shared = list(rubric_2021.score_many(rows, errors="keep", jobs=2, chunk_size=7))
        assert len(shared) == len(alone)
        unmet = 0
        for a, b in zip(alone, shared, strict=True):
            if isinstance(a, htx_rules.RowError):
                assert isinstance(b, htx_rules.RowError)
                assert (a.index, a.source, a.codes) == (b.index, b.source, b.codes)
                assert (a.render("vi"), a.render("en")) == (b.render("vi"), b.render("en"))
                continue
            assert isinstance(b, htx_rules.Result)
            same_result(a, b)
            assert b.model is rubric_2021.model
            assert a.trace is not None
            unmet += sum(n.status == "requires_unmet" for n in a.trace.walk())
        # The trace tells an unmet requirement by the identity of a marker: the
        # rows must include some for the comparison to mean anything.
        assert unmet > 0

    def test_a_bad_row_stops_the_workers(self, rubric_2021: htx_rules.Rubric) -> None:
        """With ``errors="raise"``, the first bad row in order raises, as with one process."""
        rows: list[Any] = random_rows(rubric_2021, 30, seed=5)
        rows[12] = {"ty_le_dai_hoi": 140}
        rows[20] = {"htx_moi": "x"}
        with pytest.raises(htx_rules.RowError) as raised:
            list(rubric_2021.score_many(rows, jobs=2, chunk_size=4))
        assert raised.value.index == 12

    def test_a_rubric_that_its_text_does_not_give_is_refused(
        self, rubric_2021: htx_rules.Rubric
    ) -> None:
        """A rubric built from a model (as re-scoring does) cannot be compiled in
        workers from its text: jobs above 1 says so; one process scores it."""
        built = htx_rules.Rubric(rubric_2021.model, SourceText("<step 1>", ""))
        rows = [{"htx_moi": 2}]
        with pytest.raises(ValueError, match="jobs=1"):
            list(built.score_many(rows, jobs=2))
        assert [r.total for r in built.score_many(rows)] == [rubric_2021.score(rows[0]).total]


# ---------------------------------------------------------------- tables: reading cells


def batch_csv(
    tmp_path: Path, text: str, *args: str, name: str = "bang.csv"
) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("batch", RUBRIC, str(path), *args)


class TestCells:
    """CSV cells are read by the field's type, the way the Excel form is read."""

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("có", True),
            ("Có", True),
            ("co", True),
            ("yes", True),
            ("TRUE", True),
            ("1", True),
            ("x", True),
            ("không", False),
            ("Không", False),
            ("no", False),
            ("false", False),
            ("0", False),
        ],
    )
    def test_yes_no_words(self, tmp_path: Path, cell: str, expected: bool) -> None:
        """Vietnamese and English yes/no words, in any case, and 1/0."""
        code, out, _ = batch_csv(tmp_path, f"bcd_quyet_dinh\n{cell}\n", "--format", "jsonl")
        assert code == EXIT_OK
        assert json.loads(out)["items"]["I.1.a"] == ("1.5" if expected else "0")

    def test_typed_values(self, tmp_path: Path, rubric_2021: htx_rules.Rubric) -> None:
        """Counts, Vietnamese decimals, percentages, money, dates and choices give
        the evidence the same values typed as JSON would."""
        table = (
            "htx_moi,chi_tieu_htx,ty_le_dai_hoi,doanh_thu_bq_2021,doanh_thu_bq_2020,"
            "ngay_nop_bao_cao,bao_cao_nam\n"
            '3,4,"72,5%",1.350.000.000,"1,200,000,000",23/12/2021,Gửi trễ hạn\n'
        )
        code, out, err = batch_csv(tmp_path, table, "--format", "jsonl")
        assert (code, err) == (EXIT_OK, "")
        expected = rubric_2021.score(
            {
                "htx_moi": 3,
                "chi_tieu_htx": 4,
                "ty_le_dai_hoi": Decimal("72.5"),
                "doanh_thu_bq_2021": 1_350_000_000,
                "doanh_thu_bq_2020": 1_200_000_000,
                "ngay_nop_bao_cao": "2021-12-23",
                "bao_cao_nam": "tre_han",
            }
        )
        got = json.loads(out)
        assert got["total"] == canonical(expected.total)
        assert got["items"] == {k: canonical(v) for k, v in expected.items.items()}
        assert got["missing"] == list(expected.missing)

    @pytest.mark.parametrize(
        ("header", "cell", "code", "words"),
        [
            ("bcd_quyet_dinh", "đúng", "excel-yes-no", "ô ghi 'đúng'; chọn «có» hoặc «không»"),
            ("htx_moi", "12.5", "evidence-not-whole", "'12,5' không phải số nguyên"),
            ("htx_moi", "ba", "excel-not-number", "ô ghi 'ba', không đọc được thành số"),
            ("ty_le_dai_hoi", "101", "evidence-percent-range", "phải từ 0 đến 100"),
            ("ngay_nop_bao_cao", "32/12/2021", "excel-not-date", "không phải một ngày"),
            ("bao_cao_nam", "nộp muộn", "excel-unknown-choice", "không phải một lựa chọn"),
            ("don_vi", "999", "unknown-contestant", "đơn vị '999' không có trong danh sách"),
        ],
    )
    def test_bad_cell_names_line_and_field(
        self,
        tmp_path: Path,
        rubric_2021: htx_rules.Rubric,
        header: str,
        cell: str,
        code: str,
        words: str,
    ) -> None:
        """A bad cell is reported on standard error with the file, the line and the
        field; the row is written without points, the others are scored; exit 1."""
        table = f"{header},tin_bai_tuyen_truyen\n{cell},2\n,4\n"
        status, out, err = batch_csv(tmp_path, table, "--format", "jsonl")
        assert status == EXIT_EVIDENCE
        assert "bang.csv:2: lỗi: minh chứng có 1 lỗi" in err
        field = "contestant" if header == "don_vi" else header
        assert f"'{field}'" in err or code == "unknown-contestant"
        assert words in err
        bad, good = (json.loads(line) for line in out.splitlines())
        assert [p["code"] for p in bad["problems"]] == [code]
        assert bad["total"] is None
        expected = rubric_2021.score({"tin_bai_tuyen_truyen": 4})
        assert (good["row"], good["problems"]) == (3, [])
        assert good["items"] == {k: canonical(v) for k, v in expected.items.items()}

    def test_every_problem_of_a_row_at_once(self, tmp_path: Path) -> None:
        """A row's cell problems come with the problems scoring finds (``--strict``:
        each field left empty), but a field whose cell is wrong is not also missing."""
        table = "htx_moi,chi_tieu_htx\nba,\n"
        _, out, _ = batch_csv(tmp_path, table, "--format", "jsonl", "--strict")
        problems = json.loads(out)["problems"]
        assert problems[0] == {
            "field": "htx_moi",
            "code": "excel-not-number",
            "message": problems[0]["message"],
        }
        codes = {(p["field"], p["code"]) for p in problems}
        assert ("chi_tieu_htx", "evidence-missing") in codes
        assert ("htx_moi", "evidence-missing") not in codes

    def test_unknown_column_stops_before_any_row(self, tmp_path: Path) -> None:
        """A header naming no field is an error at line 1 with the closest field;
        no row is scored, nothing is written."""
        status, out, err = batch_csv(tmp_path, "htx_moii,chi_tieu_htx\n3,4\n")
        assert (status, out) == (EXIT_EVIDENCE, "")
        assert "bang.csv:1: lỗi:" in err
        assert "'htx_moii': bảng điểm không có trường minh chứng này" in err
        assert "có phải là 'htx_moi'?" in err
        assert "--ignore" in err

    def test_ignored_columns(self, tmp_path: Path) -> None:
        """``--ignore`` leaves a column aside; a value under a blank header is an error."""
        table = "ten,htx_moi,\nTP. Vị Thanh,3,\nTP. Ngã Bảy,2,lạ\n"
        status, out, err = batch_csv(tmp_path, table, "--ignore", "ten", "--format", "jsonl")
        assert status == EXIT_EVIDENCE
        first, second = (json.loads(line) for line in out.splitlines())
        assert first["problems"] == []
        assert [p["code"] for p in second["problems"]] == ["batch-cell-without-column"]
        assert "ô ở cột 3 ghi 'lạ'" in err

    def test_both_spellings_of_the_unit(self, tmp_path: Path) -> None:
        """``don_vi`` and ``contestant`` are one column: both is a header error."""
        status, _, err = batch_csv(tmp_path, "don_vi,contestant\n930,930\n")
        assert status == EXIT_EVIDENCE
        assert "'contestant' và 'don_vi' là cùng một mục" in err

    def test_unit_by_code_or_name(self, tmp_path: Path) -> None:
        """The unit's cell may hold its code or its name."""
        table = "don_vi,htx_moi\n930,1\nTP. Ngã Bảy,1\n932 — H. Châu Thành A,1\n,1\n"
        _, out, _ = batch_csv(tmp_path, table)
        assert [r["Đơn vị"] for r in csv_output(out)] == ["930", "931", "932", ""]

    @pytest.mark.parametrize("text", ["", "\n\n", ",,\n"])
    def test_empty_file(self, tmp_path: Path, text: str) -> None:
        """A CSV file without a header row is an error naming the file."""
        status, out, err = batch_csv(tmp_path, text)
        assert (status, out) == (EXIT_EVIDENCE, "")
        assert "bang.csv: lỗi: minh chứng có 1 lỗi" in err
        assert "tệp không có dòng tiêu đề" in err

    def test_header_only(self, tmp_path: Path) -> None:
        """A header and no row: the output's header alone, a note, exit 0."""
        status, out, err = batch_csv(tmp_path, "htx_moi,chi_tieu_htx\n\n,\n")
        assert status == EXIT_OK
        assert out.splitlines()[0].startswith("Dòng,Đơn vị,Tổng")
        assert len(out.splitlines()) == 1
        assert "tệp không có dòng minh chứng nào" in err

    def test_byte_order_mark_and_semicolons(self, tmp_path: Path) -> None:
        """A CSV saved by Excel (byte-order mark, ``;`` separators) reads the same."""
        plain = batch_csv(tmp_path, 'htx_moi,ty_le_dai_hoi\n3,"72,5"\n', name="a.csv")
        path = tmp_path / "b.csv"
        path.write_bytes("\ufeffhtx_moi;ty_le_dai_hoi\r\n3;72,5\r\n".encode())
        assert run("batch", RUBRIC, str(path)) == plain

    def test_bytes_not_utf8(self, tmp_path: Path) -> None:
        """A line that is not UTF-8 stops the reading there, naming the line; the
        rows before it are scored and written."""
        path = tmp_path / "bang.csv"
        path.write_bytes(b"htx_moi\n3\n4\n" + b"\xff\xfe5\n6\n")
        status, out, err = run("batch", RUBRIC, str(path))
        assert status == EXIT_EVIDENCE
        assert [r["Dòng"] for r in csv_output(out)] == ["2", "3"]
        assert "bang.csv:4: lỗi: minh chứng có 1 lỗi\n  - tệp không phải văn bản UTF-8" in err

    def test_quote_never_closed(self, tmp_path: Path) -> None:
        """A quote never closed is an error at its row, not a cell that swallows the
        rows after it; the rows before it are scored."""
        table = 'htx_moi,ten\n1,a\n2,"b\n3,c\n'
        status, out, err = batch_csv(tmp_path, table, "--ignore", "ten")
        assert status == EXIT_EVIDENCE
        assert [r["Dòng"] for r in csv_output(out)] == ["2"]
        assert "bang.csv:3: lỗi: minh chứng có 1 lỗi" in err
        assert "không đọc được tệp CSV từ dòng này: unexpected end of data" in err

    def test_multiline_cell_counts_lines(self, tmp_path: Path) -> None:
        """A row's number is the line it starts on, also after a cell spanning lines."""
        table = 'ten,htx_moi\n"hai\ndòng",1\nmột,x\n'
        _, _, err = batch_csv(tmp_path, table, "--ignore", "ten")
        assert "bang.csv:4: lỗi" in err


# ---------------------------------------------------------------- tables: formats


class TestFormats:
    """JSON Lines and Excel inputs; CSV, JSON Lines and Excel outputs."""

    def test_csv_and_jsonl_examples_agree(self) -> None:
        """The CSV example and its JSON Lines twin give the same rows (but their line
        numbers: the CSV has a header line)."""
        code_csv, out_csv, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"))
        code_jsonl, out_jsonl, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.jsonl"))
        assert code_csv == code_jsonl == EXIT_OK
        from_csv, from_jsonl = csv_output(out_csv), csv_output(out_jsonl)
        assert len(from_csv) == 11
        for a, b in zip(from_csv, from_jsonl, strict=True):
            assert int(a.pop("Dòng")) == int(b.pop("Dòng")) + 1
            assert a == b

    def test_examples_are_the_2021_districts(self, rubric_2021: htx_rules.Rubric) -> None:
        """The first eight rows of the example are the 2021 example districts'
        reported evidence (reviewers' assessments, which a table has not, aside)."""
        _, out, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.jsonl"), "--format", "jsonl")
        lines = [json.loads(line) for line in out.splitlines()]
        paths = sorted(EXAMPLES_2021.glob("*.json"))
        for line in lines:
            path = next((p for p in paths if p.name.startswith(str(line["contestant"]))), None)
            if path is None:
                continue
            document = htx_rules.parse_evidence_json(path.read_text(encoding="utf-8"))
            expected = rubric_2021.score(document.evidence, contestant=document.contestant)
            assert line["total"] == canonical(expected.total)

    def test_jsonl_rows(self, tmp_path: Path, rubric_2021: htx_rules.Rubric) -> None:
        """JSON Lines: flat rows or documents, blank lines skipped, exact numbers,
        and a line that is not JSON named with its own line number."""
        path = tmp_path / "bang.jsonl"
        path.write_text(
            '{"don_vi": "930", "ty_le_dai_hoi": 72.5}\n'
            "\n"
            '{"contestant": "931", "evidence": {"htx_moi": 2}}\n'
            '{"htx_moi": 2,\n',
            encoding="utf-8",
        )
        status, out, err = run("batch", RUBRIC, str(path), "--format", "jsonl")
        assert status == EXIT_EVIDENCE
        first, second, third = (json.loads(line) for line in out.splitlines())
        assert (first["row"], first["contestant"], second["row"], second["contestant"]) == (
            1,
            "930",
            3,
            "931",
        )
        expected = rubric_2021.score({"ty_le_dai_hoi": Decimal("72.5")})
        assert first["total"] == canonical(expected.total)
        assert third["problems"][0]["code"] == "evidence-json"
        assert "bang.jsonl:4: lỗi" in err
        assert "dòng 4, cột 15" in err

    def test_excel_input(self, tmp_path: Path, rubric_2021: htx_rules.Rubric) -> None:
        """An Excel sheet: numbers exact (typed floats, percentage cells), dates, a
        named sheet, and a formula never computed refused with its cell's row."""
        book = openpyxl.Workbook()
        book.active.title = "Ghi chú"
        ws = book.create_sheet("Số liệu")
        ws.append(["don_vi", "htx_moi", "chi_tieu_htx", "ty_le_dai_hoi", "ngay_nop_bao_cao"])
        ws.append([930, 3, 4.0, 0.725, datetime.datetime(2021, 12, 23)])
        ws.cell(row=2, column=4).number_format = "0.0%"
        ws.append(["931", "=1+2", 4, "72,5", "23/12/2021"])
        ws.append([None, None, None, None, None])
        ws.append(["932", 2, 4, 72.50000000000001, None])
        path = tmp_path / "bang.xlsx"
        book.save(path)
        status, out, err = run(
            "batch", RUBRIC, str(path), "--sheet", "Số liệu", "--format", "jsonl"
        )
        assert status == EXIT_EVIDENCE
        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["row"] for r in rows] == [2, 3, 5]
        expected = rubric_2021.score(
            {
                "htx_moi": 3,
                "chi_tieu_htx": 4,
                "ty_le_dai_hoi": Decimal("72.5"),
                "ngay_nop_bao_cao": "2021-12-23",
            },
            contestant="930",
        )
        assert rows[0]["items"] == {k: canonical(v) for k, v in expected.items.items()}
        assert [p["code"] for p in rows[1]["problems"]] == ["excel-formula-no-value"]
        assert [p["code"] for p in rows[2]["problems"]] == ["excel-inexact-number"]
        assert "bang.xlsx[Số liệu]:3: lỗi" in err
        assert "bang.xlsx[Số liệu]:5: lỗi" in err

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        """A file ending in .xlsx that is no workbook is named, with the reason."""
        path = tmp_path / "bang.xlsx"
        path.write_text("htx_moi\n3\n", encoding="utf-8")
        status, out, err = run("batch", RUBRIC, str(path))
        assert (status, out) == (EXIT_EVIDENCE, "")
        assert "bang.xlsx: lỗi: minh chứng có 1 lỗi" in err
        assert "không mở được tệp Excel (.xlsx): File is not a zip file" in err

    def test_jsonl_document_with_assessments(
        self, tmp_path: Path, rubric_2021: htx_rules.Rubric
    ) -> None:
        """A JSON line written as an evidence document is scored with its reviewers'
        assessments, like the evidence file it could be."""
        example = EXAMPLES_2021 / "930-tp-vi-thanh.json"
        data = json.loads(example.read_text(encoding="utf-8"))
        path = tmp_path / "bang.jsonl"
        path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        status, out, _ = run("batch", RUBRIC, str(path), "--format", "jsonl")
        document = htx_rules.parse_evidence_json(example.read_text(encoding="utf-8"))
        expected = rubric_2021.score(
            document.evidence, contestant=document.contestant, assessments=document.assessments
        )
        line = json.loads(out)
        assert status == EXIT_OK
        assert (line["total"], line["unassessed"]) == (canonical(expected.total), [])

    def test_excel_unknown_sheet(self, tmp_path: Path) -> None:
        """A sheet name the workbook does not have is an error listing its sheets."""
        book = openpyxl.Workbook()
        book.active.title = "Trang 1"
        path = tmp_path / "bang.xlsx"
        book.save(path)
        status, _, err = run("batch", RUBRIC, str(path), "--sheet", "Trang 2")
        assert status == EXIT_EVIDENCE
        assert "sổ tính không có trang 'Trang 2' (các trang: 'Trang 1')" in err

    def test_excel_output(self, tmp_path: Path) -> None:
        """``--out x.xlsx`` writes the CSV's rows as a sheet, numbers as numbers."""
        target = tmp_path / "ket-qua.xlsx"
        status, out, _ = run(
            "batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"), "--out", str(target)
        )
        assert (status, out) == (EXIT_OK, "")
        _, text, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"))
        rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
        expected = list(csv.reader(io.StringIO(text)))
        assert len(rows) == len(expected)
        assert list(rows[0]) == expected[0]
        for got, want in zip(rows[1:], expected[1:], strict=True):
            assert got[0] == int(want[0])
            assert Decimal(str(got[2])) == Decimal(want[2])

    def test_csv_file_has_a_byte_order_mark(self, tmp_path: Path) -> None:
        """A CSV file written with ``--out`` starts with a byte-order mark (for
        Excel); standard output does not."""
        target = tmp_path / "ket-qua.csv"
        run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"), "--out", str(target))
        _, text, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"))
        assert target.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
        assert not text.startswith("\ufeff")

    def test_english_headers(self) -> None:
        """``--lang en`` gives English headers; the numbers are the same."""
        _, vi, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"))
        _, en, _ = run("batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"), "--lang", "en")
        assert en.splitlines()[0].startswith("Row,Unit,Total,Standard,Bonus,Deduction,Part I")
        assert vi.splitlines()[1:] == en.splitlines()[1:]

    def test_excerpt_in_the_documentation(self) -> None:
        """The first columns of the CSV example's output quoted in docs/cli.md are
        what the command writes."""
        text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
        marker = re.search(r"<!-- batch-excerpt: (\S+) (\d+) -->\n```text\n(.*?)```", text, re.S)
        assert marker is not None
        path, width, quoted = marker.groups()
        _, out, _ = run("batch", RUBRIC, str(ROOT / path))
        first = [",".join(line.split(",")[: int(width)]) for line in out.splitlines()]
        assert quoted.splitlines() == first

    def test_ctrl_c(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Ctrl-C stops the run with exit 130 and a line saying so; an ``--out``
        file is not written, and no temporary file is left beside it."""
        import htx_rules.cli as cli_module

        reading = cli_module.jsonl_rows

        def interrupted(lines: Iterable[str]) -> Iterator[Any]:
            for number, row in enumerate(reading(lines)):
                if number == 3:
                    raise KeyboardInterrupt
                yield row

        monkeypatch.setattr(cli_module, "jsonl_rows", interrupted)
        target = tmp_path / "ket-qua.csv"
        status, out, err = run(
            "batch", RUBRIC, str(EXAMPLES_BATCH / "2021.jsonl"), "--out", str(target)
        )
        assert (status, out) == (cli_module.EXIT_INTERRUPTED, "")
        # Rows are scored a hundred at a time: none was written when the fourth was read.
        assert err == "đã dừng theo yêu cầu (Ctrl-C) sau 0 dòng; tệp kết quả --out không được ghi\n"
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (["bang.txt"], "tệp vào phải là .csv, .jsonl hoặc .xlsx"),
            (["bang.csv", "--format", "xlsx"], "định dạng xlsx cần --out"),
            (["bang.csv", "--sheet", "A"], "--sheet chỉ dùng với tệp Excel"),
            (["bang.csv", "--jobs", "-2"], "--jobs phải là một số nguyên từ 0 trở lên"),
            (["bang.csv", "--out", "bang.csv"], "chính là tệp vào"),
            (["khong-co.csv"], "không có tệp hay thư mục này"),
        ],
    )
    def test_usage_errors(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str
    ) -> None:
        """A wrong command line is refused with exit 3, before any row is read."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "bang.csv").write_text("htx_moi\n1\n", encoding="utf-8")
        (tmp_path / "bang.txt").write_text("htx_moi\n1\n", encoding="utf-8")
        status, out, err = run("batch", RUBRIC, *args)
        assert (status, out) == (EXIT_USAGE, "")
        assert words in err


# ---------------------------------------------------------------- tables: order, workers, size


class TestOrderAndWorkers:
    """The output is the same whatever the number of workers and the rows' order."""

    @pytest.mark.parametrize("output", ["csv", "jsonl"])
    def test_jobs_give_identical_bytes(
        self, tmp_path: Path, rubric_2021: htx_rules.Rubric, output: str
    ) -> None:
        """``--jobs 2`` writes the bytes ``--jobs 1`` writes, bad rows included."""
        rows: list[dict[str, object]] = random_rows(rubric_2021, 300, seed=7)
        rows[100] = {"htx_moi": "x"}
        (tmp_path / "bang.csv").write_text(csv_text(rubric_2021, rows), encoding="utf-8")
        one = run("batch", RUBRIC, str(tmp_path / "bang.csv"), "--format", output)
        two = run("batch", RUBRIC, str(tmp_path / "bang.csv"), "--format", output, "--jobs", "2")
        assert one[0] == EXIT_EVIDENCE
        assert one == two
        assert len(one[1].splitlines()) == 300 + (output == "csv")

    def test_shuffled_rows_give_the_same_row_results(
        self, tmp_path: Path, rubric_2021: htx_rules.Rubric
    ) -> None:
        """Rows in another order give, row for row, the same results."""
        rows = random_rows(rubric_2021, 120, seed=8)
        order = list(range(len(rows)))
        random.Random(9).shuffle(order)
        (tmp_path / "a.csv").write_text(csv_text(rubric_2021, rows), encoding="utf-8")
        shuffled = [rows[i] for i in order]
        (tmp_path / "b.csv").write_text(csv_text(rubric_2021, shuffled), encoding="utf-8")
        _, first, _ = run("batch", RUBRIC, str(tmp_path / "a.csv"))
        _, second, _ = run("batch", RUBRIC, str(tmp_path / "b.csv"), "--jobs", "2")
        before, after = csv_output(first), csv_output(second)
        for position, original in enumerate(order):
            a, b = dict(before[original]), dict(after[position])
            a.pop("Dòng")
            b.pop("Dòng")
            assert a == b

    def test_twenty_thousand_rows(self, tmp_path: Path, rubric_2021: htx_rules.Rubric) -> None:
        """A 20,000-row table is scored in one pass, every row in order."""
        rows = random_rows(rubric_2021, 400, seed=10)
        table = csv_text(rubric_2021, rows)
        header, body = table.split("\n", 1)
        (tmp_path / "lon.csv").write_text(header + "\n" + body * 50, encoding="utf-8")
        status, out, err = run("batch", RUBRIC, str(tmp_path / "lon.csv"), "--no-progress")
        assert (status, err) == (EXIT_OK, "")
        lines = out.splitlines()
        assert len(lines) == 20_001
        numbers = [int(line.split(",", 1)[0]) for line in lines[1:]]
        assert numbers == list(range(2, 20_002))
        # Row 402 is row 2 again: same evidence, same points.
        assert lines[401].split(",", 1)[1] == lines[1].split(",", 1)[1]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_table_totals_are_score_totals(rubric_2021: htx_rules.Rubric, data: st.DataObject) -> None:
    """For random 2021 evidence written as a CSV table, each row's total is the
    total ``score`` gives that evidence."""
    rows = data.draw(st.lists(evidence_for(rubric_2021), min_size=1, max_size=6))
    header, raw = csv_rows(io.StringIO(csv_text(rubric_2021, rows)))
    assert header is not None
    layout, problems = read_layout(header, rubric_2021, "bang.csv")
    assert problems == []
    job = TableJob(layout, "jsonl", "vi", strict=False)
    outputs = ordered_map(job, raw, rubric_2021, workers=1)
    lines = [json.loads(str(r.output)) for r in outputs]
    assert [line["total"] for line in lines] == [
        canonical(rubric_2021.score(r).total) for r in rows
    ]


# ---------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


class TestProgress:
    """A progress line on standard error, on a terminal, for long runs only."""

    def run_with(self, stderr: io.StringIO, *args: str) -> str:
        out = io.StringIO()
        code = main(
            ["batch", RUBRIC, str(EXAMPLES_BATCH / "2021.csv"), *args], stdout=out, stderr=stderr
        )
        assert code == EXIT_OK
        return out.getvalue()

    def test_shown_on_a_terminal_once_the_run_is_long(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """On a terminal, past the delay, rows done and rows per second are drawn on
        standard error, never on standard output."""
        monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)
        err = FakeTerminal()
        out = self.run_with(err, "--out", str(tmp_path / "x.csv"))
        assert out == ""
        assert "\rđã chấm " in err.getvalue()
        assert "dòng/giây" in err.getvalue()
        assert err.getvalue().endswith("\n")

    def test_not_shown_when_not_a_terminal_or_short(self, tmp_path: Path) -> None:
        """Not on a pipe or a file; not on a terminal for a short run; not with
        ``--no-progress``."""
        err = io.StringIO()
        self.run_with(err)
        assert err.getvalue() == ""
        terminal = FakeTerminal()
        self.run_with(terminal, "--out", str(tmp_path / "x.csv"))
        assert terminal.getvalue() == ""

    def test_forced_and_hidden(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``--progress`` shows it anywhere; ``--no-progress`` hides it on a terminal."""
        monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)
        err = io.StringIO()
        self.run_with(err, "--progress")
        assert "đã chấm 11 dòng" in err.getvalue()
        terminal = FakeTerminal()
        self.run_with(terminal, "--no-progress")
        assert terminal.getvalue() == ""

    def test_the_line_is_redrawn_in_place(self) -> None:
        """Each drawing returns to the line's start and covers the previous one."""
        clock = iter([0.0, 0.5, 2.0, 2.1, 3.0, 4.0]).__next__
        written: list[str] = []
        report = progress_module.Progress(written.append, "en", clock=clock)
        report.update(10)  # 0.5 s: too early
        report.update(2000, 0.5)  # 2.0 s
        report.update(2100)  # 2.1 s: too soon after the last drawing
        report.update(3000)  # 3.0 s
        report.finish(4000)  # 4.0 s
        assert written[0] == "\rscored 2,000 rows, about 50% of the file (1,000 rows/s)"
        assert written[1].startswith("\rscored 3,000 rows (1,000 rows/s)")
        assert len(written[1]) == len(written[0])
        assert written[2].startswith("\rscored 4,000 rows in 4 s (1,000 rows/s)")
        assert written[-1] == "\n"
