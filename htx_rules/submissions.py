"""Contest input from files: one submission per unit, written as TOML or JSON.

The format is documented in ``docs/contest.md``.  In short, each file holds::

    contestant = "931"                  # the unit's code in the rubric
    rubric = "thi_dua_kttt_htx_2021"    # optional: the rubric it was written for
    note = "..."                        # optional
    dossier = ["to_trinh", "bien_ban"]  # documents sent
    claimed_total = 95.5                # optional: the total the unit states

    [evidence]       # what the unit reported
    [claimed]        # its self-score table: "I.1.a" = 1.5, ...
    [verified]       # re-inspection (phúc tra): only the values it changed
    [assessments."I.9.c"]   # a reviewer's points, name and justification

Numbers are read exactly (TOML and JSON floats become :class:`~decimal.Decimal`).
Every problem is reported with the file and the key it is in; nothing is
skipped silently.  These functions parse text; only the command line (and
:func:`read_folder`, which callers use in place of it) touch files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Final

from htx_rules.contest import ContestError, ContestResult, Submission, run_contest
from htx_rules.errors import EvidenceError, EvidenceProblem
from htx_rules.evidence import DOCUMENT_KEYS, SUBMISSION_KEYS, load_json_object
from htx_rules.messages import Verbatim
from htx_rules.rubric import Rubric

KEYS: Final = DOCUMENT_KEYS + SUBMISSION_KEYS
#: what a ``verified`` value may say for "the reported value is not accepted"
NOT_ACCEPTED: Final = ("—", "-", "–")
#: file name endings read from a contest folder
SUFFIXES: Final = (".toml", ".json")
#: Excel forms, read by :mod:`htx_rules.excel`
WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")


def parse_submission(
    text: str, source: str, *, form: str = "toml", rubric_id: str | None = None
) -> Submission:
    """Read one submission from TOML (``form="toml"``) or JSON text.

    Raises:
        ContestError: naming ``source`` and every key that is wrong.
    """
    if form == "json":
        try:
            data = load_json_object(text, source)
        except EvidenceError as error:
            raise ContestError([(source, p) for p in error.problems]) from None
    else:
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            problem = EvidenceProblem("", None, "contest-toml", {"reason": str(error)})
            raise ContestError([(source, problem)]) from None
    return submission_from_data(data, source, rubric_id=rubric_id)


def submission_from_data(
    data: Mapping[str, object], source: str, *, rubric_id: str | None = None
) -> Submission:
    """A submission from already-parsed data (the keys of ``docs/contest.md``).

    Raises:
        ContestError: naming ``source`` and every key that is wrong.
    """
    problems: list[EvidenceProblem] = []
    for key, value in data.items():
        if key not in KEYS:
            problems.append(
                EvidenceProblem(str(key), _short(value), "evidence-document-key", {"keys": KEYS})
            )
    contestant = data.get("contestant")
    if isinstance(contestant, int) and not isinstance(contestant, bool):
        contestant = str(contestant)
    if not isinstance(contestant, str) or not contestant.strip():
        problems.append(EvidenceProblem("contestant", _short(contestant), "contest-no-contestant"))
        contestant = ""
    rubric = data.get("rubric")
    if rubric is not None and rubric_id is not None and rubric != rubric_id:
        problems.append(
            EvidenceProblem("rubric", _short(rubric), "rubric-mismatch", {"expected": rubric_id})
        )
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(EvidenceProblem("note", _short(note), "evidence-document-text"))
        note = None
    tables: dict[str, Mapping[str, object] | None] = {}
    for key in ("evidence", "claimed", "verified", "assessments"):
        value = data.get(key)
        if value is None:
            tables[key] = None
        elif isinstance(value, Mapping):
            tables[key] = {str(k): v for k, v in value.items()}
            if key == "verified":
                # TOML has no null: a dash marks a reported value re-inspection
                # did not accept, as in the Excel form.
                tables[key] = {str(k): None if v in NOT_ACCEPTED else v for k, v in value.items()}
        else:
            problems.append(EvidenceProblem(key, _short(value), "contest-not-table"))
            tables[key] = None
    if tables["evidence"] is None and "evidence" not in data:
        problems.append(EvidenceProblem("evidence", None, "contest-no-evidence"))
    dossier = data.get("dossier", [])
    documents: tuple[str, ...] = ()
    if isinstance(dossier, list | tuple) and all(isinstance(d, str) for d in dossier):
        documents = tuple(str(d).strip() for d in dossier)
        repeated = sorted({d for d in documents if documents.count(d) > 1})
        for document in repeated:
            problems.append(EvidenceProblem("dossier", document, "contest-document-twice"))
    else:
        shown = repr(dossier)
        problems.append(
            EvidenceProblem(
                "dossier",
                Verbatim(shown if len(shown) <= 60 else shown[:57] + "…"),
                "contest-dossier-list",
            )
        )
    if problems:
        raise ContestError([(source, p) for p in problems])
    return Submission(
        contestant=contestant.strip(),
        evidence=tables["evidence"] or {},
        claimed=tables["claimed"] or {},
        claimed_total=data.get("claimed_total"),
        dossier=tuple(dict.fromkeys(documents)),
        verified=tables["verified"],
        assessments=tables["assessments"] or {},
        note=note,
        source=source,
    )


def _short(value: object) -> object:
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def read_folder(folder: str | Path, *, rubric_id: str | None = None) -> list[Submission]:
    """Every submission in ``folder`` (``*.toml`` and ``*.json``, in name order).

    Raises:
        ContestError: listing the problems of every file (not only the first).
        OSError: the folder or a file cannot be read.
    """
    path = Path(folder)
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    submissions: list[Submission] = []
    problems: list[tuple[str, EvidenceProblem]] = []
    for file in files:
        try:
            submissions.append(read_file(file, rubric_id=rubric_id))
        except ContestError as error:
            problems.extend(error.problems)
    if problems:
        raise ContestError(problems)
    return submissions


def read_submissions(
    source: str | Path,
    rubric: Rubric,
    *,
    problems: list[tuple[str, EvidenceProblem]] | None = None,
) -> list[Submission]:
    """The contest input at ``source``: a folder of per-unit files (TOML, JSON,
    or filled Excel forms), one such file, or one Excel workbook with a sheet
    per unit.  Files are read in name order; the order does not change the
    result.

    With ``problems``, the problems of the files that cannot be read are
    added to that list and the others are returned, so that a caller can go
    on and report every problem at once (as :func:`run_contest_from` does).

    Raises:
        ContestError: listing the problems of every file, sheet and field
            (without ``problems``).
        OSError: something cannot be read.
    """
    collect = problems is not None
    found: list[tuple[str, EvidenceProblem]] = [] if problems is None else problems
    path = Path(source)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and p.suffix.lower() in SUFFIXES + WORKBOOK_SUFFIXES
            and not p.name.startswith("~$")  # Excel's lock file of an open workbook
        )
    else:
        files = [path]
    submissions: list[Submission] = []
    for file in files:
        try:
            if file.suffix.lower() in WORKBOOK_SUFFIXES:
                from htx_rules.excel import read_forms  # noqa: PLC0415 - openpyxl is slow to import

                submissions.extend(read_forms(file, rubric))
            else:
                submissions.append(read_file(file, rubric_id=rubric.id))
        except ContestError as error:
            found.extend(error.problems)
    if not files:
        found.append((str(path), EvidenceProblem("", None, "contest-no-submissions")))
    if found and not collect:
        raise ContestError(found)
    return submissions


def run_contest_from(source: str | Path, rubric: Rubric) -> ContestResult:
    """Read the contest input at ``source`` (see :func:`read_submissions`) and
    run the contest, reporting every problem at once: those of files that
    cannot be read and those the contest finds in the others.

    Raises:
        ContestError: listing every problem of every file, sheet and field.
        OSError: something cannot be read.
    """
    problems: list[tuple[str, EvidenceProblem]] = []
    submissions = read_submissions(source, rubric, problems=problems)
    try:
        result = run_contest(rubric, submissions)
    except ContestError as error:
        problems.extend(error.problems)
    if problems:
        raise ContestError(problems)
    return result


def read_file(file: str | Path, *, rubric_id: str | None = None) -> Submission:
    """One submission file (``.toml`` or ``.json``).

    Raises:
        ContestError: the file is not UTF-8, or its content is wrong.
        OSError: it cannot be read.
    """
    path = Path(file)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContestError([(str(path), EvidenceProblem("", None, "evidence-not-utf8"))]) from None
    form = "json" if path.suffix.lower() == ".json" else "toml"
    return parse_submission(text, str(path), form=form, rubric_id=rubric_id)


__all__ = [
    "parse_submission",
    "read_file",
    "read_folder",
    "read_submissions",
    "run_contest_from",
    "submission_from_data",
]
