"""Faults survived (issue 20): the production topology under load while its pieces fail, on 127.0.0.1.

    .venv/bin/python bench/faults.py          # about 2 minutes; exit 1 if a fault was not survived

One topology of scripts/topology.py (its own PostgreSQL and Redis, which it stops and starts; two
gunicorn app processes of two workers; one queue consumer sending mail to an SMTP server in this
process, retrying after 1 s, then 2 s, 4 s ...), --users patients logged in, then four faults in turn,
each while the patients keep clicking (bench/clients.py, through the round-robin balancer):

1. kill one app process (SIGKILL, workers and all) mid-load: the other keeps serving; only requests
   in flight at that moment fail (reported to the client), and a write is stored whole or not at all;
2. restart PostgreSQL with a 5-second gap: requests in the gap answer 503 (Retry-After, no 500 page),
   the app recovers without a restart, and no acknowledged write is lost;
3. stop Redis: pages and writes are still served (cache misses; rate limits fail open and the app
   logs it); a job queued before the stop is run once Redis is back, by a consumer started meanwhile;
4. stop the SMTP server: the e-mail is retried and arrives once when the server is back.

After each: rows counted (every acknowledged write stored; no session without its two exercises or
its history row). Prints what was observed per fault, then PASS/FAIL.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.clients import Patient, RoundRobin  # noqa: E402 - after the path: `python bench/faults.py`
from bench.load import django_setup, drive, prepare_users, rows_in_database  # noqa: E402
from scripts.topology import Topology, free_port, wait_until  # noqa: E402

WRITES = {"log session": "sessions", "log measurement": "measurements", "log check-in": "check-ins"}


class Fault:
    """One fault: what was observed, and whether each check held."""

    def __init__(self, name: str):
        self.name, self.notes, self.failures = name, [], []

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  {text}", flush=True)

    def check(self, holds: bool, what: str) -> None:
        if not holds:
            self.failures.append(what)
        print(f"  [{'ok' if holds else 'FAILED'}] {what}", flush=True)


def under_load(patients: list[Patient], seconds: float, events: list[tuple[float, object]]) -> list:
    """Patients click for `seconds`; each (at, action) of `events` runs at `at` s from the start.
    Returns the samples of this phase."""
    for patient in patients:
        patient.samples, patient.created = [], Counter()
    started = time.time()
    threads = [threading.Thread(target=p.run, args=(started + seconds,), daemon=True) for p in patients]
    for thread in threads:
        thread.start()
    for at, action in events:
        time.sleep(max(0.0, started + at - time.time()))
        action()
    for thread in threads:
        thread.join()
    return [s for p in patients for s in p.samples]


def check_rows(fault: Fault, before: dict, patients: list[Patient], samples: list) -> None:
    """Every acknowledged write is stored; at most the failed attempts more; none half-stored."""
    from django.db import connections
    from django.db.models import Count

    from tracker.models import ExerciseSession

    after = rows_in_database()
    acknowledged = sum((p.created for p in patients), Counter())
    failed = Counter(WRITES[s.kind] for s in samples if s.kind in WRITES and not s.ok)
    for name in ("sessions", "measurements", "check-ins"):
        stored = after[name] - before[name]
        fault.check(acknowledged[name] <= stored <= acknowledged[name] + failed[name],
                    f"{name}: {acknowledged[name]} acknowledged, {failed[name]} failed, {stored} stored")
    half = (ExerciseSession.objects.filter(patient__username__startswith="load-")
            .annotate(n=Count("entries")).exclude(n=2).count())
    connections.close_all()
    fault.check(half == 0 and after["session history"] == after["sessions"],
                f"no half-stored session ({half} without their 2 exercises; "
                f"{after['session history']} history rows for {after['sessions']} sessions)")


def statuses(samples: list) -> str:
    counts = Counter(s.status or s.detail for s in samples)
    return ", ".join(f"{key}: {n}" for key, n in sorted(counts.items(), key=str))


def kill_an_app_process(topology: Topology, patients: list[Patient]) -> Fault:
    fault = Fault("kill one app process mid-load")
    before, killed = rows_in_database(), []

    def kill() -> None:
        killed.append(time.time())
        topology.kill_app(0)

    samples = under_load(patients, 10, [(4, kill)])
    at = killed[0]
    failed = [s for s in samples if not s.ok]
    fault.note(f"app process 1 killed (SIGKILL) at 4 s; {len(samples)} requests: {statuses(samples)}")
    fault.check(all(s.started <= at + 0.5 and s.status == 0 for s in failed),
                f"only requests in flight at the kill failed, cut off ({len(failed)}: "
                f"{', '.join(sorted({s.detail for s in failed})) or 'none'})")
    fault.check(sum(s.ok for s in samples if s.started > at + 0.5) > 0,
                "the other app process kept serving after the kill")
    check_rows(fault, before, patients, samples)
    topology.start_app(0)
    fault.note("app process 1 started again for the next faults")
    return fault


def restart_postgres(topology: Topology, patients: list[Patient]) -> Fault:
    fault = Fault("PostgreSQL restarted (5 s gap)")
    before, times = rows_in_database(), {}

    def stop() -> None:
        topology.postgres.stop()
        times["down"] = time.time()

    def start() -> None:
        topology.postgres.start()
        times["up"] = time.time()

    samples = under_load(patients, 18, [(3, stop), (8, start)])
    gap = [s for s in samples if times["down"] - 1 <= s.started <= times["up"]]
    late = [s for s in samples if s.started > times["up"] + 2]
    fault.note(f"down {times['up'] - times['down']:.1f} s; during the gap: {statuses(gap)}")
    fault.check(all(s.ok or (s.status == 503 and s.retry_after == "5") for s in samples),
                "every failed request was a clean 503 with Retry-After: 5 (no 500 page, no cut connection)")
    fault.check(all(s.ok for s in late) and len(late) > 0,
                f"recovered without a restart: {len(late)} requests from 2 s after, all answered")
    check_rows(fault, before, patients, samples)
    return fault


def stop_redis(topology: Topology, patients: list[Patient], smtp, workdir: Path) -> Fault:
    from tracker import tasks

    fault = Fault("Redis stopped")
    topology.stop_consumer()
    tasks.send_email({"to": "queued@example.com", "subject": "Queued before Redis stopped", "text": "-",
                      "html": "", "headers": {}})
    fault.note("consumer stopped, an e-mail job queued in Redis, Redis stopped, the consumer started")
    topology.redis.stop()
    topology.start_consumer()
    before = rows_in_database()
    samples = under_load(patients, 8, [])
    fault.note(f"{len(samples)} requests with Redis down: {statuses(samples)}")
    fault.check(all(s.ok for s in samples), "every page and write was served without the cache")
    logs = "".join(p.read_text(errors="replace") for p in workdir.glob("app*.log"))
    fault.check("rate limits are not enforced" in logs, "the app logged the cache outage (rate limits open)")
    check_rows(fault, before, patients, samples)
    fault.check(topology.consumer.poll() is None, "the consumer kept running while Redis was down")
    topology.redis.start()
    try:
        wait_until(lambda: any(m["To"] == "queued@example.com" for m in smtp.messages), timeout=60,
                   what="the queued e-mail")
        arrived = sum(m["To"] == "queued@example.com" for m in smtp.messages)
    except RuntimeError:
        arrived = 0
    fault.check(arrived == 1, f"Redis back: the job queued before the stop ran ({arrived} e-mail arrived)")
    return fault


def stop_smtp(topology: Topology, smtp, workdir: Path) -> Fault:
    from tracker import tasks

    fault = Fault("SMTP server stopped")
    smtp.stop()
    tasks.send_email({"to": "retried@example.com", "subject": "Sent while the mail server was down",
                      "text": "-", "html": "", "headers": {}})
    log = workdir / "consumer.log"
    try:
        wait_until(lambda: log.read_text(errors="replace").count("Requeueing") >= 2, timeout=30,
                   what="two failed attempts")
        fault.note("two attempts failed and were retried (consumer log)")
    except RuntimeError:
        fault.note("no retry seen in the consumer log within 30 s")
    smtp.start()
    try:
        wait_until(lambda: any(m["To"] == "retried@example.com" for m in smtp.messages), timeout=60,
                   what="the retried e-mail")
        time.sleep(2)  # nothing more arrives
    except RuntimeError:
        pass
    arrived = sum(m["To"] == "retried@example.com" for m in smtp.messages)
    fault.check(arrived == 1, f"server back: the e-mail arrived once ({arrived})")
    return fault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30, help="patients clicking meanwhile (default 30)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests, s (default 1)")
    args = parser.parse_args(argv)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="rehab-faults-") as tmp:
        workdir, smtp_port = Path(tmp), free_port()
        mail = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port), "EMAIL_TIMEOUT": "5", "EMAIL_RETRY_DELAY_SECONDS": "1"}
        topology = Topology(workdir, apps=2, workers=2, extra_env=mail)
        smtp = None
        try:
            topology.manage("migrate", "--noinput", "--verbosity", "0")
            django_setup(topology.env)
            from tests.queue.conftest import SmtpServer  # the queue tests' real SMTP server

            smtp = SmtpServer(smtp_port).start()
            exercises, _ = prepare_users(args.users, 0)
            topology.start(migrate=False)
            balancer = RoundRobin(topology.ports)
            patients = [Patient(balancer, f"load-{n:03d}", args.think, exercises=exercises)
                        for n in range(args.users)]
            drive(patients, ramp_up=args.users / 5, duration=0)
            print(f"{sum('sessionid' in p.cookies for p in patients)}/{args.users} patients logged in; "
                  f"app processes on {topology.ports}", flush=True)
            faults = []
            for name, run in [
                ("kill", lambda: kill_an_app_process(topology, patients)),
                ("postgres", lambda: restart_postgres(topology, patients)),
                ("redis", lambda: stop_redis(topology, patients, smtp, workdir)),
                ("smtp", lambda: stop_smtp(topology, smtp, workdir)),
            ]:
                print(f"\n== fault: {name}", flush=True)
                faults.append(run())
        finally:
            if smtp is not None:
                smtp.stop()
            topology.stop()

    print(f"\nFaults ({time.time() - started:.0f} s in all):")
    for fault in faults:
        print(f"- {fault.name}: {'PASS' if not fault.failures else 'FAIL: ' + '; '.join(fault.failures)}")
    return 1 if any(fault.failures for fault in faults) else 0


if __name__ == "__main__":
    sys.exit(main())
