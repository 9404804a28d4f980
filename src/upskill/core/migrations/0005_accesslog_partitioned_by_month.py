"""The access log becomes a table partitioned by month on PostgreSQL (issue 19.5); SQLite keeps
a plain table. Rows, ids, indexes and foreign keys are kept."""

from django.db import migrations

from upskill.core.partitions import partition_by_month, unpartition


def forward(apps, schema_editor):
    partition_by_month(schema_editor.connection, "core_accesslog", "at")


def backward(apps, schema_editor):
    unpartition(schema_editor.connection, "core_accesslog", "at")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_accesslog_lookup_link_actions"),
        ("organisations", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
