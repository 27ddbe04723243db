from django.urls import path

from folja.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.person_views, name="person_views"),
    path("avvikelser/", views.anomaly_list, name="anomalies"),
    path("export/", views.export, name="export"),
]
