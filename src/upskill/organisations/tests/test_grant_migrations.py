"""The default-role grant migrations all call ``core.migration_ops.grant_default_permissions``:
on a database whose default roles exist but lack an app's permissions, each migration gives
back exactly the permissions of its grants table (to those roles, and to no other), and
leaves the permissions of other apps alone; on a fresh database (no role yet) it does nothing."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from upskill.organisations import roles as role_tables
from upskill.organisations.models import Role
from upskill.organisations.services import roles_ensure_defaults

GRANT_MIGRATIONS = [
    ("assessment", "0002_grant_default_roles", "_ASSESSMENT_GRANTS"),
    ("employment", "0002_grant_default_roles", "_ASSESSMENT_GRANTS"),
    ("enterprise", "0002_grant_default_roles", "_ENTERPRISE_GRANTS"),
    ("nominations", "0002_grant_default_roles", "NOMINATION_GRANTS"),
    ("reports", "0002_grant_default_roles", "_REPORTS_GRANTS"),
    ("subsidies", "0003_grant_default_roles", "_SUBSIDY_GRANTS"),
    ("supervision", "0002_grant_default_roles", "_SUPERVISION_GRANTS"),
    ("registry", "0006_grant_account_change_roles", "_ACCOUNT_GRANTS"),
    ("registry", "0008_grant_reveal_phone", "_PHONE_GRANTS"),
]


def _held() -> set[tuple[str, str, str]]:
    return {
        (kind, code, f"{app}.{codename}")
        for kind, code, app, codename in Role.objects.values_list(
            "organisation_kind",
            "code",
            "permissions__content_type__app_label",
            "permissions__codename",
        )
        if codename
    }


def _run(app: str, name: str) -> None:
    migration = import_module(f"upskill.{app}.migrations.{name}")
    state = MigrationExecutor(connection).loader.project_state((app, name))
    migration.grant(state.apps, None)


@pytest.mark.parametrize(("app", "name", "table"), GRANT_MIGRATIONS)
def test_grant_migration_restores_its_table_and_nothing_else(world, app, name, table):
    roles_ensure_defaults()
    before = _held()
    grants = getattr(role_tables, table)
    expected = {
        (kind, code, perm)
        for kind, by_role in grants.items()
        for code, perms in by_role.items()
        for perm in perms
        if perm.startswith(f"{app}.") and Role.objects.filter(organisation_kind=kind, code=code)
    }
    assert expected, f"{table} grants nothing of {app}"
    for role in Role.objects.all():
        role.permissions.remove(*role.permissions.filter(content_type__app_label=app))
    _run(app, name)
    after = _held()
    assert {row for row in after if row[2].startswith(f"{app}.")} == expected
    assert {row for row in after if not row[2].startswith(f"{app}.")} == {
        row for row in before if not row[2].startswith(f"{app}.")
    }


@pytest.mark.parametrize(("app", "name", "table"), GRANT_MIGRATIONS[:1])
def test_grant_migration_on_a_fresh_database_does_nothing(db, app, name, table):
    Role.objects.all().delete()
    _run(app, name)
    assert not Role.objects.exists()
