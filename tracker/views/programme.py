"""My programme: today's plan, how to do each exercise, what comes next; the handout; the media."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker import formatting, metrics
from tracker.access import visible_media
from tracker.handout import build_handout
from tracker.illustrations import ILLUSTRATIONS
from tracker.responses import media_response
from tracker.selectors.flags import active_red_flags
from tracker.selectors.programme import programme_plan
from tracker.views.common import patient_required


@patient_required
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    today, patient = timezone.localdate(), request.user
    flags = _open_red_flags(patient, today)
    paused = metrics.pauses_exercise(flags)
    plan = programme_plan(patient, today=today, paused=paused)
    items = [
        {
            "item": item,
            "exercise": item.prescription.exercise,
            "today_words": formatting.today_words(
                item.today, item.done_this_week, item.prescription.times_per_week
            ),
            "drawing": _drawing(item.prescription.exercise.illustration),
            "current_step": next(
                (s for s in item.steps if s.number == item.prescription.step_number), None
            ),
        }
        for item in plan
    ]
    context = {
        "items": items,
        "due": [entry for entry in items if entry["item"].today.state in ("due", "partly")],
        "done": [entry for entry in items if entry["item"].today.state == "done"],
        "resting": [entry for entry in items if entry["item"].today.state == "rest"],
        "today": today,
        "red_flags": flags,
        "paused": paused,
        "pain_limit": metrics.PAIN_ACCEPTABLE_MAX,
    }
    return render(request, "tracker/programme/page.html", context)


def _open_red_flags(patient, today):
    return active_red_flags(patient, affected_side=patient.profile.affected_side, today=today)


def _drawing(key: str) -> dict | None:
    illustration = ILLUSTRATIONS.get(key)
    if illustration is None:
        return None
    src = static(illustration.static_path(key))
    return {"start": f"{src}#start", "end": f"{src}#end", "start_alt": f"Start: {illustration.start}",
            "end_alt": f"End: {illustration.end}"}


@patient_required
@require_GET
def programme_pdf(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    handout = build_handout(request.user, today=today, red_flags=_open_red_flags(request.user, today))
    response = HttpResponse(handout, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="my-programme-{today.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def media_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo or video the user may see (tracker.access.visible_media); 404 for anything else."""
    return media_response(request, get_object_or_404(visible_media(request.user), pk=pk))
