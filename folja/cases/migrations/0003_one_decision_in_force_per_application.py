"""At most one decision in force per application (issue 12, duplicates).

Before the constraint, a decided application could take a second decision, doubling the
person's hours. Rows like that cannot be put right automatically (which decision the
caseworker meant is a matter for the caseworker), so the migration stops with the
applications to look at rather than choosing for them.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_doubled_decisions(apps, schema_editor):
    Decision = apps.get_model("cases", "Decision")
    doubled = list(
        Decision.objects.filter(application__isnull=False, superseded_by__isnull=True)
        .values("application_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("application_id", flat=True)[:50]
    )
    if doubled:
        raise RuntimeError(
            "These applications have more than one decision in force; keep one per "
            "application (mark the others superseded by it, or move them to an application "
            f"of their own) and migrate again: {doubled}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_decision_superseded_by"),
    ]

    operations = [
        migrations.RunPython(refuse_doubled_decisions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("superseded_by__isnull", True)),
                fields=("application",),
                name="one_decision_in_force_per_application",
            ),
        ),
    ]
