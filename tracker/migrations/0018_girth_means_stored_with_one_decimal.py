"""Girth means stored with one decimal, as the readings are ("store cm with 1 decimal").

Since 0014 every mean is worked out to 0.1 cm, but the columns kept two places, so the admin and the
CSV export wrote 35.80 beside readings of 35.8. Nothing is lost on the measurements themselves (0014
left no second decimal). In the audit history, a mean saved before 0014 (38.07) now reads to one
decimal (38.1); the readings it was worked out from are kept exactly.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0017_decimal_messages'),
    ]

    operations = [
        migrations.AlterField(
            model_name='girthmeasurement',
            name='left_cm',
            field=models.DecimalField(decimal_places=1, editable=False, max_digits=5, verbose_name='left mean (cm)'),
        ),
        migrations.AlterField(
            model_name='girthmeasurement',
            name='right_cm',
            field=models.DecimalField(decimal_places=1, editable=False, max_digits=5, verbose_name='right mean (cm)'),
        ),
        migrations.AlterField(
            model_name='historicalgirthmeasurement',
            name='left_cm',
            field=models.DecimalField(decimal_places=1, editable=False, max_digits=5, verbose_name='left mean (cm)'),
        ),
        migrations.AlterField(
            model_name='historicalgirthmeasurement',
            name='right_cm',
            field=models.DecimalField(decimal_places=1, editable=False, max_digits=5, verbose_name='right mean (cm)'),
        ),
    ]
