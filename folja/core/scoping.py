"""The shared building block of every `visible_to(user)`.

Objects that belong to a person are visible exactly when their person is — except for provider
staff, who see only what their own provider holds (never the person's full file): a model names
the field that ties it to a provider in `provider_field`, or leaves it None to hide itself from
providers altogether. Where the provider is only *named* on an object (feedback about a
provider, which the person writes), naming is not enough: with `provider_needs_order` the
provider sees it only for persons it has (had) an order with, the persons it may see at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from folja.accounts.models import PROVIDER_ROLES


class PersonScopedQuerySet(QuerySet):
    person_lookup = "person"
    provider_field: str | None = None
    provider_needs_order = False

    def visible_to(self, user) -> QuerySet:
        from folja.people.models import Person, direct_person_scope

        if getattr(user, "role", None) in PROVIDER_ROLES:
            if self.provider_field is None or not user.is_active:
                return self.none()
            qs = self.filter(**{self.provider_field: user.provider_id})
            if self.provider_needs_order:
                qs = qs.filter(**{f"{self.person_lookup}__in": Person.objects.visible_to(user)})
            return qs
        direct = direct_person_scope(user, f"{self.person_lookup}__")
        if direct is not None:
            return self.filter(direct)
        return self.filter(**{f"{self.person_lookup}__in": Person.objects.visible_to(user)})
