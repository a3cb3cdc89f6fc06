#!/usr/bin/env python
"""Time the factory list's CSV and Excel exports for the same rows, at 1x and 4x the rows.

Creates N factories (with every exported column filled, in English, Bengali and Urdu) on a
temporary SQLite file, then times `fithub.factories.exports.export_csv` (the streamed body read
to the end) and `export_xlsx` for the whole registry, and records the peak of Python's memory
(tracemalloc) for each. The reference is the CSV of the same rows in the same run.

    .venv/bin/python bench/export_bench.py [--factories 5000] [--scales 1,4] [--write]
"""

import argparse
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import append_results, database, load, machine, package, setup_django


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--factories", type=int, default=5000)
    parser.add_argument("--scales", default="1,4")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    return parser.parse_args()


def seed(n: int, start: int) -> None:
    from fithub.accounts.models import Organisation
    from fithub.factories.models import Factory

    provider, _ = Organisation.objects.get_or_create(
        name="Bench provider", kind=Organisation.Kind.SERVICE_PROVIDER
    )
    names = ["Alpha Garments Ltd.", "আলফা গার্মেন্টস", "الفا گارمنٹس", "=Formula Knits"]
    Factory.objects.bulk_create(
        (
            Factory(
                name=f"{names[i % 4]} {i:06d}",
                country=("BD", "PK", "KH")[i % 3],
                city=("Dhaka", "করাচی", "کراچی")[i % 3],
                address=f"Plot {i}, Road {i % 97}, Industrial Area",
                sector="garments",
                product_types="T-shirts, polo shirts",
                workers_female=150 + i % 2000,
                workers_male=50 + i % 1000,
                latitude="23.810332",
                longitude="90.412518",
                score_graduate=bool(i % 2),
                os_id=f"BD{2026000 + i:07d}XYZ",
                registered_by=provider,
            )
            for i in range(start, start + n)
        ),
        batch_size=2000,
    )


def timed(fn) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Return (seconds, peak MB of Python allocations, bytes) for one export.

    The time is taken on a run of its own: tracemalloc slows allocation-heavy code down.
    """
    started = time.perf_counter()
    size = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, size


def main() -> int:
    opts = parse()
    load_start = load()
    url, db, tmp = database("", "fithub-export-bench-")
    setup_django(url)
    from django.core.management import call_command

    from fithub.factories import exports
    from fithub.factories.models import Factory

    call_command("migrate", verbosity=0)

    def csv_size() -> int:
        response = exports.export_csv(Factory.objects.order_by("pk"))
        return sum(len(part) for part in response.streaming_content)  # type: ignore[union-attr,misc]

    def xlsx_size() -> int:
        return len(exports.export_xlsx(Factory.objects.order_by("pk")).content)

    results: list[dict[str, float]] = []
    have = 0
    for scale in [float(s) for s in opts.scales.split(",")]:
        n = int(opts.factories * scale)
        seed(n - have, have)
        have = n
        runs: dict[str, list[tuple[float, float, int]]] = {"csv": [], "xlsx": []}
        for _ in range(opts.repeat):
            runs["csv"].append(timed(csv_size))
            runs["xlsx"].append(timed(xlsx_size))
        row = {"scale": scale, "rows": n}
        for kind, measured in runs.items():
            row[kind] = statistics.median(m[0] for m in measured)
            row[kind + "_mb"] = max(m[1] for m in measured)
            row[kind + "_bytes"] = measured[0][2]
        results.append(row)
        print(
            f"{n:>7} rows: CSV {row['csv']:.2f} s ({row['csv_mb']:.1f} MB peak), "
            f"XLSX {row['xlsx']:.2f} s ({row['xlsx_mb']:.1f} MB peak), "
            f"XLSX/CSV {row['xlsx'] / row['csv']:.2f}",
            flush=True,
        )
    if opts.write:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"## {now}: factory list exports, CSV and Excel (bench/export_bench.py)",
            "",
            "Machine:",
            *machine([package("openpyxl"), f"database: {db}"], load_start),
            "",
            "Method: the whole registry exported in-process by `fithub.factories.exports` "
            f"(CSV streamed and read to the end; Excel built and returned), median of "
            f"{opts.repeat}; peak of Python's allocations (tracemalloc) over the runs.",
            "",
            "| rows | CSV s | Excel s | Excel ÷ CSV | CSV peak MB | Excel peak MB | Excel MB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {r['rows']:,} | {r['csv']:.2f} | {r['xlsx']:.2f} | "
                f"{r['xlsx'] / r['csv']:.2f} | {r['csv_mb']:.1f} | {r['xlsx_mb']:.1f} | "
                f"{r['xlsx_bytes'] / 1e6:.1f} |"
                for r in results
            ],
            "",
        ]
        append_results(lines)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
