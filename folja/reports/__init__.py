"""Statutory reports: the files the municipality sends to Socialstyrelsen (the LSS register,
the monthly SoL register) and the cost per person (KPB), all read from the ledger
(docs/statutory-reports.md)."""
