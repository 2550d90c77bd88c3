"""The ``htx-rules`` command line: the only module that reads files and prints.

Exit codes (also in ``docs/cli.md``):

* 0 — scored;
* 1 — bad evidence (every problem is listed, for every file);
* 2 — bad rubric;
* 3 — bad command line, or a file or folder that cannot be read.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final, NoReturn, TextIO

from htx_rules import __version__
from htx_rules.decimals import Lang
from htx_rules.errors import EvidenceError, EvidenceProblem, RubricError
from htx_rules.evidence import parse_evidence_json
from htx_rules.messages import render_message
from htx_rules.render import markdown_report, result_to_json, results_to_json, summary, text_report
from htx_rules.result import Result
from htx_rules.rubric import Rubric, load

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
    try:
        return _score(args, lang, out, err)
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
            found = sorted(path.glob("*.json"))
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
        document = parse_evidence_json(text, str(file))
        if document.rubric is not None and document.rubric != rubric.id:
            mismatch = EvidenceProblem(
                "rubric", document.rubric, "rubric-mismatch", {"expected": rubric.id}
            )
            raise EvidenceError([mismatch])
        return rubric.score(document.evidence, contestant=document.contestant, strict=strict)
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
