from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tribu.web"
    label = "web"
