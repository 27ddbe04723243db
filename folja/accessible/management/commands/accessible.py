"""`folja accessible`: the accessible formats for mass mailing.

    folja accessible --person ID [ID …] --format html|pictogram|brf|daisy|all --out DIR
    folja accessible --guide --format … --out DIR

Braille is in each person's own grade (fullskrift or kortskrift, their choice on Mina sidor);
`--braille-grade uncontracted|contracted` overrides it, and sets the guide's (fullskrift else).

Reading a person's data is logged: as `--as-user USERNAME` when given (and then only persons
that user may see are made), otherwise as the system.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from folja.accessible.formats import FORMATS, filename
from folja.accessible.formats import render as render_format
from folja.accessible.guide import guide_document
from folja.accessible.statement import statement_document
from folja.audit.services import log_access
from folja.people.models import BrailleGrade, Person


def _error(field: str, code: str, message: str) -> CommandError:
    return CommandError(
        json.dumps({"field": field, "code": code, "message": message}, ensure_ascii=False),
        returncode=2,
    )


class Command(BaseCommand):
    help = "Plain-language HTML, pictogram HTML, braille (.brf) or DAISY for persons or the guide."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--person", nargs="+", type=str, help="person id(s)")
        who.add_argument("--guide", action="store_true", help="the general guide")
        parser.add_argument(
            "--format",
            action="append",
            required=True,
            choices=[*FORMATS, "all"],
            help="repeat for several formats",
        )
        parser.add_argument("--out", required=True, help="output directory")
        parser.add_argument("--as-user", default=None, help="log access as this user")
        parser.add_argument("--on", default=None, help="date of the statement (YYYY-MM-DD)")
        parser.add_argument(
            "--braille-grade",
            choices=BrailleGrade.values,
            default=None,
            help="braille grade: uncontracted (fullskrift) or contracted (kortskrift); "
            "default: each person's own choice, fullskrift for the guide",
        )

    def handle(self, *args, **opts) -> None:
        formats = list(FORMATS) if "all" in opts["format"] else list(dict.fromkeys(opts["format"]))
        out = Path(opts["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error("out", "not_writable", f"kan inte skapa {out}: {exc.strerror}") from exc
        try:
            on = date.fromisoformat(opts["on"]) if opts["on"] else date.today()
        except ValueError as exc:
            raise _error("on", "invalid_date", "datum ska skrivas ÅÅÅÅ-MM-DD") from exc

        chosen_grade = opts["braille_grade"]
        jobs: list[tuple[str, object, str]] = []
        if opts["guide"]:
            jobs.append(
                (
                    "guide",
                    lambda: guide_document(on=on, city=settings.FOLJA_CITY_NAME),
                    chosen_grade or BrailleGrade.UNCONTRACTED,
                )
            )
        else:
            user = self._user(opts["as_user"])
            for person in self._persons(opts["person"], user):
                log_access(user=user, person=person, what="accessible_statement_cli")
                jobs.append(
                    (
                        f"person-{person.pk}",
                        lambda p=person: statement_document(user=user, person=p, on=on),
                        chosen_grade or person.braille_grade,
                    )
                )

        written: list[Path] = []
        with Progress(disable=len(jobs) * len(formats) < 2) as progress:
            task = progress.add_task("Gör tillgängliga format", total=len(jobs) * len(formats))
            for key, factory, grade in jobs:
                for fmt in formats:
                    target = out / filename(key, fmt, braille_grade=grade)
                    target.write_bytes(render_format(factory, fmt, braille_grade=grade))
                    written.append(target)
                    progress.advance(task)
        for path in written:
            self.stdout.write(str(path))

    def _user(self, username: str | None):
        if not username:
            return None
        from folja.accounts.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise _error("as_user", "unknown_user", f"användaren {username!r} finns inte")
        return user

    def _persons(self, ids: list[str], user) -> list[Person]:
        try:
            pks = [int(i) for i in ids]
        except ValueError as exc:
            raise _error("person", "invalid_id", "person-id ska vara heltal") from exc
        qs = Person.objects.all() if user is None else Person.objects.visible_to(user)
        found = {p.pk: p for p in qs.filter(pk__in=pks).select_related("district")}
        missing = [pk for pk in pks if pk not in found]
        if missing:
            raise _error("person", "not_found", f"personen finns inte: {missing[0]}")
        return [found[pk] for pk in pks]
