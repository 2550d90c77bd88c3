"""The parser reads every text exactly as Lark's own lexer did with the old grammar.

:class:`htx_rules.lexer.ContextualScanner` replaces ``lark.lexer.ContextualLexer``
to avoid compiling a regular expression per parser state, and reads the
further spellings of each keyword (``trên`` for ``of``) that the grammar given
to Lark leaves out.  The reference here is how htx_rules parsed before: one
Lark terminal per spelling (``OF__1: "trên"``, every ``OF`` of a rule spelt
``(OF | OF__1 | ...)``), Lark's own contextual lexer, and the postlexer giving
each spelling's token its keyword's type.  Both must give the same tokens
(type, text, every position) and the same outcome: the same tree, or the same
error at the same place expecting the same terminals (spellings named as
their keyword).
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from htx_rules import parser
from htx_rules._resources import resource_path
from htx_rules.lexer import ContextualScanner
from tests.conftest import ROOT
from tests.test_compile_errors import CASES

RUBRIC_FILES = sorted(
    path for folder in ("rubrics", "examples") for path in (ROOT / folder).rglob("*.rules")
)

SMALL = """\
rubric r "Bảng điểm"
  year 2021
  total 10
  deadline 2021-12-20
  rounding 2 decimals half-up

minh_chứng
  x yes/no "X"
  y có/không "Y"
  n số_lượng "N" từ 0 đến 99
  p percent "P"
  t money "T"
  c one of "C"
    a "A"
    b "B"

part I "Phần một" max 10
  criterion I.1 "Một" max 2
    2 if x and not (n >= 3)
  criterion I.2 "Hai" max 3
    by p
      >= 80% -> 3
      ≥ 50.5% -> 1.5
      otherwise -> 0
  criterion I.3 "Ba" max 5
    tiêu_chí I.3.a "a" max 3
      0.5 mỗi n, tối đa 3
    criterion I.3.b "b" max 2
      target t of 10.000.000 đồng: linear
    criterion I.3.c "c" max 0
      chỉ_tiêu t trên 5 đồng: tỷ_lệ_thuận

bonus "Cộng" max 1
  rule B.1 "b" max 1
    1 if c = a  # a comment
"""


# ---------------------------------------------------------------- the reference

_TERMINAL_NAME = re.compile(r"\b[A-Z][A-Z0-9_]*\b")


def _grammar_one_terminal_per_spelling() -> str:
    """The grammar as htx_rules gave it to Lark before: every spelling its own
    terminal, a keyword used once an inlined rule ``_kw_year: YEAR | YEAR__1``."""
    text = resource_path("grammar", parser.GRAMMAR_FILE).read_text(encoding="utf-8")
    rules = text.partition(parser._KEYWORDS_MARKER)[0]
    spellings = parser.keywords()
    code = [line.partition("//")[0] for line in rules.splitlines()]
    uses = collections.Counter(
        name for line in code for name in _TERMINAL_NAME.findall(line) if name in spellings
    )

    def alternatives(match: re.Match[str]) -> str:
        keyword = match.group()
        words = spellings.get(keyword)
        if words is None:
            return keyword
        if uses[keyword] == 1:
            return f"_kw_{keyword.lower()}"
        names = [keyword] + [parser._spelling_terminal(keyword, i) for i in range(1, len(words))]
        return "(" + " | ".join(names) + ")"

    lines = []
    for line in rules.splitlines():
        code_part, comment, rest = line.partition("//")
        lines.append(_TERMINAL_NAME.sub(alternatives, code_part) + comment + rest)
    for keyword, words in spellings.items():
        names = [keyword] + [parser._spelling_terminal(keyword, i) for i in range(1, len(words))]
        if uses[keyword] == 1:
            lines.append(f"_kw_{keyword.lower()}: " + " | ".join(names))
        lines.extend(f'{name}: "{word}"' for name, word in zip(names, words, strict=True))
    return "\n".join(lines) + "\n"


class _RenamingIndenter(parser._RubricIndenter):
    """The old postlexer: a spelling's token takes its keyword's type first."""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        types = parser._INDENTER.spelling_types

        def renamed() -> Iterator[Token]:
            for token in stream:
                token.type = types.get(token.type, token.type)
                yield token

        return super().process(renamed())  # type: ignore[no-any-return]


_REFERENCE_INDENTER = _RenamingIndenter()


@functools.cache
def _reference() -> Lark:
    """The old grammar with Lark's own contextual lexer (tables cached like the parser's)."""
    parser._parser()  # the keyword types of the indenter
    grammar = _grammar_one_terminal_per_spelling()
    reference = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=_REFERENCE_INDENTER,
        propagate_positions=True,
        maybe_placeholders=False,
        **parser.tables_cache(grammar, "test-lexer-reference"),
    )
    _REFERENCE_INDENTER.keyword_types = parser._INDENTER.keyword_types
    assert not isinstance(reference.parser.lexer.lexer, ContextualScanner)
    return reference


def _tokens(record: list[Token]) -> list[tuple[Any, ...]]:
    return [
        (t.type, str(t), t.start_pos, t.line, t.column, t.end_line, t.end_column, t.end_pos)
        for t in record
    ]


def _tree(tree: Tree[Token] | Token) -> Any:
    if isinstance(tree, Token):
        return ("token", *_tokens([tree])[0])
    meta = tree.meta
    where = (meta.line, meta.column, meta.end_line, meta.end_column) if not meta.empty else None
    return (tree.data, where, [_tree(child) for child in tree.children])


def _names(names: Any) -> list[str]:
    """Terminal names, a spelling's named as its keyword."""
    types = parser._INDENTER.spelling_types
    return sorted({types.get(name, name) for name in names or ()})


def _error(error: Exception) -> tuple[Any, ...]:
    found: tuple[Any, ...] = (type(error).__name__,)
    if isinstance(error, UnexpectedInput):
        found += (error.line, error.column, getattr(error, "pos_in_stream", None))
    if isinstance(error, UnexpectedCharacters):
        found += (_names(error.allowed), error.char)
    if isinstance(error, UnexpectedToken):
        token = error.token
        found += (
            _names([token.type]),
            _tokens([token])[0][1:],
            _names(error.expected),
            _names(error.accepts),
        )
    token = getattr(error, "token", None)
    if isinstance(token, Token) and not isinstance(error, UnexpectedInput):
        found += tuple(_tokens([token]))
    return found


def _read(with_parser: Lark, indenter: parser._RubricIndenter, text: str) -> Any:
    """What ``with_parser`` makes of ``text``: the tree or the error, and every token."""
    text = text if text.endswith("\n") else text + "\n"
    record: list[Token] = []
    with parser._LOCK:
        indenter.text = text
        indenter.record = record
        try:
            outcome: Any = ("tree", _tree(with_parser.parse(text)))
        except (UnexpectedInput, parser._IndentationError, parser._GluedKeyword) as error:
            outcome = ("error", _error(error))
        finally:
            indenter.record = None
    return outcome, _tokens(record)


def _ours(text: str) -> Any:
    return _read(parser._parser(), parser._INDENTER, text)


def _same(text: str) -> Any:
    ours = _ours(text)
    assert ours == _read(_reference(), _REFERENCE_INDENTER, text)
    return ours


class TestSameAsLark:
    """Our lexer and grammar read every text as the old ones did."""

    def test_the_parser_uses_our_lexer(self) -> None:
        """The parser is built with ContextualScanner, on half the states of the old grammar."""
        ours = parser._parser()
        assert isinstance(ours.parser.lexer.lexer, ContextualScanner)
        old_states = len(_reference().parser.parser.parser.parse_table.states)
        new_states = len(ours.parser.parser.parser.parse_table.states)
        assert new_states * 2 < old_states

    def test_shipped_and_example_rubrics(self) -> None:
        """Every .rules file of the repository: the same tokens and the same tree."""
        assert len(RUBRIC_FILES) >= 10
        vietnamese = 0
        for path in RUBRIC_FILES:
            _outcome, tokens = _same(Path(path).read_text(encoding="utf-8"))
            vietnamese += any(t[1] == "tiêu_chí" for t in tokens)
        assert vietnamese  # the Vietnamese keywords were read

    def test_every_diagnostic_case(self) -> None:
        """Every rubric of the diagnostics table, most of them wrong on purpose."""
        errors = 0
        for case in CASES:
            ours = _ours(case.text)
            assert ours == _read(_reference(), _REFERENCE_INDENTER, case.text), case.code
            errors += ours[0][0] == "error"
        assert errors >= 10  # the syntax errors are among them

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.integers(0, len(SMALL)),
                st.integers(0, 6),
                st.sampled_from(
                    [
                        "",
                        " ",
                        "\n",
                        "  ",
                        "x",
                        "9",
                        "%",
                        '"',
                        "“",
                        ":",
                        ",",
                        ".",
                        "-",
                        ">",
                        "=",
                        "->",
                        "(",
                        ")",
                        "#",
                        "đ",
                        "ư",
                        "_",
                        "\t",
                        "of",
                        "mỗi",
                        "tối_đa",
                        "yes/no",
                        "half-up",
                        "2021-12-20",
                        "1.000 đồng",
                        "I.9",
                        "trên",
                        "của",
                        "có/không",
                        "nửa_lên",
                        "tối",
                        "điểm",
                        "và",
                        "không",
                    ]
                ),
            ),
            min_size=1,
            max_size=3,
        )
    )
    def test_damaged_rubrics(self, edits: list[tuple[int, int, str]]) -> None:
        """Random deletions and insertions in a small rubric that uses every kind of token."""
        text = SMALL
        for place, removed, inserted in edits:
            at = min(place, len(text))
            text = text[:at] + inserted + text[at + removed :]
        _same(text)
