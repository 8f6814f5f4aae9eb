"""Credentials of the devices running Collect: a random password, stored hashed for HTTP Basic
and as Digest's HA1 (encrypted) for HTTP Digest (docs/decisions/0135)."""

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
from hbm.collect import digest
from hbm.collect.models import CollectCredential
from hbm.collect.selectors import CREDENTIAL_HOLDERS
from hbm.lib.fieldcrypt import UnreadableValue
from hbm.lib.permissions import require_role

NOT_YOUR_CREDENTIAL = "You can revoke only your own credentials."
CREDENTIAL_UNKNOWN = "Unknown username or wrong password."
CREDENTIAL_REVOKED = "This Collect credential was revoked on {}; ask for a new one."
CREDENTIAL_EXPIRED = "This Collect credential expired on {}; ask for a new one."
DIGEST_UNAVAILABLE = (
    "This credential cannot use Digest (issued before HBM answered Digest, or revoked): send "
    "it with HTTP Basic over HTTPS, or issue a new credential."
)


class CredentialRejected(Exception):
    """The credentials presented can't authenticate; the message says why."""


class DigestUnavailable(CredentialRejected):
    """The credential has no Digest secret for this realm (issued before Digest, under
    another realm, or revoked): only HTTP Basic can authenticate it."""


class NonceStale(Exception):
    """The Digest response was right but its nonce is no longer (or never was) this
    server's: the device is to retry with a new nonce. Not a failed login."""


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
    credential.digest_ha1 = digest.ha1s(
        username=credential.username, realm=settings.COLLECT_REALM, password=password
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
        # Nothing password-equivalent is kept for a credential no one may use.
        CollectCredential.objects.filter(pk=credential.pk).update(
            revoked_at=timezone.now(), digest_ha1=None
        )
        credential.refresh_from_db(fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=credential,
            fields=["revoked_at", "digest_ha1"],
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


def collect_credential_authenticate_digest(
    *, attempt: digest.DigestAttempt, method: str
) -> CollectCredential:
    """As ``collect_credential_authenticate``, for an HTTP Digest attempt whose ``uri`` the
    caller has matched to the request. NonceStale (not audited) when only the nonce is
    wrong; DigestUnavailable when the credential has no Digest secret."""
    try:
        return _digest_checked(attempt, method)
    except CredentialRejected as rejected:
        audit_record(
            actor=attempt.username[:150],
            action=AuditEvent.Action.LOGIN_FAILED,
            object_type=CollectCredential._meta.label_lower,
            detail=f"collect (digest): {rejected}",
        )
        raise


def _digest_secret(credential: CollectCredential | None, algorithm: str) -> str:
    """The credential's HA1 for the algorithm under the server's realm, else ""."""
    if credential is None:
        return ""
    try:
        stored = CollectCredential.objects.values_list("digest_ha1", flat=True).get(
            pk=credential.pk
        )
    except UnreadableValue:  # the field keys were lost: Basic still works
        return ""
    if not stored or stored.get("realm") != settings.COLLECT_REALM:
        return ""
    return str(stored.get(algorithm, ""))


def _digest_checked(attempt: digest.DigestAttempt, method: str) -> CollectCredential:
    credential = _credential_named(attempt.username)
    ha1 = _digest_secret(credential, attempt.algorithm)
    if credential is None:
        # As a wrong password, so that Digest does not tell which usernames exist.
        digest.response_matches(ha1="0" * 32, attempt=attempt, method=method)
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    if not ha1:
        raise DigestUnavailable(DIGEST_UNAVAILABLE)
    if attempt.realm != settings.COLLECT_REALM or not digest.response_matches(
        ha1=ha1, attempt=attempt, method=method
    ):
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    if not digest.nonce_fresh(nonce=attempt.nonce, realm=settings.COLLECT_REALM):
        raise NonceStale
    return _credential_usable(credential)


def _credential_named(username: str) -> CollectCredential | None:
    return (
        CollectCredential.objects.select_related("user")
        .defer("digest_ha1")
        .filter(username=username)
        .first()
    )


def _credential_checked(username: str, password: str) -> CollectCredential:
    credential = _credential_named(username)
    if credential is None:
        make_password(password)
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    if not check_password(password, credential.password_hash):
        raise CredentialRejected(CREDENTIAL_UNKNOWN)
    return _credential_usable(credential)


def _credential_usable(credential: CollectCredential) -> CollectCredential:
    """Not revoked, not expired, its user active; its last use noted (at a coarse
    resolution, so that not every request writes)."""
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
