from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "tribu.community"
    label = "community"
