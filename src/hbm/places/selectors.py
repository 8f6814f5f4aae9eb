from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from hbm.places.models import AdminArea, BorderCrossingPoint, Country

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User


def crossing_point_list(
    *, user: User | AnonymousUser, filters: dict[str, str] | None = None
) -> QuerySet[BorderCrossingPoint]:
    """Crossing points the user works at; national roles see them all."""
    filters = filters or {}
    points = BorderCrossingPoint.objects.select_related(
        "country", "neighbour_country", "admin_area"
    )
    if not user.is_authenticated:
        return points.none()
    if not user.has_national_scope:
        points = points.filter(assigned_users=user)
    if filters.get("q"):
        points = points.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    for field in ("status", "kind"):
        if filters.get(field):
            points = points.filter(**{field: filters[field]})
    if filters.get("country"):
        points = points.filter(country_id=filters["country"].upper())
    return points.order_by("name")


def crossing_point_with_scope(
    *, user: User | AnonymousUser, code: str
) -> tuple[BorderCrossingPoint | None, bool]:
    """The crossing point with this code (None if there is none), and whether it is in the
    user's scope by crossing_point_list's rule. Every registration asks, so the statements
    are written out instead of built by the ORM each time (ADR 0006)."""
    point = next(iter(BorderCrossingPoint.objects.raw(_POINT_BY_CODE, [code])), None)
    if point is None or not user.is_authenticated:
        return point, False
    if user.has_national_scope:
        return point, True
    assignments = user._meta.get_field("crossing_points").remote_field.through
    with connection.cursor() as cursor:
        cursor.execute(_assigned_sql(assignments), [user.pk, point.pk])
        return point, cursor.fetchone() is not None


_POINT_BY_CODE = f"SELECT * FROM {BorderCrossingPoint._meta.db_table} WHERE code = %s"


@cache
def _assigned_sql(assignments: Any) -> str:
    user = assignments._meta.get_field("user").column
    point = assignments._meta.get_field("bordercrossingpoint").column
    table = assignments._meta.db_table
    return f"SELECT 1 FROM {table} WHERE {user} = %s AND {point} = %s"


def crossing_point_get_for_user(*, user: User | AnonymousUser, code: str) -> BorderCrossingPoint:
    """One crossing point, or 404 when it doesn't exist or lies outside the user's scope."""
    try:
        return crossing_point_list(user=user).get(code=code)
    except BorderCrossingPoint.DoesNotExist:
        raise Http404("No such crossing point in your area of work.") from None


def crossing_point_status_counts(*, user: User | AnonymousUser) -> dict[str, int]:
    # Without order_by() the list's ordering by name joins the GROUP BY: one row per point.
    rows = crossing_point_list(user=user).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in BorderCrossingPoint.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def country_list(*, q: str = "") -> QuerySet[Country]:
    countries = Country.objects.all()
    if q:
        countries = countries.filter(Q(code__iexact=q) | Q(name__icontains=q))
    return countries


def country_names(codes: list[str]) -> dict[str, str]:
    """The name of each of these codes that is a country, in the request's language."""
    return {c.code: c.local_name for c in Country.objects.filter(code__in=codes)}


def country_choices() -> QuerySet[Country]:
    """Every country, its code and name only (a form's list to choose from)."""
    return Country.objects.only("code", "name")


def admin_area_list(*, country: str = "", level: int | None = None) -> QuerySet[AdminArea]:
    areas = AdminArea.objects.select_related("country", "parent")
    if country:
        areas = areas.filter(country_id=country.upper())
    if level:
        areas = areas.filter(level=level)
    return areas


ALPHA_3 = re.compile("[A-Z]{3}")


def known_country_codes(codes: set[str]) -> set[str]:
    """Which of these ISO 3166 alpha-3 codes are countries. Every registration asks, so the
    statement is written out once per number of codes, not built by the ORM each time.
    Only three capital letters can be a code: anything else is not asked (PostgreSQL refuses
    a NUL in a query's text, which typed input may hold)."""
    ordered = sorted(code for code in codes if ALPHA_3.fullmatch(code))
    if not ordered:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(_country_codes_sql(len(ordered)), ordered)
        return {code for (code,) in cursor.fetchall()}


@cache
def _country_codes_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return f"SELECT code FROM {Country._meta.db_table} WHERE code IN ({marks})"
