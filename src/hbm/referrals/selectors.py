from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.lib.filters import InvalidFilters
from hbm.lib.permissions import has_any_role, require_role
from hbm.places.selectors import crossing_point_get_for_user, crossing_point_list
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.referrals.needs import DESK_CHILD_ALONE, first_served_need, service_code_for
from hbm.referrals.services import SENDERS
from hbm.referrals.services.providers import UNKNOWN, Lookups
from hbm.registry.models import Crossing
from hbm.screening.models import ProtectionScreening
from hbm.screening.selectors import can_read_protection, screening_list

NO_ACCESS = _("Your role does not give access to referrals.")
OPEN = (Referral.Status.PENDING, Referral.Status.ACCEPTED, Referral.Status.IN_SERVICE)
# Sent under no consent record (an override, or before consents were records), or under one
# still standing.
CONSENT_NOT_WITHDRAWN = Q(consent__isnull=True) | Q(consent__withdrawn_at__isnull=True)


def can_refer(user: User) -> bool:
    return has_any_role(user, *SENDERS)


def personal_data_rule(*, user: User) -> Q | None:
    """Which referrals' personal data — what was shared (names, date of birth, need code,
    notes...), the outcome and the reasons given — the user may read: the receiving
    provider's users, and the sending side (protection and health officers working at the
    referral's crossing point). Coordinators and administrators read metadata only (service,
    provider, status, urgency, dates, point). The provider no longer reads it once the person
    withdrew the consent the referral was sent under. None: no referral's."""
    rule = None
    if user.has_role("service_provider") and user.agency_id:
        rule = Q(provider__agency_id=user.agency_id) & CONSENT_NOT_WITHDRAWN
    if user.has_role(*SENDERS):
        sending = Q(crossing_point__in=crossing_point_list(user=user).values("pk"))
        rule = sending if rule is None else rule | sending
    return rule


def referral_list(*, user: User, status: str = "", overdue: bool = False) -> QuerySet[Referral]:
    """Provider users: referrals sent to their agency's providers. Senders: referrals from
    their crossing points. Coordinators and administrators: all, as metadata. Each referral
    says in ``personal_data`` whether its personal data may be shown (personal_data_rule)."""
    referrals = Referral.objects.select_related(
        "person", "provider", "service_type", "crossing_point", "need_code"
    )
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(NO_ACCESS)
    if has_any_role(user, "coordinator", "administrator"):
        pass
    elif user.has_role("service_provider") and user.agency_id:
        referrals = referrals.filter(provider__agency_id=user.agency_id)
    elif user.has_role(*SENDERS):
        referrals = referrals.filter(crossing_point__in=crossing_point_list(user=user))
    else:
        raise PermissionDenied(NO_ACCESS)
    rule = personal_data_rule(user=user)
    # Referral declares personal_data for its readers; it is no field, so Django allows the
    # name, which the django-stubs plugin takes for a clash.
    referrals = referrals.annotate(  # type: ignore[no-redef]
        personal_data=Value(False)
        if rule is None
        else ExpressionWrapper(rule, output_field=BooleanField()),
        consent_withdrawn=ExpressionWrapper(~CONSENT_NOT_WITHDRAWN, output_field=BooleanField()),
    )
    if status:
        referrals = referrals.filter(status=status)
    if overdue:
        referrals = referrals.filter(status__in=OPEN, due_at__lt=timezone.now())
    return referrals.order_by("-sent_at", "-pk")


def referral_get_for_user(*, user: User, pk: int) -> Referral:
    referral = referral_list(user=user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral for you.")
    return referral


def person_referrals(*, user: User, person: Any) -> QuerySet[Referral]:
    return referral_list(user=user).filter(person=person)


def pathway_providers(
    *, crossing_point: Any, service_type: ServiceType, urgency: str
) -> QuerySet[Provider]:
    ids = Pathway.objects.filter(
        Q(urgency="") | Q(urgency=urgency),
        crossing_point=crossing_point,
        service_type=service_type,
        active=True,
    ).values("provider")
    return Provider.objects.filter(pk__in=ids, active=True)


def referral_prefill(*, user: User, person: Any, need_code: str = "") -> dict[str, Any]:
    """Where a new referral starts: the need (the one asked for, else the first of the latest
    screening's that calls for a service), its service (referrals/data/need_services.csv) and
    the screening's urgency. Empty for a user who may not read the screening."""
    screening = latest_screening(user=user, person=person)
    initial: dict[str, Any] = {}
    codes = [need_code] if need_code else []
    if screening is not None:
        initial["urgency"] = screening.urgency
        codes = codes or sorted(code.code for code in screening.codes.all())
    found = first_served_need(codes)
    service_code = found[1] if found else None
    if found is not None:
        initial["need_code"] = found[0]
    elif Crossing.objects.filter(person=person, child_without_related_adult=True).exists():
        service_code = service_code_for(DESK_CHILD_ALONE)
    service = ServiceType.objects.filter(code=service_code).first() if service_code else None
    if service is not None:
        initial["service_type"] = service.pk
    return initial


def latest_screening(*, user: User, person: Any) -> ProtectionScreening | None:
    """The newest protection screening, when the user may read the protection compartment;
    its needs pre-fill new referrals."""
    if not can_read_protection(user):
        return None
    return screening_list(user=user, person=person).first()


# The service directory: read by the roles that refer and those that oversee referrals,
# written by administrators (services/providers.py).
DIRECTORY_READERS = (*SENDERS, "coordinator", "administrator")
NO_DIRECTORY = _("Your role does not give access to the service directory.")


def _directory_reader(user: User) -> None:
    require_role(user, *DIRECTORY_READERS, message=str(NO_DIRECTORY))


def _filter_object(kind: str, name: str, value: Any, lookups: Any, *, by: str = "") -> Any:
    found = lookups.get(kind, value, by=by)
    if found is None:
        raise InvalidFilters({name: [UNKNOWN[kind].format(value=value)]})
    return found


def service_type_list(*, user: User) -> QuerySet[ServiceType]:
    _directory_reader(user)
    return ServiceType.objects.order_by("code")


NO_SUCH_SERVICE = "No such service."


def service_type_get_for_user(*, user: User, code: str) -> ServiceType:
    service = service_type_list(user=user).filter(code=code).first()
    if service is None:
        raise Http404(NO_SUCH_SERVICE)
    return service


def provider_list(
    *,
    user: User,
    service_type: str = "",
    admin_area: str = "",
    crossing_point: str = "",
    active: bool | None = None,
) -> QuerySet[Provider]:
    """Every provider (the directory is national), narrowed by the service offered, the admin
    area, a crossing point of the user's whose pathways name them, and active or not."""
    _directory_reader(user)
    lookups = Lookups()
    providers = Provider.objects.select_related("agency", "admin_area").prefetch_related(
        "service_types"
    )
    if service_type:
        service = _filter_object("service type", "service_type", service_type, lookups)
        providers = providers.filter(service_types=service)
    if admin_area:
        area = _filter_object("admin area", "admin_area", admin_area, lookups)
        providers = providers.filter(admin_area=area)
    if crossing_point:
        point = crossing_point_get_for_user(user=user, code=crossing_point)
        providers = providers.filter(
            pk__in=Pathway.objects.filter(crossing_point=point, active=True).values("provider")
        )
    if active is not None:
        providers = providers.filter(active=active)
    return providers.order_by("name", "pk")


def provider_get_for_user(*, user: User, pk: int) -> Provider:
    provider = provider_list(user=user).filter(pk=pk).first()
    if provider is None:
        raise Http404("No such provider.")
    return provider


def pathway_list(
    *,
    user: User,
    crossing_point: str = "",
    service_type: str = "",
    provider: int | None = None,
    active: bool | None = None,
) -> QuerySet[Pathway]:
    """The pathways at the user's crossing points (all of them for national roles), narrowed
    by point, service, provider, and whether the provider is active."""
    _directory_reader(user)
    lookups = Lookups()
    pathways = Pathway.objects.select_related("crossing_point", "service_type", "provider")
    if crossing_point:
        pathways = pathways.filter(
            crossing_point=crossing_point_get_for_user(user=user, code=crossing_point)
        )
    else:
        pathways = pathways.filter(crossing_point__in=crossing_point_list(user=user))
    if service_type:
        service = _filter_object("service type", "service_type", service_type, lookups)
        pathways = pathways.filter(service_type=service)
    if provider is not None:
        pathways = pathways.filter(
            provider=_filter_object("provider", "provider", provider, lookups, by="pk")
        )
    if active is not None:  # a pathway is in use while it and its provider are on
        in_use = Q(provider__active=True, active=True)
        pathways = pathways.filter(in_use if active else ~in_use)
    return pathways.order_by("pk")


def pathway_get_for_user(*, user: User, pk: int) -> Pathway:
    pathway = pathway_list(user=user).filter(pk=pk).first()
    if pathway is None:
        raise Http404("No such pathway at your crossing points.")
    return pathway
