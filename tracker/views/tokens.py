"""Personal API tokens on the profile page: create (the secret is shown once) and revoke."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker.forms.tokens import ApiTokenForm
from tracker.models import ApiToken
from tracker.services.tokens import create_token
from tracker.views.common import patient_required


@never_cache
@patient_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        token, secret = create_token(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Token “{token.name}” created. Copy it now: it is shown only once.")
        # Rendered straight from the POST and never stored: reloading cannot show it again.
        return render(
            request,
            "tracker/tokens/created.html",
            {"token": token, "secret": secret, "api_root": request.build_absolute_uri("/api/v1/")},
        )
    return render(request, "tracker/tokens/new.html", {"form": form})


@patient_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """POST-only: a first POST asks, a second (confirm=yes) revokes."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.POST.get("confirm") != "yes":
        return render(request, "tracker/tokens/confirm_revoke.html", {"token": token})
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked: apps using it can no longer connect.")
    return redirect(reverse("profile"))
