"""Stage 1, the lexer: Lark's contextual lexer, without a regex per parser state.

Lark's contextual lexer gives every LALR state its own scanner: the terminals
that state accepts, sorted (priority, then longest possible match, then
longest pattern text, then name), joined into one big regular expression.
Compiling those (73 for this grammar, most of them long alternations of the
English and Vietnamese keyword spellings) was two thirds of the first compile
of a rubric in a process.

:class:`ContextualScanner` makes the same choices without compiling any
alternation.  Each terminal's own pattern is compiled once (about twenty
regular expressions; a keyword is a plain string and needs none), and a
state's scanner is the ordered list of its terminals, tried one after the
other — which is what Python's regex alternation does: the first alternative
that matches at the position wins.  Plain strings are grouped by their first
character, so a keyword costs one dict look-up.  Everything else is Lark's:

* a string terminal that a regex terminal of the same state (and priority)
  matches entirely is left out of the scanner and found by retyping that
  regex's token (Lark's ``unless`` callbacks: ``of`` lexed as ``NAME``
  becomes ``OF``);
* a character no terminal of the state matches raises
  :class:`~lark.exceptions.UnexpectedCharacters` naming the state's
  terminals, unless a terminal of the whole grammar matches there, which
  raises :class:`~lark.exceptions.UnexpectedToken` (the better message);
* positions, line counting and ignored terminals (spaces, comments) as in
  :class:`lark.lexer.BasicLexer`.

It also reads what the grammar Lark builds its tables from leaves out: the
further spellings of a keyword (``trên``, ``trong_số``, ``của`` for ``of``)
are string terminals of the lexer alone, read wherever their keyword may
stand, whose tokens take the keyword's type.  The parser's tables hold one
terminal per keyword, half the states of one terminal per spelling.

The parser installs it through Lark's ``_plugins`` option, in place of
``lark.lexer.ContextualLexer``.  ``tests/test_lexer.py`` holds it to what
Lark's own lexer did with one terminal per spelling (a grammar built as
htx_rules built it before): the same tokens, trees and errors on the shipped
rubrics, every diagnostic's rubric and random damage to them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.lexer import Lexer, LexerState, PatternStr, TerminalDef, Token

#: A step of a state's scanner: plain strings by first character, in order
#: (``True``), or one regex terminal (``False``) with its compiled pattern.
_Step = tuple[bool, Any, str]


def _sort_key(terminal: TerminalDef) -> tuple[int, int, int, str]:
    """Lark's order of a scanner's terminals (``BasicLexer.__init__``)."""
    pattern = terminal.pattern
    return (-terminal.priority, -pattern.max_width, -len(pattern.value), terminal.name)


def _has_newline(regexp: str) -> bool:
    """Whether a terminal may match a newline (Lark's ``_regexp_has_newline``)."""
    return (
        "\n" in regexp
        or "\\n" in regexp
        or "\\s" in regexp
        or "[^" in regexp
        or ("(?s" in regexp and "." in regexp)
    )


class _StateScanner:
    """The scanner of one set of accepted terminals."""

    def __init__(self, owner: ContextualScanner, names: frozenset[str]) -> None:
        by_name, rank, type_of = owner.terminals_by_name, owner.rank, owner.type_of
        spellings = owner.spellings
        names = names.union(*(spellings[n] for n in names if n in spellings))
        terminals = sorted((by_name[n] for n in names if n in by_name), key=lambda t: rank[t.name])
        regexes = {t.name for t in terminals if not isinstance(t.pattern, PatternStr)}
        embedded: set[str] = set()
        #: regex terminal -> {its whole match: the string terminal it is}
        self.unless: dict[str, dict[str, str]] = {}
        for string in terminals:
            if isinstance(string.pattern, PatternStr):
                for regex in owner.whole_matches(string):
                    if regex in regexes:
                        retyped = self.unless.setdefault(regex, {})
                        retyped.setdefault(string.pattern.value, type_of(string.name))
                        embedded.add(string.name)
        kept = [t for t in terminals if t.name not in embedded]
        self.allowed = frozenset(t.name for t in kept)
        self.steps: list[_Step] = []
        for terminal in kept:
            if isinstance(terminal.pattern, PatternStr):
                if not self.steps or not self.steps[-1][0]:
                    self.steps.append((True, {}, ""))
                by_first: dict[str, list[tuple[str, str]]] = self.steps[-1][1]
                value = terminal.pattern.value
                by_first.setdefault(value[0], []).append((value, type_of(terminal.name)))
            else:
                self.steps.append((False, owner.compiled(terminal), terminal.name))

    def match(self, text: str, pos: int, end: int) -> tuple[str, str] | None:
        """The first terminal, in scanner order, that matches at ``pos``."""
        for plain, pattern, name in self.steps:
            if plain:
                for value, string_name in pattern.get(text[pos], ()):
                    if text.startswith(value, pos, end):
                        return value, string_name
            else:
                found = pattern.match(text, pos, end)
                if found is not None:
                    return found.group(0), name
        return None


class ContextualScanner(Lexer):
    """Drop-in for :class:`lark.lexer.ContextualLexer` (see the module's docstring).

    Built by Lark with the lexer configuration, the terminals each parser
    state accepts and those every state accepts (the indenter's ``_NL``).

    ``more_spellings`` adds string terminals the grammar does not have, each
    another spelling of a string terminal it has: ``{"OF__1": ("OF", "trên")}``.
    Such a terminal is read wherever its keyword may stand, exactly as if the
    grammar had it there, and its tokens get the keyword's type (``OF``).
    """

    def __init__(
        self,
        conf: LexerConf,
        states: Mapping[int, Collection[str]],
        always_accept: Collection[str] = (),
        *,
        more_spellings: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        if (
            conf.use_bytes
            or conf.callbacks
            or any(t.pattern.flags for t in conf.terminals if isinstance(t.pattern, PatternStr))
        ):  # pragma: no cover - not how parser.py builds it
            raise ValueError("ContextualScanner reads text, without callbacks or flagged strings")
        self.terminals_by_name: dict[str, TerminalDef] = dict(conf.terminals_by_name)
        #: a keyword's terminal -> the terminals of its further spellings
        self.spellings: dict[str, frozenset[str]] = {}
        self._keywords: dict[str, str] = {}
        for name, (keyword, word) in (more_spellings or {}).items():
            priority = self.terminals_by_name[keyword].priority
            self.terminals_by_name[name] = TerminalDef(name, PatternStr(word), priority)
            self.spellings[keyword] = self.spellings.get(keyword, frozenset()) | {name}
            self._keywords[name] = keyword
        terminals = list(self.terminals_by_name.values())
        self.ignore_types = frozenset(conf.ignore)
        self._re = conf.re_module
        self._flags = conf.g_regex_flags
        self._extra = frozenset(conf.ignore) | frozenset(always_accept)
        self._states = states
        self._by_state: dict[int, _StateScanner] = {}
        self._by_accepts: dict[frozenset[str], _StateScanner] = {}
        self._compiled: dict[str, Any] = {}
        self._whole: dict[str, tuple[str, ...]] = {}
        #: every terminal's place in Lark's scanner order
        self.rank = {t.name: place for place, t in enumerate(sorted(terminals, key=_sort_key))}
        self._regexes = [t for t in terminals if not isinstance(t.pattern, PatternStr)]
        self.newline_types = frozenset(
            t.name for t in terminals if _has_newline(t.pattern.to_regexp())
        )
        self._root: _StateScanner | None = None

    # ------------------------------------------------------------ per terminal, once

    def type_of(self, name: str) -> str:
        """The token type a terminal gives: its keyword's, for a further spelling."""
        return self._keywords.get(name, name)

    def compiled(self, terminal: TerminalDef) -> Any:
        """A terminal's own pattern, compiled the first time it is needed."""
        pattern = self._compiled.get(terminal.name)
        if pattern is None:
            pattern = self._re.compile(terminal.pattern.to_regexp(), self._flags)
            self._compiled[terminal.name] = pattern
        return pattern

    def whole_matches(self, string: TerminalDef) -> tuple[str, ...]:
        """The regex terminals of ``string``'s priority that match its whole
        text, as Lark tests it (their first match from the start is the whole
        string): ``("ITEM_ID", "NAME")`` for ``OF``."""
        found = self._whole.get(string.name)
        if found is None:
            value = string.pattern.value
            matching = []
            for regex in self._regexes:
                if regex.priority == string.priority:
                    match = self.compiled(regex).match(value)
                    if match is not None and match.group(0) == value:
                        matching.append(regex.name)
            found = self._whole[string.name] = tuple(matching)
        return found

    # ------------------------------------------------------------ scanners

    def _scanner(self, state: int) -> _StateScanner:
        scanner = self._by_state.get(state)
        if scanner is None:
            accepts = frozenset(self._states[state])
            scanner = self._by_accepts.get(accepts)
            if scanner is None:
                scanner = self._by_accepts[accepts] = _StateScanner(self, accepts | self._extra)
            self._by_state[state] = scanner
        return scanner

    def _root_scanner(self) -> _StateScanner:
        if self._root is None:
            self._root = _StateScanner(self, frozenset(self.terminals_by_name))
        return self._root

    # ------------------------------------------------------------ lexing

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        """Tokens for the parser, each read with the scanner of the state it is in."""
        try:
            while True:
                scanner = self._scanner(parser_state.position)
                yield self._next_token(scanner, lexer_state, parser_state)
        except EOFError:
            pass
        except UnexpectedCharacters as error:
            # Like Lark: a terminal of the grammar, though not of this state,
            # makes a better message ("expected ..., found 'x'").
            try:
                last_token = lexer_state.last_token
                token = self._next_token(self._root_scanner(), lexer_state, parser_state)
                raise UnexpectedToken(  # type: ignore[no-untyped-call]
                    token,
                    error.allowed,
                    state=parser_state,
                    token_history=[last_token],
                    terminals_by_name=self.terminals_by_name,
                ) from None
            except UnexpectedCharacters:
                raise error from None

    def _next_token(
        self, scanner: _StateScanner, lexer_state: LexerState, parser_state: Any
    ) -> Token:
        line_ctr = lexer_state.line_ctr
        text = lexer_state.text.text
        end = lexer_state.text.end
        ignore_types = self.ignore_types
        while line_ctr.char_pos < end:
            found = scanner.match(text, line_ctr.char_pos, end)
            if found is None:
                allowed = set(scanner.allowed - ignore_types) or {"<END-OF-FILE>"}
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text,
                    line_ctr.char_pos,
                    line_ctr.line,
                    line_ctr.column,
                    allowed=allowed,
                    token_history=lexer_state.last_token and [lexer_state.last_token],
                    state=parser_state,
                    terminals_by_name=self.terminals_by_name,
                )
            value, type_ = found
            ignored = type_ in ignore_types
            retype = scanner.unless.get(type_)
            token = None
            if not ignored or retype is not None:
                token = Token(type_, value, line_ctr.char_pos, line_ctr.line, line_ctr.column)
            line_ctr.feed(value, type_ in self.newline_types)
            if token is not None:
                token.end_line = line_ctr.line
                token.end_column = line_ctr.column
                token.end_pos = line_ctr.char_pos
                if retype is not None:
                    keyword = retype.get(value)
                    if keyword is not None:
                        token.type = keyword
                if not ignored:
                    lexer_state.last_token = token
                    return token
        raise EOFError(self)
