"""Hostile paths and query strings: patient pages, charts and admin lists.
"""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.common import (
    ADMIN_LISTS,
    ADMIN_QUERY,
    DATES,
    FUZZ,
    LIST_PAGES,
    QUERY,
    assert_all_valid,
    logged_in,
)
from tracker.models import (
    SymptomLog,
)


@FUZZ
@given(name=st.sampled_from(LIST_PAGES), query=QUERY)
def test_list_pages_survive_hostile_query_strings(patient, name, query):
    response = logged_in(patient).get(reverse(name), query)
    assert response.status_code == 200


@FUZZ
@given(
    chart=st.one_of(st.sampled_from(["girth", "symmetry", "heel-rise", "pain", "adherence"]),
                    st.from_regex(r"[-a-zA-Z0-9_]{1,20}", fullmatch=True)),
    fmt=st.one_of(st.sampled_from(["svg", "png", "pdf", "SVG"]),
                  st.from_regex(r"[a-z]{1,5}", fullmatch=True)),
    query=QUERY,
)
def test_charts_survive_hostile_names_and_options(patient, chart, fmt, query):
    response = logged_in(patient).get(reverse("chart", args=[chart, fmt]), query)
    assert response.status_code in (200, 404)


@FUZZ
@given(day=st.one_of(st.sampled_from(DATES), st.text(min_size=1, max_size=30).filter(lambda t: "/" not in t)))
def test_symptom_day_survives_hostile_days(patient, day):
    client = logged_in(patient)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/symptoms/{day}/")
        assert response.status_code in (200, 302, 404)
    assert_all_valid(SymptomLog.objects.filter(patient=patient))


@FUZZ
@given(name=st.sampled_from(ADMIN_LISTS), query=ADMIN_QUERY)
def test_admin_lists_survive_hostile_search_and_filters(physio_and_patient, name, query):
    """The changelists' search box, filters, ordering and paging, as a physio could type or edit them."""
    physio, patient = physio_and_patient
    response = logged_in(physio).get(reverse(f"admin:tracker_{name}_changelist"), query)
    assert response.status_code in (200, 302, 400, 404)
    assert "<script>alert" not in response.content.decode()
