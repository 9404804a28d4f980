"""Existing deployments: the default roles get the permissions of bank account changes
(organisations/roles.py, _ACCOUNT_GRANTS): the payment clerk confirms, the reviewer decides the
holder-name exception, the others follow the changes. Only adding: what an administrator removed
from other roles stays removed. A fresh database gets them when the default roles are first
created after migrate."""

from django.db import migrations


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import _ACCOUNT_GRANTS

    grant_default_permissions(apps, app_label="registry", grants=_ACCOUNT_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_bank_account_change_request"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
