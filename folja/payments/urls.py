from django.urls import path

from folja.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("skapa/", views.run_build, name="build"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/uppdatera/", views.run_refresh, name="refresh"),
    path("<int:run_id>/stang/", views.run_close, name="close"),
    path("<int:run_id>/betalfil.csv", views.run_csv, name="csv"),
    path("<int:run_id>/betalfil.xlsx", views.run_xlsx, name="xlsx"),
    path("<int:run_id>/specifikation.pdf", views.run_pdf, name="pdf"),
]
