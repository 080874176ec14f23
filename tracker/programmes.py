"""Programme templates a physio starts for a patient in one action, as plain data.

Each exercise of a template is a structured progression: numbered steps, each from a week of the
programme on. The dosages follow the Progression section of docs/clinical-rules.md (Alfredson's
eccentric protocol, heavy slow resistance after Beyer 2015, stretching). Starting a template copies
its steps onto each prescription, where the physio can change them (tracker/services/programmes.py).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateStep:
    start_week: int  # the programme week (1 = the first 7 days) from which this step applies
    sets: int
    amount: int  # reps, seconds held or minutes, as the exercise is measured
    load_note: str = ""  # how heavy, in words (e.g. "a weight you can lift 12 times and no more")


@dataclass(frozen=True)
class TemplateExercise:
    slug: str  # an exercise of the library (tracker.Exercise.slug)
    steps: tuple[TemplateStep, ...]

    @property
    def sets(self) -> int:
        return self.steps[0].sets

    @property
    def amount(self) -> int:
        return self.steps[0].amount


@dataclass(frozen=True)
class ProgrammeTemplate:
    label: str
    weeks: int | None  # None: open-ended
    times_per_week: int
    exercises: tuple[TemplateExercise, ...]
    adds_load: bool = False  # Alfredson: add 5 kg when the exercise is easy and pain-free


def rm_note(reps: int) -> str:
    return f"a weight you can lift {reps} times and no more ({reps}RM)"


# Heavy slow resistance (Beyer 2015): week 1 3 x 15RM; weeks 2-3 3 x 12RM; weeks 4-5 4 x 10RM;
# weeks 6-8 4 x 8RM; weeks 9-12 4 x 6RM.
HSR_STEPS = tuple(
    TemplateStep(start_week=week, sets=sets, amount=reps, load_note=rm_note(reps))
    for week, sets, reps in ((1, 3, 15), (2, 3, 12), (4, 4, 10), (6, 4, 8), (9, 4, 6))
)
# Alfredson: 3 x 15 for all 12 weeks; the load goes up (5 kg steps) when easy and pain-free.
ALFREDSON_STEPS = (TemplateStep(start_week=1, sets=3, amount=15, load_note="body weight to start"),)
STRETCH_STEPS = (TemplateStep(start_week=1, sets=3, amount=30),)

PROGRAMME_TEMPLATES = {
    "alfredson": ProgrammeTemplate(
        label="Alfredson eccentric, 12 weeks (3 × 15, twice daily)",
        weeks=12,
        times_per_week=14,
        exercises=(
            TemplateExercise("eccentric-heel-drop-straight", ALFREDSON_STEPS),
            TemplateExercise("eccentric-heel-drop-bent", ALFREDSON_STEPS),
        ),
        adds_load=True,
    ),
    "hsr": ProgrammeTemplate(
        label="Heavy slow resistance, 12 weeks (3 × 15RM to 4 × 6RM, 3 times a week)",
        weeks=12,
        times_per_week=3,
        exercises=(
            TemplateExercise("heavy-slow-calf-raise", HSR_STEPS),
            TemplateExercise("seated-calf-raise", HSR_STEPS),
        ),
    ),
    "stretching": ProgrammeTemplate(
        label="Stretching (3 × 30 s, daily)",
        weeks=None,
        times_per_week=7,
        exercises=(
            TemplateExercise("wall-gastrocnemius-stretch", STRETCH_STEPS),
            TemplateExercise("soleus-stretch", STRETCH_STEPS),
        ),
    ),
}
