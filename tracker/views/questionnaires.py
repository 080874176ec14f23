"""Outcome questionnaires on her phone: what is due, one question per screen, her scores.

A draft is saved at every step (Next, Back, Skip, "Save and finish later"), so she can go back and
forth without losing an answer, and come back to it another day. Plain forms: no JavaScript needed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker import metrics
from tracker import questionnaires as definitions
from tracker.charts import questionnaires as charts
from tracker.forms.questionnaires import CHOOSE_OR_SKIP, AnswerForm
from tracker.models import QuestionnaireResponse
from tracker.responses import questionnaire_chart_response
from tracker.selectors import questionnaires as selectors
from tracker.services import questionnaires as services
from tracker.views.common import patient_required


def _response(request: HttpRequest, pk: int) -> QuestionnaireResponse:
    response = selectors.response_of(request.user, pk)
    if response is None:
        raise Http404("No such questionnaire.")
    return response


def _question_url(response: QuestionnaireResponse, number: int):
    return redirect("questionnaire_question", pk=response.pk, number=number)


@patient_required
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    patient = request.user
    results = selectors.summaries(patient)
    context = {
        "due": selectors.due_questionnaires(patient, timezone.localdate()),
        "results": [
            (s, charts.build(patient, s.definition.code, s), _change_since_first(s)) for s in results
        ],
    }
    return render(request, "tracker/questionnaires/list.html", context)


def _change_since_first(summary: selectors.InstrumentSummary) -> str | None:
    """E.g. "+13 points, a clinically important change (9 points or more)"; None before a second score."""
    change = summary.change
    return None if change is None else charts.change_text(change, summary.definition.mcid)


@patient_required
@require_POST
def questionnaire_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or carry on with) the due questionnaire of assignment `pk`."""
    due_now = selectors.due_questionnaires(request.user, timezone.localdate())
    due = next((d for d in due_now if d.assignment.pk == pk), None)
    if due is None:
        raise Http404("This questionnaire is not due.")
    response = services.start(due)
    unanswered = [item.number for item in due.definition.items if item.code not in response.answers]
    return _question_url(response, unanswered[0] if unanswered else 1)


@patient_required
@require_http_methods(["GET", "POST"])
def questionnaire_question(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    response = _response(request, pk)
    if response.submitted_at is not None:
        return redirect("questionnaire_result", pk=response.pk)
    definition = response.definition
    if not 1 <= number <= len(definition.items):
        raise Http404("No such question.")
    item = definition.items[number - 1]
    stored = response.answers.get(item.code)
    if request.method == "POST":
        form = AnswerForm(request.POST, item=item)
        go = request.POST.get("go", "next")
        if go == "skip":
            services.save_answer(response, item.code, None)
            return _after(response, number, "next")
        if form.is_valid():
            value = form.cleaned_data["answer"]
            if value is None and stored is None and go == "next":
                form.add_error("answer", CHOOSE_OR_SKIP)
            else:
                try:
                    if value is not None:
                        services.save_answer(response, item.code, value)
                except ValidationError as error:
                    form.add_error("answer", error)
                else:
                    return _after(response, number, go)
    else:
        form = AnswerForm(initial={"answer": None if stored is None else str(stored)}, item=item)
    context = {
        "response": response,
        "definition": definition,
        "item": item,
        "number": number,
        "total": len(definition.items),
        "form": form,
        "groups": _option_groups(item, form["answer"].value()),
        "described_by": " ".join(
            name for name, shown in (("item-note", item.note), ("answer-error", form.errors)) if shown
        ),
    }
    return render(request, "tracker/questionnaires/question.html", context)


def _option_groups(item, chosen) -> list[tuple]:
    """(group, options) for the template; each option with its input id, value and checked state."""
    chosen = None if chosen in (None, "") else str(chosen)
    return [
        (
            group,
            [
                {
                    "option": option,
                    "id": f"answer-{index}-{position}",
                    "value": str(option.value),
                    "checked": str(option.value) == chosen,
                }
                for position, option in enumerate(group.options)
            ],
        )
        for index, group in enumerate(item.groups)
    ]


def _after(response: QuestionnaireResponse, number: int, go: str) -> HttpResponse:
    """Where a button leads once the answer is saved."""
    if go == "back":
        return _question_url(response, max(1, number - 1))
    if go == "later":
        return redirect("questionnaire_list")
    if number < len(response.definition.items):
        return _question_url(response, number + 1)
    return redirect("questionnaire_review", pk=response.pk)


@patient_required
@require_GET
def questionnaire_review(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    if response.submitted_at is not None:
        return redirect("questionnaire_result", pk=response.pk)
    definition = response.definition
    rows = [
        (item, definitions.answer_label(definition, item.code, response.answers.get(item.code)),
         item.code in response.answers)
        for item in definition.items
    ]
    context = {
        "response": response,
        "definition": definition,
        "rows": rows,
        "preview": definitions.score(definition, response.answers),
    }
    return render(request, "tracker/questionnaires/review.html", context)


@patient_required
@require_POST
def questionnaire_submit(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    if response.submitted_at is None:
        services.submit(response)
        messages.success(request, f"{response.definition.name}: submitted. Thank you.")
    return redirect("questionnaire_result", pk=response.pk)


@patient_required
@require_GET
def questionnaire_result(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    if response.submitted_at is None:
        return redirect("questionnaire_review", pk=response.pk)
    definition = response.definition
    summary = selectors.summary(request.user, definition.code)
    change = None
    if response.score is not None and summary.first and summary.first.response_id != response.pk:
        delta = metrics.questionnaire_change(
            earlier=summary.first.score, latest=response.score, instrument=definition.code
        )
        change = {"first": summary.first, "text": charts.change_text(delta, definition.mcid)}
    context = {
        "response": response,
        "definition": definition,
        "meaning": definitions.meaning(definition),
        "change": change,
        "chart": charts.build(request.user, definition.code, summary),
        "answers": [
            (item, definitions.answer_label(definition, item.code, response.answers.get(item.code)))
            for item in definition.items
        ],
    }
    return render(request, "tracker/questionnaires/result.html", context)


@patient_required
@require_GET
def questionnaire_chart(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return questionnaire_chart_response(request, request.user, code, fmt)
