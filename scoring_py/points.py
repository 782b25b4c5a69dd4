"""Numbers of points: the one rounding of an exact value, and how a number is written for a
Vietnamese reader (a decimal comma). Shared by the engine, the summary and the pages."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .codec import format_decimal
from .model import Rounding


def round_to(value: Decimal | Fraction | int, rounding: Rounding) -> Decimal:
    """Round an exact value to a multiple of rounding.step with the rounding mode.

    The value is taken exactly (a Fraction for quotients such as 125/600 × 3): a quotient is
    never cut to a finite number of digits before this one rounding.
    """
    units = _round_units(Fraction(value) / Fraction(rounding.step), rounding.mode)
    return Decimal(units) * rounding.step


def _round_units(value: Fraction, mode: str) -> int:
    """Round to a whole number as Decimal's modes do: "half_up" sends ties away from zero,
    "half_even" to the even neighbour, "down" goes toward zero and "up" away from it."""
    floor, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return floor
    away = floor + 1 if value > 0 else floor  # the neighbour farther from zero
    toward = floor if value > 0 else floor + 1
    if mode == "down":
        return toward
    if mode == "up":
        return away
    twice = 2 * rest
    if twice != value.denominator:  # not a tie: the nearer neighbour
        return floor if twice < value.denominator else floor + 1
    if mode == "half_even":
        return floor if floor % 2 == 0 else floor + 1
    return away


def fmt(value: Decimal) -> str:
    """Write a number of points for a Vietnamese reader: comma decimals."""
    return format_decimal(value).replace(".", ",")
