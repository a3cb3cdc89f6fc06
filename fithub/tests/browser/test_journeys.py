"""What users do, end to end in a real browser: log in, switch language, register, import, export.

Each test builds its own cast with make_cast(): the `cast` fixture uses `db`, whose transaction
the live server's thread cannot see.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from fithub.conftest import make_cast
from fithub.factories.models import Factory, TeamMember
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def gettext_in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def factory_count(page: Page) -> str:
    """Return the "N factories" line of the factory list."""
    page.goto("/factories/")
    return page.locator("#results > p.muted").first.inner_text()


def test_log_in_through_the_form(page: Page) -> None:
    make_cast()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("E-mail address").fill("admin.a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Factories")).to_be_visible()
    # The static files were served, and the stylesheet applied.
    assert page.evaluate("typeof htmx") == "object"
    header_bg = page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg == "rgb(11, 93, 122)"


def test_switch_to_urdu_lays_the_page_out_right_to_left(page: Page, login) -> None:
    cast = make_cast()
    login(cast.admin_a)
    page.goto("/factories/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")

    page.locator("select#language").select_option("ur")  # app.js submits the form on change
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ur")
    expect(page).to_have_url(re.compile(r"/factories/$"))  # the selector returns to the same page
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    brand = page.locator("header.top a.brand").bounding_box()
    nav = page.locator("header.top nav").bounding_box()
    assert brand and nav
    assert brand["x"] > nav["x"], "in Urdu the brand should sit to the right of the navigation"

    page.locator("select#language").select_option("en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    brand = page.locator("header.top a.brand").bounding_box()
    nav = page.locator("header.top nav").bounding_box()
    assert brand and nav and brand["x"] < nav["x"]


def test_register_a_factory_after_fixing_a_bad_latitude(page: Page, login) -> None:
    cast = make_cast()
    login(cast.admin_a)
    page.goto("/factories/")
    page.get_by_role("link", name="Register a factory").click()
    expect(page).to_have_url(re.compile(r"/factories/new/$"))

    page.get_by_label("Name").fill("Gamma Stitch")
    page.get_by_label("Country").select_option("PK")
    page.get_by_label("City").fill("Lahore")
    page.get_by_label("Sector").select_option("garments")
    page.get_by_label("Latitude").fill("95")
    page.get_by_label("Longitude").fill("74.3")
    page.get_by_role("button", name="Save").click()

    latitude = page.get_by_label("Latitude")
    expect(latitude).to_have_attribute("aria-invalid", "true")
    described = latitude.get_attribute("aria-describedby") or ""
    error_id = next((i for i in described.split() if i.endswith("_error")), None)
    assert error_id, f"the latitude field names no error element (aria-describedby={described!r})"
    error = page.locator(f"#{error_id}")
    expect(error).to_be_visible()
    expect(error).to_contain_text("90")
    # What the user typed is kept.
    expect(page.get_by_label("Name")).to_have_value("Gamma Stitch")
    assert not Factory.objects.filter(name="Gamma Stitch").exists()

    latitude.fill("31.52")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gamma Stitch")
    expect(page.get_by_role("status")).to_contain_text("Factory Gamma Stitch registered.")
    expect(page.locator("dl.facts")).to_contain_text("Lahore")

    page.goto("/factories/")
    expect(page.locator("#results").get_by_role("link", name="Gamma Stitch")).to_be_visible()
    expect(page.locator("#results > p.muted").first).to_have_text("2 factories")


BAD_CSV = (
    "name,country,city,sector,lat,lng\n"
    "Delta Denim,PK,Faisalabad,denim,31.4,73.1\n"
    ",PK,Karachi,garments,24.9,67.0\n"
    "Epsilon Knits,ZZ,Dhaka,knitwear,23.8,90.4\n"
    "Zeta Textiles,BD,Gazipur,textile,123.0,90.4\n"
)
GOOD_CSV = (
    "name,country,city,sector,lat,lng\n"
    "Delta Denim,PK,Faisalabad,denim,31.4,73.1\n"
    "Epsilon Knits,BD,Dhaka,knitwear,23.8,90.4\n"
)


def test_import_reports_every_bad_row_and_writes_nothing_then_imports(page: Page, login) -> None:
    cast = make_cast()
    login(cast.admin_a)
    before = factory_count(page)
    assert before == "1 factory"
    page.get_by_role("link", name="Import").click()
    expect(page).to_have_url(re.compile(r"/factories/import/$"))

    page.locator("input[type=file]").set_input_files(
        {"name": "factories.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Nothing was imported")
    table = alert.locator("table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers[:2] == ["Row", "Column"] and "Problem" in headers, headers
    reported = {}
    for tr in table.locator("tbody tr").all():
        cells = dict(zip(headers, (c.strip() for c in tr.locator("td").all_inner_texts())))
        reported[(cells["Row"], cells["Column"])] = cells["Problem"]
    # Every bad row and column is reported, counted as in a spreadsheet (the header is row 1);
    # the good row 2 is not.
    assert set(reported) == {("3", "name"), ("4", "country"), ("5", "lat")}, reported
    assert all(reported.values()), reported
    assert "ZZ" in reported[("4", "country")]

    assert factory_count(page) == before  # all or nothing: the good row was not written either
    assert not Factory.objects.filter(name="Delta Denim").exists()

    page.goto("/factories/import/")
    page.locator("input[type=file]").set_input_files(
        {"name": "factories.csv", "mimeType": "text/csv", "buffer": GOOD_CSV.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("2 new, 0 to update")
    assert not Factory.objects.filter(name="Delta Denim").exists()  # shown, not yet written
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").filter(has_text="created")).to_contain_text("2 created")
    assert factory_count(page) == "3 factories"
    expect(page.locator("#results").get_by_role("link", name="Delta Denim")).to_be_visible()
    expect(page.locator("#results").get_by_role("link", name="Epsilon Knits")).to_be_visible()


def test_export_csv_holds_only_the_factories_the_user_may_see(page: Page, login) -> None:
    cast = make_cast()
    Factory.objects.create(
        name="Gamma Stitch", country="PK", sector="garments", registered_by=cast.provider_a
    )
    login(cast.admin_a)
    page.goto("/factories/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    names = {row["name"] for row in csv.DictReader(io.StringIO(content))}
    assert names == {"Alpha Garments", "Gamma Stitch"}, content
    assert "Beta Knit" not in content  # provider B's factory


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_add_team_member_with_htmx_on_a_phone(page: Page, login) -> None:
    cast = make_cast()
    login(cast.admin_a)
    page.goto(f"/factories/{cast.factory_a.pk}/")
    assert page.viewport_size == {"width": 390, "height": 844}
    team = page.locator("#team")
    expect(team).to_contain_text("No team members yet.")
    # A full reload would drop this marker; an htmx swap keeps it.
    page.evaluate("window.__noReload = true")

    team.get_by_label("Name").fill("Nadia Sewing Lead")
    team.get_by_label("Role").select_option("supervisor")
    team.get_by_label("Department").select_option("sewing")
    team.get_by_label("Sex").select_option("female")
    posted = lambda r: r.url.endswith("/team/") and r.request.method == "POST"  # noqa: E731
    with page.expect_response(posted) as resp:
        team.get_by_role("button", name="Add to team").click()
    assert resp.value.request.headers.get("hx-request") == "true"
    row = page.locator("#team tbody tr").filter(has_text="Nadia Sewing Lead")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Supervisor")
    expect(page.locator("#team")).not_to_contain_text("No team members yet.")
    expect(page.locator("#team").get_by_label("Name")).to_have_value("")  # a fresh form
    assert page.evaluate("window.__noReload") is True
    assert TeamMember.objects.filter(factory=cast.factory_a, name="Nadia Sewing Lead").exists()
    # The form still fits the phone: nothing forces sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_menu_folds_on_a_phone_and_opens_by_tap(page: Page, login, language: str) -> None:
    cast = make_cast()
    login(cast.admin_a)
    page.goto("/factories/")
    if language != "en":
        page.locator("select#language").select_option(language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.set_viewport_size(SMALL_PHONE)
    nav = page.get_by_role("navigation", name=gettext_in(language, "Main"))
    sessions = nav.get_by_role("link", name=gettext_in(language, "Sessions"))
    # Folded: the page's own heading sits in the first screenful, right under the header.
    expect(sessions).to_be_hidden()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading and heading["y"] < 150, f"the heading starts {heading}px down"
    # The language stays one tap away without opening the menu.
    expect(page.locator("select#language")).to_be_visible()
    no_sideways_scrolling(page)

    page.locator("header.top summary").tap()
    expect(sessions).to_be_visible()
    expect(page.get_by_role("button", name=gettext_in(language, "Log out"))).to_be_visible()
    no_sideways_scrolling(page)
    sessions.tap()
    expect(page).to_have_url(re.compile(r"/training/$"))
    expect(sessions).to_be_hidden()  # a new page starts folded again


def test_the_menu_is_laid_out_open_on_a_wide_screen(page: Page, login) -> None:
    cast = make_cast()
    login(cast.admin_a)
    page.goto("/factories/")
    expect(page.locator("header.top summary")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sessions")).to_be_visible()
    # Brand, navigation, language and log-out share one line of the header.
    header = page.locator("header.top").bounding_box()
    assert header and header["height"] < 60, f"the header is {header['height']}px high"
