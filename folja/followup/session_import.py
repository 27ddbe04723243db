"""`folja import sessions FILE.csv`: historical sessions through the delivery area's import.

The file has the provider import's columns (external_id, personnummer, order_id, escort_id,
start, end, status, cancelled_at, escorts). The delivery service
`folja.delivery.services.sessions_import` validates, verifies with the rules engine and stores
them per provider; since a migration file spans providers, each row's provider is taken from
its order, the rows are imported provider by provider inside one transaction (all-or-nothing
across the whole file), and the service's row numbers are mapped back to the file's (header =
row 1). The follow-up roll-up of every person in the file is refreshed afterwards. The rows'
times pass the service's one shared check (the window 1900–2100, nothing executed or no-show
before it began, no cancellation after the import); each error keeps the service's code.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from folja.delivery.services import IMPORT_COLUMNS, ImportRejected, sessions_import
from folja.followup.imports import ImportFailed, RowError, read_csv, row_number
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person
from folja.providers.models import Order, Provider
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer


def _order_id(text: str) -> int | None:
    """An order id as the database can hold it: ASCII digits only (`"²".isdigit()` is true but
    `int("²")` fails), at most 18 of them (a bigint)."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


@transaction.atomic
def import_sessions(*, text: str | bytes, user=None) -> int:
    rows, errors = read_csv(text, IMPORT_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    order_ids = {_order_id(r.get("order_id", "")) for r in rows} - {None}
    provider_of = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "provider_id"))
    groups: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for r in rows:
        file_row = row_number(r)
        order_id = _order_id(r.get("order_id", ""))
        if order_id not in provider_of:
            errors.append(RowError(file_row, "order_id", _("okänd beställning"), "unknown_order"))
            continue
        groups[provider_of[order_id]].append((file_row, {k: r.get(k, "") for k in IMPORT_COLUMNS}))
    if errors:
        raise ImportFailed(errors)
    providers = Provider.objects.in_bulk(list(groups))
    for provider_id, items in sorted(groups.items()):
        try:
            sessions_import(user=user, provider=providers[provider_id], rows=[r for _i, r in items])
        except ImportRejected as exc:
            for e in exc.errors:
                file_row = items[e.row - 1][0] if 1 <= e.row <= len(items) else 0
                errors.append(RowError(file_row, e.field, e.message, e.code))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.field)))
    numbers = set()
    for r in rows:
        try:
            numbers.add(parse_personnummer(r["personnummer"]).normalized)
        except InvalidPersonnummer:
            numbers.add(r["personnummer"])
    person_ids = list(Person.objects.filter(personnummer__in=numbers).values_list("pk", flat=True))
    person_figures_changed(person_ids=person_ids)
    return len(rows)
