"""Inputs of the simulation as plain arrays and dataclasses (no Django).

A `Population` holds one row per person: what the person is granted and the fitted parameters
of their demand. `CostParams` holds the money and administration parameters. Figures that no
public source gives are marked illustrative (`ILLUSTRATIVE`), and every output that uses them
says "exempelvärde".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

MONTHLY = "monthly"
FLEX3 = "flex3"
FREE = "free"
MODELS = (MONTHLY, FLEX3, FREE)

# Days per simulated month. Illness episodes are drawn in days and converted to a share of the
# month; a 30-day month keeps the arithmetic simple and moves no result by more than ~3 %.
DAYS_PER_MONTH = 30.0


SCALARS = ("season", "start_month", "catch_up")


@dataclass(frozen=True)
class Population:
    """One row per person. Hours are per month; rates are SEK per hour."""

    grant_hours: np.ndarray  # hours_per_month of the current decision (planning figure)
    log_mean: np.ndarray  # mu of the lognormal desired hours in a healthy, average month
    log_sd: np.ndarray  # sigma of that lognormal (month-to-month spread)
    illness_onset: np.ndarray  # probability that an illness episode starts in a month
    illness_days: np.ndarray  # mean length of an episode in days (exponential)
    late_cancel_rate: np.ndarray  # share of booked hours cancelled too late (charged)
    rate_per_hour: np.ndarray  # LOV payment per executed hour (band mix × rate, × escorts)
    expense_per_hour: np.ndarray  # expense claims (SEK) per executed hour
    season: np.ndarray = field(default_factory=lambda: np.ones(12))  # multiplier per Jan..Dec
    start_month: int = 1  # calendar month (1..12) of the first simulated month
    # Share of the hours an illness cost that the person wants to make up in the next month
    # (pent-up demand). Fitted from the months after illness; 0 means lost hours stay lost.
    catch_up: float = 0.5
    age: np.ndarray | None = None
    keys: np.ndarray | None = None  # pseudonymous keys, never names

    def __post_init__(self) -> None:
        n = len(self.grant_hours)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SCALARS or value is None:
                continue
            if len(value) != n:
                raise ValueError(f"{f.name}: expected {n} rows, got {len(value)}")
        if len(self.season) != 12:
            raise ValueError("season: expected 12 monthly multipliers")
        if not 1 <= self.start_month <= 12:
            raise ValueError("start_month: expected 1..12")

    @property
    def size(self) -> int:
        return len(self.grant_hours)

    def subset(self, index: np.ndarray) -> Population:
        def pick(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else np.asarray(a)[index]

        return replace(
            self,
            **{f.name: pick(getattr(self, f.name)) for f in fields(self) if f.name not in SCALARS},
        )

    def desired_mean(self) -> np.ndarray:
        """Expected desired hours in an average healthy month (lognormal mean)."""
        return np.exp(self.log_mean + 0.5 * self.log_sd**2)


# Parameters no public source gives (FACTS.md "Not found"): illustrative defaults that the
# analyst can change; every output lists them as "exempelvärde".
ILLUSTRATIVE = (
    "caseworker_cost_per_hour",
    "application_minutes",
    "apply_probability",
    "apply_trigger",
    "reassessment_minutes",
    "flag_review_minutes",
    "flag_share",
    "invoice_check_minutes",
    "review_minutes",
    "review_threshold",
    "allowance_per_month",
)


@dataclass(frozen=True)
class CostParams:
    caseworker_cost_per_hour: float = 650.0  # SEK incl. overhead
    application_minutes: float = 240.0  # new application for more hours: investigate + decide
    apply_probability: float = 0.3  # chance a person with much unmet demand in a period applies
    apply_trigger: float = 0.2  # unmet demand above this share of the period's grant
    reassessment_minutes: float = 180.0  # yearly reassessment per person (every model)
    flag_review_minutes: float = 15.0  # caseworker review of a session flagged exceeds_grant
    flag_share: float = 0.5  # share of over-grant months in which a session is booked and flagged
    invoice_check_minutes: float = 5.0  # per person and month with executed time
    review_minutes: float = 45.0  # free model: a follow-up review task
    review_threshold: float = 2.0  # free model: rolling 3 months above threshold × plan
    allowance_per_month: float = 300.0  # expense allowance (omkostnadsersättning), SEK
    late_cancellation_charged: bool = True

    def with_changes(self, **changes: float) -> CostParams:
        return replace(self, **changes)


METRICS = (
    "granted_hours",
    "demand_hours",
    "executed_hours",
    "late_cancelled_hours",
    "lapsed_hours",
    "unmet_hours",
    "execution_share",
    "provider_payment",
    "expense_paid",
    "admin_minutes",
    "admin_cost",
    "total_cost",
    "flagged_sessions",
    "applications",
    "review_tasks",
)
