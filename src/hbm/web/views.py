from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.places.selectors import crossing_point_list
from hbm.web.selectors import home_figures, home_tasks


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "figures": home_figures(user=request.user),
            "my_points": crossing_point_list(user=request.user)[:12],
            "my_tasks": home_tasks(user=request.user),
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
