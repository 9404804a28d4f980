"""Existing deployments: the default roles get the permissions of bank account changes
(organisations/roles.py, _ACCOUNT_GRANTS): the payment clerk confirms, the reviewer decides the
holder-name exception, the others follow the changes. Only adding: what an administrator removed
from other roles stays removed. A fresh database gets them when the default roles are first
created after migrate."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    if not Role.objects.exists():
        return  # fresh database: roles_ensure_defaults() creates the roles with these grants
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("registry")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    from upskill.organisations.roles import _ACCOUNT_GRANTS

    for kind, grants in _ACCOUNT_GRANTS.items():
        for code, perms in grants.items():
            role = Role.objects.filter(organisation_kind=kind, code=code).first()
            if role is None:
                continue
            codenames = [p.split(".", 1)[1] for p in perms if p.startswith("registry.")]
            role.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="registry", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_bank_account_change_request"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
