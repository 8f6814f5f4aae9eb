import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hbm.accounts.models import DeviceToken, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib import rows
from hbm.lib.permissions import has_any_role

TOKEN_SCHEME = "hbm"
TOKEN_MALFORMED = "The API token is malformed; expected 'hbm_<prefix>_<secret>'."
TOKEN_UNKNOWN = "The API token is not valid."
TOKEN_REVOKED = "The API token was revoked on {}; ask for a new one."
TOKEN_EXPIRED = "The API token expired on {}; ask for a new one."
USER_INACTIVE = "This account is disabled."
NAME_REQUIRED = "Give the device a name, e.g. 'Tablet 3 at Mahagi'."
NOT_YOUR_TOKEN = "You can revoke only your own tokens."
UNKNOWN_SCOPE = "Unknown scope {!r}; use one of: {}."
SCOPE_WIDER_THAN_PARENT = (
    "A token made with a read-only token must be read-only too; log in to issue a read-write one."
)
TOKEN_READ_ONLY = (
    "This device token is read-only: it may read (GET) but not change anything. "
    "Issue a read-write token to send changes."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRejected(Exception):
    """The presented token can't authenticate; the message says why."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def device_token_create(
    *,
    actor: User,
    name: str,
    parent: DeviceToken | None = None,
    scope: str = DeviceToken.Scope.READ_WRITE,
) -> tuple[DeviceToken, str]:
    """Issue a token for one of the actor's devices; the plain key is returned once only.
    ``parent`` is the token that authenticated the request, if one did: revoking it revokes
    this one too, and the new token's scope is no wider than its own. (For the roles that
    log in with two factors, the caller's session or parent token has passed them: the
    session gate of hbm.accounts.middleware and hbm.api stands before every entry point.)"""
    from django.core.exceptions import PermissionDenied, ValidationError

    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if scope not in DeviceToken.Scope.values:
        raise ValidationError(
            {"scope": UNKNOWN_SCOPE.format(scope, ", ".join(DeviceToken.Scope.values))}
        )
    if parent is not None and parent.scope == DeviceToken.Scope.READ_ONLY != scope:
        raise ValidationError({"scope": SCOPE_WIDER_THAN_PARENT})
    if parent is not None:
        # Locked, so that a revocation running now either sees this token or refuses it here.
        parent = DeviceToken.objects.select_for_update().get(pk=parent.pk)
        if parent.revoked_at is not None:
            raise PermissionDenied(TOKEN_REVOKED.format(parent.revoked_at.date().isoformat()))
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = DeviceToken(
        user=actor,
        name=name[:100],
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=timezone.now() + timedelta(days=settings.DEVICE_TOKEN_LIFETIME_DAYS),
        parent=parent,
        scope=scope,
    )
    token.full_clean()
    token.save()
    detail = f"created with token {parent.prefix}" if parent else ""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=token,
        fields=["name", "scope"],
        detail=detail,
    )
    return token, f"{TOKEN_SCHEME}_{prefix}_{secret}"


@transaction.atomic
def device_token_revoke(*, actor: User, token: DeviceToken) -> DeviceToken:
    """Revoke the token and, at once, every token created through it (transitively)."""
    from django.core.exceptions import PermissionDenied

    if token.user_id != actor.pk and not has_any_role(actor, "administrator"):
        raise PermissionDenied(NOT_YOUR_TOKEN)
    now = timezone.now()
    level = [token]
    while level:
        for each in level:
            if each.revoked_at is None:
                _revoke(actor, each, now, root=token)
        level = list(DeviceToken.objects.filter(parent__in=level))
    return token


def _revoke(actor: User, token: DeviceToken, now: datetime, *, root: DeviceToken) -> None:
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=token,
        fields=["revoked_at"],
        detail="revoked" if token.pk == root.pk else f"revoked with token {root.prefix}",
    )


@cache
def _token_with_user_sql() -> str:
    # Every API request of a device authenticates: one statement written out instead of
    # built by the ORM each time (ADR 0006).
    token, user = DeviceToken._meta.db_table, User._meta.db_table
    return (
        f"SELECT {rows.columns(DeviceToken, 't')}, {rows.columns(User, 'u')}"
        f" FROM {token} t INNER JOIN {user} u ON u.id = t.user_id WHERE t.prefix = %s"
    )


def _token_with_user(prefix: str) -> DeviceToken | None:
    """The token with this prefix, its ``.user`` read with it (None: no such token, or its
    user is gone)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_with_user_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    token, user = rows.instances(row, [DeviceToken, User])
    assert isinstance(token, DeviceToken) and isinstance(user, User)
    token.user = user
    return token


def device_token_authenticate(*, key: str) -> DeviceToken:
    """The presented token (``.user`` is its owner), or TokenRejected with the reason."""
    scheme, _, rest = key.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != TOKEN_SCHEME or not prefix or not secret:
        raise TokenRejected(TOKEN_MALFORMED)
    token = _token_with_user(prefix)
    if token is None or not secrets.compare_digest(token.secret_hash, _hash(secret)):
        raise TokenRejected(TOKEN_UNKNOWN)
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected(TOKEN_REVOKED.format(token.revoked_at.date().isoformat()))
    if token.expires_at <= now:
        raise TokenRejected(TOKEN_EXPIRED.format(token.expires_at.date().isoformat()))
    if not token.user.is_active:
        raise TokenRejected(USER_INACTIVE)
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def device_token_check_method(*, token: DeviceToken, method: str) -> None:
    """PermissionDenied when a read-only token asks to change something."""
    from django.core.exceptions import PermissionDenied

    if token.scope == DeviceToken.Scope.READ_ONLY and method.upper() not in SAFE_METHODS:
        raise PermissionDenied(TOKEN_READ_ONLY)


WRONG_PASSWORD = "wrong username or password"
WRONG_CODE = "wrong two-factor code"


def login_record(
    *, user: User | None, succeeded: bool, username: str = "", detail: str = ""
) -> None:
    """Audit a login attempt; a failed one names the username tried, never the password or
    code. ``detail`` says how a success went (e.g. "with a recovery code") or why a failure."""
    if succeeded:
        audit_record(
            actor=user,
            action=AuditEvent.Action.LOGIN,
            target=user,
            detail=detail,
        )
    else:
        audit_record(
            actor=username[:150],
            action=AuditEvent.Action.LOGIN_FAILED,
            object_type="accounts.user",
            object_id=str(user.pk) if user is not None else "",
            detail=detail or WRONG_PASSWORD,
        )


def logout_record(*, user: User, detail: str = "") -> None:
    audit_record(actor=user, action=AuditEvent.Action.LOGOUT, target=user, detail=detail)
