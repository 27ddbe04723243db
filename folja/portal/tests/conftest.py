from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Receipts are written to disk; keep them out of var/.
    settings.MEDIA_ROOT = tmp_path / "media"
