from django.urls import path

from folja.accessible import views

app_name = "accessible"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("ladda-ner/<str:fmt>/", views.guide_download, name="guide_download"),
    path("mina/", views.statement, name="statement"),
    path("mina/ladda-ner/<str:fmt>/", views.statement_download, name="statement_download"),
    path("mina/val/", views.preferences, name="preferences"),
]
