"""Existing deployments: the default roles get the enrolment-path permissions docs/roles.md gives them
(organisations/roles.py, NOMINATION_GRANTS). A fresh database gets them when the default roles
are first created after migrate; roles an administrator adjusted keep their other permissions."""

from django.db import migrations


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import NOMINATION_GRANTS

    grant_default_permissions(apps, app_label="nominations", grants=NOMINATION_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0001_initial"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
