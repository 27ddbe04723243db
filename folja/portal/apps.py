from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "folja.portal"
    label = "portal"
