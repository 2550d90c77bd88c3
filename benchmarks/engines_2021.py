"""The 2021 rubric in other rule engines, against htx_rules and a hand-written function.

Run from the repository root (the other engines are in the ``bench`` dependency
group, which ``uv run pytest`` does not install)::

    uv run --group bench python benchmarks/engines_2021.py
    uv run --group bench python benchmarks/engines_2021.py --count 50000 --repeat 7 \
        --seed 3 --engines rule-engine,cel-python

One process, the evidence of ``score_2021.py`` (seeded, ``--count`` dicts).  Rows:

- the hand-written baseline ``hand_written_total`` (from ``score_2021.py``), and
  :func:`hand_written_traced`, the same building a trace list (per criterion: id,
  points, branch taken);
- htx_rules, untraced and traced;
- each other engine with the whole 2021 total as **one** compiled expression.

The rubric is written once, in :func:`rubric_total`, against a small builder
(:class:`Dialect`) that each engine implements in its own syntax, so every engine
gets the same rules.  Points are scaled integers (hundredths of a point), as in the
baseline; what an engine cannot express is said in its dialect's docstring.
Before anything is timed, every engine's total is compared with htx_rules' total
for **every** dict; the first difference stops the script (exit status 1).

htx_rules validates the evidence (types, ranges, choices) on every call; the other
engines and the baseline do not.  Where an engine needs its input converted (for
example percentages to tenths, because it has no exact decimals), the conversion
runs inside the timed loop: a user of that engine pays it too.

cel-python interprets CEL at about 50 ms per dict: with it, the default 20,000
dicts take over an hour; ``--engines`` and a smaller ``--count`` keep it short.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_2021 import (
    RUBRIC,
    Evidence,
    hand_written_total,
    hand_written_traced,
    interleaved,
    machine,
    random_evidence,
    timing_table,
)

PERCENTS = ("ty_le_htx_danh_gia", "ty_le_dai_hoi", "ty_le_tht_hop_dong", "ty_le_htx_bao_cao")


# ---------------------------------------------------------------- the rubric, once


class Dialect:
    """Builds one expression in an engine's language.  The default builds infix
    text (rule-engine's syntax); subclasses override what differs.  Every value is
    an integer number of hundredths of a point; percentages are compared in
    ``pct_scale`` units (1 for exact decimals, 10 for tenths as integers)."""

    name = "rule-engine"
    pct_scale = 1
    null = "null"

    def var(self, x: str) -> Any:
        return x

    def num(self, n: int) -> Any:
        return str(n)

    def text(self, s: str) -> Any:
        return json.dumps(s)

    def present(self, x: str) -> Any:
        return f"({self.var(x)} != {self.null})"

    def yes(self, x: str) -> Any:
        return f"({self.var(x)} == true)"

    def op(self, o: str, a: Any, b: Any) -> Any:
        o = {"&&": "and", "||": "or"}.get(o, o)
        return f"({a} {o} {b})"

    def add(self, *xs: Any) -> Any:
        return "(" + " + ".join(xs) + ")"

    def when(self, c: Any, a: Any, b: Any) -> Any:
        return f"({c} ? {a} : {b})"

    def min(self, a: Any, b: Any) -> Any:
        return f"$min([{a}, {b}])"

    def max(self, a: Any, b: Any) -> Any:
        return f"$max([{a}, {b}])"

    def floordiv(self, a: Any, b: Any) -> Any:
        return f"({a} // {b})"

    def after(self, x: str, day: str) -> Any:
        return f"({self.var(x)} > {self.text(day)})"


def rubric_total(d: Dialect) -> Any:
    """The 2021 total, in hundredths, as one expression of dialect ``d``: the same
    rules as ``hand_written_total`` (a missing value scores 0)."""
    v, n, op, when, has, mn = d.var, d.num, d.op, d.when, d.present, d.min

    def all_present(*xs: str) -> Any:
        c = has(xs[0])
        for x in xs[1:]:
            c = op("&&", c, has(x))
        return c

    def yes(x: str, points: int) -> Any:
        return when(d.yes(x), n(points), n(0))

    def each(x: str, step: int, cap: int) -> Any:
        return when(has(x), mn(op("*", n(step), v(x)), n(cap)), n(0))

    def steps(x: str, pairs: Sequence[tuple[int, int]], last: Any = None) -> Any:
        out = n(0) if last is None else last
        for bound, points in reversed(pairs):
            out = when(op(">=", v(x), n(bound * d.pct_scale)), n(points), out)
        return when(has(x), out, n(0))

    def linear(a: str, t: str, most: int) -> Any:
        value = d.floordiv(op("+", op("*", n(2 * most), v(a)), v(t)), op("*", n(2), v(t)))
        return when(
            all_present(a, t),
            when(op("==", v(t), n(0)), n(most), mn(value, n(most))),
            n(0),
        )

    def report(x: str) -> Any:
        return when(
            has(x),
            when(
                op("==", v(x), d.text("dung_han")),
                n(200),
                when(op("==", v(x), d.text("tre_han")), n(100), n(0)),
            ),
            n(0),
        )

    def over(a: str, t: str, step: int, cap: int) -> Any:
        return when(
            op("&&", all_present(a, t), op(">", v(a), v(t))),
            mn(op("*", n(step), op("-", v(a), v(t))), n(cap)),
            n(0),
        )

    part = d.add(
        when(d.yes("bcd_quyet_dinh"), d.add(n(150), yes("bcd_quy_che", 150)), n(0)),
        yes("so_ket_6_thang", 150),
        yes("tong_ket_nam", 150),
        yes("can_bo_chuyen_trach", 200),
        yes("ke_hoach_kttt", 200),
        yes("ke_hoach_thi_dua", 200),
        yes("van_ban_trien_khai", 200),
        each("hoi_nghi_tuyen_truyen", 100, 300),
        each("tin_bai_tuyen_truyen", 50, 300),
        when(
            has("xa_chua_dat_tc13"),
            op("-", n(400), mn(op("*", n(50), v("xa_chua_dat_tc13")), n(150))),
            n(0),
        ),
        when(op("&&", has("mo_hinh_chuoi"), op(">=", v("mo_hinh_chuoi"), n(1))), n(500), n(0)),
        yes("ngan_sach_ho_tro", 200),
        linear("htx_duoc_ho_tro", "ke_hoach_ho_tro", 300),
        each("can_bo_tre", 100, 300),
        steps("ty_le_htx_danh_gia", ((90, 200), (70, 100))),
        steps("ty_le_dai_hoi", ((80, 200), (60, 100))),
        report("bao_cao_6_thang"),
        report("bao_cao_nam"),
        when(
            has("bao_cao_dot_xuat_tre"),
            when(
                op("==", v("bao_cao_dot_xuat_tre"), n(0)),
                n(200),
                when(op("==", v("bao_cao_dot_xuat_tre"), n(1)), n(100), n(0)),
            ),
            n(0),
        ),
        linear("tht_moi", "chi_tieu_tht", 400),
        steps(
            "ty_le_tht_hop_dong",
            ((80, 300), (50, 200)),
            when(op(">", v("ty_le_tht_hop_dong"), n(0)), n(100), n(0)),
        ),
        each("tht_nang_cap", 150, 300),
        linear("htx_moi", "chi_tieu_htx", 1000),
        when(
            all_present("tv_moi", "chi_tieu_tv"),
            when(
                op("||", op("==", v("chi_tieu_tv"), n(0)), op(">=", v("tv_moi"), v("chi_tieu_tv"))),
                n(500),
                d.max(
                    op(
                        "-",
                        n(500),
                        op(
                            "*",
                            n(100),
                            d.floordiv(
                                op("*", n(10), op("-", v("chi_tieu_tv"), v("tv_moi"))),
                                v("chi_tieu_tv"),
                            ),
                        ),
                    ),
                    n(0),
                ),
            ),
            n(0),
        ),
        when(
            op("&&", all_present("htx_kha_tot", "htx_xep_loai"), op(">", v("htx_xep_loai"), n(0))),
            when(
                op(">=", op("*", n(2), v("htx_kha_tot")), v("htx_xep_loai")),
                n(800),
                when(
                    op(">=", op("*", n(10), v("htx_kha_tot")), op("*", n(4), v("htx_xep_loai"))),
                    n(600),
                    when(
                        op(
                            ">=",
                            op("*", n(10), v("htx_kha_tot")),
                            op("*", n(3), v("htx_xep_loai")),
                        ),
                        n(400),
                        when(
                            op(">=", op("*", n(5), v("htx_kha_tot")), v("htx_xep_loai")),
                            n(200),
                            n(0),
                        ),
                    ),
                ),
            ),
            n(0),
        ),
        when(
            op(
                "&&",
                all_present("doanh_thu_bq_2021", "doanh_thu_bq_2020"),
                op(">", v("doanh_thu_bq_2020"), n(0)),
            ),
            when(
                op(
                    ">=",
                    op("*", n(10), op("-", v("doanh_thu_bq_2021"), v("doanh_thu_bq_2020"))),
                    v("doanh_thu_bq_2020"),
                ),
                n(400),
                when(op(">=", v("doanh_thu_bq_2021"), v("doanh_thu_bq_2020")), n(200), n(0)),
            ),
            n(0),
        ),
        each("htx_lien_ket", 100, 500),
        steps("ty_le_htx_bao_cao", ((90, 400), (70, 300), (50, 200))),
        when(
            has("htx_ngung_hoat_dong"),
            when(
                op("==", v("htx_ngung_hoat_dong"), n(0)),
                n(400),
                when(
                    has("htx_ngung_da_xu_ly"),
                    when(
                        op(">=", v("htx_ngung_da_xu_ly"), v("htx_ngung_hoat_dong")),
                        n(400),
                        when(
                            op(
                                ">=",
                                op("*", n(2), v("htx_ngung_da_xu_ly")),
                                v("htx_ngung_hoat_dong"),
                            ),
                            n(200),
                            n(0),
                        ),
                    ),
                    n(0),
                ),
            ),
            n(0),
        ),
    )
    bonus = d.add(
        when(op("&&", has("mo_hinh_chuoi"), op(">=", v("mo_hinh_chuoi"), n(2))), n(100), n(0)),
        over("htx_moi", "chi_tieu_htx", 50, 200),
        each("htx_dien_hinh", 50, 100),
        when(
            op("&&", has("lien_hiep_htx_moi"), op(">=", v("lien_hiep_htx_moi"), n(1))),
            n(100),
            n(0),
        ),
        over("tht_moi", "chi_tieu_tht", 25, 100),
    )
    deduction = d.add(
        when(
            op("&&", has("ngay_nop_bao_cao"), d.after("ngay_nop_bao_cao", "2021-12-20")),
            n(200),
            n(0),
        ),
        each("bao_cao_dot_xuat_tre", 50, 200),
        each("htx_moi_khong_hd", 100, 200),
        over("htx_ngung_hoat_dong", "htx_ngung_da_xu_ly", 50, 200),
        each("so_lieu_sai_lech", 50, 200),
    )
    return d.max(op("-", op("+", part, mn(bonus, n(500))), mn(deduction, n(500))), n(0))


class ZenDialect(Dialect):
    """zen-engine's expression language (ZEN).  Its numbers are decimals, but a
    Python ``Decimal`` cannot be passed in, and results come back as ``float``:
    percentages are passed as integer tenths (converted in the timed loop), and
    the total (whole hundredths, at most 10,500) is exact as a float and turned
    into an ``int``.  ISO dates are not comparable as text: ``date()`` parses them.
    The rubric is one expression evaluated with ``compile_expression``, not a
    decision graph (a graph node per criterion would only add overhead)."""

    name = "zen-engine"
    pct_scale = 10

    def min(self, a: Any, b: Any) -> Any:
        return f"min([{a}, {b}])"

    def max(self, a: Any, b: Any) -> Any:
        return f"max([{a}, {b}])"

    def floordiv(self, a: Any, b: Any) -> Any:
        return f"floor({a} / {b})"

    def after(self, x: str, day: str) -> Any:
        return f"(date({self.var(x)}) > date({self.text(day)}))"


class CelDialect(Dialect):
    """CEL (cel-python).  No decimals: percentages are passed as integer tenths.
    The evidence goes in as one map ``e`` (converted with ``json_to_cel``, in the
    timed loop, after dropping ``None`` values so ``has(e.x)`` is the presence
    test).  CEL has no ``min``/``max``: a conditional repeats its operands, so a
    capped sum (bonus, deduction) is evaluated twice, and the final clamp at 0
    repeats the whole total.  ``int / int`` truncates,
    which is floor division for the non-negative values used here."""

    name = "cel-python"
    pct_scale = 10

    def var(self, x: str) -> Any:
        return f"e.{x}"

    def present(self, x: str) -> Any:
        return f"has(e.{x})"

    def yes(self, x: str) -> Any:
        return f"(has(e.{x}) && e.{x})"

    def op(self, o: str, a: Any, b: Any) -> Any:
        return f"({a} {o} {b})"

    def min(self, a: Any, b: Any) -> Any:
        return f"({a} < {b} ? {a} : {b})"

    def max(self, a: Any, b: Any) -> Any:
        return f"({a} > {b} ? {a} : {b})"

    def floordiv(self, a: Any, b: Any) -> Any:
        return f"({a} / {b})"


class JsonLogicDialect(Dialect):
    """JsonLogic (datalogic-py).  No decimals: percentages are passed as integer
    tenths.  No floor division: ``a // b`` is written ``(a - a % b) / b``, exact
    for these small integers; results may come back as ``float`` and are turned
    into an ``int`` (whole hundredths, exact).  Equality is the strict ``===``."""

    name = "datalogic-py"
    pct_scale = 10

    def var(self, x: str) -> Any:
        return {"var": x}

    def num(self, n: int) -> Any:
        return n

    def text(self, s: str) -> Any:
        return s

    def present(self, x: str) -> Any:
        return {"!==": [self.var(x), None]}

    def yes(self, x: str) -> Any:
        return {"===": [self.var(x), True]}

    def op(self, o: str, a: Any, b: Any) -> Any:
        o = {"&&": "and", "||": "or", "==": "==="}.get(o, o)
        return {o: [a, b]}

    def add(self, *xs: Any) -> Any:
        return {"+": list(xs)}

    def when(self, c: Any, a: Any, b: Any) -> Any:
        return {"if": [c, a, b]}

    def min(self, a: Any, b: Any) -> Any:
        return {"min": [a, b]}

    def max(self, a: Any, b: Any) -> Any:
        return {"max": [a, b]}

    def floordiv(self, a: Any, b: Any) -> Any:
        return {"/": [{"-": [a, {"%": [a, b]}]}, b]}

    def after(self, x: str, day: str) -> Any:
        return {">": [self.var(x), day]}


def _tenths(e: Evidence) -> Evidence:
    """The evidence with percentages as integer tenths (72.5 -> 725), for engines
    without exact decimals."""
    out = dict(e)
    for name in PERCENTS:
        r = out.get(name)
        if r is not None:
            out[name] = int(r * 10)
    return out


# ---------------------------------------------------------------- the engines


def build_engine(name: str) -> Callable[[Evidence], int]:
    """A function scoring one evidence dict with engine ``name``, giving the total
    in hundredths.  Raises ImportError if the engine is not installed."""
    if name == "rule-engine":
        rule_engine = importlib.import_module("rule_engine")
        # rule-engine's numbers are Decimal: percentages go in as they are.
        rule = rule_engine.Rule(
            rubric_total(Dialect()), context=rule_engine.Context(default_value=None)
        )
        evaluate = rule.evaluate
        return lambda e: int(evaluate(e))
    if name == "zen-engine":
        zen = importlib.import_module("zen")
        expression = zen.compile_expression(rubric_total(ZenDialect()))
        zen_evaluate = expression.evaluate
        return lambda e: int(zen_evaluate(_tenths(e)))
    if name == "cel-python":
        celpy = importlib.import_module("celpy")
        env = celpy.Environment()
        program = env.program(env.compile(rubric_total(CelDialect())))
        to_cel = celpy.json_to_cel

        def cel(e: Evidence) -> int:
            plain = {k: v for k, v in _tenths(e).items() if v is not None}
            return int(program.evaluate({"e": to_cel(plain)}))

        return cel
    if name == "datalogic-py":
        datalogic = importlib.import_module("datalogic_py")
        rule = datalogic.Engine().compile(json.dumps(rubric_total(JsonLogicDialect())))
        dl_evaluate = rule.evaluate
        return lambda e: int(dl_evaluate(_tenths(e)))
    raise ValueError(f"unknown engine {name!r}")


ENGINES = ("rule-engine", "zen-engine", "cel-python", "datalogic-py")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="evidence dicts (20000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per variant (5)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (2021)")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help=f"comma-separated ({','.join(ENGINES)})"
    )
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.engines.split(",") if name.strip()]
    for name in wanted:
        if name not in ENGINES:
            parser.error(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")

    htx_rules = importlib.import_module("htx_rules")
    rubric = htx_rules.load(RUBRIC)
    rng = random.Random(args.seed)
    evidence = [random_evidence(rng) for _ in range(args.count)]
    expected = [int(rubric.score(e, trace=False).total * 100) for e in evidence]

    engines: list[tuple[str, Callable[[Evidence], int]]] = [
        ("hand-written Python (baseline)", hand_written_total),
        ("hand-written Python, trace list", lambda e: hand_written_traced(e)[0]),
    ]
    skipped = []
    for name in wanted:
        try:
            engines.append((name, build_engine(name)))
        except ImportError as error:
            print(f"SKIPPED {name}: not installed ({error}); run with `uv run --group bench`")
            skipped.append(name)
    for label, run in engines:
        for number, (e, total) in enumerate(zip(evidence, expected, strict=True)):
            try:
                mine = run(e)
            except Exception as error:
                print(
                    f"MISMATCH {label}, evidence #{number}: error {str(error)[:300]}; "
                    f"htx_rules {total / 100}"
                )
                print(f"evidence: {e}")
                return 1
            if mine != total:
                print(
                    f"MISMATCH {label}, evidence #{number}: {mine / 100} points, "
                    f"htx_rules {total / 100}"
                )
                print(f"evidence: {e}")
                return 1
    print(f"verified: every row gives htx_rules' total for all {len(evidence):,} evidence dicts")

    def loop(run: Callable[[Evidence], object]) -> Callable[[], None]:
        def timed() -> None:
            for e in evidence:
                run(e)

        return timed

    score = rubric.score

    def traced(e: Evidence) -> object:
        return score(e).scored.record

    rows: list[tuple[str, Callable[[Evidence], object]]] = [
        ("hand-written Python (baseline)", hand_written_total),
        ("hand-written Python, trace list", hand_written_traced),
        ("htx_rules  rubric.score(e, trace=False)", lambda e: score(e, trace=False)),
        ("htx_rules  rubric.score(e)  (trace recorded)", traced),
    ]
    rows += [(label, run) for label, run in engines[2:]]
    measured = interleaved([(label, loop(run)) for label, run in rows], args.repeat)
    print()
    print(f"{args.count:,} evidence dicts (seed {args.seed}), best and median of {args.repeat}")
    print(timing_table(measured, args.count))
    print()
    print(tabulate(machine(), headers=["machine", ""], disable_numparse=True))
    # The other engines compute a total and no trace: the like-for-like row is
    # htx_rules untraced (which also validates the evidence; they do not).
    untraced, traced_best = measured[2][1], measured[3][1]
    print()
    for label, best, _ in measured[4:]:
        verdict = "slower" if best > untraced else "NOT slower"
        print(
            f"{label}: {best / untraced:.2f}× htx_rules untraced ({verdict}), "
            f"{best / traced_best:.2f}× htx_rules traced"
        )
    for name in skipped:
        print(f"{name}: skipped (not installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
