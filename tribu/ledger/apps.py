from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tribu.ledger"
    label = "ledger"

    def ready(self) -> None:
        from . import chain

        chain.connect()
