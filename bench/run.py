#!/usr/bin/env python
"""Benchmark FIT Hub on SQLite and PostgreSQL and write the figures into bench/RESULTS.md.

For each database and each scale (seed_scale --scale, 1 and 4 unless told): create it, migrate,
load seed_scale, serve the app with gunicorn (2 sync workers, DEBUG off) on 127.0.0.1, and time
pages with one sequential client, as a provider administrator (scoped) and as a superuser; then
report each figure's ratio between the scales. Run it with `./dev bench`.

PostgreSQL is the server of TEST_DATABASE_URL or DATABASE_URL (the first that is a postgres://
URL; else postgres@127.0.0.1:5432); the benchmark creates a database of its own on it, named
after its process, and drops only the databases it created. BENCH_PORT sets gunicorn's port.
"""

import argparse
import gzip
import http.client
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, ROOT, load, machine, package

PY = sys.executable
PASSWORD = "fithub-demo"
SCOPED = "scale.admin@scale.fithub.test"
SUPER = "bench.root@scale.fithub.test"
ADMIN_LIST = "admin changelist, factories"
SURVEY_RESULTS = "survey results, by programme"
ANSWER_PAGE = "survey answer page (public)"
PEER_PAGES = (
    "factory list", "list, filtered + search", "API factories", "engagement list",
    "session list", "assessment list", "certificate list", SURVEY_RESULTS,
)  # fmt: skip
HEADER = """# Benchmark results

Newest first. Written by `./dev bench` (bench/run.py); see bench/README.md for the method.
"""


@dataclass
class Figure:
    database: str
    scale: float
    user: str
    page: str
    median_ms: float | None = None
    p95_ms: float | None = None
    size: int | None = None
    note: str = ""


@dataclass
class DbRun:
    name: str
    scale: float = 1.0
    migrate_s: float | None = None
    seed_wall_s: float | None = None
    seed_reported_s: float | None = None
    scoped_org: str = ""
    scoped_sees: str = ""
    figures: list[Figure] = field(default_factory=list)
    # (user, page) -> requests per second under CONNECTIONS concurrent connections (wrk)
    throughput: dict[tuple[str, str], float | str] = field(default_factory=dict)
    error: str = ""


# --- processes and HTTP ---------------------------------------------------------------------


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> str:
    """Run a command in the project directory; raise with its output if it fails."""
    proc = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([PY, "manage.py", *args], env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def text(self) -> bytes:
        """Return the body, decompressed if the server gzipped it."""
        for name, value in self.headers:
            if name.lower() == "content-encoding" and value == "gzip":
                return gzip.decompress(self.body)
        return self.body

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                jar.load(value)
        return {k: m.value for k, m in jar.items()}


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Response:
    """Send one request to 127.0.0.1 on a fresh connection and read the whole answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        seconds = time.perf_counter() - start
        return Response(resp.status, resp.getheaders(), data, seconds)
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def log_in(port: int, email: str) -> dict[str, str]:
    """Log in through the real login form (CSRF included) and return the request headers."""
    page = fetch(port, "/login/")
    cookies = page.cookies()
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.text())
    if page.status != 200 or not match or "csrftoken" not in cookies:
        raise RuntimeError(f"login page answered {page.status} without a CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": PASSWORD}
    )
    done = fetch(
        port,
        "/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
        },
    )
    # The session cookie is marked Secure (DEBUG is off); this client sends it over plain
    # HTTP to 127.0.0.1 anyway, which is what a TLS-terminating proxy in front would do.
    session = done.cookies().get("sessionid")
    if done.status != 302 or not session:
        raise RuntimeError(f"logging in as {email} answered {done.status}")
    return {"Cookie": cookie_header({"sessionid": session}), "Accept-Encoding": "gzip"}


def api_token(port: int, email: str) -> str | None:
    resp = fetch(
        port,
        "/api/v1/auth/token/",
        method="POST",
        body=urlencode({"username": email, "password": PASSWORD}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    match = re.search(rb'"token"\s*:\s*"([^"]+)"', resp.text())
    return match.group(1).decode() if resp.status == 200 and match else None


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(
    port: int, path: str, headers: dict[str, str], n: int, warmup: int, figure: Figure
) -> None:
    """Time n requests after warmup ones; stop at the first answer that is not 200."""
    timings: list[float] = []
    for i in range(warmup + n):
        resp = fetch(port, path, headers=headers)
        if resp.status != 200:
            figure.note = f"HTTP {resp.status} on request {i + 1}; not measured"
            return
        if i >= warmup:
            timings.append(resp.seconds)
        figure.size = len(resp.body)
    figure.median_ms = statistics.median(timings) * 1000
    figure.p95_ms = percentile(timings, 95) * 1000


def attendance_session(env: dict[str, str]) -> str:
    """Plan a session of 40 for the scoped provider (bench/attendance_seed.py); return its id."""
    out = run([PY, str(ROOT / "bench" / "attendance_seed.py"), "--size", "40"], env)
    return out.strip().splitlines()[-1]


def survey_responses(env: dict[str, str]) -> tuple[str, str]:
    """Load 100,000 survey responses (bench/surveys_seed.py); return the programme and a token."""
    out = run([PY, str(ROOT / "bench" / "surveys_seed.py")], env, timeout=1800)
    programme, token = out.strip().splitlines()[-1].split()
    return programme, token


def answer_page_weight(port: int, path: str) -> str:
    """Return what the public answer page and its one stylesheet weigh over the wire."""
    headers = {"Accept-Encoding": "gzip"}
    page = fetch(port, path, headers=headers)
    css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', page.text())
    sheet = fetch(port, css.group(1).decode(), headers=headers) if css else None
    total = len(page.body) + (len(sheet.body) if sheet and sheet.status == 200 else 0)
    return f"with its stylesheet {total:,} bytes over the wire, no script (limit 15,360)"


# --- one database -----------------------------------------------------------------------------


def pg_server() -> dict[str, str | int]:
    """Return the PostgreSQL server to use: that of TEST_DATABASE_URL or DATABASE_URL."""
    for var in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = urlsplit(os.environ.get(var, ""))
        if url.scheme in ("postgres", "postgresql", "pgsql"):
            server: dict[str, str | int] = {
                "host": url.hostname or "127.0.0.1",
                "port": url.port or 5432,
                "user": unquote(url.username or "postgres"),
            }
            if url.password:
                server["password"] = unquote(url.password)
            return server
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def pg_url(name: str) -> str:
    server = pg_server()
    auth = quote(str(server["user"]), safe="")
    if "password" in server:
        auth += ":" + quote(str(server["password"]), safe="")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


def pg_admin(sql: str, *params: object) -> list[tuple[object, ...]]:
    import psycopg

    server: dict = pg_server()
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **server) as conn:
        cur = conn.execute(sql, params or None)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


# The databases this process created: the only ones it ever drops.
CREATED: set[str] = set()


def pg_create(name: str) -> None:
    """Create a database of the benchmark's own; refuse a name that exists already."""
    if pg_admin("SELECT 1 FROM pg_database WHERE datname = %s", name):
        raise RuntimeError(f"database {name} exists already; the benchmark leaves it alone")
    pg_admin(f'CREATE DATABASE "{name}"')
    CREATED.add(name)


def pg_drop(name: str) -> None:
    if name in CREATED:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        CREATED.discard(name)


def pg_version() -> str:
    import psycopg

    try:
        server: dict = pg_server()
        with psycopg.connect(dbname="postgres", connect_timeout=5, **server) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "?"
    except psycopg.Error as exc:
        return f"not reachable ({exc.__class__.__name__})"


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    args = [
        PY, "-m", "gunicorn", "fithub.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--chdir", str(ROOT),
        "--env", "DJANGO_SETTINGS_MODULE=bench.settings",
        "--error-logfile", str(log), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(args, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-2000:]}")
        try:
            if fetch(port, "/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-2000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def bench_database(
    name: str, url: str, scale: float, base_env: dict[str, str], opts: argparse.Namespace
) -> DbRun:
    result = DbRun(name, scale)
    env = {**base_env, "DATABASE_URL": url}
    scale_args = [f"--scale={scale:g}"] + [
        f"--{k}={v}"
        for k in ("factories", "providers", "engagements", "team")
        if (v := getattr(opts, k)) is not None
    ]
    started = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v", "0")
    result.migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    out = manage(env, "seed_scale", *scale_args)
    result.seed_wall_s = time.perf_counter() - started
    if m := re.search(r" in ([\d.]+) s", out):
        result.seed_reported_s = float(m.group(1))
    if m := re.search(r"administers (.+)", out):
        result.scoped_org = m.group(1).strip()
    run(
        [PY, "manage.py", "createsuperuser", "--no-input", "--email", SUPER],
        {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    result.scoped_sees = run(
        [
            PY, "-c",
            "import django; django.setup()\n"
            "from fithub.accounts.models import User\n"
            "from fithub.factories.scoping import factories_for\n"
            "from fithub.factories.models import Factory\n"
            f"u = User.objects.get(email={SCOPED!r})\n"
            "print(f'{factories_for(u).count()} of {Factory.objects.count()} factories')",
        ],
        env,
    ).strip()  # fmt: skip
    session_pk = attendance_session(env)
    survey_programme, survey_token = survey_responses(env)

    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
    server = start_server(env, port, Path(opts.tmp) / f"gunicorn-{name}-{scale:g}.log")
    try:
        sessions = {"scoped": log_in(port, SCOPED), "superuser": log_in(port, SUPER)}
        listing = fetch(port, "/factories/", headers=sessions["scoped"])
        ids = re.findall(rb'href="/factories/(\d+)/"', listing.text())
        detail = f"/factories/{ids[0].decode()}/" if ids else None
        tokens = {"scoped": api_token(port, SCOPED), "superuser": api_token(port, SUPER)}
        pages = [
            ("factory list", "/factories/"),
            ("list, filtered + search", "/factories/?country=BD&sector=garments&q=a"),
            ("factory detail", detail),
            ("API factories", "/api/v1/factories/"),
            ("attendance, session of 40", f"/training/sessions/{session_pk}/attendance/"),
            ("engagement list", "/programmes/engagements/"),
            ("session list", "/training/"),
            ("assessment list", "/assessment/"),
            ("certificate list", "/certificates/"),
            # The peer: Django's own changelist of the same factories, 50 rows a page as the
            # factory list (FactoryAdmin.list_per_page); the admin is for superusers only.
            (SURVEY_RESULTS, "/surveys/results/?by=programme"),
            ("survey results API, by programme", "/api/v1/survey-results/?by=programme"),
            (ANSWER_PAGE, f"/surveys/s/{survey_token}/"),
            (ADMIN_LIST, "/admin/factories/factory/"),
            ("bare Django view", "/bench/bare"),
        ]
        for who, headers in sessions.items():
            for label, path in pages:
                figure = Figure(name, scale, who, label)
                result.figures.append(figure)
                h = headers
                if path is None:
                    figure.note = "no factory link on the list page"
                    continue
                if label == ADMIN_LIST and who != "superuser":
                    figure.note = "superusers only"
                    continue
                if path.startswith("/api/"):
                    if not tokens[who]:
                        figure.note = "no API token (token endpoint failed)"
                        continue
                    h = {"Authorization": f"Token {tokens[who]}", "Accept-Encoding": "gzip"}
                    probe = fetch(port, path, headers=h)
                    if probe.status == 404:
                        figure.note = "API not there yet (404); skipped"
                        continue
                print(f"  {name:<10} {scale:g}x {who:<9} {label}", flush=True)
                measure(port, path, h, opts.requests, opts.warmup, figure)
                if who == "scoped" and label in THROUGHPUT_PAGES and opts.throughput_seconds:
                    result.throughput[(who, label)] = throughput(
                        port, path, h, opts.throughput_seconds
                    )
                if label == ANSWER_PAGE and figure.median_ms is not None:
                    figure.note = answer_page_weight(port, path)
                if label == SURVEY_RESULTS:
                    figure.note = f"100,000 responses in programme {survey_programme}"
    finally:
        stop_server(server)
    return result


CONNECTIONS = 8
THROUGHPUT_PAGES = ("factory list", "API factories", "bare Django view")


def throughput(port: int, path: str, headers: dict[str, str], seconds: int) -> float | str:
    """Return requests/s for the path under CONNECTIONS connections (wrk), or why not."""
    if not shutil.which("wrk"):
        return "wrk not installed (apt-get install wrk)"
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30).stdout
    # Any non-2xx answer (a redirect to the login page, say) would make the figure meaningless.
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        return f"{m.group(1)} answers were not 2xx/3xx"
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else "wrk printed no figure"


# --- report ---------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def find(runs: list[DbRun], db: str, scale: float, user: str, page: str) -> Figure | None:
    for r in runs:
        if r.name == db and r.scale == scale:
            for f in r.figures:
                if f.user == user and f.page == page:
                    return f
    return None


def section(runs: list[DbRun], opts: argparse.Namespace) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    software = [
        package("gunicorn"),
        f"SQLite {sqlite3.sqlite_version}",
        f"PostgreSQL {pg_version()}",
    ]
    scales = sorted({r.scale for r in runs})
    lines = [f"## {now}", "", "Machine:", *machine(software, opts.load_start), ""]
    lines += [
        f"Method: gunicorn with 2 sync workers, DEBUG=false, on 127.0.0.1; one sequential client,"
        f" a new connection per request, `Accept-Encoding: gzip`; {opts.warmup} warm-up requests,"
        f" then N={opts.requests} timed (request sent to last byte read). `scoped` is"
        f" {SCOPED} (administrator of the provider with the most engagements), `superuser`"
        " sees everything. The detail page is the first factory on the scoped user's list."
        f" Scales (`seed_scale --scale`, which multiplies every size, providers included):"
        f" {', '.join(f'{x:g}x' for x in scales)}; each on a database of its own, analysed after"
        " loading.",
        "",
        "### Loading the scale data",
        "",
        "| database | scale | migrate (s) | seed_scale in-command (s) | seed_scale wall (s) "
        "| scoped user administers | scoped user sees |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.name} | {r.scale:g}x | {fmt(r.migrate_s)} | {fmt(r.seed_reported_s)} "
            f"| {fmt(r.seed_wall_s)} | {r.scoped_org or '-'} | {r.scoped_sees or '-'} |"
        )
    lines += [
        "",
        "### Latency (ms)",
        "",
        "| database | scale | user | page | median | p95 | body bytes (gzip) | note |",
        "|---|---:|---|---|---:|---:|---:|---|",
    ]
    for r in runs:
        if r.error:
            lines.append(f"| {r.name} | {r.scale:g}x | - | - | - | - | - | failed: {r.error} |")
        for f in r.figures:
            size = "-" if f.size is None else str(f.size)
            lines.append(
                f"| {f.database} | {f.scale:g}x | {f.user} | {f.page} | {fmt(f.median_ms)} "
                f"| {fmt(f.p95_ms)} | {size} | {f.note} |"
            )
    if len(scales) >= 2:
        low, high = scales[0], scales[-1]
        lines += [
            "",
            f"### Growth: {high:g}x ÷ {low:g}x (same run)",
            "",
            f"| database | user | page | median {low:g}x | median {high:g}x | ratio "
            f"| p95 {low:g}x | p95 {high:g}x | ratio |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in runs:
            if r.scale != low:
                continue
            for f in r.figures:
                g = find(runs, r.name, high, f.user, f.page)
                if f.median_ms is None or g is None or g.median_ms is None:
                    continue
                lines.append(
                    f"| {r.name} | {f.user} | {f.page} | {fmt(f.median_ms)} | {fmt(g.median_ms)} "
                    f"| {ratio(g.median_ms, f.median_ms)} | {fmt(f.p95_ms)} | {fmt(g.p95_ms)} "
                    f"| {ratio(g.p95_ms, f.p95_ms)} |"
                )
    lines += [
        "",
        f"### Throughput: requests/s under {CONNECTIONS} connections (wrk, scoped user)",
        "",
        f"wrk -t2 -c{CONNECTIONS} for {opts.throughput_seconds} s per page against the same "
        "gunicorn (2 sync workers), with its keep-alive connections; the bare view is the peer.",
        "",
        "| database | scale | page | requests/s | ÷ bare view |",
        "|---|---:|---|---:|---:|",
    ]
    for r in runs:
        bare_rps = r.throughput.get(("scoped", "bare Django view"))
        for (_who, page), rps in r.throughput.items():
            if isinstance(rps, str):
                lines.append(f"| {r.name} | {r.scale:g}x | {page} | - | {rps} |")
                continue
            share = f"{rps / bare_rps:.2f}" if isinstance(bare_rps, float) and bare_rps else "-"
            lines.append(f"| {r.name} | {r.scale:g}x | {page} | {rps:.0f} | {share} |")
    lines += [
        "",
        "### Peers (ratios of p95, same run)",
        "",
        "`list ÷ admin`: the superuser's factory list over Django's admin changelist of the same"
        " factories (50 a page each); `list ÷ bare`: over the bare Django view; `scoped ÷"
        " superuser`: the scoped user's page over the superuser's.",
        "",
        "| database | scale | page | list ÷ admin | list ÷ bare | scoped ÷ superuser |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for r in runs:
        admin = find(runs, r.name, r.scale, "superuser", ADMIN_LIST)
        bare = find(runs, r.name, r.scale, "superuser", "bare Django view")
        for page in PEER_PAGES:
            su = find(runs, r.name, r.scale, "superuser", page)
            sc = find(runs, r.name, r.scale, "scoped", page)
            if su is None:
                continue
            peer = (
                ratio(su.p95_ms, admin.p95_ms if admin else None) if page == "factory list" else ""
            )
            lines.append(
                f"| {r.name} | {r.scale:g}x | {page} | {peer} "
                f"| {ratio(su.p95_ms, bare.p95_ms if bare else None)} "
                f"| {ratio(sc.p95_ms if sc else None, su.p95_ms)} |"
            )
    return "\n".join(lines) + "\n"


def write_results(new: str) -> None:
    old = RESULTS.read_text() if RESULTS.exists() else HEADER
    head, sep, rest = old.partition("\n## ")
    previous = f"\n## {rest}" if sep else ""
    RESULTS.write_text(head.rstrip("\n") + "\n\n" + new + previous)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--scales", default="1,4", help="seed_scale --scale values, e.g. 1,4")
    parser.add_argument("--throughput-seconds", type=int, default=10, help="wrk per page (0: skip)")
    for name in ("factories", "providers", "engagements", "team"):
        parser.add_argument(f"--{name}", type=int, help=f"seed_scale --{name}")
    opts = parser.parse_args()
    if not 1 <= opts.requests <= 10_000 or not 0 <= opts.warmup <= 1_000:
        parser.error("--requests must be 1-10000 and --warmup 0-1000")
    try:
        scales = [float(x) for x in opts.scales.split(",") if x.strip()]
    except ValueError:
        parser.error("--scales takes numbers, such as 1,4")
    if not scales or not all(0 < x <= 100 for x in scales):
        parser.error("--scales takes numbers above 0 and at most 100")

    opts.tmp = tempfile.mkdtemp(prefix="fithub-bench-")
    static_root = Path(opts.tmp) / "static"
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-secret-key-not-for-production-0123",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "TASK_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    runs: list[DbRun] = []
    started = time.monotonic()
    opts.load_start = load()
    try:
        print("==> collectstatic (DEBUG is off, so the manifest storage needs it)", flush=True)
        manage({**base_env, "DATABASE_URL": f"sqlite:///{opts.tmp}/static.sqlite3"},
               "collectstatic", "--no-input", "-v", "0")  # fmt: skip
        for db in [d.strip() for d in opts.databases.split(",") if d.strip()]:
            if db not in ("sqlite", "postgres"):
                parser.error(f"unknown database {db!r}")
            for scale in scales:
                print(f"==> {db} at {scale:g}x", flush=True)
                tag = f"{os.getpid()}_{scale:g}".replace(".", "_")
                if db == "sqlite":
                    url = f"sqlite:///{opts.tmp}/bench-{tag}.sqlite3"
                else:
                    name = f"fithub_bench_{tag}"
                    try:
                        pg_create(name)
                    except Exception as exc:  # no PostgreSQL here: note it and go on
                        error = f"PostgreSQL not usable: {exc}".splitlines()[0]
                        runs.append(DbRun(db, scale, error=error))
                        continue
                    url = pg_url(name)
                try:
                    runs.append(bench_database(db, url, scale, base_env, opts))
                except Exception as exc:  # report the failure in the results and carry on
                    print(f"  {db} failed: {exc}", file=sys.stderr)
                    runs.append(DbRun(db, scale, error=str(exc).splitlines()[0][:200]))
                finally:
                    if db == "postgres":
                        pg_drop(name)
    finally:
        for name in sorted(CREATED):  # interrupted between creating and dropping one
            pg_drop(name)
        shutil.rmtree(opts.tmp, ignore_errors=True)

    text = section(runs, opts)
    print()
    print(text)
    print(f"(took {time.monotonic() - started:.0f} s)")
    if not opts.no_write:
        write_results(text)
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
