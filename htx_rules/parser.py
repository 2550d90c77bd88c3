"""Stage 1: rubric text to a Lark parse tree, and syntax errors people can act on.

The grammar is ``grammar/rubric.lark`` (LALR, contextual lexer).  Indentation
is turned into ``_INDENT`` / ``_DEDENT`` tokens here.  Every keyword has an
English and a Vietnamese spelling (the grammar's KEYWORDS table); whichever
is written, its token carries the keyword's one type, so the rule model does
not depend on the language of a rubric's keywords (only messages, which name
keywords as the rubric writes them, and ``fmt`` look).  Every Lark exception
is turned into a :class:`~htx_rules.errors.RubricSyntaxError` with the
position, the source line and a hint, keywords named in the rubric's own
language; nothing from Lark escapes this module except the tree (and, for
``fmt``, the tokens), and they never leave the compiler.
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
from htx_rules.lexer import ContextualScanner
from htx_rules.messages import CATALOG, set_keyword_translator, text_for
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
        #: the lexer's terminal of each further spelling, to its keyword (``OF__1``: ``OF``)
        self.spelling_types: dict[str, str] = {}
        self.record: list[Token] | None = None

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
        record = self.record
        for token in super()._process(stream):  # type: ignore[no-untyped-call]
            if token.type in self.keyword_types and token.end_pos is not None:
                following = text[token.end_pos : token.end_pos + 1]
                if following and (following.isalnum() or following == "_"):
                    raise _GluedKeyword(token)
            if record is not None:
                record.append(token)
            yield token


_INDENTER = _RubricIndenter()


_KEYWORDS_MARKER = "// ---------------------------------------------------------------- KEYWORDS\n"
_KEYWORD_LINE = re.compile(r'^([A-Z][A-Z0-9_]*): ("[^"\n]+"(?: \| "[^"\n]+")*)[ \t]*$', re.M)


def _spelling_terminal(keyword: str, index: int) -> str:
    """The lexer's terminal of a further spelling: ``OF__1`` for ``trên``, ``OF__2``, ..."""
    return f"{keyword}__{index}"


@functools.cache
def _grammar() -> tuple[str, dict[str, tuple[str, ...]]]:
    """The grammar as Lark reads it, and every keyword's spellings (English first).

    Lark gets each keyword with its English spelling alone, a plain string
    terminal (``OF: "of"``): Lark gives a string terminal priority over
    ``NAME`` (``of`` is a keyword where one may stand, ``offer`` a name), which
    a terminal with alternatives, being a regular expression, would not get.
    The other spellings (``OF: "of" | "trên" | ...`` in the grammar file) go
    to the lexer (:class:`~htx_rules.lexer.ContextualScanner`), which reads
    each as one more string terminal (``OF__1: "trên"``) wherever its keyword
    may stand, and gives its tokens the keyword's type: the parser sees ``OF``
    whatever the spelling, and its tables are those of one spelling each
    (half the states, built and loaded in half the time).
    """
    text = resource_path("grammar", GRAMMAR_FILE).read_text(encoding="utf-8")
    rules, marker, table = text.partition(_KEYWORDS_MARKER)
    if not marker:  # pragma: no cover - the shipped grammar has the section
        raise RuntimeError(f"{GRAMMAR_FILE}: no KEYWORDS section")
    spellings: dict[str, tuple[str, ...]] = {}
    for match in _KEYWORD_LINE.finditer(table):
        words = tuple(re.findall(r'"([^"]+)"', match.group(2)))
        english = [w for w in words if w.isascii()]
        if english != [words[0]]:  # pragma: no cover - checked by the tests
            raise RuntimeError(
                f"{GRAMMAR_FILE}: {match.group(1)} needs one English spelling, first"
            )
        spellings[match.group(1)] = words
    lines = [rules.rstrip("\n"), ""]
    lines.extend(f'{keyword}: "{words[0]}"' for keyword, words in spellings.items())
    return "\n".join(lines) + "\n", spellings


def _further_spellings() -> dict[str, tuple[str, str]]:
    """The lexer's terminal of every spelling but the English one: its keyword and word."""
    return {
        _spelling_terminal(keyword, index): (keyword, word)
        for keyword, words in _grammar()[1].items()
        for index, word in enumerate(words[1:], start=1)
    }


def tables_cache(grammar: str, prefix: str = "grammar") -> dict[str, Any]:
    """Lark's option to keep the LALR tables of ``grammar`` in the cache folder
    (none without one): building them takes ~100 ms.  The file is named by the
    grammar, Lark and Python versions; Lark checks it when it reads it."""
    cache = cache_directory()
    if cache is None:
        return {}
    key = hashlib.sha256(f"{grammar}{lark.__version__}{sys.version_info[:2]}".encode())
    return {"cache": str(cache / f"{prefix}-{key.hexdigest()[:16]}.lark")}


@functools.cache
def _parser() -> Lark:
    grammar, spellings = _grammar()
    further = _further_spellings()
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=_INDENTER,
        propagate_positions=True,
        maybe_placeholders=False,
        # Lark's contextual lexer, without compiling a regex per parser state,
        # reading every spelling of each keyword.
        _plugins={"ContextualLexer": functools.partial(ContextualScanner, more_spellings=further)},
        **tables_cache(grammar),
    )
    _INDENTER.keyword_types = frozenset(spellings)
    _INDENTER.spelling_types = {name: keyword for name, (keyword, _word) in further.items()}
    return parser


@functools.cache
def keywords() -> dict[str, tuple[str, ...]]:
    """Every keyword of the grammar and its spellings, English first.

    ``{"PER": ("per", "mỗi"), "OF": ("of", "trên", "trong_số", "của"), ...}``:
    the key is the keyword's token type, the first spelling the English one,
    the others Vietnamese (the first of them the usual one).
    """
    return dict(_grammar()[1])


def keyword_spelling(keyword: str, lang: Lang) -> str:
    """The usual spelling of a keyword (a token type such as ``"PER"``) in ``lang``."""
    words = _grammar()[1][keyword]
    return words[0] if lang == "en" else words[1]


#: The Vietnamese spelling that reads right after a given keyword, where it
#: is not the keyword's usual one: ``một trong_số``, ``điểm của``, ``được_chấm bởi``.
VI_AFTER: dict[tuple[str, str], str] = {
    ("OF", "ONE"): "trong_số",
    ("OF", "POINTS"): "của",
    ("BY", "ASSESSED"): "bởi",
}


def keyword_text(keyword: str, previous: str | None, lang: Lang) -> str:
    """How ``lang`` writes a keyword after the keyword ``previous`` (a token type, or None)."""
    if lang == "vi" and previous is not None:
        special = VI_AFTER.get((keyword, previous))
        if special is not None:
            return special
    return keyword_spelling(keyword, lang)


def translate_keywords(text: str, lang: Lang) -> str:
    """English keywords in ``text`` written in ``lang`` (``one of`` -> ``một trong_số``);
    every other word and sign is kept."""
    english = {spellings[0]: keyword for keyword, spellings in _grammar()[1].items()}
    previous: str | None = None
    pieces: list[str] = []
    for piece in re.split(r"([^\W\d][\w/-]*)", text):
        keyword = english.get(piece)
        if keyword is None:
            pieces.append(piece)
            if piece.strip():
                previous = None
            continue
        pieces.append(keyword_text(keyword, previous, lang))
        previous = keyword
    return "".join(pieces)


set_keyword_translator(translate_keywords)


def keyword_language(text: str) -> Lang:
    """The language of a rubric's keywords: that of the word that opens it.

    A rubric starts with ``rubric`` or ``bảng_điểm``; when the first word is
    neither (a file being written), the language most of its keywords are
    in, and English when there are none or as many of each.
    """
    words = _grammar()[1]
    english = {spelling[0] for spelling in words.values()}
    vietnamese = {w for spelling in words.values() for w in spelling[1:]}
    found: list[str] = []
    for line in text.splitlines():
        content = _without_labels(strip_comment(line))
        found.extend(w for w in _WORD.findall(content) if w in english or w in vietnamese)
    if found and found[0] in words["RUBRIC"]:
        return "en" if found[0] == words["RUBRIC"][0] else "vi"
    in_vietnamese = sum(1 for w in found if w in vietnamese)
    return "vi" if in_vietnamese * 2 > len(found) else "en"


_LABEL = re.compile(r'"(?:\\.|[^"\\\n])*"|“[^”\n]*”')


def _without_labels(line: str) -> str:
    return _LABEL.sub(" ", line)


def parse_tokens(source: SourceText) -> tuple[Tree[Token], list[Token]]:
    """Parse like :func:`parse`, and also return every token the parser read,
    in order: keywords (typed by keyword, whatever their spelling), names,
    literals, punctuation, and the ``_NL``, ``_INDENT``, ``_DEDENT`` tokens
    of the line structure.  Comments and spaces are not tokens."""
    record: list[Token] = []
    tree = parse(source, record)
    return tree, record


_LOCK = threading.Lock()


def parse(source: SourceText, record: list[Token] | None = None) -> Tree[Token]:
    """Parse a rubric's text into a Lark tree, or raise :class:`RubricSyntaxError`.

    With ``record``, every token the parser reads is appended to it (see
    :func:`parse_tokens`).
    """
    _reject_empty(source)
    _reject_tabs(source)
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        with _LOCK:
            parser = _parser()
            _INDENTER.text = text
            _INDENTER.record = record
            try:
                return parser.parse(text)
            finally:
                _INDENTER.record = None
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
        keyword_lang=keyword_language(source.text),
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
        {"expected": _Expected.of(source, error.expected)},
    )


def _unexpected_token(source: SourceText, error: UnexpectedToken) -> Diagnostic:
    token = error.token
    expected = _Expected.of(source, error.accepts or error.expected)
    kind = token.type
    if kind == "$END":
        line = max(len(source.lines), 1)
        column = _end_of_content(source, line)
        return _diagnostic(
            source, line, column, line, column + 1, "syntax-eof", {"expected": expected}
        )
    if kind in ("_NL", "_DEDENT"):
        # The line ended too early (or no indented block followed it): point
        # just after its last character, before any comment.
        line = token.line or max(len(source.lines), 1)
        column = _end_of_content(source, line)
        first = source.line(line).split(None, 1)[:1]
        if kind == "_DEDENT" and first and first[0] in _modifiers():
            # `requires` or `note` was the last line of a criterion: its
            # scoring rule is what is missing, not a block under this line.
            return _diagnostic(
                source, line, column, line, column + 1, "syntax-no-scoring", {}, "hint-add-scoring"
            )
        if kind == "_DEDENT" and "_INDENT" in expected.names:
            return _diagnostic(source, line, column, line, column + 1, "syntax-block-missing", {})
        # The line (or the file) ended with something still open: say what was expected.
        return _diagnostic(
            source,
            line,
            column,
            line,
            column + 1,
            "syntax-line-ends",
            {"expected": expected},
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
    elif "_ARROW" in expected.names and (word == ":" or (word == "=" and following == ">")):
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
        {"token": word, "expected": expected},
        hint,
        hint_args,
    )


def _keyword_guess(word: str, expected: _Expected) -> str | None:
    """The expected keyword a misspelt word most likely meant (``critarion``, or
    ``tieu_chi`` for ``tiêu_chí``), in the rubric's keyword language first."""
    if not word or not word[0].isalpha():
        return None
    table = keywords()
    names = sorted(name for name in expected.names if name in table)
    own = 0 if expected.keyword_lang == "en" else 1
    spellings = [table[n][own] for n in names] + [s for n in names for s in table[n]]
    guesses = difflib.get_close_matches(
        word.lower(), list(dict.fromkeys(spellings)), n=1, cutoff=0.6
    )
    return guesses[0] if guesses and guesses[0] != word else None


def _between_digits(source: SourceText, line: int, column: int) -> bool:
    text = source.line(line)
    before = text[column - 2 : column - 1]
    after = text[column : column + 1]
    return before.isdigit() and after.isdigit()


class _Expected:
    """The tokens the parser would have accepted, named for people in either
    language; keywords are written in the rubric's own keyword language."""

    def __init__(self, names: frozenset[str], keyword_lang: Lang) -> None:
        self.names = names
        self.keyword_lang = keyword_lang

    @classmethod
    def of(cls, source: SourceText, names: Iterable[str]) -> _Expected:
        """What Lark expected, each spelling of a keyword named as the keyword."""
        spelling_types = _INDENTER.spelling_types
        found = frozenset(spelling_types.get(name, name) for name in names)
        return cls(found, keyword_language(source.text))

    def localize(self, lang: Lang) -> str:
        return _expected_words(self.names, lang, self.keyword_lang)


def _modifiers() -> frozenset[str]:
    """Lines that may end a criterion before its scoring rule: ``requires``, ``note``."""
    table = keywords()
    return frozenset((*table["REQUIRES"], *table["NOTE"]))


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


def _expected_words(expected: frozenset[str], lang: Lang, keyword_lang: Lang) -> str:
    keyword_names = keywords()
    if "DECIMAL" in expected:
        expected = expected - {"INT"}  # "a number" covers whole numbers
    ordered = [name for name in _FIRST if name in expected] + sorted(
        name for name in expected if name not in _FIRST
    )
    words: list[str] = []
    for name in ordered:
        if name in keyword_names:
            words.append(f"'{keyword_spelling(name, keyword_lang)}'")
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
