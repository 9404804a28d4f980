"""Field encryption for sensitive personal information (ID numbers, bank accounts).

Authenticated encryption (AES-256-GCM by default, SM4-GCM where the national standard is
required), with the key id stored beside every ciphertext so keys can rotate: the active key
encrypts, every configured key decrypts. A separate keyed hash (HMAC-SHA256) gives a stable
lookup value for uniqueness and exact search without storing the plaintext.

Stored form: ``enc1$<key id>$<cipher>$<base64(nonce || ciphertext+tag)>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "enc1"
CIPHERS = ("aes-256-gcm", "sm4-gcm")


class DecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key id, wrong key or tampered data."""


@lru_cache(maxsize=16)
def _key(key_id: str) -> bytes:
    try:
        return base64.b64decode(settings.FIELD_ENCRYPTION_KEYS[key_id])
    except KeyError:
        raise DecryptionError(f"unknown field-encryption key id {key_id!r}") from None


def _sm4_encrypt(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_decrypt(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    body, tag = data[:-16], data[-16:]
    decryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plaintext: str, *, purpose: str, cipher: str | None = None) -> str:
    """Encrypt ``plaintext``; ``purpose`` (e.g. ``person.id_number``) is bound as associated
    data so a ciphertext copied into another column does not decrypt."""
    cipher = cipher or settings.FIELD_ENCRYPTION_CIPHER
    key_id = settings.FIELD_ENCRYPTION_KEY_ID
    key = _key(key_id)
    nonce = os.urandom(12)
    aad = purpose.encode()
    if cipher == "aes-256-gcm":
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), aad)
    elif cipher == "sm4-gcm":
        sealed = _sm4_encrypt(key, nonce, plaintext.encode(), aad)
    else:
        raise ValueError(f"unknown cipher {cipher!r}; use one of {CIPHERS}")
    return "$".join((PREFIX, key_id, cipher, base64.b64encode(nonce + sealed).decode()))


def decrypt(stored: str, *, purpose: str) -> str:
    try:
        prefix, key_id, cipher, payload = stored.split("$", 3)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    if prefix != PREFIX:
        raise DecryptionError("not an encrypted value")
    raw = base64.b64decode(payload)
    nonce, sealed = raw[:12], raw[12:]
    key = _key(key_id)
    try:
        if cipher == "aes-256-gcm":
            data = AESGCM(key).decrypt(nonce, sealed, purpose.encode())
        elif cipher == "sm4-gcm":
            data = _sm4_decrypt(key, nonce, sealed, purpose.encode())
        else:
            raise DecryptionError(f"unknown cipher {cipher!r}")
    except DecryptionError:
        raise
    except Exception as exc:  # InvalidTag and friends: never leak details
        raise DecryptionError("the value does not authenticate") from exc
    return data.decode()


def key_id_of(stored: str) -> str:
    return stored.split("$", 3)[1]


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for exact lookups and uniqueness (HMAC-SHA256, hex)."""
    key = base64.b64decode(settings.LOOKUP_HASH_KEY)
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
