"""`folja simulate --models monthly,flex3,free --replicates N --months M
[--population district=NAME] [--seed S] [--json]`"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from folja.people.models import District
from folja.simulation.engine.params import MODELS
from folja.simulation.engine.summary import to_json
from folja.simulation.investigation import EmptyPopulation, run_investigation


def _fail(field: str, code: str, message: str) -> None:
    sys.stderr.write(
        json.dumps({"field": field, "code": code, "message": message}, ensure_ascii=False) + "\n"
    )
    raise SystemExit(2)


class Command(BaseCommand):
    help = "Simulate the allocation models on the city's own history (Monte Carlo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--models", default=",".join(MODELS))
        parser.add_argument("--replicates", type=int, default=1000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--population", default="", help="district=NAME or district=CODE")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--history-months", type=int, default=24)
        parser.add_argument(
            "--sensitivity",
            action="store_true",
            help="also run the tornado and the flex3 decomposition",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        models = tuple(m.strip() for m in opts["models"].split(",") if m.strip())
        bad = [m for m in models if m not in MODELS]
        if not models or bad:
            _fail("models", "unknown_model", f"Okänd modell: {', '.join(bad) or '(ingen)'}")
        if not 1 <= opts["replicates"] <= 100_000:
            _fail("replicates", "out_of_range", "Antal simuleringar måste vara 1–100000.")
        if not 1 <= opts["months"] <= 120:
            _fail("months", "out_of_range", "Antal månader måste vara 1–120.")
        district = None
        if opts["population"]:
            key, _, value = opts["population"].partition("=")
            if key != "district" or not value:
                _fail("population", "invalid", "Ange population som district=NAMN.")
            district = District.objects.filter(
                Q(name__iexact=value) | Q(code__iexact=value)
            ).first()
            if district is None:
                _fail("population", "unknown_district", f"Okänd stadsdel: {value}")
        try:
            inv = run_investigation(
                on=timezone.now().date(),
                district=district,
                models=models,
                replicates=opts["replicates"],
                months=opts["months"],
                seed=opts["seed"],
                history_months=opts["history_months"],
                sensitivity=opts["sensitivity"],
            )
        except EmptyPopulation:
            _fail("population", "empty", "Inga personer med gällande beslut i populationen.")
        out = to_json(inv.result)
        out["population"] = district.name if district else "city"
        out["fit"] = {
            "persons": inv.fit.persons,
            "person_months": inv.fit.person_months,
            "season": [round(float(s), 4) for s in inv.fit.season],
            "illness_onsets_per_year": inv.fit.illness_onsets_per_year,
            "illness_mean_days": inv.fit.illness_mean_days,
            "catch_up": inv.fit.catch_up,
            "late_cancel_rate": inv.fit.late_cancel_rate,
            "desired_to_grant": inv.fit.desired_to_grant,
        }
        out["parameters"] = {k: getattr(inv.params, k) for k in inv.params.__dataclass_fields__}
        if inv.tornado:
            out["tornado"] = [
                {"parameter": b.key, "low": b.low_value, "high": b.high_value}
                for b in inv.tornado.bars
            ]
        if opts["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        for model in models:
            m = out["models"][model]
            self.stdout.write(
                f"{model:8s} executed {m['executed_hours']['mean']:12.0f} h  "
                f"lapsed {m['lapsed_hours']['mean']:10.0f} h  "
                f"share {m['execution_share']['mean']:.3f}  "
                f"total {m['total_cost']['mean']:14.0f} kr "
                f"[{m['total_cost']['p05']:.0f}, {m['total_cost']['p95']:.0f}]"
            )
