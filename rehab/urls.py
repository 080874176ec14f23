from django.contrib import admin
from django.urls import include, path

from tracker.views import passwords, signup, two_factor

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", signup.signup, name="signup"),
    # Django's login, with the second step of two-factor sign-in (before the include below).
    path("accounts/login/", two_factor.LoginView.as_view(), name="login"),
    path("accounts/login/verify/", two_factor.login_verify, name="login_verify"),
    path("accounts/login/enrol/", two_factor.login_enrol, name="login_enrol"),
    path("account/two-factor/", two_factor.settings_page, name="two_factor"),
    path("account/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", two_factor.new_codes, name="two_factor_codes"),
    path("account/two-factor/turn-off/", two_factor.turn_off, name="two_factor_off"),
    # Django's password change and reset, which also revoke API tokens (before the include below).
    path("accounts/password_change/", passwords.password_change, name="password_change"),
    path("accounts/reset/<uidb64>/<token>/", passwords.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
]

# Errors raised before or outside a view: JSON under /api/, the site's pages elsewhere.
handler400 = "tracker.views.errors.bad_request"
handler500 = "tracker.views.errors.server_error"
