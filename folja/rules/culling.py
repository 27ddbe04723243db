"""Culling (gallring) of a person's file, each act by its own rule.

**SoL** (bistånd, here ledsagning): the socialtjänstlag (2001:453) 12 kap. 1 § says that notes
and other entries in a personakt held by the social welfare board *shall be culled five years
after the last entry was made in the file*, and that the culling *shall be finished at the
latest in the calendar year after* the duty arose (wording of SFS 2003:135). 12 kap. 2 § lists
what may not be culled under 1 §, and for the needs of research keeps a representative sample;
socialtjänstförordningen (2001:937) 7 kap. 2 § names the sample: persons born on the 5th, 15th
or 25th of a month. From 2025-07-01 the new socialtjänstlag (2025:400) replaces the act and
carries the rule over under new section numbers; the reference is therefore dated data
(`CULLING_RULES`), like `guidelines.LegalBasis`, and a culling names the provision in force on
its day.

**LSS** (ledsagarservice, LSS 9 § 3): the lag (1993:387) om stöd och service till vissa
funktionshindrade has rules on documentation (21 a–21 b §§), but no culling rule for the
municipality's own files: the culling
rules it has (23 c–23 f §§, SFS 2007:1313 and 2019:55) are for personakter kept by a private
provider (enskild verksamhet). Without a rule in law, the archive act decides: the
municipality's allmänna handlingar are part of the national cultural heritage and are kept
(bevaras); they may be culled only under a rule in law or a decision of the archive authority
(arkivlagen 1990:782, 3 and 10 §§). The municipalities' archive advice for social services
(SKR/Samrådsgruppen, "Bevara eller gallra" nr 5) treats LSS as an area of its own.
So LSS documentation is never culled by this rule, whatever its age.

**A file with both** (a person granted ledsagning under SoL and ledsagarservice under LSS):
SoL 12 kap. 1 § binds the entries that belong to SoL, not the file as such, and it binds
("ska gallras"); nothing in LSS or the archive act lets the municipality cull the LSS entries.
So the SoL part is culled on the SoL clock — five years after the last entry in the file —
and the LSS part, with what identifies the person and cannot be told apart by act (name,
personnummer, address, representatives, feedback), is kept.

Sources read: SFS 2003:135 (SoL 12 kap. 1–2 §§, Karnov Open); SFS 2007:1313
and 2019:55 (LSS 23 c–23 d §§, enskild verksamhet); arkivlagen (1990:782); Malmö stad,
"Soctanterna" on socialtjänstförordningen 7 kap. 2 § (5th, 15th, 25th); SKR/Samrådsgruppen,
"Bevara eller gallra" nr 5; prop. 2024/25:89 (the new act from 2025-07-01). See
docs/culling.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

RESEARCH_BIRTH_DAYS = frozenset({5, 15, 25})
RETENTION_YEARS = 5


class Act(StrEnum):
    SOL = "SoL"
    LSS = "LSS"


class Scope(StrEnum):
    """What a culling removes."""

    WHOLE_FILE = "whole_file"  # SoL only: the file goes, the pseudonymous facts stay
    SOL_PART = "sol_part"  # SoL and LSS: the SoL entries go, the LSS part and identity stay


@dataclass(frozen=True)
class CullingRule:
    act: Act
    reference: str
    valid_from: date
    valid_to: date | None
    # None: the documentation is kept (bevaras), never culled by the municipality.
    retention_years: int | None
    research_birth_days: frozenset[int] = frozenset()

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def culls(self) -> bool:
        return self.retention_years is not None


CULLING_RULES: tuple[CullingRule, ...] = (
    CullingRule(
        act=Act.SOL,
        reference="SoL (2001:453) 12 kap. 1–2 §§, SoF (2001:937) 7 kap. 2 §",
        valid_from=date(2002, 1, 1),
        valid_to=date(2025, 6, 30),
        retention_years=RETENTION_YEARS,
        research_birth_days=RESEARCH_BIRTH_DAYS,
    ),
    CullingRule(
        act=Act.SOL,
        # The new act keeps the five years and the research sample; its section numbers are
        # not repeated here until checked against SFS 2025:400 itself.
        reference="SoL (2025:400), gallring av personakt",
        valid_from=date(2025, 7, 1),
        valid_to=None,
        retention_years=RETENTION_YEARS,
        research_birth_days=RESEARCH_BIRTH_DAYS,
    ),
    CullingRule(
        act=Act.LSS,
        reference="LSS (1993:387) 21 a–21 b §§; arkivlagen (1990:782) 3, 10 §§: bevaras",
        valid_from=date(1994, 1, 1),
        valid_to=None,
        retention_years=None,
    ),
)


class NoCullingRule(LookupError):
    """No rule for this act on this day (a gap in the reference data, not a legal answer)."""


def culling_rule(act: str, on: date, rules: tuple[CullingRule, ...] = CULLING_RULES) -> CullingRule:
    for rule in rules:
        if rule.act == act and rule.in_force(on):
            return rule
    raise NoCullingRule(f"{act} {on.isoformat()}")


def culling_scope(acts: set[str] | frozenset[str]) -> Scope | None:
    """What may be culled from a file holding documentation under `acts`.

    A file with no application or decision at all holds only what the social welfare board
    registered, which is SoL documentation. LSS alone: nothing (None). Both: the SoL part.
    """
    has_lss = Act.LSS in acts
    has_sol = Act.SOL in acts or not acts
    if not has_sol:
        return None
    return Scope.SOL_PART if has_lss else Scope.WHOLE_FILE


def is_kept_for_research(birth_date: date | None) -> bool:
    return birth_date is not None and birth_date.day in RESEARCH_BIRTH_DAYS


def culling_eligible_from(last_entry: date) -> date:
    """The day the five years since the last entry have passed and culling may start.

    An entry made on 29 February is five years old on 1 March, since the anniversary does not
    exist in a common year and the time is not complete on 28 February.
    """
    year = last_entry.year + RETENTION_YEARS
    try:
        return last_entry.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def culling_due_by(last_entry: date, birth_date: date | None) -> date | None:
    """The last day by which the SoL file must be culled, or None if it is kept for research.

    The five years end in year(last_entry) + 5; "by the end of the following calendar year"
    makes the deadline 31 December of year(last_entry) + 6.
    """
    if is_kept_for_research(birth_date):
        return None
    return date(last_entry.year + RETENTION_YEARS + 1, 12, 31)
