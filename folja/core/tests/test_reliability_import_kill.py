"""An import killed with SIGKILL halfway leaves nothing stored; running it again stores every
row exactly once, and a third run changes nothing.

The import runs in its own process (`folja shell -c`, calling the providers' `sessions_import`
service, the same one `folja import sessions` and the API use), and is killed once PostgreSQL
shows its still-open transaction has written (it has a transaction id)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from folja.accounts.models import Role
from folja.delivery.models import Session
from folja.testing.factories import OrderFactory, make_user

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000
DRIVER = """
import json, sys
from folja.accounts.models import User
from folja.delivery.services import sessions_import
user = User.objects.get(pk={user})
rows = json.load(open({path!r}))
result = sessions_import(user=user, provider=user.provider, rows=rows)
print("created", result.created, "unchanged", result.unchanged)
"""


def _env() -> dict[str, str]:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    url = f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url}


def _admin_conn():
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        dbname=s["NAME"],
        autocommit=True,
    )


def _run(driver: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "folja", "shell", "-c", driver],
        env=_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_halfway_stores_nothing_and_a_rerun_stores_everything_once(
    tmp_path,
):
    order = OrderFactory()
    user = make_user(Role.PROVIDER_ADMIN, provider=order.provider)
    # Odd hours only: 02:00 on the last Sunday of March does not exist in Stockholm (the
    # database would store it as 03:00), and the test is about kills, not DST.
    first = datetime(2024, 2, 15, 9, 0)
    rows = [
        {
            "external_id": f"kill-{i}",
            "personnummer": order.person.personnummer,
            "order_id": order.pk,
            "start": (first + timedelta(hours=2 * i)).isoformat(timespec="minutes"),
            "end": (first + timedelta(hours=2 * i, minutes=50)).isoformat(timespec="minutes"),
            "status": "executed",
            "escorts": 1,
        }
        for i in range(ROWS)
    ]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    driver = DRIVER.format(user=user.pk, path=str(path))

    proc = _run(driver)
    killed_after_write = False
    with _admin_conn() as admin:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            # backend_xid is assigned at a transaction's first write: the import has stored
            # sessions, uncommitted, when its backend has one.
            row = admin.execute(
                "SELECT state, query FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                "AND datname = current_database() AND backend_xid IS NOT NULL"
            ).fetchone()
            if row is not None:
                os.kill(proc.pid, signal.SIGKILL)
                killed_after_write = True
                break
            time.sleep(0.02)
    proc.wait(timeout=30)
    assert killed_after_write, "the import finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    # PostgreSQL notices the dead client and rolls its transaction back.
    assert Session.objects.filter(provider=order.provider).count() == 0

    rerun = _run(driver)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert Session.objects.filter(provider=order.provider).count() == ROWS
    assert Session.objects.values("external_id").distinct().count() == ROWS

    again = _run(driver)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"unchanged {ROWS}" in out
    assert Session.objects.filter(provider=order.provider).count() == ROWS
