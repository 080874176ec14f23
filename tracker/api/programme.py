"""The programme through the API: today's plan, the steps and the next step with its reason, and the
photos and videos a caller may fetch (`/api/v1/media/<id>/`, the same rule as the web page's)."""

import json

from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import formatting
from tracker.access import visible_media
from tracker.api.permissions import PATIENT_PARAM, PatientData, data_owner
from tracker.illustrations import ILLUSTRATIONS
from tracker.models import AMOUNT_FIELDS, Exercise, ExerciseMedia
from tracker.responses import media_response
from tracker.selectors.programme import programme_plan
from tracker.services.media import IMAGE_FORMATS, VIDEO_TYPES

PATIENT_PARAMETER = OpenApiParameter(
    PATIENT_PARAM, OpenApiTypes.INT,
    description="Physiotherapists only, and then required: the user id of one of your patients.",
)
MEDIA_TYPES = [content_type for content_type, _ext in IMAGE_FORMATS.values()] + list(VIDEO_TYPES)


def media_url(request, media: ExerciseMedia) -> str:
    return request.build_absolute_uri(reverse("api-media-file", args=[media.pk]))


class MediaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ExerciseMedia.Kind.choices)
    content_type = serializers.ChoiceField(choices=MEDIA_TYPES)
    description = serializers.CharField(help_text="What it shows, in words (alt text, video description).")
    for_prescription = serializers.IntegerField(allow_null=True, source="prescription_id")
    url = serializers.SerializerMethodField(help_text="Fetch it with the same credentials.")

    def get_url(self, media: ExerciseMedia) -> str:
        return media_url(self.context["request"], media)


class IllustrationSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="A static SVG: start position left, end position right.")
    alt = serializers.CharField()


class ExerciseSerializer(serializers.ModelSerializer):
    """An exercise with "How to do it", its drawing and the photos and videos the caller may fetch."""

    amount_field = serializers.ChoiceField(choices=list(AMOUNT_FIELDS), read_only=True)
    steps = serializers.ListField(child=serializers.CharField(), source="step_list")
    common_mistakes = serializers.ListField(child=serializers.CharField(), source="mistake_list")
    illustration = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id", "name", "slug", "kind", "target", "knee_position", "measured_in", "amount_field",
            "default_dosage", "default_sets", "default_amount", "instructions", "starting_position", "steps",
            "tempo", "what_you_feel", "common_mistakes", "when_to_stop", "illustration", "media",
        ]
        read_only_fields = fields

    @extend_schema_field(IllustrationSerializer(allow_null=True))
    def get_illustration(self, exercise: Exercise):
        item = ILLUSTRATIONS.get(exercise.illustration)
        if item is None:
            return None
        url = self.context["request"].build_absolute_uri(static(item.static_path(exercise.illustration)))
        return {"url": url, "alt": item.alt}

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, exercise: Exercise):
        media = self.context.get("media", {}).get(exercise.pk, [])
        return MediaSerializer(media, many=True, context=self.context).data


def exercise_media(request, exercises, *, patient=None) -> dict[int, list]:
    """{exercise id: [media]} the caller may fetch: with `patient`, those shown on her programme
    (for her prescriptions and her physio's); without, the exercise uploads alone (the library)."""
    media = visible_media(request.user).filter(exercise__in=exercises).select_related("prescription")
    found: dict[int, list] = {}
    for item in media:
        mine = patient is not None and item.prescription_id and item.prescription.patient_id == patient.pk
        if item.prescription_id is None or mine:
            found.setdefault(item.exercise_id, []).append(item)
    return found


# --- /api/v1/programme/ --------------------------------------------------------------------------


class ProposedStepSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="0 for a load step (Alfredson: more weight).")
    start_week = serializers.IntegerField()
    dosage = serializers.CharField()


class ProposalSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["advance", "hold", "reduce", "last", "none"],
        help_text="advance: the rules are kept; hold: too little pain logged; reduce: a rule was broken.",
    )
    step = serializers.SerializerMethodField()
    due = serializers.BooleanField(help_text="Its week has come (it applies now, or once approved).")
    starts_on = serializers.DateField(allow_null=True)
    needs_approval = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why, in words shown to the patient as they are.")

    @extend_schema_field(ProposedStepSerializer(allow_null=True))
    def get_step(self, proposal):
        step = proposal.step
        return None if step is None else {"number": step.number, "start_week": step.start_week,
                                          "dosage": step.dosage}


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    start_week = serializers.IntegerField(help_text="Week 1 is the first 7 days of the prescription.")
    sets = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="Reps, seconds or minutes, as the exercise is measured.")
    dosage = serializers.CharField(source="dosage_text")
    load_note = serializers.CharField()


class TodaySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["due", "partly", "done", "rest", "paused"])
    due = serializers.IntegerField(
        help_text="Times due today: 2 twice daily, 1, or 0 on a rest day or while paused."
    )
    done = serializers.IntegerField(help_text="Sessions logged today holding this exercise.")
    words = serializers.CharField()


class PlanItemSerializer(serializers.Serializer):
    prescription = serializers.IntegerField(source="prescription.pk")
    exercise = ExerciseSerializer(source="prescription.exercise")
    side = serializers.CharField(source="prescription.side")
    dosage = serializers.CharField(source="prescription.dosage_text")
    times_per_week = serializers.IntegerField(source="prescription.times_per_week")
    how_often = serializers.SerializerMethodField()
    start_date = serializers.DateField(source="prescription.start_date")
    end_date = serializers.DateField(source="prescription.end_date", allow_null=True)
    notes = serializers.CharField(source="prescription.notes")
    today = serializers.SerializerMethodField()
    week = serializers.IntegerField(help_text="The week of this prescription today.")
    progression = serializers.CharField(source="prescription.progression")
    current_step = serializers.IntegerField(source="prescription.step_number", allow_null=True)
    step_reason = serializers.CharField(source="prescription.step_reason", help_text="Why this step.")
    steps = StepSerializer(many=True)
    next_step = ProposalSerializer()
    more_load = ProposalSerializer(allow_null=True)

    def get_how_often(self, item) -> str:
        return formatting.per_week(item.prescription.times_per_week)

    @extend_schema_field(TodaySerializer)
    def get_today(self, item) -> dict:
        status = item.today
        words = formatting.today_words(status, item.done_this_week, item.prescription.times_per_week)
        return {"state": status.state, "due": status.due, "done": status.done, "words": words}


class ProgrammeSerializer(serializers.Serializer):
    patient = serializers.IntegerField()
    date = serializers.DateField(help_text="Today, in the clinic's time zone.")
    plan = PlanItemSerializer(many=True, help_text="Each prescription active today.")


class ProgrammeView(APIView):
    """Her programme today: each active prescription with whether it is due or done today, "How to do
    it", the drawing, the photos and videos, the steps and the next step with its reason."""

    permission_classes = [IsAuthenticated, PatientData]

    @extend_schema(parameters=[PATIENT_PARAMETER], responses=ProgrammeSerializer)
    def get(self, request):
        patient, today = data_owner(request), timezone.localdate()
        plan = programme_plan(patient, today=today)
        media = exercise_media(request, [item.prescription.exercise_id for item in plan], patient=patient)
        context = {"request": request, "media": media}
        body = {"patient": patient.pk, "date": today, "plan": plan}
        return Response(ProgrammeSerializer(body, context=context).data)


# --- /api/v1/media/<id>/ -------------------------------------------------------------------------


class AnyMediaRenderer(BaseRenderer):
    """Lets a client ask for the file's own type (an image or a video); errors still go out as JSON."""

    media_type = "*/*"
    format = "media"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()  # only ever reached by an error: the file is streamed


class MediaFileView(APIView):
    """A photo or video, for a caller who may see it (a patient: hers and her physio's uploads for her
    exercises; a physio: hers and her patients'). Single byte ranges are answered with 206."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, AnyMediaRenderer]

    @extend_schema(
        responses={
            **{(200, content_type): OpenApiResponse(OpenApiTypes.BINARY) for content_type in MEDIA_TYPES},
        },
    )
    def get(self, request, pk: int):
        return media_response(request, get_object_or_404(visible_media(request.user), pk=pk))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):  # an error: JSON, whatever the client accepts
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
        return response
