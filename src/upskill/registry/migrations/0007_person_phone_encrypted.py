"""Person phone numbers are encrypted at rest like ID numbers (core/crypto.py, purpose
``person.phone``), with a keyed lookup hash for finding a person by the full number and
a masked copy (138****1960) for screens. The plaintext already stored, history rows included, is
encrypted here; the reverse decrypts it again before the column turns back into a plain one."""

import upskill.core.fields
from django.db import migrations

from upskill.core.crypto import lookup_hash
from upskill.core.masking import mask_phone
from upskill.core.migration_ops import decrypt_column, encrypt_column

PURPOSE = "person.phone"
TABLES = ("registry_person", "registry_historicalperson")
PKS = {"registry_person": "id", "registry_historicalperson": "history_id"}


def encrypt(apps, schema_editor):
    for table in TABLES:
        encrypt_column(
            schema_editor,
            table=table,
            pk=PKS[table],
            column="phone",
            purpose=PURPOSE,
            derived={
                "phone_hash": lambda value: lookup_hash(value, purpose=PURPOSE),
                "phone_masked": mask_phone,
            },
        )


def decrypt(apps, schema_editor):
    for table in TABLES:
        decrypt_column(schema_editor, table=table, pk=PKS[table], column="phone", purpose=PURPOSE)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_grant_account_change_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["county", "name", "pk"],
                "permissions": [
                    ("reveal_identity", "Can reveal full ID and bank account numbers"),
                    ("export_sensitive", "Can export files with full ID and bank account numbers"),
                    ("reveal_phone", "Can reveal full phone numbers of the persons it calls"),
                ],
                "verbose_name": "person",
                "verbose_name_plural": "persons",
            },
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="phone_hash",
            field=upskill.core.fields.LookupHashField(
                db_index=True, max_length=64, purpose="person.phone", source="phone"
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="phone_masked",
            field=upskill.core.fields.PhoneMaskField(
                max_length=32, source="phone", verbose_name="phone"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=upskill.core.fields.LookupHashField(
                db_index=True, max_length=64, purpose="person.phone", source="phone"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_masked",
            field=upskill.core.fields.PhoneMaskField(
                max_length=32, source="phone", verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="phone",
            field=upskill.core.fields.EncryptedTextField(
                blank=True, purpose="person.phone", verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=upskill.core.fields.EncryptedTextField(
                blank=True, purpose="person.phone", verbose_name="phone"
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
