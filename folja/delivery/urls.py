from django.urls import path

from folja.delivery import views

app_name = "delivery"

urlpatterns = [
    path("<int:pk>/", views.receipt, name="receipt"),
]
