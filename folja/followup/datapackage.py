"""The Frictionless Data Package (`datapackage.json`) published with the open-data CSV, so a
program reads the file right without guessing: its dialect (the export convention, `;` and
CRLF; docs/exports.md), the type of each column, the decimal comma, and ".." as a suppressed
value. The fields are the CSV's own columns (`opendata.COLUMNS`), described as in the data
dictionary."""

from __future__ import annotations

from collections.abc import Iterable

from folja.core.csv_writer import LINE_END, SEPARATOR
from folja.followup.opendata import COLUMNS, SUPPRESSED

LICENSE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "Creative Commons Zero v1.0 Universal",
}
# Column → (Table Schema type, description).
FIELDS = {
    "year": ("integer", "År"),
    "district": ("string", "Stadsdel, eller Hela staden"),
    "persons_women": ("integer", "Kvinnor med beviljat beslut under året"),
    "persons_men": ("integer", "Män med beviljat beslut under året"),
    "persons_unknown": ("integer", "Personer med okänt kön (historisk import)"),
    "persons": ("integer", "Personer med beviljat beslut under året"),
    "decisions_granted": ("integer", "Beviljade beslut"),
    "rejected_or_partly": ("integer", "Avslag och delavslag"),
    "decisions": ("integer", "Alla beslut"),
    "rejection_share": ("number", "Andel avslag och delavslag av alla beslut (0–1)"),
    "granted_hours": ("number", "Beviljade timmar under året"),
    "executed_hours": ("number", "Utförda timmar under året"),
    "execution_rate": ("number", "Utförandegrad: utförda / beviljade timmar (0–1)"),
}


def csv_name(years: Iterable[int]) -> str:
    years = sorted(set(years))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return f"folja-oppna-data-{span}.csv"


def open_data_package(*, years: Iterable[int], path: str) -> dict:
    """The descriptor of the open-data CSV at `path` (relative to the descriptor)."""
    fields = []
    for name in COLUMNS:
        kind, description = FIELDS[name]
        field: dict = {"name": name, "type": kind, "description": description}
        if kind == "number":
            field["decimalChar"] = ","
        fields.append(field)
    return {
        "profile": "tabular-data-package",
        "name": "folja-oppna-data",
        "title": "Följa: ledsagning och ledsagarservice per stadsdel och år",
        "description": (
            "Mått per stadsdel och år. Antal under 5 är ersatta med '..' (primär och "
            "sekundär röjandekontroll), liksom andelar och timmar som bygger på dem."
        ),
        "licenses": [LICENSE],
        "keywords": ["ledsagning", "ledsagarservice", "LSS", "SoL", "öppna data"],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": csv_name(years).removesuffix(".csv"),
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
                "schema": {
                    "fields": fields,
                    "missingValues": ["", SUPPRESSED],
                    "primaryKey": ["year", "district"],
                },
            }
        ],
    }
