from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "tribu.observatory"
    label = "observatory"
    verbose_name = "Observatory"
