from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tribu.web"
    label = "web"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
