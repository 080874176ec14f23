"""bench/load.py stays in step with the forms it posts (so `make load` cannot rot); its report adds up;
its physios' codes are the ones django-otp accepts; its balancer skips an app process that is down."""

import datetime
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import load
from bench.clients import Patient, RoundRobin, totp
from bench.load import CHECK_IN_FORM, Sample, measurement_form, session_form
from tests.factories import PhysioFactory
from tracker.models import ExerciseEntry, ExerciseSession, GirthMeasurement, SymptomLog


def test_the_load_test_forms_are_accepted(patient_client, patient):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    exercises = load.load_exercises()
    assert len(exercises) == 2
    assert {field for _, field in exercises} == {"reps", "hold_seconds"}

    response = patient_client.post(
        reverse("session_new"), session_form(timezone.now() - datetime.timedelta(hours=1), exercises)
    )
    session = ExerciseSession.objects.get(patient=patient)
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert ExerciseEntry.objects.filter(session=session).count() == 2

    response = patient_client.post(reverse("measurement_new"), measurement_form(yesterday))
    assert response["Location"] == reverse("measurement_list")
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1

    response = patient_client.post(reverse("symptom_day", args=[yesterday]), CHECK_IN_FORM)
    assert response["Location"] == reverse("symptom_list")
    assert SymptomLog.objects.filter(patient=patient).count() == 1


def test_percentile_and_report():
    assert load.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert load.percentile(list(map(float, range(1, 101))), 0.95) == 95.0
    samples = [
        Sample("dashboard", 0.1, True),
        Sample("dashboard", 0.3, True),
        Sample("chart", 0.2, False, "HTTP 500"),
    ]

    lines, p95, errors = load.report(samples, seconds=2.0)

    assert errors == 1
    assert p95 == 300.0
    assert "| dashboard | 2 | 1.0 | 200 | 300 | 300 | 0 |" in lines
    assert "| chart | 1 | 0.5 | 200 | 200 | 200 | 1 |" in lines
    assert lines[-1].startswith("| **all** | 3 | 1.5 |")


def test_the_physios_code_is_what_django_otp_accepts(db):
    device = TOTPDevice.objects.create(user=PhysioFactory(), name="app", confirmed=True)
    assert device.verify_token(totp(device.key))


def test_the_balancer_takes_turns_and_skips_a_process_that_refuses():
    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with socket.socket() as probe:  # nobody listens here: a killed app process
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    try:
        balancer = RoundRobin([dead, server.server_port])
        ports = []
        for _ in range(4):
            connection = balancer.connect(timeout=5)
            ports.append(connection.port)
            connection.close()
        assert ports == [server.server_port] * 4
        assert balancer.down_until[dead] > 0
    finally:
        server.shutdown()
        server.server_close()


def test_a_patients_days_count_back_from_a_fixed_date_not_the_clock():
    """A run crossing midnight once gave two rounds the same day: a check-in updated instead of
    added, a measurement refused as a repeat, and the fault test saw rows "lost"."""
    patient = Patient(RoundRobin([1]), "load-000", 0.0, first_day=datetime.date(2020, 1, 10))
    days = []
    patient.log_check_in = days.append
    for number in (0, 1, 2):
        patient.steps(number)[2]()  # the round's check-in
    assert days == ["2020-01-09", "2020-01-08", "2020-01-07"]
