from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tribu.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib import admin

        from . import checks  # noqa: F401 - registers the deploy checks
        from .admin_login import LimitedAdminAuthenticationForm

        admin.site.login_form = LimitedAdminAuthenticationForm
