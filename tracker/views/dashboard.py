from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tracker.selectors import dashboard as dashboard_selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not hasattr(request.user, "profile"):
        # Physios and administrators have no patient profile: their home is the admin.
        return redirect("admin:index")
    context = dashboard_selectors.dashboard_summary(request.user)
    return render(request, "tracker/dashboard.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
