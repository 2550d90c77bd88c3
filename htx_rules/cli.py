"""The ``htx-rules`` command line: the only module that reads files and prints.

Exit codes (also in ``docs/cli.md``):

* 0 — done;
* 1 — bad evidence or contest input (every problem is listed, for every file);
  ``fmt --check``: a file is not formatted;
* 2 — bad rubric;
* 3 — bad command line, or a file or folder that cannot be read or written;
* 4 — ``verify``: the result does not follow from the rubric and evidence given;
  ``diff --exit-code``: the two rubrics differ;
* 130 — ``batch``: stopped with Ctrl-C.

``check`` has its own meaning for 0, 1 and 2: no warning, warnings only, errors.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple, NoReturn, TextIO

from htx_rules import __version__
from htx_rules.checker import all_items
from htx_rules.decimals import Lang
from htx_rules.errors import EvidenceError, EvidenceProblem, RubricError
from htx_rules.evidence import EvidenceDocument, parse_evidence_json, parse_evidence_toml
from htx_rules.messages import render_message
from htx_rules.render import markdown_report, result_to_json, results_to_json, summary, text_report
from htx_rules.result import Result
from htx_rules.rubric import Rubric, load, load_bytes
from htx_rules.table_input import (
    FORMATS,
    Layout,
    RawRow,
    Unreadable,
    WorkbookRows,
    csv_rows,
    jsonl_rows,
    read_layout,
    text_lines,
)
from htx_rules.table_output import Columns, SheetWriter

# Each command imports what only it needs (the contest, the reports, the
# checks, Jinja, openpyxl) when it runs: `htx-rules score` does not wait for
# the modules of `htx-rules contest`.
if TYPE_CHECKING:
    from htx_rules.lint import CheckReport
    from htx_rules.rubric_tests import RubricTestResult

EXIT_OK: Final = 0
EXIT_EVIDENCE: Final = 1
#: ``check``: the rubrics compile, but there are warnings
EXIT_WARNINGS: Final = 1
EXIT_RUBRIC: Final = 2
EXIT_USAGE: Final = 3
EXIT_MISMATCH: Final = 4
#: ``fmt --check``: a file is not formatted (the code bad evidence has elsewhere).
EXIT_UNFORMATTED: Final = 1
#: ``batch``: stopped with Ctrl-C (the shells' code for an interrupted program)
EXIT_INTERRUPTED: Final = 130


class _UsageError(Exception):
    """The command line itself is wrong, or a named file cannot be read."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="htx-rules",
        description="Chấm điểm thi đua theo bảng điểm (rubric) — score evidence with a "
        "points rubric, with a trace for every point.",
    )
    parser.add_argument("--version", action="version", version=f"htx-rules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    score = commands.add_parser(
        "score",
        help="chấm điểm minh chứng / score evidence",
        description="Chấm điểm một hay nhiều tệp minh chứng JSON theo một bảng điểm. "
        "Score one or more JSON evidence files (or folders of them) with a rubric.",
    )
    score.add_argument("rubric", help="tệp bảng điểm / rubric file (.rules)")
    score.add_argument(
        "evidence",
        nargs="+",
        help="tệp minh chứng JSON hoặc thư mục / JSON evidence files or folders",
    )
    score.add_argument(
        "--format",
        choices=("text", "json", "md", "html"),
        default="text",
        help="định dạng kết quả / output format (default: text)",
    )
    score.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    score.add_argument(
        "--strict",
        action="store_true",
        help="thiếu minh chứng là lỗi / a missing value is an error",
    )
    explain = commands.add_parser(
        "explain",
        help="vì sao được điểm, cần gì để thêm điểm / why each point, and what would add more",
        description="Giải thích vì sao mỗi tiêu chí được số điểm đó và, với tiêu chí chưa đạt "
        "tối đa, thay đổi nhỏ nhất của một minh chứng để được thêm điểm. Explain why each "
        "criterion scored what it did and, below its maximum, the smallest change of one "
        "evidence value that would score more.",
    )
    explain.add_argument("rubric", help="tệp bảng điểm / rubric file (.rules)")
    explain.add_argument("evidence", help="tệp minh chứng JSON hoặc TOML / evidence file")
    explain.add_argument(
        "--criterion",
        metavar="ID",
        help="chỉ tiêu chí (phần, quy tắc) này và các mục con / only this criterion "
        "(part, rule) and the items under it",
    )
    explain.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    contest = commands.add_parser(
        "contest",
        help="xếp hạng, xét giải / rank the units and award the places",
        description="Chấm điểm, đối chiếu tự chấm với phúc tra, xét điều kiện, xếp hạng và "
        "xét giải cho mọi đơn vị. Score, reconcile claims with re-inspection, check "
        "eligibility, rank and award every unit of a contest.",
    )
    contest.add_argument("rubric", help="tệp bảng điểm / rubric file (.rules)")
    contest.add_argument(
        "input",
        help="thư mục hồ sơ (TOML, JSON, Excel) hoặc một tệp Excel / a folder of submissions "
        "(TOML, JSON, Excel forms) or one Excel workbook",
    )
    contest.add_argument(
        "--format",
        choices=("text", "json", "md", "html", "xlsx"),
        default="text",
        help="định dạng kết quả / output format (default: text)",
    )
    contest.add_argument(
        "--out", help="ghi kết quả vào tệp / write to this file (required for xlsx)"
    )
    contest.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    template = commands.add_parser(
        "template",
        help="mẫu Excel tự chấm điểm / the Excel self-score form",
        description="Tạo mẫu Excel để các đơn vị điền minh chứng, điểm tự chấm và hồ sơ. "
        "Write the Excel form units fill in: evidence, claimed points, dossier.",
    )
    template.add_argument("rubric", help="tệp bảng điểm / rubric file (.rules)")
    template.add_argument("--out", required=True, help="tệp .xlsx / the .xlsx file to write")
    template.add_argument("--contestant", help="mã đơn vị điền sẵn / the unit's code to fill in")
    template.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    fmt = commands.add_parser(
        "fmt",
        help="định dạng tệp bảng điểm / format rubric files",
        description="Viết lại tệp bảng điểm theo một cách trình bày chuẩn, giữ mọi chú thích và "
        "không đổi nghĩa; --keywords đổi từ khóa sang tiếng Việt hoặc tiếng Anh. Rewrite "
        "rubric files in the one canonical layout, keeping every comment and the meaning; "
        "--keywords converts the keywords to Vietnamese or English.",
    )
    fmt.add_argument("rubrics", nargs="+", metavar="rubric", help="tệp bảng điểm / rubric files")
    fmt.add_argument(
        "--check",
        action="store_true",
        help="chỉ liệt kê tệp chưa đúng định dạng, không ghi / list the files that would "
        "change, write nothing (exit 1 if any)",
    )
    fmt.add_argument(
        "--diff",
        action="store_true",
        help="in phần khác biệt, không ghi / print a unified diff, write nothing",
    )
    fmt.add_argument(
        "--keywords",
        choices=("vi", "en"),
        help="viết từ khóa bằng tiếng Việt hay tiếng Anh / write the keywords in Vietnamese or "
        "English (default: the file's own)",
    )
    fmt.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    verify = commands.add_parser(
        "verify",
        help="kiểm tra lại một kết quả đã ghi / re-derive and confirm a recorded result",
        description="Tính lại một kết quả JSON đã ghi (htx-rules score/contest --format json) "
        "từ bảng điểm và minh chứng, rồi xác nhận từng giá trị hoặc liệt kê mọi khác biệt. "
        "Re-derive a recorded JSON result from the rubric and the evidence, and confirm it "
        "value for value, or list every difference.",
    )
    verify.add_argument("result", help="tệp kết quả JSON / the recorded result (JSON)")
    verify.add_argument("--rubric", required=True, help="tệp bảng điểm / rubric file (.rules)")
    verify.add_argument(
        "--evidence",
        nargs="+",
        help="tệp minh chứng (JSON, TOML) hoặc thư mục hồ sơ cuộc thi đua / evidence files, "
        "or the contest's folder of submissions",
    )
    verify.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    check = commands.add_parser(
        "check",
        help="soát bảng điểm: lỗi và cảnh báo / review a rubric: errors and warnings",
        description="Liệt kê mọi lỗi biên dịch của bảng điểm, và những điều người soát "
        "kỹ sẽ hỏi lại: điểm tối đa không đạt được, ngưỡng sai thứ tự, giới hạn không có "
        "tác dụng, minh chứng không dùng, nhãn trùng, điểm lệch bước. List every compile "
        "error of a rubric, and what a careful reviewer would raise: maxima that cannot be "
        "reached, thresholds out of order, caps that never bind, unused evidence, "
        "duplicated labels, points off the declared step. Exit 0 clean, 1 warnings only, "
        "2 errors.",
    )
    check.add_argument(
        "rubric",
        nargs="+",
        help="tệp bảng điểm hoặc thư mục / rubric files (.rules) or folders of them",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="định dạng kết quả / output format (default: text)",
    )
    check.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    test = commands.add_parser(
        "test",
        help="chạy các ca kiểm thử của bảng điểm / run a rubric's test cases",
        description="Chạy các ca kiểm thử trong tệp .tests bên cạnh bảng điểm (2021.rules → "
        "2021.tests): so điểm kỳ vọng với điểm thực tế; đo độ phủ nhánh; kiểm thử đột biến. "
        "Run the cases of the .tests file beside a rubric: expected against actual points; "
        "branch coverage; mutation testing.",
    )
    test.add_argument(
        "rubric",
        help="tệp bảng điểm .rules, hoặc thư mục / a .rules file, or a folder of them",
    )
    test.add_argument(
        "--tests",
        metavar="FILE",
        help="tệp kiểm thử khác với tệp .tests bên cạnh (chỉ với một bảng điểm) / a tests "
        "file other than the .tests beside the rubric (one rubric only)",
    )
    test.add_argument(
        "--coverage",
        action="store_true",
        help="báo cáo độ phủ nhánh / report branch coverage",
    )
    test.add_argument(
        "--mutate",
        action="store_true",
        help="kiểm thử đột biến / run mutation testing",
    )
    test.add_argument(
        "--strict",
        action="store_true",
        help="nhánh chưa phủ, đột biến sống sót là lỗi / unreached branches and surviving "
        "mutants fail the run",
    )
    test.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="định dạng kết quả / output format (default: text)",
    )
    test.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    diff = commands.add_parser(
        "diff",
        help="so sánh hai bảng điểm / compare two rubrics",
        description="So sánh hai bảng điểm (ví dụ 2021 với dự thảo 2022): tiêu chí thêm, bỏ, "
        "đổi mã, chuyển chỗ, đổi nhãn; điểm tối đa, ngưỡng, điểm mỗi đơn vị, mức trần, điểm "
        "cộng, điểm trừ, giải thưởng và ngày tháng. Với --evidence: chấm lại minh chứng theo "
        "cả hai bảng điểm và phân tích chênh lệch theo từng thay đổi. Compare two rubrics; "
        "with --evidence, re-score the evidence under both and attribute each unit's change "
        "in total to the individual changes.",
    )
    diff.add_argument("old", help="bảng điểm cũ / the old rubric (.rules)")
    diff.add_argument("new", help="bảng điểm mới / the new rubric (.rules)")
    diff.add_argument(
        "--evidence",
        help="thư mục hồ sơ (hoặc tệp) viết cho bảng điểm cũ / a folder of submissions (or "
        "one file, or an Excel workbook) written for the old rubric",
    )
    diff.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="định dạng kết quả / output format (default: text)",
    )
    diff.add_argument("--out", help="ghi kết quả vào tệp / write to this file")
    diff.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    diff.add_argument(
        "--exit-code",
        action="store_true",
        help="thoát với mã 4 nếu hai bảng điểm khác nhau / exit with 4 when the rubrics differ",
    )
    batch = commands.add_parser(
        "batch",
        help="chấm một bảng nhiều dòng (CSV, JSON Lines, Excel) / score a table of many rows",
        description="Chấm điểm từng dòng của một bảng minh chứng — CSV, JSON Lines hoặc Excel, "
        "mỗi dòng một đơn vị — theo đúng thứ tự, đọc đến đâu chấm đến đó; --jobs chia việc cho "
        "nhiều tiến trình. Score every row of an evidence table — CSV, JSON Lines or Excel, "
        "one row per unit — in order, streaming; --jobs shares the work among processes.",
    )
    batch.add_argument("rubric", help="tệp bảng điểm / rubric file (.rules)")
    batch.add_argument("input", help="bảng minh chứng .csv, .jsonl hoặc .xlsx / the evidence table")
    batch.add_argument(
        "--out",
        help="ghi kết quả vào tệp (mặc định: in ra màn hình) / write to this file (default: "
        "standard output)",
    )
    batch.add_argument(
        "--format",
        choices=("csv", "jsonl", "xlsx"),
        help="định dạng kết quả (mặc định: theo đuôi tệp --out, nếu không thì csv) / output "
        "format (default: from the --out file's ending, else csv)",
    )
    batch.add_argument(
        "--sheet",
        help="trang tính của tệp Excel (mặc định: trang đầu) / the sheet of an Excel input "
        "(default: the first)",
    )
    batch.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COLUMN",
        help="để riêng một cột không phải minh chứng (ghi nhiều lần được) / leave aside a "
        "column that is not evidence (may be repeated)",
    )
    batch.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="số tiến trình chấm (0: mọi CPU; mặc định 1) / processes to score in (0: every "
        "CPU; default 1)",
    )
    batch.add_argument(
        "--strict",
        action="store_true",
        help="thiếu minh chứng là lỗi / a missing value is an error",
    )
    batch.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="hiện tiến độ trên stderr (mặc định: khi chạy lâu trên màn hình) / show progress "
        "on standard error (default: on a terminal, for long runs)",
    )
    batch.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: vi)"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        # argparse prints usage, help and --version itself: send it to our streams.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = _build_parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    lang: Lang = getattr(args, "lang", "vi")
    run = {
        "score": _score,
        "explain": _explain,
        "contest": _contest,
        "template": _template,
        "verify": _verify,
        "check": _check,
        "test": _test,
        "fmt": _fmt,
        "diff": _diff,
        "batch": _batch,
    }[args.command]
    try:
        return run(args, lang, out, err)
    except _UsageError as error:
        print(f"htx-rules: {error}", file=err)
        return EXIT_USAGE
    except RubricError as error:
        print(error.render(lang), file=err)
        return EXIT_RUBRIC


def _score(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    rubric = _load_rubric(args.rubric, lang)
    files = _evidence_files(args.evidence, lang)
    results: list[Result] = []
    failed = False
    for file in files:
        try:
            results.append(_score_file(rubric, file, args.strict, lang))
        except EvidenceError as error:
            print(error.render(lang), file=err)
            failed = True
    # The shape of the output follows the input, not what failed: several
    # files (or a folder) always give the list form.
    _print_results(results, args.format, lang, out, several=len(files) > 1)
    return EXIT_EVIDENCE if failed else EXIT_OK


def _explain(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.whatif_report import explain_what_if  # noqa: PLC0415

    rubric = _load_rubric(args.rubric, lang)
    if args.criterion is not None:
        _check_item_id(rubric, args.criterion, lang)
    file = Path(args.evidence)
    if not file.is_file():
        raise _UsageError(_cannot_read(args.evidence, None, lang))
    try:
        result = _score_file(rubric, file, False, lang)
    except EvidenceError as error:
        print(error.render(lang), file=err)
        return EXIT_EVIDENCE
    out.write(explain_what_if(rubric, result, lang, args.criterion))
    return EXIT_OK


def _check_item_id(rubric: Rubric, item_id: str, lang: Lang) -> None:
    """A usage error naming ``item_id`` and the ids like it, unless the rubric has it."""
    model = rubric.model
    ids = [p.id for p in model.parts] + [i.id for i in all_items(model)]
    if item_id in ids:
        return
    near = difflib.get_close_matches(item_id, ids, n=5, cutoff=0.5)
    if near:
        raise _UsageError(
            render_message("cli-unknown-criterion", {"id": item_id, "near": tuple(near)}, lang)
        )
    # Nothing alike: name the parts and what they hold at the top level.
    known = [p.id for p in model.parts] + [c.id for p in model.parts for c in p.criteria]
    known += [r.id for s in (model.bonus, model.deduction) if s is not None for r in s.rules]
    raise _UsageError(
        render_message("cli-unknown-criterion-plain", {"id": item_id, "known": tuple(known)}, lang)
    )


def _contest(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.contest import ContestError  # noqa: PLC0415
    from htx_rules.html import contest_html  # noqa: PLC0415
    from htx_rules.report import contest_markdown, contest_text, contest_to_json  # noqa: PLC0415
    from htx_rules.submissions import run_contest_from  # noqa: PLC0415

    rubric = _load_rubric(args.rubric, lang)
    if args.format == "xlsx" and not args.out:
        raise _UsageError(render_message("cli-xlsx-needs-out", {}, lang))
    source = Path(args.input)
    if not source.exists():
        raise _UsageError(_cannot_read(args.input, None, lang))
    try:
        result = run_contest_from(source, rubric)
    except ContestError as error:
        print(error.render(lang), file=err)
        return EXIT_EVIDENCE
    except OSError as error:
        raise _UsageError(_cannot_read(error.filename or args.input, error, lang)) from None
    if result.missing:
        units = tuple(f"{c.name} ({c.code})" for c in result.missing)
        print(render_message("contest-missing", {"units": units}, lang), file=err)
    if args.format == "xlsx":
        from htx_rules.excel import contest_workbook  # noqa: PLC0415 - openpyxl is slow to import

        _save_workbook(contest_workbook(result, lang), args.out, lang)
        return EXIT_OK
    render = {
        "text": contest_text,
        "json": contest_to_json,
        "md": contest_markdown,
        "html": contest_html,
    }[args.format]
    _write_text(render(result, lang), args.out, out, lang)
    return EXIT_OK


def _template(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.excel import write_template  # noqa: PLC0415 - openpyxl is slow to import

    rubric = _load_rubric(args.rubric, lang)
    if args.contestant is not None and args.contestant not in {c.code for c in rubric.contestants}:
        problem = EvidenceProblem(
            "contestant",
            args.contestant,
            "unknown-contestant",
            {"known": tuple(f"{c.code} ({c.name})" for c in rubric.contestants)},
        )
        print(EvidenceError([problem]).render(lang), file=err)
        return EXIT_EVIDENCE
    _save_workbook(write_template(rubric, lang, args.contestant), args.out, lang)
    print(render_message("cli-template-written", {"path": args.out}, lang), file=out)
    return EXIT_OK


def _verify(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.contest import ContestError  # noqa: PLC0415
    from htx_rules.report import CONTEST_FORMAT  # noqa: PLC0415
    from htx_rules.submissions import read_submissions  # noqa: PLC0415
    from htx_rules.verify import recorded_rubric, verify_contest, verify_results  # noqa: PLC0415

    document = _read_json(args.result, lang)
    if not args.evidence:
        raise _UsageError(render_message("cli-verify-evidence", {}, lang))
    try:
        rubric_bytes = Path(args.rubric).read_bytes()
    except OSError as error:
        raise _UsageError(_cannot_read(args.rubric, error, lang)) from None
    rubric = recorded_rubric(document, rubric_bytes, args.rubric)
    if isinstance(document, dict) and document.get("format") == CONTEST_FORMAT:
        if len(args.evidence) != 1:
            raise _UsageError(render_message("cli-verify-evidence", {}, lang))
        source = Path(args.evidence[0])
        if not source.exists():
            raise _UsageError(_cannot_read(args.evidence[0], None, lang))
        try:
            submissions = read_submissions(source, rubric)
            verification = verify_contest(document, rubric, submissions)
        except ContestError as error:
            print(error.render(lang), file=err)
            return EXIT_EVIDENCE
        except OSError as error:
            raise _UsageError(
                _cannot_read(error.filename or args.evidence[0], error, lang)
            ) from None
    else:
        documents: list[EvidenceDocument] = []
        failed = False
        for file in _evidence_files(args.evidence, lang):
            try:
                documents.append(_evidence_document(rubric, file, lang))
            except EvidenceError as error:
                print(error.render(lang), file=err)
                failed = True
        if failed:
            return EXIT_EVIDENCE
        try:
            verification = verify_results(document, rubric, documents)
        except EvidenceError as error:
            print(error.render(lang), file=err)
            return EXIT_EVIDENCE
    out.write(verification.render(lang))
    return EXIT_OK if verification.ok else EXIT_MISMATCH


def _check(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.lint import check_bytes, check_text, check_to_json  # noqa: PLC0415

    reports: list[CheckReport] = []
    for name in args.rubric:
        path = Path(name)
        files = [path]
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix == ".rules" and p.is_file())
            if not files:
                raise _UsageError(render_message("cli-no-rubrics", {"path": name}, lang))
        for file in files:
            try:
                raw = file.read_bytes()
            except OSError as error:
                raise _UsageError(_cannot_read(str(file), error, lang)) from None
            reports.append(check_bytes(raw, str(file)))
    render = check_to_json if args.format == "json" else check_text
    out.write(render(reports, lang))
    if any(r.errors for r in reports):
        return EXIT_RUBRIC
    return EXIT_WARNINGS if any(r.warnings for r in reports) else EXIT_OK


def _test(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.rubric_tests import (  # noqa: PLC0415
        RubricTestsError,
        parse_rubric_tests,
        run_rubric_tests,
    )
    from htx_rules.tests_report import rubric_tests_document, rubric_tests_text  # noqa: PLC0415

    results: list[RubricTestResult] = []
    failed = False
    for rubric_file, tests_path in _tested_rubrics(Path(args.rubric), args.tests, lang, err):
        rubric = _load_rubric(str(rubric_file), lang)
        try:
            text = tests_path.read_text(encoding="utf-8-sig")
            tests = parse_rubric_tests(text, rubric, str(tests_path))
        except UnicodeDecodeError:
            problem = EvidenceProblem("", None, "evidence-not-utf8")
            error = RubricTestsError([(str(tests_path), problem)], str(tests_path))
            print(error.render(lang), file=err)
            failed = True
            continue
        except OSError as error:
            raise _UsageError(_cannot_read(str(tests_path), error, lang)) from None
        except RubricTestsError as error:
            print(error.render(lang), file=err)
            failed = True
            continue
        results.append(run_rubric_tests(rubric, tests, coverage=args.coverage, mutate=args.mutate))
    if args.format == "json":
        out.write(json.dumps(rubric_tests_document(results, lang), ensure_ascii=False, indent=2))
        out.write("\n")
    else:
        out.write("\n".join(rubric_tests_text(r, lang) for r in results))
    failed = failed or any(not r.ok for r in results)
    if args.strict:
        failed = failed or any(
            (r.coverage is not None and r.coverage.unreached)
            or (r.mutation is not None and (r.mutation.survivors or r.mutation.skipped))
            for r in results
        )
    return EXIT_EVIDENCE if failed else EXIT_OK


def _tested_rubrics(
    path: Path, tests: str | None, lang: Lang, err: TextIO
) -> list[tuple[Path, Path]]:
    """The rubric files ``test`` runs, each with its tests file: a ``.rules``
    file (or the one beside a ``.tests`` file named instead) with the ``.tests``
    beside it or ``tests``; or every ``.rules`` of a folder with a ``.tests``
    beside it (the others are named on ``err``)."""
    if path.is_dir():
        if tests is not None:
            raise _UsageError(render_message("cli-tests-needs-rubric", {}, lang))
        rubric_files = sorted(p for p in path.glob("*.rules") if p.is_file())
        tested = [p for p in rubric_files if p.with_suffix(".tests").is_file()]
        if not tested:
            raise _UsageError(render_message("cli-no-tested-rubrics", {"path": str(path)}, lang))
        untested = tuple(str(p) for p in rubric_files if p not in tested)
        if untested:
            print(render_message("cli-untested-rubrics", {"files": untested}, lang), file=err)
        return [(p, p.with_suffix(".tests")) for p in tested]
    if path.suffix == ".tests":
        path = path.with_suffix(".rules")
    tests_file = path.with_suffix(".tests") if tests is None else Path(tests)
    if path.is_file() and tests is None and not tests_file.is_file():
        raise _UsageError(render_message("cli-no-tests-file", {"path": str(tests_file)}, lang))
    return [(path, tests_file)]


def _fmt(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    """Format every file given; the exit code is the worst any of them earned."""
    status = EXIT_OK
    for path in args.rubrics:
        try:
            status = max(status, _fmt_file(path, args, lang, out))
        except _UsageError as error:
            print(f"htx-rules: {error}", file=err)
            status = max(status, EXIT_USAGE)
        except RubricError as error:
            print(error.render(lang), file=err)
            status = max(status, EXIT_RUBRIC)
    return status


def _fmt_file(path: str, args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from htx_rules.fmt import format_rubric  # noqa: PLC0415

    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise _UsageError(_cannot_read(path, error, lang)) from None
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        load_bytes(raw, path)  # raises the not-utf8 error, with its line and column
        raise  # pragma: no cover - load_bytes always raises here
    formatted = format_rubric(text, args.keywords or "keep", name=path)
    # The file's own line endings (those of its first line) and byte-order mark are kept.
    first_end = text.find("\n")
    if first_end > 0 and text[first_end - 1] == "\r":
        formatted = formatted.replace("\n", "\r\n")
    new = (b"\xef\xbb\xbf" if bom else b"") + formatted.encode("utf-8")
    if new == raw:
        return EXIT_OK
    if args.diff:
        out.writelines(
            difflib.unified_diff(
                text.splitlines(keepends=True), formatted.splitlines(keepends=True), path, path
            )
        )
    if args.check:
        if not args.diff:
            print(path, file=out)
        return EXIT_UNFORMATTED
    if not args.diff:
        _replace(file, new, lang)
        print(render_message("cli-fmt-reformatted", {"path": path}, lang), file=out)
    return EXIT_OK


def _replace(file: Path, content: bytes, lang: Lang) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=file.parent, prefix=f".{file.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(content)
        shutil.copymode(file, temporary)
        os.replace(temporary, file)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise _UsageError(_cannot_write(str(file), error, lang)) from None


def _diff(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.contest import ContestError  # noqa: PLC0415
    from htx_rules.diff import diff_rubrics  # noqa: PLC0415
    from htx_rules.diffreport import diff_markdown, diff_text, diff_to_json  # noqa: PLC0415
    from htx_rules.rescoring import rescore  # noqa: PLC0415
    from htx_rules.submissions import read_submissions  # noqa: PLC0415

    old = _load_rubric(args.old, lang)
    new = _load_rubric(args.new, lang)
    changes = diff_rubrics(old, new)
    rescoring = None
    if args.evidence is not None:
        source = Path(args.evidence)
        if not source.exists():
            raise _UsageError(_cannot_read(args.evidence, None, lang))
        try:
            submissions = read_submissions(source, old)
            rescoring = rescore(old, new, submissions, changes, source=args.evidence)
        except ContestError as error:
            print(error.render(lang), file=err)
            return EXIT_EVIDENCE
        except OSError as error:
            raise _UsageError(_cannot_read(error.filename or args.evidence, error, lang)) from None
    render = {"text": diff_text, "md": diff_markdown, "json": diff_to_json}[args.format]
    _write_text(render(changes, rescoring, lang), args.out, out, lang)
    return EXIT_MISMATCH if args.exit_code and changes else EXIT_OK


#: the output format a --out file's ending asks for
_OUTPUT_ENDINGS: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


class _Table(NamedTuple):
    """An input table opened for ``batch``: its layout and its rows, streamed."""

    layout: Layout
    rows: Iterator[RawRow]
    #: the share of the file read so far (None: not known)
    share: Callable[[], float | None]


def _batch(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from htx_rules.batch import TableJob, ordered_map, worker_count  # noqa: PLC0415
    from htx_rules.progress import Progress  # noqa: PLC0415

    rubric = _load_rubric(args.rubric, lang)
    source = Path(args.input)
    kind = FORMATS.get(source.suffix.lower())
    if kind is None:
        raise _UsageError(render_message("cli-batch-input", {"path": args.input}, lang))
    ending = Path(args.out).suffix.lower() if args.out else ""
    output = args.format or _OUTPUT_ENDINGS.get(ending, "csv")
    if output == "xlsx" and not args.out:
        raise _UsageError(render_message("cli-xlsx-needs-out", {}, lang))
    if args.sheet is not None and kind != "xlsx":
        raise _UsageError(render_message("cli-batch-sheet", {}, lang))
    if args.jobs < 0:
        raise _UsageError(render_message("cli-batch-jobs", {}, lang))
    if not source.is_file():
        folder = IsADirectoryError() if source.is_dir() else None
        raise _UsageError(_cannot_read(args.input, folder, lang))
    if args.out and Path(args.out).resolve() == source.resolve():
        raise _UsageError(render_message("cli-batch-same-file", {"path": args.out}, lang))
    with contextlib.ExitStack() as stack:
        try:
            table = _open_table(source, args.input, kind, args, rubric, stack)
        except OSError as error:
            raise _UsageError(_cannot_read(args.input, error, lang)) from None
        except (EvidenceError, Unreadable) as error:
            if isinstance(error, Unreadable):
                error = EvidenceError([error.problem], f"{args.input}:{error.line}")
            print(error.render(lang), file=err)
            if any(p.code not in _FILE_PROBLEMS for p in error.problems):
                print(render_message("batch-header-stop", {}, lang), file=err)
            return EXIT_EVIDENCE
        columns = Columns(rubric, lang)
        write, finish = _batch_output(output, args.out, columns, out, lang, stack)
        show = args.progress
        if show is None:
            show = _is_terminal(err) and (args.out is not None or not _is_terminal(out))
        progress = Progress(err.write, lang) if show else None
        job = TableJob(table.layout, output, lang, args.strict)
        stopped: list[Unreadable] = []
        count = bad = 0
        rows = ordered_map(
            job, _until_unreadable(table.rows, stopped), rubric, workers=worker_count(args.jobs)
        )
        try:
            for row in rows:
                count += 1
                if row.problems is not None:
                    bad += 1
                    if progress is not None:
                        progress.clear()
                    print(row.problems, file=err)
                write(row.output)
                if progress is not None:
                    progress.update(count, table.share())
        except BrokenPipeError:
            # The reader of standard output stopped reading (`| head`): so do we.
            _silence_stdout(out)
            return EXIT_OK
        except KeyboardInterrupt:
            # Ctrl-C: the workers are stopped, a file being written is removed.
            if progress is not None:
                progress.clear()
            print(render_message("batch-interrupted", {"rows": count}, lang), file=err)
            return EXIT_INTERRUPTED
        if progress is not None:
            progress.finish(count)
        for failure in stopped:
            where = table.layout.where(failure.line)
            print(EvidenceError([failure.problem], where).render(lang), file=err)
        if not count and not stopped:
            print(render_message("batch-no-rows", {}, lang), file=err)
        if bad:
            print(render_message("batch-summary", {"bad": bad, "rows": count}, lang), file=err)
        finish()
    return EXIT_EVIDENCE if bad or stopped else EXIT_OK


#: problems of a table as a whole (not of its header row)
_FILE_PROBLEMS: Final = frozenset(
    {"batch-no-header", "evidence-not-utf8", "excel-unreadable", "batch-no-sheet", "batch-csv"}
)


def _open_table(
    source: Path,
    name: str,
    kind: str,
    args: argparse.Namespace,
    rubric: Rubric,
    stack: contextlib.ExitStack,
) -> _Table:
    """Open the input table and read its header.

    Raises:
        OSError: it cannot be read.
        EvidenceError: it is no table (no header row, no such sheet, not a
            workbook), or its header names columns that are not fields.
        Unreadable: its first line is not UTF-8.
    """
    if kind == "xlsx":
        book = stack.enter_context(WorkbookRows(source, args.sheet, name=name))
        layout = _layout(book.header, rubric, book.source, args.ignore, name)
        types = {f.name: f.type for f in rubric.fields}
        percent = [i for i, c in enumerate(layout.columns) if c and types.get(c) == "percent"]
        return _Table(
            layout, book.rows(percent), lambda: book.done / book.size if book.size else None
        )
    handle = stack.enter_context(source.open("rb"))
    size = os.fstat(handle.fileno()).st_size

    def share() -> float | None:
        return handle.tell() / size if size else None

    lines = text_lines(handle)
    if kind == "jsonl":
        return _Table(Layout(name), jsonl_rows(lines), share)
    header, rows = csv_rows(lines)
    return _Table(_layout(header, rubric, name, args.ignore, name), rows, share)


def _layout(
    header: Sequence[object] | None, rubric: Rubric, source: str, ignore: list[str], name: str
) -> Layout:
    if header is None:
        raise EvidenceError([EvidenceProblem("", None, "batch-no-header")], name)
    layout, problems = read_layout(header, rubric, source, ignore=ignore)
    if problems:
        raise EvidenceError(problems, layout.where(1))
    return layout


def _until_unreadable(rows: Iterator[RawRow], stopped: list[Unreadable]) -> Iterator[RawRow]:
    """The rows, up to a line that cannot be read (then kept in ``stopped``):
    the rows before it are still scored and written."""
    try:
        yield from rows
    except Unreadable as failure:
        stopped.append(failure)


def _batch_output(
    output: str,
    path: str | None,
    columns: Columns,
    out: TextIO,
    lang: Lang,
    stack: contextlib.ExitStack,
) -> tuple[Callable[[Any], object], Callable[[], None]]:
    """Where ``batch`` writes its rows, and what finishes the output.

    A file is written under a temporary name beside it and renamed when done,
    so that it is never left half written.
    """
    if output == "xlsx":
        assert path is not None
        sheet = SheetWriter(columns)
        return sheet.append, lambda: _save_workbook(sheet, path, lang)
    if path is None:
        if output == "csv":
            out.write(columns.csv_header())
        return out.write, lambda: None
    file = Path(path)
    try:
        handle: IO[str] = stack.enter_context(
            tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the exit stack
                "w",
                # Excel reads a CSV file as UTF-8 only after a byte-order mark.
                encoding="utf-8-sig" if output == "csv" else "utf-8",
                newline="",
                dir=file.parent,
                prefix=f".{file.name}.",
                suffix=".tmp",
                delete=False,
            )
        )
    except OSError as error:
        raise _UsageError(_cannot_write(path, error, lang)) from None
    temporary = Path(handle.name)
    stack.callback(temporary.unlink, missing_ok=True)

    def finish() -> None:
        handle.close()
        try:
            os.replace(temporary, file)
        except OSError as error:
            raise _UsageError(_cannot_write(path, error, lang)) from None

    if output == "csv":
        handle.write(columns.csv_header())
    return handle.write, finish


def _silence_stdout(out: TextIO) -> None:
    """Send what is left of standard output nowhere, so that Python does not
    report the closed pipe again when it flushes on exit."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty()) if callable(isatty) else False


def _read_json(path: str, lang: Lang) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise _UsageError(
            render_message("cli-not-json", {"path": path, "reason": str(error)}, lang)
        ) from None
    except OSError as error:
        raise _UsageError(_cannot_read(path, error, lang)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"{error.msg} (line {error.lineno}, column {error.colno})"
        raise _UsageError(
            render_message("cli-not-json", {"path": path, "reason": reason}, lang)
        ) from None


def _write_text(content: str, path: str | None, out: TextIO, lang: Lang) -> None:
    if path is None:
        out.write(content)
        return
    try:
        Path(path).write_text(content, encoding="utf-8")
    except OSError as error:
        raise _UsageError(_cannot_write(path, error, lang)) from None


def _save_workbook(workbook: Any, path: str, lang: Lang) -> None:
    try:
        workbook.save(path)
    except OSError as error:
        raise _UsageError(_cannot_write(path, error, lang)) from None


def _cannot_write(path: str, error: OSError, lang: Lang) -> str:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        reason = render_message("cli-permission-write", {}, lang)
    elif isinstance(error, FileNotFoundError):
        reason = render_message("cli-no-such-folder", {}, lang)
    return render_message("cli-cannot-write", {"path": path, "reason": reason}, lang)


def _load_rubric(path: str, lang: Lang) -> Rubric:
    try:
        return load(path)
    except OSError as error:
        raise _UsageError(_cannot_read(path, error, lang)) from None


def _cannot_read(path: str, error: OSError | None, lang: Lang) -> str:
    """Why a file cannot be read, in the reader's language."""
    if error is None or isinstance(error, FileNotFoundError):
        reason = render_message("cli-no-such-file", {}, lang)
    elif isinstance(error, PermissionError):
        reason = render_message("cli-permission", {}, lang)
    elif isinstance(error, IsADirectoryError):
        reason = render_message("cli-is-folder", {}, lang)
    else:
        reason = error.strerror or str(error)
    return render_message("cli-cannot-read", {"path": path, "reason": reason}, lang)


def _evidence_files(paths: Sequence[str], lang: Lang) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix.lower() in (".json", ".toml") and p.is_file()
            )
            if not found:
                raise _UsageError(render_message("cli-empty-folder", {"path": name}, lang))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise _UsageError(_cannot_read(name, None, lang))
    return files


def _evidence_document(rubric: Rubric, file: Path, lang: Lang) -> EvidenceDocument:
    """An evidence file (JSON or TOML) read and checked against the rubric's id."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError([EvidenceProblem("", None, "evidence-not-utf8")], str(file)) from None
    except OSError as error:
        raise _UsageError(_cannot_read(str(file), error, lang)) from None
    try:
        parse = parse_evidence_toml if file.suffix.lower() == ".toml" else parse_evidence_json
        document = parse(text, str(file))
        if document.rubric is not None and document.rubric != rubric.id:
            mismatch = EvidenceProblem(
                "rubric", document.rubric, "rubric-mismatch", {"expected": rubric.id}
            )
            raise EvidenceError([mismatch])
        return document
    except EvidenceError as error:
        raise error.with_source(str(file)) from None


def _score_file(rubric: Rubric, file: Path, strict: bool, lang: Lang) -> Result:
    document = _evidence_document(rubric, file, lang)
    try:
        return rubric.score(
            document.evidence,
            contestant=document.contestant,
            strict=strict,
            assessments=document.assessments,
        )
    except EvidenceError as error:
        raise error.with_source(str(file)) from None


def _print_results(
    results: list[Result], fmt: str, lang: Lang, out: TextIO, *, several: bool
) -> None:
    if fmt == "json":
        if several:
            out.write(results_to_json(results, lang))
        elif results:
            out.write(result_to_json(results[0], lang))
        return
    if fmt == "html":
        from htx_rules.html import results_html  # noqa: PLC0415

        if results:
            out.write(results_html(results, lang))
        return
    render = markdown_report if fmt == "md" else text_report
    for number, result in enumerate(results):
        if number:
            out.write("\n")
        out.write(render(result, lang))
    if several and results:
        out.write("\n")
        if fmt == "md":
            out.write(f"## {render_message('cli-summary', {}, lang)}\n\n")
        else:
            out.write(render_message("cli-summary", {}, lang) + "\n")
        out.write(summary(results, lang, markdown=fmt == "md"))


__all__ = [
    "EXIT_EVIDENCE",
    "EXIT_INTERRUPTED",
    "EXIT_MISMATCH",
    "EXIT_OK",
    "EXIT_RUBRIC",
    "EXIT_UNFORMATTED",
    "EXIT_USAGE",
    "EXIT_WARNINGS",
    "main",
]
