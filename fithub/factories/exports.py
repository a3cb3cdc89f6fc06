"""Write factory lists as CSV or Excel, in the columns the importer reads back."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from fithub.factories.imports import COLUMNS, FIELD_OF
from fithub.factories.models import Factory
from fithub.lib import tabular, xlsx

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = xlsx.CONTENT_TYPE
TEXT_FIELDS = ("name", "address", "city", "product_types", "os_id")


def filename(extension: str) -> str:
    return f"fithub-factories-{timezone.localdate():%Y-%m-%d}.{extension}"


def factory_rows(qs: QuerySet[Factory], *, excel: bool = False) -> Iterator[list[Any]]:
    """Yield one row per factory in COLUMNS order, in one query per 2,000 factories."""
    fields = [FIELD_OF.get(c, c) for c in COLUMNS]
    for values in qs.values_list(*fields).iterator(chunk_size=2000):
        row = []
        for name, value in zip(fields, values, strict=True):
            if name in TEXT_FIELDS:
                # An Excel text cell never runs; CSV has no text cells, so it needs the apostrophe.
                value = (value or "") if excel else tabular.neutralise(value or "")
            elif isinstance(value, bool):
                value = value if excel else ("yes" if value else "no")
            elif isinstance(value, Decimal):
                # 23.990000 is stored; 23.99 is what was written.
                value = float(value) if excel else format(value.normalize(), "f")
            elif isinstance(value, date) and not excel:
                value = value.isoformat()
            row.append("" if value is None and not excel else value)
        yield row


def csv_response(rows: Iterable[list[Any]], name: str) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM, so that Excel shows Bengali and Urdu correctly."""

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_csv(qs: QuerySet[Factory]) -> StreamingHttpResponse:
    """Stream the factories as CSV."""
    return csv_response(_with_header(factory_rows(qs)), filename("csv"))


def export_xlsx(qs: QuerySet[Factory]) -> HttpResponse:
    """Write the factories to an Excel workbook."""
    rows = _with_header(factory_rows(qs, excel=True))
    return xlsx.response(rows, sheet="Factories", filename=filename("xlsx"))


def import_template() -> StreamingHttpResponse:
    """Return an empty CSV with every column the importer reads."""
    return csv_response([list(COLUMNS)], "fithub-factories-template.csv")


def _with_header(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield list(COLUMNS)
    yield from rows
