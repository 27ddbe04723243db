"""The person's own statement and decision summary as a `Document`, in lättläst Swedish.

Balances come only from the rules engine (through the portal's `hours_overview`, which calls
`folja.delivery.selectors.person_balance`); nothing is computed here but words."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from folja.accessible.content import (
    Document,
    say_allowance_left,
    say_date,
    say_kronor,
    say_minutes,
    sections_from,
)
from folja.people.models import Person

# The person reads at most this many of their latest sessions; more is not lättläst.
MAX_SESSIONS = 12


def statement_document(*, user, person: Person, on: date) -> Document:
    from folja.portal import selectors

    overview = selectors.hours_overview(user=user, person=person, on=on)
    decision = overview.decision or selectors.latest_decision(user=user, person=person)
    letter = selectors.latest_letter(decision=decision)
    balance = overview.balance
    items: list[tuple[str, list[str], tuple[str, ...]]] = []

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
            _("Du får ledsagning enligt %(act)s.") % {"act": decision.legal_basis.act},
            _("Du får %(hours)s timmar varje månad.") % {"hours": f"{hours:f}".replace(".", ",")},
            _("Beslutet gäller från %(start)s.") % {"start": say_date(decision.valid_from)},
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
        hour_lines = [
            _("Din period är från %(start)s till %(end)s.")
            % {"start": say_date(balance.period_start), "end": say_date(balance.period_end)},
            _("Du har fått %(t)s i perioden.") % {"t": say_minutes(balance.granted_minutes)},
            _("Du har använt %(t)s.") % {"t": say_minutes(balance.used_minutes)},
            _("Du har %(t)s kvar.") % {"t": say_minutes(balance.remaining_minutes)},
            _("Timmar som är kvar försvinner efter %(end)s.")
            % {"end": say_date(balance.lapses_on)},
        ]
        if overview.lapse_warning:
            hour_lines.append(_("Det är mindre än tre veckor kvar. Använd dina timmar snart."))
        items.append((_("Dina timmar"), hour_lines, ("clock", "calendar")))
        items.append(
            (
                _("Pengar till ledsagarens kostnader"),
                [
                    _("Du har fått %(k)s i perioden.") % {"k": say_kronor(balance.allowance_sek)},
                    _("Du har använt %(k)s.") % {"k": say_kronor(balance.expenses_sek)},
                    *say_allowance_left(overview.money),
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
        items.append((_("Dina kvitton och ansökningar"), money_lines, ("ticket", "money")))

    appeal = [
        _("Om du inte håller med om beslutet kan du överklaga."),
        _("Skriv till stadsdelsförvaltningen."),
    ]
    if letter is not None and letter.appeal_deadline >= on:
        appeal.append(
            _("Brevet ska komma fram senast %(d)s.") % {"d": say_date(letter.appeal_deadline)}
        )
    else:
        appeal.append(_("Brevet ska komma fram inom tre veckor från att du fick beslutet."))
    items.append((_("Om du inte håller med"), appeal, ("letter", "calendar")))

    return Document(
        key=f"person-{person.pk}",
        title=_("Dina timmar och ditt beslut, %(name)s") % {"name": person.first_name},
        sections=sections_from(items),
        made_on=on,
    )
