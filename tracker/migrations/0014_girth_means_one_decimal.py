"""Girth means kept to 0.1 cm, as the readings are ("store cm with 1 decimal"): each stored mean is
worked out again from its readings, so that the numbers shown add up (left 38.1, right 35.9:
2.2 cm, not the 2.1 of 38.07 and 35.93). A changed row gets a new updated_at, so the data stamps,
the cached summaries and charts, and the ETags change with it. Schema unchanged. About 30 s per
50,000 measurements on SQLite (all of them changed)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations
from django.utils import timezone

TENTH = Decimal("0.1")
BATCH = 1000


def mean(readings) -> Decimal | None:
    """As tracker.metrics.mean_reading when this was written: half away from zero, 1 decimal."""
    values = [reading for reading in readings if reading is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP)


def round_means(apps, schema_editor):
    measurements = apps.get_model("tracker", "GirthMeasurement").objects
    now, changed = timezone.now(), []
    readings = ("left_1", "left_2", "left_3", "right_1", "right_2", "right_3")
    rows = measurements.order_by("pk").only(*readings, "left_cm", "right_cm")
    for row in rows.iterator(chunk_size=BATCH):
        left = mean([row.left_1, row.left_2, row.left_3])
        right = mean([row.right_1, row.right_2, row.right_3])
        if (left, right) != (row.left_cm, row.right_cm):
            row.left_cm, row.right_cm, row.updated_at = left, right, now
            changed.append(row)
        if len(changed) >= BATCH:
            measurements.bulk_update(changed, ["left_cm", "right_cm", "updated_at"])
            changed = []
    measurements.bulk_update(changed, ["left_cm", "right_cm", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_range_and_choice_messages")]

    operations = [migrations.RunPython(round_means, migrations.RunPython.noop, elidable=True)]
