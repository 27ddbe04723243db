from django.urls import path

from folja.followup import views, views_charts, views_tertial

app_name = "followup"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("stadsdel/", views.district_dashboard, name="district"),
    path("utforandegrad/", views_charts.execution_slices, name="slices"),
    path("likvardighet/", views.equality, name="equality"),
    path("likvardighet/diagram.svg", views_charts.equality_chart, name="equality_chart"),
    path("likvardighet.csv", views_charts.equality_csv, name="equality_csv"),
    path("likvardighet.xlsx", views_charts.equality_xlsx, name="equality_xlsx"),
    path("oppna-data.csv", views.open_data, name="open_data"),
    path("tertialrapport/", views_tertial.tertial, name="tertial"),
    path("tertialrapport/<str:period>/", views_tertial.tertial_detail, name="tertial_detail"),
    path(
        "tertialrapport/<str:period>/status.json",
        views_tertial.tertial_status,
        name="tertial_status",
    ),
    path(
        "tertialrapport/<str:period>/rapport.pdf",
        views_tertial.tertial_file,
        {"kind": "pdf"},
        name="tertial_pdf",
    ),
    path(
        "tertialrapport/<str:period>/rapport.xlsx",
        views_tertial.tertial_file,
        {"kind": "xlsx"},
        name="tertial_xlsx",
    ),
    path("diagram/<slug:name>.svg", views_charts.chart, name="chart"),
    path("diagram/<slug:name>.csv", views_charts.chart_csv, name="chart_csv"),
]
