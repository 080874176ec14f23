from django.contrib import admin
from django.urls import include, path

from tracker.views import signup

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", signup.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
]

# Errors raised before or outside a view: JSON under /api/, the site's pages elsewhere.
handler400 = "tracker.views.errors.bad_request"
handler500 = "tracker.views.errors.server_error"
