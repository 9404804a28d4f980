"""Existing deployments: the default roles whose work is calling people get *reveal phone*
(organisations/roles.py, _PHONE_GRANTS): the HR service centre's counsellor, the bureaus' and
training centres' inspectors, the township centre's clerk, the institution's administrator and
clerk. Only those roles are touched, and only by adding. A fresh database gets the grant when
the default roles are first created after migrate."""

from django.db import migrations


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import _PHONE_GRANTS

    grant_default_permissions(apps, app_label="registry", grants=_PHONE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_person_phone_encrypted"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
