"""`folja demo-logins [--table]`: the demo accounts as JSON (or a table for `make run`)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from folja.audit.labels import role_label
from folja.core.seed.logins import demo_logins


class Command(BaseCommand):
    # Data commands need no URL/template checks (and must run while other areas are half-built).
    requires_system_checks: list[str] = []
    help = "Visa demokontona (lösenord: demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--table", action="store_true", help="a readable table")

    def handle(self, *args, **opts) -> None:
        rows = demo_logins()
        if not opts["table"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("Inga demokonton (kör folja seed).")
            return
        # The table is for a person (the JSON keeps the role codes): roles by their labels.
        width = max(len(r["username"]) for r in rows)
        roles = {r["role"]: role_label(r["role"]) for r in rows}
        role_width = max(len(label) for label in roles.values())
        for r in rows:
            where = r.get("district") or r.get("provider") or ""
            role = roles[r["role"]]
            self.stdout.write(f"  {r['username']:<{width}}  {role:<{role_width}}  {where}")
