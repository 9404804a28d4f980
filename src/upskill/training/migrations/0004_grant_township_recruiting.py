"""Existing deployments: the township centre's clerk recruits and enrols trainees for classes
held in its township (组织招生, GA23 三(五)), so its default role gets *add enrolment*
(organisations/roles.py, TOWNSHIP_RECRUITING). Only that role is touched, and only by adding.
The county training centre's new *organiser* role is created with its permissions by the
default roles after migrate; a fresh database gets everything then."""

from django.db import migrations


def grant(apps, schema_editor):
    from upskill.core.migration_ops import grant_default_permissions
    from upskill.organisations.roles import TOWNSHIP_RECRUITING

    grant_default_permissions(
        apps,
        app_label="training",
        grants={"township_centre": {"clerk": TOWNSHIP_RECRUITING}},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_class_states_actions_leave_constraints"),
        ("organisations", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
