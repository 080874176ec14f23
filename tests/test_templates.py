"""The templates themselves: what Django would print as text instead of reading as template code."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
# Django's {# ... #} comment ends on its own line; one spread over lines is printed on the page.
UNCLOSED_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def all_templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in {".html", ".txt"})


def test_the_templates_are_found():
    names = {p.name for p in all_templates()}
    assert {"base.html", "dashboard.html", "_dashboard_charts.html"} <= names


@pytest.mark.parametrize("template", all_templates(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_comments_close_on_the_line_they_open(template):
    """A comment over several lines is {% comment %}...{% endcomment %}."""
    text = template.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        assert not UNCLOSED_COMMENT.search(line), f"{template}:{number}: {{# not closed on its line: {line!r}"
