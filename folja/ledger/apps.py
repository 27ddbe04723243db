from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "folja.ledger"
    label = "ledger"
    verbose_name = "Huvudbok"
