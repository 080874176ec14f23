"""Small helpers shared by the patient-facing views."""

import datetime
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.forms.common import DateRangeForm

PAGE_SIZE = 25


def patient_required(view: Callable) -> Callable:
    """Login required, and the user must be a patient (have a profile).

    Physios and administrators have no patient data of their own; they work in the admin.
    """

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not hasattr(request.user, "profile"):
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or out-of-range ?page= shows the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def filter_by_date_range(request: HttpRequest, queryset, field: str = "date"):
    """Apply the date-range form to a queryset. Returns (queryset, form, querystring for pagination)."""
    form = DateRangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start: datetime.date | None = form.cleaned_data["date_from"]
        end: datetime.date | None = form.cleaned_data["date_to"]
        if start:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{field}__lte": end})
    query = request.GET.copy()
    query.pop("page", None)
    return queryset, form, query.urlencode()


def confirm_and_delete(
    request: HttpRequest, obj, *, label: str, success_url: str, cancel_url: str, detail: str = ""
) -> HttpResponse:
    """Delete views are POST-only: a first POST shows the question, a second (confirm=yes) deletes."""
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "tracker/confirm_delete.html",
            {"object": obj, "object_label": label, "detail": detail, "cancel_url": cancel_url},
        )
    description = str(obj)
    obj.delete()
    messages.success(request, f"Deleted: {description}.")
    return redirect(success_url)
