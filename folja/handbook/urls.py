from django.urls import path

from folja.handbook import views

app_name = "handbook"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("ny/", views.activity_new, name="activity_new"),
    path("tillampning/<int:pk>/", views.ruling_detail, name="ruling"),
    path("tillampning/<int:pk>/ny-version/", views.ruling_new_version, name="new_version"),
    path("tillampning/<int:pk>/publicera/", views.ruling_publish, name="publish"),
]
