"""The production lock holds what runs and no test tools; development pins the same versions."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = {"pytest", "playwright", "mypy", "ruff", "schemathesis", "hypothesis", "babel"}


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    found = re.finditer(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", text, re.M)
    return {m[1].lower().replace("_", "-"): m[2] for m in found}


def test_the_production_lock_has_no_test_tools() -> None:
    production = pins("requirements.lock")
    assert not TEST_TOOLS & set(production)
    assert {"django", "weasyprint", "gunicorn", "psycopg", "pypdf"} <= set(production)


def test_development_pins_the_production_versions() -> None:
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {k: development.get(k) for k in production} == production
    assert set(development) >= TEST_TOOLS


# Imported only by `manage.py country_names`, which regenerates data files in development.
DEVELOPMENT_ONLY = {"babel"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_every_package_the_app_imports_is_in_the_production_lock() -> None:
    sources = [
        p for p in (ROOT / "fithub").rglob("*.py")
        if "tests" not in p.parts and p.name != "conftest.py"
    ]  # fmt: skip
    imported = set().union(*(_imports(p) for p in sources))
    imported -= set(sys.stdlib_module_names) | {"fithub"} | DEVELOPMENT_ONLY
    distributions = packages_distributions()
    needed = {
        d.lower().replace("_", "-") for name in imported for d in distributions.get(name, [name])
    }
    assert needed - set(pins("requirements.lock")) == set()
