"""e-ID (persons and their representatives, by personnummer) and SITHS (staff, by HSA-id)
through the municipality's OIDC identity provider, with mozilla-django-oidc doing the
authorization-code flow and the id_token signature check. Nobody is created by a login: an
identity the city does not know is refused."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from folja.accounts.models import Role
from folja.accounts.reauth import REAUTH_SESSION_KEY
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer


def oidc_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_TOKEN_ENDPOINT)


class FoljaOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs) -> None:
        # Django instantiates every backend on every password login too; an unconfigured
        # provider must not break those.
        self.configured = oidc_configured()
        if self.configured:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.configured:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks signature, expiry and nonce; the audience check is ours,
        # so a token issued to another client of the same provider is refused.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience is not this client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("userinfo subject differs from the id_token subject")
        # The signed id_token wins over the userinfo response for every claim it carries.
        return {**userinfo, **payload}

    def verify_claims(self, claims) -> bool:
        return bool(
            claims.get(settings.OIDC_PERSONNUMMER_CLAIM) or claims.get(settings.OIDC_HSA_ID_CLAIM)
        )

    def describe_user_by_claims(self, claims) -> str:
        return "sub {}".format(claims.get("sub", "?"))

    def filter_users_by_claims(self, claims) -> QuerySet:
        users = self.UserModel.objects.filter(is_active=True)
        hsa_id = str(claims.get(settings.OIDC_HSA_ID_CLAIM) or "").strip()
        if hsa_id:
            return users.filter(hsa_id=hsa_id).exclude(role__in=[Role.PERSON])
        raw = str(claims.get(settings.OIDC_PERSONNUMMER_CLAIM) or "")
        try:
            pnr = parse_personnummer(raw).normalized
        except InvalidPersonnummer:
            return users.none()
        # The person themself, or a representative with at least one active representation
        # (a god man's access ends with the assignment, whatever the account says).
        return users.filter(
            Q(role=Role.PERSON, person__personnummer=pnr, person__culled_at=None)
            | Q(role=Role.REPRESENTATIVE, personnummer=pnr, representations__active=True)
        ).distinct()

    def create_user(self, claims):
        # Belt and braces next to OIDC_CREATE_USER = False.
        raise SuspiciousOperation("unknown identity: users are never created by a login")


class FoljaOIDCCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        self.request.session[REAUTH_SESSION_KEY] = int(time.time())
        return response
