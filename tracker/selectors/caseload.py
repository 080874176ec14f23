"""The physio's caseload: one row per patient, every column an annotation.

`annotate_caseload` adds correlated subqueries to a PatientProfile queryset, so the admin
changelist runs the same number of queries for 10 patients as for 1,000. The numbers it sorts and
filters on are computed in SQL; what a row *shows* is recomputed in Python from the annotated raw
values with `tracker.metrics`. Each rule follows `selectors.summary` (the dashboard's numbers)
exactly, and tests/selectors/test_caseload_parity.py pins every rule to it:

- girth: the latest measurement at the default site (tt10 when measured, else the most measured
  site), and the same site's measurement at least CHANGE_WINDOW_DAYS before today;
- girth verdict: how much smaller the involved calf is (cm) and whether the goal (< 1.0 cm) is
  reached, as metrics.girth_verdict;
- heel-rise: the latest test, its LSI and whether it reaches her target (metrics.heel_rise_verdict);
- adherence over the last ADHERENCE_WINDOW_DAYS days: sessions holding a prescribed exercise ÷ the
  sessions the active programme expects, counted day by day as metrics.expected_sessions does;
- open red flags (urgent, counted in red_flag_count): swelling (side to side at tt10/max, or a rise
  within 7 days at any site) at the latest measurement of each site in the look-back window; a
  red-flag symptom ticked on any check-in of the last SYMPTOM_FLAG_DAYS days;
- the pain rule (flag_pain, a reason to look but not a red flag): pain during or after a session
  above the limit in the last PAIN_REVIEW_DAYS days (the breaches the dashboard's pain card lists);
- worsening atrophy (a review flag): worked out in Python for the rows shown (`worsening_flags`),
  with the same function as the dashboard's;
- new data since your last review: any girth, heel-rise, session or check-in created or edited,
  or questionnaire submitted, after the latest review note (`PhysioNote.is_review`) written by the
  viewing physio; with no review yet, any record at all.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf, Round, TruncDate

from tracker import metrics
from tracker.models import (
    RED_FLAG_SYMPTOMS,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    QuestionnaireResponse,
    SymptomLog,
    User,
)
from tracker.selectors import programme
from tracker.selectors.common import day_start

_NEVER = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
_NO_DATE = datetime.date(1900, 1, 1)


def _patient(model):
    return model.objects.filter(patient=OuterRef("user_id"))


def _latest(queryset, field: str, *ordering: str):
    return Subquery(queryset.order_by(*ordering).values(field)[:1])


def _default_site():
    """metrics.default_site in SQL: tt10 when measured, else the most measured site (A-Z on a tie)."""
    preferred_first = Case(
        When(site=metrics.PREFERRED_SITE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    counts = (
        _patient(GirthMeasurement)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"), preferred_first=Max(preferred_first))
        .order_by("preferred_first", "-n", "site")
        .values("site")[:1]
    )
    return Subquery(counts)


def _involved_and_uninvolved(left, right):
    """metrics.symmetry's sides in SQL: the affected leg, or the smaller one for 'both'/'unknown'."""
    left = Cast(left, FloatField())
    right = Cast(right, FloatField())
    involved = Case(
        When(affected_side="left", then=left),
        When(affected_side="right", then=right),
        default=Least(left, right),
        output_field=FloatField(),
    )
    uninvolved = Case(
        When(affected_side="left", then=right),
        When(affected_side="right", then=left),
        default=Greatest(left, right),
        output_field=FloatField(),
    )
    return involved, uninvolved


def _lsi(left, right):
    """LSI = involved / uninvolved x 100 in SQL; 'both'/'unknown' compare the smaller to the larger."""
    involved, uninvolved = _involved_and_uninvolved(left, right)
    return Round(involved * Value(100.0) / NullIf(uninvolved, Value(0.0)), 1, output_field=FloatField())


def _girth_deficit():
    """How much smaller the involved calf is, in cm (metrics.girth_verdict's deficit_cm), in SQL."""
    involved, uninvolved = _involved_and_uninvolved("girth_left", "girth_right")
    # A Case around GREATEST: PostgreSQL's GREATEST skips NULLs where SQLite's gives NULL.
    return Case(
        When(girth_left__isnull=True, then=Value(None)),
        default=Greatest(uninvolved - involved, Value(0.0), output_field=FloatField()),
        output_field=FloatField(),
    )


def _girth_goal_reached():
    """metrics.girth_verdict's goal in SQL: the involved calf less than 1.0 cm smaller."""
    return Case(
        When(girth_left__isnull=True, then=Value(None)),
        When(girth_deficit__lt=metrics.GIRTH_NORMAL_MAX_CM - metrics.FLOAT_TOLERANCE, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _heel_target_reached():
    """metrics.heel_rise_verdict in SQL: the heel-rise LSI at least her target (False without an LSI)."""
    return Case(
        When(heel_left__isnull=True, then=Value(None)),
        When(heel_lsi__gte=F("target_lsi") - Value(metrics.FLOAT_TOLERANCE), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _latest_per_site(today: datetime.date):
    """Each site's latest measurement, if it falls in the swelling look-back window."""
    newer_same_site = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__gt=OuterRef("date")
    )
    return (
        _patient(GirthMeasurement)
        .filter(date__gte=today - datetime.timedelta(days=metrics.SWELLING_LOOKBACK_DAYS))
        .filter(~Exists(newer_same_site))
    )


def _max_excess(column: str, other: str, today: datetime.date):
    """The most one calf exceeds the other at the latest measurement of each site where the
    side-to-side rule applies (tt10 and max)."""
    rows = (
        _latest_per_site(today)
        .filter(site__in=metrics.ASYMMETRY_FLAG_SITES)
        .order_by()
        .values("patient")
        .annotate(excess=Max(Cast(F(column) - F(other), FloatField())))
        .values("excess")
    )
    return Subquery(rows, output_field=FloatField())


def _sudden_growth(today: datetime.date):
    """Either calf grew >= 2 cm since the previous same-site measurement at most 7 days earlier,
    at the latest measurement of a site within the look-back window."""
    previous = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__lt=OuterRef("date")
    ).order_by("-date")
    rise = metrics.SWELLING_RISE_CM - metrics.FLOAT_TOLERANCE
    latest = (
        _latest_per_site(today)
        .annotate(
            previous_date=Subquery(previous.values("date")[:1]),
            previous_left=Subquery(previous.values("left_cm")[:1]),
            previous_right=Subquery(previous.values("right_cm")[:1]),
        )
        .filter(previous_date__gte=F("date") - datetime.timedelta(days=metrics.SWELLING_RISE_DAYS))
    )
    grown = Q(left_cm__gte=F("previous_left") + rise) | Q(right_cm__gte=F("previous_right") + rise)
    return Exists(latest.filter(grown))


def _expected_sessions(start: datetime.date, end: datetime.date):
    """metrics.expected_sessions in SQL: for each day, the highest times_per_week of the
    prescriptions active that day, summed, divided by 7 and rounded to whole sessions
    (metrics.whole_sessions: (2 x sum + 7) // 14, integer division on both backends)."""
    total = Value(0)
    day = start
    while day <= end:
        active = (
            _patient(Prescription)
            .filter(active=True, start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .order_by()
            .values("patient")
            .annotate(most=Max("times_per_week"))
            .values("most")
        )
        total = total + Coalesce(Subquery(active, output_field=IntegerField()), Value(0))
        day += datetime.timedelta(days=1)
    days = metrics.DAYS_PER_WEEK
    return ExpressionWrapper(
        (Value(2) * total + Value(days)) / Value(2 * days), output_field=IntegerField()
    )


def _max_date(model, expression):
    rows = _patient(model).order_by().values("patient").annotate(last=Max(expression)).values("last")
    return Coalesce(Subquery(rows, output_field=DateField()), Value(_NO_DATE), output_field=DateField())


def _flag_count(*names: str):
    total = Value(0)
    for name in names:
        one = Case(When(**{name: True}, then=Value(1)), default=Value(0), output_field=IntegerField())
        total = total + one
    return total


def annotate_caseload(queryset: QuerySet, *, reviewer: User, today: datetime.date) -> QuerySet:
    """Annotate PatientProfile rows with every caseload column (see the module docstring)."""
    at_site = _patient(GirthMeasurement).filter(site=OuterRef("girth_site"))
    change_from = today - datetime.timedelta(days=metrics.CHANGE_WINDOW_DAYS)
    earlier_girth = at_site.filter(date__lte=change_from, date__lt=OuterRef("girth_date"))
    worsening_from = at_site.filter(
        date__lte=OuterRef("girth_date") - datetime.timedelta(weeks=metrics.WORSENING_WINDOW_WEEKS)
    )
    heel = _patient(HeelRiseTest)

    window_start = today - datetime.timedelta(days=metrics.ADHERENCE_WINDOW_DAYS - 1)
    sessions_done = (
        _patient(ExerciseSession)
        .filter(performed_at__gte=day_start(window_start))
        .filter(performed_at__lt=day_start(today + datetime.timedelta(days=1)))
        .filter(programme._has_prescribed_exercise())
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    symptom_flag = Q()
    for field, _code in RED_FLAG_SYMPTOMS:
        symptom_flag |= Q(**{field: True})
    pain_limit = metrics.PAIN_ACCEPTABLE_MAX
    pain_from = today - datetime.timedelta(days=metrics.PAIN_REVIEW_DAYS - 1)
    swelling_limit = metrics.SWELLING_ASYMMETRY_CM - metrics.FLOAT_TOLERANCE

    reviews = PhysioNote.objects.filter(patient=OuterRef("user_id"), is_review=True, author=reviewer)

    def changed_since(model):
        return Exists(_patient(model).filter(updated_at__gt=OuterRef("review_cutoff")))

    return queryset.annotate(
        # Latest girth at the default site, the same site about 4 weeks and 12 weeks earlier.
        girth_site=_default_site(),
        girth_date=_latest(at_site, "date", "-date"),
        girth_left=_latest(at_site, "left_cm", "-date"),
        girth_right=_latest(at_site, "right_cm", "-date"),
        girth_earlier_left=_latest(earlier_girth, "left_cm", "-date"),
        girth_earlier_right=_latest(earlier_girth, "right_cm", "-date"),
        girth_lsi=_lsi("girth_left", "girth_right"),
        girth_deficit=_girth_deficit(),
        girth_goal_reached=_girth_goal_reached(),
        girth_then_date=_latest(worsening_from, "date", "-date"),
        girth_then_left=_latest(worsening_from, "left_cm", "-date"),
        girth_then_right=_latest(worsening_from, "right_cm", "-date"),
        # Latest heel-rise test.
        heel_date=_latest(heel, "date", "-date", "-id"),
        heel_left=_latest(heel, "reps_left", "-date", "-id"),
        heel_right=_latest(heel, "reps_right", "-date", "-id"),
        heel_lsi=_lsi("heel_left", "heel_right"),
        heel_target_reached=_heel_target_reached(),
        # Adherence over the last ADHERENCE_WINDOW_DAYS days.
        sessions_done=Coalesce(Subquery(sessions_done, output_field=IntegerField()), Value(0)),
        sessions_expected=_expected_sessions(window_start, today),
        adherence=Case(
            When(sessions_expected__lte=0, then=Value(None)),
            default=Round(
                Least(
                    Value(100.0),
                    Cast("sessions_done", FloatField()) * Value(100.0) / F("sessions_expected"),
                ),
                1,
            ),
            output_field=FloatField(),
        ),
        # Last activity: the latest date of any record the patient logged.
        last_activity=NullIf(
            Greatest(
                _max_date(GirthMeasurement, F("date")),
                _max_date(HeelRiseTest, F("date")),
                _max_date(ExerciseSession, TruncDate("performed_at")),
                _max_date(SymptomLog, F("date")),
                output_field=DateField(),
            ),
            Value(_NO_DATE),
        ),
        # Open red flags.
        left_excess=_max_excess("left_cm", "right_cm", today),
        right_excess=_max_excess("right_cm", "left_cm", today),
        sudden_growth=_sudden_growth(today),
        flag_swelling=Case(
            When(
                Q(left_excess__gte=swelling_limit) & ~Q(affected_side="right")
                | Q(right_excess__gte=swelling_limit) & ~Q(affected_side="left")
                | Q(sudden_growth=True),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        flag_symptoms=Exists(
            _patient(SymptomLog)
            .filter(date__gte=today - datetime.timedelta(days=metrics.SYMPTOM_FLAG_DAYS))
            .filter(symptom_flag)
        ),
        flag_pain=Exists(
            _patient(ExerciseSession)
            .filter(performed_at__gte=day_start(pain_from))
            .filter(Q(pain_after__gt=pain_limit) | Q(entries__pain_during__gt=pain_limit))
        ),
        # The urgent red flags only, as on her review page and the triage home: pain above the limit
        # is a pain-monitoring breach (a reason to look, flag_pain), not a red flag.
        red_flag_count=_flag_count("flag_swelling", "flag_symptoms"),
        # Review state of the viewing physio.
        last_review_at=_latest(reviews, "created_at", "-created_at"),
        review_cutoff=Coalesce("last_review_at", Value(_NEVER), output_field=DateTimeField()),
        new_data=Case(
            When(
                changed_since(GirthMeasurement)
                | changed_since(HeelRiseTest)
                | changed_since(ExerciseSession)
                | changed_since(SymptomLog)
                | Exists(_patient(QuestionnaireResponse).filter(submitted_at__gt=OuterRef("review_cutoff"))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- what a caseload row shows, from the annotated values ----------------------------------------


@dataclass(frozen=True)
class GirthChange:
    """The involved calf's change against the measurement about 4 weeks earlier (same site)."""

    cm: float
    real: bool  # beats measurement error (>= 1.0 cm)
    arrow: str  # ↑ / ↓ / →



def _symmetry(row, left: str, right: str) -> metrics.Symmetry | None:
    if getattr(row, left) is None or getattr(row, right) is None:
        return None
    return metrics.symmetry(
        left=getattr(row, left), right=getattr(row, right), affected_side=row.affected_side
    )


def girth_symmetry(row) -> metrics.Symmetry | None:
    return _symmetry(row, "girth_left", "girth_right")


def heel_rise_symmetry(row) -> metrics.Symmetry | None:
    return _symmetry(row, "heel_left", "heel_right")


def girth_verdict(row) -> metrics.GirthVerdict | None:
    """The row's girth verdict (the dashboard's function, from the annotated latest measurement)."""
    current = girth_symmetry(row)
    return None if current is None else metrics.girth_verdict(current.difference)


def heel_rise_verdict(row) -> metrics.HeelRiseVerdict | None:
    current = heel_rise_symmetry(row)
    return None if current is None else metrics.heel_rise_verdict(current.lsi, row.target_lsi)


def girth_change(row) -> GirthChange | None:
    current = girth_symmetry(row)
    if current is None or row.girth_earlier_left is None or row.girth_earlier_right is None:
        return None
    if current.involved_side == "left":
        change = float(row.girth_left) - float(row.girth_earlier_left)
    else:
        change = float(row.girth_right) - float(row.girth_earlier_right)
    change = round(change, 2)
    arrow = "↑" if change >= 0.05 else "↓" if change <= -0.05 else "→"
    return GirthChange(cm=change, real=metrics.is_real_change(change, measure="girth"), arrow=arrow)


def worsening_flags(rows, *, today: datetime.date) -> dict[int, metrics.RedFlag]:
    """The worsening-atrophy flag of each row that has one, by patient id (two queries at most).

    Same rule as summary.worsening_atrophy: the latest measurement at the default site against the
    latest one at least 12 weeks before it, with the adherence over the days between them.
    """
    candidates = {}
    for row in rows:
        then = _symmetry(row, "girth_then_left", "girth_then_right")
        now = girth_symmetry(row)
        if then is not None and now is not None:
            candidates[row.user_id] = (row, then, now)
    windows = {
        patient_id: (row.girth_then_date, min(row.girth_date, today))
        for patient_id, (row, _then, _now) in candidates.items()
    }
    kept_up = programme.adherence_many(windows, today=today)
    flags = {}
    for patient_id, (_row, then, now) in candidates.items():
        flag = metrics.worsening_atrophy_flag(
            lsi_then=then.lsi,
            lsi_now=now.lsi,
            difference_then=then.difference,
            difference_now=now.difference,
            adherence_percent=kept_up[patient_id].percent,
        )
        if flag is not None:
            flags[patient_id] = flag
    return flags
