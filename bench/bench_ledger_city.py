"""Every person of the `city` seed: `folja calc` on `folja scenario` equals what the application
stores and shows (issue 12, "Done means"), and each district's monthly granted and executed
minutes in the follow-up equal the sum over its persons.

Data: the page benchmark's `city` database (`folja_bench_pages`, seeded once and kept). For each
person, folja.ledger.consistency compares calc on the export with the stored session results,
the stored periods, the person page and Mina sidor. Prints the number of persons and
differences, the time per person, and as a reference measured in the same run the engine's
evaluation of the same persons alone; exits 1 on any difference.

    .venv/bin/python bench/bench_ledger_city.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench_pages import DB, ensure_database
from pgbench_db import urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="check only the first N persons")
    args, _unknown = parser.parse_known_args()
    admin, db_url = urls(DB)
    ensure_database(admin, db_url)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from rich.progress import Progress

    from folja.core.clock import today
    from folja.ledger.bridge import person_evaluation
    from folja.ledger.consistency import district_month_differences, person_differences
    from folja.people.models import Person

    on = today()
    persons = list(Person.objects.order_by("pk"))
    if args.limit:
        persons = persons[: args.limit]
    differences: list[str] = []
    began = time.perf_counter()
    with Progress() as progress:
        task = progress.add_task("calc = application", total=len(persons))
        for person in persons:
            _result, found = person_differences(person, on)
            differences += [f"person {person.pk}: {d}" for d in found]
            progress.advance(task)
    checked = time.perf_counter() - began
    began = time.perf_counter()
    for person in persons:
        person_evaluation(person=person, on=on)
    reference = time.perf_counter() - began
    months, district_diffs = (0, [])
    if not args.limit:
        months, district_diffs = district_month_differences(persons, on)

    print(f"persons checked: {len(persons)}; differences: {len(differences)}")
    print(
        f"district-months compared: {months}; differences: {len(district_diffs)}"
        + ("" if months else " (skipped with --limit)")
    )
    per_person = checked / max(len(persons), 1) * 1000
    print(
        f"check: {checked:.1f} s ({per_person:.1f} ms a person); reference, the engine alone: "
        f"{reference:.1f} s; ratio {checked / max(reference, 1e-9):.1f}×"
    )
    for line in (differences + district_diffs)[:20]:
        print(line, file=sys.stderr)
    return 1 if differences or district_diffs else 0


if __name__ == "__main__":
    sys.exit(main())
