"""The URLconf of the page benchmarks: the project's URLs plus the floors they divide by.

A floor is a bare `@login_required` view behind all of the project's middleware: one answers "ok",
the other renders the site's base template with an empty page (navigation, messages, static links),
which is what any HTML page costs before it does anything of its own. Imported by Django only
(ROOT_URLCONF), after settings are configured.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

BARE_VIEW = "/bench/bare-view/"
BARE_PAGE = "/bench/bare-page/"

_EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Bare{% endblock %}'
    "{% block content %}<h1>Bare</h1>{% endblock %}"
)


@login_required
def bare_view(request):
    return HttpResponse("ok")


@login_required
def bare_page(request):
    return HttpResponse(_EMPTY_PAGE.render({}, request))


urlpatterns = [
    path(BARE_VIEW.strip("/") + "/", bare_view),
    path(BARE_PAGE.strip("/") + "/", bare_page),
    path("", include("rehab.urls")),
]
