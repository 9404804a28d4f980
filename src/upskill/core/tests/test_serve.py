"""`upskill serve`: gunicorn's web workers and the huey worker start together, answer, and stop
together on SIGTERM (deploy/upskill-web.service, make stack)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from upskill.core.management.commands.serve import default_workers, gunicorn_command


def test_workers_follow_the_cores_unless_configured(monkeypatch):
    monkeypatch.delenv("UPSKILL_WEB_WORKERS", raising=False)
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1
    monkeypatch.setenv("UPSKILL_WEB_WORKERS", "3")
    assert default_workers() == 3


def test_gunicorn_runs_the_wsgi_application_with_recycled_workers():
    command = gunicorn_command(bind="127.0.0.1:9", workers=2, timeout=60)
    assert command[1:4] == ["-m", "gunicorn", "upskill.wsgi"]
    assert command[command.index("--workers") + 1] == "2"
    assert "--max-requests" in command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_and_stops_both_processes(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "UPSKILL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "upskill.settings",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "upskill.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
            except OSError:
                time.sleep(0.3)
        assert body == b'{"status": "ok", "database": "ok"}'
        children = subprocess.run(
            ["ps", "-o", "args=", "--ppid", str(process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        assert "gunicorn" in children
        assert "run_huey" in children
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    output = process.stdout.read().decode()
    assert f"serving http://127.0.0.1:{port}/ with 1 web workers" in output
