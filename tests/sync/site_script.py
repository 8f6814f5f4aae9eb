"""What the two-server tests do inside a site's own process (``python -m
tests.sync.site_script <command> [json]``), on that site's database: set the national server
up, register and correct at a station, count what a site holds. Prints JSON.

HBM_TEST_CLOCK_SKEW (seconds) sets this process's clock off by that much, as a field
laptop's clock can be: everything the station stamps takes the wrong time."""

import json
import os
import sys
from datetime import timedelta
from typing import Any

import django


def skew_clock() -> None:
    seconds = float(os.environ.get("HBM_TEST_CLOCK_SKEW", "0"))
    if not seconds:
        return
    from django.utils import timezone

    real_now = timezone.now
    timezone.now = lambda: real_now() + timedelta(seconds=seconds)


def national_setup(spec: dict[str, Any]) -> dict[str, Any]:
    """Points, and per station an account (field station + registration officer at its
    points) with a device token; ``plain``: an officer's token without the station role."""
    from hbm.accounts.services import device_token_create
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

    agency = AgencyFactory(code="border-police")
    points = {code: CrossingPointFactory(code=code, name=code.title()) for code in spec["points"]}
    tokens = {}
    for name, account in spec["accounts"].items():
        user = UserFactory(
            username=name,
            agency=agency,
            roles=account["roles"],
            crossing_points=[points[code] for code in account["points"]],
        )
        _, tokens[name] = device_token_create(actor=user, name=f"{name} link")
    return tokens


def grant(spec: dict[str, Any]) -> dict[str, Any]:
    """National: the account may now register at the point too (an operator's fix)."""
    from hbm.accounts.models import User
    from hbm.places.models import BorderCrossingPoint

    user = User.objects.get(username=spec["account"])
    user.crossing_points.add(BorderCrossingPoint.objects.get(code=spec["point"]))
    return {}


def officer(point: str) -> Any:
    from hbm.accounts.models import User
    from hbm.places.models import BorderCrossingPoint
    from tests.factories import AgencyFactory, UserFactory

    user = User.objects.filter(username="officer").first()
    if user is None:
        user = UserFactory(
            username="officer",
            agency=AgencyFactory(code="station-agency"),
            roles=["registration_officer"],
        )
    user.crossing_points.add(BorderCrossingPoint.objects.get(code=point))
    return user


def register(specs: list[dict[str, Any]]) -> list[str]:
    """Registers each registration in turn; answers the ids of the persons created."""
    from hbm.registry.api import RegistrationIn
    from hbm.registry.services import registration_register

    persons = []
    for spec in specs:
        data = RegistrationIn.model_validate(spec).to_input()
        result = registration_register(actor=officer(spec["crossing_point"]), data=data)
        persons += [str(p.public_id) for p, _ in result.written.members]  # type: ignore[union-attr]
    return persons


def correct(spec: dict[str, Any]) -> dict[str, Any]:
    from hbm.registry.models import Person
    from hbm.registry.services.corrections import person_correct

    person = Person.objects.get(public_id=spec["person"])
    result = person_correct(
        actor=officer(person.first_crossing_point.code),
        person=person,
        changes=spec["changes"],
        reason=spec.get("reason", "spelling checked with the document"),
    )
    return {"correction": str(result.correction.public_id)}


def records(spec: dict[str, Any]) -> dict[str, Any]:
    """Station: an officer at the person's point withdraws the registration consent, records
    a sharing consent, a protection and a health screening (ADR 0137)."""
    from hbm.registry.models import Person
    from hbm.registry.services.consents import ConsentInput, consent_record, consent_withdraw
    from hbm.screening.services import screening_record
    from hbm.screening.services.health import health_screening_record

    person = Person.objects.get(public_id=spec["person"])
    point = person.first_crossing_point
    user = officer(point.code)
    user.roles = [*user.roles, "protection_officer", "health_officer"]
    user.save(update_fields=["roles"])
    consent_withdraw(actor=user, consent=person.consents.get(), reason="she asked us to stop")
    consent_record(actor=user, person=person, data=ConsentInput(purpose="data_sharing"))
    screening_record(actor=user, person=person, answers={"pregnant": True}, notes="midwife")
    health_screening_record(
        actor=user, person=person, crossing_point=point, symptoms={}, temperature_celsius="37.4"
    )
    return held(spec)


def held(spec: dict[str, Any]) -> dict[str, Any]:
    """A person's consents and screenings, by their global ids."""
    from hbm.registry.models import Person

    person = Person.objects.get(public_id=spec["person"])
    return {
        "consents": sorted(
            [str(c.public_id), c.purpose, c.withdrawal_reason] for c in person.consents.all()
        ),
        "protection": sorted(
            [str(s.public_id), s.notes, sorted(c.code for c in s.codes.all())]
            for s in person.screenings.all()
        ),
        "health": sorted(
            [str(s.public_id), str(s.temperature_celsius), s.crossing_point.code]
            for s in person.health_screenings.all()
        ),
    }


def photo(spec: dict[str, Any]) -> dict[str, Any]:
    """Sets a person's photo as ``by`` (a user name) or an officer of their point: a PNG of
    ``size`` bytes drawn from ``seed``. Answers its SHA-256."""
    import hashlib
    import random

    from hbm.accounts.models import User
    from hbm.registry.models import Person
    from hbm.registry.services.photos import person_photo_set

    person = Person.objects.get(public_id=spec["person"])
    body = random.Random(spec["seed"]).randbytes(spec.get("size", 1000))
    content = b"\x89PNG\r\n\x1a\n" + body
    actor = (
        User.objects.get(username=spec["by"])
        if "by" in spec
        else officer(person.first_crossing_point.code)
    )
    person_photo_set(actor=actor, person=person, content=content)
    return {"sha256": hashlib.sha256(content).hexdigest()}


def photos(spec: dict[str, Any]) -> dict[str, Any]:
    """A person's photo (its SHA-256), the photo files this site stores, the audited sets."""
    from django.conf import settings

    from hbm.audit.models import AuditEvent
    from hbm.registry.models import Person
    from hbm.registry.services.photos import photo_sha256

    person = Person.objects.get(public_id=spec["person"])
    media = settings.STORAGES["default"]["OPTIONS"]["location"] / "photos"
    return {
        "sha256": photo_sha256(person),
        "files": sum(1 for path in media.rglob("*") if path.is_file()) if media.exists() else 0,
        "audited": sorted(
            event.actor.username
            for event in AuditEvent.objects.filter(
                object_id=str(person.public_id), action="update", fields=["photo"]
            ).select_related("actor")
        ),
    }


def refer(spec: dict[str, Any]) -> dict[str, Any]:
    """Station: a protection officer at the person's point sends a health referral to the
    provider with the person's consent, then revokes it (ADR 0137) unless ``revoke`` is
    false."""
    from hbm.referrals.models import Provider, ServiceType
    from hbm.referrals.services import referral_send, referral_transition
    from hbm.registry.models import Person

    person = Person.objects.get(public_id=spec["person"])
    point = person.first_crossing_point
    user = officer(point.code)
    user.roles = [*user.roles, "protection_officer"]
    user.save(update_fields=["roles"])
    sent = referral_send(
        actor=user,
        person=person,
        crossing_point=point,
        service_type=ServiceType.objects.get(code="health"),
        provider=Provider.objects.get(name=spec["provider"]),
        urgency="urgent",
        consent_given=True,
        notes="needs a clinic today",
    )
    if spec.get("revoke", True):
        referral_transition(actor=user, referral=sent, to_status="revoked", reason="seen at home")
    return referrals(spec)


def provide(spec: dict[str, Any]) -> dict[str, Any]:
    """National: a user of the provider moves the person's referrals to ``to`` (ADR 0140)."""
    from hbm.referrals.models import Provider, Referral
    from hbm.referrals.services import referral_transition
    from tests.factories import UserFactory

    provider = Provider.objects.get(name=spec["provider"])
    user = UserFactory(
        username=f"provider-{provider.pk}-{spec['to']}",
        first_name="Ruth",
        last_name="Kim",
        agency=provider.agency,
        roles=["service_provider"],
    )
    for referral in Referral.objects.filter(person__public_id=spec["person"], provider=provider):
        referral_transition(actor=user, referral=referral, to_status=spec["to"])
    return referrals(spec)


def referrals(spec: dict[str, Any]) -> dict[str, Any]:
    """A person's referrals by their global ids: status, consent, notes, transitions."""
    from hbm.referrals.models import Referral

    return {
        str(r.public_id): {
            "status": r.status,
            "consent": str(r.consent.public_id) if r.consent else None,
            "notes": r.notes,
            "provider": str(r.provider.public_id),
            "events": [[str(e.public_id), e.from_status, e.to_status] for e in r.events.all()],
        }
        for r in Referral.objects.filter(person__public_id=spec["person"]).select_related(
            "consent", "provider"
        )
    }


def counts(_: Any) -> dict[str, Any]:
    from django.db.models import Count

    from hbm.audit.models import AuditEvent
    from hbm.places.models import BorderCrossingPoint
    from hbm.registry.models import Crossing, Person, PersonCorrection, Registration
    from hbm.sync.models import AppliedChange, Change, SyncConflict
    from hbm.sync.services.push import pushed_seq

    outcomes = AppliedChange.objects.values("outcome").annotate(n=Count("id"))
    return {
        "registrations": sorted(
            str(r) for r in Registration.objects.values_list("public_id", flat=True)
        ),
        "persons": {str(p.public_id): p.given_name for p in Person.objects.all()},
        "crossings": Crossing.objects.count(),
        "corrections": sorted(
            str(c) for c in PersonCorrection.objects.values_list("public_id", flat=True)
        ),
        "applied": {row["outcome"]: row["n"] for row in outcomes},
        "applied_seqs": sorted(
            [a.station.username, a.seq] for a in AppliedChange.objects.select_related("station")
        ),
        "conflicts": [
            {
                "person": str(c.person.public_id) if c.person else None,
                "detail": c.detail,
                "payload": c.payload,
                "station": c.change.station.username,
                "status": c.status,
            }
            for c in SyncConflict.objects.select_related("person", "change__station")
        ],
        "changes": list(Change.objects.order_by("seq").values_list("seq", "kind")),
        "refused": list(
            Change.objects.filter(refused_at__isnull=False).values_list("seq", flat=True)
        ),
        "changes_created": [
            c.isoformat()
            for c in Change.objects.order_by("seq").values_list("created_at", flat=True)
        ],
        "pushed": pushed_seq(),
        "points": sorted(BorderCrossingPoint.objects.values_list("code", flat=True)),
        "push_audits": AuditEvent.objects.filter(object_type="sync.push").count(),
        "pull_audits": AuditEvent.objects.filter(object_type="sync.reference").count(),
    }


def directory_setup(spec: dict[str, Any]) -> dict[str, Any]:
    """National: a security officer's lists (``marked``: screened at field stations), loaded
    from CSV rows, and the directory's providers, created by an administrator."""
    from hbm.referrals.services.providers import provider_create
    from hbm.security import services
    from tests.factories import AgencyFactory, UserFactory

    police = AgencyFactory(code="police", name="Police", kind="police")
    security = UserFactory(username="security", agency=police, roles=["security_officer"])
    admin = UserFactory(username="admin", agency=police, roles=["administrator"])
    lists = {}
    for name, listed in spec["lists"].items():
        watchlist = services.watchlist_create(
            actor=security,
            owner=police,
            name=name,
            legal_basis="Law 04/2016 art. 12",
            field_screening=listed["marked"],
        )
        rows = "".join(",".join(row) + "\n" for row in listed["rows"])
        header = "external_id,given_name,family_name,date_of_birth,nationality,required_action\n"
        services.watchlist_load(
            actor=security, watchlist=watchlist, content=(header + rows).encode(), filename="l.csv"
        )
        lists[name] = str(watchlist.public_id)
    providers = {}
    for name in spec["providers"]:
        data = {"name": name, "agency": "police", "service_types": ["health"], "active": True}
        providers[name] = str(provider_create(actor=admin, data=data).public_id)
    return {"lists": lists, "providers": providers}


def directory_change(spec: dict[str, Any]) -> dict[str, Any]:
    """National: remove entries, (un)mark lists, switch providers off, as their owners do."""
    from hbm.accounts.models import User
    from hbm.referrals.models import Provider
    from hbm.referrals.services.providers import provider_update
    from hbm.security import services
    from hbm.security.models import Watchlist, WatchlistEntry

    security, admin = User.objects.get(username="security"), User.objects.get(username="admin")
    for external_id in spec.get("remove", []):
        entry = WatchlistEntry.objects.get(external_id=external_id)
        services.entry_remove(actor=security, entry=entry)
    for name, on in spec.get("mark", {}).items():
        watchlist = Watchlist.objects.get(name=name)
        services.watchlist_field_screening_set(actor=security, watchlist=watchlist, on=on)
    for name in spec.get("providers_off", []):
        provider = Provider.objects.get(name=name)
        provider_update(actor=admin, provider=provider, changes={"active": False})
    return {}


def pathways(spec: list[list[str]]) -> dict[str, Any]:
    """National: the health pathways are now these [point, provider name, urgency]."""
    from hbm.places.models import BorderCrossingPoint
    from hbm.referrals.models import Pathway, Provider, ServiceType

    Pathway.objects.all().delete()
    health = ServiceType.objects.get(code="health")
    for point, provider, urgency in spec:
        Pathway.objects.create(
            crossing_point=BorderCrossingPoint.objects.get(code=point),
            service_type=health,
            provider=Provider.objects.get(name=provider),
            urgency=urgency,
        )
    return {}


def fill_watchlist(spec: dict[str, Any]) -> dict[str, Any]:
    """National (bench/sync/watchlist_pull.py): one list screened at stations, of
    ``entries`` entries, written in bulk."""
    from hbm.security.models import Watchlist, WatchlistEntry, WatchlistLoad
    from tests.factories import AgencyFactory, UserFactory

    police = AgencyFactory(code="police", name="Police", kind="police")
    security = UserFactory(username="security", agency=police, roles=["security_officer"])
    watchlist = Watchlist.objects.create(
        name="Bench", owner=police, legal_basis="Law", field_screening=True
    )
    load = WatchlistLoad.objects.create(watchlist=watchlist, filename="b.csv", loaded_by=security)
    WatchlistEntry.objects.bulk_create(
        (
            WatchlistEntry(
                watchlist=watchlist,
                load=load,
                external_id=f"B-{n}",
                given_name=f"Given{n}",
                family_name=f"Family{n % 5000}",
                other_names=f"Alias{n} Other",
                date_of_birth=f"19{50 + n % 50}-0{1 + n % 9}-1{n % 10}",
                nationality="SSD",
                document_number=f"P{n:08d}",
                reason_category="sanctions",
            )
            for n in range(spec["entries"])
        ),
        batch_size=5000,
    )
    return {}


def screening(_: Any) -> dict[str, Any]:
    """Station: the copies of the lists, their entries, the hits and the neutral prompts."""
    from hbm.referrals.models import Pathway, Provider
    from hbm.registry.models import Person
    from hbm.security.models import Hit, Watchlist, WatchlistEntry
    from hbm.security.screening import neutral_flags

    persons = list(Person.objects.all())
    flags = neutral_flags(persons)
    return {
        "lists": {str(w.public_id): [w.name, w.active] for w in Watchlist.objects.all()},
        "entries": {
            e.external_id: [str(e.public_id), e.active, e.given_name, e.document_number]
            for e in WatchlistEntry.objects.all()
        },
        "hits": sorted(
            [h.person.given_name, h.entry.external_id]
            for h in Hit.objects.select_related("person", "entry")
        ),
        "prompted": sorted(p.given_name for p in persons if flags.get(p.pk)),
        "providers": {
            str(p.public_id): [p.name, p.active, sorted(t.code for t in p.service_types.all())]
            for p in Provider.objects.all()
        },
        "pathways": sorted(
            [w.crossing_point.code, w.service_type.code, w.provider.name, w.urgency, w.active]
            for w in Pathway.objects.select_related("crossing_point", "service_type", "provider")
        ),
    }


COMMANDS = {
    "national-setup": national_setup,
    "grant": grant,
    "register": register,
    "correct": correct,
    "counts": counts,
    "records": records,
    "held": held,
    "refer": refer,
    "photo": photo,
    "photos": photos,
    "referrals": referrals,
    "provide": provide,
    "directory-setup": directory_setup,
    "directory-change": directory_change,
    "screening": screening,
    "fill-watchlist": fill_watchlist,
    "pathways": pathways,
}

if __name__ == "__main__":
    skew_clock()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.settings")
    django.setup()
    command, *rest = sys.argv[1:]
    argument = json.loads(rest[0]) if rest else None
    print(json.dumps(COMMANDS[command](argument)))
