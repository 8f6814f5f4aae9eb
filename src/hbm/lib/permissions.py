from typing import Any

from django.core.exceptions import PermissionDenied

NOT_ALLOWED = "Your role does not allow this."


def require_role(user: Any, *roles: str, message: str = NOT_ALLOWED) -> None:
    """Raise PermissionDenied unless the user holds one of the roles (superusers always pass)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(message)
    if not (user.is_superuser or user.has_role(*roles)):
        raise PermissionDenied(message)
