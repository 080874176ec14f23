"""Template filters that show stored values in the patient's unit (see tracker.formatting)."""

from django import template

from tracker import formatting, metrics

register = template.Library()

register.filter("girth", formatting.girth)
register.filter("signed_girth", formatting.signed_girth)
register.filter("percent", formatting.percent)
register.filter("rise_change", formatting.rise_change)
register.filter("site_name", formatting.site_name)
register.filter("site_short", formatting.site_short)
register.filter("girth_comparison", formatting.girth_comparison)
register.filter("girth_goal", formatting.girth_goal)
register.filter("per_week", formatting.per_week)
register.filter("sessions_done", formatting.sessions_done)
register.filter("sessions_count", formatting.sessions_count)
register.filter("pauses_exercise", metrics.pauses_exercise)
register.filter("heel_rise_norm_words", metrics.heel_rise_norm_words)


@register.filter
def symptom_label(code: str) -> str:
    """A red-flag symptom's words from its code (metrics.SYMPTOM_RED_FLAGS), e.g. "tear_pop"."""
    return metrics.SYMPTOM_RED_FLAGS.get(code, code)


@register.simple_tag
def clinical(name: str):
    """A clinical number from tracker.metrics, e.g. {% clinical "PAIN_ACCEPTABLE_MAX" %} -> 5."""
    value = getattr(metrics, name)
    return f"{value:g}" if isinstance(value, float) else value
