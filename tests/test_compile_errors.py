"""Every diagnostic of the language front end, with its position and both renderings.

:data:`CASES` holds, for every code the parser, builder and checker can emit,
the smallest rubric that triggers it and everything a reader sees: the
exception class, the codes, the line and column, and the rendered text in
Vietnamese and English (position line, the source line with its number, a
caret under the offending token, and the hint).  The expected texts are
written out here, not read from the catalog, so a changed message fails a
test.

A case can name aspects (``raises``, ``position``, ``vi``, ``en``) that are
``broken``: a library bug, found while writing these tests.  Those aspects
are strict xfails carrying the bug in their reason; the expectation written
is the correct behaviour.

:class:`TestGoldenErrors` keeps the full text of a representative set in
``tests/golden/errors/``, compared byte for byte (``pytest --update-goldens``
rewrites them: review the diff by eye, policy staff read these).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import htx_rules
from htx_rules import (
    Diagnostic,
    HtxRulesError,
    RubricCompileError,
    RubricError,
    RubricSyntaxError,
)
from htx_rules.messages import CATALOG
from tests.conftest import GOLDEN, ROOT
from tests.support import rubric_text

FILE = "test.rules"
GOLDEN_ERRORS = GOLDEN / "errors"


# ---------------------------------------------------------------- helpers


def lines(*rows: str) -> str:
    """A rubric text from its lines, one argument per line (so line numbers can be counted)."""
    return "\n".join(rows) + "\n"


HEAD = ('rubric r "R"', "  year 2021", "  total 2")  # lines 1-3
EVIDENCE = ("evidence", '  x yes/no "X"')  # lines 4-5
PART = ('part I "P" max 2', '  criterion I.1 "C" max 2', "    2 if x")  # lines 6-8


def small(
    evidence: str = 'x yes/no "X"',
    criteria: str = 'criterion I.1 "C" max 2\n  2 if x',
    *,
    part_max: str = "2",
    total: str | None = None,
    tail: str = "",
) -> str:
    """A :func:`~tests.support.rubric_text` rubric.

    With k evidence lines: the header is lines 1-5 (``total`` on line 3),
    ``evidence`` line 7, the fields lines 8 to 7+k, ``part I`` line 9+k, the
    criteria from line 10+k; a ``tail`` starts two lines after the last
    criterion line.
    """
    return rubric_text(evidence, criteria, part_max=part_max, total=total, tail=tail)


def compile_error(text: str, name: str = FILE) -> RubricError:
    """The error compiling ``text`` raises (it must raise one)."""
    with pytest.raises(RubricError) as info:
        htx_rules.loads(text, name=name)
    return info.value


def first(error: RubricError, code: str) -> Diagnostic:
    """The first diagnostic of ``error`` with ``code``."""
    found = [d for d in error.diagnostics if d.code == code]
    assert found, f"no {code} in {error.codes}"
    return found[0]


@dataclass(frozen=True)
class Case:
    """One diagnostic: a rubric that triggers it, where it points, what it says.

    ``width`` is the number of carets; ``codes`` lists every code the rubric
    raises when it is more than ``code`` alone; ``broken`` names the aspects
    (``raises``, ``position``, ``vi``, ``en``) a library bug breaks today.
    """

    name: str
    text: str
    code: str
    line: int
    column: int
    width: int
    vi: str
    en: str
    hint_vi: str | None = None
    hint_en: str | None = None
    codes: tuple[str, ...] = ()
    broken: frozenset[str] = field(default_factory=frozenset)
    bug: str = ""

    @property
    def all_codes(self) -> tuple[str, ...]:
        return self.codes or (self.code,)

    @property
    def exception(self) -> type[RubricError]:
        return RubricSyntaxError if self.code.startswith("syntax-") else RubricCompileError

    def expected_render(self, lang: str) -> str:
        """The rendering of the diagnostic as it must read, built from the case alone."""
        shown = self.text.splitlines()[self.line - 1].replace("\t", " ")
        number = str(self.line)
        word, message, hint_word, hint = (
            ("lỗi", self.vi, "gợi ý", self.hint_vi)
            if lang == "vi"
            else ("error", self.en, "hint", self.hint_en)
        )
        rows = [
            f"{FILE}:{self.line}:{self.column}: {word}: {message}",
            f"  {number} | {shown}",
            f"  {' ' * len(number)} | {' ' * (self.column - 1)}{'^' * self.width}",
        ]
        if hint is not None:
            rows.append(f"{hint_word}: {hint}")
        return "\n".join(rows)


HINT_INDENT = (
    "thụt lề các dòng cùng cấp bằng cùng số dấu cách; dòng con thụt sâu hơn dòng cha",
    "indent lines of the same level by the same number of spaces, and a child deeper "
    "than its parent",
)
HINT_DECIMAL = (
    "số thập phân viết bằng dấu chấm: 1.5 chứ không phải 1,5",
    "write decimals with a point: 1.5, not 1,5",
)
HINT_PLAIN = ("viết một số thường, ví dụ 1.5", "write a plain number, such as 1.5")
HINT_DUPLICATE = ("xóa dòng lặp lại", "remove the repeated line")
HINT_DUPLICATE_VALUE = ("xóa giá trị lặp lại", "remove the repeated value")
HINT_POINTS_PLAIN = (
    "điểm, điểm tối đa, tổng điểm và điểm tối thiểu viết bằng số thường, không có % hay đồng",
    "points, maxima, totals and minimum scores are plain numbers, without % or đồng",
)
HINT_ADD_SCORING = (
    "thêm một dòng cách tính điểm, thụt lề dưới tiêu chí (ví dụ '2 if ten_truong')",
    "add a scoring line indented under the criterion (such as '2 if field')",
)
HINT_ARROW = (
    "dùng mũi tên -> giữa điều kiện và số điểm (ví dụ >= 80% -> 10)",
    "use an arrow -> between the condition and the points (such as >= 80% -> 10)",
)
HINT_PERCENT_SIGN_5 = ("tỷ lệ phần trăm viết kèm dấu %: 5%", "write percentages with a % sign: 5%")
HINT_START = (
    "bắt đầu bằng dòng 'rubric ma_bang_diem \"Tên bảng điểm\"' (xem docs/language.md)",
    "start with a line 'rubric rubric_id \"Title\"' (see docs/language.md)",
)
HINT_RENAME = ("đặt một tên hoặc mã khác", "use another name or id")
HINT_DATES = ("kiểm tra lại thứ tự các ngày", "check the order of the dates")
HINT_REMOVE_BOUND = ("bỏ giới hạn này", "remove this bound")
HINT_SAME_UNIT = (
    "chỉ cộng, trừ, so sánh các giá trị cùng loại (số đếm với số đếm, tiền với tiền, "
    "tỷ lệ với tỷ lệ)",
    "only add, subtract or compare values of one kind (counts with counts, money with "
    "money, percentages with percentages)",
)
HINT_CYCLE = (
    "bỏ một 'requires' hoặc 'points of' để phá vòng",
    "remove one 'requires' or 'points of' to break the circle",
)
HINT_USE_IF = (
    "với trường có/không dùng: 'điểm if tên_trường'",
    "for a yes/no value write: 'points if field'",
)
HINT_CHOICE_VALUES = (
    'liệt kê các giá trị, mỗi giá trị một dòng thụt lề: tên "nhãn"',
    'list the values, one per indented line: name "label"',
)
HINT_TIE = (
    "dùng 'earlier'/'later' với trường ngày, 'higher'/'lower' với trường số",
    "use 'earlier'/'later' with a date field, 'higher'/'lower' with a number field",
)


def did_you_mean(name: str) -> tuple[str, str]:
    """The hint suggesting ``name``, in both languages."""
    return (f"có phải là '{name}'?", f"did you mean '{name}'?")


def case(
    name: str,
    text: str,
    code: str,
    at: tuple[int, int, int],
    vi: str,
    en: str,
    hint: tuple[str, str] | None = None,
    **extra: Any,
) -> Case:
    """A :class:`Case`, with the position as ``(line, column, width)`` and the hint as a pair."""
    line, column, width = at
    return Case(
        name,
        text,
        code,
        line,
        column,
        width,
        vi,
        en,
        hint[0] if hint else None,
        hint[1] if hint else None,
        **extra,
    )


# ---------------------------------------------------------------- the cases


SYNTAX_CASES = [
    case(
        "decimal-comma-in-maximum",
        lines(*HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 1,5', "    2 if x"),
        "syntax-unexpected",
        (7, 26, 1),
        "không mong đợi ',' ở đây; cần xuống dòng",
        "unexpected ',' here; expected the end of the line",
        HINT_DECIMAL,
    ),
    case(
        "decimal-comma-in-rate",
        lines(*HEAD, *EVIDENCE, *PART[:2], "    0,5 per x"),
        "syntax-unexpected",
        (8, 6, 1),
        "không mong đợi ',' ở đây; cần xuống dòng, 'if', 'minus', 'per'",
        "unexpected ',' here; expected the end of the line, 'if', 'minus', 'per'",
        HINT_DECIMAL,
    ),
    case(
        "character-that-does-not-belong",
        lines(*HEAD, *EVIDENCE, *PART[:2], "    2 if x @ 1"),
        "syntax-character",
        (8, 12, 1),
        "ký tự không hợp lệ ở đây: «@»",
        "a character that does not belong here: «@»",
    ),
    case(
        "line-ends-before-maximum",
        lines(*HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C"', "    2 if x"),
        "syntax-line-ends",
        (7, 20, 1),
        "dòng kết thúc khi còn thiếu nội dung; cần 'max'",
        "the line ends too early; expected 'max'",
    ),
    case(
        "line-ends-before-choice-label",
        lines(*HEAD, "evidence", "  c one of a, b", *PART),
        "syntax-line-ends",
        (5, 16, 1),
        "dòng kết thúc khi còn thiếu nội dung; cần một nhãn trong ngoặc kép hoặc dấu phẩy",
        "the line ends too early; expected a label in double quotes or a comma",
    ),
    case(
        "tab-in-indentation",
        lines(*HEAD, *EVIDENCE, *PART[:2], "\t2 if x"),
        "syntax-tab",
        (8, 1, 1),
        "dùng ký tự tab để thụt lề",
        "a tab character is used for indentation",
        (
            "thay tab bằng dấu cách (ví dụ 2 hoặc 4 dấu cách mỗi cấp)",
            "replace the tab with spaces (for example 2 or 4 per level)",
        ),
    ),
    case(
        "bad-dedent",
        lines(
            *HEAD,
            *EVIDENCE,
            'part I "P" max 2',
            '  criterion I.1 "C" max 1',
            "    1 if x",
            '   criterion I.2 "C" max 1',
            "    1 if x",
        ),
        "syntax-dedent",
        (9, 1, 3),
        "thụt lề 3 dấu cách không khớp với khối nào ở trên (các mức thụt lề hợp lệ ở đây: 0, 2, 4)",
        "an indentation of 3 space(s) matches no enclosing block "
        "(the valid indentations here: 0, 2, 4)",
        HINT_INDENT,
    ),
    case(
        "indented-deeper-without-a-block",
        lines('rubric r "R"', "  year 2021", "    total 2", *EVIDENCE, *PART),
        "syntax-indent",
        (3, 5, 1),
        "dòng này thụt lề sâu hơn dòng trên mà không mở khối mới",
        "this line is indented deeper than the line above, which opens no block",
        HINT_INDENT,
    ),
    case(
        "by-without-its-block",
        lines(
            *HEAD,
            "evidence",
            '  c one of a, b "C"',
            'part I "P" max 2',
            '  criterion I.1 "C" max 1',
            "    by c",
            '  criterion I.2 "C" max 1',
            "    1",
        ),
        "syntax-block-missing",
        (8, 9, 1),
        "dòng này cần một khối thụt lề bên dưới",
        "this line needs an indented block below it",
    ),
    case(
        "criterion-ends-after-requires",
        small(
            criteria='criterion I.1 "C" max 1\n  requires I.2\ncriterion I.2 "C" max 1\n  1 if x'
        ),
        "syntax-no-scoring",
        (12, 17, 1),
        "tiêu chí chưa có dòng cách tính điểm",
        "the criterion has no scoring line",
        HINT_ADD_SCORING,
    ),
    case(
        "criterion-ends-after-note",
        small(
            criteria='criterion I.1 "C" max 1\n  1 if x\ncriterion I.2 "C" max 1\n'
            '  note "Ghi chú"  # chưa có điểm'
        ),
        "syntax-no-scoring",
        (14, 19, 1),
        "tiêu chí chưa có dòng cách tính điểm",
        "the criterion has no scoring line",
        HINT_ADD_SCORING,
    ),
    case(
        "maximum-with-a-percent-sign",
        lines(*HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 2%', "    2 if x"),
        "syntax-character",
        (7, 26, 1),
        "ký tự không hợp lệ ở đây: «%»",
        "a character that does not belong here: «%»",
        HINT_POINTS_PLAIN,
    ),
    case(
        "maximum-in-dong",
        lines(*HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 2 đồng', "    2 if x"),
        "syntax-unexpected",
        (7, 27, 4),
        "không mong đợi 'đồng' ở đây; cần xuống dòng",
        "unexpected 'đồng' here; expected the end of the line",
        HINT_POINTS_PLAIN,
    ),
    case(
        "fat-arrow-in-a-choice-arm",
        small(
            'c one of dung_han, tre_han "C"',
            'criterion I.1 "C" max 2\n  by c\n    dung_han => 2\n    tre_han -> 1',
        ),
        "syntax-unexpected",
        (13, 16, 2),
        "không mong đợi '=>' ở đây; cần mũi tên -> hoặc dấu phẩy",
        "unexpected '=>' here; expected an arrow -> or a comma",
        HINT_ARROW,
    ),
    case(
        "call-without-parentheses",
        small('n count "N"', 'criterion I.1 "C" max 2\n  floor n'),
        "syntax-unexpected",
        (12, 11, 1),
        "không mong đợi 'n' ở đây; cần dấu mở ngoặc (",
        "unexpected 'n' here; expected an opening parenthesis (",
    ),
    case(
        "parenthesis-left-open",
        small('n count "N"', 'criterion I.1 "C" max 2\n  2 if (n > 1 otherwise 0'),
        "syntax-unexpected",
        (12, 17, 9),
        "không mong đợi 'otherwise' ở đây; cần dấu đóng ngoặc )",
        "unexpected 'otherwise' here; expected a closing parenthesis )",
    ),
    case(
        "keyword-glued-to-a-name",
        small(criteria='criterion I.1 "C" max 2\n  2 ifx'),
        "syntax-glued-keyword",
        (12, 7, 3),
        "từ khóa 'if' dính liền với chữ phía sau: 'ifx'",
        "the keyword 'if' runs into the next word: 'ifx'",
        (
            "thêm dấu cách sau 'if', hoặc đặt tên khác nếu đây là tên trường",
            "put a space after 'if', or choose another name if this is a field",
        ),
    ),
    case(
        "file-of-comments-only",
        lines("# chỉ có ghi chú"),
        "syntax-empty",
        (1, 1, 1),
        "tệp bảng điểm trống",
        "the rubric file is empty",
        HINT_START,
    ),
    case(
        "file-ends-before-a-block",
        lines(*HEAD, *EVIDENCE, 'part I "P" max 2'),
        "syntax-eof",
        (6, 17, 1),
        "tệp kết thúc khi còn thiếu nội dung; cần một khối thụt lề",
        "the file ends too early; expected an indented block",
    ),
]

BUILDER_CASES = [
    case(
        "invalid-date",
        lines(*HEAD, "  deadline 2021-02-30", *EVIDENCE, *PART),
        "invalid-date",
        (4, 12, 10),
        "ngày không tồn tại: 2021-02-30",
        "there is no such date: 2021-02-30",
        (
            "viết ngày theo dạng năm-tháng-ngày, ví dụ 2021-12-20",
            "write dates as year-month-day, such as 2021-12-20",
        ),
    ),
    case(
        "empty-label",
        lines(*HEAD, "evidence", '  x yes/no ""', *PART),
        "empty-label",
        (5, 12, 2),
        "nhãn để trống",
        "the label is empty",
        ("viết nội dung nhãn giữa hai dấu ngoặc kép", "write the label between the quotes"),
    ),
    case(
        "duplicate-section",
        small(tail='evidence\n  y yes/no "Y"'),
        "duplicate-section",
        (14, 1, 8),
        "mục 'evidence' đã có ở dòng 7",
        "the 'evidence' section already appears on line 7",
        ("gộp hai mục thành một", "merge the two sections into one"),
    ),
    case(
        "no-parts",
        lines(*HEAD, *EVIDENCE),
        "no-parts",
        (1, 1, 6),
        "bảng điểm chưa có phần nào ('part')",
        "the rubric has no part ('part')",
        (
            "thêm ít nhất một dòng 'part I \"...\" max ...' với các tiêu chí",
            "add at least one 'part I \"...\" max ...' with its criteria",
        ),
    ),
    case(
        "duplicate-header-item",
        lines('rubric r "R"', "  year 2021", "  year 2022", "  total 2", *EVIDENCE, *PART),
        "duplicate-header-item",
        (3, 3, 9),
        "'year' đã được khai báo ở dòng 2",
        "'year' is already given on line 2",
        HINT_DUPLICATE,
    ),
    case(
        "missing-header-line",
        lines('rubric r "R"', "  year 2021", *EVIDENCE, *PART),
        "missing-header-item",
        (1, 1, 6),
        "phần đầu bảng điểm thiếu dòng 'total'",
        "the rubric header has no 'total' line",
        (
            "thêm dòng 'total ...' vào phần đầu, thụt lề dưới dòng 'rubric'",
            "add a 'total ...' line to the header, indented under 'rubric'",
        ),
    ),
    case(
        "total-not-positive",
        lines('rubric r "R"', "  year 2021", "  total 0", *EVIDENCE, *PART),
        "header-positive-points",
        (3, 9, 1),
        "'total' phải là một số dương, không có % hay đồng",
        "'total' must be a positive number, without % or đồng",
        HINT_PLAIN,
    ),
    case(
        "expression-nested-too-deeply",
        small('n count "N"', 'criterion I.1 "C" max 2\n  ' + " + ".join(["n"] * 103)),
        "expression-too-deep",
        (12, 5, 5),
        "biểu thức lồng quá sâu (quá 100 phép tính lồng nhau)",
        "the expression is nested too deeply (more than 100 operations inside each other)",
        (
            "tách thành nhiều tiêu chí con, hoặc viết gọn lại",
            "split it into several sub-criteria, or write it more simply",
        ),
    ),
    case(
        "period-reversed",
        lines(*HEAD, "  period 2021-12-31 to 2021-01-01", *EVIDENCE, *PART),
        "period-reversed",
        (4, 3, 31),
        "ngày kết thúc trước ngày bắt đầu",
        "the period ends before it starts",
        HINT_DATES,
    ),
    case(
        "estimate-before-end",
        lines(
            *HEAD, "  period 2021-01-01 to 2021-12-31, estimated to 2021-06-30", *EVIDENCE, *PART
        ),
        "estimate-before-end",
        (4, 3, 56),
        "ngày ước tính trước ngày kết thúc",
        "the estimate date is before the end of the period",
        HINT_DATES,
    ),
    case(
        "unknown-language",
        lines(*HEAD, "  language fr", *EVIDENCE, *PART),
        "unknown-language",
        (4, 12, 2),
        "ngôn ngữ 'fr' không được hỗ trợ",
        "language 'fr' is not supported",
        ("dùng 'vi' hoặc 'en'", "use 'vi' or 'en'"),
    ),
    case(
        "rounding-places",
        lines(*HEAD, "  rounding 11 decimals half-up", *EVIDENCE, *PART),
        "rounding-places",
        (4, 12, 2),
        "làm tròn tới 11 chữ số thập phân là quá nhiều (tối đa 10)",
        "rounding to 11 decimals is too many (at most 10)",
    ),
    case(
        "choice-without-values",
        lines(*HEAD, "evidence", '  x yes/no "X"', '  c one of "C"', *PART),
        "choice-without-values",
        (6, 5, 6),
        "trường lựa chọn 'one of' chưa liệt kê giá trị nào",
        "the 'one of' field lists no values",
        HINT_CHOICE_VALUES,
    ),
    case(
        "values-without-choice",
        lines(
            *HEAD, "evidence", '  x yes/no "X"', '  c count "C"', '    a "A"', '    b "B"', *PART
        ),
        "values-without-choice",
        (7, 5, 5),
        "chỉ trường kiểu 'one of' mới có danh sách giá trị",
        "only a 'one of' field has a list of values",
        ("khai báo kiểu 'one of' cho trường này", "declare this field as 'one of'"),
    ),
    case(
        "duplicate-option",
        lines(*HEAD, "evidence", '  x yes/no "X"', '  c count "C" unit "a" unit "b"', *PART),
        "duplicate-option",
        (6, 24, 8),
        "'unit' được ghi hai lần",
        "'unit' is given twice",
    ),
    case(
        "bound-on-yes-no",
        lines(*HEAD, "evidence", '  x yes/no "X" from 0', *PART),
        "bound-on-type",
        (5, 21, 1),
        "trường kiểu có/không (true/false) không có giới hạn from/to",
        "a field of type yes/no (true/false) has no from/to bounds",
        HINT_REMOVE_BOUND,
    ),
    case(
        "bound-in-wrong-unit",
        lines(*HEAD, "evidence", '  x yes/no "X"', '  c count "C" to 5%', *PART),
        "bound-unit",
        (6, 18, 2),
        "giới hạn không đúng đơn vị của trường kiểu số đếm (số nguyên từ 0)",
        "the bound is not in the unit of a field of type count (a whole number from 0)",
        HINT_PLAIN,
    ),
    case(
        "prize-as-percent",
        small(tail='awards\n  place 1 "Nhất" 10%'),
        "prize-unit",
        (15, 18, 3),
        "tiền thưởng phải là số tiền",
        "a prize must be an amount of money",
        ("viết tiền thưởng dạng 10.000.000 đồng", "write the prize as 10.000.000 đồng"),
    ),
    case(
        "duplicate-awards-item",
        small(tail="awards\n  minimum 1\n  minimum 1"),
        "duplicate-header-item",
        (16, 3, 9),
        "'minimum' đã được khai báo ở dòng 15",
        "'minimum' is already given on line 15",
        HINT_DUPLICATE,
    ),
]

CHECKER_CASES = [
    # ------------------------------------------------------------ maxima
    case(
        "total-does-not-add-up",
        small(criteria='criterion I.1 "C" max 2.5\n  2.5 if x', part_max="2.5", total="3"),
        "total-mismatch",
        (3, 3, 7),
        "tổng điểm chuẩn khai báo là 3 nhưng các phần cộng lại được 2,5",
        "the declared total is 3 but the parts add up to 2.5",
        (
            "sửa dòng 'total' thành 2,5, hoặc sửa điểm tối đa của các phần",
            "change the 'total' line to 2.5, or the maxima of the parts",
        ),
    ),
    case(
        "part-does-not-add-up",
        small(criteria='criterion I.1 "C" max 1.5\n  1.5 if x', part_max="2"),
        "part-max-mismatch",
        (10, 6, 1),
        "phần I có tối đa 2 điểm nhưng các tiêu chí cộng lại được 1,5",
        "part I is worth 2 points but its criteria add up to 1.5",
        (
            "sửa điểm tối đa thành 1,5, hoặc sửa điểm của các mục bên dưới",
            "change the maximum to 1.5, or the points of the items below",
        ),
    ),
    case(
        "criterion-does-not-add-up",
        small(
            criteria='criterion I.1 "C" max 3\n  criterion I.1.a "a" max 1\n    1 if x\n'
            '  criterion I.1.b "b" max 1\n    1 if x',
            part_max="3",
        ),
        "criterion-max-mismatch",
        (11, 13, 3),
        "tiêu chí I.1 có tối đa 3 điểm nhưng các tiêu chí con cộng lại được 2",
        "criterion I.1 is worth 3 points but its sub-criteria add up to 2",
        (
            "sửa điểm tối đa thành 2, hoặc sửa điểm của các mục bên dưới",
            "change the maximum to 2, or the points of the items below",
        ),
    ),
    case(
        "maximum-off-the-rounding-grid",
        small(
            criteria='criterion I.1 "C" max 1.125\n  1.125 if x\n'
            'criterion I.2 "C" max 0.875\n  0.875 if x'
        ),
        "max-off-grid",
        (11, 13, 3),
        "điểm tối đa 1,125 có nhiều chữ số thập phân hơn quy tắc làm tròn (2 chữ số), "
        "nên không bao giờ đạt được",
        "the maximum 1.125 has more decimals than the rounding rule (2), so it can never "
        "be reached",
        (
            "làm tròn điểm tối đa đến 2 chữ số thập phân, hoặc đổi quy tắc làm tròn",
            "give the maximum with at most 2 decimals, or change the rounding rule",
        ),
        codes=("max-off-grid", "max-off-grid"),
    ),
    case(
        "maximum-zero",
        small(criteria='criterion I.1 "C" max 0\n  0\ncriterion I.2 "C" max 2\n  2 if x'),
        "max-not-positive",
        (11, 13, 3),
        "điểm tối đa của I.1 phải lớn hơn 0",
        "the maximum of I.1 must be more than 0",
        ("ghi điểm tối đa lớn hơn 0", "give a maximum above 0"),
    ),
    # ------------------------------------------------------------ declarations
    case(
        "keyword-as-field-name",
        small('count count "X"', 'criterion I.1 "C" max 2\n  2 if count >= 1'),
        "keyword-name",
        (8, 3, 5),
        "'count' là từ khóa của ngôn ngữ, không dùng làm tên",
        "'count' is a keyword of the language and cannot be a name",
        HINT_RENAME,
    ),
    case(
        "duplicate-field",
        small('x yes/no "X"\nx count "Y"'),
        "duplicate-field",
        (9, 3, 1),
        "trường minh chứng 'x' đã khai báo ở dòng 8",
        "evidence field 'x' is already declared on line 8",
        HINT_RENAME,
    ),
    case(
        "duplicate-choice",
        small('x yes/no "X"\nc one of a, a, b "C"'),
        "duplicate-choice",
        (9, 15, 1),
        "giá trị 'a' của trường 'c' bị lặp",
        "value 'a' of field 'c' is listed twice",
        HINT_DUPLICATE_VALUE,
    ),
    case(
        "choice-with-one-value",
        small('x yes/no "X"\nc one of a "C"'),
        "choice-too-few",
        (9, 3, 1),
        "trường lựa chọn 'c' cần ít nhất hai giá trị",
        "choice field 'c' needs at least two values",
        HINT_CHOICE_VALUES,
    ),
    case(
        "count-bound-below-zero",
        small('x yes/no "X"\nn count "N" from -1'),
        "bound-outside-type",
        (9, 20, 2),
        "giới hạn của 'n' nằm ngoài miền giá trị của kiểu số đếm (số nguyên từ 0)",
        "a bound of 'n' lies outside what a count (a whole number from 0) can be",
        HINT_REMOVE_BOUND,
    ),
    case(
        "count-bound-not-whole",
        small('x yes/no "X"\nn count "N" to 2.5'),
        "bound-not-whole",
        (9, 18, 3),
        "giới hạn của trường đếm 'n' phải là số nguyên",
        "the bounds of count field 'n' must be whole numbers",
        ("ghi một số nguyên", "give a whole number"),
    ),
    case(
        "bounds-reversed",
        small('x yes/no "X"\nn count "N" from 5 to 2'),
        "bounds-reversed",
        (9, 20, 1),
        "giới hạn dưới của 'n' lớn hơn giới hạn trên",
        "the lower bound of 'n' is above its upper bound",
        (
            "giới hạn dưới (from) phải nhỏ hơn hoặc bằng giới hạn trên (to)",
            "the lower bound (from) must not be above the upper bound (to)",
        ),
    ),
    case(
        "duplicate-contestant",
        small(tail='contestants\n  930 "A"\n  930 "B"'),
        "duplicate-contestant",
        (16, 3, 3),
        "mã đơn vị '930' đã có ở dòng 15",
        "unit code '930' is already listed on line 15",
        HINT_DUPLICATE,
    ),
    case(
        "duplicate-contestant-name",
        small(tail='contestants\n  930 "A"\n  931 "A"'),
        "duplicate-contestant-name",
        (16, 7, 3),
        "tên đơn vị 'A' đã có ở dòng 15",
        "unit name 'A' is already listed on line 15",
        HINT_DUPLICATE,
    ),
    case(
        "duplicate-part",
        small(total="4", tail='part I "Lại" max 2\n  criterion I.9 "C" max 2\n    2 if x'),
        "duplicate-part",
        (14, 6, 1),
        "phần 'I' đã có ở dòng 10",
        "part 'I' already appears on line 10",
        HINT_RENAME,
    ),
    case(
        "duplicate-id",
        small(criteria='criterion I.1 "C" max 1\n  1 if x\ncriterion I.1 "D" max 1\n  1 if x'),
        "duplicate-id",
        (13, 13, 3),
        "mã 'I.1' đã được dùng ở dòng 11",
        "id 'I.1' is already used on line 11",
        HINT_RENAME,
    ),
    # ------------------------------------------------------------ dependencies
    case(
        "requires-itself",
        small(criteria='criterion I.1 "C" max 2\n  requires I.1\n  2 if x'),
        "requires-self",
        (12, 14, 3),
        "I.1 không thể yêu cầu chính nó",
        "I.1 cannot require itself",
        ("bỏ dòng 'requires' này", "remove this 'requires'"),
    ),
    case(
        "requires-unknown-criterion",
        small(
            criteria='criterion I.1 "C" max 1\n  requires I.3\n  1 if x\n'
            'criterion I.2 "C" max 1\n  1 if x'
        ),
        "unknown-item",
        (12, 14, 3),
        "không có tiêu chí hay quy tắc nào mã 'I.3'",
        "there is no criterion or rule 'I.3'",
        did_you_mean("I.2"),
    ),
    case(
        "points-of-unknown-criterion",
        small(
            criteria='criterion I.1 "C" max 1\n  1 if x\ncriterion I.2 "C" max 1\n  points of I1'
        ),
        "unknown-item",
        (14, 5, 12),
        "không có tiêu chí hay quy tắc nào mã 'I1'",
        "there is no criterion or rule 'I1'",
        did_you_mean("I.1"),
    ),
    case(
        "requires-cycle-of-two",
        small(
            criteria='criterion I.1 "C" max 1\n  requires I.2\n  1 if x\n'
            'criterion I.2 "C" max 1\n  requires I.1\n  1 if x'
        ),
        "cycle",
        (15, 14, 3),
        "các tiêu chí phụ thuộc vòng tròn: I.1 → I.2 → I.1",
        "criteria depend on each other in a circle: I.1 → I.2 → I.1",
        HINT_CYCLE,
    ),
    case(
        "points-of-cycle-of-two",
        small(
            criteria='criterion I.1 "C" max 1\n  points of I.2\n'
            'criterion I.2 "C" max 1\n  points of I.1'
        ),
        "cycle",
        (14, 5, 13),
        "các tiêu chí phụ thuộc vòng tròn: I.1 → I.2 → I.1",
        "criteria depend on each other in a circle: I.1 → I.2 → I.1",
        HINT_CYCLE,
    ),
    case(
        "mixed-cycle-of-three",
        small(
            criteria='criterion I.1 "C" max 1\n  requires I.2\n  1 if x\n'
            'criterion I.2 "C" max 0.5\n  points of I.3 / 2\n'
            'criterion I.3 "C" max 0.5\n  0.5 if points of I.1 > 0'
        ),
        "cycle",
        (17, 12, 13),
        "các tiêu chí phụ thuộc vòng tròn: I.1 → I.2 → I.3 → I.1",
        "criteria depend on each other in a circle: I.1 → I.2 → I.3 → I.1",
        HINT_CYCLE,
    ),
    # ------------------------------------------------------------ names
    case(
        "misspelt-field",
        small('so_htx count "X"', 'criterion I.1 "C" max 2\n  2 if so_hxt >= 1'),
        "unknown-field",
        (12, 10, 6),
        "không có trường minh chứng 'so_hxt'",
        "there is no evidence field 'so_hxt'",
        did_you_mean("so_htx"),
    ),
    case(
        "unknown-field-far-from-any",
        small('so_htx count "X"', 'criterion I.1 "C" max 2\n  2 if zzzz >= 1'),
        "unknown-field",
        (12, 10, 4),
        "không có trường minh chứng 'zzzz'",
        "there is no evidence field 'zzzz'",
    ),
    case(
        "choice-value-it-does-not-have",
        small('c one of dung_han, tre_han "C"', 'criterion I.1 "C" max 2\n  2 if c = dung_hn'),
        "unknown-choice-value",
        (12, 14, 7),
        "'dung_hn' không phải là giá trị của trường 'c' (các giá trị: 'dung_han', 'tre_han')",
        "'dung_hn' is not a value of field 'c' (its values: 'dung_han', 'tre_han')",
        did_you_mean("dung_han"),
    ),
    case(
        "choice-value-far-from-any",
        small('c one of a, b "C"', 'criterion I.1 "C" max 2\n  2 if c = zz'),
        "unknown-choice-value",
        (12, 14, 2),
        "'zz' không phải là giá trị của trường 'c' (các giá trị: 'a', 'b')",
        "'zz' is not a value of field 'c' (its values: 'a', 'b')",
    ),
    case(
        "name-both-field-and-value",
        small('c one of a, b "C"\na count "A"', 'criterion I.1 "C" max 2\n  2 if c = a'),
        "ambiguous-name",
        (13, 14, 1),
        "'a' vừa là tên trường vừa là giá trị của trường 'c'",
        "'a' is both a field and a value of field 'c'",
        HINT_RENAME,
    ),
    case(
        "deadline-without-header-deadline",
        lines(
            *HEAD,
            "evidence",
            '  d date "D"',
            'part I "P" max 2',
            '  criterion I.1 "C" max 2',
            "    2 if d > deadline",
        ),
        "no-deadline",
        (8, 14, 8),
        "dùng 'deadline' nhưng phần đầu bảng điểm chưa khai báo hạn nộp",
        "'deadline' is used but the rubric header declares none",
        (
            "thêm dòng 'deadline 2021-12-20' vào phần đầu",
            "add a 'deadline 2021-12-20' line to the header",
        ),
    ),
    # ------------------------------------------------------------ dossier
    case(
        "dossier-complete-in-a-rule",
        lines(
            *HEAD,
            "dossier",
            '  to_trinh "Tờ trình"',
            'part I "P" max 2',
            '  criterion I.1 "C" max 2',
            "    2 if dossier complete",
        ),
        "dossier-outside-eligibility",
        (8, 10, 16),
        "'dossier complete' chỉ dùng trong dòng 'eligible if' của mục 'awards'",
        "'dossier complete' can only be used in an 'eligible if' line of the 'awards' section",
        (
            "đặt điều kiện về hồ sơ vào dòng 'eligible if dossier complete \"...\"' trong mục "
            "'awards'",
            "put conditions on the dossier in an 'eligible if dossier complete \"...\"' line of "
            "'awards'",
        ),
    ),
    case(
        "dossier-complete-without-dossier",
        lines(
            *HEAD,
            *EVIDENCE,
            *PART,
            "awards",
            '  place 1 "Nhất" 1.000.000 đồng',
            '  eligible if dossier complete "Đủ hồ sơ"',
        ),
        "no-dossier",
        (11, 15, 16),
        "dùng 'dossier complete' nhưng bảng điểm chưa có mục 'dossier'",
        "'dossier complete' is used but the rubric has no 'dossier' section",
        (
            "thêm mục 'dossier' liệt kê các giấy tờ, mỗi dòng: ma_giay_to \"Tên giấy tờ\"",
            "add a 'dossier' section listing the documents, one per line: document_id \"Label\"",
        ),
    ),
    case(
        "document-listed-twice",
        lines(
            *HEAD,
            *EVIDENCE,
            "dossier",
            '  to_trinh "Tờ trình"',
            '  to_trinh "Công văn"',
            *PART,
        ),
        "duplicate-document",
        (8, 3, 8),
        "giấy tờ 'to_trinh' đã có trong hồ sơ ở dòng 7",
        "document 'to_trinh' is already in the dossier on line 7",
        HINT_RENAME,
    ),
    # ------------------------------------------------------------ kinds and units
    case(
        "percent-compared-without-sign-in-by",
        small(
            'p percent "P"',
            'criterion I.1 "C" max 2\n  by p\n    >= 90 -> 2\n    otherwise -> 0',
        ),
        "percent-literal",
        (13, 10, 2),
        "so sánh tỷ lệ phần trăm với số 90 không có dấu %",
        "a percentage is compared with the number 90, which has no % sign",
        ("tỷ lệ phần trăm viết kèm dấu %: 90%", "write percentages with a % sign: 90%"),
    ),
    case(
        "percent-compared-without-sign-in-if",
        small('p percent "P"', 'criterion I.1 "C" max 2\n  2 if p >= 90'),
        "percent-literal",
        (12, 15, 2),
        "so sánh tỷ lệ phần trăm với số 90 không có dấu %",
        "a percentage is compared with the number 90, which has no % sign",
        ("tỷ lệ phần trăm viết kèm dấu %: 90%", "write percentages with a % sign: 90%"),
    ),
    case(
        "percent-plus-plain-number",
        small('p percent "P"', 'criterion I.1 "C" max 2\n  2 if p + 5 > 50%'),
        "percent-literal-sum",
        (12, 14, 1),
        "cộng hoặc trừ tỷ lệ phần trăm với số 5 không có dấu %",
        "a percentage is added to or taken from the number 5, which has no % sign",
        HINT_PERCENT_SIGN_5,
    ),
    case(
        "points-with-percent-sign",
        small('p percent "P"', 'criterion I.1 "C" max 2\n  2% if p > 50%'),
        "points-with-unit",
        (12, 5, 2),
        "điểm viết bằng số thường, không có % hay đồng",
        "points are plain numbers, without % or đồng",
        (
            "điểm, điểm tối đa, tổng điểm và điểm tối thiểu viết bằng số thường, "
            "không có % hay đồng",
            "points, maxima, totals and minimum scores are plain numbers, without % or đồng",
        ),
    ),
    case(
        "date-plus-count",
        small('d date "D"\nn count "N"', 'criterion I.1 "C" max 2\n  2 if d + n > 2021-01-01'),
        "arithmetic-type",
        (13, 10, 1),
        "không thể dùng ngày trong phép '+'",
        "a date cannot be used in '+'",
    ),
    case(
        "count-plus-percent",
        small('n count "N"\np percent "P"', 'criterion I.1 "C" max 2\n  2 if n + p > 1'),
        "unit-mismatch",
        (13, 10, 5),
        "không thể kết hợp số đếm với tỷ lệ phần trăm",
        "cannot combine a count with a percentage",
        HINT_SAME_UNIT,
    ),
    case(
        "money-compared-with-count",
        small('m money "M"\nn count "N"', 'criterion I.1 "C" max 2\n  2 if m > n'),
        "unit-mismatch",
        (13, 10, 5),
        "không thể kết hợp số tiền với số đếm",
        "cannot combine an amount of money with a count",
        HINT_SAME_UNIT,
    ),
    case(
        "target-money-of-count",
        small('m money "M"\nn count "N"', 'criterion I.1 "C" max 2\n  target m of n: linear'),
        "unit-mismatch",
        (13, 5, 21),
        "không thể kết hợp số tiền với số đếm",
        "cannot combine an amount of money with a count",
        HINT_SAME_UNIT,
    ),
    case(
        "date-compared-with-count",
        small('d date "D"\nn count "N"', 'criterion I.1 "C" max 2\n  2 if d > n'),
        "compare-mismatch",
        (13, 10, 5),
        "không thể so sánh ngày với số đếm",
        "cannot compare a date with a count",
    ),
    case(
        "choice-ordered",
        small('c one of a, b "C"', 'criterion I.1 "C" max 2\n  2 if c > a'),
        "compare-order",
        (12, 10, 5),
        "lựa chọn của 'c' chỉ so sánh bằng (=) hoặc khác (!=), không dùng '>'",
        "a choice of 'c' can only be compared with = or !=, not '>'",
        ("dùng = hoặc !=", "use = or !="),
    ),
    case(
        "yes-no-as-points",
        small(criteria='criterion I.1 "C" max 2\n  x'),
        "points-not-number",
        (12, 5, 1),
        "điểm phải là một số, ở đây là có/không",
        "points must be a number; this is a yes/no value",
        HINT_USE_IF,
    ),
    case(
        "yes-no-per-unit",
        small('x yes/no "X"\nn count "N"', 'criterion I.1 "C" max 2\n  1 per x'),
        "expected-number",
        (13, 11, 1),
        "cần một số, ở đây là có/không",
        "a number is needed here; this is a yes/no value",
    ),
    case(
        "count-as-condition",
        small('n count "N"', 'criterion I.1 "C" max 2\n  2 if n'),
        "expected-condition",
        (12, 10, 1),
        "cần một điều kiện đúng/sai, ở đây là số đếm",
        "a yes/no condition is needed here; this is a count",
        (
            "viết một phép so sánh, ví dụ 'htx_moi >= 2'",
            "write a comparison, such as 'htx_moi >= 2'",
        ),
    ),
    case(
        "min-with-one-argument",
        small('n count "N"', 'criterion I.1 "C" max 2\n  min(n)'),
        "call-arity",
        (12, 5, 6),
        "hàm min nhận 2+ đối số, ở đây có 1",
        "min takes 2+ argument(s); here it has 1",
        (
            "min(a, b, ...) và max(a, b, ...) nhận từ 2 đối số; round(x, 2); floor(x); ceil(x)",
            "min(a, b, ...) and max(a, b, ...) take 2 or more; round(x, 2); floor(x); ceil(x)",
        ),
    ),
    case(
        "round-to-fractional-places",
        small('n count "N"', 'criterion I.1 "C" max 2\n  round(n / 3, 1.5)'),
        "round-places",
        (12, 18, 3),
        "số chữ số làm tròn phải là số nguyên từ 0 đến 10",
        "the number of decimals to round to must be a whole number from 0 to 10",
        ("ví dụ round(x, 2)", "for example round(x, 2)"),
    ),
    case(
        "shortfall-step-above-100-percent",
        small(
            'n count "N"\nt count "T"',
            'criterion I.1 "C" max 2\n  target n of t: minus 1 per 150% short',
        ),
        "step-size",
        (13, 32, 4),
        "bậc thiếu hụt phải là một tỷ lệ lớn hơn 0% và không quá 100%",
        "the shortfall step must be a percentage above 0% and at most 100%",
        (
            "viết bậc dạng phần trăm, ví dụ 'minus 1 per 10% short'",
            "write the step as a percentage, such as 'minus 1 per 10% short'",
        ),
    ),
    # ------------------------------------------------------------ by and cases
    case(
        "by-on-yes-no",
        small(criteria='criterion I.1 "C" max 2\n  by x\n    = 1 -> 2\n    otherwise -> 0'),
        "by-yes-no",
        (12, 8, 1),
        "'by' không dùng với trường có/không",
        "'by' is not used with a yes/no value",
        HINT_USE_IF,
    ),
    case(
        "choice-by-misses-a-value",
        small(
            'bao_cao one of dung_han, tre_han, khong_gui "B"',
            'criterion I.1 "C" max 2\n  by bao_cao\n    dung_han -> 2\n    tre_han -> 1',
        ),
        "choice-not-covered",
        (12, 5, 10),
        "chưa cho điểm giá trị 'khong_gui' của trường 'bao_cao'",
        "no points are given for the value(s) 'khong_gui' of field 'bao_cao'",
        (
            "thêm dòng cho 'khong_gui', hoặc dòng 'otherwise -> 0'",
            "add lines for 'khong_gui', or an 'otherwise -> 0' line",
        ),
    ),
    case(
        "threshold-after-otherwise",
        small(
            'n count "N"',
            'criterion I.1 "C" max 2\n  by n\n    >= 2 -> 2\n    otherwise -> 0\n    >= 1 -> 1',
        ),
        "arm-after-otherwise",
        (15, 7, 9),
        "dòng này nằm sau 'otherwise' nên không bao giờ được xét",
        "this line comes after 'otherwise' and can never be reached",
        ("đưa 'otherwise' xuống cuối cùng", "move 'otherwise' to the end"),
    ),
    case(
        "case-after-otherwise",
        small(
            'n count "N"',
            'criterion I.1 "C" max 2\n  cases\n    n >= 2 -> 2\n'
            "    otherwise -> 0\n    n >= 1 -> 1",
        ),
        "arm-after-otherwise",
        (15, 7, 11),
        "dòng này nằm sau 'otherwise' nên không bao giờ được xét",
        "this line comes after 'otherwise' and can never be reached",
        ("đưa 'otherwise' xuống cuối cùng", "move 'otherwise' to the end"),
    ),
    case(
        "threshold-on-choice",
        small(
            'c one of a, b "C"',
            'criterion I.1 "C" max 2\n  by c\n    >= 1 -> 2\n    otherwise -> 0',
        ),
        "threshold-on-choice",
        (13, 7, 9),
        "trường lựa chọn không dùng ngưỡng so sánh",
        "a choice field takes no comparison thresholds",
        ("ghi tên giá trị, ví dụ 'dung_han -> 2'", "write value names, such as 'dung_han -> 2'"),
    ),
    case(
        "value-name-on-count",
        small('n count "N"', 'criterion I.1 "C" max 2\n  by n\n    a -> 2\n    otherwise -> 0'),
        "choice-arm-on-number",
        (13, 7, 6),
        "số đếm cần ngưỡng so sánh (ví dụ >= 80% -> 10), không phải tên giá trị",
        "a count needs comparison thresholds (such as >= 80% -> 10), not value names",
        ("ghi ngưỡng, ví dụ '>= 80% -> 10'", "write thresholds, such as '>= 80% -> 10'"),
    ),
    case(
        "value-given-points-twice",
        small(
            'c one of a, b "C"',
            'criterion I.1 "C" max 2\n  by c\n    a -> 2\n    b -> 1\n    a -> 0',
        ),
        "duplicate-choice-arm",
        (15, 7, 1),
        "giá trị 'a' đã được cho điểm trước đó",
        "value 'a' is already given points earlier",
        HINT_DUPLICATE_VALUE,
    ),
    case(
        "value-given-points-twice-in-one-arm",
        small('c one of a, b "C"', 'criterion I.1 "C" max 2\n  by c\n    a, a -> 2\n    b -> 1'),
        "duplicate-choice-arm",
        (13, 10, 1),
        "giá trị 'a' đã được cho điểm trước đó",
        "value 'a' is already given points earlier",
        HINT_DUPLICATE_VALUE,
    ),
    # ------------------------------------------------------------ awards
    case(
        "place-out-of-order",
        small(tail='awards\n  place 1 "Nhất" 10.000.000 đồng\n  place 3 "Ba" 5.000.000 đồng'),
        "place-order",
        (16, 3, 27),
        "hạng 3 không đúng thứ tự; cần hạng 2",
        "place 3 is out of order; place 2 was expected",
        ("đánh số hạng liên tục từ 1", "number the places 1, 2, 3, ... in order"),
    ),
    case(
        "place-declared-twice",
        small(
            tail='awards\n  place 1 "Nhất" 10.000.000 đồng\n  place 2 "Nhì" 7.000.000 đồng\n'
            '  place 2 "Nhì" 5.000.000 đồng'
        ),
        "duplicate-place",
        (17, 3, 28),
        "hạng 2 đã được khai báo ở dòng 16",
        "place 2 is already declared on line 16",
        HINT_DUPLICATE,
    ),
    case(
        "minimum-above-total",
        small(tail='awards\n  place 1 "Nhất" 10.000.000 đồng\n  minimum 50'),
        "minimum-too-high",
        (16, 3, 10),
        "điểm tối thiểu 50 cao hơn tổng điểm chuẩn 2",
        "the minimum score 50 is above the total of 2",
    ),
    case(
        "ties-unknown-part",
        small(tail="awards\n  ties higher part II"),
        "unknown-part",
        (15, 8, 14),
        "không có phần nào mã 'II'",
        "there is no part 'II'",
        did_you_mean("I"),
    ),
    case(
        "ties-unknown-criterion",
        small(tail="awards\n  ties higher criterion I.2"),
        "unknown-item",
        (15, 8, 20),
        "không có tiêu chí hay quy tắc nào mã 'I.2'",
        "there is no criterion or rule 'I.2'",
        did_you_mean("I.1"),
    ),
    case(
        "ties-on-missing-section",
        small(tail="awards\n  ties lower deduction"),
        "no-section",
        (15, 8, 15),
        "bảng điểm không có mục 'deduction'",
        "the rubric has no 'deduction' section",
    ),
    case(
        "ties-earlier-on-count",
        small('x yes/no "X"\nn count "N"', tail="awards\n  ties earlier n"),
        "tie-direction",
        (16, 8, 9),
        "không thể xếp 'earlier' theo trường 'n' kiểu số đếm (số nguyên từ 0)",
        "cannot break ties by 'earlier' on field 'n' of type count (a whole number from 0)",
        HINT_TIE,
    ),
    case(
        "ties-unknown-field",
        small(tail="awards\n  ties earlier ngay_nop"),
        "unknown-field",
        (15, 8, 16),
        "không có trường minh chứng 'ngay_nop'",
        "there is no evidence field 'ngay_nop'",
    ),
]

CASES = SYNTAX_CASES + BUILDER_CASES + CHECKER_CASES

# Codes the table above cannot hold, each tested by a dedicated test below.
DEDICATED = {
    "not-utf8": "TestEncoding",
}

# Codes still written in the sources that no rubric can trigger any more, each
# with the reason and the test showing that the old trigger is now something else
# (none at present).
UNREACHABLE: dict[str, str] = {}

# Codes whose dead code has been removed: the catalog and the sources no longer
# hold them, each with the reason and the test showing what the old trigger gives.
REMOVED = {
    "points-unit": "points, maxima, totals, step and minimum are plain numbers in the "
    "grammar (TestPlainPoints); removed from builder.py and the catalog",
}


def params(aspect: str) -> list[Any]:
    """The cases, with a strict xfail on those whose ``aspect`` a known bug breaks."""
    return [
        pytest.param(c, id=c.name, marks=pytest.mark.xfail(reason=c.bug, strict=True))
        if aspect in c.broken
        else pytest.param(c, id=c.name)
        for c in CASES
    ]


def diagnostic_of(c: Case) -> Diagnostic:
    """The diagnostic a case is about."""
    return first(compile_error(c.text), c.code)


# ---------------------------------------------------------------- every diagnostic


class TestEveryDiagnostic:
    """Each case of :data:`CASES`: class, codes, position and both renderings."""

    @pytest.mark.parametrize("c", params("raises"))
    def test_raises_its_class_with_its_codes(self, c: Case) -> None:
        """The rubric raises exactly the expected class, a RubricError and HtxRulesError."""
        error = compile_error(c.text)
        assert type(error) is c.exception
        assert isinstance(error, RubricError)
        assert isinstance(error, HtxRulesError)
        assert Counter(error.codes) == Counter(c.all_codes)
        assert str(error) == error.render("vi")

    @pytest.mark.parametrize("c", params("position"))
    def test_points_at_the_offending_token(self, c: Case) -> None:
        """The diagnostic's span starts at the expected line and column of the file."""
        span = diagnostic_of(c).span
        assert span is not None
        assert (span.file, span.line, span.column) == (FILE, c.line, c.column)

    @pytest.mark.parametrize("c", params("vi"))
    def test_renders_in_vietnamese(self, c: Case) -> None:
        """Position, message, source line, carets and hint read as written, in Vietnamese."""
        assert diagnostic_of(c).render("vi") == c.expected_render("vi")

    @pytest.mark.parametrize("c", params("en"))
    def test_renders_in_english(self, c: Case) -> None:
        """Position, message, source line, carets and hint read as written, in English."""
        assert diagnostic_of(c).render("en") == c.expected_render("en")


def emitted_codes() -> set[str]:
    """Every diagnostic code written in the parser, builder, checker and loader sources."""
    found: set[str] = set()
    for module in ("parser", "builder", "checker", "rubric"):
        source = (ROOT / "htx_rules" / f"{module}.py").read_text(encoding="utf-8")
        found |= {
            word
            for word in re.findall(r'"([a-z0-9]+(?:-[a-z0-9]+)*)"', source)
            if word in CATALOG and not word.startswith(("hint-", "token-"))
        }
    # The loader also names the evidence-side "unknown-contestant", not a rubric diagnostic.
    return found - {"unknown-contestant"}


class TestCoverage:
    """The table and the dedicated tests cover every code the front end can emit."""

    def test_every_emitted_code_has_a_case(self) -> None:
        """No diagnostic code of the front end is left without a test."""
        covered = {c.code for c in CASES} | set(DEDICATED) | set(UNREACHABLE)
        missing = emitted_codes() - covered
        assert not missing, sorted(missing)

    def test_unreachable_codes_are_still_in_the_sources(self) -> None:
        """An unreachable code leaves :data:`UNREACHABLE` for :data:`REMOVED` once its
        dead code is removed; a removed code is in neither the sources nor the catalog."""
        assert set(UNREACHABLE) <= emitted_codes()
        assert not set(UNREACHABLE) & {c.code for c in CASES}
        assert not set(UNREACHABLE) & set(REMOVED)
        sources = "".join(
            (ROOT / "htx_rules" / f"{module}.py").read_text(encoding="utf-8")
            for module in ("parser", "builder", "checker", "rubric", "messages")
        )
        for code in REMOVED:
            assert code not in CATALOG, code
            assert f'"{code}"' not in sources, code
            assert code not in {c.code for c in CASES}, code

    def test_every_case_names_a_catalogued_code(self) -> None:
        """Each case's code has a message in both languages in the catalog."""
        for c in CASES:
            assert c.code in CATALOG, c.name
            assert c.code in emitted_codes(), c.name

    def test_case_names_are_unique(self) -> None:
        """Each case has its own name (the pytest id and golden-file stem)."""
        names = [c.name for c in CASES]
        assert len(names) == len(set(names))


# ---------------------------------------------------------------- hints that depend on the word


class TestSuggestions:
    """Did-you-mean hints appear for near names and only for them."""

    def test_near_field_is_suggested(self) -> None:
        """A one-letter slip in a field name suggests the declared field."""
        text = small('htx_moi count "Số HTX mới"', 'criterion I.1 "C" max 2\n  2 if htx_mio >= 1')
        diagnostic = first(compile_error(text), "unknown-field")
        assert diagnostic.hint == "hint-did-you-mean"
        assert diagnostic.hint_text("vi") == "có phải là 'htx_moi'?"
        assert diagnostic.hint_text("en") == "did you mean 'htx_moi'?"

    def test_far_field_gives_no_suggestion(self) -> None:
        """A name like no declared field gives no hint line at all."""
        text = small('htx_moi count "Số HTX mới"', 'criterion I.1 "C" max 2\n  2 if doanh_thu >= 1')
        diagnostic = first(compile_error(text), "unknown-field")
        assert diagnostic.hint is None
        assert "hint:" not in diagnostic.render("en")
        assert "gợi ý:" not in diagnostic.render("vi")

    def test_unknown_requires_suggests_a_sibling(self) -> None:
        """An unknown id in ``requires`` suggests the nearest existing criterion."""
        text = small(
            criteria='criterion I.1 "C" max 1\n  1 if x\ncriterion I.2 "C" max 1\n'
            "  requires I1\n  1 if x"
        )
        diagnostic = first(compile_error(text), "unknown-item")
        assert diagnostic.hint_text("en") == "did you mean 'I.1'?"


# ---------------------------------------------------------------- several errors


class TestSeveralErrors:
    """Independent errors in one file are all reported, in file order."""

    def test_checker_reports_every_error_in_file_order(self) -> None:
        """Five independent meaning errors come back together, sorted by line and column."""
        text = small(
            'per count "Số lượt"\nx yes/no "X"\nx count "X lần hai"\np percent "P"',
            'criterion I.1 "C" max 1\n  1 if so_lan >= 1\ncriterion I.2 "C" max 1\n  1 if p >= 90',
            total="3",
        )
        error = compile_error(text)
        assert type(error) is RubricCompileError
        assert error.codes == (
            "total-mismatch",
            "keyword-name",
            "duplicate-field",
            "unknown-field",
            "percent-literal",
        )
        positions = [(d.span.line, d.span.column) for d in error.diagnostics if d.span]
        assert positions == [(3, 3), (8, 3), (10, 3), (15, 10), (17, 15)]
        assert error.render("en") == "\n\n".join(d.render("en") for d in error.diagnostics)
        assert error.code == "total-mismatch"
        assert error.span == error.diagnostics[0].span

    def test_builder_reports_every_error_in_file_order(self) -> None:
        """A bad date, an empty label and a bound in percent are reported together."""
        text = lines(
            *HEAD,
            "  deadline 2021-02-30",
            "evidence",
            '  x yes/no ""',
            '  c count "C" to 5%',
            'part I "P" max 2',
            '  criterion I.1 "C" max 2',
            "    2 if x",
        )
        error = compile_error(text)
        assert error.codes == ("invalid-date", "empty-label", "bound-unit")
        assert [d.span.line for d in error.diagnostics if d.span] == [4, 6, 7]

    def test_two_cycles_are_both_reported(self) -> None:
        """Two separate circles of criteria give one diagnostic each."""
        text = small(
            criteria='criterion I.1 "C" max 0.5\n  requires I.2\n  0.5 if x\n'
            'criterion I.2 "C" max 0.5\n  requires I.1\n  0.5 if x\n'
            'criterion I.3 "C" max 0.5\n  points of I.4\n'
            'criterion I.4 "C" max 0.5\n  points of I.3',
        )
        error = compile_error(text)
        assert error.codes == ("cycle", "cycle")
        assert [d.message("en") for d in error.diagnostics] == [
            "criteria depend on each other in a circle: I.1 → I.2 → I.1",
            "criteria depend on each other in a circle: I.3 → I.4 → I.3",
        ]

    def test_builder_errors_are_in_file_order_with_no_parts(self) -> None:
        """A file without parts and with an empty label lists line 1 first."""
        error = compile_error(lines(*HEAD, "evidence", '  x yes/no ""'))
        assert [d.span.line for d in error.diagnostics if d.span] == [1, 5]
        assert error.codes == ("no-parts", "empty-label")

    def test_wrong_part_maximum_does_not_also_report_the_total(self) -> None:
        """A part whose criteria do not add up is reported alone; the total once it is fixed."""
        wrong_part = small(
            criteria='criterion I.1 "C" max 1.5\n  1.5 if x', part_max="2", total="3"
        )
        assert compile_error(wrong_part).codes == ("part-max-mismatch",)
        right_part = small(
            criteria='criterion I.1 "C" max 1.5\n  1.5 if x', part_max="1.5", total="3"
        )
        error = compile_error(right_part)
        assert error.codes == ("total-mismatch",)
        assert error.diagnostics[0].message("en") == (
            "the declared total is 3 but the parts add up to 1.5"
        )

    def test_builder_and_checker_errors_are_reported_together(self) -> None:
        """An impossible date in the header and an unknown field are both reported."""
        text = (
            small()
            .replace("deadline 2021-12-20", "deadline 2021-02-30")
            .replace("2 if x", "2 if y")
        )
        assert compile_error(text).codes == ("invalid-date", "unknown-field")

    def test_an_impossible_deadline_is_not_also_missing(self) -> None:
        """A rule using ``deadline`` after an impossible deadline date: one error, not
        a second one saying the rubric declares no deadline."""
        text = small(
            'x yes/no "X"\nd date "D"', 'criterion I.1 "C" max 2\n  2 if d <= deadline'
        ).replace("deadline 2021-12-20", "deadline 2021-02-30")
        assert compile_error(text).codes == ("invalid-date",)

    def test_a_structure_error_stops_before_the_checker(self) -> None:
        """A section given twice hides its fields from the checker: only it is reported,
        not the unknown fields that would only be its echo."""
        text = small(
            'x yes/no "X"', 'criterion I.1 "C" max 2\n  2 if z', tail='evidence\n  z yes/no "Z"'
        )
        assert compile_error(text).codes == ("duplicate-section",)


# ---------------------------------------------------------------- carets and text


class TestCarets:
    """Carets sit under the offending token whatever the characters before it."""

    def test_caret_after_vietnamese_label(self) -> None:
        """Precomposed Vietnamese letters before the token take one column each."""
        text = lines(
            *HEAD,
            *EVIDENCE,
            'part I "Công tác chỉ đạo" max 2',
            '  criterion I.1 "Có quyết định thành lập" max 1,5',
            "    2 if x",
        )
        rendered = compile_error(text).render("vi").splitlines()
        assert rendered[1] == '  7 |   criterion I.1 "Có quyết định thành lập" max 1,5'
        assert rendered[2] == "    | " + " " * 47 + "^"
        assert rendered[2].index("^") == rendered[1].index(",")

    def test_caret_after_decomposed_label(self) -> None:
        """Text typed in decomposed Unicode is read composed: one column per letter."""
        composed = "Có quyết định thành lập"
        label = unicodedata.normalize("NFD", composed)
        assert len(label) > len(composed)
        text = lines(
            *HEAD,
            *EVIDENCE,
            'part I "P" max 2',
            f'  criterion I.1 "{label}" max 1,5',
            "    2 if x",
        )
        error = compile_error(text)
        assert error.span is not None
        assert error.span.column == 25 + len(composed) == 48
        rendered = error.render("en").splitlines()
        assert rendered[1] == f'  7 |   criterion I.1 "{composed}" max 1,5'
        assert rendered[2] == "    | " + " " * 47 + "^"
        assert rendered[2].index("^") == rendered[1].index(",")

    def test_multi_line_span_underlines_its_first_line(self) -> None:
        """A diagnostic over a whole block underlines its first line to the end."""
        text = small(
            'c one of a, b, d "C"', 'criterion I.1 "C" max 2\n  by c   \n    a -> 2\n    b -> 1'
        )
        rendered = first(compile_error(text), "choice-not-covered").render("en").splitlines()
        assert rendered[1] == "  12 |     by c   "
        assert rendered[2] == "     |     ^^^^"

    def test_single_quoted_label_points_at_the_quote(self) -> None:
        """A label in single quotes points at the quote and says to use double quotes."""
        error = compile_error(lines(*HEAD, "evidence", "  x yes/no 'X'", *PART))
        assert type(error) is RubricSyntaxError
        assert error.codes == ("syntax-character",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (5, 12)
        assert error.render("vi").endswith('\ngợi ý: đặt nhãn trong ngoặc kép "..."')
        assert error.render("en").endswith('\nhint: put labels in double quotes "..."')
        assert error.render("en").splitlines()[2] == "    |            ^"


# ---------------------------------------------------------------- encoding


class TestEncoding:
    """A rubric file that is not UTF-8 is reported, not decoded wrongly."""

    def test_latin1_file_is_reported_with_its_position(self, tmp_path: Path) -> None:
        """A byte that is not UTF-8 gives not-utf8 at its line and column, with a hint."""
        path = tmp_path / "cu.rules"
        path.write_bytes(lines(*HEAD, "evidence", '  x yes/no "Có"').encode("latin-1"))
        with pytest.raises(RubricCompileError) as info:
            htx_rules.load(path)
        error = info.value
        assert isinstance(error, RubricError)
        assert error.codes == ("not-utf8",)
        assert error.render("vi") == (
            f"{path}:5:14: lỗi: tệp không phải văn bản UTF-8\n"
            '  5 |   x yes/no "C\ufffd"\n'
            "    |              ^\n"
            "gợi ý: lưu tệp với bảng mã UTF-8"
        )
        assert error.render("en") == (
            f"{path}:5:14: error: the file is not UTF-8 text\n"
            '  5 |   x yes/no "C\ufffd"\n'
            "    |              ^\n"
            "hint: save the file with UTF-8 encoding"
        )

    def test_column_counts_characters_not_bytes(self, tmp_path: Path) -> None:
        """A stray Windows-1258 byte after Vietnamese letters is located by character."""
        path = tmp_path / "tron.rules"
        good = lines(*HEAD, "evidence").encode("utf-8")
        path.write_bytes(good + '  x yes/no "Tiêu chí '.encode() + b'\xe9"\n')
        with pytest.raises(RubricCompileError) as info:
            htx_rules.load(path)
        span = info.value.span
        assert span is not None
        assert (span.line, span.column) == (5, 22)
        rendered = info.value.render("en").splitlines()
        assert rendered[1] == '  5 |   x yes/no "Tiêu chí \ufffd"'
        assert rendered[2].index("^") == rendered[1].index("\ufffd")

    def test_crlf_line_is_shown_without_its_carriage_return(self, tmp_path: Path) -> None:
        """With Windows line endings the shown line ends at its last character."""
        path = tmp_path / "crlf.rules"
        path.write_bytes(b'rubric r "R"\r\n  year 2021\r\n  x \xe9\xe9 "C"\r\n')
        with pytest.raises(RubricCompileError) as info:
            htx_rules.load(path)
        rendered = info.value.render("en").splitlines()
        assert rendered[0] == f"{path}:3:5: error: the file is not UTF-8 text"
        assert rendered[1] == '  3 |   x \ufffd\ufffd "C"'


# ---------------------------------------------------------------- defects found and fixed


class TestFixedDefects:
    """Defects these tests once found, since fixed: each test keeps its fix in place."""

    @pytest.mark.parametrize(
        "text",
        ["", "# chỉ có ghi chú\n", "\n   \n\n", "# một\n\n  # hai"],
        ids=["empty", "comment", "blank-lines", "comments-and-blanks"],
    )
    def test_empty_file_is_reported_as_empty(self, text: str) -> None:
        """An empty, blank or comment-only file says so at 1:1 and says how to start."""
        error = compile_error(text)
        assert type(error) is RubricSyntaxError
        assert error.codes == ("syntax-empty",)
        assert error.diagnostics[0].hint == "hint-start-rubric"
        assert error.render("vi").startswith("test.rules:1:1: lỗi: tệp bảng điểm trống\n")
        assert error.render("en").endswith(
            "\nhint: start with a line 'rubric rubric_id \"Title\"' (see docs/language.md)"
        )

    def test_empty_file_shows_no_source_line(self) -> None:
        """With no line to show, the rendering is the message and the hint alone."""
        assert compile_error("").render("en") == (
            "test.rules:1:1: error: the rubric file is empty\n"
            "hint: start with a line 'rubric rubric_id \"Title\"' (see docs/language.md)"
        )

    def test_file_ending_inside_a_construct_is_eof(self) -> None:
        """A file that stops after a line needing a block ends too early, after that line."""
        error = compile_error('rubric r "R"  # tiêu đề\n')
        assert error.codes == ("syntax-eof",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (1, 13)
        assert error.diagnostics[0].message("en") == (
            "the file ends too early; expected an indented block"
        )

    def test_points_of_itself_is_a_cycle(self) -> None:
        """A criterion scoring ``points of`` itself is a circle of one."""
        error = compile_error(small(criteria='criterion I.1 "C" max 2\n  points of I.1'))
        assert error.codes == ("cycle",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (12, 5)
        assert error.diagnostics[0].message("en") == (
            "criteria depend on each other in a circle: I.1 → I.1"
        )

    def test_requires_never_suggests_the_criterion_itself(self) -> None:
        """``requires I.2`` inside I.1, with no other criterion, suggests nothing."""
        error = compile_error(small(criteria='criterion I.1 "C" max 2\n  requires I.2\n  2 if x'))
        assert error.codes == ("unknown-item",)
        assert error.diagnostics[0].hint is None

    def test_comparing_two_choice_fields_names_them(self) -> None:
        """The message names both choice fields, which is what differs."""
        text = small(
            'c one of a, b "C"\ne one of a, b "E"', 'criterion I.1 "C" max 2\n  2 if c = e'
        )
        diagnostic = first(compile_error(text), "compare-mismatch")
        assert diagnostic.message("en") == "cannot compare a choice of 'c' with a choice of 'e'"
        assert diagnostic.message("vi") == (
            "không thể so sánh lựa chọn của 'c' với lựa chọn của 'e'"
        )

    def test_arity_of_one(self) -> None:
        """``floor(n, 2)`` says floor takes 1 argument(s), without a bare plural."""
        text = small('n count "N"', 'criterion I.1 "C" max 2\n  floor(n, 2)')
        diagnostic = first(compile_error(text), "call-arity")
        assert diagnostic.message("en") == "floor takes 1 argument(s); here it has 2"
        assert diagnostic.message("vi") == "hàm floor nhận 1 đối số, ở đây có 2"
        assert diagnostic.span is not None
        assert (diagnostic.span.column, diagnostic.span.end_column) == (5, 16)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            (
                lines(
                    *HEAD, *EVIDENCE, 'part I "P" max 2', '  critarion I.1 "C" max 2', "    2 if x"
                ),
                "criterion",
            ),
            (lines(*HEAD, *EVIDENCE, 'part I "P" mx 2', *PART[1:]), "max"),
            (lines(*HEAD, "evidence", '  x cuont "X"', *PART), "count"),
            (lines(*HEAD, "evidnce", '  x yes/no "X"', *PART), "evidence"),
        ],
        ids=["critarion", "mx", "cuont", "evidnce"],
    )
    def test_misspelt_keyword_is_suggested(self, text: str, word: str) -> None:
        """A keyword with one slip is a syntax error whose hint names the keyword."""
        error = compile_error(text)
        assert error.codes == ("syntax-unexpected",)
        assert error.render("en").endswith(f"\nhint: did you mean '{word}'?")

    def test_unexpected_word_is_shown_whole(self) -> None:
        """``half_up`` is shown and underlined whole, not as ``half``, with a suggestion."""
        error = compile_error(lines(*HEAD, "  rounding 2 decimals half_up", *EVIDENCE, *PART))
        assert error.codes == ("syntax-unexpected",)
        assert error.render("en").splitlines() == [
            "test.rules:4:23: error: unexpected 'half_up' here; expected 'down', 'half-even', "
            "'half-up', 'up'",
            "  4 |   rounding 2 decimals half_up",
            "    |                       ^^^^^^^",
            "hint: did you mean 'half-up'?",
        ]

    @pytest.mark.parametrize(
        ("scoring", "keyword", "word"),
        [("2 ifx", "if", "ifx"), ("1 perx", "per", "perx"), ("2 iff x", "if", "iff")],
        ids=["ifx", "perx", "iff"],
    )
    def test_keyword_glued_to_a_name_is_an_error(
        self, scoring: str, keyword: str, word: str
    ) -> None:
        """``2 ifx`` (a missing space) is a syntax error at the keyword, not ``2 if x``."""
        text = small(criteria=f'criterion I.1 "C" max 2\n  {scoring}')
        with pytest.raises(RubricSyntaxError) as info:
            htx_rules.loads(text, name=FILE)
        error = info.value
        assert error.codes == ("syntax-glued-keyword",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (12, 7)
        assert error.span.end_column == 7 + len(word)
        assert error.diagnostics[0].message("en") == (
            f"the keyword '{keyword}' runs into the next word: '{word}'"
        )
        assert error.diagnostics[0].hint == "hint-space-after-keyword"

    def test_misspelt_if_is_pointed_at(self) -> None:
        """``2 iff x`` points at ``iff``."""
        error = compile_error(small(criteria='criterion I.1 "C" max 2\n  2 iff x'))
        assert error.span is not None
        assert (error.span.line, error.span.column) == (12, 7)

    def test_fat_arrow_gets_the_arrow_hint(self) -> None:
        """``dung_han => 2`` in a ``by`` block says to use ``->``."""
        text = small(
            'c one of dung_han, tre_han "C"',
            'criterion I.1 "C" max 2\n  by c\n    dung_han => 2\n    tre_han -> 1',
        )
        error = compile_error(text)
        assert error.codes == ("syntax-unexpected",)
        assert error.span is not None
        assert (error.span.line, error.span.column, error.span.end_column) == (13, 16, 18)
        assert error.diagnostics[0].hint == "hint-arrow"
        assert error.diagnostics[0].message("en").startswith("unexpected '=>' here;")
        assert error.diagnostics[0].message("vi").startswith("không mong đợi '=>' ở đây;")

    def test_stray_colon_gets_the_colon_hint(self) -> None:
        """``max 2:`` says where a colon belongs."""
        text = lines(
            *HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 2:', "    2 if x"
        )
        error = compile_error(text)
        assert error.diagnostics[0].hint == "hint-colon"

    @pytest.mark.parametrize("quote", ['"', "“"], ids=["straight", "curly"])
    def test_unclosed_label_gets_a_hint(self, quote: str) -> None:
        """A label missing its closing quote points at the opening quote with a hint."""
        text = lines(
            *HEAD,
            *EVIDENCE,
            'part I "P" max 2',
            f"  criterion I.1 {quote}Có quyết định max 2",
            "    2 if x",
        )
        error = compile_error(text)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (7, 17)
        assert error.diagnostics[0].hint == "hint-close-quote"
        assert error.render("en").endswith(
            '\nhint: a label must close its double quote on the same line: "..."'
        )

    def test_quote_character_is_named_readably(self) -> None:
        """A single quote is shown in guillemets, not as ``'''``."""
        error = compile_error(lines(*HEAD, "evidence", "  x yes/no 'X'", *PART))
        assert "'''" not in error.diagnostics[0].message("vi")
        assert "'''" not in error.diagnostics[0].message("en")
        assert error.diagnostics[0].message("en") == "a character that does not belong here: «'»"

    def test_missing_condition_mentions_a_field_name(self) -> None:
        """``2 if`` with nothing after says a field name could come next."""
        error = compile_error(small(criteria='criterion I.1 "C" max 2\n  2 if'))
        assert error.codes == ("syntax-line-ends",)
        assert "một tên" in error.render("vi")
        assert "a name" in error.render("en")

    def test_line_ends_caret_ignores_a_trailing_comment(self) -> None:
        """``max   # tối đa 2 điểm`` points just after ``max``."""
        text = lines(
            *HEAD,
            *EVIDENCE,
            'part I "P" max 2',
            '  criterion I.1 "C" max   # tối đa 2 điểm',
            "    2 if x",
        )
        error = compile_error(text)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (7, 24)

    def test_block_missing_caret_ignores_a_trailing_comment(self) -> None:
        """``by c   # theo c`` with no block below points just after ``by c``."""
        text = lines(
            *HEAD,
            "evidence",
            '  c one of a, b "C"',
            'part I "P" max 2',
            '  criterion I.1 "C" max 1',
            "    by c   # theo c",
            '  criterion I.2 "C" max 1',
            "    1",
        )
        error = compile_error(text)
        assert error.codes == ("syntax-block-missing",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (8, 9)

    def test_decomposed_vietnamese_name_compiles(self) -> None:
        """A rubric typed in decomposed Unicode compiles to the model of its NFC form."""
        text = small('số_htx count "Số HTX"', 'criterion I.1 "C" max 2\n  2 if số_htx >= 1')
        expected = htx_rules.loads(text).model
        decomposed = unicodedata.normalize("NFD", text)
        assert htx_rules.loads(decomposed).model == expected

    def test_percent_plus_plain_number_does_not_say_compared(self) -> None:
        """``p + 5`` is percent-literal-sum, not described as a comparison."""
        text = small('p percent "P"', 'criterion I.1 "C" max 2\n  2 if p + 5 > 50%')
        error = compile_error(text)
        assert error.codes == ("percent-literal-sum",)
        diagnostic = error.diagnostics[0]
        assert "compared" not in diagnostic.message("en")
        assert "so sánh" not in diagnostic.message("vi")
        assert "added to or taken from the number 5" in diagnostic.message("en")

    def test_repeated_value_in_a_longer_arm_says_to_remove_the_value(self) -> None:
        """``a, b -> 1`` after ``a -> 2``: the hint is to remove the value, not the line."""
        text = small(
            'c one of a, b "C"', 'criterion I.1 "C" max 2\n  by c\n    a -> 2\n    a, b -> 1'
        )
        error = compile_error(text)
        assert error.codes == ("duplicate-choice-arm",)
        diagnostic = error.diagnostics[0]
        assert diagnostic.hint == "hint-remove-duplicate-value"
        assert diagnostic.hint_text("vi") == "xóa giá trị lặp lại"
        assert diagnostic.hint_text("en") == "remove the repeated value"

    def test_value_repeated_in_the_same_arm_is_not_said_to_be_above(self) -> None:
        """``a, a -> 2`` points at the second ``a`` and does not say "on a line above"."""
        text = small(
            'c one of a, b "C"', 'criterion I.1 "C" max 2\n  by c\n    a, a -> 2\n    b -> 1'
        )
        error = compile_error(text)
        assert error.codes == ("duplicate-choice-arm",)
        diagnostic = error.diagnostics[0]
        assert diagnostic.span is not None
        assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (
            13,
            10,
            11,
        )
        assert "above" not in diagnostic.message("en")
        assert "dòng trên" not in diagnostic.message("vi")
        assert diagnostic.message("en") == "value 'a' is already given points earlier"

    @pytest.mark.parametrize(
        ("modifier", "column"),
        [("requires I.2", 17), ('note "Ghi chú"', 19), ("requires I.2   # cần I.2", 17)],
        ids=["requires", "note", "requires-with-comment"],
    )
    def test_criterion_without_scoring_is_not_a_missing_block(
        self, modifier: str, column: int
    ) -> None:
        """A criterion holding only ``requires`` or ``note`` is told its scoring line is
        missing (syntax-no-scoring), just after that line's content, not to indent a block."""
        text = small(
            criteria=f'criterion I.1 "C" max 1\n  {modifier}\ncriterion I.2 "C" max 1\n  1 if x'
        )
        error = compile_error(text)
        assert type(error) is RubricSyntaxError
        assert error.codes == ("syntax-no-scoring",)
        assert error.span is not None
        assert (error.span.line, error.span.column, error.span.end_column) == (
            12,
            column,
            column + 1,
        )
        assert error.diagnostics[0].hint == "hint-add-scoring"
        assert "below it" not in error.render("en")
        assert "bên dưới" not in error.render("vi")
        assert error.diagnostics[0].message("en") == "the criterion has no scoring line"
        assert error.diagnostics[0].message("vi") == "tiêu chí chưa có dòng cách tính điểm"

    def test_by_without_arms_is_still_a_missing_block(self) -> None:
        """Only ``requires`` and ``note`` lines give syntax-no-scoring: ``by c`` with no
        arms below still needs its block."""
        text = small(
            'c one of a, b "C"',
            'criterion I.1 "C" max 1\n  requires I.2\n  by c\ncriterion I.2 "C" max 1\n  1 if x',
        )
        error = compile_error(text)
        assert error.codes == ("syntax-block-missing",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (13, 9)
        assert error.diagnostics[0].message("en") == "this line needs an indented block below it"


# ---------------------------------------------------------------- syntax messages


class TestSyntaxMessages:
    """What the parser says was expected, and where indentation goes wrong."""

    def test_names_and_numbers_come_before_keywords(self) -> None:
        """``2 if`` lists a name and a number first, then keywords, cut after ten."""
        message = first(
            compile_error(small(criteria='criterion I.1 "C" max 2\n  2 if')), "syntax-line-ends"
        ).message("en")
        assert message.startswith(
            "the line ends too early; expected a name (such as an evidence field), a number, "
        )
        assert message.index("a number") < message.index("'")
        assert message.endswith(", …")
        assert "a whole number" not in message

    def test_whole_number_is_folded_into_number(self) -> None:
        """Where a decimal or a whole number may come, only "a number" is named."""
        maximum = compile_error(lines(*HEAD, *EVIDENCE, 'part I "P" max', *PART[1:]))
        assert maximum.diagnostics[0].message("en") == "the line ends too early; expected a number"
        assert maximum.diagnostics[0].message("vi") == (
            "dòng kết thúc khi còn thiếu nội dung; cần một số"
        )
        year = compile_error(lines('rubric r "R"', "  year", "  total 2", *EVIDENCE, *PART))
        assert year.diagnostics[0].message("en") == (
            "the line ends too early; expected a whole number"
        )

    def test_bad_dedent_underlines_the_indentation(self) -> None:
        """The carets cover the indentation that matches no block; the hint says how to indent."""
        text = lines(
            *HEAD,
            *EVIDENCE,
            'part I "P" max 2',
            '  criterion I.1 "C" max 1',
            "    1 if x",
            '   criterion I.2 "C" max 1',
            "    1 if x",
        )
        diagnostic = first(compile_error(text), "syntax-dedent")
        assert diagnostic.span is not None
        span = diagnostic.span
        assert (span.line, span.column, span.end_line, span.end_column) == (9, 1, 9, 4)
        assert diagnostic.hint == "hint-indent-consistent"
        assert diagnostic.message("en").startswith(
            "an indentation of 3 space(s) matches no enclosing block "
            "(the valid indentations here: 0, 2"
        )

    def test_indent_error_skips_a_comment_line_above(self) -> None:
        """An over-indented line after a comment line is pointed at, not the comment."""
        text = lines('rubric r "R"', "  year 2021", "  # ghi chú", "    total 2", *EVIDENCE, *PART)
        error = compile_error(text)
        assert error.codes == ("syntax-indent",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (4, 5)

    def test_comment_indented_with_a_tab_is_not_a_tab_error(self) -> None:
        """Only lines with content are checked for tabs in their indentation."""
        text = lines(*HEAD, *EVIDENCE, *PART[:2], "\t# ghi chú", "    2 if x")
        assert htx_rules.loads(text, name=FILE).model.parts[0].criteria[0].id == "I.1"
        error = compile_error(lines(*HEAD, *EVIDENCE, *PART[:2], "  \t2 if x"))
        assert error.codes == ("syntax-tab",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (8, 3)


# ---------------------------------------------------------------- plain points


POINTS_WITH_UNITS = {
    "criterion-max-percent": lines(
        *HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 2%', "    2 if x"
    ),
    "criterion-max-money": lines(
        *HEAD, *EVIDENCE, 'part I "P" max 2', '  criterion I.1 "C" max 2 đồng', "    2 if x"
    ),
    "part-max-percent": lines(*HEAD, *EVIDENCE, 'part I "P" max 2%', *PART[1:]),
    "total-percent": lines('rubric r "R"', "  year 2021", "  total 2%", *EVIDENCE, *PART),
    "step-percent": lines(*HEAD, "  step 0.5%", *EVIDENCE, *PART),
    "minimum-percent": small(tail='awards\n  place 1 "Nhất" 10.000.000 đồng\n  minimum 50%'),
    "bonus-max-percent": small(tail='bonus "B" max 1%\n  rule B1 "b" max 1\n    1 if x'),
    "rule-max-money": small(tail='bonus "B" max 1\n  rule B1 "b" max 1.000 đ\n    1 if x'),
}


class TestPlainPoints:
    """Points, maxima, totals, ``step`` and ``minimum`` are plain numbers in the grammar."""

    @pytest.mark.parametrize("name", sorted(POINTS_WITH_UNITS))
    def test_points_with_a_unit_are_a_syntax_error(self, name: str) -> None:
        """A % or đồng after points is refused by the parser (so points-unit never occurs)."""
        error = compile_error(POINTS_WITH_UNITS[name])
        assert type(error) is RubricSyntaxError
        assert "points-unit" not in error.codes

    def test_the_unit_is_pointed_at(self) -> None:
        """``max 2%`` points at the ``%``; ``max 2 đồng`` at ``đồng``."""
        percent = compile_error(POINTS_WITH_UNITS["criterion-max-percent"]).span
        money = compile_error(POINTS_WITH_UNITS["criterion-max-money"]).span
        assert percent is not None
        assert money is not None
        assert (percent.line, percent.column) == (7, 26)
        assert (money.line, money.column, money.end_column) == (7, 27, 31)

    @pytest.mark.parametrize("name", sorted(POINTS_WITH_UNITS))
    def test_the_unit_gets_the_plain_points_hint(self, name: str) -> None:
        """``max 2%``, ``total 2%``, ``minimum 50%``, ``max 2 đồng``…: the hint says these
        are plain numbers, in both languages."""
        error = compile_error(POINTS_WITH_UNITS[name])
        assert type(error) is RubricSyntaxError
        assert error.diagnostics[0].hint == "hint-points-plain"
        assert error.render("vi").endswith(
            "\ngợi ý: điểm, điểm tối đa, tổng điểm và điểm tối thiểu viết bằng số thường, "
            "không có % hay đồng"
        )
        assert error.render("en").endswith(
            "\nhint: points, maxima, totals and minimum scores are plain numbers, without % or đồng"
        )

    def test_plain_points_still_compile(self) -> None:
        """Without the unit the same rubrics compile (the error is the unit alone)."""
        fixed = POINTS_WITH_UNITS["minimum-percent"].replace("minimum 50%", "minimum 1.5")
        awards = htx_rules.loads(fixed).model.awards
        assert awards is not None
        assert awards.minimum == Decimal("1.5")


# ---------------------------------------------------------------- meaning messages


class TestCheckerMessages:
    """Percent literals in sums, choice values in ``by`` arms, missing header lines."""

    @pytest.mark.parametrize(
        ("condition", "column"),
        [("p + 5 > 50%", 14), ("5 - p > 50%", 10), ("p - 10 >= 0%", 14)],
        ids=["p-plus-5", "5-minus-p", "p-minus-10"],
    )
    def test_percent_plus_plain_number(self, condition: str, column: int) -> None:
        """Adding a plain number to a percentage is a percent-literal-sum error at the
        number, which does not call it a comparison."""
        text = small('p percent "P"', f'criterion I.1 "C" max 2\n  2 if {condition}')
        error = compile_error(text)
        assert error.codes == ("percent-literal-sum",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == (12, column)
        diagnostic = error.diagnostics[0]
        assert diagnostic.hint == "hint-percent-literal"
        number = "10" if "10" in condition else "5"
        assert diagnostic.message("en") == (
            f"a percentage is added to or taken from the number {number}, which has no % sign"
        )
        assert diagnostic.message("vi") == (
            f"cộng hoặc trừ tỷ lệ phần trăm với số {number} không có dấu %"
        )
        assert diagnostic.hint_text("en") == f"write percentages with a % sign: {number}%"

    def test_percent_compared_with_plain_number_is_still_percent_literal(self) -> None:
        """A comparison keeps percent-literal (the comparison text); only sums changed."""
        text = small('p percent "P"', 'criterion I.1 "C" max 2\n  2 if p + 5% > 50')
        diagnostic = first(compile_error(text), "percent-literal")
        assert compile_error(text).codes == ("percent-literal",)
        assert diagnostic.message("en") == (
            "a percentage is compared with the number 50, which has no % sign"
        )

    @pytest.mark.parametrize("condition", ["p + 0 > 50%", "p * 2 > 50%", "p + 5% > 50%"])
    def test_percent_arithmetic_that_is_fine(self, condition: str) -> None:
        """Adding zero, multiplying, or adding a percentage gives no error."""
        text = small('p percent "P"', f'criterion I.1 "C" max 2\n  2 if {condition}')
        assert htx_rules.loads(text).model.parts[0].criteria[0].id == "I.1"

    def test_unknown_value_in_a_by_arm_points_at_the_value(self) -> None:
        """In ``a, zz -> 2`` the caret is under ``zz``."""
        text = small(
            'c one of a, b "C"',
            'criterion I.1 "C" max 2\n  by c\n    a, zz -> 2\n    otherwise -> 0',
        )
        diagnostic = first(compile_error(text), "unknown-choice-value")
        assert diagnostic.span is not None
        span = diagnostic.span
        assert (span.line, span.column, span.end_column) == (13, 10, 12)

    def test_repeated_value_in_a_longer_arm_points_at_the_value(self) -> None:
        """In ``a, b -> 1`` after ``a -> 2`` the caret is under the repeated ``a``."""
        text = small(
            'c one of a, b "C"', 'criterion I.1 "C" max 2\n  by c\n    a -> 2\n    a, b -> 1'
        )
        diagnostic = first(compile_error(text), "duplicate-choice-arm")
        assert diagnostic.span is not None
        span = diagnostic.span
        assert (span.line, span.column, span.end_column) == (14, 7, 8)
        assert diagnostic.message("en") == "value 'a' is already given points earlier"
        assert diagnostic.message("vi") == "giá trị 'a' đã được cho điểm trước đó"
        assert diagnostic.hint == "hint-remove-duplicate-value"
        assert diagnostic.hint_text("en") == "remove the repeated value"

    def test_choice_not_covered_quotes_every_value(self) -> None:
        """Two values without points are both quoted, in the message and the hint."""
        text = small('c one of a, b, d "C"', 'criterion I.1 "C" max 2\n  by c\n    a -> 2')
        diagnostic = first(compile_error(text), "choice-not-covered")
        assert diagnostic.message("vi") == "chưa cho điểm giá trị 'b', 'd' của trường 'c'"
        assert diagnostic.message("en") == (
            "no points are given for the value(s) 'b', 'd' of field 'c'"
        )
        assert diagnostic.hint_text("en") == "add lines for 'b', 'd', or an 'otherwise -> 0' line"

    def test_missing_year_and_total_are_both_reported(self) -> None:
        """A header with neither line names each in its own diagnostic and hint."""
        error = compile_error(lines('rubric r "R"', "  deadline 2021-12-20", *EVIDENCE, *PART))
        assert error.codes == ("missing-header-item", "missing-header-item")
        assert [d.message("vi") for d in error.diagnostics] == [
            "phần đầu bảng điểm thiếu dòng 'year'",
            "phần đầu bảng điểm thiếu dòng 'total'",
        ]
        assert [d.hint_text("vi") for d in error.diagnostics] == [
            "thêm dòng 'year ...' vào phần đầu, thụt lề dưới dòng 'rubric'",
            "thêm dòng 'total ...' vào phần đầu, thụt lề dưới dòng 'rubric'",
        ]

    def test_repeated_places_give_no_order_error(self) -> None:
        """Places 1, 3, 3 report the repeated 3 only, with the line of the first."""
        text = small(
            tail='awards\n  place 1 "Nhất" 10.000.000 đồng\n  place 3 "Ba" 7.000.000 đồng\n'
            '  place 3 "Ba" 5.000.000 đồng'
        )
        error = compile_error(text)
        assert error.codes == ("duplicate-place",)
        assert error.diagnostics[0].message("en") == "place 3 is already declared on line 16"

    def test_maximum_on_the_rounding_grid_is_fine(self) -> None:
        """``max 1.50`` with one decimal of rounding is 1.5, on the grid: no error."""
        text = small(
            criteria='criterion I.1 "C" max 1.50\n  1.5 if x\ncriterion I.2 "C" max 0.5\n  0.5 if x'
        ).replace("rounding 2 decimals", "rounding 1 decimals")
        assert "rounding 1 decimals" in text
        assert htx_rules.loads(text).model.parts[0].criteria[0].maximum == Decimal("1.5")
        off = (
            text.replace("max 1.50\n    1.5 if x", "max 1.55\n    1.55 if x")
            .replace("max 0.5\n", "max 0.45\n")
            .replace("0.5 if x", "0.45 if x")
        )
        assert compile_error(off).codes == ("max-off-grid", "max-off-grid")


# ---------------------------------------------------------------- known defects


class TestKnownDefects:
    """Correct behaviour the front end does not have yet (each a strict xfail)."""

    def test_fat_arrow_after_a_threshold_gets_the_arrow_hint(self) -> None:
        """``>= 80% => 2`` is shown as an unexpected '=>' with the arrow hint, as in a
        choice arm."""
        text = small(
            'p percent "P"', 'criterion I.1 "C" max 2\n  by p\n    >= 80% => 2\n    otherwise -> 0'
        )
        error = compile_error(text)
        assert error.codes == ("syntax-unexpected",)
        assert error.span is not None
        assert (error.span.line, error.span.column, error.span.end_column) == (13, 14, 16)
        assert error.diagnostics[0].hint == "hint-arrow"
        assert error.diagnostics[0].message("en").startswith("unexpected '=>' here;")

    @pytest.mark.parametrize(
        ("evidence", "scoring", "at"),
        [
            ('p percent "P"', "2 if p >= 80 %", (12, 18)),
            ('p percent "P" from 10 %', "2 if p >= 80%", (8, 25)),
        ],
        ids=["condition", "bound"],
    )
    def test_percent_sign_that_is_not_after_points_gets_no_points_hint(
        self, evidence: str, scoring: str, at: tuple[int, int]
    ) -> None:
        """A stray % where a percentage (not points) is written is not told that points
        are plain numbers."""
        error = compile_error(small(evidence, f'criterion I.1 "C" max 2\n  {scoring}'))
        assert error.codes == ("syntax-character",)
        assert error.span is not None
        assert (error.span.line, error.span.column) == at
        assert error.diagnostics[0].hint != "hint-points-plain"
        assert "points, maxima" not in error.render("en")

    @pytest.mark.parametrize("scoring", ["round(n, 2", "2 if (n > 1"], ids=["call", "group"])
    def test_parenthesis_left_open_at_the_end_says_so(self, scoring: str) -> None:
        """An unclosed parenthesis at the end of the file says a closing parenthesis is
        expected (as it does when another line follows), not that a block is missing."""
        error = compile_error(small('n count "N"', f'criterion I.1 "C" max 2\n  {scoring}'))
        assert type(error) is RubricSyntaxError
        assert "syntax-block-missing" not in error.codes
        assert "a closing parenthesis )" in error.render("en")
        assert "dấu đóng ngoặc )" in error.render("vi")
        assert "indented block" not in error.render("en")


# ---------------------------------------------------------------- golden files


GOLDEN_BASE = """\
rubric thi_dua_2021 "Thi đua phát triển kinh tế tập thể năm 2021"
  year 2021
  total 10
  deadline 2021-12-20
  rounding 2 decimals half-up

evidence
  bcd_quyet_dinh  yes/no  "Có quyết định thành lập Ban Chỉ đạo"
  htx_moi         count   "Số HTX thành lập mới"
  chi_tieu_htx    count   "Chỉ tiêu HTX được giao"
  ty_le_dai_hoi   percent "Tỷ lệ HTX đại hội đúng hạn"
  ngay_nop        date    "Ngày nộp báo cáo"
  bao_cao_nam     one of  "Báo cáo tổng kết năm"
    dung_han  "Gửi đúng hạn"
    tre_han   "Gửi trễ hạn"
    khong_gui "Không gửi"

part I "Công tác chỉ đạo" max 6
  criterion I.1 "Có quyết định thành lập Ban Chỉ đạo" max 2
    2 if bcd_quyet_dinh
  criterion I.2 "Đại hội thành viên thường niên" max 2
    by ty_le_dai_hoi
      >= 80% -> 2
      >= 60% -> 1
      otherwise -> 0
  criterion I.3 "Báo cáo tổng kết năm" max 2
    by bao_cao_nam
      dung_han -> 2
      tre_han -> 1
      khong_gui -> 0

part II "Phát triển hợp tác xã" max 4
  criterion II.1 "Thành lập mới HTX so với chỉ tiêu" max 4
    target htx_moi of chi_tieu_htx: linear

deduction "Điểm trừ" max 2
  rule D1 "Gửi báo cáo sau hạn" max 2
    2 if ngay_nop > deadline
"""


def edited(*changes: tuple[str, str]) -> str:
    """:data:`GOLDEN_BASE` with each ``(old, new)`` replaced once (``old`` must be there)."""
    text = GOLDEN_BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


GOLDEN_CASES: dict[str, str] = {
    "decimal-comma": edited(('Ban Chỉ đạo" max 2', 'Ban Chỉ đạo" max 1,5')),
    "misspelt-field": edited(("2 if bcd_quyet_dinh", "2 if bcd_quyetdinh")),
    "keyword-as-field-name": edited(
        ("  ngay_nop        date", "  date            date"),
        ("2 if ngay_nop > deadline", "2 if date > deadline"),
    ),
    "percent-without-sign": edited((">= 80% -> 2", ">= 80 -> 2")),
    "part-maxima": edited(
        (
            'Ban Chỉ đạo" max 2\n    2 if bcd_quyet_dinh',
            'Ban Chỉ đạo" max 2.5\n    2.5 if bcd_quyet_dinh',
        )
    ),
    "criterion-maxima": edited(
        (
            '  criterion I.1 "Có quyết định thành lập Ban Chỉ đạo" max 2\n    2 if bcd_quyet_dinh',
            '  criterion I.1 "Ban Chỉ đạo" max 2\n'
            '    criterion I.1.a "Có quyết định thành lập" max 1.5\n'
            "      1.5 if bcd_quyet_dinh\n"
            '    criterion I.1.b "Có quy chế hoạt động" max 1\n'
            "      1 if bcd_quyet_dinh",
        )
    ),
    "total-mismatch": edited(("  total 10", "  total 100")),
    "duplicate-id": edited(('criterion I.3 "Báo cáo', 'criterion I.2 "Báo cáo')),
    "cycle-of-three": edited(
        ("max 2\n    2 if bcd_quyet_dinh", "max 2\n    requires I.2\n    2 if bcd_quyet_dinh"),
        ("max 2\n    by ty_le_dai_hoi", "max 2\n    requires I.3\n    by ty_le_dai_hoi"),
        ("max 2\n    by bao_cao_nam", "max 2\n    requires I.1\n    by bao_cao_nam"),
    ),
    "choice-not-covered": edited(("      khong_gui -> 0\n", "")),
    "arm-after-otherwise": edited(
        ("      >= 60% -> 1\n      otherwise -> 0", "      otherwise -> 0\n      >= 60% -> 1")
    ),
    "tab-indentation": edited(("    2 if bcd_quyet_dinh", "\t2 if bcd_quyet_dinh")),
    "invalid-date": edited(("deadline 2021-12-20", "deadline 2021-11-31")),
    "no-deadline": edited(("  deadline 2021-12-20\n", "")),
    "date-plus-count": edited(("2 if ngay_nop > deadline", "2 if ngay_nop + htx_moi > deadline")),
    "glued-keyword": edited(("2 if bcd_quyet_dinh", "2 ifbcd_quyet_dinh")),
    "block-missing": edited(
        ("      dung_han -> 2\n      tre_han -> 1\n      khong_gui -> 0\n", "")
    ),
    "max-off-grid": edited(
        (
            'Ban Chỉ đạo" max 2\n    2 if bcd_quyet_dinh',
            'Ban Chỉ đạo" max 2.125\n    2.125 if bcd_quyet_dinh',
        ),
        ('Đại hội thành viên thường niên" max 2', 'Đại hội thành viên thường niên" max 1.875'),
        (">= 80% -> 2", ">= 80% -> 1.875"),
    ),
    "no-scoring": edited(
        ("max 2\n    2 if bcd_quyet_dinh", 'max 2\n    note "Theo quyết định của UBND huyện"')
    ),
    "percent-plus-number": edited(("by ty_le_dai_hoi", "by ty_le_dai_hoi + 5")),
    "several-errors": edited(
        ("  total 10", "  total 12"),
        ("2 if bcd_quyet_dinh", "2 if bcd_quyetdinh"),
        (">= 60% -> 1", ">= 60 -> 1"),
    ),
}

GOLDEN_NAME = "bang-diem-2021.rules"


def golden_text(text: str) -> str:
    """What a golden file holds: the full error in Vietnamese, then in English."""
    with pytest.raises(RubricError) as info:
        htx_rules.loads(text, name=GOLDEN_NAME)
    error = info.value
    return f"[vi]\n{error.render('vi')}\n\n[en]\n{error.render('en')}\n"


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file byte for byte, or rewrite it."""
    data = actual.encode("utf-8")
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing; run pytest --update-goldens and review it"
    assert path.read_bytes().decode("utf-8") == actual, f"{path} differs"


class TestGoldenErrors:
    """The full text of representative errors, as policy staff will read them."""

    def test_golden_base_compiles(self) -> None:
        """The rubric every golden case edits is itself free of errors."""
        rubric = htx_rules.loads(GOLDEN_BASE, name=GOLDEN_NAME)
        assert [p.id for p in rubric.model.parts] == ["I", "II"]

    @pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
    def test_error_text_matches_golden(self, name: str, update_goldens: bool) -> None:
        """The Vietnamese and English renderings equal ``tests/golden/errors/<name>.txt``."""
        check_golden(GOLDEN_ERRORS / f"{name}.txt", golden_text(GOLDEN_CASES[name]), update_goldens)

    def test_no_stray_golden_files(self) -> None:
        """Every file in the golden folder belongs to a case (no stale leftovers)."""
        present = {path.name for path in GOLDEN_ERRORS.glob("*")}
        assert present == {f"{name}.txt" for name in GOLDEN_CASES}

    def test_goldens_cover_at_least_twelve_codes(self) -> None:
        """The golden set is representative: a dozen different diagnostic codes or more."""
        codes: set[str] = set()
        for text in GOLDEN_CASES.values():
            with pytest.raises(RubricError) as info:
                htx_rules.loads(text, name=GOLDEN_NAME)
            codes |= set(info.value.codes)
        assert len(codes) >= 12, sorted(codes)
