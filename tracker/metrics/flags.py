"""Red flags and the pain-monitoring rules: what to do, never a diagnosis; the heel-rise decline and
the days without a log that the physio's triage uses."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.metrics.base import (
    ADHERENCE_FOR_WORSENING_FLAG,
    AFFECTED_SIDES,
    ASYMMETRY_FLAG_SITES,
    FLOAT_TOLERANCE,
    GIRTH_ERROR_CM,
    GIRTH_SITES,
    LEVEL_ADVICE,
    LEVEL_REVIEW,
    LEVEL_URGENT,
    NOT_LOGGED_DAYS,
    PAIN_ACCEPTABLE_MAX,
    PAIN_REVIEW_DAYS,
    REDUCE_LOAD_ADVICE,
    RESUME_WITH_LESS_LOAD_ADVICE,
    SIDES,
    SWELLING_ASYMMETRY_CM,
    SWELLING_MESSAGE,
    SWELLING_RISE_CM,
    SWELLING_RISE_DAYS,
    SYMPTOM_RED_FLAGS,
    Number,
    _check_choice,
    _round,
)
from tracker.metrics.measures import is_real_change, symmetry

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
            finding=f"Ticked in a check-in: {label}. She was told to seek urgent medical care today.",
        )
        for code, label in SYMPTOM_RED_FLAGS.items()
        if code in ticked
    ]


def pauses_exercise(flags: Iterable[RedFlag]) -> bool:
    """An urgent flag pauses her programme until she has been seen (EXERCISE_PAUSED_ADVICE): the
    pages say so instead of "due today", no session or heel-rise reminder is sent and no step moves
    her on."""
    return any(flag.level == LEVEL_URGENT for flag in flags)


def pain_monitoring_breaches(
    *,
    pain_during_max: Number | None = None,
    pain_after: Number | None = None,
    pain_before: Number | None = None,
    next_morning_pain: Number | None = None,
    weekly_mean_pain: tuple[Number, Number] | None = None,
    paused: bool = False,
) -> list[RedFlag]:
    """Pain-monitoring model (Silbernagel 2007): breaches of its three rules, as advice.

    Pain during/after exercise above 5/10; pain not settled by the next morning (above the
    pre-exercise pain, or above 5/10 when that is unknown); weekly mean pain rising by an important
    change. ``weekly_mean_pain`` = (previous_week_mean, this_week_mean). ``paused``: an urgent flag
    pauses her exercises, so each message advises for when she starts again (`load_advice`).
    """
    limit = PAIN_ACCEPTABLE_MAX
    advice = load_advice(paused=paused)
    flags: list[RedFlag] = []
    if pain_during_max is not None and float(pain_during_max) > limit:
        flags.append(
            RedFlag(
                code="pain_during",
                level=LEVEL_ADVICE,
                message=f"Pain during exercise went above {limit}/10. {advice}",
                finding=f"Pain during exercise went above {limit}/10.",
            )
        )
    if pain_after is not None and float(pain_after) > limit:
        flags.append(
            RedFlag(
                code="pain_after",
                level=LEVEL_ADVICE,
                message=f"Pain after exercise was above {limit}/10. {advice}",
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
                    message=f"Your pain had not settled by the next morning. {advice}",
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
                        f"Your average pain at rest was {this_week:.1f} in {LAST_WEEK}, up from "
                        f"{previous_week:.1f} in the {PAIN_REVIEW_DAYS} days before. {advice}"
                    ),
                    finding=(
                        f"Average pain at rest: {this_week:.1f} in {LAST_WEEK}, up from "
                        f"{previous_week:.1f} in the {PAIN_REVIEW_DAYS} days before."
                    ),
                )
            )
    return flags


def load_advice(*, paused: bool) -> str:
    """The advice after a broken pain rule; while her exercises are paused, for when she starts again."""
    return RESUME_WITH_LESS_LOAD_ADVICE if paused else REDUCE_LOAD_ADVICE


def pain_advice(breaches: Iterable[RedFlag], *, paused: bool = False) -> str:
    """What broke the pain-monitoring rules, then the advice once ("" when nothing did): for a page or
    a message that gives several breaches together."""
    findings = [flag.for_physio for flag in breaches]
    return " ".join([*findings, load_advice(paused=paused)]) if findings else ""


# The week the pain rules judge, in words: the last 7 days, never "this week" (which on the same
# pages means Monday to Sunday).
LAST_WEEK = f"the last {PAIN_REVIEW_DAYS} days"


def pain_rules_kept(sessions: int) -> str:
    """What the dashboard, the review and the PDF say when no pain-monitoring rule was broken in the
    last PAIN_REVIEW_DAYS days: kept by her sessions, or nothing to judge (no session, which is not
    the same as keeping the rules)."""
    if not sessions:
        return f"No sessions in {LAST_WEEK}, so no pain during or after exercise to check."
    counted = f"{sessions} session{'' if sessions == 1 else 's'}"
    return (
        f"Pain-monitoring rules kept in {LAST_WEEK} ({counted}): at most {PAIN_ACCEPTABLE_MAX}/10, "
        "settling by the next morning."
    )


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
