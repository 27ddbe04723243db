from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "folja.followup"
    label = "followup"
