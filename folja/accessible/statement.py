"""The person's own statement and decision summary as a `Document`, in lättläst Swedish.

Balances come only from the rules engine (through the portal's `hours_overview`, which calls
`folja.delivery.selectors.person_balance`); nothing is computed here but words."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from folja.accessible.content import (
    Document,
    Line,
    say_allowance_left,
    say_date,
    say_kronor,
    say_minutes,
    sections_from,
)
from folja.ledger.guidelines import version_in_force
from folja.people.models import Person

# The person reads at most this many of their latest sessions; more is not lättläst.
MAX_SESSIONS = 12


def statement_document(*, user, person: Person, on: date) -> Document:
    from folja.portal import selectors

    overview = selectors.hours_overview(user=user, person=person, on=on)
    decision = overview.decision or selectors.latest_decision(user=user, person=person)
    letter = selectors.latest_letter(decision=decision)
    balance = overview.balance
    items: list[tuple[str, list[Line], tuple[str, ...]]] = []
    lines: list[Line]

    if decision is None:
        lines = [_("Du har inget beslut om ledsagning just nu.")]
    elif not decision.is_granted:
        lines = [
            _("Du fick ett beslut %(date)s.") % {"date": say_date(decision.decided_on)},
            _("Du fick inte ledsagning."),
        ]
    else:
        hours = decision.hours_per_month.normalize()
        lines = [
            (_("Du får ledsagning enligt %(act)s.") % {"act": decision.legal_basis.act}, "escort"),
            (
                _("Du får %(hours)s timmar varje månad.")
                % {"hours": f"{hours:f}".replace(".", ",")},
                "clock",
            ),
            (
                _("Beslutet gäller från %(start)s.") % {"start": say_date(decision.valid_from)},
                "calendar",
            ),
            _("Beslutet gäller till %(end)s.") % {"end": say_date(decision.valid_to)},
        ]
        if decision.double_staffing:
            lines.append(_("Du får ha två ledsagare samtidigt."))
        if decision.outcome == "partly_rejected":
            lines.append(_("Du fick inte allt du sökte."))
    items.append((_("Ditt beslut"), lines, ("letter", "check")))

    if balance is None:
        items.append((_("Dina timmar"), [_("Du har inga timmar att använda just nu.")], ("clock",)))
    else:
        hour_lines: list[Line] = [
            (
                _("Din period är från %(start)s till %(end)s.")
                % {"start": say_date(balance.period_start), "end": say_date(balance.period_end)},
                "calendar",
            ),
            _("Du har fått %(t)s i perioden.") % {"t": say_minutes(balance.granted_minutes)},
            _("Du har använt %(t)s.") % {"t": say_minutes(balance.used_minutes)},
            (_("Du har %(t)s kvar.") % {"t": say_minutes(balance.remaining_minutes)}, "hours_left"),
            (
                _("Timmar som är kvar försvinner efter %(end)s.")
                % {"end": say_date(balance.lapses_on)},
                "lapse",
            ),
        ]
        if overview.lapse_warning:
            hour_lines.append(
                (_("Det är mindre än tre veckor kvar. Använd dina timmar snart."), "warning")
            )
        items.append((_("Dina timmar"), hour_lines, ("clock", "calendar")))
        money_left = say_allowance_left(overview.money)
        items.append(
            (
                _("Pengar till ledsagarens kostnader"),
                [
                    _("Du har fått %(k)s i perioden.") % {"k": say_kronor(balance.allowance_sek)},
                    _("Du har använt %(k)s.") % {"k": say_kronor(balance.expenses_sek)},
                    (money_left[0], "wallet"),
                    *money_left[1:],
                ],
                ("money",),
            )
        )

    session_lines = []
    for s in overview.sessions[-MAX_SESSIONS:]:
        who = s.escort.first_name if s.escort else _("en ledsagare")
        what = s.activity or _("ledsagning")
        session_lines.append(
            _("%(date)s klockan %(time)s: %(what)s med %(who)s, %(length)s.")
            % {
                "date": say_date(s.start.date()),
                "time": s.start.strftime("%H.%M"),
                "what": what,
                "who": who,
                "length": say_minutes(int((s.end - s.start).total_seconds() // 60)),
            }
        )
    if not session_lines:
        session_lines = [_("Du har inte använt några timmar i perioden än.")]
    items.append((_("Det här har du gjort"), session_lines, ("escort",)))

    claims = list(selectors.expense_claims(user=user, person=person)[:5])
    costly = list(selectors.costly_activities(user=user, person=person)[:5])
    money_lines = [
        _("Kvitto %(date)s, %(k)s: %(status)s.")
        % {
            "date": say_date(c.date),
            "k": say_kronor(c.amount_sek),
            "status": c.get_status_display(),
        }
        for c in claims
    ] + [
        _("Dyr aktivitet, %(what)s: %(status)s.")
        % {"what": a.activity, "status": a.get_status_display()}
        for a in costly
    ]
    if money_lines:
        items.append((_("Dina kvitton och ansökningar"), list(money_lines), ("receipt", "money")))

    # The activity handbook's rulings on what the person applied for or booked (issue 15).
    from folja.handbook.plain import ruling_lines

    handbook = ruling_lines(user=user, person=person, on=on)
    if handbook:
        items.append((_("Vad ledsagningen kan användas till"), handbook, ("escort", "check")))

    items.append((_("Så bokar du"), _booking_lines(user=user, person=person, on=on), ("book",)))

    appeal: list[Line] = [
        (_("Om du inte håller med om beslutet kan du överklaga."), "appeal"),
        (_("Skriv till stadsdelsförvaltningen."), "write"),
    ]
    if letter is not None and letter.appeal_deadline >= on:
        appeal.append(
            (
                _("Brevet ska komma fram senast %(d)s.") % {"d": say_date(letter.appeal_deadline)},
                "calendar",
            )
        )
    else:
        appeal.append(
            (_("Brevet ska komma fram inom tre veckor från att du fick beslutet."), "calendar")
        )
    items.append((_("Om du inte håller med"), appeal, ("appeal", "letter")))

    items.append(
        (
            _("Om du vill klaga"),
            [
                (
                    _("Du kan klaga på ledsagningen, utföraren eller stadsdelsförvaltningen."),
                    "complain",
                ),
                (_("Skriv under Synpunkter på Mina sidor, eller ring din handläggare."), "write"),
                _("Du får ett svar."),
            ],
            ("complain",),
        )
    )

    return Document(
        key=f"person-{person.pk}",
        title=_("Dina timmar och ditt beslut, %(name)s") % {"name": person.first_name},
        sections=sections_from(items),
        made_on=on,
    )


def _booking_lines(*, user, person: Person, on: date) -> list[Line]:
    """How to book and cancel: with the person's own provider, under the city's one cut-off."""
    from folja.portal import selectors

    provider = selectors.current_provider(user=user, person=person)
    guideline = version_in_force(on)
    cutoff = guideline.late_cancellation_cutoff_hours if guideline else 24
    lines: list[Line] = []
    if provider is None:
        lines.append(
            (_("När du har valt utförare bokar du ledsagning hos utföraren."), "book"),
        )
    else:
        lines.append(
            (_("Du bokar ledsagning hos %(provider)s.") % {"provider": provider.name}, "book")
        )
        if provider.phone:
            lines.append((_("Ring %(phone)s.") % {"phone": provider.phone}, "phone"))
    lines += [
        (_("Boka av senast %(hours)s timmar innan.") % {"hours": cutoff}, "clock"),
        _("Om du bokar av för sent kan tiden räknas bort."),
    ]
    return lines
