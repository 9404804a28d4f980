"""Existing deployments: the default roles get the reports-upward permissions (HB45-RPT-1, HB61 五)
(organisations/roles.py, _REPORTS_GRANTS). A fresh database gets them when the default roles
are first created after migrate; roles an administrator adjusted keep their other permissions."""

from django.db import migrations

APP = "reports"


def grant(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    if not Role.objects.exists():
        return  # fresh database: roles_ensure_defaults() creates the roles with these grants
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config(APP)
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    from upskill.organisations.roles import _REPORTS_GRANTS

    for kind, grants in _REPORTS_GRANTS.items():
        for code, perms in grants.items():
            role = Role.objects.filter(organisation_kind=kind, code=code).first()
            if role is None:
                continue
            codenames = [p.split(".", 1)[1] for p in perms if p.startswith(f"{APP}.")]
            role.permissions.add(
                *Permission.objects.filter(content_type__app_label=APP, codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_upward_reports"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
