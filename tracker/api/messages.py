"""/api/v1/messages/: the patient's conversation with her physiotherapist, and writing to her.

GET lists the conversation newest first: her physio's notes (`from_physio`) and her own messages,
each with its read receipt. A patient POSTs a message (optionally `reply_to` one of the notes) and
POSTs to /api/v1/messages/read/ once she has shown the notes (the read receipt her physio sees).
A physio reads her patient's conversation with ?patient=<id> (private notes are never listed).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tracker.api.permissions import PatientData, data_owner
from tracker.api.views import PATIENT_PARAMETER
from tracker.models import MESSAGE_MAX_LENGTH
from tracker.selectors.messages import conversation, message_item, shareable_note
from tracker.services.messages import mark_notes_read, send_message


class ConversationItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["note", "message"], help_text="note: from the physio; message: from the patient."
    )
    id = serializers.IntegerField(source="pk", help_text="Unique per kind (reply_to takes a note's id).")
    from_physio = serializers.BooleanField()
    author = serializers.CharField(source="author_name", help_text="The author's full name.")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(
        allow_null=True, help_text="When the other side read it; null: not yet."
    )
    read_by = serializers.CharField(source="read_by_name", help_text='Who read it ("" while unread).')
    reply_to = serializers.IntegerField(
        source="reply_to_id", allow_null=True, help_text="The note a message answers."
    )


class NewMessageSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    reply_to = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The id of the note from her physio she answers."
    )


class MessagesView(GenericAPIView):
    """The conversation with her physiotherapist (newest first), and sending her a message."""

    permission_classes = [IsAuthenticated, PatientData]
    serializer_class = NewMessageSerializer
    filter_backends = []  # a conversation has no filters (and the schema needs no queryset)

    @extend_schema(parameters=[PATIENT_PARAMETER], responses=ConversationItemSerializer(many=True))
    def get(self, request):
        items = list(reversed(conversation(data_owner(request), limit=None)))
        page = self.paginate_queryset(items)
        return self.get_paginated_response(ConversationItemSerializer(page, many=True).data)

    @extend_schema(
        request=NewMessageSerializer,
        responses={201: ConversationItemSerializer},
        examples=[OpenApiExample("Example", value={"text": "Can I run on Saturday?"}, request_only=True)],
    )
    def post(self, request):
        patient = data_owner(request)
        serializer = NewMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if patient.profile.physio_id is None:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["No physiotherapist is assigned to you yet."]}
            )
        reply_to = None
        if serializer.validated_data.get("reply_to") is not None:
            reply_to = shareable_note(patient, serializer.validated_data["reply_to"])
            if reply_to is None:
                raise serializers.ValidationError({"reply_to": ["No note with this id was sent to you."]})
        try:
            message = send_message(patient=patient, text=serializer.validated_data["text"], reply_to=reply_to)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        item = message_item(message, patient.display_name())
        return Response(ConversationItemSerializer(item).data, status=201)


class MessagesReadView(APIView):
    """Mark every note from her physio as read (the read receipt), as opening her messages does."""

    permission_classes = [IsAuthenticated, PatientData]

    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedRead", fields={"marked_read": serializers.IntegerField()}),
    )
    def post(self, request):
        return Response({"marked_read": mark_notes_read(data_owner(request))})
