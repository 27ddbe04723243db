"""Scales and calibration figures for the synthetic data.

Figures cite /work/shared/FACTS.md (the seed documents). Where FACTS.md has no figure (hours per
decision per district, typical hours for SoL vs LSS), the value is illustrative and says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictProfile:
    code: str
    name: str
    # Share of decisions rejected or partly rejected. FACTS.md table (seed report 004, 2011)
    # for the seven districts it names; the others get illustrative values in between.
    rejection_share: float
    # Multiplier on granted hours per decision. Illustrative: FACTS.md only says districts
    # differ; stricter districts (higher rejection share) are given fewer hours too.
    hours_factor: float
    # Relative caseload (persons); Skärholmen had 146 persons in January 2017 (FACTS.md).
    weight: float


STOCKHOLM_DISTRICTS: tuple[DistrictProfile, ...] = (
    DistrictProfile("EAV", "Enskede-Årsta-Vantör", 0.25, 1.00, 1.35),
    DistrictProfile("HL", "Hägersten-Liljeholmen", 0.20, 1.05, 1.10),
    DistrictProfile("HV", "Hässelby-Vällingby", 0.43, 0.80, 1.25),
    DistrictProfile("KH", "Kungsholmen", 0.08, 1.25, 0.70),
    DistrictProfile("BR", "Bromma", 0.42, 0.82, 0.80),
    DistrictProfile("FA", "Farsta", 0.30, 0.95, 1.10),
    DistrictProfile("OM", "Östermalm", 0.19, 1.10, 0.55),
    # Not in the seed report's table: illustrative, between the extremes above.
    DistrictProfile("SH", "Skärholmen", 0.27, 0.95, 1.00),
    DistrictProfile("SO", "Södermalm", 0.22, 1.05, 1.20),
    DistrictProfile("NM", "Norrmalm", 0.18, 1.10, 0.60),
    DistrictProfile("RK", "Rinkeby-Kista", 0.33, 0.90, 1.05),
    DistrictProfile("ST", "Spånga-Tensta", 0.31, 0.90, 0.85),
    DistrictProfile("AL", "Älvsjö", 0.24, 1.00, 0.55),
    DistrictProfile("SK", "Skarpnäck", 0.26, 0.98, 0.80),
)

# demo: three districts with clearly different practice (8 %, 25 %, 43 % in FACTS.md), so the
# equality pages show a difference even in a small city. Enskede-Årsta-Vantör holds the demo
# person and the demo caseworker.
DEMO_DISTRICT_CODES = ("EAV", "KH", "HV")


@dataclass(frozen=True)
class Scale:
    name: str
    persons: int
    default_years: int
    districts: tuple[str, ...] | None  # district codes; None = all of Stockholm's 14
    other_municipalities: int  # national: one district per other municipality
    providers: int
    caseworkers_per_district: int


SCALES: dict[str, Scale] = {
    "demo": Scale("demo", 60, 2, DEMO_DISTRICT_CODES, 0, 6, 2),
    "city": Scale("city", 4000, 5, None, 0, 40, 3),
    # FACTS.md: Sweden has 290 municipalities; Stockholm's 14 districts + 289 others.
    "national": Scale("national", 25000, 5, None, 289, 120, 1),
}

# Share of women among persons granted the service: 60 % (FACTS.md, seed 000).
WOMEN_SHARE = 0.60
# Illustrative (FACTS.md: "typical hours per month for SoL vs LSS" not found).
BASE_HOURS = {"SoL": 10.0, "LSS": 16.0}
LSS_SHARE = 0.45
# Hours per decision fell over the years while decisions rose (FACTS.md, seed 004).
HOURS_TREND_PER_YEAR = -0.03
# Yearly chance that a person's chain of decisions ends (moves, dies, no longer needs it):
# illustrative, chosen so a five-year city has ≈4,000 persons with ≈2,500 active at a time.
YEARLY_EXIT = 0.13
# Usage: propensity and illness give an execution rate of ≈64 % under `monthly` (FACTS.md,
# seed 004) and slightly higher under `flex3` (seed 002).
USE_PROPENSITY_MEAN = 0.88
ILLNESS_MONTHLY_PROB = 0.12
# Seasonality of demand by month (Jan..Dec), illustrative: summer and December higher.
SEASONALITY = (0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.1, 1.0, 1.0, 0.95, 1.1)
