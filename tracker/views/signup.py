from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.forms.signup import SignupForm
from tracker.services.accounts import create_patient


def signup(request: HttpRequest) -> HttpResponse:
    if not settings.ALLOW_SIGNUP:
        raise Http404("Sign-up is turned off; ask your clinic for an account.")
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_patient(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            affected_side=form.cleaned_data["affected_side"],
            condition=form.cleaned_data["condition"],
            unit=form.cleaned_data["unit"],
            time_zone=form.cleaned_data["time_zone"],
            reminders=form.cleaned_data["reminders"],
        )
        login(request, user, backend="tracker.auth_backends.ModelBackendWithProfile")
        messages.success(request, "Welcome! Your account is ready. Start with a calf measurement.")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})
