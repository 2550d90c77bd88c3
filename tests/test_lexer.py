"""The parser's lexer reads every text exactly as Lark's own contextual lexer.

:class:`htx_rules.lexer.ContextualScanner` replaces ``lark.lexer.ContextualLexer``
only to avoid compiling a regular expression per parser state.  Here both read
the same texts with the same parser tables and postlexer, and must give the
same tokens (type, text, every position) and the same outcome: the same tree,
or the same error with the same position and the same expected terminals.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import lark
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from htx_rules import parser
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

evidence
  x yes/no "X"
  n count "N" from 0 to 99
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

bonus "Cộng" max 1
  rule B.1 "b" max 1
    1 if c = a  # a comment
"""


@functools.cache
def _lark_own() -> Lark:
    """The same grammar and tables with Lark's own contextual lexer."""
    ours = parser._parser()
    grammar, _spellings = parser._grammar()
    options: dict[str, Any] = {}
    cached = ours.options.cache
    if cached:
        options["cache"] = cached  # the plugin is not part of Lark's cache key
    own = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=parser._INDENTER,
        propagate_positions=True,
        maybe_placeholders=False,
        **options,
    )
    assert not isinstance(own.parser.lexer.lexer, ContextualScanner)
    return own


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


def _error(error: Exception) -> tuple[Any, ...]:
    found: tuple[Any, ...] = (type(error).__name__,)
    if isinstance(error, UnexpectedInput):
        found += (error.line, error.column, getattr(error, "pos_in_stream", None))
    if isinstance(error, UnexpectedCharacters):
        found += (sorted(error.allowed or ()), error.char)
    if isinstance(error, UnexpectedToken):
        found += (_tokens([error.token]), sorted(error.expected), sorted(error.accepts or ()))
    token = getattr(error, "token", None)
    if isinstance(token, Token) and not isinstance(error, UnexpectedInput):
        found += tuple(_tokens([token]))
    return found


def _read(with_parser: Lark, text: str) -> tuple[Any, list[tuple[Any, ...]]]:
    """What ``with_parser`` makes of ``text``: the tree or the error, and every token."""
    text = text if text.endswith("\n") else text + "\n"
    record: list[Token] = []
    with parser._LOCK:
        parser._INDENTER.text = text
        parser._INDENTER.record = record
        try:
            outcome: Any = ("tree", _tree(with_parser.parse(text)))
        except (UnexpectedInput, parser._IndentationError, parser._GluedKeyword) as error:
            outcome = ("error", _error(error))
        finally:
            parser._INDENTER.record = None
    return outcome, _tokens(record)


def _same(text: str) -> None:
    ours = _read(parser._parser(), text)
    theirs = _read(_lark_own(), text)
    assert ours == theirs


class TestSameAsLark:
    """Our lexer and Lark's read every text the same way."""

    def test_the_parser_uses_our_lexer(self) -> None:
        """The parser is built with ContextualScanner in place of Lark's lexer."""
        assert isinstance(parser._parser().parser.lexer.lexer, ContextualScanner)
        assert lark.__version__  # the tables come from the Lark installed

    def test_shipped_and_example_rubrics(self) -> None:
        """Every .rules file of the repository: the same tokens and the same tree."""
        assert len(RUBRIC_FILES) >= 10
        for path in RUBRIC_FILES:
            _same(Path(path).read_text(encoding="utf-8"))

    def test_every_diagnostic_case(self) -> None:
        """Every rubric of the diagnostics table, most of them wrong on purpose."""
        errors = 0
        for case in CASES:
            ours = _read(parser._parser(), case.text)
            assert ours == _read(_lark_own(), case.text), case.code
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
