"""Exercise sessions: log today's programme, list, view, edit, delete and export."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tracker import metrics
from tracker.forms import sessions as session_forms
from tracker.models import ExerciseSession
from tracker.ratelimits import rate_limited
from tracker.responses import csv_download
from tracker.selectors import sessions as selectors
from tracker.selectors.flags import exercise_paused
from tracker.services import exports
from tracker.services.sessions import save_session
from tracker.views.common import confirm_and_delete, filter_by_date_range, paginate, patient_required

FORM_TEMPLATE = "tracker/sessions/form.html"
PREFILL_SOURCES = ("programme", "repeat")
PAIN_GUIDANCE = (
    f"Pain up to {metrics.PAIN_ACCEPTABLE_MAX}/10 during and after exercise is acceptable, "
    "and it should settle by the next morning."
)


def _get_session(request: HttpRequest, pk: int) -> ExerciseSession:
    return get_object_or_404(ExerciseSession, pk=pk, patient=request.user)


def _entry_formset(
    data=None, *, session: ExerciseSession, exercises: list, initial: list | None = None, extra: int = 0
):
    # Bound formsets take their size from the posted TOTAL_FORMS; extra only sizes a fresh page.
    return session_forms.entry_formset_class(extra=extra)(
        data,
        instance=session,
        prefix=session_forms.ENTRY_PREFIX,
        initial=initial,
        form_kwargs={"exercise_choices": session_forms.exercise_choices(exercises)},
    )


@patient_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    queryset, filter_form, querystring = filter_by_date_range(
        request, selectors.sessions_for_list(request.user), field="performed_at__date"
    )
    page_obj = paginate(request, queryset)
    context = {
        "page_obj": page_obj,
        "rows": [(session, selectors.exercise_names(session)) for session in page_obj],
        "filter_form": filter_form,
        "querystring": querystring,
        "filtered": bool(request.GET.get("date_from") or request.GET.get("date_to")),
        "pain_limit": metrics.PAIN_ACCEPTABLE_MAX,
        "exercise_paused": exercise_paused(request.user, today=timezone.localdate()),
        "has_programme": selectors.has_programme(request.user, timezone.localdate()),
    }
    return render(request, "tracker/sessions/list.html", context)


@patient_required
def session_new(request: HttpRequest) -> HttpResponse:
    session = ExerciseSession(patient=request.user)
    if request.method == "POST":
        source = request.POST.get("source", "")
        return _save_or_redisplay(request, session, source=source if source in PREFILL_SOURCES else "")

    source, initial_entries = "", []
    if request.GET.get("repeat") == "last":
        last = selectors.last_session(request.user)
        if last is not None:
            source, initial_entries = "repeat", selectors.repeated_entries(last)
    if not source:
        initial_entries = selectors.prescribed_entries(request.user, timezone.localdate())
        source = "programme" if initial_entries else ""

    exercises = selectors.exercises()
    form = session_forms.SessionForm(
        instance=session, initial={"performed_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    formset = _entry_formset(
        session=session, exercises=exercises, initial=initial_entries, extra=max(len(initial_entries), 1)
    )
    return _render_form(request, form, formset, exercises, source=source)


@patient_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    if request.method == "POST":
        return _save_or_redisplay(request, session)
    exercises = selectors.exercises()
    form = session_forms.SessionForm(instance=session)
    formset = _entry_formset(session=session, exercises=exercises)
    return _render_form(request, form, formset, exercises)


def _save_or_redisplay(request: HttpRequest, session: ExerciseSession, *, source: str = "") -> HttpResponse:
    """Validate and save the session with its entries, or show the form again as typed.

    The "Add another exercise" button (name="add_entry") re-displays the form with one more
    empty entry and saves nothing: the way to add a row without JavaScript.
    """
    creating = session.pk is None
    adding_entry = "add_entry" in request.POST
    data = session_forms.with_one_more_entry(request.POST) if adding_entry else request.POST
    exercises = selectors.exercises()
    form = session_forms.SessionForm(data, instance=session)
    formset = _entry_formset(data, session=session, exercises=exercises)
    if adding_entry:
        session_forms.skip_validation(form, formset)
    elif form.is_valid() and formset.is_valid():
        saved = save_session(
            patient=request.user,
            session=form.save(commit=False),
            entries=formset.save(commit=False),
            removed=formset.deleted_objects,
        )
        entries = list(saved.entries.all())
        count = f"{len(entries)} exercise{'' if len(entries) == 1 else 's'}"
        messages.success(request, f"Session {'saved' if creating else 'updated'}: {count}.")
        _add_pain_advice(request, saved, entries)
        return redirect("session_detail", pk=saved.pk)
    return _render_form(request, form, formset, exercises, source=source)


def _add_pain_advice(request: HttpRequest, session: ExerciseSession, entries: list) -> None:
    flags = metrics.pain_monitoring_breaches(
        pain_during_max=selectors.pain_during_max(entries), pain_after=session.pain_after
    )
    if flags:
        paused = exercise_paused(request.user, today=timezone.localdate())
        messages.warning(request, f"{PAIN_GUIDANCE} {metrics.pain_advice(flags, paused=paused)}")


def _render_form(
    request: HttpRequest, form, formset, exercises: list, *, source: str = ""
) -> HttpResponse:
    session = form.instance
    # The dashboard tells her to pause: a new session's form must not read as today's to-do.
    paused = session.pk is None and exercise_paused(request.user, today=timezone.localdate())
    if session.pk is not None:
        heading = "Edit session"
    elif paused:
        heading = "Log a session you have done"
    else:
        heading = {"programme": "Log today's programme", "repeat": "Repeat your last session"}.get(
            source, "Log a session"
        )
    context = {
        "heading": heading,
        "pain_limit": metrics.PAIN_ACCEPTABLE_MAX,
        "form": form,
        "formset": formset,
        "session": session,
        "creating": session.pk is None,
        "source": source,
        "exercise_units": session_forms.exercise_units(exercises),
        "has_last_session": session.pk is None and selectors.has_sessions(request.user),
        "exercise_paused": paused,
    }
    return render(request, FORM_TEMPLATE, context)


@patient_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(selectors.session_with_entries(request.user), pk=pk)
    rows = selectors.entry_rows(session)
    context = {
        "session": session,
        "rows": rows,
        "pain_limit": metrics.PAIN_ACCEPTABLE_MAX,
        "delete_url": reverse("session_delete", args=[session.pk]),
    }
    return render(request, "tracker/sessions/detail.html", context)


@patient_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    count = session.entries.count()
    return confirm_and_delete(
        request,
        session,
        label="exercise session",
        success_url=reverse("session_list"),
        cancel_url=reverse("session_detail", args=[session.pk]),
        detail=f"{count} exercise{'' if count == 1 else 's'}",
    )


@patient_required
@require_GET
@rate_limited("downloads")
def export_sessions(request: HttpRequest) -> HttpResponse:
    return csv_download(exports.session_csv(request.user))
