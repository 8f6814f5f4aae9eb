"""Consent records: recorded for a purpose (and a service or agency it covers), withdrawn with a
reason. A withdrawal keeps the record; what relied on it (a referral's sharing) stops."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.registry import hooks
from hbm.registry.models import Consent, Person
from hbm.registry.selectors import person_check_scope

CONSENT_WRITERS = ("registration_officer", "protection_officer", "administrator")
NOT_A_CONSENT_WRITER = "Your role cannot record or withdraw consent."
NOT_A_CHOICE = "'{}' is not one of: {}."
UNKNOWN_SERVICE = "'{}' is not a service type code."
UNKNOWN_AGENCY = "'{}' is not an agency code."
NO_SCOPE_FOR_REGISTRATION = "A registration consent covers no service or agency."
NAME_REQUIRED = "Give the name of whoever gave consent."
EXPIRED_ALREADY = "The expiry date has passed."
WITHDRAWAL_REASON = "Give the reason for the withdrawal."
WITHDRAWN_ALREADY = "This consent was already withdrawn."
TOO_LONG = "At most {} characters."


@dataclass(frozen=True)
class ConsentInput:
    """A consent as the person page, the API or a referral hands it over."""

    purpose: str
    given: bool = True
    scope: str = ""
    given_by: str = Consent.GivenBy.SELF
    given_by_name: str = ""
    method: str = ""
    expires_on: date | None = None


def _choice(problems: dict[str, list[str]], name: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        problems.setdefault(name, []).append(NOT_A_CHOICE.format(value, ", ".join(choices.values)))


def _scope_problem(purpose: str, scope: str) -> str | None:
    if not scope:
        return None
    if purpose == Consent.Purpose.REGISTRATION:
        return NO_SCOPE_FOR_REGISTRATION
    if purpose == Consent.Purpose.DATA_SHARING and not Agency.objects.filter(code=scope).exists():
        return UNKNOWN_AGENCY.format(scope)
    if purpose == Consent.Purpose.REFERRAL and not hooks.consent_scope_known(purpose, scope):
        return UNKNOWN_SERVICE.format(scope)
    return None


def consent_problems(data: ConsentInput, *, today: date) -> dict[str, list[str]]:
    """What consent_record would refuse, by field, writing nothing."""
    problems: dict[str, list[str]] = {}
    _choice(problems, "purpose", data.purpose, Consent.Purpose)
    _choice(problems, "given_by", data.given_by, Consent.GivenBy)
    if data.method:
        _choice(problems, "method", data.method, Consent.Method)
    text_problems({"given_by_name": data.given_by_name, "scope": data.scope}, into=problems)
    if len(data.given_by_name.strip()) > 150:
        problems.setdefault("given_by_name", []).append(TOO_LONG.format(150))
    if data.given_by == Consent.GivenBy.OTHER and not data.given_by_name.strip():
        problems.setdefault("given_by_name", []).append(NAME_REQUIRED)
    if "purpose" not in problems and (scope_problem := _scope_problem(data.purpose, data.scope)):
        problems.setdefault("scope", []).append(scope_problem)
    if data.expires_on is not None and data.expires_on < today:
        problems.setdefault("expires_on", []).append(EXPIRED_ALREADY)
    return problems


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    data: ConsentInput,
    public_id: UUID | None = None,
    recorded_on: date | None = None,
) -> Consent:
    """A consent recorded on the person page or through the API, by an officer who may see
    the person (or replicated from a field station: ``public_id``, ``recorded_on``)."""
    require_role(actor, *CONSENT_WRITERS, message=NOT_A_CONSENT_WRITER)
    person_check_scope(user=actor, person=person)
    return consent_write(
        actor=actor, person=person, data=data, public_id=public_id, recorded_on=recorded_on
    )


def consent_write(
    *,
    actor: User,
    person: Person,
    data: ConsentInput,
    public_id: UUID | None = None,
    recorded_on: date | None = None,
) -> Consent:
    """Validate and write a consent, audited. For services that checked the actor's role and
    scope already (a referral sent with the person's consent, a field station's consent
    replicated: with its id, and the day it was recorded there for the expiry check)."""
    problems = consent_problems(data, today=recorded_on or timezone.localdate())
    if problems:
        raise ValidationError(problems)
    consent = Consent.objects.create(
        public_id=public_id or uuid4(),
        person=person,
        purpose=data.purpose,
        given=data.given,
        scope=data.scope.strip(),
        given_by=data.given_by,
        given_by_name=data.given_by_name.strip(),
        method=data.method,
        expires_on=data.expires_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=person,
        fields=["consent"],
        detail=f"consent {consent.pk} ({_covers(consent)}, "
        f"{'given' if consent.given else 'refused'})",
    )
    hooks.consent_recorded(consent)
    return consent


def _covers(consent: Consent) -> str:
    return f"{consent.purpose} {consent.scope}" if consent.scope else consent.purpose


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, reason: str, now: datetime | None = None
) -> Consent:
    """Withdraw a consent: it stays on record, shown as withdrawn; referrals sent under it no
    longer show the provider what was shared, and pending ones cannot be accepted."""
    require_role(actor, *CONSENT_WRITERS, message=NOT_A_CONSENT_WRITER)
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    person_check_scope(user=actor, person=consent.person)
    problems = text_problems({"reason": reason}, multiline={"reason"})
    if not reason.strip():
        problems.setdefault("reason", []).append(WITHDRAWAL_REASON)
    if len(reason.strip()) > 300:
        problems.setdefault("reason", []).append(TOO_LONG.format(300))
    if consent.withdrawn_at is not None:
        problems.setdefault("consent", []).append(WITHDRAWN_ALREADY)
    if problems:
        raise ValidationError(problems)
    consent.withdrawn_at = now or timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=consent.person,
        fields=["consent"],
        detail=f"consent {consent.pk} ({_covers(consent)}) withdrawn",
    )
    hooks.consent_withdrawn(consent)
    return consent
