"""Masking of sensitive values for screens, logs and public notices."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """``421022199001010017`` → ``421022********0017`` (region kept, birth date hidden)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_account(value: str | None) -> str:
    """``6222021234567890123`` → ``6222***********0123``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * (len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812341960`` → ``138****1960`` (first three and last four kept). At least four
    characters are always hidden, so a shorter number keeps less: ``07165222000`` →
    ``071****2000``, ``5222000`` → ``5****00``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    tail = 4 if len(value) >= 9 else 2
    head = min(3, len(value) - tail - 4)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_name(value: str | None) -> str:
    """For public pages: ``张三丰`` → ``张*丰``, ``李四`` → ``李*``."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
