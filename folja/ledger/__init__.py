"""The ledger: the one bridge from database rows to the rules engine (folja/rules).

Only this package turns decisions, dated guideline versions, LOV rates, sessions and claims into
the engine's inputs, runs the engine for the application and stores its answers. Services,
selectors, views, the API, payments, follow-up, reports and the simulation read their figures
from here (DESIGN.md "Architecture"): a figure shown in two places is the same figure.
"""
