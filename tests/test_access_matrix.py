"""The access-control matrix: every URL pattern the project resolves, asked of every kind of user.

The URL patterns are walked recursively (the site's own, the auth views, the admin's generated
per-model URLs and any API router). Each pattern needs a rule in tests/access_rules.py saying how to
fill its path with real ids of the owner's objects and what every actor must get; a pattern without
a rule fails with "add a rule for <name> <pattern>", so a new URL cannot slip through unchecked.
Besides the status, the owner's private text must never reach an actor who may not see it.
"""

from __future__ import annotations

import copy
import datetime
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import access_rules as rules
from tests.factories import (
    ExerciseEntryFactory,
    ExerciseFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
    UserFactory,
)
from tests.helpers import rows_for_scope
from tests.media_files import image_bytes, upload
from tracker.models import PHYSIO_GROUP, ClosedAccount, GirthMeasurement, SentReminder
from tracker.services.media import media_save
from tracker.services.tokens import create_token

# The owner's private text: only she, her physio and superusers may ever receive it.
SECRETS = ("Ownerina", "Secretson", "owner-secret")
# Actors who must never receive it.
OUTSIDERS = ("anonymous", "other_patient", "physio_other")


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """(name with namespace or None, full route) of every URL pattern, included URLconfs too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def url_patterns() -> list[tuple[str, str | None, str]]:
    """(test id, name, route) of every pattern; the id is the name, or the route when not unique."""
    found = list(walk(get_resolver().url_patterns))
    counts: dict[str | None, int] = {}
    for name, _route in found:
        counts[name] = counts.get(name, 0) + 1
    return [
        (name if name and counts[name] == 1 else f"{name or 'unnamed'}[{route}]", name, route)
        for name, route in found
    ]


PATTERNS = url_patterns()


# --- the data: two patients, two physios, a superuser, and the owner's records --------------------


@pytest.fixture(scope="module")
def shared_media_root(tmp_path_factory):
    """The world's uploaded files live as long as its rows (a test's own media folder would not)."""
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, shared_media_root):
    """The world's rows, built once for this module (each test's changes roll back to them)."""
    with override_settings(MEDIA_ROOT=shared_media_root):
        yield from rows_for_scope(django_db_blocker, build_world)


@pytest.fixture
def world(db, shared_world, shared_media_root, settings) -> SimpleNamespace:
    """The world for one test: its own copies of the model instances (a test may change them)."""
    settings.MEDIA_ROOT = shared_media_root
    return copy.deepcopy(shared_world)


def build_world() -> SimpleNamespace:
    physio_assigned = PhysioFactory(username="matrix_physio_a")
    physio_other = PhysioFactory(username="matrix_physio_b")
    owner = PatientFactory(username="matrix_owner", first_name="Ownerina", last_name="Secretson")
    other_patient = PatientFactory(username="matrix_other", first_name="Olga", last_name="Other")
    for patient, physio in ((owner, physio_assigned), (other_patient, physio_other)):
        patient.profile.physio = physio
        patient.profile.condition = f"condition of {patient.username}"
        patient.profile.save()
    owner.profile.condition = "owner-secret condition"
    owner.profile.save()
    today = timezone.localdate()
    session = ExerciseSessionFactory(patient=owner, notes="owner-secret session")
    ExerciseEntryFactory(session=session)
    # The other patient has records of her own (so that lists are not empty for her or physio_other).
    other_session = ExerciseSessionFactory(patient=other_patient, notes="her session")
    ExerciseEntryFactory(session=other_session)
    GirthMeasurementFactory(patient=other_patient, notes="her girth")
    SymptomLogFactory(patient=other_patient, date=today - datetime.timedelta(days=20))
    PhysioNoteFactory(patient=other_patient, author=physio_other, text="her note")
    MessageFactory(patient=other_patient, text="her message")
    MessageFactory(patient=owner, text="owner-secret message")
    attempt = dict(user_agent="test", ip_address="127.0.0.1", username="matrix_owner",
                   http_accept="text/html", path_info="/accounts/login/")
    return SimpleNamespace(
        owner=owner,
        other_patient=other_patient,
        physio_assigned=physio_assigned,
        physio_other=physio_other,
        superuser=UserFactory(username="matrix_admin", is_staff=True, is_superuser=True),
        girth=GirthMeasurementFactory(patient=owner, notes="owner-secret girth"),
        heel_rise=HeelRiseTestFactory(patient=owner, notes="owner-secret heel rise"),
        session=session,
        symptom=SymptomLogFactory(patient=owner, date=today - datetime.timedelta(days=3),
                                  notes="owner-secret symptoms"),
        prescription=PrescriptionFactory(patient=owner, notes="owner-secret programme"),
        note=PhysioNoteFactory(patient=owner, author=physio_assigned, text="owner-secret note"),
        exercise=ExerciseFactory(),
        closed_account=ClosedAccount.objects.create(physio=physio_assigned,
                                                    display_name="Ownerina Secretson (left)"),
        group=Group.objects.get(name=PHYSIO_GROUP),
        access_attempt=AccessAttempt.objects.create(**attempt, get_data="", post_data="",
                                                    failures_since_start=1),
        access_log=AccessLog.objects.create(**attempt),
        access_failure=AccessFailureLog.objects.create(**attempt),
        token=create_token(user=owner, name="owner-secret token")[0],
        media=owner_media(owner, physio_assigned),
        deleted_girth_history_id=deleted_girth_history_id(owner),
        sent_reminder=SentReminder.objects.create(user=owner, kind="session", local_date=today),
        **questionnaires(owner, other_patient),
    )


def questionnaires(owner, other_patient) -> dict:
    """A LEFS assigned to her 8 weeks ago, every 4 weeks: answered 5 weeks ago, due again today and
    started (a draft). The other patient has one of her own."""
    start = timezone.localdate() - datetime.timedelta(weeks=8)
    assignment = QuestionnaireAssignmentFactory(patient=owner, start_date=start)
    QuestionnaireAssignmentFactory(patient=other_patient, start_date=start)
    return {
        "questionnaire_assignment": assignment,
        "questionnaire_result": QuestionnaireResponseFactory(
            patient=owner, assignment=assignment, submitted_at=timezone.now() - datetime.timedelta(weeks=5)
        ),
        "questionnaire_draft": QuestionnaireResponseFactory(
            patient=owner, assignment=assignment, submitted_at=None, score=None, answers={"q2": 3}
        ),
    }


def owner_media(owner, physio):
    """A photo her physio uploaded for her prescription only."""
    prescription = PrescriptionFactory(patient=owner, notes="owner-secret media programme")
    return media_save(upload=upload("owner.jpg", image_bytes()), exercise=prescription.exercise,
                      prescription=prescription, description="owner-secret photo", uploaded_by=physio)


def deleted_girth_history_id(owner) -> int:
    """The history row of a measurement of hers that was deleted (for the restore URL)."""
    gone = GirthMeasurementFactory(patient=owner, notes="owner-secret deleted girth")
    pk = gone.pk
    gone.delete()
    return GirthMeasurement.history.filter(id=pk, history_type="-").get().history_id


def client_for(world: SimpleNamespace, actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    return client


def build_path(rule: rules.Rule, name: str | None, world: SimpleNamespace, actor: str) -> str:
    if rule.path is not None:
        path = rule.path(world)
    else:
        args = rule.args(world)
        path = reverse(name, args=args) if isinstance(args, tuple) else reverse(name, kwargs=args)
    return path + (rule.query(world, actor) if rule.query else "")


# --- checking one answer ---------------------------------------------------------------------------


def _redirected_to(response, prefix: str) -> bool:
    return response.status_code in (301, 302, 303) and response["Location"].startswith(prefix)


def _next_of(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]


def check(outcome: str, response, path: str) -> None:
    status, where = response.status_code, response.get("Location", "")
    answer = f"{status} {where}".strip()
    if outcome == rules.OK:
        assert status == 200, f"expected 200, got {answer}"
    elif outcome == rules.LOGIN:
        assert _redirected_to(response, "/accounts/login/?"), f"expected the login page, got {answer}"
        assert _next_of(response) == path
    elif outcome == rules.ADMIN_LOGIN:
        assert _redirected_to(response, "/admin/login/?"), f"expected the admin login, got {answer}"
        assert _next_of(response) == path
    elif outcome == rules.ADMIN_HOME:
        assert status == 302 and where == reverse("admin:index"), f"expected /admin/, got {answer}"
    elif outcome == rules.NOT_FOUND:
        assert status == 404, f"expected 404, got {answer}"
    elif outcome == rules.FORBIDDEN:
        assert status == 403, f"expected 403, got {answer}"
    elif outcome == rules.NOT_ALLOWED:
        assert status == 405, f"expected 405, got {answer}"
    elif outcome == rules.REDIRECT:
        assert status in (301, 302, 303), f"expected a redirect, got {answer}"
        assert not where.startswith(("/accounts/login/", "/admin/login/")), f"sent to log in: {answer}"
    elif outcome == rules.LOGGED_OUT:
        assert status == 302 and where == reverse("login"), f"expected the login page, got {answer}"
    elif outcome == rules.UNAUTHENTICATED:
        assert status == 401, f"expected 401, got {answer}"
        assert response["WWW-Authenticate"].startswith("Bearer")
    elif outcome == rules.NO_CONTENT:
        assert status == 204, f"expected 204, got {answer}"
    else:
        raise AssertionError(f"unknown outcome {outcome!r}")


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


# --- the matrix ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", rules.ACTORS)
@pytest.mark.parametrize(("name", "route"), [p[1:] for p in PATTERNS], ids=[p[0] for p in PATTERNS])
def test_access(world, name, route, actor):
    rule = rules.rule_for(name, route)
    if rule is None:
        pytest.fail(f"add a rule for {name} {route} (in tests/access_rules.py)")
    path = build_path(rule, name, world, actor)
    client = client_for(world, actor)
    data = rule.data(world) if rule.data else {}
    for method in rule.methods:
        response = getattr(client, method.lower())(path, data if method == "POST" else None)
        assert response.status_code < 500
        check(rule.outcome(actor, method), response, path)
        if actor in OUTSIDERS:
            body = body_of(response)
            leaked = [secret for secret in SECRETS if secret in body]
            assert not leaked, f"{method} {path} shows the owner's data to {actor}: {leaked}"
    if rule.post_only and rule.expect[actor] in (rules.OK, rules.REDIRECT, rules.LOGGED_OUT):
        response = client_for(world, actor).get(path)
        assert response.status_code == 405, f"GET {path} as {actor}: {response.status_code}, expected 405"


def test_every_url_pattern_has_a_rule():
    """One list of every pattern still missing a rule (the matrix fails per pattern too)."""
    missing = [f"add a rule for {name} {route}" for _id, name, route in PATTERNS
               if rules.rule_for(name, route) is None]
    assert not missing, "\n".join(missing)


def test_the_walk_reaches_included_urlconfs():
    names = {name for _id, name, _route in PATTERNS}
    assert {"dashboard", "login", "admin:index", "admin:tracker_girthmeasurement_change",
            "admin:tracker_patientprofile_chart"} <= names
    assert len(PATTERNS) >= 100


def test_every_named_rule_matches_a_url():
    """A rule for a URL that no longer exists is a stale row: remove it."""
    names = {name for _id, name, _route in PATTERNS}
    assert sorted(set(rules.RULES) - names) == []


def test_every_admin_model_is_registered():
    names = {name for _id, name, _route in PATTERNS}
    for label in rules.ADMIN_MODELS:
        app, model = label.split(".")
        assert f"admin:{app}_{model}_changelist" in names, f"{label} is not in the admin: remove its row"


# --- the API with personal tokens (the matrix above logs in with a session) -------------------------


@pytest.mark.parametrize("basename", [name for name, res in rules.API_RESOURCES.items() if res.per_patient])
def test_api_tokens_reach_only_their_owners_records(world, basename):
    obj = rules.API_RESOURCES[basename].obj(world)
    url = reverse(f"api-{basename}-detail", kwargs={"pk": obj.pk})
    _token, owner_secret = create_token(user=world.owner, name="owner's app")
    _token, other_secret = create_token(user=world.other_patient, name="her app")
    client = Client()
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {owner_secret}").status_code == 200
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert response.status_code == 404
    assert not [secret for secret in SECRETS if secret in body_of(response)]
    assert client.get(url, HTTP_AUTHORIZATION="Bearer crt_not-a-real-token").status_code == 401
    world.token.delete()
    _token.delete()  # a revoked token no longer opens anything
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 401
