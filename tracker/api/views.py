"""API views: one ViewSet per resource, always scoped to one patient (see permissions.py)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tracker import metrics
from tracker.api import filters, progress_serializers
from tracker.api import programme as programme_api
from tracker.api import serializers as api_serializers
from tracker.api.permissions import PATIENT_PARAM, PatientData, data_owner
from tracker.models import Exercise, GirthMeasurement, Prescription, SymptomLog
from tracker.selectors import heel_rise as heel_rise_selectors
from tracker.selectors import measurements as measurement_selectors
from tracker.selectors import sessions as session_selectors
from tracker.selectors.flags import exercise_paused
from tracker.selectors.summary import progress_summary

PATIENT_PARAMETER = OpenApiParameter(
    PATIENT_PARAM,
    OpenApiTypes.INT,
    description=(
        "Physiotherapists only, and then required: the user id of one of your patients. "
        "Patients leave it out (400 if given)."
    ),
)
DUPLICATE_MESSAGE = "This record was saved by another request at the same time. Please try again."


class PatientRecordViewSet(viewsets.ModelViewSet):
    """List, retrieve, create, update and delete one patient's records."""

    permission_classes = [IsAuthenticated, PatientData]
    filter_backends = [filters.FilterBackend, filters.StableOrderingFilter]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def records(self, patient):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real request
            return self.get_serializer_class().Meta.model.objects.none()
        return self.records(data_owner(self.request))

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request is not None and not getattr(self, "swagger_fake_view", False):
            context["patient"] = data_owner(self.request)
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self._save(serializer, patient=data_owner(request))
        return Response(self._fresh(instance), status=201)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        instance = self._save(serializer)
        return Response(self._fresh(instance))

    def _save(self, serializer, **extra):
        try:
            with transaction.atomic():
                return serializer.save(**extra)
        except IntegrityError:
            # Validated, then beaten to the database by a parallel request (e.g. the same date twice).
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [DUPLICATE_MESSAGE]}
            ) from None

    def _fresh(self, instance) -> dict:
        """The saved record as the list shows it (with the annotations the computed fields use)."""
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data


def record_docs(example: dict) -> dict:
    """Schema details of a record ViewSet: the ?patient= parameter, and a request example."""
    docs = {
        action: extend_schema(parameters=[PATIENT_PARAMETER])
        for action in ("list", "retrieve", "update", "partial_update", "destroy")
    }
    docs["create"] = extend_schema(
        parameters=[PATIENT_PARAMETER],
        examples=[OpenApiExample("Example", value=example, request_only=True)],
    )
    return docs


MEASUREMENT_EXAMPLE = {
    "date": "2025-03-14",
    "site": "tt10",
    "left_1": 34.2,
    "left_2": 34.4,
    "right_1": 37.6,
    "right_2": 37.5,
    "measured_by": "self",
    "notes": "Morning, before training",
}
HEEL_RISE_EXAMPLE = {"date": "2025-03-14", "reps_left": 14, "reps_right": 27, "incline": 10, "notes": ""}
SESSION_EXAMPLE = {
    "performed_at": "2025-03-14T18:30:00Z",
    "duration_minutes": 30,
    "pain_before": 1,
    "pain_after": 3,
    "rpe": 6,
    "notes": "",
    "entries": [
        {"exercise": 2, "side": "left", "sets": 3, "reps": 12, "load_kg": 10, "pain_during": 3},
        {"exercise": 7, "side": "both", "sets": 3, "hold_seconds": 30},
    ],
}
SYMPTOM_EXAMPLE = {
    "date": "2025-03-14",
    "pain_at_rest": 1,
    "pain_next_morning": 2,
    "night_cramps": 0,
    "stiffness": 3,
    "limping": False,
    "tp_left_lower_medial": True,
}


@extend_schema_view(**record_docs(MEASUREMENT_EXAMPLE))
class MeasurementViewSet(PatientRecordViewSet):
    """Calf girth measurements. Readings and means are in centimetres.

    The response adds the means, the symmetry (LSI, difference), the asymmetry class, the legs to
    measure again and any swelling red flag, exactly as the web page reports them.
    """

    serializer_class = api_serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    ordering_fields = ["date", "site", "created_at"]

    def records(self, patient):
        return measurement_selectors.measurements_for(patient)


@extend_schema_view(**record_docs(HEEL_RISE_EXAMPLE))
class HeelRiseViewSet(PatientRecordViewSet):
    """Single-leg heel-rise tests, with the LSI and the change per leg since the previous test."""

    serializer_class = api_serializers.HeelRiseSerializer
    filterset_class = filters.HeelRiseFilter
    ordering_fields = ["date", "created_at"]

    def records(self, patient):
        return heel_rise_selectors.tests_with_previous(patient)


@extend_schema_view(**record_docs(SESSION_EXAMPLE))
class SessionViewSet(PatientRecordViewSet):
    """Exercise sessions with their entries nested; a write saves the session and every entry, or
    nothing. `date_from`/`date_to` filter on the local date of `performed_at`."""

    serializer_class = api_serializers.SessionSerializer
    filterset_class = filters.SessionFilter
    ordering_fields = ["performed_at", "created_at"]

    def records(self, patient):
        return session_selectors.sessions_for_list(patient)

    def get_serializer_context(self) -> dict:
        # Once per request: while an urgent flag pauses her exercises, a session's pain advice is for
        # when she starts again, as on her pages.
        context = super().get_serializer_context()
        if "patient" in context:
            context["exercise_paused"] = exercise_paused(context["patient"], today=timezone.localdate())
        return context


@extend_schema_view(**record_docs(SYMPTOM_EXAMPLE))
class SymptomViewSet(PatientRecordViewSet):
    """Daily symptom check-ins (one per date), with the red flags the ticked symptoms raise."""

    serializer_class = api_serializers.SymptomSerializer
    filterset_class = filters.SymptomFilter
    ordering_fields = ["date", "created_at"]

    def records(self, patient):
        return SymptomLog.objects.for_patient(patient).order_by("-date")


@extend_schema_view(
    list=extend_schema(parameters=[PATIENT_PARAMETER]), retrieve=extend_schema(parameters=[PATIENT_PARAMETER])
)
class PrescriptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The exercise programme the physiotherapist prescribed (read-only)."""

    permission_classes = [IsAuthenticated, PatientData]
    serializer_class = api_serializers.PrescriptionSerializer
    filter_backends = [filters.FilterBackend, filters.StableOrderingFilter]
    filterset_class = filters.PrescriptionFilter
    ordering_fields = ["start_date", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Prescription.objects.none()
        return (
            Prescription.objects.for_patient(data_owner(self.request))
            .select_related("exercise")
            .order_by("exercise__name", "id")
        )


class ExerciseViewSet(viewsets.ReadOnlyModelViewSet):
    """The exercise library (read-only, the same for everybody): "How to do it", the drawing, and
    the exercise photos and videos the caller may fetch."""

    queryset = Exercise.objects.order_by("name")
    serializer_class = programme_api.ExerciseSerializer
    filter_backends = [filters.StableOrderingFilter]
    ordering_fields = ["name", "kind"]

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request is not None and not getattr(self, "swagger_fake_view", False):
            context["media"] = programme_api.exercise_media(self.request, Exercise.objects.all())
        return context


class ProgressView(APIView):
    """The dashboard's headline numbers: LSIs, changes and whether they beat measurement error,
    adherence over the last 14 days, this week's sessions and the red flags to act on."""

    permission_classes = [IsAuthenticated, PatientData]

    @extend_schema(
        parameters=[
            PATIENT_PARAMETER,
            OpenApiParameter(
                "site",
                str,
                enum=GirthMeasurement.Site.values,
                description="Girth site for the girth numbers; default tt10, else the most measured site.",
            ),
        ],
        responses=progress_serializers.ProgressSerializer,
    )
    def get(self, request):
        patient = data_owner(request)
        site = request.query_params.get("site", "tt10")
        if site not in GirthMeasurement.Site.values:
            raise serializers.ValidationError(
                {"site": [f"Choose one of {', '.join(GirthMeasurement.Site.values)}."]}
            )
        return Response(progress_serializers.ProgressSerializer(progress_numbers(patient, site=site)).data)


def progress_numbers(patient, *, site: str) -> dict:
    """What the dashboard's headline shows (selectors.summary.progress_summary), without the charts."""
    profile = patient.profile
    summary = progress_summary(patient, site=site)
    return {
        "patient": patient.pk,
        "affected_side": profile.affected_side,
        "target_lsi": float(profile.target_lsi),
        "measured_sites": summary.measured_sites,
        "girth": summary.girth,
        "heel_rise": summary.heel_rise,
        "pain": summary.pain,
        "adherence": summary.adherence,
        "this_week": summary.this_week,
        "red_flags": summary.red_flags,
        "exercise_paused": metrics.pauses_exercise(summary.red_flags),
    }
