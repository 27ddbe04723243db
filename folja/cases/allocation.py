"""Which allocation model a decision may take.

The guideline in force names the city's model (monthly before 2018, flex3 after). The free
model (fri ledsagning, the Laholm model) is not the guideline's: a person reaches it only as a
member of a recorded pilot of it (folja.simulation's PilotGroup, drawn at random with matched
controls), and only for a decision starting within that member's planned switch. A control
member stays on the guideline's model: that is what makes the pilot's evaluation mean anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from folja.guidelines.models import AllocationModel, GuidelineVersion
from folja.people.models import Person
from folja.simulation.models import MemberRole, PilotMember, PilotStatus

# The form's value for "the model the guideline names".
FOLLOW_GUIDELINE = ""


@dataclass(frozen=True)
class ModelChoice:
    model: str
    pilot_member: PilotMember | None = None


def pilot_membership(*, person: Person, model: str, on: date) -> PilotMember | None:
    """The person's pilot membership that moves them to `model` on `on`, if any."""
    return (
        PilotMember.objects.filter(
            person=person,
            role=MemberRole.PILOT,
            group__model_to=model,
            switch_on__lte=on,
            switch_back_on__gte=on,
        )
        .exclude(group__status=PilotStatus.ENDED)
        .select_related("group")
        .order_by("-switch_on", "-id")
        .first()
    )


def guideline_model(guideline: GuidelineVersion | None) -> str:
    return guideline.model if guideline else AllocationModel.FLEX3


def resolve_model(
    *, person: Person, requested: str, guideline: GuidelineVersion | None, starts_on: date
) -> tuple[ModelChoice | None, str]:
    """The model a decision takes, or None and the reason (Swedish) it cannot take the one
    asked for. `requested` is FOLLOW_GUIDELINE or a model name."""
    default = guideline_model(guideline)
    if requested in (FOLLOW_GUIDELINE, default):
        return ModelChoice(default), ""
    if requested not in AllocationModel.values:
        return None, _("Välj en tilldelningsmodell i listan.")
    if requested != AllocationModel.FREE:
        return None, _(
            "Modellen följer riktlinjerna: %(model)s. Bara fri ledsagning kan väljas, och "
            "bara för den som är med i ett försök med den."
        ) % {"model": AllocationModel(default).label}
    member = pilot_membership(person=person, model=requested, on=starts_on)
    if member is None:
        return None, _(
            "Fri ledsagning kan bara beviljas den som är med i försöksgruppen i ett försök med "
            "fri ledsagning, och beslutet måste börja under försöket."
        )
    return ModelChoice(requested, member), ""


def model_choices(*, person: Person, guideline: GuidelineVersion | None, on: date) -> list:
    """What the decision form offers: the guideline's model, and the free model when the
    person is a pilot member on `on` (the form checks again on the decision's own start)."""
    default = guideline_model(guideline)
    choices = [
        (
            FOLLOW_GUIDELINE,
            _("Enligt riktlinjerna: %(model)s") % {"model": AllocationModel(default).label},
        )
    ]
    member = (
        PilotMember.objects.filter(
            person=person, role=MemberRole.PILOT, group__model_to=AllocationModel.FREE
        )
        .exclude(group__status=PilotStatus.ENDED)
        .select_related("group")
        .first()
    )
    if default != AllocationModel.FREE and member is not None:
        choices.append(
            (
                AllocationModel.FREE,
                _("Fri ledsagning – försöket %(pilot)s, %(start)s–%(end)s")
                % {
                    "pilot": member.group.name,
                    "start": member.switch_on.isoformat() if member.switch_on else "",
                    "end": member.switch_back_on.isoformat() if member.switch_back_on else "",
                },
            )
        )
    return choices
