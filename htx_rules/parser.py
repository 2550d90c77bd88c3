"""Stage 1: rubric text to a Lark parse tree, and syntax errors people can act on.

The grammar is ``grammar/rubric.lark`` (LALR, contextual lexer).  Indentation
is turned into ``_INDENT`` / ``_DEDENT`` tokens here.  Every Lark exception is
turned into a :class:`~htx_rules.errors.RubricSyntaxError` with the position,
the source line and a hint; nothing from Lark escapes this module except the
tree, and the tree never leaves the compiler.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
from collections.abc import Iterator

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import Indenter

from htx_rules._resources import resource_path
from htx_rules.decimals import Lang
from htx_rules.errors import Diagnostic, RubricSyntaxError
from htx_rules.messages import CATALOG, text_for
from htx_rules.source import SourceText, Span

GRAMMAR_FILE = "rubric.lark"


class _IndentationError(Exception):
    def __init__(self, token: Token, expected: int, found: int) -> None:
        super().__init__("inconsistent dedent")
        self.token = token
        self.expected = expected
        self.found = found


class _RubricIndenter(Indenter):
    """Indentation to _INDENT/_DEDENT, reporting a bad dedent with its position."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]  # noqa: RUF012 - Lark's interface
    CLOSE_PAREN_types = ["RPAR"]  # noqa: RUF012
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def handle_NL(self, token: Token) -> Iterator[Token]:
        if self.paren_level > 0:
            return
        yield token
        indent_str = token.rsplit("\n", 1)[1]
        indent = len(indent_str)
        if indent > self.indent_level[-1]:
            self.indent_level.append(indent)
            yield Token.new_borrow_pos(self.INDENT_type, indent_str, token)
            return
        while indent < self.indent_level[-1]:
            self.indent_level.pop()
            yield Token.new_borrow_pos(self.DEDENT_type, indent_str, token)
        if indent != self.indent_level[-1]:
            raise _IndentationError(token, self.indent_level[-1], indent)


@functools.cache
def _parser() -> Lark:
    grammar = resource_path("grammar", GRAMMAR_FILE).read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=_RubricIndenter(),
        propagate_positions=True,
        maybe_placeholders=False,
    )


@functools.cache
def keywords() -> dict[str, tuple[str, ...]]:
    """Every keyword terminal of the grammar and its spellings (``{"PER": ("per",)}``)."""
    result: dict[str, tuple[str, ...]] = {}
    for terminal in _parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and re.fullmatch(r"[^\W\d][\w/-]*", pattern.value):
            result[terminal.name] = (pattern.value,)
    return result


_LOCK = threading.Lock()


def parse(source: SourceText) -> Tree[Token]:
    """Parse a rubric's text into a Lark tree, or raise :class:`RubricSyntaxError`."""
    _reject_tabs(source)
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        with _LOCK:
            return _parser().parse(text)
    except _IndentationError as error:
        line = error.token.end_line or error.token.line or 1
        raise RubricSyntaxError(
            [
                _diagnostic(
                    source,
                    line,
                    error.found + 1,
                    line,
                    error.found + 2,
                    "syntax-dedent",
                    {"found": error.found, "expected": error.expected},
                    hint="hint-indent-consistent",
                )
            ]
        ) from None
    except UnexpectedInput as error:
        raise RubricSyntaxError([_describe(source, error)]) from None


def _reject_tabs(source: SourceText) -> None:
    for number, line in enumerate(source.lines, start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            column = indent.index("\t") + 1
            raise RubricSyntaxError(
                [
                    _diagnostic(
                        source,
                        number,
                        column,
                        number,
                        column + 1,
                        "syntax-tab",
                        {},
                        hint="hint-use-spaces",
                    )
                ]
            )


def _diagnostic(
    source: SourceText,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    code: str,
    args: dict[str, object],
    hint: str | None = None,
    hint_args: dict[str, object] | None = None,
) -> Diagnostic:
    return Diagnostic(
        code=code,
        span=Span(source.name, line, column, end_line, end_column),
        args=args,
        hint=hint,
        hint_args=hint_args or {},
        line_text=source.line(line),
    )


def _describe(source: SourceText, error: UnexpectedInput) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = source.line(line)[column - 1 : column] or "?"
        hint, hint_args = _character_hint(char)
        return _diagnostic(
            source,
            line,
            column,
            line,
            column + 1,
            "syntax-character",
            {"char": char},
            hint,
            hint_args,
        )
    if isinstance(error, UnexpectedToken):
        return _unexpected_token(source, error)
    assert isinstance(error, UnexpectedEOF)
    line = max(len(source.lines), 1)
    end = len(source.line(line)) + 1
    return _diagnostic(
        source,
        line,
        end,
        line,
        end + 1,
        "syntax-eof",
        {"expected": _Expected(frozenset(error.expected))},
    )


def _character_hint(char: str) -> tuple[str | None, dict[str, object]]:
    if char in "'‘’":
        return "hint-double-quotes", {}
    if char in "”":
        return "hint-double-quotes", {}
    if char == ":":
        return "hint-colon", {}
    return None, {}


def _unexpected_token(source: SourceText, error: UnexpectedToken) -> Diagnostic:
    token = error.token
    expected = set(error.accepts or error.expected)
    kind = token.type
    if kind in ("_NL", "$END"):
        # The line ended too early: point just after its last character.
        line = token.line if token.line else max(len(source.lines), 1)
        text = source.line(line)
        column = len(text.rstrip()) + 1
        return _diagnostic(
            source,
            line,
            column,
            line,
            column + 1,
            "syntax-line-ends",
            {"expected": _Expected(frozenset(expected))},
        )
    line, column = token.line or 1, token.column or 1
    end_column = (token.end_column or column + 1) if token.end_line == line else column + 1
    if kind == "_INDENT":
        return _diagnostic(
            source,
            line + 1 if token.value and "\n" in str(token) else line,
            1,
            line,
            2,
            "syntax-indent",
            {},
            "hint-indent-consistent",
        )
    if kind == "_DEDENT":
        return _diagnostic(
            source,
            line,
            1,
            line,
            2,
            "syntax-dedent-early",
            {"expected": _Expected(frozenset(expected))},
        )
    word = str(token)
    hint: str | None = None
    hint_args: dict[str, object] = {}
    keyword_names = keywords()
    if kind in keyword_names and "NAME" in expected:
        hint, hint_args = "hint-keyword-as-name", {"word": word}
    elif kind == "COMMA" and _between_digits(source, line, column):
        hint, hint_args = "hint-decimal-point", {}
    elif word in ("=>", ":") and "_ARROW" in expected:
        hint, hint_args = "hint-arrow", {}
    elif kind == "NAME" and expected & set(keyword_names):
        guesses = difflib.get_close_matches(
            word,
            [w for name in expected & set(keyword_names) for w in keyword_names[name]],
            n=1,
            cutoff=0.6,
        )
        if guesses:
            hint, hint_args = "hint-did-you-mean", {"name": guesses[0]}
    return _diagnostic(
        source,
        line,
        column,
        line,
        end_column,
        "syntax-unexpected",
        {"token": word, "expected": _Expected(frozenset(expected))},
        hint,
        hint_args,
    )


def _between_digits(source: SourceText, line: int, column: int) -> bool:
    text = source.line(line)
    before = text[column - 2 : column - 1]
    after = text[column : column + 1]
    return before.isdigit() and after.isdigit()


class _Expected:
    """The tokens the parser would have accepted, named for people in either language."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def localize(self, lang: Lang) -> str:
        return _expected_words(self.names, lang)


def _expected_words(expected: frozenset[str], lang: Lang) -> str:
    keyword_names = keywords()
    words: list[str] = []
    for name in sorted(expected):
        if name in keyword_names:
            words.append(f"'{keyword_names[name][0]}'")
        elif f"token-{name}" in CATALOG:
            words.append(text_for(f"token-{name}", lang))
        elif name.startswith("__ANON") or name == "COMMENT":
            continue
        else:
            words.append(name.lower())
    unique = list(dict.fromkeys(words))
    if len(unique) > 8:
        unique = [*unique[:8], "…"]
    separator = " hoặc " if lang == "vi" else " or "
    return separator.join(unique) if len(unique) <= 2 else ", ".join(unique)
