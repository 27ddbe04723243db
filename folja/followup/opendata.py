"""Open data: measures by district and year as CSV, with small-number suppression.

Primary suppression: every count under 5 (including 0: an empty cell also tells something
about very few persons) is replaced by "..", as Statistics Sweden marks it.
Secondary suppression: each table is a set of additive equations (per district: women + men
+ unknown = persons, granted + rejected_or_partly = decisions; per column: Σ districts = the
city's total). Wherever an equation has exactly one suppressed member, the next smallest
member is suppressed too (also where several hidden members sum to 0, which would reveal them
all), repeated until stable — so no suppressed cell can be recovered from the totals.
Figures derived from a suppressed count (shares, rates, hours) are suppressed with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from folja.core.csv_writer import csv_text
from folja.followup.selectors import Slice, district_names, measures_by, swedish_key
from folja.rules.stats import hours

THRESHOLD = 5
SUPPRESSED = ".."
CITY = "Hela staden"
PERSON_PARTS = ("persons_women", "persons_men", "persons_unknown")
DECISION_PARTS = ("decisions_granted", "rejected_or_partly")
COLUMNS = (
    "year",
    "district",
    *PERSON_PARTS,
    "persons",
    *DECISION_PARTS,
    "decisions",
    "rejection_share",
    "granted_hours",
    "executed_hours",
    "execution_rate",
)


def suppress(
    table: dict[str, dict[str, int]], groups: Iterable[tuple[tuple[str, ...], str]], total_row: str
) -> set[tuple[str, str]]:
    """Cells (row, column) to suppress in `table` (rows × columns of counts).

    `groups` names the additive column groups: (parts, total) means Σ parts = total in each
    row; and in each column Σ of the rows other than `total_row` = the `total_row` value.
    """
    groups = list(groups)
    hidden = {(r, c) for r, cols in table.items() for c, v in cols.items() if v < THRESHOLD}
    equations: list[list[tuple[str, str]]] = []
    rows = [r for r in table if r != total_row]
    for r in table:
        for parts, total in groups:
            equations.append([(r, c) for c in (*parts, total)])
    for parts, total in groups:
        for c in (*parts, total):
            equations.append([(r, c) for r in rows] + [(total_row, c)])
    changed = True
    while changed:
        changed = False
        for eq in equations:
            marked = [cell for cell in eq if cell in hidden]
            # One hidden member is recovered by subtraction; several that sum to 0 are all 0.
            exposed = len(marked) == 1 or (
                len(marked) > 1 and sum(table[r][c] for r, c in marked) == 0
            )
            if exposed:
                candidates = [cell for cell in eq if cell not in hidden]
                if candidates:
                    # The smallest other member costs the least information to hide.
                    hidden.add(min(candidates, key=lambda cell: (table[cell[0]][cell[1]], cell)))
                    changed = True
    return hidden


def open_data_rows(*, years: Iterable[int]) -> list[dict]:
    out: list[dict] = []
    for year in years:
        s = Slice.year(year)
        by_district = measures_by(s, "district")
        names = district_names(by_district)
        by_sex_district = {}
        for sex in ("female", "male", ""):
            by_sex_district[sex] = measures_by(replace(s, sex=sex), "district")
        table: dict[str, dict[str, int]] = {}
        extra: dict[str, dict] = {}
        for k, m in by_district.items():
            if k not in names:
                continue
            name = names[k]
            parts = [by_sex_district[sex].get(k) for sex in ("female", "male", "")]
            counts = [p.persons if p else 0 for p in parts]
            table[name] = {
                "persons_women": counts[0],
                "persons_men": counts[1],
                "persons_unknown": counts[2],
                "persons": m.persons,
                "decisions_granted": m.decisions - m.rejected_or_partly,
                "rejected_or_partly": m.rejected_or_partly,
                "decisions": m.decisions,
            }
            extra[name] = {"m": m}
        if not table:
            continue
        city = {c: sum(row[c] for row in table.values()) for c in next(iter(table.values()))}
        table[CITY] = city
        total = measures_by(s).get(None)
        extra[CITY] = {"m": total}
        # Unknown sex only occurs in imported history; when a year has none the column is
        # left empty rather than suppressing a column of zeros that would drag others along.
        person_parts = PERSON_PARTS if city["persons_unknown"] else PERSON_PARTS[:2]
        if not city["persons_unknown"]:
            for row in table.values():
                row.pop("persons_unknown")
        hidden = suppress(table, [(person_parts, "persons"), (DECISION_PARTS, "decisions")], CITY)
        for name in sorted(table, key=lambda n: (n == CITY, swedish_key(n))):
            row: dict = {"year": year, "district": name}
            for c, v in table[name].items():
                row[c] = SUPPRESSED if (name, c) in hidden else v
            m = extra[name]["m"]
            decisions_hidden = {(name, "decisions"), (name, "rejected_or_partly")} & hidden
            row["rejection_share"] = (
                SUPPRESSED if decisions_hidden else (m.rejection_share if m else None)
            )
            persons_hidden = (name, "persons") in hidden
            for c, minutes in (
                ("granted_hours", m.sums["granted_minutes"] if m else 0),
                ("executed_hours", m.sums["executed_minutes"] if m else 0),
            ):
                row[c] = SUPPRESSED if persons_hidden else hours(minutes)
            row["execution_rate"] = (
                SUPPRESSED if persons_hidden else (m.execution_rate if m else None)
            )
            out.append(row)
    return out


def open_data_csv(*, years: Iterable[int]) -> str:
    """The published file, in Följa's one CSV convention (folja.core.csv_writer): `;`, decimal
    comma, CRLF, UTF-8 with BOM; a suppressed cell is "..", a missing figure empty."""
    rows = ([row.get(c) for c in COLUMNS] for row in open_data_rows(years=years))
    return csv_text(COLUMNS, rows)
