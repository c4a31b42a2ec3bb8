from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tribu.demo"
    label = "demo"
