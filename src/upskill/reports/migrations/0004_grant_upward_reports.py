"""Existing deployments: the default roles get the reports-upward permissions (HB45-RPT-1, HB61 五)
(organisations/roles.py, _REPORTS_GRANTS). A fresh database gets them when the default roles
are first created after migrate; roles an administrator adjusted keep their other permissions."""

from django.db import migrations


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import _REPORTS_GRANTS

    grant_default_permissions(apps, app_label="reports", grants=_REPORTS_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_upward_reports"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
