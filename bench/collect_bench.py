#!/usr/bin/env python
"""Time importing 10,000 offline submissions of a 40-statement form, on a fresh SQLite file.

Builds a questionnaire (40 statements in 8 sections), a provider administrator engaged with
200 factories, the form's XLSForm and XForm, and an ODK Central CSV export of N submissions
whose columns come from the XForm. Then times, in-process through fithub.collect.importer:
reading and checking the file, writing (a batch at a time, through
assessment.services.assessments_import), importing the same file again (everything "already
imported"), and, as the peer figure, a bare bulk_create of the same rows.

    .venv/bin/python bench/collect_bench.py [--submissions 10000]
        [--statements 40] [--factories 200] [--database-url postgres://...] [--write]

--write appends the figures to bench/RESULTS.md. Without --database-url a temporary SQLite
file is created (with the app's own SQLite settings: WAL, synchronous=NORMAL) and removed.
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import append_results, database, load, machine, package, setup_django


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--factories", type=int, default=200)
    parser.add_argument("--reference", type=int, default=500, help="sample for answers_save")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    return parser.parse_args()


def seed(opts: argparse.Namespace):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from fithub.accounts.models import Membership, Organisation, User
    from fithub.assessment.models import Questionnaire, QuestionnaireVersion, Section, Statement
    from fithub.factories.models import Factory
    from fithub.programmes.models import Engagement, Programme

    kind = Organisation.Kind
    owner = Organisation.objects.create(name="Bench owner", kind=kind.PROGRAMME_OWNER)
    provider = Organisation.objects.create(name="Bench provider", kind=kind.SERVICE_PROVIDER)
    programme = Programme.objects.create(
        owner=owner,
        name="Bench",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    factories = Factory.objects.bulk_create(
        Factory(name=f"Factory {i:04d}", country="BD", sector="garments", registered_by=provider)
        for i in range(opts.factories)
    )
    Engagement.objects.bulk_create(
        Engagement(programme=programme, factory=f, provider=provider, delivery_model="in_factory")
        for f in factories
    )
    user = User.objects.create_user("bench.admin@example.org", "x", name="Bench Admin")
    Membership.objects.create(user=user, organisation=provider, role=Membership.Role.ADMIN)
    questionnaire = Questionnaire.objects.create(
        owner=owner, slug="bench-needs", title={"en": "Bench needs assessment"}
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=QuestionnaireVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    per_section = 5
    for s in range(opts.statements // per_section):
        section = Section.objects.create(
            version=version, order=s, code=f"sec{s}", title={"en": f"Section {s}", "bn": "বিভাগ"}
        )
        Statement.objects.bulk_create(
            Statement(
                section=section,
                order=i,
                code=f"{s + 1}.{i + 1}",
                text={"en": f"Statement {s + 1}.{i + 1}", "bn": "বিবৃতি", "ur": "بیان"},
            )
            for i in range(per_section)
        )
    return user, version, factories


def export(version, factories, user, n: int, prefix: str = "0") -> bytes:  # type: ignore[no-untyped-def]
    from fithub.assessment.scoping import assessed_factories_for
    from fithub.collect import xlsform
    from fithub.collect.tests.utils import central_csv

    book = xlsform.build_xlsform(version, factories=assessed_factories_for(user, write=True))
    xml = xlsform.build_xform(xlsform.xlsform_bytes(book))
    layout = xlsform.form_layout(version)
    subs = []
    for i in range(n):
        values = {
            xlsform.VERSION_FIELD: str(version.number),
            xlsform.FACTORY: str(factories[i % len(factories)].pk),
            xlsform.COORDINATOR: "Rina",
            xlsform.MANAGER: "Mohammad",
            "instanceID": f"uuid:{prefix}0000000-0000-4000-8000-{i:012d}",
        }
        for j, f in enumerate(layout.statements):
            values[f.name] = "yes" if (i + j) % 3 else "no"
            values[f.comment] = "Seen on the visit." if j == 0 else ""
        subs.append(values)
    return central_csv(xml, subs)


def main() -> int:
    opts = parse()
    load_start = load()
    url, db, tmp = database(opts.database_url, "fithub-collect-bench-")
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection, transaction

    from fithub.assessment import services
    from fithub.assessment.models import Answer, Assessment
    from fithub.collect import importer

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        major, minor = divmod(connection.pg_version, 10000)  # type: ignore[attr-defined]
        db = f"PostgreSQL {major}.{minor} (127.0.0.1, TCP)"
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":  # a database kept between runs: start empty
        call_command("flush", interactive=False, verbosity=0)
    user, version, factories = seed(opts)
    data = export(version, factories, user, opts.submissions)
    print(f"export: {len(data) / 1e6:.1f} MB, {opts.submissions} submissions", flush=True)

    started = time.perf_counter()
    _source, raws = importer.read_file(data, "bench.csv")
    report = importer.ImportReport()
    valid = importer.check_submissions(raws, version=version, user=user, report=report)
    checked = time.perf_counter()
    importer.write_submissions(valid, version=version, user=user, report=report)
    written = time.perf_counter()
    assert len(report.created) == opts.submissions, report.rejected[:3]
    assert Answer.objects.count() == opts.submissions * opts.statements

    again_started = time.perf_counter()
    again = importer.import_submissions(data, name="bench.csv", version=version, user=user)
    again_s = time.perf_counter() - again_started
    assert again.already_imported == opts.submissions and not again.created
    assert Assessment.objects.count() == opts.submissions

    # The peer figure: a bare bulk_create of the same rows (assessments and their answers, no
    # check, no history), in transactions of the same size as the import's.
    bulk_started = time.perf_counter()
    statements = list(version.sections.order_by("order").values_list("statements__pk", flat=True))
    for start in range(0, opts.submissions, importer.COMMIT_EVERY):
        with transaction.atomic():
            batch = Assessment.objects.bulk_create(
                Assessment(
                    factory=factories[i % len(factories)],
                    version=version,
                    coordinator_name="Rina",
                    manager_name="Mohammad",
                    source="odk",
                    status=Assessment.Status.SUBMITTED,
                    instance_id=f"uuid:20000000-0000-4000-8000-{i:012d}",
                )
                for i in range(start, min(start + importer.COMMIT_EVERY, opts.submissions))
            )
            Answer.objects.bulk_create(
                (
                    Answer(assessment=a, statement_id=pk, value=bool(j % 3), answered_by=user)
                    for a in batch
                    for j, pk in enumerate(statements)
                ),
                batch_size=2000,
            )
    bulk_s = time.perf_counter() - bulk_started

    # For comparison: each submission committed on its own, with answers_save (bulk writes,
    # one submission at a time), as a page saves them; on a sample.
    sample = min(opts.reference, opts.submissions)
    reference_data = export(version, factories, user, sample, prefix="1")
    _source, raws = importer.read_file(reference_data, "reference.csv")
    reference = importer.check_submissions(
        raws, version=version, user=user, report=importer.ImportReport()
    )
    reference_started = time.perf_counter()
    for item in reference:
        with transaction.atomic():
            assessment = services.assessment_start(
                factory=item.factory,
                version=version,
                by=user,
                coordinator_name=item.coordinator_name,
                manager_name=item.manager_name,
                source="odk",
                instance_id=item.instance_id,
            )
            services.answers_save(assessment=assessment, answers=item.answers, by=user)
            services.assessment_submit(assessment=assessment, by=user)
    reference_ms = 1000 * (time.perf_counter() - reference_started) / sample

    check_s, write_s = checked - started, written - checked
    total = check_s + write_s
    rows = [
        ("read and check the file", check_s),
        ("write (assessments_import, 250 a batch)", write_s),
        ("first import, total", total),
        ("same file again (all already imported)", again_s),
    ]
    rows.append(("bulk_create of the same rows (no check, no history)", bulk_s))
    for label, seconds in rows:
        print(f"{label:45} {seconds:8.1f} s")
    print(f"write / bulk_create: {write_s / bulk_s:.2f}")
    print(f"per submission: {1000 * total / opts.submissions:.2f} ms")
    print(f"reference, answers_save per submission: {reference_ms:.2f} ms per submission")

    if opts.write:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"## {now}: importing offline submissions (bench/collect_bench.py)",
            "",
            "Machine:",
            *machine([package("pyxform"), f"database: {db}"], load_start),
            "",
            f"Method: {opts.submissions:,} submissions of a {opts.statements}-statement form "
            f"(8 sections, a comment on one statement) for {opts.factories} factories, as "
            "an ODK Central CSV whose columns come from the form's XForm "
            f"({len(data) / 1e6:.1f} MB), imported in-process by a provider administrator "
            "through `fithub.collect.importer`: new submissions 250 at a time, each batch "
            "one transaction through `assessment.services.assessments_import` (the checks of "
            "assessment_start and assessment_submit, INSERTs of the assessments, their two "
            "history rows each and their answers).",
            "",
            "| step | seconds | per submission (ms) |",
            "|---|---:|---:|",
            *[f"| {label} | {s:.1f} | {1000 * s / opts.submissions:.2f} |" for label, s in rows],
            "",
            f"Writing took {write_s / bulk_s:.2f} times as long as a bare `bulk_create` of "
            f"the same rows ({opts.submissions / write_s:.0f} against "
            f"{opts.submissions / bulk_s:.0f} submissions/s).",
            "",
            f"For comparison, {sample} more submissions each committed on its own and written "
            "with `answers_save` (bulk writes, one submission at a time), on the same database "
            "after the import, took "
            f"{reference_ms:.2f} ms each: {reference_ms * opts.submissions / 1000:.0f} s for "
            f"{opts.submissions:,}.",
            "",
        ]
        append_results(lines)
    if tmp is not None:
        connection.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
