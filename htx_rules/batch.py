"""Scoring many sets of evidence: in input order, streaming, on one core or several.

:func:`score_many` (:meth:`Rubric.score_many <htx_rules.Rubric.score_many>`)
is :meth:`Rubric.score <htx_rules.Rubric.score>` over an iterable of rows.  It
reads a row, scores it and yields its result before it reads the next, so that
a million rows take the memory of one; a bad row raises a :class:`RowError`
naming its position (or, with ``errors="keep"``, takes the place of its
result).

With ``jobs`` above 1, :func:`ordered_map` hands chunks of rows to worker
processes and yields what they send back in input order.  Each worker compiles
the rubric once, from its text and name, so that a worker scores exactly as
the parent would — in fact it loads it from the compiled-rubric cache, where
the parent's check that the text gives the same rules has just put it; no more than two chunks per
worker are read ahead, so memory stays flat there too.  The command line
(``htx-rules batch``) runs its own job through :func:`ordered_map`: reading a
table's row, scoring it and writing its output line all happen in the workers.

A :class:`~htx_rules.Result` refers to the rubric that scored it (its model,
its compiled program) and to a few constants of the engine (the marker of a
rule whose requirement is unmet, for instance).  A worker sends its results
with every such object replaced by its name (:class:`_Sender`), and the
parent puts back its own (:func:`_resolve`): what travels is the evidence,
the points and the trace record, and a result rebuilt in the parent is the
result the parent would have computed — equal, with the same trace.
"""

from __future__ import annotations

import contextvars
import copyreg
import datetime
import importlib
import io
import multiprocessing
import os
import pickle
import signal
import sys
import types
import weakref
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol, TypeVar

import attrs

from htx_rules.decimals import Lang
from htx_rules.errors import EvidenceError, EvidenceProblem, RowError, RubricError
from htx_rules.evidence import EvidenceDocument
from htx_rules.result import Result
from htx_rules.table_input import Layout, RawRow, RowReader
from htx_rules.table_output import Columns

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from htx_rules.rubric import Rubric

ErrorMode = Literal["raise", "keep"]
#: rows a worker is given at a time, unless told otherwise
CHUNK_SIZE: Final = 100
#: chunks handed out ahead of the one the parent waits for, per worker
_AHEAD: Final = 2

Item = TypeVar("Item")
Out = TypeVar("Out")
_Item_contra = TypeVar("_Item_contra", contravariant=True)
_Out_co = TypeVar("_Out_co", covariant=True)


def worker_count(jobs: int) -> int:
    """The number of processes ``jobs`` asks for: itself, or for 0 every CPU
    this process may run on.

    Raises:
        ValueError: ``jobs`` is negative or not an integer.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ValueError(f"jobs must be a whole number of 0 or more, not {jobs!r}")
    if jobs:
        return jobs
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


# ---------------------------------------------------------------- score_many


def score_many(
    rubric: Rubric,
    rows: Iterable[Mapping[str, object] | EvidenceDocument],
    *,
    strict: bool = False,
    trace: bool = True,
    errors: ErrorMode = "raise",
    jobs: int = 1,
    chunk_size: int | None = None,
) -> Iterator[Result | RowError]:
    """:meth:`Rubric.score_many <htx_rules.Rubric.score_many>` (documented there)."""
    if errors not in ("raise", "keep"):
        raise ValueError(f"errors must be 'raise' or 'keep', not {errors!r}")
    workers = worker_count(jobs)
    size = _chunk_size(chunk_size)
    if workers == 1:
        return _score_in_turn(rubric, rows, strict, trace, errors == "keep")
    job = _ScoreJob(strict, trace, errors == "keep")
    return ordered_map(job, enumerate(rows), rubric, workers=workers, chunk_size=size)


def _chunk_size(chunk_size: int | None) -> int:
    if chunk_size is None:
        return CHUNK_SIZE
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a whole number of 1 or more, not {chunk_size!r}")
    return chunk_size


def _score_in_turn(
    rubric: Rubric,
    rows: Iterable[Mapping[str, object] | EvidenceDocument],
    strict: bool,
    trace: bool,
    keep: bool,
) -> Iterator[Result | RowError]:
    # The hot loop of a long run: nothing here but what Rubric.score needs
    # (a plain dict of evidence, scored with the defaults, is the common row).
    score = rubric.score
    defaults = trace and not strict
    for index, row in enumerate(rows):
        try:
            if type(row) is dict and defaults:
                result = score(row)
            elif isinstance(row, EvidenceDocument):
                result = score_document(rubric, row, strict=strict, trace=trace)
            else:
                result = score(row, strict=strict, trace=trace)
        except EvidenceError as error:
            failure = RowError(error.problems, row_source(row, index), index)
            if not keep:
                raise failure from None
            yield failure
            continue
        yield result


def score_document(
    rubric: Rubric, document: EvidenceDocument, *, strict: bool, trace: bool
) -> Result:
    """Score an evidence document: its evidence, for its contestant, with its
    assessments — refused when it names another rubric.

    Raises:
        EvidenceError: as :meth:`Rubric.score <htx_rules.Rubric.score>`, or
            ``rubric-mismatch``.
    """
    if document.rubric is not None and document.rubric != rubric.id:
        raise EvidenceError(
            [EvidenceProblem("rubric", document.rubric, "rubric-mismatch", {"expected": rubric.id})]
        )
    return rubric.score(
        document.evidence,
        contestant=document.contestant,
        strict=strict,
        trace=trace,
        assessments=document.assessments or None,
    )


def row_source(row: object, index: int) -> str:
    """What an error about a row calls it: a document's source, or ``rows[index]``."""
    if isinstance(row, EvidenceDocument):
        return row.source
    return f"rows[{index}]"


class _Failure(NamedTuple):
    """A bad row, as a worker reports it."""

    position: int
    problems: tuple[EvidenceProblem, ...]
    source: str


@attrs.frozen
class _ScoreJob:
    """What the workers of :func:`score_many` do with a chunk of ``(index, row)``."""

    strict: bool
    trace: bool
    keep: bool

    def run(self, rubric: Rubric, chunk: list[tuple[int, object]]) -> bytes:
        done: list[Result | _Failure] = []
        for index, row in chunk:
            if isinstance(row, _NotEvidence):
                done.append(_Failure(index, row.problems, row_source(row, index)))
                continue
            try:
                if isinstance(row, EvidenceDocument):
                    done.append(score_document(rubric, row, strict=self.strict, trace=self.trace))
                else:
                    done.append(
                        rubric.score(row, strict=self.strict, trace=self.trace)  # type: ignore[arg-type]
                    )
            except EvidenceError as error:
                done.append(_Failure(index, error.problems, row_source(row, index)))
        return _dump(rubric, done)

    def finish(self, rubric: Rubric, data: object) -> Iterator[Result | RowError]:
        assert isinstance(data, bytes)
        for done in _load(rubric, data):
            if isinstance(done, _Failure):
                failure = RowError(done.problems, done.source, done.position)
                if not self.keep:
                    raise failure
                yield failure
            else:
                yield done

    def prepare(self, rubric: Rubric, item: tuple[int, object]) -> tuple[int, object]:
        """A row as it can travel to a worker: any mapping as a ``dict``."""
        index, row = item
        if type(row) is dict:
            return item
        if isinstance(row, EvidenceDocument):
            return index, attrs.evolve(
                row, evidence=dict(row.evidence), assessments=dict(row.assessments)
            )
        if isinstance(row, Mapping):
            return index, dict(row)
        # Not evidence at all: the row's error is the one scoring gives, and the
        # object (which may not be picklable) stays here.
        try:
            rubric.validate(row)  # type: ignore[arg-type]
        except EvidenceError as error:
            return index, _NotEvidence(error.problems)
        raise AssertionError(f"evidence that is not a mapping was accepted: {row!r}")


class _NotEvidence(NamedTuple):
    """Stands for a row that is not a mapping, with the problem scoring reports."""

    problems: tuple[EvidenceProblem, ...]


# ---------------------------------------------------------------- tables


class TableRow(NamedTuple):
    """What scoring a row of a table gives: its output and its problems.

    Attributes:
        number: The row's line (CSV, JSON Lines) or row (Excel) in the input.
        output: The output line (CSV, JSON Lines), or the cells (Excel).
        problems: The row's problems as printed on standard error (all of
            them, with the file and the line), or None for a good row.
    """

    number: int
    output: str | list[object]
    problems: str | None


class TableJob:
    """``htx-rules batch``'s work on a row: read it against the rubric, score
    it (without a trace), and encode its output row — all in the worker, so
    that the parent only reads lines and writes lines."""

    def __init__(self, layout: Layout, output: str, lang: Lang, strict: bool) -> None:
        self.layout = layout
        self.output = output
        self.lang: Lang = lang
        self.strict = strict
        self._ready: tuple[Rubric, RowReader, Columns] | None = None

    def __getstate__(self) -> tuple[Layout, str, Lang, bool]:
        return self.layout, self.output, self.lang, self.strict

    def __setstate__(self, state: tuple[Layout, str, Lang, bool]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    def prepare(self, rubric: Rubric, item: RawRow) -> RawRow:
        return item

    def finish(self, rubric: Rubric, data: object) -> list[TableRow]:
        assert isinstance(data, list)
        return data

    def run(self, rubric: Rubric, chunk: list[RawRow]) -> list[TableRow]:
        if self._ready is None or self._ready[0] is not rubric:
            self._ready = rubric, RowReader(rubric, self.layout), Columns(rubric, self.lang)
        _, reader, columns = self._ready
        return [self._row(rubric, reader, columns, raw) for raw in chunk]

    def _row(self, rubric: Rubric, reader: RowReader, columns: Columns, raw: RawRow) -> TableRow:
        contestant, evidence, assessments, problems = reader.convert(raw)
        result = None
        try:
            if evidence is None:
                pass  # nothing could be read
            elif problems:
                # Every problem of the row at once: the values that were read
                # are checked too (a field whose cell was wrong is not also missing).
                rubric.validate(evidence, strict=self.strict)
            else:
                result = rubric.score(
                    evidence,
                    contestant=contestant,
                    strict=self.strict,
                    trace=False,
                    assessments=assessments or None,
                )
        except EvidenceError as error:
            named = {p.field for p in problems}
            problems = [*problems, *(p for p in error.problems if p.field not in named)]
        if self.output == "jsonl":
            output: str | list[object] = columns.jsonl_line(
                raw.number, contestant, result, problems
            )
        else:
            cells = columns.cells(raw.number, contestant, result, problems)
            output = columns.csv_line(cells) if self.output == "csv" else cells
        shown = None
        if problems:
            shown = EvidenceError(problems, self.layout.where(raw.number)).render(self.lang)
        return TableRow(raw.number, output, shown)


# ---------------------------------------------------------------- results across processes


def shared_names(rubric: Rubric) -> dict[int, tuple[Any, ...]]:
    """Every object a result may share with ``rubric`` or the engine's modules,
    by ``id``, with the name it travels under between processes.

    The rubric itself and its own attributes (its model, its compiled program,
    …), the units it lists, and the objects the engine's modules hold (such as
    the marker of a rule whose requirement is unmet, which the trace tells apart
    by identity, or a shared empty mapping).
    """
    names: dict[int, tuple[Any, ...]] = {id(rubric): ("self",)}
    for name, value in vars(rubric).items():
        names.setdefault(id(value), ("rubric", name))
    for index, unit in enumerate(rubric.contestants):
        names.setdefault(id(unit), ("unit", index))
    for module_name, name, value in _module_objects():
        names.setdefault(id(value), ("global", module_name, name))
    return names


#: what travels by value whatever holds it: plain values, equal when copied
_VALUES: Final = (str, bytes, int, float, bool, Decimal, datetime.date, tuple, frozenset)


def _module_objects() -> list[tuple[str, str, object]]:
    """The objects the modules of htx_rules hold at their top level: neither
    classes, functions nor modules, nor plain values."""
    found = []
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("htx_rules.") or module is None:
            continue
        for name, value in list(vars(module).items()):
            if (
                value is None
                or isinstance(value, (*_VALUES, type, types.ModuleType))
                or callable(value)
            ):
                continue
            found.append((module_name, name, value))
    return found


class _Sender:
    """Pickles a worker's results, every object shared with the rubric or the
    engine by name (the rest by value).

    A table of reducers by type (``dispatch_table``) is consulted by pickle's C
    code, so that only the objects of the few types concerned cost a call in
    Python — not every number of every result.
    """

    def __init__(self, rubric: Rubric) -> None:
        self._rubric = rubric  # the named objects stay alive, and so their ids valid
        self.names = names = shared_names(rubric)
        shared = [
            rubric,
            *vars(rubric).values(),
            *rubric.contestants,
            *(value for _, _, value in _module_objects()),
        ]

        def reduce(obj: Any) -> Any:
            name = names.get(id(obj))
            if name is None:
                return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
            return _resolve, name

        self.table: dict[type, Any] = {**copyreg.dispatch_table}
        self.table.update(
            {type(value): reduce for value in shared if not isinstance(value, _VALUES)}
        )

    def dumps(self, values: list[Any]) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self.table
        pickler.dump(values)
        return buffer.getvalue()


#: the rubric whose objects the results being unpickled name (in the parent)
_RECEIVING: contextvars.ContextVar[Rubric] = contextvars.ContextVar("_RECEIVING")


def _resolve(kind: str, *where: Any) -> Any:
    """The parent's own object named ``(kind, *where)`` by a worker."""
    if kind == "self":
        return _RECEIVING.get()
    if kind == "rubric":
        return getattr(_RECEIVING.get(), where[0])
    if kind == "unit":
        return _RECEIVING.get().contestants[where[0]]
    if kind == "global":
        return getattr(importlib.import_module(where[0]), where[1])
    raise pickle.UnpicklingError(f"unknown reference {(kind, *where)!r}")  # pragma: no cover


_SENDERS: weakref.WeakKeyDictionary[Rubric, _Sender] = weakref.WeakKeyDictionary()


def _dump(rubric: Rubric, values: list[Any]) -> bytes:
    sender = _SENDERS.get(rubric)
    if sender is None:
        sender = _SENDERS[rubric] = _Sender(rubric)
    return sender.dumps(values)


def _load(rubric: Rubric, data: bytes) -> list[Any]:
    token = _RECEIVING.set(rubric)
    try:
        loaded = pickle.loads(data)
    finally:
        _RECEIVING.reset(token)
    assert isinstance(loaded, list)
    return loaded


# ---------------------------------------------------------------- the worker pool


class Job(Protocol[_Item_contra, _Out_co]):
    """Work :func:`ordered_map` shares out: picklable, and pure but for its result.

    ``prepare`` turns an item into what travels to a worker (in the parent);
    ``run`` does the work of a chunk of prepared items (in a worker, or in the
    parent with one job) and returns something cheap to pickle; ``finish``
    turns that into the outputs, in order (in the parent).
    """

    def prepare(self, rubric: Rubric, item: _Item_contra) -> Any: ...

    def run(self, rubric: Rubric, chunk: list[Any]) -> object: ...

    def finish(self, rubric: Rubric, data: object) -> Iterable[_Out_co]: ...


def ordered_map(
    job: Job[Item, Out],
    items: Iterable[Item],
    rubric: Rubric,
    *,
    workers: int,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[Out]:
    """The outputs of ``job`` for ``items``, in their order, computed by
    ``workers`` processes (in this one when ``workers`` is 1).

    ``items`` is read lazily: no more than ``2 × workers`` chunks ahead of the
    output being yielded.  Leaving the iteration early stops the workers.

    Raises:
        ValueError: with several workers, ``rubric`` cannot be compiled again
            from its source text into the same rules (a rubric built from a
            changed model, as :func:`htx_rules.rescore` does).
    """
    prepared = (job.prepare(rubric, item) for item in items)
    chunks = iter(lambda: list(islice(prepared, chunk_size)), [])
    if workers == 1:
        return _in_turn(job, chunks, rubric)
    recipe = _recipe(rubric)
    return _shared_out(job, chunks, rubric, workers, recipe)


def _in_turn(job: Job[Item, Out], chunks: Iterator[list[Any]], rubric: Rubric) -> Iterator[Out]:
    for chunk in chunks:
        yield from job.finish(rubric, job.run(rubric, chunk))


def _shared_out(
    job: Job[Item, Out],
    chunks: Iterator[list[Any]],
    rubric: Rubric,
    workers: int,
    recipe: tuple[str, str, str],
) -> Iterator[Out]:
    context = multiprocessing.get_context()
    with context.Pool(workers, initializer=_start_worker, initargs=(recipe, job)) as pool:
        pending: deque[AsyncResult[object]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_run_chunk, (chunk,)))
            if len(pending) >= _AHEAD * workers:
                yield from job.finish(rubric, pending.popleft().get())
        while pending:
            yield from job.finish(rubric, pending.popleft().get())


_REPRODUCIBLE: weakref.WeakSet[Rubric] = weakref.WeakSet()


def _recipe(rubric: Rubric) -> tuple[str, str, str]:
    """What a worker compiles the rubric from: its text, name and hash — once
    checked to give the same rules."""
    from htx_rules.rubric import loads  # noqa: PLC0415 - rubric imports this module

    recipe = (rubric.source.text, rubric.source.name, rubric.sha256)
    if rubric not in _REPRODUCIBLE:
        try:
            # Kept in the compiled-rubric cache: the workers load it from there.
            again = loads(recipe[0], recipe[1], sha256=recipe[2], cache=True)
            same = again.model == rubric.model
        except RubricError:
            same = False
        if not same:
            raise ValueError(
                f"the rubric {rubric.source.name!r} cannot be compiled again from its source "
                "text (it was built from a changed model); score it with jobs=1"
            )
        _REPRODUCIBLE.add(rubric)
    return recipe


class _Worker(NamedTuple):
    rubric: Rubric
    job: Job[Any, Any]


_worker: _Worker | None = None


def _start_worker(recipe: tuple[str, str, str], job: Job[Any, Any]) -> None:
    """Compile the rubric once in a worker process."""
    from htx_rules.rubric import loads  # noqa: PLC0415 - rubric imports this module

    global _worker  # noqa: PLW0603 - one per worker process
    # Ctrl-C is the parent's to handle: it stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    text, name, sha256 = recipe
    _worker = _Worker(loads(text, name, sha256=sha256, cache=True), job)


def _run_chunk(chunk: list[Any]) -> object:
    assert _worker is not None
    return _worker.job.run(_worker.rubric, chunk)


__all__ = [
    "CHUNK_SIZE",
    "Job",
    "TableJob",
    "TableRow",
    "ordered_map",
    "row_source",
    "score_document",
    "score_many",
    "shared_names",
    "worker_count",
]
