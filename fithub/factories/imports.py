"""Read a factory list from a CSV or Excel file and check every row before anything is written.

The columns are those of an Open Supply Hub list (country, name, address, sector, lat, lng)
followed by ours. The exporter writes the same columns, so an export imports back unchanged.
"""

import copy
import hashlib
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.accounts.roles import roles_of
from fithub.factories.countries import country_code, name_key
from fithub.factories.models import OS_ID_VALIDATOR, Factory, Sector, Tier
from fithub.factories.scoping import factories_for
from fithub.lib import tabular
from fithub.lib.tabular import BadFile, Table

# Open Supply Hub's columns first, then ours; the exporter writes them in this order.
COLUMNS = (
    "country",
    "name",
    "address",
    "sector",
    "lat",
    "lng",
    "os_id",
    "city",
    "product_types",
    "tier",
    "workers_female",
    "workers_male",
    "score_graduate",
    "better_work",
    "consent_date",
)
REQUIRED = ("country", "name")
FIELD_OF = {"lat": "latitude", "lng": "longitude"}  # column -> model field, where they differ
ALIASES = {
    "country": ("country code", "country name", "iso country code"),
    "name": ("factory name", "facility name", "factory"),
    "address": ("factory address", "facility address"),
    "sector": ("sectors", "industry"),
    "lat": ("latitude",),
    "lng": ("lon", "long", "longitude"),
    "os_id": ("os id", "open supply hub id", "os hub id", "oar id"),
    "product_types": ("product type", "products"),
    "tier": ("supply chain tier",),
    "workers_female": ("female workers", "women workers", "workers women"),
    "workers_male": ("male workers", "men workers", "workers men"),
    "score_graduate": ("score",),
    "better_work": ("better work factory",),
    "consent_date": ("date of consent", "date of consent to join"),
}
# Open Supply Hub's free-text sectors, and common words for ours.
SECTOR_WORDS = {
    "apparel": Sector.GARMENTS,
    "garment": Sector.GARMENTS,
    "garments": Sector.GARMENTS,
    "rmg": Sector.GARMENTS,
    "clothing": Sector.GARMENTS,
    "apparel accessories": Sector.ACCESSORIES,
    "textile": Sector.TEXTILE,
    "textiles": Sector.TEXTILE,
    "knit": Sector.KNITWEAR,
    "knitting": Sector.KNITWEAR,
    "knitwear": Sector.KNITWEAR,
    "footwear": Sector.FOOTWEAR,
    "shoes": Sector.FOOTWEAR,
    "leather": Sector.FOOTWEAR,
    "denim": Sector.DENIM,
    "accessories": Sector.ACCESSORIES,
    "home textiles": Sector.HOME_TEXTILES,
    "home textile": Sector.HOME_TEXTILES,
}


CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class ParsedRow:
    row: int
    factory: Factory | None  # the existing factory this row updates; None creates one
    data: dict[str, Any]
    changed: list[str] = field(default_factory=list)  # the fields an update changes

    @property
    def action(self) -> str:
        if self.factory is None:
            return CREATE
        return UPDATE if self.changed else UNCHANGED

    @property
    def name(self) -> str:
        return str(self.data.get("name") or (self.factory.name if self.factory else ""))

    @property
    def changed_labels(self) -> list[str]:
        return [str(Factory._meta.get_field(name).verbose_name) for name in self.changed]  # type: ignore[union-attr]

    @property
    def values(self) -> dict[str, Any]:
        """What to write: every value for a new factory, the changed ones for an update."""
        return self.data if self.factory is None else {k: self.data[k] for k in self.changed}


@dataclass
class Report(tabular.Report[ParsedRow]):
    # Country names no source knows, each with the first row that wrote it: the user says
    # once per file which country each one is.
    unknown_countries: dict[str, int] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def creates(self) -> int:
        """Count the rows that register a new factory."""
        return self.count(CREATE)

    @property
    def updates(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def to_write(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.action != UNCHANGED]

    @property
    def plan(self) -> str:
        """A digest of what the import would do, to tell whether it changed since the preview."""
        digest = hashlib.sha256()
        for r in self.to_write:
            pk = r.factory.pk if r.factory else ""
            digest.update(f"{r.row}|{pk}|{sorted(r.data.items())!r}\n".encode())
        return digest.hexdigest()


@dataclass
class Header:
    column_at: dict[int, str]  # cell index -> column
    names: dict[str, str]  # column -> its header as written in the file


def read_upload(
    upload: UploadedFile,
    *,
    user: User | AnonymousUser,
    country_names: Mapping[str, str] | None = None,
) -> Report:
    """Read and check an uploaded factory list; the report holds either rows or errors.

    Nothing is written: the rows say what each would do (create, update or leave alone), for
    the user to confirm. `country_names` maps names no source knows to ISO codes.
    """
    report = Report()
    try:
        _check(tabular.read_file(upload), user, report, country_names or {})
    except BadFile as e:
        report.error(None, "", "", str(e))
    return report.finish()


def _norm(header: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(header or "")).strip().casefold()


def _header_names() -> dict[str, str]:
    """Map every accepted header, normalised, to its column: names, aliases, field labels."""
    names = {}
    for column in COLUMNS:
        names[_norm(column)] = column
        for alias in ALIASES.get(column, ()):
            names[_norm(alias)] = column
        label = Factory._meta.get_field(FIELD_OF.get(column, column)).verbose_name  # type: ignore[union-attr]
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.setdefault(_norm(label), column)
    return names


def _choice_names(choices: type[Sector] | type[Tier]) -> dict[str, str]:
    """Map each choice's code and its label in every language, normalised, to the code."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                names[_norm(label)] = value
    for value in choices.values:
        names[_norm(value)] = value
    return names


def _check(
    table: Table, user: User | AnonymousUser, report: Report, country_names: Mapping[str, str]
) -> None:
    header_row, header = table[0]
    labels = _read_header(header_row, header, report)
    if not report.ok:
        return
    if len(table) == 1:
        report.error(None, "", "", _("The file has a header row but no factories."))
        return

    parsers = _parsers(country_names)
    parsed: list[tuple[int, dict[str, Any], set[str]]] = []
    first_row_of: dict[str, int] = {}
    for number, cells in table[1:]:
        data, bad = _read_row(number, cells, labels.column_at, labels.names, parsers, report)
        lat, lng = data.get("latitude"), data.get("longitude")
        if not bad and (lat is None) != (lng is None):
            column = "lng" if lng is None else "lat"
            bad.add(column)
            report.error(
                number,
                labels.names.get(column, column),
                "",
                _("Give both latitude and longitude, or neither."),
            )
        if os_id := data.get("os_id"):
            if os_id in first_row_of:
                bad.add("os_id")
                report.error(
                    number,
                    labels.names["os_id"],
                    os_id,
                    _("This Open Supply Hub ID is also in row %(row)s.")
                    % {"row": first_row_of[os_id]},
                )
            else:
                first_row_of[os_id] = number
        parsed.append((number, data, bad))

    for number, data, bad in parsed:
        if "country" in bad:
            value = tabular.as_text(data.get("_country_text", "")).strip()
            if value and value not in country_names:
                report.unknown_countries.setdefault(value, number)
        data.pop("_country_text", None)

    existing, taken = _existing(list(first_row_of), user)
    same = _same_factories([d for _n, d, bad in parsed if not bad], user)
    first_row_with: dict[tuple[str, str, str], int] = {}
    for number, data, bad in parsed:
        os_id = data.get("os_id")
        factory = existing.get(os_id) if os_id else None
        key = _match_key(data)
        if factory is None and key is not None and not bad:
            if key in first_row_with:
                report.error(
                    number,
                    labels.names["name"],
                    data.get("name", ""),
                    _("This factory (same name, country and address) is also in row %(row)s.")
                    % {"row": first_row_with[key]},
                )
                continue
            first_row_with[key] = number
            # A factory with no OS ID in the file is the one with the same name, country and
            # address, if the user may change it: importing a list twice registers it once.
            match = same.get(key)
            if match is not None and not (os_id and match.os_id and match.os_id != os_id):
                factory = match
        if os_id in taken and factory is None:
            # Say nothing about the factory: the user may not even know it exists.
            report.error(
                number,
                labels.names["os_id"],
                os_id,
                _("This Open Supply Hub ID belongs to a factory you cannot change."),
            )
            continue
        for name in ("sector", "tier"):
            if name in data and data[name] is None:  # blank: keep what there is, or the default
                del data[name]
        if factory is None:
            data.setdefault("sector", Sector.GARMENTS)
        _validate(number, factory, data, labels.names, bad, report)
        changed = [] if factory is None else _changes(factory, data)
        report.rows.append(ParsedRow(number, factory, data, changed))

    if report.ok and report.creates and not roles_of(user).provider_admin:
        report.error(
            None,
            "",
            "",
            _(
                "%(count)s rows would register new factories, but only administrators of a "
                "service provider register factories."
            )
            % {"count": report.creates},
        )


def _read_header(number: int, header: list[Any], report: Report) -> Header:
    """Match the header cells to columns; report duplicates, missing and unknown columns."""
    accepted = _header_names()
    result = Header({}, {})
    unknown = []
    for i, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        column = accepted.get(_norm(text))
        if column is None:
            unknown.append(text)
        elif column in result.names:
            report.error(
                number,
                text,
                text,
                _("This column appears twice: “%(other)s” is the same column.")
                % {"other": result.names[column]},
            )
        else:
            result.column_at[i] = column
            result.names[column] = text
    missing = [c for c in REQUIRED if c not in result.names]
    if missing:
        found = ", ".join(str(c).strip() for c in header if c is not None and str(c).strip())
        report.error(
            None,
            "",
            "",
            _("Required columns are missing: %(missing)s. The columns found were: %(found)s.")
            % {"missing": ", ".join(missing), "found": found or _("none")},
        )
    if unknown:
        report.warnings.append(
            _("These columns are not known and were ignored: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if "sector" not in result.names:
        report.warnings.append(
            _("There is no sector column: new factories are recorded as “%(sector)s”.")
            % {"sector": Sector.GARMENTS.label}
        )
    return result


def _read_row(
    number: int,
    cells: list[Any],
    columns: dict[int, str],
    labels: dict[str, str],
    parsers: dict[str, Any],
    report: Report,
) -> tuple[dict[str, Any], set[str]]:
    """Return a row's field values and the columns that were wrong (already reported)."""
    data: dict[str, Any] = {}
    bad: set[str] = set()
    for i, column in columns.items():
        raw = cells[i] if i < len(cells) else None
        # A leading apostrophe is how the exporter (and Excel) marks text that would
        # otherwise run as a formula; cell() returns what follows it, never a formula.
        value = tabular.cell(raw)
        if report.refused_formula(number, labels[column], raw):
            bad.add(column)
            continue
        try:
            data[FIELD_OF.get(column, column)] = parsers[column](value)
        except ValidationError as e:
            bad.add(column)
            report.error(number, labels[column], raw, " ".join(e.messages))
            if column == "country":
                data["_country_text"] = value  # for the user to say which country it is
    return data, bad


def _existing(os_ids: list[str], user: User | AnonymousUser) -> tuple[dict[str, Factory], set[str]]:
    """Return the factories with these OS IDs that the user may change, and all IDs in use."""
    mine: dict[str, Factory] = {}
    taken: set[str] = set()
    writable = factories_for(user, write=True)
    for chunk in itertools.batched(os_ids, 500):
        taken.update(
            str(os_id)
            for os_id in Factory.objects.filter(os_id__in=chunk).values_list("os_id", flat=True)
        )
        mine.update({f.os_id: f for f in writable.filter(os_id__in=chunk) if f.os_id})
    return mine, taken


def _match_key(data: Mapping[str, Any]) -> tuple[str, str, str] | None:
    if not data.get("name") or not data.get("country"):
        return None
    return (name_key(data["name"]), str(data["country"]), name_key(data.get("address") or ""))


def _same_factories(
    rows: list[dict[str, Any]], user: User | AnonymousUser
) -> dict[tuple[str, str, str], Factory]:
    """The factories the user may change, by name, country and address as compared."""
    names = {name_key(d["name"]) for d in rows if d.get("name")}
    found: dict[tuple[str, str, str], Factory] = {}
    if not names:
        return found
    codes = {str(d["country"]) for d in rows if d.get("country")}
    for factory in factories_for(user, write=True).filter(country__in=codes).iterator(2000):
        key = _match_key({"name": factory.name, "country": factory.country,
                          "address": factory.address})  # fmt: skip
        if key and key[0] in names:
            found.setdefault(key, factory)
    return found


def _changes(factory: Factory, data: Mapping[str, Any]) -> list[str]:
    """The fields whose values in the row differ from the factory's.

    A name or address written differently but compared alike ("DEMO KNIT LTD." for "Demo
    Knit Ltd") keeps the registry's spelling: the file only found the factory by it.
    """
    changed = []
    for name, value in data.items():
        current = getattr(factory, name)
        if name in ("name", "address") and name_key(current or "") == name_key(value or ""):
            continue
        if current != value:
            changed.append(name)
    return changed


def _validate(
    number: int,
    factory: Factory | None,
    data: dict[str, Any],
    labels: dict[str, str],
    bad: set[str],
    report: Report,
) -> None:
    """Report what the model itself refuses, such as a name that is too long."""
    candidate = copy.copy(factory) if factory else Factory()
    for name, value in data.items():
        setattr(candidate, name, value)
    try:
        # Uniqueness is settled above, the country by _country, and the organisation is set
        # when writing.
        candidate.full_clean(
            exclude=["registered_by", "country"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            column = next((c for c in COLUMNS if FIELD_OF.get(c, c) == name), name)
            if column not in bad:
                report.error(
                    number, labels.get(column, column), data.get(name, ""), " ".join(messages)
                )


def _os_id(value: Any) -> str | None:
    text = tabular.as_text(value).replace(" ", "").upper()
    if not text:
        return None
    OS_ID_VALIDATOR(text)
    return text


def _country_parser(country_names: Mapping[str, str]) -> Any:
    known: dict[str, str] = {}  # most lists repeat a few countries thousands of times

    def parse(value: Any) -> str:
        text = tabular.as_text(value).strip()
        if not text:
            raise ValidationError(_("A country is required."))
        if text not in known:
            known[text] = country_names.get(text) or country_code(text)
        if not known[text]:
            raise ValidationError(
                _(
                    "“%(value)s” is not a country we know. "
                    "Choose the country it means below, or write its ISO code, such as BD."
                )
                % {"value": text}
            )
        return known[text]

    return parse


def _required_text(value: Any) -> str:
    text = tabular.as_text(value).strip()
    if not text:
        raise ValidationError(_("This is required."))
    return text


def _choice(choices: type[Sector] | type[Tier], words: Mapping[str, str] | None = None) -> Any:
    names = _choice_names(choices)

    def parse(value: Any) -> str | None:
        text = _norm(tabular.as_text(value))
        if not text:
            return None
        if text in names:
            return names[text]
        # Open Supply Hub lists several sectors at once, such as "Apparel|Textiles".
        for part in re.split(r"[|;,/]", text):
            part = part.strip()
            if part in names:
                return names[part]
            if words and part in words:
                return words[part]
        allowed = ", ".join(choices.values)
        raise ValidationError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": tabular.as_text(value), "allowed": allowed}
        )

    return parse


def _coordinate(low: int, high: int) -> Any:
    def parse(value: Any) -> Decimal | None:
        text = tabular.as_text(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if not number.is_finite() or not low <= number <= high:
            raise ValidationError(
                _("This must be a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    return parse


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        raise ValidationError(_("Write the number of workers, such as 250."))
    text = tabular.as_text(value).strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a whole number. Write the number of workers, such as 250.")
            % {"value": tabular.as_text(value)}
        ) from None
    if number < 0:
        raise ValidationError(_("The number of workers cannot be negative."))
    return number


def _parsers(country_names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "country": _country_parser(country_names),
        "name": _required_text,
        "address": lambda v: tabular.as_text(v).strip(),
        "sector": _choice(Sector, SECTOR_WORDS),
        "lat": _coordinate(-90, 90),
        "lng": _coordinate(-180, 180),
        "os_id": _os_id,
        "city": lambda v: tabular.as_text(v).strip(),
        "product_types": lambda v: tabular.as_text(v).strip(),
        "tier": _choice(Tier),
        "workers_female": _count,
        "workers_male": _count,
        "score_graduate": tabular.as_boolean,
        "better_work": tabular.as_boolean,
        "consent_date": tabular.as_date,
    }
