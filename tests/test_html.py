"""The HTML report without a browser: escaping, self-containment, content, languages,
the command line, and golden files.

The documents are parsed with the standard library's :mod:`html.parser` into a small
element tree (:func:`parse`), so the tests read what a browser would build: elements,
attributes and text, with character references decoded.  Expected values are derived
from the Python objects (``Result``, ``ContestResult``, the trace, the render helpers),
not written by hand.

The golden files are ``tests/golden/2021/report-contest.vi.html`` (the contest of the
eight 2021 examples) and ``report-934-h-phung-hiep.vi.html`` (one district's result, as
``htx-rules score … --format html`` prints it); ``pytest --update-goldens`` rewrites them
(review the diff by eye: open them in a browser).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest

import htx_rules
from htx_rules.checker import all_items
from htx_rules.cli import EXIT_EVIDENCE, EXIT_OK, main
from htx_rules.decimals import format_money, format_number
from htx_rules.html import contest_html, result_html, results_html
from htx_rules.messages import CATALOG
from htx_rules.render import _Index, describe, show_evidence
from htx_rules.report import award_words, line_reason, prize_words
from tests.conftest import ROOT
from tests.test_golden import check_golden

RUBRIC = "rubrics/2021.rules"
EXAMPLES = "examples/2021"
GOLDEN_2021 = ROOT / "tests" / "golden" / "2021"
CONTEST_GOLDEN = "report-contest.vi.html"
DISTRICT = "934-h-phung-hiep"
DISTRICT_GOLDEN = f"report-{DISTRICT}.vi.html"

# Elements the templates write; anything else in a document came from a value.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "footer", "section",
    "h1", "h2", "h3", "p", "ul", "li", "div", "span", "a", "code",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
VOID = {"meta", "br", "img", "link", "input", "hr", "source", "wbr"}


# ---------------------------------------------------------------- a small DOM


class Element:
    """An element of a parsed document: tag, attributes, children (elements and text)."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find_all(
        self, tag: str | None = None, cls: str | None = None, **attrs: str
    ) -> list[Element]:
        return [
            e
            for e in self.walk()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}> below <{self.tag} {self.attrs}>"
        return found[0]

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed (as a reader sees it)."""
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else " " + child.text + " ")
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class Document(NamedTuple):
    """A parsed HTML document."""

    root: Element
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        """The text of the body, whitespace collapsed."""
        return self.root.find("body").text


def parse(page: str) -> Document:
    """Parse ``page``; every element must be closed in order."""
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "an element is left open"
    return Document(builder.root, tuple(builder.tags))


def squash(text: str) -> str:
    """``text`` with whitespace collapsed, as :attr:`Element.text` gives it."""
    return " ".join(text.split())


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def rubric() -> htx_rules.Rubric:
    """The 2021 rubric, loaded by its path relative to the repository root."""
    with contextlib.chdir(ROOT):
        return htx_rules.load(RUBRIC)


@pytest.fixture(scope="module")
def contest(rubric: htx_rules.Rubric) -> htx_rules.ContestResult:
    """The contest of the eight 2021 examples."""
    with contextlib.chdir(ROOT):
        return htx_rules.run_contest_from(Path(EXAMPLES), rubric)


@pytest.fixture(scope="module")
def contest_page(contest: htx_rules.ContestResult) -> str:
    return contest_html(contest)


@pytest.fixture(scope="module")
def contest_doc(contest_page: str) -> Document:
    return parse(contest_page)


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``htx-rules args`` in this process from the repository root."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT):
        code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- hostile values

HOSTILE_RUBRIC = r"""
rubric doc_hai "<script>alert(1)</script> Bảng \"điểm\" & 'x' <b>đậm</b>"
  year 2021
  total 10
  deadline 2021-12-20

contestants
  A "<script>alert('A')</script> Đơn vị & \"Co\""
  B "Đơn vị B"

evidence
  loai one of "<img src=x onerror=alert(1)> Loại"
    tot "<script>alert(2)</script> Tốt & \"hay\""
    kem "Kém"
  so count "Số <i>lượng</i> & 'đơn vị'"

dossier
  to_trinh "<script>alert(3)</script> Tờ trình"

part I "<script>alert(4)</script> Phần \"một\"" max 10
  criterion I.1 "<script>alert(1)</script> \"&<>'" max 4
    by loai
      tot -> 4
      kem -> 0
  criterion I.2 "Số <em>lượng</em>" max 3
    1 per so, at most 3
  criterion I.3 "Đánh giá <u>x</u>" max 3
    assessed by reviewer "<script>alert(5)</script> hướng dẫn"

awards
  place 1 "<script>alert(6)</script> Hạng Nhất" 1.000.000 đồng
  eligible if dossier complete "<script>alert(7)</script> đủ hồ sơ"
"""
REVIEWER = "<script>alert(8)</script> Người \"chấm\" & 'Mai'"
JUSTIFICATION = "<script>alert(9)</script> \"&<>' lý do\ndòng hai"
NOTE = '<script>alert(10)</script> ghi chú & "x" </td></tr></table>'
SOURCE = "<b>a.toml</b>"


@pytest.fixture(scope="module")
def hostile_rubric() -> htx_rules.Rubric:
    return htx_rules.loads(HOSTILE_RUBRIC, name="<script>alert(11)</script>.rules")


@pytest.fixture(scope="module")
def hostile_contest(hostile_rubric: htx_rules.Rubric) -> htx_rules.ContestResult:
    unit_a = htx_rules.Submission(
        "A",
        evidence={"loai": "tot", "so": 2},
        claimed={"I.1": 4, "I.2": 3},
        dossier=("to_trinh",),
        verified={"so": 1},
        assessments={"I.3": {"points": 2, "reviewer": REVIEWER, "justification": JUSTIFICATION}},
        note=NOTE,
        source=SOURCE,
    )
    unit_b = htx_rules.Submission("B", evidence={"loai": "kem"}, source="b.toml")
    return htx_rules.run_contest(hostile_rubric, [unit_a, unit_b])


def hostile_texts(rubric: htx_rules.Rubric) -> list[str]:
    """Every hostile text of the rubric and the submissions, as people must see it."""
    model = rubric.model
    texts = [model.header.title, *(c.name for c in rubric.contestants)]
    for field in model.fields:
        texts.append(field.label)
        texts.extend(c.label for c in field.choices)
    texts += [d.label for d in model.dossier]
    texts += [p.label for p in model.parts]
    texts += [i.label for i in all_items(model)]
    assert model.awards is not None
    texts += [p.label for p in model.awards.places]
    texts += [REVIEWER, JUSTIFICATION, NOTE, SOURCE, rubric.source.name]
    return texts


class TestEscaping:
    """Hostile labels, names, evidence and justifications show as text, never as markup."""

    def check(self, page: str, rubric: htx_rules.Rubric, expected: list[str]) -> Document:
        document = parse(page)
        assert "script" not in document.tags
        assert set(document.tags) <= TEMPLATE_TAGS, set(document.tags) - TEMPLATE_TAGS
        # No attribute came from a value (onerror=..., src=...).
        for element in document.root.walk():
            assert not {a for a in element.attrs if a.startswith("on")}, element.attrs
            assert "src" not in element.attrs
        shown = document.root.text
        for value in expected:
            assert squash(value) in shown, value
        # The raw text of <style> is the style sheet alone.
        style = document.root.find("style").text
        assert "alert" not in style
        assert "<" not in style
        return document

    def test_contest_report_escapes_every_value(
        self, hostile_contest: htx_rules.ContestResult, hostile_rubric: htx_rules.Rubric
    ) -> None:
        """Rubric title, labels, choice labels, unit names, dossier and award labels,
        a note, a reviewer's name and justification, file names: all text."""
        for lang in ("vi", "en"):
            page = contest_html(hostile_contest, lang)
            self.check(page, hostile_rubric, hostile_texts(hostile_rubric))
            assert "<script>" not in page
            assert "&lt;script&gt;alert(9)" in page

    def test_result_report_escapes_every_value(
        self, hostile_contest: htx_rules.ContestResult, hostile_rubric: htx_rules.Rubric
    ) -> None:
        """One unit's result: labels, the unit's name, the choice shown with its label,
        the reviewer's words."""
        result = hostile_contest.standing("A").verified
        field = hostile_rubric.fields[0]
        choice = show_evidence(result.evidence["loai"], field, "vi")
        expected = [
            hostile_rubric.model.header.title,
            hostile_rubric.contestants[0].name,
            field.label,
            choice,
            *(i.label for i in all_items(hostile_rubric.model)),
            REVIEWER,
            JUSTIFICATION,
        ]
        document = self.check(result_html(result), hostile_rubric, expected)
        cell = document.root.find("tr", data_field="loai").find("td", "value")
        assert cell.text == squash(choice)
        assert choice.startswith("<script>alert(2)</script>")

    def test_hostile_label_in_a_table_cell_is_its_text(
        self, hostile_contest: htx_rules.ContestResult
    ) -> None:
        """The label ``<script>alert(1)</script> "&<>'`` is the whole text of its cell."""
        document = parse(result_html(hostile_contest.standing("A").verified))
        row = document.root.find("table", "criteria").find("tr", data_item="I.1")
        assert row.find("td", "label").text == "<script>alert(1)</script> \"&<>'"

    def test_title_element_is_escaped(self, hostile_contest: htx_rules.ContestResult) -> None:
        page = contest_html(hostile_contest)
        title = parse(page).root.find("title").text
        assert "<script>alert(1)</script>" in title
        assert re.search(r"<title>[^<]*&lt;script&gt;", page)


# ---------------------------------------------------------------- one file


class TestSelfContained:
    """One file: no script, no external resource, links only to its own sections."""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_no_external_resources(self, contest: htx_rules.ContestResult, lang: str) -> None:
        for page in (contest_html(contest, lang), result_html(contest.standings[0].verified)):
            document = parse(page)
            assert "script" not in document.tags
            assert "link" not in document.tags
            assert "img" not in document.tags
            assert not re.search(r"\b(src|srcset)\s*=", page)
            assert not re.search(r"https?://|url\(|@import", page)
            ids = {e.attrs["id"] for e in document.root.walk() if "id" in e.attrs}
            for anchor in document.root.find_all("a"):
                href = anchor.attrs["href"]
                assert href.startswith("#"), href
                assert href[1:] in ids, href

    def test_print_style_sheet(self, contest_page: str) -> None:
        """A4 pages, repeated table headings, a page per unit (docs/report.md)."""
        style = parse(contest_page).root.find("style").text
        assert "@page { size: A4;" in style
        assert "@media print" in style
        assert "thead { display: table-header-group; }" in style
        assert "section.unit { break-before: page;" in style

    def test_document_shape(self, contest_page: str) -> None:
        assert contest_page.startswith('<!DOCTYPE html>\n<html lang="vi">')
        assert '<meta charset="utf-8">' in contest_page
        assert contest_page.endswith("</html>\n")


# ---------------------------------------------------------------- content


def row_ids(model: htx_rules.Rubric) -> list[str]:
    """What a criterion table lists, in order: parts, criteria, sections, rules."""
    m = model.model
    ids: list[str] = []

    def visit(items: tuple[object, ...]) -> None:
        for item in items:
            ids.append(item.id)  # type: ignore[attr-defined]
            visit(item.children)  # type: ignore[attr-defined]

    for part in m.parts:
        ids.append(part.id)
        visit(part.criteria)
    if m.bonus is not None:
        ids.append("bonus")
        visit(m.bonus.rules)
    if m.deduction is not None:
        ids.append("deduction")
        visit(m.deduction.rules)
    return ids


class TestContestContent:
    """The contest report says what the contest computed."""

    def test_ranking_table(self, contest: htx_rules.ContestResult, contest_doc: Document) -> None:
        table = contest_doc.root.find("table", "ranking")
        rows = table.find("tbody").find_all("tr")
        assert [r.attrs["data-unit"] for r in rows] == [s.code for s in contest.standings]
        for row, standing in zip(rows, contest.standings, strict=True):
            assert row.find("td", "rank").text.rstrip("=") == str(standing.rank)
            assert row.find("td", "unit").text == standing.contestant.name
            assert row.find("td", "verified").text.rstrip("*") == format_number(
                standing.total, "vi"
            )
            assert row.find("td", "reported").text == format_number(standing.reported.total, "vi")
            assert row.find("td", "award").text == (award_words(standing, contest, "vi") or "—")
            assert row.find("td", "prize").text == prize_words(standing, "vi")

    def test_first_place(self, contest: htx_rules.ContestResult, contest_doc: Document) -> None:
        """The eligible unit at place 1 shows its award and its prize, Vietnamese style."""
        first = next(s for s in contest.awarded if s.award and s.award.place.rank == 1)
        assert first.award is not None
        assert first.award.prize is not None
        row = contest_doc.root.find("tr", data_unit=first.code)
        assert row.find("td", "award").text == first.award.place.label
        assert row.find("td", "prize").text == format_money(first.award.prize, "vi")
        assert format_number(first.award.prize, "vi") == "10.000.000"

    def test_every_criterion_of_every_unit(
        self, contest: htx_rules.ContestResult, contest_doc: Document, rubric: htx_rules.Rubric
    ) -> None:
        """Each unit's criterion table lists every part, criterion and rule, in rubric
        order, with the claimed, reported and verified points, the explanation of the
        verified points and the rubric line it comes from."""
        index = _Index(rubric.model)
        expected_ids = row_ids(rubric)
        for standing in contest.standings:
            section = contest_doc.root.find("section", data_unit=standing.code)
            table = section.find("table", "criteria")
            rows = list(table.find("tbody").find_all("tr"))
            assert [r.attrs["data-item"] for r in rows] == expected_ids
            assert standing.verified.trace is not None
            nodes = {n.id: n for n in standing.verified.trace.walk()}
            lines = {line.id: line for line in standing.lines}
            for row in rows:
                item = row.attrs["data-item"]
                if item in ("bonus", "deduction"):
                    continue
                node, line = nodes[item], lines.get(item)
                assert row.find("td", "points").text == format_number(node.points, "vi")
                assert row.find("td", "max").text == format_number(node.maximum, "vi")
                source = row.find("div", "source")
                assert source.find("span").text == f"Bảng điểm, dòng {node.span.line}"
                assert source.find("code").text == squash(node.source)
                if line is None:
                    continue
                claimed = "—" if line.claimed is None else format_number(line.claimed, "vi")
                assert row.find("td", "claimed").text == claimed
                assert row.find("td", "reported").text == format_number(line.reported, "vi")
                assert row.find("div", "text").text == squash(describe(node, index, "vi"))
                assert ("differs" in row.classes) == line.differs

    def test_differences_and_changes(
        self, contest: htx_rules.ContestResult, contest_doc: Document, rubric: htx_rules.Rubric
    ) -> None:
        """The lines that differ, with the text report's reasons, and the changed values."""
        re_inspected = [s for s in contest.standings if any(line.changed for line in s.lines)]
        assert re_inspected, "the examples re-inspect some units"
        for standing in contest.standings:
            section = contest_doc.root.find("section", data_unit=standing.code)
            if not standing.differences:
                assert not section.find_all("table", "differences")
                continue
            rows = section.find("table", "differences").find("tbody").find_all("tr")
            assert [r.attrs["data-item"] for r in rows] == [d.id for d in standing.differences]
            for row, line in zip(rows, standing.differences, strict=True):
                assert row.find("td", "reason").text == squash(
                    line_reason(line, rubric.model, "vi")
                )
        for standing in re_inspected:
            section = contest_doc.root.find("section", data_unit=standing.code)
            changes = section.find("table", "changes")
            changed = {c.field: c for line in standing.lines for c in line.changed}
            shown = {r.attrs["data-field"]: r for r in changes.find("tbody").find_all("tr")}
            assert set(shown) == set(changed)
            fields = {f.name: f for f in rubric.fields}
            for name, change in changed.items():
                row = shown[name]
                assert row.find("td", "value").text == squash(
                    show_evidence(change.reported, fields[name], "vi")
                )
                assert row.find("td", "verified").text == squash(
                    show_evidence(change.verified, fields[name], "vi")
                )

    def test_evidence_assessments_dossier(
        self, contest: htx_rules.ContestResult, contest_doc: Document, rubric: htx_rules.Rubric
    ) -> None:
        """Every field as people write it, every assessment, every dossier document."""
        for standing in contest.standings:
            section = contest_doc.root.find("section", data_unit=standing.code)
            evidence = section.find("table", "evidence").find("tbody").find_all("tr")
            assert [r.attrs["data-field"] for r in evidence] == [f.name for f in rubric.fields]
            for row, field in zip(evidence, rubric.fields, strict=True):
                reported = show_evidence(standing.reported.evidence.get(field.name), field, "vi")
                assert row.find("td", "value").text == squash(reported)
            for item_id, assessment in standing.verified.assessments.items():
                row = section.find("table", "assessments").find("tr", data_item=item_id)
                assert row.find("td", "reviewer").text == squash(assessment.reviewer)
                assert row.find("td", "justification").text == squash(assessment.justification)
                assert row.find("td", "points").text == format_number(
                    standing.verified.items[item_id], "vi"
                )
            dossier = section.find("table", "dossier")
            missing = {d.id for d in standing.dossier_missing}
            for document in rubric.model.dossier:
                row = dossier.find("tr", data_document=document.id)
                assert row.find("td", "sent").text == ("không" if document.id in missing else "có")
                assert ("missing-document" in row.classes) == (document.id in missing)

    def test_ineligible_reasons_and_ties(
        self, contest: htx_rules.ContestResult, contest_doc: Document
    ) -> None:
        """Every reason a unit is not eligible, and every tie note, is on the first page."""
        ranking = contest_doc.root.find("section", "ranking").text
        for standing in contest.standings:
            for reason in standing.reasons:
                assert squash(reason.text("vi")) in ranking
        tied = [s for s in contest.standings if s.tie is not None and s.tie.key is not None]
        assert tied, "the 2021 examples have a tie broken by a key"
        for standing in tied:
            assert standing.contestant.name in ranking

    def test_audit_block(self, contest: htx_rules.ContestResult, contest_doc: Document) -> None:
        """The rubric file and its SHA-256, the engine version; each unit's submission
        file, the SHA-256 of its submission and of its reported and verified evidence."""
        footer = contest_doc.root.find("footer", "audit")
        assert "Dấu vết kiểm tra" in footer.text
        values = {
            row.find("th").text: row.find("td").text
            for row in footer.find("table", "audit").find_all("tr")
        }
        assert values == {
            "Tệp bảng điểm": contest.rubric.source.name,
            "SHA-256 của tệp bảng điểm": contest.rubric.sha256,
            "Phiên bản phần mềm chấm điểm": f"htx-rules {htx_rules.__version__}",
        }
        assert re.fullmatch(r"[0-9a-f]{64}", contest.rubric.sha256)
        hashes: set[str] = set()
        for standing in contest.standings:
            section = contest_doc.root.find("section", data_unit=standing.code)
            rows = section.find("table", "audit").find_all("tr")
            assert [row.find("td").text for row in rows] == [
                standing.submission.source,
                standing.submission.sha256,
                standing.reported.evidence_sha256,
                standing.verified.evidence_sha256,
            ]
            hashes.add(standing.submission.sha256)
        assert len(hashes) == len(contest.standings)


class TestResultContent:
    """One unit's result report."""

    def test_every_criterion_with_why_and_source(self, contest: htx_rules.ContestResult) -> None:
        result = contest.standing("937").verified
        assert result.trace is not None
        document = parse(result_html(result, "en"))
        index = _Index(result.model)
        rows = document.root.find("table", "criteria").find("tbody").find_all("tr")
        assert [r.attrs["data-item"] for r in rows] == row_ids(contest.rubric)
        nodes = {n.id: n for n in result.trace.walk()}
        for row in rows:
            node = nodes.get(row.attrs["data-item"])
            if node is None:
                continue
            assert row.find("td", "points").text == format_number(node.points, "en")
            assert row.find("span", "source-line").text == f"Rubric, line {node.span.line}"
            if node.kind in ("criterion", "rule"):
                assert row.find("div", "text").text == squash(describe(node, index, "en"))

    def test_totals_and_audit(self, contest: htx_rules.ContestResult) -> None:
        result = contest.standing("931").verified
        document = parse(result_html(result))
        totals = document.root.find("ul", "totals").find_all("li")
        assert totals[-1].text == f"TỔNG ĐIỂM: {format_number(result.total, 'vi')}"
        assert document.root.find("h2").text == "Đơn vị: 931 TP. Ngã Bảy"
        footer = document.root.find("footer", "audit").text
        assert result.source_name in footer
        assert htx_rules.__version__ in footer
        assert result.rubric_sha256 in footer
        assert re.fullmatch(r"[0-9a-f]{64}", result.rubric_sha256)
        own = document.root.find("section", "result").find("table", "audit")
        assert own.find("th").text == "SHA-256 của minh chứng"
        assert own.find("td").text == result.evidence_sha256

    def test_missing_evidence_and_unassessed(self, rubric: htx_rules.Rubric) -> None:
        """A result with missing evidence and no assessment lists both."""
        result = rubric.score({"htx_moi": 2, "chi_tieu_htx": 3})
        assert result.missing
        assert result.unassessed
        document = parse(result_html(result))
        listed = [li.text for li in document.root.find("ul", "missing").find_all("li")]
        labels = {f.name: f.label for f in rubric.fields}
        assert listed == [f"{name} ({labels[name]})" for name in result.missing]
        assert "I.9.c" in document.root.find("p", "unassessed").text
        assert document.root.find("h2").text == "Kết quả 1"

    def test_several_results_one_document(self, contest: htx_rules.ContestResult) -> None:
        results = [s.reported for s in contest.standings]
        document = parse(results_html(results, "en"))
        sections = document.root.find_all("section", "result")
        assert [s.attrs["id"] for s in sections] == [f"unit-{s.code}" for s in contest.standings]
        summary = document.root.find("table", "summary").find("tbody").find_all("tr")
        assert [r.find("td", "total").text for r in summary] == [
            format_number(r.total, "en") for r in results
        ]

    def test_same_unit_twice_keeps_links_apart(self, contest: htx_rules.ContestResult) -> None:
        """Two results of one unit: two sections with distinct ids, each linked once."""
        result = contest.standing("934").reported
        document = parse(results_html([result, result]))
        ids = [s.attrs["id"] for s in document.root.find_all("section", "result")]
        assert len(set(ids)) == 2
        links = [a.attrs["href"][1:] for a in document.root.find("table", "summary").find_all("a")]
        assert links == ids

    def test_without_trace_or_results(self, rubric: htx_rules.Rubric) -> None:
        with pytest.raises(ValueError, match="without a trace"):
            result_html(rubric.score({}, trace=False))
        with pytest.raises(ValueError, match="no result"):
            results_html([])


# ---------------------------------------------------------------- languages


class TestLanguages:
    """Vietnamese by default, English with ``lang="en"``: words, numbers, ``lang``."""

    def test_vietnamese_by_default(
        self, contest: htx_rules.ContestResult, contest_page: str
    ) -> None:
        document = parse(contest_page)
        assert document.root.find("html").attrs["lang"] == "vi"
        assert document.root.find("h2").text == CATALOG["html-ranking-head"][0]
        unit = contest.standing("937")
        assert format_number(unit.total, "vi") == "87,25"
        row = document.root.find("tr", data_unit="937")
        assert row.find("td", "verified").text == "87,25"

    def test_english(self, contest: htx_rules.ContestResult) -> None:
        page = contest_html(contest, "en")
        document = parse(page)
        assert document.root.find("html").attrs["lang"] == "en"
        assert document.root.find("h2").text == CATALOG["html-ranking-head"][1]
        unit = contest.standing("937")
        assert unit.award is not None
        assert unit.award.prize is not None
        row = document.root.find("tr", data_unit="937")
        assert row.find("td", "verified").text == format_number(unit.total, "en") == "87.25"
        assert row.find("td", "prize").text == format_money(unit.award.prize, "en")
        headings = {e.text for e in document.root.walk() if e.tag in ("th", "h2", "h3")}
        html_words = [(vi, en) for code, (vi, en) in CATALOG.items() if code.startswith("html-")]
        assert not {vi for vi, en in html_words if vi != en} & headings
        assert {"Audit trail", "Evidence", "Award dossier"} <= headings

    def test_every_html_word_is_used(self) -> None:
        """Every ``html-…`` message is used by the module or its templates."""
        package = ROOT / "htx_rules"
        sources = (package / "html.py").read_text(encoding="utf-8") + "".join(
            p.read_text(encoding="utf-8") for p in (package / "templates").glob("*.j2")
        )
        unused = [c for c in CATALOG if c.startswith("html-") and f'"{c}"' not in sources]
        assert unused == []


# ---------------------------------------------------------------- command line and goldens


class TestCommandLine:
    """``--format html`` for ``score`` and ``contest``."""

    def test_contest_out_writes_the_file(self, tmp_path: Path, contest_page: str) -> None:
        target = tmp_path / "ket-qua.html"
        code, out, err = run_cli(
            ["contest", RUBRIC, EXAMPLES, "--format", "html", "--out", str(target)]
        )
        assert (code, out, err) == (EXIT_OK, "", "")
        assert target.read_text(encoding="utf-8") == contest_page

    def test_contest_prints_without_out(self, contest: htx_rules.ContestResult) -> None:
        code, out, _ = run_cli(["contest", RUBRIC, EXAMPLES, "--format", "html", "--lang", "en"])
        assert code == EXIT_OK
        assert out == contest_html(contest, "en")

    def test_score_one_file(self, contest: htx_rules.ContestResult) -> None:
        code, out, err = run_cli(
            ["score", RUBRIC, f"{EXAMPLES}/{DISTRICT}.json", "--format", "html"]
        )
        assert (code, err) == (EXIT_OK, "")
        assert out == result_html(contest.standing("934").reported)
        assert len(parse(out).root.find_all("section", "result")) == 1

    def test_score_folder_and_a_bad_file(self, tmp_path: Path) -> None:
        """Several files give one document; a bad file is reported and left out."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"htx_moi": -1}', encoding="utf-8")
        code, out, err = run_cli(["score", RUBRIC, EXAMPLES, str(bad), "--format", "html"])
        assert code == EXIT_EVIDENCE
        assert "bad.json" in err
        document = parse(out)
        assert len(document.root.find_all("section", "result")) == 8
        assert len(document.root.find("table", "summary").find("tbody").find_all("tr")) == 8

    def test_score_nothing_scored_prints_nothing(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text('{"htx_moi": -1}', encoding="utf-8")
        code, out, _ = run_cli(["score", RUBRIC, str(bad), "--format", "html"])
        assert (code, out) == (EXIT_EVIDENCE, "")


GOLDENS: dict[str, Callable[[], str]] = {
    CONTEST_GOLDEN: lambda: run_cli(["contest", RUBRIC, EXAMPLES, "--format", "html"])[1],
    DISTRICT_GOLDEN: lambda: run_cli(
        ["score", RUBRIC, f"{EXAMPLES}/{DISTRICT}.json", "--format", "html"]
    )[1],
}


class TestGoldenFiles:
    """The contest report of the 2021 examples and one district's report, byte for byte."""

    @pytest.mark.parametrize("name", list(GOLDENS))
    def test_matches_golden(self, name: str, update_goldens: bool) -> None:
        page = GOLDENS[name]()
        assert page.startswith("<!DOCTYPE html>")
        check_golden(GOLDEN_2021 / name, page, update_goldens)

    def test_no_stray_html_goldens(self) -> None:
        """The golden folder's ``*.html`` files (left to this module by
        tests/test_golden.py) are the ones this module writes."""
        present = {p.name for p in GOLDEN_2021.glob("*.html")}
        assert present == set(GOLDENS)

    def test_goldens_carry_no_machine_paths(self) -> None:
        for name in GOLDENS:
            text = (GOLDEN_2021 / name).read_text(encoding="utf-8")
            assert str(ROOT) not in text
            assert "/tmp" not in text
