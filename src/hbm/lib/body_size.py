"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (3 MB; uploaded files do not count) is
answered 413 with a clear message: in the API's error format under /api/, else as a plain
page. Django itself would raise RequestDataTooBig wherever the body is first read."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from hbm.lib.deadline import plain_error_page

BODY_TOO_LARGE = "The request body is too large (at most 3 MB, files apart); send less at a time."


def body_too_large(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": BODY_TOO_LARGE}, status=413)
    return plain_error_page("Too large", BODY_TOO_LARGE, 413)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BodySizeMiddleware:
    """Refuses an oversized body before anything reads it (the CSRF check reads a form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.content_type == "multipart/form-data"
        if limit is not None and not multipart and _declared_length(request) > limit:
            return body_too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return body_too_large(request) if isinstance(exception, RequestDataTooBig) else None
