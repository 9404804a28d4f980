"""The learning heartbeats become a table partitioned by month of ``received_at`` on
PostgreSQL (issue 19.5), like the access log (core 0005); SQLite keeps a plain table. Rows, ids,
the (person, received_at) index and the foreign keys are kept; the migration reverses."""

from django.db import migrations

from upskill.core.partitions import partition_by_month, unpartition


def forward(apps, schema_editor):
    partition_by_month(schema_editor.connection, "learning_heartbeat", "received_at")


def backward(apps, schema_editor):
    unpartition(schema_editor.connection, "learning_heartbeat", "received_at")


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_weekly")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
