"""How numbers are written for people: girth in her unit, signed differences, percentages.

Pure functions shared by the templates (`templatetags.rehab`) and the PDF report.
"""

from tracker import metrics


def girth(value_cm, unit: str = "cm") -> str:
    """34.2 -> "34.2 cm", or "13.5 in" for a patient who prefers inches. Storage stays in cm."""
    if value_cm is None or value_cm == "":
        return "—"
    if unit == "in":
        return f"{metrics.cm_to_inches(value_cm):.1f} in"
    return f"{float(value_cm):.1f} cm"


def signed_girth(value_cm, unit: str = "cm") -> str:
    """A signed difference: "-3.4 cm" / "+0.2 in"."""
    if value_cm is None:
        return "—"
    value = metrics.cm_to_inches(value_cm) if unit == "in" else float(value_cm)
    return f"{value:+.1f} {'in' if unit == 'in' else 'cm'}"


def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"
