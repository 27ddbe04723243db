from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "folja.people"
    label = "people"
