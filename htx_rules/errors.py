"""The one error hierarchy of htx_rules, and the one place error context is drawn.

::

    HtxRulesError
    ├── RubricError            a rubric file is wrong (one or more diagnostics)
    │   ├── RubricSyntaxError  it cannot be read as the rubric language
    │   └── RubricCompileError it reads, but does not make sense
    └── EvidenceError          evidence given to a rubric is wrong
        └── RowError           ... in one row of Rubric.score_many

Every message exists in Vietnamese and English (see :mod:`htx_rules.messages`);
``str(error)`` is Vietnamese, ``error.render("en")`` English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from htx_rules.decimals import Lang
from htx_rules.messages import render_message
from htx_rules.source import SourceText, Span, display_width

Severity = Literal["error", "warning", "note"]

_SEVERITY_WORDS: dict[Lang, dict[Severity, str]] = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "note": "ghi chú"},
    "en": {"error": "error", "warning": "warning", "note": "note"},
}
_HINT_WORD: dict[Lang, str] = {"vi": "gợi ý", "en": "hint"}


@attrs.frozen
class Diagnostic:
    """One problem found in a rubric file.

    Attributes:
        code: A stable identifier of the kind of problem (``unknown-field``),
            listed in ``docs/errors.md``.
        span: Where it is, or None for a problem with the file as a whole.
        args: Values the message is filled with.
        hint: Code of a suggestion of what to do, or None.
        hint_args: Values the hint is filled with.
        severity: ``error`` stops compilation; ``warning`` (something a careful
            reviewer would question) and ``note`` (a fact worth knowing, usually
            intended) do not: only ``htx-rules check`` reports them.
        line_text: The source line the span starts on, for context.
        keyword_lang: The language the rubric writes its keywords in; the
            message and the hint name keywords in it (``'phần'`` for ``'part'``).
    """

    code: str
    span: Span | None
    args: Mapping[str, object] = attrs.field(factory=dict)
    hint: str | None = None
    hint_args: Mapping[str, object] = attrs.field(factory=dict)
    severity: Severity = "error"
    line_text: str = ""
    keyword_lang: Lang = "en"

    def message(self, lang: Lang = "vi") -> str:
        """The message alone, in ``lang``."""
        return render_message(self.code, self.args, lang, self.keyword_lang)

    def hint_text(self, lang: Lang = "vi") -> str | None:
        """The suggestion alone, in ``lang``, or None."""
        if self.hint is None:
            return None
        return render_message(self.hint, self.hint_args, lang, self.keyword_lang)

    def render(self, lang: Lang = "vi") -> str:
        """The full diagnostic: position, message, source line with a caret, hint."""
        where = f"{self.span}: " if self.span else ""
        lines = [f"{where}{_SEVERITY_WORDS[lang][self.severity]}: {self.message(lang)}"]
        if self.span and self.line_text:
            lines.extend(_context_lines(self.span, self.line_text))
        hint = self.hint_text(lang)
        if hint:
            lines.append(f"{_HINT_WORD[lang]}: {hint}")
        return "\n".join(lines)


def _context_lines(span: Span, line_text: str) -> list[str]:
    shown = line_text.replace("\t", " ")
    number = str(span.line)
    gutter = " " * len(number)
    start = max(span.column - 1, 0)
    if span.end_line == span.line and span.end_column > span.column:
        end = min(span.end_column - 1, len(shown))
    else:
        end = len(shown.rstrip())
    width = max(display_width(shown[start:end]), 1)
    pad = " " * display_width(shown[:start])
    return [f"  {number} | {shown}", f"  {gutter} | {pad}{'^' * width}"]


class Reporter:
    """Collects diagnostics about one rubric text, each with its source line.

    Attributes:
        source: The rubric text the diagnostics are about.
        diagnostics: What was found, in the order it was found.
    """

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self._keyword_lang: Lang | None = None

    def detect_keyword_language(self) -> Lang:
        """The language the rubric writes its keywords in (English here; the
        compiler's stages, which know the keyword table, tell)."""
        return "en"

    @property
    def keyword_lang(self) -> Lang:
        """:meth:`detect_keyword_language`, worked out at the first problem found."""
        if self._keyword_lang is None:
            self._keyword_lang = self.detect_keyword_language()
        return self._keyword_lang

    def error(
        self,
        code: str,
        span: Span | None,
        hint: str | None = None,
        hint_args: dict[str, object] | None = None,
        **args: object,
    ) -> None:
        """Record an error at ``span``."""
        self.report("error", code, span, hint, hint_args, args)

    def report(
        self,
        severity: Severity,
        code: str,
        span: Span | None,
        hint: str | None,
        hint_args: Mapping[str, object] | None,
        args: Mapping[str, object],
    ) -> None:
        """Record a diagnostic of any severity at ``span``."""
        self.diagnostics.append(
            Diagnostic(
                code=code,
                span=span,
                args=dict(args),
                hint=hint,
                hint_args=dict(hint_args or {}),
                severity=severity,
                line_text=self.source.line(span.line) if span else "",
                keyword_lang=self.keyword_lang,
            )
        )


class HtxRulesError(Exception):
    """Root of every error htx_rules raises on purpose."""

    def render(self, lang: Lang = "vi") -> str:
        """The error as text for people, in ``lang``."""
        return super().__str__()

    def __str__(self) -> str:
        return self.render("vi")


class RubricError(HtxRulesError):
    """A rubric file is wrong; ``diagnostics`` lists every problem found.

    Attributes:
        diagnostics: The problems, in file order; at least one is an error.
    """

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(self.render("vi"))

    @property
    def span(self) -> Span | None:
        """Where the first problem is."""
        return self.diagnostics[0].span if self.diagnostics else None

    @property
    def code(self) -> str:
        """The code of the first problem."""
        return self.diagnostics[0].code if self.diagnostics else ""

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every problem, in order."""
        return tuple(d.code for d in self.diagnostics)

    def render(self, lang: Lang = "vi") -> str:
        return "\n\n".join(d.render(lang) for d in self.diagnostics)


class RubricSyntaxError(RubricError):
    """The rubric text does not follow the grammar of the language."""


class RubricCompileError(RubricError):
    """The rubric text follows the grammar but does not make sense: an unknown
    name, a type mismatch, a cycle, a maximum its parts cannot reach."""


@attrs.frozen
class EvidenceProblem:
    """One thing wrong with one evidence value.

    Attributes:
        field: The evidence field (or key) concerned.
        value: The value given (None when the field is missing).
        code: The kind of problem, listed in ``docs/errors.md``.
        args: Values the message is filled with.
        hint: Code of a suggestion, or None.
        hint_args: Values the hint is filled with.
    """

    field: str
    value: object
    code: str
    args: Mapping[str, object] = attrs.field(factory=dict)
    hint: str | None = None
    hint_args: Mapping[str, object] = attrs.field(factory=dict)

    def message(self, lang: Lang = "vi") -> str:
        """The problem in ``lang``, naming the field, the value and what was expected."""
        args = {"field": self.field, "value": self.value, **self.args}
        text = render_message(self.code, args, lang)
        if self.hint:
            hint = render_message(self.hint, self.hint_args, lang)
            text += f" ({_HINT_WORD[lang]}: {hint})"
        return text


class EvidenceError(HtxRulesError):
    """Evidence given to a rubric is wrong; ``problems`` lists every problem.

    Attributes:
        problems: What is wrong, field by field.
        source: Where the evidence came from (a file name), when known.
    """

    def __init__(
        self,
        problems: list[EvidenceProblem] | tuple[EvidenceProblem, ...],
        source: str | None = None,
    ) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.render("vi"))

    def with_source(self, source: str) -> EvidenceError:
        """The same error, naming the file the evidence came from."""
        return EvidenceError(self.problems, source)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields concerned, in order."""
        return tuple(p.field for p in self.problems)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every problem, in order."""
        return tuple(p.code for p in self.problems)

    def render(self, lang: Lang = "vi") -> str:
        where = f"{self.source}: " if self.source else ""
        head = render_message("evidence-invalid", {"count": len(self.problems)}, lang)
        body = [f"  - {p.message(lang)}" for p in self.problems]
        return "\n".join([f"{where}{_SEVERITY_WORDS[lang]['error']}: {head}", *body])


class RowError(EvidenceError):
    """The evidence of one row given to :meth:`Rubric.score_many
    <htx_rules.Rubric.score_many>` is wrong.

    Attributes:
        problems: What is wrong, field by field (as :class:`EvidenceError`).
        source: ``rows[index]``, or the source of the row when it is an
            :class:`~htx_rules.EvidenceDocument`.
        index: The row's position among the rows given (0 for the first).
    """

    def __init__(
        self,
        problems: list[EvidenceProblem] | tuple[EvidenceProblem, ...],
        source: str | None,
        index: int,
    ) -> None:
        self.index = index
        super().__init__(problems, source)

    def with_source(self, source: str) -> RowError:
        """The same error, naming another source."""
        return RowError(self.problems, source, self.index)

    def __reduce__(self) -> tuple[type[RowError], tuple[object, ...]]:
        return RowError, (self.problems, self.source, self.index)
