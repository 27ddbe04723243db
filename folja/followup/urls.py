from django.urls import path

from folja.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("stadsdel/", views.district_dashboard, name="district"),
    path("likvardighet/", views.equality, name="equality"),
    path("oppna-data.csv", views.open_data, name="open_data"),
    path("diagram/<slug:name>.svg", views.chart, name="chart"),
]
