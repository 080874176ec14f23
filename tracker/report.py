"""The printable progress report (A4 PDF) a patient takes to an appointment.

A physio can download the same report from the admin for an assigned patient: ``build_report`` takes
the patient, not a request. Every number comes from the selectors and chart data the dashboard uses,
so the report, the dashboard and the charts always agree. User text (names, condition, notes,
exercise names) is escaped before it goes into reportlab's Paragraph markup.
"""

import datetime
import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from tracker import metrics
from tracker.charts import data as chart_data
from tracker.charts import figures as charts
from tracker.charts import questionnaires as questionnaire_charts
from tracker.formatting import (
    day,
    girth,
    girth_comparison,
    girth_goal,
    percent,
    sessions_count,
    sessions_done,
    signed_girth,
    site_name,
)
from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.pdf import (
    FRAME_WIDTH,
    MARGIN,
    STYLES,
    NumberedCanvas,
    footer,
    para,
    red_flags_box,
    table,
    text,
)
from tracker.selectors import questionnaires as questionnaire_selectors
from tracker.selectors import series
from tracker.selectors.summary import progress_summary

TITLE = "Calf rehab progress report"
FOOTER = "Self-monitoring record; not a diagnosis."
REPORT_CHARTS = ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence")
GIRTH_WITHIN_ERROR = f"within measurement error (under {metrics.GIRTH_ERROR_CM:g} cm)"
HEEL_RISE_WITHIN_ERROR = f"within test error (under {metrics.HEEL_RISE_ERROR_REPS})"
NOTHING_YET = (
    "There is nothing to report yet. Log your calf measurements, a heel-rise test, your exercise "
    "sessions or a daily check-in, then download this report again."
)

CHART_WIDTH = 130 * mm  # 91% of the wide chart (5.6 in): its smallest text prints at about 9.6 pt
_text, _para, _table = text, para, table


def _real(is_real: bool, error_text: str) -> str:
    return "a real change" if is_real else error_text


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _involved(symmetry, affected_side: str) -> str:
    """The compared leg, e.g. "Left (involved)"; for both or an unknown side it is the smaller one."""
    role = "involved" if affected_side in ("left", "right") else "smaller"
    return f"{symmetry.involved_side.title()} ({role})"


# --- content -------------------------------------------------------------------------------------


def _period(options: chart_data.ChartOptions, today: datetime.date) -> str:
    label = series.RANGES[options.range_key][0]
    start = series.range_start(options.range_key, today)
    if start is None:
        return f"All records up to {day(today)}"
    return f"Last {label}: {day(start)} to {day(today)}"


def _has_data(patient: User) -> bool:
    return any(
        model.objects.for_patient(patient).exists()
        for model in (GirthMeasurement, HeelRiseTest, ExerciseSession, SymptomLog, Prescription)
    )


def _girth_rows(headline, unit: str, affected_side: str) -> list[tuple[str, str, str]]:
    if headline is None:
        return [("Calf girth", "—", "No measurements yet.")]
    sym = headline.symmetry
    involved = f"{_involved(sym, affected_side)} calf"
    rows = [
        (
            "Calf girth",
            girth_comparison(sym, unit),
            f"{headline.asymmetry_label}; {girth_goal(headline.goal_reached, unit)}. "
            f"{site_name(headline.site)}, {day(headline.date)}: left {girth(headline.left_cm, unit)}, "
            f"right {girth(headline.right_cm, unit)}. Girth LSI {percent(sym.lsi)}, for information "
            "only: girth is judged in centimetres.",
        )
    ]
    if headline.involved_change_cm is not None:
        rows.append((
            f"{involved} since the first measurement",
            signed_girth(headline.involved_change_cm, unit),
            f"Since {day(headline.first_date)}: "
            f"{_real(headline.involved_change_real, 'within measurement error')}; "
            f"LSI {percent(headline.first_lsi)} to {percent(sym.lsi)}.",
        ))
    if headline.recent_change_cm is not None:
        rows.append((
            f"{involved}, last {metrics.CHANGE_WINDOW_WEEKS} weeks",
            signed_girth(headline.recent_change_cm, unit),
            f"Since {day(headline.recent_date)}: "
            f"{_real(headline.recent_change_real, GIRTH_WITHIN_ERROR)}.",
        ))
    return rows


def _heel_rise_rows(headline, affected_side: str, sex: str) -> list[tuple[str, str, str]]:
    if headline is None:
        return [("Heel-rise symmetry (LSI)", "—", "No heel-rise tests yet.")]
    sym = headline.symmetry
    status = "reached" if headline.target_reached else "not reached yet"
    rows = [(
        "Heel-rise symmetry (LSI)",
        percent(sym.lsi),
        f"Target {headline.target_lsi:g}%: {status}. {day(headline.date)}: left {headline.left}, "
        f"right {headline.right} rises ({metrics.heel_rise_norm_words(sex)}).",
    )]
    if headline.involved_change is not None:
        rows.append((
            f"{_involved(sym, affected_side)} heel rises since the first test",
            f"{headline.involved_change:+d}",
            f"{_capfirst(_real(headline.involved_change_real, HEEL_RISE_WITHIN_ERROR))}; "
            f"LSI {percent(headline.first_lsi)} to {percent(sym.lsi)}.",
        ))
    previous = headline.previous
    if previous is not None:
        label = f"{_involved(sym, affected_side)} heel rises since the previous test ({day(previous.date)})"
        if previous.same_surface:
            rows.append((
                label,
                f"{previous.involved_change:+d}",
                f"{_capfirst(_real(previous.involved_change_real, HEEL_RISE_WITHIN_ERROR))}; "
                f"LSI {percent(previous.lsi)} to {percent(sym.lsi)}.",
            ))
        else:
            rows.append((label, "—", "On another surface: the two tests cannot be compared."))
    return rows


def _programme_rows(adherence, week, *, paused: bool) -> list[tuple[str, str, str]]:
    days = metrics.ADHERENCE_WINDOW_DAYS
    if adherence.percent is None:
        adherence_row = (f"Adherence, last {days} days", "—", "No sessions expected.")
    else:
        adherence_row = (
            f"Adherence, last {days} days",
            f"{adherence.percent:.0f}%",
            f"{sessions_done(adherence)}.",
        )
    if week.expected and paused:
        sessions, detail = str(week.done), f"Monday to Sunday. {metrics.PROGRAMME_PAUSED_NOTE}"
    elif week.expected:
        sessions = sessions_count(week.done, week.expected)
        detail = "So far (the week runs Monday to Sunday)." if week.so_far else "Monday to Sunday."
        if week.done > week.expected:
            detail = f"More than the {week.expected} expected. {detail}"
    else:
        sessions, detail = str(week.done), "No sessions expected this week."
    return [adherence_row, ("Sessions this week", sessions, detail)]


def _pain_rows(pain, *, paused: bool) -> list[tuple[str, str, str]]:
    if pain.date is None:
        return [("Latest pain after a session", "—", "No sessions logged yet.")]
    after = "—" if pain.latest_after is None else f"{pain.latest_after}/10"
    detail = f"After the session on {day(pain.date)}"
    if pain.latest_morning is not None:
        detail += f"; {pain.latest_morning}/10 the next morning"
    rows = [("Latest pain after a session", after, detail + ".")]
    if pain.breaches:
        rows.append(("Pain-monitoring rules", "Not kept", metrics.pain_advice(pain.breaches, paused=paused)))
    else:
        rows.append(("Pain-monitoring rules", "Kept" if pain.recent_sessions else "—", pain.kept_text))
    return rows


def _section(title: str, blocks: list[list], *, split_below: float | None = None) -> list:
    """A heading and its blocks: each block stays on one page, and the heading with the first one.

    With `split_below`, a block that does not fit is split across pages when at least that much
    room is left, instead of leaving the room empty (for long notes).
    """
    heading = Paragraph(_text(title), STYLES["h2"])
    if not blocks:
        return [heading]
    first, *rest = blocks
    return [
        KeepTogether([heading, *first], maxHeight=split_below),
        *(KeepTogether(block, maxHeight=split_below) for block in rest),
    ]


def _chart(data: chart_data.ChartData) -> list:
    """The chart as a PNG with its title and summary underneath; words only below two data points."""
    summary = data.summary
    if len(data.rows) == 1:
        summary += f" {charts.NOT_ENOUGH_DATA}"
    caption = Paragraph(f"<b>{_text(data.title)}.</b> {_text(summary)}", STYLES["caption"])
    if len(data.rows) < 2:
        return [caption]
    png = data.render("png")
    pixel_width, pixel_height = ImageReader(io.BytesIO(png)).getSize()
    image = Image(io.BytesIO(png), width=CHART_WIDTH, height=CHART_WIDTH * pixel_height / pixel_width)
    image.hAlign = "LEFT"
    return [image, caption]


def _prescriptions(patient: User, today: datetime.date) -> list:
    active = list(
        Prescription.objects.for_patient(patient).active_on(today).select_related("exercise")
    )
    if not active:
        return [_para("No active exercise programme.")]
    rows = [("Exercise", "Side", "Dosage", "Per week", "Since")]
    rows += [
        (p.exercise.name, p.get_side_display(), p.dosage_text(), f"{p.times_per_week}×", day(p.start_date))
        for p in active
    ]
    return [_table(rows, [66 * mm, 18 * mm, 38 * mm, 22 * mm, 30 * mm])]


def _notes(patient: User, start: datetime.date | None) -> list:
    # Only notes the physio chose to share: private notes never leave the admin.
    notes = PhysioNote.objects.filter(patient=patient, visible_to_patient=True).select_related("author")
    if start is not None:
        notes = notes.filter(created_at__date__gte=start)
    blocks = []
    for note in notes.order_by("-created_at"):
        author = note.author.display_name() if note.author else "Your physiotherapist"
        heading = f"{day(timezone.localtime(note.created_at).date())}, {author}"
        blocks.append([_para(heading, "bold"), _para(note.text), Spacer(1, 3 * mm)])
    blocks = blocks or [[_para("No notes from your physiotherapist in this period.")]]
    return _section("Notes from your physiotherapist", blocks, split_below=40 * mm)


def _questionnaires(patient: User) -> list:
    """Each questionnaire she filled in: its chart (from the second score) and its scores as a table."""
    blocks = []
    for summary in questionnaire_selectors.summaries(patient):
        chart = questionnaire_charts.build(patient, summary.definition.code, summary)
        table = _table([chart.columns, *chart.rows], [28 * mm, 24 * mm, FRAME_WIDTH - 52 * mm])
        blocks.append([*_chart(chart), table])
    return _section("Questionnaires", blocks) if blocks else []


def _story(patient: User, options: chart_data.ChartOptions, today: datetime.date) -> list:
    profile = patient.profile
    unit = profile.unit
    summary = progress_summary(patient, site=options.site, today=today)
    if summary.site is not None:
        options = chart_data.ChartOptions(range_key=options.range_key, site=summary.site)
    start = series.range_start(options.range_key, today)

    physio = profile.physio.display_name() if profile.physio else "None assigned"
    details = [
        ("Patient", patient.display_name()),
        ("Condition", profile.condition or "Not recorded"),
        ("Affected side", profile.get_affected_side_display()),
        ("Physiotherapist", physio),
        ("Report period", _period(options, today)),
        ("Generated", day(today)),
        ("Girth unit", "inches (in)" if unit == "in" else "centimetres (cm)"),
    ]
    story = [
        Paragraph(TITLE, STYLES["title"]),
        _table(details, [38 * mm, FRAME_WIDTH - 38 * mm], header=False),
    ]

    if summary.red_flags:
        story += [Spacer(1, 5 * mm), red_flags_box(summary.red_flags)]

    if not _has_data(patient):
        story += _section("Nothing to report yet", [[_para(NOTHING_YET)]])
        return story + _questionnaires(patient) + _notes(patient, start)

    paused = metrics.pauses_exercise(summary.red_flags)
    rows = [
        ("Measure", "Now", "Details"),
        *_girth_rows(summary.girth, unit, profile.affected_side),
        *_heel_rise_rows(summary.heel_rise, profile.affected_side, profile.sex),
        *_programme_rows(summary.adherence, summary.this_week, paused=paused),
        *_pain_rows(summary.pain, paused=paused),
    ]
    story += [
        Paragraph("Headline numbers", STYLES["h2"]),
        _table(rows, [54 * mm, 32 * mm, FRAME_WIDTH - 86 * mm], value_column=1),
    ]
    charts = [_chart(chart_data.build(name, patient, profile, options, today)) for name in REPORT_CHARTS]
    programme = [*_prescriptions(patient, today)]
    return (
        story
        + _section("Progress charts", charts)
        + _section("Exercise programme", [programme])
        + _questionnaires(patient)
        + _notes(patient, start)
    )


def build_report(patient: User, *, options: chart_data.ChartOptions, today: datetime.date) -> bytes:
    """The progress report of `patient` (a user with a profile) as PDF bytes, A4 portrait.

    Callers check access; this only ever reads `patient`'s own rows.
    """
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=TITLE,
        author="Calf Rehab Tracker",
        subject=f"{patient.display_name()}, {day(today)}",
    )
    doc.footer_text = FOOTER
    doc.patient_label = f"{patient.display_name()}, generated {day(today)}."
    doc.build(_story(patient, options, today), onFirstPage=footer, onLaterPages=footer,
              canvasmaker=NumberedCanvas)
    return buffer.getvalue()
