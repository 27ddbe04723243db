from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "folja.delivery"
    label = "delivery"
