from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "folja.surveys"
    label = "surveys"
