"""Deterministic synthetic data for Följa (`folja seed`), calibrated to FACTS.md."""
