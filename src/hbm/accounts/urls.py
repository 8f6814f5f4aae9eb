from django.urls import path

from hbm.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login-code"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor_view, name="two-factor"),
    path(
        "two-factor/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery-codes-regenerate",
    ),
    path("devices/", views.device_token_list, name="device-token-list"),
    path("devices/<str:prefix>/revoke/", views.device_token_revoke, name="device-token-revoke"),
]
