"""The editor grammar (editors/htx-rules.tmLanguage.json) highlights what the parser reads.

Two tokenisers run the grammar: a small TextMate tokenizer written here (the
grammar uses only ``match`` rules, whose regular expressions read the same in
Oniguruma and Python's ``re``), and, when ``npm ci --prefix editors/vscode`` has
installed them, the ``vscode-textmate`` and ``vscode-oniguruma`` packages that
VS Code itself uses.  Every shipped rubric is tokenised and each character's
scope is checked against the token the rubric parser reads there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from htx_rules.parser import keywords, parse_tokens
from htx_rules.source import SourceText, strip_comment
from tests.conftest import ROOT

GRAMMAR_FILE = ROOT / "editors" / "htx-rules.tmLanguage.json"
EXTENSION = ROOT / "editors" / "vscode"
NODE_MODULES = EXTENSION / "node_modules"
SHIPPED = sorted((ROOT / "rubrics").glob("*.rules"))

# Per line, the scopes of each character (the root scope left out); () is no scope.
Scopes = list[list[tuple[str, ...]]]

KEYWORD_FAMILIES = ("keyword.", "storage.type.", "support.function.")
# What the parser's tokens must look like in an editor.
EXPECTED: dict[str, tuple[str, ...]] = {
    "NAME": ("variable.other.",),
    "ITEM_ID": ("entity.name.tag.item-id.",),
    "INT": ("constant.numeric.htx-rules",),
    "DECIMAL": ("constant.numeric.htx-rules",),
    "PERCENTAGE": ("constant.numeric.percentage.",),
    "AMOUNT": ("constant.numeric.money.",),
    "DATE": ("constant.other.date.",),
    "STRING": ("string.quoted.",),
    "COMPARE": ("keyword.operator.comparison.",),
    "ADD_OP": ("keyword.operator.arithmetic.",),
    "MUL_OP": ("keyword.operator.arithmetic.",),
    "_ARROW": ("keyword.operator.arrow.",),
    "COMMA": ("punctuation.separator.comma.",),
    "COLON": ("punctuation.separator.colon.",),
    "LPAR": ("punctuation.section.parens.",),
    "RPAR": ("punctuation.section.parens.",),
}


def grammar() -> dict[str, Any]:
    return json.loads(GRAMMAR_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the two tokenisers


def _rules(document: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """The grammar's match rules in the order TextMate tries them."""
    repository = document["repository"]
    found: list[tuple[re.Pattern[str], str]] = []

    def visit(rule: dict[str, Any]) -> None:
        if "include" in rule:
            visit(repository[rule["include"].removeprefix("#")])
        elif "patterns" in rule:
            for inner in rule["patterns"]:
                visit(inner)
        else:
            assert set(rule) <= {"name", "match", "comment"}, rule
            found.append((re.compile(rule["match"]), rule["name"]))

    for rule in document["patterns"]:
        visit(rule)
    return found


def python_scopes(document: dict[str, Any], text: str) -> Scopes:
    """TextMate's rule for a grammar of match rules: at each position the rule
    whose match starts first wins, the earlier rule on a tie; what no rule
    matches keeps the root scope.  Lines are matched with their newline, as
    vscode-textmate does."""
    rules = _rules(document)
    result: Scopes = []
    for line in text.split("\n"):
        chars: list[tuple[str, ...]] = [() for _ in line]
        subject = line + "\n"
        position = 0
        while position < len(line):
            best: tuple[int, int, str] | None = None
            for pattern, name in rules:
                match = pattern.search(subject, position)
                found = match is not None and match.end() > match.start()
                if match and found and (best is None or match.start() < best[0]):
                    best = (match.start(), match.end(), name)
            if best is None:
                break
            start, end, name = best
            for index in range(start, min(end, len(line))):
                chars[index] = (name,)
            position = end
        result.append(chars)
    return result


def oniguruma_scopes(paths: list[Path]) -> dict[Path, Scopes]:
    """The scopes VS Code's own tokenizer gives, through node."""
    output = subprocess.run(
        ["node", str(EXTENSION / "scripts" / "tokenize.js"), str(GRAMMAR_FILE), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    data = json.loads(output.stdout)
    result: dict[Path, Scopes] = {}
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")
        scopes: Scopes = []
        for line, tokens in zip(lines, data[str(path)], strict=True):
            chars: list[tuple[str, ...]] = [() for _ in line]
            for start, end, names in tokens:
                for index in range(start, min(end, len(line))):
                    chars[index] = tuple(names[1:])
            scopes.append(chars)
        result[path] = scopes
    return result


def _oniguruma_available() -> bool:
    return shutil.which("node") is not None and (NODE_MODULES / "vscode-textmate").is_dir()


NEEDS_ONIGURUMA = pytest.mark.skipif(
    not _oniguruma_available(),
    reason="node and editors/vscode/node_modules are needed to run VS Code's tokenizer "
    "(npm ci --prefix editors/vscode; .ci/run does it)",
)

Tokeniser = Callable[[list[Path]], dict[Path, Scopes]]


def _python(paths: list[Path]) -> dict[Path, Scopes]:
    document = grammar()
    return {p: python_scopes(document, p.read_text(encoding="utf-8")) for p in paths}


TOKENISERS = [
    pytest.param(_python, id="python-re"),
    pytest.param(oniguruma_scopes, id="vscode-textmate", marks=NEEDS_ONIGURUMA),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- tests


class TestGrammarFile:
    """The grammar file and the VS Code extension that carries it."""

    def test_grammar_names_the_language(self) -> None:
        """The scope name is ``source.htx-rules`` and the files are ``.rules``."""
        document = grammar()
        assert document["scopeName"] == "source.htx-rules"
        assert document["fileTypes"] == ["rules"]

    def test_every_rule_is_a_match_rule_python_reads(self) -> None:
        """Only ``match`` rules, each a regular expression Python compiles."""
        assert len(_rules(grammar())) >= 15

    def test_extension_points_at_the_grammar(self) -> None:
        """editors/vscode/package.json declares the language and this grammar."""
        package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
        (language,) = package["contributes"]["languages"]
        (entry,) = package["contributes"]["grammars"]
        assert language["extensions"] == [".rules"]
        assert entry["language"] == language["id"]
        assert entry["scopeName"] == grammar()["scopeName"]
        assert (EXTENSION / entry["path"]).resolve() == GRAMMAR_FILE.resolve()
        configuration = EXTENSION / language["configuration"]
        assert json.loads(configuration.read_text(encoding="utf-8"))["comments"] == {
            "lineComment": "#"
        }


@pytest.mark.parametrize("tokenise", TOKENISERS)
class TestHighlighting:
    """Each character is highlighted as what the rubric parser reads there."""

    def test_every_keyword_is_a_keyword(self, tokenise: Tokeniser, tmp_path: Path) -> None:
        """Every spelling of every keyword, English and Vietnamese, alone on a line."""
        words = sorted({w for spellings in keywords().values() for w in spellings})
        path = _write(tmp_path, "keywords.rules", "\n".join(f"x {w} y" for w in words))
        lines = tokenise([path])[path]
        wrong = [
            word
            for word, chars in zip(words, lines, strict=True)
            if any(not s or not s[0].startswith(KEYWORD_FAMILIES) for s in chars[2:-2])
            or len(set(chars[2:-2])) != 1
        ]
        assert wrong == []

    def test_functions_and_maxima(self, tokenise: Tokeniser, tmp_path: Path) -> None:
        """``max(`` is a function, ``max 2`` a keyword; a name that starts like a
        keyword (``not_done``, ``ifx``) is a name."""
        path = _write(tmp_path, "f.rules", "max(0, a) max 2 tối_đa(0, a) not_done ifx")
        chars = tokenise([path])[path][0]
        assert chars[0] == ("support.function.htx-rules",)
        assert chars[10] == ("keyword.other.htx-rules",)
        assert chars[16] == ("support.function.htx-rules",)
        assert chars[30] == chars[39] == ("variable.other.htx-rules",)

    def test_comments_and_labels(self, tokenise: Tokeniser, tmp_path: Path) -> None:
        """A ``#`` inside a label is part of it; after it, a comment."""
        text = 'note "Tiêu chí #13 \\" x" # chú thích "không phải nhãn"\nnote “a"b” #c'
        path = _write(tmp_path, "c.rules", text)
        first, second = tokenise([path])[path]
        assert {s[0] for s in first[5:24]} == {"string.quoted.double.htx-rules"}
        assert {s[0] for s in first[25:]} == {"comment.line.number-sign.htx-rules"}
        assert {s[0] for s in second[5:10]} == {"string.quoted.other.curly.htx-rules"}
        assert second[11] == ("comment.line.number-sign.htx-rules",)

    @pytest.mark.parametrize("rubric", SHIPPED, ids=lambda p: p.name)
    def test_shipped_rubric(self, tokenise: Tokeniser, rubric: Path) -> None:
        """Every token of a shipped rubric has the scope of its kind, every comment
        is a comment, and no character outside them is highlighted."""
        text = rubric.read_text(encoding="utf-8")
        lines = tokenise([rubric])[rubric]
        expected: list[list[tuple[str, ...] | None]] = [[None] * len(line) for line in lines]
        keyword_types = set(keywords())
        for token in parse_tokens(SourceText(str(rubric), text))[1]:
            if token.type in ("_NL", "_INDENT", "_DEDENT"):
                continue
            families = KEYWORD_FAMILIES if token.type in keyword_types else EXPECTED[token.type]
            row = expected[(token.line or 1) - 1]
            for column in range((token.column or 1) - 1, (token.end_column or 1) - 1):
                row[column] = families
        for number, line in enumerate(text.split("\n")):
            start = len(strip_comment(line))
            for column in range(start, len(line)):
                expected[number][column] = ("comment.line.number-sign.",)
        wrong = []
        for number, (line, chars, wanted) in enumerate(
            zip(text.split("\n"), lines, expected, strict=True)
        ):
            for column, (char, scopes, families) in enumerate(
                zip(line, chars, wanted, strict=True)
            ):
                if families is None:
                    ok = char.isspace() and not scopes
                else:
                    ok = bool(scopes) and scopes[0].startswith(families)
                if not ok:
                    wrong.append(f"{rubric.name}:{number + 1}:{column + 1} {char!r} {scopes}")
        assert wrong[:10] == []


@NEEDS_ONIGURUMA
class TestTheTwoTokenisers:
    """The tokenizer of these tests gives what VS Code gives."""

    def test_same_scopes(self, tmp_path: Path) -> None:
        """On the shipped rubrics and a line of every keyword, scope for scope."""
        words = sorted({w for spellings in keywords().values() for w in spellings})
        extra = _write(tmp_path, "keywords.rules", " ".join(words) + "\nmax(1, 2) -1 → ≥ ×")
        paths = [*SHIPPED, extra]
        assert oniguruma_scopes(paths) == _python(paths)
