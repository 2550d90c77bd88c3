"""How fast many rows are scored: ``Rubric.score_many`` and ``htx-rules batch``.

Run from the repository root::

    uv run python benchmarks/batch_2021.py                 # 20,000 rows, best of 3
    uv run python benchmarks/batch_2021.py --count 100000 --repeat 1 --jobs 1 2 4

What it does, in one process (and the worker processes it starts):

1. generates seeded random evidence for the 2021 rubric with ``random_evidence``
   of ``benchmarks/score_2021.py`` (every field, realistic ranges, a few missing);
2. checks that ``list(rubric.score_many(rows, trace=…, jobs=N))`` gives
   ``[rubric.score(e, trace=…) for e in rows]`` for each ``N`` asked for, then
   times them, traced and untraced, in turns;
3. writes the rows as a CSV table (Vietnamese cells: ``có``, ``72,5%``,
   ``15/12/2021``) in a temporary folder and times ``htx-rules batch`` on it
   (in this process, through ``htx_rules.cli.main``, writing a CSV file) for
   each ``N``, checking that every ``N`` writes the same bytes.

The table gives the best wall time of ``--repeat`` runs, per row, rows per
second, the ratio to the loop (API) or to ``--jobs 1`` (command line), and the
CPU time of that run, per row, spent in this process and in the workers.
Worker processes only pay where CPUs are idle: the machine's load is printed
with the results, and the CPU columns tell what idle CPUs would give (the run
cannot be faster than this process's share).  This is a script, not a test:
timings are never asserted.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import random
import resource
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_2021 import machine, random_evidence

import htx_rules
from htx_rules.cli import main
from htx_rules.decimals import format_number

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "2021.rules"


class Timing(NamedTuple):
    """A variant's best wall time, and the CPU time of that run: this process's
    and its worker processes' (counted once they have ended)."""

    wall: float
    parent: float
    workers: float


def best(run: Callable[[], object], repeat: int) -> tuple[Timing, object]:
    """The best of ``repeat`` runs, and what the last run gave (each run starts
    after a garbage collection, with the previous run's results freed)."""
    timings = []
    value: object = None
    for _ in range(repeat):
        value = None
        gc.collect()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, start = time.process_time(), time.perf_counter()
        value = run()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        timings.append(Timing(wall, cpu, workers))
    return min(timings), value


def in_turns(variants: list[tuple[str, Callable[[], object]]], repeat: int) -> list[Timing]:
    """The best timing of each variant, run ``repeat`` times in turns."""
    timings: list[list[Timing]] = [[] for _ in variants]
    for _ in range(repeat):
        for index, (_, run) in enumerate(variants):
            timings[index].append(best(run, 1)[0])
    return [min(found) for found in timings]


def cell(field: Any, value: object) -> str:
    """A value as a person types it into a CSV cell, the Vietnamese way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if field.type == "percent":
        return format_number(Decimal(value), "vi") + "%"  # type: ignore[arg-type]
    if field.type == "date":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def write_table(rubric: htx_rules.Rubric, rows: list[dict[str, Any]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in rubric.fields])
    for row in rows:
        writer.writerow([cell(f, row.get(f.name)) for f in rubric.fields])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main_benchmark(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="rows (default 20,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant (default 3)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[1, 2], help="process counts (default: 1 2)"
    )
    args = parser.parse_args(argv)
    rubric = htx_rules.load(RUBRIC)
    rng = random.Random(args.seed)
    rows = [random_evidence(rng) for _ in range(args.count)]
    count = args.count

    table = []
    for traced in (False, True):
        label = "traced" if traced else "untraced"
        expected = [rubric.score(e, trace=traced) for e in rows]
        for jobs in args.jobs:
            got = list(rubric.score_many(rows, trace=traced, jobs=jobs))
            if got != expected:
                print(f"score_many(jobs={jobs}) differs from score()", file=sys.stderr)
                return 1
            del got
        del expected
        # In turns, so that each variant meets the same state of the machine.
        # Each result is dropped as soon as it is made, as a program streaming
        # a table would: keeping 20,000 results alive would time the garbage
        # collector scanning them as much as the scoring.
        variants: list[tuple[str, Callable[[], object]]] = [
            (
                f"score() in a loop, {label}",
                lambda t=traced: deque((rubric.score(e, trace=t) for e in rows), maxlen=0),
            )
        ]
        variants += [
            (
                f"score_many(jobs={jobs}), {label}",
                lambda t=traced, j=jobs: deque(rubric.score_many(rows, trace=t, jobs=j), maxlen=0),
            )
            for jobs in args.jobs
        ]
        timings = in_turns(variants, args.repeat)
        loop_time = timings[0].wall
        table += [
            [name, timing, loop_time] for (name, _), timing in zip(variants, timings, strict=True)
        ]

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "bang.csv")
        write_table(rubric, rows, source)
        outputs: dict[int, bytes] = {}
        cli_base = None
        for jobs in args.jobs:
            target = Path(folder, f"ket-qua-{jobs}.csv")
            command = ["batch", str(RUBRIC), str(source), "--out", str(target)]
            command += ["--jobs", str(jobs), "--no-progress"]

            def run(command: list[str] = command) -> int:
                return main(command, stdout=io.StringIO(), stderr=io.StringIO())

            elapsed, status = best(run, args.repeat)
            if status != 0:
                print(f"htx-rules batch --jobs {jobs} exited with {status}", file=sys.stderr)
                return 1
            outputs[jobs] = target.read_bytes()
            cli_base = cli_base or elapsed.wall
            table.append([f"htx-rules batch --jobs {jobs} (CSV in, CSV out)", elapsed, cli_base])
        if len(set(outputs.values())) != 1:
            print("htx-rules batch writes different bytes for different --jobs", file=sys.stderr)
            return 1

    print(tabulate(machine(), tablefmt="plain"))
    print(f"load average  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"rows          {count:,}, best of {args.repeat}\n")
    rows_table = []
    for name, timing, base in table:
        per_row = [x / count * 1e6 for x in timing]
        rows_table.append(
            [
                name,
                f"{per_row[0]:.1f}",
                f"{count / timing.wall:,.0f}",
                f"{base / timing.wall:.2f}",
                f"{per_row[1]:.1f}",
                f"{per_row[2]:.1f}" if timing.workers else "—",
            ]
        )
    print(
        tabulate(
            rows_table,
            headers=[
                "variant",
                "µs/row",
                "rows/s",
                "speed-up",
                "CPU µs/row here",
                "CPU µs/row workers",
            ],
            colalign=("left", "right", "right", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main_benchmark())
