from typing import Any

from django.core.exceptions import PermissionDenied

NOT_ALLOWED = "Your role does not allow this."


def has_any_role(user: Any, *roles: str) -> bool:
    """Whether the user holds one of the roles: superusers always do, anonymous users never."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.has_role(*roles))


def require_role(user: Any, *roles: str, message: str = NOT_ALLOWED) -> None:
    """Raise PermissionDenied unless the user holds one of the roles (superusers always pass)."""
    if not has_any_role(user, *roles):
        raise PermissionDenied(message)
