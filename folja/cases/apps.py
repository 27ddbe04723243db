from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "folja.cases"
    label = "cases"
