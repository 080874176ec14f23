"""Real consumers, a real SMTP server, a real database file (or PostgreSQL), and the queue on SQLite or
Redis: reminders and urgent alerts arrive with the right headers, an SMTP outage loses nothing, and
two passes at once send each reminder once."""

import datetime
import time

import pytest

from tests.queue.conftest import (
    consumer,
    daytime_zone,
    reminder_rows,
    result_of,
    start_worker,
    wait_for,
    worker,
)

pytestmark = pytest.mark.queue


def test_a_reminder_and_an_urgent_alert_arrive_over_smtp_with_their_headers(
    env, database_url, smtp, tmp_path
):
    smtp.start()
    zone, at = daytime_zone()
    with consumer(env, tmp_path / "consumer.log"):
        # The reminder pass queues her reminder; then another patient saves a red flag, which queues
        # the alert. (Not she: a warning sign of hers would stop her session reminder.)
        done = worker(
            env, "setup", "1", zone, at, "then", "patient", "p9", "then", "pass", "then", "flag", "p9"
        )
        assert done["claimed"] == 1
        wait_for(lambda: len(smtp.messages) >= 2, timeout=60, what="two e-mails")

    by_recipient = {message["To"]: message for message in smtp.messages}
    assert set(by_recipient) == {"p0@example.com", "priya@clinic.example"}
    reminder, alert = by_recipient["p0@example.com"], by_recipient["priya@clinic.example"]
    assert reminder["Subject"] == "Time for your calf exercises"
    assert alert["Subject"] == "A patient logged a warning sign"
    for message in (reminder, alert):
        # (a long header is folded onto a second line: unfolded, it keeps the leading space)
        assert message["List-Unsubscribe"].strip().startswith("<https://rehab.example/unsubscribe/")
        assert message["List-Unsubscribe"].strip().endswith("/>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/alternative"
        parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
        assert set(parts) == {"text/plain", "text/html"}
        assert "https://rehab.example/" in parts["text/plain"]
    assert "/admin/tracker/patientprofile/" in alert.get_body(("plain",)).get_content()
    statuses = {(row["kind"], row["status"]) for row in reminder_rows(database_url)}
    assert statuses == {("session", "sent"), ("red_flag:tear_pop", "sent")}


def test_with_the_smtp_server_down_the_reminder_is_retried_and_not_lost(env, database_url, smtp, tmp_path):
    zone, at = daytime_zone()
    log = tmp_path / "consumer.log"
    with consumer(env, log):
        worker(env, "setup", "1", zone, at, "then", "pass")

        def failed_twice():
            rows = reminder_rows(database_url)
            row = rows[0] if rows else {"attempts": 0, "status": "none"}
            return row["attempts"] >= 2 and row["status"] in ("retrying", "sending") and row

        row = wait_for(failed_twice, timeout=60, what="two failed attempts")
        assert "Connection refused" in row["last_error"] or "ConnectionRefused" in row["last_error"]
        smtp.start()  # the server comes back
        wait_for(lambda: smtp.messages, timeout=60, what="the reminder once the server is back")
        time.sleep(1)  # nothing else arrives

    assert [message["To"] for message in smtp.messages] == ["p0@example.com"]
    [row] = reminder_rows(database_url)
    # At least one failed try and the one that got through (the server may come back during the second).
    assert row["status"] == "sent" and row["attempts"] >= 2
    assert "Could not send session for p0" in log.read_text()  # each failure is logged


def test_two_passes_at_once_send_each_reminder_once(env, database_url, smtp, tmp_path):
    """Two schedulers on two machines run the same pass at the same moment: each patient gets one e-mail."""
    smtp.start()
    patients = 30
    worker(env, "setup", str(patients), "Europe/London", "18:00")
    moment = datetime.datetime(2026, 6, 8, 18, 5, tzinfo=datetime.UTC).isoformat()  # 19:05 in London
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    racers = [start_worker(env, "race", str(barrier), "2", moment) for _ in range(2)]
    results = [result_of(racer) for racer in racers]

    assert [r["due"] for r in results] == [patients, patients]  # both saw every reminder due
    assert sum(r["claimed"] for r in results) == patients  # but each was claimed once
    wait_for(lambda: len(smtp.messages) >= patients, timeout=30, what="the e-mails")
    time.sleep(0.5)
    recipients = sorted(message["To"] for message in smtp.messages)
    assert recipients == sorted(f"p{n}@example.com" for n in range(patients))
    rows = reminder_rows(database_url)
    assert len(rows) == patients and {row["status"] for row in rows} == {"sent"}
