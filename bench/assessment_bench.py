#!/usr/bin/env python
"""Time computing module recommendations for the assessments of 5,000 factories.

Loads the sample catalogue and the sample needs-assessment questionnaire (41 statements in
8 sections, each "no" pointing to one or two modules), then bulk-creates N factories with an
engagement and one submitted assessment each (about a third of the answers "no"), and open
findings from another tool for one factory in five, mapped to modules. Then times, in-process:

- all N assessments through `recommendations_for_many` (batches of 500, a fixed number of
  queries per batch);
- a sample one at a time through `recommendations_for`, as a page or the API does, with its
  query count.

    .venv/bin/python bench/assessment_bench.py [--factories 5000] [--sample 500]
        [--database-url postgres://...] [--write]

--write appends the figures to bench/RESULTS.md. Without --database-url a temporary SQLite
file is created (with the app's own SQLite settings: WAL, synchronous=NORMAL) and removed.
"""

import argparse
import io
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import append_results, database, machine, setup_django


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--factories", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=500, help="timed one at a time")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    return parser.parse_args()


def seed(n: int):  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.utils import timezone

    from fithub.accounts.models import Organisation
    from fithub.assessment.models import (
        Answer,
        Assessment,
        ExternalFinding,
        FindingMapping,
        Questionnaire,
        Statement,
    )
    from fithub.catalogue.models import Module
    from fithub.factories.models import Factory
    from fithub.programmes.models import Engagement, Programme

    call_command("seed_assessment", stdout=io.StringIO())  # loads the sample catalogue first
    questionnaire = Questionnaire.objects.get()
    version = questionnaire.versions.get()
    owner = questionnaire.owner
    statements = list(Statement.objects.filter(section__version=version))
    provider = Organisation.objects.create(name="Bench provider", kind="service_provider")
    programme = Programme.objects.create(
        owner=owner,
        name="Bench",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    factories = Factory.objects.bulk_create(
        (
            Factory(
                name=f"Factory {i:05d}", country="BD", sector="garments", registered_by=provider
            )
            for i in range(n)
        ),
        batch_size=1000,
    )
    engagements = Engagement.objects.bulk_create(
        (
            Engagement(
                programme=programme, factory=f, provider=provider, delivery_model="in_factory"
            )
            for f in factories
        ),
        batch_size=1000,
    )
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                factory=f,
                engagement=e,
                version=version,
                status=Assessment.Status.SUBMITTED,
                language="bn",
                submitted_at=now,
            )
            for f, e in zip(factories, engagements, strict=True)
        ),
        batch_size=1000,
    )
    rng = random.Random(2026)
    # Each factory has its own weak spots: a third of its answers "no", more in two sections.
    Answer.objects.bulk_create(
        (
            Answer(
                assessment=a,
                statement=s,
                value=rng.random() > (0.33 + 0.3 * (s.section_id % 4 == i % 4)),
            )
            for i, a in enumerate(assessments)
            for s in statements
        ),
        batch_size=5000,
    )
    modules = list(Module.objects.order_by("code"))
    codes = [f"BW-{i:02d}" for i in range(30)]
    FindingMapping.objects.bulk_create(
        FindingMapping(
            owner=owner, source="Better Work", code=code, module=modules[i % len(modules)], weight=2
        )
        for i, code in enumerate(codes)
    )
    ExternalFinding.objects.bulk_create(
        (
            ExternalFinding(factory=f, source="Better Work", code=code, found_on=date(2025, 6, 1))
            for i, f in enumerate(factories)
            if i % 5 == 0
            for code in rng.sample(codes, 4)
        ),
        batch_size=5000,
    )
    return version, len(statements), Answer.objects.count()


def main() -> int:
    opts = parse()
    url, db, tmp = database(opts.database_url, "fithub-assessment-bench-")
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fithub.assessment.models import Assessment
    from fithub.assessment.recommend import recommendations_for, recommendations_for_many

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    seeding = time.perf_counter()
    _version, statements, answers = seed(opts.factories)
    seed_s = time.perf_counter() - seeding
    print(f"seeded {opts.factories} assessments, {answers:,} answers in {seed_s:.1f} s", flush=True)

    assessments = list(Assessment.objects.order_by("pk"))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as all_queries:
        results = recommendations_for_many(assessments)
    all_s = time.perf_counter() - started
    assert len(results) == len(assessments)
    sizes = [len(r.suggested) for r in results.values()]
    assert min(sizes) >= 5, "every factory should get a full suggested set"

    sample = assessments[: opts.sample]
    times = []
    with CaptureQueriesContext(connection) as one:
        recommendations_for(sample[0])
    for assessment in sample:
        t = time.perf_counter()
        recommendations_for(assessment)
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    median = times[len(times) // 2]
    p95 = times[int(len(times) * 0.95) - 1]
    one_by_one_s = sum(times) / 1000 * len(assessments) / len(sample)

    rows = [
        (f"all {len(assessments):,}, batched (recommendations_for_many)", all_s,
         len(all_queries.captured_queries)),
        (f"one at a time (recommendations_for), {len(sample)} timed, scaled to "
         f"{len(assessments):,}", one_by_one_s, len(one.captured_queries) * len(assessments)),
    ]  # fmt: skip
    for label, seconds, queries in rows:
        print(f"{label:75} {seconds:7.1f} s  {queries:>7,} queries")
    print(f"one assessment: median {median:.1f} ms, p95 {p95:.1f} ms, "
          f"{len(one.captured_queries)} queries")  # fmt: skip

    if opts.write:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"## {now}: module recommendations (bench/assessment_bench.py)",
            "",
            "Machine:",
            *machine([f"database: {db}"]),
            "",
            f"Method: {opts.factories:,} factories, each with one submitted assessment of the "
            f"sample needs-assessment questionnaire ({statements} statements in 8 sections, "
            f"{answers:,} answers, about a third \u201cno\u201d), and 4 open Better Work "
            "findings for one factory in five, mapped to modules; bulk-created in "
            f"{seed_s:.0f} s. Timed in-process, the database warm.",
            "",
            "| how | seconds | per assessment (ms) | queries |",
            "|---|---:|---:|---:|",
            *[
                f"| {label} | {s:.1f} | {1000 * s / len(assessments):.2f} | {q:,} |"
                for label, s, q in rows
            ],
            "",
            f"One assessment through `recommendations_for` (a page or the API): median "
            f"{median:.1f} ms, p95 {p95:.1f} ms, {len(one.captured_queries)} queries whatever "
            "the number of statements (asserted for 15 and 150 in "
            "fithub/assessment/tests/test_recommend.py).",
            "",
        ]
        append_results(lines)
    if tmp is not None:
        connection.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
