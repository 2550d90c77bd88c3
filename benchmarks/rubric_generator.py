"""Seeded generator of large, realistic rubrics and their evidence, for the scaling benchmark.

:func:`generate_rubric` writes the TEXT of a valid rubric in the htx_rules language
with exactly ``n`` criteria and rules (parents, sub-criteria, bonus and deduction rules
all counted: what ``htx_rules.checker.all_items`` yields), mixing every scoring form in
about the proportions of a real score table such as ``rubrics/2021.rules``:

====================================  ======  =======================================
form                                  share   written like
====================================  ======  =======================================
yes/no condition                        28%   ``1.5 if co_0007``
condition on a count or two yes/nos      6%   ``5 if so_0012 >= 1``, ``2 if a and b``
per unit, with or without a cap         15%   ``0.5 per so_0031, at most 3``
base minus per unit                      3%   ``4 minus 0.5 per so_0040, at most 1.5``
thresholds on a percentage              11%   ``by ty_le_0050`` ``>= 90% -> 2`` …
bands on a count                         3%   ``by so_0061`` ``= 0 -> 2`` ``= 1 -> 1`` …
choice                                   7%   ``by lua_chon_0070`` ``dung_han -> 2`` …
target, linear                           7%   ``target so_0080 of so_0081: linear``
target, stepped                          3%   ``target … : minus 1 per 10% short``
ratio of two counts, thresholds          5%   ``by so_0090 / so_0091`` ``>= 50% -> 8`` …
growth of money, thresholds              2%   ``by (tien_0100 - tien_0101) / tien_0101`` …
cases guarding a division                3%   ``cases`` ``so_0110 = 0 -> 4`` …
formula                                  3%   ``min(5, so_0120)``
assessed by a reviewer                   2%   ``assessed by reviewer "…"``
====================================  ======  =======================================

The shares are of the criteria that have a scoring form (not of parents); they are
kept exactly at every size (:meth:`_Writer.next_form`).

About a quarter of the criteria of a part have two or three sub-criteria whose maxima
add up to theirs (a third of those with ``requires`` on the first one); 10% of the
items are bonus rules and 10% deduction rules (per unit over a target's excess, over a
count, ``if`` on a count or on a date after the deadline), in sections capped below
the sum of their rules, as in 2021.  Every part's maximum is the sum of its criteria's,
the header's ``total`` the sum of the parts; every point is a multiple of the declared
``step 0.25``; every declared field is read; every maximum can be reached; ladders run
from the top down.  So ``htx-rules check`` finds no error and no warning, only
``clamped-to-max`` notes (per-unit rules without a cap, linear targets above 100%,
which is how score tables are written).

There are about 0.95 evidence fields per criterion (2021 has 42 fields for 48
items).  :func:`random_evidence` draws one unit's evidence for a generated rubric:
realistic values for each group of related fields (a target and what was achieved,
a part and its whole, two years' revenue), percentages sometimes with one decimal,
dates as ISO strings, 3% of the fields left out and 1% given as ``None``.

Both are deterministic: the same ``n`` and ``seed`` give the same text and the same
evidence (with the same Python version: ``random``'s methods other than ``random()``
may change between versions).
"""

from __future__ import annotations

import datetime
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_2021 import Evidence, leave_some_out

QUARTER = Decimal("0.25")
_FIRST_DAY = datetime.date(2021, 12, 1)

# Scoring forms of a criterion of a part, and their relative weights (95 in all).
_FORMS: tuple[tuple[str, int], ...] = (
    ("yes_no", 27),
    ("count_condition", 3),
    ("two_conditions", 3),
    ("per_unit_cap", 10),
    ("per_unit", 4),
    ("minus_per", 3),
    ("percent_bands", 10),
    ("count_bands", 3),
    ("choice", 7),
    ("target_linear", 7),
    ("target_stepped", 3),
    ("ratio_bands", 5),
    ("money_growth", 2),
    ("cases", 3),
    ("formula", 3),
    ("assessed", 2),
)
_MAXIMA = ("1", "1.5", "2", "2", "2", "3", "3", "4", "5")
_CHOICE_SETS = (
    ("dung_han", "tre_han", "khong_gui"),
    ("tot", "kha", "trung_binh", "yeu"),
    ("dat", "chua_dat"),
)
_UNITS = ("HTX", "THT", "hội nghị", "tin, bài", "người", "mô hình", "lượt", "xã")
_PAIR_LABELS = {
    "target": ("Số thực hiện trong năm", "Chỉ tiêu được giao"),
    "ratio": ("Số HTX xếp loại tốt, khá", "Tổng số HTX được xếp loại"),
    "stopped": ("Số HTX ngừng hoạt động", "Số HTX ngừng hoạt động đã xử lý"),
}
_PERCENT_BOUNDS = (95, 90, 80, 70, 60, 50, 40, 30, 20)
_RATIO_BOUNDS = (50, 40, 30, 20)


@dataclass(frozen=True)
class Group:
    """Evidence fields drawn together, so that their values make sense together.

    Attributes:
        kind: How the values are drawn (see :func:`_draw_group`).
        names: The fields, in the order the kind expects.
        high: The largest value of a count (for kinds that draw counts).
    """

    kind: str
    names: tuple[str, ...]
    high: int = 0
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeneratedRubric:
    """A generated rubric: its text and how to draw evidence for it.

    Attributes:
        n: The number of criteria and rules (parents, sub-criteria, bonus and
            deduction rules) in the text.
        seed: The seed it was generated from.
        text: The rubric, in the htx_rules language.
        groups: The evidence fields, by group of related fields.
    """

    n: int
    seed: int
    text: str
    groups: tuple[Group, ...]

    @property
    def field_count(self) -> int:
        """How many evidence fields the rubric declares."""
        return sum(len(g.names) for g in self.groups)


def _quarter(value: Decimal) -> Decimal:
    """``value`` rounded down to a multiple of 0.25 (the rubric's ``step``)."""
    return (value / QUARTER).to_integral_value(rounding="ROUND_FLOOR") * QUARTER


def _text(value: Decimal) -> str:
    """A decimal as the rubric language writes it: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _descending(maximum: Decimal, count: int) -> list[Decimal]:
    """``count`` distinct positive points from ``maximum`` down, multiples of 0.25."""
    points = [maximum]
    for index in range(1, count):
        value = _quarter(maximum * (count - index) / count)
        if value <= 0 or value >= points[-1]:
            break
        points.append(value)
    return points


def _roman(number: int) -> str:
    """``number`` in Roman numerals, as score tables number their parts."""
    digits = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for value, letters in digits:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


@dataclass
class _Writer:
    """The state of one generation: the random source, fields declared so far, and
    fields that bonus and deduction rules may read again."""

    rng: random.Random
    fields: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    targets: list[tuple[str, str]] = field(default_factory=list)
    chains: list[str] = field(default_factory=list)
    stopped: list[tuple[str, str]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    done: int = 0
    stepped: int = 0
    credits: dict[str, float] = field(default_factory=dict)

    def _name(self, prefix: str) -> str:
        return f"{prefix}_{len(self.fields) + 1:04d}"

    def _declare(self, name: str, declaration: str) -> None:
        number = len(self.fields) + 1
        self.fields.append(f"  {name} {declaration.replace('@', f'(mục {number})')}")

    def yes_no(self) -> str:
        name = self._name("co")
        self._declare(name, 'yes/no "Có ban hành văn bản, quyết định theo kế hoạch @"')
        self.groups.append(Group("yes", (name,)))
        return name

    def count(self, high: int, bound: int | None = None) -> str:
        name = self._name("so")
        unit = self.rng.choice(_UNITS)
        limit = f" to {bound}" if bound is not None else ""
        self._declare(name, f'count "Số {unit} trong năm @"{limit} unit "{unit}"')
        self.groups.append(Group("count", (name,), high))
        return name

    def percent(self) -> str:
        name = self._name("ty_le")
        self._declare(name, 'percent "Tỷ lệ đơn vị đạt yêu cầu @"')
        self.groups.append(Group("percent", (name,)))
        return name

    def choice(self) -> tuple[str, tuple[str, ...]]:
        name = self._name("lua_chon")
        values = self.rng.choice(_CHOICE_SETS)
        self._declare(name, f'one of {", ".join(values)} "Kết quả thực hiện @"')
        self.groups.append(Group("choice", (name,), choices=values))
        return name, values

    def pair(self, kind: str, high: int) -> tuple[str, str]:
        """Two related counts: achieved and target, part and whole, stopped and handled."""
        first_label, second_label = _PAIR_LABELS[kind]
        first = self._name("so")
        self._declare(first, f'count "{first_label} @"')
        second = self._name("so")
        self._declare(second, f'count "{second_label} @"')
        self.groups.append(Group(kind, (first, second), high))
        return first, second

    def money(self) -> tuple[str, str]:
        now = self._name("tien")
        self._declare(now, 'money "Doanh thu bình quân năm nay @" from 0')
        before = self._name("tien")
        self._declare(before, 'money "Doanh thu bình quân năm trước @" from 0')
        self.groups.append(Group("money", (now, before)))
        return now, before

    def date(self) -> str:
        name = self._name("ngay")
        self._declare(name, 'date "Ngày gửi báo cáo @"')
        self.groups.append(Group("date", (name,)))
        self.dates.append(name)
        return name

    # ------------------------------------------------------------ scoring forms

    def scoring(self, form: str, maximum: Decimal) -> list[str]:
        """The lines of one scoring form reaching ``maximum``; lines after the first
        are to be indented by two more spaces."""
        rng = self.rng
        top = _text(maximum)
        if form == "yes_no":
            return [f"{top} if {self.yes_no()}"]
        if form == "count_condition":
            name = self.count(4)
            self.chains.append(name)
            return [f"{top} if {name} >= 1"]
        if form == "two_conditions":
            return [f"{top} if {self.yes_no()} and {self.yes_no()}"]
        if form in ("per_unit_cap", "per_unit"):
            rate = rng.choice([r for r in (QUARTER, Decimal("0.5"), Decimal(1)) if r <= maximum])
            units = int(maximum / rate)
            name = self.count(units + 3)
            cap = f", at most {top}" if form == "per_unit_cap" else ""
            return [f"{_text(rate)} per {name}{cap}"]
        if form == "minus_per":
            rate = rng.choice([r for r in (QUARTER, Decimal("0.5")) if r * 2 <= maximum])
            steps = int(maximum / rate)
            most_taken = rate * rng.randint(1, max(1, steps - 1))
            name = self.count(steps, bound=30)
            return [f"{top} minus {_text(rate)} per {name}, at most {_text(most_taken)}"]
        if form == "percent_bands":
            points = _descending(maximum, rng.randint(2, 3))
            bounds = sorted(rng.sample(_PERCENT_BOUNDS, len(points)), reverse=True)
            arms = [f">= {b}% -> {_text(p)}" for b, p in zip(bounds, points, strict=True)]
            return [f"by {self.percent()}", *arms, "otherwise -> 0"]
        if form == "count_bands":
            points = _descending(maximum, 2)
            arms = [f"= {i} -> {_text(p)}" for i, p in enumerate(points)]
            return [f"by {self.count(3)}", *arms, "otherwise -> 0"]
        if form == "choice":
            name, values = self.choice()
            points = _descending(maximum, len(values) - 1)
            arms = [f"{v} -> {_text(p)}" for v, p in zip(values, points, strict=False)]
            rest = values[len(points) :]
            arms.append(f"{', '.join(rest)} -> 0")
            return [f"by {name}", *arms]
        if form == "target_linear":
            actual, goal = self.pair("target", 12)
            self.targets.append((actual, goal))
            # One linear target in five gives nothing for a target of 0 (as 2021's II.1
            # could); the others count a target of 0 as achieved, the default.
            zero = ", zero target -> 0" if len(self.targets) % 5 == 0 else ""
            return [f"target {actual} of {goal}: linear{zero}"]
        if form == "target_stepped":
            actual, goal = self.pair("target", 12)
            penalty = rng.choice([p for p in (QUARTER, Decimal("0.5"), Decimal(1)) if p < maximum])
            self.stepped += 1
            started = "started " if self.stepped % 3 == 0 else ""  # one in three
            size = rng.choice(("10%", "20%", "25%"))
            return [f"target {actual} of {goal}: minus {_text(penalty)} per {started}{size} short"]
        if form == "ratio_bands":
            part, whole = self.pair("ratio", 40)
            points = _descending(maximum, rng.randint(2, 4))
            bounds = sorted(rng.sample(_RATIO_BOUNDS, len(points)), reverse=True)
            arms = [f">= {b}% -> {_text(p)}" for b, p in zip(bounds, points, strict=True)]
            return [f"by {part} / {whole}", *arms, "otherwise -> 0"]
        if form == "money_growth":
            now, before = self.money()
            points = _descending(maximum, 2)
            arms = [f">= {b}% -> {_text(p)}" for b, p in zip((10, 0), points, strict=False)]
            return [f"by ({now} - {before}) / {before}", *arms, "otherwise -> 0"]
        if form == "cases":
            stopped, handled = self.pair("stopped", 6)
            self.stopped.append((stopped, handled))
            half = _descending(maximum, 2)[-1]
            return [
                "cases",
                f"{stopped} = 0 -> {top}",
                f"{handled} >= {stopped} -> {top}",
                f"{handled} / {stopped} >= 50% -> {_text(half)}",
                "otherwise -> 0",
            ]
        if form == "formula":
            most = _quarter(maximum).to_integral_value(rounding="ROUND_FLOOR")
            return [f"min({_text(most)}, {self.count(int(most) + 2)})"]
        if form == "assessed":
            return [f'assessed by reviewer "Thực hiện tốt: {top} điểm; chưa tốt: ít hơn"']
        raise ValueError(form)

    def next_form(self) -> str:
        """The next scoring form: smooth weighted round-robin over ``_FORMS``, so that
        every form gets its share at every size (a form of weight w appears within
        every 100 / w criteria), from a seeded starting point, so that the order
        differs from seed to seed."""
        total = sum(weight for _, weight in _FORMS)
        if not self.credits:
            self.credits = {form: self.rng.random() * total for form, _ in _FORMS}
        for form, weight in _FORMS:
            self.credits[form] += weight
        chosen = max(self.credits, key=lambda form: self.credits[form])
        self.credits[chosen] -= total
        return chosen

    def leaf(
        self, item_id: str, maxima: Sequence[str], indent: str, requires: str | None
    ) -> tuple[Decimal, list[str], str]:
        """One criterion with a scoring form: its maximum, its lines and its form."""
        self.done += 1
        form = self.next_form()
        if form == "formula":  # min(M, count) reaches only whole maxima
            maxima = [m for m in maxima if "." not in m]
        maximum = Decimal(self.rng.choice(maxima))
        label = f"Tiêu chí {item_id}: nội dung đánh giá số {self.done}"
        lines = [f'{indent}criterion {item_id} "{label}" max {_text(maximum)}']
        if requires is not None:
            lines.append(f"{indent}  requires {requires}")
        body = self.scoring(form, maximum)
        lines.append(f"{indent}  {body[0]}")
        lines += [f"{indent}    {line}" for line in body[1:]]
        return maximum, lines, form

    def criterion(self, item_id: str, budget: int) -> tuple[Decimal, list[str], int]:
        """A criterion of a part using at most ``budget`` items: a leaf, or (one time in
        four, when the budget allows) a parent with two or three sub-criteria."""
        rng = self.rng
        if budget < 3 or rng.random() >= 0.25:
            maximum, lines, _ = self.leaf(item_id, _MAXIMA, "  ", None)
            return maximum, lines, 1
        subs = min(rng.randint(2, 3), budget - 1)
        self.done += 1
        label = f"Nhóm tiêu chí {item_id}: nội dung đánh giá số {self.done}"
        total = Decimal(0)
        children: list[str] = []
        first_form = ""
        for index, letter in enumerate("abc"[:subs]):
            requires = None
            if index == 1 and first_form != "assessed" and rng.random() < 1 / 3:
                requires = f"{item_id}.a"
            maximum, lines, form = self.leaf(f"{item_id}.{letter}", _MAXIMA[:6], "    ", requires)
            first_form = first_form or form
            total += maximum
            children += lines
        return total, [f'  criterion {item_id} "{label}" max {_text(total)}', *children], subs + 1

    def rule(self, letter: str, number: int) -> tuple[Decimal, list[str]]:
        """One bonus (``B``) or deduction (``D``) rule, like those of 2021."""
        rng = self.rng
        draw = rng.random()
        if letter == "B":
            if draw < 0.3 and self.targets:
                actual, goal = rng.choice(self.targets)
                rate = rng.choice((QUARTER, Decimal("0.5")))
                maximum = rate * rng.randint(2, 4)
                scoring = f"{_text(rate)} per max(0, {actual} - {goal})"
            elif draw < 0.5 and self.chains:
                maximum = Decimal(1)
                scoring = f"1 if {rng.choice(self.chains)} >= 2"
            elif draw < 0.8:
                rate = Decimal("0.5")
                maximum = rate * rng.randint(2, 4)
                scoring = f"0.5 per {self.count(5)}"
            else:
                maximum = Decimal(1)
                scoring = f"1 if {self.count(2)} >= 1"
            label = f"Điểm cộng {letter}{number}: thành tích nổi bật số {number}"
        else:
            if draw < 0.2:
                maximum = Decimal(2)
                day = (
                    self.date() if not self.dates or rng.random() < 0.5 else rng.choice(self.dates)
                )
                scoring = f"2 if {day} > deadline"
            elif draw < 0.4 and self.stopped:
                stopped, handled = rng.choice(self.stopped)
                maximum = Decimal(2)
                scoring = f"0.5 per max(0, {stopped} - {handled})"
            else:
                rate = rng.choice((Decimal("0.5"), Decimal(1)))
                maximum = Decimal(2)
                scoring = f"{_text(rate)} per {self.count(3)}"
            label = f"Điểm trừ {letter}{number}: vi phạm số {number}"
        self.done += 1
        lines = [f'  rule {letter}{number} "{label}" max {_text(maximum)}', f"    {scoring}"]
        return maximum, lines


def generate_rubric(n: int, seed: int = 2021) -> GeneratedRubric:
    """A valid rubric with exactly ``n`` criteria and rules (``n`` at least 6).

    Raises:
        ValueError: ``n`` is below 6 (two bonus rules, two deduction rules and
            a part of two criteria at the least).
    """
    if n < 6:
        raise ValueError("a generated rubric has at least 6 criteria and rules")
    rng = random.Random(seed * 1_000_003 + n)
    writer = _Writer(rng)
    extra = max(2, round(n * 0.1))
    in_parts = n - 2 * extra
    part_count = max(2, round(in_parts / 12))
    # Share the items among the parts, each part getting at least two.
    shares = [in_parts // part_count] * part_count
    for index in range(in_parts % part_count):
        shares[index] += 1

    sections: list[str] = []
    total = Decimal(0)
    part_ids = []
    for number, share in enumerate(shares, start=1):
        part_id = _roman(number)
        part_ids.append(part_id)
        body: list[str] = []
        part_max = Decimal(0)
        left, criterion = share, 0
        while left:
            criterion += 1
            maximum, lines, used = writer.criterion(f"{part_id}.{criterion}", left)
            part_max += maximum
            body += lines
            left -= used
        total += part_max
        head = f'part {part_id} "Phần {part_id}: nhóm nội dung thi đua số {number}"'
        sections.append(f"{head} max {_text(part_max)}\n" + "\n".join(body) + "\n")

    for keyword, letter, title in (
        ("bonus", "B", "Điểm cộng"),
        ("deduction", "D", "Điểm trừ"),
    ):
        rules: list[str] = []
        rules_max = Decimal(0)
        for number in range(1, extra + 1):
            maximum, lines = writer.rule(letter, number)
            rules_max += maximum
            rules += lines
        # About 5% of the total, and below the sum of its rules so that it binds,
        # as in 2021 (cap 5 of 100; rules of 6 points).
        cap = _quarter(min(max(Decimal(1), total * Decimal("0.05")), rules_max - QUARTER))
        if cap >= 1:
            cap = cap.to_integral_value(rounding="ROUND_FLOOR")
        sections.append(f'{keyword} "{title}" max {_text(cap)}\n' + "\n".join(rules) + "\n")

    awards = [
        "awards",
        '  place 1 "Hạng Nhất" 10.000.000 đồng',
        '  place 2 "Hạng Nhì" 7.000.000 đồng',
        '  place 3 "Hạng Ba" 5.000.000 đồng',
        f"  minimum {_text((total / 2).to_integral_value(rounding='ROUND_FLOOR'))}",
    ]
    if writer.dates:
        day = writer.dates[0]
        awards.append(f'  eligible if {day} <= deadline "Gửi báo cáo đúng hạn"')
    awards.append(f"  ties higher part {part_ids[-1]}, higher part {part_ids[0]}, lower deduction")
    awards.append("  still tied: split")

    header = (
        f'rubric sinh_tu_dong_{n} "Bảng điểm sinh tự động: {n} tiêu chí (hạt giống {seed})"\n'
        "  year 2021\n"
        f"  total {_text(total)}\n"
        "  deadline 2021-12-20\n"
        "  rounding 2 decimals half-up\n"
        "  step 0.25\n"
    )
    evidence = "evidence\n" + "\n".join(writer.fields) + "\n"
    text = "\n".join([header, evidence, *sections, "\n".join(awards) + "\n"])
    return GeneratedRubric(n, seed, text, tuple(writer.groups))


# ---------------------------------------------------------------- evidence


def _percent(rng: random.Random) -> int | Decimal:
    if rng.random() < 0.4:
        return Decimal(rng.randint(0, 1000)).scaleb(-1)  # one decimal: 72.5
    return rng.randint(0, 100)


def _draw_group(group: Group, rng: random.Random, e: Evidence) -> None:
    """Values for one group of fields, written into ``e``."""
    kind, names = group.kind, group.names
    if kind == "yes":
        e[names[0]] = rng.random() < 0.75
    elif kind == "count":
        e[names[0]] = rng.randint(0, group.high)
    elif kind == "percent":
        e[names[0]] = _percent(rng)
    elif kind == "choice":
        e[names[0]] = rng.choice((group.choices[0], *group.choices))  # the best value twice
    elif kind == "target":
        goal = rng.randint(0, group.high) if rng.random() < 0.95 else 0
        e[names[0]] = max(0, goal + rng.randint(-goal, 4))
        e[names[1]] = goal
    elif kind == "ratio":
        whole = rng.randint(0, group.high)
        e[names[0]] = rng.randint(0, whole)
        e[names[1]] = whole
    elif kind == "stopped":
        stopped = rng.randint(0, group.high)
        e[names[0]] = stopped
        e[names[1]] = rng.randint(0, stopped)
    elif kind == "money":
        before = rng.randrange(0, 3_000_000_000, 1_000_000) if rng.random() < 0.97 else 0
        e[names[1]] = before
        e[names[0]] = max(0, before + rng.randrange(-400_000_000, 600_000_000, 1_000_000))
    elif kind == "date":
        e[names[0]] = (_FIRST_DAY + datetime.timedelta(days=rng.randint(0, 40))).isoformat()
    else:
        raise ValueError(kind)


def random_evidence(rubric: GeneratedRubric, rng: random.Random) -> Evidence:
    """One unit's evidence for a generated rubric: every declared field, 3% of them
    left out and 1% given as ``None``."""
    e: Evidence = {}
    for group in rubric.groups:
        _draw_group(group, rng, e)
    leave_some_out(e, rng)
    return e
