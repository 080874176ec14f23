from django.contrib import admin
from django.urls import include, path

from tracker.views import passwords, signup

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", signup.signup, name="signup"),
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
