"""A long list of integer keys as one statement parameter, for ``pk__in`` filters on hot
paths: the ORM prepares an ``IN`` list value by value, a cost that grows with every key
(ADR 0116); one JSON text (SQLite) or array (PostgreSQL) parameter is passed as it is."""

import json

from django.db import connection
from django.db.models.expressions import RawSQL


def key_list(keys: list[int]) -> RawSQL:
    """``keys`` as a subquery: ``Model.objects.filter(pk__in=key_list(keys))``."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [keys])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(keys)])
