from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "folja.providers"
    label = "providers"
