"""A log filter that masks resident ID numbers, card numbers and mobile phone numbers in every
log line."""

from __future__ import annotations

import logging
import re

from .masking import mask_account, mask_id_number, mask_phone

_ID = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{12,16}|\d{19})(?!\d)")
# a mainland mobile number: 11 digits, 1[3-9]… (with +86 run into it, _CARD masks 13 digits)
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group(1)), text)
    text = _CARD.sub(lambda m: mask_account(m.group(1)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


class MaskIdentityFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
