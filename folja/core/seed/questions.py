"""Demo tillämpningsfrågor (issue 15, item 3): caseworkers of several districts and providers
ask about the report's grey zones over the seeded years, and the central administration
answers after days to weeks; some answers are published, a few become a new version of the
activity's ruling, and the newest questions are still open.

Everything is written through the services the pages use (`question_ask`, `question_answer`,
`notices_acknowledge`), each at the time it happened (`clock.replayed_at`), so the handling
times, notices and audit records are what the real flow gives. The wording is illustrative,
not the city's: the rulings the answers become are marked `illustrative`, as the handbook's
seed marks its own. Draws come from a generator of their own, derived from the seed, so the
rest of the demo city is the same with or without this module."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max

from folja.accounts.models import Role, User
from folja.audit.services import users_unlinked
from folja.core import clock
from folja.core.seed.context import Ctx
from folja.core.seed.handbook import SEEDED_FROM
from folja.handbook.models import Activity, Ruling, RulingKind, RulingStatus
from folja.people.models import District
from folja.questions.models import Question, QuestionNotice
from folja.questions.services import notices_acknowledge, question_answer, question_ask

CASEWORKER, PROVIDER = "caseworker", "provider"
# What becomes of the answer: shown to the asker and their district only, published to
# everyone, or published as the activity's new ruling version.
PRIVATE, PUBLISHED, RULING = "private", "published", "ruling"


@dataclass(frozen=True)
class Template:
    code: str  # the catalogue activity (handbook seed)
    asker: str
    question: str
    answer: str
    outcome: str
    kind: str = ""
    conditions: str = ""


TEMPLATES: tuple[Template, ...] = (
    Template(
        "resa-utomlands",
        CASEWORKER,
        "En kvinna i 40-årsåldern med ledsagarservice vill resa till sin familj i Finland i "
        "fem dagar. Hon behöver ledsagare hela resan. Kan ledsagarens resa och hotell betalas "
        "som mer kostsam aktivitet?",
        "Ja. Ledsagarens resa och boende kan ingå i mer kostsam aktivitet, upp till årets tak. "
        "Ledsagarens tid tas från timmarna i beslutet. Personen betalar sin egen resa.",
        PUBLISHED,
    ),
    Template(
        "resa-utomlands",
        PROVIDER,
        "En man vill åka på en veckas charterresa med ledsagare. Timmarna i hans beslut räcker "
        "bara till halva resan. Får vi ta betalt av honom för resten av tiden?",
        "Nej. Utföraren tar bara betalt för tid som finns i beslutet. Räcker inte timmarna kan "
        "personen ansöka om fler timmar hos stadsdelen i god tid före resan.",
        RULING,
        RulingKind.CASE_BY_CASE,
        "Ansök i god tid. Tid utöver beslutet söks hos stadsdelen. Utföraren tar inte betalt "
        "av dig för ledsagarens tid.",
    ),
    Template(
        "resa-utomlands",
        CASEWORKER,
        "Gäller samma sak för en dagsresa med färja till Åland som för en längre resa utomlands?",
        "En dagsresa som ryms i timmarna är en vanlig aktivitet. Den behöver ingen egen ansökan.",
        PUBLISHED,
    ),
    Template(
        "langre-resa",
        CASEWORKER,
        "En ung man vill åka på läger med sin förening i tre nätter. Tillämpningen säger högst "
        "två nätter. Ska vi avslå, eller pröva det som en egen ansökan?",
        "Pröva det som en egen ansökan. Två nätter är det som ingår utan särskild prövning, "
        "inte ett tak för vad som kan beviljas.",
        RULING,
        RulingKind.COVERED_WITH_CONDITIONS,
        "Upp till två nätter ingår i beslutet. En längre resa prövas som en egen ansökan.",
    ),
    Template(
        "langre-resa",
        PROVIDER,
        "Vem betalar ledsagarens mat och boende på en resa inom Sverige med två nätter?",
        "Ledsagarens mat och boende tas från omkostnadsersättningen. Räcker den inte kan "
        "personen ansöka om pengar för mer kostsam aktivitet.",
        PUBLISHED,
    ),
    Template(
        "langre-resa",
        CASEWORKER,
        "Räknas natten som ledsagning när personen och ledsagaren sover på hotell?",
        "Nej, bara när personen behöver hjälp under natten. Det ska då stå i beslutet.",
        PUBLISHED,
    ),
    Template(
        "sitta-med",
        PROVIDER,
        "En kvinna går på bio med ledsagare. Hon behöver bara hjälp till och från salongen. "
        "Ska ledsagaren sitta med under filmen, och räknas den tiden?",
        "Behöver hon inget stöd under filmen följer ledsagaren henne dit och hämtar henne "
        "efteråt, och tiden under filmen räknas inte. Behöver hon stöd räknas hela tiden.",
        PUBLISHED,
    ),
    Template(
        "sitta-med",
        CASEWORKER,
        "En man med synnedsättning vill att ledsagaren är med under hela simträningen, också i "
        "vattnet. Ingår det?",
        "Ja, om han behöver stöd i simhallen för att träna säkert. Beskriv behovet i "
        "utredningen och skriv det i beslutet.",
        RULING,
        RulingKind.COVERED_WITH_CONDITIONS,
        "När du behöver stöd under aktiviteten, inte bara på vägen. Behovet står i beslutet.",
    ),
    Template(
        "sitta-med",
        PROVIDER,
        "Får ledsagaren vänta i lokalen under ett föreningsmöte i stället för att åka hem och "
        "komma tillbaka?",
        "Ja, när väntan är kortare än resan hem och tillbaka. Väntan räknas då som ledsagning.",
        PRIVATE,
    ),
    Template(
        "elittraning",
        CASEWORKER,
        "En ung kvinna tränar friidrott på elitnivå fem dagar i veckan och behöver ledsagare "
        "till träningen. Föreningen säger att den inte kan ordna det. Vad gäller?",
        "Elitträning ingår inte: föreningen eller förbundet ansvarar. Resan till och från "
        "träningen kan ändå bedömas som vanlig ledsagning.",
        RULING,
        RulingKind.NOT_COVERED,
        "Resan till och från träningen kan bedömas som vanlig ledsagning.",
    ),
    Template(
        "elittraning",
        PROVIDER,
        "Var går gränsen mellan vanlig träning och elitträning? Personen tävlar i parasport "
        "på nationell nivå.",
        "Det är elitträning när personen tränar i ett landslag eller en elitgrupp som "
        "förbundet ansvarar för. Annan träning och tävling är vanlig idrott.",
        PUBLISHED,
    ),
    Template(
        "elittraning",
        CASEWORKER,
        "Personen har slutat i landslaget men tränar kvar i samma klubb. Gäller beslutet om "
        "avslag fortfarande?",
        "Nej. Pröva ansökan igen: träning som inte är elitträning är vanlig idrott.",
        PRIVATE,
    ),
    Template(
        "lakarbesok",
        CASEWORKER,
        "En äldre man ska till tandläkaren. Hans dotter brukar följa med men kan inte den här "
        "gången. Kan han få ledsagning?",
        "Ja. När ingen anhörig kan och vården inte ordnar stöd kan ledsagning ges. Skriv i "
        "beslutet varför.",
        PUBLISHED,
    ),
    Template(
        "lakarbesok",
        PROVIDER,
        "Ska ledsagaren vara med inne hos läkaren eller vänta utanför?",
        "Det bestämmer personen. Ledsagaren är bara med i rummet om personen vill det.",
        PUBLISHED,
    ),
    Template(
        "lakarbesok",
        CASEWORKER,
        "Räknas regelbundna besök på habiliteringen som vårdbesök i handboken?",
        "Ja. Habilitering, rehabilitering och tandvård bedöms på samma sätt som andra vårdbesök.",
        RULING,
        RulingKind.CASE_BY_CASE,
        "Gäller också tandvård, habilitering och rehabilitering. Först ansvarar vården och "
        "anhöriga.",
    ),
    Template(
        "lakarbesok",
        CASEWORKER,
        "Personen vill ha ledsagning till en vårdcentral i en annan kommun. Gäller samma sak?",
        "Ja, om resan ryms i timmarna. Annars pröva det som en egen ansökan.",
        PRIVATE,
    ),
    Template(
        "resa-utomlands",
        PROVIDER,
        "Personen vill resa till Spanien i två veckor och byta ledsagare mitt i resan. Hur "
        "ska vi rapportera passen?",
        "Varje ledsagares tid rapporteras som egna pass. Resan till och från Spanien räknas "
        "för den ledsagare som reser.",
        PUBLISHED,
    ),
    Template(
        "sitta-med",
        CASEWORKER,
        "En person med autism vill att ledsagaren är med under hela konserten eftersom "
        "mycket folk gör honom orolig. Räcker det som behov?",
        "",
        PUBLISHED,
    ),
    Template(
        "langre-resa",
        PROVIDER,
        "Vi har fått en beställning på en resa till fjällen i fyra nätter. Beslutet säger "
        "inget om resor. Ska vi säga nej?",
        "",
        PUBLISHED,
    ),
    Template(
        "elittraning",
        CASEWORKER,
        "Ingår ledsagning till en träningsresa utomlands med juniorlandslaget?",
        "",
        PUBLISHED,
    ),
)
# The last templates (without an answer) are the newest questions, still open.
OPEN = 3
# Handling time: a median of about eleven days, from a day to about two months.
MEDIAN_DAYS, SPREAD, LONGEST_DAYS = 11.0, 0.6, 60
# The demo accounts have read every published answer but the newest, which wait in their lists.
UNREAD_FOR_DEMO = 2
DEMO_CASEWORKER, DEMO_PROVIDER = "handlaggare", "utforare"
DEMO_READERS = ("handlaggare", "handlaggare2", "utforare", "utforare2")


def _working_moment(rng: random.Random, day: date) -> datetime:
    """A time during office hours on `day`, or on the Monday after a weekend day."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 7 * 60))


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _askers(ctx: Ctx) -> tuple[list[User], list[User]]:
    """Caseworkers of the Stockholm districts (the handbook is the city's) and staff of the
    providers serving them; the demo caseworker and provider ask too."""
    stockholm = {d["id"] for d in ctx.districts if d["municipality"] == "Stockholm"}
    caseworker_ids = [
        uid
        for district, ids in sorted(ctx.staff.caseworkers.items())
        if district in stockholm
        for uid in ids
    ]
    provider_ids = {p.id for p in ctx.providers if p.serves == "stockholm"}
    users = User.objects.select_related("district", "provider")
    caseworkers = list(
        users.filter(pk__in=caseworker_ids) | users.filter(username="handlaggare", is_demo=True)
    )
    providers = list(
        users.filter(role=Role.PROVIDER_STAFF, provider_id__in=provider_ids, is_demo=True)
    )
    return (
        sorted(caseworkers, key=lambda u: u.username),
        sorted(providers, key=lambda u: u.username),
    )


def _asked_days(rng: random.Random, first: date, last: date) -> list[date]:
    """A steady flow over the years (one question in each equal stretch, at a random day of
    it), the open ones in the last three weeks."""
    answered = len(TEMPLATES) - OPEN
    stretch = ((last - first).days - 30) / answered
    days = [first + timedelta(days=int((i + rng.random()) * stretch)) for i in range(answered)]
    return days + sorted(last - timedelta(days=rng.randint(1, 20)) for _ in range(OPEN))


def _recipient(user: User) -> tuple[str, int | None]:
    return ("provider", user.provider_id) if user.provider_id else ("district", user.district_id)


def seed_questions(ctx: Ctx) -> None:
    rng = random.Random(f"{ctx.seed}-questions")
    analyst = User.objects.filter(role=Role.ANALYST, is_demo=True, username="analytiker").first()
    caseworkers, providers = _askers(ctx)
    # The questions start with the handbook: its first rulings apply from SEEDED_FROM.
    first = max(ctx.start, SEEDED_FROM + timedelta(days=14))
    last = ctx.today - timedelta(days=1)
    if analyst is None or not caseworkers or not providers or (last - first).days < 90:
        return
    districts = {d.pk: d for d in District.objects.filter(municipality="Stockholm")}
    activities = {a.code: a for a in Activity.objects.filter(grey_zone=True)}
    applies_from = dict(
        Ruling.objects.filter(status=RulingStatus.PUBLISHED)
        .values("activity_id")
        .annotate(latest=Max("valid_from"))
        .values_list("activity_id", "latest")
    )
    # The answered ones in a random order (one activity's questions are not all in one
    # season); each activity has one answer that becomes a ruling, so any order is valid.
    order = list(TEMPLATES[: len(TEMPLATES) - OPEN])
    rng.shuffle(order)
    order += TEMPLATES[len(TEMPLATES) - OPEN :]
    askers = [rng.choice(caseworkers if t.asker == CASEWORKER else providers) for t in order]
    # The demo caseworker and provider asked the newest answered and the newest open question
    # of their kind, so their own lists show both.
    n_answered = len(order) - OPEN
    for pool, username, kind in (
        (caseworkers, DEMO_CASEWORKER, CASEWORKER),
        (providers, DEMO_PROVIDER, PROVIDER),
    ):
        demo = next((u for u in pool if u.username == username), None)
        mine = [i for i, t in enumerate(order) if t.asker == kind]
        for part in ([i for i in mine if i < n_answered], [i for i in mine if i >= n_answered]):
            if demo is not None and part:
                askers[part[-1]] = demo
    cutoff = datetime.combine(ctx.today, time(0))
    answered: list[tuple[Question, User, datetime]] = []
    with users_unlinked():
        for i, (template, day) in enumerate(zip(order, _asked_days(rng, first, last), strict=True)):
            activity = activities.get(template.code)
            if activity is None:
                continue
            asker = askers[i]
            district = None if asker.role == Role.CASEWORKER else rng.choice(sorted(districts))
            asked_at = _working_moment(rng, day)
            with clock.replayed_at(asked_at):
                question = question_ask(
                    user=asker,
                    activity=activity,
                    text=template.question,
                    district=districts.get(district) if district else None,
                )
            days = min(LONGEST_DAYS, max(1.0, rng.lognormvariate(math.log(MEDIAN_DAYS), SPREAD)))
            answered_at = _working_moment(rng, asked_at.date() + timedelta(days=round(days)))
            if not template.answer or answered_at >= cutoff:
                continue
            _answer(question, template, analyst, answered_at, applies_from)
            answered.append((question, asker, answered_at))
        _read(rng, answered, cutoff)


def _answer(
    question: Question,
    template: Template,
    analyst: User,
    answered_at: datetime,
    applies_from: dict[int, date],
) -> None:
    valid_from = _next_month(answered_at.date())
    # A new version must apply later than the one it replaces (the handbook refuses it
    # otherwise); an analyst's own later version is left standing, the answer published.
    ruling = template.outcome == RULING and valid_from > applies_from.get(
        question.activity_id, date.min
    )
    with clock.replayed_at(answered_at):
        question_answer(
            user=analyst,
            question=question,
            answer=template.answer,
            publish=template.outcome != PRIVATE,
            ruling_kind=template.kind if ruling else "",
            ruling_conditions=template.conditions if ruling else "",
            ruling_valid_from=valid_from if ruling else None,
            ruling_illustrative=True,
        )
    if ruling:
        applies_from[question.activity_id] = valid_from


def _read(
    rng: random.Random, answered: list[tuple[Question, User, datetime]], cutoff: datetime
) -> None:
    """The asker reads the answer within a few days; the demo accounts read every answer
    except the newest published ones, which wait in their lists (the work list's "Nya svar").
    Only notices that exist are acknowledged, each through the service."""
    readers = list(User.objects.filter(is_demo=True, username__in=DEMO_READERS).order_by("pk"))
    waiting = {
        (
            n["question_id"],
            "provider" if n["provider_id"] else "district",
            n["provider_id"] or n["district_id"],
        )
        for n in QuestionNotice.objects.filter(
            question__in=[q for q, _, _ in answered], acknowledged_at__isnull=True
        ).values("question_id", "district_id", "provider_id")
    }
    published = sorted((at, q.pk) for q, _, at in answered if q.published)
    unread = {pk for _, pk in published[-UNREAD_FOR_DEMO:]}
    for question, asker, answered_at in answered:
        for reader in [asker, *([] if question.pk in unread else readers)]:
            key = (question.pk, *_recipient(reader))
            if key not in waiting:
                continue  # no notice there, or the asker's colleague read it already
            read_at = answered_at + timedelta(hours=rng.randint(2, 96))
            if read_at >= cutoff:
                continue
            waiting.discard(key)
            with clock.replayed_at(read_at):
                notices_acknowledge(user=reader, question=question)


def remove_seeded_questions() -> None:
    """`seed --replace`: the questions the demo accounts and seeded staff asked go (their
    notices with them), and so do the ruling versions their answers became, newest first, the
    version each replaced applying again until further notice. Called before the synthetic
    users are deleted, while the questions still name them."""
    seeded = Question.objects.filter(asked_by__is_demo=True)
    ruling_ids = set(seeded.exclude(ruling=None).values_list("ruling_id", flat=True))
    seeded.delete()
    for ruling in Ruling.objects.filter(pk__in=ruling_ids).order_by("-version"):
        if Ruling.objects.filter(replaces=ruling).exists():
            continue  # a later version (the analyst's own) replaces it: kept
        old = ruling.replaces
        ruling.delete()
        if old is not None and old.valid_to == ruling.valid_from - timedelta(days=1):
            Ruling.objects.filter(pk=old.pk).update(valid_to=None)
