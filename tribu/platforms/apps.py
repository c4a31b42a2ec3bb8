from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "tribu.platforms"
    label = "platforms"
