from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "hbm.assessments"
    verbose_name = "Capacity assessments"
