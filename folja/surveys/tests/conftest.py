import pytest


@pytest.fixture(autouse=True)
def _question_bank(request):
    """Browser tests elsewhere flush the database, and with it the bank that migration 0002
    loaded; every survey test that uses the database starts with the bank in place, as a
    deployed database has it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    from folja.surveys.services import question_bank_ensure

    live = {"live_server", "transactional_db"} & set(request.fixturenames)
    transactional = bool(live) or marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    question_bank_ensure()
