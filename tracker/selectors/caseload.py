"""The physio's caseload: one row per patient, every column an annotation.

`annotate_caseload` adds correlated subqueries to a PatientProfile queryset, so the admin
changelist runs the same number of queries for 10 patients as for 1,000. The numbers it
sorts and filters on are computed in SQL; what a row *shows* is recomputed in Python from the
annotated raw values with `tracker.metrics` (the helpers at the end), so the caseload shows the
same LSI as the patient's dashboard.

Simplifications against the dashboard (`selectors.progress`), kept deliberately small:

- Latest girth: the latest measurement at tt10, else at any site (the most repeatable site wins).
- Adherence, last 14 days: sessions containing an actively prescribed exercise ÷ (the highest
  `times_per_week` of the prescriptions active at some point in the window × 2), capped at 100 %.
  The dashboard counts the expected sessions day by day, so a programme that started inside the
  window scores lower here than there.
- Open red flags, three kinds:
  * swelling: at the latest measurement of a site within 14 days, the involved calf is >= 3 cm
    larger than the other (either calf when the side is "both" / "not known"), or either calf grew
    >= 2 cm since the previous measurement at that site taken at most 7 days before (the
    dashboard's two swelling rules);
  * symptoms: a red-flag symptom ticked on any check-in of the last 2 days (the dashboard looks at
    the latest check-in of those days only);
  * pain: pain during or after a session above 5/10 in the last 7 days.
- New data since your last review: any girth, heel-rise, session or check-in created or edited
  after the latest review note (`PhysioNote.is_review`) written by the viewing physio; with no
  review yet, any record at all.
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
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)

ADHERENCE_WINDOW_DAYS = 14
NOT_LOGGED_DAYS = 7
LOW_ADHERENCE_PERCENT = 50.0
CHANGE_WINDOW_DAYS = 28
SWELLING_LOOKBACK_DAYS = 14
SYMPTOM_FLAG_DAYS = 2
PAIN_FLAG_DAYS = 7

_NEVER = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
_NO_DATE = datetime.date(1900, 1, 1)
_TT10_FIRST = Case(When(site="tt10", then=Value(0)), default=Value(1), output_field=IntegerField())


def _patient(model):
    return model.objects.filter(patient=OuterRef("user_id"))


def _latest(queryset, field: str, *ordering: str):
    return Subquery(queryset.order_by(*ordering).values(field)[:1])


def _lsi(left, right):
    """LSI = involved / uninvolved x 100 in SQL; 'both'/'unknown' compare the smaller to the larger."""
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
    return Round(involved * Value(100.0) / NullIf(uninvolved, Value(0.0)), 1, output_field=FloatField())


def _max_excess(column: str, other: str, today: datetime.date):
    """The most one calf exceeds the other at the latest measurement of each site (last 14 days)."""
    newer_same_site = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__gt=OuterRef("date")
    )
    rows = (
        _patient(GirthMeasurement)
        .filter(date__gte=today - datetime.timedelta(days=SWELLING_LOOKBACK_DAYS))
        .filter(~Exists(newer_same_site))
        .order_by()
        .values("patient")
        .annotate(excess=Max(Cast(F(column) - F(other), FloatField())))
        .values("excess")
    )
    return Subquery(rows, output_field=FloatField())


def _sudden_growth(today: datetime.date):
    """Either calf grew >= 2 cm since the previous same-site measurement at most 7 days earlier,
    at the latest measurement of a site within the last 14 days."""
    previous = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__lt=OuterRef("date")
    ).order_by("-date")
    newer_same_site = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__gt=OuterRef("date")
    )
    rise = metrics.SWELLING_RISE_CM - metrics.FLOAT_TOLERANCE
    latest = (
        _patient(GirthMeasurement)
        .filter(date__gte=today - datetime.timedelta(days=SWELLING_LOOKBACK_DAYS))
        .filter(~Exists(newer_same_site))
        .annotate(
            previous_date=Subquery(previous.values("date")[:1]),
            previous_left=Subquery(previous.values("left_cm")[:1]),
            previous_right=Subquery(previous.values("right_cm")[:1]),
        )
        .filter(previous_date__gte=F("date") - datetime.timedelta(days=metrics.SWELLING_RISE_DAYS))
    )
    grown = Q(left_cm__gte=F("previous_left") + rise) | Q(right_cm__gte=F("previous_right") + rise)
    return Exists(latest.filter(grown))


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
    latest_girth = ("_tt10_first", "-date", "-id")
    girth = _patient(GirthMeasurement).annotate(_tt10_first=_TT10_FIRST)
    heel = _patient(HeelRiseTest)
    four_weeks_ago = today - datetime.timedelta(days=CHANGE_WINDOW_DAYS)
    earlier_girth = _patient(GirthMeasurement).filter(
        site=OuterRef("girth_site"), date__lte=four_weeks_ago, date__lt=OuterRef("girth_date")
    )

    window_start = today - datetime.timedelta(days=ADHERENCE_WINDOW_DAYS - 1)
    active_in_window = (
        _patient(Prescription)
        .filter(active=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=window_start))
    )
    has_prescribed_exercise = Exists(
        ExerciseEntry.objects.filter(
            session=OuterRef("pk"),
            exercise__prescriptions__patient=OuterRef("patient"),
            exercise__prescriptions__active=True,
        )
    )
    sessions_done = (
        _patient(ExerciseSession)
        .filter(performed_at__date__gte=window_start, performed_at__date__lte=today)
        .filter(has_prescribed_exercise)
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )

    symptom_flag = Q()
    for field, _code in RED_FLAG_SYMPTOMS:
        symptom_flag |= Q(**{field: True})
    pain_limit = metrics.PAIN_ACCEPTABLE_MAX
    swelling_limit = metrics.SWELLING_ASYMMETRY_CM - metrics.FLOAT_TOLERANCE

    reviews = PhysioNote.objects.filter(patient=OuterRef("user_id"), is_review=True, author=reviewer)

    def changed_since(model):
        return Exists(_patient(model).filter(updated_at__gt=OuterRef("review_cutoff")))

    return queryset.annotate(
        # Latest girth (tt10 preferred) and the same site's measurement about 4 weeks earlier.
        girth_date=_latest(girth, "date", *latest_girth),
        girth_site=_latest(girth, "site", *latest_girth),
        girth_left=_latest(girth, "left_cm", *latest_girth),
        girth_right=_latest(girth, "right_cm", *latest_girth),
        girth_earlier_left=_latest(earlier_girth, "left_cm", "-date"),
        girth_earlier_right=_latest(earlier_girth, "right_cm", "-date"),
        girth_lsi=_lsi("girth_left", "girth_right"),
        # Latest heel-rise test.
        heel_date=_latest(heel, "date", "-date", "-id"),
        heel_left=_latest(heel, "reps_left", "-date", "-id"),
        heel_right=_latest(heel, "reps_right", "-date", "-id"),
        heel_lsi=_lsi("heel_left", "heel_right"),
        # Adherence over the last 14 days.
        prescribed_per_week=_latest(active_in_window, "times_per_week", "-times_per_week"),
        sessions_done=Coalesce(Subquery(sessions_done, output_field=IntegerField()), Value(0)),
        adherence=Case(
            When(prescribed_per_week__isnull=True, then=Value(None)),
            default=Round(
                Least(
                    Value(100.0),
                    Cast("sessions_done", FloatField())
                    * Value(100.0)
                    / (Cast("prescribed_per_week", FloatField()) * Value(ADHERENCE_WINDOW_DAYS / 7)),
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
            .filter(date__gte=today - datetime.timedelta(days=SYMPTOM_FLAG_DAYS))
            .filter(symptom_flag)
        ),
        flag_pain=Exists(
            _patient(ExerciseSession)
            .filter(performed_at__date__gt=today - datetime.timedelta(days=PAIN_FLAG_DAYS))
            .filter(Q(pain_after__gt=pain_limit) | Q(entries__pain_during__gt=pain_limit))
        ),
        red_flag_count=_flag_count("flag_swelling", "flag_symptoms", "flag_pain"),
        # Review state of the viewing physio.
        last_review_at=_latest(reviews, "created_at", "-created_at"),
        review_cutoff=Coalesce("last_review_at", Value(_NEVER), output_field=DateTimeField()),
        new_data=Case(
            When(
                changed_since(GirthMeasurement)
                | changed_since(HeelRiseTest)
                | changed_since(ExerciseSession)
                | changed_since(SymptomLog),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- what a caseload row shows, from the annotated values (no queries) ---------------------------


@dataclass(frozen=True)
class GirthChange:
    """The involved calf's change against the measurement about 4 weeks earlier (same site)."""

    cm: float
    real: bool  # beats measurement error (>= 1.0 cm)
    arrow: str  # ↑ / ↓ / →

    @property
    def label(self) -> str:
        return f"{self.arrow} {self.cm:+.1f} cm ({'real' if self.real else 'within error'})"


def girth_symmetry(row) -> metrics.Symmetry | None:
    if row.girth_left is None or row.girth_right is None:
        return None
    return metrics.symmetry(left=row.girth_left, right=row.girth_right, affected_side=row.affected_side)


def heel_rise_symmetry(row) -> metrics.Symmetry | None:
    if row.heel_left is None or row.heel_right is None:
        return None
    return metrics.symmetry(left=row.heel_left, right=row.heel_right, affected_side=row.affected_side)


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


RED_FLAG_LABELS = {
    "flag_swelling": "calf swelling",
    "flag_symptoms": "red-flag symptom",
    "flag_pain": "pain above 5/10",
}


def red_flag_labels(row) -> list[str]:
    return [label for name, label in RED_FLAG_LABELS.items() if getattr(row, name, False)]
