"""The ``htx-rules`` command line: the only module that reads files and prints.

Exit codes (also in ``docs/cli.md``):

* 0 — done;
* 1 — bad evidence or contest input (every problem is listed, for every file);
* 2 — bad rubric;
* 3 — bad command line, or a file or folder that cannot be read or written.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO

from htx_rules import __version__
from htx_rules.checker import all_items
from htx_rules.contest import ContestError
from htx_rules.decimals import Lang
from htx_rules.errors import EvidenceError, EvidenceProblem, RubricError
from htx_rules.evidence import parse_evidence_json, parse_evidence_toml
from htx_rules.messages import render_message
from htx_rules.render import markdown_report, result_to_json, results_to_json, summary, text_report
from htx_rules.report import contest_markdown, contest_text, contest_to_json
from htx_rules.result import Result
from htx_rules.rubric import Rubric, load
from htx_rules.submissions import run_contest_from
from htx_rules.whatif_report import explain_what_if

EXIT_OK: Final = 0
EXIT_EVIDENCE: Final = 1
EXIT_RUBRIC: Final = 2
EXIT_USAGE: Final = 3


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
        choices=("text", "json", "md"),
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
        choices=("text", "json", "md", "xlsx"),
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
    run = {"score": _score, "explain": _explain, "contest": _contest, "template": _template}[
        args.command
    ]
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
    render = {"text": contest_text, "json": contest_to_json, "md": contest_markdown}[args.format]
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


def _score_file(rubric: Rubric, file: Path, strict: bool, lang: Lang) -> Result:
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
            out.write(results_to_json(results))
        elif results:
            out.write(result_to_json(results[0]))
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


__all__ = ["EXIT_EVIDENCE", "EXIT_OK", "EXIT_RUBRIC", "EXIT_USAGE", "main"]
