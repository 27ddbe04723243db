"""The person's choice of provider (LOV), recorded by the caseworker with the person: the
provider they chose, or, when they do not choose, the no-choice alternative the guideline in
force names (ickevalsalternativ). The order form starts from it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Decision, Task, TaskKind
from folja.cases.selectors_choice import no_choice_provider
from folja.core import clock
from folja.providers.models import Provider, ProviderChoice, ProviderChoiceKind


@transaction.atomic
def provider_choice_record(
    *, decision: Decision, user, kind: str, provider: Provider | None, note: str = ""
) -> ProviderChoice:
    """Record the person's choice for `decision`: `kind` chosen with the `provider` they
    chose, or no_choice, which takes the guideline's no-choice alternative. Closes the
    person's open provider-change requests for the provider now chosen."""
    if not decision.is_granted or decision.superseded_by_id is not None:
        raise ValidationError(
            {"kind": _("Beslutet beviljar ingen tid, så det finns ingen utförare att välja.")}
        )
    if kind == ProviderChoiceKind.CHOSEN:
        if provider is None:
            raise ValidationError({"provider": _("Välj den utförare som den enskilde valt.")})
        if not (provider.active and provider.lov_approved):
            raise ValidationError(
                {"provider": _("Utföraren är inte godkänd i valfrihetssystemet.")}
            )
    elif kind == ProviderChoiceKind.NO_CHOICE:
        provider = no_choice_provider(on=clock.today())
        if provider is None:
            raise ValidationError(
                {
                    "kind": _(
                        "Riktlinjerna anger inget ickevalsalternativ. Be administratören att "
                        "ange det i riktlinjeversionen."
                    )
                }
            )
    else:
        raise ValidationError({"kind": _("Ange om den enskilde har valt utförare.")})
    choice = ProviderChoice.objects.create(
        decision=decision,
        person=decision.person,
        provider=provider,
        kind=kind,
        note=note.strip(),
        recorded_by=user,
        recorded_at=clock.now(),
    )
    audit_record(
        user=user,
        action="provider_choice.record",
        obj=choice,
        person=decision.person,
        details={"decision": decision.pk, "kind": kind, "provider": provider.pk},
    )
    for task in Task.objects.filter(
        person=decision.person, kind=TaskKind.PROVIDER_CHANGE, closed_at__isnull=True
    ):
        if task.details.get("to_provider_id") != provider.pk:
            continue
        task.closed_at = clock.now()
        task.closed_by = user
        task.resolution = _("Valet av %(name)s är registrerat.") % {"name": provider.name}
        task.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit_record(user=user, action="task.close", obj=task, person=decision.person)
    return choice
