"""Exact money: parsing amounts written the way Chinese offices write them, rounding, display.

Every amount is a ``Decimal`` in 元 from the moment it is read until it is printed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)

_UNIT = {"": Decimal(1), "元": Decimal(1), "千元": Decimal(1000), "万": WAN, "万元": WAN, "亿": YI, "亿元": YI}
UNITS = _UNIT  # unit word → factor to 元, for readers that meet a unit elsewhere (headers, formats)
_NUMBER = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+"  # commas group by three
_AMOUNT_RE = re.compile(rf"^({_NUMBER})\s*(亿元|万元|千元|亿|万|元)?$")
MAX_AMOUNT = Decimal(10) ** 15  # 1,000万亿元: far above any enterprise, far below Decimal's limits
_PERCENT_RE = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*[%％]$")


class AmountError(ValueError):
    """A text that is not an amount; the message is Chinese and says what would be right."""


def parse_amount(value: object) -> Decimal:
    """Read an amount in 元: a number, or a text such as ``"1.2亿"``, ``"300万元"``, ``"3,500,000"``.

    Floats are refused unless they came from a text the caller could not keep exact (YAML and
    JSON input are read with decimals kept exact, so a float here means a program passed one).
    """
    if isinstance(value, bool):
        raise AmountError("应为金额(元),不能是是/否")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        # Full-width digits, commas and signs (３,５００万) are read as their ASCII forms.
        text = unicodedata.normalize("NFKC", value).strip().replace(" ", "").removeprefix("¥")
        match = _AMOUNT_RE.match(text)
        if not match:
            raise AmountError(
                f"“{value}”不是金额;请写数字(元),可带单位,如 3500000、“3,500,000”、“300万元”、“1.2亿”"
            )
        number, unit = match.group(1).replace(",", ""), match.group(2) or ""
        try:
            amount = Decimal(number) * _UNIT[unit]
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise AmountError(f"“{value}”不是金额") from exc
    else:
        raise AmountError("应为金额(元)")
    if not amount.is_finite():
        raise AmountError("金额必须是有限数字,不能是 NaN 或无穷大")
    if amount < 0:
        shown = value.strip() if isinstance(value, str) else f"{amount:f}"
        raise AmountError(f"金额不能为负数(收到 {shown})")
    if amount >= MAX_AMOUNT:
        raise AmountError(f"金额 {amount:f} 元大得不合常理(上限 1,000万亿元);请核对单位和位数")
    return amount + 0  # -0 becomes 0


def parse_rate(value: object) -> Decimal:
    """Read a rate as a fraction of 1: ``0.85`` or ``"85%"``. ``85`` is refused with a hint."""
    if isinstance(value, bool):
        raise AmountError("应为比例,如 0.85 或 “85%”")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _PERCENT_RE.match(text)
        if match:
            rate = Decimal(match.group(1)) / 100
        else:
            try:
                rate = Decimal(text)
            except InvalidOperation as exc:
                raise AmountError(f"“{value}”不是比例;请写 0.85 或 “85%”") from exc
    elif isinstance(value, Decimal):
        rate = value
    elif isinstance(value, int):
        rate = Decimal(value)
    elif isinstance(value, float):
        rate = Decimal(repr(value))
    else:
        raise AmountError("应为比例,如 0.85 或 “85%”")
    if not rate.is_finite():
        raise AmountError("比例必须是有限数字")
    if rate < 0:
        raise AmountError("比例不能为负数")
    if rate > 1:
        if isinstance(value, str) and _PERCENT_RE.match(unicodedata.normalize("NFKC", value).strip()):
            raise AmountError(f"比例 {value.strip()} 超过 100%")
        raise AmountError(
            f"比例 {rate:f} 大于 1;比例按小数填写:若指 {rate:f}%,请写 {rate / 100:f} 或 “{rate:f}%”"
        )
    return rate + 0


def round_fen(amount: Decimal) -> Decimal:
    """Round half-up to 0.01 元, as the interpretation requires at the end of each award."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """``1234567.8`` → ``"1,234,567.80"`` (元, two decimals, thousands separators)."""
    return f"{round_fen(amount):,.2f}"


def wan(amount: Decimal) -> str:
    """``1234567.8`` → ``"123.46"``: the same amount in 万元, two decimals, as official tables write it.

    Shown only beside the exact figure in 元, never used to compute.
    """
    return f"{(amount / WAN).quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"


def percent(rate: Decimal) -> str:
    """``Decimal("0.10")`` → ``"10%"``."""
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def chinese_amount(amount: Decimal) -> str:
    """A figure as an officer would say it: ``"2.8亿元"``, ``"950万元"``, ``"3,000元"``."""
    if amount >= YI:
        return f"{(amount / YI).normalize():f}亿元"
    if amount >= WAN:
        return f"{wan(amount)}万元"
    return f"{yuan(amount).removesuffix('.00')}元"
