"""The roster vocabulary's default wordings (registry/vocabulary.py): today's headings, category
and household words plus the official terms of rural-revitalisation rosters (脱贫属性, 监测对象类型,
户类型; 脱贫不稳定户, 边缘易致贫户, 突发严重困难户). Existing deployments: the default roles get
the permission to add and change wordings (organisations/roles.py, _VOCABULARY_GRANTS)."""

from django.db import migrations


def seed(apps, schema_editor):
    from upskill.registry.vocabulary import seed_terms

    seed_terms(apps.get_model("registry", "VocabularyTerm"))


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import _VOCABULARY_GRANTS

    grant_default_permissions(apps, app_label="registry", grants=_VOCABULARY_GRANTS)


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
