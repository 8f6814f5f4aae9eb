from django.urls import path

from hbm.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("devices/", views.device_token_list, name="device-token-list"),
    path("devices/<str:prefix>/revoke/", views.device_token_revoke, name="device-token-revoke"),
]
