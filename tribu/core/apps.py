from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tribu.core"
    label = "core"
