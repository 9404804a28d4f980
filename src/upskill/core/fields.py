"""Model fields for sensitive personal information."""

from __future__ import annotations

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores the value encrypted (see ``core.crypto``); Python code sees the plaintext.

    The ciphertext is non-deterministic, so the field cannot be filtered on: keep a
    ``lookup_hash`` column beside it for exact search and uniqueness.
    """

    def __init__(self, *args, purpose: str, **kwargs) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        if value.startswith(crypto.PREFIX + "$"):
            return value  # already encrypted (e.g. copied by key rotation)
        return crypto.encrypt(value, purpose=self.purpose)
