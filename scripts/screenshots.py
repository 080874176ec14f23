"""Screenshots for the README: `make screenshots` (or `.venv/bin/python scripts/screenshots.py`).

Builds a throwaway SQLite database in a temporary folder (never your db.sqlite3), fills it with the
demo data (`seed_demo`), serves the app on a free local port and photographs "My programme", the
dashboard, the session form, the patient's messages and the physio's triage home, caseload and review
page in headless Chromium at desktop (1280 x 900) and phone (390 x 844) size. The PNGs go to
docs/screenshots/; `--only triage-home review` takes some of them.
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots"
DEMO_PASSWORD = "calf-rehab-demo"
sys.path.insert(0, str(ROOT))
from tests.e2e.browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path  # noqa: E402

SCREENSHOT_ARGS = [*CHROMIUM_ARGS, "--lang=en-GB"]  # British date formats in date inputs
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def demo_review_path() -> str:
    from tracker.models import PatientProfile

    return f"/admin/tracker/patientprofile/{PatientProfile.objects.get(user__username='demo').pk}/change/"


# (file name, user, path or a function giving it, the most CSS pixels of height to keep or None):
# the pages the README shows. Desktop shots take the whole page, phone shots the first screen,
# both cut at the height given (the review page: its summary, conversation and note composer).
SHOTS = [
    ("programme", "demo", "/programme/", None),
    ("dashboard", "demo", "/", None),
    ("session-form", "demo", "/sessions/new/", None),
    ("messages", "demo", "/messages/", None),
    ("triage-home", "physio", "/admin/", None),
    ("caseload", "physio", "/admin/tracker/patientprofile/", None),
    ("review", "physio", demo_review_path, 1500),
]


def configure_django(database: Path) -> None:
    """Development settings on a throwaway database, whatever the environment says."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "rehab.settings"
    os.environ["DJANGO_DEBUG"] = "1"  # seed_demo refuses without it; static files served by WhiteNoise
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("DEMO_PASSWORD", None)
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()


def start_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not log in as {username}.")


def load_lazy_images(page) -> None:
    """Scroll through the page so that lazily loaded chart images load, then back to the top."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_function("() => [...document.images].every((img) => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")


def take_screenshots(base_url: str, chromium: str, output: Path, only: list[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots = [(name, user, path() if callable(path) else path, height)  # database reads first
             for name, user, path, height in SHOTS if not only or name in only]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=SCREENSHOT_ARGS)
        for size, options in VIEWPORTS.items():
            for name, username, path, height in shots:
                context = browser.new_context(locale="en-GB", reduced_motion="reduce", **options)
                page = context.new_page()
                log_in(page, base_url, username)
                page.goto(f"{base_url}{path}")
                load_lazy_images(page)
                target = output / f"{name}-{size}.png"
                full = size == "desktop" or height is not None
                clip = None
                if height is not None:
                    page_height = page.evaluate("document.documentElement.scrollHeight")
                    width = options["viewport"]["width"]
                    clip = {"x": 0, "y": 0, "width": width, "height": min(height, page_height)}
                page.screenshot(path=str(target), full_page=full, clip=clip)
                written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help="folder for the PNGs (default: %(default)s)"
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=[shot[0] for shot in SHOTS],
                        help="take only these shots (default: all)")
    args = parser.parse_args()
    chromium = chromium_path()
    if not shutil.which(chromium):
        raise SystemExit(f"Chromium not found at {chromium}: {INSTALL_HINT}")

    with tempfile.TemporaryDirectory(prefix="calf-rehab-screenshots-") as folder:
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")  # the demo photo, thrown away after
        configure_django(Path(folder) / "screenshots.sqlite3")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        server = start_server()
        try:
            args.output.mkdir(parents=True, exist_ok=True)
            written = take_screenshots(f"http://127.0.0.1:{server.port}", chromium, args.output, args.only)
        finally:
            server.terminate()
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
