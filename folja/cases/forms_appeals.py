"""Appeal forms: registration, reconsideration, forwarding, dismissal and the court's judgment.
Shape only; the rules (timeliness, reconsideration before forwarding) live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.cases.forms import AccessibleForm, CaseDateField, hours_field
from folja.cases.models import CourtOutcome, Outcome


class AppealForm(AccessibleForm):
    received_on = CaseDateField(label=_("Överklagandet inkom"))
    grounds = forms.CharField(
        label=_("Den enskildes skäl"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReconsiderForm(AccessibleForm):
    reconsidered_on = CaseDateField(label=_("Omprövat"))
    change = forms.TypedChoiceField(
        label=_("Ändras beslutet?"),
        choices=[("no", _("Nej – beslutet står fast")), ("yes", _("Ja – beslutet ändras"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Omprövningens motivering"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=_("Nytt utfall"),
        required=False,
        choices=[("", _("Välj")), *Outcome.choices],
        help_text=_("Krävs när beslutet ändras."),
    )
    hours_per_month = hours_field(_("Nya timmar per månad"), required=False)
    valid_from = CaseDateField(
        label=_("Det nya beslutet gäller från"),
        required=False,
        help_text=_("Lämna tomt för att behålla det tidigare beslutets giltighetstid."),
    )
    valid_to = CaseDateField(label=_("Det nya beslutet gäller till och med"), required=False)

    conditionally_required = ("outcome", "hours_per_month")


class ForwardForm(AccessibleForm):
    forwarded_on = CaseDateField(label=_("Överlämnat till förvaltningsrätten"))
    court_reference = forms.CharField(label=_("Målnummer"), required=False, max_length=40)


class DismissForm(AccessibleForm):
    dismissed_on = CaseDateField(label=_("Avvisat"))
    note = forms.CharField(
        label=_("Motivering"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notified_on = CaseDateField(
        label=_("Den enskilde delges avvisningen"),
        required=False,
        help_text=_(
            "Tiden att överklaga avvisningen, tre veckor, räknas från den dagen. Lämna tomt "
            "om det är samma dag som avvisningen."
        ),
    )


class JudgmentForm(AccessibleForm):
    judged_on = CaseDateField(label=_("Dag för förvaltningsrättens dom"))
    court_outcome = forms.ChoiceField(
        label=_("Domstolens utfall"), choices=CourtOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Domen i korthet"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours_per_month = hours_field(_("Timmar per månad enligt domen"), required=False)
    hours_per_month.help_text = _("Krävs vid bifall och delvis bifall.")
    valid_from = CaseDateField(
        label=_("Gäller från enligt domen"),
        required=False,
        help_text=_("Lämna tomt för att behålla beslutets giltighetstid."),
    )
    valid_to = CaseDateField(label=_("Gäller till och med enligt domen"), required=False)

    conditionally_required = ("hours_per_month",)
