"""Existing deployments: the township centre's clerk now claims its management fees
(GA23-FEE-1) with a claim of its own, so its default role gets the claim permissions
(organisations/roles.py). Only that role is touched, and only by adding: what an administrator
removed from other roles stays removed. A fresh database gets the grant when the default roles
are first created after migrate."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    role = Role.objects.filter(organisation_kind="township_centre", code="clerk").first()
    if role is None:
        return
    from upskill.organisations.roles import _SUBSIDY_GRANTS

    codenames = [
        p.split(".", 1)[1] for p in _SUBSIDY_GRANTS["township_centre"]["clerk"] if "." in p
    ]
    Permission = apps.get_model("auth", "Permission")
    role.permissions.add(
        *Permission.objects.filter(content_type__app_label="subsidies", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0004_claimitem_source")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
