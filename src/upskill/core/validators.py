"""Password policy beyond Django's validators."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The password of every demo log-in: printed by `make demo` and in the README, so it is public.
# The demo seed sets it (demo.seed); no account may choose it.
DEMO_PASSWORD = "Upskill#2023"  # noqa: S105


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols (等保 2.0 complexity)."""

    classes = (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for pattern in self.classes if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least three of: lower-case letters, upper-case "
            "letters, digits and symbols."
        )


class NewPasswordValidator:
    """A new password may be neither the published demo password nor the user's current one
    (on a change by the user, or a reset by an administrator)."""

    def validate(self, password: str, user=None) -> None:
        if password == DEMO_PASSWORD:
            raise ValidationError(
                _("This password is published with the demo; choose another."),
                code="password_published",
            )
        current = getattr(user, "password", "") if user is not None else ""
        # hashers.check_password, not user.check_password: that one may save the user.
        if current and check_password(password, current):
            raise ValidationError(
                _("The new password must differ from the current one."),
                code="password_unchanged",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be the current one or the published demo password.")


class LengthValidator(MinimumLengthValidator):
    """Django's minimum length, with its error in our catalogue: Django's zh-Hans catalogue
    lacks that error in its current wording, so a clerk would read it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
