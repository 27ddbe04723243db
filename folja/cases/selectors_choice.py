"""Reads for the person's choice of provider: the guideline's no-choice alternative and the
latest recorded choice of a decision (which the order form starts from)."""

from __future__ import annotations

from datetime import date

from folja.cases.models import Decision
from folja.ledger.guidelines import version_in_force
from folja.providers.models import Provider, ProviderChoice


def no_choice_provider(*, on: date) -> Provider | None:
    """The guideline's no-choice alternative on `on`, if it names one that can take orders."""
    version = version_in_force(on)
    provider = version.no_choice_provider if version is not None else None
    if provider is None or not (provider.active and provider.lov_approved):
        return None
    return provider


def latest_provider_choice(*, decision: Decision) -> ProviderChoice | None:
    return ProviderChoice.objects.filter(decision=decision).select_related("provider").first()
