from django.urls import path

from tracker.views import (
    account,
    charts,
    dashboard,
    heel_rise,
    measurements,
    profile,
    report,
    sessions,
    symptoms,
    tokens,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", dashboard.healthz, name="healthz"),
    path("notes/<int:pk>/read/", dashboard.note_read, name="note_read"),
    # urls:measurements
    path("measurements/", measurements.measurement_list, name="measurement_list"),
    path("measurements/new/", measurements.measurement_new, name="measurement_new"),
    path("measurements/<int:pk>/edit/", measurements.measurement_edit, name="measurement_edit"),
    path("measurements/<int:pk>/delete/", measurements.measurement_delete, name="measurement_delete"),
    path("export/measurements.csv", measurements.export_measurements, name="export_measurements"),
    path("import/measurements/", measurements.import_measurements, name="import_measurements"),
    # urls:heel-rise
    path("heel-rise/", heel_rise.heel_rise_list, name="heel_rise_list"),
    path("heel-rise/new/", heel_rise.heel_rise_new, name="heel_rise_new"),
    path("heel-rise/<int:pk>/edit/", heel_rise.heel_rise_edit, name="heel_rise_edit"),
    path("heel-rise/<int:pk>/delete/", heel_rise.heel_rise_delete, name="heel_rise_delete"),
    path("export/heel-rise.csv", heel_rise.export_heel_rise, name="export_heel_rise"),
    # urls:profile
    path("profile/", profile.profile, name="profile"),
    # urls:sessions
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path("export/sessions.csv", sessions.export_sessions, name="export_sessions"),
    # urls:symptoms
    path("symptoms/", symptoms.symptom_list, name="symptom_list"),
    path("symptoms/<str:day>/", symptoms.symptom_day, name="symptom_day"),
    path("symptoms/<str:day>/delete/", symptoms.symptom_delete, name="symptom_delete"),
    path("export/symptoms.csv", symptoms.export_symptoms, name="export_symptoms"),
    # urls:charts
    path("charts/<slug:name>.<str:fmt>", charts.chart, name="chart"),
    path("report.pdf", report.report, name="report"),
    # urls:account
    path("account/export/", account.account_export, name="account_export"),
    path("account/delete/", account.account_delete, name="account_delete"),
    # urls:tokens
    path("profile/tokens/new/", tokens.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
