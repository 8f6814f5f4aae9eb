from decimal import Decimal

import pyotp
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import Agency, TotpDevice, User
from hbm.accounts.session_state import two_factor_required
from hbm.alerts.services.detection import detect_all
from hbm.assessments.demo import demo_load_assessments
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.demo import scenario
from hbm.demo.fieldops import (
    demo_load_equipment,
    demo_load_movements,
    demo_load_rescues,
    demo_load_teams,
)
from hbm.demo.flows import DAYS as SCENARIO_DAYS
from hbm.demo.flows import demo_load_flow_counts
from hbm.demo.plans import demo_load_plans
from hbm.demo.protection import demo_load_protection
from hbm.demo.registrations import demo_load_registrations
from hbm.demo.security import demo_load_watchlist
from hbm.places.models import AdminArea, BorderCrossingPoint, Country

TIME_ZONE = "Africa/Lubumbashi"  # north-eastern DR Congo keeps Central Africa Time


@transaction.atomic
def demo_load(*, scale: float = 1.0) -> dict[str, int]:
    """Load the demo scenario. Idempotent: a second run finds everything in place and writes
    nothing (demo passwords are set only when an account is first created)."""
    created = {
        "admin_areas": 0,
        "crossing_points": 0,
        "agencies": 0,
        "users": 0,
        "people": 0,
        "screenings": 0,
        "assessments": 0,
        "flow_counts": 0,
        "watchlist_entries": 0,
        "alerts": 0,
        "plans": 0,
        "teams": 0,
        "movements": 0,
        "rescues": 0,
    }
    for pcode, name, level, country in scenario.ADMIN_AREAS:
        _, new = AdminArea.objects.get_or_create(
            pcode=pcode, defaults={"name": name, "level": level, "country_id": country}
        )
        created["admin_areas"] += new
    areas = {a.pcode: a for a in AdminArea.objects.filter(country_id="COD")}
    congo = Country.objects.get(code="COD")
    for code, name, kind, neighbour, area, lat, lon, capacity, status in scenario.CROSSING_POINTS:
        _, new = BorderCrossingPoint.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "country": congo,
                "neighbour_country_id": neighbour,
                "admin_area": areas[area],
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "daily_capacity": capacity,
                "status": status,
                "time_zone": TIME_ZONE,
            },
        )
        created["crossing_points"] += new
    points = {p.code: p for p in BorderCrossingPoint.objects.all()}
    for code, name, kind, point_codes in scenario.AGENCIES:
        agency, new = Agency.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "country": congo}
        )
        if new:
            agency.crossing_points.set([points[c] for c in point_codes])
        created["agencies"] += new
    agencies = {a.code: a for a in Agency.objects.all()}
    users = {}
    for username, first, last, agency_code, roles, point_codes in scenario.USERS:
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "agency": agencies[agency_code],
                "roles": roles,
                "is_staff": "administrator" in roles,
                "email": f"{username}@demo.hbm.invalid",
            },
        )
        if new:
            user.set_password(scenario.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.crossing_points.set([points[c] for c in point_codes])
            if two_factor_required(user):
                TotpDevice.objects.create(
                    user=user, secret=scenario.DEMO_TOTP_SECRET, confirmed_at=timezone.now()
                )
        created["users"] += new
        users[username] = user
    created["people"] = _load_people(points, scale)
    created["screenings"] = demo_load_protection(points)
    created["assessments"] = demo_load_assessments()["assessments"]
    created["flow_counts"] = demo_load_flow_counts(points, users["enumerator"])
    created["watchlist_entries"] = demo_load_watchlist()
    # the bulk load bypasses the registry's hook: look at the whole scenario once
    created["alerts"] = detect_all(days=SCENARIO_DAYS + 1)
    created["plans"] = demo_load_plans(users)
    created["teams"] = demo_load_teams(users)
    created["movements"] = demo_load_movements(users)
    created["rescues"] = demo_load_rescues(users)
    created["equipment"] = demo_load_equipment(users)
    if any(created.values()):
        audit_record(
            actor="hbm demo load",
            action=AuditEvent.Action.IMPORT,
            object_type="demo.scenario",
            detail=str(created),
        )
    return created


def _load_people(points: dict[str, BorderCrossingPoint], scale: float) -> int:
    users = {u.username: u for u in User.objects.filter(username__in=["registration", "admin"])}
    officers = {"mahagi-goli": users["registration"]}
    return demo_load_registrations(
        points=points, officers=officers, administrator=users["admin"], scale=scale
    )


UNKNOWN_DEMO_USER = "no user is named {!r}"
NOT_A_DEMO_KEY = (
    "{!r} does not use the published demo key: only demo accounts' codes can be printed"
)


def demo_code(*, username: str) -> str:
    """The current two-factor code of a demo user. Refuses every account whose key is not the
    published demo key, so it reveals nothing that the demo's documentation does not."""
    device = TotpDevice.objects.filter(user__username=username).first()
    if device is None and not User.objects.filter(username=username).exists():
        raise ValueError(UNKNOWN_DEMO_USER.format(username))
    if device is None or device.secret != scenario.DEMO_TOTP_SECRET:
        raise ValueError(NOT_A_DEMO_KEY.format(username))
    return pyotp.TOTP(device.secret).now()
