#!/usr/bin/env python
"""Time the compliance rates on 5,000 assessments of a 250-question tool (1.25 million findings).

Creates a tool version of 250 questions spread over the CAT's compliance points, 4,000
factories of one provider, each with one submitted assessment, 1,000 of them with a second
(the previous cycle), every finding drawn at a per-point rate (5% to 45% non-compliant, a few
not applicable). Then serves, through Django's test client as the provider's administrator
(in-process, DEBUG off), in the same run:

- the cross-factory compliance-point and question table (/compliance/rates/);
- one factory's rates page (/compliance/assessments/<pk>/rates/), several factories in turn;
- the factory list (/factories/), the peer every other benchmark reports;

median and p95 of N requests after warm-up, and each page's query count for two sizes.

    .venv/bin/python bench/compliance_bench.py [--factories 4000] [--twice 1000]
        [--questions 250] [--requests 30] [--postgres] [--write]

--postgres creates a database of its own on the server bench/run.py uses (dropped at the
end); otherwise a temporary SQLite file. --write appends the figures to bench/RESULTS.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import append_results, database, machine, setup_django


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--factories", type=int, default=4_000)
    parser.add_argument("--twice", type=int, default=1_000, help="factories with two cycles")
    parser.add_argument("--questions", type=int, default=250)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    return parser.parse_args()


def seed(opts: argparse.Namespace):  # type: ignore[no-untyped-def]
    from fithub.accounts.models import Membership, Organisation, User
    from fithub.compliance import cat, services
    from fithub.compliance.models import ComplianceAssessment, Finding, Question
    from fithub.factories.models import Factory
    from fithub.programmes.models import Engagement, Programme

    owner = Organisation.objects.create(name="Bench owner", kind="programme_owner")
    provider = Organisation.objects.create(name="Bench provider", kind="service_provider")
    admin = User.objects.create_user("bench.admin@example.org", "x" * 20, name="Bench Admin")
    Membership.objects.create(user=admin, organisation=provider, role="admin")
    points = [p.code for c in cat.CLUSTERS for p in c.points]
    rows = [
        {
            "point": points[i % len(points)],
            "code": f"Q{i:03d}",
            "text_en": f"Question {i}",
            "text_bn": f"প্রশ্ন {i}",
            "text_ur": f"سوال {i}",
            "publicly_reported": i % 9 == 0,
            "applies_if": ["has_accommodation"] if i % 25 == 0 else [],
        }
        for i in range(opts.questions)
    ]
    tool = services.tool_create(owner=owner, country="BD", slug="bench", title={"en": "B"}, by=None)
    draft = tool.versions.get()
    services.tool_version_import(version=draft, rows=rows, by=None)
    version = services.tool_version_publish(version=draft, by=None)
    questions = list(Question.objects.filter(version=version).select_related("point"))
    rate = {p: 0.05 + 0.4 * ((i * 7) % 10) / 10 for i, p in enumerate(points)}
    programme = Programme.objects.create(
        owner=owner, name="Bench", country="BD",
        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
    )  # fmt: skip
    factories = Factory.objects.bulk_create(
        (
            Factory(
                name=f"Factory {i:05d}", country="BD", sector="garments", registered_by=provider
            )
            for i in range(opts.factories)
        ),
        batch_size=2000,
    )
    engagements = Engagement.objects.bulk_create(
        (
            Engagement(
                programme=programme, factory=f, provider=provider, delivery_model="in_factory"
            )
            for f in factories
        ),
        batch_size=2000,
    )
    day = date(2026, 3, 1)
    pairs = [(f, e, day) for f, e in zip(factories, engagements, strict=True)]
    pairs += [(f, e, day - timedelta(days=365)) for f, e, _d in pairs[: opts.twice]]
    assessments = ComplianceAssessment.objects.bulk_create(
        (
            ComplianceAssessment(
                engagement=e,
                factory=f,
                version=version,
                planned_on=d,
                status="submitted",
                facts={"has_accommodation": f.pk % 3 == 0},
            )
            for f, e, d in pairs
        ),
        batch_size=2000,
    )
    rng = random.Random(2026)

    def result(a: ComplianceAssessment, q: Question) -> str:
        if not q.applies_to(a.facts):
            return "not_applicable"
        return "non_compliant" if rng.random() < rate[q.point.code] else "compliant"

    started = time.perf_counter()
    Finding.objects.bulk_create(
        (
            Finding(assessment=a, question=q, result=result(a, q))
            for a in assessments
            for q in questions
        ),
        batch_size=10_000,
    )
    print(f"findings written in {time.perf_counter() - started:.0f} s", flush=True)
    return admin, assessments, factories


def timed(client, url: str, n: int, warmup: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url, secure=True)
        times.append(1000 * (time.perf_counter() - t))
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def main() -> int:
    opts = parse()
    pg_name = ""
    if opts.postgres:
        from bench.run import pg_create, pg_url, pg_version

        pg_name = f"fithub_bench_compliance_{os.getpid()}"
        pg_create(pg_name)
        url, db, tmp = pg_url(pg_name), f"PostgreSQL {pg_version()}", None
    else:
        url, db, tmp = database("", "fithub-compliance-bench-")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    setup_django(url)
    try:
        return run(opts, db)
    finally:
        from django.db import connection

        connection.close()
        if pg_name:
            from bench.run import pg_drop

            pg_drop(pg_name)
        if tmp is not None:
            tmp.cleanup()


def run(opts: argparse.Namespace, db: str) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from fithub.compliance.models import Finding

    # In-process, with no collectstatic: the plain storage (the figures time the views).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    seeding = time.perf_counter()
    admin, assessments, _factories = seed(opts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seed_s = time.perf_counter() - seeding
    findings = Finding.objects.count()
    print(f"seeded {len(assessments):,} assessments, {findings:,} findings in {seed_s:.0f} s")
    client = Client()
    client.force_login(admin)
    latest = assessments[opts.factories // 2]
    pages = [
        ("cross-factory points and questions", "/compliance/rates/"),
        ("one factory's rates (two cycles)", f"/compliance/assessments/{assessments[0].pk}/rates/"),
        ("one factory's rates (one cycle)", f"/compliance/assessments/{latest.pk}/rates/"),
        ("factory list (peer)", "/factories/"),
    ]
    results = []
    for label, url in pages:
        median, p95, queries = timed(client, url, opts.requests, opts.warmup)
        results.append((label, url, median, p95, queries))
        print(f"{label:40} median {median:8.1f} ms  p95 {p95:8.1f} ms  {queries} queries")
    if opts.write:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"## {now}: compliance rates (bench/compliance_bench.py)",
            "",
            "Machine:",
            *machine([f"database: {db}"]),
            "",
            f"Method: a tool version of {opts.questions} questions over the CAT's compliance "
            f"points; {opts.factories:,} factories of one provider with a submitted assessment "
            f"each, {opts.twice:,} of them with a second (the previous cycle): "
            f"{len(assessments):,} assessments, {findings:,} findings, bulk-created in "
            f"{seed_s:.0f} s. Served in-process through Django's test client as the "
            f"provider's administrator, DEBUG off; {opts.warmup} warm-up requests, then "
            f"N={opts.requests} timed; the query count of one more request. Query counts "
            "are constant as rows grow (asserted in fithub/compliance/tests).",
            "",
            "| page | median (ms) | p95 (ms) | queries |",
            "|---|---:|---:|---:|",
            *[f"| {label} | {m:.1f} | {p:.1f} | {q} |" for label, _u, m, p, q in results],
            "",
        ]
        append_results(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
