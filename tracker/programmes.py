"""Programme templates a physio starts for a patient in one action, as plain data.

The dosages follow the Progression section of docs/clinical-rules.md (Alfredson's eccentric
protocol, heavy slow resistance, stretching).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateExercise:
    slug: str  # an exercise of the library (tracker.Exercise.slug)
    sets: int
    amount: int  # reps, seconds held or minutes, as the exercise is measured


@dataclass(frozen=True)
class ProgrammeTemplate:
    label: str
    weeks: int | None  # None: open-ended
    times_per_week: int
    exercises: tuple[TemplateExercise, ...]


PROGRAMME_TEMPLATES = {
    "alfredson": ProgrammeTemplate(
        label="Alfredson eccentric, 12 weeks (3 × 15, twice daily)",
        weeks=12,
        times_per_week=14,
        exercises=(
            TemplateExercise("eccentric-heel-drop-straight", 3, 15),
            TemplateExercise("eccentric-heel-drop-bent", 3, 15),
        ),
    ),
    "hsr": ProgrammeTemplate(
        label="Heavy slow resistance, 12 weeks (3 × 15, 3 times a week)",
        weeks=12,
        times_per_week=3,
        exercises=(
            TemplateExercise("heavy-slow-calf-raise", 3, 15),
            TemplateExercise("seated-calf-raise", 3, 15),
        ),
    ),
    "stretching": ProgrammeTemplate(
        label="Stretching (3 × 30 s, daily)",
        weeks=None,
        times_per_week=7,
        exercises=(
            TemplateExercise("wall-gastrocnemius-stretch", 3, 30),
            TemplateExercise("soleus-stretch", 3, 30),
        ),
    ),
}
