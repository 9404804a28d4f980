"""A log filter that masks resident ID numbers and card numbers in every log line."""

from __future__ import annotations

import logging
import re

from .masking import mask_account, mask_id_number

_ID = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{12,16}|\d{19})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group(1)), text)
    return _CARD.sub(lambda m: mask_account(m.group(1)), text)


class MaskIdentityFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
