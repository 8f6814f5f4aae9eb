"""Inserting a few new rows of one model in a single statement, for the hot paths.

``insert(objects)`` does what ``bulk_create`` does for unsaved objects of one model with a
database-generated primary key (defaults, ``auto_now_add``, the pk set on each object), with
the statement's text built once per model and row count instead of compiled per call, a
cost the ORM pays on every insert of every registration (docs/decisions/0006). No ``save()``
and no signals, as with ``bulk_create``; more than SMALL values go through ``bulk_create``,
which splits them into batches.
"""

from functools import cache
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models import Field, Model

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
    plain = _plain_types(model)
    params = []
    for obj in objects:
        for field, types in zip(fields, plain, strict=True):
            if types:
                value = getattr(obj, field.attname)
                if value is None or type(value) in types:
                    params.append(value)
                    continue
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, len(objects), connection.alias), params)
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


#: Fields whose values of these exact types (or None) Django sends to the database as they
#: are: no conversion to ask for (about 10 µs a value through get_db_prep_save). Exact
#: classes only: a subclass (an encrypted text) converts its values.
_SENT_AS_THEY_ARE: dict[type["Field[Any, Any]"], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.BooleanField: (bool,),
    models.ForeignKey: (int,),
    models.AutoField: (int,),  # as a key's target
    models.BigAutoField: (int,),
}


@cache
def _plain_types(model: type[Model]) -> tuple[tuple[type, ...], ...]:
    """Per field of _fields: the value types sent as they are, or () when the field
    converts its values (or fills them on save: auto_now)."""
    return tuple(_sent_as_is(f) for f in _fields(model))


def _sent_as_is(field: "Field[Any, Any]") -> tuple[type, ...]:
    types = _SENT_AS_THEY_ARE.get(type(field), ())
    if isinstance(field, models.ForeignKey) and _sent_as_is(field.target_field) != (int,):
        return ()  # a key to a text or UUID column
    return types


@cache
def _sql(model: type[Model], rows: int, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    fields = _fields(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(column_of(f)) for f in fields)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
        f" VALUES {', '.join([row] * rows)} RETURNING {quote(column_of(model._meta.pk))}"
    )
