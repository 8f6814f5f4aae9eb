"""Services of two-factor login: TOTP (RFC 6238) enrolment, code checks with one-time
recovery codes, their renewal and an administrator's reset. Every write is here; the session
side (who still has to enrol or give a code) is hbm.accounts.session_state."""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import RecoveryCode, TotpDevice, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role

WRONG_CODE = (
    "That code is wrong or was already used. Enter the 6-digit code your authenticator app "
    "shows now, or one of your unused recovery codes."
)
ENROLMENT_NOT_STARTED = "Open the two-factor page again to get a new QR code."
ALREADY_ENROLLED = "Two-factor login is already set up for this account."
NOT_ENROLLED = "Two-factor login is not set up for this account."
RESET_NOT_ALLOWED = "Only an administrator can reset another user's two-factor login."
RESET = "two-factor login reset"
RECOVERY_CODE_COUNT = 10
# Letters and digits that can't be mistaken for one another when read from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # about 50 bits: a plain hash is enough, as for device tokens
# A code is accepted in its own 30-second step and the ones either side (clock drift).
DRIFT_STEPS = 1


class CodeRejected(Exception):
    """The code given at login is wrong or already used."""


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _matching_step(device: TotpDevice, code: str, now: datetime) -> int | None:
    """The unused time step whose code is ``code``, if any."""
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if device.last_used_step is not None and step <= device.last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User, *, field: str, detail: str) -> list[str]:
    """Ten new recovery codes in place of the old ones, audited; only their hashes kept."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(code)) for code in codes
    )
    audit_record(
        actor=user, action=AuditEvent.Action.UPDATE, target=user, fields=[field], detail=detail
    )
    return codes


@transaction.atomic
def two_factor_enrol_start(*, actor: User) -> TotpDevice:
    """The actor's unconfirmed authenticator, created with a fresh secret the first time (a
    page reloaded shows the same QR code, so an app that already scanned it still works)."""
    device, _ = TotpDevice.objects.get_or_create(
        user=actor, defaults={"secret": pyotp.random_base32()}
    )
    if device.confirmed_at is not None:
        raise ValidationError(ALREADY_ENROLLED)
    return device


@transaction.atomic
def two_factor_enrol_confirm(*, actor: User, code: str) -> list[str]:
    """Confirm the authenticator with one code from it; returns the 10 recovery codes, which
    are stored hashed and never shown again."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is None:
        raise ValidationError({"code": ENROLMENT_NOT_STARTED})
    if device.confirmed_at is not None:
        raise ValidationError({"code": ALREADY_ENROLLED})
    now = timezone.now()
    step = _matching_step(device, _normalised(code), now)
    if step is None:
        raise ValidationError({"code": WRONG_CODE})
    device.confirmed_at, device.last_used_step = now, step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    return _new_recovery_codes(actor, field="two_factor", detail="two-factor login set up")


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> str:
    """Check the second factor at login: a TOTP code not used before, or an unused recovery
    code, which is then spent. Returns how ("authenticator" or "recovery code"); raises
    CodeRejected otherwise (the caller audits and counts the failure)."""
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        raise CodeRejected(NOT_ENROLLED)
    given = _normalised(code)
    if given.isdigit() and len(given) == 6:
        step = _matching_step(device, given, timezone.now())
        if step is None:
            raise CodeRejected(WRONG_CODE)
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return "authenticator"
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(given), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not spent:
        raise CodeRejected(WRONG_CODE)
    return "recovery code"


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """Replace the actor's recovery codes with 10 new ones (the old ones stop working)."""
    if not TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).exists():
        raise ValidationError(NOT_ENROLLED)
    return _new_recovery_codes(actor, field="recovery_codes", detail="recovery codes renewed")


@transaction.atomic
def two_factor_reset(*, actor: User | str, user: User) -> None:
    """Remove a user's authenticator and recovery codes (a lost phone): the user sets up a new
    one at the next login. ``actor`` is an administrator, or a label for an operator at the
    server's command line (``hbm two_factor reset``)."""
    if isinstance(actor, User) and not has_any_role(actor, "administrator"):
        raise PermissionDenied(RESET_NOT_ALLOWED)
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    change = AuditEvent.Action.UPDATE
    audit_record(actor=actor, action=change, target=user, fields=["two_factor"], detail=RESET)


def provisioning_uri(*, device: TotpDevice, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=issuer)
