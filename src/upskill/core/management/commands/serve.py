"""``upskill serve``: the production processes on one machine — gunicorn's web workers and the
huey worker for background jobs — started together and stopped together.

In production each runs as its own systemd unit (``deploy/``); this command is what those
units would start, put together for ``make stack`` and the load test: if one of the processes
ends, the other is stopped and the command exits with its code, so a supervisor restarts both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, unless UPSKILL_WEB_WORKERS says otherwise."""
    configured = os.environ.get("UPSKILL_WEB_WORKERS")
    if configured:
        return int(configured)
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_command(*, bind: str, workers: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "upskill.wsgi",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # sync workers behind a buffering proxy (nginx): slow clients never hold a worker
        "--worker-class",
        "sync",
        # the application is imported once, before the workers fork: a broken start fails at
        # once, and the workers share the imported code's memory
        "--preload",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        # a worker is recycled after this many requests (with jitter) so a slow leak cannot grow
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        # the request log goes to the access log table and the proxy; gunicorn logs errors only
        "--error-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("UPSKILL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "upskill.cli", "run_huey", "--workers", "2", "--flush-locks"]


class Command(BaseCommand):
    help = "Run the web workers (gunicorn) and the background-job worker (huey) together."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("UPSKILL_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=None, help="web workers")
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
        parser.add_argument(
            "--no-worker", action="store_true", help="web only (the worker runs elsewhere)"
        )

    def handle(self, *args, bind: str, workers: int | None, timeout: int, no_worker: bool, **kw):
        commands = {
            "web": gunicorn_command(
                bind=bind, workers=workers or default_workers(), timeout=timeout
            )
        }
        if not no_worker:
            commands["worker"] = worker_command()
        processes = {name: subprocess.Popen(command) for name, command in commands.items()}  # noqa: S603
        self.stdout.write(
            f"serving http://{bind}/ with {workers or default_workers()} web workers"
            + ("" if no_worker else " and the background-job worker")
        )

        def stop(*_args) -> None:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while True:
                ended = {n: p.returncode for n, p in processes.items() if p.poll() is not None}
                if ended:
                    break
                time.sleep(0.5)
        finally:
            stop()
            for process in processes.values():
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
        name, code = next(iter(ended.items()))
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            raise CommandError(f"the {name} process ended with exit code {code}")
