from django.apps import AppConfig


class AccessibleConfig(AppConfig):
    name = "folja.accessible"
    label = "accessible"
