from django.urls import path

from folja.portal import views, views_application

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("valj-person/", views.choose_person, name="choose_person"),
    path("utforare/", views.providers, name="providers"),
    path("ansokan/", views_application.applications, name="applications"),
    path("ansokan/ny/", views_application.application_new, name="application_new"),
    path("pengar/", views.money, name="money"),
    path("pengar/kvitto/", views.expense_new, name="expense_new"),
    path("pengar/kostsam-aktivitet/", views.costly_new, name="costly_new"),
    path("synpunkter/", views.feedback, name="feedback"),
    path("synpunkter/ny/", views.feedback_new, name="feedback_new"),
    path("synpunkter/hantera/", views.feedback_inbox, name="feedback_inbox"),
    path("synpunkter/hantera/<int:pk>/", views.feedback_reply, name="feedback_reply"),
]
