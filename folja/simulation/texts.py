"""Swedish labels and the generated explanations of the memo and the page. The explanations
are built from the fitted parameters and the decomposition runs, not fixed prose."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.core.templatetags.figures import format_number
from folja.simulation.engine.params import ILLUSTRATIVE
from folja.simulation.investigation import Investigation

MODEL_LABELS = {
    "monthly": gettext_lazy("Månadsvis (före 2018)"),
    "flex3": gettext_lazy("Tremånadersperiod (i dag)"),
    "free": gettext_lazy("Fri ledsagning (Laholmsmodellen)"),
}
METRIC_LABELS = {
    "executed_hours": gettext_lazy("Utförda timmar"),
    "lapsed_hours": gettext_lazy("Förfallna timmar"),
    "unmet_hours": gettext_lazy("Ej tillgodosett behov (timmar)"),
    "execution_share": gettext_lazy("Andel av beviljad tid som utförs"),
    "provider_payment": gettext_lazy("Ersättning till utförare (kr)"),
    "expense_paid": gettext_lazy("Utbetald omkostnadsersättning (kr)"),
    "admin_cost": gettext_lazy("Administrationskostnad (kr, exempelvärden)"),
    "total_cost": gettext_lazy("Total kostnad (kr)"),
    "review_tasks": gettext_lazy("Uppföljningsärenden (fri ledsagning)"),
    "flagged_sessions": gettext_lazy("Flaggade pass att granska"),
    "applications": gettext_lazy("Nya ansökningar om fler timmar"),
}
TABLE_METRICS = tuple(METRIC_LABELS)
PARAMETER_LABELS = {
    "desired_level": gettext_lazy("Önskad tid per månad (nivå)"),
    "spread": gettext_lazy("Variation mellan månader"),
    "illness_onset": gettext_lazy("Hur ofta sjukdomsperioder börjar"),
    "illness_days": gettext_lazy("Sjukdomsperiodernas längd"),
    "season_amplitude": gettext_lazy("Säsongsvariationens storlek"),
    "late_cancel_rate": gettext_lazy("Andel sena avbokningar"),
    "rate_per_hour": gettext_lazy("LOV-ersättning per timme"),
    "review_threshold": gettext_lazy("Tröskel för uppföljning (fri ledsagning)"),
    "review_minutes": gettext_lazy("Handläggartid per uppföljning"),
    "caseworker_cost_per_hour": gettext_lazy("Handläggarkostnad per timme"),
    "application_minutes": gettext_lazy("Handläggartid per ny ansökan"),
    "allowance_per_month": gettext_lazy("Omkostnadsersättning per månad"),
}
COST_PARAMETER_LABELS = {
    "caseworker_cost_per_hour": gettext_lazy("Handläggarkostnad per timme (kr)"),
    "application_minutes": gettext_lazy("Minuter per ny ansökan om fler timmar"),
    "apply_probability": gettext_lazy("Sannolikhet att ansöka vid stort ej tillgodosett behov"),
    "apply_trigger": gettext_lazy("Ej tillgodosett behov som andel av periodens tid"),
    "reassessment_minutes": gettext_lazy("Minuter per årlig omprövning"),
    "flag_review_minutes": gettext_lazy("Minuter per flaggat pass"),
    "flag_share": gettext_lazy("Andel månader över tilldelningen som ger ett flaggat pass"),
    "invoice_check_minutes": gettext_lazy("Minuter fakturagranskning per person och månad"),
    "review_minutes": gettext_lazy("Minuter per uppföljningsärende (fri ledsagning)"),
    "review_threshold": gettext_lazy("Uppföljningströskel (gånger planerad tid)"),
    "allowance_per_month": gettext_lazy("Omkostnadsersättning per månad (kr)"),
}
MONTH_NAMES = [
    gettext_lazy("januari"),
    gettext_lazy("februari"),
    gettext_lazy("mars"),
    gettext_lazy("april"),
    gettext_lazy("maj"),
    gettext_lazy("juni"),
    gettext_lazy("juli"),
    gettext_lazy("augusti"),
    gettext_lazy("september"),
    gettext_lazy("oktober"),
    gettext_lazy("november"),
    gettext_lazy("december"),
]


def num(value: float, places: int = 0) -> str:
    # Written like every figure (folja.core.templatetags.figures): rounded half-up, grouped;
    # a fit with too few observations gives NaN, which is "no figure" ("–"), not a crash.
    return format_number(value, places)


def pct(value: float, places: int = 0) -> str:
    shown = num(None if value is None else value * 100, places)
    return shown if shown == "–" else f"{shown} %"


def parameter_rows(inv: Investigation) -> list[dict]:
    """Cost parameters with their value and whether it is an illustrative default."""
    rows = []
    for key, label in COST_PARAMETER_LABELS.items():
        rows.append(
            {"label": label, "value": getattr(inv.params, key), "illustrative": key in ILLUSTRATIVE}
        )
    return rows


def flex_explanation(inv: Investigation) -> list[str]:
    """Why flex3 executes more of the grant than monthly, from this population's fit."""
    fit, gain = inv.fit, inv.gain
    season = fit.season
    high, low = int(season.argmax()), int(season.argmin())
    paragraphs = [
        _(
            "Modellen skattar att en person i genomsnitt får %(onsets)s sjukdomsperioder per år "
            "som varar i genomsnitt %(days)s dagar, och att %(catch)s av den tid som går "
            "förlorad under en sjukdomsperiod efterfrågas månaden efter."
        )
        % {
            "onsets": num(fit.illness_onsets_per_year, 1),
            "days": num(fit.illness_mean_days),
            "catch": pct(fit.catch_up),
        },
        _(
            "Efterfrågan varierar med årstiden: den är störst i %(high)s (%(hv)s av "
            "årsgenomsnittet) och minst i %(low)s (%(lv)s)."
        )
        % {
            "high": MONTH_NAMES[high],
            "hv": pct(season[high]),
            "low": MONTH_NAMES[low],
            "lv": pct(season[low]),
        },
    ]
    if gain is not None:
        paragraphs.append(
            _(
                "Med månadsvis tilldelning förfaller de timmar som inte används under en "
                "sjukdomsmånad eller en lugn månad, och behov över månadens tilldelning kan inte "
                "tillgodoses. Med tremånadersperioder kan samma timmar användas under periodens "
                "andra månader. I simuleringen utförs %(m)s av den beviljade tiden med "
                "månadsvis tilldelning och %(f)s med tremånadersperioder, en skillnad på "
                "%(gain)s procentenheter."
            )
            % {
                "m": pct(gain.monthly_share, 1),
                "f": pct(gain.flex3_share, 1),
                "gain": num(gain.full * 100, 1),
            }
        )
        paragraphs.append(
            _(
                "Utan sjukdomsperioder i modellen skulle skillnaden vara %(noill)s "
                "procentenheter, utan säsongsvariation %(noseason)s och utan båda %(rest)s."
            )
            % {
                "noill": num(gain.without_illness * 100, 1),
                "noseason": num(gain.without_season * 100, 1),
                "rest": num(gain.without_both * 100, 1),
            }
        )
        paragraphs.append(_illness_part(fit.catch_up, gain.from_illness))
        paragraphs.append(_season_part(season[high] - season[low], gain.from_season))
        paragraphs.append(
            _(
                "Återstoden, %(rest)s procentenheter, kommer av att behovet varierar från månad "
                "till månad även utan sjukdom och säsong: en månad med mer behov än "
                "tilldelningen kan med tremånadersperioder använda en lugnare månads timmar."
            )
            % {"rest": num(gain.without_both * 100, 1)}
        )
    return paragraphs


# Below this many percentage points a part of the model is said to explain "almost nothing".
SMALL_PP = 0.3


def _illness_part(catch_up: float, pp: float) -> str:
    values = {"pp": num(pp * 100, 1), "catch": pct(catch_up)}
    if pp * 100 >= SMALL_PP:
        return (
            _(
                "Sjukdomen förklarar omkring %(pp)s procentenheter: under en sjukdomsperiod "
                "förfaller timmarna med månadsvis tilldelning, medan %(catch)s av den förlorade "
                "tiden efterfrågas efteråt och då ryms i samma tremånadersperiod."
            )
            % values
        )
    return (
        _(
            "Sjukdomen förklarar nästan ingenting av skillnaden (%(pp)s procentenheter): "
            "historiken visar att bara %(catch)s av den tid som förloras under sjukdom "
            "efterfrågas efteråt, så timmarna förfaller i båda modellerna. Om personerna "
            "skulle ta igen mer av tiden när de har möjlighet, blir vinsten av "
            "tremånadersperioder större."
        )
        % values
    )


def _season_part(amplitude: float, pp: float) -> str:
    values = {"pp": num(pp * 100, 1), "amp": num(amplitude * 100)}
    if pp * 100 >= SMALL_PP:
        return (
            _(
                "Säsongsvariationen förklarar omkring %(pp)s procentenheter: skillnaden mellan "
                "den starkaste och den svagaste månaden är %(amp)s procent av genomsnittet, och "
                "med tremånadersperioder kan en topp använda timmar från en lugnare månad."
            )
            % values
        )
    return (
        _(
            "Säsongsvariationen förklarar nästan ingenting (%(pp)s procentenheter): skillnaden "
            "mellan den starkaste och den svagaste månaden är bara %(amp)s procent av "
            "genomsnittet, och toppar och dalar ligger ofta i olika tremånadersperioder."
        )
        % values
    )


def result_statement(inv: Investigation) -> str:
    diffs = inv.diffs
    key = ("flex3", "free") if ("flex3", "free") in diffs else next(iter(diffs), None)
    if key is None:
        return ""
    d = diffs[key]["total_cost"]
    share = d.mean / max(inv.summary[key[0]]["total_cost"].mean, 1.0)
    values = {
        "a": str(MODEL_LABELS[key[0]]).lower(),
        "b": str(MODEL_LABELS[key[1]]),
        "mean": num(abs(d.mean)),
        "signed": num(d.mean),
        "share": pct(abs(share), 1),
        "months": inv.result.months,
        "low": num(d.low),
        "high": num(d.high),
    }
    if d.low > 0:
        text = _(
            "%(b)s blir dyrare än %(a)s: i genomsnitt %(mean)s kr (%(share)s) mer per "
            "%(months)s månader. 90 %%-intervallet, %(low)s till %(high)s kr, ligger helt "
            "över noll."
        )
    elif d.high < 0:
        text = _(
            "%(b)s blir billigare än %(a)s: i genomsnitt %(mean)s kr (%(share)s) mindre per "
            "%(months)s månader. 90 %%-intervallet, %(low)s till %(high)s kr, ligger helt "
            "under noll."
        )
    else:
        text = _(
            "Det går inte att säga om %(b)s blir dyrare eller billigare än %(a)s: skillnaden "
            "är i genomsnitt %(signed)s kr per %(months)s månader, och 90 %%-intervallet, "
            "%(low)s till %(high)s kr, innehåller noll."
        )
    return text % values


def top_parameters_text(inv: Investigation) -> list[str]:
    if inv.tornado is None:
        return []
    out = []
    for bar in inv.tornado.bars[:3]:
        out.append(
            _("%(label)s: från %(low)s kr till %(high)s kr (faktor %(lf)s–%(hf)s).")
            % {
                "label": PARAMETER_LABELS[bar.key],
                "low": num(bar.low_value),
                "high": num(bar.high_value),
                "lf": num(bar.low_factor, 2),
                "hf": num(bar.high_factor, 2),
            }
        )
    return out
