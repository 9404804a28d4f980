"""Audit trail wiring for django-simple-history.

Every audited model declares ``history = audit_history()``; each historical row then records
who (user), for which organisation, through which API token, and the full before/after values.
Encrypted fields are copied as the same encrypted field, so history tables never hold plaintext.
"""

from __future__ import annotations

from django.db import models
from django.db.models import NOT_PROVIDED
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .actor import current_actor


class AuditFields(models.Model):
    history_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("acting organisation"),
    )
    history_token = models.CharField(_("API token"), max_length=64, blank=True)

    class Meta:
        abstract = True


def audit_history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(bases=[AuditFields], **kwargs)


@receiver(pre_create_historical_record)
def _record_actor(sender, instance, history_instance, **kwargs) -> None:
    actor = current_actor()
    if actor is None:
        return
    if getattr(actor, "is_api_token", False):
        history_instance.history_token = actor.name
        history_instance.history_user = None
    elif getattr(history_instance, "history_user", None) is None and getattr(
        actor, "is_authenticated", False
    ):
        history_instance.history_user = actor
    history_instance.history_organisation_id = getattr(actor, "organisation_id", None)


def bulk_create_audited(objs: list, model, *, actor, batch_size: int = 500) -> list:
    """``bulk_create`` the objects and write their "created" audit-trail rows in bulk, with the
    same values a ``save()`` records (who, which organisation or API token, the full values;
    encrypted fields encrypted). For imports of thousands of rows.

    Each object's column values are prepared once (``pre_save`` and ``get_db_prep_save``, so an
    ID number is encrypted once) and serve both its row and its history row. The rows go in
    with PostgreSQL's COPY, the ids drawn from the table's sequence first, or on SQLite with
    multi-row INSERTs that return the ids, as ``bulk_create`` does. Call inside a transaction."""
    from django.db import connections, router

    if not objs:
        return objs
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    if not _plain_inserts_fit(meta, connection):
        return _bulk_create_then_history(objs, model, actor=actor, batch_size=batch_size)
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk or not pk.db_returning]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        if pk.db_returning and obj.pk is not None:
            # an id given in advance: leave it to bulk_create, which writes it as given
            return _bulk_create_then_history(objs, model, actor=actor, batch_size=batch_size)
    prepare = [_preparer(f, connection) for f in fields]
    rows = [[one(obj) for one in prepare] for obj in objs]
    if pk.db_returning:
        ids = _insert_returning_ids(connection, meta, fields, rows, batch_size)
        for obj, value in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, value)
        # the history row's copy of the id, beside the other prepared values
        fields = [pk, *fields]
        rows = [[obj.pk, *row] for obj, row in zip(objs, rows, strict=True)]
    else:
        _insert_rows(connection, meta.db_table, fields, rows, batch_size)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    _insert_history(objs, model, actor, connection, fields, rows, batch_size)
    return objs


# Fields whose database value is the Python value itself when it has the plain type (a str, an
# int, a bool or None), on both engines: what get_db_prep_save would return for it.
_PLAIN_TYPES: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.BooleanField: (bool,),
}


def _preparer(field, connection):
    """``obj → field.get_db_prep_save(field.pre_save(obj, True))``, without Django's generic
    conversion chain for the plain columns that make up most of an imported row."""
    attname = field.attname
    target = field.target_field if field.is_relation else field
    plain = _PLAIN_TYPES.get(type(target))
    if type(field).pre_save is models.Field.pre_save and plain is not None:
        generic = field.get_db_prep_save

        def prepare(obj):
            value = getattr(obj, attname)
            if value is None or type(value) in plain:
                return value
            return generic(value, connection)

        return prepare
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def _plain_inserts_fit(meta, connection) -> bool:
    """Whether the model's rows can be written without Django's compiler: one table (no
    parents), no database defaults, an engine that returns ids from a multi-row insert."""
    return (
        not meta.parents
        and connection.vendor in ("postgresql", "sqlite")
        and connection.features.can_return_rows_from_bulk_insert
        and all(f.db_default is NOT_PROVIDED for f in meta.concrete_fields)
    )


def _insert_returning_ids(connection, meta, fields, rows, batch_size: int) -> list:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the ids first, from the table's own sequence (safe beside concurrent inserts),
            # then the rows with their ids through COPY
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [value for (value,) in cursor.fetchall()]
        _insert_rows(
            connection,
            meta.db_table,
            [meta.pk, *fields],
            [[value, *row] for value, row in zip(ids, rows, strict=True)],
            batch_size,
        )
        return ids
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, rows)))
    ids: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_sql] * len(part))
                + f" RETURNING {quote(meta.pk.column)}",
                [value for row in part for value in row],
            )
            ids += [value for (value,) in cursor.fetchall()]
    return ids


def _insert_rows(connection, table: str, fields, rows, batch_size: int) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = (
            f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


def _history_constants(actor, connection, history_model) -> dict:
    from django.utils import timezone

    is_token = getattr(actor, "is_api_token", False)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) and not is_token else None
    values = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user_id,
        "history_organisation_id": getattr(actor, "organisation_id", None),
        "history_token": actor.name if is_token else "",
    }
    meta = history_model._meta
    return {
        name: meta.get_field(name.removesuffix("_id")).get_db_prep_save(value, connection)
        for name, value in values.items()
    }


def _insert_history(objs, model, actor, connection, fields, rows, batch_size: int) -> None:
    """The "created" history rows: the constants of who and when, and each object's values as
    prepared for its own row (a history field has its model field's column and preparation)."""
    history_model = model.history.model
    constants = _history_constants(actor, connection, history_model)
    position = {f.attname: index for index, f in enumerate(fields)}
    history_fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
    # (constant, index into the object's prepared row, or the field to prepare it with)
    plan = []
    for f in history_fields:
        if f.attname in constants:
            plan.append((constants[f.attname], None, None))
        elif f.attname in position:
            plan.append((None, position[f.attname], None))
        else:
            plan.append((None, None, f))
    history_rows = [
        [
            constant
            if field is None and index is None
            else row[index]
            if field is None
            else field.get_db_prep_save(getattr(obj, field.attname), connection)
            for constant, index, field in plan
        ]
        for obj, row in zip(objs, rows, strict=True)
    ]
    _insert_rows(connection, history_model._meta.db_table, history_fields, history_rows, batch_size)


def _bulk_create_then_history(objs: list, model, *, actor, batch_size: int) -> list:
    """Django's ``bulk_create``, then the history rows prepared from the saved objects."""
    from django.db import connections, router

    created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    if any(obj.pk is None for obj in created):
        raise ValueError("bulk_create returned no primary keys: use bulk_create_with_history")
    connection = connections[router.db_for_write(model.history.model)]
    fields = list(model._meta.concrete_fields)
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in created
    ]
    _insert_history(created, model, actor, connection, fields, rows, batch_size)
    return created
