from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tribu.api"
    label = "api"
