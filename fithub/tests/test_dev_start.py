"""`./dev start` on another port: its links lead to that port, and stopping it stops everything."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "DATABASE_URL"}}
    return {**env, **extra}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_site_url_follows_the_port_when_it_is_not_set() -> None:
    code = "from django.conf import settings; print(settings.SITE_URL)"
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    env = _environment(PORT="8202", DJANGO_SETTINGS_MODULE="fithub.settings")
    derived = subprocess.run(run, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert derived.stdout.strip() == "http://127.0.0.1:8202"
    env["SITE_URL"] = "https://fithub.example.org/"
    given = subprocess.run(run, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert given.stdout.strip() == "https://fithub.example.org"


def _fithub_processes(session: int) -> list[str]:
    out = subprocess.run(["ps", "-eo", "sid=,args="], capture_output=True, text=True).stdout
    return [
        line
        for line in out.splitlines()
        if line.split(None, 1)[0] == str(session) and "manage.py" in line
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs the embedded database only")
def test_stopping_dev_start_stops_the_server_and_the_task_worker(tmp_path: Path) -> None:
    port = _free_port()
    env = _environment(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    log = (tmp_path / "dev.log").open("w")
    dev = subprocess.Popen(
        [str(ROOT / "dev"), "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert dev.poll() is None, (tmp_path / "dev.log").read_text()
                assert time.monotonic() < deadline, "./dev start did not serve in time"
                time.sleep(1)
        assert any("db_worker" in p for p in _fithub_processes(dev.pid))

        dev.send_signal(signal.SIGTERM)
        dev.wait(timeout=30)
        for _ in range(30):
            if not _fithub_processes(dev.pid):
                break
            time.sleep(0.5)
        assert _fithub_processes(dev.pid) == []
        assert "unbound variable" not in (tmp_path / "dev.log").read_text()
    finally:
        # Whatever is left of this session (a failed run) must not outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(dev.pid, signal.SIGKILL)
        log.close()
