"""The start and end positions of the twelve library exercises (keys as tracker.illustrations)."""

from tracker.drawings import (
    ACCENT,
    CALF,
    PROP,
    SHIN,
    THIGH,
    WATER,
    Drawing,
    Leg,
    Panel,
    direction,
    draw_body,
    draw_leg,
    leg_to,
    offset,
    reach,
    standing_leg,
)

WALL_X = 200.0


def lifted_leg(hip) -> Leg:
    """The other leg, knee bent and its foot lifted behind (standing on one leg)."""
    knee = offset(hip, THIGH, 262)
    ankle = offset(knee, SHIN, 200)
    heel = offset(ankle, 12, 290)
    return Leg(hip, knee, ankle, heel, offset(heel, 22, 200), offset(heel, 28, 200))
HAND_HEIGHT = 135.0


def _calf_raise(panel: Panel, lift: float, *, one_leg: bool, step: float = 0.0, backpack: bool = False):
    """Standing at a wall (fingertips on it), heels down (lift 0) or up."""
    panel.floor()
    panel.wall(WALL_X)
    ball = (150.0, step)
    if step:
        panel.rect((136, 0), (50, step), PROP, 2, "#e9ecef")
    near = standing_leg(ball, lift, 92, 90)
    if one_leg:
        draw_leg(panel, lifted_leg(near.hip), near=False)
    else:
        draw_leg(panel, standing_leg((ball[0] + 6, step), lift, 92, 90), near=False)
    draw_leg(panel, near, working=True)
    shoulder = offset(near.hip, 62, 92)
    if backpack:
        panel.rect((shoulder[0] - 22, shoulder[1] - 44), (18, 38), PROP, 2.5, "#ced4da")
    hand = (WALL_X - 3, HAND_HEIGHT + near.hip[1] - 96)
    draw_body(panel, near.hip, 92, (reach(shoulder, hand),))
    return near


def double_leg_calf_raise() -> Drawing:
    start, end = Panel(), Panel()
    leg = _calf_raise(start, 0, one_leg=False)
    start.arrow((leg.heel[0] - 14, 8), (leg.heel[0] - 14, 40))
    _calf_raise(end, 38, one_leg=False)
    return Drawing("Double-leg calf raise", (start, end))


def single_leg_calf_raise() -> Drawing:
    start, end = Panel(), Panel()
    leg = _calf_raise(start, 0, one_leg=True)
    start.arrow((leg.heel[0] - 14, 8), (leg.heel[0] - 14, 40))
    _calf_raise(end, 38, one_leg=True)
    return Drawing("Single-leg calf raise", (start, end))


def heavy_slow_calf_raise() -> Drawing:
    start, end = Panel(), Panel()
    leg = _calf_raise(start, -19, one_leg=False, step=8, backpack=True)
    start.arrow((leg.heel[0] - 16, 8), (leg.heel[0] - 16, 44))
    start.text((75, 200), "3 s up", 14, colour=ACCENT)
    _calf_raise(end, 36, one_leg=False, step=8, backpack=True)
    end.text((75, 200), "3 s down", 14, colour=ACCENT)
    return Drawing("Heavy slow calf raise", (start, end))


def seated_calf_raise() -> Drawing:
    panels = []
    for lift in (0, 38):
        panel = Panel()
        panel.floor()
        panel.polyline([(40, 0), (40, 62), (112, 62), (112, 0)], PROP, 3)  # the chair
        panel.line((40, 62), (34, 150), PROP, 3)
        hip = (96.0, 70.0)
        near = standing_leg((172.0, 0), lift, 92, 0)
        knee = near.knee
        leg = type(near)(hip, knee, near.ankle, near.heel, near.ball, near.toes)
        far = standing_leg((178.0, 0), lift, 92, 0)
        draw_leg(panel, type(far)(hip, far.knee, far.ankle, far.heel, far.ball, far.toes), near=False)
        draw_leg(panel, leg, working=True)
        weight = (knee[0] - 26, knee[1] + 4)
        panel.rect(weight, (24, 14), PROP, 2.5, "#868e96")
        draw_body(panel, hip, 95, (reach(offset(hip, 62, 95), (weight[0] + 8, weight[1] + 16)),))
        if not lift:
            panel.arrow((near.heel[0] - 12, 6), (near.heel[0] - 12, 38))
        panels.append(panel)
    return Drawing("Seated calf raise", tuple(panels))


def _heel_drop(lift: float, *, one_leg: bool, knee_bent: bool) -> tuple[Panel, object]:
    panel = Panel()
    panel.floor()
    step_top = 40.0
    panel.rect((112, 0), (120, step_top), PROP, 2.5, "#e9ecef")
    panel.line((160, step_top), (160, 205), PROP, 3)  # the rail
    ball = (120.0, step_top)
    shin, thigh, trunk = (68, 118, 100) if knee_bent else (92, 90, 92)
    near = standing_leg(ball, lift, shin, thigh)
    if one_leg:
        draw_leg(panel, lifted_leg(near.hip), near=False)
    else:
        draw_leg(panel, standing_leg((ball[0] + 6, step_top), lift, shin, thigh), near=False)
    draw_leg(panel, near, working=True)
    shoulder = offset(near.hip, 62, trunk)
    draw_body(panel, near.hip, trunk, (reach(shoulder, (157, shoulder[1] - 22)),))
    return panel, near


def eccentric_heel_drop(knee_bent: bool) -> Drawing:
    start, _leg = _heel_drop(38, one_leg=False, knee_bent=knee_bent)
    end, leg = _heel_drop(-28, one_leg=True, knee_bent=knee_bent)
    start.arrow((84, 100), (84, 60))  # lowering the heel, slowly
    start.text((76, 80), "slowly", 13, anchor="end", colour=ACCENT)
    end.text((60, 20), "heel below", 12, colour=ACCENT)
    end.text((60, 6), "the step", 12, colour=ACCENT)
    title = "Eccentric heel drop, knee bent" if knee_bent else "Eccentric heel drop, knee straight"
    return Drawing(title, (start, end))


def _wall_stretch(*, lean: bool, back_knee_bent: bool) -> Panel:
    panel = Panel()
    panel.floor()
    panel.wall(WALL_X + 15)
    back_ankle = (78.0 if not back_knee_bent else 118.0, 13.0)
    front_ankle = (170.0, 13.0)
    if back_knee_bent:
        hip = (146.0, 74.0) if lean else (140.0, 106.0)
        trunk = 92
    else:
        hip = offset(back_ankle, 98, 50) if lean else (128.0, 98.0)
        trunk = 60 if lean else 88
    back = leg_to(hip, back_ankle, 0, knee_forward=True)
    front = leg_to(hip, front_ankle, 0, knee_forward=True)
    draw_leg(panel, front, near=False)
    draw_leg(panel, back, working=True)
    shoulder = offset(hip, 62, trunk)
    draw_body(panel, hip, trunk, (reach(shoulder, (WALL_X + 12, shoulder[1] + 6)),), extra_head=-10)
    return panel


def wall_gastrocnemius_stretch() -> Drawing:
    start = _wall_stretch(lean=False, back_knee_bent=False)
    end = _wall_stretch(lean=True, back_knee_bent=False)
    end.text((60, 150), "back knee", 12, colour=ACCENT)
    end.text((60, 136), "straight,", 12, colour=ACCENT)
    end.text((60, 122), "heel down", 12, colour=ACCENT)
    start.arrow((150, 200), (185, 200))
    return Drawing("Wall calf stretch, knee straight", (start, end))


def soleus_stretch() -> Drawing:
    start, end = _wall_stretch(lean=False, back_knee_bent=True), _wall_stretch(lean=True, back_knee_bent=True)
    start.arrow((60, 150), (60, 112))  # sinking down
    end.text((60, 150), "knees bent,", 12, colour=ACCENT)
    end.text((60, 136), "heel down", 12, colour=ACCENT)
    return Drawing("Soleus stretch, knee bent", (start, end))


def deep_water_running() -> Drawing:
    panels = []
    for phase in (0, 1):
        panel = Panel()
        panel.line((0, 0), (300, 0), PROP, 2)  # the pool floor
        waves = [(x, 200 + (4 if (x // 20) % 2 else -4)) for x in range(0, 301, 20)]
        panel.polyline(waves, WATER, 3)
        hip = (150.0, 105.0)
        ahead, behind = (leg_to(hip, (188, 70), -40), leg_to(hip, (100, 52), -70, knee_forward=True))
        near, far = (ahead, behind) if phase == 0 else (behind, ahead)
        draw_leg(panel, far, near=False)
        draw_leg(panel, near)
        shoulder = offset(hip, 62, 92)
        hands = ((shoulder[0] - 22, shoulder[1] - 30), (shoulder[0] + 28, shoulder[1] - 12))
        draw_body(panel, hip, 92, hands if phase == 0 else hands[::-1])
        panel.rect((hip[0] - 14, hip[1] + 2), (28, 14), ACCENT, 2.5, CALF)  # the flotation belt
        panel.text((240, 12), "feet off the floor", 13, colour=ACCENT)
        panels.append(panel)
    return Drawing("Deep-water running", tuple(panels))


def stationary_cycling() -> Drawing:
    panels = []
    for pedal_angle in (90, 270):
        panel = Panel()
        panel.floor()
        crank, saddle, bars = (146.0, 58.0), (112.0, 150.0), (212.0, 165.0)
        panel.line((70, 4), (240, 4), PROP, 4)  # the base
        panel.line((120, 4), (saddle[0] + 2, saddle[1] - 4), PROP, 4)  # the seat post
        panel.line((117, 60), crank, PROP, 3)
        panel.line((saddle[0] - 14, saddle[1]), (saddle[0] + 14, saddle[1]), PROP, 6)
        panel.polyline([(205, 4), (200, 120), bars, (bars[0] + 12, bars[1] - 4)], PROP, 4)
        panel.circle((218, 46), 26, PROP, 3)
        pedal = offset(crank, 22, pedal_angle)
        panel.line(crank, pedal, PROP, 3)
        panel.circle(crank, 7, PROP, 3, "#ffffff")
        hip = (saddle[0], saddle[1] + 6)
        ball = pedal
        ankle = offset(ball, 18, 150)
        leg = leg_to(hip, ankle, direction(ankle, ball) - 10, knee_forward=True)
        far_pedal = offset(crank, 22, pedal_angle + 180)
        far = leg_to(hip, offset(far_pedal, 18, 150), -10, knee_forward=True)
        draw_leg(panel, far, near=False)
        draw_leg(panel, leg, working=True)
        shoulder = offset(hip, 62, 70)
        draw_body(panel, hip, 70, (reach(shoulder, (bars[0] + 6, bars[1])),))
        panels.append(panel)
    panels[1].text((232, 212), "knee almost straight", 12, colour=ACCENT)
    return Drawing("Stationary cycling", tuple(panels))


def _floor_sitting(*, tool: str, roller_x: float, hip_up: float, crossed: bool) -> Panel:
    panel = Panel()
    panel.floor()
    radius = 9.0 if tool == "ball" else 14.0
    centre = (roller_x, radius)
    panel.circle(centre, radius, PROP, 2.5, "#ffd8a8" if tool == "ball" else "#dee2e6")
    hip = (70.0, 14.0 + hip_up)
    ankle = offset(hip, 97, direction(hip, (centre[0], centre[1] + radius + 4)))
    ankle = offset(hip, 97, direction(hip, ankle))
    near = leg_to(hip, ankle, 70)
    far_ankle = (ankle[0] - 6, ankle[1] + 14) if crossed else (hip[0] + 62, 13.0)
    far = leg_to(hip, far_ankle, 70 if crossed else 0, knee_forward=True)
    draw_leg(panel, near, working=True)
    draw_leg(panel, far, near=False)
    shoulder = offset(hip, 62, 120)
    draw_body(panel, hip, 120, (reach(shoulder, (hip[0] - 40, 2)),), elbows_down=False)
    return panel


def trigger_point_self_release() -> Drawing:
    start = _floor_sitting(tool="ball", roller_x=150, hip_up=0, crossed=False)
    end = _floor_sitting(tool="ball", roller_x=150, hip_up=0, crossed=True)
    start.text((200, 100), "ball under", 12, colour=ACCENT)
    start.text((200, 86), "the tender spot", 12, colour=ACCENT)
    end.text((200, 100), "other leg on top:", 12, colour=ACCENT)
    end.text((200, 86), "hold 60-90 s", 12, colour=ACCENT)
    return Drawing("Trigger point self-release with a ball", (start, end))


def foam_rolling_calf() -> Drawing:
    start = _floor_sitting(tool="roller", roller_x=148, hip_up=16, crossed=False)
    end = _floor_sitting(tool="roller", roller_x=112, hip_up=16, crossed=False)
    start.text((200, 100), "roller above", 12, colour=ACCENT)
    start.text((200, 86), "the ankle", 12, colour=ACCENT)
    end.text((200, 100), "roller below", 12, colour=ACCENT)
    end.text((200, 86), "the knee", 12, colour=ACCENT)
    return Drawing("Foam rolling the calf", (start, end))


SCENES = {
    "double-leg-calf-raise": double_leg_calf_raise,
    "single-leg-calf-raise": single_leg_calf_raise,
    "seated-calf-raise": seated_calf_raise,
    "eccentric-heel-drop-straight": lambda: eccentric_heel_drop(knee_bent=False),
    "eccentric-heel-drop-bent": lambda: eccentric_heel_drop(knee_bent=True),
    "heavy-slow-calf-raise": heavy_slow_calf_raise,
    "wall-gastrocnemius-stretch": wall_gastrocnemius_stretch,
    "soleus-stretch": soleus_stretch,
    "deep-water-running": deep_water_running,
    "stationary-cycling": stationary_cycling,
    "trigger-point-self-release": trigger_point_self_release,
    "foam-rolling-calf": foam_rolling_calf,
}


