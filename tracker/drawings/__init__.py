"""Line drawings of the exercises: a stick figure posed by its joint angles, props, and renderers.

One description, three outputs: SVG (the static files the pages show, written by
scripts/draw_exercises.py), reportlab shapes (the PDF handout) and a Pillow image (the demo data's
"photo"). Geometry is in a y-up frame with the floor at y = 0; each drawing has two panels, the
start position on the left and the end position on the right (`scenes.SCENES`).

Limb lengths are fixed, so every pose of every exercise has the same proportions: a figure facing
right, the near limbs dark, the far limbs light, the working calf shaded in orange.
"""

import math
from dataclasses import dataclass, field

Point = tuple[float, float]

PANEL_WIDTH, PANEL_HEIGHT = 300.0, 260.0
WIDTH, HEIGHT = 640.0, 300.0  # the whole drawing: two panels side by side, titles above
PANEL_ORIGINS = ((10.0, 20.0), (330.0, 20.0))  # lower-left corner of each panel, y-up
INK, FAR, PROP, ACCENT, CALF, WATER = "#1f3b57", "#a9bccf", "#495057", "#d9480f", "#ffa94d", "#74c0fc"

SHIN, THIGH, TRUNK, NECK, HEAD = 48.0, 50.0, 62.0, 5.0, 11.0
UPPER_ARM, FOREARM = 30.0, 28.0
HEEL_TO_BALL, TOES = 24.0, 8.0


@dataclass(frozen=True)
class Shape:
    """One mark: kind is "line", "polyline", "circle", "rect" or "text"; points in panel units."""

    kind: str
    points: tuple[Point, ...]
    stroke: str = PROP
    width: float = 2.5
    fill: str = "none"
    radius: float = 0.0
    text: str = ""
    size: float = 13.0
    anchor: str = "middle"


@dataclass
class Panel:
    shapes: list[Shape] = field(default_factory=list)

    def line(self, a: Point, b: Point, stroke=PROP, width=2.5):
        self.shapes.append(Shape("line", (a, b), stroke, width))

    def polyline(self, points, stroke=PROP, width=2.5, fill="none"):
        self.shapes.append(Shape("polyline", tuple(points), stroke, width, fill))

    def circle(self, centre: Point, radius: float, stroke=PROP, width=2.5, fill="none"):
        self.shapes.append(Shape("circle", (centre,), stroke, width, fill, radius))

    def rect(self, corner: Point, size: Point, stroke=PROP, width=2.5, fill="none"):
        x, y = corner
        w, h = size
        self.polyline([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)], stroke, width, fill)

    def text(self, at: Point, words: str, size=13.0, anchor="middle", colour=PROP):
        self.shapes.append(Shape("text", (at,), colour, 0, "none", 0, words, size, anchor))

    def arrow(self, a: Point, b: Point, colour=ACCENT):
        """A straight arrow from a to b, its head at b."""
        angle = math.atan2(b[1] - a[1], b[0] - a[0])
        self.line(a, b, colour, 3)
        head = [offset(b, 9, math.degrees(angle) + 180 + spread) for spread in (-28, 28)]
        self.polyline([head[0], b, head[1]], colour, 3)

    def floor(self, x0=0.0, x1=PANEL_WIDTH):
        self.line((x0, 0), (x1, 0), PROP, 2)
        for x in range(int(x0) + 6, int(x1), 14):
            self.line((x, 0), (x - 6, -6), PROP, 1)

    def wall(self, x: float, top=230.0):
        self.line((x, 0), (x, top), PROP, 3)
        for y in range(8, int(top), 14):
            self.line((x, y), (x + 6, y - 6), PROP, 1)


def offset(point: Point, length: float, angle: float) -> Point:
    """The point `length` away in direction `angle` (degrees, 0 = right, 90 = up)."""
    radians = math.radians(angle)
    return point[0] + length * math.cos(radians), point[1] + length * math.sin(radians)


def direction(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def bend(a: Point, b: Point, first: float, second: float, forward: bool = True) -> Point:
    """The middle joint of a two-segment limb from a to b (knee or elbow), bending to one side.

    When b is out of reach the limb is straight, pointing at b.
    """
    distance = math.dist(a, b)
    if distance >= first + second or distance == 0:
        return offset(a, first, direction(a, b))
    cos_angle = (first**2 + distance**2 - second**2) / (2 * first * distance)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos_angle))))
    return offset(a, first, direction(a, b) + (angle if forward else -angle))


@dataclass(frozen=True)
class Leg:
    hip: Point
    knee: Point
    ankle: Point
    heel: Point
    ball: Point
    toes: Point


def foot(ball: Point, lift: float) -> tuple[Point, Point, Point]:
    """(heel, ankle, toes) of a foot whose ball is at `ball`, the heel `lift` degrees up
    (negative: the heel below the ball, as over the edge of a step). Toes lie flat ahead."""
    heel = offset(ball, HEEL_TO_BALL, 180 - lift)
    along = direction(heel, ball)
    ankle = offset(offset(heel, 7, along), 13, along + 90)
    return heel, ankle, (ball[0] + TOES, ball[1])


def standing_leg(ball: Point, lift: float, shin: float, thigh: float) -> Leg:
    """A leg built up from the floor: the ball of the foot, heel lift, shin and thigh directions."""
    heel, ankle, toes = foot(ball, lift)
    knee = offset(ankle, SHIN, shin)
    return Leg(offset(knee, THIGH, thigh), knee, ankle, heel, ball, toes)


def leg_to(hip: Point, ankle: Point, foot_angle: float = 0.0, knee_forward: bool = True) -> Leg:
    """A leg from the hip to a given ankle (the knee found by `bend`); the foot points
    `foot_angle` degrees from the horizontal (toes ahead)."""
    knee = bend(hip, ankle, THIGH, SHIN, forward=knee_forward)
    heel = offset(offset(ankle, 13, foot_angle - 90), 7, foot_angle + 180)
    ball = offset(heel, HEEL_TO_BALL, foot_angle)
    return Leg(hip, knee, ankle, heel, ball, offset(ball, TOES, foot_angle))


def draw_leg(panel: Panel, leg: Leg, near: bool = True, working: bool = False) -> None:
    colour = INK if near else FAR
    if working:  # the calf muscle, shaded behind the upper part of the shin
        along = direction(leg.ankle, leg.knee)
        side = along + 90  # the figure faces right: the back of the leg is to the shin's left
        low, high = (offset(offset(leg.ankle, SHIN * f, along), 5, side) for f in (0.35, 0.85))
        panel.line(low, high, CALF, 11)
    panel.polyline([leg.hip, leg.knee, leg.ankle], colour, 7)
    panel.polyline([leg.ankle, leg.heel, leg.ball, leg.toes], colour, 5)


def draw_body(panel: Panel, hip: Point, trunk: float, hands: tuple[Point, ...] = (),
              elbows_down: bool = True, extra_head: float = 0.0) -> Point:
    """Trunk, head and arms (each arm reaching for a hand position); returns the shoulder."""
    shoulder = offset(hip, TRUNK, trunk)
    head = offset(shoulder, NECK + HEAD, trunk + extra_head)
    panel.line(hip, shoulder, INK, 8)
    panel.circle(head, HEAD, INK, 3, "#ffffff")
    for index, hand in enumerate(hands):
        elbow = bend(shoulder, hand, UPPER_ARM, FOREARM, forward=not elbows_down)
        panel.polyline([shoulder, elbow, hand], INK if index == 0 else FAR, 5)
    return shoulder


def reach(shoulder_from: Point, target: Point, arm: float = UPPER_ARM + FOREARM - 1) -> Point:
    """A hand position on the way to `target`, no further than the arm can reach."""
    distance = math.dist(shoulder_from, target)
    if distance <= arm:
        return target
    return offset(shoulder_from, arm, direction(shoulder_from, target))


@dataclass
class Drawing:
    title: str
    panels: tuple[Panel, Panel]
    captions: tuple[str, str] = ("Start", "End")
