from django.urls import path

from folja.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.compose, name="compose"),
    path("resultat/", views.results, name="results"),
    path("svara/", views.answer, name="answer"),
    path("svara/fragor-daisy.zip", views.answer_daisy, name="answer_daisy"),
]
