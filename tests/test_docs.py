"""The documentation stays true to the engine.

Every rubric example in ``docs/*.md`` and ``README.md`` compiles, every Python
example runs, every message code and public name is documented, every link
resolves, and the numbers, trace excerpts and command output the documents
quote are what the engine produces today.

Conventions the documents follow, and these tests rely on:

* a fenced block marked ``rules`` is a complete rubric; a fragment is marked ``text``;
* a fenced block marked ``python`` runs on its own from the repository root;
* ``<!-- excerpt: EVIDENCE node ID -->`` before a ``json`` block: the block is the
  trace node ``ID`` of that example's ``Result.to_dict()``, exactly;
* ``<!-- excerpt: EVIDENCE keys K1,K2 -->`` before a ``json`` block: the block holds
  those top-level keys of ``Result.to_dict()``, exactly;
* either excerpt marker may end with ``unassessed``: the example is then scored
  without the reviewers' assessments its file carries;
* ``<!-- output: ARGS -->`` before a ``text`` block: every line of the block, except
  lines that are only ``…``, is a line of ``htx-rules ARGS``'s output, in order;
  ``ARGS && ARGS`` runs several commands one after the other (their outputs joined), and
  ``{tmp}`` in them is a folder made for the test, for the files a command writes;
* ``<!-- source: PATH -->`` before a ``text`` block: the block quotes the file ``PATH``
  verbatim: split at lines that are only ``…``, each piece is consecutive lines of the
  file, and the pieces come in the file's order;
* ``<!-- totals: examples/2021 -->`` before a table: its rows are the engine's
  totals of the eight 2021 examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import typing
from decimal import Decimal
from pathlib import Path

import pytest

import htx_rules
from htx_rules.cli import main
from htx_rules.evidence import parse_evidence_toml
from htx_rules.messages import CATALOG
from htx_rules.parser import keywords
from htx_rules.result import AdjustmentKind, DecisionKind, NodeKind, Status
from tests.conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
RUBRIC_2021 = "rubrics/2021.rules"
# Catalog entries that are pieces of reports, not problems (see docs/errors.md).
REPORT_PREFIXES = ("why-", "adjust-", "report-", "column-", "explain-", "value-", "token-", "cli-")
REQUIRED_DOCS = (
    "language.md",
    "semantics.md",
    "errors.md",
    "trace.md",
    "cli.md",
    "python-api.md",
    "rubric-2021.md",
    "huong-dan.md",
)


class Block(typing.NamedTuple):
    """A fenced code block of a Markdown file."""

    file: Path
    line: int
    info: str
    text: str
    before: str

    def __str__(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def markdown_files() -> list[Path]:
    """README.md and every Markdown file in docs/."""
    return [README, *sorted(DOCS.glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of ``path``, with the last non-blank line before each."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = re.match(r"^(`{3,})(.*)$", lines[index])
        if opening is None:
            index += 1
            continue
        fence, info = opening.group(1), opening.group(2).strip()
        before = next((line for line in reversed(lines[:index]) if line.strip()), "")
        end = index + 1
        while end < len(lines) and not lines[end].startswith(fence):
            end += 1
        found.append(Block(path, index + 1, info, "\n".join(lines[index + 1 : end]) + "\n", before))
        index = end + 1
    return found


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    result = set()
    inside_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside_code = not inside_code
        heading = re.match(r"^#{1,6} (.*)$", line)
        if heading and not inside_code:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
            result.add(slug)
    return result


def blocks_of(kind: str) -> list[Block]:
    """Every block marked ``kind`` in README.md and docs/*.md."""
    return [b for path in markdown_files() for b in blocks(path) if b.info == kind]


def doc_text(name: str) -> str:
    """The text of ``docs/name``."""
    return (DOCS / name).read_text(encoding="utf-8")


def problem_codes() -> list[str]:
    """Catalog codes of errors, warnings, evidence problems and their hints."""
    return [code for code in CATALOG if not code.startswith(REPORT_PREFIXES)]


def score_example(evidence_path: str, *, assessed: bool = True) -> htx_rules.Result:
    """Score one example file the way the command line does, from the repository root
    (without its reviewers' assessments when ``assessed`` is false)."""
    with contextlib.chdir(ROOT):
        rubric = htx_rules.load(RUBRIC_2021)
        parse = (
            parse_evidence_toml
            if evidence_path.endswith(".toml")
            else htx_rules.parse_evidence_json
        )
        document = parse(Path(evidence_path).read_text(encoding="utf-8"), evidence_path)
        return rubric.score(
            document.evidence,
            contestant=document.contestant,
            assessments=document.assessments if assessed else None,
        )


def find_node(tree: dict[str, typing.Any], node_id: str) -> dict[str, typing.Any] | None:
    """The node ``node_id`` of a trace given as JSON-ready data."""
    if tree["id"] == node_id:
        return tree
    for child in tree["children"]:
        found = find_node(child, node_id)
        if found is not None:
            return found
    return None


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``htx-rules args`` in this process from the repository root."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT):
        code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def marked(kind: str) -> list[tuple[Block, str]]:
    """Blocks preceded by ``<!-- kind: ... -->``, with what the marker says."""
    result = []
    for block in [b for path in markdown_files() for b in blocks(path)]:
        match = re.fullmatch(rf"<!--\s*{kind}:\s*(.*?)\s*-->", block.before.strip())
        if match:
            result.append((block, match.group(1)))
    return result


class TestDocumentsExist:
    """The documentation set is complete and linked."""

    @pytest.mark.parametrize("name", REQUIRED_DOCS)
    def test_document_exists(self, name: str) -> None:
        """Each document the README promises is in docs/ and is not empty."""
        path = DOCS / name
        assert path.is_file(), name
        assert len(path.read_text(encoding="utf-8").strip()) > 500, name

    def test_readme_links_resolve(self) -> None:
        """Every link from README.md to docs/*.md names a file that exists."""
        links = re.findall(r"\]\((docs/[^)#\s]+\.md)(?:#[^)]*)?\)", README.read_text("utf-8"))
        assert links, "README.md links to no document"
        missing = [link for link in links if not (ROOT / link).is_file()]
        assert missing == []

    def test_links_between_documents_resolve(self) -> None:
        """Every relative link from one document to another names a file that exists."""
        missing = []
        for path in sorted(DOCS.glob("*.md")):
            for link in re.findall(r"\]\(([^)#\s:]+\.md)(?:#[^)]*)?\)", path.read_text("utf-8")):
                if not (path.parent / link).resolve().is_file():
                    missing.append(f"{path.name} -> {link}")
        assert missing == []

    def test_anchors_resolve(self) -> None:
        """Every link to a section (``#anchor``) names a heading of the document it points to."""
        broken = []
        for path in markdown_files():
            text = path.read_text(encoding="utf-8")
            for target, anchor in re.findall(r"\]\(([^)#\s:]*)#([^)\s]+)\)", text):
                document = (path.parent / target).resolve() if target else path
                if anchor not in anchors(document):
                    broken.append(f"{path.name} -> {target}#{anchor}")
        assert broken == []

    def test_documents_are_utf8_without_replacement_characters(self) -> None:
        """Every document reads as UTF-8 and holds no replacement character."""
        for path in markdown_files():
            assert "\ufffd" not in path.read_text(encoding="utf-8"), path.name


class TestRubricExamples:
    """Every ```rules block is a complete rubric that compiles."""

    def test_there_are_rubric_examples(self) -> None:
        """The language reference shows complete rubrics, not only fragments."""
        assert len([b for b in blocks_of("rules") if b.file.name == "language.md"]) >= 3

    @pytest.mark.parametrize("block", blocks_of("rules"), ids=str)
    def test_rules_block_compiles(self, block: Block) -> None:
        """The block compiles with htx_rules.loads."""
        rubric = htx_rules.loads(block.text, name=str(block))
        assert rubric.model.parts

    def test_readme_language_tour_compiles(self) -> None:
        """The README's tour of the language, an unmarked block, is a complete rubric too."""
        tours = [b for b in blocks(README) if b.text.lstrip().startswith("rubric ")]
        assert tours, "README.md shows no rubric"
        for block in tours:
            assert htx_rules.loads(block.text, name=str(block)).model.parts

    def test_no_unmarked_rubric_blocks(self) -> None:
        """A block that starts like a rubric is marked ``rules`` or, for a fragment, ``text``."""
        unmarked = [
            str(b)
            for path in DOCS.glob("*.md")
            for b in blocks(path)
            if b.info == "" and b.text.lstrip().startswith("rubric ")
        ]
        assert unmarked == []


class TestPythonExamples:
    """Every ```python block runs as written from the repository root."""

    def test_there_are_python_examples(self) -> None:
        """The Python API page shows runnable examples."""
        assert len([b for b in blocks_of("python") if b.file.name == "python-api.md"]) >= 5

    @pytest.mark.parametrize("block", blocks_of("python"), ids=str)
    def test_python_block_runs(self, block: Block) -> None:
        """The block runs in a fresh namespace without raising."""
        code = compile(block.text, str(block), "exec")
        namespace: dict[str, object] = {"__name__": "__docs__"}
        with contextlib.chdir(ROOT), contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)


class TestErrorsReference:
    """docs/errors.md lists every message code with its Vietnamese text."""

    @pytest.mark.parametrize("code", problem_codes())
    def test_problem_code_is_documented(self, code: str) -> None:
        """The code appears in backticks in docs/errors.md."""
        assert f"`{code}`" in doc_text("errors.md")

    @pytest.mark.parametrize("code", problem_codes())
    def test_vietnamese_message_is_quoted(self, code: str) -> None:
        """The Vietnamese text of the code appears in docs/errors.md as the catalog has it."""
        assert CATALOG[code][0] in doc_text("errors.md")

    @pytest.mark.parametrize("code", [c for c in CATALOG if c.startswith("cli-")])
    def test_command_line_code_is_documented(self, code: str) -> None:
        """The command line's own messages are listed too."""
        assert f"`{code}`" in doc_text("errors.md")

    def test_error_classes_are_documented(self) -> None:
        """Every error class of the hierarchy is named in docs/errors.md."""
        text = doc_text("errors.md")
        for cls in (
            htx_rules.HtxRulesError,
            htx_rules.RubricError,
            htx_rules.RubricSyntaxError,
            htx_rules.RubricCompileError,
            htx_rules.EvidenceError,
        ):
            assert f"`{cls.__name__}`" in text


class TestPythonApiReference:
    """docs/python-api.md covers the public API."""

    @pytest.mark.parametrize("name", htx_rules.__all__)
    def test_public_name_is_documented(self, name: str) -> None:
        """The name appears in backticks in docs/python-api.md."""
        assert re.search(rf"`(htx_rules\.)?{re.escape(name)}\b", doc_text("python-api.md"))


class TestLanguageReference:
    """docs/language.md names every keyword of the grammar."""

    @pytest.mark.parametrize("word", sorted({w for ws in keywords().values() for w in ws}))
    def test_keyword_is_listed(self, word: str) -> None:
        """The keyword appears in backticks in docs/language.md."""
        assert f"`{word}`" in doc_text("language.md")


class TestTraceReference:
    """docs/trace.md names every kind and status a trace can hold, and quotes real output."""

    @pytest.mark.parametrize(
        "word",
        sorted(
            {
                *typing.get_args(DecisionKind),
                *typing.get_args(AdjustmentKind),
                *typing.get_args(NodeKind),
                *typing.get_args(Status),
            }
        ),
    )
    def test_kind_is_documented(self, word: str) -> None:
        """The kind or status appears in backticks in docs/trace.md."""
        assert f"`{word}`" in doc_text("trace.md")

    def test_json_keys_are_documented(self) -> None:
        """Every key of a result's JSON form, at every level, appears in backticks."""
        data = score_example("examples/2021/931-tp-nga-bay.toml").to_dict()
        keys: set[str] = set(data)
        keys |= set(data["rubric"]) | set(data["contestant"]) | set(data["engine"])
        for line in data["ledger"]:
            keys |= set(line) | set(line["source"])
            for read in line["reads"]:
                keys |= set(read)
        for node in _walk(data["trace"]):
            keys |= set(node) | set(node["source"])
            if node["decision"] is not None:
                keys |= set(node["decision"]) | set(node["decision"]["details"])
            for read in node["reads"]:
                keys |= set(read)
            for adjustment in node["adjustments"]:
                keys |= set(adjustment)
        text = doc_text("trace.md")
        assert sorted(k for k in keys if f"`{k}`" not in text) == []

    def test_excerpts_exist(self) -> None:
        """docs/trace.md quotes at least one checked excerpt of real output."""
        assert any(b.file.name == "trace.md" for b, _ in marked("excerpt"))

    @pytest.mark.parametrize("marked_block", marked("excerpt"), ids=lambda m: str(m[0]))
    def test_excerpt_is_real_output(self, marked_block: tuple[Block, str]) -> None:
        """The JSON block equals the part of the engine's result it says it shows."""
        block, what = marked_block
        evidence, kind, arg, *options = what.split()
        data = score_example(evidence, assessed="unassessed" not in options).to_dict()
        shown = json.loads(block.text)
        if kind == "node":
            assert shown == find_node(data["trace"], arg)
        elif kind == "ledger":
            numbers = [int(n) for n in arg.split(",")]
            assert shown == [data["ledger"][n - 1] for n in numbers]
        else:
            assert kind == "keys"
            assert shown == {key: data[key] for key in arg.split(",")}


def _walk(node: dict[str, typing.Any]) -> typing.Iterator[dict[str, typing.Any]]:
    yield node
    for child in node["children"]:
        yield from _walk(child)


class TestQuotedOutput:
    """Command output quoted in the documents is what the command prints today."""

    @pytest.mark.parametrize("marked_block", marked("output"), ids=lambda m: str(m[0]))
    def test_output_excerpt_is_real(self, marked_block: tuple[Block, str], tmp_path: Path) -> None:
        """Every line of the block is a line of the command's output, in order."""
        block, command = marked_block
        produced = []
        for part in command.split(" && "):
            args = [arg.replace("{tmp}", str(tmp_path)) for arg in shlex.split(part)]
            _code, out, err = run_cli(args)
            produced += (out + err).splitlines()
        position = 0
        for line in block.text.splitlines():
            if line.strip() in ("…", "..."):
                continue
            assert line in produced[position:], f"{line!r} is not printed by {command}"
            position = produced.index(line, position) + 1


class TestQuotedSource:
    """Files quoted in the documents are quoted as they are today."""

    def test_there_are_quotations(self) -> None:
        """The guide for policy staff quotes the shipped rubric through checked excerpts."""
        quoted = {path for block, path in marked("source") if block.file.name == "huong-dan.md"}
        assert "rubrics/2021.vi.rules" in quoted

    @pytest.mark.parametrize("marked_block", marked("source"), ids=lambda m: str(m[0]))
    def test_quotation_is_verbatim(self, marked_block: tuple[Block, str]) -> None:
        """Each piece of the block is a run of consecutive lines of the file, in order."""
        block, path = marked_block
        assert block.info == "text", f"{block}: a quotation is a text block"
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        pieces: list[list[str]] = [[]]
        for line in block.text.splitlines():
            if line.strip() in ("…", "..."):
                pieces.append([])
            else:
                pieces[-1].append(line)
        position = 0
        for piece in [p for p in pieces if p]:
            starts = [
                start
                for start in range(position, len(lines) - len(piece) + 1)
                if lines[start : start + len(piece)] == piece
            ]
            assert starts, f"{block}: {piece[0]!r} … is not a run of lines of {path} here"
            position = starts[0] + len(piece)


class TestGuideExamples:
    """The practice files of the guide for policy staff are what it says they are."""

    FOLDER = ROOT / "examples" / "huong-dan"

    def test_sample_rubric_compiles(self) -> None:
        """The sample rubric the faulty files are made from is correct."""
        assert htx_rules.load(self.FOLDER / "mau.rules").model.parts

    @pytest.mark.parametrize(
        "path", sorted((ROOT / "examples" / "huong-dan").glob("loi-*.rules")), ids=lambda p: p.name
    )
    def test_faulty_rubric_is_refused_and_shown(self, path: Path) -> None:
        """Each faulty file is refused, and the guide shows what the engine says about it."""
        with pytest.raises(htx_rules.RubricError):
            htx_rules.load(path)
        relative = str(path.relative_to(ROOT))
        shown = [
            command
            for block, command in marked("output")
            if block.file.name == "huong-dan.md" and relative in command
        ]
        assert shown, f"docs/huong-dan.md shows no output for {relative}"


class TestRubric2021Page:
    """docs/rubric-2021.md gives the rubric's criteria and the totals the engine computes."""

    def test_every_criterion_and_rule_is_listed_verbatim(self) -> None:
        """Each criterion and rule has a row with its id, its label as written, and its max."""
        from htx_rules.checker import all_items
        from htx_rules.decimals import canonical

        text = doc_text("rubric-2021.md")
        model = htx_rules.load(ROOT / RUBRIC_2021).model
        absent = [
            item.id
            for item in all_items(model)
            if f"| {item.id} | {item.label} | {canonical(item.maximum)} |" not in text
        ]
        assert absent == []

    def test_every_contestant_is_listed(self) -> None:
        """Each contestant has a row with its code and its name as in the rubric."""
        text = doc_text("rubric-2021.md")
        for contestant in htx_rules.load(ROOT / RUBRIC_2021).contestants:
            assert f"| {contestant.code} | {contestant.name} |" in text

    def test_every_evidence_field_is_listed(self) -> None:
        """Each evidence field of the rubric has a row with its label."""
        text = doc_text("rubric-2021.md")
        for field in htx_rules.load(ROOT / RUBRIC_2021).fields:
            assert f"| `{field.name}` |" in text, field.name
            assert field.label in text, field.name

    def test_totals_table_matches_the_engine(self) -> None:
        """Each row of the totals table has the engine's parts, bonus, deduction and total."""
        text = doc_text("rubric-2021.md")
        marker = text.index("<!-- totals: examples/2021 -->")
        rows = []
        for line in text[marker:].splitlines()[1:]:
            if not line.strip():
                if rows:
                    break
                continue
            rows.append([cell.strip().strip("*") for cell in line.strip().strip("|").split("|")])
        header, body = rows[0], rows[2:]
        columns = {
            name: header.index(name)
            for name in ("Code", "I", "II", "III", "Bonus", "Deduction", "Total")
        }
        seen = set()
        for row in body:
            code = row[columns["Code"]]
            path = next(
                p
                for p in (ROOT / "examples" / "2021").glob(f"{code}-*")
                if p.suffix in (".json", ".toml")
            )
            result = score_example(str(path.relative_to(ROOT)))
            expected = {
                "I": result.parts["I"],
                "II": result.parts["II"],
                "III": result.parts["III"],
                "Bonus": result.bonus,
                "Deduction": result.deduction,
                "Total": result.total,
            }
            shown = {name: Decimal(row[columns[name]]) for name in expected}
            assert shown == expected, code
            seen.add(code)
        assert seen == {str(n) for n in range(930, 938)}


class TestWorkedExample:
    """The worked example in docs/semantics.md cites the rubric lines the trace gives."""

    def test_cited_lines_are_the_rules_lines(self) -> None:
        result = score_example("examples/2021/936-h-long-my.toml")
        assert result.trace is not None
        text = doc_text("semantics.md")
        block = text[text.index("## Worked example") :]
        cited = re.findall(r"^\| ([A-Z]+[0-9.a-z]*) \|[^|]*\((\d+)\) \|", block, flags=re.M)
        assert len(cited) > 20
        wrong = []
        for item_id, line in cited:
            node = result.trace.find(item_id)
            assert node is not None, item_id
            if node.span.line != int(line):
                wrong.append(f"{item_id}: cited {line}, rubric line {node.span.line}")
        assert wrong == []
