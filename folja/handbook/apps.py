from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "folja.handbook"
    label = "handbook"
