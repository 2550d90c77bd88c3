"""How fast htx_rules gets the 2021 rubric ready: import, cold compile, cached load.

Run from the repository root::

    uv run python benchmarks/load_2021.py              # 7 runs of each case
    uv run python benchmarks/load_2021.py --repeat 15

Every case runs in a fresh Python process (started with this interpreter,
``python -c``), which times itself with ``time.perf_counter`` and reports
back; the table shows the median and the best of ``--repeat`` runs.  The
cases, each with its own cache folder state (``HTX_RULES_CACHE_DIR``):

* ``import htx_rules`` alone;
* **cold compile**: the compiled-rubric cache has no entry for the rubric,
  the parser tables are cached (the usual first load after editing a rubric).
  The process imports htx_rules, then the compiler (Lark, the parser, the
  builder, the checker: a cached load does not need them), then calls
  ``htx_rules.load(path)``, which compiles and writes the entry; both steps
  are timed, and their sum is what ``load`` costs after ``import htx_rules``;
* **fully cold**: no cache at all (``HTX_RULES_CACHE_DIR`` empty), so the
  parser tables are built from the grammar too;
* **cached load**: the entry exists; ``htx_rules.load(path)`` after
  ``import htx_rules``.  The process also reports whether Lark got imported;
* the whole process (interpreter start to rubric ready), timed from outside,
  for the cold compile and the cached load.

Each process reports wall time (``time.perf_counter``) and CPU time
(``time.process_time``, less disturbed by other work on the machine).  Runs
are interleaved (one of each case, then again), so a busy machine slows every
case alike.  ``--checkout FOLDER`` measures the htx_rules of another checkout
(for example an older commit, ``git archive COMMIT | tar -x -C FOLDER``) with
the same method; before the compiled-rubric cache existed, its "cached load"
is a compile.  This is a script, not a test: timings are never asserted
in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_2021 import RUBRIC, machine

ROOT = RUBRIC.parent.parent

TARGET_COLD_MS = 50.0
TARGET_CACHED_MS = 5.0

# The measuring process: argv[1] is the case, argv[2] the rubric.
PROBE = """
import json, sys, time
def now():
    return time.perf_counter(), time.process_time()
def since(then):
    wall, cpu = now()
    return wall - then[0], cpu - then[1]
start = now()
import htx_rules
times = {"import": since(start)}
imported = now()
case, path = sys.argv[1], sys.argv[2]
assert htx_rules.__file__.startswith(sys.argv[3]), htx_rules.__file__
if case in ("cold", "nocache"):
    import htx_rules.parser, htx_rules.builder, htx_rules.checker
    times["compiler"] = since(imported)
    compiler = now()
    htx_rules.load(path)
    times["compile"] = since(compiler)
elif case == "cached":
    htx_rules.load(path)
    times["load"] = since(imported)
    times["lark"] = "lark" in sys.modules
print(json.dumps(times))
"""


#: Set by ``--checkout``: the htx_rules of another checkout, measured instead.
CHECKOUT: list[str] = []


def probe(case: str, cache: str) -> tuple[dict[str, Any], float]:
    """One fresh process for ``case``: its own timings, and its whole wall time."""
    env = {**os.environ, "HTX_RULES_CACHE_DIR": cache}
    if CHECKOUT:
        env["PYTHONPATH"] = CHECKOUT[0]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, case, str(RUBRIC), CHECKOUT[0] if CHECKOUT else str(ROOT)],
        cwd=CHECKOUT[0] if CHECKOUT else ROOT,  # python -c imports from its folder first
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    return json.loads(done.stdout), wall


def forget_rubrics(folder: Path) -> None:
    """Delete the compiled-rubric entries, keeping the parser tables."""
    for entry in folder.glob("rubric-*.pickle"):
        entry.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--repeat", type=int, default=7, help="runs of each case (default 7)")
    options.add_argument(
        "--checkout",
        help="measure the htx_rules of this folder (another checkout, such as an older "
        "commit's `git archive`) instead of this one",
    )
    args = options.parse_args(argv)
    if args.checkout:
        CHECKOUT.append(str(Path(args.checkout).resolve()))

    folder = Path(tempfile.mkdtemp(prefix="htx-rules-load-"))
    try:
        probe("cold", str(folder))  # fills the parser tables (and compiles .pyc files)
        samples: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        lark_in_cached = False

        def add(name: str, *parts: tuple[float, float]) -> None:
            samples.setdefault(name, []).append(sum(p[0] for p in parts) * 1000)
            cpu.setdefault(name, []).append(sum(p[1] for p in parts) * 1000)

        for _ in range(args.repeat):
            times, _wall = probe("import", str(folder))
            add("import", times["import"])
            forget_rubrics(folder)
            times, wall = probe("cold", str(folder))
            add("cold-compiler", times["compiler"])
            add("cold-compile", times["compile"])
            add("cold", times["compiler"], times["compile"])
            samples.setdefault("cold-process", []).append(wall * 1000)
            times, wall = probe("cached", str(folder))
            add("cached", times["load"])
            samples.setdefault("cached-process", []).append(wall * 1000)
            lark_in_cached = lark_in_cached or bool(times["lark"])
            times, _wall = probe("nocache", "")
            add("nocache", times["compiler"], times["compile"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def row(label: str, name: str) -> list[str]:
        values = samples[name]
        used = f"{statistics.median(cpu[name]):.1f}" if name in cpu else ""
        return [label, f"{statistics.median(values):.1f}", f"{min(values):.1f}", used]

    measured = f" (htx_rules of {args.checkout})" if args.checkout else ""
    print(f"rubrics/2021.rules, a fresh process for each run, {args.repeat} runs of each{measured}")
    print(
        tabulate(
            [
                row("import htx_rules", "import"),
                row("cold compile: load() after import htx_rules, no entry", "cold"),
                row("  importing the compiler (Lark, parser, builder, checker)", "cold-compiler"),
                row("  compiling and writing the entry", "cold-compile"),
                row("fully cold: the same with no cache at all", "nocache"),
                row("cached load: load() after import htx_rules", "cached"),
                row("whole process, cold compile (start to rubric ready)", "cold-process"),
                row("whole process, cached load", "cached-process"),
            ],
            headers=["case", "ms (median)", "ms (best)", "CPU ms (median)"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
            preserve_whitespace=True,
        )
    )
    print(f"\nLark imported by a cached load: {'yes' if lark_in_cached else 'no'}")
    print()
    print(tabulate(machine(), headers=["machine", ""], disable_numparse=True))
    print()
    median = {name: statistics.median(values) for name, values in samples.items()}
    checks = [
        (
            f"cold compile ≤ {TARGET_COLD_MS:g} ms (the compiler imported first)",
            median["cold-compile"],
            TARGET_COLD_MS,
        ),
        (
            f"cold compile ≤ {TARGET_COLD_MS:g} ms, importing the compiler included",
            median["cold"],
            TARGET_COLD_MS,
        ),
        (f"cached load ≤ {TARGET_CACHED_MS:g} ms", median["cached"], TARGET_CACHED_MS),
    ]
    print(
        tabulate(
            [
                [target, f"{value:.1f} ms", "met" if value <= limit else "NOT met"]
                for target, value, limit in checks
            ],
            headers=["target (medians)", "measured", ""],
            disable_numparse=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
