"""`folja token create --provider ID [--name NAME]` prints a new API token once;
`folja token revoke --id TOKEN_ID` (or `--prefix PREFIX`) revokes it; `folja token list`."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from folja.audit.cli import AuditedCommand
from folja.providers.models import ApiToken, Provider
from folja.providers.services import token_create, token_revoke


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Create, list or revoke a provider's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token; it is printed once")
        create.add_argument("--provider", type=int, required=True)
        create.add_argument("--name", default="API")
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("--id", type=int, dest="token_id")
        revoke.add_argument("--prefix")
        listing = sub.add_parser("list", help="list tokens (never the secrets)")
        listing.add_argument("--provider", type=int)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            provider = Provider.objects.filter(pk=options["provider"]).first()
            if provider is None:
                raise CommandError(f"provider: no provider with id {options['provider']}")
            issued = token_create(user=None, provider=provider, name=options["name"])
            self.stderr.write(
                f"Token {issued.token.pk} for {provider.name}. Store it now: it is not shown again."
            )
            self.stdout.write(issued.secret)
        elif action == "revoke":
            qs = ApiToken.objects.all()
            if options.get("token_id"):
                qs = qs.filter(pk=options["token_id"])
            elif options.get("prefix"):
                qs = qs.filter(prefix=options["prefix"])
            else:
                raise CommandError("revoke: give --id or --prefix")
            tokens = list(qs)
            if not tokens:
                raise CommandError("token: no such token")
            for token in tokens:
                token_revoke(user=None, token=token)
                self.stdout.write(
                    _("Återkallad: %(id)s (%(prefix)s…)") % {"id": token.pk, "prefix": token.prefix}
                )
        else:
            qs = ApiToken.objects.select_related("provider").order_by("provider_id", "pk")
            if options.get("provider"):
                qs = qs.filter(provider_id=options["provider"])
            for t in qs:
                state = _("återkallad") if t.revoked_at else _("aktiv")
                self.stdout.write(f"{t.pk}\t{t.provider_id}\t{t.prefix}…\t{t.name}\t{state}")
