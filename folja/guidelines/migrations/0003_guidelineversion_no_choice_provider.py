import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guidelines", "0002_verbose_names"),
        ("providers", "0002_ordernotice"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidelineversion",
            name="no_choice_provider",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="providers.provider",
                verbose_name="ickevalsalternativ",
            ),
        ),
    ]
