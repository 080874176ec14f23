"""The templates themselves: what Django would print as text instead of reading as template code."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
# Django's {# ... #} comment ends on its own line; one spread over lines is printed on the page.
UNCLOSED_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def all_templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in {".html", ".txt"})


def test_comments_close_on_the_line_they_open():
    """A comment over several lines is {% comment %}...{% endcomment %}."""
    templates = all_templates()
    assert {"base.html", "dashboard.html", "_dashboard_charts.html"} <= {p.name for p in templates}
    unclosed = [
        f"{template.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for template in templates
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1)
        if UNCLOSED_COMMENT.search(line)
    ]
    assert unclosed == [], "{# not closed on its line:\n" + "\n".join(unclosed)
