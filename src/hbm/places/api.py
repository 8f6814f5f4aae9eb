from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from hbm.lib.api_choices import own_schema
from hbm.lib.uploads import Upload, dry_run_import
from hbm.places import selectors, services
from hbm.places.models import AdminArea, BorderCrossingPoint, Country

router = Router(tags=["places"])

CrossingPointStatus = Annotated[BorderCrossingPoint.Status, own_schema(BorderCrossingPoint.Status)]


class CountryOut(Schema):
    code: str
    alpha2: str
    name: str


class AdminAreaOut(Schema):
    pcode: str
    name: str
    level: int
    country: str
    parent: str | None

    @staticmethod
    def resolve_country(area: AdminArea) -> str:
        return area.country_id

    @staticmethod
    def resolve_parent(area: AdminArea) -> str | None:
        parent = area.parent
        return parent.pcode if parent else None


class CrossingPointOut(Schema):
    code: str
    name: str
    kind: BorderCrossingPoint.Kind
    status: CrossingPointStatus
    country: str
    neighbour_country: str | None
    admin_area: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    daily_capacity: int | None
    time_zone: str

    @staticmethod
    def resolve_country(point: BorderCrossingPoint) -> str:
        return point.country_id

    @staticmethod
    def resolve_neighbour_country(point: BorderCrossingPoint) -> str | None:
        return point.neighbour_country_id

    @staticmethod
    def resolve_admin_area(point: BorderCrossingPoint) -> str | None:
        return point.admin_area.pcode if point.admin_area else None


class CrossingPointFilters(Schema):
    q: str = ""
    status: CrossingPointStatus | None = None
    kind: BorderCrossingPoint.Kind | None = None
    country: str = ""


class PlacesImportOut(Schema):
    dry_run: bool
    created: int
    updated: int
    rows: list[dict[str, object]]


@router.get("/countries", response=list[CountryOut], summary="ISO 3166 countries")
@paginate(CursorPagination, ordering=("code",), page_size=300)
def country_list(request: HttpRequest, q: str = "") -> QuerySet[Country]:
    return selectors.country_list(q=q)


@router.get("/admin-areas", response=list[AdminAreaOut], summary="Administrative areas (p-codes)")
@paginate(CursorPagination, ordering=("pcode",))
def admin_area_list(
    request: HttpRequest, country: str = "", level: int | None = None
) -> QuerySet[AdminArea]:
    return selectors.admin_area_list(country=country, level=level)


@router.get(
    "/crossing-points",
    response=list[CrossingPointOut],
    summary="Crossing points in the caller's area of work",
)
@paginate(CursorPagination, ordering=("code",))
def crossing_point_list(
    request: HttpRequest, filters: Query[CrossingPointFilters]
) -> QuerySet[BorderCrossingPoint]:
    return selectors.crossing_point_list(user=request.user, filters=filters.dict(exclude_none=True))


@dry_run_import(
    router,
    "/crossing-points/import",
    response=PlacesImportOut,
    summary="Create or update crossing points from CSV/XLSX (HXL hashtags accepted)",
)
def crossing_point_import(request: HttpRequest, dry_run: bool, upload: Upload) -> PlacesImportOut:
    preview = services.crossing_point_import(actor=request.user, dry_run=dry_run, **upload)
    return PlacesImportOut(
        dry_run=dry_run,
        created=len(preview.to_create),
        updated=len(preview.to_update),
        rows=[
            {k: str(v) if v is not None else None for k, v in row.items()}
            for row in preview.to_create + preview.to_update
        ],
    )


@router.get("/crossing-points/{code}", response=CrossingPointOut)
def crossing_point_detail(request: HttpRequest, code: str) -> BorderCrossingPoint:
    return selectors.crossing_point_get_for_user(user=request.user, code=code)
