"""Hypothesis strategies for the scoring, evidence and property tests, in one place.

Three families:

* :func:`evidence_for` — valid evidence for a compiled rubric: a value of the
  right type and inside the declared bounds for every field, some fields left
  out (or given as ``None``).
* :func:`rubric_texts` — small random rubrics that are always valid: random
  field bounds, criteria of every scoring form (yes/no, choice, thresholds on
  counts, percentages and ratios, per unit with and without a cap, ``minus …
  per``, targets linear and stepped, ``cases``, arithmetic, ``points of``,
  ``requires``, sub-criteria), maxima that add up, bonus and deduction
  sections, a random rounding rule.  Used for differential testing of the
  compiled evaluator against the reference one.
* :func:`mutated_texts` — a rubric text with a few random edits (characters
  or tokens deleted, duplicated or inserted, lines swapped), for fuzzing the
  compiler.
* :func:`with_comments` — a rubric text with comments added at random line
  ends and on lines of their own, at random indentations (for ``fmt``).
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal

from hypothesis import strategies as st

import htx_rules
from htx_rules import model as m

DEADLINE = datetime.date(2021, 12, 20)

# ---------------------------------------------------------------- evidence

_WIDE = 10**9


def _decimal_text(value: Decimal) -> str:
    """A decimal as the rubric language writes it: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _number_bounds(field: m.Field) -> tuple[Decimal, Decimal]:
    """The bounds evidence for a numeric field must respect, in evidence units
    (percentages as 0-100), narrowed to a range the strategies draw from."""
    kind, minimum, maximum = field.type, field.minimum, field.maximum
    if kind == "percent":
        low = Decimal(0) if minimum is None else max(minimum * 100, Decimal(0))
        high = Decimal(100) if maximum is None else min(maximum * 100, Decimal(100))
        return low, high
    floor = Decimal(0) if kind == "count" else Decimal(-_WIDE)
    low = floor if minimum is None else max(minimum, floor)
    high = Decimal(_WIDE) if maximum is None else min(maximum, Decimal(_WIDE))
    return low, high


def field_values(field: m.Field) -> st.SearchStrategy[object]:
    """Valid evidence values for one declared field."""
    kind = field.type
    if kind == "yes/no":
        return st.booleans()
    if kind == "choice":
        return st.sampled_from([c.value for c in field.choices])
    if kind == "date":
        window = datetime.timedelta(days=40)
        days = st.dates(DEADLINE - window, DEADLINE + window)
        return st.one_of(days, days.map(datetime.date.isoformat))
    low, high = _number_bounds(field)
    int_low, int_high = math.ceil(low), math.floor(high)
    if kind == "count":
        small = st.integers(int_low, max(int_low, min(int_high, int_low + 12)))
        wide = st.integers(int_low, int_high)
        # An integral Decimal is valid for a count too (the engine makes it an int).
        return st.one_of(small, small, wide, small.map(Decimal))
    choices: list[st.SearchStrategy[object]] = [
        st.decimals(min_value=low, max_value=high, places=2, allow_nan=False, allow_infinity=False)
    ]
    if int_low <= int_high:
        near = st.integers(int_low, max(int_low, min(int_high, int_low + 120)))
        choices += [near, st.integers(int_low, int_high)]
    return st.one_of(choices)


@st.composite
def evidence_for(
    draw: st.DrawFn, rubric: htx_rules.Rubric, *, missing: bool = True
) -> dict[str, object]:
    """Valid evidence for ``rubric``: every field drawn from :func:`field_values`;
    with ``missing``, up to a third of the fields left out or given as ``None``."""
    names = [f.name for f in rubric.fields]
    omitted: set[str] = set()
    if missing and names:
        omitted = draw(st.sets(st.sampled_from(names), max_size=max(1, len(names) // 3)))
    evidence: dict[str, object] = {}
    for field in rubric.fields:
        if field.name in omitted:
            if draw(st.booleans()):
                evidence[field.name] = None
            continue
        evidence[field.name] = draw(field_values(field))
    return evidence


# ---------------------------------------------------------------- random valid rubrics

# Label text: Vietnamese letters, digits and punctuation (including '#', which
# is not a comment inside quotes); never a quote, a backslash or a newline.
_LABEL_ALPHABET = "abcdeghiklmnopqrstuvxyĐđàáảãạăằắâầấêềếôồốơờớưừứHTXKTTT0123456789 ,.;:()%-–/'#→≥"
_POINTS = ["0", "0.5", "1", "1.25", "1.5", "2", "3", "0.125", "0.333", "2.5"]
_MAXIMA = ["1", "1.5", "2", "2.5", "3", "4", "5", "0.75", "10"]
_CHOICES = ("dat", "mot_phan", "khong")


def labels() -> st.SearchStrategy[str]:
    """A non-blank label without quotes, backslashes or line breaks."""
    return st.text(alphabet=_LABEL_ALPHABET, max_size=16).map(lambda s: "Nhãn " + s)


def _points() -> st.SearchStrategy[str]:
    return st.sampled_from(_POINTS)


def _conditions(earlier: list[str]) -> st.SearchStrategy[str]:
    """A yes/no expression over the generated fields."""
    atoms = [
        "y0",
        "y1",
        "not y0",
        "c0 >= 2",
        "c0 > c1",
        "c2 = 0",
        "p0 >= 50%",
        "p1 < 30%",
        "d0 <= deadline",
        "d0 > 2021-12-01",
        "(deadline - d0) >= 5",
        "k0 = dat",
        "k0 != khong",
        "n0 < 0",
        "m0 >= 1.000.000 đồng",
        "c0 / c1 >= 50%",
    ]
    atoms += [f"points of {item} > 0" for item in earlier]
    atom = st.sampled_from(atoms)
    return st.one_of(
        atom,
        st.tuples(atom, atom).map(lambda t: f"{t[0]} and {t[1]}"),
        st.tuples(atom, atom).map(lambda t: f"{t[0]} or {t[1]}"),
        st.tuples(atom, atom).map(lambda t: f"not ({t[0]} or {t[1]})"),
    )


def _numbers(earlier: list[str], depth: int = 2) -> st.SearchStrategy[str]:
    """A numeric expression whose units always combine (plain, count, number)."""
    atoms = [*_POINTS, "c0", "c1", "c2", "n0", "p0 * 10", "floor(m0 / 1.000.000 đồng)", "-1"]
    atoms += [f"points of {item}" for item in earlier]
    atom = st.sampled_from(atoms)
    if depth == 0:
        return atom
    inner = _numbers(earlier, depth - 1)
    pair = st.tuples(inner, inner)
    return st.one_of(
        atom,
        atom,
        pair.map(lambda t: f"min({t[0]}, {t[1]})"),
        pair.map(lambda t: f"max({t[0]}, {t[1]})"),
        st.tuples(inner, st.integers(0, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
        inner.map(lambda e: f"floor({e})"),
        inner.map(lambda e: f"ceil({e})"),
        pair.map(lambda t: f"{t[0]} + {t[1]}"),
        pair.map(lambda t: f"({t[0]}) - ({t[1]})"),
        st.tuples(inner, _points()).map(lambda t: f"({t[0]}) * {t[1]}"),
        pair.map(lambda t: f"({t[0]}) / ({t[1]})"),
    )


def _arms(draw: st.DrawFn, bounds: list[str], ops: list[str], otherwise: bool) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(bounds), min_size=1, max_size=3, unique=True))
    arms = [f"{draw(st.sampled_from(ops))} {b} -> {draw(_points())}" for b in chosen]
    if otherwise:
        arms.append(f"otherwise -> {draw(_points())}")
    return arms


@st.composite
def _scoring(draw: st.DrawFn, maximum: str, earlier: list[str], hostile: bool) -> list[str]:
    """The lines of one scoring form; lines after the first are indented by two."""
    if hostile:
        # Shapes whose clamps a range analysis could wrongly drop (see
        # TestPerUnit and TestTargetStepped in test_scoring_forms.py).
        shape = draw(st.integers(0, 2))
        if shape == 0:
            return [f"1 per c0, at most c1 - {draw(st.integers(1, 5))}"]
        if shape == 1:
            return [f"target c0 of c1: minus -{draw(st.integers(1, 2))} per 10% short"]
        return ["target c0 of c1: minus n0 per 25% short"]
    form = draw(st.integers(0, 15))
    otherwise = draw(st.booleans())
    if form == 0:
        line = f"{draw(_points())} if {draw(_conditions(earlier))}"
        if otherwise:
            line += f" otherwise {draw(_points())}"
        return [line]
    if form == 1:
        layout = draw(st.integers(0, 2))
        if layout == 0:
            arms = [f"{value} -> {draw(_points())}" for value in draw(st.permutations(_CHOICES))]
        elif layout == 1:
            arms = [f"dat -> {draw(_points())}", f"mot_phan, khong -> {draw(_points())}"]
        else:
            first = draw(st.sampled_from(_CHOICES))
            arms = [f"{first} -> {draw(_points())}", f"otherwise -> {draw(_points())}"]
        return ["by k0", *("  " + a for a in arms)]
    if form == 2:
        subject = draw(st.sampled_from(["c0", "c2", "c0 + c1", "c0 - c1"]))
        arms = _arms(draw, ["5", "4", "2", "1", "0"], [">=", ">", "=", "<="], otherwise)
        return [f"by {subject}", *("  " + a for a in arms)]
    if form == 3:
        subject = draw(st.sampled_from(["p0", "p1"]))
        arms = _arms(draw, ["90%", "80%", "50%", "12.5%", "0%"], [">=", ">"], otherwise)
        return [f"by {subject}", *("  " + a for a in arms)]
    if form == 4:
        subject = draw(
            st.sampled_from(["c0 / c1", "(m0 - 1.000.000 đồng) / 1.000.000 đồng", "c2 / (c0 + c1)"])
        )
        arms = _arms(draw, ["100%", "50%", "33.3%", "0%"], [">=", ">", "<"], otherwise)
        return [f"by {subject}", *("  " + a for a in arms)]
    units = draw(st.sampled_from(["c0", "c1", "c2", "max(0, c0 - c1)"]))
    cap = f", at most {draw(_points())}" if draw(st.booleans()) else ""
    if form == 5:
        return [f"{draw(_points())} per {units}{cap}"]
    if form == 6:
        base = draw(st.sampled_from([maximum, *_POINTS]))
        return [f"{base} minus {draw(_points())} per {units}{cap}"]
    actual, goal = draw(
        st.sampled_from(
            [("c0", "c1"), ("c2", "5"), ("p0", "80%"), ("n0", "c1"), ("c0", "n0"), ("c1", "c2")]
        )
    )
    zero = f", zero target -> {draw(_points())}" if draw(st.booleans()) else ""
    if form == 7:
        return [f"target {actual} of {goal}: linear{zero}"]
    if form == 8:
        started = "started " if draw(st.booleans()) else ""
        size = draw(st.sampled_from(["10%", "5%", "25%", "0.2", "100%", "33%"]))
        step = f"minus {draw(_points())} per {started}{size} short"
        return [f"target {actual} of {goal}: {step}{zero}"]
    if form in (9, 10):
        count = draw(st.integers(1, 3))
        arms = [f"{draw(_conditions(earlier))} -> {draw(_points())}" for _ in range(count)]
        if otherwise:
            arms.append(f"otherwise -> {draw(_points())}")
        return ["cases", *("  " + a for a in arms)]
    return [draw(_numbers(earlier))]


class _Ids:
    """Item ids handed out so far, in file order (what later items may read), and
    the maxima items may have."""

    def __init__(self, maxima: list[str]) -> None:
        self.done: list[str] = []
        self.maxima = maxima


@st.composite
def _leaf(
    draw: st.DrawFn, item_id: str, maximum: str, ids: _Ids, indent: str, hostile: bool = False
) -> list[str]:
    keyword = "rule" if item_id[0] in "BD" else "criterion"
    lines = [f'{indent}{keyword} {item_id} "{draw(labels())}" max {maximum}']
    body = indent + "  "
    if ids.done and draw(st.integers(0, 5)) == 0:
        lines.append(f"{body}requires {draw(st.sampled_from(ids.done))}")
    if draw(st.integers(0, 7)) == 0:
        lines.append(f'{body}note "{draw(labels())}"')
    lines += [body + text for text in draw(_scoring(maximum, list(ids.done), hostile))]
    ids.done.append(item_id)
    return lines


@st.composite
def _criterion(
    draw: st.DrawFn, item_id: str, ids: _Ids, hostile: bool
) -> tuple[Decimal, list[str]]:
    """One criterion of a part: a leaf, or a parent with two or three leaves."""
    if hostile or draw(st.integers(0, 3)) != 0:
        maximum = draw(st.sampled_from(ids.maxima))
        return Decimal(maximum), draw(_leaf(item_id, maximum, ids, "  ", hostile))
    maxima = draw(st.lists(st.sampled_from(ids.maxima), min_size=2, max_size=3))
    total = sum((Decimal(x) for x in maxima), Decimal(0))
    lines = [f'  criterion {item_id} "{draw(labels())}" max {_decimal_text(total)}']
    for letter, maximum in zip("abc", maxima, strict=False):
        lines += draw(_leaf(f"{item_id}.{letter}", maximum, ids, "    "))
    ids.done.append(item_id)
    return total, lines


@st.composite
def _fields(draw: st.DrawFn) -> list[str]:
    """The evidence section: every field kind, with random bounds and order."""

    def bounded(text: str, low: str | None, high: str | None) -> str:
        if low is not None:
            text += f" from {low}"
        if high is not None:
            text += f" to {high}"
        return text

    c0_high = draw(st.one_of(st.none(), st.integers(5, 40).map(str)))
    c2_low = draw(st.integers(0, 3))
    c2_high = draw(st.integers(10, 50))
    n0_low = draw(st.one_of(st.none(), st.integers(-50, 0).map(str)))
    n0_high = draw(st.one_of(st.none(), st.integers(0, 100).map(str)))
    p0_low = draw(st.integers(0, 20))
    p0_high = draw(st.integers(60, 100))
    lines = [
        bounded(f'c0 count "{draw(labels())}"', None, c0_high),
        f'c1 count "{draw(labels())}" unit "HTX"',
        bounded(f'c2 count "{draw(labels())}"', str(c2_low), str(c2_high)),
        bounded(f'n0 number "{draw(labels())}"', n0_low, n0_high),
        bounded(f'p0 percent "{draw(labels())}"', f"{p0_low}%", f"{p0_high}%"),
        f'p1 percent "{draw(labels())}"',
        bounded(f'm0 money "{draw(labels())}"', draw(st.sampled_from([None, "0"])), None),
        f'y0 yes/no "{draw(labels())}"',
        f'y1 yes/no "{draw(labels())}"',
        f'd0 date "{draw(labels())}"',
    ]
    if draw(st.booleans()):
        choice = [f'k0 one of "{draw(labels())}"'] + [
            f'  {value} "{draw(labels())}"' for value in _CHOICES
        ]
    else:
        choice = [f'k0 one of {", ".join(_CHOICES)} "{draw(labels())}"']
    order = draw(st.permutations(range(len(lines))))
    result = [lines[i] for i in order] + choice
    return ["  " + line for line in result]


@st.composite
def rubric_texts(draw: st.DrawFn, *, clamp_edges: bool = False) -> str:
    """A small random rubric that always compiles; every maximum is on the rubric's
    rounding grid (no more decimals than it rounds to, as the checker demands).

    With ``clamp_edges``, the first criterion of part I is one of the shapes whose
    clamps a simple range analysis could wrongly drop: a variable ``at most``
    cap that can fall below zero, a stepped target with negative step points.
    """
    hostile = clamp_edges
    places = draw(st.integers(0, 3))
    mode = draw(st.sampled_from(["half-up", "half-even", "down", "up"]))
    maxima = [x for x in _MAXIMA if -Decimal(x).as_tuple().exponent <= places]
    ids = _Ids(maxima)
    sections: list[str] = []
    if draw(st.booleans()):
        sections.append('contestants\n  930 "Đơn vị A"\n  931 "Đơn vị B"\n')
    sections.append("evidence\n" + "\n".join(draw(_fields())) + "\n")
    part_ids = ["I", "II", "III"][: draw(st.integers(1, 3))]
    total = Decimal(0)
    for part_id in part_ids:
        body: list[str] = []
        part_max = Decimal(0)
        for number in range(1, draw(st.integers(1, 4)) + 1):
            maximum, lines = draw(
                _criterion(f"{part_id}.{number}", ids, hostile and part_id == "I" and number == 1)
            )
            part_max += maximum
            body += lines
        total += part_max
        head = f'part {part_id} "{draw(labels())}" max {_decimal_text(part_max)}'
        sections.append(head + "\n" + "\n".join(body) + "\n")
    for keyword, letter in (("bonus", "B"), ("deduction", "D")):
        if not draw(st.booleans()):
            continue
        rules: list[str] = []
        for number in range(1, draw(st.integers(1, 3)) + 1):
            maximum = draw(st.sampled_from(ids.maxima))
            rules += draw(_leaf(f"{letter}{number}", maximum, ids, "  "))
        cap = draw(st.sampled_from(["1", "2", "3", "5"]))
        sections.append(f'{keyword} "{draw(labels())}" max {cap}\n' + "\n".join(rules) + "\n")
    if draw(st.booleans()):
        sections.append(
            "awards\n"
            '  place 1 "Hạng Nhất" 10.000.000 đồng\n'
            '  place 2 "Hạng Nhì" 7.000.000 đồng\n'
            "  minimum 0\n"
            "  ties higher part I, higher total\n"
            "  still tied: split\n"
        )
    header = (
        f'rubric gen_rubric "{draw(labels())}"\n'
        "  year 2021\n"
        f"  total {_decimal_text(total)}\n"
        "  deadline 2021-12-20\n"
        f"  rounding {places} decimals {mode}\n"
    )
    return "\n".join([header, *sections])


# ---------------------------------------------------------------- mutations for fuzzing

_TOKENS = re.compile(r"\s+|[\w.%]+|\S")
_VOCABULARY = [
    "rubric", "part", "criterion", "rule", "max", "if", "otherwise", "per", "minus", "at most",
    "by", "cases", "target", "of", "linear", "short", "started", "zero target", "requires",
    "points of I.1", "points of", "note", "bonus", "deduction", "evidence", "count", "percent",
    "yes/no", "one of", "date", "money", "number", "from", "to", "deadline", "and", "or", "not",
    "min(", "max(", "round(", "floor(", "ceil(", "(", ")", ",", ":", "->", "→", "≥", ">=", "=",
    "!=", "<", "+", "-", "−", "*", "/", "×", "%", "80%", "0", "1.5", "-1", "10_000",
    "10.000.000 đồng", "2021-13-01", "2021-02-29", "2021-12-20", '"', '""', "“", "#", "\n",
    "\n  ", "  ", "\t", "I.1", "III.7", "B9", "htx_moi", "khong_gui", "x" * 30, "9" * 40,
]  # fmt: skip


def _edit_text(draw: st.DrawFn, text: str) -> str:
    """One random edit of ``text``."""
    operation = draw(st.integers(0, 9))
    if operation <= 2 and text:  # a character deleted, duplicated or inserted
        at = draw(st.integers(0, len(text) - 1))
        if operation == 0:
            return text[:at] + text[at + 1 :]
        if operation == 1:
            return text[:at] + text[at] + text[at:]
        char = draw(st.sampled_from(list('()-+*/%,.:#"“0123456789 \n\tax_→≥≤×−')))
        return text[:at] + char + text[at:]
    if operation <= 6:  # a token deleted, duplicated, replaced, or one inserted
        tokens = _TOKENS.findall(text) or [""]
        at = draw(st.integers(0, len(tokens) - 1))
        if operation == 3:
            del tokens[at]
        elif operation == 4:
            tokens.insert(at, tokens[draw(st.integers(0, len(tokens) - 1))])
        elif operation == 5:
            tokens[at] = draw(st.sampled_from(_VOCABULARY))
        else:
            tokens.insert(at, draw(st.sampled_from(_VOCABULARY)))
        return "".join(tokens)
    lines = text.split("\n")
    a = draw(st.integers(0, len(lines) - 1))
    b = draw(st.integers(0, len(lines) - 1))
    if operation == 7:  # two lines swapped
        lines[a], lines[b] = lines[b], lines[a]
    elif operation == 8:  # a line deleted
        del lines[a]
    else:  # a line duplicated somewhere else
        lines.insert(b, lines[a])
    return "\n".join(lines)


@st.composite
def mutated_texts(draw: st.DrawFn, texts: st.SearchStrategy[str], max_edits: int = 3) -> str:
    """A text from ``texts`` after one to ``max_edits`` random edits."""
    text = draw(texts)
    for _ in range(draw(st.integers(1, max_edits))):
        text = _edit_text(draw, text)
    return text


def mutations_of(text: str, max_edits: int = 3) -> st.SearchStrategy[str]:
    """``text`` after one to ``max_edits`` random edits."""
    return mutated_texts(st.just(text), max_edits)


# ---------------------------------------------------------------- comments for the formatter

_COMMENT_ALPHABET = "abcđêôơưạảấỳ ĐHTX0123456789#\"“”'():,.-→(S)(R)"


def comment_texts() -> st.SearchStrategy[str]:
    """The text of a comment: ``#`` and anything but a line break."""
    return st.text(alphabet=_COMMENT_ALPHABET, max_size=12).map(lambda s: "#" + s)


@st.composite
def with_comments(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """A rubric from ``texts`` with comments added: after some lines, and on
    lines of their own before some lines, indented by 0 to 9 spaces (or a tab)."""
    lines = draw(texts).split("\n")
    result: list[str] = []
    for line in lines:
        if draw(st.integers(0, 5)) == 0:
            indent = draw(st.sampled_from(["", " ", "  ", "    ", "      ", "         ", "\t"]))
            result.append(indent + draw(comment_texts()))
        ending = ""
        if draw(st.integers(0, 3)) == 0:
            spaces = " " * draw(st.integers(0 if not line.strip() else 1, 4))
            ending = spaces + draw(comment_texts())
        result.append(line + ending)
    return "\n".join(result)
