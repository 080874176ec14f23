"""The numbers and labels every rule uses (sides, sites, ranges, errors, thresholds, windows), and
two helpers. Sources: docs/clinical-rules.md."""

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
GIRTH_UNITS = ("cm", "in")  # the unit she types and reads girth in (stored in cm)
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

# Programme progression (tracker/progression.py applies these)
PROGRESSION_REVIEW_DAYS = 14  # the pain-monitoring model is applied over the last 2 weeks of pain
LOAD_STEP_KG = 5  # Alfredson: add load in 5 kg steps (a backpack) when easy and pain-free
# "Easy" is not a number in the protocol: the working threshold is an effort (RPE 0-10) of at most
# 4, "moderate" on the 0-10 scale the session form asks for. Unlogged effort does not block.
EASY_EFFORT_MAX = 4
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

# An urgent warning sign pauses her programme until she has been seen (a calf that may hold a clot,
# a tear or a raised pressure is not loaded before a clinician has looked at it).
EXERCISE_PAUSED_ADVICE = (
    "Pause your calf exercises and heel-rise tests until you have been seen. Your programme and "
    "their reminders wait until then."
)
# What the week's session count says while her programme is paused ("3 of 4 so far" would ask for
# a fourth session the advice above forbids).
PROGRAMME_PAUSED_NOTE = "Your programme is paused until you have been seen."
REDUCE_LOAD_ADVICE = (
    "Reduce the load next session (fewer sets or reps, less weight or a slower progression). "
    "Your physiotherapist will see this."
)
# The same advice while an urgent warning sign pauses her exercises: "next session" would contradict
# EXERCISE_PAUSED_ADVICE on the same page.
RESUME_WITH_LESS_LOAD_ADVICE = (
    "When you start again, reduce the load (fewer sets or reps, less weight or a slower "
    "progression). Your physiotherapist will see this."
)


def _round(value: Number, ndigits: int) -> float:
    """Round half away from zero on the shortest decimal form (so 2.675 -> 2.68, not 2.67)."""
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(str(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}; expected one of {', '.join(allowed)}.")
