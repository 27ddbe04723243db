"""Running test code in several threads at once, as concurrent requests or imports do."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection


def run_at_once(target: Callable[[int], object], count: int) -> list[BaseException]:
    """`target(n)` for each n below `count`, each in a thread of its own, all started before
    any is joined. Returns what they raised, for the test to assert empty: an exception in a
    thread would otherwise only be printed. Each thread closes its own database connection
    when it ends, or the flush that ends a transactional test waits for it."""
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            target(n)
        except BaseException as exc:  # re-raised by the test's assertion in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
