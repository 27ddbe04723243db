"""Synthetic persons: who they are, where they live, who represents them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from folja.core.seed import names
from folja.core.seed.config import LSS_SHARE, USE_PROPENSITY_MEAN, WOMEN_SHARE
from folja.core.seed.context import Ctx, ProviderInfo
from folja.core.seed.writer import Row
from folja.people.models import Person, Representative
from folja.rules.luhn import make_personnummer


@dataclass
class Special:
    """Overrides that make the demo accounts' persons show something on every page."""

    district_id: int
    provider_id: int
    act: str = "LSS"
    hours: float = 12.0
    female: bool = True
    age: int = 34


@dataclass
class PersonPlan:
    row: Row
    act: str
    age_at_start: int
    need: float  # 1..7, the person's general level of need (drives ratings and hours)
    propensity: float  # how much of the grant the person tends to use
    provider: ProviderInfo
    escort_id: int | None
    special: Special | None = None
    decisions: list[Row] = field(default_factory=list)


def _age(rng) -> int:
    r = rng.random()
    if r < 0.10:
        return rng.randint(7, 17)  # children (LSS, with guardians)
    if r < 0.72:
        return rng.randint(18, 64)
    return rng.randint(65, 92)


def _act(rng, age: int) -> str:
    if age < 18:
        return "LSS" if rng.random() < 0.9 else "SoL"
    if age >= 65:
        # LSS ledsagarservice can continue past 65 but cannot be granted anew for age-related
        # needs: most older persons have SoL ledsagning.
        return "LSS" if rng.random() < 0.15 else "SoL"
    return "LSS" if rng.random() < LSS_SHARE + 0.1 else "SoL"


def _pseudonym(ctx: Ctx, index: int) -> str:
    # Deterministic but random-looking, and carrying nothing of the person.
    salt = 0
    while True:
        digest = hashlib.sha256(f"folja-seed:{ctx.seed}:{index}:{salt}".encode()).hexdigest()
        value = f"P{digest[:11].upper()}"
        if value not in ctx.pseudonyms:
            ctx.pseudonyms.add(value)
            return value
        salt += 1


def _personnummer(ctx: Ctx, birth: date, female: bool) -> str:
    coordination = ctx.rng.random() < 0.01
    while True:
        serial = ctx.rng.randint(0, 499) * 2 + (0 if female else 1)  # even: women, odd: men
        serial = serial or 998  # 000 is never issued; mapping it keeps the random stream as is
        pnr = make_personnummer(birth, serial, coordination=coordination)
        if pnr not in ctx.pnrs:
            ctx.pnrs.add(pnr)
            return pnr


def choose_provider(ctx: Ctx, district: Row) -> ProviderInfo:
    municipality = district["municipality"]
    if municipality not in ctx.provider_pools:
        if municipality == "Stockholm":
            pool = [p for p in ctx.providers if p.serves == "stockholm"]
        else:
            pool = [p for p in ctx.providers if p.serves in (municipality, "national")]
        ctx.provider_pools[municipality] = (pool, list(accumulate(p.weight for p in pool)))
    pool, cumulative = ctx.provider_pools[municipality]
    return ctx.rng.choices(pool, cum_weights=cumulative)[0]


def make_person(
    ctx: Ctx, index: int, district_weights: list[float], special: Special | None = None
) -> PersonPlan:
    rng = ctx.rng
    if special:
        district = next(d for d in ctx.districts if d["id"] == special.district_id)
        female, age, act = special.female, special.age, special.act
    else:
        district = rng.choices(ctx.districts, cum_weights=district_weights)[0]
        female = rng.random() < WOMEN_SHARE
        age = _age(rng)
        act = _act(rng, age)
    birth = ctx.start - timedelta(days=age * 365 + rng.randint(0, 364))
    first = rng.choice(names.WOMEN if female else names.MEN)
    last = rng.choice(names.LAST)
    r = rng.random()
    protected = "none"
    if not special and r < 0.012:
        protected = rng.choice(("confidentiality_mark", "protected_registration", "fictitious"))
    language = rng.choices(names.LANGUAGES, weights=names.LANGUAGE_WEIGHTS)[0]
    fmt = rng.choices(
        ("standard", "plain", "pictogram", "braille", "daisy"), weights=(70, 15, 8, 3, 4)
    )[0]
    hidden = protected in ("protected_registration", "fictitious")
    row = ctx.tables.add(
        Person,
        {
            "personnummer": _personnummer(ctx, birth, female),
            "first_name": first,
            "last_name": last,
            "birth_date": birth,
            "sex": "female" if female else "male",
            "district_id": district["id"],
            # Protected registration: the real address is not in the file at all.
            "address": "" if hidden else f"{rng.choice(names.STREETS)} {rng.randint(1, 80)}",
            "postal_code": ""
            if hidden
            else f"1{rng.randint(0, 9)}{rng.randint(0, 9)} {rng.randint(10, 99)}",
            "city": "" if hidden else district["municipality"],
            "phone": ""
            if hidden
            else f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": "",
            "language": language,
            "preferred_format": fmt,
            # Half of those who read braille read kortskrift (no draw: the stream stays the same).
            "braille_grade": "contracted" if fmt == "braille" and index % 2 else "uncontracted",
            "protected_identity": protected,
            "pseudonym": _pseudonym(ctx, index),
            "created_at": ctx.created_at,
        },
    )
    if special:
        provider = next(p for p in ctx.providers if p.id == special.provider_id)
    else:
        provider = choose_provider(ctx, district)
    need = min(7.0, max(1.0, rng.gauss(4.2, 1.1)))
    propensity = min(1.2, max(0.2, rng.gauss(USE_PROPENSITY_MEAN, 0.2)))
    plan = PersonPlan(
        row=row,
        act=act,
        age_at_start=age,
        need=need,
        propensity=propensity,
        provider=provider,
        escort_id=rng.choice(provider.escort_ids) if provider.escort_ids else None,
        special=special,
    )
    _representatives(ctx, plan)
    return plan


def _representatives(ctx: Ctx, plan: PersonPlan) -> None:
    rng = ctx.rng
    if plan.special:
        return
    if plan.age_at_start < 18:
        kind = "guardian"
    elif rng.random() < 0.10:
        kind = rng.choice(("god_man", "god_man", "forvaltare"))
    else:
        return
    ctx.tables.add(
        Representative,
        {
            "person_id": plan.row["id"],
            "kind": kind,
            "name": f"{rng.choice(names.WOMEN + names.MEN)} {rng.choice(names.LAST)}",
            "phone": f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": "",
            "active": True,
            "valid_from": ctx.start - timedelta(days=rng.randint(0, 2000)),
        },
    )


def name_protected_staff(ctx: Ctx, plan: PersonPlan) -> None:
    """Protected identity: the district's first caseworker is the named staff member."""
    if plan.row["protected_identity"] == "none":
        return
    staff = ctx.staff.caseworkers.get(plan.row["district_id"])
    if staff:
        ctx.tables.add(
            Person.named_staff.through, {"person_id": plan.row["id"], "user_id": staff[0]}
        )
