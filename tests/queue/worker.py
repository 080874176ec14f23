"""The worker side of the queue tests: runs in a subprocess against the scratch database and the
queue the consumer reads. `python -m tests.queue.worker COMMAND ARGS [then COMMAND ARGS ...]`; it
prints one JSON line.

- setup COUNT ZONE HH:MM: a physio (priya) and COUNT patients (p0, p1, ...) with reminders on, every
  day at HH:MM in ZONE (and no other reminder kind), assigned to her; her daily digest is off (so
  that a run at 07:30 does not claim one more);
- patient USERNAME: one more patient of hers, with no reminders;
- pass: one pass of the reminder engine now, deliveries queued (what the periodic task does);
- flag USERNAME: she saves a check-in with a red-flag symptom (the alert is queued on commit);
- race BARRIER RACERS MOMENT: one pass at MOMENT (ISO), sending in-process, claiming only once all
  RACERS have planned theirs (each touches a file in the folder BARRIER);
- status: every SentReminder.
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path


def setup(count: str, zone: str, at: str) -> dict:
    from django.contrib.auth.models import Group

    from tracker.models import PHYSIO_GROUP, AlertSettings, ReminderSettings, User
    from tracker.services.accounts import create_patient

    physio = User.objects.create_user("priya", email="priya@clinic.example", password=None, is_staff=True)
    physio.groups.add(Group.objects.get(name=PHYSIO_GROUP))
    AlertSettings.objects.create(user=physio, daily_digest=False)
    hour, minute = (int(part) for part in at.split(":"))
    for number in range(int(count)):
        patient = create_patient(
            username=f"p{number}",
            password=None,
            email=f"p{number}@example.com",
            physio=physio,
            time_zone=zone,
        )
        ReminderSettings.objects.create(
            user=patient,
            enabled=True,
            remind_at=datetime.time(hour, minute),
            session_days=127,
            measurement=False,
            heel_rise=False,
        )
    return {"patients": int(count)}


def patient(username: str) -> dict:
    from tracker.models import User
    from tracker.services.accounts import create_patient

    physio = User.objects.get(username="priya")
    create_patient(username=username, password=None, email=f"{username}@example.com", physio=physio)
    return {"patient": username}


def one_pass() -> dict:
    from django.utils import timezone

    from tracker import tasks
    from tracker.services import reminders

    result = reminders.run_pass(timezone.now(), dispatch=tasks.deliver_reminder)
    return {"claimed": len(result.claimed)}


def flag(username: str) -> dict:
    from django.utils import timezone

    from tracker.models import SymptomLog, User

    patient = User.objects.get(username=username)
    SymptomLog.objects.create(
        patient=patient, date=timezone.localdate(timezone=patient.zone()), flag_tear_pop=True
    )
    return {"flagged": username}


def race(barrier: str, racers: str, moment: str) -> dict:
    """A pass, as run_pass does it, with every racer's plan made before anyone claims."""
    from tracker.services import reminders

    at = datetime.datetime.fromisoformat(moment)
    due = reminders.plan(at)
    folder = Path(barrier)
    (folder / f"ready-{os.getpid()}").touch()
    deadline = time.time() + 60
    while len(list(folder.glob("ready-*"))) < int(racers) and time.time() < deadline:
        time.sleep(0.01)
    claimed = [row for row in map(reminders.claim, due) if row is not None]
    outcomes = [reminders.deliver(row.pk, at=at).status for row in claimed]
    return {"due": len(due), "claimed": len(claimed), "outcomes": outcomes}


def status() -> dict:
    from tracker.models import SentReminder

    rows = SentReminder.objects.order_by("pk").values(
        "kind", "user__username", "status", "attempts", "last_error"
    )
    return {"reminders": list(rows)}


COMMANDS = {
    "setup": setup, "patient": patient, "pass": one_pass, "flag": flag, "race": race, "status": status,
}


def main(argv: list[str]) -> int:
    """Run one command, or several joined by "then" (one Django start-up for all)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
    import django

    django.setup()
    results = {}
    words = list(argv)
    while words:
        command, words = words[0], words[1:]
        args = words[: words.index("then")] if "then" in words else words
        words = words[len(args) + 1 :]
        results.update(COMMANDS[command](*args))
    print(json.dumps(results, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
