from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tribu.web"
    label = "web"

    def ready(self):
        from django.contrib import admin

        from .admin_login import LimitedAdminAuthenticationForm

        admin.site.login_form = LimitedAdminAuthenticationForm
