"""What a login session has been through: the password alone, the second factor too, when it
started and when it was last used. The values live in the session; nothing here writes to
the database."""

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from hbm.accounts import selectors
from hbm.accounts.models import User
from hbm.accounts.roles import TWO_FACTOR_ROLES

VERIFIED = "hbm_two_factor_verified"
PENDING = "hbm_two_factor_pending"
LOGIN_AT = "hbm_login_at"
SEEN_AT = "hbm_seen_at"
# A password given at the login page waits this long for its code.
PENDING_SECONDS = 300
# The last-seen time is written at most this often (a session save per request otherwise).
SEEN_RESOLUTION_SECONDS = 60

ENROL = "enrol"  # must set up an authenticator before anything else
VERIFY = "verify"  # has one, but this session never gave a code (a login by another path)
IDLE = "idle"
ABSOLUTE = "absolute"


def two_factor_required(user: User) -> bool:
    return user.is_superuser or user.has_role(*TWO_FACTOR_ROLES)


def mark_verified(session: SessionBase) -> None:
    session[VERIFIED] = True


def two_factor_gate(session: SessionBase, user: User) -> str | None:
    """ENROL or VERIFY while the signed-in user may do nothing but that; None when free."""
    if session.get(VERIFIED) or not two_factor_required(user):
        return None
    return VERIFY if selectors.two_factor_enrolled(user=user) else ENROL


def pending_set(
    session: SessionBase, *, user: User, backend: str, next_url: str, now: float
) -> None:
    """The password was right; the code is still to come. Nobody is logged in yet."""
    session[PENDING] = {"user": user.pk, "backend": backend, "next": next_url, "at": now}


def pending_get(session: SessionBase, *, now: float) -> dict[str, Any] | None:
    pending = session.get(PENDING)
    if pending is None:
        return None
    if now - pending["at"] > PENDING_SECONDS:
        session.pop(PENDING)
        return None
    return dict(pending)


def pending_clear(session: SessionBase) -> None:
    session.pop(PENDING, None)


def expiry_reason(session: SessionBase, *, now: float) -> str | None:
    """IDLE after HBM_SESSION_IDLE_MINUTES without a request, ABSOLUTE after
    SESSION_COOKIE_AGE since the login (the cookie's own expiry moves with every save)."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE:
        return ABSOLUTE
    if seen_at is not None and now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return IDLE
    return None


def touch(session: SessionBase, *, now: float) -> None:
    """Record this request as the session's latest (and its first as its start)."""
    session.setdefault(LOGIN_AT, now)
    if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
