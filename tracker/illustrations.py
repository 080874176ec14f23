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
    start: str  # the start position, in words (the left panel)
    end: str  # the end position (the right panel)

    @property
    def alt(self) -> str:
        return f"Start: {self.start} End: {self.end}"

    def static_path(self, key: str) -> str:
        """The drawing; `#start` and `#end` after it show one panel (an SVG <view>)."""
        return f"tracker/exercises/{key}.svg"


ILLUSTRATIONS: dict[str, Illustration] = {
    "double-leg-calf-raise": Illustration(
        "Double-leg calf raise",
        start="standing tall on both feet, heels on the floor, fingertips resting on a wall.",
        end="up on the balls of both feet, heels lifted as high as possible, knees straight.",
    ),
    "single-leg-calf-raise": Illustration(
        "Single-leg calf raise",
        start="standing on one leg, heel on the floor, knee straight, the other foot lifted behind, "
        "fingertips on a wall.",
        end="up on the ball of that foot, heel as high as possible, knee still straight.",
    ),
    "seated-calf-raise": Illustration(
        "Seated calf raise",
        start="sitting on a chair, knees bent at a right angle, feet flat, a weight resting on the "
        "thighs.",
        end="heels lifted high, balls of the feet on the floor, the weight lifted with them.",
    ),
    "eccentric-heel-drop-straight": Illustration(
        "Eccentric heel drop, knee straight",
        start="balls of the feet on the edge of a step, up on the toes, knees straight, a hand on a "
        "rail.",
        end="standing on the affected leg only, the other foot lifted, the heel lowered below the "
        "level of the step with the knee straight.",
    ),
    "eccentric-heel-drop-bent": Illustration(
        "Eccentric heel drop, knee bent",
        start="balls of the feet on the edge of a step, up on the toes, knees slightly bent, a hand "
        "on a rail.",
        end="on the affected leg only, knee still slightly bent, the heel lowered below the level of "
        "the step.",
    ),
    "heavy-slow-calf-raise": Illustration(
        "Heavy slow calf raise",
        start="standing with the balls of the feet on a raised plate, heels down, a heavy backpack "
        "on, fingertips on a wall.",
        end="up on the toes, heels high, knees straight; 3 seconds up, 3 seconds down.",
    ),
    "wall-gastrocnemius-stretch": Illustration(
        "Wall calf stretch, knee straight",
        start="facing a wall, hands on it at shoulder height, one foot a long step behind the other.",
        end="leaning the hips towards the wall, front knee bent, back knee straight and back heel "
        "pressed to the floor.",
    ),
    "soleus-stretch": Illustration(
        "Soleus stretch, knee bent",
        start="facing a wall, hands on it, one foot a short step behind the other, heels down.",
        end="both knees bent and sinking down, the back heel still on the floor.",
    ),
    "deep-water-running": Illustration(
        "Deep-water running",
        start="upright in deep water with a flotation belt around the waist, head above the water, "
        "feet well clear of the pool floor; one knee up in front, the other leg sweeping back.",
        end="the legs swapped, as in running; the feet still do not touch the floor.",
    ),
    "stationary-cycling": Illustration(
        "Stationary cycling",
        start="seated on an exercise bike, one pedal at the top with the knee bent.",
        end="that pedal at the bottom, the knee almost but not fully straight (the saddle is at that "
        "height).",
    ),
    "trigger-point-self-release": Illustration(
        "Trigger point self-release with a ball",
        start="sitting on the floor, hands behind you, the calf resting on a ball over the tender spot.",
        end="the other leg crossed over the top to add gentle pressure, held still.",
    ),
    "foam-rolling-calf": Illustration(
        "Foam rolling the calf",
        start="sitting on the floor with hands behind, hips lifted, the roller under the calf just "
        "above the ankle.",
        end="the body moved forward so the roller is just below the back of the knee.",
    ),
}

ILLUSTRATION_CHOICES = [(key, item.title) for key, item in ILLUSTRATIONS.items()]
