"""Readings, symmetry (LSI), the girth verdict in cm and the heel-rise verdict against her target,
real change versus measurement error, heel-rise norms and the girth site shown first."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracker.metrics.base import (
    AFFECTED_SIDES,
    ASYMMETRY_LABELS,
    CM_PER_INCH,
    DEFAULT_TARGET_LSI,
    FLOAT_TOLERANCE,
    GIRTH_DEFICIT_MAX_CM,
    GIRTH_ERROR_CM,
    GIRTH_LARGER_LABEL,
    GIRTH_MAX_CM,
    GIRTH_MIN_CM,
    GIRTH_NORMAL_MAX_CM,
    GIRTH_UNITS,
    HEEL_RISE_ERROR_REPS,
    HEEL_RISE_NORM_ANY,
    HEEL_RISE_NORM_ANY_SD,
    HEEL_RISE_NORM_MEDIAN,
    LSI_GREEN_FROM,
    LSI_RED_BELOW,
    MEASURES,
    PAIN_MIN_IMPORTANT_FRACTION,
    PAIN_MIN_IMPORTANT_POINTS,
    PREFERRED_SITE,
    READING_TOLERANCE_CM,
    SIDES,
    Number,
    _check_choice,
    _round,
)

# --- Units and readings -------------------------------------------------------------------------


def cm_to_inches(cm: Number) -> float:
    """Centimetres to inches (1 in = 2.54 cm); not rounded."""
    return float(cm) / CM_PER_INCH


def inches_to_cm(inches: Number) -> float:
    """Inches to centimetres, rounded to 1 decimal (girth is stored in cm with 1 decimal)."""
    return _round(float(inches) * CM_PER_INCH, 1)


def girth_range(unit: str) -> tuple[float, float]:
    """The plausible girth range (15.0-80.0 cm) in her unit ("cm" or "in")."""
    _check_choice(unit, GIRTH_UNITS, "unit")
    if unit == "in":
        return cm_to_inches(GIRTH_MIN_CM), cm_to_inches(GIRTH_MAX_CM)
    return GIRTH_MIN_CM, GIRTH_MAX_CM


def _values(readings: Iterable[Number | None]) -> list[float]:
    return [float(r) for r in readings if r is not None]


def mean_reading(readings: Iterable[Number | None]) -> float | None:
    """Mean of the 2-3 readings of one leg (None entries ignored), 1 decimal; None if none."""
    values = _values(readings)
    if not values:
        return None
    return _round(sum(values) / len(values), 1)


def needs_remeasure(readings: Iterable[Number | None]) -> bool:
    """True when readings of one leg differ by more than 0.5 cm (domain: ask to re-measure)."""
    values = _values(readings)
    if len(values) < 2:
        return False
    return max(values) - min(values) > READING_TOLERANCE_CM + FLOAT_TOLERANCE


# --- Symmetry -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Symmetry:
    """Limb symmetry of one measure (girth in cm or heel-rise reps)."""

    lsi: float | None  # involved / uninvolved * 100, 1 decimal; None if uninvolved is 0
    difference: float  # involved - uninvolved, signed, 2 decimals
    involved_side: str  # "left" | "right"
    smaller_side: str | None  # "left" | "right" | None when equal


def symmetry(*, left: Number, right: Number, affected_side: str) -> Symmetry:
    """LSI = involved / uninvolved x 100 (Silbernagel 2009).

    Involved = the affected side; for "both"/"unknown" the smaller side is compared to the larger
    (the left side when equal).
    """
    _check_choice(affected_side, AFFECTED_SIDES, "affected side")
    left_f, right_f = float(left), float(right)
    left_minus_right = _round(left_f - right_f, 2)
    if left_minus_right < 0:
        smaller_side: str | None = "left"
    elif left_minus_right > 0:
        smaller_side = "right"
    else:
        smaller_side = None

    if affected_side in SIDES:
        involved_side = affected_side
    else:
        involved_side = smaller_side or "left"

    if involved_side == "left":
        involved, uninvolved = left_f, right_f
    else:
        involved, uninvolved = right_f, left_f
    lsi = None if uninvolved == 0 else _round(involved / uninvolved * 100, 1)
    return Symmetry(
        lsi=lsi,
        difference=_round(involved - uninvolved, 2),
        involved_side=involved_side,
        smaller_side=smaller_side,
    )


def classify_girth_difference(difference_cm: Number) -> str:
    """Left/right girth difference by its size: < 1 cm "normal", 1-2 cm "deficit", > 2 cm "marked"."""
    size = abs(float(difference_cm))
    if size < GIRTH_NORMAL_MAX_CM - FLOAT_TOLERANCE:
        return "normal"
    if size <= GIRTH_DEFICIT_MAX_CM + FLOAT_TOLERANCE:
        return "deficit"
    return "marked"


@dataclass(frozen=True)
class GirthVerdict:
    """How the involved calf compares with the other one, judged in centimetres (never by LSI)."""

    asymmetry: str  # "normal" | "deficit" | "marked": how much SMALLER the involved calf is
    goal_reached: bool  # involved calf less than 1.0 cm smaller (within normal asymmetry)
    deficit_cm: float  # how much smaller the involved calf is (0.0 when it is not smaller)
    larger_cm: float  # how much LARGER the involved calf is (0.0 when it is not larger)
    label: str  # e.g. "Meaningful deficit (1-2 cm)"


def girth_verdict(difference_cm: Number) -> GirthVerdict:
    """The one girth verdict, from the difference involved - uninvolved (cm, signed).

    Judged on how much smaller the involved calf is: < 1 cm normal (the goal), 1-2 cm a meaningful
    deficit, > 2 cm a marked one. An involved calf that is LARGER has no deficit: the goal is
    reached and the class is "normal", but the label says "larger" rather than "normal" once it is
    1 cm or more larger (swelling is judged by the red-flag rules, not here).
    """
    difference = float(difference_cm)
    deficit = _round(max(0.0, -difference), 2)
    larger = _round(max(0.0, difference), 2)
    asymmetry = classify_girth_difference(deficit)
    label = ASYMMETRY_LABELS[asymmetry]
    if larger >= GIRTH_NORMAL_MAX_CM - FLOAT_TOLERANCE:
        label = GIRTH_LARGER_LABEL
    return GirthVerdict(
        asymmetry=asymmetry,
        goal_reached=asymmetry == "normal",
        deficit_cm=deficit,
        larger_cm=larger,
        label=label,
    )


def lsi_zone(lsi: Number) -> str:
    """Chart zone of an LSI: < 80 "red", 80 to < 90 "amber", >= 90 "green" (fixed zones)."""
    value = float(lsi)
    if value < LSI_RED_BELOW:
        return "red"
    if value < LSI_GREEN_FROM:
        return "amber"
    return "green"


@dataclass(frozen=True)
class HeelRiseVerdict:
    """The heel-rise test judged by LSI against her target (default 90%)."""

    target_lsi: float
    target_reached: bool  # LSI >= target; False when there is no LSI (no rises on the other leg)
    zone: str | None  # lsi_zone of the LSI; None without an LSI


def heel_rise_verdict(lsi: Number | None, target_lsi: Number = DEFAULT_TARGET_LSI) -> HeelRiseVerdict:
    """The one heel-rise verdict: target reached when the LSI (1 decimal) is at least the target."""
    target = float(target_lsi)
    if lsi is None:
        return HeelRiseVerdict(target_lsi=target, target_reached=False, zone=None)
    value = float(lsi)
    return HeelRiseVerdict(
        target_lsi=target, target_reached=value >= target - FLOAT_TOLERANCE, zone=lsi_zone(value)
    )


# --- Real change vs measurement error ----------------------------------------------------------


def is_real_change(delta: Number, *, measure: str, baseline: Number | None = None) -> bool:
    """Whether a change between two dates exceeds measurement error / is clinically important.

    girth: >= 1.0 cm; heel_rise: >= 6 reps (Ross 2000); pain: >= 1 point or >= 15% of the
    baseline (Salaffi 2004). Other measures (e.g. LSI points) have no rule and raise ValueError.
    """
    _check_choice(measure, MEASURES, "measure")
    size = abs(float(delta))
    if measure == "girth":
        return size >= GIRTH_ERROR_CM - FLOAT_TOLERANCE
    if measure == "heel_rise":
        return size >= HEEL_RISE_ERROR_REPS - FLOAT_TOLERANCE
    if size >= PAIN_MIN_IMPORTANT_POINTS - FLOAT_TOLERANCE:
        return True
    if baseline is None or float(baseline) <= 0:
        return False
    return size / float(baseline) >= PAIN_MIN_IMPORTANT_FRACTION - FLOAT_TOLERANCE



# --- Heel-rise norms ------------------------------------------------------------------------------


def default_site(site_counts: Mapping[str, int]) -> str | None:
    """The girth site to show first: tt10 when she has measured there, else her most measured site
    (alphabetical on a tie); None before her first measurement."""
    measured = {site: count for site, count in site_counts.items() if count}
    if not measured:
        return None
    if PREFERRED_SITE in measured:
        return PREFERRED_SITE
    return min(measured, key=lambda site: (-measured[site], site))


def heel_rise_norm(sex: str | None) -> int:
    """Reference heel-rise reps: median 24 men, 21 women (Hebert-Losier 2017), else 28."""
    if sex is None:
        return HEEL_RISE_NORM_ANY
    return HEEL_RISE_NORM_MEDIAN.get(sex.strip().upper(), HEEL_RISE_NORM_ANY)


NORM_GROUPS = {"F": "women", "M": "men"}


def heel_rise_norm_words(sex: str | None) -> str:
    """The heel-rise population reference in the same words on every page, chart and PDF:
    "typical for women: 21 rises", "typical for men: 24 rises", or "typical for adults: 28 ± 10
    rises" without a sex (a range for all adults, the median for her sex)."""
    group = NORM_GROUPS.get((sex or "").strip().upper())
    if group is None:
        return f"typical for adults: {HEEL_RISE_NORM_ANY} ± {HEEL_RISE_NORM_ANY_SD} rises"
    return f"typical for {group}: {heel_rise_norm(sex)} rises"
