"""Writes from the accessible pages: the person's own choice of format."""

from __future__ import annotations

from django.db import transaction

from folja.audit.services import audit_record
from folja.people.models import BrailleGrade, Person, PreferredFormat


class PreferenceError(ValueError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


@transaction.atomic
def format_preferences_set(
    *, user, person: Person, preferred_format: str, braille_grade: str
) -> Person:
    """The person (or their representative) chooses the format of their letters and their
    braille grade; both are kept on the person, where the caseworker sees them."""
    if preferred_format not in PreferredFormat.values:
        raise PreferenceError("preferred_format", "invalid_choice", "okänt format")
    if braille_grade not in BrailleGrade.values:
        raise PreferenceError("braille_grade", "invalid_choice", "okänd punktskrift")
    before = {"preferred_format": person.preferred_format, "braille_grade": person.braille_grade}
    person.preferred_format = preferred_format
    person.braille_grade = braille_grade
    person.save(update_fields=["preferred_format", "braille_grade"])
    audit_record(
        user=user,
        action="format_preferences_set",
        obj=person,
        person=person,
        details={
            "before": before,
            "preferred_format": preferred_format,
            "braille_grade": braille_grade,
        },
    )
    return person
