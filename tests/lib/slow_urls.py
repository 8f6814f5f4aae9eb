"""The project's URLs plus views whose database work takes as long as they are told
(``?seconds=``), for the request deadline's tests."""

from contextlib import nullcontext

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path

from hbm.accounts.models import Agency
from hbm.lib.deadline import unbounded
from hbm.urls import urlpatterns as project_urls

WRITTEN = "written-before-the-slow-query"


def busy(seconds: float) -> None:
    """One statement that keeps the database busy for about this long."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
        else:  # about two million steps a second
            cursor.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                " SELECT count(*) FROM (SELECT x FROM c LIMIT %s)",
                [int(seconds * 2_000_000)],
            )
            cursor.fetchall()


def slow_write(request: HttpRequest) -> HttpResponse:
    """``unbounded=1``: the slow part is work for later requests; ``then``: request work
    after it; ``atomic=0``: in autocommit, not in one transaction."""
    with transaction.atomic() if request.GET.get("atomic", "1") == "1" else nullcontext():
        Agency.objects.get_or_create(code=WRITTEN, name="Written", kind="ngo")
        with unbounded() if request.GET.get("unbounded") else nullcontext():
            busy(float(request.GET["seconds"]))
        busy(float(request.GET.get("then", 0)))
    return HttpResponse("done")


def slow_stream(request: HttpRequest) -> StreamingHttpResponse:
    def body():
        yield "start "
        busy(float(request.GET["seconds"]))
        yield "end"

    return StreamingHttpResponse(body())


urlpatterns = [
    path("test/slow-write/", slow_write),
    path("test/slow-stream/", slow_stream),
    *project_urls,
]
