"""The base of every `folja` command that writes: what it changes is recorded in the audit log
as whoever ran it (`--as USER`, a Följa user, or else the operating-system user), never as
"system" (folja.audit.services.cli_actor)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from folja.audit.services import cli_actor


class AuditedCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="ANVÄNDARE",
            help="Följa-användaren som loggas för ändringarna (standard: inloggad OS-användare)",
        )
        return parser

    def execute(self, *args, **options):
        with cli_actor(options):
            return super().execute(*args, **options)
