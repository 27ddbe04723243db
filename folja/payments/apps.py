from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "folja.payments"
    label = "payments"
