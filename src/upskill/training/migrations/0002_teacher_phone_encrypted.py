"""Teacher phone numbers are encrypted at rest like ID numbers (core/crypto.py, purpose
``teacher.phone``) and
a masked copy (138****1960) for screens. The plaintext already stored, history rows included, is
encrypted here; the reverse decrypts it again before the column turns back into a plain one."""

import upskill.core.fields
from django.db import migrations

from upskill.core.masking import mask_phone
from upskill.core.migration_ops import decrypt_column, encrypt_column

PURPOSE = "teacher.phone"
TABLES = ("training_teacher", "training_historicalteacher")
PKS = {"training_teacher": "id", "training_historicalteacher": "history_id"}


def encrypt(apps, schema_editor):
    for table in TABLES:
        encrypt_column(
            schema_editor,
            table=table,
            pk=PKS[table],
            column="phone",
            purpose=PURPOSE,
            derived={
                "phone_masked": mask_phone,
            },
        )


def decrypt(apps, schema_editor):
    for table in TABLES:
        decrypt_column(schema_editor, table=table, pk=PKS[table], column="phone", purpose=PURPOSE)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalteacher",
            name="phone_masked",
            field=upskill.core.fields.PhoneMaskField(
                max_length=32, source="phone", verbose_name="phone"
            ),
        ),
        migrations.AddField(
            model_name="teacher",
            name="phone_masked",
            field=upskill.core.fields.PhoneMaskField(
                max_length=32, source="phone", verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="historicalteacher",
            name="phone",
            field=upskill.core.fields.EncryptedTextField(
                blank=True, purpose="teacher.phone", verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="teacher",
            name="phone",
            field=upskill.core.fields.EncryptedTextField(
                blank=True, purpose="teacher.phone", verbose_name="phone"
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
