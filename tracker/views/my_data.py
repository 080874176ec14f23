"""Her data is hers: download all of it, or delete the account and everything in it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tracker.forms.my_data import DeleteAccountForm
from tracker.ratelimits import rate_limited
from tracker.responses import zip_download
from tracker.services import accounts, exports
from tracker.views.common import patient_required


@patient_required
@require_http_methods(["GET", "POST"])
@rate_limited("downloads", methods=("POST",))
def account_export(request: HttpRequest) -> HttpResponse:
    """GET explains what is in the file; POST downloads it (a zip, built in memory)."""
    if request.method == "POST":
        filename = exports.export_filename(timezone.localdate())
        return zip_download(exports.export_zip(request.user), filename=filename)
    return render(
        request,
        "tracker/account/export.html",
        {"summary": exports.data_summary(request.user), "files": exports.EXPORT_FILES},
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
        accounts.delete_account(user)
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
        {"form": form, "summary": exports.data_summary(user), "physio": user.profile.physio},
    )
