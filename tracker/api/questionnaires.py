"""/api/v1/questionnaires/: her submitted questionnaires with their scores, what is due, submitting one.

Submitting goes through `services.questionnaires.submit_answers`: the answers are validated by the
model against the instrument's definition and scored by `tracker.questionnaires.score`, exactly as
on the web pages.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from tracker import questionnaires as definitions
from tracker.api import filters
from tracker.api.permissions import PatientData, data_owner
from tracker.api.views import PATIENT_PARAMETER
from tracker.models import QuestionnaireResponse
from tracker.selectors import questionnaires as selectors
from tracker.services import questionnaires as services

ANSWERS_HELP = (
    'Item code -> answer, e.g. {"q1": 3, "q2": 4}: the option values of each item (see /due/). '
    "An item left out (or null) is unanswered."
)


class ResultSerializer(serializers.ModelSerializer):
    """A submitted questionnaire: its answers and its score (null when it could not be scored)."""

    instrument = serializers.ChoiceField(choices=definitions.CODES, help_text='e.g. "LEFS" or "VISA-A".')
    max_score = serializers.SerializerMethodField()
    answers = serializers.DictField(child=serializers.JSONField(), help_text=ANSWERS_HELP)

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id", "instrument", "version", "due_date", "submitted_at", "score", "max_score",
            "not_scored_reason", "answers",
        ]
        read_only_fields = fields

    def get_max_score(self, response) -> int:
        return response.definition.max_score


class SubmitSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=definitions.CODES, help_text="A questionnaire due today.")
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True), help_text=ANSWERS_HELP)


class OptionSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="What to send as the answer (a number or a text).")
    label = serializers.CharField()
    points = serializers.IntegerField()
    group = serializers.CharField(help_text="The part of the question it belongs to (VISA-A question 8).")


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    note = serializers.CharField()
    options = OptionSerializer(many=True)


class DueSerializer(serializers.Serializer):
    instrument = serializers.CharField(source="definition.code")
    version = serializers.CharField(source="definition.version")
    name = serializers.CharField(source="definition.name")
    due_date = serializers.DateField()
    started = serializers.SerializerMethodField()
    intro = serializers.CharField(source="definition.intro")
    stem = serializers.CharField(source="definition.stem")
    items = serializers.SerializerMethodField()

    def get_started(self, due) -> bool:
        return due.draft is not None

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, due) -> list:
        return ItemSerializer(
            [
                {
                    "code": item.code,
                    "number": item.number,
                    "text": item.text,
                    "note": item.note,
                    "options": [
                        {"value": o.value, "label": o.label, "points": o.points, "group": group.heading}
                        for group in item.groups
                        for o in group.options
                    ],
                }
                for item in due.definition.items
            ],
            many=True,
        ).data


LEFS_EXAMPLE = {"instrument": "LEFS", "answers": {f"q{n}": 3 for n in range(1, 21)}}


@extend_schema_view(
    list=extend_schema(parameters=[PATIENT_PARAMETER]),
    retrieve=extend_schema(parameters=[PATIENT_PARAMETER]),
    create=extend_schema(
        request=SubmitSerializer,
        responses={201: ResultSerializer},
        examples=[OpenApiExample("A LEFS", value=LEFS_EXAMPLE, request_only=True)],
    ),
)
class QuestionnaireViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Her submitted questionnaires, newest first, each with its instrument code and its score.

    POST submits every answer of a questionnaire that is due today (`/due/` lists them, with their
    items and the values to send); it is scored as published, or kept with the reason it cannot be.
    """

    permission_classes = [IsAuthenticated, PatientData]
    serializer_class = ResultSerializer
    filter_backends = [filters.StableOrderingFilter]
    ordering_fields = ["submitted_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuestionnaireResponse.objects.none()
        return QuestionnaireResponse.objects.filter(
            patient=data_owner(self.request), submitted_at__isnull=False
        ).order_by("-submitted_at", "-id")

    def create(self, request, *args, **kwargs):
        submission = SubmitSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        try:
            response = services.submit_answers(
                patient=data_owner(request),
                instrument=submission.validated_data["instrument"],
                answers=submission.validated_data["answers"],
                today=timezone.localdate(),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_messages(error)) from None
        return Response(ResultSerializer(response).data, status=201)

    @extend_schema(parameters=[PATIENT_PARAMETER], responses=DueSerializer(many=True))
    @action(detail=False, pagination_class=None, filter_backends=[])
    def due(self, request):
        """The questionnaires due today, with their items and answer options."""
        due = selectors.due_questionnaires(data_owner(request), timezone.localdate())
        return Response(DueSerializer(due, many=True).data)


def _messages(error: DjangoValidationError) -> dict:
    """A Django ValidationError as the API's 400 body (field -> messages)."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(error, "error_dict"):
        return {(key if field == NON_FIELD_ERRORS else field): m for field, m in error.message_dict.items()}
    return {key: error.messages}
