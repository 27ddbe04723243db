"""`folja pilot draw --district NAME --size 10 --starts YYYY-MM-DD --ends YYYY-MM-DD
[--seed S] [--name TEXT] [--json]` and `folja pilot evaluate ID [--json]`.

Shows pseudonyms only, and logs the access per person like the pilot page does."""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import CommandParser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.cli import AuditedCommand
from folja.audit.services import log_access_many
from folja.people.models import District
from folja.simulation.evaluation import evaluate_pilot
from folja.simulation.models import MemberRole, PilotGroup
from folja.simulation.selectors import pilot_members_for
from folja.simulation.services import PilotError, pilot_create


def _fail(field: str, code: str, message: str) -> None:
    sys.stderr.write(
        json.dumps({"field": field, "code": code, "message": message}, ensure_ascii=False) + "\n"
    )
    raise SystemExit(2)


def _date(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(field, "invalid_date", f"{value!r} är inte ett datum (ÅÅÅÅ-MM-DD).")
        raise  # unreachable; keeps type checkers calm


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Draw or evaluate a pilot of the free model (fri ledsagning)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        draw = sub.add_parser("draw")
        draw.add_argument("--district", required=True)
        draw.add_argument("--size", type=int, default=10)
        draw.add_argument("--starts", required=True)
        draw.add_argument("--ends", required=True)
        draw.add_argument("--seed", type=int, default=1)
        draw.add_argument("--name", default="")
        draw.add_argument("--json", action="store_true")
        evaluate = sub.add_parser("evaluate")
        evaluate.add_argument("id", type=int)
        evaluate.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        if opts["action"] == "draw":
            group = self._draw(opts)
        else:
            group = PilotGroup.objects.filter(pk=opts["id"]).first()
            if group is None:
                _fail("id", "not_found", f"Inget försök med id {opts['id']}.")
        members = list(pilot_members_for(group=group))
        log_access_many(
            user=None,
            persons=[m.person for m in members],
            what="pilot membership (pseudonym, baseline) via folja pilot",
            path="folja pilot",
        )
        out = {
            "id": group.pk,
            "name": group.name,
            "district": group.district.name,
            "starts_on": group.starts_on.isoformat(),
            "ends_on": group.ends_on.isoformat(),
            "members": [
                {
                    "pseudonym": m.person.pseudonym,
                    "role": m.role,
                    "stratum": m.stratum,
                    "matched_to": m.matched_to.person.pseudonym if m.matched_to else None,
                    "switch_on": m.switch_on.isoformat() if m.switch_on else None,
                    "baseline": m.baseline,
                }
                for m in members
            ],
        }
        if opts["action"] == "evaluate" and timezone.now().date() >= group.starts_on:
            ev = evaluate_pilot(group=group, members=members)
            out["evaluation"] = {
                key: {
                    "difference": e.difference,
                    "bootstrap_90": [e.boot_low, e.boot_high],
                    "t_90": [e.t_low, e.t_high],
                    "n_pilot": e.n_pilot,
                    "n_control": e.n_control,
                }
                for key, e in ev.estimates.items()
            }
            out["execution_rate"] = {
                str(role): {
                    "before": None if before is None else str(before),
                    "after": None if after is None else str(after),
                }
                for role, (before, after) in ev.execution_rates.items()
            }
            out["after"] = [ev.after[0].isoformat(), ev.after[1].isoformat()]
            # The pilot members without a free-model decision during the pilot (pseudonyms).
            out["without_model"] = [m.person.pseudonym for m in ev.without_model]
            out["statements"] = ev.statements
        if opts["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{out['name']} ({out['district']}), {out['starts_on']}–{out['ends_on']}")
        # For a person reading it (--json keeps the codes): the group by its label, the
        # stratum as the age split the page writes.
        roles = dict(MemberRole.choices)
        for m in out["members"]:
            role = str(roles.get(m["role"], m["role"]))
            under = m["stratum"].startswith("under")
            age = (_("under %(age)s år") if under else _("minst %(age)s år")) % {
                "age": group.age_split
            }
            self.stdout.write(f"  {role:14s} {age:14s} {m['pseudonym']}")
        for s in out.get("statements", []):
            self.stdout.write(s)

    def _draw(self, opts) -> PilotGroup:
        value = opts["district"]
        district = District.objects.filter(Q(name__iexact=value) | Q(code__iexact=value)).first()
        if district is None:
            _fail("district", "unknown_district", f"Okänd stadsdel: {value}")
        starts, ends = _date("starts", opts["starts"]), _date("ends", opts["ends"])
        try:
            return pilot_create(
                user=None,
                district=district,
                name=opts["name"] or f"Försök fri ledsagning {district.name} {starts.year}",
                size=opts["size"],
                starts_on=starts,
                ends_on=ends,
                seed=opts["seed"],
                drawn_on=timezone.now().date(),
            )
        except PilotError as exc:
            _fail(exc.field, exc.code, exc.message)
            raise
