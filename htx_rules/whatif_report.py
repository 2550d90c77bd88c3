"""Stage 8, rendered: counterfactuals, award gaps and fragility in words.

Pure functions over what :mod:`htx_rules.whatif` computes: the explanation of
one unit with what would raise each criterion (``htx-rules explain``), and the
award-gap and fragility sections of the contest report (text, Markdown, and
the ``what_if`` key of the contest JSON).  Every sentence comes from
:mod:`htx_rules.messages`, in Vietnamese (numbers as ``87,5``) or English.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from htx_rules import model as m
from htx_rules.contest import Award, ContestResult
from htx_rules.decimals import Lang, canonical, format_money, format_number
from htx_rules.render import explain, json_value, show_evidence, text
from htx_rules.result import Result, TraceNode
from htx_rules.rubric import Rubric
from htx_rules.whatif import (
    SEARCH_LIMIT,
    AwardGap,
    Counterfactual,
    EvidenceChange,
    Fragility,
    award_gaps,
    counterfactuals,
    fragility,
)

# ---------------------------------------------------------------- changes


def amount_words(field: m.Field, delta: Decimal, lang: Lang) -> str:
    """The size of a change in the field's units: ``3 điểm phần trăm``, ``1 HTX``,
    ``60.000.000 đồng``, ``2 ngày``."""
    size = abs(delta)
    if field.type == "percent":
        return text("whatif-percent-points", lang, value=format_number(size, lang))
    if field.type == "date":
        return text("whatif-days", lang, value=format_number(size, lang))
    if field.type == "money":
        return format_money(size, lang)
    if field.unit:
        return f"{format_number(size, lang)} {field.unit}"
    return format_number(size, lang)


def change_words(change: EvidenceChange, model: m.RubricModel, lang: Lang) -> str:
    """A change in words: ``thêm 3 điểm phần trăm ty_le_dai_hoi (57% → 60%)``."""
    field = next(f for f in model.fields if f.name == change.field)
    before = show_evidence(change.before, field, lang)
    after = show_evidence(change.after, field, lang)
    if change.before is None:
        return text("whatif-give", lang, field=change.field, after=after)
    if change.delta is None:
        return text("whatif-set", lang, field=change.field, before=before, after=after)
    code = {
        ("date", "up"): "whatif-later",
        ("date", "down"): "whatif-earlier",
    }.get((field.type, change.direction), f"whatif-{change.direction}")
    return text(
        code,
        lang,
        field=change.field,
        amount=amount_words(field, change.delta, lang),
        before=before,
        after=after,
    )


def step_words(change: EvidenceChange, model: m.RubricModel, lang: Lang) -> str:
    """A one-step change, short: ``ty_le_dai_hoi 80% → 79%``."""
    field = next(f for f in model.fields if f.name == change.field)
    return text(
        "whatif-step",
        lang,
        field=change.field,
        before=show_evidence(change.before, field, lang),
        after=show_evidence(change.after, field, lang),
    )


def _signed(value: Decimal, lang: Lang) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + format_number(abs(value), lang)


def _total_words(before: Decimal, after: Decimal, lang: Lang) -> str:
    code = "whatif-total-same" if after == before else "whatif-total"
    return text(code, lang, total=format_number(after, lang))


# ---------------------------------------------------------------- counterfactuals


def counterfactual_words(found: Counterfactual, model: m.RubricModel, lang: Lang) -> str:
    """One counterfactual as a line of the explanation."""
    if found.status == "reviewer":
        return text("whatif-reviewer", lang)
    if found.status == "none":
        return text("whatif-none-deduction" if found.kind == "deduction" else "whatif-none", lang)
    if found.status == "unanalysable":
        return text(
            f"whatif-unanalysable-{found.reason}", lang, field=found.field, limit=SEARCH_LIMIT
        )
    if found.status == "supply" and found.change is None:
        return text(
            "whatif-supply-many",
            lang,
            fields=found.fields,
            max=format_number(found.maximum, lang),
        )
    assert found.change is not None
    assert found.points_after is not None
    assert found.total_after is not None
    return text(
        "whatif-lower" if found.kind == "deduction" else "whatif-raise",
        lang,
        change=change_words(found.change, model, lang),
        points=format_number(found.points_after, lang),
        gain=_signed(found.points_after - found.points, lang),
        total=_total_words(found.total, found.total_after, lang),
    )


def _fired_words(node: TraceNode, lang: Lang) -> str:
    counted = [f"{c.id} {format_number(c.points, lang)}" for c in node.children if c.points > 0]
    if not counted:
        return text("whatif-fired-none", lang)
    return text("whatif-fired", lang, rules="; ".join(counted))


def explain_what_if(
    rubric: Rubric, result: Result, lang: Lang = "vi", item_id: str | None = None
) -> str:
    """Why each criterion earned what it did and, under each one below its
    maximum (each deduction above 0), the smallest changes of one evidence
    value that would help; under the bonus and deduction sections, the rules
    that counted.  With ``item_id``, only that part, criterion or rule and the
    items under it (``KeyError`` for an unknown id)."""
    found = counterfactuals(rubric, result, item_id)
    by_item: dict[str, list[Counterfactual]] = {}
    for item, group in itertools.groupby(found, key=lambda c: c.item):
        by_item[item] = list(group)
    model = rubric.model

    def notes(node: TraceNode) -> Sequence[str]:
        if node.kind in ("bonus", "deduction"):
            return [_fired_words(node, lang)]
        return [counterfactual_words(c, model, lang) for c in by_item.get(node.id, ())]

    return explain(result, lang, only=item_id, notes=notes)


# ---------------------------------------------------------------- award gaps


def _key_words(key: m.TieBreak, lang: Lang, model: m.RubricModel) -> str:
    # The contest report imports this module; its words are looked up when used.
    from htx_rules.report import tie_key_words  # noqa: PLC0415

    return tie_key_words(key, lang, model)


def _tie_words(gap: AwardGap, model: m.RubricModel, lang: Lang) -> str:
    gap_text = format_number(gap.behind, lang)
    if gap.tie_key is None:
        return text("whatif-needs-shared", lang, gap=gap_text)
    key = _key_words(gap.tie_key, lang, model)
    if gap.wins_at_equal:
        return text("whatif-needs-equal", lang, gap=gap_text, key=key)
    if not gap.behind:
        return text("whatif-needs-tie", lang, key=key)
    return text("whatif-needs-more", lang, gap=gap_text, key=key)


def gap_words(gap: AwardGap, contest: ContestResult, lang: Lang) -> str:
    """What the unit just below an award place lacked, in one sentence."""
    challenger, holder = contest.standing(gap.challenger), contest.standing(gap.holder)
    return text(
        "whatif-gap",
        lang,
        unit=challenger.contestant.name,
        code=challenger.code,
        total=format_number(challenger.total, lang),
        holder=holder.contestant.name,
        holder_code=holder.code,
        place=gap.place.label,
        holder_total=format_number(holder.total, lang),
        needs=_tie_words(gap, contest.rubric.model, lang),
    )


def gap_lines(gap: AwardGap, contest: ContestResult, lang: Lang) -> list[tuple[int, str]]:
    """The lines under a gap, each with its depth (1 or 2): each change that
    would have been enough, or that none would, and the fields that could not
    be analysed."""
    model = contest.rubric.model
    if not gap.changes:
        lines = [(1, text("whatif-gap-none", lang))]
    else:
        lines = [(1, text("whatif-gap-enough", lang))]
        for found in gap.changes:
            award = "" if found.award is None else f", {found.award.place.label}"
            words = text(
                "whatif-gap-change",
                lang,
                change=change_words(found.change, model, lang),
                total=format_number(found.total, lang),
                rank=found.rank,
                award=award,
            )
            lines.append((2, words))
    for field, reason in gap.unanalysable:
        words = text(f"whatif-unanalysable-{reason}", lang, field=field, limit=SEARCH_LIMIT)
        lines.append((1, words.removeprefix("→ ")))
    return lines


# ---------------------------------------------------------------- fragility


def _award_label(award: Award | None, other: Award | None, lang: Lang) -> str:
    if award is None:
        return "—"
    label = award.place.label
    if other is not None and other.place.label == label and other.prize != award.prize:
        prize = "?" if award.prize is None else format_money(award.prize, lang)
        return f"{label} ({prize})"
    return label


def effect_words(flag: Fragility, contest: ContestResult, lang: Lang) -> str:
    """What a one-step change would change: every unit's rank and award."""
    words = []
    for effect in flag.effects:
        unit = contest.standing(effect.contestant).contestant
        args: dict[str, Any] = {
            "unit": unit.name,
            "code": unit.code,
            "rank": effect.rank,
            "rank_after": effect.rank_after,
        }
        if effect.award == effect.award_after:
            words.append(text("whatif-effect", lang, **args))
            continue
        words.append(
            text(
                "whatif-effect-award",
                lang,
                award=_award_label(effect.award, effect.award_after, lang),
                award_after=_award_label(effect.award_after, effect.award, lang),
                **args,
            )
        )
    return "; ".join(words)


def fragility_groups(
    flags: Sequence[Fragility], contest: ContestResult, lang: Lang
) -> list[tuple[str, str]]:
    """The flags grouped by unit and by what they would change: for each
    group, the line naming the unit and the changes, and the line of effects."""
    model = contest.rubric.model
    groups: dict[tuple[str, str], list[Fragility]] = {}
    for flag in flags:
        groups.setdefault((flag.contestant, effect_words(flag, contest, lang)), []).append(flag)
    lines = []
    for (code, effects), group in groups.items():
        unit = contest.standing(code).contestant
        changes = tuple(step_words(f.change, model, lang) for f in group)
        head = (
            text("whatif-fragile-one", lang, unit=unit.name, code=code, changes=changes)
            if len(changes) == 1
            else text(
                "whatif-fragile-many",
                lang,
                unit=unit.name,
                code=code,
                count=len(changes),
                changes=changes,
            )
        )
        lines.append((head, text("whatif-fragile-then", lang, effects=effects)))
    return lines


# ---------------------------------------------------------------- the contest sections


class ContestWhatIf:
    """Award gaps and fragility of one contest, computed once for all renderings."""

    def __init__(self, contest: ContestResult) -> None:
        self.contest = contest
        self.gaps = award_gaps(contest)
        self.flags = fragility(contest)

    def lines(self, lang: Lang) -> list[tuple[int, str]]:
        """The two sections as lines, each with its depth: 0 for the two
        headings, 1 for a gap or a group of flags, 2 and 3 for what is under them."""
        out = [(0, text("whatif-gaps-head", lang))]
        if not self.gaps:
            out.append((1, text("whatif-gap-none-head", lang)))
        for gap in self.gaps:
            out.append((1, gap_words(gap, self.contest, lang)))
            out.extend((depth + 1, line) for depth, line in gap_lines(gap, self.contest, lang))
        out.append((0, ""))
        out.append((0, text("whatif-fragile-head", lang)))
        groups = fragility_groups(self.flags, self.contest, lang)
        if not groups:
            out.append((1, text("whatif-fragile-none", lang)))
        for head, effects in groups:
            out.append((1, head))
            out.append((2, effects))
        return out

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """The ``what_if`` key of the contest JSON."""
        model = self.contest.rubric.model
        return {
            "award_gaps": [self._gap(gap, lang) for gap in self.gaps],
            "fragility": [
                {
                    "contestant": flag.contestant,
                    **_change_dict(flag.change),
                    "effects": [
                        {
                            "contestant": e.contestant,
                            "rank": e.rank,
                            "rank_after": e.rank_after,
                            "award": _award_dict(e.award),
                            "award_after": _award_dict(e.award_after),
                        }
                        for e in flag.effects
                    ],
                    "text": step_words(flag.change, model, lang)
                    + ": "
                    + effect_words(flag, self.contest, lang),
                }
                for flag in self.flags
            ],
        }

    def _gap(self, gap: AwardGap, lang: Lang) -> dict[str, Any]:
        model = self.contest.rubric.model
        return {
            "place": gap.place.rank,
            "label": gap.place.label,
            "holder": gap.holder,
            "challenger": gap.challenger,
            "behind": canonical(gap.behind),
            "tie_key": None if gap.tie_key is None else _key_words(gap.tie_key, lang, model),
            "wins_at_equal": gap.wins_at_equal,
            "text": gap_words(gap, self.contest, lang),
            "changes": [
                {
                    **_change_dict(found.change),
                    "total": canonical(found.total),
                    "rank": found.rank,
                    "award": _award_dict(found.award),
                    "text": change_words(found.change, model, lang),
                }
                for found in gap.changes
            ],
            "unanalysable": [{"field": f, "reason": r} for f, r in gap.unanalysable],
        }


def _change_dict(change: EvidenceChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "direction": change.direction,
        "before": json_value(change.before),
        "after": json_value(change.after),
        "delta": None if change.delta is None else canonical(change.delta),
    }


def _award_dict(award: Award | None) -> dict[str, Any] | None:
    if award is None:
        return None
    return {
        "place": award.place.rank,
        "label": award.place.label,
        "prize": None if award.prize is None else canonical(award.prize),
    }


__all__ = [
    "ContestWhatIf",
    "amount_words",
    "change_words",
    "counterfactual_words",
    "effect_words",
    "explain_what_if",
    "fragility_groups",
    "gap_lines",
    "gap_words",
    "step_words",
]
