"""The heel-rise population reference reads the same on every surface that shows it.

The heel-rise page said "Norm for women: median 21 reps", the dashboard beside it "21 rises is typical
for adults like you", the chart "Typical for women: 21 rises" and the review page and PDF "population
reference 21". All now take `metrics.heel_rise_norm_words`.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import HeelRiseTestFactory, PatientFactory, PhysioFactory
from tests.helpers import text_of
from tracker import metrics

SEXES = [("F", "typical for women: 21 rises"), ("M", "typical for men: 24 rises"),
         ("", "typical for adults: 28 ± 10 rises")]


@pytest.fixture
def patient_with_tests(db):
    def make(sex: str):
        # Fixed first names: a random "Norman" or "Norma" would hold the old word "Norm".
        patient = PatientFactory(username=f"norm_{sex or 'none'}", first_name="Ada")
        patient.profile.sex = sex
        patient.profile.physio = PhysioFactory(username=f"norm_physio_{sex or 'none'}", first_name="Priya")
        patient.profile.save()
        for days in (20, 1):
            HeelRiseTestFactory(patient=patient, date=timezone.localdate() - timezone.timedelta(days=days))
        return patient

    return make


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_the_words(sex, words):
    assert metrics.heel_rise_norm_words(sex) == words


def test_no_surface_keeps_the_old_words(client, patient_with_tests):
    patient = patient_with_tests("F")
    client.force_login(patient)
    pages = [text_of(client.get(url)) for url in ("/", reverse("heel_rise_list"), reverse("heel_rise_new"))]
    for page in pages:
        assert "Norm" not in page and "adults like you" not in page and "median 21 reps" not in page


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_dashboard(client, patient_with_tests, sex, words):
    client.force_login(patient_with_tests(sex))
    page = text_of(client.get("/"))
    assert f"Your other leg is the one to match; {words} (a population reference)." in page


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_heel_rise_list_and_form(client, patient_with_tests, sex, words):
    client.force_login(patient_with_tests(sex))
    sentence = words[0].upper() + words[1:]
    assert sentence in text_of(client.get(reverse("heel_rise_list")))
    assert sentence in text_of(client.get(reverse("heel_rise_new")))


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_heel_rise_chart_alt_text(client, patient_with_tests, sex, words):
    client.force_login(patient_with_tests(sex))
    page = client.get("/").content.decode()
    assert f"{words} (a population reference: your other leg is the one to match)." in page


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_physio_review(client, patient_with_tests, sex, words):
    patient = patient_with_tests(sex)
    client.force_login(patient.profile.physio)
    page = text_of(client.get(reverse("admin:tracker_patientprofile_change", args=[patient.profile.pk])))
    assert f"rises ({words})." in page


@pytest.mark.parametrize(("sex", "words"), SEXES)
def test_pdf_report(client, patient_with_tests, sex, words):
    client.force_login(patient_with_tests(sex))
    body = client.get(reverse("report")).content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())
    assert f"rises ({words})." in text
