"""Reference data the national server keeps and field stations copy: the crossing points
(a station registers only at points it knows) and the service directory's types (what a
referral may ask for). Small tables (10²–10³ rows): the national server answers the whole
set with the hash of its content as the cursor; a station that has that version gets
nothing, one that has another upserts every row by its natural key. Rows are never deleted
on a station (registrations refer to them); a point closed nationally arrives as closed."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import ServiceType
from hbm.sync.models import SyncState

NOT_A_STATION = "Only a field station's token may pull reference data."
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


def reference_snapshot(*, actor: User, since: str) -> dict[str, Any]:
    """The reference data, or only its version when the station has it already."""
    require_role(actor, Role.FIELD_STATION, message=NOT_A_STATION)
    tables = {
        "crossing_points": list(BorderCrossingPoint.objects.order_by("code").values(*POINT_FIELDS)),
        "service_types": list(ServiceType.objects.order_by("code").values(*SERVICE_TYPE_FIELDS)),
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
    counts = {"crossing_points": 0, "service_types": 0}
    for row in snapshot.get("crossing_points", []):
        values = {f: row[f] for f in POINT_FIELDS if f != "code"}
        BorderCrossingPoint.objects.update_or_create(code=row["code"], defaults=values)
        counts["crossing_points"] += 1
    for row in snapshot.get("service_types", []):
        values = {f: row[f] for f in SERVICE_TYPE_FIELDS if f != "code"}
        ServiceType.objects.update_or_create(code=row["code"], defaults=values)
        counts["service_types"] += 1
    SyncState.objects.update_or_create(
        name=SyncState.REFERENCE, defaults={"text": snapshot["version"]}
    )
    return counts
