"""Inserting a few new rows of one model in a single statement, for the hot paths.

``insert(objects)`` does what ``bulk_create`` does for unsaved objects of one model with a
database-generated primary key (defaults, ``auto_now_add``, the pk set on each object), with
the statement's text built once per model and row count instead of compiled per call, a
cost the ORM pays on every insert of every registration (docs/decisions/0006). No ``save()``
and no signals, as with ``bulk_create``; more than SMALL values go through ``bulk_create``,
which splits them into batches.

On PostgreSQL, rows go as one array per column (``INSERT ... SELECT * FROM UNNEST(...)``, as
Django's own ``bulk_create`` does): the statement's text and its parameter count no longer
depend on the row count, so the driver's cache of parsed statements holds it (psycopg parses
again, in Python, every statement of more than 50 parameters: 1.5 ms for three persons'
rows) and the server prepares one statement per model (ADR 0143).
"""

from functools import cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, ForeignKey, Model

M = TypeVar("M", bound=Model)
SMALL = 1_000  # values (rows × columns)


def insert(objects: list[M]) -> list[M]:
    if not objects:
        return objects
    model = type(objects[0])
    if any(obj.pk is not None for obj in objects):
        raise ValueError(f"insert() writes new {model.__name__} rows; one has a key already")
    fields = _fields(model)
    if len(objects) * len(fields) > SMALL:
        return model._default_manager.bulk_create(objects)
    connection = connections[router.db_for_write(model)]
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objects
    ]
    if len(rows) > 1 and _unnest_types(model, connection.alias) is not None:
        sql, params = (
            _unnest_sql(model, connection.alias),
            [list(c) for c in zip(*rows, strict=True)],
        )
    else:
        sql, params = _sql(model, len(rows), connection.alias), [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def column_of(field: "Field[Any, Any]") -> str:
    """A concrete field's column (its type allows None, for fields that have none)."""
    if field.column is None:
        raise ValueError(f"{field} has no column of its own")
    return field.column


@cache
def _fields(model: type[Model]) -> tuple["Field[Any, Any]", ...]:
    return tuple(f for f in model._meta.concrete_fields if f is not model._meta.pk)


def unnest_type(field: "Field[Any, Any]", alias: str) -> str | None:
    """The PostgreSQL array element type of a column whose values can travel as one array,
    under the rules of Django's ``bulk_create`` (no per-value placeholder, a standard type)."""
    connection = connections[alias]
    target = field.target_field if isinstance(field, ForeignKey) else field
    if hasattr(field, "get_placeholder") or target.get_internal_type() not in connection.data_types:
        return None
    db_type = field.db_type(connection)
    return db_type.split("(")[0] if db_type else None


@cache
def _unnest_types(model: type[Model], alias: str) -> tuple[str, ...] | None:
    if connections[alias].vendor != "postgresql":
        return None
    types = [unnest_type(field, alias) for field in _fields(model)]
    return None if None in types else tuple(t for t in types if t is not None)


@cache
def _unnest_sql(model: type[Model], alias: str) -> str:
    arrays = ", ".join(f"%s::{t}[]" for t in _unnest_types(model, alias) or ())
    return f"{_insert_into(model, alias)} SELECT * FROM UNNEST({arrays}){_returning(model, alias)}"


@cache
def _sql(model: type[Model], rows: int, alias: str) -> str:
    row = "(" + ", ".join(["%s"] * len(_fields(model))) + ")"
    values = ", ".join([row] * rows)
    return f"{_insert_into(model, alias)} VALUES {values}{_returning(model, alias)}"


def _insert_into(model: type[Model], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(column_of(f)) for f in _fields(model))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"


def _returning(model: type[Model], alias: str) -> str:
    return f" RETURNING {connections[alias].ops.quote_name(column_of(model._meta.pk))}"
