"""Data migrations that encrypt a column that held plaintext (and decrypt it back on reverse).

Written with the schema editor's connection and plain SQL, not the migration's models: an
``EncryptedTextField`` decrypts on read, which a plaintext value does not survive. Safe on an
empty database, on a populated one, run twice (an ``enc1$`` value is left as it is), and on
SQLite and PostgreSQL alike. History tables are passed like any other table.
"""

from __future__ import annotations

from collections.abc import Callable

from . import crypto

BATCH = 1000


def _rows(connection, table: str, pk: str, column: str):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        return cursor.fetchall()


def _update(connection, table: str, pk: str, assignments: list[str], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(column)} = %s" for column in assignments)
    sql = f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def encrypt_column(
    schema_editor,
    *,
    table: str,
    column: str,
    purpose: str,
    pk: str = "id",
    derived: dict[str, Callable[[str], str]] | None = None,
) -> int:
    """Encrypt every plaintext value of ``table.column`` for ``purpose`` and fill the
    ``derived`` columns (column → function of the plaintext: its lookup hash, its mask).
    Returns the number of rows encrypted."""
    connection = schema_editor.connection
    derived = derived or {}
    rows = []
    for key, value in _rows(connection, table, pk, column):
        if value.startswith(crypto.PREFIX + "$"):
            continue
        rows.append(
            [
                crypto.encrypt(value, purpose=purpose),
                *(derive(value) for derive in derived.values()),
                key,
            ]
        )
    _update(connection, table, pk, [column, *derived], rows)
    return len(rows)


def decrypt_column(schema_editor, *, table: str, column: str, purpose: str, pk: str = "id") -> int:
    """The reverse of :func:`encrypt_column`: the plaintext back in ``column`` (the derived
    columns are dropped by the schema reversal). Returns the number of rows decrypted."""
    connection = schema_editor.connection
    rows = [
        [crypto.decrypt(value, purpose=purpose), key]
        for key, value in _rows(connection, table, pk, column)
        if value.startswith(crypto.PREFIX + "$")
    ]
    _update(connection, table, pk, [column], rows)
    return len(rows)


def grant_default_permissions(apps, *, app_label: str, grants: dict) -> None:
    """For a data migration that adds permissions of ``app_label`` to existing default roles:
    ``grants`` is a ``{organisation kind: {role code: [app.codename, …]}}`` table of
    ``organisations/roles.py``. Only adds, only to those roles; on a fresh database (no role
    yet) nothing, since the roles are created later with their grants."""
    from django.contrib.auth.management import create_permissions

    Role = apps.get_model("organisations", "Role")
    if not Role.objects.exists():
        return
    # the permissions of models created in this same migration run do not exist yet
    config = apps.get_app_config(app_label)
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    prefix = f"{app_label}."
    for kind, by_role in grants.items():
        for code, perms in by_role.items():
            codenames = [p.removeprefix(prefix) for p in perms if p.startswith(prefix)]
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            for role in Role.objects.filter(organisation_kind=kind, code=code):
                role.permissions.add(*permissions)
