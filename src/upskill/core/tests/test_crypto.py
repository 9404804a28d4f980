import base64
import os

import pytest

from upskill.core import crypto
from upskill.core.logging import mask_text
from upskill.core.masking import mask_account, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize("cipher", crypto.CIPHERS)
def test_round_trip_and_format(cipher):
    stored = crypto.encrypt("421022197503080011", purpose="person.id_number", cipher=cipher)
    assert stored.startswith("enc1$") and f"${cipher}$" in stored
    assert "421022197503080011" not in stored
    assert crypto.decrypt(stored, purpose="person.id_number") == "421022197503080011"


def test_same_value_encrypts_differently_each_time():
    a = crypto.encrypt("6228480402564890018", purpose="bank.account_number")
    b = crypto.encrypt("6228480402564890018", purpose="bank.account_number")
    assert a != b


def test_ciphertext_is_bound_to_its_column():
    stored = crypto.encrypt("421022197503080011", purpose="person.id_number")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, purpose="bank.account_number")


def test_tampering_is_detected():
    stored = crypto.encrypt("421022197503080011", purpose="person.id_number")
    head, payload = stored.rsplit("$", 1)
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(
            f"{head}${base64.b64encode(bytes(raw)).decode()}", purpose="person.id_number"
        )


def test_key_rotation(settings):
    old = crypto.encrypt("421022197503080011", purpose="person.id_number")
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_KEYS = {**settings.FIELD_ENCRYPTION_KEYS, "k2": new_key}
    settings.FIELD_ENCRYPTION_KEY_ID = "k2"
    crypto._key.cache_clear()
    try:
        fresh = crypto.encrypt("421022197503080011", purpose="person.id_number")
        assert crypto.key_id_of(fresh) == "k2"
        # values written under the old key still read
        assert crypto.decrypt(old, purpose="person.id_number") == "421022197503080011"
    finally:
        crypto._key.cache_clear()


def test_lookup_hash_is_stable_and_keyed():
    a = crypto.lookup_hash("421022197503080011", purpose="person.id_number")
    assert a == crypto.lookup_hash("421022197503080011", purpose="person.id_number")
    assert a != crypto.lookup_hash("421022197503080011", purpose="bank.account_number")
    assert "421022197503080011" not in a


def test_masks():
    assert mask_id_number("421022197503080017") == "421022********0017"
    assert mask_account("6228480402564890018") == "6228***********0018"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("李四") == "李*"


def test_logs_never_carry_full_numbers():
    line = "lookup 421022197503080017 card 6228480402564890018 done"
    masked = mask_text(line)
    assert "421022197503080017" not in masked and "6228480402564890018" not in masked
    assert "421022********0017" in masked


@pytest.mark.django_db
def test_rotate_field_keys_reencrypts_everything(settings, make_person):
    from django.core.management import call_command
    from django.db import connection

    person = make_person()
    settings.FIELD_ENCRYPTION_KEYS = {
        **settings.FIELD_ENCRYPTION_KEYS,
        "k2": base64.b64encode(os.urandom(32)).decode(),
    }
    settings.FIELD_ENCRYPTION_KEY_ID = "k2"
    crypto._key.cache_clear()
    try:
        call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM registry_person")
            stored = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT id_number FROM registry_historicalperson")
            stored += [row[0] for row in cursor.fetchall()]
        assert stored and all(crypto.key_id_of(value) == "k2" for value in stored)
        person.refresh_from_db()
        assert person.id_number == person.history.latest().id_number
    finally:
        crypto._key.cache_clear()
