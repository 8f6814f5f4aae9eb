"""The service directory over the API: service types, providers and pathways. Reads for the
roles that refer or oversee referrals, writes for administrators; the rules are
services/providers.py's, the same as the workbook import's."""

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.referrals import selectors
from hbm.referrals.models import Pathway, Provider, ServiceType
from hbm.referrals.services import providers

router = Router(tags=["service directory"])


class ServiceTypeOut(Schema):
    code: str
    label: str
    shared_fields: list[str] = Field(description="the person's fields its providers receive")


class ProviderOut(Schema):
    id: int
    name: str
    agency: str = Field(description="agency code")
    service_types: list[str] = Field(description="service type codes")
    admin_area: str = Field(description="p-code, empty when none")
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    capacity_per_week: int | None
    languages: list[str]
    active: bool

    @staticmethod
    def resolve_agency(provider: Provider) -> str:
        return provider.agency.code

    @staticmethod
    def resolve_service_types(provider: Provider) -> list[str]:
        return sorted(t.code for t in provider.service_types.all())

    @staticmethod
    def resolve_admin_area(provider: Provider) -> str:
        return provider.admin_area.pcode if provider.admin_area else ""


class ProviderIn(Schema):
    name: str
    agency: str = Field(description="agency code")
    service_types: list[str] = Field(default_factory=list, description="service type codes")
    admin_area: str = Field("", description="p-code")
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    capacity_per_week: int | None = Field(None, ge=0)
    languages: list[str] = Field(default_factory=list)
    active: bool = True


class ProviderPatch(Schema):
    """Only the fields sent change."""

    name: str | None = None
    agency: str | None = None
    service_types: list[str] | None = None
    admin_area: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    capacity_per_week: int | None = Field(None, ge=0)
    languages: list[str] | None = None
    active: bool | None = None


class ProviderFilters(Schema):
    service_type: str = Field("", description="service type code")
    admin_area: str = Field("", description="p-code")
    crossing_point: str = Field("", description="providers on a pathway at this point")
    active: bool | None = None


class PathwayOut(Schema):
    id: int
    crossing_point: str
    service_type: str
    urgency: str = Field(description="empty: any urgency")
    provider: int
    provider_name: str

    @staticmethod
    def resolve_crossing_point(pathway: Pathway) -> str:
        return pathway.crossing_point.code

    @staticmethod
    def resolve_service_type(pathway: Pathway) -> str:
        return pathway.service_type.code

    @staticmethod
    def resolve_provider(pathway: Pathway) -> int:
        return pathway.provider_id

    @staticmethod
    def resolve_provider_name(pathway: Pathway) -> str:
        return pathway.provider.name


class PathwayIn(Schema):
    crossing_point: str = Field(description="crossing point code")
    service_type: str = Field(description="service type code, one the provider offers")
    urgency: str = Field("", description="emergency, urgent, normal, or empty for any")
    provider: int = Field(description="provider id")


class PathwayFilters(Schema):
    crossing_point: str = ""
    service_type: str = ""
    provider: int | None = None
    active: bool | None = Field(None, description="whether the provider is active")


@router.get("/service-types", response=list[ServiceTypeOut], summary="Service types")
@paginate(CursorPagination, ordering=("code",))
def service_type_list(request: AuthenticatedHttpRequest) -> QuerySet[ServiceType]:
    return selectors.service_type_list(user=request.user)


@router.get("/providers", response=list[ProviderOut], summary="Service providers")
@paginate(CursorPagination, ordering=("name", "id"))
def provider_list(
    request: AuthenticatedHttpRequest, filters: Query[ProviderFilters]
) -> QuerySet[Provider]:
    return selectors.provider_list(user=request.user, **filters.dict())


@router.post("/providers", response={201: ProviderOut}, summary="Add a provider (administrators)")
def provider_create(request: AuthenticatedHttpRequest, payload: ProviderIn) -> Status[Provider]:
    provider = providers.provider_create(actor=request.user, data=payload.dict())
    return Status(201, selectors.provider_get_for_user(user=request.user, pk=provider.pk))


@router.patch(
    "/providers/{provider_id}", response=ProviderOut, summary="Change a provider (administrators)"
)
def provider_update(
    request: AuthenticatedHttpRequest, provider_id: int, payload: ProviderPatch
) -> Provider:
    provider = selectors.provider_get_for_user(user=request.user, pk=provider_id)
    providers.provider_update(
        actor=request.user, provider=provider, changes=payload.dict(exclude_unset=True)
    )
    return selectors.provider_get_for_user(user=request.user, pk=provider_id)


@router.get("/pathways", response=list[PathwayOut], summary="Referral pathways")
@paginate(CursorPagination, ordering=("id",))
def pathway_list(
    request: AuthenticatedHttpRequest, filters: Query[PathwayFilters]
) -> QuerySet[Pathway]:
    return selectors.pathway_list(user=request.user, **filters.dict())


@router.post("/pathways", response={201: PathwayOut}, summary="Add a pathway (administrators)")
def pathway_create(request: AuthenticatedHttpRequest, payload: PathwayIn) -> Status[Pathway]:
    pathway = providers.pathway_create(actor=request.user, data=payload.dict())
    return Status(201, selectors.pathway_get_for_user(user=request.user, pk=pathway.pk))


@router.delete(
    "/pathways/{pathway_id}", response={204: None}, summary="Remove a pathway (administrators)"
)
def pathway_delete(request: AuthenticatedHttpRequest, pathway_id: int) -> Status[None]:
    pathway = selectors.pathway_get_for_user(user=request.user, pk=pathway_id)
    providers.pathway_delete(actor=request.user, pathway=pathway)
    return Status(204, None)
