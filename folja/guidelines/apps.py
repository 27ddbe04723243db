from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "folja.guidelines"
    label = "guidelines"
