"""Every text htx_rules shows to people, in Vietnamese and English.

Messages are looked up by a stable code (``unknown-field``), listed with their
meaning in ``docs/errors.md``; a test keeps the two in step.  Arguments are
formatted for the reader's language: ``Decimal`` as ``1,5`` or ``1.5``, and any
object with a ``localize(lang)`` method by that method.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from htx_rules.decimals import Lang, format_number

# code: (Vietnamese, English)
CATALOG: Final[dict[str, tuple[str, str]]] = {
    # ------------------------------------------------------------ syntax
    "syntax-character": (
        "ký tự không hợp lệ ở đây: «{char}»",
        "a character that does not belong here: «{char}»",
    ),
    "syntax-unexpected": (
        "không mong đợi '{token}' ở đây; cần {expected}",
        "unexpected '{token}' here; expected {expected}",
    ),
    "syntax-line-ends": (
        "dòng kết thúc khi còn thiếu nội dung; cần {expected}",
        "the line ends too early; expected {expected}",
    ),
    "syntax-eof": (
        "tệp kết thúc khi còn thiếu nội dung; cần {expected}",
        "the file ends too early; expected {expected}",
    ),
    "syntax-indent": (
        "dòng này thụt lề sâu hơn dòng trên mà không mở khối mới",
        "this line is indented deeper than the line above, which opens no block",
    ),
    "syntax-dedent": (
        "thụt lề {found} dấu cách không khớp với khối nào ở trên (các mức thụt lề hợp lệ ở đây: {levels})",
        "an indentation of {found} space(s) matches no enclosing block (the valid indentations here: {levels})",
    ),
    "syntax-tab": ("dùng ký tự tab để thụt lề", "a tab character is used for indentation"),
    "not-utf8": ("tệp không phải văn bản UTF-8", "the file is not UTF-8 text"),
    "fmt-unsafe": (
        "định dạng lại '{file}' sẽ làm đổi nghĩa bảng điểm hoặc mất chú thích; tệp được giữ nguyên (đây là lỗi của htx_rules, xin báo lại)",
        "reformatting '{file}' would change what the rubric means or lose a comment; the file is left as it is (a defect of htx_rules: please report it)",
    ),
    # ------------------------------------------------------------ tokens named in syntax errors
    "token-NAME": ("một tên (ví dụ tên trường minh chứng)", "a name (such as an evidence field)"),
    "token-ITEM_ID": ("một mã tiêu chí (ví dụ I.1.a)", "a criterion id (such as I.1.a)"),
    "token-STRING": ("một nhãn trong ngoặc kép", "a label in double quotes"),
    "token-INT": ("một số nguyên", "a whole number"),
    "token-DECIMAL": ("một số", "a number"),
    "token-PERCENTAGE": ("một tỷ lệ phần trăm (ví dụ 80%)", "a percentage (such as 80%)"),
    "token-AMOUNT": (
        "một số tiền (ví dụ 10.000.000 đồng)",
        "an amount of money (such as 10.000.000 đồng)",
    ),
    "token-DATE": (
        "một ngày (năm-tháng-ngày, ví dụ 2021-12-20)",
        "a date (year-month-day, such as 2021-12-20)",
    ),
    "token-COMPARE": (
        "một phép so sánh (>=, <=, >, <, =, !=)",
        "a comparison (>=, <=, >, <, =, !=)",
    ),
    "token-ADD_OP": ("dấu + hoặc -", "+ or -"),
    "token-MUL_OP": ("dấu * hoặc /", "* or /"),
    "token-_ARROW": ("mũi tên ->", "an arrow ->"),
    "token-_NL": ("xuống dòng", "the end of the line"),
    "token-_INDENT": ("một khối thụt lề", "an indented block"),
    "token-_DEDENT": ("bớt thụt lề (kết thúc khối)", "the end of the indented block"),
    "token-COMMA": ("dấu phẩy", "a comma"),
    "token-COLON": ("dấu hai chấm", "a colon"),
    "token-$END": ("hết tệp", "the end of the file"),
    "syntax-block-missing": (
        "dòng này cần một khối thụt lề bên dưới",
        "this line needs an indented block below it",
    ),
    "syntax-glued-keyword": (
        "từ khóa '{keyword}' dính liền với chữ phía sau: '{word}'",
        "the keyword '{keyword}' runs into the next word: '{word}'",
    ),
    "syntax-empty": (
        "tệp bảng điểm trống",
        "the rubric file is empty",
    ),
    "syntax-no-scoring": (
        "tiêu chí chưa có dòng cách tính điểm",
        "the criterion has no scoring line",
    ),
    "token-LPAR": (
        "dấu mở ngoặc (",
        "an opening parenthesis (",
    ),
    "token-RPAR": (
        "dấu đóng ngoặc )",
        "a closing parenthesis )",
    ),
    # ------------------------------------------------------------ structure
    "empty-label": ("nhãn để trống", "the label is empty"),
    "expression-too-deep": (
        "biểu thức lồng quá sâu (quá {limit} phép tính lồng nhau)",
        "the expression is nested too deeply (more than {limit} operations inside each other)",
    ),
    "invalid-date": ("ngày không tồn tại: {value}", "there is no such date: {value}"),
    "duplicate-section": (
        "mục '{section}' đã có ở dòng {line}",
        "the '{section}' section already appears on line {line}",
    ),
    "no-parts": (
        "bảng điểm chưa có phần nào ('{kw:part}')",
        "the rubric has no part ('{kw:part}')",
    ),
    "duplicate-header-item": (
        "'{item}' đã được khai báo ở dòng {line}",
        "'{item}' is already given on line {line}",
    ),
    "missing-header-item": (
        "phần đầu bảng điểm thiếu dòng '{item}'",
        "the rubric header has no '{item}' line",
    ),
    "header-positive-points": (
        "'{item}' phải là một số dương, không có % hay đồng",
        "'{item}' must be a positive number, without % or đồng",
    ),
    "period-reversed": ("ngày kết thúc trước ngày bắt đầu", "the period ends before it starts"),
    "estimate-before-end": (
        "ngày ước tính trước ngày kết thúc",
        "the estimate date is before the end of the period",
    ),
    "unknown-language": (
        "ngôn ngữ '{value}' không được hỗ trợ",
        "language '{value}' is not supported",
    ),
    "rounding-places": (
        "làm tròn tới {value} chữ số thập phân là quá nhiều (tối đa 10)",
        "rounding to {value} decimals is too many (at most 10)",
    ),
    "choice-without-values": (
        "trường lựa chọn '{kw:one of}' chưa liệt kê giá trị nào",
        "the '{kw:one of}' field lists no values",
    ),
    "values-without-choice": (
        "chỉ trường kiểu '{kw:one of}' mới có danh sách giá trị",
        "only a '{kw:one of}' field has a list of values",
    ),
    "duplicate-option": ("'{option}' được ghi hai lần", "'{option}' is given twice"),
    "bound-on-type": (
        "trường kiểu {type} không có giới hạn from/to",
        "a field of type {type} has no from/to bounds",
    ),
    "bound-unit": (
        "giới hạn không đúng đơn vị của trường kiểu {type}",
        "the bound is not in the unit of a field of type {type}",
    ),
    "prize-unit": ("tiền thưởng phải là số tiền", "a prize must be an amount of money"),
    # ------------------------------------------------------------ meaning
    "total-mismatch": (
        "tổng điểm chuẩn khai báo là {total} nhưng các phần cộng lại được {sum}",
        "the declared total is {total} but the parts add up to {sum}",
    ),
    "part-max-mismatch": (
        "phần {id} có tối đa {max} điểm nhưng các tiêu chí cộng lại được {sum}",
        "part {id} is worth {max} points but its criteria add up to {sum}",
    ),
    "criterion-max-mismatch": (
        "tiêu chí {id} có tối đa {max} điểm nhưng các tiêu chí con cộng lại được {sum}",
        "criterion {id} is worth {max} points but its sub-criteria add up to {sum}",
    ),
    "max-off-grid": (
        "điểm tối đa {max} có nhiều chữ số thập phân hơn quy tắc làm tròn ({places} chữ số), nên không bao giờ đạt được",
        "the maximum {max} has more decimals than the rounding rule ({places}), so it can never be reached",
    ),
    "max-not-positive": (
        "điểm tối đa của {id} phải lớn hơn 0",
        "the maximum of {id} must be more than 0",
    ),
    "keyword-name": (
        "'{name}' là từ khóa của ngôn ngữ, không dùng làm tên",
        "'{name}' is a keyword of the language and cannot be a name",
    ),
    "points-with-unit": (
        "điểm viết bằng số thường, không có % hay đồng",
        "points are plain numbers, without % or đồng",
    ),
    "duplicate-document": (
        "giấy tờ '{name}' đã có trong hồ sơ ở dòng {line}",
        "document '{name}' is already in the dossier on line {line}",
    ),
    "dossier-outside-eligibility": (
        "'{kw:dossier complete}' chỉ dùng trong dòng '{kw:eligible if}' của mục '{kw:awards}'",
        "'{kw:dossier complete}' can only be used in an '{kw:eligible if}' line of the '{kw:awards}' section",
    ),
    "no-dossier": (
        "dùng '{kw:dossier complete}' nhưng bảng điểm chưa có mục '{kw:dossier}'",
        "'{kw:dossier complete}' is used but the rubric has no '{kw:dossier}' section",
    ),
    "duplicate-field": (
        "trường minh chứng '{name}' đã khai báo ở dòng {line}",
        "evidence field '{name}' is already declared on line {line}",
    ),
    "duplicate-choice": (
        "giá trị '{name}' của trường '{field}' bị lặp",
        "value '{name}' of field '{field}' is listed twice",
    ),
    "choice-too-few": (
        "trường lựa chọn '{name}' cần ít nhất hai giá trị",
        "choice field '{name}' needs at least two values",
    ),
    "bounds-reversed": (
        "giới hạn dưới của '{name}' lớn hơn giới hạn trên",
        "the lower bound of '{name}' is above its upper bound",
    ),
    "bound-outside-type": (
        "giới hạn của '{name}' nằm ngoài miền giá trị của kiểu {type}",
        "a bound of '{name}' lies outside what a {type} can be",
    ),
    "bound-not-whole": (
        "giới hạn của trường đếm '{name}' phải là số nguyên",
        "the bounds of count field '{name}' must be whole numbers",
    ),
    "duplicate-contestant": (
        "mã đơn vị '{name}' đã có ở dòng {line}",
        "unit code '{name}' is already listed on line {line}",
    ),
    "duplicate-contestant-name": (
        "tên đơn vị '{name}' đã có ở dòng {line}",
        "unit name '{name}' is already listed on line {line}",
    ),
    "duplicate-part": (
        "phần '{name}' đã có ở dòng {line}",
        "part '{name}' already appears on line {line}",
    ),
    "duplicate-id": (
        "mã '{name}' đã được dùng ở dòng {line}",
        "id '{name}' is already used on line {line}",
    ),
    "requires-self": ("{id} không thể yêu cầu chính nó", "{id} cannot require itself"),
    "unknown-item": (
        "không có tiêu chí hay quy tắc nào mã '{name}'",
        "there is no criterion or rule '{name}'",
    ),
    "unknown-part": ("không có phần nào mã '{name}'", "there is no part '{name}'"),
    "unknown-field": ("không có trường minh chứng '{name}'", "there is no evidence field '{name}'"),
    "unknown-choice-value": (
        "'{name}' không phải là giá trị của trường '{field}' (các giá trị: {values})",
        "'{name}' is not a value of field '{field}' (its values: {values})",
    ),
    "ambiguous-name": (
        "'{name}' vừa là tên trường vừa là giá trị của trường '{field}'",
        "'{name}' is both a field and a value of field '{field}'",
    ),
    "cycle": (
        "các tiêu chí phụ thuộc vòng tròn: {cycle}",
        "criteria depend on each other in a circle: {cycle}",
    ),
    "unit-mismatch": (
        "không thể kết hợp {left} với {right}",
        "cannot combine {left} with {right}",
    ),
    "compare-mismatch": (
        "không thể so sánh {left} với {right}",
        "cannot compare {left} with {right}",
    ),
    "compare-order": (
        "{kind} chỉ so sánh bằng (=) hoặc khác (!=), không dùng '{op}'",
        "{kind} can only be compared with = or !=, not '{op}'",
    ),
    "percent-literal-sum": (
        "cộng hoặc trừ tỷ lệ phần trăm với số {value} không có dấu %",
        "a percentage is added to or taken from the number {value}, which has no % sign",
    ),
    "percent-literal": (
        "so sánh tỷ lệ phần trăm với số {value} không có dấu %",
        "a percentage is compared with the number {value}, which has no % sign",
    ),
    "arithmetic-type": (
        "không thể dùng {kind} trong phép '{op}'",
        "{kind} cannot be used in '{op}'",
    ),
    "call-arity": (
        "hàm {function} nhận {expected} đối số, ở đây có {count}",
        "{function} takes {expected} argument(s); here it has {count}",
    ),
    "round-places": (
        "số chữ số làm tròn phải là số nguyên từ 0 đến 10",
        "the number of decimals to round to must be a whole number from 0 to 10",
    ),
    "points-not-number": (
        "điểm phải là một số, ở đây là {kind}",
        "points must be a number; this is {kind}",
    ),
    "expected-number": (
        "cần một số, ở đây là {kind}",
        "a number is needed here; this is {kind}",
    ),
    "expected-condition": (
        "cần một điều kiện đúng/sai, ở đây là {kind}",
        "a yes/no condition is needed here; this is {kind}",
    ),
    "no-deadline": (
        "dùng '{kw:deadline}' nhưng phần đầu bảng điểm chưa khai báo hạn nộp",
        "'{kw:deadline}' is used but the rubric header declares none",
    ),
    "step-size": (
        "bậc thiếu hụt phải là một tỷ lệ lớn hơn 0% và không quá 100%",
        "the shortfall step must be a percentage above 0% and at most 100%",
    ),
    "by-yes-no": (
        "'{kw:by}' không dùng với trường có/không",
        "'{kw:by}' is not used with a yes/no value",
    ),
    "choice-not-covered": (
        "chưa cho điểm giá trị {values} của trường '{field}'",
        "no points are given for the value(s) {values} of field '{field}'",
    ),
    "arm-after-otherwise": (
        "dòng này nằm sau '{kw:otherwise}' nên không bao giờ được xét",
        "this line comes after '{kw:otherwise}' and can never be reached",
    ),
    "threshold-on-choice": (
        "trường lựa chọn không dùng ngưỡng so sánh",
        "a choice field takes no comparison thresholds",
    ),
    "choice-arm-on-number": (
        "{kind} cần ngưỡng so sánh (ví dụ >= 80% -> 10), không phải tên giá trị",
        "{kind} needs comparison thresholds (such as >= 80% -> 10), not value names",
    ),
    "duplicate-choice-arm": (
        "giá trị '{name}' đã được cho điểm trước đó",
        "value '{name}' is already given points earlier",
    ),
    "place-order": (
        "hạng {rank} không đúng thứ tự; cần hạng {expected}",
        "place {rank} is out of order; place {expected} was expected",
    ),
    "duplicate-place": (
        "hạng {rank} đã được khai báo ở dòng {line}",
        "place {rank} is already declared on line {line}",
    ),
    "minimum-too-high": (
        "điểm tối thiểu {minimum} cao hơn tổng điểm chuẩn {total}",
        "the minimum score {minimum} is above the total of {total}",
    ),
    "no-section": ("bảng điểm không có mục '{section}'", "the rubric has no '{section}' section"),
    "tie-direction": (
        "không thể xếp '{direction}' theo trường '{name}' kiểu {type}",
        "cannot break ties by '{direction}' on field '{name}' of type {type}",
    ),
    "unknown-contestant": (
        "đơn vị '{value}' không có trong danh sách của bảng điểm ({known})",
        "unit '{value}' is not listed in the rubric ({known})",
    ),
    # ------------------------------------------------------------ check: warnings and notes
    "max-unreachable": (
        "{id} cho nhiều nhất {high} điểm, không bao giờ đạt điểm tối đa {max}",
        "{id} can give at most {high} points, so its maximum of {max} is never reached",
    ),
    "total-unreachable": (
        "điểm chuẩn cao nhất có thể đạt là {high}, thấp hơn tổng điểm {total} (tiêu chí không đạt được điểm tối đa: {items})",
        "the standard points can reach at most {high}, below the total of {total} (criteria that cannot reach their maximum: {items})",
    ),
    "points-above-max": (
        "{points} điểm nhiều hơn điểm tối đa {max} của {id}, nên không bao giờ được cho đủ",
        "{points} points is more than {id}'s maximum of {max}, so it is never given in full",
    ),
    "cap-never-binds": (
        "giới hạn '{kw:at most} {cap}' không bao giờ có tác dụng: phần tính theo đơn vị của {id} cao nhất là {high}",
        "the cap '{kw:at most} {cap}' never binds: the per-unit amount of {id} is at most {high}",
    ),
    "cap-above-max": (
        "giới hạn '{kw:at most} {cap}' cao hơn điểm tối đa {max} của {id}: điểm tối đa giới hạn trước, nên giới hạn này không bao giờ thay đổi số điểm",
        "the cap '{kw:at most} {cap}' is above {id}'s maximum of {max}: the maximum limits the points first, so the cap never changes them",
    ),
    "section-cap-never-binds": (
        "các quy tắc của {section} có tổng nhiều nhất {sum} điểm, không vượt mức tối đa {max} của mục, nên mức này không bao giờ có tác dụng",
        "the rules of {section} add up to at most {sum} points, not above its maximum of {max}, so that maximum never binds",
    ),
    "rule-never-fires": (
        "quy tắc {id} của {section} không bao giờ cho điểm: với mọi minh chứng hợp lệ, nó cho 0 điểm",
        "rule {id} of {section} never gives points: for any valid evidence it gives 0",
    ),
    "threshold-unreachable": (
        "ngưỡng này không bao giờ đạt: {subject} chỉ có thể là {range}",
        "this threshold is never met: {subject} can only be {range}",
    ),
    "threshold-duplicate": (
        "ngưỡng này trùng với dòng {line} phía trên nên không bao giờ được chọn",
        "this threshold repeats line {line} above, so it is never taken",
    ),
    "threshold-order": (
        "dòng này không bao giờ được chọn: mọi giá trị thỏa ngưỡng này đã được dòng {lines} phía trên nhận",
        "this line is never taken: every value that meets it is taken by line(s) {lines} above",
    ),
    "otherwise-never-taken": (
        "dòng '{kw:otherwise}' không bao giờ được chọn: các dòng phía trên đã nhận mọi giá trị có thể",
        "the '{kw:otherwise}' line is never taken: the lines above take every possible value",
    ),
    "condition-never-holds": (
        "điều kiện này không bao giờ đúng với minh chứng hợp lệ",
        "this condition never holds for valid evidence",
    ),
    "condition-always-holds": (
        "điều kiện này luôn đúng với mọi minh chứng hợp lệ",
        "this condition holds for all valid evidence",
    ),
    "arm-after-always": (
        "dòng này không bao giờ được xét: điều kiện ở dòng {line} phía trên luôn đúng",
        "this line is never reached: the condition on line {line} above always holds",
    ),
    "threshold-not-monotone": (
        "số điểm các mức không thay đổi theo một chiều: mức này cho {points} điểm, trong khi mức ở dòng {line} cho {previous} và mức ở dòng {next_line} cho {next}",
        "the points of the levels do not move in one direction: this level gives {points}, the level on line {line} {previous} and the level on line {next_line} {next}",
    ),
    "field-unused": (
        "trường minh chứng '{name}' được khai báo nhưng không quy tắc, điều kiện hay cách xếp hạng nào đọc",
        "evidence field '{name}' is declared but no rule, condition or tie-break reads it",
    ),
    "duplicate-label": (
        "nhãn của '{name}' trùng với nhãn của '{other}' ở dòng {line}",
        "the label of '{name}' is the same as that of '{other}' on line {line}",
    ),
    "points-off-step": (
        "{points} điểm không phải bội số của bước điểm {step} khai báo ở phần đầu",
        "{points} points is not a multiple of the step {step} declared in the header",
    ),
    "clamped-to-max": (
        "{id} có thể cho nhiều hơn điểm tối đa {max} (cao nhất: {high}); phần vượt bị bỏ, điểm dừng ở {max}",
        "{id} can give more than its maximum of {max} (up to: {high}); its points stop at {max}",
    ),
    "hint-max-unreachable": (
        "sửa điểm tối đa thành {high}, hoặc sửa cách tính điểm để đạt được {max} điểm",
        "change the maximum to {high}, or the scoring so that {max} can be reached",
    ),
    "hint-total-unreachable": (
        "xem cảnh báo ở từng tiêu chí: tổng điểm {total} chỉ đạt được khi mọi tiêu chí đạt được điểm tối đa",
        "see the warning on each criterion: the total of {total} is reached only if every criterion can reach its maximum",
    ),
    "hint-points-above-max": (
        "ghi số điểm không quá {max}, hoặc tăng điểm tối đa của {id}",
        "give at most {max} points here, or raise the maximum of {id}",
    ),
    "hint-cap-never-binds": (
        "bỏ '{kw:at most} {cap}', hoặc kiểm tra lại mức giới hạn và giới hạn {kw:from}/{kw:to} của trường minh chứng",
        "remove '{kw:at most} {cap}', or check the cap and the {kw:from}/{kw:to} bounds of the evidence field",
    ),
    "hint-cap-above-max": (
        "ghi giới hạn không quá {max}, hoặc bỏ '{kw:at most}'",
        "give a cap of at most {max}, or remove '{kw:at most}'",
    ),
    "hint-section-cap-never-binds": (
        "kiểm tra điểm tối đa của các quy tắc; nếu đã đúng, ghi mức tối đa của mục là {sum}",
        "check the maxima of the rules; if they are right, make the section's maximum {sum}",
    ),
    "hint-rule-never-fires": (
        "kiểm tra điều kiện, ngưỡng và số điểm của quy tắc",
        "check the rule's condition, thresholds and points",
    ),
    "hint-threshold-unreachable": (
        "sửa ngưỡng cho nằm trong khoảng đó, hoặc bỏ dòng này",
        "move the threshold into that range, or remove this line",
    ),
    "hint-threshold-order": (
        "xếp các ngưỡng '>=' từ cao xuống thấp, các ngưỡng '<=' từ thấp lên cao: dòng đầu tiên thỏa sẽ được chọn",
        "order '>=' thresholds from the highest down and '<=' thresholds from the lowest up: the first line that holds is taken",
    ),
    "hint-otherwise-never-taken": (
        "bỏ dòng '{kw:otherwise}', hoặc sửa các ngưỡng phía trên",
        "remove the '{kw:otherwise}' line, or correct the thresholds above",
    ),
    "hint-condition-never": (
        "đối chiếu điều kiện với giới hạn {kw:from}/{kw:to} của các trường minh chứng và sửa lại",
        "compare the condition with the {kw:from}/{kw:to} bounds of the evidence fields, and correct it",
    ),
    "hint-condition-always": (
        "sửa điều kiện, hoặc bỏ nó nếu số điểm không phụ thuộc vào điều kiện",
        "correct the condition, or drop it if the points do not depend on it",
    ),
    "hint-arm-after-always": (
        "sửa điều kiện ở dòng {line}, hoặc bỏ các dòng sau nó",
        "correct the condition on line {line}, or remove the lines after it",
    ),
    "hint-threshold-not-monotone": (
        "kiểm tra lại điểm của các mức; nếu đúng ý thì bỏ qua cảnh báo này",
        "check the points of the levels; if this is intended, ignore this warning",
    ),
    "hint-field-unused": (
        "dùng trường này trong một quy tắc, hoặc xóa dòng khai báo",
        "use the field in a rule, or remove its declaration",
    ),
    "hint-duplicate-label": (
        "đặt nhãn khác để người đọc phân biệt được hai mục",
        "give it another label so that readers can tell the two apart",
    ),
    "hint-points-off-step": ("dùng {lower} hoặc {upper}", "use {lower} or {upper}"),
    "hint-clamped-to-max": (
        "đúng như vậy nếu bảng điểm ghi «tối đa {max} điểm»; nếu không, sửa cách tính điểm",
        "that is right if the score table says «at most {max} points»; otherwise correct the scoring",
    ),
    "check-summary": (
        "{file}: {errors} lỗi, {warnings} cảnh báo, {notes} ghi chú",
        "{file}: {errors} error(s), {warnings} warning(s), {notes} note(s)",
    ),
    "check-total": (
        "tổng cộng: {errors} lỗi, {warnings} cảnh báo, {notes} ghi chú",
        "in all: {errors} error(s), {warnings} warning(s), {notes} note(s)",
    ),
    "check-range-between": ("từ {low} đến {high}", "from {low} to {high}"),
    "check-range-from": ("từ {low} trở lên", "{low} or more"),
    "check-range-to": ("không quá {high}", "at most {high}"),
    "check-range-any": ("bất kỳ số nào", "any number"),
    "check-range-whole": ("số nguyên {range}", "a whole number, {range}"),
    # ------------------------------------------------------------ evidence
    "evidence-invalid": ("minh chứng có {count} lỗi", "the evidence has {count} problem(s)"),
    "evidence-not-object": (
        "minh chứng phải là một bảng tên trường → giá trị, không phải '{value}'",
        "evidence must be a mapping of field names to values, not '{value}'",
    ),
    "evidence-unknown-field": (
        "'{field}': bảng điểm không có trường minh chứng này",
        "'{field}': the rubric has no such evidence field",
    ),
    "evidence-wrong-type": (
        "'{field}' ({label}): giá trị '{value}' không phải {type}",
        "'{field}' ({label}): value '{value}' is not a {type}",
    ),
    "evidence-float": (
        "'{field}' ({label}): giá trị '{value}' là số thực nhị phân (float), có thể sai số",
        "'{field}' ({label}): value '{value}' is a binary float, which cannot be exact",
    ),
    "evidence-not-finite": (
        "'{field}' ({label}): giá trị '{value}' không phải một số hữu hạn",
        "'{field}' ({label}): value '{value}' is not a finite number",
    ),
    "evidence-too-large": (
        "'{field}' ({label}): giá trị '{value}' vượt quá giới hạn (phải nằm giữa −{limit} và {limit})",
        "'{field}' ({label}): value '{value}' is beyond the limit (it must lie between −{limit} and {limit})",
    ),
    "evidence-too-precise": (
        "'{field}' ({label}): giá trị '{value}' có quá {places} chữ số thập phân",
        "'{field}' ({label}): value '{value}' has more than {places} decimals",
    ),
    "evidence-not-whole": (
        "'{field}' ({label}): giá trị '{value}' không phải số nguyên",
        "'{field}' ({label}): value '{value}' is not a whole number",
    ),
    "evidence-negative": (
        "'{field}' ({label}): giá trị '{value}' âm, trong khi số đếm phải từ 0 trở lên",
        "'{field}' ({label}): value '{value}' is negative; a count is 0 or more",
    ),
    "evidence-percent-range": (
        "'{field}' ({label}): tỷ lệ '{value}' phải từ 0 đến 100",
        "'{field}' ({label}): percentage '{value}' must be from 0 to 100",
    ),
    "evidence-out-of-bounds": (
        "'{field}' ({label}): giá trị '{value}' nằm ngoài khoảng {low} – {high}",
        "'{field}' ({label}): value '{value}' is outside {low} – {high}",
    ),
    "evidence-invalid-date": (
        "'{field}' ({label}): '{value}' không phải ngày hợp lệ",
        "'{field}' ({label}): '{value}' is not a valid date",
    ),
    "evidence-unknown-choice": (
        "'{field}' ({label}): '{value}' không phải một trong các giá trị {values}",
        "'{field}' ({label}): '{value}' is not one of {values}",
    ),
    "evidence-json": (
        "tệp JSON không hợp lệ ở dòng {line}, cột {column}: {reason}",
        "invalid JSON at line {line}, column {column}: {reason}",
    ),
    "json-expecting-value": ("cần một giá trị", "expecting a value"),
    "json-expecting-comma": ("thiếu dấu phẩy ','", "expecting a ',' delimiter"),
    "json-expecting-colon": ("thiếu dấu hai chấm ':'", "expecting a ':' delimiter"),
    "json-expecting-name": (
        "cần tên khóa trong ngoặc kép",
        "expecting a property name in double quotes",
    ),
    "json-unterminated-string": ("chuỗi chưa đóng ngoặc kép", "unterminated string"),
    "json-control-character": ("ký tự điều khiển không hợp lệ", "invalid control character"),
    "json-extra-data": ("còn dữ liệu thừa sau giá trị", "extra data after the value"),
    "evidence-duplicate-key": (
        "khóa '{field}' xuất hiện hai lần trong tệp; chỉ được ghi một lần",
        "key '{field}' appears twice in the file; give it once",
    ),
    "evidence-not-finite-json": (
        "tệp chứa giá trị '{value}' không phải số hữu hạn",
        "the file holds '{value}', which is not a finite number",
    ),
    "evidence-number-too-long": (
        "tệp chứa một số nguyên có {digits} chữ số ('{value}'), quá dài để là minh chứng",
        "the file holds an integer of {digits} digits ('{value}'), too long to be evidence",
    ),
    "evidence-document-key": (
        "khóa '{field}' không được dùng ở cấp ngoài cùng; chỉ dùng {keys}",
        "key '{field}' is not allowed at the top level; use only {keys}",
    ),
    "evidence-document-text": (
        "'{field}' phải là một chuỗi văn bản, không phải '{value}'",
        "'{field}' must be a text string, not '{value}'",
    ),
    "rubric-mismatch": (
        "tệp minh chứng viết cho bảng điểm '{value}', không phải '{expected}'",
        "the evidence file is written for rubric '{value}', not '{expected}'",
    ),
    "assessment-unknown-criterion": (
        "'{field}': bảng điểm không có tiêu chí do người chấm đánh giá với mã này (các tiêu chí đó: {known})",
        "'{field}': the rubric has no criterion assessed by a reviewer with this id (those criteria: {known})",
    ),
    "assessment-not-object": (
        "'{field}': đánh giá phải gồm điểm (points), người chấm (reviewer) và lý do (justification)",
        "'{field}': an assessment must give points, reviewer and justification",
    ),
    "assessment-unknown-key": (
        "'{field}': đánh giá chỉ gồm points, reviewer, justification; không dùng khóa '{value}'",
        "'{field}': an assessment has only points, reviewer and justification; not key '{value}'",
    ),
    "assessment-no-points": (
        "'{field}': thiếu điểm của người chấm (points)",
        "'{field}': the reviewer's points are missing",
    ),
    "assessment-points": (
        "'{field}': điểm của người chấm phải là một số, không phải {value}",
        "'{field}': the reviewer's points must be a number, not {value}",
    ),
    "assessment-negative": (
        "'{field}': điểm của người chấm không được âm ({value})",
        "'{field}': the reviewer's points cannot be negative ({value})",
    ),
    "assessment-no-reviewer": (
        "'{field}': thiếu tên người chấm",
        "'{field}': the reviewer's name is missing",
    ),
    "assessment-no-justification": (
        "'{field}': thiếu lý do (nhận xét bằng văn bản) của người chấm",
        "'{field}': the reviewer's written justification is missing",
    ),
    # ------------------------------------------------------------ excel
    "excel-unreadable": (
        "không mở được tệp Excel (.xlsx): {reason}",
        "the Excel file (.xlsx) cannot be opened: {reason}",
    ),
    "excel-no-forms": (
        "sổ tính không có trang biểu mẫu tự chấm nào đã điền (trang tạo từ biểu mẫu của htx-rules, có cột khóa ẩn «htx:…»)",
        "the workbook has no filled self-score form (a sheet made from the htx-rules form, with its hidden «htx:…» key column)",
    ),
    "excel-no-contestant": (
        "trang biểu mẫu đã có số liệu nhưng chưa ghi đơn vị dự thi; chọn mã đơn vị ở ô «Đơn vị dự thi»",
        "the form holds values but does not say which unit it is; choose the unit's code in the «Unit» cell",
    ),
    "excel-no-values": (
        "biểu mẫu của đơn vị '{value}' chưa có số liệu báo cáo nào (cột «Số liệu báo cáo»)",
        "the form of unit '{value}' gives no reported value (column «Reported value»)",
    ),
    "excel-rubric-mismatch": (
        "biểu mẫu được tạo cho bảng điểm '{value}', không phải '{expected}'",
        "the form was made for rubric '{value}', not '{expected}'",
    ),
    "excel-unknown-row": (
        "dòng có khóa '{value}' không khớp mục nào của bảng điểm '{rubric}'; biểu mẫu được tạo cho bảng điểm khác?",
        "the row keyed '{value}' matches nothing in rubric '{rubric}'; was the form made for another rubric?",
    ),
    "excel-duplicate-row": (
        "dòng '{value}' có hai lần trong trang (lần đầu ở dòng {row}); xóa một dòng",
        "row '{value}' appears twice on the sheet (first on row {row}); delete one of them",
    ),
    "excel-yes-no": (
        "'{field}' ({label}): ô ghi '{value}'; chọn «có» hoặc «không»",
        "'{field}' ({label}): the cell holds '{value}'; choose «yes» or «no»",
    ),
    "excel-unknown-choice": (
        "'{field}' ({label}): '{value}' không phải một lựa chọn trong danh sách ({choices})",
        "'{field}' ({label}): '{value}' is not one of the choices ({choices})",
    ),
    "excel-not-number": (
        "'{field}' ({label}): ô ghi '{value}', không đọc được thành số",
        "'{field}' ({label}): the cell holds '{value}', which does not read as a number",
    ),
    "excel-ambiguous-number": (
        "'{field}' ({label}): '{value}' có thể là số nguyên {whole} hoặc số thập phân {fraction}",
        "'{field}' ({label}): '{value}' may be the whole number {whole} or the decimal {fraction}",
    ),
    "excel-inexact-number": (
        "'{field}' ({label}): ô chứa số {value}, hơn {digits} chữ số có nghĩa, không phải số nhập tay (có lẽ là kết quả của công thức)",
        "'{field}' ({label}): the cell holds {value}, more than {digits} significant digits, not a typed number (probably a formula's result)",
    ),
    "excel-not-date": (
        "'{field}' ({label}): ô ghi '{value}', không phải một ngày",
        "'{field}' ({label}): the cell holds '{value}', which is not a date",
    ),
    "excel-date-time": (
        "'{field}' ({label}): '{value}' có cả giờ; chỉ ghi ngày",
        "'{field}' ({label}): '{value}' has a time of day; give the date only",
    ),
    "excel-formula-no-value": (
        "'{field}': ô chứa công thức {value} chưa được tính; mở tệp bằng Excel rồi lưu lại, hoặc nhập giá trị",
        "'{field}': the cell holds the formula {value}, never computed; open and save the file in Excel, or type the value",
    ),
    "hint-excel-number": (
        "ghi số kiểu Việt Nam, ví dụ 72,5 hoặc 10.000.000",
        "write a number such as 72.5 or 10000000",
    ),
    "hint-excel-ambiguous": (
        "ghi không có dấu phân cách hàng nghìn (1500), hoặc ghi số thập phân với dấu phẩy (1,5)",
        "write it without a thousands separator (1500), or as a decimal with a decimal comma (1,5)",
    ),
    "hint-excel-round": (
        "nhập đúng giá trị, hoặc làm tròn bằng hàm ROUND",
        "type the exact value, or round it with ROUND",
    ),
    "hint-excel-date": (
        "nhập ngày dạng ngày/tháng/năm, ví dụ 20/12/2021, vào ô định dạng ngày",
        "enter the date as 20/12/2021 (day/month/year) or 2021-12-20, into a date cell",
    ),
    "report-excel-form-sheet": ("Mẫu tự chấm", "Self-score form"),
    "report-excel-form-title": (
        "BIỂU MẪU TỰ CHẤM ĐIỂM THI ĐUA — {title}",
        "SELF-SCORE FORM — {title}",
    ),
    "report-excel-contestant": ("Đơn vị dự thi", "Unit"),
    "report-excel-contestant-hint": (
        "chọn đơn vị trong danh sách (mã — tên đơn vị)",
        "choose the unit from the list (code — name)",
    ),
    "report-excel-rubric": ("Mã bảng điểm", "Rubric id"),
    "report-excel-title": ("Tên bảng điểm", "Rubric title"),
    "report-excel-year": ("Năm", "Year"),
    "report-excel-deadline": ("Hạn gửi báo cáo", "Deadline"),
    "report-excel-claimed-total": ("Tổng điểm tự chấm (nếu ghi)", "Claimed total (if stated)"),
    "report-excel-note": ("Ghi chú", "Note"),
    "report-excel-re-inspected": ("Đã phúc tra", "Re-inspected"),
    "report-excel-re-inspected-hint": (
        "Liên minh HTX tỉnh chọn «có» khi đã phúc tra, kể cả khi phúc tra không thay đổi số liệu nào",
        "the Provincial Cooperative Alliance chooses «yes» once it has re-inspected, even when re-inspection changed no value",
    ),
    "report-excel-legend": (
        "Ô nền vàng: đơn vị dự thi điền. Ô nền xanh: Liên minh HTX tỉnh điền khi phúc tra (để trống: giữ số liệu báo cáo; ghi «—»: không công nhận số liệu báo cáo). Ô để trống: không có số liệu.",
        "Yellow cells: filled in by the unit. Blue cells: filled in by the Provincial Cooperative Alliance at re-inspection (empty: the reported value stands; «—»: the reported value is not accepted). An empty cell gives no value.",
    ),
    "report-excel-section-evidence": ("{number}. MINH CHỨNG (SỐ LIỆU)", "{number}. EVIDENCE"),
    "report-excel-section-claims": ("{number}. BẢNG TỰ CHẤM ĐIỂM", "{number}. SELF-SCORE TABLE"),
    "report-excel-section-assessments": (
        "{number}. ĐÁNH GIÁ CỦA NGƯỜI CHẤM (Liên minh HTX tỉnh điền khi phúc tra)",
        "{number}. REVIEWERS' ASSESSMENTS (filled in by the Provincial Cooperative Alliance)",
    ),
    "report-excel-section-dossier": (
        "{number}. HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG",
        "{number}. AWARD DOSSIER",
    ),
    "report-excel-part": (
        "Phần {id} — {label} (tối đa {max} điểm)",
        "Part {id} — {label} (at most {max} points)",
    ),
    "report-excel-section-max": ("{label} (tối đa {max} điểm)", "{label} (at most {max} points)"),
    "report-excel-col-field": ("Mã trường", "Field"),
    "report-excel-col-type": ("Kiểu", "Type"),
    "report-excel-col-allowed": ("Giá trị hợp lệ", "Allowed values"),
    "report-excel-col-reported": ("Số liệu báo cáo", "Reported value"),
    "report-excel-col-verified": ("Số liệu phúc tra", "Verified value"),
    "report-excel-col-notes": ("Ghi chú", "Notes"),
    "report-excel-col-claimed": ("Điểm tự chấm", "Claimed points"),
    "report-excel-col-guidance": ("Hướng dẫn chấm", "Guidance"),
    "report-excel-col-reviewer": ("Người chấm", "Reviewer"),
    "report-excel-col-justification": ("Lý do", "Justification"),
    "report-excel-col-document": ("Giấy tờ", "Document"),
    "report-excel-col-sent": ("Đã gửi", "Sent"),
    "report-excel-sum-of-children": (
        "tổng các mục con; có thể để trống",
        "the sum of the sub-criteria; may be left empty",
    ),
    "report-excel-assessed-item": (
        "do người chấm đánh giá khi phúc tra",
        "assessed by a reviewer at re-inspection",
    ),
    "report-excel-type-yesno": ("có/không", "yes/no"),
    "report-excel-type-count": ("số đếm", "count"),
    "report-excel-type-number": ("số", "number"),
    "report-excel-type-percent": ("tỷ lệ %", "percentage"),
    "report-excel-type-money": ("số tiền", "money"),
    "report-excel-type-date": ("ngày", "date"),
    "report-excel-type-choice": ("lựa chọn", "choice"),
    "report-excel-allowed-yesno": ("có hoặc không", "yes or no"),
    "report-excel-allowed-choice": ("chọn một: {choices}", "one of: {choices}"),
    "report-excel-allowed-date": (
        "ngày/tháng/năm, ví dụ {example}",
        "a date, such as {example}",
    ),
    "report-excel-allowed-count": ("số nguyên {range}", "a whole number {range}"),
    "report-excel-allowed-number": ("số {range}", "a number {range}"),
    "report-excel-allowed-percent": (
        "tỷ lệ phần trăm {range} (ghi 65 cho 65%)",
        "a percentage {range} (write 65 for 65%)",
    ),
    "report-excel-allowed-money": ("số tiền bằng đồng {range}", "an amount in đồng {range}"),
    "report-excel-allowed-points": ("số điểm {range}", "points {range}"),
    "report-excel-range": ("từ {low} đến {high}", "from {low} to {high}"),
    "report-excel-range-from": ("từ {low} trở lên", "of {low} or more"),
    "report-excel-range-to": ("không quá {high}", "of at most {high}"),
    "report-excel-unit": ("đơn vị tính: {unit}", "counted in: {unit}"),
    "report-excel-dv-title": ("Giá trị không hợp lệ", "Invalid value"),
    "report-excel-dv-error": ("Cần nhập: {allowed}", "Expected: {allowed}"),
    "report-excel-ranking-sheet": ("Xếp hạng", "Ranking"),
    "report-excel-col-verified-total": ("Tổng điểm phúc tra", "Verified total"),
    "report-excel-col-claimed-total": ("Tổng điểm tự chấm", "Claimed total"),
    "report-excel-col-reported-total": ("Tổng điểm theo báo cáo", "Reported total"),
    "report-excel-col-prize": ("Tiền thưởng (đồng)", "Prize (đồng)"),
    "report-excel-col-tie": ("Bằng điểm, đồng hạng", "Ties and shared places"),
    "report-excel-col-difference": ("Khác biệt", "Differs"),
    "report-excel-criteria-head": (
        "Đối chiếu điểm theo tiêu chí: tự chấm, theo báo cáo, phúc tra",
        "Points by criterion: claimed, reported, verified",
    ),
    "report-excel-changes-head": (
        "Số liệu phúc tra thay đổi",
        "Values re-inspection changed",
    ),
    "report-excel-no-changes": (
        "Phúc tra không thay đổi số liệu nào",
        "Re-inspection changed no value",
    ),
    "report-excel-eligibility-head": ("Điều kiện xét giải", "Eligibility for an award"),
    "report-excel-eligible": ("Đủ điều kiện xét giải", "Eligible for an award"),
    # ------------------------------------------------------------ contest input
    "contest-invalid": (
        "hồ sơ thi đua có {count} lỗi",
        "the contest input has {count} problem(s)",
    ),
    "contest-duplicate": (
        "đơn vị '{value}' đã có hồ sơ trong {other}; mỗi đơn vị chỉ một hồ sơ",
        "unit '{value}' already has a submission in {other}; one submission per unit",
    ),
    "contest-no-submissions": (
        "không có hồ sơ nào của đơn vị dự thi",
        "no unit's submission was given",
    ),
    "contest-toml": (
        "tệp TOML không đọc được: {reason}",
        "the TOML file cannot be read: {reason}",
    ),
    "contest-not-table": (
        "'{field}' phải là một bảng các cặp tên = giá trị, không phải {value}",
        "'{field}' must be a table of name = value pairs, not {value}",
    ),
    "contest-no-contestant": (
        "thiếu mã đơn vị dự thi (khóa 'contestant'), ví dụ contestant = \"931\"",
        "the unit's code is missing (key 'contestant'), for example contestant = \"931\"",
    ),
    "contest-no-evidence": (
        "thiếu bảng minh chứng đơn vị báo cáo (bảng 'evidence')",
        "the evidence the unit reported is missing (table 'evidence')",
    ),
    "contest-dossier-list": (
        '\'dossier\' phải là danh sách mã giấy tờ, ví dụ ["to_trinh", "bien_ban"], không phải {value}',
        '\'dossier\' must be a list of document ids, such as ["to_trinh", "bien_ban"], not {value}',
    ),
    "contest-document-twice": (
        "giấy tờ '{value}' được ghi hai lần trong 'dossier'",
        "document '{value}' is listed twice in 'dossier'",
    ),
    "claim-not-number": (
        "'{field}': điểm tự chấm phải là một số, không phải {value}",
        "'{field}': a claimed score must be a number, not {value}",
    ),
    "claim-negative": (
        "'{field}': điểm tự chấm không được âm ({value})",
        "'{field}': a claimed score cannot be negative ({value})",
    ),
    "claim-unknown-item": (
        "'{field}': bảng điểm không có tiêu chí hay quy tắc với mã này",
        "'{field}': the rubric has no criterion or rule with this id",
    ),
    "dossier-unknown-document": (
        "giấy tờ '{value}' không có trong danh mục hồ sơ của bảng điểm ({known})",
        "document '{value}' is not in the rubric's dossier ({known})",
    ),
    # ------------------------------------------------------------ eligibility
    "ineligible-rule": (
        "không đạt điều kiện «{reason}» ({values}; điều kiện ở dòng {line})",
        "does not meet «{reason}» ({values}; condition on line {line})",
    ),
    "ineligible-rule-plain": (
        "không đạt điều kiện «{reason}» (điều kiện ở dòng {line})",
        "does not meet «{reason}» (condition on line {line})",
    ),
    "ineligible-dossier": (
        "không đạt điều kiện «{reason}»: thiếu {documents} (điều kiện ở dòng {line})",
        "does not meet «{reason}»: missing {documents} (condition on line {line})",
    ),
    "ineligible-minimum": (
        "tổng điểm {total} thấp hơn mức tối thiểu {minimum} điểm để được xét giải",
        "total {total} is below the minimum of {minimum} points for an award",
    ),
    "ineligible-unknown": (
        "không xác định được điều kiện «{reason}» vì thiếu '{field}' ({label}) (điều kiện ở dòng {line})",
        "«{reason}» cannot be established: '{field}' ({label}) is missing (condition on line {line})",
    ),
    "ineligible-undefined": (
        "không tính được điều kiện «{reason}» (điều kiện ở dòng {line})",
        "«{reason}» cannot be computed (condition on line {line})",
    ),
    "evidence-missing": (
        "'{field}' ({label}): thiếu minh chứng (chế độ nghiêm ngặt)",
        "'{field}' ({label}): no value given (strict mode)",
    ),
    # ------------------------------------------------------------ hints
    "hint-space-after-keyword": (
        "thêm dấu cách sau '{keyword}', hoặc đặt tên khác nếu đây là tên trường",
        "put a space after '{keyword}', or choose another name if this is a field",
    ),
    "hint-start-rubric": (
        "bắt đầu bằng dòng '{kw:rubric} ma_bang_diem \"Tên bảng điểm\"' (xem docs/language.md)",
        "start with a line '{kw:rubric} rubric_id \"Title\"' (see docs/language.md)",
    ),
    "hint-close-quote": (
        'nhãn phải đóng ngoặc kép trên cùng một dòng: "..."',
        'a label must close its double quote on the same line: "..."',
    ),
    "hint-swap-bounds": (
        "giới hạn dưới (from) phải nhỏ hơn hoặc bằng giới hạn trên (to)",
        "the lower bound (from) must not be above the upper bound (to)",
    ),
    "hint-remove-duplicate-value": ("xóa giá trị lặp lại", "remove the repeated value"),
    "hint-max-grid": (
        "làm tròn điểm tối đa đến {places} chữ số thập phân, hoặc đổi quy tắc làm tròn",
        "give the maximum with at most {places} decimals, or change the rounding rule",
    ),
    "hint-split-expression": (
        "tách thành nhiều tiêu chí con, hoặc viết gọn lại",
        "split it into several sub-criteria, or write it more simply",
    ),
    "hint-percent-no-space": (
        "viết dấu % liền sau số, không có dấu cách: 80%",
        "write the % sign right after the number, without a space: 80%",
    ),
    "hint-points-plain": (
        "điểm, điểm tối đa, tổng điểm và điểm tối thiểu viết bằng số thường, không có % hay đồng",
        "points, maxima, totals and minimum scores are plain numbers, without % or đồng",
    ),
    "hint-add-scoring": (
        "thêm một dòng cách tính điểm, thụt lề dưới tiêu chí (ví dụ '2 {kw:if} ten_truong')",
        "add a scoring line indented under the criterion (such as '2 {kw:if} field')",
    ),
    "hint-dossier-eligibility": (
        "đặt điều kiện về hồ sơ vào dòng '{kw:eligible if dossier complete} \"...\"' trong mục '{kw:awards}'",
        "put conditions on the dossier in an '{kw:eligible if dossier complete} \"...\"' line of '{kw:awards}'",
    ),
    "hint-add-dossier": (
        "thêm mục '{kw:dossier}' liệt kê các giấy tờ, mỗi dòng: ma_giay_to \"Tên giấy tờ\"",
        "add a '{kw:dossier}' section listing the documents, one per line: document_id \"Label\"",
    ),
    "hint-assessment-shape": (
        'ghi ba mục: points (điểm), reviewer (người chấm), justification (lý do), ví dụ points = 2, reviewer = "Nguyễn Văn A", justification = "..."',
        'give three entries: points, reviewer, justification, for example points = 2, reviewer = "Nguyễn Văn A", justification = "..."',
    ),
    "hint-justify": (
        "mọi điểm do người chấm cho phải kèm lý do để kiểm tra lại được",
        "every point a reviewer gives needs a written reason so that it can be checked",
    ),
    "hint-did-you-mean": ("có phải là '{name}'?", "did you mean '{name}'?"),
    "hint-indent-consistent": (
        "thụt lề các dòng cùng cấp bằng cùng số dấu cách; dòng con thụt sâu hơn dòng cha",
        "indent lines of the same level by the same number of spaces, and a child deeper "
        "than its parent",
    ),
    "hint-use-spaces": (
        "thay tab bằng dấu cách (ví dụ 2 hoặc 4 dấu cách mỗi cấp)",
        "replace the tab with spaces (for example 2 or 4 per level)",
    ),
    "hint-double-quotes": ('đặt nhãn trong ngoặc kép "..."', 'put labels in double quotes "..."'),
    "hint-colon": (
        "dấu hai chấm chỉ dùng trong '{kw:target} ... {kw:of} ...:' và '{kw:still tied}:'",
        "a colon is only used in '{kw:target} ... {kw:of} ...:' and '{kw:still tied}:'",
    ),
    "hint-keyword-as-name": (
        "'{word}' là từ khóa của ngôn ngữ; hãy đặt tên khác cho trường này",
        "'{word}' is a keyword of the language; give the field another name",
    ),
    "hint-decimal-point": (
        "số thập phân viết bằng dấu chấm: 1.5 chứ không phải 1,5",
        "write decimals with a point: 1.5, not 1,5",
    ),
    "hint-arrow": (
        "dùng mũi tên -> giữa điều kiện và số điểm (ví dụ >= 80% -> 10)",
        "use an arrow -> between the condition and the points (such as >= 80% -> 10)",
    ),
    "hint-write-label": (
        "viết nội dung nhãn giữa hai dấu ngoặc kép",
        "write the label between the quotes",
    ),
    "hint-date-format": (
        "viết ngày theo dạng năm-tháng-ngày, ví dụ 2021-12-20",
        "write dates as year-month-day, such as 2021-12-20",
    ),
    "hint-merge-sections": ("gộp hai mục thành một", "merge the two sections into one"),
    "hint-add-part": (
        "thêm ít nhất một dòng '{kw:part} I \"...\" {kw:max} ...' với các tiêu chí",
        "add at least one '{kw:part} I \"...\" {kw:max} ...' with its criteria",
    ),
    "hint-remove-duplicate": ("xóa dòng lặp lại", "remove the repeated line"),
    "hint-add-header-item": (
        "thêm dòng '{item} ...' vào phần đầu, thụt lề dưới dòng '{kw:rubric}'",
        "add a '{item} ...' line to the header, indented under '{kw:rubric}'",
    ),
    "hint-plain-number": ("viết một số thường, ví dụ 1.5", "write a plain number, such as 1.5"),
    "hint-swap-dates": ("kiểm tra lại thứ tự các ngày", "check the order of the dates"),
    "hint-language": ("dùng 'vi' hoặc 'en'", "use 'vi' or 'en'"),
    "hint-choice-values": (
        'liệt kê các giá trị, mỗi giá trị một dòng thụt lề: tên "nhãn"',
        'list the values, one per indented line: name "label"',
    ),
    "hint-choice-type": (
        "khai báo kiểu '{kw:one of}' cho trường này",
        "declare this field as '{kw:one of}'",
    ),
    "hint-remove-bound": ("bỏ giới hạn này", "remove this bound"),
    "hint-money": ("viết tiền thưởng dạng 10.000.000 đồng", "write the prize as 10.000.000 đồng"),
    "hint-total": (
        "sửa dòng '{kw:total}' thành {sum}, hoặc sửa điểm tối đa của các phần",
        "change the '{kw:total}' line to {sum}, or the maxima of the parts",
    ),
    "hint-max-sum": (
        "sửa điểm tối đa thành {sum}, hoặc sửa điểm của các mục bên dưới",
        "change the maximum to {sum}, or the points of the items below",
    ),
    "hint-max-positive": ("ghi điểm tối đa lớn hơn 0", "give a maximum above 0"),
    "hint-rename": ("đặt một tên hoặc mã khác", "use another name or id"),
    "hint-remove-requires": ("bỏ dòng '{kw:requires}' này", "remove this '{kw:requires}'"),
    "hint-cycle": (
        "bỏ một '{kw:requires}' hoặc '{kw:points of}' để phá vòng",
        "remove one '{kw:requires}' or '{kw:points of}' to break the circle",
    ),
    "hint-same-unit": (
        "chỉ cộng, trừ, so sánh các giá trị cùng loại (số đếm với số đếm, tiền với tiền, "
        "tỷ lệ với tỷ lệ)",
        "only add, subtract or compare values of one kind (counts with counts, money with "
        "money, percentages with percentages)",
    ),
    "hint-step-size": (
        "viết bậc dạng phần trăm, ví dụ '{kw:minus} 1 {kw:per} 10% {kw:short}'",
        "write the step as a percentage, such as '{kw:minus} 1 {kw:per} 10% {kw:short}'",
    ),
    "hint-use-if": (
        "với trường có/không dùng: 'điểm {kw:if} tên_trường'",
        "for a yes/no value write: 'points {kw:if} field'",
    ),
    "hint-cover-choices": (
        "thêm dòng cho {values}, hoặc dòng '{kw:otherwise} -> 0'",
        "add lines for {values}, or an '{kw:otherwise} -> 0' line",
    ),
    "hint-otherwise-last": (
        "đưa '{kw:otherwise}' xuống cuối cùng",
        "move '{kw:otherwise}' to the end",
    ),
    "hint-choice-arm": (
        "ghi tên giá trị, ví dụ 'dung_han -> 2'",
        "write value names, such as 'dung_han -> 2'",
    ),
    "hint-threshold-arm": (
        "ghi ngưỡng, ví dụ '>= 80% -> 10'",
        "write thresholds, such as '>= 80% -> 10'",
    ),
    "hint-condition": (
        "viết một phép so sánh, ví dụ 'htx_moi >= 2'",
        "write a comparison, such as 'htx_moi >= 2'",
    ),
    "hint-add-deadline": (
        "thêm dòng '{kw:deadline} 2021-12-20' vào phần đầu",
        "add a '{kw:deadline} 2021-12-20' line to the header",
    ),
    "hint-equality": ("dùng = hoặc !=", "use = or !="),
    "hint-percent-literal": (
        "tỷ lệ phần trăm viết kèm dấu %: {value}%",
        "write percentages with a % sign: {value}%",
    ),
    "hint-call-arity": (
        "min(a, b, ...) và max(a, b, ...) nhận từ 2 đối số; round(x, 2); floor(x); ceil(x)",
        "min(a, b, ...) and max(a, b, ...) take 2 or more; round(x, 2); floor(x); ceil(x)",
    ),
    "hint-round-places": ("ví dụ round(x, 2)", "for example round(x, 2)"),
    "hint-place-order": ("đánh số hạng liên tục từ 1", "number the places 1, 2, 3, ... in order"),
    "hint-tie-direction": (
        "dùng '{kw:earlier}'/'{kw:later}' với trường ngày, '{kw:higher}'/'{kw:lower}' với trường số",
        "use '{kw:earlier}'/'{kw:later}' with a date field, '{kw:higher}'/'{kw:lower}' with a number field",
    ),
    "hint-save-utf8": ("lưu tệp với bảng mã UTF-8", "save the file with UTF-8 encoding"),
    "hint-declare-field": (
        "khai báo trường này trong mục minh chứng ('minh_chứng', 'evidence') của bảng điểm, hoặc bỏ nó khỏi minh chứng",
        "declare the field in the rubric's 'evidence' section, or remove it from the evidence",
    ),
    "hint-decimal-evidence": (
        "dùng decimal.Decimal hoặc số nguyên; đọc JSON với parse_float=Decimal",
        "use decimal.Decimal or an int; read JSON with parse_float=Decimal",
    ),
    "hint-unquote-number": ("ghi số không có ngoặc kép", "write the number without quotes"),
    "hint-true-false": ("dùng true hoặc false", "use true or false"),
    "hint-whole-number": ("ghi một số nguyên", "give a whole number"),
    "hint-percent-evidence": (
        "ghi tỷ lệ phần trăm dạng 0–100, ví dụ 65 cho 65%",
        "give percentages as 0-100, such as 65 for 65%",
    ),
    "evidence-not-utf8": ("tệp không phải văn bản UTF-8", "the file is not UTF-8 text"),
    # ------------------------------------------------------------ batch tables (htx-rules batch)
    "batch-no-header": (
        "tệp không có dòng tiêu đề (tên các trường minh chứng ở dòng đầu tiên)",
        "the file has no header row (the names of the evidence fields on its first line)",
    ),
    "batch-header-stop": (
        "không chấm dòng nào: sửa dòng tiêu đề (hoặc để riêng cột đó ra bằng --ignore TÊN_CỘT) rồi chạy lại",
        "no row was scored: correct the header row (or leave the column aside with --ignore COLUMN) and run again",
    ),
    "batch-cell-without-column": (
        "ô ở cột {column} ghi '{value}' nhưng cột này không có tên trường ở dòng tiêu đề",
        "the cell in column {column} holds '{value}', but the column has no field name in the header row",
    ),
    "batch-csv": (
        "không đọc được tệp CSV từ dòng này: {reason}",
        "the CSV file cannot be read from this line on: {reason}",
    ),
    "batch-no-sheet": (
        "sổ tính không có trang '{value}' (các trang: {sheets})",
        "the workbook has no sheet '{value}' (its sheets: {sheets})",
    ),
    "batch-no-rows": ("tệp không có dòng minh chứng nào", "the file holds no row of evidence"),
    "batch-summary": (
        "{bad} trong {rows} dòng có lỗi và không được chấm; các dòng khác đã được chấm",
        "{bad} of {rows} rows have problems and were not scored; the others were",
    ),
    "batch-progress": (
        "đã chấm {rows} dòng ({rate} dòng/giây)",
        "scored {rows} rows ({rate} rows/s)",
    ),
    "batch-progress-share": (
        "đã chấm {rows} dòng, khoảng {share}% tệp ({rate} dòng/giây)",
        "scored {rows} rows, about {share}% of the file ({rate} rows/s)",
    ),
    "batch-progress-done": (
        "đã chấm {rows} dòng trong {seconds} giây ({rate} dòng/giây)",
        "scored {rows} rows in {seconds} s ({rate} rows/s)",
    ),
    "batch-interrupted": (
        "đã dừng theo yêu cầu (Ctrl-C) sau {rows} dòng; tệp kết quả --out không được ghi",
        "stopped on request (Ctrl-C) after {rows} rows; an --out file is not written",
    ),
    "batch-sheet": ("Kết quả", "Results"),
    "batch-column-row": ("Dòng", "Row"),
    "batch-column-standard": ("Điểm chuẩn", "Standard"),
    "batch-column-missing": ("Thiếu minh chứng", "Missing evidence"),
    "batch-column-unassessed": ("Chưa đánh giá", "Not assessed"),
    "batch-column-problems": ("Lỗi", "Problems"),
    # ------------------------------------------------------------ command line
    "cli-batch-input": (
        "không đọc được '{path}' như một bảng: tệp vào phải là .csv, .jsonl hoặc .xlsx",
        "cannot read '{path}' as a table: the input must be a .csv, .jsonl or .xlsx file",
    ),
    "cli-batch-sheet": (
        "--sheet chỉ dùng với tệp Excel (.xlsx)",
        "--sheet goes with an Excel file (.xlsx) only",
    ),
    "cli-batch-jobs": (
        "--jobs phải là một số nguyên từ 0 trở lên (0: mọi CPU)",
        "--jobs must be a whole number of 0 or more (0: every CPU)",
    ),
    "cli-batch-same-file": (
        "tệp ra '{path}' chính là tệp vào",
        "the output file '{path}' is the input file",
    ),
    "cli-cannot-write": ("không ghi được '{path}': {reason}", "cannot write '{path}': {reason}"),
    "cli-permission-write": ("không có quyền ghi", "permission denied"),
    "cli-no-such-folder": ("không có thư mục này", "no such folder"),
    "cli-xlsx-needs-out": (
        "định dạng xlsx cần --out TỆP.xlsx (không in tệp Excel ra màn hình)",
        "the xlsx format needs --out FILE.xlsx (an Excel file is not printed)",
    ),
    "cli-template-written": (
        "đã ghi mẫu tự chấm điểm vào {path}",
        "wrote the self-score form to {path}",
    ),
    "cli-cannot-read": ("không đọc được '{path}': {reason}", "cannot read '{path}': {reason}"),
    "cli-no-such-file": ("không có tệp hay thư mục này", "no such file or folder"),
    "cli-permission": ("không có quyền đọc", "permission denied"),
    "cli-is-folder": ("đây là một thư mục, không phải tệp", "it is a folder, not a file"),
    "cli-empty-folder": (
        "thư mục '{path}' không có tệp .json hay .toml nào",
        "folder '{path}' holds no .json or .toml file",
    ),
    "cli-summary": ("TỔNG HỢP", "SUMMARY"),
    "cli-no-rubrics": (
        "thư mục '{path}' không có tệp .rules nào",
        "folder '{path}' holds no .rules file",
    ),
    "cli-not-json": (
        "'{path}' không phải tài liệu JSON đọc được: {reason}",
        "'{path}' is not a readable JSON document: {reason}",
    ),
    "cli-verify-evidence": (
        "kiểm tra kết quả cần --evidence: tệp minh chứng (hay thư mục hồ sơ cho một cuộc thi đua)",
        "verify needs --evidence: the evidence file (or the folder of submissions for a contest)",
    ),
    "cli-fmt-reformatted": ("đã định dạng lại '{path}'", "reformatted '{path}'"),
    "cli-no-tests-file": (
        "không có tệp kiểm thử '{path}' bên cạnh bảng điểm",
        "there is no tests file '{path}' beside the rubric",
    ),
    "cli-no-tested-rubrics": (
        "thư mục '{path}' không có bảng điểm .rules nào có tệp .tests bên cạnh",
        "folder '{path}' holds no .rules rubric with a .tests file beside it",
    ),
    "cli-tests-needs-rubric": (
        "--tests chỉ dùng với một tệp bảng điểm, không dùng với thư mục",
        "--tests goes with one rubric file, not with a folder",
    ),
    "cli-untested-rubrics": (
        "bảng điểm chưa có tệp kiểm thử: {files}",
        "rubrics without a tests file: {files}",
    ),
    # ------------------------------------------------------------ rubric tests: the file
    "tests-invalid": (
        "tệp kiểm thử {file} có {count} lỗi",
        "the tests file {file} has {count} problem(s)",
    ),
    "tests-toml": ("tệp TOML không đọc được: {reason}", "the TOML file cannot be read: {reason}"),
    "tests-unknown-key": (
        "'{field}' không phải mục của bảng {table}; các mục dùng được: {keys}",
        "'{field}' is not a key of the {table} table; the keys are: {keys}",
    ),
    "tests-unknown-top-key": (
        "'{field}' không phải mục nào của tệp kiểm thử; các mục dùng được: {keys}",
        "'{field}' is not a key of a tests file; the keys are: {keys}",
    ),
    "tests-both-spellings": (
        "'{field}' và '{other}' là cùng một mục, chỉ ghi một lần",
        "'{field}' and '{other}' are the same key; give it once",
    ),
    "tests-not-table": ("'{field}' phải là một bảng (table)", "'{field}' must be a table"),
    "tests-text": (
        "'{field}' phải là văn bản, không phải {value}",
        "'{field}' must be text, not {value}",
    ),
    "tests-rubric-mismatch": (
        "tệp kiểm thử viết cho bảng điểm '{value}', không phải '{expected}'",
        "the tests file is written for rubric '{value}', not '{expected}'",
    ),
    "tests-no-cases": (
        "tệp kiểm thử chưa có ca nào (bảng [[ca]])",
        "the tests file has no case (a [[ca]] table)",
    ),
    "tests-no-name": (
        'ca thứ {number} chưa có tên (ten = "...")',
        'case number {number} has no name (ten = "...")',
    ),
    "tests-duplicate-name": (
        "tên ca «{field}» đã dùng ở dòng {line}",
        "the case name «{field}» is already used on line {line}",
    ),
    "tests-no-expect": (
        "ca «{field}» chưa có kỳ vọng nào (bảng ky_vong)",
        "case «{field}» expects nothing (no ky_vong table)",
    ),
    "tests-omit": (
        "'{field}' phải là danh sách tên trường minh chứng (hoặc \"*\" để bỏ hết), không phải {value}",
        "'{field}' must be a list of evidence field names (or \"*\" to leave out everything), not {value}",
    ),
    "tests-unknown-item": (
        "'{field}' không phải mã tiêu chí, quy tắc hay phần nào của bảng điểm, cũng không phải tong_diem, diem_chuan, diem_cong, diem_tru, thieu",
        "'{field}' is no criterion, rule or part of the rubric, nor tong_diem, diem_chuan, diem_cong, diem_tru, thieu",
    ),
    "tests-expect-number": (
        "'{field}': kỳ vọng {value} không phải một số điểm",
        "'{field}': the expected {value} is not a number of points",
    ),
    "tests-expect-negative": (
        "'{field}': điểm kỳ vọng {value} là số âm; điểm không bao giờ âm (điểm trừ ghi số dương)",
        "'{field}': the expected {value} is negative; points never are (a deduction is a positive number)",
    ),
    "tests-expect-over-max": (
        "'{field}': điểm kỳ vọng {value} vượt điểm tối đa {max}",
        "'{field}': the expected {value} is above the maximum of {max}",
    ),
    "tests-expect-off-grid": (
        "'{field}': điểm kỳ vọng {value} có quá {places} chữ số thập phân; bảng điểm làm tròn đến {places} chữ số",
        "'{field}': the expected {value} has more than {places} decimals; the rubric rounds to {places}",
    ),
    "tests-missing-list": (
        "'{field}' phải là danh sách tên trường minh chứng, không phải {value}",
        "'{field}' must be a list of evidence field names, not {value}",
    ),
    "tests-unknown-mutant": (
        "'{field}' không phải mã đột biến nào của bảng điểm",
        "'{field}' is not the id of any mutant of the rubric",
    ),
    "tests-equivalent-reason": (
        "'{field}': cần ghi lý do vì sao đột biến này tương đương",
        "'{field}': give the reason why this mutant is equivalent",
    ),
    "hint-test-points": (
        'ghi số điểm, ví dụ 1.5 hoặc "1,5"',
        'write the points, such as 1.5 or "1,5"',
    ),
    # ------------------------------------------------------------ rubric tests: the report
    "tests-title": (
        "KIỂM THỬ BẢNG ĐIỂM {rubric} — tệp {file}",
        "RUBRIC TESTS {rubric} — file {file}",
    ),
    "tests-failed-case": ("SAI {where} «{name}»", "FAILED {where} «{name}»"),
    "tests-expected-actual": (
        "{key}: cần {expected}, được {actual} (kỳ vọng ở dòng {line})",
        "{key}: expected {expected}, got {actual} (expected on line {line})",
    ),
    "tests-expected-missing": (
        "thiếu minh chứng khác kỳ vọng — thiếu thêm: {extra}; không thiếu: {absent}",
        "missing evidence differs — also missing: {extra}; not missing: {absent}",
    ),
    "tests-key-total": ("tổng điểm", "total"),
    "tests-key-standard": ("điểm chuẩn", "standard points"),
    "tests-key-bonus": ("điểm cộng", "bonus"),
    "tests-key-deduction": ("điểm trừ", "deduction"),
    "tests-key-missing": ("thiếu minh chứng", "missing evidence"),
    "tests-summary": ("{passed} ca đạt, {failed} ca sai", "{passed} passed, {failed} failed"),
    "tests-coverage-head": (
        "ĐỘ PHỦ: {reached}/{total} nhánh ({percent})",
        "COVERAGE: {reached}/{total} branches ({percent})",
    ),
    "tests-coverage-unreached": ("Nhánh chưa ca nào tới:", "Branches no case reaches:"),
    "tests-coverage-complete": ("Mọi nhánh đều có ca tới.", "Every branch is reached."),
    "tests-branch-line": ("{item} (dòng {line}): {branch}", "{item} (line {line}): {branch}"),
    "tests-branch-arm": ("nhánh «{text}»", "arm «{text}»"),
    "tests-branch-value": ("lựa chọn '{text}'", "choice '{text}'"),
    "tests-branch-no-match": ("không nhánh nào đúng (0 điểm)", "no arm holds (0 points)"),
    "tests-branch-true": ("điều kiện đúng: {text}", "condition met: {text}"),
    "tests-branch-false": ("điều kiện sai: {text}", "condition not met: {text}"),
    "tests-branch-cap-binds": ("chạm mức tối đa {text}", "held at the cap of {text}"),
    "tests-branch-cap-free": ("dưới mức tối đa {text}", "below the cap of {text}"),
    "tests-branch-target-zero": ("chỉ tiêu bằng 0", "a target of zero"),
    "tests-branch-target-short": ("chưa đạt chỉ tiêu", "short of the target"),
    "tests-branch-target-met": ("đạt hoặc vượt chỉ tiêu", "the target met or exceeded"),
    "tests-branch-assessed": ("có đánh giá của người chấm", "assessed by a reviewer"),
    "tests-branch-not-assessed": ("chưa có đánh giá của người chấm", "not assessed"),
    "tests-branch-scored": ("tính theo công thức", "computed by its formula"),
    "tests-branch-missing": ("thiếu minh chứng", "evidence missing"),
    "tests-branch-undefined": (
        "không tính được (chia cho 0)",
        "cannot be computed (a division by zero)",
    ),
    "tests-branch-requires-unmet": (
        "mục được yêu cầu ({text}) không có điểm",
        "a required item ({text}) scored nothing",
    ),
    "tests-branch-clamp-max": ("vượt điểm tối đa, lấy {text}", "above the maximum, held at {text}"),
    "tests-branch-clamp-min": ("âm, lấy 0", "below zero, raised to 0"),
    "tests-mutation-head": (
        "ĐỘT BIẾN: {total} đột biến, {killed} bị phát hiện, {equivalent} tương đương (có giải thích), {survived} không bị phát hiện",
        "MUTANTS: {total} made, {killed} killed, {equivalent} equivalent (explained), {survived} survived",
    ),
    "tests-mutation-survivors": (
        "Đột biến không ca nào phát hiện (thêm ca ở biên, hoặc ghi lý do vào [tuong_duong]):",
        "Mutants no case kills (add a case at the edge, or explain it in [tuong_duong]):",
    ),
    "tests-mutation-equivalent": (
        "Đột biến tương đương, theo [tuong_duong]:",
        "Equivalent mutants, as [tuong_duong] explains:",
    ),
    "tests-mutation-stale": (
        "{id}: ghi trong [tuong_duong] nhưng ca «{case}» đã phát hiện; xóa dòng này khỏi [tuong_duong]",
        "{id}: listed in [tuong_duong] but case «{case}» kills it; remove it from [tuong_duong]",
    ),
    "tests-mutation-skipped": (
        "Không kiểm thử đột biến vì còn ca sai.",
        "Mutation testing skipped: some cases fail.",
    ),
    "tests-mutant-line": ("{id} (dòng {line}): {change}", "{id} (line {line}): {change}"),
    "tests-mutant-op": ("so sánh «{old}» thành «{new}»", "comparison «{old}» becomes «{new}»"),
    "tests-mutant-bound": ("ngưỡng {old} thành {new}", "bound {old} becomes {new}"),
    "tests-mutant-size": ("mỗi bậc {old} thành {new}", "step size {old} becomes {new}"),
    "tests-mutant-points": ("điểm {old} thành {new}", "points {old} become {new}"),
    "tests-mutant-rate": (
        "điểm mỗi đơn vị {old} thành {new}",
        "points per unit {old} become {new}",
    ),
    "tests-mutant-cap": (
        "mức giới hạn (tối đa) {old} thành {new}",
        "cap (at most) {old} becomes {new}",
    ),
    "tests-mutant-base": ("điểm gốc {old} thành {new}", "base {old} becomes {new}"),
    "tests-mutant-step": (
        "điểm trừ mỗi bậc {old} thành {new}",
        "points per step {old} become {new}",
    ),
    "tests-mutant-zero": (
        "điểm khi chỉ tiêu bằng 0 từ {old} thành {new}",
        "points for a target of zero {old} become {new}",
    ),
    "tests-mutant-max": ("điểm tối đa {old} thành {new}", "maximum {old} becomes {new}"),
    "tests-mutant-not": ("điều kiện «{old}» thành «{new}»", "condition «{old}» becomes «{new}»"),
    "tests-mutant-requires": ("bỏ dòng «requires {old}»", "line «requires {old}» removed"),
    # ------------------------------------------------------------ verify
    "verify-ok": (
        "KHỚP: tài liệu {format} được tính lại từ bảng điểm và minh chứng, trùng từng giá trị",
        "VERIFIED: the {format} document follows from the rubric and the evidence, value for value",
    ),
    "verify-failed": (
        "KHÔNG KHỚP: {count} khác biệt giữa tài liệu {format} và kết quả tính lại",
        "NOT VERIFIED ({count} found): the {format} document differs from what its inputs give now",
    ),
    "verify-engine-note": (
        "lưu ý: tài liệu do htx-rules {recorded} tạo; đang kiểm tra bằng htx-rules {current}",
        "note: the document was written by htx-rules {recorded}; checked with htx-rules {current}",
    ),
    "verify-format": (
        "{path}: không phải tài liệu htx-rules mà phiên bản này ghi (ghi «{recorded}», cần «{derived}»)",
        "{path}: not an htx-rules document this version writes (it says «{recorded}», expected «{derived}»)",
    ),
    "verify-rubric-changed": (
        "{path}: tệp bảng điểm không phải tệp đã dùng để chấm (mã băm ghi {recorded}, tệp hiện có {derived})",
        "{path}: the rubric file is not the one that scored (hash recorded {recorded}, file now {derived})",
    ),
    "verify-evidence-changed": (
        "{path}: minh chứng không phải minh chứng đã chấm (mã băm ghi {recorded}, hiện có {derived})",
        "{path}: the evidence is not the evidence that was scored (hash recorded {recorded}, now {derived})",
    ),
    "verify-submission-changed": (
        "{path}: hồ sơ của đơn vị đã thay đổi (mã băm ghi {recorded}, hiện có {derived})",
        "{path}: the unit's submission has changed (hash recorded {recorded}, now {derived})",
    ),
    "verify-count": (
        "{path}: số phần tử khác nhau: tài liệu có {recorded}, tính lại có {derived}",
        "{path}: a different number of entries: the document has {recorded}, re-derived {derived}",
    ),
    "verify-ledger-malformed": (
        "{path}: dòng sổ điểm thiếu số liệu hoặc số liệu không đọc được ở «{recorded}»",
        "{path}: a ledger line with a number missing or unreadable at «{recorded}»",
    ),
    "verify-ledger-numbering": (
        "{path}: số thứ tự dòng sổ điểm là {recorded}, phải là {derived}",
        "{path}: the ledger line is numbered {recorded}, it should be {derived}",
    ),
    "verify-ledger-change": (
        "{path}: mức thay đổi ghi {recorded}, nhưng điểm trước và sau của dòng cho {derived}",
        "{path}: the change says {recorded}, but the line's points before and after give {derived}",
    ),
    "verify-ledger-running-total": (
        "{path}: tổng lũy kế ghi {recorded}, nhưng các dòng trước cho {derived}",
        "{path}: the running total says {recorded}, but the lines before give {derived}",
    ),
    "verify-ledger-total": (
        "{path}: các dòng sổ điểm cộng lại được {recorded}, khác tổng điểm ghi trong tài liệu {derived}",
        "{path}: the ledger lines add up to {recorded}, not to the document's total {derived}",
    ),
    "verify-differs": (
        "{path}: tài liệu ghi {recorded}, tính lại được {derived}",
        "{path}: the document says {recorded}, re-derived {derived}",
    ),
    "verify-missing-key": (
        "{path}: tài liệu thiếu mục này (tính lại được {derived})",
        "{path}: missing from the document (re-derived {derived})",
    ),
    "verify-extra-key": (
        "{path}: tài liệu có mục này nhưng tính lại không có (ghi {recorded})",
        "{path}: in the document but not re-derived (it says {recorded})",
    ),
    # ------------------------------------------------------------ diff: what changed
    "diff-nothing": ("không có", "none"),
    "diff-estimated": (" (số liệu ước đến {date})", " (estimated to {date})"),
    "diff-from": ("từ {value}", "from {value}"),
    "diff-to": ("đến {value}", "to {value}"),
    "diff-rounding-value": ("{places} chữ số thập phân, {mode}", "{places} decimals, {mode}"),
    "diff-policy-split": (
        "đồng hạng, chia đều tiền thưởng (split)",
        "a shared place, prizes split equally (split)",
    ),
    "diff-policy-each": (
        "đồng hạng, mỗi đơn vị nhận trọn giải (each)",
        "a shared place, each unit receives the full award (each)",
    ),
    "diff-policy-council": (
        "Hội đồng Thi đua - Khen thưởng quyết định (council)",
        "the Emulation and Commendation Council decides (council)",
    ),
    "diff-policy-none": ("không quy định", "not stated"),
    "diff-in-part": ("phần {id}", "part {id}"),
    "diff-in-item": ("tiêu chí {id}", "criterion {id}"),
    "diff-section-bonus": ("điểm cộng", "bonus points"),
    "diff-section-deduction": ("điểm trừ", "deduction points"),
    "diff-place": ("giải {id}", "place {id}"),
    "diff-noun-criterion": ("tiêu chí", "criterion"),
    "diff-noun-rule": ("quy tắc", "rule"),
    "diff-band-otherwise": ("còn lại (otherwise)", "otherwise"),
    "diff-sub-criteria": ("cộng điểm các tiêu chí con", "the sum of its sub-criteria"),
    "diff-header-id": ("mã bảng điểm: {old} → {new}", "rubric id: {old} → {new}"),
    "diff-header-title": ("tên bảng điểm: {old} → {new}", "title: {old} → {new}"),
    "diff-header-year": ("năm thi đua: {old} → {new}", "year: {old} → {new}"),
    "diff-header-scored": ("đối tượng thi đua: {old} → {new}", "who is scored: {old} → {new}"),
    "diff-header-total": ("tổng điểm chuẩn: {old} → {new}", "standard points: {old} → {new}"),
    "diff-header-period": ("thời gian thi đua: {old} → {new}", "period: {old} → {new}"),
    "diff-header-deadline": ("hạn gửi báo cáo: {old} → {new}", "deadline: {old} → {new}"),
    "diff-header-language": (
        "ngôn ngữ của nhãn: {old} → {new}",
        "language of the labels: {old} → {new}",
    ),
    "diff-header-rounding": ("quy tắc làm tròn: {old} → {new}", "rounding: {old} → {new}"),
    "diff-header-step": ("bước điểm (step): {old} → {new}", "points step: {old} → {new}"),
    "diff-attribute": ("{attribute}: {old} → {new}", "{attribute}: {old} → {new}"),
    "diff-contestant-added": ("thêm đơn vị «{label}»", "unit added: «{label}»"),
    "diff-contestant-removed": ("bỏ đơn vị «{label}»", "unit removed: «{label}»"),
    "diff-contestant-name": ("tên đơn vị {old} → {new}", "name {old} → {new}"),
    "diff-field-added": (
        "thêm trường minh chứng «{label}», kiểu {type}",
        "new evidence field «{label}», of type {type}",
    ),
    "diff-field-removed": (
        "bỏ trường minh chứng «{label}», kiểu {type}",
        "evidence field removed: «{label}», of type {type}",
    ),
    "diff-field-type": ("kiểu dữ liệu {old} → {new}", "type {old} → {new}"),
    "diff-field-label": ("nhãn {old} → {new}", "label {old} → {new}"),
    "diff-field-bounds": ("giới hạn giá trị: {old} → {new}", "allowed values: {old} → {new}"),
    "diff-field-choices": ("các giá trị lựa chọn: {old} → {new}", "choices: {old} → {new}"),
    "diff-field-unit": ("đơn vị tính {old} → {new}", "unit {old} → {new}"),
    "diff-part-added": (
        "thêm phần «{label}», tối đa {new} điểm",
        "new part «{label}», worth {new}",
    ),
    "diff-part-removed": (
        "bỏ phần «{label}» (tối đa {old} điểm)",
        "part removed: «{label}» (worth {old})",
    ),
    "diff-part-id": ("đổi mã phần {old} → {new}", "part renumbered {old} → {new}"),
    "diff-part-label": ("tên phần {old} → {new}", "label {old} → {new}"),
    "diff-part-max": ("điểm tối đa {old} → {new}", "maximum {old} → {new}"),
    "diff-section-bonus-added": (
        "thêm phần điểm cộng «{label}», tối đa {new} điểm",
        "new bonus section «{label}», capped at {new}",
    ),
    "diff-section-deduction-added": (
        "thêm phần điểm trừ «{label}», tối đa {new} điểm",
        "new deduction section «{label}», capped at {new}",
    ),
    "diff-section-bonus-removed": (
        "bỏ phần điểm cộng «{label}» (tối đa {old} điểm)",
        "bonus section removed: «{label}» (capped at {old})",
    ),
    "diff-section-deduction-removed": (
        "bỏ phần điểm trừ «{label}» (tối đa {old} điểm)",
        "deduction section removed: «{label}» (capped at {old})",
    ),
    "diff-section-label": ("tên phần {old} → {new}", "label {old} → {new}"),
    "diff-section-max-bonus": (
        "tổng điểm cộng tối đa {old} → {new}",
        "bonus capped at {old} → {new}",
    ),
    "diff-section-max-deduction": (
        "tổng điểm trừ tối đa {old} → {new}",
        "deduction capped at {old} → {new}",
    ),
    "diff-item-added": (
        "thêm {noun} «{label}», tối đa {max} điểm{how}",
        "new {noun} «{label}», worth {max}{how}",
    ),
    "diff-item-removed": (
        "bỏ {noun} «{label}» (tối đa {max} điểm)",
        "{noun} removed: «{label}» (worth {max})",
    ),
    "diff-item-id": ("đổi mã {old} → {new}", "renumbered {old} → {new}"),
    "diff-item-moved": ("chuyển từ {old} sang {new}", "moved from {old} to {new}"),
    "diff-item-label": ("nhãn {old} → {new}", "label {old} → {new}"),
    "diff-item-max": ("điểm tối đa {old} → {new}", "maximum {old} → {new}"),
    "diff-item-requires": (
        "chỉ tính khi các mục này có điểm (requires): {old} → {new}",
        "counts only if these scored (requires): {old} → {new}",
    ),
    "diff-item-note": ("ghi chú {old} → {new}", "note {old} → {new}"),
    "diff-scoring": ("cách chấm: {old} → {new}", "scoring: {old} → {new}"),
    "diff-formula": ("công thức: {old} → {new}", "formula: {old} → {new}"),
    "diff-condition": ("điều kiện: {old} → {new}", "condition: {old} → {new}"),
    "diff-condition-points": (
        "điểm khi đạt điều kiện: {old} → {new}",
        "points when the condition holds: {old} → {new}",
    ),
    "diff-otherwise-points": (
        "điểm khi không đạt điều kiện: {old} → {new}",
        "points otherwise: {old} → {new}",
    ),
    "diff-base": (
        "điểm gốc (trước khi trừ): {old} → {new}",
        "base points (before what is taken off): {old} → {new}",
    ),
    "diff-rate": ("điểm cho mỗi đơn vị: {old} → {new}", "points per unit: {old} → {new}"),
    "diff-units": ("số đơn vị tính điểm: {old} → {new}", "units counted: {old} → {new}"),
    "diff-cap": ("mức giới hạn (tối đa): {old} → {new}", "cap (at most): {old} → {new}"),
    "diff-subject": ("đại lượng xét mức: {old} → {new}", "quantity banded: {old} → {new}"),
    "diff-arms": ("các mức: {old} → {new}", "bands: {old} → {new}"),
    "diff-threshold": (
        "ngưỡng {old} → {new} (mức {points} điểm)",
        "threshold {old} → {new} (the {points}-point band)",
    ),
    "diff-case-condition": ("trường hợp {number}: {old} → {new}", "case {number}: {old} → {new}"),
    "diff-band-points": ("mức {band}: {old} → {new} điểm", "band {band}: {old} → {new} points"),
    "diff-target-actual": (
        "kết quả so với chỉ tiêu: {old} → {new}",
        "achievement: {old} → {new}",
    ),
    "diff-target-target": ("chỉ tiêu: {old} → {new}", "target: {old} → {new}"),
    "diff-target-mode": (
        "cách tính theo chỉ tiêu: {old} → {new}",
        "target mode: {old} → {new}",
    ),
    "diff-zero-target": (
        "điểm khi chỉ tiêu bằng 0: {old} → {new}",
        "points for a zero target: {old} → {new}",
    ),
    "diff-guidance": ("hướng dẫn chấm: {old} → {new}", "reviewer's guidance: {old} → {new}"),
    "diff-document-added": (
        "thêm tài liệu vào hồ sơ: «{label}»",
        "new dossier document: «{label}»",
    ),
    "diff-document-removed": (
        "bỏ tài liệu khỏi hồ sơ: «{label}»",
        "dossier document removed: «{label}»",
    ),
    "diff-document-label": ("tên tài liệu {old} → {new}", "label {old} → {new}"),
    "diff-awards-added": ("thêm phần khen thưởng (awards)", "awards section added"),
    "diff-awards-removed": ("bỏ phần khen thưởng (awards)", "awards section removed"),
    "diff-awards-minimum": (
        "điểm tối thiểu để được xét giải: {old} → {new}",
        "minimum total for an award: {old} → {new}",
    ),
    "diff-awards-ties": (
        "thứ tự xét khi bằng điểm: {old} → {new}",
        "tie-break order: {old} → {new}",
    ),
    "diff-awards-still-tied": (
        "khi vẫn bằng điểm: {old} → {new}",
        "when still tied: {old} → {new}",
    ),
    "diff-place-added": ("thêm giải «{label}», {new}", "new place «{label}», {new}"),
    "diff-place-removed": ("bỏ giải «{label}» ({old})", "place removed: «{label}» ({old})"),
    "diff-place-label": ("tên giải {old} → {new}", "name {old} → {new}"),
    "diff-place-prize": ("tiền thưởng {old} → {new}", "prize {old} → {new}"),
    "diff-eligibility-added": (
        "thêm điều kiện xét giải «{label}»: {new}",
        "new award condition «{label}»: {new}",
    ),
    "diff-eligibility-removed": (
        "bỏ điều kiện xét giải «{label}»: {old}",
        "award condition removed: «{label}»: {old}",
    ),
    "diff-eligibility-condition": (
        "điều kiện xét giải «{label}»: {old} → {new}",
        "award condition «{label}»: {old} → {new}",
    ),
    "diff-eligibility-reason": (
        "điều kiện xét giải {condition}: lý do {old} → {new}",
        "award condition {condition}: reason {old} → {new}",
    ),
    "diff-group": (
        "áp dụng cùng nhau vì cùng liên quan đến {what}: áp dụng riêng từng thay đổi thì "
        "bảng điểm ở giữa không hợp lệ",
        "applied together because they share {what}: applied one at a time, the rubric in "
        "between would not be valid",
    ),
    "diff-symbol-field": ("trường minh chứng {name}", "the evidence field {name}"),
    "diff-symbol-item": ("mã {name}", "the id {name}"),
    "diff-symbol-part": ("phần {name}", "part {name}"),
    "diff-symbol-choice": (
        "giá trị {name} của trường {field}",
        "the value {name} of the field {field}",
    ),
    "diff-symbol-deadline": ("hạn gửi báo cáo", "the deadline"),
    "diff-symbol-dossier": ("hồ sơ khen thưởng", "the award dossier"),
    "diff-symbol-shape": ("cấu trúc của tiêu chí {name}", "the structure of criterion {name}"),
    "diff-symbol-checker": (
        "một kiểm tra của trình biên dịch ({name})",
        "a check of the compiler ({name})",
    ),
    "diff-symbol-awards": ("phần khen thưởng", "the awards section"),
    # ------------------------------------------------------------ diff: the report
    "diff-title": ("SO SÁNH BẢNG ĐIỂM", "RUBRIC COMPARISON"),
    "diff-old": ("Cũ: {id} (năm {year}), tệp {file}", "Old: {id} ({year}), file {file}"),
    "diff-new": ("Mới: {id} (năm {year}), tệp {file}", "New: {id} ({year}), file {file}"),
    "diff-count": ("{count} thay đổi", "{count} change(s)"),
    "diff-same": (
        "Hai bảng điểm có cùng nội dung: không có thay đổi nào",
        "The two rubrics say the same: no changes",
    ),
    "diff-heading-header": ("Phần đầu", "Header"),
    "diff-heading-contestants": ("Đơn vị thi đua", "Contestants"),
    "diff-heading-evidence": ("Minh chứng", "Evidence fields"),
    "diff-heading-part": ("Phần {id} — {label}", "Part {id} — {label}"),
    "diff-heading-bonus": ("Điểm cộng", "Bonus"),
    "diff-heading-deduction": ("Điểm trừ", "Deduction"),
    "diff-heading-dossier": ("Hồ sơ đề nghị khen thưởng", "Award dossier"),
    "diff-heading-awards": ("Khen thưởng", "Awards"),
    "diff-rescore-title": (
        "CHẤM LẠI MINH CHỨNG {source} THEO HAI BẢNG ĐIỂM",
        "THE EVIDENCE IN {source} RE-SCORED UNDER BOTH RUBRICS",
    ),
    "diff-rescore-basis": (
        "Tổng điểm là điểm sau phúc tra (số liệu không phúc tra giữ như báo cáo); xếp hạng và "
        "xét giải theo quy định của từng bảng điểm.",
        "Totals are verified totals (values not re-inspected as reported); ranks and awards "
        "follow each rubric's own rules.",
    ),
    "diff-col-code": ("Mã", "Code"),
    "diff-col-unit": ("Đơn vị", "Unit"),
    "diff-col-total": ("Tổng điểm cũ → mới", "Total old → new"),
    "diff-col-change": ("Chênh lệch", "Change"),
    "diff-col-rank": ("Hạng cũ → mới", "Rank old → new"),
    "diff-col-award": ("Giải cũ → mới", "Award old → new"),
    "diff-col-prize": ("Tiền thưởng cũ → mới", "Prize old → new"),
    "diff-lines": ("(dòng {old} → {new})", "(line {old} → {new})"),
    "diff-notes-head": ("Lưu ý:", "Notes:"),
    "diff-note-new-field": (
        "minh chứng cũ không có trường mới {field} «{label}» ở {count} đơn vị: tính là thiếu "
        "(quy tắc cần nó được 0 điểm)",
        "the old evidence of {count} unit(s) lacks the new field {field} «{label}»: counted as "
        "missing (the rules that need it score 0)",
    ),
    "diff-note-dropped-field": (
        "trường {field} không có trong bảng điểm {side}: giá trị của nó trong minh chứng được "
        "bỏ qua",
        "the field {field} is not in the {side} rubric: its values in the evidence are left aside",
    ),
    "diff-note-invalid-value": (
        "{unit} ({code}): giá trị {value} của {field} không hợp lệ theo bảng điểm {side}, tính "
        "là thiếu: {reason}",
        "{unit} ({code}): the value {value} of {field} is not valid under the {side} rubric, "
        "counted as missing: {reason}",
    ),
    "diff-note-unlisted": (
        "{unit} ({code}) không có trong danh sách đơn vị của bảng điểm {side}: không chấm theo "
        "bảng điểm đó",
        "{unit} ({code}) is not a contestant of the {side} rubric: not scored under it",
    ),
    "diff-note-assessment-moved": (
        "đánh giá của người chấm cho {old} được dùng cho {new} (tiêu chí đổi mã)",
        "the reviewers' assessments of {old} are used for {new} (the criterion was renumbered)",
    ),
    "diff-note-assessment-dropped": (
        "đánh giá của người chấm cho {id} không dùng ở bảng điểm {side}: không có tiêu chí này "
        "hoặc tiêu chí không còn do người chấm đánh giá",
        "the reviewers' assessments of {id} are not used under the {side} rubric: it has no "
        "such criterion, or one a reviewer does not assess",
    ),
    "diff-note-unassessed": (
        "{id} là tiêu chí do người chấm đánh giá ở bảng điểm mới nhưng minh chứng cũ không có "
        "đánh giá: tính 0 điểm",
        "{id} is assessed by a reviewer under the new rubric but the old evidence holds no "
        "assessment: scored 0",
    ),
    "diff-note-deadline": (
        "hạn gửi báo cáo đổi từ {old} sang {new}: các ngày trong minh chứng cũ được so với hạn "
        "của từng bảng điểm",
        "the deadline moves from {old} to {new}: the dates in the old evidence are compared "
        "with each rubric's deadline",
    ),
    "diff-side-old": ("cũ", "old"),
    "diff-side-new": ("mới", "new"),
    "diff-attribution-title": (
        "Chênh lệch tổng điểm của từng đơn vị, theo từng thay đổi",
        "Each unit's change in total, change by change",
    ),
    "diff-attribution-rule": (
        "Các thay đổi được áp dụng lần lượt vào bảng điểm cũ, theo thứ tự liệt kê ở trên; phần "
        "của mỗi bước là tổng điểm sau bước đó trừ tổng điểm trước bước đó, nên các phần cộng "
        "lại đúng bằng chênh lệch của đơn vị. Bước không làm đổi điểm của đơn vị nào không được "
        "liệt kê.",
        "The changes are applied to the old rubric one at a time, in the order listed above; "
        "each step's share is the total after it minus the total before it, so the shares add "
        "up exactly to the unit's change. Steps that change no unit's points are not listed.",
    ),
    "diff-steps-head": ("Các bước làm đổi điểm:", "Steps that change points:"),
    "diff-step": ("Bước {number}: {changes}", "Step {number}: {changes}"),
    "diff-step-short": ("bước {number}", "step {number}"),
    "diff-unit-change": (
        "{unit} ({code}): {old} → {new} ({change})",
        "{unit} ({code}): {old} → {new} ({change})",
    ),
    "diff-unit-same": (
        "{unit} ({code}): {old} → {new} (không đổi)",
        "{unit} ({code}): {old} → {new} (unchanged)",
    ),
    "diff-unit-one-side": (
        "{unit} ({code}): chỉ chấm được theo bảng điểm {side}",
        "{unit} ({code}): scored under the {side} rubric only",
    ),
    "diff-other-steps": ("các bước khác: 0", "every other step: 0"),
    "cli-unknown-criterion": (
        "bảng điểm không có tiêu chí, quy tắc hay phần '{id}'; mã gần giống: {near}",
        "the rubric has no criterion, rule or part '{id}'; close matches: {near}",
    ),
    "cli-unknown-criterion-plain": (
        "bảng điểm không có tiêu chí, quy tắc hay phần '{id}'; các mã có: {known}",
        "the rubric has no criterion, rule or part '{id}'; its ids: {known}",
    ),
    # ------------------------------------------------------------ explanations and reports
    "value-long-number": ("một số có khoảng {digits} chữ số", "a number of about {digits} digits"),
    "value-missing": ("(thiếu)", "(missing)"),
    "value-yes": ("có", "yes"),
    "value-no": ("không", "no"),
    "why-condition-true": ("đạt: {text}", "met: {text}"),
    "why-condition-false": ("không đạt: {text}", "not met: {text}"),
    "why-threshold": ("{subject} {value} {op} {bound}", "{subject} {value} {op} {bound}"),
    "why-no-match": (
        "{subject} {value}: không đạt ngưỡng nào",
        "{subject} {value}: no threshold reached",
    ),
    "why-otherwise-band": (
        "{subject} {value}: không khớp dòng nào ở trên",
        "{subject} {value}: matches none of the lines above",
    ),
    "why-choice": ("{subject}: {value}", "{subject}: {value}"),
    "why-choice-otherwise": (
        "{subject}: {value} (trường hợp còn lại)",
        "{subject}: {value} (any other value)",
    ),
    "why-case": ("trường hợp {arm}: {text}", "case {arm}: {text}"),
    "why-case-otherwise": ("không trường hợp nào ở trên", "none of the cases above"),
    "why-case-none": ("không trường hợp nào đúng", "no case holds"),
    "why-per-unit": ("{units} × {rate} = {amount}", "{units} × {rate} = {amount}"),
    "why-minus-per-unit": (
        "{base} − {units} × {rate} = {base} − {amount}",
        "{base} − {units} × {rate} = {base} − {amount}",
    ),
    "why-minus-per-unit-capped": (
        "{base} − {amount}, vì {units} × {rate} = {uncapped} vượt mức trừ tối đa {amount}",
        "{base} − {amount}, as {units} × {rate} = {uncapped} is more than the most taken off, {amount}",
    ),
    "why-target": (
        "đạt {actual} / chỉ tiêu {target} ({ratio})",
        "{actual} of a target of {target} ({ratio})",
    ),
    "why-target-zero": (
        "chỉ tiêu bằng 0: coi như hoàn thành",
        "the target is 0: counted as achieved",
    ),
    "why-target-steps": (", thiếu {steps} bậc", ", short by {steps} step(s)"),
    "why-formula": ("= {text}", "= {text}"),
    "why-sum": ("tổng các mục bên dưới", "sum of the items below"),
    "why-requires": (
        "không tính vì {items} chưa đạt điểm",
        "not counted because {items} scored nothing",
    ),
    "why-assessed": (
        "người chấm {reviewer} cho {points} điểm: «{justification}»",
        "reviewer {reviewer} gave {points} points: «{justification}»",
    ),
    "why-not-assessed": (
        "chưa có đánh giá của người chấm (tiêu chí này do người chấm cho điểm)",
        "not yet assessed (a reviewer gives this criterion's points)",
    ),
    "why-missing": (
        "thiếu minh chứng '{field}' ({label}): 0 điểm",
        "evidence '{field}' ({label}) is missing: 0 points",
    ),
    "why-undefined-division-by-zero": (
        "không tính được vì chia cho 0: {text}",
        "cannot be computed, division by zero: {text}",
    ),
    "why-undefined-negative-target": (
        "không tính được vì chỉ tiêu âm: {text}",
        "cannot be computed, the target is negative: {text}",
    ),
    "why-undefined-out-of-range": (
        "không tính được vì số quá lớn: {text}",
        "cannot be computed, a number is too large: {text}",
    ),
    "why-note": ("ghi chú: {note}", "note: {note}"),
    "why-line": ("dòng {line}", "line {line}"),
    "adjust-round": ("làm tròn {before} → {after}", "rounded {before} → {after}"),
    "adjust-cap": ("giới hạn {limit} (trước đó {before})", "capped at {limit} (was {before})"),
    "adjust-max": (
        "tối đa {limit} (trước đó {before})",
        "limited to the maximum {limit} (was {before})",
    ),
    "adjust-min": ("không dưới 0 (trước đó {before})", "raised to 0 (was {before})"),
    "report-contestant": ("Đơn vị: {code} {name}", "Unit: {code} {name}"),
    "report-rubric": (
        "Bảng điểm: {id} (năm {year}), tệp {source}",
        "Rubric: {id} ({year}), file {source}",
    ),
    "report-standard": ("Điểm chuẩn: {points} / {total}", "Standard points: {points} / {total}"),
    "report-bonus": ("Điểm cộng: {points} (tối đa {max})", "Bonus: {points} (at most {max})"),
    "report-deduction": (
        "Điểm trừ: {points} (tối đa {max})",
        "Deduction: {points} (at most {max})",
    ),
    "report-total": ("TỔNG ĐIỂM: {points}", "TOTAL: {points}"),
    "report-unassessed": (
        "Chưa có đánh giá của người chấm (tính 0 điểm): {items}",
        "Not yet assessed by a reviewer (scored 0): {items}",
    ),
    "report-missing": ("Thiếu minh chứng: {fields}", "Missing evidence: {fields}"),
    "column-id": ("Mã", "Id"),
    "column-label": ("Nội dung", "Criterion"),
    "column-points": ("Điểm", "Points"),
    "column-max": ("Tối đa", "Max"),
    "column-why": ("Giải thích", "Why"),
    "column-unit": ("Đơn vị", "Unit"),
    "column-part": ("Phần {id} ({max})", "Part {id} ({max})"),
    "column-bonus": ("Cộng", "Bonus"),
    "column-deduction": ("Trừ", "Deduction"),
    "column-total": ("Tổng", "Total"),
    "column-missing": ("Thiếu MC", "Missing"),
    # ------------------------------------------------------------ contest report
    "contest-title": ("KẾT QUẢ THI ĐUA — {title}", "CONTEST RESULTS — {title}"),
    "contest-rubric": (
        "Bảng điểm: {id} (năm {year}), tệp {file}",
        "Rubric: {id} ({year}), file {file}",
    ),
    "contest-rank-rule": (
        "Xếp hạng theo tổng điểm sau phúc tra; bằng điểm thì xét lần lượt: {keys}",
        "Ranked by verified total; equal totals are separated, in order, by: {keys}",
    ),
    "contest-rank-rule-plain": (
        "Xếp hạng theo tổng điểm sau phúc tra; bảng điểm không quy định cách xét khi bằng điểm",
        "Ranked by verified total; the rubric declares no tie-break order",
    ),
    "contest-still-tied": (
        "Vẫn bằng nhau sau mọi tiêu chí xét: đồng hạng — {rule}",
        "Still tied after every key: a shared place — {rule}",
    ),
    "tie-subject-part": ("điểm phần {id}", "Part {id} points"),
    "tie-subject-criterion": ("điểm tiêu chí {id}", "points of criterion {id}"),
    "tie-subject-bonus": ("điểm cộng", "bonus points"),
    "tie-subject-deduction": ("điểm trừ", "deduction points"),
    "tie-subject-total": ("tổng điểm", "total"),
    "tie-higher": ("{subject} cao hơn", "higher {subject}"),
    "tie-lower": ("{subject} thấp hơn", "lower {subject}"),
    "tie-earlier": ("{subject} sớm hơn", "earlier {subject}"),
    "tie-later": ("{subject} muộn hơn", "later {subject}"),
    "tie-policy-split": (
        "các đơn vị đồng hạng chia đều tổng tiền thưởng của các giải mà họ cùng chiếm",
        "the tied units share equally the prizes of the places they span",
    ),
    "tie-policy-each": (
        "mỗi đơn vị đồng hạng nhận trọn giải của hạng đó",
        "each tied unit receives the full award of that place",
    ),
    "tie-policy-council": (
        "Hội đồng Thi đua - Khen thưởng quyết định giải cho các đơn vị đồng hạng",
        "the Emulation and Commendation Council decides the award of the tied units",
    ),
    "tie-policy-none": (
        "bảng điểm không quy định; Hội đồng Thi đua - Khen thưởng quyết định giải cho các đơn vị đồng hạng",
        "the rubric does not say; the Emulation and Commendation Council decides the award of the tied units",
    ),
    "contest-tie-shared": (
        "đồng hạng với {others}: bằng nhau ở tổng điểm và mọi tiêu chí xét",
        "shares the place with {others}: equal in total and in every tie-break key",
    ),
    "contest-tie-broken": (
        "bằng tổng điểm với {other} ({code}), xếp sau khi xét «{key}»: {own} so với {theirs}",
        "same total as {other} ({code}), ranked below by «{key}»: {own} against {theirs}",
    ),
    "contest-not-eligible": ("không đủ điều kiện", "not eligible"),
    "contest-award-shared-split": (
        "{place} (đồng hạng với {others}; chia đều tiền thưởng)",
        "{place} (shared with {others}; prizes split equally)",
    ),
    "contest-award-shared-each": (
        "{place} (đồng hạng với {others}; mỗi đơn vị nhận trọn giải)",
        "{place} (shared with {others}; each receives the full award)",
    ),
    "contest-award-shared-council": (
        "{place}? (đồng hạng với {others}; chờ Hội đồng Thi đua - Khen thưởng quyết định)",
        "{place}? (shared with {others}; for the Emulation and Commendation Council to decide)",
    ),
    "contest-prize-pending": ("chờ quyết định", "to be decided"),
    "contest-below-awards": (
        "đủ điều kiện, xếp hạng {rank}, sau các đơn vị được giải",
        "eligible, ranked {rank}, below the awarded units",
    ),
    "contest-changed-value": ("{field} {reported} → {verified}", "{field} {reported} → {verified}"),
    "contest-changed": ("phúc tra sửa: {changes}", "re-inspection changed: {changes}"),
    "contest-claim-over-max": (
        "điểm tự chấm {claimed} vượt điểm tối đa {max}",
        "the claimed {claimed} exceeds the maximum of {max}",
    ),
    "contest-claim-differs": (
        "tự chấm {claimed}, được công nhận {verified}",
        "claimed {claimed}, recognised {verified}",
    ),
    "contest-basis-verified": (
        "Đã phúc tra: điểm công nhận tính trên số liệu phúc tra (số liệu không phúc tra giữ như báo cáo)",
        "Re-inspected: recognised points rest on the verified values (values not re-inspected as reported)",
    ),
    "contest-basis-reported": (
        "Chưa phúc tra: điểm công nhận tính trên số liệu đơn vị báo cáo",
        "Not re-inspected: recognised points rest on the values the unit reported",
    ),
    "contest-col-rank": ("Hạng", "Rank"),
    "contest-col-code": ("Mã", "Code"),
    "contest-col-unit": ("Đơn vị", "Unit"),
    "contest-col-claimed": ("Tự chấm", "Claimed"),
    "contest-col-reported": ("Theo báo cáo", "Reported"),
    "contest-col-verified": ("Phúc tra", "Verified"),
    "contest-col-eligible": ("Đủ điều kiện", "Eligible"),
    "contest-col-award": ("Giải", "Award"),
    "contest-col-prize": ("Tiền thưởng", "Prize"),
    "contest-col-reason": ("Lý do", "Reason"),
    "contest-awards-head": ("Giải thưởng:", "Awards:"),
    "contest-no-awards": ("không có đơn vị nào được giải", "no unit receives an award"),
    "contest-award-line": (
        "{award}: {unit} ({code}), {total} điểm — {prize}",
        "{award}: {unit} ({code}), {total} points — {prize}",
    ),
    "contest-remainder": (
        "phần lẻ {amount} không chia hết được để lại cho Hội đồng quyết định",
        "the {amount} that does not divide evenly is left for the Council to decide",
    ),
    "contest-passed-over-head": (
        "Đơn vị xếp trên các đơn vị được giải nhưng không được giải:",
        "Units ranked above awarded units that receive nothing:",
    ),
    "contest-unit-line": (
        "{unit} ({code}), hạng {rank}, {total} điểm",
        "{unit} ({code}), rank {rank}, {total} points",
    ),
    "contest-ineligible-head": (
        "Đơn vị khác không đủ điều kiện xét giải:",
        "Other units not eligible for an award:",
    ),
    "contest-ties-head": ("Bằng điểm:", "Ties:"),
    "contest-shared-line": (
        "{units}: đồng hạng {rank} — bằng nhau ở tổng điểm và mọi tiêu chí xét",
        "{units}: share place {rank} — equal in total and in every tie-break key",
    ),
    "contest-assessed": (
        "Người chấm đánh giá {id}: {points} / {max} điểm — {reviewer}: «{justification}»",
        "Reviewer's assessment of {id}: {points} / {max} points — {reviewer}: «{justification}»",
    ),
    "contest-no-claims": (
        "Đơn vị không gửi bảng tự chấm điểm",
        "The unit sent no self-score table",
    ),
    "contest-policy": ("quy định khi đồng hạng: {rule}", "rule for a shared place: {rule}"),
    "contest-missing": (
        "Chưa nhận được hồ sơ của: {units}",
        "No submission received from: {units}",
    ),
    "contest-star": (
        "* chưa phúc tra: điểm tính trên số liệu đơn vị báo cáo",
        "* not re-inspected: points rest on the values the unit reported",
    ),
    "contest-reconciliation-head": (
        "Đối chiếu tự chấm, báo cáo và phúc tra (chỉ các dòng có khác biệt):",
        "Claimed, reported and verified points (lines that differ only):",
    ),
    "contest-unit-head": (
        "{unit} ({code}) — hạng {rank}, {total} điểm",
        "{unit} ({code}) — rank {rank}, {total} points",
    ),
    "contest-note": ("Ghi chú: {note}", "Note: {note}"),
    "contest-totals": (
        "Tổng điểm: tự chấm {claimed}; theo số liệu báo cáo {reported}; phúc tra {verified}",
        "Totals: claimed {claimed}; on reported values {reported}; verified {verified}",
    ),
    "contest-dossier-missing": ("Hồ sơ thiếu: {documents}", "Dossier lacks: {documents}"),
    "contest-evidence-missing": (
        "Thiếu minh chứng (tính 0 điểm): {fields}",
        "Missing evidence (scored 0): {fields}",
    ),
    "contest-no-differences": (
        "Điểm tự chấm khớp với điểm công nhận ở mọi tiêu chí",
        "The claimed points match the recognised points on every criterion",
    ),
    # ------------------------------------------------------------ HTML report
    "html-ranking-head": ("Bảng xếp hạng", "Ranking"),
    "html-differences-head": (
        "Đối chiếu tự chấm, báo cáo và phúc tra: các tiêu chí có khác biệt",
        "Claimed, reported and verified points: the criteria that differ",
    ),
    "html-changes-head": ("Số liệu phúc tra đã sửa", "Values re-inspection changed"),
    "html-criteria-head": ("Điểm từng tiêu chí và căn cứ chấm", "Points by criterion, and why"),
    "html-evidence-head": ("Minh chứng (số liệu)", "Evidence"),
    "html-missing-head": ("Thiếu minh chứng (tính 0 điểm)", "Missing evidence (scored 0)"),
    "html-assessments-head": ("Đánh giá của người chấm", "Reviewers' assessments"),
    "html-dossier-head": ("Hồ sơ đề nghị khen thưởng", "Award dossier"),
    "html-audit-head": ("Dấu vết kiểm tra", "Audit trail"),
    "html-result-head": ("Kết quả {number}", "Result {number}"),
    "html-col-field": ("Mã trường", "Field"),
    "html-col-value": ("Giá trị", "Value"),
    "html-col-reported-value": ("Số liệu báo cáo", "Reported value"),
    "html-col-verified-value": ("Số liệu phúc tra", "Verified value"),
    "html-col-items": ("Tiêu chí bị ảnh hưởng", "Criteria affected"),
    "html-col-why": ("Giải thích và căn cứ trong bảng điểm", "Why, and the rubric line"),
    "html-col-given": ("Điểm người chấm cho", "Points given"),
    "html-col-reviewer": ("Người chấm", "Reviewer"),
    "html-col-justification": ("Lý do", "Justification"),
    "html-col-document": ("Mã giấy tờ", "Document"),
    "html-col-sent": ("Đã gửi", "Sent"),
    "html-source-line": ("Bảng điểm, dòng {line}", "Rubric, line {line}"),
    "html-differs-legend": (
        "≠ dòng có khác biệt giữa điểm tự chấm, điểm theo báo cáo và điểm phúc tra",
        "≠ a line on which the claimed, reported and verified points differ",
    ),
    "html-unit-eligible": ("Đủ điều kiện xét giải", "Eligible for an award"),
    "html-unit-not-eligible": (
        "Không đủ điều kiện xét giải: {reasons}",
        "Not eligible for an award: {reasons}",
    ),
    "html-unit-award": ("Giải: {award} — tiền thưởng: {prize}", "Award: {award} — prize: {prize}"),
    "html-unit-no-award": ("Không được giải: {why}", "No award: {why}"),
    "html-unit-tie": ("Bằng điểm: {tie}", "Tie: {tie}"),
    "html-rubric-file": ("Tệp bảng điểm", "Rubric file"),
    "html-rubric-sha256": ("SHA-256 của tệp bảng điểm", "SHA-256 of the rubric file"),
    "html-evidence-sha256": ("SHA-256 của minh chứng", "SHA-256 of the evidence"),
    "html-submission-file": ("Tệp hồ sơ", "Submission file"),
    "html-submission-sha256": (
        "SHA-256 của hồ sơ (mọi nội dung đơn vị gửi và kết quả phúc tra)",
        "SHA-256 of the submission (everything the unit sent and re-inspection found)",
    ),
    "html-reported-sha256": (
        "SHA-256 của minh chứng đơn vị báo cáo",
        "SHA-256 of the reported evidence",
    ),
    "html-verified-sha256": (
        "SHA-256 của minh chứng sau phúc tra",
        "SHA-256 of the verified evidence",
    ),
    "html-engine-version": ("Phiên bản phần mềm chấm điểm", "Scoring engine version"),
    "explain-head": ("{title}{who}: {points} điểm", "{title}{who}: {points} points"),
    "explain-part": ("Phần {id} — {label}", "Part {id} — {label}"),
    "explain-total": (
        "Tổng: {standard} + {bonus} − {deduction} = {total}",
        "Total: {standard} + {bonus} − {deduction} = {total}",
    ),
    # ------------------------------------------------------------ what if (docs/what-if.md)
    "whatif-raise": (
        "→ Để tăng điểm: {change} → {points} điểm ({gain}); {total}",
        "→ To score more: {change} → {points} points ({gain}); {total}",
    ),
    "whatif-lower": (
        "→ Để giảm điểm trừ: {change} → {points} điểm ({gain}); {total}",
        "→ To be deducted less: {change} → {points} points ({gain}); {total}",
    ),
    "whatif-supply-many": (
        "→ Để tăng điểm: bổ sung minh chứng {fields}; khi có đủ, tiêu chí được tối đa {max} điểm",
        "→ To score more: supply {fields}; with them the item can reach at most {max} points",
    ),
    "whatif-none": (
        "→ Không có thay đổi nào của một minh chứng làm tăng điểm",
        "→ No change of a single evidence value scores more",
    ),
    "whatif-none-deduction": (
        "→ Không có thay đổi nào của một minh chứng làm giảm điểm trừ",
        "→ No change of a single evidence value deducts less",
    ),
    "whatif-reviewer": (
        "→ Điểm do người chấm cho, không tính từ minh chứng",
        "→ A reviewer gives these points, not the evidence",
    ),
    "whatif-unanalysable-nonlinear": (
        "→ Không phân tích được theo {field}: cách tính không phải bậc nhất theo trường này",
        "→ Cannot be analysed in {field}: the rule is not of the first degree in it",
    ),
    "whatif-unanalysable-limit": (
        "→ Dừng tìm theo {field} sau {limit} khoảng mà chưa thấy thay đổi nào giúp được",
        "→ Stopped searching {field} after {limit} stretches without finding a change that helps",
    ),
    "whatif-total": ("tổng {total}", "total {total}"),
    "whatif-total-same": ("tổng vẫn {total}", "total still {total}"),
    "whatif-up": (
        "thêm {amount} {field} ({before} → {after})",
        "{field} up by {amount} ({before} → {after})",
    ),
    "whatif-down": (
        "bớt {amount} {field} ({before} → {after})",
        "{field} down by {amount} ({before} → {after})",
    ),
    "whatif-earlier": (
        "{field} sớm hơn {amount} ({before} → {after})",
        "{field} {amount} earlier ({before} → {after})",
    ),
    "whatif-later": (
        "{field} muộn hơn {amount} ({before} → {after})",
        "{field} {amount} later ({before} → {after})",
    ),
    "whatif-set": ("đổi {field} ({before} → {after})", "change {field} ({before} → {after})"),
    "whatif-give": (
        "bổ sung minh chứng {field} (chẳng hạn {after})",
        "supply {field} (such as {after})",
    ),
    "whatif-percent-points": ("{value} điểm phần trăm", "{value} percentage point(s)"),
    "whatif-days": ("{value} ngày", "{value} day(s)"),
    "whatif-fired": ("được tính: {rules}", "counted: {rules}"),
    "whatif-fired-none": ("không quy tắc nào được tính", "no rule counted"),
    "whatif-gaps-head": (
        "Khoảng cách tới giải (đơn vị đủ điều kiện ngay dưới mỗi hạng giải):",
        "How far the eligible unit just below each award place was:",
    ),
    "whatif-gap": (
        "{unit} ({code}), {total} điểm, so với {holder} ({holder_code}, {place}), {holder_total} điểm: {needs}",
        "{unit} ({code}), {total} points, against {holder} ({holder_code}, {place}), {holder_total} points: {needs}",
    ),
    "whatif-needs-equal": (
        "kém {gap} điểm; bằng điểm là đủ, vì khi đó xếp trên nhờ «{key}»",
        "{gap} points behind; an equal total would do, as it would then rank above by «{key}»",
    ),
    "whatif-needs-more": (
        "kém {gap} điểm; bằng điểm vẫn xếp sau khi xét «{key}», nên cần hơn {gap} điểm",
        "{gap} points behind; at an equal total it still ranks below by «{key}», so it needs more than {gap}",
    ),
    "whatif-needs-tie": (
        "bằng điểm nhưng xếp sau khi xét «{key}»: cần thêm điểm",
        "an equal total, ranked below by «{key}»: it needs more points",
    ),
    "whatif-needs-shared": (
        "kém {gap} điểm; bằng điểm thì đồng hạng, nên cần hơn {gap} điểm",
        "{gap} points behind; at an equal total they would share the place, so it needs more than {gap}",
    ),
    "whatif-gap-enough": (
        "đủ để xếp trên nếu chỉ đổi một minh chứng:",
        "enough to rank above by changing one value alone:",
    ),
    "whatif-gap-change": (
        "{change}: tổng {total}, hạng {rank}{award}",
        "{change}: total {total}, rank {rank}{award}",
    ),
    "whatif-gap-none": (
        "không có thay đổi nào của một minh chứng đủ để xếp trên",
        "no change of a single evidence value would have been enough",
    ),
    "whatif-gap-none-head": (
        "Không có hạng giải nào có đơn vị đủ điều kiện xếp ngay dưới",
        "No award place has an eligible unit ranked just below it",
    ),
    "whatif-fragile-head": (
        "Kết quả đổi khi một minh chứng đổi một bước nhỏ nhất (nên phúc tra trước các giá trị này):",
        "Results that one smallest step of one evidence value would change (re-inspect these values first):",
    ),
    "whatif-fragile-none": (
        "Không thứ hạng hay giải nào đổi khi một minh chứng đổi một bước nhỏ nhất",
        "No rank or award changes when one evidence value moves by one smallest step",
    ),
    "whatif-fragile-one": ("{unit} ({code}), nếu {changes}", "{unit} ({code}), if {changes}"),
    "whatif-fragile-many": (
        "{unit} ({code}), nếu một trong {count} giá trị sau đổi một bước: {changes}",
        "{unit} ({code}), if one of these {count} values moves one step: {changes}",
    ),
    "whatif-fragile-then": ("thì: {effects}", "then: {effects}"),
    "whatif-step": ("{field} {before} → {after}", "{field} {before} → {after}"),
    "whatif-effect": (
        "{unit} ({code}) hạng {rank} → {rank_after}",
        "{unit} ({code}) rank {rank} → {rank_after}",
    ),
    "whatif-effect-award": (
        "{unit} ({code}) hạng {rank} → {rank_after}, {award} → {award_after}",
        "{unit} ({code}) rank {rank} → {rank_after}, {award} → {award_after}",
    ),
}

_TYPE_WORDS: Final[dict[str, tuple[str, str]]] = {
    "yes/no": ("có/không (true/false)", "yes/no (true/false)"),
    "count": ("số đếm (số nguyên từ 0)", "count (a whole number from 0)"),
    "number": ("số", "number"),
    "percent": ("tỷ lệ phần trăm (0–100)", "percentage (0-100)"),
    "money": ("số tiền (đồng)", "amount of money (đồng)"),
    "date": ("ngày (năm-tháng-ngày)", "date (year-month-day)"),
    "choice": ("giá trị lựa chọn", "choice value"),
}


class Verbatim:
    """A value shown exactly as this text, whatever the language."""

    def __init__(self, text: str) -> None:
        self.text = text

    def localize(self, lang: str) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verbatim) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class LongNumber:
    """An integer too long to show, described by its number of digits."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def localize(self, lang: str) -> str:
        return render_message("value-long-number", {"digits": self.digits}, lang)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.localize("en")

    __repr__ = __str__


class QuotedList:
    """Names listed for people: ``'dung_han', 'tre_han'``."""

    def __init__(self, names: tuple[str, ...] | list[str]) -> None:
        self.names = tuple(names)

    def localize(self, lang: str) -> str:
        return ", ".join(f"'{name}'" for name in self.names)


class TypeWord:
    """An evidence field type, named for people in either language."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def localize(self, lang: str) -> str:
        vi, en = _TYPE_WORDS.get(self.type_name, (self.type_name, self.type_name))
        return vi if lang == "vi" else en


def text_for(code: str, lang: Lang) -> str:
    """The template of message ``code`` in ``lang``."""
    vi, en = CATALOG[code]
    return vi if lang == "vi" else en


class _LangFormatter(string.Formatter):
    """Formats message arguments the way the reader's language writes them."""

    def __init__(self, lang: Lang, keyword_lang: Lang = "en") -> None:
        self.lang = lang
        self.keyword_lang = keyword_lang

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if key == "kw":
            return _KEYWORDS
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is _KEYWORDS:
            if self.keyword_lang == "en" or _keyword_translator is None:
                return format_spec
            return _keyword_translator(format_spec, self.keyword_lang)
        localize = getattr(value, "localize", None)
        if callable(localize):
            return str(localize(self.lang))
        if isinstance(value, Decimal) and not format_spec:
            if not value.is_finite() or not -30 < value.adjusted() < 30:
                return str(value)  # NaN, Infinity, 1E+5000: as written, not expanded
            return format_number(value, self.lang)
        if isinstance(value, tuple | list) and not format_spec:
            return ", ".join(self.format_field(v, "") for v in value)
        return str(super().format_field(value, format_spec))


def render_message(
    code: str, args: Mapping[str, object], lang: Lang, keyword_lang: Lang = "en"
) -> str:
    """Fill the template of ``code`` in ``lang`` with ``args``.

    ``{kw:…}`` in a template is written in the keywords of ``keyword_lang``, the
    language the rubric concerned writes its keywords in: ``'{kw:one of}'`` is
    ``'one of'``, or ``'một trong_số'`` for a rubric in Vietnamese keywords.
    """
    return _LangFormatter(lang, keyword_lang).vformat(text_for(code, lang), (), dict(args))


#: Turns English keywords in a text into another language's (set by
#: :mod:`htx_rules.parser`, which holds the keyword table).
_keyword_translator: Callable[[str, Lang], str] | None = None


def set_keyword_translator(translate: Callable[[str, Lang], str]) -> None:
    """Install the function that writes ``{kw:…}`` in a rubric's keyword language."""
    global _keyword_translator  # noqa: PLW0603 - set once, by the parser module
    _keyword_translator = translate


_KEYWORDS = object()  # the value of ``kw`` in a template
