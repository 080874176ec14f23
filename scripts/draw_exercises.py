"""Write the exercise drawings (static/tracker/exercises/*.svg) from tracker.drawings.scenes.

Run after changing a pose: `.venv/bin/python scripts/draw_exercises.py`. tests/test_drawings.py
fails while a committed SVG differs from what this writes, so the files never drift from the code.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "tracker" / "exercises"
sys.path.insert(0, str(ROOT))

from tracker.drawings.render import to_svg  # noqa: E402
from tracker.drawings.scenes import SCENES  # noqa: E402
from tracker.illustrations import ILLUSTRATIONS  # noqa: E402


def svg_files() -> dict[str, str]:
    """{file name: SVG text} of every drawing."""
    return {f"{key}.svg": to_svg(SCENES[key](), ILLUSTRATIONS[key].alt) for key in ILLUSTRATIONS}


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name, text in svg_files().items():
        (OUTPUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {(OUTPUT / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
