from django.contrib import admin
from django.urls import include, path

from folja.api import api

urlpatterns = [
    path("", include("folja.core.urls")),
    path("konto/", include("folja.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("handlaggning/", include("folja.cases.urls")),
    path("personregister/", include("folja.people.urls")),
    path("utforare/", include("folja.providers.urls")),
    path("utbetalning/", include("folja.payments.urls")),
    path("mina-sidor/", include("folja.portal.urls")),
    path("kvitto/", include("folja.delivery.urls")),
    path("information/", include("folja.accessible.urls")),
    path("uppfoljning/", include("folja.followup.urls")),
    path("utredning/", include("folja.simulation.urls")),
    path("granskning/", include("folja.audit.urls")),
    path("enkater/", include("folja.surveys.urls")),
    path("tillampningsfragor/", include("folja.questions.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Uploaded receipts are personal data: they are never served as public files, not even in
# development (no `static(MEDIA_URL, ...)` here); `kvitto/<id>/` serves one, scoped and logged.
