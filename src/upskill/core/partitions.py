"""Append-only tables partitioned by month (PostgreSQL's declarative partitioning).

A table that only grows (the access log, the learning heartbeats) is cut
into one partition per calendar month (Asia/Shanghai) of its timestamp column, so that a month is
read, archived or dropped without touching the others and its indexes stay the size of a month.
A default partition catches a row whose month has no partition yet, so an insert never fails;
:func:`monthly_partitions_ensure` (a daily task) keeps a year of partitions ahead and moves any
row that landed in the default partition into its month.

PostgreSQL 15 refuses identity columns and primary keys without the partition column on a
partitioned table: the id is filled from an owned sequence and the primary key is
``(id, <column>)``; Django still addresses a row by its id. SQLite keeps plain tables: every
function here does nothing there.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

# table → its timestamp column: the tables this project partitions by month
PARTITIONED = {"core_accesslog": "at", "learning_heartbeat": "received_at"}
MONTHS_AHEAD = 12


def _is_postgresql(connection) -> bool:
    return connection.vendor == "postgresql"


def is_partitioned(table: str, connection=default_connection) -> bool:
    if not _is_postgresql(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _bound(day: date) -> str:
    """A month's first instant in the project's time zone, as a timestamptz literal."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime(day.year, day.month, day.day, tzinfo=zone).isoformat()


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


def _existing(cursor, table: str) -> set[str]:
    cursor.execute(
        "SELECT child.relname FROM pg_inherits "
        "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
        "WHERE pg_inherits.inhparent = to_regclass(%s)",
        [table],
    )
    return {name for (name,) in cursor.fetchall()}


def monthly_partitions_ensure(
    table: str,
    *,
    column: str | None = None,
    today: date | None = None,
    months_ahead: int = MONTHS_AHEAD,
    since: date | None = None,
    connection=default_connection,
) -> list[str]:
    """Create the missing month partitions of ``table`` from ``since`` (default: this month)
    to ``months_ahead`` months after ``today``; rows of those months found in the default
    partition move into them. Returns the partitions created (none on SQLite)."""
    if not is_partitioned(table, connection):
        return []
    column = column or PARTITIONED[table]
    today = today or datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    month = _month_start(since or today)
    last = _month_start(today)
    for _ in range(months_ahead):
        last = _next_month(last)
    quote = connection.ops.quote_name
    created = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        existing = _existing(cursor, table)
        default = f"{table}_default"
        while month <= last:
            name = partition_name(table, month)
            if name not in existing:
                low, high = _bound(month), _bound(_next_month(month))
                cursor.execute(
                    f"CREATE TABLE {quote(name)} "
                    f"(LIKE {quote(table)} INCLUDING DEFAULTS INCLUDING STORAGE)"
                )
                if default in existing:  # rows that arrived before their month's partition
                    cursor.execute(
                        f"WITH moved AS (DELETE FROM {quote(default)} "  # noqa: S608
                        f"WHERE {quote(column)} >= %s AND {quote(column)} < %s RETURNING *) "
                        f"INSERT INTO {quote(name)} SELECT * FROM moved",
                        [low, high],
                    )
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ATTACH PARTITION {quote(name)} "
                    f"FOR VALUES FROM (%s) TO (%s)",
                    [low, high],
                )
                created.append(name)
            month = _next_month(month)
    return created


def _definitions(cursor, table: str) -> tuple[list[str], list[str]]:
    """The table's secondary index statements and foreign-key clauses, to put back on the
    table that replaces it."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), i.indisunique FROM pg_index i "
        "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary",
        [table],
    )
    indexes = []
    for statement, unique in cursor.fetchall():
        if unique:
            raise ValueError(f"{table}: a unique index needs the partition column: {statement}")
        # an index of a partitioned table reads "ON ONLY table"; the new table takes it whole
        indexes.append(statement.replace(" ON ONLY ", " ON "))
    cursor.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f'",
        [table],
    )
    foreign_keys = [clause for (clause,) in cursor.fetchall()]
    return indexes, foreign_keys


def _restore(cursor, quote, table: str, indexes: list[str], foreign_keys: list[str]) -> None:
    for statement in indexes:
        cursor.execute(statement)
    for clause in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD {clause}")


def partition_by_month(connection, table: str, column: str) -> None:
    """Turn the plain ``table`` into one partitioned by month of ``column``, rows kept
    (a migration's operation, given the schema editor's connection; nothing on SQLite)."""
    if not _is_postgresql(connection) or is_partitioned(table, connection):
        return
    quote = connection.ops.quote_name
    old, sequence = f"{table}_unpartitioned", f"{table}_id_seq"
    with connection.cursor() as cursor:
        indexes, foreign_keys = _definitions(cursor, table)
        cursor.execute(f"SELECT min({quote(column)}), max(id) FROM {quote(table)}")  # noqa: S608
        first, last_id = cursor.fetchone()
        # a table partitioned before and made plain again (a migration reversed) keeps the
        # sequence of its id: freed from the old table so that dropping it keeps the sequence
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attname = 'id' AND attidentity <> '')",
            [sequence, table],
        )
        (had_sequence,) = cursor.fetchone()
        if had_sequence:
            cursor.execute(f"ALTER SEQUENCE {quote(sequence)} OWNED BY NONE")
        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(
            f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS "
            f"INCLUDING STORAGE) PARTITION BY RANGE ({quote(column)})"
        )
        cursor.execute(
            f"CREATE TABLE {quote(table + '_default')} PARTITION OF {quote(table)} DEFAULT"
        )
    since = first.astimezone(ZoneInfo(settings.TIME_ZONE)).date() if first else None
    monthly_partitions_ensure(table, column=column, since=since, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")  # noqa: S608
        cursor.execute(f"DROP TABLE {quote(old)}")  # its identity sequence goes with it
        if had_sequence:
            cursor.execute(f"ALTER SEQUENCE {quote(sequence)} OWNED BY {quote(table)}.id")
        else:
            cursor.execute(f"CREATE SEQUENCE {quote(sequence)} OWNED BY {quote(table)}.id")
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_id or 1, last_id is not None])
        cursor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)",
            [sequence],
        )
        cursor.execute(f"ALTER TABLE {quote(table)} ADD PRIMARY KEY (id, {quote(column)})")
        _restore(cursor, quote, table, indexes, foreign_keys)


def unpartition(connection, table: str, column: str) -> None:
    """The reverse of :func:`partition_by_month`: one plain table again, rows kept."""
    if not is_partitioned(table, connection):
        return
    quote = connection.ops.quote_name
    old = f"{table}_partitioned"
    with connection.cursor() as cursor:
        indexes, foreign_keys = _definitions(cursor, table)
        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(
            f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS INCLUDING STORAGE)"
        )
        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")  # noqa: S608
        # the sequence is owned by the partitioned table's column: hand it over before the drop
        cursor.execute(f"ALTER SEQUENCE {quote(table + '_id_seq')} OWNED BY {quote(table)}.id")
        cursor.execute(f"DROP TABLE {quote(old)} CASCADE")
        cursor.execute(f"ALTER TABLE {quote(table)} ADD PRIMARY KEY (id)")
        _restore(cursor, quote, table, indexes, foreign_keys)
