"""Everything the patient's dashboard shows, in a fixed number of queries."""

import datetime

from django.db.models import Max
from django.utils import timezone

from tracker import chart_data
from tracker.models import ExerciseSession, Prescription, User
from tracker.selectors import progress


def sessions_this_week(user: User, today: datetime.date) -> dict:
    monday = today - datetime.timedelta(days=today.weekday())
    sessions = ExerciseSession.objects.for_patient(user)
    done = sessions.filter(performed_at__gte=progress.day_start(monday)).count()
    prescribed = (
        Prescription.objects.for_patient(user).active_on(today).aggregate(n=Max("times_per_week"))["n"]
    )
    return {"done": done, "prescribed": prescribed}


def dashboard_summary(user: User, options: chart_data.ChartOptions) -> dict:
    profile = user.profile
    today = timezone.localdate()
    sites = progress.measured_sites(user)
    if options.site not in sites and sites:
        options = chart_data.ChartOptions(range_key=options.range_key, site=sites[0])
    pain = progress.pain_headline(user, today=today)
    return {
        "profile": profile,
        "options": options,
        "measured_sites": sites,
        "red_flags": progress.active_red_flags(user, affected_side=profile.affected_side, today=today),
        "pain": pain,
        "unread_notes": list(progress.unread_notes(user)),
        "girth": progress.girth_headline(
            user,
            site=options.site,
            affected_side=profile.affected_side,
            target_lsi=float(profile.target_lsi),
            today=today,
        ),
        "heel_rise": progress.heel_rise_headline(user, affected_side=profile.affected_side, sex=profile.sex),
        "week": sessions_this_week(user, today),
        "adherence": progress.adherence(user, start=today - datetime.timedelta(days=13), end=today),
        "charts": [chart_data.build(name, user, profile, options, today) for name in chart_data.CHART_NAMES],
        "ranges": [(key, label) for key, (label, _) in progress.RANGES.items()],
    }
