"""The layers of tracker/: every import points down (or sideways within a layer), never up.

    metrics <- models <- selectors / services <- charts / report / triage / tasks <- forms
        <- views / api / admin

A new module must be placed in LAYERS, so that a newcomer always knows where a piece of code goes.
"""

import ast
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parents[1] / "tracker"

# Module (or package) -> layer; the longest matching prefix wins.
LAYERS = {
    # Pure rules and wording, no Django models.
    "tracker": 0,  # the package itself (an empty __init__)
    "tracker.metrics": 0,
    "tracker.programmes": 0,
    "tracker.progression": 0,
    "tracker.illustrations": 0,
    "tracker.drawings": 0,
    "tracker.formatting": 0,
    "tracker.questionnaires": 0,  # the questionnaires' items and scoring
    "tracker.security": 0,
    "tracker.usernames": 0,
    # The data model.
    "tracker.models": 1,
    # Reads.
    "tracker.access": 2,
    "tracker.auth_backends": 2,  # the logged-in user, read with her profile
    "tracker.selectors": 2,
    # Writes.
    "tracker.services": 3,
    # Pictures and documents made from reads.
    "tracker.charts": 4,
    "tracker.charts.cache": 4,  # rendered charts in Django's cache, keyed by the data stamp
    "tracker.report": 4,
    "tracker.triage": 4,  # who needs the physio today, in words (from selectors and metrics)
    "tracker.pdf": 4,
    "tracker.handout": 4,
    # The task queue's jobs (huey): they call services; only entry points and the app config import them.
    "tracker.tasks": 4,
    # What the web layers share.
    "tracker.forms": 5,
    "tracker.responses": 5,
    "tracker.templatetags": 5,
    "tracker.context_processors": 5,
    "tracker.middleware": 5,
    "tracker.uploads": 5,  # where an uploaded file's bytes go (the middleware installs the handlers)
    "tracker.ratelimits": 5,
    # Entry points: none of these imports another.
    "tracker.views": 6,
    "tracker.urls": 6,
    "tracker.api": 6,
    "tracker.admin": 6,
    "tracker.admin_site": 6,  # the admin site class (outside the package that registers on it)
    "tracker.management": 6,
    # The app config: its ready() imports the tasks, so that saving a red flag queues the alert.
    "tracker.apps": 6,
}
ENTRY_POINTS = ("tracker.views", "tracker.api", "tracker.admin", "tracker.management")


def module_name(path: Path) -> str:
    parts = path.relative_to(TRACKER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> tuple[str, int]:
    def covers(prefix: str) -> bool:
        return module == prefix or (prefix != "tracker" and module.startswith(prefix + "."))

    matches = [prefix for prefix in LAYERS if covers(prefix)]
    if not matches:
        raise AssertionError(f"{module} has no layer: add it to LAYERS in {__file__}")
    prefix = max(matches, key=len)
    return prefix, LAYERS[prefix]


def tracker_imports(path: Path) -> set[str]:
    """Every tracker module `path` imports, whether at the top, inside a function or for typing."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tracker")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tracker"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (TRACKER.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    TRACKER.parent / candidate.replace(".", "/")
                ).is_dir()
                found.add(candidate if is_module else node.module)
    return found


SOURCES = sorted(p for p in TRACKER.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_imports_point_down_the_layers(path):
    importer = module_name(path)
    importer_prefix, importer_layer = layer_of(importer)
    for imported in tracker_imports(path):
        imported_prefix, imported_layer = layer_of(imported)
        assert imported_layer <= importer_layer, (
            f"{importer} (layer {importer_layer}) imports {imported} (layer {imported_layer}): "
            "an import that points up a layer"
        )
        importer_entry = next((e for e in ENTRY_POINTS if importer_prefix.startswith(e)), None)
        imported_entry = next((e for e in ENTRY_POINTS if imported_prefix.startswith(e)), None)
        if importer_entry and imported_entry:
            assert importer_entry == imported_entry, f"{importer} imports {imported}: entry points stay apart"


def test_the_graph_check_catches_an_upward_import(monkeypatch):
    """The check itself fails on a selector that imports a view."""
    bad = TRACKER / "selectors" / "common.py"
    upward = "from tracker.views import dashboard\n"
    real_read_text = Path.read_text
    monkeypatch.setattr(
        Path, "read_text", lambda self, *args, **kwargs: upward if self == bad else real_read_text(self)
    )
    with pytest.raises(AssertionError, match="points up a layer"):
        test_imports_point_down_the_layers(bad)


def test_every_module_has_a_layer():
    for path in SOURCES:
        layer_of(module_name(path))
