"""Casework: application → assessment → decision → letter, appeals, and follow-up tasks."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import PROVIDER_ROLES
from folja.core.scoping import PersonScopedQuerySet
from folja.guidelines.models import AllocationModel


class ApplicationKind(models.TextChoices):
    OPEN = "open", _("Öppen ansökan")
    SPECIFIC = "specific", _("Namngivna aktiviteter")


class ApplicationChannel(models.TextChoices):
    STAFF = "staff", _("Registrerad av handläggare")
    E_SERVICE = "e_service", _("E-ansökan på Mina sidor")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen")
    ASSESSING = "assessing", _("Under utredning")
    DECIDED = "decided", _("Beslutad")
    WITHDRAWN = "withdrawn", _("Återtagen")


class CaseQuerySet(PersonScopedQuerySet):
    """The person's file: applications, assessments, appeals, tasks. Never seen by providers."""


class Application(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="applications"
    )
    district = models.ForeignKey(
        "people.District", on_delete=models.PROTECT, related_name="applications"
    )
    received_on = models.DateField(_("ansökan inkom"))
    kind = models.CharField(_("typ av ansökan"), max_length=10, choices=ApplicationKind.choices)
    activities = models.TextField(_("aktiviteter"), blank=True)
    requested_act = models.CharField(
        _("sökt enligt"), max_length=3, choices=[("SoL", "SoL"), ("LSS", "LSS")]
    )
    requested_hours_per_month = models.DecimalField(
        _("sökta timmar per månad"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    caseworker = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    # The person's own words about their needs, from an e-application (the caseworker's
    # assessment records needs separately, in the assessment).
    needs = models.TextField(_("beskrivning av behov"), blank=True)
    channel = models.CharField(
        _("inkom via"),
        max_length=10,
        choices=ApplicationChannel.choices,
        default=ApplicationChannel.STAFF,
    )
    # Who sent an e-application: the person, or a representative on their behalf.
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]


class AttachmentQuerySet(CaseQuerySet):
    def visible_to(self, user):
        # A file uploaded with an e-application not yet sent is its uploader's alone: the
        # district sees it once it is part of a sent application.
        qs = super().visible_to(user)
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        return qs.filter(models.Q(application__isnull=False) | models.Q(uploaded_by=user))


class ApplicationAttachment(models.Model):
    """A document attached to an application, stored as cleaned (an image encoded again, a PDF
    without active content; folja.delivery.services.receipts). Kept while the applicant
    corrects other fields (application still null), so nothing uploaded is lost."""

    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="application_attachments"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="applications/%Y/%m/")
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("filnamn"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]


class OtherService(models.TextChoices):
    HOME_HELP = "home_help", _("Hemtjänst")
    TRANSPORT = "transport", _("Färdtjänst")
    SHORT_STAY = "short_stay", _("Korttidsvistelse")
    PERSONAL_ASSISTANCE = "personal_assistance", _("Personlig assistans")
    CONTACT_PERSON = "contact_person", _("Kontaktperson")
    DAILY_ACTIVITY = "daily_activity", _("Daglig verksamhet")
    HOUSING = "housing", _("Bostad med särskild service")


class Assessment(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="assessment"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("utredningsdatum"))
    needs = models.TextField(_("behov"))
    other_services = models.JSONField(_("övriga insatser"), default=list, blank=True)
    free_text = models.TextField(_("övrigt"), blank=True)
    # Summary of the DUR ratings used for comparing decisions (mean caseworker rating).
    need_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    caseworker = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()


class LifeAreaRatingQuerySet(CaseQuerySet):
    person_lookup = "assessment__person"


class LifeAreaRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    life_area = models.ForeignKey("guidelines.LifeArea", on_delete=models.PROTECT)
    caseworker_rating = models.PositiveSmallIntegerField(
        _("handläggarens skattning"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    person_rating = models.PositiveSmallIntegerField(
        _("den enskildes skattning"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    comment = models.TextField(_("kommentar"), blank=True)

    objects = LifeAreaRatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "life_area"], name="one_rating_per_area"),
            models.CheckConstraint(
                name="caseworker_rating_1_7",
                condition=models.Q(caseworker_rating__gte=1, caseworker_rating__lte=7),
            ),
        ]


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Bifall")
    PARTLY_REJECTED = "partly_rejected", _("Delavslag")
    REJECTED = "rejected", _("Avslag")


class DecisionQuerySet(PersonScopedQuerySet):
    def visible_to(self, user):
        # Provider staff see the decisions behind their own orders (hours, validity) only.
        if getattr(user, "role", None) in PROVIDER_ROLES:
            return (
                self.filter(orders__provider_id=user.provider_id)
                .exclude(orders__status="draft")
                .distinct()
            )
        return super().visible_to(user)


class Decision(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    district = models.ForeignKey(
        "people.District", on_delete=models.PROTECT, related_name="decisions"
    )
    caseworker = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decided_on = models.DateField(_("beslutsdatum"), db_index=True)
    outcome = models.CharField(_("utfall"), max_length=16, choices=Outcome.choices)
    legal_basis = models.ForeignKey(
        "guidelines.LegalBasis", on_delete=models.PROTECT, verbose_name=_("lagrum")
    )
    requested_hours_per_month = models.DecimalField(
        _("sökta timmar per månad"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    hours_per_month = models.DecimalField(
        _("beviljade timmar per månad"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    model = models.CharField(
        _("tilldelningsmodell"), max_length=10, choices=AllocationModel.choices
    )
    guideline_version = models.ForeignKey(
        "guidelines.GuidelineVersion", null=True, on_delete=models.PROTECT
    )
    double_staffing = models.BooleanField(_("dubbelbemanning"), default=False)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    reasons = models.TextField(_("motivering"), blank=True)
    rejected_parts = models.JSONField(_("avslagna delar med skäl"), default=list, blank=True)
    # Decision support: when the hours lie outside the city's 10th–90th percentile for
    # comparable decisions, the caseworker must say why.
    deviation_reason = models.TextField(_("skäl till avvikelse"), blank=True)
    notified_on = models.DateField(_("delgiven"), null=True, blank=True)
    # Imported history keeps the previous system's reference.
    external_ref = models.CharField(max_length=60, blank=True, db_index=True)
    # Set when a reconsideration (omprövning) replaces this decision: it then grants nothing,
    # so the old and the new decision never both count.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["district", "decided_on"]),
            models.Index(fields=["person", "valid_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="granted_has_validity",
                condition=models.Q(outcome="rejected")
                | models.Q(
                    valid_from__isnull=False, valid_to__isnull=False, hours_per_month__isnull=False
                ),
            ),
            models.CheckConstraint(
                name="validity_in_order",
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),
            # An application is decided once: two decisions in force on one application
            # would both grant time. A reconsideration (omprövning) makes a new decision on
            # the same application, but only after marking the old one superseded, so among
            # the decisions not superseded there is at most one per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(superseded_by__isnull=True),
                name="one_decision_in_force_per_application",
            ),
        ]

    @property
    def is_granted(self) -> bool:
        return self.outcome != Outcome.REJECTED


class DecisionLetterQuerySet(CaseQuerySet):
    person_lookup = "decision__person"


class LetterKind(models.TextChoices):
    DECISION = "decision", _("Beslutsbrev")
    DISMISSAL = "dismissal", _("Beslut om avvisning av överklagande")


class DecisionLetter(models.Model):
    """A letter exactly as issued. Never updated: a new letter is a new row."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=10, choices=LetterKind.choices, default=LetterKind.DECISION)
    # The appeal a dismissal letter answers.
    appeal = models.ForeignKey(
        "Appeal", null=True, blank=True, on_delete=models.CASCADE, related_name="letters"
    )
    notified_on = models.DateField(_("delges"), null=True, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    appeal_deadline = models.DateField()
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    objects = DecisionLetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("Inkommen")
    RECONSIDERED_CHANGED = "changed", _("Omprövad – beslutet ändrat")
    FORWARDED = "forwarded", _("Överlämnad till förvaltningsrätten")
    DISMISSED_LATE = "dismissed_late", _("Avvisad – för sent inkommen")
    DECIDED_BY_COURT = "court_decided", _("Avgjord av domstol")


class CourtOutcome(models.TextChoices):
    GRANTED = "granted", _("Bifall")
    PARTLY_GRANTED = "partly_granted", _("Delvis bifall")
    REJECTED = "rejected", _("Avslag")


class Appeal(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="appeals")
    received_on = models.DateField(_("överklagandet inkom"))
    deadline = models.DateField(_("sista dag att överklaga"))
    timely = models.BooleanField(_("inkommit i rätt tid"))
    grounds = models.TextField(_("den enskildes skäl"), blank=True)
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.RECEIVED
    )
    reconsidered_on = models.DateField(_("omprövat"), null=True, blank=True)
    reconsideration_note = models.TextField(_("omprövning"), blank=True)
    new_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_on = models.DateField(_("överlämnat till förvaltningsrätten"), null=True, blank=True)
    court_reference = models.CharField(_("målnummer"), max_length=40, blank=True)
    # A late appeal is dismissed (avvisning), not reconsidered: its own date and reasons.
    dismissed_on = models.DateField(_("avvisat"), null=True, blank=True)
    dismissal_note = models.TextField(_("skäl för avvisning"), blank=True)
    # The administrative court's judgment (förvaltningsrätten).
    judged_on = models.DateField(_("domstolens dom"), null=True, blank=True)
    court_outcome = models.CharField(
        _("domstolens utfall"), max_length=16, choices=CourtOutcome.choices, blank=True
    )
    court_note = models.TextField(_("domen i korthet"), blank=True)
    court_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on"]


class TaskKind(models.TextChoices):
    DECISION_EXPIRING = "decision_expiring", _("Beslut går ut inom 60 dagar")
    LOW_EXECUTION = "low_execution", _("Låg utförandegrad två perioder i rad")
    FLAGGED_SESSION = "flagged_session", _("Flaggat pass väntar på beslut")
    APPEAL = "appeal", _("Överklagande att hantera")
    FREE_REVIEW = "free_review", _("Fri ledsagning: uppföljning")
    PROVIDER_CHANGE = "provider_change", _("Begäran om byte av utförare")
    COSTLY_ACTIVITY = "costly_activity", _("Ansökan om mer kostsam aktivitet")
    EXPENSE_REVIEW = "expense_review", _("Omkostnad att granska")
    NOT_EXECUTED = "not_executed", _("Beslut som inte verkställs")
    E_APPLICATION = "e_application", _("Ny ansökan från Mina sidor")
    MOVED_OUT = "moved_out", _("Har flyttat från kommunen")
    DEATH = "death", _("Har avlidit")
    PROTECTION = "protection", _("Ny skyddsmarkering")


class Task(models.Model):
    """A follow-up task in a caseworker's work list. Stored (not only derived) so it can be
    assigned, closed and audited."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="tasks")
    district = models.ForeignKey("people.District", on_delete=models.PROTECT, related_name="tasks")
    assigned_to = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    due_on = models.DateField(null=True, blank=True)
    # What the task is about, e.g. {"session_id": 12} or {"month": "2024-05"}; with kind it
    # forms the key that keeps task generation idempotent.
    subject = models.CharField(max_length=80)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "subject"], name="one_task_per_subject"
            )
        ]


class NonExecutionKind(models.TextChoices):
    NOT_STARTED = "not_started", _("Inte verkställt inom tre månader från beslutet")
    INTERRUPTED = "interrupted", _("Verkställigheten avbruten i tre månader")


class NonExecutionReason(models.TextChoices):
    # The reasons a municipality gives when it reports a decision not carried out (IVO's
    # report asks for the reason): the person's own choices first, then the municipality's.
    DECLINED = "declined", _("Den enskilde har tackat nej till erbjuden insats")
    WAITING = "waiting", _("Den enskilde vill vänta")
    HEALTH = "health", _("Den enskildes hälsa")
    UNREACHABLE = "unreachable", _("Den enskilde har inte gått att nå")
    NO_PROVIDER = "no_provider", _("Ingen utförare kan ta uppdraget")
    NO_ESCORT = "no_escort", _("Utföraren saknar ledsagare")
    OTHER = "other", _("Annat skäl")


class NonExecution(models.Model):
    """The register of decisions not carried out (SoL 16 kap. 6 f §, LSS 28 f §): one row
    each time a granting decision went three months without being carried out
    (folja.rules.execution), with the reason the caseworker records. The statutory report to
    IVO and the council reads this register."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="non_executions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="non_executions"
    )
    district = models.ForeignKey("people.District", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("typ"), max_length=12, choices=NonExecutionKind.choices)
    since = models.DateField(_("räknas från"))
    reportable_on = models.DateField(_("rapporteras från"))
    # Set when an executed session follows, so the report can say when it was carried out.
    carried_out_on = models.DateField(_("verkställt"), null=True, blank=True)
    reason = models.CharField(
        _("skäl"), max_length=12, choices=NonExecutionReason.choices, blank=True
    )
    reason_text = models.TextField(_("beskrivning av skälet"), blank=True)
    reason_recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["reportable_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "since"], name="one_non_execution_per_start"
            )
        ]


class WorklistRefresh(models.Model):
    """The day the time-based tasks of a district (decisions about to expire or not carried
    out, low execution) were last made: the nightly job or the first opening of a work list
    that day makes them, once a day."""

    district = models.OneToOneField("people.District", on_delete=models.CASCADE, related_name="+")
    refreshed_on = models.DateField()
