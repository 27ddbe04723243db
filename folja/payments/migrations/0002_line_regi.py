from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentline",
            name="regi",
            field=models.CharField(blank=True, max_length=10),
        ),
    ]
