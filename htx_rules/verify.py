"""Re-derive a recorded result and confirm it, or list every way it differs.

An auditor holds three things: a result document written months ago, a rubric
file and the evidence.  :func:`verify_results` and :func:`verify_contest`
answer whether the document follows from them: the rubric's bytes and the
evidence must hash to what the document recorded, the document's ledger must
reconcile on its own numbers, and scoring again must give the document
exactly, key for key.  Pure functions: the command line reads the files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from htx_rules._version import __version__
from htx_rules.contest import Submission, run_contest
from htx_rules.decimals import Lang, canonical
from htx_rules.errors import EvidenceError
from htx_rules.evidence import EvidenceDocument
from htx_rules.ledger import check_ledger
from htx_rules.messages import render_message
from htx_rules.render import RESULT_FORMAT, RESULT_FORMAT_VERSION, result_to_dict
from htx_rules.report import CONTEST_FORMAT, CONTEST_FORMAT_VERSION, contest_to_dict
from htx_rules.rubric import Rubric, load_bytes

DifferenceCode = Literal[
    "verify-format",
    "verify-rubric-changed",
    "verify-evidence-changed",
    "verify-submission-changed",
    "verify-count",
    "verify-ledger-malformed",
    "verify-ledger-numbering",
    "verify-ledger-change",
    "verify-ledger-running-total",
    "verify-ledger-total",
    "verify-differs",
    "verify-missing-key",
    "verify-extra-key",
]

_LIST_FORMAT = RESULT_FORMAT + "-list"
_LEDGER_CODES: dict[str, DifferenceCode] = {
    "malformed": "verify-ledger-malformed",
    "numbering": "verify-ledger-numbering",
    "change": "verify-ledger-change",
    "running-total": "verify-ledger-running-total",
    "total": "verify-ledger-total",
}
_KNOWN = {
    RESULT_FORMAT: RESULT_FORMAT_VERSION,
    _LIST_FORMAT: RESULT_FORMAT_VERSION,
    CONTEST_FORMAT: CONTEST_FORMAT_VERSION,
}


class Difference(NamedTuple):
    """One way a recorded document differs from what its inputs give now.

    Attributes:
        code: What kind of difference (a message code, see ``docs/errors.md``).
        path: Where in the document (``total``, ``items["I.3"]``,
            ``ledger[12].change``, ``standings[930].verified.total``).
        recorded: What the document says.
        derived: What the inputs give now (or, for a ledger line, what its
            own numbers give).
    """

    code: DifferenceCode
    path: str
    recorded: object
    derived: object

    def text(self, lang: Lang = "vi") -> str:
        """The difference in words."""
        return render_message(
            self.code,
            {
                "path": self.path,
                "recorded": _show(self.recorded),
                "derived": _show(self.derived),
            },
            lang,
        )


class Verification(NamedTuple):
    """What :func:`verify_results` or :func:`verify_contest` found.

    Attributes:
        format: The document's format (``htx-rules.result``, ...).
        differences: Every difference, hashes first, then the ledger, then
            the values in document order; empty when the document verifies.
        recorded_engine: The engine version the document was written by.
    """

    format: str
    differences: tuple[Difference, ...]
    recorded_engine: str | None

    @property
    def ok(self) -> bool:
        """True when the document follows from the rubric and evidence, exactly."""
        return not self.differences

    def render(self, lang: Lang = "vi") -> str:
        """A report for people: the verdict, then every difference, one a line."""
        lines: list[str] = []
        if self.recorded_engine is not None and self.recorded_engine != __version__:
            lines.append(
                render_message(
                    "verify-engine-note",
                    {"recorded": self.recorded_engine, "current": __version__},
                    lang,
                )
            )
        if self.ok:
            lines.append(render_message("verify-ok", {"format": self.format}, lang))
        else:
            lines.append(
                render_message(
                    "verify-failed", {"format": self.format, "count": len(self.differences)}, lang
                )
            )
            lines.extend(f"  - {d.text(lang)}" for d in self.differences)
        return "\n".join(lines) + "\n"


def document_format(document: object) -> tuple[str, list[Difference]]:
    """The document's format, and a difference when it is not one this engine writes."""
    if not isinstance(document, Mapping):
        return "?", [Difference("verify-format", "", type(document).__name__, RESULT_FORMAT)]
    fmt = document.get("format")
    version = document.get("format_version")
    if not isinstance(fmt, str) or fmt not in _KNOWN:
        return str(fmt), [Difference("verify-format", "format", fmt, " | ".join(_KNOWN))]
    if version != _KNOWN[fmt]:
        return fmt, [Difference("verify-format", "format_version", version, _KNOWN[fmt])]
    return fmt, []


def recorded_rubric(document: Mapping[str, Any], rubric_bytes: bytes, name: str) -> Rubric:
    """Compile the rubric's bytes under the file name the document recorded.

    Spans in a trace carry the rubric's file name; compiling under the
    recorded name lets a rubric moved to another folder verify, while its
    bytes are still checked by their hash.  ``name`` is used when the
    document records none.

    Raises:
        RubricError: the rubric does not compile.
    """
    rubric_info = document.get("rubric")
    recorded = rubric_info.get("source") if isinstance(rubric_info, Mapping) else None
    return load_bytes(rubric_bytes, recorded if isinstance(recorded, str) else name)


def verify_results(
    document: Mapping[str, Any], rubric: Rubric, evidence: Sequence[EvidenceDocument]
) -> Verification:
    """Verify a result document (or a list of them) against a rubric and evidence.

    Args:
        document: The recorded document, as parsed from JSON.
        rubric: The rubric, preferably from :func:`recorded_rubric`.
        evidence: The evidence documents, one per result, in the list's order.

    Raises:
        EvidenceError: the evidence is wrong for this rubric (it cannot be scored).
    """
    fmt, differences = document_format(document)
    if differences or fmt == CONTEST_FORMAT:
        return Verification(fmt, tuple(differences), _engine(document))
    lang = _language(document)
    recorded = [document] if fmt == RESULT_FORMAT else list(document.get("results") or [])
    if len(recorded) != len(evidence):
        differences.append(Difference("verify-count", "results", len(recorded), len(evidence)))
    derived: list[dict[str, Any]] = []
    for item in evidence:
        try:
            result = rubric.score(
                item.evidence, contestant=item.contestant, assessments=item.assessments
            )
        except EvidenceError as error:
            raise error.with_source(item.source) from None
        derived.append(result_to_dict(result, lang))
    prefix = "" if fmt == RESULT_FORMAT else "results"
    for number, (old, new) in enumerate(zip(recorded, derived, strict=False)):
        where = prefix and f"results[{number}]"
        differences.extend(_rubric_hash(old, new, where))
        differences.extend(
            _input_hash(old, new, where, "evidence_sha256", "verify-evidence-changed")
        )
        differences.extend(_ledger(old, where))
    fresh: Any = derived[0] if fmt == RESULT_FORMAT and derived else None
    if fmt == _LIST_FORMAT:
        fresh = {**document, "results": derived}
    if fresh is not None:
        differences.extend(_compare(document, fresh, ""))
    return Verification(fmt, tuple(_ordered(differences)), _engine(document))


def verify_contest(
    document: Mapping[str, Any], rubric: Rubric, submissions: Sequence[Submission]
) -> Verification:
    """Verify a contest document against a rubric and the submissions.

    Raises:
        ContestError: the submissions cannot be scored.
    """
    fmt, differences = document_format(document)
    if differences or fmt != CONTEST_FORMAT:
        return Verification(fmt, tuple(differences), _engine(document))
    fresh = contest_to_dict(run_contest(rubric, submissions), _language(document))
    differences.extend(_rubric_hash(document, fresh, ""))
    old_standings = {_code(s): s for s in document.get("standings") or []}
    for standing in fresh["standings"]:
        code = _code(standing)
        old = old_standings.get(code)
        if not isinstance(old, Mapping):
            continue
        # Where a file was read from is not what it says: moved files verify.
        standing["source"] = old.get("source", standing["source"])
        where = f"standings[{code}]"
        differences.extend(
            _input_hash(old, standing, where, "submission_sha256", "verify-submission-changed")
        )
        for version in ("reported", "verified"):
            if isinstance(old.get(version), Mapping):
                differences.extend(_ledger(old[version], f"{where}.{version}"))
    differences.extend(_compare(document, fresh, ""))
    return Verification(fmt, tuple(_ordered(differences)), _engine(document))


# ---------------------------------------------------------------- checks


def _engine(document: object) -> str | None:
    engine = document.get("engine") if isinstance(document, Mapping) else None
    version = engine.get("version") if isinstance(engine, Mapping) else None
    return version if isinstance(version, str) else None


def _language(document: Mapping[str, Any]) -> Lang:
    return "en" if document.get("language") == "en" else "vi"


def _code(standing: object) -> str:
    contestant = standing.get("contestant") if isinstance(standing, Mapping) else None
    code = contestant.get("code") if isinstance(contestant, Mapping) else None
    return str(code)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _rubric_hash(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str
) -> Iterator[Difference]:
    old_rubric, new_rubric = old.get("rubric"), new.get("rubric")
    old_hash = old_rubric.get("sha256") if isinstance(old_rubric, Mapping) else None
    new_hash = new_rubric.get("sha256") if isinstance(new_rubric, Mapping) else None
    if old_hash != new_hash:
        yield Difference("verify-rubric-changed", _join(where, "rubric.sha256"), old_hash, new_hash)


def _input_hash(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, key: str, code: DifferenceCode
) -> Iterator[Difference]:
    if old.get(key) != new.get(key):
        yield Difference(code, _join(where, key), old.get(key), new.get(key))


def _ledger(result: Mapping[str, Any], where: str) -> Iterator[Difference]:
    lines = result.get("ledger")
    total = result.get("total")
    if not isinstance(lines, list) or not isinstance(total, str):
        return
    for problem in check_ledger(lines, total):
        path = _join(where, "ledger" if problem.line == 0 else f"ledger[{problem.line}]")
        found = problem.found if isinstance(problem.found, str) else canonical(problem.found)
        expected = None if problem.expected is None else canonical(problem.expected)
        yield Difference(_LEDGER_CODES[problem.rule], path, found, expected)


def _compare(old: object, new: object, path: str) -> Iterator[Difference]:
    """Every leaf where ``old`` and ``new`` differ, in document order."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key, value in old.items():
            where = _key_path(path, key)
            if path == "engine" and key == "version":
                continue  # a newer engine giving the same numbers verifies
            if key not in new:
                yield Difference("verify-extra-key", where, value, None)
            else:
                yield from _compare(value, new[key], where)
        for key, value in new.items():
            if key not in old:
                yield Difference("verify-missing-key", _key_path(path, key), None, value)
        return
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            yield Difference("verify-count", path, len(old), len(new))
        for number, (a, b) in enumerate(zip(old, new, strict=False)):
            yield from _compare(a, b, f"{path}[{_element_name(a, number)}]")
        return
    # bool is an int in Python: True must not equal 1 here.
    if type(old) is not type(new) or old != new:
        yield Difference("verify-differs", path, old, new)


def _key_path(path: str, key: object) -> str:
    text = str(key)
    if text.isidentifier():
        return _join(path, text)
    return f'{path}["{text}"]'


def _element_name(element: object, number: int) -> str:
    """Name a list element by what it is, so paths survive reordering in a report."""
    if isinstance(element, Mapping):
        if isinstance(element.get("line"), int) and "change" in element:
            return str(element["line"])
        contestant = element.get("contestant")
        if isinstance(contestant, Mapping) and "rank" in element:
            return str(contestant.get("code"))
        if isinstance(element.get("id"), str):
            return str(element["id"])
    return str(number)


_ORDER = {
    "verify-format": 0,
    "verify-rubric-changed": 1,
    "verify-evidence-changed": 2,
    "verify-submission-changed": 2,
}


def _ordered(differences: list[Difference]) -> list[Difference]:
    seen: set[tuple[str, str]] = set()
    unique: list[Difference] = []
    for difference in differences:
        key = (difference.code, difference.path)
        if key in seen:
            continue
        seen.add(key)
        unique.append(difference)
    # Hash differences are found twice (checked, then compared as keys): keep
    # the named one and drop the plain value difference at the same path.
    named = {d.path for d in unique if d.code in _ORDER}
    unique = [d for d in unique if d.code in _ORDER or d.path not in named]
    return sorted(
        unique, key=lambda d: _ORDER.get(d.code, 3 if d.code.startswith("verify-ledger") else 9)
    )


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Mapping | list):
        return "{…}" if isinstance(value, Mapping) else f"[{len(value)}]"
    return str(value)


__all__ = [
    "Difference",
    "Verification",
    "document_format",
    "recorded_rubric",
    "verify_contest",
    "verify_results",
]
