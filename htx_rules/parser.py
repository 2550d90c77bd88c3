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
import hashlib
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import lark
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import Indenter

from htx_rules._resources import cache_directory, resource_path
from htx_rules.decimals import Lang
from htx_rules.errors import Diagnostic, RubricSyntaxError
from htx_rules.messages import CATALOG, text_for
from htx_rules.source import SourceText, Span, strip_comment

GRAMMAR_FILE = "rubric.lark"

_WORD = re.compile(r"[\w/-]+")


class _IndentationError(Exception):
    def __init__(self, token: Token, levels: list[int], found: int) -> None:
        super().__init__("inconsistent dedent")
        self.token = token
        self.levels = levels
        self.found = found


class _GluedKeyword(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__("keyword glued to a word")
        self.token = token


class _RubricIndenter(Indenter):
    """Indentation to _INDENT/_DEDENT; also rejects a keyword run together with
    the next word (``ifx``), which the contextual lexer would split."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]  # noqa: RUF012 - Lark's interface
    CLOSE_PAREN_types = ["RPAR"]  # noqa: RUF012
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.keyword_types: frozenset[str] = frozenset()

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
        open_levels = list(self.indent_level)
        while indent < self.indent_level[-1]:
            self.indent_level.pop()
            yield Token.new_borrow_pos(self.DEDENT_type, indent_str, token)
        if indent != self.indent_level[-1]:
            raise _IndentationError(token, open_levels, indent)

    def _process(self, stream: Iterator[Token]) -> Iterator[Token]:
        text = self.text
        for token in super()._process(stream):  # type: ignore[no-untyped-call]
            if token.type in self.keyword_types and token.end_pos is not None:
                following = text[token.end_pos : token.end_pos + 1]
                if following and (following.isalnum() or following == "_"):
                    raise _GluedKeyword(token)
            yield token


_INDENTER = _RubricIndenter()


@functools.cache
def _parser() -> Lark:
    grammar = resource_path("grammar", GRAMMAR_FILE).read_text(encoding="utf-8")
    options: dict[str, Any] = {}
    cache = cache_directory()
    if cache is not None:
        # Building the LALR tables takes ~100 ms; Lark keeps them in this file,
        # named by the grammar, Lark and Python versions, and checks them on load.
        key = hashlib.sha256(
            f"{grammar}{lark.__version__}{sys.version_info[:2]}".encode()
        ).hexdigest()[:16]
        options["cache"] = str(cache / f"grammar-{key}.lark")
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=_INDENTER,
        propagate_positions=True,
        maybe_placeholders=False,
        **options,
    )
    _INDENTER.keyword_types = frozenset(_keyword_table(parser))
    return parser


def _keyword_table(parser: Lark) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for terminal in parser.terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and re.fullmatch(r"[^\W\d][\w/-]*", pattern.value):
            result[terminal.name] = (pattern.value,)
    return result


@functools.cache
def keywords() -> dict[str, tuple[str, ...]]:
    """Every keyword terminal of the grammar and its spellings (``{"PER": ("per",)}``)."""
    return _keyword_table(_parser())


_LOCK = threading.Lock()


def parse(source: SourceText) -> Tree[Token]:
    """Parse a rubric's text into a Lark tree, or raise :class:`RubricSyntaxError`."""
    _reject_empty(source)
    _reject_tabs(source)
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        with _LOCK:
            parser = _parser()
            _INDENTER.text = text
            return parser.parse(text)
    except _IndentationError as error:
        line = error.token.end_line or error.token.line or 1
        levels = tuple(str(level) for level in error.levels)
        raise RubricSyntaxError(
            [
                _diagnostic(
                    source,
                    line,
                    1,
                    line,
                    error.found + 1,
                    "syntax-dedent",
                    {"found": error.found, "levels": levels},
                    hint="hint-indent-consistent",
                )
            ]
        ) from None
    except _GluedKeyword as error:
        token = error.token
        line, column = token.line or 1, token.column or 1
        word = _word_at(source, line, column)
        raise RubricSyntaxError(
            [
                _diagnostic(
                    source,
                    line,
                    column,
                    line,
                    column + len(word),
                    "syntax-glued-keyword",
                    {"keyword": str(token), "word": word},
                    hint="hint-space-after-keyword",
                    hint_args={"keyword": str(token)},
                )
            ]
        ) from None
    except UnexpectedInput as error:
        raise RubricSyntaxError([_describe(source, error)]) from None


def _reject_empty(source: SourceText) -> None:
    if not any(strip_comment(line).strip() for line in source.lines):
        raise RubricSyntaxError(
            [_diagnostic(source, 1, 1, 1, 2, "syntax-empty", {}, hint="hint-start-rubric")]
        )


def _reject_tabs(source: SourceText) -> None:
    for number, line in enumerate(source.lines, start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        content = line[len(indent) :]
        if "\t" in indent and content and not content.startswith("#"):
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


def _word_at(source: SourceText, line: int, column: int) -> str:
    match = _WORD.match(source.line(line), column - 1)
    return match.group() if match else ""


def _end_of_content(source: SourceText, line: int) -> int:
    """The column just after the last character of a line that is not a comment."""
    return len(strip_comment(source.line(line)).rstrip()) + 1


def _describe(source: SourceText, error: UnexpectedInput) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = source.line(line)[column - 1 : column] or "?"
        hints = {'"': "hint-close-quote", "“": "hint-close-quote"}
        hint = hints.get(char, "hint-double-quotes" if char in "'‘’”" else None)
        if char == "%":
            before = source.line(line)[: column - 1]
            if before.endswith(" ") and before.rstrip()[-1:].isdigit():
                hint = "hint-percent-no-space"  # `80 %`: the sign belongs to the number
            elif "PERCENTAGE" not in error.allowed:
                hint = "hint-points-plain"
        return _diagnostic(
            source, line, column, line, column + 1, "syntax-character", {"char": char}, hint
        )
    if isinstance(error, UnexpectedToken):
        return _unexpected_token(source, error)
    assert isinstance(error, UnexpectedEOF)
    line = max(len(source.lines), 1)
    column = _end_of_content(source, line)
    return _diagnostic(
        source,
        line,
        column,
        line,
        column + 1,
        "syntax-eof",
        {"expected": _Expected(frozenset(error.expected))},
    )


def _unexpected_token(source: SourceText, error: UnexpectedToken) -> Diagnostic:
    token = error.token
    expected = frozenset(error.accepts or error.expected)
    kind = token.type
    if kind == "$END":
        line = max(len(source.lines), 1)
        column = _end_of_content(source, line)
        return _diagnostic(
            source, line, column, line, column + 1, "syntax-eof", {"expected": _Expected(expected)}
        )
    if kind in ("_NL", "_DEDENT"):
        # The line ended too early (or no indented block followed it): point
        # just after its last character, before any comment.
        line = token.line or max(len(source.lines), 1)
        column = _end_of_content(source, line)
        first = source.line(line).split(None, 1)[:1]
        if kind == "_DEDENT" and first and first[0] in _MODIFIERS:
            # `requires` or `note` was the last line of a criterion: its
            # scoring rule is what is missing, not a block under this line.
            return _diagnostic(
                source, line, column, line, column + 1, "syntax-no-scoring", {}, "hint-add-scoring"
            )
        if kind == "_DEDENT" and "_INDENT" in expected:
            return _diagnostic(source, line, column, line, column + 1, "syntax-block-missing", {})
        # The line (or the file) ended with something still open: say what was expected.
        return _diagnostic(
            source,
            line,
            column,
            line,
            column + 1,
            "syntax-line-ends",
            {"expected": _Expected(expected)},
        )
    if kind == "_INDENT":
        line = token.end_line or token.line or 1
        column = len(str(token)) + 1
        return _diagnostic(
            source, line, column, line, column + 1, "syntax-indent", {}, "hint-indent-consistent"
        )
    line, column = token.line or 1, token.column or 1
    end_column = (token.end_column or column + 1) if token.end_line == line else column + 1
    word = str(token)
    whole = _word_at(source, line, column)
    if len(whole) > len(word) and whole.startswith(word):
        # The lexer stopped inside a word it could not place ("half" of "half_up").
        word, end_column = whole, column + len(whole)
    hint: str | None = None
    hint_args: dict[str, object] = {}
    following = source.line(line)[column : column + 1]
    if kind == "COMMA" and _between_digits(source, line, column):
        hint = "hint-decimal-point"
    elif "_ARROW" in expected and (word == ":" or (word == "=" and following == ">")):
        hint = "hint-arrow"
        if word == "=":
            word, end_column = "=>", column + 2
    elif word in ("đồng", "đ", "VND"):
        hint = "hint-points-plain"
    elif word == ">" and source.line(line)[column - 2 : column - 1] == "=":
        # `=>` read as `=` (a comparison) then `>`: the arrow was meant.
        hint, word, column = "hint-arrow", "=>", column - 1
    elif kind == "COLON":
        hint = "hint-colon"
    else:
        guess = _keyword_guess(_word_at(source, line, column), expected)
        if guess is not None:
            hint, hint_args = "hint-did-you-mean", {"name": guess}
    return _diagnostic(
        source,
        line,
        column,
        line,
        end_column,
        "syntax-unexpected",
        {"token": word, "expected": _Expected(expected)},
        hint,
        hint_args,
    )


def _keyword_guess(word: str, expected: Iterable[str]) -> str | None:
    """The expected keyword a misspelt word most likely meant (``critarion``)."""
    if not word or not word[0].isalpha():
        return None
    table = keywords()
    spellings = [s for name in expected if name in table for s in table[name]]
    guesses = difflib.get_close_matches(word.lower(), spellings, n=1, cutoff=0.6)
    return guesses[0] if guesses and guesses[0] != word else None


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


# Lines that may end a criterion before its scoring rule.
_MODIFIERS = frozenset({"requires", "note"})

# Kinds of token named first when listing what was expected: the parts of a
# line people write most, before the keywords.
_FIRST: tuple[str, ...] = (
    "NAME",
    "ITEM_ID",
    "STRING",
    "INT",
    "DECIMAL",
    "PERCENTAGE",
    "AMOUNT",
    "DATE",
    "COMPARE",
    "_ARROW",
    "LPAR",
    "RPAR",
    "ADD_OP",
    "MUL_OP",
    "COMMA",
    "COLON",
    "_NL",
    "_INDENT",
    "_DEDENT",
)


def _expected_words(expected: frozenset[str], lang: Lang) -> str:
    keyword_names = keywords()
    if "DECIMAL" in expected:
        expected = expected - {"INT"}  # "a number" covers whole numbers
    ordered = [name for name in _FIRST if name in expected] + sorted(
        name for name in expected if name not in _FIRST
    )
    words: list[str] = []
    for name in ordered:
        if name in keyword_names:
            words.append(f"'{keyword_names[name][0]}'")
        elif f"token-{name}" in CATALOG:
            words.append(text_for(f"token-{name}", lang))
        elif name.startswith("__ANON") or name in ("COMMENT", "$END"):
            continue
        else:
            words.append(name.lower())
    unique = list(dict.fromkeys(words))
    if len(unique) > 10:
        unique = [*unique[:10], "…"]
    separator = " hoặc " if lang == "vi" else " or "
    return separator.join(unique) if len(unique) <= 2 else ", ".join(unique)
