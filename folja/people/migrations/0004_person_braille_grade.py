from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_district_appeal_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="braille_grade",
            field=models.CharField(
                choices=[("uncontracted", "Fullskrift"), ("contracted", "Kortskrift")],
                default="uncontracted",
                max_length=12,
                verbose_name="punktskrift",
            ),
        ),
    ]
