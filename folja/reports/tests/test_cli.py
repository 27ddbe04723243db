"""The `folja report` statutory subcommands as a user meets them: the import from a file, and bad
input as `{field, code, message}` on standard error with exit status 2."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from folja.audit.models import AuditEvent
from folja.reports.models import LssSupplement
from folja.reports.tests.helpers import district, person

pytestmark = pytest.mark.django_db


def _fails(*args) -> list[dict]:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("report", *args, stderr=err, stdout=io.StringIO())
    assert exit_.value.code == 2
    return [json.loads(line) for line in err.getvalue().splitlines()]


@time_machine.travel(datetime(2026, 10, 20, 9, 0), tick=False)
def test_the_import_command_reads_a_file_and_records_who_ran_it(tmp_path):
    someone = person(district("S01"))
    path = tmp_path / "lss.csv"
    path.write_bytes(
        f"personnummer;personkrets;boende;boendekommun;insatser\n{someone.personnummer};2;;;6\n".encode()
    )
    out = io.StringIO()
    call_command("report", "lss-import", "--file", str(path), stdout=out)
    assert "1 nya" in out.getvalue()
    row = LssSupplement.objects.get(person=someone)
    assert (row.personkrets, row.services, row.source) == ("2", ["6"], "lss.csv")
    assert AuditEvent.objects.filter(action="lss_supplement_imported").exists()


def test_a_bad_import_file_is_refused_row_by_row(tmp_path):
    path = tmp_path / "lss.csv"
    path.write_bytes(b"personnummer;personkrets\n19800517-0033;9\n")
    problems = _fails("lss-import", "--file", str(path))
    assert {(p["row"], p["field"], p["code"]) for p in problems} >= {
        (2, "personkrets", "code_list")
    }
    assert _fails("lss-import", "--file", str(tmp_path / "missing.csv")) == [
        {
            "field": "file",
            "code": "not_found",
            "message": f"filen {tmp_path / 'missing.csv'} finns inte",
        }
    ]


def test_bad_months_years_quarters_and_places_are_field_errors(tmp_path):
    assert _fails("sol-register", "--month", "2026-13", "--out", str(tmp_path / "f"))[0][
        "code"
    ] == ("invalid_month")
    assert _fails("kpb", "--year", "1850", "--out", str(tmp_path / "f"))[0]["field"] == "year"
    assert _fails("kpb", "--year", "2025", "--out", str(tmp_path))[0]["code"] == "is_directory"
    assert _fails("lss-register", "--date", "2026-10-01", "--out", "/nowhere/f")[0]["code"] == (
        "no_directory"
    )
    assert (
        _fails("not-carried-out", "--year", "2026", "--quarter", "5", "--out", str(tmp_path))[0][
            "field"
        ]
        == "quarter"
    )
