from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class CoreConfig(AppConfig):
    name = "tribu.core"
    label = "core"

    def ready(self) -> None:
        from django.apps import apps

        from .guards import install_all
        from .validation import check_before_save

        # Every model's saves, so that no write reaches a column that cannot hold it.
        pre_save.connect(check_before_save, dispatch_uid="tribu-check-before-save")
        # Sent once per app after the whole migration: listening to one app's signal
        # installs the guards once per migrate, whichever app's tables were rebuilt.
        ledger = apps.get_app_config("ledger")
        post_migrate.connect(install_all, sender=ledger, dispatch_uid="tribu-guards")
