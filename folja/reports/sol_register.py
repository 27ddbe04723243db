"""The monthly SoL register (HSLF-FS 2016:86): by the 15th, the decisions on ledsagning (bistånd
under the Social Services Act) in force on the last day of the month before (annex 1), and the
decisions that started or ended during that month (annex 2).

The decisions are the ledger's granting decisions under SoL (folja.ledger.decisions): not
rejected, not replaced on reconsideration or appeal. A decision starts on its first valid day
and ends on its last. Each record cites the legal reference in force on the day the decision
was made (folja.reports.legal_references): "SoL 4 kap. 1 §" up to 2025-06-30, the new act's
11 kap. 1 § from 2025-07-01.

One file, two record types, `;`-separated (docs/statutory-reports.md has the table):
  1;kommunkod;period;personnummer;insats;lagrum;beslutsdatum;gäller från;timmar per månad
  2;kommunkod;period;personnummer;insats;lagrum;beslutsdatum;händelse (P/A);datum
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from folja.ledger.decisions import granting_decisions
from folja.reports.files import (
    InvalidFile,
    Problem,
    Progress,
    file_personnummer,
    render,
    split_records,
    valid_personnummer,
)
from folja.reports.kommunkoder import MUNICIPALITY_CODES, municipality_code
from folja.reports.legal_references import SOL_ASSISTANCE, reference_on, references
from folja.reports.lss_register import UnknownMunicipality

INSATS = "ledsagning"
ONGOING, EVENT = "1", "2"
STARTED, ENDED = "P", "A"

FIELDS_ONGOING = (
    "posttyp",
    "kommunkod",
    "period",
    "personnummer",
    "insats",
    "lagrum",
    "beslutsdatum",
    "galler_fran",
    "timmar_per_manad",
)
FIELDS_EVENT = (
    "posttyp",
    "kommunkod",
    "period",
    "personnummer",
    "insats",
    "lagrum",
    "beslutsdatum",
    "handelse",
    "datum",
)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _day(value: date) -> str:
    return f"{value:%Y%m%d}"


def _hours(value: Decimal) -> str:
    # At most two decimals, a decimal comma, no trailing zeros ("10", "7,5").
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text.replace(".", ",")


@dataclass(frozen=True)
class SolRecord:
    kind: str  # ONGOING or EVENT
    decision_id: int
    person_id: int
    fields: tuple[str, ...]


def sol_records(month: date, *, progress: Progress | None = None) -> list[SolRecord]:
    """The month's records: annex 1 then annex 2, each ordered by municipality, personnummer
    and decision."""
    first, last = month_bounds(month)
    period = f"{first:%Y%m}"
    decisions = (
        granting_decisions()
        .filter(legal_basis__act="SoL", valid_from__lte=last, valid_to__gte=first)
        .select_related("person__district")
        .only(
            "pk",
            "person_id",
            "decided_on",
            "valid_from",
            "valid_to",
            "hours_per_month",
            "person__personnummer",
            "person__district__municipality",
        )
        .order_by("pk")
    )
    ongoing: list[SolRecord] = []
    events: list[SolRecord] = []
    unknown: set[str] = set()
    total = decisions.count()
    for done, d in enumerate(decisions.iterator(chunk_size=2000), start=1):
        code = municipality_code(d.person.district.municipality)
        if code is None:
            unknown.add(d.person.district.municipality)
            continue
        head = (
            code,
            period,
            file_personnummer(d.person.personnummer, on=last),
            INSATS,
            reference_on(SOL_ASSISTANCE, d.decided_on),
            _day(d.decided_on),
        )
        if d.valid_from <= last <= d.valid_to:
            ongoing.append(
                SolRecord(
                    ONGOING,
                    d.pk,
                    d.person_id,
                    (ONGOING, *head, _day(d.valid_from), _hours(d.hours_per_month)),
                )
            )
        if first <= d.valid_from <= last:
            events.append(
                SolRecord(EVENT, d.pk, d.person_id, (EVENT, *head, STARTED, _day(d.valid_from)))
            )
        if first <= d.valid_to <= last:
            events.append(
                SolRecord(EVENT, d.pk, d.person_id, (EVENT, *head, ENDED, _day(d.valid_to)))
            )
        if progress is not None and done % 500 == 0:
            progress(done, total)
    if unknown:
        raise UnknownMunicipality(sorted(unknown))
    if progress is not None:
        progress(total, total)

    def order(r: SolRecord):
        return (r.fields[1], r.fields[3], r.decision_id, r.fields[7])

    return sorted(ongoing, key=order) + sorted(events, key=order)


def sol_file(records: list[SolRecord], *, month: date) -> bytes:
    data = render(r.fields for r in records)
    problems = validate_sol_file(data, month=month)
    if problems:
        raise InvalidFile(problems)
    return data


# --- the validator ------------------------------------------------------------------------

_DAY = re.compile(r"\d{8}")
_HOURS = re.compile(r"\d{1,3}(,\d{1,2})?")


def _valid_day(text: str) -> date | None:
    if not _DAY.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def validate_sol_file(data: bytes, *, month: date) -> list[Problem]:
    """Every way `data` breaks the layout: record types and field counts, the period, code
    lists (kommunkod, insats, lagrum, event), dates, hours, personnummer and check digit; an
    ongoing record's decision must be valid on the month's last day, an event's date must lie
    in the month, and the lagrum must be the one in force on the decision date."""
    first, last = month_bounds(month)
    records, problems = split_records(data)
    lagrum = set(references(SOL_ASSISTANCE))
    for row, fields in enumerate(records, start=1):
        kind = fields[0] if fields else ""
        names = {ONGOING: FIELDS_ONGOING, EVENT: FIELDS_EVENT}.get(kind)
        if names is None:
            problems.append(Problem(row, "posttyp", "code_list", "posttyp ska vara 1 eller 2"))
            continue
        if len(fields) != len(names):
            problems.append(
                Problem(row, "record", "field_count", f"{len(fields)} fält, ska vara {len(names)}")
            )
            continue
        value = dict(zip(names, fields, strict=True))
        if value["kommunkod"] not in MUNICIPALITY_CODES:
            problems.append(Problem(row, "kommunkod", "code_list", "okänd kommunkod"))
        if value["period"] != f"{first:%Y%m}":
            problems.append(Problem(row, "period", "wrong_period", f"ska vara {first:%Y%m}"))
        reason = valid_personnummer(value["personnummer"], on=last)
        if reason:
            problems.append(Problem(row, "personnummer", "invalid", reason))
        if value["insats"] != INSATS:
            problems.append(Problem(row, "insats", "code_list", f"ska vara {INSATS}"))
        decided = _valid_day(value["beslutsdatum"])
        if decided is None:
            problems.append(Problem(row, "beslutsdatum", "invalid_date", "ska vara ÅÅÅÅMMDD"))
        if value["lagrum"] not in lagrum:
            problems.append(Problem(row, "lagrum", "code_list", "okänt lagrum"))
        elif decided is not None and value["lagrum"] != reference_on(SOL_ASSISTANCE, decided):
            problems.append(
                Problem(row, "lagrum", "not_in_force", "lagrummet gällde inte på beslutsdagen")
            )
        if kind == ONGOING:
            since = _valid_day(value["galler_fran"])
            if since is None:
                problems.append(Problem(row, "galler_fran", "invalid_date", "ska vara ÅÅÅÅMMDD"))
            elif since > last:
                problems.append(
                    Problem(row, "galler_fran", "not_in_force", "beslutet gäller inte än")
                )
            if not _HOURS.fullmatch(value["timmar_per_manad"]):
                problems.append(
                    Problem(row, "timmar_per_manad", "invalid_number", "timmar, t.ex. 10 eller 7,5")
                )
        else:
            if value["handelse"] not in (STARTED, ENDED):
                problems.append(Problem(row, "handelse", "code_list", "ska vara P eller A"))
            on = _valid_day(value["datum"])
            if on is None:
                problems.append(Problem(row, "datum", "invalid_date", "ska vara ÅÅÅÅMMDD"))
            elif not first <= on <= last:
                problems.append(Problem(row, "datum", "outside_month", "ligger utanför månaden"))
    return problems
