"""统一社会信用代码 (GB 32100-2015): the 18-character code and its check character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the code upper-cased, or raise ``ValueError`` with a Chinese message."""
    text = code.strip().upper()
    if len(text) != 18:
        raise ValueError(f"统一社会信用代码应为18位,收到{len(text)}位")
    bad = [c for c in text if c not in ALPHABET]
    if bad:
        raise ValueError(f"统一社会信用代码含有不允许的字符“{bad[0]}”(不使用 I、O、S、V、Z)")
    expected = check_character(text[:17])
    if text[17] != expected:
        raise ValueError(
            f"统一社会信用代码校验位不符:末位应为“{expected}”,收到“{text[17]}”,请核对是否录入有误"
        )
    return text
