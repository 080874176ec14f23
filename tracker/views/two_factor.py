"""Signing in with a second factor, and setting one up (tracker.services.two_factor).

Signing in is two steps when she has (or, as staff, must have) a second factor: the password, then
a code. Between the two the session only holds a "pending" note for PENDING_SECONDS; she is logged
in (django.contrib.auth.login) once the code is right, so no page can be reached with the password
alone. A wrong code counts as a failed login for django-axes, like a wrong password.
"""

import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from tracker.forms.two_factor import AppCodeForm, CodeForm
from tracker.models import User
from tracker.services import two_factor

PENDING = "two_factor_pending"  # {"user": id, "backend": path, "next": url, "since": time}
PENDING_SECONDS = 5 * 60
WRONG_CODE = "That code is not right. Type the code your app shows now, or one of your recovery codes."


class LoginView(auth_views.LoginView):
    """Django's login; a user with a second factor (or staff who must have one) is asked for a code."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.needs_second_factor(user):
            return super().form_valid(form)  # the login is noted as meeting the policy
        self.request.session[PENDING] = {
            "user": user.pk, "backend": user.backend, "next": self.get_success_url(), "since": time.time(),
        }
        return redirect("login_verify" if two_factor.has_second_factor(user) else "login_enrol")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _finish_login(request: HttpRequest, user: User, device) -> str:
    """Log her in (a new session key; axes clears her failures) as verified by `device`; the next URL."""
    pending = request.session.pop(PENDING)
    user.backend = pending["backend"]
    login(request, user)
    otp_login(request, device)
    request.session[two_factor.POLICY_MET] = user.pk
    return pending["next"]


def _start_again(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.info(request, "Please log in again.")
    return redirect("login")


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from her app or a recovery code."""
    user = _pending_user(request)
    if user is None:
        return _start_again(request)
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            return redirect(_finish_login(request, user, device))
        # django-axes counts it; its middleware answers with the lockout page at the limit.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", WRONG_CODE)
    return render(request, "registration/two_factor_verify.html", {"form": form})


def _setup_page(request: HttpRequest, user: User, *, enrol: bool) -> HttpResponse:
    """Scan the QR code, type the code the app shows: the device is confirmed, codes shown once."""
    device = two_factor.pending_app_device(user) if request.method == "POST" else None
    device = device or two_factor.new_app_device(user)
    form = AppCodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        keep = None if enrol else request.session.session_key
        codes = two_factor.confirm_app_device(device, form.cleaned_data["code"], keep_session=keep)
        if codes is not None:
            if enrol:
                next_url = _finish_login(request, user, device)
            else:
                otp_login(request, device)
                request.session[two_factor.POLICY_MET] = user.pk
                next_url = reverse("two_factor")
            return _show_codes(request, codes, next_url=next_url)
        form.add_error("code", "That code is not right. Type the code the app shows now.")
    context = {
        "form": form,
        "enrol": enrol,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(b32encode(device.bin_key).decode()[i : i + 4] for i in range(0, 32, 4)),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _show_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    """Rendered straight from the POST and never stored: reloading cannot show them again."""
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next_url": next_url})


@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Staff who must have a second factor and have none set one up before getting in."""
    user = _pending_user(request)
    if user is None:
        return _start_again(request)
    if two_factor.has_second_factor(user):
        return redirect("login_verify")
    return _setup_page(request, user, enrol=True)


@never_cache
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "active": two_factor.has_second_factor(user),
        "required": two_factor.must_have_second_factor(user),
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "tracker/two_factor/settings.html", context)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    return _setup_page(request, request.user, enrol=False)


@never_cache
@login_required
@require_POST
def new_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_second_factor(request.user):
        messages.info(request, "Set up an authenticator app first.")
        return redirect("two_factor")
    return _show_codes(request, two_factor.new_recovery_codes(request.user), next_url=reverse("two_factor"))


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.must_have_second_factor(user):
        messages.error(request, "Two-factor sign-in is required for clinic staff: it cannot be turned off.")
    elif authenticate(request, username=user.get_username(), password=request.POST.get("password")) is None:
        messages.error(request, "Enter your current password to turn two-factor sign-in off.")
    else:
        two_factor.remove_second_factor(user)
        messages.success(request, "Two-factor sign-in is off. You log in with your password only.")
    return redirect("two_factor")
