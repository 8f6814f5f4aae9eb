"""Sending referrals and moving them through their lifecycle. Every transition is logged
(ReferralEvent) and audited; sharing a person's data with a provider is audited as a share."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.text import text_problems, text_refuse
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list
from hbm.referrals import hooks
from hbm.referrals.models import (
    SHAREABLE_FIELDS,
    Pathway,
    Provider,
    Referral,
    ReferralEvent,
    ServiceType,
)
from hbm.registry.models import Consent, Person
from hbm.registry.selectors import consent_in_force, person_check_scope
from hbm.registry.services.consents import ConsentInput, consent_problems, consent_write
from hbm.screening.models import NeedCode, ProtectionScreening

SENDERS = ("protection_officer", "health_officer")
CONSENT_OVERRIDERS = ("protection_officer",)
DUE_AFTER = {
    "emergency": timedelta(hours=24),
    "urgent": timedelta(days=3),
    "normal": timedelta(days=14),
}
S = Referral.Status
# to_status → (allowed from, who may do it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    S.ACCEPTED: ((S.PENDING,), "provider"),
    S.REJECTED: ((S.PENDING,), "provider"),
    S.IN_SERVICE: ((S.ACCEPTED,), "provider"),
    S.COMPLETED: ((S.IN_SERVICE,), "provider"),
    S.CLOSED: ((S.ACCEPTED, S.IN_SERVICE), "provider"),
    S.REVOKED: ((S.PENDING, S.ACCEPTED, S.IN_SERVICE), "sender"),
}
NEEDS_REASON = {S.REJECTED, S.CLOSED, S.REVOKED}

# Messages are translated lazily, in the language of the request that meets them; the ones
# with placeholders become plain text when formatted (``str.format`` on a lazy string).
NO_CONSENT = _(
    "The person has not consented to this referral. Record consent, or override "
    "with a reason if your role allows it."
)
OVERRIDE_NOT_ALLOWED = _("Your role cannot override a missing consent.")
OVERRIDE_REASON = _("Give the reason for referring without consent.")
OUTSIDE_PATHWAY = _(
    "{provider} is not on the referral pathway for {service} at {point} for {urgency} cases."
)
NOT_OFFERED = _("{provider} does not offer {service}.")
INACTIVE = _("{provider} is not taking referrals.")
NOT_YOUR_POINT = _("You do not work at this crossing point.")
OUT_OF_ORDER = _(
    "A {current} referral cannot become {target}; from {current} it can become: {allowed}."
)
NOTHING = pgettext_lazy("referral statuses", "nothing")
REASON_REQUIRED = _("Give a reason.")
OUTCOME_REQUIRED = _("Describe the outcome of the service.")
NOT_THE_PROVIDER = _("Only the provider this referral was sent to can do this.")
NOT_THE_SENDER = _("Only the sending side can revoke a referral.")
UNKNOWN_STATUS = _("'{}' is not a referral status.")
OTHER_PERSONS_SCREENING = _("This screening is of another person.")
CONSENT_WITHDRAWN = _(
    "The person withdrew the consent this referral was sent under: it cannot go further."
)
# Statuses a referral cannot reach once its consent is withdrawn (revoking or closing it can).
STOPPED_BY_WITHDRAWAL = {S.ACCEPTED, S.IN_SERVICE, S.COMPLETED}


def _referral_consent(
    person: Person, service: ServiceType, *, consent_given: bool, given_by: str, given_by_name: str
) -> tuple[ConsentInput | None, Consent | None]:
    """The consent a referral goes under: the one the officer records now (the person
    consents, ticked), else the newest in force for this service or for any referral."""
    if consent_given:
        data = ConsentInput(
            purpose=Consent.Purpose.REFERRAL,
            scope=service.code,
            given_by=given_by,
            given_by_name=given_by_name,
            method=Consent.Method.VERBAL,
        )
        return data, None
    found = consent_in_force(
        person=person,
        purpose=Consent.Purpose.REFERRAL,
        scope=service.code,
        today=timezone.localdate(),
    )
    return None, found


def _check_consent(actor: User, consent_given: bool, override_reason: str) -> dict[str, list[str]]:
    if consent_given:
        return {}
    if not (has_any_role(actor, *CONSENT_OVERRIDERS)):
        return {"consent_given": [str(NO_CONSENT), str(OVERRIDE_NOT_ALLOWED)]}
    if len(override_reason.strip()) < 10:
        return {"consent_override_reason": [str(OVERRIDE_REASON)]}
    return {}


def _check_pathway(
    point: BorderCrossingPoint, service: ServiceType, provider: Provider, urgency: str
) -> dict[str, list[str]]:
    names = {
        "provider": provider.name,
        "service": service.label,
        "point": point.name,
        "urgency": urgency,
    }
    if not provider.active:
        return {"provider": [INACTIVE.format(**names)]}
    if not provider.service_types.filter(pk=service.pk).exists():
        return {"provider": [NOT_OFFERED.format(**names)]}
    on_pathway = Pathway.objects.filter(
        crossing_point=point,
        service_type=service,
        provider=provider,
        urgency__in=["", urgency],
        active=True,
    ).exists()
    return {} if on_pathway else {"provider": [OUTSIDE_PATHWAY.format(**names)]}


def _check_route(
    problems: dict[str, list[str]],
    *,
    person: Person,
    crossing_point: BorderCrossingPoint,
    service_type: ServiceType,
    provider: Provider,
    urgency: str,
    screening: ProtectionScreening | None,
    texts: dict[str, str],
) -> None:
    """Into ``problems``: the screening's person, the urgency, the pathway, the free text."""
    if screening is not None and screening.person_id != person.pk:
        problems["screening"] = [str(OTHER_PERSONS_SCREENING)]
    if urgency not in DUE_AFTER:
        problems.setdefault("urgency", []).append(UNKNOWN_STATUS.format(urgency))
    else:
        for field, messages in _check_pathway(
            crossing_point, service_type, provider, urgency
        ).items():
            problems.setdefault(field, []).extend(messages)
    text_problems(texts, multiline=texts.keys(), into=problems)


def shared_view(
    person: Person, service: ServiceType, *, need_code: NeedCode | None, urgency: str, notes: str
) -> dict[str, Any]:
    """Exactly the fields this service type receives, and never one outside SHAREABLE_FIELDS
    (a service type configured with another name shares nothing under it)."""
    values = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "father_name": person.father_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "age_estimate": person.age_estimate,
        "nationality": person.nationality_id,
        "phone": person.phone,
        "languages": person.languages,
        "place_of_origin": person.place_of_origin,
        "need_code": need_code.code if need_code else "",
        "urgency": urgency,
        "notes": notes,
    }
    return {name: values[name] for name in service.shared_fields if name in SHAREABLE_FIELDS}


def referral_problems(
    *,
    actor: User,
    person: Person,
    crossing_point: BorderCrossingPoint,
    service_type: ServiceType,
    provider: Provider,
    urgency: str,
    consent_given: bool,
    consent_override_reason: str = "",
    consent_given_by: str = Consent.GivenBy.SELF,
    consent_given_by_name: str = "",
    screening: ProtectionScreening | None = None,
    notes: str = "",
    need_code: NeedCode | None = None,
) -> dict[str, list[str]]:
    """What referral_send would refuse, by field, writing nothing: the referral form asks it
    as the officer fills the form in. Scope is referral_send's to check; any need code goes.
    Without consent ticked, a consent in force for the service (or any referral) will do."""
    new, found = _referral_consent(
        person,
        service_type,
        consent_given=consent_given,
        given_by=consent_given_by,
        given_by_name=consent_given_by_name,
    )
    problems = _check_consent(actor, new is not None or found is not None, consent_override_reason)
    if new is not None:
        for field, messages in consent_problems(new, today=timezone.localdate()).items():
            problems.setdefault(f"consent_{field}", []).extend(messages)
    _check_route(
        problems,
        person=person,
        crossing_point=crossing_point,
        service_type=service_type,
        provider=provider,
        urgency=urgency,
        screening=screening,
        texts={"consent_override_reason": consent_override_reason, "notes": notes},
    )
    return problems


@transaction.atomic
def referral_send(
    *,
    actor: User,
    person: Person,
    crossing_point: BorderCrossingPoint,
    service_type: ServiceType,
    provider: Provider,
    urgency: str,
    consent_given: bool,
    consent_override_reason: str = "",
    consent_given_by: str = Consent.GivenBy.SELF,
    consent_given_by_name: str = "",
    need_code: NeedCode | None = None,
    screening: ProtectionScreening | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> Referral:
    """Send a referral under a consent: recorded now (``consent_given``), else one in force,
    else a protection officer's override with its reason."""
    require_role(actor, *SENDERS)
    person_check_scope(user=actor, person=person)
    if not crossing_point_list(user=actor).filter(pk=crossing_point.pk).exists():
        raise PermissionDenied(NOT_YOUR_POINT)
    problems = referral_problems(
        actor=actor,
        person=person,
        crossing_point=crossing_point,
        service_type=service_type,
        provider=provider,
        urgency=urgency,
        consent_given=consent_given,
        consent_override_reason=consent_override_reason,
        consent_given_by=consent_given_by,
        consent_given_by_name=consent_given_by_name,
        screening=screening,
        notes=notes,
    )
    if problems:
        raise ValidationError(problems)
    new, consent = _referral_consent(
        person,
        service_type,
        consent_given=consent_given,
        given_by=consent_given_by,
        given_by_name=consent_given_by_name,
    )
    if new is not None:
        consent = consent_write(actor=actor, person=person, data=new)
    return referral_write(
        actor=actor,
        person=person,
        crossing_point=crossing_point,
        service_type=service_type,
        provider=provider,
        urgency=urgency,
        consent=consent,
        consent_override_reason=consent_override_reason,
        need_code=need_code,
        screening=screening,
        notes=notes,
        now=now,
    )


@transaction.atomic
def referral_write(
    *,
    actor: User,
    person: Person,
    crossing_point: BorderCrossingPoint,
    service_type: ServiceType,
    provider: Provider,
    urgency: str,
    consent: Consent | None,
    consent_override_reason: str = "",
    need_code: NeedCode | None = None,
    screening: ProtectionScreening | None = None,
    notes: str = "",
    now: datetime | None = None,
    public_id: UUID | None = None,
    event_id: UUID | None = None,
    actor_name: str = "",
    actor_agency: str = "",
) -> Referral:
    """Write a referral under ``consent`` (a record of this person's, not withdrawn) or an
    override reason, audited as a share. For services that checked the sender's role already
    (referral_send; a field station's referral replicated with its ids and time, ADR 0137):
    the person's scope, the point, the pathway and the shared fields are checked here.
    ``actor_name``, ``actor_agency``: who sent it on the station, when ``actor`` is its account."""
    person_check_scope(user=actor, person=person)
    if not crossing_point_list(user=actor).filter(pk=crossing_point.pk).exists():
        raise PermissionDenied(NOT_YOUR_POINT)
    problems: dict[str, list[str]] = {}
    if consent is not None and consent.person_id != person.pk:
        problems["consent"] = [str(NO_CONSENT)]
    elif consent is not None and consent.withdrawn_at is not None:
        problems["consent"] = [str(CONSENT_WITHDRAWN)]
    if consent is None and len(consent_override_reason.strip()) < 10:
        problems["consent_override_reason"] = [str(OVERRIDE_REASON)]
    _check_route(
        problems,
        person=person,
        crossing_point=crossing_point,
        service_type=service_type,
        provider=provider,
        urgency=urgency,
        screening=screening,
        texts={"consent_override_reason": consent_override_reason, "notes": notes},
    )
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    referral = Referral.objects.create(
        public_id=public_id or uuid4(),
        person=person,
        screening=screening,
        need_code=need_code,
        service_type=service_type,
        provider=provider,
        crossing_point=crossing_point,
        urgency=urgency,
        consent_given=consent is not None,
        consent=consent,
        consent_override_reason="" if consent is not None else consent_override_reason.strip(),
        notes=notes.strip(),
        sent_by=actor,
        sent_at=now,
        due_at=now + DUE_AFTER[urgency],
        shared=shared_view(
            person, service_type, need_code=need_code, urgency=urgency, notes=notes.strip()
        ),
    )
    event = ReferralEvent.objects.create(
        public_id=event_id or uuid4(),
        referral=referral,
        to_status=S.PENDING,
        actor=actor,
        actor_name=actor_name[:150],
        actor_agency=actor_agency[:200],
        reason="" if consent is not None else consent_override_reason.strip(),
    )
    ReferralEvent.objects.filter(pk=event.pk).update(at=now)  # the time it was sent
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SHARE,
        target=person,
        fields=sorted(referral.shared),
        detail=f"referral {referral.pk} to {provider.name}",
    )
    if provider.contact_email:
        transaction.on_commit(lambda: _notify(referral))
    hooks.referral_sent(referral)
    return referral


def _notify(referral: Referral) -> None:
    send_mail(
        subject=f"HBM: new {referral.get_urgency_display().lower()} referral "
        f"({referral.service_type})",
        message=(
            f"A referral for {referral.service_type} was sent to {referral.provider.name}. "
            f"Open HBM to accept or reject it (due {referral.due_at:%Y-%m-%d %H:%M} UTC). "
            "No personal data is sent by e-mail."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[referral.provider.contact_email],
        fail_silently=True,
    )


def consent_withdrawn(referral: Referral) -> bool:
    return (
        referral.consent_id is not None
        and Consent.objects.filter(pk=referral.consent_id, withdrawn_at__isnull=False).exists()
    )


def is_provider_user(user: User, referral: Referral) -> bool:
    return bool(
        user.has_role("service_provider")
        and user.agency_id
        and user.agency_id == referral.provider.agency_id
    )


def is_sender_user(user: User, referral: Referral) -> bool:
    """A protection or health officer of the referral's crossing point: the sending side."""
    return bool(
        user.has_role(*SENDERS)
        and crossing_point_list(user=user).filter(pk=referral.crossing_point_id).exists()
    )


def _check_actor(actor: User, referral: Referral, who: str) -> None:
    if who == "provider" and not is_provider_user(actor, referral):
        raise PermissionDenied(NOT_THE_PROVIDER)
    if who == "sender" and not is_sender_user(actor, referral):
        raise PermissionDenied(NOT_THE_SENDER)


def transitions_for(user: User, referral: Referral) -> list[str]:
    """The statuses this user may move the referral to now."""
    roles = {
        "provider": is_provider_user(user, referral),
        "sender": is_sender_user(user, referral),
    }
    stopped = STOPPED_BY_WITHDRAWAL if consent_withdrawn(referral) else set()
    return [
        to_status
        for to_status, (sources, who) in TRANSITIONS.items()
        if referral.status in sources and roles[who] and to_status not in stopped
    ]


@transaction.atomic
def referral_transition(
    *, actor: User, referral: Referral, to_status: str, reason: str = "", outcome: str = ""
) -> Referral:
    if to_status not in TRANSITIONS:
        raise ValidationError({"status": UNKNOWN_STATUS.format(to_status)})
    referral = Referral.objects.select_related("provider").get(pk=referral.pk)
    _check_actor(actor, referral, TRANSITIONS[to_status][1])
    return referral_transition_write(
        actor=actor, referral=referral, to_status=to_status, reason=reason, outcome=outcome
    )


@transaction.atomic
def referral_transition_write(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    reason: str = "",
    outcome: str = "",
    now: datetime | None = None,
    public_id: UUID | None = None,
    actor_name: str = "",
    actor_agency: str = "",
    replicated: bool = False,
) -> Referral:
    """Move the referral, logged and audited, if its status and consent allow it (refused on
    ``status`` otherwise). For services that checked who moves it already (referral_transition;
    a field station's transition replicated with its id and time, ADR 0137; the national
    server's, on a station, ADR 0140). ``actor_name``, ``actor_agency``: who moved it on the
    other server, when ``actor`` is that server's account. ``replicated``: the transition
    comes from another server's log and is not passed on (a station does not push back what
    it pulled)."""
    referral = Referral.objects.select_for_update().select_related("provider").get(pk=referral.pk)
    if to_status not in TRANSITIONS:
        raise ValidationError({"status": UNKNOWN_STATUS.format(to_status)})
    allowed_from = TRANSITIONS[to_status][0]
    if referral.status not in allowed_from:
        allowed = [t for t, (sources, _who) in TRANSITIONS.items() if referral.status in sources]
        raise ValidationError(
            {
                "status": OUT_OF_ORDER.format(
                    current=referral.status,
                    target=to_status,
                    allowed=", ".join(allowed) or NOTHING,
                )
            }
        )
    if to_status in STOPPED_BY_WITHDRAWAL and consent_withdrawn(referral):
        raise ValidationError({"status": CONSENT_WITHDRAWN})
    text_refuse({"reason": reason, "outcome": outcome}, multiline={"reason", "outcome"})
    if to_status in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if to_status == S.COMPLETED and not outcome.strip():
        raise ValidationError({"outcome": OUTCOME_REQUIRED})
    previous = referral.status
    referral.status = to_status
    now = now or timezone.now()
    if to_status == S.ACCEPTED:
        referral.accepted_at = now
    if to_status == S.COMPLETED:
        referral.completed_at, referral.outcome = now, outcome.strip()
    referral.save()
    event = ReferralEvent.objects.create(
        public_id=public_id or uuid4(),
        referral=referral,
        from_status=previous,
        to_status=to_status,
        reason=reason.strip(),
        actor=actor,
        actor_name=actor_name[:150],
        actor_agency=actor_agency[:200],
    )
    ReferralEvent.objects.filter(pk=event.pk).update(at=now)
    event.at = now
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=referral,
        fields=["status"],
        detail=f"{previous} → {to_status}",
    )
    if not replicated:
        hooks.referral_moved(event)
    return referral
