"""How time grows with the number of criteria and with the batch size: both must be linear.

Run from the repository root::

    uv run python benchmarks/scaling.py                  # about 3 minutes
    uv run python benchmarks/scaling.py --big-batch      # also batches of 100,000
    uv run python benchmarks/scaling.py --sizes 30,300 --batches 1000,3000 --repeat 2  # quick

What it does:

1. **Rubric size.**  For N = 30, 300 and 3,000 (``--sizes``), a rubric of N
   generated criteria and rules (``rubric_generator.generate_rubric``, seeded: every
   scoring form in realistic proportions, about one evidence field per criterion)
   and seeded evidence for it (``rubric_generator.random_evidence``).  Times the
   compile (``htx_rules.loads``; each repetition compiles a text that differs by a
   comment, so that no cache of compiled rubrics can answer), the review
   (``htx_rules.check``: compile and every warning), and scoring one evidence dict
   untraced (``rubric.score(e, trace=False)``), traced (``rubric.score(e)``: the trace
   recorded) and with the trace tree built (``rubric.score(e).trace``).  Each run
   does about ``--work`` criterion evaluations: 10,000 dicts of 30 criteria, 1,000
   of 300, 100 of 3,000.
2. **Batch size.**  For the 2021 rubric and the 300-criteria one, batches of
   1,000 and 10,000 evidence dicts (``--batches``; also 100,000 with
   ``--big-batch``), scored with ``rubric.score_many(rows, trace=...)`` when the
   rubric has it, otherwise with a loop over ``rubric.score``, untraced and traced.
   The rows are streamed: a generator cycling over one pool of distinct dicts, as
   many as the smallest batch (so every batch size scores the same mix), and every
   result is dropped as soon as it is read.  Then the memory: in a fresh child
   process per rubric, mode and batch size, the growth of the peak resident memory
   (``ru_maxrss``) while the batch is streamed, after a warm-up pass over the pool.
   (``tracemalloc`` is no use here: it looks up the line number of every
   allocation, which in a generated scoring function of thousands of lines makes
   scoring several hundred times slower.)
3. **Verdicts**, by the rules stated in the output (and in
   ``docs/performance.md#scaling``):

   - *linear in the number of criteria*: for each of compile, untraced, traced and
     tree-built scoring, the time per criterion at the largest N is at most
     ``LINEAR_FACTOR`` (1.5) times that at the smallest N, and at most 1.5 times
     that at the middle N;
   - *linear in the batch size*: the time per dict of the largest batch is at most
     1.5 times that of the smallest batch, untraced and traced, for each rubric;
   - *flat memory*: the peak memory the largest batch adds is at most 1.5 times
     what the smallest batch adds, plus 1 MiB.

Before anything is timed, every rubric is checked: it has N criteria and rules,
``htx_rules.check`` finds no error, and on a sample of evidence dicts the untraced
and the traced result (points of every item and part, total, missing fields) and
the trace tree equal those of the reference evaluator
(``htx_rules.evaluator.Program``), and ``score_many`` (when present) gives the
same totals as ``score``.  The first difference stops the script with exit
status 1.

This is a script, not a test: timings are never asserted in the test suite
(``tests/test_rubric_generator.py`` only checks that the generated rubrics stay
valid and that both evaluators agree on them).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rubric_generator import GeneratedRubric, generate_rubric
from rubric_generator import random_evidence as generated_evidence
from score_2021 import RUBRIC, best_and_median, machine, timing_table
from score_2021 import random_evidence as evidence_2021

import htx_rules
from htx_rules.checker import all_items
from htx_rules.evaluator import Program

Evidence = dict[str, Any]
Runner = Callable[[Iterator[Evidence]], int]
Key = TypeVar("Key")

#: "Linear" means: the time per unit of work at the larger size is at most this
#: many times the time per unit of work at the smaller size.
LINEAR_FACTOR = 1.5
#: Slack for the memory verdict, in KiB: allocator and page granularity.
MEMORY_SLACK_KIB = 1024


class Mismatch(Exception):
    """Two ways of scoring the same evidence disagree, or a generated rubric is wrong."""


# ---------------------------------------------------------------- agreement


def check_agreement(rubric: htx_rules.Rubric, sample: Sequence[Evidence], label: str) -> None:
    """Untraced, traced, the reference evaluator and ``score_many`` agree on ``sample``:
    the same total and points of every criterion and rule, and the same trace.

    Raises:
        Mismatch: naming the rubric, the dict's number and what differs.
    """
    reference = Program(rubric.model, rubric.source)
    for number, evidence in enumerate(sample):
        total, *_, items, _, tree = reference.run(rubric.validate(evidence))
        traced = rubric.score(evidence)
        for name, result in (("untraced", rubric.score(evidence, trace=False)), ("traced", traced)):
            if result.total != total or dict(result.items) != items:
                differ = [i for i in items if result.items[i] != items[i]]
                raise Mismatch(
                    f"{label}, evidence #{number}: {name} scoring gives a total of "
                    f"{result.total}, the reference evaluator {total}; points differ on {differ}"
                )
        if traced.trace != tree:
            raise Mismatch(f"{label}, evidence #{number}: the trace differs from the reference's")
    if hasattr(rubric, "score_many"):
        one = [rubric.score(e, trace=False).total for e in sample]
        for trace in (False, True):
            many = [r.total for r in rubric.score_many(iter(sample), trace=trace)]
            if many != one:
                raise Mismatch(f"{label}: score_many(trace={trace}) totals differ from score()'s")


def check_generated(generated: GeneratedRubric, rubric: htx_rules.Rubric) -> tuple[int, int]:
    """Check that a generated rubric is what it claims: N items, no ``check`` error.

    Returns the number of warnings and of notes ``check`` gives.

    Raises:
        Mismatch: the item count is wrong or ``check`` finds an error.
    """
    items = sum(1 for _ in all_items(rubric.model))
    if items != generated.n:
        raise Mismatch(f"the generated rubric of {generated.n} has {items} criteria and rules")
    report = htx_rules.check(generated.text, f"<generated {generated.n}>")
    if report.errors:
        raise Mismatch(report.render("en"))
    return len(report.warnings), len(report.notes)


# ---------------------------------------------------------------- batches


def stream(pool: Sequence[Evidence], size: int) -> Iterator[Evidence]:
    """``size`` rows cycling over ``pool``, made one at a time (constant memory)."""
    count = len(pool)
    for index in range(size):
        yield pool[index % count]


def batch_runner(rubric: htx_rules.Rubric, trace: bool) -> Runner:
    """Scores a stream of rows and drops every result: ``score_many`` when the rubric
    has it, else a loop over ``score``.  Returns how many results it read."""
    if hasattr(rubric, "score_many"):
        many = rubric.score_many

        def run_many(rows: Iterator[Evidence]) -> int:
            read = 0
            for _ in many(rows, trace=trace):
                read += 1
            return read

        return run_many
    score = rubric.score

    def run_loop(rows: Iterator[Evidence]) -> int:
        read = 0
        for e in rows:
            score(e, trace=trace)
            read += 1
        return read

    return run_loop


def batch_rubric(which: str, seed: int) -> tuple[str, htx_rules.Rubric, Callable[..., Evidence]]:
    """The rubric of a batch run — ``"2021"`` or a number of generated criteria — with
    its label and a function drawing one evidence dict from a ``random.Random``."""
    if which == "2021":
        rubric = htx_rules.loads(RUBRIC.read_text(encoding="utf-8"), name=str(RUBRIC))
        return "rubrics/2021.rules", rubric, evidence_2021
    generated = generate_rubric(int(which), seed)
    rubric = htx_rules.loads(generated.text, name=f"<generated {which}>")

    def draw(rng: random.Random) -> Evidence:
        return generated_evidence(generated, rng)

    return f"generated, {int(which):,} criteria", rubric, draw


def make_pool(draw: Callable[[random.Random], Evidence], size: int, seed: int) -> list[Evidence]:
    """``size`` distinct evidence dicts, seeded."""
    rng = random.Random(seed)
    return [draw(rng) for _ in range(size)]


def memory_probe(which: str, mode: str, size: int, pool_size: int, seed: int) -> int:
    """In this (fresh) process: how much a streamed batch of ``size`` rows raises the
    peak resident memory, in KiB, after a warm-up pass over the pool."""
    _, rubric, draw = batch_rubric(which, seed)
    pool = make_pool(draw, pool_size, seed)
    run = batch_runner(rubric, mode == "traced")
    run(stream(pool, pool_size))
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run(stream(pool, size))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before


def measure_memory(which: str, mode: str, size: int, pool_size: int, seed: int) -> int:
    """:func:`memory_probe` run in a child process (``ru_maxrss`` is per process)."""
    command = [sys.executable, __file__, "--memory-probe", which, mode, str(size)]
    command += ["--pool", str(pool_size), "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the three studies


def _ratio(larger: float, smaller: float) -> float:
    return larger / smaller if smaller else float("inf")


Sized = dict[int, tuple[GeneratedRubric, htx_rules.Rubric, list[Evidence]]]
Batch = tuple[str, str, htx_rules.Rubric, list[Evidence]]


def prepare_sizes(sizes: Sequence[int], args: argparse.Namespace) -> Sized:
    """The generated rubrics of every size, checked, with their evidence; prints
    what was checked.

    Raises:
        Mismatch: a rubric is wrong, or the evaluators disagree.
    """
    prepared: Sized = {}
    check_rows = []
    for n in sizes:
        generated = generate_rubric(n, args.seed)
        rubric = htx_rules.loads(generated.text, name=f"<generated {n}>")
        warnings, notes = check_generated(generated, rubric)
        rng = random.Random(args.seed + n)
        dicts = [generated_evidence(generated, rng) for _ in range(max(50, args.work // n))]
        sample = dicts[: max(20, args.sample * 30 // n)]
        check_agreement(rubric, sample, f"the generated rubric of {n}")
        prepared[n] = (generated, rubric, dicts)
        check_rows.append(
            [f"{n:,}", f"{generated.field_count:,}", warnings, notes, f"{len(sample):,}"]
        )
    print(
        "verified: every generated rubric has its number of criteria and checks without "
        "errors; on every sampled dict the untraced and traced results and the trace equal "
        "the reference evaluator's"
    )
    print(
        tabulate(
            check_rows,
            headers=["criteria", "fields", "check warnings", "check notes", "dicts compared"],
            disable_numparse=True,
            colalign=("right",) * 5,
        )
    )
    return prepared


def prepare_batches(which: Sequence[str], pool_size: int, args: argparse.Namespace) -> list[Batch]:
    """The rubrics of the batch runs, checked, with their pools of evidence.

    Raises:
        Mismatch: the evaluators disagree.
    """
    prepared = []
    for key in which:
        label, rubric, draw = batch_rubric(key, args.seed)
        pool = make_pool(draw, pool_size, args.seed)
        check_agreement(rubric, pool[: args.sample], label)
        prepared.append((key, label, rubric, pool))
    print(
        f"verified: on {args.sample:,} dicts of each batch rubric "
        f"({', '.join(label for _, label, _, _ in prepared)}), the untraced and traced results "
        "and the trace equal the reference evaluator's"
        + (", and score_many's totals equal score's" if hasattr(rubric, "score_many") else "")
    )
    print()
    return prepared


def interleaved(
    runs: dict[Key, Callable[[], object]], rounds: int
) -> dict[Key, tuple[float, float]]:
    """The best and median wall time of every run, in seconds, timed in ``rounds``
    rounds of one run each, the runs one after the other within a round.

    Interleaving spreads a burst of load from other processes over every run,
    instead of letting it fall on one size and bend the comparison.
    """
    times: dict[Key, list[float]] = {key: [] for key in runs}
    for _ in range(rounds):
        for key, run in runs.items():
            gc.collect()
            once, _ = best_and_median(run, 1)
            times[key].append(once)
    return {key: (min(t), statistics.median(t)) for key, t in times.items()}


def _scorer(rubric: htx_rules.Rubric, dicts: list[Evidence], variant: str) -> Callable[[], None]:
    """Scores every dict: ``untraced``, ``traced`` (trace recorded) or ``tree`` (built)."""
    score = rubric.score
    if variant == "untraced":

        def untraced() -> None:
            for e in dicts:
                score(e, trace=False)

        return untraced
    if variant == "traced":

        def traced() -> None:
            for e in dicts:
                score(e)

        return traced

    def tree() -> None:
        for e in dicts:
            if score(e).trace is None:
                raise AssertionError("a traced result without a trace")

    return tree


def time_sizes(prepared: Sized, args: argparse.Namespace) -> dict[str, dict[int, float]]:
    """Time the compile, the check and the scoring at every size; print the tables.

    Returns the best time per criterion of compile, untraced, traced and tree, by size.
    """
    sizes = sorted(prepared)
    compiles: dict[tuple[str, int], Callable[[], object]] = {}
    for n in sizes:
        text = prepared[n][0].text
        versions = iter(range(10**9))

        def compile_once(text: str = text, versions: Iterator[int] = versions) -> None:
            htx_rules.loads(f"{text}# lần đo {next(versions)}\n", name="<generated>")

        def check_once(text: str = text) -> None:
            htx_rules.check(text, "<generated>")

        compiles["compile", n] = compile_once
        compiles["check", n] = check_once
    variants = ("untraced", "traced", "tree")
    scorings: dict[tuple[str, int], Callable[[], object]] = {
        (variant, n): _scorer(prepared[n][1], prepared[n][2], variant)
        for n in sizes
        for variant in variants
    }
    timed = interleaved(compiles, args.compile_repeat) | interleaved(scorings, args.repeat)

    per_criterion: dict[str, dict[int, float]] = {key: {} for key in ("compile", *variants)}
    compile_rows = []
    score_rows = []
    for n in sizes:
        (compile_best, compile_median), (check_best, _) = timed["compile", n], timed["check", n]
        per_criterion["compile"][n] = compile_best / n
        compile_rows.append(
            [
                f"{n:,}",
                f"{compile_best * 1e3:,.1f}",
                f"{compile_median * 1e3:,.1f}",
                f"{compile_best / n * 1e6:,.0f}",
                f"{check_best * 1e3:,.1f}",
                f"{check_best / n * 1e6:,.0f}",
            ]
        )
        count = len(prepared[n][2])
        row = [f"{n:,}", f"{count:,}"]
        for variant in variants:
            best, median = timed[variant, n]
            per_criterion[variant][n] = best / count / n
            row += [
                f"{best / count * 1e6:,.1f}",
                f"{median / count * 1e6:,.1f}",
                f"{best / count / n * 1e6:.3f}",
            ]
        score_rows.append(row)

    print(f"Time against the number of criteria (generated rubrics, seed {args.seed})")
    print()
    print(
        tabulate(
            compile_rows,
            headers=[
                "criteria",
                "compile ms (best)",
                "(median)",
                "µs/criterion",
                "check ms (best)",
                "µs/criterion",
            ],
            colalign=("right",) * 6,
            disable_numparse=True,
        )
    )
    print(
        f"(best and median of {args.compile_repeat}, sizes interleaved; compile: htx_rules.loads; "
        "check: htx_rules.check, the compile without code generation, and every warning)"
    )
    print()
    print(
        tabulate(
            score_rows,
            headers=[
                "criteria",
                "dicts",
                "untraced µs/dict",
                "(median)",
                "µs/criterion",
                "traced µs/dict",
                "(median)",
                "µs/criterion",
                "tree µs/dict",
                "(median)",
                "µs/criterion",
            ],
            colalign=("right",) * 11,
            disable_numparse=True,
        )
    )
    print(
        f"(best and median of {args.repeat}, interleaved; untraced: score(e, trace=False); "
        "traced: score(e), "
        "the trace recorded; tree: score(e).trace, the tree of trace nodes built)"
    )
    print()
    return per_criterion


def time_batches(
    prepared: Sequence[Batch], batches: Sequence[int], args: argparse.Namespace
) -> tuple[list[tuple[str, float]], list[tuple[str, list[int]]]]:
    """Time, then measure the memory of, streamed batches; print the tables.

    Returns, per rubric and mode, the ratio of the time per dict of the largest
    batch to that of the smallest, and the memory each batch size added (KiB).
    """
    method = (
        "rubric.score_many(rows, trace=...)"
        if hasattr(prepared[0][2], "score_many")
        else "a loop over rubric.score(e, trace=...)"
    )
    print(f"Time against the batch size: {method}, rows streamed")
    print(
        f"(a pool of {batches[0]:,} distinct dicts, cycled; best and median of "
        f"{args.batch_repeat}, interleaved; '× baseline' is the time per dict relative to the "
        f"batch of {batches[0]:,})"
    )
    runs: dict[tuple[int, bool, int], Callable[[], object]] = {}
    for index, (_, _, rubric, pool) in enumerate(prepared):
        for trace in (False, True):
            run = batch_runner(rubric, trace)
            for size in batches:

                def one(run: Runner = run, pool: list[Evidence] = pool, size: int = size) -> None:
                    if run(stream(pool, size)) != size:
                        raise AssertionError("a batch gave the wrong number of results")

                runs[index, trace, size] = one
    timed = interleaved(runs, args.batch_repeat)
    ratios: list[tuple[str, float]] = []
    memory: list[tuple[str, list[int]]] = []
    for index, (key, label, _, _) in enumerate(prepared):
        for trace in (False, True):
            rows = []
            for size in batches:
                best, median = timed[index, trace, size]
                rows.append((f"batch of {size:,}", best / size, median / size))
            mode = "traced" if trace else "untraced"
            print()
            print(f"{label}, {mode}")
            print(timing_table(rows, 1))
            ratios.append((f"{label}, {mode}", _ratio(rows[-1][1], rows[0][1])))
            grown = [measure_memory(key, mode, size, batches[0], args.seed) for size in batches]
            memory.append((f"{label}, {mode}", grown))
    print()
    print(
        "Peak resident memory added by streaming a batch (KiB; a fresh process each, "
        "after a warm-up pass over the pool)"
    )
    print(
        tabulate(
            [[label, *(f"{k:,}" for k in grown)] for label, grown in memory],
            headers=["rubric", *(f"batch of {s:,}" for s in batches)],
            colalign=("left", *("right",) * len(batches)),
            disable_numparse=True,
        )
    )
    print()
    return ratios, memory


def verdicts(
    sizes: Sequence[int],
    per_criterion: dict[str, dict[int, float]],
    batches: Sequence[int],
    ratios: Sequence[tuple[str, float]],
    memory: Sequence[tuple[str, list[int]]],
) -> list[list[str]]:
    """One row per dimension: what was compared, the measure, the verdict."""
    rows = []
    small, middle, large = sizes[0], sizes[len(sizes) // 2], sizes[-1]
    labels = {
        "compile": "compile (htx_rules.loads)",
        "untraced": "scoring, untraced",
        "traced": "scoring, traced",
        "tree": "scoring, trace tree built",
    }
    # With two sizes there is no middle one to compare with.
    others = [small] if middle in (small, large) else [small, middle]
    for key, label in labels.items():
        times = per_criterion[key]
        against = [_ratio(times[large], times[other]) for other in others]
        ok = max(against) <= LINEAR_FACTOR
        rows.append(
            [
                f"{label}: per criterion, {large:,} vs {' / vs '.join(f'{o:,}' for o in others)}",
                " / ".join(f"{r:.2f}×" for r in against),
                "linear" if ok else "NOT linear",
            ]
        )
    for label, ratio in ratios:
        rows.append(
            [
                f"{label}: per dict, batch of {batches[-1]:,} vs {batches[0]:,}",
                f"{ratio:.2f}×",
                "linear" if ratio <= LINEAR_FACTOR else "NOT linear",
            ]
        )
    for label, grown in memory:
        first, last = grown[0], grown[-1]
        flat = last <= first * LINEAR_FACTOR + MEMORY_SLACK_KIB
        rows.append(
            [
                f"{label}: memory added, batch of {batches[-1]:,} vs {batches[0]:,}",
                f"{last:,} vs {first:,} KiB",
                "flat" if flat else "GROWS",
            ]
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="30,300,3000", help="criteria per rubric (30,300,3000)")
    parser.add_argument(
        "--work",
        type=int,
        default=300_000,
        help="criterion evaluations per timed run: dicts = work / N, at least 50 (300000)",
    )
    parser.add_argument("--batches", default="1000,10000", help="batch sizes (1000,10000)")
    parser.add_argument("--big-batch", action="store_true", help="also batches of 100,000")
    parser.add_argument(
        "--batch-rubrics",
        default="2021,300",
        help="rubrics for the batch runs: 2021 and/or a number of generated criteria (2021,300)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per scoring timing (5)")
    parser.add_argument("--compile-repeat", type=int, default=5, help="runs per compile (5)")
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs per batch (3)")
    parser.add_argument(
        "--sample", type=int, default=100, help="dicts compared with the reference (100)"
    )
    parser.add_argument("--seed", type=int, default=2021, help="random seed (2021)")
    parser.add_argument("--memory-probe", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=1000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        which, mode, size = args.memory_probe
        print(memory_probe(which, mode, int(size), args.pool, args.seed))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    batches = sorted(int(s) for s in args.batches.split(","))
    if args.big_batch:
        batches.append(100_000)

    # The first compile in a process also gets the Lark parser: pay it here.
    htx_rules.loads(RUBRIC.read_text(encoding="utf-8"), name=str(RUBRIC))
    try:
        sized = prepare_sizes(sizes, args)
        batched = prepare_batches(args.batch_rubrics.split(","), batches[0], args)
    except Mismatch as error:
        print(f"MISMATCH: {error}")
        return 1
    per_criterion = time_sizes(sized, args)
    ratios, memory = time_batches(batched, batches, args)
    print(
        f"Rule: linear when the time per criterion (per dict, for batches) at the larger size "
        f"is at most {LINEAR_FACTOR:g}× that at the smaller; memory flat when the largest "
        f"batch adds at most {LINEAR_FACTOR:g}× what the smallest adds, plus "
        f"{MEMORY_SLACK_KIB:,} KiB."
    )
    table = verdicts(sizes, per_criterion, batches, ratios, memory)
    print(tabulate(table, headers=["dimension", "measured", "verdict"], disable_numparse=True))
    print()
    print(tabulate(machine(), headers=["machine", ""], disable_numparse=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
