"""The simulated browsers of bench/load.py and bench/faults.py: patients and physios, behind a tiny
round-robin balancer over the app processes. Standard library only (http.client, hmac for TOTP).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import random
import re
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

PASSWORD = "load-test-password-7391"
CHARTS = ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EXERCISE_SLUGS = ["single-leg-calf-raise", "wall-gastrocnemius-stretch"]  # one in reps, one in seconds
DOWN_SECONDS = 5  # an app process that refused a connection is skipped this long


# --- what the patients post (tests/test_load.py posts these through Django's test client) ---------


def session_form(performed_at: datetime.datetime, exercises: list[tuple[int, str]]) -> dict[str, str]:
    """A session with one entry per (exercise id, amount field); performed_at in UTC (TIME_ZONE)."""
    form = {
        "performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30", "pain_before": "2", "pain_after": "3", "rpe": "6", "notes": "",
        "entries-TOTAL_FORMS": str(len(exercises)), "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "30",
    }
    for index, (exercise_id, amount_field) in enumerate(exercises):
        form |= {
            f"entries-{index}-exercise": str(exercise_id), f"entries-{index}-side": "both",
            f"entries-{index}-sets": "3", f"entries-{index}-{amount_field}": "15",
            f"entries-{index}-load_kg": "0", f"entries-{index}-pain_during": "2",
        }
    return form


def measurement_form(day: str) -> dict[str, str]:
    return {"date": day, "site": "tt10", "left_1": "34.2", "left_2": "34.4", "right_1": "37.6",
            "right_2": "37.5", "measured_by": "self", "notes": ""}


CHECK_IN_FORM = {"pain_at_rest": "1", "pain_next_morning": "2", "stiffness": "3", "night_cramps": "0",
                 "notes": "load test"}


def totp(hex_key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238, as django-otp's TOTPDevice checks it)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


# --- the balancer ---------------------------------------------------------------------------------


class RoundRobin:
    """Each request to the next app process; one that refuses connections is skipped for a while.

    Like nginx's `proxy_next_upstream error`: a refused connection (nothing sent yet) is tried on the
    next process, but a request cut off after it was sent is reported failed, never sent again.
    """

    def __init__(self, ports: list[int], host: str = "127.0.0.1"):
        self.host, self.ports = host, list(ports)
        self.down_until = dict.fromkeys(self.ports, 0.0)
        self.turn = 0
        self.lock = threading.Lock()

    def connect(self, timeout: float) -> http.client.HTTPConnection:
        with self.lock:
            start = self.turn
            self.turn += 1
        now = time.monotonic()
        ordered = [self.ports[(start + i) % len(self.ports)] for i in range(len(self.ports))]
        ordered.sort(key=lambda port: self.down_until[port] > now)  # healthy ones first, in turn
        error: OSError = ConnectionRefusedError("no app process")
        for port in ordered:
            connection = http.client.HTTPConnection(self.host, port, timeout=timeout)
            try:
                connection.connect()
                return connection
            except OSError as refused:
                self.down_until[port] = time.monotonic() + DOWN_SECONDS
                error = refused
        raise error


# --- one simulated browser ------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool
    detail: str = ""
    status: int = 0
    started: float = 0.0  # time.time() when sent
    retry_after: str = ""  # the Retry-After header of a 429 or 503


@dataclass
class Browser:
    """A cookie jar and the requests one person makes."""

    balancer: RoundRobin
    username: str
    think: float
    samples: list[Sample] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    cookies: dict[str, str] = field(default_factory=dict)
    rounds: int = 0  # rounds done: each uses the next day back, across calls of run()
    home = "/"

    def request(self, kind: str, method: str, path: str, form: dict | None = None, *, expect: int,
                location: str | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1", "User-Agent": "calf-rehab-load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        wall, started = time.time(), time.perf_counter()
        try:
            # gunicorn's sync workers close the connection after each response: one connection each.
            connection = self.balancer.connect(timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.samples.append(Sample(kind, time.perf_counter() - started, False, type(error).__name__,
                                       started=wall))
            return 0, ""
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        where = response.headers.get("Location", "")
        ok = response.status == expect and (location is None or re.fullmatch(location, where) is not None)
        detail = "" if ok else f"HTTP {response.status} {where}".strip()
        self.samples.append(Sample(kind, seconds, ok, detail, response.status, wall,
                                   response.headers.get("Retry-After", "")))
        return response.status, text

    def pause(self, deadline: float | None = None) -> None:
        seconds = random.uniform(0.5, 1.5) * self.think
        if deadline is not None:
            seconds = min(seconds, deadline - time.time())
        time.sleep(max(0.0, seconds))

    def log_in(self) -> bool:
        status, page = self.request("login page", "GET", f"/accounts/login/?next={self.home}", expect=200)
        if status != 200 or not CSRF_INPUT.search(page):
            return False
        self.pause()
        return self.send_password()

    def send_password(self) -> bool:
        status, _ = self.request("log in", "POST", f"/accounts/login/?next={self.home}",
                                 {"username": self.username, "password": PASSWORD}, expect=302,
                                 location=self.home)
        return status == 302 and "sessionid" in self.cookies

    def run(self, deadline: float) -> None:
        """The timed part: rounds until the deadline, starting at a random point of a first pause."""
        if "sessionid" not in self.cookies:
            return  # the log-in failed (already counted as an error)
        time.sleep(random.uniform(0, self.think))  # so that people do not click in step
        while time.time() < deadline:
            steps, self.rounds = self.steps(self.rounds), self.rounds + 1
            for step in steps:
                if time.time() >= deadline:
                    return
                step()
                self.pause(deadline)

    def steps(self, number: int) -> list:
        raise NotImplementedError


@dataclass
class Patient(Browser):
    exercises: list[tuple[int, str]] = field(default_factory=list)  # (exercise id, field of its amount)
    # Days are counted back from this fixed date, not from "now": a run that crosses midnight would
    # otherwise give two rounds the same day (a check-in updated, a measurement refused as a repeat).
    first_day: datetime.date = field(default_factory=lambda: datetime.datetime.now(datetime.UTC).date())

    def steps(self, number: int) -> list:
        """One round, in a patient's order: log a session, a measurement, a check-in; read the
        dashboard and a chart. Every round uses the next day back: one check-in per day."""
        now = datetime.datetime.now(datetime.UTC)
        day = (self.first_day - datetime.timedelta(days=number + 1)).isoformat()
        return [
            lambda: self.log_session(now - datetime.timedelta(hours=1, minutes=number)),
            lambda: self.log_measurement(day),
            lambda: self.log_check_in(day),
            lambda: self.request("dashboard", "GET", "/", expect=200),
            lambda: self.request("chart", "GET", f"/charts/{CHARTS[number % len(CHARTS)]}.svg", expect=200),
        ]

    def log_session(self, performed_at: datetime.datetime) -> None:
        status, _ = self.request("log session", "POST", "/sessions/new/",
                                 session_form(performed_at, self.exercises),
                                 expect=302, location=r"/sessions/\d+/")
        if status == 302:
            self.created["sessions"] += 1
            self.created["entries"] += len(self.exercises)

    def log_measurement(self, day: str) -> None:
        status, _ = self.request("log measurement", "POST", "/measurements/new/", measurement_form(day),
                                 expect=302, location="/measurements/")
        if status == 302:
            self.created["measurements"] += 1

    def log_check_in(self, day: str) -> None:
        status, _ = self.request("log check-in", "POST", f"/symptoms/{day}/", CHECK_IN_FORM,
                                 expect=302, location="/symptoms/")
        if status == 302:
            self.created["check-ins"] += 1


@dataclass
class Physio(Browser):
    """Staff must sign in with a second factor: the code comes from her device's key, as her app's."""

    totp_key: str = ""
    profiles: list[int] = field(default_factory=list)  # her patients' PatientProfile ids
    home = "/admin/"

    def send_password(self) -> bool:
        status, _ = self.request("log in", "POST", f"/accounts/login/?next={self.home}",
                                 {"username": self.username, "password": PASSWORD}, expect=302,
                                 location="/accounts/login/verify/")
        if status != 302:
            return False
        status, _ = self.request("login code page", "GET", "/accounts/login/verify/", expect=200)
        if status != 200:
            return False
        status, _ = self.request("login code", "POST", "/accounts/login/verify/",
                                 {"code": totp(self.totp_key)}, expect=302, location=self.home)
        return status == 302 and "sessionid" in self.cookies

    def steps(self, number: int) -> list:
        """The triage home, then one of her patients' review pages."""
        profile = self.profiles[number % len(self.profiles)]
        return [
            lambda: self.request("triage home", "GET", "/admin/", expect=200),
            lambda: self.request("review page", "GET", f"/admin/tracker/patientprofile/{profile}/change/",
                                 expect=200),
        ]
