"""Source positions: where in a rubric file a rule, a token or an error is."""

from __future__ import annotations

import re
import unicodedata

import attrs


@attrs.frozen
class Span:
    """A region of a rubric file, 1-based and inclusive of its first character.

    Attributes:
        file: The name the rubric was loaded under (a path, or ``<string>``).
        line: Line of the first character.
        column: Column of the first character.
        end_line: Line of the last character.
        end_column: Column just after the last character.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class SourceText:
    """The text of a rubric file, with the line look-ups errors and traces need.

    Attributes:
        name: The name to show in messages (a path, or ``<string>``).
        text: The whole text, as read.
    """

    name: str
    text: str
    lines: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.splitlines()))

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based), or an empty string past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    def excerpt(self, span: Span) -> str:
        """Return the source lines a span covers, without trailing comments or blanks."""
        chosen = [self.line(n) for n in range(span.line, span.end_line + 1)]
        while chosen and not strip_comment(chosen[-1]).strip():
            chosen.pop()
        if not chosen:
            return ""
        indent = min(len(x) - len(x.lstrip()) for x in chosen if x.strip())
        return "\n".join(strip_comment(x[indent:]).rstrip() for x in chosen)

    def slice(self, span: Span) -> str:
        """The exact text a span covers (several lines are joined by the excerpt rule)."""
        if span.line == span.end_line:
            return self.line(span.line)[span.column - 1 : span.end_column - 1].strip()
        return self.excerpt(span)

    def span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        """Build a span in this file."""
        return Span(self.name, line, column, end_line, end_column)


def strip_comment(line: str) -> str:
    """Remove a ``#`` comment from one source line, leaving ``#`` inside quotes alone."""
    closing: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if closing:
            if char == "\\" and closing == '"':
                index += 2
                continue
            if char == closing:
                closing = None
        elif char == '"':
            closing = '"'
        elif char == "“":
            closing = "”"
        elif char == "#":
            return line[:index]
        index += 1
    return line


def display_width(text: str) -> int:
    """Width of ``text`` on a terminal: combining accents take no column."""
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


_ESCAPE = re.compile(r"\\(.)")


def label_text(raw: str) -> str:
    """The text of a quoted label as written in a rubric (``"…"`` with ``\\"`` and
    ``\\\\`` escapes, or ``“…”`` without escapes), unescaped and in NFC form."""
    inner = raw[1:-1]
    text = inner if raw.startswith("“") else _ESCAPE.sub(r"\1", inner)
    return unicodedata.normalize("NFC", text)
