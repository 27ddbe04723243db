"""`folja scenario --person ID --user USERNAME [--on YYYY-MM-DD] [--out FILE]`.

Prints one person's scenario in the input format of `folja calc` (CALC.md "Exporting a
person's scenario"), built by `folja.ledger.scenario.person_scenario`. The export is personal
data: it is run by an operator under their own account (`--user`), limited to the persons that
account may see, and logged in the access log like any other read. Bad input prints one line
of JSON `{"field", "code", "message"}` on standard error and exits 2.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from folja.accounts.models import PROVIDER_ROLES, User
from folja.audit.services import log_access
from folja.core import clock
from folja.guidelines.models import GuidelineVersion
from folja.ledger.scenario import person_scenario
from folja.people.models import Person

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A primary key is a PostgreSQL bigint: a longer number is no id of anything.
MAX_ID = 2**63 - 1

# The keys the export adds to CALC.md's input, as docs/scenario.md lists them.
EPILOG = _lazy(
    "Utdata är indata till `folja calc` (CALC.md). Nycklar utöver kontraktet\n"
    "(docs/scenario.md):\n"
    "  person                      personens id\n"
    "  sessions[].excess_approved  en handläggare har godkänt passets tid utöver\n"
    "                              beviljad tid: den betalas, flaggan exceeds_grant står kvar\n"
    "  sessions[].cancelled_at_unknown\n"
    "                              avbokningen saknar tid: räknas som sen och skrivs som\n"
    "                              en minut efter passets start\n"
    "Bara pass som regelmotorn får kommer med: ett bokat pass och en rapport flaggad\n"
    "no_order eller duplicate räknas och betalas inte och utelämnas. `expenses` är den del\n"
    "av varje utlägg som dras från den gemensamma omkostnadsersättningen. `rates` är hela\n"
    "LOV-tabellen; ett pass i ett år utan ersättning hålls inne (no_rate) i systemet, medan\n"
    "`folja calc` då anger året och avslutar med kod 2.\n"
)


class Command(BaseCommand):
    # A read of data: no URL or template checks needed before it.
    requires_system_checks: list[str] = []
    help = "Skriv ut en persons scenario i formatet som `folja calc` läser (CALC.md)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = str(EPILOG)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, metavar="ID", help=_("personens id"))
        parser.add_argument(
            "--user",
            required=True,
            metavar="ANVÄNDARNAMN",
            help=_("ditt användarnamn: bara personer du får se, och läsningen loggas i ditt namn"),
        )
        parser.add_argument(
            "--on", metavar="ÅÅÅÅ-MM-DD", help=_("dagen för saldot (`on`); i dag om det utelämnas")
        )
        parser.add_argument(
            "--out", metavar="FIL", help=_("skriv till FIL i stället för till standard ut")
        )

    def handle(self, *args, **opts) -> None:
        on = self._on(opts["on"])
        user = self._user(opts["user"])
        person = self._person(opts["person"], user)
        try:
            scenario = person_scenario(person=person, on=on)
        except GuidelineVersion.DoesNotExist:
            self._fail(
                "guidelines", "missing", _("Det finns ingen riktlinjeversion: läs in referensdata.")
            )
        text = json.dumps(scenario, ensure_ascii=False, indent=2) + "\n"
        if opts["out"]:
            target = Path(opts["out"])
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                self._fail(
                    "out",
                    "not_writable",
                    _("Kan inte skriva %(file)s: %(reason)s")
                    % {"file": target, "reason": exc.strerror},
                )
        # Logged once the export exists (a refused or failed one showed nothing).
        log_access(user=user, person=person, what="scenario_export", path="cli: folja scenario")
        if opts["out"]:
            self.stdout.write(str(opts["out"]))
        else:
            self.stdout.write(text, ending="")

    def _fail(self, field: str, code: str, message: str) -> NoReturn:
        line = json.dumps({"field": field, "code": code, "message": message}, ensure_ascii=False)
        self.stderr.write(line, style_func=lambda s: s)
        raise SystemExit(2)

    def _on(self, value: str | None) -> date:
        if value is None:
            return clock.today()
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            self._fail("on", "invalid_date", _("Ange ett datum som ÅÅÅÅ-MM-DD."))
        if not clock.in_window(day):
            self._fail("on", "out_of_range", _("Ange ett datum mellan år 1900 och år 2100."))
        return day

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            self._fail("user", "unknown_user", _("Det finns ingen aktiv användare med det namnet."))
        if user.role in PROVIDER_ROLES:
            # A provider sees only its own sessions of a person; the scenario holds all of them.
            self._fail(
                "user",
                "forbidden",
                _("En utförare kan inte ta ut en persons hela scenario med alla utförares pass."),
            )
        return user

    def _person(self, value: str, user: User) -> Person:
        text = value.strip()
        valid = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))
        if not valid or not 0 < int(text) <= MAX_ID:
            self._fail("person", "invalid_id", _("Personens id ska vara ett positivt heltal."))
        # A person the user may not see is answered as one that does not exist: the command
        # must not tell who is in the register.
        person = Person.objects.visible_to(user).filter(pk=int(text)).first()
        if person is None:
            self._fail("person", "not_found", _("Det finns ingen person med det id som du får se."))
        return person
