"""The printable programme handout (A4 PDF): each prescribed exercise with its drawing, dosage,
"How to do it" and progression, for people who train without a phone.

Same data as the "My programme" page (`selectors.programme.programme_plan`), the same drawings as
the page (`tracker.drawings`, drawn here as reportlab shapes) and the report's fonts and page
furniture (`tracker.pdf`).
"""

import datetime
import io

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from tracker import formatting, metrics
from tracker.drawings import HEIGHT, WIDTH
from tracker.drawings.render import placed
from tracker.drawings.scenes import SCENES
from tracker.models import User
from tracker.pdf import (
    FONT,
    FRAME_WIDTH,
    MARGIN,
    STYLES,
    NumberedCanvas,
    footer,
    para,
    red_flags_box,
    table,
    text,
)
from tracker.selectors.programme import programme_plan

TITLE = "My exercise programme"
FOOTER = "Your physiotherapist's programme; not a diagnosis. If something feels wrong, contact them."
DRAWING_WIDTH = 120 * mm
NOTHING = "Your physiotherapist has not prescribed any exercises yet."


def drawing(key: str, width: float = DRAWING_WIDTH) -> Drawing:
    """The exercise's start-and-end drawing as reportlab vector shapes, `width` points wide."""
    scale = width / WIDTH
    canvas = Drawing(width, HEIGHT * scale)

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, (HEIGHT - y) * scale  # SVG counts y down, PDF up

    for shape, points in placed(SCENES[key]()):
        stroke = colors.HexColor(shape.stroke)
        fill = None if shape.fill == "none" else colors.HexColor(shape.fill)
        width_pt = shape.width * scale
        if shape.kind == "text":
            x, y = at(*points[0])
            canvas.add(String(x, y, shape.text, fontName=FONT, fontSize=shape.size * scale,
                              fillColor=stroke, textAnchor=shape.anchor))
        elif shape.kind == "circle":
            x, y = at(*points[0])
            canvas.add(Circle(x, y, shape.radius * scale, strokeColor=stroke if shape.width else None,
                              strokeWidth=width_pt, fillColor=fill))
        elif shape.kind == "line":
            (x1, y1), (x2, y2) = at(*points[0]), at(*points[1])
            canvas.add(Line(x1, y1, x2, y2, strokeColor=stroke, strokeWidth=width_pt, strokeLineCap=1))
        else:
            flat = [value for point in points for value in at(*point)]
            if fill is not None:
                canvas.add(Polygon(flat, strokeColor=stroke, strokeWidth=width_pt, fillColor=fill))
            else:
                canvas.add(PolyLine(flat, strokeColor=stroke, strokeWidth=width_pt, strokeLineCap=1,
                                    strokeLineJoin=1))
    return canvas


def _exercise(item) -> list:
    prescription, exercise = item.prescription, item.prescription.exercise
    legs = "both legs" if prescription.side == "both" else f"{prescription.get_side_display().lower()} leg"
    dosage = f"{prescription.dosage_text()}, {formatting.per_week(prescription.times_per_week)}, {legs}"
    block = [Paragraph(text(exercise.name), STYLES["h2"]), para(dosage, "value")]
    if prescription.notes:
        block.append(para(f"From your physiotherapist: {prescription.notes}", "small"))
    if exercise.illustration in SCENES:
        picture = drawing(exercise.illustration)
        block += [Spacer(1, 2 * mm), picture, para("Left: start. Right: end.", "small")]
    how = []
    if exercise.starting_position:
        how += [para("Starting position", "bold"), para(exercise.starting_position)]
    steps = exercise.step_list()
    if steps:
        how += [para("The movement", "bold"),
                ListFlowable([ListItem(para(step)) for step in steps], bulletType="1", bulletFontName=FONT)]
    elif exercise.instructions:
        how.append(para(exercise.instructions))
    for label, value in (("Tempo", exercise.tempo), ("What you should feel", exercise.what_you_feel)):
        if value:
            how += [para(label, "bold"), para(value)]
    mistakes = exercise.mistake_list()
    if mistakes:
        how += [para("Common mistakes", "bold"),
                ListFlowable([ListItem(para(m)) for m in mistakes], bulletType="bullet", start="•")]
    if exercise.when_to_stop:
        how += [para("When to stop", "bold"), para(exercise.when_to_stop)]
    progress = [reason for reason in (prescription.step_reason, item.next_step.reason,
                                      item.more_load.reason if item.more_load else "") if reason]
    if progress:
        how += [para("Your progression", "bold"), *(para(reason) for reason in progress)]
    return [KeepTogether(block), *how, Spacer(1, 4 * mm)]


def build_handout(patient: User, *, today: datetime.date, red_flags=()) -> bytes:
    """The handout of `patient`'s programme active on `today`, as PDF bytes. Callers check access.

    While an urgent warning sign pauses her programme (`red_flags`, her open ones), the handout opens
    with it and the pause, as the programme page does: a printout must not say only "do these".
    """
    plan = programme_plan(patient, today=today)
    story = [Paragraph(TITLE, STYLES["title"])]
    if metrics.pauses_exercise(red_flags):
        urgent = [flag for flag in red_flags if flag.level == metrics.LEVEL_URGENT]
        story += [red_flags_box(urgent), Spacer(1, 4 * mm)]
    if not plan:
        story.append(para(NOTHING))
    else:
        rows = [("Exercise", "Dosage", "How often", "Tick when done")]
        rows += [(item.prescription.exercise.name, item.prescription.dosage_text(),
                  formatting.per_week(item.prescription.times_per_week), "□ □ □ □ □ □ □")
                 for item in plan]
        story += [
            para(f"Pain up to {metrics.PAIN_ACCEPTABLE_MAX}/10 during and after exercise is acceptable if it "
                 "settles by the next morning."),
            Spacer(1, 3 * mm),
            table(rows, [62 * mm, 36 * mm, 32 * mm, FRAME_WIDTH - 130 * mm]),
        ]
        for item in plan:
            story += _exercise(item)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=20 * mm, title=TITLE, author="Calf Rehab Tracker",
                            subject=patient.display_name())
    doc.footer_text = FOOTER
    doc.patient_label = f"{patient.display_name()}, printed {formatting.day(today)}."
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
    return buffer.getvalue()

