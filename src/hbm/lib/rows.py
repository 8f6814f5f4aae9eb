"""Model instances read from one row of a written-out statement, for the hot paths: the
columns every concrete field of each model in turn, their values converted as the ORM's
own reads convert them (SQLite's stored dates and booleans, say). A raw queryset does the
same per call with far more machinery (ADR 0006)."""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Model

from hbm.lib.inserts import column_of

Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[Model], alias: str, using: str = "default") -> str:
    """The select list of ``model``'s concrete fields, its table named ``alias``."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{alias}.{quote(column_of(f))}" for f in model._meta.concrete_fields)


def instances(
    row: Sequence[Any], models: Sequence[type[Model]], using: str = "default"
) -> list[Model]:
    """One instance of each of ``models`` from ``row``, whose columns are those of
    :func:`columns` for each model in turn."""
    db = connections[using]
    found, start = [], 0
    for model in models:
        fields = model._meta.concrete_fields
        values = []
        for value, (column, converters) in zip(
            row[start : start + len(fields)], _converters(model, using), strict=True
        ):
            for convert in converters:
                value = convert(value, column, db)
            values.append(value)
        found.append(model.from_db(using, [f.attname for f in fields], values))
        start += len(fields)
    return found


@cache
def _converters(model: type[Model], using: str) -> list[tuple[Any, tuple[Converter, ...]]]:
    db = connections[using]
    table = model._meta.db_table
    out = []
    for field in model._meta.concrete_fields:
        column = field.get_col(table)
        out.append((column, (*db.ops.get_db_converters(column), *field.get_db_converters(db))))
    return out
