from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "hbm.places"
    verbose_name = "Places"
