"""``htx-rules fmt``: a rubric's text in its one canonical layout.

Text in, text out; nothing here reads or writes files.  The layout is built
from the tokens the parser reads (so a word is a keyword exactly where the
language has one) and from the comments and blank lines of the source lines
between and beside them.  The canonical layout:

* two spaces of indentation per level; a line continued inside parentheses
  keeps its line breaks, each continuation indented four spaces deeper;
* one space between tokens, none inside parentheses, before ``,`` and ``:``,
  between a function and its ``(``, or after a unary minus;
* ASCII symbols (``>=``, ``->``, ``*``); labels in straight quotes (curly
  quotes when the label itself holds a straight quote); money as
  ``10.000.000 đồng``; other numbers, names and ids as written;
* keywords in one language: the rubric's own (that of its first word), or the
  one asked for, mixed spellings made one;
* the name column of ``evidence``, ``contestants``, ``dossier`` and choice
  blocks aligned, and the type column of ``evidence``, within each run of
  lines not broken by a blank line;
* every comment kept, verbatim, where it was: a comment line at the depth of
  the block it sits in, an end-of-line comment from column 81, or two spaces
  after a longer line (so that editing a line never moves another's comment);
* blank lines as written but never two in a row, one before every section at
  the left margin (and before the comment lines directly above it), none at
  the start or the end; Unicode NFC; a newline at the end.

:func:`format_rubric` compiles the text before and after and refuses
(``fmt-unsafe``) if the rule models or the comments differ, so formatting can
never change what a rubric means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal, get_args

import attrs
from lark import Token

from htx_rules.decimals import Lang
from htx_rules.errors import Diagnostic, RubricCompileError, RubricError
from htx_rules.parser import keyword_language, keyword_text, keywords
from htx_rules.rubric import compile_model
from htx_rules.source import SourceText, display_width, label_text, strip_comment

#: What ``keywords`` may ask of :func:`format_rubric`.
KeywordChoice = Literal["keep", "vi", "en"]

INDENT = 2
CONTINUATION = 4
#: Where an end-of-line comment starts (0-based), unless the line is longer.
COMMENT_COLUMN = 80

_SYMBOLS = {"≥": ">=", "≤": "<=", "≠": "!=", "==": "=", "−": "-", "×": "*", "÷": "/", "→": "->"}
# Tokens after which + and - are binary: they end a value.
_VALUE_ENDS = frozenset(
    {"NAME", "ITEM_ID", "INT", "DECIMAL", "PERCENTAGE", "AMOUNT", "DATE", "RPAR"}
    | {"DEADLINE", "COMPLETE"}
)
_FUNCTIONS = frozenset({"MIN", "MAX", "ROUND", "FLOOR", "CEIL"})
_NO_SPACE_BEFORE = frozenset({"COMMA", "RPAR", "COLON"})
_FIELD_TYPES = frozenset({"YESNO", "COUNT", "NUMBER", "PERCENT", "MONEY", "DATE_TYPE"})


def format_rubric(text: str, keywords: KeywordChoice = "keep", *, name: str = "<string>") -> str:
    """The rubric ``text`` in the canonical layout (see the module's documentation).

    Args:
        text: A rubric that compiles.
        keywords: ``"keep"`` writes the keywords in the rubric's own language
            (that of its first word, ``rubric`` or ``bảng_điểm``); ``"vi"``
            and ``"en"`` convert them.
        name: The name errors show for the text (usually its file's path).

    Returns:
        The formatted text; formatting it again gives the same text.

    Raises:
        RubricSyntaxError, RubricCompileError: the text does not compile (a
            rubric is formatted only when its meaning is known, so that the
            result can be proved to mean the same); ``fmt-unsafe`` if the
            result would not mean what the text means (a defect of htx_rules:
            nothing is written).
        ValueError: ``keywords`` is not one of the three choices.
    """
    if keywords not in get_args(KeywordChoice):
        raise ValueError(f"keywords must be 'keep', 'vi' or 'en', not {keywords!r}")
    tokens: list[Token] = []
    source, before = compile_model(text, name, tokens=tokens)
    lang: Lang = keyword_language(source.text) if keywords == "keep" else keywords
    formatted = _Layout(source, tokens, lang).text()
    try:
        after = compile_model(formatted, name)[1]
    except RubricError:
        after = None
    if after != before or comments(formatted) != comments(source.text):
        raise RubricCompileError([Diagnostic("fmt-unsafe", None, {"file": name})])
    return formatted


def comments(text: str) -> list[str]:
    """Every comment of a rubric's text, in order, as written (without trailing spaces)."""
    found = []
    for line in _split_lines(text):
        comment = line[len(strip_comment(line)) :].strip()
        if comment:
            found.append(comment)
    return found


def quote_label(text: str) -> str:
    """A label's text in the canonical quotes: straight, or curly when it holds a
    straight quote (and no closing curly one), so that it needs no escapes."""
    if '"' in text and "”" not in text:
        return f"“{text}”"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def money_text(written: str) -> str:
    """An amount of money in the canonical spelling: ``10.000.000 đồng``."""
    digits = re.match(r"[\d._]+", written)
    assert digits is not None  # the AMOUNT token starts with its digits
    amount = int(digits.group().replace(".", "").replace("_", ""))
    return f"{amount:,}".replace(",", ".") + " đồng"


def _split_lines(text: str) -> list[str]:
    """Lines as the parser numbers them: split at ``\\n`` only."""
    return [line.removesuffix("\r") for line in text.split("\n")]


# ---------------------------------------------------------------- statements


@attrs.frozen
class _Statement:
    """One logical line: its tokens, depth, and the original indentation of
    every level open at it (``indents[d]`` for depth ``d``)."""

    tokens: tuple[Token, ...]
    depth: int
    indents: tuple[int, ...]

    @property
    def first_line(self) -> int:
        return self.tokens[0].line or 1

    @property
    def last_line(self) -> int:
        return max(t.end_line or t.line or 1 for t in self.tokens)

    @property
    def kind(self) -> str:
        return self.tokens[0].type


def _statements(tokens: Sequence[Token]) -> list[_Statement]:
    statements: list[_Statement] = []
    current: list[Token] = []
    indents = [0]
    start: tuple[int, tuple[int, ...]] = (0, (0,))
    for token in tokens:
        if token.type == "_INDENT":
            indents.append(len(str(token)))
        elif token.type == "_DEDENT":
            indents.pop()
        elif token.type == "_NL":
            if current:
                statements.append(_Statement(tuple(current), *start))
                current = []
        else:
            if not current:
                start = (len(indents) - 1, tuple(indents))
            current.append(token)
    if current:  # pragma: no cover - the parser always ends a line with _NL
        statements.append(_Statement(tuple(current), *start))
    return statements


# ---------------------------------------------------------------- output lines


@attrs.define
class _Line:
    """One output line: code (cells), a comment line, or a blank line."""

    kind: Literal["code", "comment", "blank"]
    indent: int = 0
    cells: list[str] = attrs.Factory(list)
    comment: str = ""
    align: tuple[str, int] | None = None  # (what is aligned, the block it is in)
    bare_type: bool = True  # a field whose type cell holds no inline values


class _Layout:
    def __init__(self, source: SourceText, tokens: Sequence[Token], lang: Lang) -> None:
        self.lines = _split_lines(source.text)
        self.statements = _statements(tokens)
        self.lang = lang
        self.keyword_types = frozenset(keywords())
        self.out: list[_Line] = []

    def text(self) -> str:
        previous: _Statement | None = None
        section: _Statement | None = None
        field = 0  # the line of the field a choice block belongs to
        for index, statement in enumerate(self.statements):
            start = previous.last_line if previous else 0
            self.gap(start + 1, statement.first_line, previous, statement, top=index > 0)
            if statement.depth == 0:
                section = statement
            elif statement.depth == 1:
                field = statement.first_line
            block = field if statement.depth == 2 else _section_id(section)
            self.statement(statement, section, block)
            previous = statement
        end = previous.last_line if previous else 0
        self.gap(end + 1, len(self.lines) + 1, previous, None, top=False)
        return "\n".join(_render(self.out)) + "\n"

    # ------------------------------------------------------------ between statements

    def gap(
        self,
        first: int,
        stop: int,
        previous: _Statement | None,
        following: _Statement | None,
        *,
        top: bool,
    ) -> None:
        """The blank and comment lines from line ``first`` up to ``stop``."""
        items: list[_Line] = []
        for number in range(first, stop):
            line = self.lines[number - 1]
            if not line.strip():
                # Never two blank lines in a row, nor one at the start.
                if (items[-1].kind if items else "code") != "blank" and (items or self.out):
                    items.append(_Line("blank"))
                continue
            column = len(line) - len(line.lstrip())
            depth = _comment_depth(column, previous, following)
            items.append(_Line("comment", INDENT * depth, comment=line.strip()))
        if following is None:
            while items and items[-1].kind == "blank":
                items.pop()
        if top and following is not None and following.depth == 0:
            # A section at the left margin, with the comment lines directly
            # above it at the margin too, is set apart by one blank line.
            at = len(items)
            while at and items[at - 1].kind == "comment" and items[at - 1].indent == 0:
                at -= 1
            if not at or items[at - 1].kind != "blank":
                items.insert(at, _Line("blank"))
        self.out.extend(items)

    # ------------------------------------------------------------ statements

    def statement(self, statement: _Statement, section: _Statement | None, block: int) -> None:
        indent = INDENT * statement.depth
        pieces = list(self.pieces(statement.tokens))
        by_line: dict[int, list[tuple[Token, str, bool]]] = {}
        for piece in pieces:
            by_line.setdefault(piece[0].line or 1, []).append(piece)
        first = statement.first_line
        for number in range(first, statement.last_line + 1):
            text = self.lines[number - 1]
            comment = text[len(strip_comment(text)) :].strip()
            on_line = by_line.get(number)
            if number == first:
                assert on_line is not None
                line = self.code_line(on_line, indent, comment, statement, section, block)
                self.out.append(line)
            elif on_line is not None:
                self.out.append(
                    _Line("code", indent + CONTINUATION, [_join(on_line)], comment=comment)
                )
            elif comment:
                self.out.append(_Line("comment", indent + CONTINUATION, comment=comment))

    def code_line(
        self,
        pieces: list[tuple[Token, str, bool]],
        indent: int,
        comment: str,
        statement: _Statement,
        section: _Statement | None,
        block: int,
    ) -> _Line:
        kind = _alignment(statement, section)
        if kind is None or len(pieces) != len(statement.tokens):
            return _Line("code", indent, [_join(pieces)], comment=comment)
        cells = [_join(pieces[:1])]
        rest = 1
        bare = True
        if kind == "field":
            rest = 2
            if pieces[1][0].type == "ONE":
                rest = 3
                while rest < len(pieces) and pieces[rest][0].type in ("NAME", "COMMA"):
                    bare = False
                    rest += 1
            cells.append(_join(pieces[1:rest]))
        cells.append(_join(pieces[rest:]))
        return _Line("code", indent, cells, comment=comment, align=(kind, block), bare_type=bare)

    def pieces(self, tokens: Sequence[Token]) -> Iterator[tuple[Token, str, bool]]:
        """Each token with its canonical text and whether a space comes before it."""
        previous: Token | None = None
        after_unary = False
        for token in tokens:
            space = previous is not None and not after_unary and _space_between(previous, token)
            yield token, self.token_text(token, previous), space
            # A sign: + or - where no value ends just before it.
            after_unary = token.type == "ADD_OP" and (
                previous is None or previous.type not in _VALUE_ENDS
            )
            previous = token

    def token_text(self, token: Token, previous: Token | None) -> str:
        kind = token.type
        if kind in self.keyword_types:
            return keyword_text(kind, previous.type if previous else None, self.lang)
        written = str(token)
        if kind == "STRING":
            return quote_label(label_text(written))
        if kind == "AMOUNT":
            return money_text(written)
        return _SYMBOLS.get(written, written)


def _section_id(section: _Statement | None) -> int:
    return section.first_line if section is not None else 0


def _alignment(statement: _Statement, section: _Statement | None) -> str | None:
    """What a statement aligns with its neighbours as: a field, a choice, ..."""
    if section is None:
        return None
    where = (section.kind, statement.depth)
    return {
        ("EVIDENCE", 1): "field",
        ("EVIDENCE", 2): "choice",
        ("CONTESTANTS", 1): "contestant",
        ("DOSSIER", 1): "document",
    }.get(where)


def _space_between(previous: Token, token: Token) -> bool:
    if token.type in _NO_SPACE_BEFORE or previous.type == "LPAR":
        return False
    return not (token.type == "LPAR" and previous.type in _FUNCTIONS)


def _join(pieces: Sequence[tuple[Token, str, bool]]) -> str:
    parts: list[str] = []
    for number, (_, text, space) in enumerate(pieces):
        if number and space:
            parts.append(" ")
        parts.append(text)
    return "".join(parts)


def _comment_depth(column: int, previous: _Statement | None, following: _Statement | None) -> int:
    """The depth of a comment line: that of the deepest block open around it
    whose indentation the comment reaches (at least the next line's depth)."""
    if previous is None:
        return following.depth if following is not None else 0
    low = following.depth if following is not None else 0
    high = max(previous.depth, low)
    low = min(previous.depth, low)
    indents = list(previous.indents)
    if following is not None and following.depth > previous.depth:
        indents = [*following.indents]
    chosen = low
    for depth in range(low, high + 1):
        if depth < len(indents) and indents[depth] <= column:
            chosen = depth
    return chosen


# ---------------------------------------------------------------- rendering


def _render(lines: list[_Line]) -> list[str]:
    widths = _column_widths(lines)
    texts: list[str] = []
    for line in lines:
        if line.kind == "blank":
            texts.append("")
        elif line.kind == "comment":
            texts.append(" " * line.indent + line.comment)
        else:
            texts.append(" " * line.indent + _cells(line, widths.get(id(line))))
    for number, line in enumerate(lines):
        if line.kind == "code" and line.comment:
            width = display_width(texts[number])
            texts[number] += " " * max(COMMENT_COLUMN - width, 2) + line.comment
    return texts


def _cells(line: _Line, widths: list[int] | None) -> str:
    if widths is None or len(line.cells) == 1:
        return " ".join(line.cells)
    parts: list[str] = []
    for number, cell in enumerate(line.cells[:-1]):
        width = widths[number] if number < len(widths) else 0
        if number == 1 and not line.bare_type:
            width = 0
        parts.append(cell + " " * max(width - display_width(cell), 0))
    return " ".join([*parts, line.cells[-1]])


def _column_widths(lines: list[_Line]) -> dict[int, list[int]]:
    """The widths of the aligned columns of every aligned line, by ``id``."""
    groups: dict[tuple[tuple[str, int], int], list[_Line]] = {}
    blanks = 0
    for line in lines:
        if line.kind == "blank":
            blanks += 1
        elif line.align is not None:
            groups.setdefault((line.align, blanks), []).append(line)
    widths: dict[int, list[int]] = {}
    for members in groups.values():
        columns = len(members[0].cells) - 1
        found = []
        for column in range(columns):
            cells = [
                display_width(m.cells[column])
                for m in members
                if column < len(m.cells) - 1 and (column != 1 or m.bare_type)
            ]
            found.append(max(cells, default=0))
        for member in members:
            widths[id(member)] = found
    return widths
