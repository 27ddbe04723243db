"""The general guide to how ledsagning works in the city, in lättläst Swedish: short sentences,
one idea per line. Amounts and cut-offs come from the guideline version in force, so the guide
changes when the city's guidelines change."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from folja.accessible.content import Document, say_kronor, sections_from
from folja.ledger.guidelines import version_in_force


def guide_document(*, on: date, city: str = "Stockholms stad") -> Document:
    g = version_in_force(on)
    allowance = say_kronor(g.expense_allowance_per_month) if g else None
    ceiling = say_kronor(g.costly_activity_yearly_ceiling) if g else None
    cutoff = g.late_cancellation_cutoff_hours if g else 24
    illustrative = set(g.illustrative_fields or []) if g else set()

    money_lines = [
        _("Ledsagaren kan ha kostnader när ni gör något tillsammans."),
        _("Det kan vara en biljett eller en entré."),
        _("Du kan få pengar för ledsagarens kostnader."),
        _("Pengarna heter omkostnadsersättning."),
    ]
    if allowance:
        money_lines.append(_("Du får %(amount)s för varje månad.") % {"amount": allowance})
        if "expense_allowance_per_month" in illustrative:
            money_lines.append(_("Beloppet är ett exempel."))
    money_lines += [
        _("Pengarna räknas för samma tre månader som timmarna."),
        _("Spara kvittot."),
        _("Skicka kvittot på Mina sidor."),
    ]

    costly_lines = [
        _("Ibland kostar en aktivitet mycket."),
        _("Då kan du söka extra pengar."),
        _("Det heter mer kostsam aktivitet."),
        _("Skriv vad du vill göra."),
        _("Skriv vilken dag."),
        _("Skriv vad det kostar ungefär."),
        _("Din handläggare bestämmer om du får pengarna."),
    ]
    if ceiling:
        costly_lines.append(_("Du kan få högst %(amount)s per år.") % {"amount": ceiling})

    items = [
        (
            _("Vad är ledsagning?"),
            [
                _("Ledsagning betyder att någon följer med dig."),
                _("Personen som följer med heter ledsagare."),
                _("Ni kan gå på bio, handla eller träffa vänner."),
                _("Du bestämmer vad ni ska göra."),
            ],
            ("escort", "person"),
        ),
        (
            _("Dina timmar"),
            [
                _("Du får ett antal timmar varje månad."),
                _("Timmarna räknas ihop för tre månader i taget."),
                _("Tre månader heter en period."),
                _("Du kan använda fler timmar en månad och färre en annan."),
            ],
            ("clock", "calendar"),
        ),
        (
            _("När perioden tar slut"),
            [
                _("När perioden tar slut börjar en ny period."),
                _("Timmar som är kvar går inte att spara."),
                (_("Använd dina timmar innan perioden tar slut."), "lapse"),
                (_("På Mina sidor ser du hur många timmar du har kvar."), "hours_left"),
            ],
            ("lapse", "calendar"),
        ),
        (_("Pengar till ledsagarens kostnader"), money_lines, ("money", "receipt")),
        (_("En dyr aktivitet"), costly_lines, ("money", "letter")),
        (
            _("Att boka av"),
            [
                _("Ibland kan du inte träffa ledsagaren."),
                (_("Ring utföraren och boka av."), "book"),
                _("Boka av senast %(hours)s timmar innan.") % {"hours": cutoff},
                _("Om du bokar av för sent kan tiden räknas bort."),
                _("Samma regel gäller hos alla utförare."),
            ],
            ("book", "clock"),
        ),
        (
            _("Att välja utförare"),
            [
                _("Utföraren är företaget som har ledsagarna."),
                _("Du väljer själv utförare."),
                _("Du kan byta utförare när du vill."),
                _("Du kan jämföra utförare på Mina sidor."),
            ],
            ("house", "check"),
        ),
        (
            _("Om du inte håller med om beslutet"),
            [
                (_("Du kan överklaga beslutet."), "appeal"),
                _("Skriv till stadsdelsförvaltningen."),
                _("Skriv vilket beslut du menar."),
                _("Skriv varför du vill ändra beslutet."),
                _("Brevet ska komma fram inom tre veckor."),
                _("De tre veckorna börjar när du fick beslutet."),
                _("Du kan få hjälp att skriva."),
            ],
            ("appeal", "write"),
        ),
        (
            _("Om du vill klaga"),
            [
                _("Du kan tycka till om ledsagningen."),
                (_("Du kan klaga på utföraren eller på stadsdelsförvaltningen."), "complain"),
                _("Skriv på Mina sidor eller ring."),
                _("Du får ett svar."),
            ],
            ("complain", "write"),
        ),
        (
            _("Här får du hjälp"),
            [
                _("Ring din handläggare om du har frågor."),
                _("Du kan få den här texten i punktskrift."),
                _("Du kan få den som talbok."),
                _("Du kan få den med bilder."),
            ],
            ("phone", "house"),
        ),
    ]
    return Document(
        key="guide",
        title=_("Så fungerar ledsagning i %(city)s") % {"city": city},
        sections=sections_from(items),
        made_on=on,
    )
