"""The question bank as first published (issue 15, item 5): awareness of the model, satisfaction,
reasons for unused hours. Copied here so later edits of bank.py cannot change history."""

from django.db import migrations

BANK = (
    ("flex-three-months", "awareness", "yes_no", "Vet du att timmarna kan användas fritt under tre månader?"),
    ("expense-allowance", "awareness", "yes_no", "Vet du att det finns pengar till ledsagarens kostnader, omkostnadsersättning?"),
    ("costly-activity", "awareness", "yes_no", "Vet du att man kan söka extra pengar för en aktivitet som kostar mycket?"),
    ("how-to-complain", "awareness", "yes_no", "Vet du hur man lämnar klagomål eller synpunkter?"),
    ("satisfied-escort", "satisfaction", "scale", "Hur nöjd är du med ledsagningen?"),
    ("satisfied-information", "satisfaction", "scale", "Hur nöjd är du med informationen du får?"),
    ("unused-illness", "unused", "yes_no", "Blev timmar kvar för att någon var sjuk?"),
    ("unused-planning", "unused", "yes_no", "Blev timmar kvar för att planeringen inte fungerade?"),
    ("unused-mismatch", "unused", "yes_no", "Blev timmar kvar för att ledsagaren inte passade?"),
)


def load(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    for position, (key, topic, kind, text) in enumerate(BANK):
        Question.objects.update_or_create(
            key=key, defaults={"topic": topic, "kind": kind, "text": text, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
