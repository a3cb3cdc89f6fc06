"""Country names as facility lists write them, in any language, to ISO 3166 codes.

Published lists say "United States", "UK", "Ivory Coast", "Burma" or "Macau", and lists made
in the field write the country in Bengali or Urdu. The names come from the Unicode CLDR through
Babel, for every language it has, and from django-countries (ISO names and common names);
`manage.py country_names` writes the CLDR part to country_names.tsv, so that serving a request
does not load 300 locales (160 MB) to read one column, and writes the Bengali and Urdu
catalogues of django-countries' names in locale-countries/ from the same data. A name no
source knows is mapped by the user, once per file, on the import page.
"""

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django_countries import countries

from fithub.lib.text import fold

if TYPE_CHECKING:
    import polib

TSV = Path(__file__).with_name("country_names.tsv")
# django-countries has no Bengali or Urdu names: these catalogues give them, from the CLDR.
CATALOGUES = Path(settings.BASE_DIR) / "locale-countries"
OVERRIDES = CATALOGUES / "overrides.tsv"
TRANSLATED = ("bn", "ur")


def name_key(text: str) -> str:
    """The form in which names are compared: folded, without punctuation or "the".

    "Korea, Republic of" and ISO's "Korea (the Republic of)" compare alike, as do "U.S.A."
    and "USA", "St. Lucia" and "Saint Lucia".
    """
    words = re.sub(r"[\W_]+", " ", fold(text).replace("&", " and ")).split()
    key = " ".join("saint" if w == "st" else w for w in words if w != "the")
    # Initials written with stops: "u s a" is "usa".
    return re.sub(r"\b(\w) (?=\w\b)", r"\1", key) if re.fullmatch(r"(\w )+\w", key) else key


def _parts(name: str) -> Iterator[str]:
    # "Myanmar (Burma)" is known as either, and as both.
    yield name
    if match := re.fullmatch(r"(.+?)\s*[(\uff08](.+?)[)\uff09]\s*", name):
        yield match[1]
        yield match[2]


def cldr_names() -> dict[str, tuple[str, bool]]:
    """Every CLDR name that names only one country: its code, and whether the name is in one of
    the app's languages (those outrank the rest). Needs Babel."""
    from babel import Locale, localedata
    from babel.core import get_global

    known = {code for code, _name in countries}
    ours = {code for code, _label in settings.LANGUAGES}
    codes: dict[str, set[str]] = {}
    primary: set[str] = set()
    for locale in sorted(localedata.locale_identifiers()):
        if "_" in locale:  # regional variants repeat their language's names
            continue
        for code, name in Locale.parse(locale).territories.items():
            if code in known:
                for part in _parts(name):
                    if key := name_key(part):
                        codes.setdefault(key, set()).add(code)
                        if locale in ours:
                            primary.add(key)
    # Retired and reserved codes still in use, such as UK for GB and BU for Burma.
    for alias, targets in get_global("territory_aliases").items():
        if len(targets) == 1 and targets[0] in known and alias.isalpha() and alias not in known:
            codes.setdefault(alias.lower(), set()).add(targets[0])
    # A name that two languages give to different countries ("Kongo") names neither.
    return {key: (c.pop(), key in primary) for key, c in sorted(codes.items()) if len(c) == 1}


def write_tsv(path: Path = TSV) -> int:
    names = cldr_names()
    lines = (f"{key}\t{code}\t{int(ours)}\n" for key, (code, ours) in names.items())
    path.write_text("".join(lines), encoding="utf-8")
    return len(names)


def _msgids() -> dict[str, str]:
    """django-countries' names as it writes them (the msgids), with the code each names."""
    from django_countries.base import CountriesBase
    from django_countries.data import COUNTRIES

    with translation.override(None):
        ids = {str(name): code for code, name in COUNTRIES.items()}
        ids |= {str(name): code for code, name in CountriesBase.COMMON_NAMES.items()}
        for code, names in CountriesBase.OLD_NAMES.items():
            ids |= {str(name): code for name in names}
    return ids


def _overrides() -> dict[tuple[str, str], str]:
    found = {}
    for line in OVERRIDES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, code, name = line.split("\t")
            found[(language, code)] = name
    return found


def country_catalogue(language: str) -> "polib.POFile":
    """The catalogue of country names in a language: CLDR's, or the override (needs Babel)."""
    import polib
    from babel import Locale

    cldr = Locale.parse(language).territories
    overrides = _overrides()
    po = polib.POFile(wrapwidth=79)
    po.header = (
        f"Country names in {language} for django-countries, from the Unicode CLDR (Babel) and\n"
        "locale-countries/overrides.tsv. Written by `manage.py country_names`: do not edit."
    )
    po.metadata = {
        "Project-Id-Version": "FIT Hub country names",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for msgid, code in sorted(_msgids().items(), key=lambda item: (item[1], item[0])):
        if name := overrides.get((language, code)) or cldr.get(code):
            po.append(polib.POEntry(msgid=msgid, msgstr=name, comment=f"ISO 3166-1: {code}"))
    return po


def write_catalogues() -> None:
    for language in TRANSLATED:
        folder = CATALOGUES / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        country_catalogue(language).save(str(folder / "django.po"))


def _own_names() -> Iterator[tuple[str, str]]:
    """django-countries' names, in each language of the app, with its ISO and former names."""
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                yield str(name), code
            for code, names in countries.shadowed_names.items():
                for name in names:
                    yield str(name), code


@cache
def _own_index() -> dict[str, str]:
    names: dict[str, str] = {}
    parts: dict[str, set[str]] = {}
    for name, code in _own_names():
        names.setdefault(name_key(name), code)
        for part in list(_parts(name))[1:]:
            parts.setdefault(name_key(part), set()).add(code)
    # "Korea (the Republic of)" and "Korea (the Democratic People's Republic of)": a part of
    # two names names neither.
    return {key: next(iter(c)) for key, c in parts.items() if len(c) == 1} | names


@cache
def _cldr_index() -> tuple[dict[str, str], dict[str, str]]:
    """The CLDR names in the app's languages, and those in the others."""
    ours: dict[str, str] = {}
    others: dict[str, str] = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        key, code, primary = line.split("\t")
        (ours if primary == "1" else others)[key] = code
    return ours, others


@cache
def _long_names() -> list[tuple[str, str]]:
    # ISO's long names, such as "United Kingdom of Great Britain and Northern Ireland".
    with translation.override("en"):
        return [
            (f" {name_key(str(name))} ", code)
            for code, names in countries.shadowed_names.items()
            for name in names
        ] + [(f" {name_key(str(name))} ", code) for code, name in countries]


def country_code(text: str) -> str:
    """Return the ISO code of a country given by code or by name, or "" when unknown."""
    text = text.strip()
    if len(text) in (2, 3) and text.isascii() and (code := countries.alpha2(text.upper())):
        return code
    key = name_key(text)
    if not key:
        return ""
    if len(key) in (2, 3) and key.isascii() and (code := countries.alpha2(key.upper())):
        return code
    ours, others = _cldr_index()
    if found_here := _own_index().get(key) or ours.get(key):
        return found_here
    # "Great Britain" is in the long name of one country only. "Korea" is in two, so it names
    # neither, even where one language of the CLDR calls one of them "Korea".
    found = {code for name, code in _long_names() if f" {key} " in name} if len(key) >= 4 else set()
    if len(found) > 1:
        return ""
    return others.get(key) or (found.pop() if found else "")
