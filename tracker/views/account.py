"""Her data is hers: download all of it, or delete the account and everything in it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tracker import services_account
from tracker.forms.account import DeleteAccountForm
from tracker.views.common import patient_required


@patient_required
@require_http_methods(["GET", "POST"])
def account_export(request: HttpRequest) -> HttpResponse:
    """GET explains what is in the file; POST downloads it (a zip, built in memory)."""
    if request.method == "POST":
        response = HttpResponse(services_account.export_zip(request.user), content_type="application/zip")
        filename = services_account.export_filename(timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "tracker/account/export.html",
        {"summary": services_account.data_summary(request.user)},
    )


@patient_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff or user.is_superuser:
        # Staff accounts hold no patient data of their own; an administrator closes them.
        raise Http404("Staff accounts cannot be deleted here.")
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_bound and form.is_valid():
        services_account.delete_account(user)
        logout(request)
        messages.success(
            request,
            "Your account and all your data have been deleted. "
            "Your physiotherapist can see that you closed your account. Take care of that calf!",
        )
        return redirect("login")
    return render(
        request,
        "tracker/account/delete.html",
        {"form": form, "summary": services_account.data_summary(user), "physio": user.profile.physio},
    )
