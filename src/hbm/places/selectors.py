from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

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
        points = points.filter(_in_scope_now(user))
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
    are written out instead of built by the ORM each time (ADR 0006): one for the point, one
    for the scope (assigned, or deployed there now: ADR 0142)."""
    point = next(iter(BorderCrossingPoint.objects.raw(_POINT_BY_CODE, [code])), None)
    if point is None or not user.is_authenticated:
        return point, False
    if user.has_national_scope:
        return point, True
    now = timezone.now()
    params = [user.pk, point.pk, point.admin_area_id, user.pk, now, now, point.pk]
    with connection.cursor() as cursor:
        cursor.execute(_scope_sql(), params)
        return point, cursor.fetchone() is not None


_POINT_BY_CODE = f"SELECT * FROM {BorderCrossingPoint._meta.db_table} WHERE code = %s"


def _deployment_model() -> Any:
    """hbm.fieldops' Deployment, reached through the relation it puts on crossing points
    (a lower app names a higher one's rows only so, as it names ``assigned_users``)."""
    return BorderCrossingPoint._meta.get_field("deployments").related_model


def _in_scope_now(user: User) -> Q:
    """The rule of scope_points as a filter on crossing points: assigned to the user, or where
    a team the user is in is deployed now — at the point, or in its area or an area above.
    The points are read first, as ids: lists filtered by the rule as a subquery had it
    planned again with every statement, ~15 ms a time on PostgreSQL (ADR 0145)."""
    return Q(pk__in=scope_point_ids(user=user))


def scope_point_ids(*, user: User) -> list[int]:
    """The ids of scope_points, in one statement."""
    now = timezone.now()
    with connection.cursor() as cursor:
        deployed_now: list[Any] = [user.pk, now, now]
        cursor.execute(_scope_ids_sql(), [user.pk, *deployed_now, *deployed_now])
        return [point_id for (point_id,) in cursor.fetchall()]


def scope_points(*, user: User) -> QuerySet[BorderCrossingPoint]:
    """The crossing points the user works at now: those assigned, and those of the user's
    teams' deployments under way (ADR 0142). The one rule of local scope; national roles see
    every point through crossing_point_list, not through this."""
    return BorderCrossingPoint.objects.filter(_in_scope_now(user))


@cache
def _scope_sql() -> str:
    """scope_points' rule for one point, as one statement: params are the user, the point,
    its area, the user, now, now and the point."""
    assignments: Any = BorderCrossingPoint.assigned_users.through
    deployment = _deployment_model()
    members = deployment._meta.get_field("team").related_model.members.through
    area = AdminArea._meta.db_table
    user, point = (assignments._meta.get_field(f).column for f in ("user", "bordercrossingpoint"))
    member, team = (members._meta.get_field(f).column for f in ("user", "team"))
    return (
        f"SELECT 1 WHERE EXISTS (SELECT 1 FROM {assignments._meta.db_table}"
        f" WHERE {user} = %s AND {point} = %s)"
        f" OR EXISTS (SELECT 1 FROM {deployment._meta.db_table} d"
        f" INNER JOIN {members._meta.db_table} m ON m.{team} = d.team_id"
        f" LEFT JOIN {area} a1 ON a1.id = %s"
        f" LEFT JOIN {area} a2 ON a2.id = a1.parent_id"
        f" LEFT JOIN {area} a3 ON a3.id = a2.parent_id"
        f" WHERE m.{member} = %s AND d.starts_at <= %s AND d.ends_at > %s"
        " AND (d.crossing_point_id = %s"
        " OR d.admin_area_id IN (a1.id, a1.parent_id, a2.parent_id, a3.parent_id)))"
    )


@cache
def _scope_ids_sql() -> str:
    """scope_points' rule as one statement: params are the user, then the user, now and now
    twice (the deployments at a point, then in an area)."""
    assignments: Any = BorderCrossingPoint.assigned_users.through
    deployment = _deployment_model()
    members = deployment._meta.get_field("team").related_model.members.through
    point, area = BorderCrossingPoint._meta.db_table, AdminArea._meta.db_table
    user, assigned = (
        assignments._meta.get_field(f).column for f in ("user", "bordercrossingpoint")
    )
    member, team = (members._meta.get_field(f).column for f in ("user", "team"))
    deployed_now = (
        f" FROM {deployment._meta.db_table} d"
        f" INNER JOIN {members._meta.db_table} m ON m.{team} = d.team_id"
        f" AND m.{member} = %s AND d.starts_at <= %s AND d.ends_at > %s"
    )
    return (
        f"SELECT {assigned} FROM {assignments._meta.db_table} WHERE {user} = %s"
        f" UNION SELECT d.crossing_point_id{deployed_now} WHERE d.crossing_point_id IS NOT NULL"
        f" UNION SELECT p.id{deployed_now}"
        f" INNER JOIN {point} p ON p.admin_area_id IS NOT NULL"
        f" LEFT JOIN {area} a1 ON a1.id = p.admin_area_id"
        f" LEFT JOIN {area} a2 ON a2.id = a1.parent_id"
        f" LEFT JOIN {area} a3 ON a3.id = a2.parent_id"
        " WHERE d.admin_area_id IN (a1.id, a1.parent_id, a2.parent_id, a3.parent_id)"
    )


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
