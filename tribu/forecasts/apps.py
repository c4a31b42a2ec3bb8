from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "tribu.forecasts"
    label = "forecasts"
