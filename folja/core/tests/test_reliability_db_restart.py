"""The database restarts under request load: requests fail cleanly (503 "Tjänsten är
tillfälligt otillgänglig", never a 500 traceback) and succeed again once it is back.

Restarting the cluster disturbs every other test run on this machine, so this test is marked
slow and postgres and should be run deliberately (it is part of the full `make test`)."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from folja.accounts.models import Role
from folja.testing.factories import make_user

CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


def _can_restart() -> bool:
    return shutil.which("pg_ctlcluster") is not None and connection.settings_dict["HOST"] in (
        "127.0.0.1",
        "localhost",
        "",
    )


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_requests_during_a_database_restart_fail_cleanly_and_succeed_after():
    if not _can_restart():
        pytest.skip("needs a local PostgreSQL 15 cluster that pg_ctlcluster can restart")
    user = make_user(Role.ANALYST)
    statuses: list[int] = []
    bad_bodies: list[str] = []
    stop = threading.Event()

    def load() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        while not stop.is_set():
            for url in ("/healthz", "/"):
                response = client.get(url)
                statuses.append(response.status_code)
                if response.status_code not in (200, 302):
                    body = response.content.decode(errors="replace")
                    if response.status_code != 503 or "tillfälligt otillgänglig" not in body:
                        bad_bodies.append(f"{response.status_code}: {body[:200]}")
            time.sleep(0.01)
        connection.close()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    restart = subprocess.run(CLUSTER, capture_output=True, text=True, timeout=120)
    assert restart.returncode == 0, restart.stderr
    # Give the load a few seconds on the restarted database.
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(timeout=60)

    assert bad_bodies == []
    assert 503 in statuses, "no request hit the restart window"
    connection.close()
    after = Client(raise_request_exception=False)
    after.force_login(user)
    assert [after.get("/healthz").status_code for _ in range(5)] == [200] * 5
    # The load recovered by itself: its last requests succeeded.
    assert set(statuses[-8:]) <= {200, 302}
