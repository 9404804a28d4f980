"""Existing deployments: the default roles whose work is calling people get *reveal phone*
(organisations/roles.py, _PHONE_GRANTS): the HR service centre's counsellor, the bureaus' and
training centres' inspectors, the township centre's clerk, the institution's administrator and
clerk. Only those roles are touched, and only by adding. A fresh database gets the grant when
the default roles are first created after migrate."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    if not Role.objects.exists():
        return  # fresh database: roles_ensure_defaults() creates the roles with this grant
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("registry")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    from upskill.organisations.roles import _PHONE_GRANTS

    for kind, grants in _PHONE_GRANTS.items():
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
        ("registry", "0007_person_phone_encrypted"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
