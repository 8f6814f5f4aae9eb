from typing import Any

from django.http import HttpRequest

from hbm.accounts import session_state
from hbm.web.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the signed-in user; none while two-factor set-up is all they may do."""
    user = getattr(request, "user", None)
    gated = (
        user is not None
        and user.is_authenticated
        and hasattr(request, "session")
        and session_state.two_factor_gate(request.session, user) is not None
    )
    return {"nav_items": [] if gated else nav_items_for(user)}
