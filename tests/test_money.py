"""money.py on its own: parsing amounts and rates, rounding and display, at every boundary.

Messages are checked only for what they must carry (the value the user wrote, in a Chinese
sentence), not their wording.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from zhuanyezhen.money import (
    MAX_AMOUNT,
    AmountError,
    chinese_amount,
    parse_amount,
    parse_rate,
    percent,
    round_fen,
    wan,
    yuan,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _message(func: Any, value: Any) -> str:
    with pytest.raises(AmountError) as caught:
        func(value)
    text = str(caught.value)
    assert CHINESE.search(text), text  # a sentence, not "None"
    return text


@pytest.mark.parametrize(("value", "expected"), [
    ("3,500,000", "3500000"), ("300万元", "3000000"), ("1.2亿", "120000000"), (" ¥12,345.65 ", "12345.65"),
    ("３,５００万", "35000000"), ("1 200 万", "12000000"), ("3 500 000", "3500000"), (7, "7"), (Decimal("0.01"), "0.01"),
    (0.1, "0.1"),  # a float is read by its shortest text, never its binary value 0.1000000000000000055…
])
def test_amounts_are_read_exactly(value: Any, expected: str) -> None:
    assert parse_amount(value) == Decimal(expected)


def test_minus_zero_is_plain_zero() -> None:
    assert not parse_amount("-0").is_signed() and not parse_amount(Decimal("-0")).is_signed()
    assert not parse_rate("-0").is_signed()


def test_amount_limit_is_exclusive() -> None:
    # MAX_AMOUNT = 10^15 元 is refused; one fen below it is read
    assert parse_amount(MAX_AMOUNT - Decimal("0.01")) == Decimal("999999999999999.99")
    assert "1,000万亿" in _message(parse_amount, MAX_AMOUNT)


@pytest.mark.parametrize(("value", "shown"), [
    ("abc", "abc"), (" -5万 ", "-5万"), (Decimal("-5.5"), "-5.5"), (Decimal("NaN"), "NaN"), (True, "否"), ([1], "金额"),
])
def test_bad_amounts_say_what_was_written(value: Any, shown: str) -> None:
    assert shown in _message(parse_amount, value)


@pytest.mark.parametrize(("value", "expected"), [
    ("85%", "0.85"), ("0.85", "0.85"), (0, "0"), ("0", "0"), (1, "1"), ("100%", "1"), (Decimal("0.87"), "0.87"),
    (0.8, "0.8"), ("８５％", "0.85"),
])
def test_rates_are_read_exactly(value: Any, expected: str) -> None:
    assert parse_rate(value) == Decimal(expected)


@pytest.mark.parametrize(("value", "shown"), [
    ("abc", "abc"), (True, "0.85"), ([1], "0.85"), (Decimal("Infinity"), "比例"), (-0.1, "负"),
    (Decimal("1.5"), "0.015"),  # a rate above 1 with the hint that 1.5% is 0.015
    (2, "0.02"),
])
def test_bad_rates_say_what_was_written(value: Any, shown: str) -> None:
    assert shown in _message(parse_rate, value)


def test_percent_above_hundred_is_named_as_written() -> None:
    text = _message(parse_rate, "150%")
    assert "150%" in text and "0.015" not in text  # not mistaken for a decimal written as 150


@pytest.mark.parametrize(("amount", "fen"), [
    ("1234.565", "1234.57"), ("1234.575", "1234.58"), ("0.005", "0.01"), ("0.0049", "0.00"), ("2.5", "2.50"),
])
def test_round_fen_is_half_up(amount: str, fen: str) -> None:
    # 1,234.565 → 1,234.57 and 0.005 → 0.01 (half-even would give 1,234.56 and 0.00)
    assert str(round_fen(Decimal(amount))) == fen


@pytest.mark.parametrize(("amount", "text"), [
    # 万元 with two decimals, rounded half-up, thousands separated (the display beside the 元 figure)
    ("1234567.8", "123.46"), ("1800000", "180.00"), ("12345678900", "1,234,567.89"), ("0", "0.00"),
    ("5000", "0.50"), ("12345", "1.23"), ("12350", "1.24"),  # 1.235 → 1.24, half-up (half-even: 1.24 too)
    ("12250", "1.23"),  # 1.225 → 1.23 half-up; half-even would give 1.22
])
def test_wan_has_two_decimals_rounded_half_up(amount: str, text: str) -> None:
    assert wan(Decimal(amount)) == text


def test_display_forms() -> None:
    assert yuan(Decimal("1234567.8")) == "1,234,567.80"
    assert percent(Decimal("0.10")) == "10%" and percent(Decimal("0.875")) == "87.5%"


@pytest.mark.parametrize(("amount", "text"), [
    ("100000000", "1亿元"), ("280000000", "2.8亿元"), ("99999999", "10,000.00万元"),
    ("10000", "1.00万元"), ("9500000", "950.00万元"), ("9999", "9,999元"), ("3000", "3,000元"), ("12.5", "12.50元"),
])
def test_chinese_amount_boundaries(amount: str, text: str) -> None:
    # 1亿 = 100,000,000 元 and 1万 = 10,000 元 are written in the larger unit from the boundary on
    # (99,999,999 元 is 9,999.9999万, shown to two decimals: 10,000.00万元)
    assert chinese_amount(Decimal(amount)) == text
