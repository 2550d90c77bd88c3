"""``htx-rules fmt`` and :func:`htx_rules.format_rubric`: one canonical layout,
every comment kept, the meaning never changed."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htx_rules
from htx_rules import fmt
from htx_rules.cli import main
from htx_rules.fmt import comments, format_rubric
from htx_rules.parser import VI_AFTER, keywords
from htx_rules.rubric import compile_model
from tests.conftest import ROOT
from tests.strategies import rubric_texts, with_comments
from tests.test_docs import DOCS, blocks, blocks_of

SHIPPED = sorted((ROOT / "rubrics").glob("*.rules"))

MESSY = """\

# Đầu tệp


rubric   vi_du   “Ví dụ”     # tiêu đề
    year 2021
    total 7
    deadline 2021-12-20
evidence
    a   yes/no "A"
    so_luong_htx count "Số HTX" unit "HTX"   # số lượng
        # chú thích giữa các trường
    k one of "K"
        dat "Đạt"
        khong_dat "Không đạt"

    ty_le percent "Tỷ lệ" from 0% to 100%
    tien money "Tiền" from 1_000_000 đồng
part I "Phần \\"một\\"" max 7
    criterion I.1 "C1" max 2
        2 if a and not(so_luong_htx>=2)
    criterion I.2 "C2" max 2
        note "Ghi \\\\ chú"
        by ty_le
            ≥ 80% → 2
            otherwise→0
    criterion I.3 "C3" max 3
        max(0,min(3 , so_luong_htx−1))*1
awards
    place 1 "Nhất" 500000 VND
    place 2 "Nhì" 1.000đ
"""

MESSY_FORMATTED = """\
# Đầu tệp

rubric vi_du "Ví dụ"                                                            # tiêu đề
  year 2021
  total 7
  deadline 2021-12-20

evidence
  a            yes/no "A"
  so_luong_htx count  "Số HTX" unit "HTX"                                       # số lượng
  # chú thích giữa các trường
  k            one of "K"
    dat       "Đạt"
    khong_dat "Không đạt"

  ty_le percent "Tỷ lệ" from 0% to 100%
  tien  money   "Tiền" from 1.000.000 đồng

part I “Phần "một"” max 7
  criterion I.1 "C1" max 2
    2 if a and not (so_luong_htx >= 2)
  criterion I.2 "C2" max 2
    note "Ghi \\\\ chú"
    by ty_le
      >= 80% -> 2
      otherwise -> 0
  criterion I.3 "C3" max 3
    max(0, min(3, so_luong_htx - 1)) * 1

awards
  place 1 "Nhất" 500.000 đồng
  place 2 "Nhì" 1.000 đồng
"""


def _model(text: str) -> object:
    return compile_model(text)[1]


class TestLayout:
    """The canonical layout, shown on whole files."""

    def test_messy_file(self) -> None:
        """Indentation, spaces, symbols, quotes, money, blank lines, alignment and
        comments, all at once."""
        assert format_rubric(MESSY) == MESSY_FORMATTED

    def test_layout_is_stable(self) -> None:
        """The canonical file is its own layout."""
        assert format_rubric(MESSY_FORMATTED) == MESSY_FORMATTED

    def test_meaning_and_comments_kept(self) -> None:
        """The messy file and its layout compile to equal models and hold the same comments."""
        assert _model(MESSY) == _model(MESSY_FORMATTED)
        assert (
            comments(MESSY)
            == comments(MESSY_FORMATTED)
            == [
                "# Đầu tệp",
                "# tiêu đề",
                "# số lượng",
                "# chú thích giữa các trường",
            ]
        )

    def test_comment_lines_take_the_depth_of_their_block(self) -> None:
        """A comment line after a block's last line takes the depth of the deepest
        block its indentation reaches."""
        text = (
            'rubric r "R"\n  year 2021\n  total 2\nevidence\n  a yes/no "A"\n'
            'part I "P" max 2\n  criterion I.1 "C" max 2\n    2 if a\n'
            "         # still in I.1\n   # back at the part\n # at the margin\n"
            "# between\n"
        )
        lines = format_rubric(text).splitlines()
        assert lines[-4:] == [
            "    # still in I.1",
            "  # back at the part",
            "# at the margin",
            "# between",
        ]

    def test_comment_above_a_section_stays_with_it(self) -> None:
        """The blank line before a section goes above the comments directly over it."""
        text = (
            'rubric r "R"\n  year 2021\n  total 2\nevidence\n  a yes/no "A"\n'
            "# Phần I\n# (S)\n"
            'part I "P" max 2\n  criterion I.1 "C" max 2\n    2 if a\n'
        )
        assert "\n\n# Phần I\n# (S)\npart I" in format_rubric(text)

    def test_long_line_comment_two_spaces_after(self) -> None:
        """An end-of-line comment starts at column 81, or two spaces after a longer line."""
        label = "x" * 90
        text = (
            f'rubric r "{label}" # dài\n  year 2021 # ngắn\n  total 2\nevidence\n  a yes/no "A"\n'
            'part I "P" max 2\n  criterion I.1 "C" max 2\n    2 if a\n'
        )
        lines = format_rubric(text).splitlines()
        assert lines[0].endswith(f'"{label}"  # dài')
        assert lines[1].index("#") == fmt.COMMENT_COLUMN

    def test_parenthesised_lines_keep_their_breaks(self) -> None:
        """A line continued inside parentheses keeps its breaks, indented four more,
        with its comments."""
        text = (
            'rubric r "R"\n  year 2021\n  total 2\nevidence\n  a count "A"\n  b count "B"\n'
            'part I "P" max 2\n  criterion I.1 "C" max 2\n'
            "    min(2,   # hai\n  # giữa\n\n a+b)\n"
        )
        assert format_rubric(text).endswith(
            "    min(2," + " " * 70 + "# hai\n        # giữa\n        a + b)\n"
        )

    def test_decomposed_unicode_becomes_precomposed(self) -> None:
        """A file typed in NFD comes out in NFC."""
        text = unicodedata.normalize("NFD", MESSY_FORMATTED)
        assert text != MESSY_FORMATTED
        assert format_rubric(text) == MESSY_FORMATTED

    def test_curly_label_with_both_quotes(self) -> None:
        """A label holding ``"`` and ``”`` stays straight, with escapes; one holding
        only ``"`` is written in curly quotes, without."""
        text = (
            'rubric r "a\\"b”c"\n  year 2021\n  total 1\nevidence\n  a yes/no "A"\n'
            'part I "P" max 1\n  criterion I.1 "C" max 1\n    1 if a\n'
        )
        assert format_rubric(text).startswith('rubric r "a\\"b”c"\n')
        assert format_rubric(text.replace("”", "")).startswith('rubric r “a"bc”\n')
        assert fmt.quote_label('a"b”c') == '"a\\"b”c"'

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
    def test_shipped_rubrics_are_formatted(self, path: Path) -> None:
        """Every rubric shipped is in the canonical layout."""
        text = path.read_text(encoding="utf-8")
        assert format_rubric(text) == text

    def test_documented_example(self) -> None:
        """docs/authoring.md's file before and after fmt, and in Vietnamese keywords."""
        marked = {
            b.before.strip(): b.text
            for b in blocks(DOCS / "authoring.md")
            if b.before.startswith("<!-- fmt:")
        }
        before = marked["<!-- fmt: before -->"]
        assert format_rubric(before) == marked["<!-- fmt: after -->"] != before
        assert format_rubric(before, "vi") == marked["<!-- fmt: vi -->"]

    @pytest.mark.parametrize("block", blocks_of("rules"), ids=str)
    def test_documented_rubrics(self, block: object) -> None:
        """Each rubric of the documents: formatting is stable and keeps the meaning."""
        text = block.text  # type: ignore[attr-defined]
        once = format_rubric(text)
        assert format_rubric(once) == once
        assert _model(once) == _model(text)
        assert comments(once) == comments(text)


class TestRefusals:
    """Formatting is refused, with the usual error, when it cannot be proved safe."""

    def test_syntax_error(self) -> None:
        """A text that does not parse raises the parser's error."""
        with pytest.raises(htx_rules.RubricSyntaxError) as info:
            format_rubric(MESSY.replace("max 7", "max"), name="x.rules")
        assert info.value.code == "syntax-line-ends"

    def test_compile_error(self) -> None:
        """A text that parses but does not compile raises the compiler's error."""
        with pytest.raises(htx_rules.RubricCompileError) as info:
            format_rubric(MESSY.replace("total 7", "total 8"))
        assert info.value.code == "total-mismatch"

    def test_unknown_keyword_choice(self) -> None:
        """Only ``keep``, ``vi`` and ``en``."""
        with pytest.raises(ValueError, match="'fr'"):
            format_rubric(MESSY, "fr")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "damage",
        [
            lambda text: text.replace("# số lượng", ""),
            lambda text: text.replace("max 2\n    2 if", "max 2\n    1 if"),
            lambda text: text.replace("total 7", "total"),
        ],
        ids=["comment-lost", "meaning-changed", "broken"],
    )
    def test_unsafe_result_is_refused(
        self, monkeypatch: pytest.MonkeyPatch, damage: object
    ) -> None:
        """If the layout lost a comment or changed the meaning, nothing is returned."""
        layout = fmt._Layout.text
        monkeypatch.setattr(fmt._Layout, "text", lambda self: damage(layout(self)))  # type: ignore[operator]
        with pytest.raises(htx_rules.RubricCompileError) as info:
            format_rubric(MESSY, name="x.rules")
        assert info.value.codes == ("fmt-unsafe",)
        assert "'x.rules'" in info.value.render("en")


EN = """\
rubric r "R"
  year 2021
  total 4
  deadline 2021-12-20
  rounding 2 decimals half-up

evidence
  a yes/no           "A"
  k one of dat, khong "K"

part I "P" max 4
  criterion I.1 "C" max 2
    by k
      dat -> 2
      otherwise -> 0
  criterion I.2 "C" max 1
    requires I.1
    points of I.1 / 2 if a and not a = a
  criterion I.3 "C" max 1
    assessed by reviewer

awards
  place 1 "Nhất" 1.000 đồng
  eligible if ngay = ngay "x"
  ties higher part I, lower total
  still tied: split
"""

VI = """\
bảng_điểm r "R"
  năm 2021
  tổng_điểm 4
  hạn_nộp 2021-12-20
  làm_tròn 2 chữ_số_thập_phân nửa_lên

minh_chứng
  a có/không                  "A"
  k một trong_số dat, khong "K"

phần I "P" tối_đa 4
  tiêu_chí I.1 "C" tối_đa 2
    xét k
      dat -> 2
      ngược_lại -> 0
  tiêu_chí I.2 "C" tối_đa 1
    cần_đạt I.1
    điểm của I.1 / 2 nếu a và không a = a
  tiêu_chí I.3 "C" tối_đa 1
    được_chấm bởi người_chấm

giải_thưởng
  giải 1 "Nhất" 1.000 đồng
  đủ_điều_kiện nếu ngay = ngay "x"
  bằng_điểm_xét cao_hơn phần I, thấp_hơn tổng_điểm
  vẫn bằng_nhau: chia_đều
"""


class TestKeywords:
    """``--keywords``: the same rubric in English or Vietnamese keywords."""

    @pytest.fixture
    def english(self) -> str:
        text = EN.replace("evidence\n", 'evidence\n  ngay date "N"\n')
        return format_rubric(text)

    def test_to_vietnamese(self, english: str) -> None:
        """Every keyword in Vietnamese, ``trong_số``, ``của`` and ``bởi`` where they read right."""
        expected = format_rubric(VI.replace("minh_chứng\n", 'minh_chứng\n  ngay ngày "N"\n'))
        assert format_rubric(english, "vi") == expected
        assert _model(expected) == _model(english)

    def test_back_to_english(self, english: str) -> None:
        """And back again, to the same text."""
        assert format_rubric(format_rubric(english, "vi"), "en") == english

    def test_keep_follows_the_first_word(self, english: str) -> None:
        """A file mixing the two is written in the language of its first word."""
        vietnamese = format_rubric(english, "vi")
        mixed = english.replace("criterion I.1", "tiêu_chí I.1").replace("if a", "nếu a")
        assert format_rubric(mixed) == english
        mixed = vietnamese.replace("tiêu_chí I.1", "criterion I.1")
        assert format_rubric(mixed) == vietnamese

    def test_target_of_is_tren(self) -> None:
        """``target a of b`` reads ``chỉ_tiêu a trên b``; any spelling of ``of`` is
        accepted and written the usual way."""
        text = (
            'rubric r "R"\n  year 2021\n  total 1\nevidence\n  a count "A"\n  b count "B"\n'
            'part I "P" max 1\n  criterion I.1 "C" max 1\n    target a of b: linear\n'
        )
        vietnamese = format_rubric(text, "vi")
        assert "    chỉ_tiêu a trên b: tỷ_lệ_thuận\n" in vietnamese
        odd = vietnamese.replace("a trên b", "a của b")
        assert format_rubric(odd) == vietnamese

    def test_context_spellings_are_spellings(self) -> None:
        """The spellings chosen by the word before are spellings of the keyword."""
        for (keyword, after), spelling in VI_AFTER.items():
            assert spelling in keywords()[keyword][1:]
            assert after in keywords()


RANDOM = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestProperties:
    """Properties on random rubrics with random comments."""

    @RANDOM
    @given(with_comments(rubric_texts()))
    def test_idempotent_and_meaning_preserving(self, text: str) -> None:
        """fmt(fmt(x)) == fmt(x); x and fmt(x) compile to equal models; every
        comment of x is in fmt(x), in the same order."""
        once = format_rubric(text)
        assert format_rubric(once) == once
        assert _model(once) == _model(text)
        assert comments(once) == comments(text)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(with_comments(rubric_texts()))
    def test_keyword_round_trip(self, text: str) -> None:
        """en → vi → en and vi → en → vi give back the same text, of the same meaning."""
        english = format_rubric(text, "en")
        vietnamese = format_rubric(english, "vi")
        assert format_rubric(vietnamese, "en") == english
        assert format_rubric(vietnamese) == vietnamese
        assert _model(vietnamese) == _model(text)
        assert comments(vietnamese) == comments(text)

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rubric_texts(), st.data())
    def test_mixed_keywords(self, text: str, data: st.DataObject) -> None:
        """Lines taken at random from the English and the Vietnamese text make a
        file that means the same and formats to the language of its first line."""
        english = format_rubric(text, "en").split("\n")
        vietnamese = format_rubric(text, "vi").split("\n")
        picks = data.draw(st.lists(st.booleans(), min_size=len(english), max_size=len(english)))
        mixed = "\n".join(v if p else e for e, v, p in zip(english, vietnamese, picks, strict=True))
        first = next(i for i, line in enumerate(english) if line.startswith("rubric"))
        expected = "\n".join(vietnamese if picks[first] else english)
        assert format_rubric(mixed) == expected
        assert _model(mixed) == _model(text)


# ---------------------------------------------------------------- the command line


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["fmt", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class TestCommandLine:
    """``htx-rules fmt FILE... [--check] [--diff] [--keywords vi|en]``."""

    def test_rewrites_in_place(self, tmp_path: Path) -> None:
        """A file that changes is rewritten and named; a formatted one is left alone."""
        messy = tmp_path / "a.rules"
        messy.write_text(MESSY, encoding="utf-8")
        clean = tmp_path / "b.rules"
        clean.write_text(MESSY_FORMATTED, encoding="utf-8")
        before = clean.stat().st_mtime_ns
        code, out, err = run(str(messy), str(clean), "--lang", "en")
        assert (code, err) == (0, "")
        assert out == f"reformatted '{messy}'\n"
        assert messy.read_text(encoding="utf-8") == MESSY_FORMATTED
        assert clean.stat().st_mtime_ns == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.rules", "b.rules"]

    def test_check_lists_and_writes_nothing(self, tmp_path: Path) -> None:
        """``--check``: exit 1, the files that would change on standard output, nothing else."""
        messy = tmp_path / "a.rules"
        messy.write_text(MESSY, encoding="utf-8")
        clean = tmp_path / "b.rules"
        clean.write_text(MESSY_FORMATTED, encoding="utf-8")
        assert run("--check", str(messy), str(clean)) == (1, f"{messy}\n", "")
        assert messy.read_text(encoding="utf-8") == MESSY
        assert run("--check", str(clean)) == (0, "", "")

    def test_diff(self, tmp_path: Path) -> None:
        """``--diff`` prints a unified diff and writes nothing."""
        messy = tmp_path / "a.rules"
        messy.write_text(MESSY, encoding="utf-8")
        code, out, _ = run("--diff", str(messy))
        assert code == 0
        assert out.startswith(f"--- {messy}\n+++ {messy}\n@@ ")
        assert "-    year 2021\n" in out
        assert "+  year 2021\n" in out
        assert messy.read_text(encoding="utf-8") == MESSY
        assert run("--diff", "--check", str(messy))[0] == 1

    def test_keywords(self, tmp_path: Path) -> None:
        """``--keywords vi`` converts a file; ``--keywords en`` converts it back."""
        path = tmp_path / "2021.rules"
        original = (ROOT / "rubrics" / "2021.rules").read_bytes()
        path.write_bytes(original)
        assert run("--keywords", "vi", str(path))[0] == 0
        assert path.read_bytes() == (ROOT / "rubrics" / "2021.vi.rules").read_bytes()
        assert run("--keywords", "en", str(path))[0] == 0
        assert path.read_bytes() == original

    def test_line_endings_and_byte_order_mark_kept(self, tmp_path: Path) -> None:
        """A CRLF file with a byte-order mark stays one."""
        path = tmp_path / "a.rules"
        path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode("utf-8"))
        assert run(str(path))[0] == 0
        expected = MESSY_FORMATTED.replace("\n", "\r\n").encode("utf-8")
        assert path.read_bytes() == b"\xef\xbb\xbf" + expected
        assert run("--check", str(path)) == (0, "", "")

    def test_bad_rubric_is_left_alone(self, tmp_path: Path) -> None:
        """A file that does not compile: its error, exit 2, the file untouched,
        the other files still formatted."""
        bad = tmp_path / "bad.rules"
        bad.write_text(MESSY.replace("total 7", "total 8"), encoding="utf-8")
        good = tmp_path / "good.rules"
        good.write_text(MESSY, encoding="utf-8")
        code, out, err = run(str(bad), str(good), "--lang", "en")
        assert code == 2
        assert err.startswith(f"{bad}:7:5: error: the declared total is 8")
        assert bad.read_text(encoding="utf-8") == MESSY.replace("total 7", "total 8")
        assert good.read_text(encoding="utf-8") == MESSY_FORMATTED
        assert out == f"reformatted '{good}'\n"

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8: the ``not-utf8`` error, exit 2."""
        path = tmp_path / "a.rules"
        path.write_bytes(MESSY.encode("utf-8").replace("Ví".encode(), b"V\xed"))
        code, _, err = run(str(path))
        assert code == 2
        assert "không phải văn bản UTF-8" in err

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that cannot be read: exit 3, named."""
        code, out, err = run(str(tmp_path / "nope.rules"), "--lang", "en")
        assert (code, out) == (3, "")
        assert (
            err == f"htx-rules: cannot read '{tmp_path / 'nope.rules'}': no such file or folder\n"
        )

    def test_unwritable_folder(self, tmp_path: Path) -> None:
        """A file that cannot be replaced: exit 3, and the file as it was."""
        folder = tmp_path / "ro"
        folder.mkdir()
        path = folder / "a.rules"
        path.write_text(MESSY, encoding="utf-8")
        folder.chmod(0o500)
        try:
            if _can_write(folder):
                pytest.skip("this user can write into a read-only folder (root)")
            code, _, err = run(str(path), "--lang", "en")
        finally:
            folder.chmod(0o700)
        assert code == 3
        assert f"cannot write '{path}'" in err
        assert path.read_text(encoding="utf-8") == MESSY
        assert [p.name for p in folder.iterdir()] == ["a.rules"]


def _can_write(folder: Path) -> bool:
    try:
        (folder / ".probe").write_text("")
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True
