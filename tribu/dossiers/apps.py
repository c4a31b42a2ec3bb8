from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "tribu.dossiers"
    label = "dossiers"
