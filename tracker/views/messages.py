"""The patient's conversation with her physiotherapist: her physio's notes and her own messages,
with read receipts, and the form to write (a question, or a reply to a note)."""

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tracker.forms.messages import MessageForm
from tracker.selectors.messages import conversation, shareable_note, split_latest
from tracker.services.messages import mark_notes_read, send_message
from tracker.views.common import patient_required


@patient_required
@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest) -> HttpResponse:
    """GET shows the conversation and counts as reading her physio's notes (their read receipt)."""
    patient = request.user
    physio = patient.profile.physio
    physio_name = physio.display_name() if physio else "your physiotherapist"
    reply_to = shareable_note(patient, request.POST.get("reply_to") or request.GET.get("reply_to"))
    initial = {"reply_to": reply_to.pk if reply_to else None}
    form = MessageForm(request.POST or None, physio_name=physio_name, initial=initial)
    if request.method == "POST" and physio is not None and form.is_valid():
        send_message(patient=patient, text=form.cleaned_data["text"], reply_to=reply_to)
        flash.success(request, f"Message sent to {physio_name}.")
        return redirect(reverse("message_list"))
    if request.method == "GET":
        mark_notes_read(patient)
    earlier, latest = split_latest(conversation(patient))
    context = {
        "form": form,
        "physio": physio,
        "physio_name": physio_name,
        "earlier": earlier,
        "latest": latest,
        "reply_to": reply_to,
    }
    return render(request, "tracker/messages/list.html", context)
