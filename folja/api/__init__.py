"""The REST API for providers' systems, mounted at /api/v1/ (django-ninja)."""

from folja.api.main import api

__all__ = ["api"]
