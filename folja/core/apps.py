from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "folja.core"
    label = "core"
