"""Template filters that show stored values in the patient's unit."""

from django import template

from tracker import metrics

register = template.Library()


@register.filter
def girth(value_cm, unit: str = "cm") -> str:
    """34.2 -> "34.2 cm", or "13.5 in" for a patient who prefers inches. Storage stays in cm."""
    if value_cm is None or value_cm == "":
        return "—"
    if unit == "in":
        return f"{metrics.cm_to_inches(value_cm):.1f} in"
    return f"{float(value_cm):.1f} cm"


@register.filter
def signed_girth(value_cm, unit: str = "cm") -> str:
    """A signed difference: "-3.4 cm" / "+0.2 in"."""
    if value_cm is None:
        return "—"
    value = metrics.cm_to_inches(value_cm) if unit == "in" else float(value_cm)
    return f"{value:+.1f} {'in' if unit == 'in' else 'cm'}"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"
