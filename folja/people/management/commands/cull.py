"""`folja cull`: list the files due for culling (gallring); with `--execute --approved-by USER`
cull them (all listed, or only the `--pseudonym`s given) and record what was culled.

Each act by its own rule (docs/culling.md): files with LSS documentation only are never listed;
a file with SoL and LSS documentation is listed for its SoL part ("SoL-delen"); the "Regel"
column names the provision in force on `--today`. The table is for the person approving the
culling: columns and scope in words, not codes."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.table import Table

from folja.accounts.models import Role, User
from folja.audit.cli import AuditedCommand
from folja.core import clock
from folja.people.models import District, Person
from folja.people.selectors import culling_candidates
from folja.people.services import NotDueForCulling, person_cull
from folja.rules.culling import Scope

APPROVER_ROLES = {Role.ADMINISTRATOR, Role.UNIT_MANAGER}

# What a culling removes, in words (the table is read by the person approving it).
SCOPE_LABELS = {
    Scope.WHOLE_FILE: gettext_lazy("hela akten"),
    Scope.SOL_PART: gettext_lazy("SoL-delen"),
}


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "List files due for culling (gallring); cull them once approved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default today)")
        parser.add_argument("--district", help="district code")
        parser.add_argument("--execute", action="store_true", help="cull, not just list")
        parser.add_argument("--approved-by", help="username of the approving administrator")
        parser.add_argument("--pseudonym", action="append", default=[], help="only these")

    def handle(self, *args, **opts) -> None:
        today = opts["today"] or clock.today()
        district_id = None
        if opts["district"]:
            district = District.objects.filter(code=opts["district"]).first()
            if district is None:
                raise CommandError(f"district: no district with code {opts['district']!r}")
            district_id = district.pk
        approver = None
        if opts["execute"]:
            approver = User.objects.filter(username=opts["approved_by"] or "").first()
            if approver is None or approver.role not in APPROVER_ROLES or not approver.is_active:
                raise CommandError(
                    "approved-by: give the username of an active administrator or unit manager"
                )
            if approver.role == Role.UNIT_MANAGER:
                if district_id not in (None, approver.district_id):
                    raise CommandError("district: a unit manager approves their own district only")
                district_id = approver.district_id
        candidates = culling_candidates(today=today, district_id=district_id)
        if opts["pseudonym"]:
            wanted = set(opts["pseudonym"])
            unknown = wanted - {c.pseudonym for c in candidates}
            if unknown:
                raise CommandError(f"pseudonym: not due for culling: {', '.join(sorted(unknown))}")
            candidates = [c for c in candidates if c.pseudonym in wanted]
        console = Console(file=self.stdout, width=200)
        table = Table(title=f"{_('Akter att gallra')} {today.isoformat()} ({len(candidates)})")
        columns = (
            _("Pseudonym"),
            _("Stadsdel"),
            _("Senaste anteckning"),
            _("Får gallras från"),
            _("Ska gallras senast"),
            _("Försenad"),
            _("Vad gallras"),
            _("Regel"),
        )
        for column in columns:
            table.add_column(column)
        for c in candidates:
            table.add_row(
                c.pseudonym,
                str(c.district_id),
                c.last_entry_on.isoformat(),
                c.eligible_from.isoformat(),
                c.due_by.isoformat(),
                _("ja") if c.overdue(today) else "",
                str(SCOPE_LABELS.get(c.scope, c.scope)),
                c.rule_reference,
            )
        console.print(table)
        if not opts["execute"]:
            console.print(_("Inget gallrades: kör igen med --execute --approved-by ANVÄNDARE."))
            return
        culled = 0
        persons = Person.objects.in_bulk([c.person_id for c in candidates])
        for c in candidates:
            try:
                person_cull(person=persons[c.person_id], approved_by=approver, today=today)
                culled += 1
            except NotDueForCulling:
                console.print(
                    _("%(p)s: ska inte längre gallras, lämnad orörd") % {"p": c.pseudonym}
                )
        console.print(_("Gallrade akter: %(n)d") % {"n": culled})
