from django.urls import path

from folja.providers import views, views_sessions, views_upload

app_name = "providers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bestallning/<int:order_id>/", views.order_detail, name="order"),
    path("bestallning/<int:order_id>/acceptera/", views.order_accept_view, name="order_accept"),
    path(
        "andring/<int:notice_id>/kvittera/",
        views.notice_acknowledge_view,
        name="notice_acknowledge",
    ),
    path("bestallning/<int:order_id>/genomforandeplan/", views.plan, name="plan"),
    path("bestallning/<int:order_id>/matchning/", views.matching, name="matching"),
    path("bestallning/<int:order_id>/boka/", views_sessions.session_book_view, name="book"),
    path("pass/", views_sessions.sessions, name="sessions"),
    path("pass/import/", views_upload.upload, name="upload"),
    path("pass/import/<int:upload_id>/", views_upload.upload_detail, name="upload_detail"),
    path(
        "pass/import/<int:upload_id>/status.json", views_upload.upload_status, name="upload_status"
    ),
    path("pass/import/<int:upload_id>/fel.csv", views_upload.upload_errors, name="upload_errors"),
    path("pass/<int:session_id>/rapportera/", views_sessions.session_report_view, name="report"),
    path("pass/<int:session_id>/avboka/", views_sessions.session_cancel_view, name="cancel"),
    path("ledsagare/", views.escorts, name="escorts"),
    path("ledsagare/ny/", views.escort_edit, name="escort_new"),
    path("ledsagare/<int:escort_id>/", views.escort_edit, name="escort_edit"),
    path("omkostnader/", views_sessions.claims, name="claims"),
    path("omkostnader/ny/", views_sessions.claim_create, name="claim_new"),
    path("api-nycklar/", views.tokens, name="tokens"),
    path("api-nycklar/<int:token_id>/aterkalla/", views.token_revoke_view, name="token_revoke"),
]
