"""The project's URLs plus one bare page: the floor the benchmarks compare requests with.

`/bench/floor/` is a `@login_required` view that returns two bytes: what any signed-in request costs
through the project's middleware (session, user, two-factor check, time zone, CSP, ...), no more.
Benchmarks set ROOT_URLCONF to this module; the site itself never serves it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

FLOOR_URL = "/bench/floor/"


@login_required
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor), path("", include("rehab.urls"))]
