"""Reference data the national server keeps and field stations copy: the crossing points
(a station registers only at points it knows), the service directory (the types a referral
may ask for, and the providers of each, ADR 0130) and which watchlists the station screens
against (their entries come apart, by cursor: services/watchlists.py), and the pathways
that route a referral to a provider at a point (ADR 0137). Small tables
(10²–10³ rows): the national server answers the whole set with the hash of its content as
the cursor; a station that has that version gets nothing, one that has another upserts
every row by its natural key or global id. Rows are never deleted on a station
(registrations and referrals refer to them): a point closed nationally arrives as closed, a
provider no longer in the directory and a list no longer shared are switched off. A pathway
no longer in the directory is deleted, unless referrals were sent along it: then it is
switched off."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef

from hbm.accounts.models import Agency, User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.places.models import AdminArea, BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.sync.models import SyncState
from hbm.sync.services.watchlists import NOT_A_STATION, list_row, lists_apply, shared_lists

POINT_FIELDS = (
    "code",
    "name",
    "kind",
    "country_id",
    "neighbour_country_id",
    "latitude",
    "longitude",
    "daily_capacity",
    "status",
    "time_zone",
)
SERVICE_TYPE_FIELDS = ("code", "label", "shared_fields")
PROVIDER_FIELDS = (
    "name",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "capacity_per_week",
    "languages",
    "active",
)
TABLES = ("crossing_points", "service_types", "providers", "pathways", "watchlists")


def provider_row(provider: Provider) -> dict[str, Any]:
    agency = provider.agency
    return {
        "id": str(provider.public_id),
        "agency": {"code": agency.code, "name": agency.name, "kind": agency.kind},
        "service_types": sorted(t.code for t in provider.service_types.all()),
        "admin_area": provider.admin_area.pcode if provider.admin_area else None,
        **{f: getattr(provider, f) for f in PROVIDER_FIELDS},
    }


ENDS = ("crossing_point", "service_type", "provider")


def pathway_row(pathway: Pathway) -> dict[str, str]:
    """A pathway by its natural key: the point's code, the service's code, the urgency
    (empty: any) and the provider's global id."""
    return {
        "crossing_point": pathway.crossing_point.code,
        "service_type": pathway.service_type.code,
        "urgency": pathway.urgency,
        "provider": str(pathway.provider.public_id),
    }


def reference_snapshot(*, actor: User, since: str) -> dict[str, Any]:
    """The reference data, or only its version when the station has it already."""
    require_role(actor, Role.FIELD_STATION, message=NOT_A_STATION)
    tables = {
        "crossing_points": list(BorderCrossingPoint.objects.order_by("code").values(*POINT_FIELDS)),
        "service_types": list(ServiceType.objects.order_by("code").values(*SERVICE_TYPE_FIELDS)),
        "providers": [
            provider_row(p)
            for p in Provider.objects.select_related("agency", "admin_area")
            .prefetch_related("service_types")
            .order_by("public_id")
        ],
        "pathways": sorted(
            (pathway_row(w) for w in Pathway.objects.filter(active=True).select_related(*ENDS)),
            key=lambda row: (
                row["crossing_point"],
                row["service_type"],
                row["urgency"],
                row["provider"],
            ),
        ),
        "watchlists": [list_row(w) for w in shared_lists().order_by("public_id")],
    }
    encoded = json.dumps(tables, cls=DjangoJSONEncoder, sort_keys=True)
    version = hashlib.sha256(encoded.encode()).hexdigest()[:32]
    changed = version != since
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="sync.reference",
        object_id=version,
        detail="reference data sent" if changed else "reference data unchanged",
    )
    return {"version": version, **(json.loads(encoded) if changed else {})}


def reference_version() -> str:
    state = SyncState.objects.filter(name=SyncState.REFERENCE).first()
    return state.text if state else ""


@transaction.atomic
def reference_apply(*, snapshot: dict[str, Any]) -> dict[str, int]:
    """Station: upsert every row received, then remember the version (in one transaction:
    an interrupted pull leaves the previous version and is simply pulled again)."""
    counts = dict.fromkeys(TABLES, 0)
    for row in snapshot.get("crossing_points", []):
        values = {f: row[f] for f in POINT_FIELDS if f != "code"}
        BorderCrossingPoint.objects.update_or_create(code=row["code"], defaults=values)
        counts["crossing_points"] += 1
    for row in snapshot.get("service_types", []):
        values = {f: row[f] for f in SERVICE_TYPE_FIELDS if f != "code"}
        ServiceType.objects.update_or_create(code=row["code"], defaults=values)
        counts["service_types"] += 1
    if "providers" in snapshot:
        counts["providers"] = providers_apply(snapshot["providers"])
    if "pathways" in snapshot:
        counts["pathways"] = pathways_apply(snapshot["pathways"])
    if "watchlists" in snapshot:
        counts["watchlists"] = len(lists_apply(snapshot["watchlists"], complete=True))
    SyncState.objects.update_or_create(
        name=SyncState.REFERENCE, defaults={"text": snapshot["version"]}
    )
    return counts


def providers_apply(rows: list[dict[str, Any]]) -> int:
    """Station: upsert the directory's providers by global id; switch off those no longer in
    it (referrals made to them stay as they are)."""
    types = {t.code: t for t in ServiceType.objects.all()}
    areas = dict(AdminArea.objects.values_list("pcode", "pk"))
    for row in rows:
        owner = row["agency"]
        agency, _ = Agency.objects.get_or_create(
            code=owner["code"], defaults={"name": owner["name"], "kind": owner["kind"]}
        )
        values = {f: row[f] for f in PROVIDER_FIELDS}
        provider, _ = Provider.objects.update_or_create(
            public_id=row["id"],
            defaults={**values, "agency": agency, "admin_area_id": areas.get(row["admin_area"])},
        )
        provider.service_types.set([types[c] for c in row["service_types"] if c in types])
    Provider.objects.exclude(public_id__in=[row["id"] for row in rows]).update(active=False)
    return len(rows)


def pathways_apply(rows: list[dict[str, str]]) -> int:
    """Station: upsert the directory's pathways by their natural key (after the points,
    types and providers they name); one no longer in the directory is deleted, or switched
    off when referrals were sent along it (same point, service and provider)."""
    points = dict(BorderCrossingPoint.objects.values_list("code", "pk"))
    types = dict(ServiceType.objects.values_list("code", "pk"))
    providers = {str(k): v for k, v in Provider.objects.values_list("public_id", "pk")}
    kept: set[int] = set()
    for row in rows:
        point = points.get(row["crossing_point"])
        service = types.get(row["service_type"])
        provider = providers.get(row["provider"])
        if point is None or service is None or provider is None:
            continue  # the snapshot brings every end it names; nothing to route otherwise
        pathway, _ = Pathway.objects.update_or_create(
            crossing_point_id=point,
            service_type_id=service,
            provider_id=provider,
            urgency=row["urgency"],
            defaults={"active": True},
        )
        kept.add(pathway.pk)
    gone = Pathway.objects.exclude(pk__in=kept)
    used = Referral.objects.filter(
        crossing_point=OuterRef("crossing_point"),
        service_type=OuterRef("service_type"),
        provider=OuterRef("provider"),
    )
    gone.filter(Exists(used)).update(active=False)
    gone.filter(~Exists(used)).delete()
    return len(kept)
