"""Vietnamese keywords: a rubric written wholly in Vietnamese means what its English twin means.

``rubrics/2021.vi.rules`` is ``htx-rules fmt --keywords vi`` of ``rubrics/2021.rules``;
both must compile to equal rule models and score every example, and any valid
evidence, identically.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules.evidence import parse_evidence_toml
from htx_rules.fmt import format_rubric
from htx_rules.parser import keyword_language, keywords, parse_tokens
from tests.conftest import EXAMPLES_2021, ROOT
from tests.strategies import evidence_for

ENGLISH = ROOT / "rubrics" / "2021.rules"
VIETNAMESE = ROOT / "rubrics" / "2021.vi.rules"
EXAMPLES = sorted(p for p in EXAMPLES_2021.iterdir() if p.suffix in (".json", ".toml"))

SMALL_EN = """\
rubric r "R"
  year 2021
  total 2
evidence
  a yes/no "A"
part I "P" max 2
  criterion I.1 "C" max 2
    2 if a
"""
SMALL_VI = """\
bảng_điểm r "R"
  năm 2021
  tổng_điểm 2
minh_chứng
  a có/không "A"
phần I "P" tối_đa 2
  tiêu_chí I.1 "C" tối_đa 2
    2 nếu a
"""


@pytest.fixture(scope="module")
def english() -> htx_rules.Rubric:
    return htx_rules.load(ENGLISH)


@pytest.fixture(scope="module")
def vietnamese() -> htx_rules.Rubric:
    return htx_rules.load(VIETNAMESE)


def _comparable(data: Any) -> Any:
    """A result's JSON data without what names the file or quotes its text."""
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if k not in ("source", "text", "rubric")}
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


class TestKeywordTable:
    """The one table of keywords, in grammar/rubric.lark."""

    def test_each_keyword_has_both_languages(self) -> None:
        """One English spelling, in ASCII and first; at least one Vietnamese one,
        each with a Vietnamese letter, so that no ASCII name is a Vietnamese keyword."""
        for keyword, spellings in keywords().items():
            english, *vietnamese = spellings
            assert english.isascii(), keyword
            assert vietnamese, keyword
            assert all(not word.isascii() for word in vietnamese), keyword

    def test_spellings_are_distinct_and_precomposed(self) -> None:
        """No spelling belongs to two keywords; every one is in NFC form."""
        words = [w for spellings in keywords().values() for w in spellings]
        assert len(words) == len(set(words))
        assert all(unicodedata.is_normalized("NFC", w) for w in words)

    def test_keyword_language(self) -> None:
        """A rubric's keyword language is that of its first word."""
        assert keyword_language(SMALL_EN) == "en"
        assert keyword_language(SMALL_VI) == "vi"
        assert keyword_language("# bảng_điểm\n" + SMALL_EN) == "en"
        assert keyword_language('tiêu_chí I.1 "rubric" tối_đa 2 # rubric') == "vi"
        assert keyword_language("") == "en"


class TestTwin2021:
    """The 2021 rubric and its Vietnamese-keyword twin."""

    def test_twin_is_written_in_vietnamese(self) -> None:
        """Every keyword of the twin is a Vietnamese spelling (so none was left behind)."""
        english_words = {spellings[0] for spellings in keywords().values()}
        source = htx_rules.load(VIETNAMESE).source
        tokens = parse_tokens(source)[1]
        keyword_tokens = [t for t in tokens if t.type in keywords()]
        assert len(keyword_tokens) > 250
        assert [str(t) for t in keyword_tokens if str(t) in english_words] == []

    def test_twin_is_fmt_of_the_original(self) -> None:
        """fmt --keywords vi of the original gives the twin, and --keywords en gives
        the original back."""
        original = ENGLISH.read_text(encoding="utf-8")
        twin = VIETNAMESE.read_text(encoding="utf-8")
        assert format_rubric(original, "vi") == twin
        assert format_rubric(twin, "en") == format_rubric(original) == original

    def test_equal_models(self, english: htx_rules.Rubric, vietnamese: htx_rules.Rubric) -> None:
        """Both compile to equal rule models."""
        assert english.model == vietnamese.model
        assert english.model.header.rounding.mode == "half-up"
        assert english.model.awards is not None
        assert english.model.awards.still_tied == "split"

    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
    def test_examples_score_identically(
        self, english: htx_rules.Rubric, vietnamese: htx_rules.Rubric, path: Path
    ) -> None:
        """Every example: the same points, decisions and ledger (the explanations
        differ only where they quote the rubric's own words)."""
        parse = parse_evidence_toml if path.suffix == ".toml" else htx_rules.parse_evidence_json
        document = parse(path.read_text(encoding="utf-8"), str(path))
        results = [
            rubric.score(
                document.evidence,
                contestant=document.contestant,
                assessments=document.assessments,
            )
            for rubric in (english, vietnamese)
        ]
        assert results[0].total == results[1].total
        assert dict(results[0].items) == dict(results[1].items)
        assert _comparable(results[0].to_dict()) == _comparable(results[1].to_dict())

    def test_contest_is_the_same(
        self, english: htx_rules.Rubric, vietnamese: htx_rules.Rubric
    ) -> None:
        """The whole 2021 contest ranks and awards the same with either rubric."""
        contests = [htx_rules.run_contest_from(EXAMPLES_2021, r) for r in (english, vietnamese)]
        assert [(s.contestant.code, s.rank, s.total, s.award) for s in contests[0].standings] == [
            (s.contestant.code, s.rank, s.total, s.award) for s in contests[1].standings
        ]

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_any_evidence_scores_identically(
        self, english: htx_rules.Rubric, vietnamese: htx_rules.Rubric, data: st.DataObject
    ) -> None:
        """Valid random evidence (some of it missing) scores the same under both."""
        evidence = data.draw(evidence_for(english))
        first, second = english.score(evidence), vietnamese.score(evidence)
        assert (first.total, first.standard, first.bonus, first.deduction) == (
            second.total,
            second.standard,
            second.bonus,
            second.deduction,
        )
        assert dict(first.items) == dict(second.items)
        assert first.missing == second.missing


def _error(text: str) -> htx_rules.RubricError:
    with pytest.raises(htx_rules.RubricError) as info:
        htx_rules.loads(text, name="vi.rules")
    return info.value


class TestVietnameseSource:
    """Reading, and the errors of, a rubric written with Vietnamese keywords."""

    def test_same_model_as_english(self) -> None:
        """The small rubric in either language is the same rubric."""
        assert htx_rules.loads(SMALL_VI).model == htx_rules.loads(SMALL_EN).model

    def test_decomposed_keywords(self) -> None:
        """Keywords typed in decomposed Unicode (Unicode tổ hợp) are read."""
        text = unicodedata.normalize("NFD", SMALL_VI)
        assert text != SMALL_VI
        assert htx_rules.loads(text).model == htx_rules.loads(SMALL_EN).model

    @pytest.mark.parametrize("name", ["khong", "nam", "diem", "phan", "tieu_chi", "co"])
    def test_ascii_names_stay_free(self, name: str) -> None:
        """An unaccented spelling is an ordinary name: a field, a choice value."""
        text = SMALL_VI.replace(
            '  a có/không "A"', f'  a có/không "A"\n  {name} một trong_số {name}_x, y "N"'
        )
        assert htx_rules.loads(text).fields[1].name == name

    def test_vietnamese_keyword_is_reserved(self) -> None:
        """A Vietnamese keyword cannot name a field, in either language of file."""
        error = _error(SMALL_EN.replace('  a yes/no "A"', '  a yes/no "A"\n  điểm count "Đ"'))
        assert error.codes == ("keyword-name",)
        assert error.diagnostics[0].message("en") == (
            "'điểm' is a keyword of the language and cannot be a name"
        )

    def test_expected_keywords_in_the_files_language(self) -> None:
        """What the parser expected is named in the keywords of the file."""
        vi = _error(SMALL_VI.replace("    2 nếu a", "    2 nếu"))
        en = _error(SMALL_EN.replace("    2 if a", "    2 if"))
        assert "'hạn_nộp'" in vi.diagnostics[0].message("en")
        assert "'deadline'" not in vi.diagnostics[0].message("vi")
        assert "'deadline'" in en.diagnostics[0].message("vi")
        assert "'hạn_nộp'" not in en.diagnostics[0].message("en")

    def test_unaccented_keyword_gets_a_suggestion(self) -> None:
        """``tieu_chi`` for ``tiêu_chí``: a syntax error suggesting the accented keyword."""
        error = _error(SMALL_VI.replace("  tiêu_chí", "  tieu_chi"))
        assert error.codes == ("syntax-unexpected",)
        assert error.diagnostics[0].hint_text("vi") == "có phải là 'tiêu_chí'?"

    def test_glued_vietnamese_keyword(self) -> None:
        """``nếua`` is a keyword run into a name, as in English."""
        error = _error(SMALL_VI.replace("2 nếu a", "2 nếua"))
        assert error.codes == ("syntax-glued-keyword",)
        assert error.diagnostics[0].message("en") == (
            "the keyword 'nếu' runs into the next word: 'nếua'"
        )

    def test_at_most_needs_its_space(self) -> None:
        """``, tối đa 3`` (at most) is two words; ``, tối_đa 3`` is the glued ``tối``."""
        base = SMALL_VI.replace("minh_chứng\n", 'minh_chứng\n  n số_lượng "N"\n')
        good = htx_rules.loads(base.replace("2 nếu a", "1 mỗi n, tối đa 2"))
        assert good.model.parts[0].criteria[0].scoring is not None
        error = _error(base.replace("2 nếu a", "1 mỗi n, tối_đa 2"))
        assert error.codes == ("syntax-glued-keyword",)

    def test_missing_header_line_named_in_vietnamese(self) -> None:
        """The header's missing ``năm`` is named as the file spells it."""
        error = _error(SMALL_VI.replace("  năm 2021\n", ""))
        assert error.codes == ("missing-header-item",)
        assert "'năm'" in error.diagnostics[0].message("vi")
