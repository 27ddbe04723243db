"""Districts, staff accounts, providers and escorts: the organisation persons are spread over."""

from __future__ import annotations

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from folja.accounts.models import Role, User
from folja.core.seed import names
from folja.core.seed.config import STOCKHOLM_DISTRICTS, DistrictProfile
from folja.core.seed.context import Ctx, ProviderInfo
from folja.core.seed.municipalities import OTHER_MUNICIPALITIES
from folja.people.models import District
from folja.providers.models import AgeBand, Capacity, Escort, Provider

# Seeded staff cannot log in: only the named demo accounts get a password (demo.py).
UNUSABLE_PASSWORD = f"{UNUSABLE_PASSWORD_PREFIX}seeded-account-no-login"


def make_districts(ctx: Ctx) -> None:
    codes = ctx.scale.districts
    profiles = [p for p in STOCKHOLM_DISTRICTS if codes is None or p.code in codes]
    existing = {d.code: d for d in District.objects.all()}
    for p in profiles:
        _district(ctx, existing, p.code, p.name, "Stockholm", p)
    others = OTHER_MUNICIPALITIES[: ctx.scale.other_municipalities]
    for i, name in enumerate(others):
        # A municipality outside Stockholm: practice drawn around the city's (illustrative).
        profile = DistrictProfile(
            f"K{i + 1:03d}",
            name,
            round(min(0.5, max(0.05, ctx.rng.gauss(0.25, 0.09))), 2),
            round(min(1.4, max(0.7, ctx.rng.gauss(1.0, 0.15))), 2),
            ctx.rng.lognormvariate(0, 0.8),
        )
        _district(ctx, existing, profile.code, f"{name} kommun", name, profile)


def _district(ctx: Ctx, existing: dict, code: str, name: str, municipality: str, profile) -> None:
    if code in existing:
        # Districts survive --replace (users and the access log point at them).
        row = {"id": existing[code].pk, "code": code, "name": name, "municipality": municipality}
    else:
        row = ctx.tables.add(
            District,
            {
                "code": code,
                "name": name,
                "municipality": municipality,
                "active": True,
                "appeal_address": _appeal_address(ctx, name, municipality),
            },
        )
    ctx.districts.append(row)
    ctx.district_profile[row["id"]] = profile


def _appeal_address(ctx: Ctx, name: str, municipality: str) -> str:
    # A made-up box address in the demo city's shape: a real district enters its own in the
    # reference data (the admin's district page).
    recipient = name if name.endswith("kommun") else f"{name} stadsdelsförvaltning"
    box = 1000 + len(ctx.districts) * 17
    postal = 10000 + len(ctx.districts) * 111
    return f"{recipient}\nBox {box}\n{postal // 100} {postal % 100:02d} {municipality}"


def make_staff(ctx: Ctx) -> None:
    for d in ctx.districts:
        stockholm = d["municipality"] == "Stockholm"
        n = (
            ctx.scale.caseworkers_per_district
            if not stockholm
            else max(2, ctx.scale.caseworkers_per_district)
        )
        ids = []
        for i in range(n):
            ids.append(_user(ctx, f"hl-{d['code'].lower()}-{i + 1}", Role.CASEWORKER, d["id"]))
        ctx.staff.caseworkers[d["id"]] = ids
        ctx.staff.unit_managers[d["id"]] = _user(
            ctx, f"ec-{d['code'].lower()}", Role.UNIT_MANAGER, d["id"]
        )


def _user(
    ctx: Ctx,
    username: str,
    role: str,
    district_id: int | None = None,
    provider_id: int | None = None,
) -> int:
    rng = ctx.rng
    female = rng.random() < 0.7
    row = ctx.tables.add(
        User,
        {
            "username": username,
            "password": UNUSABLE_PASSWORD,
            "first_name": rng.choice(names.WOMEN if female else names.MEN),
            "last_name": rng.choice(names.LAST),
            "email": f"{username}@example.invalid",
            "role": role,
            "district_id": district_id,
            "provider_id": provider_id,
            "is_active": True,
            "is_demo": True,
            "date_joined": ctx.created_at,
        },
    )
    return row["id"]


def make_providers(ctx: Ctx) -> None:
    rng = ctx.rng
    n = ctx.scale.providers
    for i in range(n):
        # Zipf-like sizes: a few large providers, many with a handful of assignments (seed 004).
        weight = 1.0 / (i + 1) ** 1.1
        regi = "municipal" if i in (0, 3, 7) or (n <= 6 and i == 0) else "private"
        _provider(ctx, i, regi, weight, "stockholm")
    if ctx.scale.other_municipalities:
        for d in ctx.districts:
            if d["municipality"] != "Stockholm":
                _provider(ctx, len(ctx.providers), "municipal", 0.6, d["municipality"])
        for _ in range(30):
            _provider(ctx, len(ctx.providers), "private", rng.uniform(0.05, 0.4), "national")


def _provider(ctx: Ctx, i: int, regi: str, weight: float, serves: str) -> None:
    rng = ctx.rng
    stem = names.PROVIDER_STEMS[i % len(names.PROVIDER_STEMS)]
    if regi == "municipal":
        place = serves if serves not in ("stockholm", "national") else "Stockholms stad"
        name = (
            f"{place}s ledsagarservice {i + 1}"
            if serves == "stockholm"
            else (f"{place} kommuns ledsagarservice")
        )
    else:
        name = f"{stem} {'AB' if rng.random() < 0.7 else 'ek. för.'} ({i + 1})"
    # Providers publish their own practice; some differ from the guideline (seed 004).
    cutoff = rng.choice((24, 24, 24, 48, 72))
    langs = ["svenska", *rng.sample(names.LANGUAGES[1:], rng.randint(0, 3))]
    row = ctx.tables.add(
        Provider,
        {
            "name": name,
            "org_number": f"{5560000000 + i * 7919 + ctx.seed % 997:010d}"[:6]
            + "-"
            + f"{5560000000 + i * 7919 + ctx.seed % 997:010d}"[6:],
            "regi": regi,
            "lov_approved": True,
            "description": "Ledsagning till fritid, kultur, ärenden och vårdbesök.",
            "languages": langs,
            "activities": rng.sample(names.ACTIVITIES, 5),
            "phone": f"08-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": f"info{i + 1}@utforare.example.invalid",
            "booking_notice_hours": rng.choice((24, 48, 48, 72, 168)),
            "cancellation_cutoff_hours": cutoff,
            "charges_late_cancellation": rng.random() < 0.8,
            "charges_no_show": rng.random() < 0.9,
            "expense_practice": rng.choice(
                (
                    "Ledsagarens omkostnader debiteras enligt stadens riktlinjer.",
                    "Ledsagarens entré och biljett betalas av den enskilde i förskott.",
                    "Omkostnader över 200 kr ska godkännas i förväg.",
                )
            ),
            "active": True,
        },
    )
    ctx.providers.append(ProviderInfo(row["id"], regi, weight, serves))


def make_escorts(ctx: Ctx, persons: int) -> None:
    rng = ctx.rng
    total_weight = sum(p.weight for p in ctx.providers)
    wanted = max(len(ctx.providers), persons // 2)
    for p in ctx.providers:
        for _ in range(max(1, round(wanted * p.weight / total_weight))):
            female = rng.random() < 0.65
            langs = ["svenska"] + ([rng.choice(names.LANGUAGES[1:])] if rng.random() < 0.35 else [])
            row = ctx.tables.add(
                Escort,
                {
                    "provider_id": p.id,
                    "first_name": rng.choice(names.WOMEN if female else names.MEN),
                    "last_name": rng.choice(names.LAST),
                    "gender": "female" if female else "male",
                    "age_band": rng.choice(AgeBand.values),
                    "languages": langs,
                    "interests": rng.sample(names.INTERESTS, rng.randint(1, 4)),
                    "physical_capacity": rng.choice(Capacity.values),
                    "active": True,
                },
            )
            p.escort_ids.append(row["id"])


def make_provider_staff(ctx: Ctx) -> None:
    for i, p in enumerate(ctx.providers):
        _user(ctx, f"utf-{i + 1}", Role.PROVIDER_STAFF, provider_id=p.id)
