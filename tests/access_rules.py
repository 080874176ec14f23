"""Who may open which URL: the rule table behind tests/test_access_matrix.py.

Every URL pattern the project resolves needs a rule here, found by URL name (`RULES`) or, for the
families Django's admin generates per model, by pattern (`ADMIN_MODELS` + `admin_family_rule`).
A rule says how to fill the path with real ids of the owner's objects (`args`, given the test's
`World`), which methods to send, and what each actor must get:

- anonymous: a visitor who is not logged in;
- owner: the patient who owns the objects in the path (assigned to physio_assigned);
- other_patient: another patient (assigned to physio_other);
- physio_assigned / physio_other: the owner's physio, and a physio she is not assigned to;
- superuser: sees everything.

A new URL without a rule fails the matrix with "add a rule for <name> <pattern>".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

World = SimpleNamespace  # the test's data: users and the owner's records (see test_access_matrix.world)

ACTORS = ("anonymous", "owner", "other_patient", "physio_assigned", "physio_other", "superuser")
PATIENTS = ("owner", "other_patient")
STAFF = ("physio_assigned", "physio_other", "superuser")

# --- outcomes --------------------------------------------------------------------------------------
OK = "200"
LOGIN = "login"  # 302 to /accounts/login/?next=<path>
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/?next=<path>
ADMIN_HOME = "admin-home"  # 302 to /admin/: physios and admins have no patient pages
NOT_FOUND = "404"
FORBIDDEN = "403"
NOT_ALLOWED = "405"
REDIRECT = "redirect"  # 302 somewhere other than a login page (after a successful POST, ...)
LOGGED_OUT = "logged-out"  # 302 to the login page, without ?next= (after logging out)
UNAUTHENTICATED = "401"  # the API's answer to a request without credentials
NO_CONTENT = "204"  # the API's answer to a DELETE


def no_args(w: World) -> dict:
    return {}


@dataclass(frozen=True)
class Rule:
    """`expect` maps actor -> outcome for every method sent (unless `expect_by_method` overrides)."""

    expect: dict[str, str]
    args: Callable[[World], dict | tuple] = no_args
    methods: tuple[str, ...] = ("GET",)
    # POST-only: the area's own actor (owner, or the physios/superuser in the admin) also sends a GET: 405.
    post_only: bool = False
    data: Callable[[World], dict] | None = None  # the POST body
    expect_by_method: dict[tuple[str, str], str] = field(default_factory=dict)  # (actor, method) -> outcome
    query: Callable[[World, str], str] | None = None  # (world, actor) -> "?..." added to the path
    path: Callable[[World], str] | None = None  # for unnamed patterns: the path itself

    def outcome(self, actor: str, method: str) -> str:
        return self.expect_by_method.get((actor, method), self.expect[actor])


def _all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ACTORS, outcome)


def public(outcome: str = OK, *, logged_in: str | None = None, **kwargs) -> Rule:
    """Open to everyone (login, sign-up, password reset, health check)."""
    expect = _all(outcome)
    if logged_in is not None:
        expect.update(dict.fromkeys(ACTORS[1:], logged_in))
    return Rule(expect=expect, **kwargs)


def any_user(outcome: str = OK, **kwargs) -> Rule:
    """Any logged-in user (e.g. changing one's own password)."""
    return Rule(expect={**_all(outcome), "anonymous": LOGIN}, **kwargs)


def patient_object(owner: str = OK, **kwargs) -> Rule:
    """A patient page about one of her objects (an id in the path): another patient gets 404."""
    expect = {
        "anonymous": LOGIN,
        "owner": owner,
        "other_patient": NOT_FOUND,
        **dict.fromkeys(STAFF, ADMIN_HOME),
    }
    return Rule(expect=expect, **kwargs)


def patient_self(owner: str = OK, **kwargs) -> Rule:
    """A patient page without an id: everybody gets her own (the owner's data must not show to others)."""
    expect = {
        "anonymous": LOGIN,
        "owner": owner,
        "other_patient": owner,
        **dict.fromkeys(STAFF, ADMIN_HOME),
    }
    return Rule(expect=expect, **kwargs)


def admin_page(assigned: str = OK, other: str | None = None, superuser: str | None = None, **kwargs) -> Rule:
    """An admin page: patients and visitors go to the admin login."""
    expect = {
        **dict.fromkeys(("anonymous", *PATIENTS), ADMIN_LOGIN),
        "physio_assigned": assigned,
        "physio_other": assigned if other is None else other,
        "superuser": assigned if superuser is None else superuser,
    }
    return Rule(expect=expect, **kwargs)


# --- path arguments --------------------------------------------------------------------------------


def pk_of(name: str) -> Callable[[World], dict]:
    return lambda w: {"pk": getattr(w, name).pk}


def profile_id(**extra) -> Callable[[World], dict]:
    return lambda w: {"object_id": str(w.owner.profile.pk), **extra}


def symptom_day(w: World) -> dict:
    return {"day": w.symptom.date.isoformat()}


def unsubscribe_token(w: World) -> dict:
    from tracker.services.mail import unsubscribe_token as token_for

    return {"token": token_for(w.owner, "reminders")}


# --- rules by URL name -----------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    # Public: anyone, logged in or not.
    "healthz": public(),
    "login": public(),
    "logout": public(LOGGED_OUT, methods=("POST",), post_only=True),
    "signup": public(OK, logged_in=REDIRECT),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(args=lambda w: {"uidb64": "MQ", "token": "not-a-real-token"}),
    "password_reset_complete": public(),
    # The second step of logging in (two-factor sign-in): without a password step first (and so for
    # every actor here), back to the login page.
    "login_verify": public(LOGGED_OUT, methods=("GET", "POST")),
    "login_enrol": public(LOGGED_OUT, methods=("GET", "POST")),
    # Any logged-in user.
    "password_change": any_user(),
    # Her own two-factor sign-in (staff too): an empty POST to the setup asks for the code again.
    "two_factor": any_user(),
    "two_factor_setup": any_user(methods=("GET", "POST")),
    "two_factor_codes": any_user(REDIRECT, methods=("POST",), post_only=True),  # none set up: back
    "two_factor_off": any_user(REDIRECT, methods=("POST",), post_only=True),
    "password_change_done": any_user(),
    # Patient pages without an id: each patient gets her own.
    "dashboard": patient_self(),
    "measurement_list": patient_self(),
    "measurement_new": patient_self(methods=("GET", "POST")),  # an empty POST re-renders with errors
    "measurement_check": patient_self(),  # JSON: is this site already measured on this date?
    "export_measurements": patient_self(),
    "import_measurements": patient_self(methods=("GET", "POST")),
    "heel_rise_list": patient_self(),
    "heel_rise_new": patient_self(methods=("GET", "POST")),
    "export_heel_rise": patient_self(),
    "profile": patient_self(methods=("GET", "POST")),
    "session_list": patient_self(),
    "session_new": patient_self(methods=("GET", "POST")),
    "export_sessions": patient_self(),
    "symptom_list": patient_self(),
    # The day is in the URL, not an id: another patient gets her own (empty) check-in for that day.
    "symptom_day": patient_self(args=symptom_day),
    "export_symptoms": patient_self(),
    "chart": patient_self(args=lambda w: {"name": "girth", "fmt": "svg"}),
    # Questionnaires: her list and charts; the ids are her assignment (start) and her responses.
    "questionnaire_list": patient_self(),
    "questionnaire_chart": patient_self(args=lambda w: {"code": "lefs", "fmt": "svg"}),
    "questionnaire_start": patient_object(
        REDIRECT, args=pk_of("questionnaire_assignment"), methods=("POST",), post_only=True
    ),
    # An empty POST re-renders the question ("choose an answer, or skip").
    "questionnaire_question": patient_object(
        args=lambda w: {"pk": w.questionnaire_draft.pk, "number": 1}, methods=("GET", "POST")
    ),
    "questionnaire_review": patient_object(args=pk_of("questionnaire_draft")),
    "questionnaire_submit": patient_object(
        REDIRECT, args=pk_of("questionnaire_draft"), methods=("POST",), post_only=True
    ),
    "questionnaire_result": patient_object(args=pk_of("questionnaire_result")),
    "report": patient_self(),
    "programme": patient_self(),
    "programme_pdf": patient_self(),
    # A photo or video (tracker.access.visible_media): the patient it is for, her physio, superusers.
    "media_file": Rule(
        expect={"anonymous": LOGIN, "owner": OK, "other_patient": NOT_FOUND, "physio_assigned": OK,
                "physio_other": NOT_FOUND, "superuser": OK},
        args=pk_of("media"),
    ),
    # Her data is hers: GET explains, POST downloads the zip / (with her password) deletes the account.
    "account_export": patient_self(methods=("GET", "POST")),
    "account_delete": patient_self(methods=("GET", "POST")),  # an empty POST: "enter your password"
    # Her reminder settings (linked from her profile page and from every reminder e-mail).
    "reminder_settings": patient_self(methods=("GET", "POST")),  # an empty POST: "enter a time"
    # One-click unsubscribe: the signed token is the key, no login (GET asks, POST stops them).
    "unsubscribe": public(args=unsubscribe_token, methods=("GET", "POST")),
    # Personal API tokens (on her profile page).
    "token_create": patient_self(methods=("GET", "POST")),  # an empty POST: "give it a name"
    # Her conversation with her physio: no id in the URL, each patient gets her own.
    "message_list": patient_self(methods=("GET", "POST")),  # an empty POST: "write your message first"
    "token_revoke": patient_object(args=pk_of("token"), methods=("POST",), post_only=True),
    # Patient pages about one object: another patient gets 404.
    "note_read": patient_object(REDIRECT, args=pk_of("note"), methods=("POST",), post_only=True),
    "measurement_edit": patient_object(args=pk_of("girth"), methods=("GET", "POST")),
    "measurement_delete": patient_object(args=pk_of("girth"), methods=("POST",), post_only=True),
    "heel_rise_edit": patient_object(args=pk_of("heel_rise"), methods=("GET", "POST")),
    "heel_rise_delete": patient_object(args=pk_of("heel_rise"), methods=("POST",), post_only=True),
    "session_detail": patient_object(args=pk_of("session")),
    "session_edit": patient_object(args=pk_of("session"), methods=("GET", "POST")),
    "session_delete": patient_object(args=pk_of("session"), methods=("POST",), post_only=True),
    "symptom_delete": patient_object(args=symptom_day, methods=("POST",), post_only=True),
    # The admin's own pages.
    # Staff already logged in are sent on to the admin index; patients see the form (not allowed in).
    # The admin logs in on the site's login page (which asks for the second factor); staff already
    # in are sent on to the admin index.
    "admin:login": Rule(expect={**dict.fromkeys(("anonymous", *PATIENTS), LOGIN),
                                **dict.fromkeys(STAFF, ADMIN_HOME)}),
    "admin:logout": admin_page(
        LOGGED_OUT, methods=("POST",), post_only=True,
        expect_by_method={(actor, "POST"): ADMIN_HOME for actor in ("anonymous", *PATIENTS)},
    ),
    "admin:index": admin_page(),
    "admin:password_change": admin_page(),
    "admin:password_change_done": admin_page(),
    "admin:jsi18n": admin_page(),
    "admin:app_list": admin_page(args=lambda w: {"app_label": "tracker"}),
    # Without its GET parameters the autocomplete refuses; with them see tests/admin/test_access.py.
    "admin:autocomplete": admin_page(FORBIDDEN),
    # The records have no page on the site: 404 for staff, whoever's record it is.
    "admin:view_on_site": admin_page(
        NOT_FOUND,
        args=lambda w: {
            "content_type_id": str(ContentType.objects.get_for_model(w.girth).pk),
            "object_id": str(w.girth.pk),
        },
    ),
    # The patient review (custom views of PatientProfileAdmin): 404 outside the caseload.
    "admin:tracker_patientprofile_chart": admin_page(
        OK, NOT_FOUND, args=profile_id(name="girth", fmt="svg")
    ),
    "admin:tracker_patientprofile_report": admin_page(OK, NOT_FOUND, args=profile_id()),
    "admin:tracker_patientprofile_export": admin_page(OK, NOT_FOUND, args=profile_id()),
    "admin:tracker_patientprofile_mark_reviewed": admin_page(
        REDIRECT, NOT_FOUND, args=profile_id(), methods=("POST",), post_only=True
    ),
    "admin:tracker_patientprofile_programme": admin_page(
        REDIRECT, NOT_FOUND, args=profile_id(), methods=("POST",), post_only=True,
        data=lambda w: {"template": "stretching", "start_date": timezone.localdate().isoformat()},
    ),
    # Questionnaires on the review: assign, stop, the chart; 404 outside the caseload.
    "admin:tracker_patientprofile_questionnaire_assign": admin_page(
        REDIRECT, NOT_FOUND, args=profile_id(), methods=("POST",), post_only=True,
        data=lambda w: {"instrument": "VISA-A", "start_date": timezone.localdate().isoformat(),
                        "repeat_weeks": "4"},
    ),
    "admin:tracker_patientprofile_questionnaire_stop": admin_page(
        REDIRECT, NOT_FOUND, methods=("POST",), post_only=True,
        args=lambda w: {"object_id": str(w.owner.profile.pk), "assignment_id": w.questionnaire_assignment.pk},
    ),
    "admin:tracker_patientprofile_questionnaire_chart": admin_page(
        OK, NOT_FOUND, args=profile_id(code="lefs", fmt="svg")
    ),
    # The note composer and the triage home's "seen": 404 outside the caseload.
    "admin:tracker_patientprofile_note": admin_page(
        REDIRECT, NOT_FOUND, args=profile_id(), methods=("POST",), post_only=True,
        data=lambda w: {"text": "A note from the access matrix."},
    ),
    "admin:tracker_patientprofile_seen": admin_page(
        REDIRECT, NOT_FOUND, args=profile_id(), methods=("POST",), post_only=True
    ),
    # Deleted records and their restore: superusers only; a physio gets 404.
    "admin:tracker_patientprofile_deleted": admin_page(NOT_FOUND, NOT_FOUND, OK),
    "admin:tracker_patientprofile_restore": admin_page(
        NOT_FOUND, NOT_FOUND, REDIRECT, methods=("POST",), post_only=True,
        args=lambda w: {"kind": "girthmeasurement", "history_id": w.deleted_girth_history_id},
    ),
    # Every staff member's own e-mail alert settings; an empty POST: "enter a time".
    "admin:tracker_user_my_settings": admin_page(methods=("GET", "POST")),
    # Set a user's password: the user admin is for superusers only.
    "admin:auth_user_password_change": admin_page(
        FORBIDDEN, FORBIDDEN, OK, args=lambda w: {"id": str(w.owner.pk)}
    ),
}


# --- the admin's generated per-model URLs ---------------------------------------------------------


@dataclass(frozen=True)
class AdminModel:
    """A registered ModelAdmin: which of the owner's objects to open, and what a physio may do.

    `physio`: the permissions a physio has there, as letters v(iew) a(dd) c(hange) d(elete);
    `scoped`: rows are limited to her assigned patients (another physio's patient is out of reach).
    """

    obj: Callable[[World], object]
    physio: str
    scoped: bool = True
    addable: bool = True  # False: nobody adds rows here, not even a superuser (django-axes' logs)


ADMIN_MODELS: dict[str, AdminModel] = {
    "auth.group": AdminModel(lambda w: w.group, physio="", scoped=False),
    "tracker.user": AdminModel(lambda w: w.owner, physio="", scoped=False),  # superusers only
    "tracker.patientprofile": AdminModel(lambda w: w.owner.profile, physio="vac"),
    "tracker.girthmeasurement": AdminModel(lambda w: w.girth, physio="vac"),
    "tracker.heelrisetest": AdminModel(lambda w: w.heel_rise, physio="vac"),
    "tracker.exercisesession": AdminModel(lambda w: w.session, physio="v"),  # patients' own: read-only
    "tracker.symptomlog": AdminModel(lambda w: w.symptom, physio="v"),
    "tracker.prescription": AdminModel(lambda w: w.prescription, physio="vacd"),
    "tracker.physionote": AdminModel(lambda w: w.note, physio="vac"),
    # Who left: each physio sees her own former patients only; nobody adds or edits these rows.
    "tracker.closedaccount": AdminModel(lambda w: w.closed_account, physio="v", addable=False),
    # The shared library: physios add; a library exercise opens read-only (tests/admin/test_exercises.py).
    "tracker.exercise": AdminModel(lambda w: w.exercise, physio="vac", scoped=False),
    "tracker.exercisemedia": AdminModel(lambda w: w.media, physio="vacd"),
    # The log of e-mails sent: superusers only, nobody adds or changes a row.
    "tracker.sentreminder": AdminModel(lambda w: w.sent_reminder, physio="", scoped=False, addable=False),
    "axes.accessattempt": AdminModel(
        lambda w: w.access_attempt, physio="", scoped=False, addable=False
    ),
    "axes.accesslog": AdminModel(
        lambda w: w.access_log, physio="", scoped=False, addable=False
    ),
    "axes.accessfailurelog": AdminModel(
        lambda w: w.access_failure, physio="", scoped=False, addable=False
    ),
}

# view -> the permission letters any one of which opens it
ADMIN_VIEWS = {
    "changelist": "vc",
    "add": "a",
    "change": "vc",
    "history": "vc",
    "delete": "d",
    "simple_history": "vc",  # django-simple-history: one historical version of an object
}
OBJECT_VIEWS = {"change", "history", "delete", "simple_history"}
ADMIN_NAME = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<view>[a-z_]+)$")
ADMIN_REDIRECT_ROUTE = re.compile(r"^admin/(?P<app>[a-z]+)/(?P<model>[a-z]+)/<path:object_id>/$")


def _latest_history_id(obj) -> int:
    # (`pk` of a historical row is its history_id: filter on the original model's key field)
    key = obj._meta.pk.attname
    return type(obj).history.filter(**{key: obj.pk}).latest("history_date").history_id


def admin_family_rule(name: str | None, route: str) -> Rule | None:
    """Rules for changelist/add/change/delete/history of every model in ADMIN_MODELS."""
    if name is None:
        match = ADMIN_REDIRECT_ROUTE.match(route)
        model = match and ADMIN_MODELS.get(f"{match['app']}.{match['model']}")
        if model is None:
            return None
        # The old-style object URL redirects to the change page, where the checks happen.
        app, model_name = match["app"], match["model"]
        return admin_page(
            REDIRECT, path=lambda w: f"/admin/{app}/{model_name}/{model.obj(w).pk}/"
        )
    match = ADMIN_NAME.match(name)
    model = match and ADMIN_MODELS.get(f"{match['app']}.{match['model']}")
    if model is None or match["view"] not in ADMIN_VIEWS:
        return None
    view = match["view"]
    allowed = any(letter in model.physio for letter in ADMIN_VIEWS[view])
    assigned = OK if allowed else FORBIDDEN
    if view not in OBJECT_VIEWS:
        return admin_page(assigned, superuser=FORBIDDEN if view == "add" and not model.addable else OK)
    # Another physio's patient's object is "not found" wherever the view itself is open to physios;
    # a view closed to every physio (e.g. deleting a patient's own session) is 403 for any id.
    other = (NOT_FOUND if allowed else FORBIDDEN) if model.scoped else assigned
    if view == "simple_history":
        args = lambda w: (str(model.obj(w).pk), str(_latest_history_id(model.obj(w))))  # noqa: E731
    else:
        args = lambda w: {"object_id": str(model.obj(w).pk)}  # noqa: E731
    return admin_page(assigned, other, OK, args=args)


def admin_catch_all_rule(name: str | None, route: str) -> Rule | None:
    if name is None and route == "admin/(?P<url>.*)$":
        return admin_page(NOT_FOUND, path=lambda w: "/admin/no-such-page/")
    return None


# --- the API (/api/...) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiResource:
    """A router basename: which of the owner's objects its detail URL opens, and what it allows."""

    obj: Callable[[World], object]
    writable: bool = True  # patients may DELETE (physios read only)
    per_patient: bool = True  # False: the shared exercise library


API_RESOURCES: dict[str, ApiResource] = {
    "measurement": ApiResource(lambda w: w.girth),
    "heel-rise": ApiResource(lambda w: w.heel_rise),
    "session": ApiResource(lambda w: w.session),
    "symptom": ApiResource(lambda w: w.symptom),
    "prescription": ApiResource(lambda w: w.prescription, writable=False),
    "exercise": ApiResource(lambda w: w.exercise, writable=False, per_patient=False),
    "questionnaire": ApiResource(lambda w: w.questionnaire_result, writable=False),  # submitted: final
}
API_NAME = re.compile(r"^api-(?P<basename>[a-z-]+)-(?P<action>list|detail)$")


def physio_query(w: World, actor: str) -> str:
    """Physios (and superusers) name the patient: ?patient=<the owner's id>; patients never do."""
    return f"?patient={w.owner.pk}" if actor in STAFF else ""


def api_rule(*, writable: bool = False, per_patient: bool = True, detail: bool = False, **kwargs) -> Rule:
    """A patient-scoped API endpoint: 401 without credentials, her own data, her physio reads.

    The owner's physio and superusers pass ?patient=<owner id>; another physio gets 404 for it; another
    patient gets her own list, and 404 for the owner's object.
    """
    expect = {
        "anonymous": UNAUTHENTICATED,
        "owner": OK,
        "other_patient": NOT_FOUND if detail and per_patient else OK,
        "physio_assigned": OK,
        "physio_other": NOT_FOUND if per_patient else OK,
        "superuser": OK,
    }
    by_method = {}
    methods = ("GET",)
    if writable:
        methods = ("GET", "DELETE")  # reading first: DELETE removes it
        by_method = {("owner", "DELETE"): NO_CONTENT, ("physio_assigned", "DELETE"): FORBIDDEN,
                     ("superuser", "DELETE"): FORBIDDEN}
    return Rule(expect=expect, methods=methods, expect_by_method=by_method,
                query=physio_query if per_patient else None, **kwargs)


def api_family_rule(name: str | None, route: str) -> Rule | None:
    match = API_NAME.match(name or "")
    resource = match and API_RESOURCES.get(match["basename"])
    if resource is None:
        return None
    if match["action"] == "list":
        return api_rule(per_patient=resource.per_patient)
    return api_rule(writable=resource.writable, per_patient=resource.per_patient, detail=True,
                    args=lambda w: {"pk": resource.obj(w).pk})


def api_catch_all_rule(name: str | None, route: str) -> Rule | None:
    """Unknown /api/ URLs: a JSON 404 for everybody."""
    if name is None and route == "api/^.*$":
        return public(NOT_FOUND, path=lambda w: "/api/v1/no-such-thing/")
    return None


RULES.update({
    "api-progress": api_rule(),
    "api-questionnaire-due": api_rule(),
    # Her conversation: read like any of her lists (physios with ?patient=); writing is hers only.
    "api-messages": api_rule(),
    "api-messages-read": Rule(
        expect={"anonymous": UNAUTHENTICATED, "owner": OK, "other_patient": OK, "physio_assigned": FORBIDDEN,
                "physio_other": NOT_FOUND, "superuser": FORBIDDEN},
        methods=("POST",), post_only=True, query=physio_query,
    ),
    "api-programme": api_rule(),
    # A photo or video by id (tracker.access.visible_media), fetched with API credentials.
    "api-media-file": Rule(
        expect={"anonymous": UNAUTHENTICATED, "owner": OK, "other_patient": NOT_FOUND, "physio_assigned": OK,
                "physio_other": NOT_FOUND, "superuser": OK},
        args=pk_of("media"),
    ),
    # The OpenAPI schema and its Swagger UI describe the API, not anybody's data: public.
    "api-schema": public(),
    "api-docs": public(),
})

PATTERN_RULES = [admin_family_rule, admin_catch_all_rule, api_family_rule, api_catch_all_rule]


def rule_for(name: str | None, route: str) -> Rule | None:
    if name in RULES:
        return RULES[name]
    for find in PATTERN_RULES:
        rule = find(name, route)
        if rule is not None:
            return rule
    return None
