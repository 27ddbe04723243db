from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "folja.audit"
    label = "audit"
