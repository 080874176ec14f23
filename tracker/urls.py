from django.urls import path

from tracker.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", dashboard.healthz, name="healthz"),
    # urls:measurements
    # urls:heel-rise
    # urls:profile
    # urls:sessions
    # urls:symptoms
    # urls:charts
]
