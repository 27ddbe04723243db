from __future__ import annotations

from datetime import datetime

import pytest
import time_machine


@pytest.fixture
def frozen_clock():
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=False):
        yield
