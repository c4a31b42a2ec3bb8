from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tribu.ledger"
    label = "ledger"
