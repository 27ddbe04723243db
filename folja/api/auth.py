"""Bearer-token authentication. A request acts as its provider: the `ApiActor` looks like
provider staff to every `visible_to(user)`, so the API reuses the portal's scoping exactly."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from folja.accounts.backends import demo_token_refused
from folja.accounts.models import Role
from folja.providers.models import ApiToken, Provider
from folja.providers.services import token_authenticate, token_touch


@dataclass(frozen=True)
class ApiActor:
    """The caller behind a token, for scoping, audit and access logs (it has no login, so no
    primary key; logs record the username `api:<provider id>:<token prefix>`)."""

    token: ApiToken
    provider: Provider

    pk = None
    role = Role.PROVIDER_STAFF
    is_active = True
    is_authenticated = True
    district_id = None

    @property
    def provider_id(self) -> int:
        return self.provider.pk

    @property
    def username(self) -> str:
        return f"api:{self.provider.pk}:{self.token.prefix}"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiActor | None:
        found = token_authenticate(token)
        if found is None or demo_token_refused(found):
            return None
        token_touch(found)
        return ApiActor(token=found, provider=found.provider)


def actor(request: HttpRequest) -> ApiActor:
    return request.auth  # set by TokenAuth on every authenticated operation
