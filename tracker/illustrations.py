"""The demonstration drawings of the twelve library exercises: which file, and what it shows in words.

Each drawing is an SVG line drawing in static/tracker/exercises/ with the start position on the
left and the end position on the right, made by `scripts/draw_exercises.py` from the poses in
`tracker.drawings` (the PDF handout draws the same poses). The alt text describes both positions,
for anyone who cannot see the picture; it lives here, next to the drawing it describes, while the
written instructions are clinic content on the Exercise itself (editable in the admin, audited).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Illustration:
    title: str
    alt: str

    def static_path(self, key: str) -> str:
        return f"tracker/exercises/{key}.svg"


ILLUSTRATIONS: dict[str, Illustration] = {
    "double-leg-calf-raise": Illustration(
        "Double-leg calf raise",
        "Start: standing tall on both feet, heels on the floor, fingertips resting on a wall. "
        "End: up on the balls of both feet, heels lifted as high as possible, knees straight.",
    ),
    "single-leg-calf-raise": Illustration(
        "Single-leg calf raise",
        "Start: standing on one leg, heel on the floor, knee straight, the other foot lifted behind, "
        "fingertips on a wall. End: up on the ball of that foot, heel as high as possible, knee "
        "still straight.",
    ),
    "seated-calf-raise": Illustration(
        "Seated calf raise",
        "Start: sitting on a chair, knees bent at a right angle, feet flat, a weight resting on the "
        "thighs. End: heels lifted high, balls of the feet on the floor, the weight lifted with them.",
    ),
    "eccentric-heel-drop-straight": Illustration(
        "Eccentric heel drop, knee straight",
        "Start: balls of the feet on the edge of a step, up on the toes, knees straight, a hand on a "
        "rail. End: standing on the affected leg only, the other foot lifted, the heel lowered below "
        "the level of the step with the knee straight.",
    ),
    "eccentric-heel-drop-bent": Illustration(
        "Eccentric heel drop, knee bent",
        "Start: balls of the feet on the edge of a step, up on the toes, knees slightly bent, a hand "
        "on a rail. End: on the affected leg only, knee still slightly bent, the heel lowered below "
        "the level of the step.",
    ),
    "heavy-slow-calf-raise": Illustration(
        "Heavy slow calf raise",
        "Start: standing with the balls of the feet on a raised plate, heels down, a heavy backpack "
        "on, fingertips on a wall. End: up on the toes, heels high, knees straight; 3 seconds up, "
        "3 seconds down.",
    ),
    "wall-gastrocnemius-stretch": Illustration(
        "Wall calf stretch, knee straight",
        "Start: facing a wall, hands on it at shoulder height, one foot a long step behind the other. "
        "End: leaning the hips towards the wall, front knee bent, back knee straight and back heel "
        "pressed to the floor.",
    ),
    "soleus-stretch": Illustration(
        "Soleus stretch, knee bent",
        "Start: facing a wall, hands on it, one foot a short step behind the other, heels down. "
        "End: both knees bent and sinking down, the back heel still on the floor.",
    ),
    "deep-water-running": Illustration(
        "Deep-water running",
        "Start and end: upright in deep water with a flotation belt around the waist, head above "
        "the water, feet well clear of the pool floor; the legs swap like running, one knee up in "
        "front while the other leg sweeps back.",
    ),
    "stationary-cycling": Illustration(
        "Stationary cycling",
        "Start: seated on an exercise bike, one pedal at the top with the knee bent. End: that "
        "pedal at the bottom, the knee almost but not fully straight (the saddle is at that height).",
    ),
    "trigger-point-self-release": Illustration(
        "Trigger point self-release with a ball",
        "Start: sitting on the floor, hands behind you, the calf resting on a ball over the tender "
        "spot. End: the other leg crossed over the top to add gentle pressure, held still.",
    ),
    "foam-rolling-calf": Illustration(
        "Foam rolling the calf",
        "Start: sitting on the floor with hands behind, hips lifted, the roller under the calf just "
        "above the ankle. End: the body moved forward so the roller is just below the back of the knee.",
    ),
}

ILLUSTRATION_CHOICES = [(key, item.title) for key, item in ILLUSTRATIONS.items()]
