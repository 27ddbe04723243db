"""Legal references the statutory files cite, as reference data with validity dates.

The Social Services Act (2001:453) was replaced on 2025-07-01 by socialtjänstlag (2025:400),
whose sections are numbered differently: bistånd for livsföringen i övrigt, 4 kap. 1 § of the
old act, is 11 kap. 1 § of the new one. A file cites the reference in force on the day the
decision was made (the act the nämnd applied), so a decision from before the change keeps the
old reference in the months after it (docs/statutory-reports.md). LSS is not renumbered.

Each entry: (purpose, reference, valid_from, valid_to or None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SOL_ASSISTANCE = "sol_assistance"  # bistånd: ledsagning under SoL
LSS_ESCORT = "lss_escort"  # ledsagarservice, LSS 9 § 3
# The duty to report decisions not carried out to IVO. The new act keeps the duty; the section
# number is not cited here until checked against SFS 2025:400 itself (docs/statutory-reports.md).
SOL_NOT_CARRIED_OUT = "sol_not_carried_out"
LSS_NOT_CARRIED_OUT = "lss_not_carried_out"  # LSS 28 f §, not renumbered


@dataclass(frozen=True)
class LegalReference:
    purpose: str
    reference: str
    valid_from: date
    valid_to: date | None

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


LEGAL_REFERENCES: tuple[LegalReference, ...] = (
    LegalReference(SOL_ASSISTANCE, "SoL 4 kap. 1 §", date(2002, 1, 1), date(2025, 6, 30)),
    LegalReference(SOL_ASSISTANCE, "SoL (2025:400) 11 kap. 1 §", date(2025, 7, 1), None),
    LegalReference(LSS_ESCORT, "LSS 9 § 3", date(1994, 1, 1), None),
    LegalReference(SOL_NOT_CARRIED_OUT, "SoL 16 kap. 6 f §", date(2002, 1, 1), date(2025, 6, 30)),
    LegalReference(
        SOL_NOT_CARRIED_OUT,
        "SoL (2025:400), rapportering av ej verkställda beslut",
        date(2025, 7, 1),
        None,
    ),
    LegalReference(LSS_NOT_CARRIED_OUT, "LSS 28 f §", date(2008, 7, 1), None),
)


class NoReference(LookupError):
    """No reference for the purpose is in force on the day (a gap in the reference data)."""


def reference_on(purpose: str, day: date) -> str:
    """The reference for `purpose` in force on `day`."""
    for entry in LEGAL_REFERENCES:
        if entry.purpose == purpose and entry.in_force(day):
            return entry.reference
    raise NoReference(f"no legal reference for {purpose} on {day.isoformat()}")


def references(purpose: str) -> tuple[str, ...]:
    """Every reference `purpose` has had: the code list a file's lagrum field is checked
    against."""
    return tuple(e.reference for e in LEGAL_REFERENCES if e.purpose == purpose)
