"""Importing the factory registry from CSV and Excel: all rows or none, every error reported."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fithub.conftest import Cast
from fithub.factories.imports import COLUMNS, FIELD_OF
from fithub.factories.models import Factory
from fithub.lib.tabular import MAX_ERRORS
from fithub.tests.cast import text

URL = reverse("factories:import")
OS_HUB = (
    "country,name,address,sector,lat,lng\n"
    'Bangladesh,Demo Knit Ltd,"Plot 5, Gazipur",Apparel,23.99,90.42\n'
    'Pakistan,Indus Textiles,"Korangi, Karachi",Textiles,24.83,67.12\n'
)
FULL = (
    "country,name,address,sector,lat,lng,os_id,city,product_types,tier,"
    "workers_female,workers_male,score_graduate,better_work,consent_date\n"
    "BD,Delta Denim,Road 3,denim,23.8,90.4,BD2019085AQ1Y2N,Dhaka,jeans,direct,"
    "300,200,yes,no,2026-03-31\n"
    "pk,Epsilon Shoes,,Footwear,,,,Lahore,,Subcontractor,12,8,0,1,31/01/2026\n"
)


def check(client: Client, content: bytes | str, name: str = "factories.csv"):  # type: ignore[no-untyped-def]
    """Upload a file: the page checks it and shows what an import would do."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm(client: Client, checked):  # type: ignore[no-untyped-def]
    """Confirm the import the page previewed, as its Import button does."""
    report = checked.context["report"]
    return client.post(
        URL, {"step": "confirm", "token": checked.context["token"], "plan": report.plan}
    )


def post(client: Client, content: bytes | str, name: str = "factories.csv"):  # type: ignore[no-untyped-def]
    """Upload and, if the file is good and has something to write, confirm."""
    checked = check(client, content, name)
    report = checked.context and checked.context.get("report")
    if report is None or not report.ok or not report.to_write:
        return checked
    return confirm(client, checked)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assert_refused(response, before: int, *messages: str) -> None:  # type: ignore[no-untyped-def]
    body = text(response)
    assert response.status_code == 200
    assert 'id="import-errors"' in body
    assert "created," not in body
    for message in messages:
        assert message in body, message
    assert Factory.objects.count() == before


# Good files


def test_good_csv_creates_rows_and_reports_counts(cast: Cast) -> None:
    response = post(cast.client(cast.admin_a), FULL)
    assert "2 created, 0 updated, 0 unchanged." in text(response)
    delta = Factory.objects.get(name="Delta Denim")
    assert (delta.country, delta.city, delta.sector, delta.tier) == (
        "BD",
        "Dhaka",
        "denim",
        "direct",
    )
    assert (delta.latitude, delta.longitude) == (Decimal("23.8"), Decimal("90.4"))
    assert (delta.workers_female, delta.workers_male) == (300, 200)
    assert delta.score_graduate and not delta.better_work
    assert delta.consent_date == date(2026, 3, 31)
    assert delta.os_id == "BD2019085AQ1Y2N"
    assert delta.registered_by == cast.provider_a
    assert delta.history.get().history_user == cast.admin_a
    eps = Factory.objects.get(name="Epsilon Shoes")
    assert (eps.country, eps.sector, eps.tier) == ("PK", "footwear", "subcontractor")
    assert eps.better_work and not eps.score_graduate
    assert eps.consent_date == date(2026, 1, 31)
    assert eps.os_id is None and eps.latitude is None


def test_good_xlsx(cast: Cast) -> None:
    content = xlsx(
        [
            ["Country", "Name", "Sector", "Latitude", "Longitude", "Women workers",
             "SCORE graduate", "consent_date"],
            ["Bangladesh", "Zeta Apparel", "Knitwear", 23.75, 90.39, 410, True, date(2026, 2, 1)],
        ]
    )  # fmt: skip
    response = post(cast.client(cast.admin_a), content, "list.xlsx")
    assert "1 created, 0 updated, 0 unchanged." in text(response)
    zeta = Factory.objects.get(name="Zeta Apparel")
    assert (zeta.country, zeta.sector, zeta.workers_female) == ("BD", "knitwear", 410)
    assert zeta.latitude == Decimal("23.75") and zeta.score_graduate
    assert zeta.consent_date == date(2026, 2, 1)


def test_open_supply_hub_list_imports_as_it_is(cast: Cast) -> None:
    response = post(cast.client(cast.admin_a), OS_HUB)
    assert "2 created, 0 updated, 0 unchanged." in text(response)
    demo = Factory.objects.get(name="Demo Knit Ltd")
    assert (demo.country, demo.address, demo.sector) == ("BD", "Plot 5, Gazipur", "garments")
    assert (demo.latitude, demo.longitude) == (Decimal("23.99"), Decimal("90.42"))
    assert Factory.objects.get(name="Indus Textiles").sector == "textile"


def test_update_by_os_id(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(os_id="PK2020001ABC123")
    before = Factory.objects.count()
    content = (
        "Open Supply Hub ID,country,name,city,workers_male\n"
        "PK2020001ABC123,PK,Alpha Garments,Lahore,99\n"
    )
    response = post(cast.client(cast.admin_a), content)
    assert "0 created, 1 updated, 0 unchanged." in text(response)
    assert Factory.objects.count() == before
    cast.factory_a.refresh_from_db()
    assert (cast.factory_a.city, cast.factory_a.workers_male) == ("Lahore", 99)
    assert cast.factory_a.sector == "garments"  # no sector column: left as it was
    latest = cast.factory_a.history.latest()
    assert latest.history_type == "~" and latest.history_user == cast.admin_a


def test_coordinator_of_a_factory_cannot_import_even_to_update(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(os_id="PK2020001ABC123")
    before = list(Factory.objects.order_by("pk").values())
    content = "os_id,country,name,city\nPK2020001ABC123,PK,Alpha Garments,Lahore\n"
    response = post(cast.client(cast.coordinator_a), content)
    assert response.status_code == 403
    assert list(Factory.objects.order_by("pk").values()) == before


def test_round_trip_export_then_import_changes_nothing(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(
        os_id="PK2020001ABC123", latitude=Decimal("24.86"), longitude=Decimal("67.01")
    )
    Factory.objects.create(
        name="=HYPERLINK(\"http://x\")", os_id="BD2021002XYZ789", country="BD", sector="denim",
        address="বাড়ি ৫, গাজীপুর", tier="direct", workers_female=5, better_work=True,
        consent_date=date(2026, 4, 1), longitude=Decimal("-12.5"), latitude=Decimal("-8"),
        registered_by=cast.provider_a,
    )  # fmt: skip
    client = cast.client(cast.admin_a)
    fields = [FIELD_OF.get(c, c) for c in COLUMNS]
    before = list(Factory.objects.order_by("pk").values_list(*fields))
    for kind in ("csv", "xlsx"):
        export = client.get(reverse("factories:export"), {"format": kind})
        content = b"".join(export.streaming_content) if kind == "csv" else export.content
        response = post(client, content, f"export.{kind}")
        assert "0 new, 0 to update, 2 already as in the file" in text(response), kind
        assert "step" not in response.context or response.context.get("result") is None
        assert list(Factory.objects.order_by("pk").values_list(*fields)) == before


# Bad files: every kind is reported, and nothing is written


def test_missing_required_columns(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "factory,city\nX,Dhaka\n")
    assert_refused(
        response,
        before,
        "Required columns are missing: country.",
        "The columns found were: factory, city.",
    )


def test_wrong_columns_entirely(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "colour,size\nred,XL\n")
    assert_refused(response, before, "Required columns are missing: country, name.")


def test_unknown_columns_are_a_warning_not_an_error(cast: Cast) -> None:
    response = post(cast.client(cast.admin_a), "country,name,number_of_workers\nBD,Theta,500\n")
    body = text(response)
    assert "1 created, 0 updated, 0 unchanged." in body
    assert "These columns are not known and were ignored: number_of_workers." in body


def test_column_twice(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "country,name,lat,latitude,lng\nBD,X,1,2,3\n")
    assert_refused(response, before, "This column appears twice")


@pytest.mark.parametrize(
    ("lat", "lng", "message"),
    [
        ("abc", "90", "“abc” is not a number."),
        ("91", "90", "This must be a number from -90 to 90."),
        ("-90.5", "90", "This must be a number from -90 to 90."),
        ("23", "181", "This must be a number from -180 to 180."),
        ("23", "", "Give both latitude and longitude, or neither."),
        ("", "90", "Give both latitude and longitude, or neither."),
    ],
)
def test_bad_coordinates(cast: Cast, lat: str, lng: str, message: str) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), f"country,name,lat,lng\nBD,Iota,{lat},{lng}\n")
    assert_refused(response, before, message)


def test_negative_coordinates_are_numbers_not_formulas(cast: Cast) -> None:
    response = post(cast.client(cast.admin_a), "country,name,lat,lng\nBR,Kappa,-8.05,-34.9\n")
    assert "1 created, 0 updated, 0 unchanged." in text(response)
    assert Factory.objects.get(name="Kappa").longitude == Decimal("-34.9")


def test_unknown_country(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "country,name\nAtlantis,Lambda\nBD,Mu\n")
    assert_refused(response, before, "“Atlantis” is not a country we know.")


def test_country_names_people_write_are_read(cast: Cast) -> None:
    names = {
        "United States": "US", "UK": "GB", "Great Britain": "GB", "Ivory Coast": "CI",
        "Burma": "MM", "Macau": "MO", "Viet Nam": "VN", "Türkiye": "TR", "বাংলাদেশ": "BD",
        "پاکستان": "PK", "Korea, Republic of": "KR", "U.S.A.": "US",
    }  # fmt: skip
    rows = "".join(f'"{name}",Plant {i}\n' for i, name in enumerate(names))
    response = post(cast.client(cast.admin_a), "country,name\n" + rows)
    assert f"{len(names)} created, 0 updated, 0 unchanged." in text(response)
    got = dict(Factory.objects.filter(name__startswith="Plant ").values_list("name", "country"))
    assert got == {f"Plant {i}": code for i, code in enumerate(names.values())}


def test_an_unknown_country_name_is_mapped_once_for_the_whole_file(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    before = Factory.objects.count()
    content = "country,name\nMainland China,Lambda\nBD,Mu\nMainland China,Nu\n"
    checked = check(client, content)
    body = text(checked)
    assert 'id="import-countries"' in body
    assert body.count('name="name-0" value="Mainland China"') == 1
    assert 'name="name-1"' not in body  # one question for the name, not one per row
    assert Factory.objects.count() == before

    mapped = client.post(URL, {"step": "map", "token": checked.context["token"], "unknown": 1,
                               "name-0": "Mainland China", "country-0": "CN"})  # fmt: skip
    assert "3 new, 0 to update, 0 already as in the file" in text(mapped)
    assert Factory.objects.count() == before  # still only a preview
    done = confirm(client, mapped)
    assert "3 created, 0 updated, 0 unchanged." in text(done)
    assert set(
        Factory.objects.filter(name__in=["Lambda", "Nu"]).values_list("country", flat=True)
    ) == {"CN"}


def test_a_country_that_is_not_one_is_not_mapped(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    checked = check(client, "country,name\nAtlantis,Lambda\n")
    mapped = client.post(URL, {"step": "map", "token": checked.context["token"], "unknown": 1,
                               "name-0": "Atlantis", "country-0": "ZZ"})  # fmt: skip
    assert_refused(mapped, Factory.objects.count(), "“Atlantis” is not a country we know.")
    assert not Factory.objects.filter(name="Lambda").exists()


# Importing again: a preview first, and a factory already there is matched, not duplicated


def test_nothing_is_written_until_the_preview_is_confirmed(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    before = Factory.objects.count()
    checked = check(client, OS_HUB)
    assert "2 new, 0 to update, 0 already as in the file" in text(checked)
    assert Factory.objects.count() == before
    assert "2 created, 0 updated, 0 unchanged." in text(confirm(client, checked))
    assert Factory.objects.count() == before + 2


def test_the_same_list_imported_twice_registers_each_factory_once(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    post(client, OS_HUB)
    before = Factory.objects.count()
    again = check(client, OS_HUB)
    assert "0 new, 0 to update, 2 already as in the file" in text(again)
    assert 'name="step" value="confirm"' not in text(again)  # nothing to confirm
    assert Factory.objects.count() == before


def test_a_factory_without_os_id_is_matched_by_name_country_and_address(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    post(client, OS_HUB)
    before = Factory.objects.count()
    # Case, accents, stops and spacing differ; the sector changed.
    edited = (
        "country,name,address,sector\n"
        'BD,DEMO KNIT LTD.,"plot 5,  Gazipur",Knitwear\n'
        'Pakistan,Indus Textiles,"Korangi, Karachi",Textiles\n'
    )
    checked = check(client, edited)
    assert "0 new, 1 to update, 1 already as in the file" in text(checked)
    assert "Update: sector" in text(checked)
    assert "0 created, 1 updated, 1 unchanged." in text(confirm(client, checked))
    assert Factory.objects.count() == before
    assert Factory.objects.get(name="Demo Knit Ltd").sector == "knitwear"


def test_another_providers_factory_of_the_same_name_is_not_matched(cast: Cast) -> None:
    # Provider B's Beta Knit is not provider A's to change: A's row registers its own.
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "country,name,city\nBD,Beta Knit,Gazipur\n")
    assert "1 created, 0 updated, 0 unchanged." in text(response)
    assert Factory.objects.count() == before + 1
    cast.factory_b.refresh_from_db()
    assert cast.factory_b.registered_by == cast.provider_b


def test_two_rows_for_one_factory_in_a_file_are_refused(cast: Cast) -> None:
    before = Factory.objects.count()
    content = "country,name,address\nBD,Rho,Road 1\nBD,rho,road 1\n"
    assert_refused(post(cast.client(cast.admin_a), content), before, "also in row 2")


def test_a_confirmation_after_the_registry_changed_shows_the_new_plan(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    checked = check(client, OS_HUB)
    Factory.objects.create(name="Demo Knit Ltd", country="BD", address="Plot 5, Gazipur",
                           registered_by=cast.provider_a)  # fmt: skip
    before = Factory.objects.count()
    stale = confirm(client, checked)
    assert "The registry changed since you checked this file" in text(stale)
    assert "1 new, 1 to update, 0 already as in the file" in text(stale)
    assert Factory.objects.count() == before


def test_a_kept_file_is_only_for_the_session_that_uploaded_it(cast: Cast) -> None:
    checked = check(cast.client(cast.admin_a), OS_HUB)
    before = Factory.objects.count()
    other = cast.client(cast.admin_a)  # the same person, another browser: another session
    token, plan = checked.context["token"], checked.context["report"].plan
    response = other.post(URL, {"step": "confirm", "token": token, "plan": plan})
    assert "The file you checked is no longer kept" in text(response)
    assert Factory.objects.count() == before


def test_country_names_and_codes_in_any_case(cast: Cast) -> None:
    content = "country,name\nbangladesh,N1\nbd,N2\nBGD,N3\nViet Nam,N4\nVietnam,N5\n"
    assert "5 created, 0 updated, 0 unchanged." in text(post(cast.client(cast.admin_a), content))
    assert set(Factory.objects.filter(name__startswith="N").values_list("country", flat=True)) == {
        "BD",
        "VN",
    }


def test_duplicate_os_ids_in_the_file(cast: Cast) -> None:
    before = Factory.objects.count()
    content = "country,name,os_id\nBD,Nu,BD2019085AQ1Y2N\nBD,Xi,BD2019085AQ1Y2N\n"
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, "This Open Supply Hub ID is also in row 2.")


def test_os_id_that_fails_the_validator(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "country,name,os_id\nBD,Omicron,12345\n")
    assert_refused(response, before, "An Open Supply Hub ID looks like BD2019085AQ1Y2N.")


def test_os_id_of_a_factory_the_user_cannot_change(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_b.pk).update(os_id="BD2019085AQ1Y2N")
    before = Factory.objects.count()
    content = "country,name,os_id\nBD,Taken Over,BD2019085AQ1Y2N\n"
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, "belongs to a factory you cannot change")
    assert "Beta Knit" not in text(response)
    cast.factory_b.refresh_from_db()
    assert cast.factory_b.name == "Beta Knit"


def test_empty_file(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), b"")
    assert response.status_code == 200
    assert "The submitted file is empty." in text(response)
    assert Factory.objects.count() == before


def test_blank_file(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "\r\n , \n\n")
    assert_refused(response, before, "The file is empty.")


def test_header_only(cast: Cast) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), "\ufeffcountry,name,address,sector,lat,lng\r\n")
    assert_refused(response, before, "The file has a header row but no factories.")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "list.pdf",
            "Only CSV and Excel (.xlsx) files can be imported, not .pdf files.",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", "list.docx", "not .docx files."),
        (b"country,name\nBD,X\n", "list", "Name the file .csv or .xlsx."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "list.csv", "This is not a CSV file."),
        (b"%PDF-1.7\n1 0 obj", "list.csv", "This is not a CSV file."),
        (bytes(range(256)) * 40, "list.csv", "This is not a CSV file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "list.xls", "Old Excel files (.xls) cannot be read."),
        (b"country,name\nBD,X\n", "list.xlsx", "This is not an Excel (.xlsx) file"),
    ],
)
def test_not_a_csv(cast: Cast, content: bytes, name: str, message: str) -> None:
    before = Factory.objects.count()
    response = post(cast.client(cast.admin_a), content, name)
    assert_refused(response, before, message)


def test_file_over_the_limit_is_refused(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    before = Factory.objects.count()
    row = b"BD,Big Factory,Somewhere,garments,23.9,90.4\n"
    content = b"country,name,address,sector,lat,lng\n" + row * (20 * 1024 * 1024 // len(row))
    assert len(content) > 19 * 1024 * 1024
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, "The file is larger than 10 MB.")


@pytest.mark.parametrize(
    "cell",
    ['"=HYPERLINK(""http://evil.example"",""click"")"', "=1+2", "@SUM(A1:A2)",
     "+1+cmd|' /C calc'!A0", "-2+3", "=5"],
)  # fmt: skip
def test_formulas_in_csv_cells_are_refused(cast: Cast, cell: str) -> None:
    before = Factory.objects.count()
    content = f"country,name,city\nBD,Good Row,Dhaka\nBD,Rho,{cell}\n"
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, "Formulas are not imported.")


def test_formulas_in_xlsx_cells_are_refused(cast: Cast) -> None:
    before = Factory.objects.count()
    content = xlsx([["country", "name", "workers_male"], ["BD", "Sigma", "=10*10"]])
    assert load_workbook(io.BytesIO(content))["Sheet"]["C2"].data_type == "f"
    response = post(cast.client(cast.admin_a), content, "list.xlsx")
    assert_refused(response, before, "Formulas are not imported.")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("workers_female", "many", "“many” is not a whole number."),
        ("workers_male", "-5", "The number of workers cannot be negative."),
        ("workers_male", "12.5", "is not a whole number"),
        ("score_graduate", "maybe", "“maybe” is not yes or no."),
        ("consent_date", "31.03.2026", "“31.03.2026” is not a date."),
        ("consent_date", "2026-02-30", "is not a date"),
        ("sector", "Electronics", "“Electronics” is not one of: textile, garments, knitwear"),
        ("tier", "first", "“first” is not one of: direct, subcontractor, unknown."),
        ("name", "", "This is required."),
        ("country", "", "A country is required."),
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_values(cast: Cast, column: str, value: str, message: str) -> None:
    before = Factory.objects.count()
    header = (
        ["country", "name", column] if column not in ("country", "name") else ["country", "name"]
    )
    row = {"country": "BD", "name": "Tau", column: value}
    content = ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n"
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, message)


def test_booleans_accept_the_usual_words(cast: Cast) -> None:
    rows = "".join(
        f"BD,B{i},{v},{v}\n"
        for i, v in enumerate(["yes", "Y", "TRUE", "1", "no", "n", "False", "0", ""])
    )
    response = post(cast.client(cast.admin_a), "country,name,score_graduate,better_work\n" + rows)
    assert "9 created, 0 updated, 0 unchanged." in text(response)
    got = dict(
        Factory.objects.filter(name__startswith="B", name__regex=r"^B\d$").values_list(
            "name", "better_work"
        )
    )
    assert got == {f"B{i}": i < 4 for i in range(9)}


def test_one_bad_row_among_good_rows_writes_none(cast: Cast) -> None:
    before = Factory.objects.count()
    good = "".join(f"BD,Good {i},garments,23.9,90.4\n" for i in range(50))
    content = (
        "country,name,sector,lat,lng\n"
        + good
        + "BD,Bad,garments,123,90.4\n"
        + good.replace("Good", "Fine")
    )
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, '<td class="num">52</td>')


def test_every_error_is_reported_with_row_and_column(cast: Cast) -> None:
    content = "country,name,lat,lng,workers_male\nXX,A,1,2,3\nBD,B,x,2,3\nBD,C,1,2,lots\n"
    body = text(post(cast.client(cast.admin_a), content))
    assert body.count('<tr><td class="num">') == 3
    for row, column in (("2", "country"), ("3", "lat"), ("4", "workers_male")):
        assert f'<td class="num">{row}</td><td>{column}</td>' in body


def test_errors_are_capped(cast: Cast) -> None:
    before = Factory.objects.count()
    content = "country,name\n" + "Atlantis,X\n" * (MAX_ERRORS + 100)
    response = post(cast.client(cast.admin_a), content)
    assert_refused(response, before, "… and 100 more problems.")
    assert text(response).count("is not a country") == MAX_ERRORS


def test_errors_come_in_the_users_language(cast: Cast) -> None:
    before = Factory.objects.count()
    client = cast.client(cast.admin_a)
    client.cookies["django_language"] = "bn"
    response = client.post(
        URL,
        {"file": SimpleUploadedFile("f.csv", b"country,name,lat,lng\nAtlantis,X,99,1\n")},
        HTTP_ACCEPT_LANGUAGE="bn",
    )
    assert response.status_code == 200
    assert 'lang="bn"' in text(response)
    assert_refused(response, before)


# Encodings and headers


def test_windows_1252_and_semicolons(cast: Cast) -> None:
    content = "country;name;city\nBD;Café Ltd;Dhaka\n".encode("cp1252")
    assert "1 created, 0 updated, 0 unchanged." in text(post(cast.client(cast.admin_a), content))
    assert Factory.objects.filter(name="Café Ltd", city="Dhaka").exists()


def test_utf8_with_bom_and_bengali(cast: Cast) -> None:
    content = "\ufeffcountry,name,city\nBD,আলফা পোশাক,ঢাকা\n".encode()
    assert "1 created, 0 updated, 0 unchanged." in text(post(cast.client(cast.admin_a), content))
    assert Factory.objects.filter(name="আলফা পোশাক", city="ঢাকা").exists()


def test_utf16_from_excel_unicode_text(cast: Cast) -> None:
    content = "country\tname\nBD\tUpsilon\n".encode("utf-16")
    assert "1 created, 0 updated, 0 unchanged." in text(
        post(cast.client(cast.admin_a), content, "f.txt")
    )


def test_headers_are_matched_loosely(cast: Cast) -> None:
    content = (
        " COUNTRY , Name ,Open Supply Hub ID,Latitude,LONGITUDE,Supply-chain tier\n"
        "BD,Phi,BD2019085AQ1Y2N,23,90,direct\n"
    )
    assert "1 created, 0 updated, 0 unchanged." in text(post(cast.client(cast.admin_a), content))
    phi = Factory.objects.get(name="Phi")
    assert (phi.os_id, phi.latitude, phi.tier) == ("BD2019085AQ1Y2N", Decimal(23), "direct")


def test_sector_defaults_to_garments(cast: Cast) -> None:
    response = post(cast.client(cast.admin_a), "country,name,sector\nBD,Chi,\n")
    assert "1 created, 0 updated, 0 unchanged." in text(response)
    assert Factory.objects.get(name="Chi").sector == "garments"
    response = post(cast.client(cast.admin_a), "country,name\nBD,Psi\n")
    assert "There is no sector column" in text(response)
    assert Factory.objects.get(name="Psi").sector == "garments"


# Who may import


def test_template_has_every_column(cast: Cast) -> None:
    response = cast.client(cast.admin_a).get(URL, {"template": 1})
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content.strip().split(",") == list(COLUMNS)


@pytest.mark.parametrize(
    "who", ["facilitator_a", "coordinator_a", "worker_rep_a", "buyer", "owner", "outsider"]
)
def test_only_provider_admins_import(cast: Cast, who: str) -> None:
    before = Factory.objects.count()
    client = cast.client(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"template": 1}).status_code == 403
    assert post(client, OS_HUB).status_code == 403
    assert Factory.objects.count() == before


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    response = post(Client(), OS_HUB)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Factory.objects.filter(name="Demo Knit Ltd").exists()


def test_admins_see_the_page(cast: Cast) -> None:
    for user in (cast.admin_a, cast.admin_b):
        response = cast.client(user).get(URL)
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in text(response)


def test_superuser_without_a_provider_does_not_import(cast: Cast) -> None:
    # Factories are registered on behalf of a provider; a superuser has none to name.
    before = Factory.objects.count()
    assert post(cast.client(cast.superuser), OS_HUB).status_code == 403
    assert Factory.objects.count() == before


def test_admin_b_updates_its_own_factory_only(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(os_id="PK2020001ABC123")
    Factory.objects.filter(pk=cast.factory_b.pk).update(os_id="BD2019085AQ1Y2N")
    client = cast.client(cast.admin_b)
    response = post(client, "country,name,os_id\nBD,Beta Knit Two,BD2019085AQ1Y2N\n")
    assert "0 created, 1 updated, 0 unchanged." in text(response)
    before = Factory.objects.count()
    response = post(client, "country,name,os_id\nPK,Alpha Renamed,PK2020001ABC123\n")
    assert_refused(response, before, "belongs to a factory you cannot change")
    assert Factory.objects.filter(name="Alpha Garments").exists()
