"""How fast the engine scores the 2021 rubric, against a hand-written function.

Run from the repository root::

    uv run python benchmarks/score_2021.py            # 20,000 evidence dicts, 5 repetitions
    uv run python benchmarks/score_2021.py --count 50000 --repeat 7 --seed 3

What it does, in one process:

1. compiles ``rubrics/2021.rules`` with :func:`htx_rules.loads` — first the
   compile that also builds the (cached) Lark parser, then repeated compiles;
2. generates seeded random evidence for the 2021 rubric: every declared field,
   realistic ranges, percentages sometimes as ``Decimal`` with one decimal,
   dates as ISO strings, some fields missing (left out or ``None``), and edge
   cases (targets of 0, a revenue of 0 the year before);
3. checks that :func:`hand_written_total` — what a programmer would write for
   speed, with no engine — gives the engine's total for every dict, and stops
   (exit status 1) at the first difference;
4. times the hand-written function (the baseline), the same building a trace
   list (:func:`hand_written_traced`: per criterion its id, points and branch —
   the traced baseline), ``rubric.score(e,
   trace=False)``, ``rubric.score(e)`` (traced: the generated code records each
   rule's raw value and branch, the complete trace data) and
   ``rubric.score(e).trace`` (the same, and the tree of trace nodes built from
   the record, as happens the first time a result's trace is read), each over
   every dict, several times, and prints the best and median time per dict,
   evaluations per second and the ratio to the baseline (the ratio uses the
   best times).  ``rubric.validate(e)`` alone is timed too: it is the part of
   every engine row that the baseline does not do (checking the evidence).

This is a script, not a test: timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "2021.rules"

#: the issue's targets, as ratios to the hand-written baseline in the same run
TARGET_UNTRACED_RATIO = 1.5
TARGET_TRACED_RATIO = 2.0

Evidence = dict[str, Any]


# ---------------------------------------------------------------- the baseline


def _linear(most: int, actual: int, target: int) -> int:
    """``target ... : linear`` in hundredths of a point: ``most * actual / target``
    rounded half-up to 2 decimals (exact integer arithmetic), at most ``most``.
    A target of 0 counts as achieved."""
    if target == 0:
        return most
    value = (2 * most * actual + target) // (2 * target)
    return most if value > most else value


_REPORT = {"dung_han": 200, "tre_han": 100, "khong_gui": 0}


def hand_written_total(e: Evidence) -> int:
    """The 2021 total in hundredths of a point, written by hand for speed.

    A rule whose evidence is missing scores 0, as in the engine.  Every value is
    an exact integer number of hundredths: 0.25 and 0.5 steps, linear targets
    rounded half-up, ratios compared by cross-multiplying.
    """
    g = e.get
    # Part I (max 50) ------------------------------------------------------
    p = 0
    if g("bcd_quyet_dinh"):
        p += 150
        if g("bcd_quy_che"):  # I.1.b requires I.1.a
            p += 150
    if g("so_ket_6_thang"):
        p += 150
    if g("tong_ket_nam"):
        p += 150
    if g("can_bo_chuyen_trach"):
        p += 200
    if g("ke_hoach_kttt"):
        p += 200
    if g("ke_hoach_thi_dua"):
        p += 200
    if g("van_ban_trien_khai"):
        p += 200
    n = g("hoi_nghi_tuyen_truyen")
    if n is not None:
        p += min(100 * n, 300)
    n = g("tin_bai_tuyen_truyen")
    if n is not None:
        p += min(50 * n, 300)
    n = g("xa_chua_dat_tc13")
    if n is not None:
        p += 400 - min(50 * n, 150)
    chains = g("mo_hinh_chuoi")
    if chains is not None and chains >= 1:
        p += 500
    if g("ngan_sach_ho_tro"):
        p += 200
    a, t = g("htx_duoc_ho_tro"), g("ke_hoach_ho_tro")
    if a is not None and t is not None:
        p += _linear(300, a, t)
    n = g("can_bo_tre")
    if n is not None:
        p += min(100 * n, 300)
    r = g("ty_le_htx_danh_gia")
    if r is not None:
        p += 200 if r >= 90 else 100 if r >= 70 else 0
    r = g("ty_le_dai_hoi")
    if r is not None:
        p += 200 if r >= 80 else 100 if r >= 60 else 0
    # I.9.c is assessed by a reviewer; bulk scoring here gives no assessment: 0.
    c = g("bao_cao_6_thang")
    if c is not None:
        p += _REPORT[c]
    c = g("bao_cao_nam")
    if c is not None:
        p += _REPORT[c]
    late = g("bao_cao_dot_xuat_tre")
    if late is not None:
        p += 200 if late == 0 else 100 if late == 1 else 0
    # Part II (max 10) -----------------------------------------------------
    groups, groups_target = g("tht_moi"), g("chi_tieu_tht")
    if groups is not None and groups_target is not None:
        p += _linear(400, groups, groups_target)
    r = g("ty_le_tht_hop_dong")
    if r is not None:
        p += 300 if r >= 80 else 200 if r >= 50 else 100 if r > 0 else 0
    n = g("tht_nang_cap")
    if n is not None:
        p += min(150 * n, 300)
    # Part III (max 40) ----------------------------------------------------
    coops, coops_target = g("htx_moi"), g("chi_tieu_htx")
    if coops is not None and coops_target is not None:
        p += _linear(1000, coops, coops_target)
    a, t = g("tv_moi"), g("chi_tieu_tv")
    if a is not None and t is not None:
        if t == 0 or a >= t:
            p += 500
        else:  # minus 1 per full 10% short
            p += max(500 - 100 * ((10 * (t - a)) // t), 0)
    good, rated = g("htx_kha_tot"), g("htx_xep_loai")
    if good is not None and rated is not None and rated != 0:
        if 2 * good >= rated:
            p += 800
        elif 10 * good >= 4 * rated:
            p += 600
        elif 10 * good >= 3 * rated:
            p += 400
        elif 5 * good >= rated:
            p += 200
    now, before = g("doanh_thu_bq_2021"), g("doanh_thu_bq_2020")
    if now is not None and before is not None and before != 0:
        if 10 * (now - before) >= before:
            p += 400
        elif now >= before:
            p += 200
    n = g("htx_lien_ket")
    if n is not None:
        p += min(100 * n, 500)
    r = g("ty_le_htx_bao_cao")
    if r is not None:
        p += 400 if r >= 90 else 300 if r >= 70 else 200 if r >= 50 else 0
    stopped = g("htx_ngung_hoat_dong")
    handled = g("htx_ngung_da_xu_ly")
    if stopped is not None:
        if stopped == 0:
            p += 400
        elif handled is not None:
            p += 400 if handled >= stopped else 200 if 2 * handled >= stopped else 0
    # Bonus (cap 5) --------------------------------------------------------
    b = 0
    if chains is not None and chains >= 2:
        b += 100
    if coops is not None and coops_target is not None and coops > coops_target:
        b += min(50 * (coops - coops_target), 200)
    n = g("htx_dien_hinh")
    if n is not None:
        b += min(50 * n, 100)
    n = g("lien_hiep_htx_moi")
    if n is not None and n >= 1:
        b += 100
    if groups is not None and groups_target is not None and groups > groups_target:
        b += min(25 * (groups - groups_target), 100)
    # Deduction (cap 5) ----------------------------------------------------
    d = 0
    day = g("ngay_nop_bao_cao")
    if day is not None and day > "2021-12-20":  # ISO dates compare as text
        d += 200
    if late is not None:
        d += min(50 * late, 200)
    n = g("htx_moi_khong_hd")
    if n is not None:
        d += min(100 * n, 200)
    if stopped is not None and handled is not None and stopped > handled:
        d += min(50 * (stopped - handled), 200)
    n = g("so_lieu_sai_lech")
    if n is not None:
        d += min(50 * n, 200)
    total = p + min(b, 500) - min(d, 500)
    return total if total > 0 else 0


# ---------------------------------------------------------------- baseline, traced

Trace = list[tuple[str, int, str]]


def _lin(most: int, actual: int, target: int) -> tuple[int, str]:
    if target == 0:
        return most, "target 0"
    value = (2 * most * actual + target) // (2 * target)
    return (most, "capped") if value > most else (value, "linear")


def _steps(r: Any, steps: Sequence[tuple[Any, int]]) -> tuple[int, str]:
    for bound, points in steps:
        if r >= bound:
            return points, f">= {bound}"
    return 0, "below"


def hand_written_traced(e: Evidence) -> tuple[int, Trace]:
    """:func:`hand_written_total`, also building a trace list: for every criterion
    and bonus/deduction rule, ``(id, points in hundredths, branch taken)``."""
    g = e.get
    t: Trace = []
    add = t.append

    def yes(cid: str, name: str, points: int) -> int:
        v = g(name)
        if v is None:
            add((cid, 0, "missing"))
            return 0
        add((cid, points if v else 0, "yes" if v else "no"))
        return points if v else 0

    def each(cid: str, name: str, step: int, cap: int) -> int:
        n = g(name)
        if n is None:
            add((cid, 0, "missing"))
            return 0
        points = min(step * n, cap)
        add((cid, points, "capped" if step * n > cap else "per unit"))
        return points

    def pct(cid: str, name: str, steps: Sequence[tuple[int, int]]) -> int:
        r = g(name)
        if r is None:
            add((cid, 0, "missing"))
            return 0
        points, branch = _steps(r, steps)
        add((cid, points, branch))
        return points

    def choice(cid: str, name: str) -> int:
        c = g(name)
        if c is None:
            add((cid, 0, "missing"))
            return 0
        add((cid, _REPORT[c], c))
        return _REPORT[c]

    def linear(cid: str, actual: str, target: str, most: int) -> int:
        a, tg = g(actual), g(target)
        if a is None or tg is None:
            add((cid, 0, "missing"))
            return 0
        points, branch = _lin(most, a, tg)
        add((cid, points, branch))
        return points

    p = yes("I.1.a", "bcd_quyet_dinh", 150)
    if p:
        p += yes("I.1.b", "bcd_quy_che", 150)
    else:
        add(("I.1.b", 0, "requires I.1.a"))
    p += yes("I.2.a", "so_ket_6_thang", 150)
    p += yes("I.2.b", "tong_ket_nam", 150)
    p += yes("I.3", "can_bo_chuyen_trach", 200)
    p += yes("I.4.a", "ke_hoach_kttt", 200)
    p += yes("I.4.b", "ke_hoach_thi_dua", 200)
    p += yes("I.4.c", "van_ban_trien_khai", 200)
    p += each("I.5.a", "hoi_nghi_tuyen_truyen", 100, 300)
    p += each("I.5.b", "tin_bai_tuyen_truyen", 50, 300)
    n = g("xa_chua_dat_tc13")
    if n is None:
        add(("I.6", 0, "missing"))
    else:
        points = 400 - min(50 * n, 150)
        add(("I.6", points, "deduct per commune"))
        p += points
    chains = g("mo_hinh_chuoi")
    if chains is None:
        add(("I.7", 0, "missing"))
    else:
        points = 500 if chains >= 1 else 0
        add(("I.7", points, ">= 1" if points else "none"))
        p += points
    p += yes("I.8.a", "ngan_sach_ho_tro", 200)
    p += linear("I.8.b", "htx_duoc_ho_tro", "ke_hoach_ho_tro", 300)
    p += each("I.8.c", "can_bo_tre", 100, 300)
    p += pct("I.9.a", "ty_le_htx_danh_gia", ((90, 200), (70, 100)))
    p += pct("I.9.b", "ty_le_dai_hoi", ((80, 200), (60, 100)))
    add(("I.9.c", 0, "not assessed"))
    p += choice("I.10.a", "bao_cao_6_thang")
    p += choice("I.10.b", "bao_cao_nam")
    late = g("bao_cao_dot_xuat_tre")
    if late is None:
        add(("I.10.c", 0, "missing"))
    else:
        points = 200 if late == 0 else 100 if late == 1 else 0
        add(("I.10.c", points, f"{min(late, 2)} late"))
        p += points
    p += linear("II.1", "tht_moi", "chi_tieu_tht", 400)
    r = g("ty_le_tht_hop_dong")
    if r is None:
        add(("II.2", 0, "missing"))
    else:
        points, branch = _steps(r, ((80, 300), (50, 200)))
        if not points and r > 0:
            points, branch = 100, "> 0"
        add(("II.2", points, branch))
        p += points
    p += each("II.3", "tht_nang_cap", 150, 300)
    p += linear("III.1", "htx_moi", "chi_tieu_htx", 1000)
    a, tg = g("tv_moi"), g("chi_tieu_tv")
    if a is None or tg is None:
        add(("III.2", 0, "missing"))
    elif tg == 0 or a >= tg:
        add(("III.2", 500, "target met"))
        p += 500
    else:
        points = max(500 - 100 * ((10 * (tg - a)) // tg), 0)
        add(("III.2", points, "short"))
        p += points
    good, rated = g("htx_kha_tot"), g("htx_xep_loai")
    if good is None or rated is None or rated == 0:
        add(("III.3", 0, "missing or none rated"))
    else:
        if 2 * good >= rated:
            points, branch = 800, ">= 50%"
        elif 10 * good >= 4 * rated:
            points, branch = 600, ">= 40%"
        elif 10 * good >= 3 * rated:
            points, branch = 400, ">= 30%"
        elif 5 * good >= rated:
            points, branch = 200, ">= 20%"
        else:
            points, branch = 0, "below"
        add(("III.3", points, branch))
        p += points
    now, before = g("doanh_thu_bq_2021"), g("doanh_thu_bq_2020")
    if now is None or before is None or before == 0:
        add(("III.4", 0, "missing or no revenue before"))
    else:
        points = 400 if 10 * (now - before) >= before else 200 if now >= before else 0
        add(("III.4", points, {400: "+10%", 200: "not lower", 0: "lower"}[points]))
        p += points
    p += each("III.5", "htx_lien_ket", 100, 500)
    p += pct("III.6", "ty_le_htx_bao_cao", ((90, 400), (70, 300), (50, 200)))
    stopped, handled = g("htx_ngung_hoat_dong"), g("htx_ngung_da_xu_ly")
    if stopped is None:
        add(("III.7", 0, "missing"))
    elif stopped == 0:
        add(("III.7", 400, "none stopped"))
        p += 400
    elif handled is None:
        add(("III.7", 0, "missing"))
    else:
        points = 400 if handled >= stopped else 200 if 2 * handled >= stopped else 0
        add(("III.7", points, "handled share"))
        p += points
    coops, coops_target = g("htx_moi"), g("chi_tieu_htx")
    groups, groups_target = g("tht_moi"), g("chi_tieu_tht")
    b = 0
    points = 100 if chains is not None and chains >= 2 else 0
    add(("B1", points, ">= 2" if points else "no"))
    b += points
    points = 0
    if coops is not None and coops_target is not None and coops > coops_target:
        points = min(50 * (coops - coops_target), 200)
    add(("B2", points, "over target" if points else "no"))
    b += points
    b += each("B3", "htx_dien_hinh", 50, 100)
    n = g("lien_hiep_htx_moi")
    points = 100 if n is not None and n >= 1 else 0
    add(("B4", points, ">= 1" if points else "no"))
    b += points
    points = 0
    if groups is not None and groups_target is not None and groups > groups_target:
        points = min(25 * (groups - groups_target), 100)
    add(("B5", points, "over target" if points else "no"))
    b += points
    d = 0
    day = g("ngay_nop_bao_cao")
    points = 200 if day is not None and day > "2021-12-20" else 0
    add(("D1", points, "late" if points else "on time or missing"))
    d += points
    points = min(50 * late, 200) if late is not None else 0
    add(("D2", points, "per late report"))
    d += points
    d += each("D3", "htx_moi_khong_hd", 100, 200)
    points = 0
    if stopped is not None and handled is not None and stopped > handled:
        points = min(50 * (stopped - handled), 200)
    add(("D4", points, "per unhandled" if points else "no"))
    d += points
    d += each("D5", "so_lieu_sai_lech", 50, 200)
    total = p + min(b, 500) - min(d, 500)
    return (total if total > 0 else 0), t


# ---------------------------------------------------------------- evidence

_YES_NO = (
    "bcd_quyet_dinh",
    "bcd_quy_che",
    "so_ket_6_thang",
    "tong_ket_nam",
    "can_bo_chuyen_trach",
    "ke_hoach_kttt",
    "ke_hoach_thi_dua",
    "van_ban_trien_khai",
    "ngan_sach_ho_tro",
)
_COUNTS = {  # field: (low, high), inclusive
    "hoi_nghi_tuyen_truyen": (0, 6),
    "tin_bai_tuyen_truyen": (0, 12),
    "xa_chua_dat_tc13": (0, 8),
    "mo_hinh_chuoi": (0, 4),
    "htx_duoc_ho_tro": (0, 10),
    "ke_hoach_ho_tro": (0, 10),
    "can_bo_tre": (0, 5),
    "bao_cao_dot_xuat_tre": (0, 4),
    "tht_moi": (0, 15),
    "chi_tieu_tht": (0, 10),
    "tht_nang_cap": (0, 4),
    "htx_moi": (0, 12),
    "chi_tieu_htx": (0, 8),
    "tv_moi": (0, 400),
    "chi_tieu_tv": (0, 300),
    "htx_lien_ket": (0, 8),
    "htx_ngung_hoat_dong": (0, 6),
    "htx_ngung_da_xu_ly": (0, 6),
    "htx_dien_hinh": (0, 4),
    "lien_hiep_htx_moi": (0, 2),
    "htx_moi_khong_hd": (0, 3),
    "so_lieu_sai_lech": (0, 3),
}
_PERCENTS = ("ty_le_htx_danh_gia", "ty_le_dai_hoi", "ty_le_tht_hop_dong", "ty_le_htx_bao_cao")
_CHOICES = ("bao_cao_6_thang", "bao_cao_nam")
_FIRST_DAY = datetime.date(2021, 12, 1)


def random_evidence(rng: random.Random) -> Evidence:
    """One district's evidence: every declared field, a few of them missing."""
    e: Evidence = {}
    for name in _YES_NO:
        e[name] = rng.random() < 0.8
    for name, (low, high) in _COUNTS.items():
        e[name] = rng.randint(low, high)
    rated = rng.randint(0, 40)
    e["htx_xep_loai"] = rated
    e["htx_kha_tot"] = rng.randint(0, rated)
    for name in _PERCENTS:
        if rng.random() < 0.4:
            e[name] = Decimal(rng.randint(0, 1000)).scaleb(-1)  # one decimal: 72.5
        else:
            e[name] = rng.randint(0, 100)
    for name in _CHOICES:
        e[name] = rng.choice(("dung_han", "dung_han", "tre_han", "khong_gui"))
    before = rng.randrange(0, 3_000_000_000, 1_000_000) if rng.random() < 0.97 else 0
    e["doanh_thu_bq_2020"] = before
    e["doanh_thu_bq_2021"] = max(0, before + rng.randrange(-400_000_000, 600_000_000, 1_000_000))
    e["ngay_nop_bao_cao"] = (_FIRST_DAY + datetime.timedelta(days=rng.randint(0, 40))).isoformat()
    leave_some_out(e, rng)
    return e


def leave_some_out(e: Evidence, rng: random.Random) -> None:
    """Make some of ``e``'s values missing: 3% of the fields left out, 1% set to ``None``."""
    for name in list(e):
        draw = rng.random()
        if draw < 0.03:
            del e[name]
        elif draw < 0.04:
            e[name] = None


# ---------------------------------------------------------------- measuring


def machine() -> list[tuple[str, str]]:
    """Where the numbers were measured."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor() or "unknown"
    return [
        ("platform", platform.platform()),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("cpu", f"{cpu} ({os.cpu_count()} logical CPUs)"),
    ]


def timing_table(rows: Sequence[Sequence[Any]], count: int) -> str:
    """Rows of (variant, best seconds, median seconds) as the printed table: µs per dict,
    evaluations per second and the ratio to the first row (the baseline), best runs."""
    base = rows[0][1]
    table = [
        [
            name,
            f"{best / count * 1e6:.2f}",
            f"{median / count * 1e6:.2f}",
            f"{count / best:,.0f}",
            f"{best / base:.1f}",
        ]
        for name, best, median in rows
    ]
    return tabulate(
        table,
        headers=["variant", "µs/dict (best)", "µs/dict (median)", "evaluations/s", "× baseline"],
        colalign=("left", "right", "right", "right", "right"),
        disable_numparse=True,
    )


def best_and_median(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The best and median wall time of ``repeat`` runs, in seconds."""
    return interleaved([("", run)], repeat)[0][1:]  # type: ignore[return-value]


def interleaved(
    runs: Sequence[tuple[str, Callable[[], object]]], repeat: int
) -> list[tuple[str, float, float]]:
    """Each run's best and median wall time over ``repeat`` rounds, in seconds.

    The runs take turns, round after round (a ``gc.collect()`` before each),
    so that a slower moment of a shared machine falls on every row alike
    rather than on whichever row was being timed.
    """
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for (_, run), spent in zip(runs, times, strict=True):
            gc.collect()
            start = time.perf_counter()
            run()
            spent.append(time.perf_counter() - start)
    return [
        (name, min(spent), statistics.median(spent))
        for (name, _), spent in zip(runs, times, strict=True)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="evidence dicts (20000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per variant (5)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (2021)")
    args = parser.parse_args(argv)

    # Compile first: the very first compile also builds the Lark parser.
    start = time.perf_counter()
    htx_rules = importlib.import_module("htx_rules")
    import_ms = (time.perf_counter() - start) * 1000
    text = RUBRIC.read_text(encoding="utf-8")
    start = time.perf_counter()
    rubric = htx_rules.loads(text, name="rubrics/2021.rules")
    first_ms = (time.perf_counter() - start) * 1000
    later = []
    for _ in range(20):
        start = time.perf_counter()
        htx_rules.loads(text, name="rubrics/2021.rules")
        later.append((time.perf_counter() - start) * 1000)
    later_ms = statistics.median(later)

    rng = random.Random(args.seed)
    evidence = [random_evidence(rng) for _ in range(args.count)]
    missing = sum(len(rubric.fields) - sum(v is not None for v in e.values()) for e in evidence)

    # Verify the baseline against the engine before timing anything.
    hundredth = Decimal("0.01")
    for number, e in enumerate(evidence):
        expected = rubric.score(e, trace=False).total
        mine = Decimal(hand_written_total(e)) * hundredth
        if hand_written_traced(e)[0] != hand_written_total(e):
            print(f"MISMATCH on evidence #{number}: the hand-written trace list's total differs")
            return 1
        if mine != expected:
            result = rubric.score(e)
            print(f"MISMATCH on evidence #{number}: hand-written {mine}, engine {expected}")
            print(f"evidence: {e}")
            print(result.explain("en"))
            return 1
    print(
        f"verified: the hand-written function gives the engine's total for all "
        f"{len(evidence):,} evidence dicts ({missing:,} missing values in all)"
    )

    def baseline() -> None:
        total = hand_written_total
        for e in evidence:
            total(e)

    def untraced() -> None:
        score = rubric.score
        for e in evidence:
            score(e, trace=False)

    def traced() -> None:
        # Scoring with the trace recorded: every rule's raw value and branch,
        # from which the tree of trace nodes is built when it is first read.
        score = rubric.score
        for e in evidence:
            if score(e).scored.record is None:
                raise AssertionError("a traced result without a trace record")

    def traced_tree() -> None:
        score = rubric.score
        for e in evidence:
            if score(e).trace is None:
                raise AssertionError("a traced result without a trace")

    def validate_only() -> None:
        check = rubric.validate
        for e in evidence:
            check(e)

    def baseline_traced() -> None:
        total = hand_written_traced
        for e in evidence:
            total(e)

    rows = interleaved(
        [
            ("hand-written Python (baseline)", baseline),
            ("hand-written Python, trace list (traced baseline)", baseline_traced),
            ("rubric.score(e, trace=False)", untraced),
            ("rubric.score(e)  (traced: trace recorded)", traced),
            ("rubric.score(e).trace  (traced, tree of nodes built)", traced_tree),
            ("rubric.validate(e) alone (inside every engine row)", validate_only),
        ],
        args.repeat,
    )
    print()
    print(f"{args.count:,} evidence dicts, best and median of {args.repeat} runs each")
    print(timing_table(rows, args.count))
    print()
    print(
        tabulate(
            [
                ["import htx_rules", f"{import_ms:.1f}"],
                [
                    "first compile in the process (imports Lark, loads the parser tables)",
                    f"{first_ms:.1f}",
                ],
                ["later compiles (median of 20)", f"{later_ms:.1f}"],
                ["later compiles (best of 20)", f"{min(later):.1f}"],
            ],
            headers=["compile rubrics/2021.rules (htx_rules.loads)", "ms"],
            colalign=("left", "right"),
            disable_numparse=True,
        )
    )
    print()
    print(tabulate(machine(), headers=["machine", ""], disable_numparse=True))
    print()
    base, base_traced = rows[0][1], rows[1][1]
    untraced_ratio, traced_ratio = rows[2][1] / base, rows[3][1] / base
    like_for_like = rows[3][1] / base_traced
    checks = [
        (
            f"untraced ≤ {TARGET_UNTRACED_RATIO:g}× the hand-written baseline",
            f"{untraced_ratio:.2f}×",
            untraced_ratio <= TARGET_UNTRACED_RATIO,
        ),
        (
            f"traced ≤ {TARGET_TRACED_RATIO:g}× the hand-written baseline",
            f"{traced_ratio:.2f}×",
            traced_ratio <= TARGET_TRACED_RATIO,
        ),
        (
            f"traced ≤ {TARGET_TRACED_RATIO:g}× the hand-written trace list",
            f"{like_for_like:.2f}×",
            like_for_like <= TARGET_TRACED_RATIO,
        ),
    ]
    print(
        tabulate(
            [[target, value, "met" if ok else "NOT met"] for target, value, ok in checks],
            headers=["target", "measured", ""],
            disable_numparse=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
