"""Exact numbers: the decimal context scoring runs in, rounding, and display.

Every point, rate and amount of money is a :class:`decimal.Decimal`.  Scoring
runs in :data:`SCORING_CONTEXT`: 60 significant digits, so that sums and
products of evidence values are exact, and a quotient is carried far past the
rubric's rounding precision before the one rounding step (see
``docs/semantics.md``).  Invalid operations and overflow raise instead of
producing NaN or infinity.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Final, Literal

Lang = Literal["vi", "en"]

SCORING_CONTEXT: Final = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ROUNDING_MODES: Final[dict[str, str]] = {
    "half-up": decimal.ROUND_HALF_UP,
    "half-even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)
HUNDRED: Final = Decimal(100)


def canonical(value: Decimal) -> str:
    """The one textual form of a decimal in JSON and golden files: no exponent,
    no trailing zeros, no negative zero (``Decimal("10.50")`` -> ``"10.5"``).

    Exact whatever the caller's decimal context: it works on the digits.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_number(value: Decimal, lang: Lang = "vi", *, places: int | None = None) -> str:
    """Format a number for people: ``87,5`` and ``10.000.000`` in Vietnamese,
    ``87.5`` and ``10,000,000`` in English.

    With ``places`` the number is shown with exactly that many decimals (rounded
    half-up for display only); otherwise trailing zeros are dropped.
    """
    if places is not None:
        value = value.quantize(
            Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP, context=SCORING_CONTEXT
        )
        text = format(value, "f")
    else:
        text = canonical(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    thousands, point = (".", ",") if lang == "vi" else (",", ".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = thousands.join(groups)
    if fraction:
        result += point + fraction
    return sign + result


def format_percent(rate: Decimal, lang: Lang = "vi") -> str:
    """Format a rate (``0.655``) as a percentage (``65,5%``)."""
    return format_number(rate.scaleb(2, SCORING_CONTEXT), lang) + "%"


def format_money(amount: Decimal, lang: Lang = "vi") -> str:
    """Format an amount of money in đồng (``10.000.000 đồng``)."""
    return format_number(amount, lang) + " đồng"


def format_points(points: Decimal, lang: Lang = "vi") -> str:
    """Format points (``87,5``)."""
    return format_number(points, lang)
