"""The triage rules: each turns the caseload rows into reasons, in a fixed number of queries.

Every verdict comes from an existing rule: the red flags and the worsening-atrophy flag from
`tracker.metrics` through the caseload annotations and `selectors.summary`; the pain-monitoring
breaches from `metrics.pain_monitoring_breaches`; the heel-rise decline from
`metrics.heel_rise_decline`; the questionnaires from `selectors.questionnaires.triage_reasons`
(overdue, or worse by the MCID); "quiet" from `metrics.days_without_log`; new data from the caseload.
A rule only adds the words and the dates. Add a rule to RULES to add a reason everywhere.
"""

import datetime
from collections import defaultdict

from django.db.models import DateTimeField, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from tracker import metrics
from tracker.models import (
    RED_FLAG_SYMPTOMS,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    QuestionnaireResponse,
    SymptomLog,
    User,
)
from tracker.selectors import caseload
from tracker.selectors import flags as flag_selectors
from tracker.selectors import questionnaires as questionnaire_selectors
from tracker.selectors.common import day_start
from tracker.selectors.messages import unanswered_messages_of, unread_messages_of
from tracker.triage.reasons import Context, Level, Reason, Rule, day, on_day

EXCERPT_LENGTH = 90


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _rows_by_patient(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


# --- urgent: red flags -----------------------------------------------------------------------------


def _swelling_words(finding: flag_selectors.SwellingFinding) -> str:
    site, _day, left, right = finding.row[:4]
    if finding.flag.code == "swelling_asymmetry":
        larger, other = ("left", "right") if left >= right else ("right", "left")
        excess = abs(float(left) - float(right))
        return f"{larger} calf {excess:.1f} cm larger than the {other} ({site})"
    previous_day, previous_left, previous_right = finding.previous[1:4]
    grown = {"left": float(left) - float(previous_left), "right": float(right) - float(previous_right)}
    side = max(grown, key=grown.get)
    days = (finding.row[1] - previous_day).days
    return f"{side} calf grew {grown[side]:.1f} cm in {days} day{'s' if days != 1 else ''} ({site})"


def red_flags(context: Context) -> list[Reason]:
    """Swelling (Wells) and red-flag symptoms, for the rows the caseload flags (two queries)."""
    today = context.today
    reasons = []
    swelling = {row.user_id: row for row in context.rows if row.flag_swelling}
    girth = _rows_by_patient(
        GirthMeasurement.objects.filter(patient_id__in=swelling)
        .filter(date__gte=flag_selectors.swelling_window_start(today))
        .order_by("patient_id", "site", "-date")
        .values_list("patient_id", "site", "date", "left_cm", "right_cm", "updated_at")
    ) if swelling else {}
    for patient_id, row in swelling.items():
        findings = flag_selectors.swelling_findings(
            girth[patient_id], affected_side=row.affected_side, today=today
        )
        newest = {}
        for finding in findings:  # one reason per kind of swelling flag, as the summary lists them
            if finding.flag.code not in newest or finding.row[1] > newest[finding.flag.code].row[1]:
                newest[finding.flag.code] = finding
        for finding in newest.values():
            reasons.append(Reason(
                patient_id=patient_id, code=finding.flag.code, level=Level.URGENT,
                words=f"urgent: {_swelling_words(finding)} ({day(finding.row[1], today)})",
                date=finding.row[1], since=finding.row[4],
            ))

    flagged = [row.user_id for row in context.rows if row.flag_symptoms]
    ticked = Q()
    for name, _code in RED_FLAG_SYMPTOMS:
        ticked |= Q(**{name: True})
    checkins = SymptomLog.objects.filter(
        patient_id__in=flagged, date__gte=today - datetime.timedelta(days=metrics.SYMPTOM_FLAG_DAYS)
    ).filter(ticked) if flagged else []
    for log in checkins:
        flags = metrics.symptom_flags(log.red_flag_codes())
        labels = "; ".join(metrics.SYMPTOM_RED_FLAGS[flag.code].lower() for flag in flags)
        reasons.append(Reason(
            patient_id=log.patient_id, code="red_flag_symptom", level=Level.URGENT,
            words=f"urgent: ticked “{labels}” ({day(log.date, today)})",
            date=log.date, since=log.updated_at,
        ))

    # The caseload's SQL and these details follow the same rules (parity tests); should they ever
    # disagree, the flag still shows.
    explained = {reason.patient_id for reason in reasons}
    for row in context.rows:
        if (row.flag_swelling or row.flag_symptoms) and row.user_id not in explained:
            reasons.append(Reason(
                patient_id=row.user_id, code="red_flag", level=Level.URGENT,
                words="urgent: a red flag is open (see her review)", date=today, since=day_start(today),
            ))
    return reasons


# --- soon: pain rules, worse function or girth, messages ------------------------------------------------


def pain_rules(context: Context) -> list[Reason]:
    """The pain-monitoring rules broken in the last PAIN_REVIEW_DAYS days (two queries): pain during
    or after a session above the limit, pain not settled by the next morning after the latest
    session, the weekly mean pain at rest rising."""
    today = context.today
    week_ago = today - datetime.timedelta(days=metrics.PAIN_REVIEW_DAYS)
    sessions = (
        ExerciseSession.objects.filter(
            patient_id__in=context.ids, performed_at__gte=day_start(week_ago + datetime.timedelta(days=1))
        )
        .annotate(during=Max("entries__pain_during"))
        .order_by("patient_id", "-performed_at", "-id")
        .values_list("patient_id", "performed_at", "pain_before", "pain_after", "during", "updated_at")
    )
    checkins = (
        SymptomLog.objects.filter(
            patient_id__in=context.ids, date__gt=today - datetime.timedelta(days=2 * metrics.PAIN_REVIEW_DAYS)
        )
        .order_by("patient_id", "date")
        .values_list("patient_id", "date", "pain_at_rest", "pain_next_morning", "updated_at")
    )
    logs = _rows_by_patient(checkins)
    reasons = []
    for patient_id, rows in _rows_by_patient(sessions).items():
        newest_breach = {}
        for performed_at, _before, after, during, updated_at in rows:  # newest first
            for flag in metrics.pain_monitoring_breaches(pain_during_max=during, pain_after=after):
                value = during if flag.code == "pain_during" else after
                newest_breach.setdefault(flag.code, (performed_at, value, updated_at))
        for code, (performed_at, value, updated_at) in newest_breach.items():
            what = "during" if code == "pain_during" else "after"
            reasons.append(Reason(
                patient_id=patient_id, code=code, level=Level.SOON,
                words=f"pain {what} exercise {value}/10 ({day(_local_date(performed_at), today)})",
                date=_local_date(performed_at), since=updated_at,
            ))
        performed_at, before = rows[0][0], rows[0][1]
        morning_of = _local_date(performed_at) + datetime.timedelta(days=1)
        morning = next((log for log in logs.get(patient_id, []) if log[0] == morning_of), None)
        if morning is not None and morning[2] is not None:
            if metrics.pain_monitoring_breaches(pain_before=before, next_morning_pain=morning[2]):
                reasons.append(Reason(
                    patient_id=patient_id, code="not_settled", level=Level.SOON,
                    words=f"pain not settled by the next morning: {morning[2]}/10 "
                          f"({day(morning_of, today)})",
                    date=morning_of, since=morning[3],
                ))
    for patient_id, rows in logs.items():
        previous = [rest for date, rest, _m, _u in rows if date <= week_ago and rest is not None]
        current = [
            (date, rest, updated) for date, rest, _m, updated in rows if date > week_ago and rest is not None
        ]
        if not previous or not current:
            continue
        means = (sum(previous) / len(previous), sum(rest for _d, rest, _u in current) / len(current))
        if metrics.pain_monitoring_breaches(weekly_mean_pain=means):
            latest = max(current)
            reasons.append(Reason(
                patient_id=patient_id, code="weekly_rise", level=Level.SOON,
                words=f"average pain at rest up from {means[0]:.1f} to {means[1]:.1f} in "
                      f"{metrics.LAST_WEEK} ({day(latest[0], today)})",
                date=latest[0], since=max(updated for _d, _r, updated in current),
            ))
    return reasons


def worsening_atrophy(context: Context) -> list[Reason]:
    """The caseload's worsening-atrophy flag (summary.worsening_atrophy's rule; two queries)."""
    reasons = []
    flags = caseload.worsening_flags(context.rows, today=context.today)
    for row in context.rows:
        if row.user_id not in flags:
            continue
        now = caseload.girth_symmetry(row)
        then = metrics.symmetry(left=row.girth_then_left, right=row.girth_then_right,
                                affected_side=row.affected_side)
        reasons.append(Reason(
            patient_id=row.user_id, code="worsening_atrophy", level=Level.SOON,
            words=f"atrophy worse despite the exercises: {now.involved_side} calf "
                  f"{abs(now.difference):.1f} cm smaller, {abs(then.difference):.1f} cm on "
                  f"{day(row.girth_then_date, context.today)} ({day(row.girth_date, context.today)})",
            date=row.girth_date, since=day_start(row.girth_date),
        ))
    return reasons


def heel_rise_decline(context: Context) -> list[Reason]:
    """Heel-rise LSI down against the latest test at least HEEL_RISE_DECLINE_WEEKS old, beyond the
    test's error (metrics.heel_rise_decline; one query)."""
    today = context.today
    cutoff = today - datetime.timedelta(weeks=metrics.HEEL_RISE_DECLINE_WEEKS)
    tested = {row.user_id: row for row in context.rows if row.heel_date and row.heel_date > cutoff}
    newer = HeelRiseTest.objects.filter(patient=OuterRef("patient"), date__lte=cutoff).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    earlier = (
        HeelRiseTest.objects.filter(patient_id__in=tested, date__lte=cutoff)
        .filter(~Exists(newer))
        .values_list("patient_id", "date", "reps_left", "reps_right")
    ) if tested else []
    reasons = []
    for patient_id, then_date, then_left, then_right in earlier:
        row = tested[patient_id]
        decline = metrics.heel_rise_decline(
            then=(then_left, then_right), now=(row.heel_left, row.heel_right), affected_side=row.affected_side
        )
        if decline is None:
            continue
        weeks = max(1, round((row.heel_date - then_date).days / 7))
        in_weeks = f"{weeks} week{'' if weeks == 1 else 's'}"
        reasons.append(Reason(
            patient_id=patient_id, code="heel_rise_decline", level=Level.SOON,
            words=f"heel-rise LSI down {decline.points:.0f} points in {in_weeks} "
                  f"({decline.lsi_then:.0f}% → {decline.lsi_now:.0f}%; {decline.involved_side} "
                  f"{decline.reps_then} → {decline.reps_now} rises) ({day(row.heel_date, today)})",
            date=row.heel_date, since=day_start(row.heel_date),
        ))
    return reasons


def _first_names(context: Context) -> dict[int, str]:
    return {row.user_id: row.user.first_name or row.user.display_name() for row in context.rows}


def _quoted(message, today: datetime.date) -> str:
    """“Can I run on Saturday?” (today, 09:12): the start of her message and when she sent it."""
    text = " ".join(message.text.split())
    excerpt = text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"
    when = timezone.localtime(message.created_at)
    return f"“{excerpt}” ({day(when.date(), today)}, {when:%H:%M})"


def unread_messages(context: Context) -> list[Reason]:
    """Messages from the patient that her physio has not read yet (one query)."""
    reasons = []
    names = _first_names(context)
    for patient_id, messages in unread_messages_of(context.ids).items():
        latest = messages[-1]
        count = f"{len(messages)} new messages" if len(messages) > 1 else "new message"
        reasons.append(Reason(
            patient_id=patient_id, code="unread_message", level=Level.SOON,
            words=f"{count} from {names[patient_id]}: {_quoted(latest, context.today)}",
            date=_local_date(latest.created_at), since=latest.created_at,
        ))
    return reasons


def unanswered_messages(context: Context) -> list[Reason]:
    """Her latest message, read but with no note shared since (one query): opened on the review page
    and left, it would otherwise drop off the list. "Seen" on her card puts it away."""
    names = _first_names(context)
    return [
        Reason(
            patient_id=patient_id, code="unanswered_message", level=Level.ROUTINE,
            words=f"no reply yet to {names[patient_id]}'s message: {_quoted(message, context.today)}",
            date=_local_date(message.created_at), since=message.created_at,
        )
        for patient_id, message in unanswered_messages_of(context.ids).items()
    ]


def questionnaires(context: Context) -> list[Reason]:
    """A score worse by at least the instrument's MCID (soon) or a questionnaire overdue by
    QUESTIONNAIRE_OVERDUE_DAYS (routine); the rules are the questionnaire selector's (4 queries)."""
    reasons = []
    found = questionnaire_selectors.triage_reasons(context.ids, context.today)
    dates = dict(
        QuestionnaireResponse.objects.filter(
            pk__in=[r.response_id for found_ in found.values() for r in found_ if r.response_id]
        ).values_list("pk", "submitted_at")
    )
    for patient_id, found_reasons in found.items():
        for reason in found_reasons:
            if reason.code == "questionnaire_worse":
                submitted = dates[reason.response_id]
                reasons.append(Reason(
                    patient_id=patient_id, code=reason.code, level=Level.SOON,
                    words=f"{reason.instrument} worse: {reason.score_from} → {reason.score_to} since the "
                          f"{reason.compared_with} (MCID {reason.mcid}; "
                          f"{day(_local_date(submitted), context.today)})",
                    date=_local_date(submitted), since=submitted,
                ))
            else:
                reasons.append(Reason(
                    patient_id=patient_id, code=reason.code, level=Level.ROUTINE,
                    words=f"{reason.instrument} not filled in, due {day(reason.due_date, context.today)} "
                          f"({reason.days_overdue} days ago)",
                    date=reason.due_date, since=day_start(reason.due_date),
                ))
    return reasons


# --- routine: quiet, new data ---------------------------------------------------------------------------


def not_logged(context: Context) -> list[Reason]:
    """Nothing logged for NOT_LOGGED_DAYS days or more, or never (as the caseload's filter)."""
    reasons = []
    for row in context.rows:
        if row.last_activity is None:
            joined = row.user.date_joined
            reasons.append(Reason(
                patient_id=row.user_id, code="not_logged", level=Level.ROUTINE,
                words=f"nothing logged yet (joined {day(_local_date(joined), context.today)})",
                date=_local_date(joined), since=joined,
            ))
            continue
        days = metrics.days_without_log(row.last_activity, context.today)
        if days is not None:
            quiet_from = row.last_activity + datetime.timedelta(days=metrics.NOT_LOGGED_DAYS)
            reasons.append(Reason(
                patient_id=row.user_id, code="not_logged", level=Level.ROUTINE,
                words=f"no log for {days} days (last {on_day(row.last_activity, context.today)})",
                date=row.last_activity, since=day_start(quiet_from),
            ))
    return reasons


def new_data(context: Context) -> list[Reason]:
    """Records created or changed since her own latest review (the caseload's rule; one query)."""
    changed = {row.user_id: row for row in context.rows if row.new_data}
    if not changed:
        return []

    def latest(model):
        rows = model.objects.filter(patient=OuterRef("pk")).order_by().values("patient")
        return Subquery(rows.annotate(last=Max("updated_at")).values("last"), output_field=DateTimeField())

    submitted = (
        QuestionnaireResponse.objects.filter(patient=OuterRef("pk")).order_by().values("patient")
        .annotate(last=Max("submitted_at")).values("last")
    )
    moments = User.objects.filter(pk__in=changed).annotate(
        girth=latest(GirthMeasurement), heel=latest(HeelRiseTest),
        sessions=latest(ExerciseSession), checkins=latest(SymptomLog),
        questionnaires=Subquery(submitted, output_field=DateTimeField()),
    ).values_list("pk", "girth", "heel", "sessions", "checkins", "questionnaires")
    reasons = []
    for patient_id, *stamps in moments:
        row = changed[patient_id]
        since = max(stamp for stamp in stamps if stamp is not None)
        if row.last_review_at is None:
            words = "new data, not reviewed by you yet"
        else:
            words = f"new data since your review {on_day(_local_date(row.last_review_at), context.today)}"
        reasons.append(Reason(
            patient_id=patient_id, code="new_data", level=Level.ROUTINE, words=words,
            date=_local_date(since), since=since,
        ))
    return reasons


# Every reason the triage knows, in no particular order (each reason carries its level).
RULES: tuple[Rule, ...] = (
    red_flags,
    pain_rules,
    worsening_atrophy,
    heel_rise_decline,
    unread_messages,
    unanswered_messages,
    questionnaires,
    not_logged,
    new_data,
)
