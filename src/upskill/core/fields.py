"""Model fields for sensitive personal information."""

from __future__ import annotations

from django.db import models

from . import crypto
from .masking import mask_phone


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


class _DerivedCharField(models.CharField):
    """A column computed (by the subclass's ``derive``) from the plaintext of another field of
    the same row on every save, ``bulk_create`` included (Django calls ``pre_save`` for each
    object there too), so no writer can forget it. Python code never sets it."""

    def __init__(self, *args, source: str, **kwargs) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source) or ""
        derived = self.derive(value) if value else ""
        setattr(model_instance, self.attname, derived)
        return derived


class LookupHashField(_DerivedCharField):
    """The keyed hash (``core.crypto.lookup_hash``) of an encrypted field, for exact search."""

    def __init__(self, *args, source: str, purpose: str, **kwargs) -> None:
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, source=source, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def derive(self, value: str) -> str:
        return crypto.lookup_hash(value, purpose=self.purpose)


class PhoneMaskField(_DerivedCharField):
    """The masked copy of an encrypted phone number (``138****1960``) that screens show."""

    def __init__(self, *args, source: str, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, source=source, **kwargs)

    def derive(self, value: str) -> str:
        return mask_phone(value)
