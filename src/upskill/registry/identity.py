"""Resident ID numbers (GB 11643-1999) and bank card numbers: normalise, validate, derive.

Real input is messy: full-width digits, spaces, a lowercase ``x``. We accept what can be read
unambiguously and explain the rest, naming what is wrong.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import ValidationError


class IdentityError(ValueError):
    """A value that is not a valid identity or account number; the message says why."""


def normalise_digits(value: object) -> str:
    """Full-width to half-width, spaces and separators removed, ``x`` upper-cased."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_").upper()


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" or "F": the 17th digit, odd for men (GB 11643 §5.3)
    address_code: str


def parse_resident_id(value: object, *, on_date: date | None = None) -> ResidentId:
    """Validate an 18-character resident ID number and derive birth date and sex."""
    number = normalise_digits(value)
    if not number:
        raise IdentityError(_("The ID number is empty."))
    if len(number) == 15 and number.isdigit():
        raise IdentityError(
            _(
                "The ID number has 15 digits: either a first-generation number or an 18-digit "
                "number that a spreadsheet turned into a number and cut. Enter all 18 "
                "characters as text."
            )
        )
    # Not ric.validate(): it also requires the address code to have existed in the birth year,
    # which refuses real numbers issued after a county was renumbered (a Gong'an resident born
    # in 1990 holds 421022…, a code from 1994). GB 11643 fixes the check character and the
    # birth date; the address code is only checked for its shape.
    if len(number) != 18:
        raise IdentityError(
            _("The ID number must have 18 characters; it has %(n)d.") % {"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(
            _("The ID number may contain only digits, and X as the last character.")
        )
    if number[0] not in "12345678" or number[1] == "0":
        raise IdentityError(_("The ID number does not start with a province code."))
    if ric.calc_check_digit(number) != number[17]:
        raise IdentityError(
            _("The check character of the ID number is wrong: check it for a typing error.")
        )
    try:
        ric.get_birth_date(number)
    except ValidationError:
        raise IdentityError(_("The ID number contains an impossible birth date.")) from None
    birth = ric.get_birth_date(number)
    if birth > (on_date or date.today()):
        raise IdentityError(_("The birth date in the ID number is in the future."))
    return ResidentId(
        number=number,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
        address_code=number[:6],
    )


@dataclass(frozen=True)
class AccountCheck:
    number: str
    is_card: bool
    warning: str = ""


def check_bank_account(value: object, *, kind: str) -> AccountCheck:
    """A personal bank card (16–19 digits) must pass the Luhn check; a passbook or other
    account number cannot be checked and is accepted with a warning."""
    number = normalise_digits(value)
    if not number.isdigit():
        raise IdentityError(_("The account number may contain only digits."))
    if kind == "card":
        if not 16 <= len(number) <= 19:
            raise IdentityError(
                _("A bank card number has 16 to 19 digits; this one has %(n)d.")
                % {"n": len(number)}
            )
        if not luhn.is_valid(number):
            raise IdentityError(
                _("The bank card number fails its check digit (Luhn): check it for a typing error.")
            )
        return AccountCheck(number=number, is_card=True)
    if not 8 <= len(number) <= 30:
        raise IdentityError(_("The account number must have 8 to 30 digits."))
    return AccountCheck(
        number=number,
        is_card=False,
        warning=_(
            "A passbook account number has no check digit: compare it with the passbook before "
            "any payment."
        ),
    )
