"""`folja recalc`: recalculate from a date with a progress bar, queue it, follow the runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from folja.ledger.models import RecalculationRun, RecalculationStatus, RecalculationTrigger


def recalc(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("recalc", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code)
    return code, out.getvalue(), err.getvalue()


def test_it_recalculates_from_a_date_and_says_what_changed(cancellation):
    code, out, _ = recalc("--from", "2027-01-01")
    assert code == 0
    assert "Klart: 1 personer omräknade, 0 pass fick nytt resultat." in out
    run = RecalculationRun.objects.get()
    assert (run.status, run.trigger, run.done) == (
        RecalculationStatus.DONE,
        RecalculationTrigger.MANUAL,
        1,
    )


def test_it_queues_a_recalculation_for_the_worker(cancellation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        code, out, _ = recalc("--from", "2027-01-01", "--queue")
    assert code == 0
    run = RecalculationRun.objects.get()
    assert f"Omräkning {run.pk} från 2027-01-01 är köad." in out
    assert run.status == RecalculationStatus.QUEUED
    assert len(callbacks) == 1


def test_it_lists_the_latest_runs_with_their_progress(cancellation, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per run, as on a wide terminal
    recalc("--from", "2027-01-01")
    code, out, _ = recalc("--status", "--follow")
    assert code == 0
    assert "2027-01-01" in out
    assert "1/1 (100 %)" in out
    assert "Manuell omräkning" in out


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--from", "1 januari"), "from, invalid_date: '1 januari' är inte ett datum"),
        (("--from", "2027-02-30"), "from, invalid_date: '2027-02-30' är inte ett datum som finns"),
        (("--from", "0999-01-01"), "from, range: ange ett datum mellan år 1900 och 2100"),
        ((), "from, required: ange --from ÅÅÅÅ-MM-DD eller --status"),
    ],
)
def test_bad_input_names_the_field_and_exits_2(db, args, line):
    code, _, err = recalc(*args)
    assert code == 2
    assert line in err
    assert not RecalculationRun.objects.exists()
