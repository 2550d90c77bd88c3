"""How two rubrics pair up, and any mix of them built as a rule model.

:mod:`htx_rules.diff` lists what changed between two rubrics; this module
holds what that needs underneath, and what applying the changes needs:

* the pairing of old and new things — contestants and fields by name, parts
  and criteria by id and label (:func:`match`), places by rank, award
  conditions by condition and reason — and the order they are listed in
  (:func:`merged_order`);
* what a model declares and what its rules use (:func:`provided`,
  :func:`required`), the names a change touches;
* :class:`Plan`, which builds the old model with any set of the changes
  applied, and says what is wrong with such a model;
* :func:`plan_steps`, the order changes are applied in for an attribution,
  with the groups of changes that cannot be applied alone (:class:`Step`).

Pure functions; nothing here reads files.
"""

from __future__ import annotations

import difflib
import typing
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Generic, TypeAlias, TypeVar

import attrs

from htx_rules import model as m
from htx_rules.checker import Checker, all_items, scoring_exprs, walk
from htx_rules.decimals import Lang
from htx_rules.messages import render_message
from htx_rules.source import SourceText

if TYPE_CHECKING:
    from htx_rules.diff import Change, RubricDiff

#: Two labels are similar when difflib's ratio of their NFC, case-folded forms
#: is at least this (``docs/diff.md``, *Matching*).
SIMILARITY: Final = Fraction(3, 4)
#: What a same id adds to the label similarity when pairing items.
SAME_ID_BONUS: Final = Fraction(1, 2)

#: A name the rubric declares or uses: ``("field", "htx_moi")``, ``("item", "I.1")`` …
Symbol: TypeAlias = tuple[str, ...]
#: Where an item sits: ``("part", key)``, ``("section", "bonus")`` or ``("item", key)``.
Container: TypeAlias = tuple[str, str]

T = TypeVar("T")


# ---------------------------------------------------------------- pairing


def similarity(a: str, b: str) -> Fraction:
    """How alike two labels are, from 0 to 1: difflib's ratio (twice the matched
    characters over the total) of their NFC, case-folded forms, kept exact."""
    left = unicodedata.normalize("NFC", a).casefold()
    right = unicodedata.normalize("NFC", b).casefold()
    if not left and not right:
        return Fraction(1)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return Fraction(2 * matched, len(left) + len(right))


def match(
    old: Sequence[T],
    new: Sequence[T],
    ident: Callable[[T], Hashable],
    label: Callable[[T], str] | None = None,
) -> list[tuple[T | None, T | None]]:
    """Pair old things with new ones: by ``ident`` and, when given, ``label``.

    Without ``label``, things pair when their ids are equal.  With it, each
    possible pair scores the similarity of the labels, plus
    :data:`SAME_ID_BONUS` when the ids are equal; pairs are taken from the
    highest score down (earlier things first on equal scores), each thing at
    most once, while the score is at least :data:`SIMILARITY`.  So an
    unchanged id pairs unless its label is entirely different (below 1/4),
    and a renumbered item pairs by its label alone (at least 3/4).

    Returns the pairs, then the old things left (``(old, None)``), then the
    new things left (``(None, new)``).
    """
    pairs: list[tuple[T | None, T | None]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    if label is not None:
        # Same id and same label: the highest score there is, so these pairs
        # are taken first anyway; taking them now spares comparing them with
        # everything else.
        exact = {(ident(n), label(n)): j for j, n in enumerate(new)}
        for i, o in enumerate(old):
            j = exact.get((ident(o), label(o)))
            if j is not None and j not in taken_new:
                pairs.append((o, new[j]))
                taken_old.add(i)
                taken_new.add(j)
    if label is None:
        by_id = {ident(n): j for j, n in enumerate(new)}
        for i, o in enumerate(old):
            j = by_id.get(ident(o))
            if j is not None and j not in taken_new:
                pairs.append((o, new[j]))
                taken_old.add(i)
                taken_new.add(j)
    else:
        scored: list[tuple[Fraction, int, int]] = []
        for i, o in enumerate(old):
            if i in taken_old:
                continue
            for j, n in enumerate(new):
                if j in taken_new:
                    continue
                score = similarity(label(o), label(n))
                if ident(o) == ident(n):
                    score += SAME_ID_BONUS
                if score >= SIMILARITY:
                    scored.append((-score, i, j))
        for _score, i, j in sorted(scored):
            if i not in taken_old and j not in taken_new:
                pairs.append((old[i], new[j]))
                taken_old.add(i)
                taken_new.add(j)
    pairs.extend((o, None) for i, o in enumerate(old) if i not in taken_old)
    pairs.extend((None, n) for j, n in enumerate(new) if j not in taken_new)
    return pairs


def merged_order(old_keys: Sequence[T], new_keys: Sequence[T]) -> list[T]:
    """The new order, with each key only the old side has placed right after
    the old key before it: removed things are listed where they were."""
    result = list(new_keys)
    placed = set(result)
    previous: T | None = None
    for key in old_keys:
        if key not in placed:
            at = result.index(previous) + 1 if previous is not None else 0
            result.insert(at, key)
            placed.add(key)
        previous = key
    return result


@attrs.frozen
class Pair(Generic[T]):
    """Something of the old rubric and its counterpart in the new one (either may be None)."""

    key: str
    old: T | None
    new: T | None

    @property
    def either(self) -> T:
        """The new thing, or the old one when it was removed."""
        found = self.new if self.new is not None else self.old
        assert found is not None
        return found


def pairs(
    prefix: str,
    old: Sequence[T],
    new: Sequence[T],
    ident: Callable[[T], Hashable],
    label: Callable[[T], str] | None = None,
) -> list[Pair[T]]:
    """The things of both sides paired by :func:`match`, keyed ``PREFIX0``,
    ``PREFIX1`` …, in merged order (see :func:`merged_order`)."""
    matched = match(old, new, ident, label)
    keyed = [Pair(f"{prefix}{n}", o, w) for n, (o, w) in enumerate(matched)]
    old_pos = {id(p.old): p.key for p in keyed if p.old is not None}
    new_pos = {id(p.new): p.key for p in keyed if p.new is not None}
    order = merged_order([old_pos[id(o)] for o in old], [new_pos[id(w)] for w in new])
    by_key = {p.key: p for p in keyed}
    return [by_key[key] for key in order]


# ---------------------------------------------------------------- what a model reads


def expr_symbols(expr: m.Expr) -> Iterator[Symbol]:
    for sub in walk(expr):
        if isinstance(sub, m.FieldRef | m.Name):
            yield ("field", sub.name)
        elif isinstance(sub, m.ChoiceValue):
            yield ("choice", sub.field, sub.value)
        elif isinstance(sub, m.PointsOf):
            yield ("item", sub.item)
        elif isinstance(sub, m.DeadlineRef):
            yield ("deadline",)
        elif isinstance(sub, m.DossierComplete):
            yield ("dossier",)


def scoring_symbols(scoring: m.Scoring | None) -> Iterator[Symbol]:
    if scoring is None:
        return
    for expr in scoring_exprs(scoring):
        yield from expr_symbols(expr)
    if isinstance(scoring, m.Banded) and isinstance(scoring.subject, m.FieldRef):
        for arm in scoring.arms:
            if isinstance(arm, m.ChoiceArm):
                for value in arm.values:
                    yield ("choice", scoring.subject.name, value)


def tie_symbols(key: m.TieBreak) -> Iterator[Symbol]:
    if key.subject == "part" and key.ref:
        yield ("part", key.ref)
    elif key.subject == "criterion" and key.ref:
        yield ("item", key.ref)
    elif key.subject in ("bonus", "deduction"):
        yield ("section", key.subject)
    elif key.subject == "field" and key.ref:
        yield ("field", key.ref)


_EXPRESSIONS: Final = typing.get_args(m.Expr)
_SCORING_FORMS: Final = typing.get_args(m.Scoring)


def value_symbols(value: Any) -> Iterator[Symbol]:
    """The names a value of a change mentions (fields, choices, items …)."""
    if isinstance(value, tuple | list):
        for element in value:
            yield from value_symbols(element)
    elif isinstance(value, _EXPRESSIONS):
        yield from expr_symbols(value)
    elif isinstance(value, _SCORING_FORMS):
        yield from scoring_symbols(value)
    elif isinstance(value, m.TieBreak):
        yield from tie_symbols(value)
    elif isinstance(value, m.Criterion):
        yield ("item", value.id)
        yield from scoring_symbols(value.scoring)
        yield from (("item", required) for required in value.requires)
    elif isinstance(value, m.Eligibility):
        yield from expr_symbols(value.condition)
    elif isinstance(value, m.Field):
        yield ("field", value.name)
        yield from (("choice", value.name, choice.value) for choice in value.choices)
    elif isinstance(value, m.ThresholdArm | m.CaseArm | m.OtherwiseArm | m.ChoiceArm):
        for expr in _arm_exprs(value):
            yield from expr_symbols(expr)
    elif isinstance(value, m.Stepped):
        yield from expr_symbols(value.points)
        yield from expr_symbols(value.size)


def _arm_exprs(arm: m.Arm) -> Iterator[m.Expr]:
    if isinstance(arm, m.ThresholdArm):
        yield arm.bound
    elif isinstance(arm, m.CaseArm):
        yield arm.condition
    yield arm.points


def provided(model: m.RubricModel) -> set[Symbol]:
    """Everything a model declares that rules may refer to."""
    names: set[Symbol] = set()
    for field in model.fields:
        names.add(("field", field.name))
        names.update(("choice", field.name, c.value) for c in field.choices)
    names.update(("item", item.id) for item in all_items(model))
    names.update(("part", part.id) for part in model.parts)
    names.update(("section", s.kind) for s in (model.bonus, model.deduction) if s is not None)
    if model.header.deadline is not None:
        names.add(("deadline",))
    if model.dossier:
        names.add(("dossier",))
    return names


def required(model: m.RubricModel) -> set[Symbol]:
    """Everything the rules of a model refer to."""
    names: set[Symbol] = set()
    for item in all_items(model):
        names.update(scoring_symbols(item.scoring))
        names.update(("item", r) for r in item.requires)
    if model.awards is not None:
        for line in model.awards.eligibility:
            names.update(expr_symbols(line.condition))
        for key in model.awards.tie_breaks:
            names.update(tie_symbols(key))
    return names


# ---------------------------------------------------------------- applying changes


def set_in(obj: Any, path: Sequence[str | int], updates: Mapping[str, Any]) -> Any:
    """``obj`` with the attrs object at ``path`` inside it evolved with ``updates``."""
    if not path:
        return attrs.evolve(obj, **updates)
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        items = list(obj)
        items[step] = set_in(items[step], rest, updates)
        return tuple(items)
    return attrs.evolve(obj, **{step: set_in(getattr(obj, step), rest, updates)})


@attrs.frozen
class Step:
    """Changes applied together in one step of an attribution.

    Attributes:
        number: The step's number, from 1.
        changes: The changes applied in this step (one, or a group that cannot
            be applied separately), in the diff's order.
        reason: For a group: a name the changes share, that makes the rubric
            in between invalid when they are applied one by one
            (``("field", "htx_chuyen_doi_so")``); None for a single change.
    """

    number: int
    changes: tuple[Change, ...]
    reason: Symbol | None = None

    def reason_text(self, lang: Lang = "vi") -> str | None:
        """Why the changes of a group are applied together, in words."""
        if self.reason is None:
            return None
        return render_message("diff-group", {"what": _symbol_words(self.reason, lang)}, lang)


def _symbol_words(symbol: Symbol, lang: Lang) -> str:
    kind = symbol[0]
    if kind == "section":
        return render_message(f"diff-section-{symbol[1]}", {}, lang)
    if kind == "choice":
        return render_message("diff-symbol-choice", {"field": symbol[1], "name": symbol[2]}, lang)
    if kind == "container":
        if symbol[1] == "awards":
            return render_message("diff-symbol-awards", {}, lang)
        return container_words((symbol[1], symbol[2]), lang)
    return render_message(f"diff-symbol-{kind}", {"name": symbol[-1]}, lang)


def container_words(container: tuple[str, str], lang: Lang) -> str:
    """A container for people: ``phần III``, ``tiêu chí I.4``, ``điểm cộng``."""
    where, ref = container
    if where == "section":
        return render_message(f"diff-section-{ref}", {}, lang)
    return render_message(f"diff-in-{where}", {"id": ref}, lang)


#: Diagnostics expected while changes are applied one at a time: maxima that do
#: not add up yet (a point moving from one criterion to another), and an award
#: minimum above a total that has not been raised yet.
_TOLERATED: Final = frozenset(
    {"total-mismatch", "part-max-mismatch", "criterion-max-mismatch", "minimum-too-high"}
)


def _code(contestant: m.Contestant) -> str:
    return contestant.code


def _name(field: m.Field) -> str:
    return field.name


def _id(thing: m.Part | m.Criterion | m.Document) -> str:
    return thing.id


def _label(thing: m.Part | m.Criterion) -> str:
    return thing.label


def _rank(place: m.Place) -> int:
    return place.rank


def _condition(line: m.Eligibility) -> m.Expr:
    return line.condition


def _reason(line: m.Eligibility) -> str:
    return line.reason


class Plan:
    """The pairing of two models, and how to build any mix of them."""

    def __init__(self, old: m.RubricModel, new: m.RubricModel) -> None:
        self.old = old
        self.new = new
        #: the changes found, filled in by :mod:`htx_rules.diff`
        self.changes: list[Change] = []
        self.contestants = pairs("c", old.contestants, new.contestants, _code)
        self.fields = pairs("f", old.fields, new.fields, _name)
        self.parts = pairs("p", old.parts, new.parts, _id, _label)
        self.items = pairs("i", list(all_items(old)), list(all_items(new)), _id, _label)
        # Sections are keyed by their kind, bonus first, as the changes refer to them.
        self.sections = [
            Pair(kind, o, n)
            for kind, o, n in (
                ("bonus", old.bonus, new.bonus),
                ("deduction", old.deduction, new.deduction),
            )
            if o is not None or n is not None
        ]
        self.documents = pairs("d", old.dossier, new.dossier, _id)
        old_places = old.awards.places if old.awards else ()
        new_places = new.awards.places if new.awards else ()
        self.places = pairs("a", old_places, new_places, _rank)
        old_lines = old.awards.eligibility if old.awards else ()
        new_lines = new.awards.eligibility if new.awards else ()
        self.eligibility = pairs("e", old_lines, new_lines, _condition, _reason)
        # Where each item sits, on either side, as container keys.
        self.old_container: dict[str, Container] = {}
        self.new_container: dict[str, Container] = {}
        self._locate(old, self.old_container, lambda p: p.old)
        self._locate(new, self.new_container, lambda p: p.new)

    # ------------------------------------------------------------ containers

    def _locate(
        self,
        model: m.RubricModel,
        into: dict[str, Container],
        side: Callable[[Pair[Any]], Any],
    ) -> None:
        item_key = {id(side(p)): p.key for p in self.items if side(p) is not None}
        part_key = {id(side(p)): p.key for p in self.parts if side(p) is not None}

        def visit(items: Sequence[m.Criterion], container: Container) -> None:
            for item in items:
                key = item_key[id(item)]
                into[key] = container
                visit(item.children, ("item", key))

        for part in model.parts:
            visit(part.criteria, ("part", part_key[id(part)]))
        for section in (model.bonus, model.deduction):
            if section is not None:
                visit(section.rules, ("section", section.kind))

    def readable(self, symbol: Symbol) -> Symbol:
        """A symbol with an item's internal key replaced by its id."""
        if symbol[0] == "shape":
            pair = next(p for p in self.items if p.key == symbol[1])
            return ("shape", pair.either.id)
        return symbol

    def container_id(self, container: Container) -> tuple[str, str]:
        """A container named for people: ``("part", "III")``, ``("item", "I.4")``."""
        where, key = container
        if where == "section":
            return ("section", key)
        found: Sequence[Pair[Any]] = self.parts if where == "part" else self.items
        pair = next(p for p in found if p.key == key)
        return (where, pair.either.id)

    # ------------------------------------------------------------ building

    def build(self, applied: Collection[int]) -> tuple[m.RubricModel, frozenset[Symbol]]:
        """The old model with the changes numbered ``applied``, and what is
        structurally wrong with it (names used but not declared, items whose
        container is absent, criteria with both or neither of a scoring form
        and sub-criteria)."""
        by_target: dict[tuple[str, str], list[Change]] = defaultdict(list)
        for number in sorted(applied):
            change = self.changes[number]
            by_target[change.target].append(change)
        old, new = self.old, self.new

        def merged(collection: str, pairs: Sequence[Pair[T]]) -> list[tuple[str, T]]:
            result = []
            for pair in pairs:
                ops = by_target.get((collection, pair.key), [])
                if pair.old is None:
                    if not any(c.op == "add" for c in ops):
                        continue
                    assert pair.new is not None
                    base = pair.new
                elif pair.new is None and any(c.op == "remove" for c in ops):
                    continue
                else:
                    base = pair.old
                for change in ops:
                    if change.op == "update":
                        base = set_in(base, change.path, dict(change.updates))
                result.append((pair.key, base))
            return result

        header = old.header
        for change in by_target.get(("header", ""), []):
            header = set_in(header, change.path, dict(change.updates))
        contestants = tuple(c for _, c in merged("contestant", self.contestants))
        fields = tuple(f for _, f in merged("field", self.fields))
        documents = tuple(d for _, d in merged("document", self.documents))
        violations: set[Symbol] = set()

        # Items: each with its own attributes, then put in its container.
        present: dict[str, m.Criterion] = {}
        container_of: dict[str, Container] = {}
        for key, item in merged("item", self.items):
            present[key] = item
            container = self.old_container.get(key) or self.new_container[key]
            for change in by_target.get(("item", key), []):
                if change.op == "move":
                    container = dict(change.updates)["container"]
            container_of[key] = container
        children: dict[Container, list[str]] = defaultdict(list)
        for key in present:  # merged order
            children[container_of[key]].append(key)

        def build_item(key: str) -> m.Criterion:
            item = present[key]
            kids = tuple(build_item(k) for k in children.get(("item", key), ()))
            if bool(kids) == (item.scoring is not None):
                violations.add(("shape", key))
            return attrs.evolve(item, children=kids)

        used: set[Container] = set()
        parts = []
        for key, part in merged("part", self.parts):
            used.add(("part", key))
            criteria = tuple(build_item(k) for k in children.get(("part", key), ()))
            parts.append(attrs.evolve(part, criteria=criteria))
        sections: dict[str, m.Section] = {}
        for key, section in merged("section", self.sections):
            used.add(("section", key))
            rules = tuple(build_item(k) for k in children.get(("section", key), ()))
            sections[key] = attrs.evolve(section, rules=rules)
        used.update(("item", key) for key in present)
        for container in children:
            if container not in used:
                violations.add(("container", *self.container_id(container)))

        awards: m.Awards | None = old.awards
        award_changes = by_target.get(("awards", ""), [])
        if any(c.op == "add" for c in award_changes):
            awards = new.awards
        elif any(c.op == "remove" for c in award_changes):
            awards = None
        for change in award_changes:
            if change.op == "update" and awards is not None:
                awards = set_in(awards, change.path, dict(change.updates))
        places = tuple(p for _, p in merged("place", self.places))
        lines = tuple(e for _, e in merged("eligibility", self.eligibility))
        if awards is not None:
            awards = attrs.evolve(awards, places=places, eligibility=lines)
        elif places or lines:
            violations.add(("container", "awards", ""))

        model = m.RubricModel(
            header=header,
            contestants=contestants,
            fields=fields,
            parts=tuple(parts),
            bonus=sections.get("bonus"),
            deduction=sections.get("deduction"),
            awards=awards,
            dossier=documents,
        )
        violations.update(required(model) - provided(model))
        ids = [item.id for item in all_items(model)]
        violations.update(("duplicate", i) for i in ids if ids.count(i) > 1)
        return model, frozenset(violations)

    def checker_problems(self, model: m.RubricModel) -> frozenset[Symbol]:
        """What the compiler refuses in a built model, besides maxima that do
        not add up (expected while a point moves from one criterion to another),
        as ``("checker", code, where)`` symbols."""
        checker = Checker(SourceText("<diff>", ""), model)
        checker.check()
        found: set[Symbol] = set()
        items = list(all_items(model))
        for diagnostic in checker.diagnostics:
            if diagnostic.severity != "error" or diagnostic.code in _TOLERATED:
                continue
            found.add(("checker", diagnostic.code))
            # The innermost item the problem is in names what to apply with it.
            span = diagnostic.span
            around = [
                item
                for item in items
                if span is not None
                and item.span.file == span.file
                and item.span.line <= span.line <= item.span.end_line
            ]
            if around:
                item = min(around, key=lambda i: i.span.end_line - i.span.line)
                found.add(("item", item.id))
                found.update(scoring_symbols(item.scoring))
        return frozenset(found)


# ---------------------------------------------------------------- the order of application


def plan_steps(diff: RubricDiff) -> tuple[Step, ...]:
    """The changes in the order they are applied for an attribution: one step
    per change, except changes that cannot be applied alone, which are applied
    together (``docs/diff.md``, *Attribution*).

    Two passes.  First, each change is tried alone on the old rubric: if it
    uses a name nothing declares there (a new criterion reading a new field, a
    field removed while a criterion still reads it, a renumbered id still
    required by another item, a rule of a new section), it is grouped with the
    changes that touch that name.  Second, the groups are applied one after
    the other in the diff's order, each where its last change is listed;
    should the rubric in between still be invalid (two items with one id for a
    moment, anything else the compiler refuses besides maxima that do not add
    up yet), the group takes in the next groups that touch the problem, or
    else the next group in order.
    """
    changes = diff.changes
    pending, reasons = _groups(diff)
    applied: list[Change] = []
    steps: list[Step] = []
    while pending:
        members = pending.pop(0)
        reason = next((reasons[n] for n in members if n in reasons), None)
        while problems := diff.problems([*applied, *(changes[n] for n in members)]):
            named = {("item", p[1]) if p[0] == "duplicate" else p for p in problems}
            chosen = [g for g in pending if not _touched(changes, g).isdisjoint(named)]
            chosen = chosen or pending[:1]
            if not chosen:  # pragma: no cover - the whole diff always gives the new rubric
                break
            shared = named & _touched(changes, [n for g in chosen for n in g])
            reason = reason or min(shared or named, key=str)
            for later in chosen:
                pending.remove(later)
                members = sorted(members + later)
        step = tuple(changes[n] for n in members)
        readable = diff.plan.readable(reason) if reason is not None and len(step) > 1 else None
        steps.append(Step(len(steps) + 1, step, readable))
        applied.extend(step)
    return tuple(steps)


def _groups(diff: RubricDiff) -> tuple[list[list[int]], dict[int, Symbol]]:
    """The changes (by number) in groups that can each be applied alone to the
    old rubric, in the order they are applied, and why a change was grouped."""
    changes = diff.changes
    parent = list(range(len(changes)))
    reasons: dict[int, Symbol] = {}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for number in range(len(changes)):
        group = {number}
        while True:
            _model, violations = diff.plan.build(group)
            needs = {v for v in violations if v[0] != "duplicate"}
            partners = {
                n
                for n, c in enumerate(changes)
                if n not in group and not c.touches.isdisjoint(needs)
            }
            if not partners:
                break
            reasons.setdefault(number, min(needs & _touched(changes, partners), key=str))
            group |= partners
        for other in group:
            a, b = root(number), root(other)
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for number in range(len(changes)):
        groups[root(number)].append(number)
    # A group is applied where its last change is listed: by then every change
    # listed before it has been applied (a renumbering that frees an id, say).
    return sorted(groups.values(), key=max), reasons


def _touched(changes: Sequence[Change], numbers: Iterable[int]) -> set[Symbol]:
    """Every name the changes numbered ``numbers`` touch."""
    found: set[Symbol] = set()
    for number in numbers:
        found |= changes[number].touches
    return found


__all__ = [
    "SAME_ID_BONUS",
    "SIMILARITY",
    "Pair",
    "Plan",
    "Step",
    "container_words",
    "match",
    "merged_order",
    "plan_steps",
    "provided",
    "required",
    "similarity",
]
