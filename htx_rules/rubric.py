"""The public face of a compiled rubric: load it once, score evidence many times."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, getcontext, setcontext
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

from htx_rules import model as m
from htx_rules._collector import collector_paused
from htx_rules.checker import all_items
from htx_rules.codegen import CompiledProgram
from htx_rules.decimals import SCORING_CONTEXT
from htx_rules.digest import sha256_hex
from htx_rules.errors import (
    Diagnostic,
    EvidenceError,
    EvidenceProblem,
    RowError,
    RubricCompileError,
)
from htx_rules.evaluator import highest_total
from htx_rules.evidence import EvidenceDocument, EvidenceSchema, validate_assessments
from htx_rules.result import Assessment, Result, Value
from htx_rules.rubric_cache import entry_key, read_entry, write_entry
from htx_rules.source import SourceText, Span
from htx_rules.trace import assessment_key

if TYPE_CHECKING:
    from lark import Token

_NO_JUDGMENTS: Mapping[Any, Assessment] = MappingProxyType({})
#: the assessments of a result scored without any (read-only: results share it)
_NO_ASSESSMENTS: Mapping[str, Assessment] = MappingProxyType({})


class Rubric:
    """A rubric compiled and ready to score.

    Build one with :func:`load` or :func:`loads`; a rubric is immutable and
    safe to share between threads.

    Attributes:
        model: The checked rule model (:class:`~htx_rules.model.RubricModel`).
        source: The rubric's text and the name it was loaded under.
        sha256: The SHA-256 of the rubric file's bytes, as read (for a rubric
            compiled from text, of that text in UTF-8); every result records it.
    """

    def __init__(self, model: m.RubricModel, source: SourceText, sha256: str | None = None) -> None:
        self.model = model
        self.source = source
        #: SHA-256 of the rubric file's bytes (of the text's UTF-8 for :func:`loads`)
        self.sha256 = sha256 or sha256_hex(source.text.encode("utf-8"))
        self._schema = EvidenceSchema(model.fields)
        self._program = CompiledProgram(model, source, self._schema.limits)
        self._contestants = {c.code: c for c in model.contestants}
        #: criteria whose points a reviewer gives, by id, in rubric order
        self.assessed: dict[str, m.Criterion] = {
            item.id: item for item in all_items(model) if isinstance(item.scoring, m.Assessed)
        }
        self._all_assessed = tuple(self.assessed)

    def __repr__(self) -> str:
        return f"<Rubric {self.id!r} ({self.year}) from {self.source.name!r}>"

    @property
    def id(self) -> str:
        """The rubric's identifier (``thi_dua_kttt_htx_2021``)."""
        return self.model.header.id

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self.model.header.title

    @property
    def year(self) -> int:
        """The year the rubric scores."""
        return self.model.header.year

    @property
    def fields(self) -> tuple[m.Field, ...]:
        """The evidence fields the rubric reads, in file order."""
        return self.model.fields

    @property
    def contestants(self) -> tuple[m.Contestant, ...]:
        """The units the rubric lists, in file order."""
        return self.model.contestants

    def score(
        self,
        evidence: Mapping[str, object],
        *,
        contestant: str | None = None,
        strict: bool = False,
        trace: bool = True,
        assessments: Mapping[str, object] | None = None,
    ) -> Result:
        """Score one set of evidence.

        Args:
            evidence: Field name to value: ``bool`` for yes/no, ``int`` or
                :class:`~decimal.Decimal` for numbers (never ``float``), an
                ISO date string or :class:`datetime.date` for dates, a string
                for a choice.  A missing key or ``None`` means not given.
            contestant: Code of the unit scored (``"930"``); must be listed in
                the rubric when the rubric lists contestants.
            strict: Treat every missing field as an error instead of scoring
                the rules that need it 0.
            trace: Build the explanation trace (the default); without it,
                scoring is faster and ``Result.trace`` is None.
            assessments: For criteria marked ``assessed by reviewer``, by
                criterion id: an :class:`Assessment` (or a mapping with
                ``points``, ``reviewer``, ``justification``).  A criterion
                left out scores 0 and is listed in ``Result.unassessed``.

        Raises:
            EvidenceError: naming every field (or assessment) whose value is wrong.
        """
        who = None if contestant is None else self._contestant(contestant)
        program = self._program
        judged: Mapping[str, Assessment]
        judgments: Mapping[Any, Assessment]
        if assessments:
            try:
                judged = validate_assessments(self.assessed, assessments)
            except EvidenceError:
                # Wrong evidence is reported first, as when evidence is checked alone.
                self._schema.validate(evidence, strict=strict)
                raise
            unassessed = tuple(i for i in self.assessed if i not in judged)
            judgments = {assessment_key(item_id): a for item_id, a in judged.items()}
        else:
            judged, unassessed, judgments = _NO_ASSESSMENTS, self._all_assessed, _NO_JUDGMENTS
        # The generated code checks clearly valid evidence itself; anything
        # else goes to the validator, which explains what is wrong (or returns
        # the evidence in the form the generated code accepts).
        # The scoring context is installed as it is, not copied as
        # localcontext() would: scoring only reads it, and this is the hot path.
        previous = getcontext()
        setcontext(SCORING_CONTEXT)
        try:
            scored = (
                (program.traced if trace else program.untraced)(evidence, judgments, strict)
                if type(evidence) is dict
                else None
            )
        finally:
            setcontext(previous)
        if scored is None:
            values = self._schema.validate(evidence, strict=strict)
            scored = program.score(values, trace, judgments)
            assert scored is not None, "the generated checks refused validated evidence"
        total, standard, bonus, deduction, points = scored
        return Result(total, standard, bonus, deduction, who, points, self, unassessed, judged)

    def validate(self, evidence: Mapping[str, object], *, strict: bool = False) -> dict[str, Value]:
        """Check evidence without scoring it; return it in the engine's form.

        Raises:
            EvidenceError: naming every field whose value is wrong.
        """
        return self._schema.validate(evidence, strict=strict)

    @overload
    def score_many(
        self,
        rows: Iterable[Mapping[str, object] | EvidenceDocument],
        *,
        strict: bool = ...,
        trace: bool = ...,
        errors: Literal["raise"] = ...,
        jobs: int = ...,
        chunk_size: int | None = ...,
    ) -> Iterator[Result]: ...

    @overload
    def score_many(
        self,
        rows: Iterable[Mapping[str, object] | EvidenceDocument],
        *,
        strict: bool = ...,
        trace: bool = ...,
        errors: Literal["keep"],
        jobs: int = ...,
        chunk_size: int | None = ...,
    ) -> Iterator[Result | RowError]: ...

    def score_many(
        self,
        rows: Iterable[Mapping[str, object] | EvidenceDocument],
        *,
        strict: bool = False,
        trace: bool = True,
        errors: Literal["raise", "keep"] = "raise",
        jobs: int = 1,
        chunk_size: int | None = None,
    ) -> Iterator[Result] | Iterator[Result | RowError]:
        """Score many sets of evidence, one result per row, in the rows' order.

        Streaming: ``rows`` is read lazily and each result is yielded as soon
        as it is scored, so that memory stays flat however many rows there are.
        Every result is the one :meth:`score` gives for its row.

        Args:
            rows: Any iterable (a list, a generator, a file read line by line)
                of evidence mappings, as :meth:`score` takes them, or of
                :class:`~htx_rules.EvidenceDocument` (what
                :func:`~htx_rules.parse_evidence_json` returns), which carry
                the unit's code and reviewers' assessments too.
            strict: As :meth:`score`.
            trace: As :meth:`score`; ``trace=False`` is much faster, for runs
                that need only the points.
            errors: ``"raise"`` (the default): a bad row stops the run with a
                :class:`~htx_rules.RowError` naming its position and every
                problem; ``"keep"``: the :class:`~htx_rules.RowError` is
                yielded in place of the row's result, and the run goes on.
            jobs: Processes to score in: 1 (the default) scores here; N > 1
                starts N worker processes, each compiling the rubric once from
                its text; 0 starts one per CPU.  The results are the same,
                in the same order, whatever ``jobs``.
            chunk_size: Rows handed to a worker at a time (default 100).

        Raises:
            RowError: with ``errors="raise"``, at the first bad row.
            ValueError: ``jobs``, ``chunk_size`` or ``errors`` is not valid
                (raised at once); with ``jobs`` above 1, a rubric that cannot
                be compiled again from its text (see ``docs/python-api.md``).
        """
        from htx_rules.batch import score_many  # noqa: PLC0415 - batch imports this module

        return score_many(
            self,
            rows,
            strict=strict,
            trace=trace,
            errors=errors,
            jobs=jobs,
            chunk_size=chunk_size,
        )

    def _contestant(self, code: str | None) -> m.Contestant | None:
        if code is None:
            return None
        code = str(code)
        found = self._contestants.get(code)
        if found is None and self._contestants:
            known = tuple(f"{c.code} ({c.name})" for c in self.model.contestants)
            raise EvidenceError(
                [EvidenceProblem("contestant", code, "unknown-contestant", {"known": known})]
            )
        # A rubric that lists no units accepts any code, named by itself.
        return found or m.Contestant(code, code, Span("<evidence>", 1, 1, 1, 1))

    @property
    def maximum_total(self) -> Decimal:
        """The most points a unit can get: the standard total plus the bonus cap."""
        return highest_total(self.model)


def loads(
    text: str, name: str = "<string>", *, sha256: str | None = None, cache: bool = False
) -> Rubric:
    """Compile rubric text.

    Args:
        text: The rubric, in the htx_rules rubric language.
        name: The name errors and traces show for it (usually a file path).
        sha256: The SHA-256 of the bytes the text was decoded from, when it
            came from a file (:func:`load` passes it); by default, of the
            text's UTF-8 encoding.
        cache: Use the compiled-rubric cache, as :func:`load` does (off by
            default: text built in memory is seldom compiled twice).

    Raises:
        RubricSyntaxError: the text does not follow the language's grammar.
        RubricCompileError: it does, but names, types, maxima or dependencies are wrong.
    """
    content = sha256_hex(text.encode("utf-8"))
    digest = sha256 if sha256 is not None else content
    if not cache:
        return _compile(text, name, digest)
    key = entry_key("text", content, name, digest)
    return _cached(key, name, digest) or _keep(key, _compile(text, name, digest))


def _compile(text: str, name: str, sha256: str) -> Rubric:
    # The collector is paused: compiling makes many objects and no garbage
    # cycles, and a full collection (of every module and the parser tables)
    # in the middle would take a quarter of the time.
    with collector_paused():
        source, model = compile_model(text, name)
        return Rubric(model, source, sha256)


def _cached(key: str, name: str, sha256: str) -> Rubric | None:
    """The rubric the compiled-rubric cache holds under ``key``, if any."""
    found = read_entry(key)
    if isinstance(found, Rubric) and found.sha256 == sha256 and found.source.name == name:
        return found
    return None


def _keep(key: str, rubric: Rubric) -> Rubric:
    write_entry(key, rubric)
    return rubric


def compile_model(
    text: str, name: str = "<string>", *, tokens: list[Token] | None = None
) -> tuple[SourceText, m.RubricModel]:
    """The checked rule model of rubric text, without the compiled evaluator.

    Args:
        text: The rubric.
        name: The name errors show for it.
        tokens: If given, every token the parser read is appended to it (see
            :func:`htx_rules.parser.parse_tokens`).

    Raises:
        RubricSyntaxError, RubricCompileError: as :func:`loads`.
    """
    # The compiler's front end (and Lark) is imported when a rubric is first
    # compiled: loading a compiled rubric from the cache does not need it.
    from htx_rules.builder import Builder  # noqa: PLC0415
    from htx_rules.checker import Checker  # noqa: PLC0415
    from htx_rules.parser import parse  # noqa: PLC0415

    # Vietnamese typed in decomposed Unicode (an accent as a separate mark)
    # reads the same as precomposed text: names, keywords and labels match.
    source = SourceText(name, unicodedata.normalize("NFC", text))
    tree = parse(source, tokens)
    builder = Builder(source)
    built = builder.build(tree, keep_going=True)
    found = builder.diagnostics
    if built is None or any(d.code not in _LOCAL_PROBLEMS for d in found):
        raise RubricCompileError(found)
    checker = Checker(source, built)
    model = checker.check()
    errors = [d for d in checker.diagnostics if d.severity == "error"]
    if found:
        # The deadline line's date was impossible: it is not also missing.
        if builder.deadline_invalid:
            errors = [d for d in errors if d.code != "no-deadline"]
        errors = sorted(
            [*found, *errors], key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0)
        )
    if errors:
        raise RubricCompileError(errors)
    return source, model


#: Problems the builder finds that leave the rest of the model sound, so the
#: checker still runs and its errors are reported with them.  Any other (a
#: section given twice, a missing header line, an expression nested too
#: deeply) would make the checker report errors that are only its echo.
_LOCAL_PROBLEMS = frozenset(
    {
        "empty-label",
        "invalid-date",
        "duplicate-option",
        "duplicate-header-item",
        "rounding-places",
        "unknown-language",
        "period-reversed",
        "estimate-before-end",
        "bound-on-type",
        "bound-unit",
        "prize-unit",
        "values-without-choice",
    }
)


def load(path: str | os.PathLike[str], *, cache: bool = True) -> Rubric:
    """Read and compile a rubric file (UTF-8).

    A rubric compiled before, with the same bytes and name by the same engine,
    is loaded from the compiled-rubric cache instead (see
    ``docs/python-api.md``); ``cache=False`` compiles it whatever the cache
    holds, and leaves the cache as it is.

    Raises:
        OSError: the file cannot be read.
        RubricSyntaxError, RubricCompileError: as :func:`loads`.
    """
    return load_bytes(Path(path).read_bytes(), str(path), cache=cache)


def load_bytes(raw: bytes, name: str, *, cache: bool = True) -> Rubric:
    """Compile a rubric file's bytes (UTF-8, with or without a byte-order mark).

    Args:
        raw: The file's bytes, as read; their SHA-256 is the rubric's hash.
        name: The name errors and traces show for it (usually the file's path).
        cache: Use the compiled-rubric cache (see :func:`load`).

    Raises:
        RubricCompileError: the bytes are not UTF-8 (the error names the line
            and column of the first bad byte), or as :func:`loads`.
        RubricSyntaxError: as :func:`loads`.
    """
    digest = sha256_hex(raw)
    if not cache:
        return _compile(decode_rubric(raw, name), name, digest)
    key = entry_key("bytes", digest, name, digest)
    return _cached(key, name, digest) or _keep(
        key, _compile(decode_rubric(raw, name), name, digest)
    )


def decode_rubric(raw: bytes, name: str) -> str:
    """A rubric file's bytes as text (UTF-8, with or without a byte-order mark).

    Raises:
        RubricCompileError: ``not-utf8``, naming the line and column of the first bad byte.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RubricCompileError([_encoding_diagnostic(name, raw, error)]) from None


def _encoding_diagnostic(name: str, raw: bytes, error: UnicodeDecodeError) -> Diagnostic:
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    line_end = raw.find(b"\n", error.start)
    line_bytes = raw[line_start : line_end if line_end >= 0 else len(raw)]
    line = raw[: error.start].count(b"\n") + 1
    # Columns count characters, as everywhere else: decode what precedes the bad byte.
    column = len(raw[line_start : error.start].decode("utf-8")) + 1
    return Diagnostic(
        "not-utf8",
        Span(name, line, column, line, column + 1),
        hint="hint-save-utf8",
        line_text=line_bytes.decode("utf-8", errors="replace").rstrip("\r"),
    )
