"""Reading (id, updated_at) of the rows changed since a moment, as the in-process indexes
(persons, watchlist entries) do before every use: the statement is written once per table,
and the stamps come back as the driver returns them, without the ORM's per-row conversion."""

from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from hbm.lib.inserts import column_of


def raw_stamp(stamp: datetime) -> datetime:
    """A stamp as the database driver returns it (naive UTC where the database keeps no
    time zone), so that stamps read in bulk are compared without converting each one."""
    if connection.features.supports_timezones or not settings.USE_TZ:
        return stamp
    return timezone.make_naive(stamp, connection.timezone)


def stamps_since(model: type[Model], since: datetime | None) -> dict[int, datetime]:
    """(id, raw stamp) of the model's rows stamped after ``since`` (all rows if None)."""
    with connection.cursor() as cursor:
        if since is None:
            cursor.execute(_sql(model, False))
        else:
            cursor.execute(_sql(model, True), [connection.ops.adapt_datetimefield_value(since)])
        return dict(cursor.fetchall())


@cache
def _sql(model: type[Model], after: bool) -> str:
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(column_of(model._meta.pk))}, updated_at FROM {quote(model._meta.db_table)}"
    )
    return sql + " WHERE updated_at > %s" if after else sql
