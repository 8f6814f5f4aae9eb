"""The rules of the service directory: what makes a provider or a pathway valid, and the
writes that keep to them. The API, the workbook import (directory.py) and the Django admin
ask the same functions, so a rule is stated once.

Input arrives as people type it — codes and names, not objects: ``provider_clean`` and
``pathway_clean`` turn it into model values and problems by field (``{field: [message]}``),
writing nothing. The writers raise those problems as a ValidationError before any write."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.places.models import AdminArea, BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, ServiceType
from hbm.referrals.services.referrals import NOT_OFFERED
from hbm.screening.models import Urgency

EDITORS = ("administrator",)
PROVIDER_FIELDS = (
    "name",
    "agency",
    "service_types",
    "admin_area",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "capacity_per_week",
    "languages",
    "active",
)
TEXT_FIELDS = ("name", "address", "contact_name", "contact_phone", "contact_email")
URGENCIES = {"", *Urgency.values}

NAME_REQUIRED = _("name is required")
NAME_TAKEN = _("a provider named '{value}' already exists")
NAME_TWICE = _("the provider '{value}' is given twice")
NOT_AN_EMAIL = _("contact_email '{value}' is not an e-mail")
NOT_A_NUMBER = _("capacity_per_week '{value}' is not a whole number")
STILL_ON_PATHWAYS = _(
    "{provider} is on pathways for {service}: delete those pathways before removing the service"
)
PATHWAY_EXISTS = _("this pathway exists already")
UNKNOWN = {
    "agency": _("unknown agency '{value}'"),
    "service type": _("unknown service type '{value}'"),
    "admin area": _("unknown admin area '{value}'"),
    "crossing point": _("unknown crossing point '{value}'"),
    "urgency": _("unknown urgency '{value}'"),
    "provider": _("unknown provider '{value}'"),
}
# What each kind is looked up by.
KEYS: dict[str, tuple[type[models.Model], str]] = {
    "agency": (Agency, "code"),
    "service type": (ServiceType, "code"),
    "admin area": (AdminArea, "pcode"),
    "crossing point": (BorderCrossingPoint, "code"),
    "provider": (Provider, "name"),
}

Problems = dict[str, list[str]]


@dataclass
class Lookups:
    """Codes and names resolved to objects, each asked of the database once."""

    found: dict[tuple[str, str, Any], Any] = field(default_factory=dict)

    def get(self, kind: str, key: Any, *, by: str = "") -> Any:
        model, column = KEYS[kind]
        column = by or column
        if (kind, column, key) not in self.found:
            self.found[kind, column, key] = (
                model._default_manager.filter(**{column: key}).first() if key != "" else None
            )
        return self.found[kind, column, key]


def _add(problems: Problems, name: str, message: Any) -> None:
    problems.setdefault(name, []).append(str(message))


def _resolve(
    problems: Problems, lookups: Lookups, name: str, kind: str, value: Any, *, by: str = ""
) -> Any:
    found = lookups.get(kind, value, by=by)
    if found is None:
        _add(problems, name, UNKNOWN[kind].format(value=value))
    return found


def provider_data(provider: Provider) -> dict[str, Any]:
    """A provider as provider_clean takes it: codes and plain values."""
    return {
        "name": provider.name,
        "agency": provider.agency.code,
        "service_types": sorted(t.code for t in provider.service_types.all()),
        "admin_area": provider.admin_area.pcode if provider.admin_area else "",
        "address": provider.address,
        "contact_name": provider.contact_name,
        "contact_phone": provider.contact_phone,
        "contact_email": provider.contact_email,
        "capacity_per_week": provider.capacity_per_week,
        "languages": list(provider.languages),
        "active": provider.active,
    }


def _capacity(problems: Problems, value: Any) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        _add(problems, "capacity_per_week", NOT_A_NUMBER.format(value=value))
        return None
    return int(text)


def _name_problems(problems: Problems, name: str, instance: Provider | None) -> None:
    if not name:
        _add(problems, "name", NAME_REQUIRED)
        return
    taken = Provider.objects.filter(name__iexact=name)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        _add(problems, "name", NAME_TAKEN.format(value=name))


def _dropped_services(
    problems: Problems, instance: Provider | None, kept: list[ServiceType]
) -> None:
    """A service a provider stops offering may not stay on its pathways: referral_send would
    refuse every referral along them."""
    if instance is None or instance.pk is None:
        return
    stranded = (
        Pathway.objects.filter(provider=instance)
        .exclude(service_type__in=[t.pk for t in kept])
        .select_related("service_type")
        .order_by("service_type__label")
    )
    for service in dict.fromkeys(p.service_type.label for p in stranded):
        _add(
            problems,
            "service_types",
            STILL_ON_PATHWAYS.format(provider=instance.name, service=service),
        )


def provider_clean(
    data: dict[str, Any], *, lookups: Lookups | None = None, instance: Provider | None = None
) -> tuple[dict[str, Any], Problems]:
    """Model values of a provider (``service_types`` a list of ServiceType) and the problems
    by field. ``instance``: the provider being changed, which may keep its own name."""
    lookups = lookups or Lookups()
    problems: Problems = {}
    name = str(data.get("name") or "").strip()
    _name_problems(problems, name, instance)
    agency = _resolve(problems, lookups, "agency", "agency", str(data.get("agency") or ""))
    types = [
        _resolve(problems, lookups, "service_types", "service type", code)
        for code in dict.fromkeys(str(c).strip() for c in data.get("service_types") or [])
        if code
    ]
    _dropped_services(problems, instance, [t for t in types if t is not None])
    area_code = str(data.get("admin_area") or "").strip()
    area = _resolve(problems, lookups, "admin_area", "admin area", area_code) if area_code else None
    texts = {column: str(data.get(column) or "").strip() for column in TEXT_FIELDS}
    text_problems(texts, into=problems)
    if texts["contact_email"]:
        try:
            validate_email(texts["contact_email"])
        except ValidationError:
            _add(problems, "contact_email", NOT_AN_EMAIL.format(value=texts["contact_email"]))
    values = {
        **texts,
        "agency": agency,
        "service_types": [t for t in types if t is not None],
        "admin_area": area,
        "capacity_per_week": _capacity(problems, data.get("capacity_per_week")),
        "languages": [str(c).strip() for c in data.get("languages") or [] if str(c).strip()],
        "active": bool(data.get("active", True)),
    }
    return values, problems


def pathway_clean(
    data: dict[str, Any],
    *,
    lookups: Lookups | None = None,
    pending: dict[str, set[str]] | None = None,
    must_be_new: bool = True,
) -> tuple[dict[str, Any], Problems]:
    """Model values of a pathway and the problems by field. ``data["provider"]`` is the
    provider's name, or its id when an int. ``pending``: providers written in the same batch
    (a workbook), by name, with the service codes they will offer."""
    lookups = lookups or Lookups()
    problems: Problems = {}
    point = _resolve(
        problems, lookups, "crossing_point", "crossing point", data.get("crossing_point", "")
    )
    service = _resolve(
        problems, lookups, "service_type", "service type", data.get("service_type", "")
    )
    urgency = data.get("urgency", "")
    if urgency not in URGENCIES:
        _add(problems, "urgency", UNKNOWN["urgency"].format(value=urgency))
    key = data.get("provider", "")
    by_id = isinstance(key, int) and not isinstance(key, bool)
    provider = lookups.get("provider", key, by="pk" if by_id else "")
    offered = None if by_id else (pending or {}).get(key)
    if provider is None and offered is None:
        _add(problems, "provider", UNKNOWN["provider"].format(value=key))
    values = {
        "crossing_point": point,
        "service_type": service,
        "urgency": urgency,
        "provider": provider,
    }
    if problems:
        return values, problems
    if offered is None:
        offered = set(provider.service_types.values_list("code", flat=True))
    if service.code not in offered:
        _add(
            problems,
            "service_type",
            NOT_OFFERED.format(provider=provider or key, service=service.label),
        )
    elif must_be_new and Pathway.objects.filter(**values).exists():
        _add(problems, "__all__", PATHWAY_EXISTS)
    return values, problems


def _provider_write(provider: Provider, values: dict[str, Any]) -> list[str]:
    """Set the values, save, and say which fields changed."""
    before = provider_data(provider) if provider.pk else {}
    types = values.pop("service_types")
    for name, value in values.items():
        setattr(provider, name, value)
    provider.save()
    provider.service_types.set(types)
    after = provider_data(provider)
    return [name for name in PROVIDER_FIELDS if before.get(name) != after[name]]


def _provider_save(actor: User, provider: Provider, data: dict[str, Any]) -> Provider:
    """Check the provider's data as a whole, then write it and its audit event."""
    new = provider.pk is None
    values, problems = provider_clean(data, instance=None if new else provider)
    if problems:
        raise ValidationError(problems)
    changed = _provider_write(provider, values)
    action = AuditEvent.Action.CREATE if new else AuditEvent.Action.UPDATE
    audit_record(actor=actor, action=action, target=provider, fields=changed)
    return provider


@transaction.atomic
def provider_create(*, actor: User, data: dict[str, Any]) -> Provider:
    require_role(actor, *EDITORS)
    return _provider_save(actor, Provider(), data)


@transaction.atomic
def provider_update(*, actor: User, provider: Provider, changes: dict[str, Any]) -> Provider:
    """Change the fields given; the others stay as they are."""
    require_role(actor, *EDITORS)
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    return _provider_save(actor, provider, {**provider_data(provider), **changes})


@transaction.atomic
def pathway_create(*, actor: User, data: dict[str, Any]) -> Pathway:
    require_role(actor, *EDITORS)
    values, problems = pathway_clean(data)
    if problems:
        raise ValidationError(problems)
    pathway = Pathway.objects.create(**values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=pathway,
        fields=sorted(values),
        detail=str(pathway),
    )
    return pathway


@transaction.atomic
def pathway_delete(*, actor: User, pathway: Pathway) -> None:
    require_role(actor, *EDITORS)
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=pathway, detail=str(pathway))
    pathway.delete()
