"""/api/v1/... (the API), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, served from packages)."""

from django.http import JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from tracker.api import messages, programme, questionnaires, views

router = SimpleRouter()
router.register("measurements", views.MeasurementViewSet, basename="api-measurement")
router.register("heel-rise", views.HeelRiseViewSet, basename="api-heel-rise")
router.register("sessions", views.SessionViewSet, basename="api-session")
router.register("symptoms", views.SymptomViewSet, basename="api-symptom")
router.register("prescriptions", views.PrescriptionViewSet, basename="api-prescription")
router.register("exercises", views.ExerciseViewSet, basename="api-exercise")
router.register("questionnaires", questionnaires.QuestionnaireViewSet, basename="api-questionnaire")


@csrf_exempt  # any method gets the JSON 404, not the CSRF failure page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown /api/ URLs answer in JSON like the rest of the API, not with the HTML 404 page."""
    detail = "Not found."
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            detail = f"Not found. API URLs end with a slash: {request.path}/"
    return JsonResponse({"detail": detail}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/progress/", views.ProgressView.as_view(), name="api-progress"),
    path("v1/messages/", messages.MessagesView.as_view(), name="api-messages"),
    path("v1/messages/read/", messages.MessagesReadView.as_view(), name="api-messages-read"),
    path("v1/programme/", programme.ProgrammeView.as_view(), name="api-programme"),
    path("v1/media/<int:pk>/", programme.MediaFileView.as_view(), name="api-media-file"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # The split view serves its start-up script as a file: the CSP allows no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="tracker/api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    re_path(r"^.*$", not_found),
]
