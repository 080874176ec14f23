"""The data model, one module per kind of record; import everything from `tracker.models`.

Every range and uniqueness rule is a database constraint too (`base.Range`), so no code path
(forms, admin, CSV import, API) can store an invalid row. The numbers come from `tracker.metrics`.
"""

from tracker.models.accounts import (
    PHYSIO_GROUP,
    AffectedSide,
    ApiToken,
    ClosedAccount,
    PatientProfile,
    User,
    time_zone_names,
)
from tracker.models.base import EARLIEST_DATE, PatientRecord, not_before_1900, not_in_future
from tracker.models.exercise import (
    AMOUNT_FIELDS,
    AMOUNT_WORDS,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    Prescription,
    ProgrammeStep,
    Progression,
    Side,
)
from tracker.models.measurements import GIRTH_READING_FIELDS, GirthMeasurement, HeelRiseTest
from tracker.models.media import ExerciseMedia
from tracker.models.messages import MESSAGE_MAX_LENGTH, Message, TriageSeen
from tracker.models.notes import PhysioNote
from tracker.models.questionnaires import QuestionnaireAssignment, QuestionnaireResponse
from tracker.models.reminders import WEEKDAY_NAMES, AlertSettings, ReminderSettings, SentReminder
from tracker.models.symptoms import RED_FLAG_SYMPTOMS, TRIGGER_POINTS, SymptomLog

__all__ = [
    "AMOUNT_FIELDS",
    "AMOUNT_WORDS",
    "EARLIEST_DATE",
    "GIRTH_READING_FIELDS",
    "MESSAGE_MAX_LENGTH",
    "PHYSIO_GROUP",
    "RED_FLAG_SYMPTOMS",
    "TRIGGER_POINTS",
    "WEEKDAY_NAMES",
    "AlertSettings",
    "AffectedSide",
    "ApiToken",
    "ClosedAccount",
    "Exercise",
    "ExerciseEntry",
    "ExerciseMedia",
    "ExerciseSession",
    "GirthMeasurement",
    "HeelRiseTest",
    "Message",
    "PatientProfile",
    "PatientRecord",
    "PhysioNote",
    "Prescription",
    "ProgrammeStep",
    "Progression",
    "QuestionnaireAssignment",
    "QuestionnaireResponse",
    "ReminderSettings",
    "SentReminder",
    "Side",
    "SymptomLog",
    "TriageSeen",
    "User",
    "not_before_1900",
    "time_zone_names",
    "not_in_future",
]
