"""Every listed hostile value, not just the ones hypothesis happens to draw.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fuzz.common import (
    NUMBERS,
    SWEEP,
    SWEEP_FORMS,
    assert_all_valid,
    assert_answered,
    logged_in,
    symptom_baseline,
    today,
)
from tracker.models import (
    SymptomLog,
)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "field", "values"), SWEEP, ids=[f"{n}-{f}" for n, f, _v in SWEEP])
def test_every_listed_hostile_value(patient, settings, name, field, values):
    baseline, rows = SWEEP_FORMS[name]
    client = logged_in(patient)
    # Far-off datetimes cross year 1 or 9999 when converted to UTC from a zone far from it.
    zones = ["America/Adak", "Pacific/Kiritimati"] if field == "performed_at" else ["UTC"]
    for zone in zones:
        settings.TIME_ZONE = zone
        for value in values:
            response = client.post(reverse(name), {**baseline(), field: value})
            assert_answered(response, value if field in ("notes", "condition") else None)
            assert_all_valid(rows(patient))
            if name != "profile":
                rows(patient).delete()


@pytest.mark.parametrize("value", NUMBERS)
def test_every_listed_hostile_number_in_a_check_in(patient, value):
    for field in ("pain_at_rest", "night_cramps"):
        response = logged_in(patient).post(reverse("symptom_day", args=[today().isoformat()]),
                                           {**symptom_baseline(), field: value})
        assert_answered(response)
        assert_all_valid(SymptomLog.objects.filter(patient=patient))
