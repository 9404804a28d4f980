"""The fund ledger's keys and its signed checkpoints (HB45-PUB-1).

* The **MAC keys** (``settings.LEDGER_MAC_KEYS``, ``UPSKILL_LEDGER_KEYS``): HMAC-SHA256 keys by
  id. New entries are chained under the active one (``LEDGER_MAC_KEY_ID``) and name it; the
  others stay for verification. They live with the field keys, never in the database, so
  someone who can write the database cannot recompute an entry's MAC.
* The **signing key** (``settings.LEDGER_SIGNING_KEY``, ``UPSKILL_LEDGER_SIGNING_KEY``): an
  Ed25519 private key (base64 of the 32-byte seed, or PEM). A checkpoint — last sequence number,
  entry count, head hash and head MAC — is signed with it and written outside the database
  (``STORAGES["ledger_checkpoints"]``), so an auditor checks it with the public key alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages

CHECKPOINT_VERSION = 1
STORAGE_ALIAS = "ledger_checkpoints"


# -- the MAC keys --------------------------------------------------------------------------


def mac_key_id() -> str:
    return settings.LEDGER_MAC_KEY_ID


def mac_key(key_id: str) -> bytes | None:
    """The HMAC key named ``key_id``, or None when it is not configured (any more)."""
    value = settings.LEDGER_MAC_KEYS.get(key_id)
    if value is None:
        return None
    key = base64.b64decode(value)
    if len(key) < 32:
        raise ImproperlyConfigured(f"ledger key {key_id} must be at least 32 bytes")
    return key


def mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# -- the signing key -----------------------------------------------------------------------


@cache
def _private_key(value: str) -> Ed25519PrivateKey:
    value = value.strip()
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("UPSKILL_LEDGER_SIGNING_KEY must be an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(value))


def signing_key() -> Ed25519PrivateKey:
    return _private_key(settings.LEDGER_SIGNING_KEY)


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64() -> str:
    """The public half of the signing key, base64 (what ``upskill ledger public-key`` prints)."""
    return base64.b64encode(public_key_bytes(signing_key().public_key())).decode()


def public_key_pem() -> str:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def fingerprint(raw_public_key: bytes) -> str:
    """Short name of a public key, written in each checkpoint: which key signed it."""
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def load_public_key(value: str) -> Ed25519PublicKey:
    """A public key given as base64 of its 32 bytes or as PEM."""
    value = value.strip()
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(value.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(value))


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """The configured signing key's public half and the earlier ones still trusted, by
    fingerprint."""
    keys = [signing_key().public_key()] + [
        load_public_key(value) for value in settings.LEDGER_TRUSTED_PUBLIC_KEYS
    ]
    return {fingerprint(public_key_bytes(key)): key for key in keys}


# -- checkpoints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    """A checkpoint as written outside the database: its statement and the signature."""

    name: str
    body: dict
    signature: str

    @property
    def seq(self) -> int:
        return int(self.body["seq"])

    @property
    def count(self) -> int:
        return int(self.body["count"])

    @property
    def head_hash(self) -> str:
        return self.body["head_hash"]

    @property
    def head_mac(self) -> str:
        return self.body.get("head_mac", "")

    @property
    def genesis_seq(self) -> int:
        return int(self.body["genesis_seq"])

    @property
    def signer(self) -> str:
        return self.body.get("signer", "")

    def verify(self, keys: dict[str, Ed25519PublicKey]) -> bool:
        """True when one of ``keys`` signed exactly this statement."""
        key = keys.get(self.signer)
        if key is None:
            return False
        try:
            key.verify(base64.b64decode(self.signature), canonical(self.body))
        except (InvalidSignature, ValueError):
            return False
        return True


def canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def storage():
    return storages[STORAGE_ALIAS]


def file_name(seq: int, created_at: datetime) -> str:
    """Sortable by sequence number, then time: ``checkpoint-000000000042-20240101T020000Z.json``."""
    return f"checkpoint-{seq:012d}-{created_at:%Y%m%dT%H%M%S%fZ}.json"


def sign(body: dict) -> Signed:
    key = signing_key()
    body = {**body, "version": CHECKPOINT_VERSION}
    body["signer"] = fingerprint(public_key_bytes(key.public_key()))
    signature = base64.b64encode(key.sign(canonical(body))).decode()
    return Signed(name="", body=body, signature=signature)


def write(signed: Signed, created_at: datetime) -> Signed:
    """Store the signed checkpoint outside the database; returns it with its file name."""
    document = json.dumps(
        {"checkpoint": signed.body, "signature": signed.signature},
        sort_keys=True,
        ensure_ascii=False,
        indent=1,
    )
    name = storage().save(file_name(signed.seq, created_at), ContentFile(document.encode("utf-8")))
    return Signed(name=name, body=signed.body, signature=signed.signature)


class Unreadable(Exception):
    """A checkpoint file that is missing or is not a checkpoint."""


def read(name: str) -> Signed:
    try:
        with storage().open(name, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
        body, signature = document["checkpoint"], document["signature"]
        for field in ("seq", "count", "head_hash", "genesis_seq"):
            body[field]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Unreadable(name) from exc
    return Signed(name=name, body=body, signature=signature)


def names() -> list[str]:
    """Every checkpoint file, oldest first."""
    try:
        _dirs, files = storage().listdir("")
    except FileNotFoundError:
        return []
    return sorted(f for f in files if f.startswith("checkpoint-") and f.endswith(".json"))
