"""What the benchmarks share: the machine they ran on, Django's setup, and bench/RESULTS.md."""

import importlib.metadata
import os
import platform
import sqlite3
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


def load() -> str:
    """Return the load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
    except OSError:
        pass
    return "?"


def package(name: str) -> str:
    """Return an installed package's name and version, such as "pyxform 4.0"."""
    return f"{name} {importlib.metadata.version(name)}"


def machine(software: list[str], load_start: str | None = None) -> list[str]:
    """Return RESULTS.md's lines on the machine: CPU, RAM, OS, software and load average."""
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else "?"
    os_name = _first("/etc/os-release", "PRETTY_NAME").strip('"')
    # Other work on the same machine skews the figures; the load average shows how much.
    if load_start is None:
        load_line = f"- Load average (1/5/15 min) at the end: {load()}"
    else:
        load_line = f"- Load average (1/5/15 min): {load_start} at start, {load()} at the end"
    return [
        f"- CPU: {_first('/proc/cpuinfo', 'model name')}, nproc {len(os.sched_getaffinity(0))}",
        f"- RAM: {ram}",
        f"- OS: {os_name}, kernel {platform.release()}",
        f"- Python {platform.python_version()}, Django {importlib.metadata.version('django')}, "
        + ", ".join(software),
        load_line,
    ]


def database(url: str, prefix: str) -> tuple[str, str, tempfile.TemporaryDirectory[str] | None]:
    """Return the database URL, its description, and the temporary directory of a new SQLite."""
    if url:
        return url, url.split("://", 1)[0], None
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    description = f"SQLite {sqlite3.sqlite_version} (temporary file, WAL)"
    return f"sqlite:///{tmp.name}/bench.sqlite3", description, tmp


def setup_django(database_url: str) -> None:
    """Set Django up on this database, with DEBUG off as in production."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fithub.settings")
    # DEBUG off, as in production: with it on, Django keeps every query's SQL in memory.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()


def append_results(lines: list[str]) -> None:
    """Append a section to bench/RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines))
    print(f"appended to {RESULTS}")
