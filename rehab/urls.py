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
