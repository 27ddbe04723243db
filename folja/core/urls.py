from django.urls import include, path

from folja.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("handbok/", include("folja.handbook.urls")),
]
