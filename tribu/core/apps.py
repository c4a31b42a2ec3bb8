from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "tribu.core"
    label = "core"

    def ready(self) -> None:
        from django.apps import apps

        from .guards import install_all

        # Sent once per app after the whole migration: listening to one app's signal
        # installs the guards once per migrate, whichever app's tables were rebuilt.
        ledger = apps.get_app_config("ledger")
        post_migrate.connect(install_all, sender=ledger, dispatch_uid="tribu-guards")
