"""Följa — escort services for people with disabilities, from application to follow-up."""

__version__ = "0.1.0"
