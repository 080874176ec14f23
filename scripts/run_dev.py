"""`make run`: the web server and the task queue's consumer side by side, in one terminal.

Both print what they do (the consumer: "Huey consumer started ...", each reminder pass, each e-mail
sent or retried). Ctrl+C (or a SIGTERM) stops both; if one stops by itself, the other is stopped too.
In production they are two separate processes: see the Procfile.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # `kill` stops both, as Ctrl+C does


def stop_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass  # gone already


def main(address: str) -> int:
    # Started as a background job (or by a launcher that ignores Ctrl+C), we would inherit SIGINT
    # ignored, and Ctrl+C or `kill -INT` would do nothing: take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    python, manage = sys.executable, str(PROJECT_DIR / "manage.py")
    print("Starting the task queue consumer (reminders, alerts, e-mails) ...", flush=True)
    # Each in its own process group, so that stopping one reaches its children too (runserver's reloader).
    consumer = subprocess.Popen([python, manage, "run_huey"], cwd=PROJECT_DIR, start_new_session=True)
    print(f"Starting the web server on http://{address}/ ...", flush=True)
    web = subprocess.Popen([python, manage, "runserver", address], cwd=PROJECT_DIR, start_new_session=True)
    processes = {"consumer": consumer, "web server": web}
    exit_code = 0
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.3)
        name, stopped = next((n, p) for n, p in processes.items() if p.poll() is not None)
        print(f"The {name} stopped (exit code {stopped.returncode}); stopping the other.", flush=True)
        exit_code = stopped.returncode or 1
    except KeyboardInterrupt:
        print("Stopping the web server and the consumer ...", flush=True)
    finally:
        stop_group(consumer, signal.SIGINT)  # huey's graceful stop: running tasks finish
        stop_group(web, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                stop_group(process, signal.SIGKILL)
                process.wait()
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
