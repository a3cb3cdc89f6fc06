"""Reads across modules and their files: the catalogue's search and translation status."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import User
from fithub.catalogue.models import Module, ModuleFile, version_tuple
from fithub.catalogue.scoping import adaptations_for
from fithub.lib.i18n import FALLBACK, localized_q

MISSING, UP_TO_DATE, OUTDATED = "missing", "up_to_date", "outdated"
STATUS_LABELS = {
    MISSING: _("Missing"),
    UP_TO_DATE: _("Up to date"),
    OUTDATED: _("Older than English"),
}


def search_modules(
    qs: QuerySet[Module], text: str, *, user: User | AnonymousUser
) -> QuerySet[Module]:
    """Keep the modules whose code, title or summary (any language) contains the text."""
    # The catalogue page, its export and the API all search through here, so that the same
    # words find the same modules wherever a user or an integration asks.
    text = text.strip()
    if not text:
        return qs
    # A module is found by the titles of the adaptations the user may see too (a provider's
    # own, say), never by those of anyone else: hence the user.
    adapted = adaptations_for(user).filter(localized_q("title", text))
    return qs.filter(
        Q(code__icontains=text)
        | localized_q("title", text)
        | localized_q("summary", text)
        | Q(pk__in=adapted.values("module"))
    )


@dataclass(frozen=True)
class Latest:
    version: str
    released_on: date

    @property
    def key(self) -> tuple[tuple[int, ...], date]:
        return version_tuple(self.version), self.released_on


@dataclass(frozen=True)
class Cell:
    language: str
    status: str
    latest: Latest | None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Row:
    module: Module
    cells: list[Cell]


@dataclass
class Total:
    language: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_LABELS, 0))


def _cells(latest: dict[str, Latest]) -> list[Cell]:
    """Compare each language's newest file with the newest English file."""
    english = latest.get(FALLBACK)
    cells = []
    for code, _name in settings.LANGUAGES:
        mine = latest.get(code)
        if mine is None:
            status = MISSING
        elif english is not None and mine.key < english.key:
            status = OUTDATED
        else:
            # Without an English file there is nothing newer to fall behind.
            status = UP_TO_DATE
        cells.append(Cell(code, status, mine))
    return cells


def _newest(files: Iterable[tuple[int, str, str, date]]) -> dict[int, dict[str, Latest]]:
    newest: dict[int, dict[str, Latest]] = {}
    for module_id, language, version, released_on in files:
        candidate = Latest(version, released_on)
        current = newest.setdefault(module_id, {}).get(language)
        if current is None or candidate.key > current.key:
            newest[module_id][language] = candidate
    return newest


def module_status(module: Module) -> list[Cell]:
    """Return the translation status of one module (reads its prefetched files)."""
    files = [(module.pk, f.language, f.version, f.released_on) for f in module.files.all()]
    return _cells(_newest(files).get(module.pk, {}))


def translation_status(modules: QuerySet[Module]) -> tuple[list[Row], list[Total]]:
    """Return every module's status per language, and the counts per language (two queries)."""
    modules_list = list(modules)
    files = ModuleFile.objects.filter(module__in=[m.pk for m in modules_list]).values_list(
        "module_id", "language", "version", "released_on"
    )
    newest = _newest(files)  # type: ignore[arg-type]
    rows = [Row(m, _cells(newest.get(m.pk, {}))) for m in modules_list]
    totals = [Total(code, name) for code, name in settings.LANGUAGES]
    for row in rows:
        for total, cell in zip(totals, row.cells, strict=True):
            total.counts[cell.status] += 1
    return rows, totals
