from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from hbm.api import api

urlpatterns = [
    path("", include("hbm.web.urls")),
    path("accounts/", include("hbm.accounts.urls")),
    path("places/", include("hbm.places.urls")),
    path("audit/", include("hbm.audit.urls")),
    path("registry/", include("hbm.registry.urls")),
    path("assessments/", include("hbm.assessments.urls")),
    path("screening/", include("hbm.screening.urls")),
    path("referrals/", include("hbm.referrals.urls")),
    path("security/", include("hbm.security.urls")),
    path("flows/", include("hbm.flows.urls")),
    path("alerts/", include("hbm.alerts.urls")),
    path("plans/", include("hbm.plans.urls")),
    path("fieldops/", include("hbm.fieldops.urls")),
    path("collect/", include("hbm.collect.urls")),
    path("retention/", include("hbm.retention.urls")),
    path("sync/", include("hbm.sync.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # One way in: the administration's own login page would skip the two-factor step.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # Pages that name no icon (the admin site's) make browsers ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=static("hbm/favicon.svg"), permanent=True)),
]
