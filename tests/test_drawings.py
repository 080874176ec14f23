"""The exercise drawings: one per library exercise, described in words, and the committed SVG files
exactly what scripts/draw_exercises.py makes from tracker/drawings (so they never drift apart)."""

import importlib.util
from pathlib import Path
from xml.etree import ElementTree

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from tracker.drawings import HEIGHT, WIDTH
from tracker.drawings.render import placed
from tracker.drawings.scenes import SCENES
from tracker.illustrations import ILLUSTRATIONS
from tracker.migrations import __path__ as migrations_path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("draw_exercises", ROOT / "scripts" / "draw_exercises.py")
draw_exercises = importlib.util.module_from_spec(spec)
spec.loader.exec_module(draw_exercises)


def library_slugs() -> set[str]:
    spec = importlib.util.spec_from_file_location(
        "library", Path(migrations_path[0]) / "0003_exercise_library.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {row[1] for row in module.EXERCISES}


def test_every_library_exercise_has_a_drawing_and_a_scene():
    assert set(ILLUSTRATIONS) == library_slugs() == set(SCENES)


@pytest.mark.parametrize("name", sorted(draw_exercises.svg_files()))
def test_the_committed_svg_is_what_the_script_draws(name):
    committed = (draw_exercises.OUTPUT / name).read_text(encoding="utf-8")
    assert committed == draw_exercises.svg_files()[name], "run scripts/draw_exercises.py and commit"


@pytest.mark.parametrize("key", sorted(ILLUSTRATIONS))
def test_each_drawing_is_valid_svg_with_its_description_and_start_and_end(key):
    root = ElementTree.fromstring((draw_exercises.OUTPUT / f"{key}.svg").read_text(encoding="utf-8"))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("svg:desc", ns).text == ILLUSTRATIONS[key].alt
    texts = [t.text for t in root.findall("svg:text", ns)]
    assert "Start" in texts and "End" in texts
    views = {view.get("id"): view.get("viewBox") for view in root.findall("svg:view", ns)}
    assert views == {"start": "0 0 320 300", "end": "320 0 320 300"}  # file.svg#start, file.svg#end


@pytest.mark.parametrize("key", sorted(ILLUSTRATIONS))
def test_each_view_shows_its_own_panel_and_nothing_along_its_edge(key):
    """The pages frame #start and #end one by one: a line between the panels was cut in half and
    drawn inside both frames, along the start's right edge and the end's left edge."""
    root = ElementTree.fromstring((draw_exercises.OUTPUT / f"{key}.svg").read_text(encoding="utf-8"))
    edge = WIDTH / 2
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "line":
            xs = [float(element.get("x1")), float(element.get("x2"))]
        elif tag == "polyline":
            xs = [float(pair.split(",")[0]) for pair in element.get("points").split()]
        else:
            continue
        assert max(xs) < edge - 5 or min(xs) > edge + 5, (key, ElementTree.tostring(element)[:120])


def test_the_handout_keeps_the_line_between_the_panels():
    """The PDF handout shows both panels as one picture, where the line says which is which."""
    middle = WIDTH / 2
    lines = [points for shape, points in placed(SCENES["soleus-stretch"]()) if shape.kind == "line"]
    assert [(middle, 12.0), (middle, HEIGHT - 12.0)] in lines


@pytest.mark.parametrize("key", sorted(SCENES))
def test_every_mark_stays_inside_the_drawing(key):
    for _shape, points in placed(SCENES[key]()):
        for x, y in points:
            assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT, (key, x, y)


def text_box(shape, at) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a label on the canvas, measured in the drawings' font."""
    font = FontProperties(family="DejaVu Sans", size=shape.size)
    width, height, descent = TextToPath().get_text_width_height_descent(shape.text, font, ismath=False)
    left = {"middle": at[0] - width / 2, "start": at[0], "end": at[0] - width}[shape.anchor]
    return left, at[1] - height + descent, left + width, at[1] + descent


def touches(box, point, margin: float) -> bool:
    left, top, right, bottom = box
    return left - margin <= point[0] <= right + margin and top - margin <= point[1] <= bottom + margin


@pytest.mark.parametrize("key", sorted(SCENES))
def test_no_label_runs_over_the_figure_or_off_the_drawing(key):
    """At 390 px "knee almost straight" once ran across the cyclist's body: every label lies inside
    the drawing and clear of every limb, prop and circle (each stroke sampled along its length)."""
    shapes = list(placed(SCENES[key]()))
    for label, (at,) in ((s, p) for s, p in shapes if s.kind == "text"):
        box = text_box(label, at)
        assert box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= HEIGHT, (key, label.text)
        for shape, points in shapes:
            if shape.kind == "circle" and shape.width:
                assert not touches(box, points[0], shape.radius), (key, label.text, "a circle")
            if shape.kind in ("line", "polyline") and shape.width >= 2:
                samples = [
                    (a[0] + (b[0] - a[0]) * i / 40, a[1] + (b[1] - a[1]) * i / 40)
                    for a, b in zip(points, points[1:], strict=False) for i in range(41)
                ]
                assert not any(touches(box, point, 1) for point in samples), (key, label.text, shape.stroke)
