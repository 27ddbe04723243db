from django.urls import path

from folja.questions import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("ny/", views.question_ask, name="ask"),
    path("uppfoljning/", views.follow_up, name="follow_up"),
    path("<int:pk>/", views.question_detail, name="detail"),
    path("<int:pk>/svar/", views.question_answer, name="answer"),
    path("<int:pk>/kvittera/", views.notice_acknowledge, name="acknowledge"),
]
