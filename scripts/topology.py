"""The production topology on one machine, for trying it, the load test and the fault test.

    .venv/bin/python scripts/topology.py                # until Ctrl+C: 2 app processes, 1 consumer
    .venv/bin/python scripts/topology.py --demo         # ... with the demo patients and physio

Starts, all on 127.0.0.1 and all thrown away at the end:
- PostgreSQL: a new cluster (initdb, fsync off) on a free port, unless --database-url names a server,
  where a scratch database is created and dropped again. As root, the cluster runs as the
  unprivileged user `pgci` (initdb refuses root), as .ci/run does;
- Redis (cache, rate limits, task queue) with its append-only file on, so that the queue survives a
  restart, unless --redis-url names one;
- N gunicorn app processes, each on its own port with its own workers (stateless: any of them can
  answer any request), and one queue consumer (`manage.py run_huey`).
In production each is its own service, on as many machines as needed: see docs/production.md.
bench/load.py and bench/faults.py drive it through the Topology class.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_USER = "pgci"  # the unprivileged user that runs the throwaway cluster when we are root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:g} s")


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


def postgres_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return str(versions[-1] / name)


def stop_group(process: subprocess.Popen, signum: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process we started (in its own session) and its children; SIGKILL after `timeout`."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signum)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Postgres:
    """A throwaway cluster that can be stopped and started again on the same port and data."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "postgres"
        self.dir.mkdir()
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", PG_USER], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                PG_USER], check=True)
            workdir.chmod(0o711)  # a temporary directory is root's alone: let the cluster's user through
            shutil.chown(self.dir, PG_USER)
            self.as_user = ["runuser", "-u", PG_USER, "--"]
        self.run(postgres_bin("initdb"), "-D", str(self.dir / "data"), "-U", "rehab", "--auth=trust",
                 "-E", "UTF8")
        self.start()
        self.run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "rehab", "rehab")
        self.url = f"postgres://rehab@127.0.0.1:{self.port}/rehab"

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        self.run(postgres_bin("pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                 "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.as_user, postgres_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", mode,
                        "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Redis:
    """A throwaway Redis with its append-only file on: queued jobs survive a stop and start."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", str(self.dir),
             "--logfile", str(self.dir / "redis.log")],
            start_new_session=True,
        )
        wait_until(lambda: answers(self.port), timeout=20, what="Redis")

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)  # SIGTERM: Redis writes its append-only file and exits
            self.process = None


class Topology:
    """PostgreSQL, Redis, `apps` gunicorn processes of `workers` workers each, one queue consumer."""

    def __init__(self, workdir: Path, *, apps: int = 2, workers: int = 2, database_url: str = "",
                 redis_url: str = "", extra_env: dict[str, str] | None = None):
        self.workdir = workdir
        self.postgres = None if database_url else Postgres(workdir)
        self.redis = None if redis_url else Redis(workdir)
        self.scratch_database = ""
        if database_url:
            database_url = self.create_scratch_database(database_url)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "rehab.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1: no TLS proxy in front
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_TESTING": "1",  # plain static storage: pages only name static files (no collectstatic)
            "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic, see above
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url or self.postgres.url,
            "REDIS_URL": redis_url or self.redis.url,
            "HUEY_NAME": f"topology-{secrets.token_hex(4)}",
            "MPLCONFIGDIR": str(workdir),
            **(extra_env or {}),
        }
        self.workers = workers
        self.ports = [free_port() for _ in range(apps)]
        self.apps: list[subprocess.Popen | None] = [None] * apps
        self.consumer: subprocess.Popen | None = None

    def create_scratch_database(self, server_url: str) -> str:
        import psycopg

        name = f"rehab_topology_{secrets.token_hex(4)}"
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.scratch_database = name
        self.server_url = server_url
        return server_url.rsplit("/", 1)[0] + "/" + name

    def manage(self, *arguments: str, **env: str) -> None:
        command = [sys.executable, "manage.py", *arguments]
        subprocess.run(command, cwd=ROOT, env={**self.env, **env}, check=True)

    def start(self, *, migrate: bool = True) -> Topology:
        if migrate:
            self.manage("migrate", "--noinput", "--verbosity", "0")
        for number in range(len(self.ports)):
            self.start_app(number)
        self.start_consumer()
        return self

    def start_app(self, number: int) -> None:
        port, log = self.ports[number], self.workdir / f"app{number + 1}.log"
        output = open(log, "ab")  # noqa: SIM115 - kept open by the child: gunicorn's and Django's logs
        self.apps[number] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "rehab.wsgi:application", "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "10",
             "--log-level", "warning", "--access-logfile", str(self.workdir / f"access{number + 1}.log"),
             "--access-logformat", "%(p)s %(s)s"],  # the worker's pid: requests_per_worker()
            cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until(lambda: self.healthy(port), timeout=60, what=f"app process {number + 1} (see {log})")

    def start_consumer(self) -> None:
        log = open(self.workdir / "consumer.log", "ab")  # noqa: SIM115 - kept open by the child
        self.consumer = subprocess.Popen([sys.executable, "manage.py", "run_huey"], cwd=ROOT, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop_consumer(self) -> None:
        if self.consumer is not None:
            stop_group(self.consumer, signal.SIGINT)  # huey's graceful stop: running tasks finish
            self.consumer = None

    def healthy(self, port: int) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            return connection.getresponse().status == 200
        except OSError:
            return False

    def kill_app(self, number: int) -> None:
        """SIGKILL the app process and its workers at once: requests in flight are cut off."""
        process = self.apps[number]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.apps[number] = None

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of each app process): their memory is what grows."""
        masters = {process.pid for process in self.apps if process is not None}
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent in masters:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def requests_per_worker(self) -> dict[int, int]:
        """How many requests each gunicorn worker has answered (from the access logs)."""
        counts: dict[int, int] = dict.fromkeys(self.worker_pids(), 0)
        for log in self.workdir.glob("access*.log"):
            for line in log.read_text(errors="replace").splitlines():
                pid = int(line.split(">", 1)[0].lstrip("<"))
                if pid in counts:
                    counts[pid] += 1
        return counts

    def stop(self) -> None:
        for process in self.apps:
            if process is not None:
                stop_group(process)
        self.stop_consumer()
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()
        if self.scratch_database:
            import psycopg

            with psycopg.connect(self.server_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.scratch_database}" WITH (FORCE)')


def resident_mb(pid: int) -> float:
    """Resident memory (VmRSS) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=2, help="gunicorn app processes (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="workers per app process (default 2)")
    parser.add_argument("--database-url", default="", help="PostgreSQL server for a scratch database")
    parser.add_argument("--redis-url", default="", help="a Redis to use instead of a throwaway one")
    parser.add_argument("--demo", action="store_true", help="load the demo data (manage.py seed_demo)")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rehab-topology-") as tmp:
        topology = Topology(Path(tmp), apps=args.apps, workers=args.workers,
                            database_url=args.database_url, redis_url=args.redis_url)
        try:
            topology.manage("migrate", "--noinput", "--verbosity", "0")
            if args.demo:
                topology.manage("seed_demo", DJANGO_DEBUG="1")  # it refuses production settings
            topology.start(migrate=False)
            print(f"PostgreSQL {topology.env['DATABASE_URL']}, Redis {topology.env['REDIS_URL']}")
            for port in topology.ports:
                print(f"app process on http://127.0.0.1:{port}/")
            print(f"one queue consumer; logs in {tmp}. Ctrl+C stops everything.", flush=True)
            signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
            signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            print("Stopping ...", flush=True)
        finally:
            topology.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
