from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "folja.accounts"
    label = "accounts"
