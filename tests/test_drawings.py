"""The exercise drawings: one per library exercise, described in words, and the committed SVG files
exactly what scripts/draw_exercises.py makes from tracker/drawings (so they never drift apart)."""

import importlib.util
from pathlib import Path
from xml.etree import ElementTree

import pytest

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


@pytest.mark.parametrize("key", sorted(SCENES))
def test_every_mark_stays_inside_the_drawing(key):
    for _shape, points in placed(SCENES[key]()):
        for x, y in points:
            assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT, (key, x, y)
