"""When a programme moves on: the clinical rules of the Progression section, as pure Python.

docs/clinical-rules.md, "Progression": a programme step is the physio's decision; the app proposes
the next step from the schedule (Alfredson, heavy slow resistance) and the pain-monitoring model
applied to the pain she logged over the last two weeks, and always says why. Standard library and
`tracker.metrics` only: no Django, no ORM. Sentences tell her what to do, never what she has.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker import metrics

# The numbers (PROGRESSION_REVIEW_DAYS, LOAD_STEP_KG, EASY_EFFORT_MAX) live in tracker.metrics.
REVIEW_WEEKS = metrics.PROGRESSION_REVIEW_DAYS // metrics.DAYS_PER_WEEK

FIXED, AUTO, APPROVAL = "fixed", "auto", "approval"  # Prescription.progression

_REDUCE = (
    "keep the load, or reduce it (fewer sets, less weight or a rest day). "
    "Your physiotherapist will see this."
)


PAUSED_PLAN = (
    "Your plan waits while the warning sign you logged is open: it moves on once you have been seen "
    "and carry on with your sessions."
)


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


@dataclass(frozen=True)
class SessionPain:
    """The pain of one logged session (0-10; None where she left it out)."""

    day: date
    before: int | None = None
    during: int | None = None  # the highest pain during any exercise of the session
    after: int | None = None
    next_morning: int | None = None  # her check-in of the next day


@dataclass(frozen=True)
class PainVerdict:
    """The pain-monitoring model over the last two weeks."""

    kept: bool  # every rule kept, with enough pain logged to tell
    enough_data: bool  # pain logged in the last 7 days, and on at least 2 sessions
    both_weeks: bool  # pain logged in each of the two weeks (the week-to-week rule could be judged)
    worst: int | None  # the highest pain during or after exercise
    settled: bool  # pain the next morning was logged and had settled every time
    breach: str  # what broke a rule, e.g. "Pain after exercise was 6/10 on Tuesday 12 May"


def _session_worst(session: SessionPain) -> int | None:
    values = [v for v in (session.during, session.after) if v is not None]
    return max(values, default=None)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def pain_verdict(sessions: Iterable[SessionPain], *, today: date) -> PainVerdict:
    """Apply the pain-monitoring model (metrics.pain_monitoring_breaches) to the last 14 days.

    A rule broken on any session (pain during or after above 5/10, not settled by the next morning)
    or the week's average pain rising by an important change breaks the verdict; the latest breach
    is named with its day. Kept needs pain logged on 2 sessions or more, one in the last 7 days
    (so that a programme's second week can start on its first week's pain).
    """
    first_day = today - timedelta(days=metrics.PROGRESSION_REVIEW_DAYS - 1)
    week_two = today - timedelta(days=metrics.DAYS_PER_WEEK - 1)
    recent = sorted((s for s in sessions if first_day <= s.day <= today), key=lambda s: s.day)
    scored = [(s, _session_worst(s)) for s in recent]
    weeks = (
        [worst for s, worst in scored if s.day < week_two and worst is not None],
        [worst for s, worst in scored if s.day >= week_two and worst is not None],
    )
    both_weeks = all(weeks)
    enough = bool(weeks[1]) and len(weeks[0]) + len(weeks[1]) >= 2
    breach = ""
    for session, _worst in scored:  # the latest session's first broken rule is the one named
        flags = metrics.pain_monitoring_breaches(
            pain_during_max=session.during,
            pain_after=session.after,
            pain_before=session.before,
            next_morning_pain=session.next_morning,
        )
        if flags:
            breach = _breach_words(flags[0].code, session)
    if both_weeks and not breach:
        rise = metrics.pain_monitoring_breaches(weekly_mean_pain=(_mean(weeks[0]), _mean(weeks[1])))
        if rise:
            breach = (
                f"Your pain during and after exercise averaged {_mean(weeks[1]):.1f} out of 10 in "
                f"{metrics.LAST_WEEK}, up from {_mean(weeks[0]):.1f} in the "
                f"{metrics.DAYS_PER_WEEK} days before"
            )
    mornings = [s for s in recent if s.next_morning is not None]
    worst = max((w for _s, w in scored if w is not None), default=None)
    return PainVerdict(
        kept=enough and not breach,
        enough_data=enough,
        both_weeks=both_weeks,
        worst=worst,
        settled=bool(mornings) and not breach,
        breach=breach,
    )


def _breach_words(code: str, session: SessionPain) -> str:
    day = _day(session.day)
    if code == "pain_during":
        return f"Pain during exercise was {session.during}/10 on {day}"
    if code == "pain_after":
        return f"Pain after exercise was {session.after}/10 on {day}"
    before = "" if session.before is None else f", {session.before}/10 before it"
    return f"Pain the morning after your session on {day} was {session.next_morning}/10{before}"


def kept_words(verdict: PainVerdict) -> str:
    """Why the load may go up, e.g. "Your pain ... stayed at 3/10 or less ... for 2 weeks"."""
    settled = " and settled by the next morning" if verdict.settled else ""
    span = f"for {REVIEW_WEEKS} weeks" if verdict.both_weeks else "this past week"
    return f"Your pain during and after exercise stayed at {verdict.worst}/10 or less{settled} {span}"


# --- the schedule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    number: int
    start_week: int
    dosage: str  # e.g. "4 × 10", "a weight you can lift 10 times and no more" in the page's words


def programme_week(start: date, today: date) -> int:
    """The week of the programme `today` is in: 1 for its first 7 days; 0 before it starts."""
    if today < start:
        return 0
    return (today - start).days // metrics.DAYS_PER_WEEK + 1


def step_start(start: date, step: Step) -> date:
    return start + timedelta(weeks=step.start_week - 1)


def scheduled_step(steps: Sequence[Step], *, start: date, today: date) -> Step | None:
    """The step the schedule alone puts her on today (the last one whose week has come)."""
    week = programme_week(start, today)
    reached = [step for step in sorted(steps, key=lambda s: s.number) if step.start_week <= week]
    return reached[-1] if reached else None


@dataclass(frozen=True)
class Proposal:
    """What comes next for one prescription, and why (the reason is shown to her as it is)."""

    action: str  # "advance" | "hold" (too little pain logged) | "reduce" | "last" | "none"
    step: Step | None  # the next step
    due: bool  # its week has come: "advance" applies now (by itself, or once approved)
    starts_on: date | None
    needs_approval: bool
    reason: str
    evidence: str = ""  # the "why" alone, kept with the step once it is taken


def _when(step: Step, *, start: date, today: date) -> str:
    starts_on = step_start(start, step)
    if starts_on <= today:
        return "now"
    if programme_week(start, today) + 1 == step.start_week:
        return "next week"
    return f"from week {step.start_week} ({starts_on.day} {starts_on:%B})"


def next_step(
    *, steps: Sequence[Step], current: int | None, start: date, today: date, pain: PainVerdict, mode: str,
    paused: bool = False,
) -> Proposal:
    """The next step of a prescription's schedule, proposed from her pain of the last two weeks.

    Rules kept -> "advance" (applies when its week comes: by itself in AUTO mode, after the
    physio's approval in APPROVAL mode); a rule broken -> "reduce" (the step waits); too little
    logged or `paused` (an urgent warning sign, metrics.pauses_exercise) -> "hold". FIXED mode or no
    steps -> "none".
    """
    ordered = sorted(steps, key=lambda s: s.number)
    if mode == FIXED or not ordered:
        return Proposal("none", None, False, None, False, "")
    following = [step for step in ordered if current is None or step.number > current]
    if not following:
        return Proposal(
            "last", None, False, None, False,
            "This is the last step of your plan: your physiotherapist will tell you what comes next.",
        )
    step = following[0]
    starts_on = step_start(start, step)
    due = starts_on <= today
    when = _when(step, start=start, today=today)
    if paused:
        return Proposal("hold", step, due, starts_on, False, PAUSED_PLAN)
    if pain.breach:
        return Proposal("reduce", step, due, starts_on, False, f"{pain.breach}: {_REDUCE}")
    if not pain.enough_data:
        return Proposal(
            "hold", step, due, starts_on, False,
            "Log your pain with every session (and the next morning in your check-in): then your "
            f"physio's plan can move you on to {step.dosage}.",
        )
    approval = mode == APPROVAL
    tail = ", once your physiotherapist has approved it" if approval else ""
    evidence = kept_words(pain)
    return Proposal(
        "advance", step, due, starts_on, approval,
        f"{evidence}: your physio's plan moves you to {step.dosage} {when}{tail}.", evidence,
    )


# --- Alfredson: more load when easy and pain-free -----------------------------------------------


@dataclass(frozen=True)
class ExercisePain:
    """One logged set of an exercise: its pain during (0-10) and the session's effort (RPE 0-10)."""

    day: date
    pain_during: int | None
    effort: int | None = None


def load_proposal(
    entries: Iterable[ExercisePain],
    *,
    load_kg: float,
    step_kg: float,
    today: date,
    mode: str,
    last_change: date | None = None,
) -> Proposal | None:
    """Alfredson: when the exercise was pain-free (0/10 during) and easy (effort at most
    EASY_EFFORT_MAX where logged) in each of the last two weeks, propose `step_kg` more load.

    Only sessions after the last change of dosage count: each load step needs two new weeks.
    """
    if mode == FIXED or step_kg <= 0:
        return None
    if last_change is not None and (today - last_change).days < metrics.PROGRESSION_REVIEW_DAYS:
        return None
    first_day = today - timedelta(days=metrics.PROGRESSION_REVIEW_DAYS - 1)
    week_two = today - timedelta(days=metrics.DAYS_PER_WEEK - 1)
    recent = [e for e in entries if first_day <= e.day <= today and e.pain_during is not None]
    if not (any(e.day < week_two for e in recent) and any(e.day >= week_two for e in recent)):
        return None
    pain_free = all(e.pain_during == 0 for e in recent)
    easy = all(e.effort is None or e.effort <= metrics.EASY_EFFORT_MAX for e in recent)
    if not (pain_free and easy):
        return None
    new_load = f"{float(load_kg) + float(step_kg):g} kg"
    approval = mode == APPROVAL
    tail = ", once your physiotherapist has approved it" if approval else ""
    step = Step(number=0, start_week=0, dosage=f"{new_load} of added load (a backpack)")
    evidence = f"It was pain-free (0/10) and felt easy for {REVIEW_WEEKS} weeks"
    return Proposal(
        "advance", step, True, today, approval,
        f"{evidence}: your physio's plan adds {step_kg:g} kg (a backpack), {new_load} in all{tail}.",
        evidence,
    )


# --- today: due or done ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayStatus:
    due: int  # times due today: 2 (twice daily), 1, or 0 (a rest day: this week's sessions are done)
    done: int  # times logged today
    state: str  # "due" | "partly" | "done" | "rest" | "paused" (an urgent warning sign is open)


def today_status(
    *, times_per_week: int, done_today: int, done_this_week: int, paused: bool = False
) -> TodayStatus:
    """Whether a prescription is due today, from how often a week it is prescribed.

    14 a week: twice a day; 7 or more: every day; fewer: every day until this week's are done
    (sessions before today count). `paused` (metrics.pauses_exercise): nothing is due.
    """
    if times_per_week >= 2 * metrics.DAYS_PER_WEEK:
        due = 2
    elif times_per_week >= metrics.DAYS_PER_WEEK:
        due = 1
    else:
        due = 1 if done_this_week - done_today < times_per_week else 0
    if paused:
        due = 0
    if done_today and done_today >= due:
        state = "done"
    elif done_today:
        state = "partly"
    else:
        state = "paused" if paused else "due" if due else "rest"
    return TodayStatus(due=due, done=done_today, state=state)
