"""Template helpers of the questionnaire pages: the instruments' citations (for the page footer)."""

from django import template

from tracker import questionnaires

register = template.Library()


@register.simple_tag
def questionnaire_citations() -> list[tuple[str, str]]:
    """(code, citation) of every instrument, from the definitions (one home for the wording)."""
    return [(code, instrument.citation) for code, instrument in questionnaires.INSTRUMENTS.items()]
