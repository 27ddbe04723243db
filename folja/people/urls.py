from django.urls import path

from folja.people import views

app_name = "people"

urlpatterns = [
    path("ny/", views.person_register, name="person_register"),
    path("<int:pk>/", views.person_edit, name="person_edit"),
    path("<int:pk>/foretradare/ny/", views.representative_add, name="representative_add"),
    path("<int:pk>/behorighet/", views.named_staff, name="named_staff"),
    path("foretradare/<int:pk>/", views.representative_edit, name="representative_edit"),
    path("navet/", views.navet_upload, name="navet_upload"),
]
