import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_eapplication_and_appeal_outcomes"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NonExecution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("not_started", "Inte verkställt inom tre månader från beslutet"),
                            ("interrupted", "Verkställigheten avbruten i tre månader"),
                        ],
                        max_length=12,
                        verbose_name="typ",
                    ),
                ),
                ("since", models.DateField(verbose_name="räknas från")),
                ("reportable_on", models.DateField(verbose_name="rapporteras från")),
                (
                    "carried_out_on",
                    models.DateField(blank=True, null=True, verbose_name="verkställt"),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("declined", "Den enskilde har tackat nej till erbjuden insats"),
                            ("waiting", "Den enskilde vill vänta"),
                            ("health", "Den enskildes hälsa"),
                            ("unreachable", "Den enskilde har inte gått att nå"),
                            ("no_provider", "Ingen utförare kan ta uppdraget"),
                            ("no_escort", "Utföraren saknar ledsagare"),
                            ("other", "Annat skäl"),
                        ],
                        max_length=12,
                        verbose_name="skäl",
                    ),
                ),
                (
                    "reason_text",
                    models.TextField(blank=True, verbose_name="beskrivning av skälet"),
                ),
                ("reason_recorded_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="non_executions",
                        to="cases.decision",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.district",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="non_executions",
                        to="people.person",
                    ),
                ),
                (
                    "reason_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["reportable_on", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("decision", "kind", "since"), name="one_non_execution_per_start"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WorklistRefresh",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("refreshed_on", models.DateField()),
                (
                    "district",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.district",
                    ),
                ),
            ],
        ),
    ]
