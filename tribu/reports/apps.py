from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tribu.reports"
    label = "reports"
