from django.urls import path

from folja.simulation import views

app_name = "simulation"

urlpatterns = [
    path("", views.index, name="index"),
    path("pm.pdf", views.memo_pdf, name="memo_pdf"),
    path("pilot/", views.pilot_list, name="pilot_list"),
    path("pilot/<int:pk>/", views.pilot_detail, name="pilot_detail"),
]
