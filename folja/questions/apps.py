from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "folja.questions"
    label = "questions"
