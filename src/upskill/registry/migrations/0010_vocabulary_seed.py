"""The roster vocabulary's default wordings (registry/vocabulary.py): today's headings, category
and household words plus the official terms of rural-revitalisation rosters (脱贫属性, 监测对象类型,
户类型; 脱贫不稳定户, 边缘易致贫户, 突发严重困难户). Existing deployments: the default roles get
the permission to add and change wordings (organisations/roles.py, _VOCABULARY_GRANTS)."""

from django.db import migrations


def seed(apps, schema_editor):
    from upskill.registry.vocabulary import seed_terms

    seed_terms(apps.get_model("registry", "VocabularyTerm"))


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
    from upskill.organisations.roles import _VOCABULARY_GRANTS

    for kind, grants in _VOCABULARY_GRANTS.items():
        for code, perms in grants.items():
            for role in Role.objects.filter(organisation_kind=kind, code=code):
                codenames = [p.split(".", 1)[1] for p in perms]
                role.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label="registry", codename__in=codenames
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_vocabularyterm"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
