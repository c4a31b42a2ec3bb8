from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "tribu.core"
    label = "core"

    def ready(self):
        from .validation import check_before_save

        # Every model's saves, so that no write reaches a column that cannot hold it.
        pre_save.connect(check_before_save, dispatch_uid="tribu-check-before-save")
