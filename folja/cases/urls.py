from django.urls import path

from folja.cases import views, views_application, views_followup, views_money
from folja.cases.views_worklist import non_execution_reason, provider_choice

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("person/<int:pk>/", views.person_detail, name="person_detail"),
    path("person/<int:pk>/ansokan/", views.application_create, name="application_create"),
    path("ansokan/<int:pk>/", views_application.application_detail, name="application_detail"),
    path("ansokan/<int:pk>/utredning/", views.assessment_create, name="assessment_create"),
    path("bilaga/<int:pk>/", views_application.attachment_file, name="attachment_file"),
    path("ansokan/<int:pk>/beslut/", views.decision_create, name="decision_create"),
    path("ansokan/<int:pk>/beslutsstod/", views.decision_support_panel, name="decision_support"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("beslut/<int:pk>/brev/", views.letter_issue, name="letter_issue"),
    path("beslut/<int:pk>/bestallning/", views.order_create, name="order_create"),
    path("beslut/<int:pk>/overklagande/", views_followup.appeal_create, name="appeal_create"),
    path("brev/<int:pk>/", views.letter_html, name="letter_html"),
    path("brev/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("bestallning/<int:pk>/", views.order_edit, name="order_edit"),
    path("overklagande/<int:pk>/", views_followup.appeal_detail, name="appeal_detail"),
    path(
        "overklagande/<int:pk>/omprovning/",
        views_followup.appeal_reconsider,
        name="appeal_reconsider",
    ),
    path(
        "overklagande/<int:pk>/overlamning/", views_followup.appeal_forward, name="appeal_forward"
    ),
    path("overklagande/<int:pk>/avvisning/", views_followup.appeal_dismiss, name="appeal_dismiss"),
    path("overklagande/<int:pk>/dom/", views_followup.appeal_judgment, name="appeal_judgment"),
    path("utlagg/<int:pk>/beslut/", views_money.claim_decide, name="claim_decide"),
    path("kostsam-aktivitet/<int:pk>/beslut/", views_money.costly_decide, name="costly_decide"),
    path("pass/<int:pk>/granskning/", views_followup.session_review, name="session_review"),
    path("uppgift/<int:pk>/avsluta/", views_followup.task_close, name="task_close"),
    path("arbetslista/", views_followup.worklist, name="worklist"),
    path("beslut/<int:pk>/ej-verkstallt/", non_execution_reason, name="non_execution_reason"),
    path("beslut/<int:pk>/val-av-utforare/", provider_choice, name="provider_choice"),
    path("oversikt/", views_followup.manager_dashboard, name="manager_dashboard"),
    path("oversikt/diagram/<slug:name>.svg", views_followup.manager_chart, name="manager_chart"),
    path(
        "oversikt/diagram/<slug:name>.csv",
        views_followup.manager_chart_csv,
        name="manager_chart_csv",
    ),
]
