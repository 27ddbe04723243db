"""The City of Stockholm's reference data: guideline versions, LOV rates, legal bases, DUR life
areas. Loaded by `folja seed` and by tests; idempotent (update_or_create on natural keys).

Sources are cited per figure. Where FACTS.md says a figure was not found, the value is an
illustrative default and the field is listed in `illustrative_fields` so the UI marks it
"exempelvärde".
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import holidays

from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea, LovRate

# FACTS.md, "Stockholm LOV payment for ledsagning och avlösning" (the city's provider pages):
# (municipal, private) SEK per hour; private regi is paid 2.5 % more to offset VAT.
LOV_RATES: dict[int, dict[str, tuple[str, str]]] = {
    2021: {
        "day": ("392", "402"),
        "evening": ("418", "428"),
        "night": ("453", "464"),
        "weekend": ("453", "464"),
        "storhelg": ("515", "528"),
    },
    2022: {
        "day": ("403", "413"),
        "evening": ("429", "440"),
        "night": ("465", "477"),
        "weekend": ("465", "477"),
        "storhelg": ("529", "542"),
    },
    2023: {
        "day": ("408", "418"),
        "evening": ("434", "445"),
        "night": ("470", "482"),
        "weekend": ("470", "482"),
        "storhelg": ("535", "548"),
    },
    2024: {
        "day": ("423", "434"),
        "evening": ("450", "461"),
        "night": ("487", "500"),
        "weekend": ("487", "500"),
        "storhelg": ("555", "569"),
    },
}
LOV_SOURCE = "Stockholms stad, ersättning LOV ledsagning och avlösning (FACTS.md)"
# Years outside the published table carry the nearest published year's rates, marked as
# illustrative, so that synthetic history and the current year can be paid at all.
ILLUSTRATIVE_RATE_YEARS = range(2016, 2028)

ILLUSTRATIVE = [
    "expense_allowance_per_month",
    "costly_activity_yearly_ceiling",
    "late_cancellation_cutoff_hours",
    "late_cancellation_charged",
    "no_show_charged",
    "free_review_threshold",
    "reporting_deadline_days",
    "period_anchor",
    "storhelg",
]


def storhelg_dates(first_year: int, last_year: int) -> list[str]:
    """Whole days paid at the storhelg rate. The city's exact list was not found (FACTS.md):
    illustrative — Easter (Good Friday to Easter Monday), midsummer eve and day, Christmas eve
    to Boxing day, New Year's eve and day."""
    days: set[date] = set()
    for year in range(first_year, last_year + 1):
        se = holidays.Sweden(years=year, include_sundays=False, language="sv")
        for d, name in se.items():
            if any(
                k in name
                for k in (
                    "Långfredagen",
                    "Påskdagen",
                    "Annandag påsk",
                    "Midsommardagen",
                    "Juldagen",
                    "Annandag jul",
                    "Nyårsdagen",
                )
            ):
                days.add(d)
                if "Påskdagen" in name:
                    days.add(d - timedelta(days=1))  # påskafton
                if "Midsommardagen" in name:
                    days.add(d - timedelta(days=1))  # midsommarafton
        days.update({date(year, 12, 24), date(year, 12, 31)})
    return sorted(d.isoformat() for d in days)


LEGAL_BASES = [
    # (act, reference, label, valid_from, valid_to)
    (
        "SoL",
        "SoL 4 kap. 1 §",
        "Bistånd i form av ledsagning enligt socialtjänstlagen (2001:453)",
        date(2002, 1, 1),
        date(2025, 6, 30),
    ),
    (
        "SoL",
        "SoL (2025:400)",
        "Bistånd i form av ledsagning enligt socialtjänstlagen (2025:400)",
        date(2025, 7, 1),
        None,
    ),
    (
        "LSS",
        "LSS 9 § 3",
        "Ledsagarservice enligt lagen om stöd och service (1993:387)",
        date(1994, 1, 1),
        None,
    ),
]

LIFE_AREAS = [
    ("social_network", "Socialt nätverk", "Kontakt med familj, vänner och andra."),
    ("leisure", "Fritid och kultur", "Aktiviteter på fritiden, kultur, idrott, föreningsliv."),
    ("mobility", "Förflyttning", "Att ta sig fram ute, i trafik och på nya platser."),
    ("communication", "Kommunikation", "Att förstå och göra sig förstådd."),
    ("health", "Hälsa", "Fysisk och psykisk hälsa, vårdbesök."),
    ("daily_life", "Vardagsaktiviteter", "Inköp, ärenden, hushåll."),
    ("safety", "Trygghet", "Att känna sig trygg ute och i nya situationer."),
    ("occupation", "Sysselsättning", "Arbete, studier, daglig verksamhet."),
]


def _upsert(model, lookup: dict, values: dict) -> list[str]:
    """update_or_create that says which fields it wrote (all of them for a new row): only a
    real change of a version or a rate recalculates anyone's figures."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return [*lookup, *values]
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def load_reference_data() -> None:
    # The first day of every version or rate this load created or changed, with the fields.
    changed: list[tuple[date, list[str]]] = []
    for year in ILLUSTRATIVE_RATE_YEARS:
        source_year = min(max(year, min(LOV_RATES)), max(LOV_RATES))
        table = LOV_RATES[source_year]
        for i, regi in enumerate(("municipal", "private")):
            source = (
                LOV_SOURCE
                if year == source_year
                else (
                    f"Exempelvärde: {source_year} års belopp (inget publicerat belopp för {year})"
                )
            )
            fields = _upsert(
                LovRate,
                {"year": year, "regi": regi},
                {band: Decimal(vals[i]) for band, vals in table.items()} | {"source": source},
            )
            changed.append((date(year, 1, 1), fields))
    common = {
        "late_cancellation_cutoff_hours": 24,
        "late_cancellation_charged": True,
        "no_show_charged": True,
        "expense_allowance_per_month": Decimal("300.00"),
        "costly_activity_yearly_ceiling": Decimal("3000.00"),
        "free_review_threshold": Decimal("2.0"),
        "reporting_deadline_days": 5,
        "storhelg": storhelg_dates(2012, 2030),
        "illustrative_fields": ILLUSTRATIVE,
    }
    versions = {
        date(2012, 1, 1): common
        | {
            "name": "Riktlinjer 2012 (månadsvis tilldelning)",
            "model": "monthly",
            "period_anchor": "decision_start",
            "notes": "Timmar per kalendermånad; outnyttjad tid förfaller vid månadens slut.",
        },
        date(2018, 1, 1): common
        | {
            "name": "Riktlinjer 2018 (tremånadersperioder)",
            "model": "flex3",
            "period_anchor": "decision_start",
            "notes": "Timmar och omkostnadsersättning kan användas flexibelt under tre månader.",
        },
    }
    for valid_from, values in versions.items():
        changed.append((valid_from, _upsert(GuidelineVersion, {"valid_from": valid_from}, values)))
    for act, reference, label, valid_from, valid_to in LEGAL_BASES:
        LegalBasis.objects.update_or_create(
            reference=reference,
            valid_from=valid_from,
            defaults={"act": act, "label": label, "valid_to": valid_to},
        )
    for position, (code, name, description) in enumerate(LIFE_AREAS):
        LifeArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
    # This process's pages must not keep showing the rates they copied before.
    from folja.ledger.bridge import clear_reference_copies

    clear_reference_copies()
    # Everyone's figures from the earliest change on are recalculated in the background (the
    # services sit above this module, hence the late import).
    from folja.guidelines.services import reference_data_saved

    reference_data_saved(changes=changed)
