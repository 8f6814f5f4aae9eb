from typing import Any

from django.http import HttpRequest

from hbm.web.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": nav_items_for(getattr(request, "user", None))}
