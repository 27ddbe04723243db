"""Demo accounts, one per role (password `demo`), tied to data that fills every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from folja.accounts.models import Role, User
from folja.core.seed.context import Ctx
from folja.core.seed.persons import Special
from folja.people.models import Representative

DEMO_PASSWORD = "demo"  # noqa: S105 - only ever in seeded demo data; refused in production


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("handlaggare", Role.CASEWORKER, "Hanna", "Handläggare"),
    DemoAccount("handlaggare2", Role.CASEWORKER, "Henrik", "Handläggare"),
    DemoAccount("enhetschef", Role.UNIT_MANAGER, "Eva", "Enhetschef"),
    DemoAccount("utforare", Role.PROVIDER_STAFF, "Ulla", "Utförare"),
    DemoAccount("utforare-admin", Role.PROVIDER_ADMIN, "Ulf", "Utförare"),
    DemoAccount("utforare2", Role.PROVIDER_STAFF, "Ursula", "Utförare"),
    DemoAccount("brukare", Role.PERSON, "Berit", "Brukare"),
    DemoAccount("godman", Role.REPRESENTATIVE, "Gustav", "Godman"),
    DemoAccount("analytiker", Role.ANALYST, "Anna", "Analytiker"),
    DemoAccount("admin", Role.ADMINISTRATOR, "Adam", "Administratör"),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)


@dataclass
class DemoSetup:
    home_district: int  # Enskede-Årsta-Vantör: the demo caseworker's and person's
    other_district: int
    provider: int  # holds the demo person's order
    other_provider: int
    person_special: Special
    ward_special: Special  # the person the demo god man represents


def demo_setup(ctx: Ctx) -> DemoSetup:
    by_code = {d["code"]: d["id"] for d in ctx.districts}
    home = by_code["EAV"]
    other = next(d["id"] for d in ctx.districts if d["id"] != home)
    stockholm = [p for p in ctx.providers if p.serves == "stockholm"]
    provider = next(p for p in stockholm if p.regi == "private")
    other_provider = next(p for p in stockholm if p.id != provider.id)
    return DemoSetup(
        home_district=home,
        other_district=other,
        provider=provider.id,
        other_provider=other_provider.id,
        person_special=Special(home, provider.id, act="LSS", hours=12.0, female=True, age=34),
        ward_special=Special(home, provider.id, act="SoL", hours=8.0, female=False, age=71),
    )


def make_demo_accounts(ctx: Ctx, setup: DemoSetup, person_id: int, ward_id: int) -> None:
    password = make_password(DEMO_PASSWORD)
    ties = {
        "handlaggare": {"district_id": setup.home_district},
        "handlaggare2": {"district_id": setup.other_district},
        "enhetschef": {"district_id": setup.home_district},
        "utforare": {"provider_id": setup.provider},
        "utforare-admin": {"provider_id": setup.provider},
        "utforare2": {"provider_id": setup.other_provider},
        "brukare": {"person_id": person_id},
        "admin": {"is_staff": True, "is_superuser": True},
    }
    for account in DEMO_ACCOUNTS:
        row = ctx.tables.add(
            User,
            {
                "username": account.username,
                "password": password,
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.invalid",
                "role": account.role,
                "is_active": True,
                "is_demo": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": ctx.created_at,
                "district_id": None,
                "provider_id": None,
                "person_id": None,
            }
            | ties.get(account.username, {}),
        )
        if account.username == "godman":
            ctx.tables.add(
                Representative,
                {
                    "person_id": ward_id,
                    "user_id": row["id"],
                    "kind": "god_man",
                    "name": f"{account.first_name} {account.last_name}",
                    "phone": "070-000 00 00",
                    "email": f"{account.username}@example.invalid",
                    "active": True,
                    "valid_from": ctx.start,
                },
            )
