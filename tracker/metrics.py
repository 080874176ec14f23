"""Every clinical number and rule of Calf Rehab Tracker, as pure Python.

The rules and their sources are written up in ``docs/clinical-rules.md``; this module is their one
home in code: pages, charts, the PDF, the API, the caseload and e-mails all take their numbers and
verdicts from here. Standard library only: no Django, no ORM. Inputs may be ``float``, ``int`` or
``Decimal``; results are ``float``. Messages tell the person what to do, never what they have.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

Number = float | int | Decimal

# --- Sides and sites -----------------------------------------------------------------------------
SIDES = ("left", "right")
AFFECTED_SIDES = ("left", "right", "both", "unknown")
EXERCISE_SIDES = ("left", "right", "both")
GIRTH_SITES = ("max", "tt10", "tt15")
PREFERRED_SITE = "tt10"  # the most repeatable landmark (Tunc 2007)
ASYMMETRY_FLAG_SITES = ("max", "tt10")  # the side-to-side swelling rule applies here only (Wells)

# --- Units and plausible ranges (clinical-rules: "Calf girth", "Heel-rise", "Pain") ----------------
CM_PER_INCH = 2.54
GIRTH_RANGE_CM = (15.0, 80.0)
GIRTH_MIN_CM, GIRTH_MAX_CM = GIRTH_RANGE_CM
READING_TOLERANCE_CM = 0.5  # readings of one leg differing by more -> ask to re-measure
HEEL_RISE_REPS_RANGE = (0, 200)
SCORE_RANGE = (0, 10)  # numeric rating scales: pain NRS, stiffness, effort
LOAD_KG_RANGE = (0, 300)
TARGET_LSI_RANGE = (50, 100)  # a heel-rise target the physio may set

# --- Measurement error / smallest real change ---------------------------------------------------
GIRTH_ERROR_CM = 1.0  # change < 1.0 cm = within measurement error; >= 1.0 is real
HEEL_RISE_ERROR_REPS = 6  # change < 6 reps = within error (Ross 2000)
PAIN_MIN_IMPORTANT_POINTS = 1.0  # Salaffi 2004: 1 point ...
PAIN_MIN_IMPORTANT_FRACTION = 0.15  # ... or 15%

# --- Asymmetry and symmetry --------------------------------------------------------------------
GIRTH_NORMAL_MAX_CM = 1.0  # < 1 cm difference is normal
GIRTH_DEFICIT_MAX_CM = 2.0  # 1-2 cm meaningful deficit, > 2 cm marked
DEFAULT_TARGET_LSI = 90.0
LSI_RED_BELOW = 80.0  # chart zones: < 80 red
LSI_GREEN_FROM = 90.0  # 80-90 amber, >= 90 green

# --- Red flags ----------------------------------------------------------------------------------
SWELLING_ASYMMETRY_CM = 3.0  # Wells criterion: involved calf >= 3 cm larger
SWELLING_RISE_CM = 2.0  # one calf grows >= 2 cm ...
SWELLING_RISE_DAYS = 7  # ... within 7 days
SWELLING_LOOKBACK_DAYS = 14  # a measurement raises a swelling flag for this long
SYMPTOM_FLAG_DAYS = 2  # a ticked red-flag symptom stays open for today and the 2 days before
PAIN_ACCEPTABLE_MAX = 5  # pain up to 5/10 during/after exercise is acceptable
PAIN_REVIEW_DAYS = 7  # the pain-monitoring rules are judged over the last week
ADHERENCE_FOR_WORSENING_FLAG = 70.0  # worsening atrophy despite >= 70% adherence: see a doctor
WORSENING_WINDOW_WEEKS = 12

# --- Heel-rise norms -----------------------------------------------------------------------------
HEEL_RISE_NORM_MEDIAN = {"M": 24, "F": 21}  # Hebert-Losier 2017 medians
HEEL_RISE_NORM_ANY = 28  # Lunsford & Perry 1995: 28 +/- 10
HEEL_RISE_NORM_ANY_SD = 10

# --- Programme and follow-up windows ---------------------------------------------------------------
ADHERENCE_WINDOW_DAYS = 14  # "adherence, last 14 days"
CHANGE_WINDOW_WEEKS = 4  # "change over the last 4 weeks"
CHANGE_WINDOW_DAYS = CHANGE_WINDOW_WEEKS * 7
NOT_LOGGED_DAYS = 7  # the physio sees who has not logged anything for this long
HEEL_RISE_DECLINE_WEEKS = CHANGE_WINDOW_WEEKS  # "heel-rise LSI down" compares with a test this old
LOW_ADHERENCE_PERCENT = 50.0  # the caseload's "low adherence" filter

# --- Questionnaires (clinical-rules: "Questionnaires"; the items and scoring: tracker.questionnaires) ---
LEFS_RANGE = (0, 80)  # Binkley 1999: 20 activities scored 0-4
VISA_A_RANGE = (0, 100)  # Robinson 2001: questions 1-7 score 0-10, question 8 up to 30
LEFS_MCID = 9  # Binkley 1999: minimal clinically important difference (also its MDC90)
VISA_A_MCID = 15  # about 15 points is clinically meaningful (smaller estimates exist)
VISA_A_NEAR_RECOVERY = 90  # 90 or more: close to full recovery
QUESTIONNAIRE_RANGES = {"LEFS": LEFS_RANGE, "VISA-A": VISA_A_RANGE}
QUESTIONNAIRE_MCIDS = {"LEFS": LEFS_MCID, "VISA-A": VISA_A_MCID}
QUESTIONNAIRE_REPEAT_WEEKS = 4  # the default schedule: at the start, then every 4 weeks
QUESTIONNAIRE_REPEAT_WEEKS_RANGE = (1, 52)
QUESTIONNAIRE_OVERDUE_DAYS = 7  # the physio's triage: due for a week and still not answered

# --- Implausible dates -----------------------------------------------------------------------------
# A date more than this before her first record (or, with none yet, before today) is more likely a
# typo (1926 for 2026) than history: the forms ask "Did you mean 2026?" before saving it.
EARLY_DATE_MARGIN_DAYS = 365

# --- Progress charts ---------------------------------------------------------------------------------
# Every chart is drawn week by week up to this span; beyond, by month, quarter or year (each bar or
# point then shows an average week of the period), so that a chart's cost is bounded whatever the
# data (issue 19: one session dated 1900 once made 6,623 weekly bars and 30 s of CPU).
CHART_WEEKLY_MAX_DAYS = 2 * 365
# The most points (or bars per leg) a chart and its table ever have; a girth site or heel-rise test
# with more records than this is drawn as one mean per week (month, ...).
CHART_MAX_POINTS = 130
# Up to this span, daily pain readings are drawn day by day; beyond, as weekly means.
CHART_DAILY_MAX_DAYS = 84

# --- Misc ----------------------------------------------------------------------------------------
DAYS_PER_WEEK = 7
FLOAT_TOLERANCE = 1e-9  # absorbs float error so that e.g. 35.6 - 34.6 counts as exactly 1.0

MEASURES = ("girth", "heel_rise", "pain")

LEVEL_URGENT = "urgent"
LEVEL_REVIEW = "review"
LEVEL_ADVICE = "advice"

ASYMMETRY_LABELS = {
    "normal": "Within normal asymmetry (< 1 cm)",
    "deficit": "Meaningful deficit (1-2 cm)",
    "marked": "Marked deficit (> 2 cm)",
}
GIRTH_LARGER_LABEL = "No deficit: the involved calf is the larger one"

SWELLING_MESSAGE = (
    "Sudden calf swelling can be a sign of a blood clot. Seek medical review today."
)

SYMPTOM_RED_FLAGS = {
    "dvt_signs": "Calf red, warm, swollen and painful",
    "tear_pop": 'Sudden tearing pain or a "pop" in the calf',
    "severe_pain": "Severe pain out of proportion, pain on passive stretch or a tense, hard calf",
    "numbness": "Numbness or pins and needles in the leg or foot",
}

_REDUCE_LOAD = (
    "Reduce the load next session (fewer sets or reps, less weight or a slower progression). "
    "Your physiotherapist will see this."
)


def _round(value: Number, ndigits: int) -> float:
    """Round half away from zero on the shortest decimal form (so 2.675 -> 2.68, not 2.67)."""
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(str(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}; expected one of {', '.join(allowed)}.")


# --- Units and readings -------------------------------------------------------------------------


def cm_to_inches(cm: Number) -> float:
    """Centimetres to inches (1 in = 2.54 cm); not rounded."""
    return float(cm) / CM_PER_INCH


def inches_to_cm(inches: Number) -> float:
    """Inches to centimetres, rounded to 1 decimal (girth is stored in cm with 1 decimal)."""
    return _round(float(inches) * CM_PER_INCH, 1)


def _values(readings: Iterable[Number | None]) -> list[float]:
    return [float(r) for r in readings if r is not None]


def mean_reading(readings: Iterable[Number | None]) -> float | None:
    """Mean of the 2-3 readings of one leg (None entries ignored), 2 decimals; None if none."""
    values = _values(readings)
    if not values:
        return None
    return _round(sum(values) / len(values), 2)


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


# --- Red flags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlag:
    """An alert: what to do, never a diagnosis."""

    code: str  # stable machine code, e.g. "swelling_asymmetry"
    level: str  # "urgent" | "review" | "advice"
    message: str  # patient-facing text saying what to do
    finding: str = ""  # what was seen, without the advice to her (the physio's review page)

    @property
    def for_physio(self) -> str:
        return self.finding or self.message


def swelling_flags(
    *,
    site: str,
    left_cm: Number,
    right_cm: Number,
    affected_side: str,
    previous: tuple[Number, Number] | None = None,
    days_since_previous: int | None = None,
) -> list[RedFlag]:
    """Swelling red flags (Wells criterion) of one measurement.

    Side to side (only at tt10 or max): the involved calf >= 3 cm larger than the other (either calf
    when "both"/"unknown"). At any site: one calf grown by >= 2 cm within 7 days of ``previous`` =
    (left_cm, right_cm), the previous measurement at the same site.
    """
    _check_choice(affected_side, AFFECTED_SIDES, "affected side")
    _check_choice(site, GIRTH_SITES, "site")
    now = {"left": float(left_cm), "right": float(right_cm)}
    flags: list[RedFlag] = []

    larger, other = ("left", "right") if now["left"] >= now["right"] else ("right", "left")
    excess = now[larger] - now[other]
    involved_is_larger = affected_side not in SIDES or affected_side == larger
    side_to_side_applies = site in ASYMMETRY_FLAG_SITES
    if side_to_side_applies and involved_is_larger and excess >= SWELLING_ASYMMETRY_CM - FLOAT_TOLERANCE:
        flags.append(
            RedFlag(
                code="swelling_asymmetry",
                level=LEVEL_URGENT,
                message=(
                    f"{SWELLING_MESSAGE} ({larger} calf {excess:.1f} cm larger than the {other})"
                ),
            )
        )

    if previous is not None and days_since_previous is not None:
        if days_since_previous < 0:
            raise ValueError("days_since_previous must not be negative.")
        if days_since_previous <= SWELLING_RISE_DAYS:
            before = {"left": float(previous[0]), "right": float(previous[1])}
            grown = [
                f"{side} calf grew {now[side] - before[side]:.1f} cm"
                for side in SIDES
                if now[side] - before[side] >= SWELLING_RISE_CM - FLOAT_TOLERANCE
            ]
            if grown:
                days = "day" if days_since_previous == 1 else "days"
                flags.append(
                    RedFlag(
                        code="swelling_rise",
                        level=LEVEL_URGENT,
                        message=(
                            f"{SWELLING_MESSAGE} ({' and '.join(grown)}"
                            f" in {days_since_previous} {days})"
                        ),
                    )
                )
    return flags


def symptom_flags(ticked_codes: Iterable[str]) -> list[RedFlag]:
    """One urgent flag per ticked red-flag symptom, in SYMPTOM_RED_FLAGS order (duplicates once)."""
    ticked = set(ticked_codes)
    unknown = sorted(ticked - SYMPTOM_RED_FLAGS.keys())
    if unknown:
        raise ValueError(f"Unknown symptom code(s): {', '.join(unknown)}.")
    return [
        RedFlag(
            code=code,
            level=LEVEL_URGENT,
            message=(
                f"You reported: {label}. Seek urgent medical care today, "
                "and tell your physiotherapist."
            ),
        )
        for code, label in SYMPTOM_RED_FLAGS.items()
        if code in ticked
    ]


def pain_monitoring_breaches(
    *,
    pain_during_max: Number | None = None,
    pain_after: Number | None = None,
    pain_before: Number | None = None,
    next_morning_pain: Number | None = None,
    weekly_mean_pain: tuple[Number, Number] | None = None,
) -> list[RedFlag]:
    """Pain-monitoring model (Silbernagel 2007): breaches of its three rules, as advice.

    Pain during/after exercise above 5/10; pain not settled by the next morning (above the
    pre-exercise pain, or above 5/10 when that is unknown); weekly mean pain rising by an important
    change. ``weekly_mean_pain`` = (previous_week_mean, this_week_mean).
    """
    limit = PAIN_ACCEPTABLE_MAX
    flags: list[RedFlag] = []
    if pain_during_max is not None and float(pain_during_max) > limit:
        flags.append(
            RedFlag(
                code="pain_during",
                level=LEVEL_ADVICE,
                message=f"Pain during exercise went above {limit}/10. {_REDUCE_LOAD}",
                finding=f"Pain during exercise went above {limit}/10.",
            )
        )
    if pain_after is not None and float(pain_after) > limit:
        flags.append(
            RedFlag(
                code="pain_after",
                level=LEVEL_ADVICE,
                message=f"Pain after exercise was above {limit}/10. {_REDUCE_LOAD}",
                finding=f"Pain after exercise was above {limit}/10.",
            )
        )
    if next_morning_pain is not None:
        morning = float(next_morning_pain)
        settled_limit = limit if pain_before is None else float(pain_before)
        if morning > settled_limit:
            flags.append(
                RedFlag(
                    code="not_settled",
                    level=LEVEL_ADVICE,
                    message=f"Your pain had not settled by the next morning. {_REDUCE_LOAD}",
                    finding="Pain had not settled by the next morning.",
                )
            )
    if weekly_mean_pain is not None:
        previous_week, this_week = (float(v) for v in weekly_mean_pain)
        rise = this_week - previous_week
        if rise > 0 and is_real_change(rise, measure="pain", baseline=previous_week):
            flags.append(
                RedFlag(
                    code="weekly_rise",
                    level=LEVEL_ADVICE,
                    message=(
                        f"Your average pain rose from {previous_week:.1f} to {this_week:.1f} "
                        f"this week. {_REDUCE_LOAD}"
                    ),
                    finding=f"Average pain rose from {previous_week:.1f} to {this_week:.1f} this week.",
                )
            )
    return flags


def worsening_atrophy_flag(
    *,
    lsi_then: Number | None,
    lsi_now: Number | None,
    difference_then: Number,
    difference_now: Number,
    adherence_percent: Number | None,
) -> RedFlag | None:
    """Atrophy getting worse over 12 weeks despite >= 70% adherence: suggest a doctor's review.

    Worse = the involved-minus-uninvolved girth difference fell by >= 1.0 cm (beyond measurement
    error) and the LSI fell. The caller supplies values about 12 weeks apart.
    """
    if lsi_then is None or lsi_now is None or adherence_percent is None:
        return None
    if float(adherence_percent) < ADHERENCE_FOR_WORSENING_FLAG - FLOAT_TOLERANCE:
        return None
    drop = float(difference_then) - float(difference_now)
    if drop < GIRTH_ERROR_CM - FLOAT_TOLERANCE or float(lsi_now) >= float(lsi_then):
        return None
    return RedFlag(
        code="worsening_atrophy",
        level=LEVEL_REVIEW,
        message=(
            "The difference between your calves has grown even though you have kept up with your "
            "exercises. Ask your physiotherapist about a review with your doctor."
        ),
    )


@dataclass(frozen=True)
class HeelRiseDecline:
    """The heel-rise LSI fell, and the involved leg lost more rises than the test's error."""

    lsi_then: float
    lsi_now: float
    involved_side: str
    reps_then: int
    reps_now: int

    @property
    def points(self) -> float:
        """How far the LSI fell, in percentage points (positive)."""
        return _round(self.lsi_then - self.lsi_now, 1)


def heel_rise_decline(
    *, then: tuple[int, int], now: tuple[int, int], affected_side: str
) -> HeelRiseDecline | None:
    """Heel-rise function getting worse: the LSI is lower than at the earlier test and the involved
    leg did at least HEEL_RISE_ERROR_REPS fewer rises (a real change, beyond test-retest error).

    ``then``/``now`` = (reps_left, reps_right). An LSI that falls only because the other leg got
    stronger, or by a few rises within the test's error, is not a decline. The caller picks the
    tests: the latest one and the latest one at least HEEL_RISE_DECLINE_WEEKS older than today.
    """
    before = symmetry(left=then[0], right=then[1], affected_side=affected_side)
    after = symmetry(left=now[0], right=now[1], affected_side=affected_side)
    if before.lsi is None or after.lsi is None or after.lsi >= before.lsi:
        return None
    # Compare the same leg both times: the involved side of the latest test.
    side = 0 if after.involved_side == "left" else 1
    lost = then[side] - now[side]
    if lost <= 0 or not is_real_change(lost, measure="heel_rise"):
        return None
    return HeelRiseDecline(
        lsi_then=before.lsi,
        lsi_now=after.lsi,
        involved_side=after.involved_side,
        reps_then=int(then[side]),
        reps_now=int(now[side]),
    )


def days_without_log(last_activity: date | None, today: date) -> int | None:
    """Days since her last record when that is NOT_LOGGED_DAYS or more (the caseload's "quiet");
    None while she logs. With nothing ever logged, the caller decides (see the caseload filter)."""
    if last_activity is None:
        return None
    days = (today - last_activity).days
    return days if days >= NOT_LOGGED_DAYS else None


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


# --- Exercise volume and adherence ----------------------------------------------------------------


def training_volume(
    *, sets: int | None, reps: int | None, load_kg: Number | None = 0
) -> tuple[int, float]:
    """Training volume = (sets x reps, sets x reps x load kg); (0, 0.0) without sets or reps."""
    if sets is None or reps is None:
        return 0, 0.0
    total_reps = int(sets) * int(reps)
    load = 0.0 if load_kg is None else float(load_kg)
    return total_reps, _round(total_reps * load, 2)


def side_shares(side: str) -> tuple[str, ...]:
    """Legs an exercise counts for: an exercise on "both" legs counts for each leg."""
    _check_choice(side, EXERCISE_SIDES, "side")
    return SIDES if side == "both" else (side,)


def expected_sessions(
    *, prescriptions: Iterable[tuple[int, date, date | None]], start: date, end: date
) -> int:
    """Sessions the active prescriptions expect in start..end (inclusive), a whole number.

    A session can hold several exercises, so each day expects max(times_per_week of the
    prescriptions active that day) / 7; the sum is rounded to whole sessions (half up; a sum of
    sevenths is never exactly a half). Prescription end dates are inclusive; None = open.
    """
    if end < start:
        raise ValueError("The window end must not be before its start.")
    rules = list(prescriptions)
    total_per_week = 0
    day = start
    while day <= end:
        total_per_week += sessions_per_week_on(rules, day)
        day += timedelta(days=1)
    return whole_sessions(total_per_week)


def sessions_per_week_on(prescriptions: Iterable[tuple[int, date, date | None]], day: date) -> int:
    """The sessions a week the programme asks for on `day`: the highest times_per_week of the
    prescriptions active that day (a session can hold several exercises); 0 without one."""
    active = [
        int(times)
        for times, p_start, p_end in prescriptions
        if p_start <= day and (p_end is None or day <= p_end)
    ]
    return max(active, default=0)


def whole_sessions(sevenths: int) -> int:
    """A sum of (sessions a week) over days, i.e. sevenths of a session, rounded to whole sessions."""
    return (2 * int(sevenths) + DAYS_PER_WEEK) // (2 * DAYS_PER_WEEK)


def adherence_percent(*, sessions_done: int, sessions_expected: Number) -> float | None:
    """Adherence = done / expected x 100, capped at 100%, 1 decimal; None when nothing expected."""
    expected = float(sessions_expected)
    if expected <= 0:
        return None
    return _round(min(100.0, sessions_done / expected * 100), 1)


def week_start(d: date) -> date:
    """The Monday of d's ISO week."""
    return d - timedelta(days=d.weekday())


# --- Questionnaires -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreChange:
    """A questionnaire score against an earlier one of the same instrument (higher is better)."""

    points: int  # latest - earlier, signed
    important: bool  # at least the instrument's MCID, either way
    direction: str  # "better" | "worse" | "same"


def questionnaire_change(*, earlier: int, latest: int, instrument: str) -> ScoreChange:
    """The change between two scores of one instrument, judged against its MCID (>= MCID counts)."""
    _check_choice(instrument, tuple(QUESTIONNAIRE_MCIDS), "questionnaire")
    points = int(latest) - int(earlier)
    direction = "better" if points > 0 else "worse" if points < 0 else "same"
    return ScoreChange(
        points=points, important=abs(points) >= QUESTIONNAIRE_MCIDS[instrument], direction=direction
    )


def implausibly_early(day: date, *, first_record: date | None, today: date) -> bool:
    """Whether `day` is more than EARLY_DATE_MARGIN_DAYS before her first record (else today)."""
    reference = min(first_record, today) if first_record is not None else today
    return day < reference - timedelta(days=EARLY_DATE_MARGIN_DAYS)


def likely_meant(day: date, *, today: date) -> date:
    """The date a typo in the year most likely stands for: the same day this year, or last year's
    if that is still to come (29 February becomes the 28th in a common year)."""
    for year in (today.year, today.year - 1):
        try:
            meant = day.replace(year=year)
        except ValueError:  # 29 February
            meant = date(year, 2, 28)
        if meant <= today:
            return meant
    return meant


# --- Reminders and alerts (clinical-rules: "Reminders") --------------------------------------------
# A patient's reminders are off until she turns them on; these are the defaults she can change.
REMINDER_DEFAULT_TIME = time(18, 0)  # in her own time zone
QUIET_HOURS_START = time(21, 0)  # no reminder from 21:00 ...
QUIET_HOURS_END = time(8, 0)  # ... to 08:00, her time
REMINDER_TIME_RANGE = (QUIET_HOURS_END, time(20, 59))  # a reminder time she may choose
REMINDER_SEND_WINDOW_HOURS = 3  # a reminder the queue could not send within 3 h of its time is dropped
MEASUREMENT_REMINDER_DAYS = 14  # her last girth measurement is 14 days old
HEEL_RISE_REMINDER_DAYS = 28  # a heel-rise test every 4 weeks
REMINDER_REPEAT_DAYS = 7  # an undone measurement or test is asked for again after a week
# Session days from the programme's weekly frequency (0 = Monday): spread over the week.
SESSION_DAYS_BY_FREQUENCY = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 2, 4, 6),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
}
# The physio: urgent alerts at once (any hour), a digest at her chosen time.
DIGEST_DEFAULT_TIME = time(7, 30)
# Why a patient is in the digest, most pressing first.
ATTENTION_REASONS = ("warning_sign", "pain_rule", "not_logged", "new_data", "worsening")


def default_session_days(times_per_week: int) -> tuple[int, ...]:
    """The weekdays (0 = Monday) a programme of `times_per_week` sessions expects; none without one."""
    if times_per_week <= 0:
        return ()
    return SESSION_DAYS_BY_FREQUENCY.get(times_per_week, tuple(range(DAYS_PER_WEEK)))


def in_quiet_hours(moment: time) -> bool:
    """21:00-08:00 local time: no reminder is sent."""
    return moment >= QUIET_HOURS_START or moment < QUIET_HOURS_END


def scheduled_time_reached(local_now: datetime, at: time, *, quiet_hours: bool = True) -> bool:
    """Whether an e-mail planned for `at` (local) may go now: from `at`, for REMINDER_SEND_WINDOW_HOURS
    of the same day, outside quiet hours when they apply. Comparing wall-clock times also works on a
    daylight-saving day, when `at` may not exist or happen twice (the claim keeps one per day)."""
    now = local_now.time().replace(tzinfo=None)
    start = datetime.combine(local_now.date(), at)
    window_end = start + timedelta(hours=REMINDER_SEND_WINDOW_HOURS)
    in_window = at <= now and (window_end.date() > start.date() or now < window_end.time())
    return in_window and not (quiet_hours and in_quiet_hours(now))


def session_reminder_due(*, local_now: datetime, at: time, days: Iterable[int], logged_today: bool) -> bool:
    """A session reminder: on her session days, from her time, unless she has logged one today."""
    return local_now.weekday() in set(days) and not logged_today and scheduled_time_reached(local_now, at)


def record_reminder_due(
    *, local_now: datetime, at: time, last_done: date | None, every_days: int, last_reminded: date | None
) -> bool:
    """A measurement or test reminder: the last one is `every_days` old (or there is none), she was
    not reminded in the last REMINDER_REPEAT_DAYS, and it is her time."""
    today = local_now.date()
    if last_done is not None and (today - last_done).days < every_days:
        return False
    if last_reminded is not None and (today - last_reminded).days < REMINDER_REPEAT_DAYS:
        return False
    return scheduled_time_reached(local_now, at)


def not_logged_for_long(last_activity: date | None, today: date) -> bool:
    """Nothing logged for NOT_LOGGED_DAYS or more (or ever): the caseload's "quiet" patient."""
    return last_activity is None or (today - last_activity).days >= NOT_LOGGED_DAYS


def attention_reasons(
    *, urgent_flag: bool, pain_rule: bool, not_logged: bool, new_data: bool, worsening: bool
) -> tuple[str, ...]:
    """Why a patient needs her physio's attention, most pressing first (ATTENTION_REASONS order)."""
    found = {
        "warning_sign": urgent_flag,
        "pain_rule": pain_rule,
        "not_logged": not_logged,
        "new_data": new_data,
        "worsening": worsening,
    }
    return tuple(reason for reason in ATTENTION_REASONS if found[reason])
