"""Credentials of the devices running Collect: HTTP Basic, a random password stored hashed."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.accounts.services import LAST_USED_RESOLUTION, NAME_REQUIRED, USER_INACTIVE
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.collect.models import CollectCredential
from hbm.collect.selectors import CREDENTIAL_HOLDERS
from hbm.lib.permissions import require_role

NOT_YOUR_CREDENTIAL = "You can revoke only your own credentials."
CREDENTIAL_UNKNOWN = "Unknown username or wrong password."
CREDENTIAL_REVOKED = "This Collect credential was revoked on {}; ask for a new one."
CREDENTIAL_EXPIRED = "This Collect credential expired on {}; ask for a new one."


class CredentialRejected(Exception):
    """The credentials presented can't authenticate; the message says why."""


@transaction.atomic
def collect_credential_create(*, actor: User, name: str) -> tuple[CollectCredential, str]:
    """A username and password for one of the actor's devices; the password is returned
    this once and only its hash is stored."""
    require_role(actor, *CREDENTIAL_HOLDERS)
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    password = secrets.token_urlsafe(15)
    credential = CollectCredential(
        user=actor,
        name=name[:100],
        username=f"{actor.username[:140]}-{secrets.token_hex(3)}",
        password_hash=make_password(password),
        expires_at=timezone.now() + timedelta(days=settings.DEVICE_TOKEN_LIFETIME_DAYS),
    )
    credential.full_clean()
    credential.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=credential, fields=["name"])
    return credential, password


@transaction.atomic
def collect_credential_revoke(*, actor: User, credential: CollectCredential) -> None:
    if credential.user_id != actor.pk and not (
        actor.is_superuser or actor.has_role("administrator")
    ):
        raise PermissionDenied(NOT_YOUR_CREDENTIAL)
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=credential,
            fields=["revoked_at"],
            detail="revoked",
        )


def collect_credential_authenticate(*, username: str, password: str) -> CollectCredential:
    """The credential (``.user`` its owner) or CredentialRejected with the reason, audited as
    a failed login naming the username tried, never the password. An unknown username costs a
    password check too, so that timing does not tell which exist."""
    try:
        return _credential_checked(username, password)
    except CredentialRejected as rejected:
        audit_record(
            actor=username[:150],
            action=AuditEvent.Action.LOGIN_FAILED,
            object_type=CollectCredential._meta.label_lower,
            detail=f"collect: {rejected}",
        )
        raise


def _credential_checked(username: str, password: str) -> CollectCredential:
    credential = CollectCredential.objects.select_related("user").filter(username=username).first()
    if credential is None:
        make_password(password)
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    if not check_password(password, credential.password_hash):
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    now = timezone.now()
    if credential.revoked_at is not None:
        raise CredentialRejected(CREDENTIAL_REVOKED.format(credential.revoked_at.date()))
    if credential.expires_at <= now:
        raise CredentialRejected(CREDENTIAL_EXPIRED.format(credential.expires_at.date()))
    if not credential.user.is_active:
        raise CredentialRejected(USER_INACTIVE)
    if credential.last_used_at is None or now - credential.last_used_at > LAST_USED_RESOLUTION:
        CollectCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential
