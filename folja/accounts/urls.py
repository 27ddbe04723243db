from django.urls import path

from folja.accounts import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/kod/", views.otp_verify_view, name="otp_verify"),
    path("tvastegsverifiering/", views.otp_setup_view, name="otp_setup"),
    path("bekrafta/", views.reauth_view, name="reauth"),
    path("oidc/authenticate/", views.oidc_start_view, name="oidc_authentication_init"),
    path("oidc/callback/", views.oidc_callback_view, name="oidc_authentication_callback"),
]
