"""Subject access: everything HBM holds about one person, as JSON and as a PDF.

Protection officers (for the people of their crossing points), coordinators and
administrators may ask for it (docs/decisions/0126-retention-and-subject-access.md). Each
compartment (protection, health, security) is included only for a requester who may read it;
otherwise the export says what is withheld and why. Every export is audited, a refusal too."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role
from hbm.referrals.models import Referral
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateCandidate,
    GroupMember,
    Person,
    PersonCorrection,
    PersonReveal,
)
from hbm.registry.selectors import person_get_for_user
from hbm.screening.models import HealthScreening, ProtectionScreening, TracingMatch, TracingRequest
from hbm.screening.selectors import can_read_protection
from hbm.screening.services.health import can_read_health
from hbm.security.models import Hit
from hbm.security.services.hits import SECURITY_ROLES

M = TypeVar("M", bound=Model)

REQUESTERS = ("protection_officer", "coordinator", "administrator")
NOT_ALLOWED = gettext_lazy(
    "Only protection officers, coordinators and administrators can export what HBM holds "
    "about a person."
)
WITHHELD_PROTECTION = gettext_lazy(
    "Protection details (screenings, notes, tracing, what referrals shared) are visible to "
    "protection officers only: ask one for this part."
)
WITHHELD_HEALTH = gettext_lazy(
    "Health screenings are visible to health officers only: ask one for this part."
)
WITHHELD_SECURITY = gettext_lazy(
    "Watchlist hits are visible to security officers only: ask one for this part."
)
SECTIONS = (
    "identity",
    "registrations",
    "crossings",
    "groups",
    "consents",
    "corrections",
    "duplicates",
    "protection_screenings",
    "health_screenings",
    "referrals",
    "tracing",
    "hits",
    "audit_trail",
    "reveals",
)


def may_request(user: User) -> bool:
    return has_any_role(user, *REQUESTERS)


def subject_access_person(*, user: User, public_id: str, channel: str) -> Person:
    """The person, for a requester who may export and see them; 403 (audited as denied)
    for anyone else, 404 out of scope."""
    if not may_request(user):
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type="registry.person",
            object_id=str(public_id)[:64],
            detail=f"subject access ({channel})",
        )
        raise PermissionDenied(NOT_ALLOWED)
    return person_get_for_user(user=user, public_id=public_id)


def subject_access_export(*, user: User, person: Person, channel: str) -> dict[str, Any]:
    """Everything held about the person that ``user`` may read, and what is withheld;
    audited as an export (naming the sections withheld, never their content)."""
    withheld: dict[str, str] = {}
    protection, health = can_read_protection(user), can_read_health(user)
    security = has_any_role(user, *SECURITY_ROLES)
    if not protection:
        withheld.update(
            {
                "protection_screenings": str(WITHHELD_PROTECTION),
                "tracing": str(WITHHELD_PROTECTION),
            }
        )
    if not health:
        withheld["health_screenings"] = str(WITHHELD_HEALTH)
    if not security:
        withheld["hits"] = str(WITHHELD_SECURITY)
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "exported_by": user.get_username(),
        "person": str(person.public_id),
        "identity": _identity(person),
        "registrations": _registrations(person),
        "crossings": _crossings(person),
        "groups": _groups(person),
        "consents": _consents(person),
        "corrections": _corrections(person),
        "duplicates": _duplicates(person),
        "protection_screenings": _protection(person) if protection else None,
        "health_screenings": _health(person) if health else None,
        "referrals": _referrals(person, shared=protection),
        "tracing": _tracing(person) if protection else None,
        "hits": _hits(person) if security else None,
        "audit_trail": _audit_trail(person),
        "reveals": _reveals(person),
        "withheld": withheld,
    }
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=person,
        detail=f"subject access ({channel})"
        + (f", withheld: {', '.join(sorted(withheld))}" if withheld else ""),
    )
    return data


def subject_access_pdf(*, data: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, slow to start

    html = render_to_string("retention/subject_access_pdf.html", {"data": data})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


# --- the sections -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON holds it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _of(model: type[M], person: Person, *related: str, order: str) -> QuerySet[M]:
    """The person's rows of ``model``, oldest first, with ``related`` read in the query."""
    rows = model._default_manager.filter(person=person).select_related(*related)
    return rows.order_by(order, "pk")


def _pick(row: Model, *names: str, **more: Any) -> dict[str, Any]:
    """The row's fields ``names`` as JSON holds them (a user by name), then ``more``."""
    picked = {}
    for name in names:
        value = getattr(row, name)
        picked[name] = _user(value) if isinstance(value, User) else _plain(value)
    return {**picked, **more}


def _user(user: User | None) -> str:
    return user.get_username() if user else ""


def _identity(person: Person) -> dict[str, Any]:
    return {
        "public_id": str(person.public_id),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "father_name": person.father_name,
        "full_name": person.full_name,
        "other_names": person.other_names,
        "name_original_script": person.name_original_script,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "age_estimate": person.age_estimate,
        "nationality": person.nationality_id or "",
        "document_type": person.document_type,
        "document_number": person.document_number,
        "phone": person.phone,
        "place_of_origin": person.place_of_origin,
        "languages": person.languages,
        "photo": bool(person.photo),
        "first_crossing_point": person.first_crossing_point.code,
        "registered_by": _user(person.created_by),
        "created_at": _plain(person.created_at),
        "updated_at": _plain(person.updated_at),
        "anonymised_at": _plain(person.anonymised_at),
        "anonymised_under": person.anonymised_under,
    }


def _crossing_rows(person: Person) -> Any:
    return (
        Crossing.objects.filter(person=person)
        .select_related("crossing_point", "registration", "registered_by")
        .order_by("crossed_at", "pk")
    )


def _registrations(person: Person) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for crossing in _crossing_rows(person).select_related("registration__crossing_point"):
        registration = crossing.registration
        seen.setdefault(
            registration.pk,
            {
                "id": str(registration.public_id),
                "crossing_point": registration.crossing_point.code,
                "registered_by": _user(crossing.registered_by),
                "created_at": _plain(registration.created_at),
            },
        )
    return list(seen.values())


def _crossings(person: Person) -> list[dict[str, Any]]:
    fields = ("direction", "crossed_at", "transport", "reason", "origin_place", "destination")
    return [
        _pick(
            c,
            *fields,
            "child_without_related_adult",
            id=str(c.public_id),
            crossing_point=c.crossing_point.code,
            origin_country=c.origin_country_id or "",
            registration=str(c.registration.public_id),
        )
        for c in _crossing_rows(person)
    ]


def _groups(person: Person) -> list[dict[str, Any]]:
    # Who else was in the group is their own data: the export counts them.
    memberships = GroupMember.objects.filter(person=person).select_related("group")
    return [
        {
            "group": str(m.group.public_id),
            "kind": m.group.kind,
            "relationship": m.relationship,
            "members": m.group.members.count(),
        }
        for m in memberships.order_by("pk")
    ]


def _consents(person: Person) -> list[dict[str, Any]]:
    fields = (
        *("purpose", "scope", "given", "given_by", "given_by_name", "method", "legal_basis"),
        *("expires_on", "recorded_by", "recorded_at"),
        *("withdrawn_at", "withdrawn_by", "withdrawal_reason"),
    )
    return [
        _pick(c, *fields)
        for c in _of(Consent, person, "recorded_by", "withdrawn_by", order="recorded_at")
    ]


def _corrections(person: Person) -> list[dict[str, Any]]:
    return [
        _pick(c, "changes", "reason", "corrected_by", "corrected_at")
        for c in _of(PersonCorrection, person, "corrected_by", order="corrected_at")
    ]


def _duplicates(person: Person) -> list[dict[str, Any]]:
    pairs = DuplicateCandidate.objects.filter(Q(person_a=person) | Q(person_b=person))
    return [
        {
            "other_person": str(
                (pair.person_b if pair.person_a_id == person.pk else pair.person_a).public_id
            ),
            "probability": round(pair.probability, 3),
            "status": pair.status,
            "found_at": _plain(pair.found_at),
            "decided_at": _plain(pair.decided_at),
        }
        for pair in pairs.select_related("person_a", "person_b").order_by("found_at", "pk")
    ]


def _protection(person: Person) -> list[dict[str, Any]]:
    fields = ("screened_at", "screened_by", "urgency", "unaccompanied_or_separated")
    screenings = _of(ProtectionScreening, person, "screened_by", order="screened_at")
    return [
        _pick(
            s,
            *fields,
            "answers",
            "notes",
            codes=sorted(code.code for code in s.codes.all()),
        )
        for s in screenings.prefetch_related("codes")
    ]


def _health(person: Person) -> list[dict[str, Any]]:
    fields = ("screened_at", "screened_by", "symptoms", "temperature_celsius", "vaccination")
    return [
        _pick(
            s,
            *fields,
            "has_symptoms",
            "referred_for_care",
            "notes",
            crossing_point=s.crossing_point.code,
        )
        for s in _of(HealthScreening, person, "screened_by", "crossing_point", order="screened_at")
    ]


def _referrals(person: Person, *, shared: bool) -> list[dict[str, Any]]:
    fields = ("urgency", "status", "consent_given", "sent_by", "sent_at", "completed_at")
    # What was shared, the notes and the outcome are the protection compartment's.
    compartment = ("shared", "notes", "outcome") if shared else ()
    return [
        _pick(
            r,
            *fields,
            *compartment,
            service_type=r.service_type.code,
            provider=r.provider.name,
        )
        for r in _of(Referral, person, "service_type", "provider", "sent_by", order="sent_at")
    ]


def _tracing(person: Person) -> dict[str, list[dict[str, Any]]]:
    requests = TracingRequest.objects.filter(enquirer=person).order_by("created_at", "pk")
    matches = (
        TracingMatch.objects.filter(person=person)
        .select_related("request")
        .order_by("proposed_at", "pk")
    )
    return {
        "requests_made": [
            {
                "id": t.pk,
                "status": t.status,
                "relationship": t.relationship,
                "looking_for": t.sought_name,
                "created_at": _plain(t.created_at),
                "closed_at": _plain(t.closed_at),
            }
            for t in requests
        ],
        "proposed_as_match": [
            {
                "request": m.request_id,
                "decision": m.decision,
                "proposed_at": _plain(m.proposed_at),
                "decided_at": _plain(m.decided_at),
            }
            for m in matches
        ],
    }


def _hits(person: Person) -> list[dict[str, Any]]:
    return [
        _pick(
            h,
            "status",
            "reason",
            "found_at",
            "decided_at",
            watchlist=h.entry.watchlist.name,
            entry=h.entry.external_id,
            probability=round(h.probability, 3),
        )
        for h in _of(Hit, person, "entry__watchlist", order="found_at")
    ]


def _audit_trail(person: Person) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        object_type="registry.person", object_id=str(person.public_id)
    ).order_by("occurred_at", "pk")
    return [
        {
            "at": _plain(e.occurred_at),
            "who": e.actor_label,
            "action": e.action,
            "detail": e.detail,
        }
        for e in events
    ]


def _reveals(person: Person) -> list[dict[str, Any]]:
    """Who, from another point, asked to see the whole record for a case, and why."""
    reveals = PersonReveal.objects.filter(person=person).select_related("user")
    return [
        _pick(r, "user", "reason", "revealed_at", "expires_at")
        for r in reveals.order_by("revealed_at", "pk")
    ]
