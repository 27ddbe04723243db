"""Shared state of one seeding run: the random generator, the fixed "today", reference data
looked up once, and the rows collected so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from folja.core.seed.config import Scale
from folja.core.seed.writer import Row, Tables
from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea


@dataclass
class Staff:
    caseworkers: dict[int, list[int]] = field(default_factory=dict)  # district id → user ids
    unit_managers: dict[int, int] = field(default_factory=dict)


@dataclass
class ProviderInfo:
    id: int
    regi: str
    weight: float
    serves: str  # "stockholm", a municipality name, or "national" (chains)
    escort_ids: list[int] = field(default_factory=list)


@dataclass
class Ctx:
    scale: Scale
    years: int
    seed: int
    today: date
    rng: random.Random
    tables: Tables = field(default_factory=Tables)
    districts: list[Row] = field(default_factory=list)
    district_profile: dict[int, object] = field(default_factory=dict)
    providers: list[ProviderInfo] = field(default_factory=list)
    staff: Staff = field(default_factory=Staff)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    life_areas: list[int] = field(default_factory=list)
    guidelines: list[GuidelineVersion] = field(default_factory=list)
    pnrs: set[str] = field(default_factory=set)
    pseudonyms: set[str] = field(default_factory=set)
    provider_pools: dict[str, tuple[list[ProviderInfo], list[float]]] = field(default_factory=dict)
    _provider_by_id: dict[int, ProviderInfo] = field(default_factory=dict)

    def provider_by_id(self) -> dict[int, ProviderInfo]:
        if len(self._provider_by_id) != len(self.providers):
            self._provider_by_id = {p.id: p for p in self.providers}
        return self._provider_by_id

    @property
    def start(self) -> date:
        return date(self.today.year - self.years, self.today.month, 1)

    @property
    def created_at(self) -> datetime:
        # A fixed creation time keeps the rows identical between runs with the same --today.
        return datetime.combine(self.today, time(6, 0))

    def load_reference(self) -> None:
        self.legal_bases = list(LegalBasis.objects.order_by("valid_from"))
        self.life_areas = list(LifeArea.objects.filter(active=True).values_list("pk", flat=True))
        self.guidelines = list(GuidelineVersion.objects.order_by("valid_from"))

    def legal_basis(self, act: str, on: date) -> LegalBasis:
        match = [
            b
            for b in self.legal_bases
            if b.act == act and b.valid_from <= on and (b.valid_to is None or b.valid_to >= on)
        ]
        return match[-1] if match else [b for b in self.legal_bases if b.act == act][-1]

    def guideline(self, on: date) -> GuidelineVersion:
        from folja.ledger.guidelines import GuidelineVersions  # seeding sits above the ledger

        return GuidelineVersions(self.guidelines).require(on)

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))
