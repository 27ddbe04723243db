"""Two mirror-image worlds for the authorization matrix: `own` (district A, provider P,
person X) and `other` (district B, provider Q, person Y), each with one object of every kind a
URL can name, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile

from folja.accounts.models import Role, User
from folja.cases.models import Appeal, ApplicationAttachment, DecisionLetter, Task
from folja.delivery.models import SessionUpload, UploadStatus
from folja.payments.models import PaymentRun
from folja.people.models import Representative
from folja.providers.models import OrderNotice
from folja.providers.services import token_create
from folja.simulation.models import PilotGroup
from folja.testing.factories import (
    ApplicationFactory,
    CostlyActivityFactory,
    DecisionFactory,
    DistrictFactory,
    EscortFactory,
    ExpenseClaimFactory,
    FeedbackFactory,
    OrderFactory,
    PersonFactory,
    ProviderFactory,
    SessionFactory,
    make_representative,
    make_user,
)
from folja.testing.factories_handbook import RulingFactory
from folja.testing.factories_questions import make_activity, make_question

# Enough of a PNG for the receipt's stored type; the matrix checks who may fetch it.
PNG_HEADER = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    objects: dict[str, Any] = field(default_factory=dict)
    token: str = ""


@dataclass
class Worlds:
    own: World
    other: World
    users: dict[str, User | None]


def _world(tag: str) -> tuple[World, dict[str, Any]]:
    district = DistrictFactory(code=f"SEC-{tag}", name=f"Stadsdel {tag}")
    provider = ProviderFactory(name=f"Utförare {tag}")
    person = PersonFactory(district=district)
    application = ApplicationFactory(person=person)
    decision = DecisionFactory(person=person, application=application)
    order = OrderFactory(decision=decision, person=person, provider=provider, status="accepted")
    session = SessionFactory(order=order, person=person, provider=provider)
    letter = DecisionLetter.objects.create(
        decision=decision,
        issued_at=datetime(2024, 2, 11, 10, 0),
        appeal_deadline=date(2024, 3, 4),
        html="<p>Beslut</p>",
        pdf=b"%PDF-1.4\n%%EOF",
        sha256="0" * 64,
    )
    appeal = Appeal.objects.create(
        decision=decision,
        person=person,
        received_on=date(2024, 2, 20),
        deadline=date(2024, 3, 4),
        timely=True,
    )
    task = Task.objects.create(
        person=person, district=district, kind="appeal", subject=f"appeal:{appeal.pk}"
    )
    notice = OrderNotice.objects.create(
        order=order,
        previous_decision=decision,
        decision=decision,
        old_outcome="granted",
        new_outcome="granted",
        old_hours_per_month=decision.hours_per_month - 2,
        new_hours_per_month=decision.hours_per_month,
        old_model=decision.model,
        new_model=decision.model,
    )
    escort = EscortFactory(provider=provider)
    run = PaymentRun.objects.create(provider=provider, month=date(2024, 2, 1))
    feedback = FeedbackFactory(person=person, district=district)
    claim = ExpenseClaimFactory(person=person, provider=provider, receipt_content_type="image/png")
    claim.receipt.save("kvitto.png", ContentFile(PNG_HEADER), save=True)
    costly = CostlyActivityFactory(person=person)
    upload = SessionUpload.objects.create(
        provider=provider,
        filename=f"pass-{tag}.csv",
        status=UploadStatus.REFUSED,
        step=3,
        errors=[{"row": 2, "field": "status", "code": "invalid_choice", "message": "fel"}],
        created_at=datetime(2024, 3, 1, 9, 0),
    )
    attachment = ApplicationAttachment(
        application=application, person=person, content_type="image/png", original_name="intyg.png"
    )
    attachment.file.save("intyg.png", ContentFile(PNG_HEADER), save=True)
    pilot = PilotGroup.objects.create(
        name=f"Försök {tag}",
        district=district,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        size=10,
        seed=1,
        drawn_on=date(2024, 12, 1),
    )
    representative = Representative.objects.create(
        person=person, kind="god_man", name=f"God man {tag}", personnummer=""
    )
    ruling = RulingFactory(activity__code=f"matris-{tag.lower()}")
    admin = make_user(Role.PROVIDER_ADMIN, provider=provider)
    issued = token_create(user=admin, provider=provider, name=f"matris {tag}")
    # A provider's question about a case of this district: both worlds' staff see it.
    question = make_question(
        asked_by=admin, activity=make_activity(name=f"Fråga {tag}"), district=district
    )
    world = World(
        objects={
            "person": person,
            "application": application,
            "decision": decision,
            "letter": letter,
            "order": order,
            "appeal": appeal,
            "session": session,
            "task": task,
            "escort": escort,
            "notice": notice,
            "token": issued.token,
            "run": run,
            "feedback": feedback,
            "claim": claim,
            "costly": costly,
            "upload": upload,
            "attachment": attachment,
            "pilot": pilot,
            "representative": representative,
            "question": question,
            "ruling": ruling,
        },
        token=issued.secret,
    )
    return world, {"district": district, "provider": provider, "person": person, "admin": admin}


def build_worlds() -> Worlds:
    own, a = _world("A")
    other, b = _world("B")
    users: dict[str, User | None] = {
        "person": make_user(Role.PERSON, person=a["person"]),
        "representative": make_representative(a["person"]),
        "caseworker": make_user(Role.CASEWORKER, district=a["district"]),
        "caseworker_other_district": make_user(Role.CASEWORKER, district=b["district"]),
        "unit_manager": make_user(Role.UNIT_MANAGER, district=a["district"]),
        "provider_staff": make_user(Role.PROVIDER_STAFF, provider=a["provider"]),
        "provider_admin": a["admin"],
        "provider_staff_other": make_user(Role.PROVIDER_STAFF, provider=b["provider"]),
        "analyst": make_user(Role.ANALYST),
        "administrator": make_user(Role.ADMINISTRATOR),
        "anonymous": None,
    }
    return Worlds(own=own, other=other, users=users)
