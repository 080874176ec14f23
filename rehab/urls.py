from django.contrib import admin
from django.urls import include, path

from tracker.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    # urls:api
    path("api/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
]
