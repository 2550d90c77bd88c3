"""Two rubrics compared: what changed, in words a policy officer reads.

:func:`diff_rubrics` compares two checked rule models — never their text, so a
file that is only reformatted or re-commented has no differences — and lists
every change as a :class:`Change`: the header, the contestants, the evidence
fields, the parts, every criterion and rule (down to a threshold's bound and
the points of one band), the bonus and deduction sections, the dossier and the
awards.  Criteria and rules are paired by id and label together, then by label
alone (renumbered), then by id alone (reworded); see
:func:`~htx_rules.diffplan.match` and ``docs/diff.md``.

Each change also knows how to apply itself to the old model, so that "the old
rubric with these changes" can be built for any set of changes
(:meth:`RubricDiff.apply`); :func:`~htx_rules.diffplan.plan_steps` orders the
changes for applying them one at a time, and :mod:`htx_rules.rescoring` scores
evidence under each step to attribute a unit's change in total.

Pure functions; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from htx_rules import model as m
from htx_rules.decimals import Lang
from htx_rules.diffplan import (
    Pair,
    Plan,
    Step,
    Symbol,
    plan_steps,
    value_symbols,
)
from htx_rules.messages import TypeWord, render_message
from htx_rules.shown import Bound, Shown, show_value, value_text
from htx_rules.source import Span

ChangeOp = Literal["add", "remove", "move", "update"]


# ---------------------------------------------------------------- one change


@attrs.frozen
class Change:
    """One difference between two rubrics.

    Attributes:
        kind: What changed, a stable code (``item-max``, ``threshold``,
            ``place-prize`` …); its sentence is the message ``diff-KIND``.
        section: Where it is listed: ``header``, ``contestants``,
            ``evidence``, ``part I`` (a part, by its id in the new rubric),
            ``bonus``, ``deduction``, ``dossier`` or ``awards``.
        item: The id of what changed (a criterion or rule, a part, a field, a
            contestant's code, a place, a document), or None for the header
            and the sections.
        label: Its label (the new one when it has both).
        old: The old value (its ``value`` is None when added).
        new: The new value (None when removed).
        old_span: Where it is in the old rubric (None when added).
        new_span: Where it is in the new rubric (None when removed).
        args: Further words of the sentence (the band a threshold belongs to …).
    """

    kind: str
    section: str
    item: str | None
    label: str | None
    old: Shown
    new: Shown
    old_span: Span | None
    new_span: Span | None
    args: tuple[tuple[str, Any], ...] = ()
    # How to apply it to a model (see RubricDiff.apply); not part of what it says.
    target: tuple[str, str] = attrs.field(default=("", ""), repr=False, eq=False)
    op: ChangeOp = attrs.field(default="update", repr=False, eq=False)
    path: tuple[str | int, ...] = attrs.field(default=(), repr=False, eq=False)
    updates: tuple[tuple[str, Any], ...] = attrs.field(default=(), repr=False, eq=False)
    touches: frozenset[Symbol] = attrs.field(default=frozenset(), repr=False, eq=False)

    def subject(self, lang: Lang = "vi") -> str | None:
        """What the change is about, as its sentence starts: ``I.9.b``,
        ``phần III``, ``giải 1``; None for the header and the sections."""
        if self.item is None:
            return None
        if self.kind.startswith("part-"):
            return render_message("diff-in-part", {"id": self.item}, lang)
        if self.kind.startswith("place-"):
            return render_message("diff-place", {"id": self.item}, lang)
        return self.item

    def detail(self, lang: Lang = "vi") -> str:
        """The sentence without its subject: ``ngưỡng ≥ 80% → ≥ 85% (mức 3 điểm)``."""
        args = {"id": self.item, "label": self.label, "old": self.old, "new": self.new}
        args.update(self.args)
        return render_message(f"diff-{self.kind}", args, lang)

    def text(self, lang: Lang = "vi") -> str:
        """The whole sentence: ``II.2: ngưỡng ≥ 80% → ≥ 85% (mức 3 điểm)``."""
        subject = self.subject(lang)
        detail = self.detail(lang)
        return f"{subject}: {detail}" if subject else detail


# ---------------------------------------------------------------- the diff


@attrs.frozen(eq=False)
class RubricDiff:
    """Every difference between two rubrics, in the order they are listed.

    Attributes:
        old: The old rubric's model.
        new: The new rubric's model.
        changes: The changes: the header, the contestants, the evidence
            fields, each part with its criteria, the bonus and deduction
            sections with their rules, the dossier, the awards.
        old_name: The old rubric's file name (as loaded).
        new_name: The new rubric's file name.
        old_sha256: The SHA-256 of the old rubric file (None when compared as a model).
        new_sha256: The SHA-256 of the new rubric file (None when compared as a model).
        plan: How the two rubrics pair up (:class:`~htx_rules.diffplan.Plan`).
    """

    old: m.RubricModel = attrs.field(repr=False)
    new: m.RubricModel = attrs.field(repr=False)
    changes: tuple[Change, ...]
    old_name: str
    new_name: str
    old_sha256: str | None
    new_sha256: str | None
    plan: Plan = attrs.field(repr=False)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def sections(self) -> list[tuple[str, tuple[Change, ...]]]:
        """The changes grouped by :attr:`Change.section`, in order."""
        grouped: dict[str, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.section, []).append(change)
        return [(name, tuple(changes)) for name, changes in grouped.items()]

    def apply(self, changes: Iterable[Change]) -> m.RubricModel:
        """The old model with ``changes`` (changes of this diff) applied.

        With every change applied the result equals the new model; with none,
        the old one.  A set of changes may give a model the compiler would
        refuse (a rule reading a field not declared yet): :meth:`problems`
        says so, and :func:`~htx_rules.diffplan.plan_steps` groups such changes.
        """
        model, _violations = self.plan.build(self._numbers(changes))
        return model

    def problems(self, changes: Iterable[Change]) -> frozenset[Symbol]:
        """What is wrong with :meth:`apply` of ``changes``: names used but not
        declared, items without their container, ids used twice, and what
        else the compiler refuses (``("checker", code)``), besides maxima that
        do not add up yet; empty when the model is valid."""
        model, violations = self.plan.build(self._numbers(changes))
        return violations or self.plan.checker_problems(model)

    def _numbers(self, changes: Iterable[Change]) -> frozenset[int]:
        position = {id(c): n for n, c in enumerate(self.changes)}
        found = set()
        for change in changes:
            number = position.get(id(change))
            if number is None:
                raise ValueError(f"not a change of this diff: {change!r}")
            found.add(number)
        return frozenset(found)


# ---------------------------------------------------------------- finding the changes


def _span_of(thing: Any) -> Span | None:
    return getattr(thing, "span", None) if thing is not None else None


@attrs.frozen
class _About:
    """What the changes being recorded are about, and where they are written."""

    section: str
    item: str | None
    label: str | None
    spans: tuple[Span | None, Span | None]
    target: tuple[str, str]


def _about(
    section: str, item: str | None, label: str | None, old: Any, new: Any, target: tuple[str, str]
) -> _About:
    return _About(section, item, label, (_span_of(old), _span_of(new)), target)


class _Differ:
    """Walks two models side by side and records every change in the plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def add(
        self,
        kind: str,
        about: _About,
        shown: str,
        old: Any,
        new: Any,
        *,
        op: ChangeOp = "update",
        path: tuple[str | int, ...] = (),
        updates: Mapping[str, Any] | None = None,
        args: Mapping[str, Any] | None = None,
        touches: Iterable[Symbol] = (),
        spans: tuple[Span | None, Span | None] | None = None,
    ) -> None:
        names = {*touches, *value_symbols(old), *value_symbols(new)}
        before, after = spans or about.spans
        change = Change(
            kind=kind,
            section=about.section,
            item=about.item,
            label=about.label,
            old=Shown(shown, old),
            new=Shown(shown, new),
            old_span=before,
            new_span=after,
            args=tuple((args or {}).items()),
            target=about.target,
            op=op,
            path=path,
            updates=tuple((updates or {}).items()),
            touches=frozenset(names),
        )
        self.plan.changes.append(change)

    def attr(
        self,
        kind: str,
        about: _About,
        shown: str,
        old: Any,
        new: Any,
        name: str,
        *,
        also: Mapping[str, Any] | None = None,
        touches: Iterable[Symbol] = (),
    ) -> None:
        """A change when attribute ``name`` differs; applied by setting it
        (and the attributes in ``also``, such as its spans)."""
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            updates = {name: after, **(also or {})}
            self.add(kind, about, shown, before, after, updates=updates, touches=touches)

    def presence(
        self,
        kind: str,
        about: _About,
        added: bool,
        shown: str = "plain",
        value: Any = None,
        *,
        args: Mapping[str, Any] | None = None,
        touches: Iterable[Symbol] = (),
    ) -> None:
        """``KIND-added`` or ``KIND-removed``; ``value`` is shown on its side."""
        op: ChangeOp = "add" if added else "remove"
        old, new = (None, value) if added else (value, None)
        name = f"{kind}-added" if added else f"{kind}-removed"
        self.add(name, about, shown, old, new, op=op, args=args, touches=touches)

    def others(self, old: Any, new: Any, handled: set[str], about: _About) -> None:
        """Any other attribute that differs (one a later model may add), named as it is."""
        for field in attrs.fields(type(old)):
            before, after = getattr(old, field.name), getattr(new, field.name)
            if field.name not in handled and field.eq and before != after:
                updates = {field.name: after}
                args = {"attribute": field.name}
                self.add("attribute", about, "plain", before, after, updates=updates, args=args)

    # ------------------------------------------------------------ header

    def header(self) -> None:
        old, new = self.plan.old.header, self.plan.new.header
        about = _about("header", None, None, old, new, ("header", ""))
        for name, shown in (("id", "plain"), ("title", "label"), ("year", "plain")):
            self.attr(f"header-{name}", about, shown, old, new, name)
        self.attr("header-scored", about, "label", old, new, "scored")
        self.attr("header-total", about, "points", old, new, "total")
        period = ("period_start", "period_end", "estimated_to")
        before = tuple(getattr(old, a) for a in period)
        after = tuple(getattr(new, a) for a in period)
        if before != after:
            self.add(
                "header-period",
                about,
                "period",
                before if any(before) else None,
                after if any(after) else None,
                updates=dict(zip(period, after, strict=True)),
            )
        self.attr("header-deadline", about, "date", old, new, "deadline", touches={("deadline",)})
        self.attr("header-language", about, "plain", old, new, "language")
        self.attr("header-rounding", about, "rounding", old, new, "rounding")
        self.attr("header-step", about, "points", old, new, "step")
        handled = {"id", "title", "year", "scored", "total", "deadline", "language", "rounding"}
        self.others(old, new, handled | {"step", *period}, about)

    # ------------------------------------------------------------ contestants, fields, dossier

    def contestants(self) -> None:
        for pair in self.plan.contestants:
            o, n, thing = pair.old, pair.new, pair.either
            about = _about("contestants", thing.code, thing.name, o, n, ("contestant", pair.key))
            if o is None or n is None:
                self.presence("contestant", about, o is None)
            else:
                self.attr(
                    "contestant-name", about, "label", o, n, "name", also={"name_span": n.name_span}
                )

    def fields(self) -> None:
        for pair in self.plan.fields:
            o, n, thing = pair.old, pair.new, pair.either
            about = _about("evidence", thing.name, thing.label, o, n, ("field", pair.key))
            if o is None or n is None:
                self.presence(
                    "field",
                    about,
                    o is None,
                    args={"type": TypeWord(thing.type)},
                    touches=value_symbols(thing),
                )
                continue
            own = {("field", n.name)}
            self.attr("field-type", about, "type", o, n, "type", touches=own)
            self.attr("field-label", about, "label", o, n, "label")
            if (o.minimum, o.maximum) != (n.minimum, n.maximum):
                spans = {"minimum_span": n.minimum_span, "maximum_span": n.maximum_span}
                self.add(
                    "field-bounds",
                    about,
                    "bounds",
                    (o.minimum, o.maximum),
                    (n.minimum, n.maximum),
                    touches=own,
                    updates={"minimum": n.minimum, "maximum": n.maximum, **spans},
                )
            choices = {("choice", n.name, c.value) for c in o.choices + n.choices}
            self.attr("field-choices", about, "choices", o, n, "choices", touches=own | choices)
            self.attr("field-unit", about, "label", o, n, "unit")
            handled = {"name", "type", "label", "choices", "minimum", "maximum", "unit"}
            self.others(o, n, handled, about)

    def documents(self) -> None:
        for pair in self.plan.documents:
            o, n, thing = pair.old, pair.new, pair.either
            about = _about("dossier", thing.id, thing.label, o, n, ("document", pair.key))
            if o is None or n is None:
                self.presence("document", about, o is None, touches={("dossier",)})
            else:
                self.attr("document-label", about, "label", o, n, "label")

    # ------------------------------------------------------------ parts, sections, items

    def structure(self) -> None:
        plan = self.plan
        listed: dict[str, list[Pair[m.Criterion]]] = {}
        for pair in plan.items:
            container = plan.new_container.get(pair.key) or plan.old_container[pair.key]
            listed.setdefault(self.section_of(container), []).append(pair)
        for part in plan.parts:
            section = f"part {part.either.id}"
            self.part(part, section)
            for pair in listed.get(section, []):
                self.item(pair, section)
        for section_pair in plan.sections:
            self.section(section_pair)
            for pair in listed.get(section_pair.key, []):
                self.item(pair, section_pair.key)

    def section_of(self, container: tuple[str, str]) -> str:
        """``part ID`` or ``bonus``/``deduction``: where an item is listed."""
        plan = self.plan
        while container[0] == "item":
            key = container[1]
            container = plan.new_container.get(key) or plan.old_container[key]
        if container[0] == "section":
            return container[1]
        return f"part {plan.container_id(container)[1]}"

    def part(self, pair: Pair[m.Part], section: str) -> None:
        o, n, thing = pair.old, pair.new, pair.either
        about = _about(section, thing.id, thing.label, o, n, ("part", pair.key))
        if o is None or n is None:
            own = {("container", "part", thing.id), ("part", thing.id)}
            self.presence("part", about, o is None, "points", thing.maximum, touches=own)
            return
        self.attr("part-id", about, "plain", o, n, "id", touches={("part", o.id), ("part", n.id)})
        self.attr("part-label", about, "label", o, n, "label")
        self.attr("part-max", about, "points", o, n, "maximum")
        self.others(o, n, {"id", "label", "maximum", "criteria"}, about)

    def section(self, pair: Pair[m.Section]) -> None:
        o, n, thing = pair.old, pair.new, pair.either
        about = _about(pair.key, None, thing.label, o, n, ("section", pair.key))
        if o is None or n is None:
            own = {("container", "section", pair.key), ("section", pair.key)}
            self.presence(
                f"section-{pair.key}", about, o is None, "points", thing.maximum, touches=own
            )
            return
        self.attr("section-label", about, "label", o, n, "label")
        self.attr(f"section-max-{pair.key}", about, "points", o, n, "maximum")
        self.others(o, n, {"kind", "label", "maximum", "rules"}, about)

    def item(self, pair: Pair[m.Criterion], section: str) -> None:
        plan = self.plan
        o, n, thing = pair.old, pair.new, pair.either
        about = _about(section, thing.id, thing.label, o, n, ("item", pair.key))
        old_in = plan.old_container.get(pair.key)
        new_in = plan.new_container.get(pair.key)
        places: set[Symbol] = set()
        for container in (old_in, new_in):
            if container is not None:
                places.add(("container", *plan.container_id(container)))
                if container[0] == "item":
                    places.add(("shape", container[1]))
        own = {("shape", pair.key), ("container", "item", thing.id)}
        if o is None or n is None:
            noun = "rule" if (new_in or old_in or ("", ""))[0] == "section" else "criterion"
            args = {
                "max": thing.maximum,
                "how": Shown("how", thing.scoring),
                "noun": Shown("noun", noun),
            }
            requires = {("item", r) for r in thing.requires}
            self.presence(
                "item",
                about,
                o is None,
                "scoring",
                thing.scoring,
                args=args,
                touches=own | places | requires | {("item", thing.id)},
            )
            return
        ids = {("item", o.id), ("item", n.id)}
        self.attr("item-id", about, "plain", o, n, "id", touches=ids | own)
        if old_in != new_in:
            assert old_in is not None
            assert new_in is not None
            self.add(
                "item-moved",
                about,
                "container",
                plan.container_id(old_in),
                plan.container_id(new_in),
                op="move",
                updates={"container": new_in},
                touches=places | own,
            )
        self.attr("item-label", about, "label", o, n, "label")
        self.attr("item-max", about, "points", o, n, "maximum")
        if o.scoring != n.scoring:
            _ScoringDiffer(self, about, own).compare(o.scoring, n.scoring)
        requires = {("item", r) for r in o.requires + n.requires}
        self.attr(
            "item-requires",
            about,
            "ids",
            o,
            n,
            "requires",
            also={"requires_spans": n.requires_spans},
            touches=requires,
        )
        self.attr("item-note", about, "label", o, n, "note")
        handled = {"id", "label", "maximum", "scoring", "children", "requires", "note"}
        self.others(o, n, handled, about)

    # ------------------------------------------------------------ awards

    def awards(self) -> None:
        old, new = self.plan.old.awards, self.plan.new.awards
        if old is None and new is None:
            return
        about = _about("awards", None, None, old, new, ("awards", ""))
        own = {("container", "awards", "")}
        if old is None or new is None:
            thing = old or new
            assert thing is not None
            ties = set(value_symbols(thing.tie_breaks))
            self.presence("awards", about, old is None, touches=own | ties)
        self.places()
        self.conditions()
        if old is None or new is None:
            return
        minimum = attrs.evolve(
            about, spans=(old.minimum_span or old.span, new.minimum_span or new.span)
        )
        self.attr(
            "awards-minimum",
            minimum,
            "points",
            old,
            new,
            "minimum",
            also={"minimum_span": new.minimum_span},
        )
        first = (_first_span(old.tie_breaks, old.span), _first_span(new.tie_breaks, new.span))
        self.attr("awards-ties", attrs.evolve(about, spans=first), "ties", old, new, "tie_breaks")
        if old.still_tied != new.still_tied:
            self.add(
                "awards-still-tied",
                about,
                "policy",
                old.still_tied or "none",
                new.still_tied or "none",
                updates={"still_tied": new.still_tied},
            )
        handled = {"places", "minimum", "tie_breaks", "still_tied", "eligibility"}
        self.others(old, new, handled, about)

    def places(self) -> None:
        own = {("container", "awards", "")}
        for pair in self.plan.places:
            o, n, thing = pair.old, pair.new, pair.either
            about = _about("awards", str(thing.rank), thing.label, o, n, ("place", pair.key))
            if o is None or n is None:
                self.presence("place", about, o is None, "money", thing.prize, touches=own)
                continue
            self.attr("place-label", about, "label", o, n, "label")
            self.attr("place-prize", about, "money", o, n, "prize")

    def conditions(self) -> None:
        own = {("container", "awards", "")}
        for pair in self.plan.eligibility:
            o, n, thing = pair.old, pair.new, pair.either
            about = _about("awards", None, thing.reason, o, n, ("eligibility", pair.key))
            if o is None or n is None:
                self.presence(
                    "eligibility",
                    about,
                    o is None,
                    "expr",
                    thing.condition,
                    touches=own | set(value_symbols(thing.condition)),
                )
                continue
            self.attr("eligibility-condition", about, "expr", o, n, "condition")
            if o.reason != n.reason:
                self.add(
                    "eligibility-reason",
                    about,
                    "label",
                    o.reason,
                    n.reason,
                    updates={"reason": n.reason},
                    args={"condition": Shown("expr", n.condition)},
                )


def _first_span(keys: Sequence[m.TieBreak], default: Span) -> Span:
    return keys[0].span if keys else default


class _ScoringDiffer:
    """The changes inside one scoring form, as fine as the two forms allow."""

    def __init__(self, differ: _Differ, about: _About, own: set[Symbol]) -> None:
        self.differ = differ
        self.about = about
        self.own = own

    def add(
        self,
        kind: str,
        shown: str,
        old: Any,
        new: Any,
        path: tuple[str | int, ...],
        updates: Mapping[str, Any],
        args: Mapping[str, Any] | None = None,
        spans: tuple[Span | None, Span | None] | None = None,
    ) -> None:
        self.differ.add(
            kind,
            self.about,
            shown,
            old,
            new,
            path=path,
            updates=updates,
            args=args,
            # A threshold is shown with its comparison: the names are in the updates.
            touches=self.own | set(value_symbols(tuple(updates.values()))),
            spans=spans,
        )

    def compare(self, old: m.Scoring | None, new: m.Scoring | None) -> None:
        spans = (_span_of(old), _span_of(new))
        if old is None or new is None or type(old) is not type(new):
            self.add("scoring", "scoring", old, new, (), {"scoring": new}, spans=spans)
            return
        fields: tuple[tuple[str, str], ...] = ()
        if isinstance(old, m.Formula):
            fields = (("formula", "expr"),)
        elif isinstance(old, m.Conditional):
            fields = (
                ("condition", "condition"),
                ("condition-points", "points"),
                ("otherwise-points", "otherwise"),
            )
        elif isinstance(old, m.PerUnit):
            fields = (("base", "base"), ("rate", "rate"), ("units", "units"), ("cap", "cap"))
        elif isinstance(old, m.Banded):
            fields = (("subject", "subject"),)
        elif isinstance(old, m.Target):
            fields = (("target-actual", "actual"), ("target-target", "target"))
        for kind, name in fields:
            self.attr(kind, name, old, new)
        if isinstance(old, m.Banded | m.Cases) and isinstance(new, m.Banded | m.Cases):
            self.arms(old.arms, new.arms)
        elif isinstance(old, m.Target) and isinstance(new, m.Target):
            if old.mode != new.mode:
                self.add(
                    "target-mode",
                    "mode",
                    old.mode,
                    new.mode,
                    ("scoring",),
                    {"mode": new.mode},
                    spans=spans,
                )
            self.attr("zero-target", "zero_target", old, new)
        elif (
            isinstance(old, m.Assessed)
            and isinstance(new, m.Assessed)
            and old.guidance != new.guidance
        ):
            self.add(
                "guidance",
                "label",
                old.guidance,
                new.guidance,
                ("scoring",),
                {"guidance": new.guidance},
                spans=spans,
            )

    def attr(self, kind: str, name: str, old: Any, new: Any) -> None:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            self.add(
                kind, "expr", before, after, ("scoring",), {name: after}, spans=(old.span, new.span)
            )

    def arms(self, old: tuple[m.Arm, ...], new: tuple[m.Arm, ...]) -> None:
        same_shape = len(old) == len(new) and all(
            type(a) is type(b) and getattr(a, "values", None) == getattr(b, "values", None)
            for a, b in zip(old, new, strict=True)
        )
        if not same_shape:
            self.add(
                "arms",
                "arms",
                old,
                new,
                ("scoring",),
                {"arms": new},
                spans=(_arms_span(old), _arms_span(new)),
            )
            return
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            path = ("scoring", "arms", index)
            spans = (a.span, b.span)
            if isinstance(a, m.ThresholdArm) and isinstance(b, m.ThresholdArm):
                if (a.op, a.bound) != (b.op, b.bound):
                    self.add(
                        "threshold",
                        "expr",
                        Bound(a.op, a.bound),
                        Bound(b.op, b.bound),
                        path,
                        {"op": b.op, "bound": b.bound},
                        {"points": Shown("expr", b.points)},
                        spans,
                    )
            elif (
                isinstance(a, m.CaseArm) and isinstance(b, m.CaseArm) and a.condition != b.condition
            ):
                self.add(
                    "case-condition",
                    "expr",
                    a.condition,
                    b.condition,
                    path,
                    {"condition": b.condition},
                    {"number": index + 1},
                    spans,
                )
            if a.points != b.points:
                self.add(
                    "band-points",
                    "expr",
                    a.points,
                    b.points,
                    path,
                    {"points": b.points},
                    {"band": Shown("band", _band(b))},
                    spans,
                )


def _band(arm: m.Arm) -> Any:
    """What picks an arm, for naming it: its bound, its values or its condition."""
    if isinstance(arm, m.ThresholdArm):
        return Bound(arm.op, arm.bound)
    if isinstance(arm, m.ChoiceArm):
        return ", ".join(arm.values)
    if isinstance(arm, m.CaseArm):
        return arm.condition
    return None


def _arms_span(arms: tuple[m.Arm, ...]) -> Span | None:
    if not arms:
        return None
    first, last = arms[0].span, arms[-1].span
    return Span(first.file, first.line, first.column, last.end_line, last.end_column)


# ---------------------------------------------------------------- entry point


def diff_rubrics(old: Any, new: Any) -> RubricDiff:
    """Compare two rubrics (:class:`~htx_rules.Rubric` objects, or checked
    :class:`~htx_rules.model.RubricModel` objects) and list every change, in
    the order of ``docs/diff.md``."""
    old_model: m.RubricModel = getattr(old, "model", old)
    new_model: m.RubricModel = getattr(new, "model", new)
    plan = Plan(old_model, new_model)
    differ = _Differ(plan)
    differ.header()
    differ.contestants()
    differ.fields()
    differ.structure()
    differ.documents()
    differ.awards()
    return RubricDiff(
        old_model,
        new_model,
        tuple(plan.changes),
        _name(old, old_model),
        _name(new, new_model),
        getattr(old, "sha256", None),
        getattr(new, "sha256", None),
        plan,
    )


def _name(rubric: Any, model: m.RubricModel) -> str:
    source = getattr(rubric, "source", None)
    return str(source.name) if source is not None else model.header.span.file


__all__ = [
    "Change",
    "RubricDiff",
    "Shown",
    "Step",
    "diff_rubrics",
    "plan_steps",
    "show_value",
    "value_text",
]
