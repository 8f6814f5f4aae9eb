"""Station: the HTTP link to the national server (HBM_SYNC_URL, HBM_SYNC_TOKEN). Standard
library only; every failure of the link is one LinkDown with its reason in words."""

import http.client
import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

NOT_CONFIGURED = (
    "Set HBM_SYNC_URL and HBM_SYNC_TOKEN to the national server and this station's token."
)


class LinkDown(Exception):
    """The national server could not be reached, or the answer did not arrive whole."""


def configured() -> list[str]:
    """What is missing to reach the national server, as problems (empty: ready)."""
    problems = []
    if not settings.SYNC_URL:
        problems.append("HBM_SYNC_URL: not set. " + NOT_CONFIGURED)
    if not settings.SYNC_TOKEN:
        problems.append("HBM_SYNC_TOKEN: not set. " + NOT_CONFIGURED)
    return problems


def call(method: str, path: str, *, body: Any = None, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """(status, JSON answer) of one request to the national API."""
    url = settings.SYNC_URL.rstrip("/") + "/api/v1" + path
    if query:
        url += "?" + urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    request = Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {settings.SYNC_TOKEN}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urlopen(request, timeout=settings.SYNC_TIMEOUT_SECONDS) as response:
            return response.status, _json(response.read())
    except HTTPError as answer:
        return answer.code, _json(answer.read())
    except (TimeoutError, URLError, http.client.HTTPException, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise LinkDown(
            f"the national server at {settings.SYNC_URL} did not answer: {reason}"
        ) from exc


def _json(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise LinkDown("the national server's answer was cut or is not JSON") from exc
    return answer if isinstance(answer, dict) else {}
