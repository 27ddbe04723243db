"""The Frictionless Data Package (`datapackage.json`) published with the open-data CSV files, so
a program reads them right without guessing: their dialect (the export convention, `;` and
CRLF; docs/exports.md), the type and unit of each column, the decimal comma, and the two kinds
of missing cell with why each is empty. The fields are the CSV's own columns
(`opendata.COLUMNS`), described as in the data dictionary (docs/data-dictionary.md).

The descriptor is Data Package v2: v2 is the version in which a missing value carries a label,
which is where the reason for a suppressed cell is said. frictionless validates it against the
profiles it ships with; `$schema` names the standard profile, which it does not download."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from folja.core.csv_writer import LINE_END, SEPARATOR
from folja.followup.opendata import COLUMNS, SUPPRESSED, THRESHOLD

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "Creative Commons Zero v1.0 Universal",
}
# Column → (Table Schema type, unit, description). The unit is a custom field property (Table
# Schema has none); counts are in persons or decisions, shares are fractions 0–1.
FIELDS = {
    "year": ("integer", "år", "År"),
    "district": ("string", None, "Stadsdel, eller Hela staden"),
    "persons_women": ("integer", "personer", "Kvinnor med beviljat beslut under året"),
    "persons_men": ("integer", "personer", "Män med beviljat beslut under året"),
    "persons_unknown": ("integer", "personer", "Personer med okänt kön (historisk import)"),
    "persons": ("integer", "personer", "Personer med beviljat beslut under året"),
    "decisions_granted": ("integer", "beslut", "Beviljade beslut"),
    "rejected_or_partly": ("integer", "beslut", "Avslag och delavslag"),
    "decisions": ("integer", "beslut", "Alla beslut"),
    "rejection_share": ("number", "andel 0–1", "Andel avslag och delavslag av alla beslut"),
    "granted_hours": ("number", "timmar", "Beviljade timmar under året"),
    "executed_hours": ("number", "timmar", "Utförda timmar under året"),
    "execution_rate": ("number", "andel 0–1", "Utförandegrad: utförda / beviljade timmar"),
}
MISSING_VALUES = [
    {
        "value": SUPPRESSED,
        "label": (
            f"Skyddat: antalet är under {THRESHOLD} (primär röjandekontroll), eller kunde "
            "räknas fram ur summorna och ett annat skyddat tal (sekundär röjandekontroll); "
            "andelar och timmar som bygger på ett skyddat antal skyddas med det."
        ),
    },
    {
        "value": "",
        "label": (
            "Uppgift saknas: inga beslut att räkna en andel på, eller (persons_unknown) "
            "inga personer med okänt kön det året."
        ),
    },
]


def csv_name(years: Iterable[int]) -> str:
    years = sorted(set(years))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return f"folja-oppna-data-{span}.csv"


def _schema() -> dict:
    fields = []
    for name in COLUMNS:
        kind, unit, description = FIELDS[name]
        field: dict = {"name": name, "type": kind, "description": description}
        if unit:
            field["unit"] = unit
        if kind == "number":
            field["decimalChar"] = ","
        fields.append(field)
    return {"fields": fields, "missingValues": MISSING_VALUES, "primaryKey": ["year", "district"]}


def _resource(*, years: Iterable[int], path: str) -> dict:
    years = sorted(set(years))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return {
        "name": path.removesuffix(".csv").lower(),
        "title": f"Mått per stadsdel, {span}",
        "type": "table",
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {
            "delimiter": SEPARATOR,
            "lineTerminator": LINE_END,
            "quoteChar": '"',
            "doubleQuote": True,
            "header": True,
        },
        "schema": _schema(),
    }


def open_data_package(
    *,
    years: Iterable[int] = (),
    path: str = "",
    files: Sequence[tuple[str, Iterable[int]]] = (),
) -> dict:
    """The descriptor of the published open-data CSV files: either the one file at `path`
    holding `years`, or each (path, years) of `files`; paths relative to the descriptor."""
    resources = [_resource(years=y, path=p) for p, y in files]
    if path:
        resources.insert(0, _resource(years=years, path=path))
    return {
        "$schema": PROFILE,
        "name": "folja-oppna-data",
        "title": "Följa: ledsagning och ledsagarservice per stadsdel och år",
        "description": (
            f"Mått per stadsdel och år. Antal under {THRESHOLD} är ersatta med '..' (primär "
            "och sekundär röjandekontroll), liksom andelar och timmar som bygger på dem."
        ),
        "licenses": [LICENSE],
        "keywords": ["ledsagning", "ledsagarservice", "LSS", "SoL", "öppna data"],
        "resources": resources,
    }
