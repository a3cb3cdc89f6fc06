#!/usr/bin/env python
"""Time rendering certificates of completion: a 40-person session and 1,000 certificates.

Creates a held session with N participants who attended, their names and languages taken in
turn from English, Bengali, Urdu and Khmer (every vendored script, Nastaliq the slowest), issues
their certificates, then times, in-process and as the background worker runs them:

- issuing them all (`certificates_issue_for_session`);
- all of them as one PDF (`batch_run`, kind "pdf": one WeasyPrint run per 100 pages, merged);
- all of them as a ZIP of separate PDFs (`batch_run`, kind "zip": laid out one chunk per
  WeasyPrint run, then each page written as a file of its own);
- one certificate at a time per language (`certificate_pdf`, as the download button does).

    .venv/bin/python bench/certificates_bench.py [--sizes 40,1000] [--singles 10]
        [--database-url postgres://...] [--write]

--write appends the figures to bench/RESULTS.md. Without --database-url a temporary SQLite
file is created (with the app's own SQLite settings: WAL, synchronous=NORMAL) and removed, and
so is the media directory the batches are written to.
"""

import argparse
import importlib.metadata
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

NAMES = {
    "en": ["Maria Santos", "Amina Akter", "John Mensah", "Li Wei"],
    "bn": ["সুমাইয়া আক্তার", "রহিমা খাতুন", "মোহাম্মদ হাসান", "নাসরিন সুলতানা"],
    "ur": ["فاطمہ بی بی", "رحیمہ بی بی", "محمد عمران", "عائشہ صدیقہ"],
    "km": ["សុខ ចាន់ធី", "ចាន់ សុភា", "ស្រី ពៅ", "ហេង សុវណ្ណ"],
}
TITLE = {
    "en": "Productivity through workplace cooperation",
    "bn": "কর্মক্ষেত্রে সহযোগিতায় উৎপাদন ক্ষমতা বৃদ্ধির প্রশিক্ষণ",
    "ur": "کام کی جگہ پر تعاون سے پیداواری صلاحیت",
    "km": "ការកែលម្អផលិតភាពតាមរយៈកិច្ចសហប្រតិបត្តិការ",
}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="40,1000", help="session sizes to time")
    parser.add_argument("--singles", type=int, default=10, help="single renders per language")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    return parser.parse_args()


def setup_django(database_url: str, media: str) -> None:
    os.environ["MEDIA_ROOT"] = media
    # Tasks run inline, in this process: the time measured is the worker's, without its polling.
    os.environ["TASK_BACKEND"] = "immediate"
    common.setup_django(database_url)
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # not two lines per batch


def seed_session(size: int, index: int):  # type: ignore[no-untyped-def]
    from datetime import time as clock

    from fithub.accounts.models import Organisation, User
    from fithub.catalogue.models import Module
    from fithub.factories.models import Factory
    from fithub.programmes.models import Engagement, Programme
    from fithub.training.models import Participant, Registration, Session

    owner = Organisation.objects.create(name=f"Bench owner {index}", kind="programme_owner")
    provider = Organisation.objects.create(name=f"Bench provider {index}", kind="service_provider")
    programme = Programme.objects.create(
        owner=owner,
        name="Bench",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    factory = Factory.objects.create(
        name=f"Bench factory {index}", country="BD", sector="garments", registered_by=provider
    )
    engagement = Engagement.objects.create(
        programme=programme, factory=factory, provider=provider, delivery_model="in_factory"
    )
    module = Module.objects.create(
        code=f"BENCH-{index}",
        title=TITLE,
        category="production",
        audience="mixed",
        duration_minutes=120,
    )
    facilitator = User.objects.create_user(f"facilitator{index}@bench.test", name="Farid Ahmed")
    session = Session.objects.create(
        module=module,
        provider=provider,
        delivery_model="in_factory",
        date=date(2026, 3, 14),
        starts_at=clock(9),
        ends_at=clock(11, 30),
        facilitator=facilitator,
        status=Session.Status.HELD,
    )
    session.engagements.add(engagement)
    languages = list(NAMES)
    participants = Participant.objects.bulk_create(
        Participant(
            factory=factory,
            name=NAMES[lang][(i // 4) % 4] + ("" if i < 16 else f" {i}"),
            sex="female",
            role="worker",
            department="sewing",
            language=lang,
        )
        for i in range(size)
        for lang in [languages[i % 4]]
    )
    Registration.objects.bulk_create(
        Registration(session=session, participant=p, present=True) for p in participants
    )
    return session, facilitator


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_batch(session, by, kind: str) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    from fithub.certificates import services

    started = time.perf_counter()
    batch = services.batch_create(session=session, kind=kind, by=by)
    batch.refresh_from_db()
    seconds = time.perf_counter() - started
    assert batch.status == "done", batch.error
    assert batch.done == batch.total
    return seconds, batch.file.size, rss_mb()


def main() -> int:
    opts = parse()
    load_at_start = common.load()
    sizes = [int(s) for s in opts.sizes.split(",") if s.strip()]
    url, database, db_tmp = common.database(opts.database_url, "fithub-certificates-bench-")
    media = tempfile.TemporaryDirectory(prefix="fithub-certificates-media-")
    setup_django(url, media.name)

    from django.core.management import call_command
    from django.db import connection

    from fithub.certificates import render, services
    from fithub.certificates.models import Certificate

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    # The first render loads WeasyPrint and the fonts; a worker pays it once, not per batch.
    warm_session, warm_by = seed_session(4, 0)
    services.certificates_issue_for_session(session=warm_session, by=warm_by)
    started = time.perf_counter()
    render.certificates_pdf(Certificate.objects.filter(registration__session=warm_session))
    first_s = time.perf_counter() - started

    singles: dict[str, list[float]] = {}
    for lang in NAMES:
        certificate = Certificate.objects.filter(
            registration__session=warm_session, language=lang
        ).get()
        for _ in range(opts.singles):
            started = time.perf_counter()
            render.certificate_pdf(certificate)
            singles.setdefault(lang, []).append(1000 * (time.perf_counter() - started))

    rows = []
    for index, size in enumerate(sizes, start=1):
        session, by = seed_session(size, index)
        started = time.perf_counter()
        issued = services.certificates_issue_for_session(session=session, by=by)
        issue_s = time.perf_counter() - started
        assert len(issued) == size
        pdf_s, pdf_bytes, pdf_rss = time_batch(session, by, "pdf")
        zip_s, zip_bytes, zip_rss = time_batch(session, by, "zip")
        rows.append((size, issue_s, pdf_s, pdf_bytes, pdf_rss, zip_s, zip_bytes, zip_rss))
        print(
            f"{size:>5} certificates: issue {issue_s:6.1f} s | one PDF {pdf_s:6.1f} s "
            f"({size / pdf_s:5.1f}/s, {pdf_bytes / 1e6:6.1f} MB) | ZIP {zip_s:6.1f} s "
            f"({size / zip_s:5.1f}/s, {zip_bytes / 1e6:6.1f} MB) | peak RSS {zip_rss:.0f} MB",
            flush=True,
        )
    print(f"first render in the process (loads WeasyPrint and fonts): {first_s:.2f} s")
    for lang, times in singles.items():
        print(f"one certificate, {lang}: median {statistics.median(times):.0f} ms")

    if opts.write:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"## {now}: certificates of completion (bench/certificates_bench.py)",
            "",
            "Machine:",
            *common.machine(
                [
                    f"WeasyPrint {importlib.metadata.version('weasyprint')}",
                    common.package("pypdf"),
                    f"database: {database}",
                ],
                load_at_start,
            ),
            "",
            "Method: one held session per size, every participant present, names and languages "
            "in turn English, Bengali, Urdu (Nastaliq) and Khmer, module title in the four "
            "languages, no provider logo. Timed in-process as the background worker runs a "
            "batch (`services.batch_create` with the immediate task backend): one PDF is "
            f"rendered {services.PDF_CHUNK} pages per WeasyPrint run and merged with pypdf; the "
            "ZIP holds one PDF per certificate, laid out a chunk per WeasyPrint run like the "
            "single PDF and written a page per file (stored, not deflated). "
            "WeasyPrint and the fonts were loaded before timing "
            f"(the first render in a process takes {first_s:.1f} s). Peak RSS is the process's "
            "high-water mark after the batch.",
            "",
            "| certificates | issue (s) | one PDF (s) | one PDF per second | PDF size (MB) "
            "| ZIP (s) | ZIP per second | ZIP size (MB) | peak RSS (MB) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {size:,} | {issue_s:.1f} | {pdf_s:.1f} | {size / pdf_s:.1f} | "
                f"{pdf_bytes / 1e6:.1f} | {zip_s:.1f} | {size / zip_s:.1f} | "
                f"{zip_bytes / 1e6:.1f} | {zip_rss:.0f} |"
                for size, issue_s, pdf_s, pdf_bytes, _pr, zip_s, zip_bytes, zip_rss in rows
            ],
            "",
            "One certificate through `certificate_pdf` (the download button), median of "
            f"{opts.singles}: "
            + ", ".join(
                f"{lang} {statistics.median(times):.0f} ms" for lang, times in singles.items()
            )
            + ".",
            "",
        ]
        common.append_results(lines)
    connection.close()
    media.cleanup()
    if db_tmp is not None:
        db_tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
