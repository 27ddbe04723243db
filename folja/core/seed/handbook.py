"""The activity handbook's demo catalogue (issue 15): the grey zones the 2021 report names
(trips abroad, longer trips, whether the escort sits in on the activity, elite training,
visits to the doctor) and ordinary activities. The wording is illustrative, not the city's
adopted text: every ruling is marked `illustrative` and shown as "Exempeltext"."""

from __future__ import annotations

from datetime import date

from folja.cases.models import Application
from folja.handbook.models import Activity, ApplicationActivity, Ruling, RulingKind, RulingStatus
from folja.reports.legal_references import LSS_ESCORT, SOL_ASSISTANCE

BOTH = [SOL_ASSISTANCE, LSS_ESCORT]
SEEDED_FROM = date(2020, 1, 1)

# (code, name, grey zone, kind, conditions, reasoning)
CATALOGUE: tuple[tuple[str, str, bool, str, str, str], ...] = (
    (
        "kultur",
        "Kultur (bio, teater, konsert, museum)",
        False,
        RulingKind.COVERED,
        "",
        "Ledsagning kan användas till kultur. Det är en del av att leva som andra.",
    ),
    (
        "idrott",
        "Idrott och motion",
        False,
        RulingKind.COVERED,
        "",
        "Ledsagning kan användas när du tränar, simmar eller går på en match.",
    ),
    (
        "foreningsmote",
        "Föreningsmöten",
        False,
        RulingKind.COVERED,
        "",
        "Ledsagning kan användas till möten i en förening. Du kan vara med i samhället.",
    ),
    (
        "inkop",
        "Inköp och ärenden",
        False,
        RulingKind.COVERED_WITH_CONDITIONS,
        "Inte vanliga matinköp som hemtjänsten gör.",
        "Ledsagning kan användas när du handlar något du själv vill välja, "
        "till exempel kläder. Vanliga matinköp ingår i hemtjänst.",
    ),
    (
        "besok-vanner",
        "Besöka vänner och släkt",
        False,
        RulingKind.COVERED,
        "",
        "Ledsagning kan användas för att träffa vänner och släkt.",
    ),
    (
        "resa-utomlands",
        "Resa utomlands",
        True,
        RulingKind.CASE_BY_CASE,
        "Ansök i god tid. Handläggaren bedömer resans längd och behovet av ledsagare.",
        "En resa utomlands bedöms varje gång. Handläggaren ser på hur länge resan är "
        "och vad du behöver hjälp med. Du betalar din egen resa. Staden kan betala "
        "ledsagarens kostnader upp till taket för mer kostsam aktivitet.",
    ),
    (
        "langre-resa",
        "Längre resa inom Sverige",
        True,
        RulingKind.COVERED_WITH_CONDITIONS,
        "Högst två nätter. Timmarna räknas från ditt beslut.",
        "En kortare resa kan ingå. Ledsagarens tid tas från dina timmar. "
        "Längre resor bedöms som en egen ansökan.",
    ),
    (
        "sitta-med",
        "Ledsagaren är med under aktiviteten",
        True,
        RulingKind.COVERED_WITH_CONDITIONS,
        "När du behöver stöd under aktiviteten, inte bara på vägen.",
        "Ledsagaren kan vara med under aktiviteten om du behöver stöd där. "
        "Om du bara behöver hjälp på vägen följer ledsagaren dig dit och hem.",
    ),
    (
        "elittraning",
        "Elitträning",
        True,
        RulingKind.NOT_COVERED,
        "",
        "Ledsagning ingår inte i träning på elitnivå. Det ansvarar idrottsföreningen "
        "eller förbundet för. Vanlig träning ingår.",
    ),
    (
        "lakarbesok",
        "Besök hos läkare och vård",
        True,
        RulingKind.CASE_BY_CASE,
        "Först ansvarar vården och anhöriga. Ledsagning kan ges när ingen annan kan.",
        "Vården ska i första hand ordna stöd vid besök. Handläggaren bedömer om "
        "ledsagning behövs för ditt besök.",
    ),
)

# The seed's free-text activities (names.ACTIVITIES) and the catalogue activity each is.
FREE_TEXT_TO_CODE = {
    "Bio": "kultur",
    "Konsert": "kultur",
    "Teater": "kultur",
    "Museibesök": "kultur",
    "Träning": "idrott",
    "Simhall": "idrott",
    "Fotbollsmatch": "idrott",
    "Föreningsmöte": "foreningsmote",
    "Inköp": "inkop",
    "Fika med vänner": "besok-vanner",
    "Läkarbesök": "lakarbesok",
}


def seed_handbook() -> None:
    """The catalogue with a first published version of each ruling; kept as it is when the
    activity already has rulings (reference data the analyst may have changed)."""
    for position, (code, name, grey, kind, conditions, reasoning) in enumerate(CATALOGUE, 1):
        activity, _ = Activity.objects.get_or_create(
            code=code, defaults={"name": name, "grey_zone": grey, "position": position}
        )
        if not Ruling.objects.filter(activity=activity).exists():
            Ruling.objects.create(
                activity=activity,
                version=1,
                kind=kind,
                conditions=conditions,
                reasoning=reasoning,
                legal_references=BOTH,
                valid_from=SEEDED_FROM,
                status=RulingStatus.PUBLISHED,
                illustrative=True,
            )


def link_seeded_applications(*, demo_person_id: int | None = None) -> None:
    """Applications for named activities pick them from the catalogue; the demo person's
    latest application also names two grey zones, so their guide has rulings to explain."""
    codes = dict(Activity.objects.values_list("code", "pk"))
    rows = []
    for app_id, text in Application.objects.exclude(activities="").values_list("id", "activities"):
        picked = {FREE_TEXT_TO_CODE.get(part.strip()) for part in text.split(",")} - {None}
        rows += [ApplicationActivity(application_id=app_id, activity_id=codes[c]) for c in picked]
    if demo_person_id is not None:
        latest = Application.objects.filter(person_id=demo_person_id).order_by("-received_on")
        app_id = latest.values_list("id", flat=True).first()
        if app_id is not None:
            rows += [
                ApplicationActivity(application_id=app_id, activity_id=codes[c])
                for c in ("resa-utomlands", "lakarbesok", "kultur")
            ]
    ApplicationActivity.objects.bulk_create(rows, ignore_conflicts=True)
