from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from upskill.core import crypto
from upskill.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every sensitive value (history tables included) under the active key "
        "(UPSKILL_FIELD_KEY_ID), so an old key can then be removed from UPSKILL_FIELD_KEYS."
    )

    def handle(self, *args, **options):
        active = settings.FIELD_ENCRYPTION_KEY_ID
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if fields:
                total += _rotate(model, fields, active)
        self.stdout.write(f"{total} rows re-encrypted under key {active}.")


def _rotate(model, fields, active: str) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"SELECT {quote(model._meta.pk.column)}, {columns} "  # noqa: S608  (names, not data)
        f"FROM {quote(model._meta.db_table)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    changed = 0
    for pk, *stored_values in rows:
        changes = {
            field.attname: crypto.decrypt(stored, purpose=field.purpose)
            for field, stored in zip(fields, stored_values, strict=True)
            if stored and crypto.key_id_of(stored) != active
        }
        if changes:
            with transaction.atomic():
                # update() runs get_prep_value, which encrypts under the active key
                model._base_manager.filter(pk=pk).update(**changes)
            changed += 1
    return changed
