from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "tribu.spaces"
    label = "spaces"
