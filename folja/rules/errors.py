"""Named exceptions of the rules engine.

Callers catch these by name (cosmicpython style): the web layer turns them into messages or
reason codes, `folja calc` turns `ScenarioError` into exit status 2.
"""

from __future__ import annotations

from typing import Any

_MAX_VALUE_CHARS = 80


class _Missing:
    """The value of a field that is not there at all (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


class RulesError(Exception):
    """Base class: every error the rules raise on purpose derives from this."""


class ScenarioError(RulesError):
    """A `folja calc` scenario is invalid; `field` is a path such as `sessions[1].status`."""

    def __init__(self, field: str, value: Any, message: str) -> None:
        self.field = field
        self.value = value
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        # One line, always naming the field and the value, so an auditor can find the fault.
        message = " ".join(str(self.message).split())
        if self.value is MISSING:
            return f"{self.field}: {message}"
        shown = repr(self.value)
        if len(shown) > _MAX_VALUE_CHARS:
            shown = shown[: _MAX_VALUE_CHARS - 3] + "..."
        return f"{self.field}: {message} (value: {shown})"


class InvalidPersonnummer(RulesError, ValueError):
    """A text is not a valid personnummer or samordningsnummer."""


class UnknownRate(RulesError, LookupError):
    """No LOV rate is known for a year and regi in which a payable minute falls."""

    def __init__(self, year: int, regi: str) -> None:
        self.year = year
        self.regi = regi
        super().__init__(f"no rate for year {year}, regi {regi}")


class InvalidSession(RulesError, ValueError):
    """A session report cannot be evaluated (e.g. it ends before it starts)."""


class InvalidDecision(RulesError, ValueError):
    """A decision cannot be evaluated (e.g. valid_to before valid_from)."""


class ExceedsGrant(RulesError):
    """A session does not fit in what remains of its period.

    The engine itself flags (`exceeds_grant`) rather than raises, because a flagged session is
    still recorded and its excess awaits a caseworker's approval; services that must refuse
    such a session outright raise this with the figures needed to explain why.
    """

    def __init__(self, session_id: str, charged_minutes: int, payable_minutes: int) -> None:
        self.session_id = session_id
        self.charged_minutes = charged_minutes
        self.payable_minutes = payable_minutes
        super().__init__(
            f"session {session_id}: {charged_minutes} minutes charged but only "
            f"{payable_minutes} fit in the period's remaining grant"
        )
