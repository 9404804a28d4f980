"""On PostgreSQL the ledger table refuses UPDATE and DELETE (HB45-PUB-1): entries are appended,
corrections are reversing entries. Other databases rely on the model's save and delete, which
refuse the same."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION subsidies_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the fund ledger is append-only (HB45-PUB-1): add a reversing entry';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER subsidies_ledger_append_only
    BEFORE UPDATE OR DELETE ON subsidies_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION subsidies_ledger_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS subsidies_ledger_append_only ON subsidies_ledgerentry;
DROP FUNCTION IF EXISTS subsidies_ledger_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
