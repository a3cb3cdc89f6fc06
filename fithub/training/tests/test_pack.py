"""The session pack: one PDF in the session's language, with everything the facilitator prints.

Latin text extracts from the PDF letter for letter; Bengali and Urdu running text is found
with utils.match (see fithub/lib/tests/utils.py), and Urdu exactly where it is set in Naskh
(the tables). The QR code is read back pixel by pixel and compared with the code of the
check-in URL, so the test proves what a phone would open.
"""

# The time range is printed with an en dash, which ruff takes for a hyphen.
# ruff: noqa: RUF001

import io
import re
from datetime import date, time
from typing import Any

import pytest
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from fithub.catalogue.models import Module
from fithub.conftest import Cast
from fithub.factories.models import Department, Sex
from fithub.lib.tests.utils import families, language, match, needs_weasyprint, reader, text
from fithub.training import pack
from fithub.training.models import Group, Participant, Registration, Session, Venue

TITLE = {
    "en": "Production planning",
    "bn": "উৎপাদন পরিকল্পনা",
    "ur": "پیداوار کی منصوبہ بندی",
}
# Ten Latin names, and one each in Urdu and Bengali script: names are written as people write them.
NAMES = [
    "Ayesha Khan",
    "Bilal Ahmed",
    "Chandni Bibi",
    "Danish Ali",
    "Erum Shah",
    "Farah Naz",
    "Ghulam Abbas",
    "Hina Malik",
    "Imran Qureshi",
    "Javeria Iqbal",
    "رحیمہ بی بی",
    "রহিমা খাতুন",
]
LATIN = NAMES[:10]
ROLES = ["reader", "time_keeper", "note_taker", "", "", ""]


def make_session(cast: Cast, *, lang: str = "en", groups: bool = True, **kw: Any) -> Session:
    module = Module.objects.create(
        code="PRD-01",
        title=TITLE,
        category="production",
        audience="mixed",
        duration_minutes=120,
        case_study_minutes=30,
        activities_minutes=60,
        action_plan_minutes=30,
    )
    venue = Venue.objects.create(
        provider=cast.provider_a, name="Training room", city="Karachi", capacity=20
    )
    session = Session.objects.create(
        module=module,
        language=lang,
        provider=cast.provider_a,
        delivery_model="in_factory",
        date=date(2026, 5, 12),
        starts_at=time(9),
        ends_at=time(11, 30),
        venue=venue,
        facilitator=cast.facilitator_a,
        **kw,
    )
    session.engagements.add(cast.engagement_a)
    numbered = [Group.objects.create(session=session, number=n) for n in (1, 2)] if groups else []
    for i, name in enumerate(NAMES):
        participant = Participant.objects.create(
            factory=cast.factory_a,
            name=name,
            sex=Sex.FEMALE if i % 2 == 0 else Sex.MALE,
            role="worker",
            department=Department.SEWING if i % 3 else Department.CUTTING,
        )
        Registration.objects.create(
            session=session,
            participant=participant,
            group=numbered[i // 6] if groups else None,
            group_role=ROLES[i % 6] if groups else "",
        )
    return session


def row_numbers(data: bytes) -> list[str]:
    """Return the row numbers printed on the sign-in sheet's pages (lines holding only digits)."""
    pages = [page.extract_text() or "" for page in reader(data).pages]
    # The sign-in sheet's pages are those with its header (repeated on each page).
    return [
        number
        for page in pages
        if re.search(r"^# Name Factory Department Sex Signature$", page, re.M)
        for number in re.findall(r"^(\d+)(?: |$)", page, re.M)
    ]


def flat(value: str) -> str:
    """Drop all white space: a long URL wraps over lines in the PDF."""
    return "".join(value.split())


def expected_url(session: Session) -> str:
    return settings.SITE_URL + reverse("training:check-in", args=[session.check_in_token])


# --- the numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("registered", "spare"), [(0, 0), (1, 1), (10, 1), (12, 2), (21, 3)])
def test_spare_copies_are_ten_percent_rounded_up(registered: int, spare: int) -> None:
    assert pack.spare_copies(registered) == spare


@pytest.mark.parametrize(
    ("registered", "capacity", "blank"),
    [(12, None, 5), (12, 20, 8), (20, 20, 0), (25, 20, 0), (10, 100, 20)],
)
def test_blank_sign_in_rows_fill_the_venue_up_to_twenty(
    registered: int, capacity: int | None, blank: int
) -> None:
    assert pack.blank_rows(registered, capacity) == blank


def test_roles_rotate_to_the_next_members_at_each_part() -> None:
    assert pack.rotation(list("ABCDEFG")) == [
        ["A", "B", "C"],
        ["D", "E", "F"],
        ["G", "A", "B"],
    ]
    assert pack.rotation(list("ABCDE")) == [["A", "B", "C"], ["D", "E", "A"], ["B", "C", "D"]]
    assert pack.rotation([]) == [[None] * 3] * 3


# --- the PDF -----------------------------------------------------------------------------------


def qr_matrix_from_pdf(data: bytes) -> list[list[bool]]:
    """Read the QR code image of the sign-in sheet back into a matrix of dark modules."""
    # WeasyPrint shares one resource dictionary between pages: every page lists the image.
    images = {image.data for page in reader(data).pages for image in page.images}
    assert len(images) == 1, "one QR code"
    picture = Image.open(io.BytesIO(images.pop())).convert("L")
    border, scale = 4, 6  # as pack.qr_data_uri draws it
    size = picture.width // scale - 2 * border
    assert picture.width == picture.height == (size + 2 * border) * scale
    return [
        [
            picture.getpixel(((c + border) * scale + scale // 2, (r + border) * scale + scale // 2))
            < 128
            for c in range(size)
        ]
        for r in range(size)
    ]


@needs_weasyprint
def test_pack_in_english(cast: Cast) -> None:
    session = make_session(cast)
    data = pack.session_pack_pdf(session=session, reader=cast.facilitator_a)
    content = text(data)
    for expected in (
        "Session pack",
        "PRD-01",
        "Production planning",
        "May 12, 2026",
        "09:00–11:30",
        "Training room, Karachi",
        "Farid Facilitator",
        "Provider A",
        "Alpha Garments",
        "Sign-in sheet",
        "Signature",
        f"S-{session.pk}",
        "Groups and their rotating roles",
        "Group 1",
        "Group 2",
        "Reader",
        "Time keeper",
        "Note taker",
        "Case study (30 minutes)",
        "Print count and materials",
        "Registered participants 12",
        "Spare copies (10%, rounded up) 2",
        "Module copies to print 14",
        "Pens 14",
        "Action plan · Group 1",
        "Action plan · Group 2",
        "Improvement",
        "By when",
    ):
        assert expected in content, expected
    for name in LATIN:
        assert name in content, name
    assert flat(expected_url(session)) in flat(content)
    # 12 registered, then empty rows up to the venue's 20 places.
    assert row_numbers(data) == [str(n) for n in range(1, 21)]
    assert language(data) == "en"
    embedded = families(data)
    # The Urdu and Bengali names come from the vendored faces too: no system font anywhere.
    assert {"FITNotoSans", "FITNotoSansBengali", "FITNotoNaskhArabic"} <= embedded
    assert all(name.startswith("FITNoto") for name in embedded), embedded


@needs_weasyprint
def test_each_part_starts_a_page_with_page_numbers(cast: Cast) -> None:
    data = pack.session_pack_pdf(session=make_session(cast), reader=cast.facilitator_a)
    pages = [page.extract_text() or "" for page in reader(data).pages]
    first_lines = [page.splitlines()[0] for page in pages]
    assert first_lines[0] == "FIT Hub · Session pack"
    headings = [
        "Sign-in sheet",
        "Groups and their rotating roles",
        "Print count and materials",
        "Action plan · Group 1",
        "Action plan · Group 2",
    ]
    starts = [first_lines.index(heading) for heading in headings]
    assert starts == sorted(starts) and starts[0] == 1
    assert starts[-1] == len(pages) - 1
    for number, page in enumerate(pages, start=1):
        assert f"{number}/{len(pages)}" in page
    assert "Ayesha Khan" not in pages[0]  # the cover lists no one


@needs_weasyprint
def test_the_qr_code_opens_the_sessions_check_in(cast: Cast) -> None:
    session = make_session(cast)
    data = pack.session_pack_pdf(session=session, reader=cast.facilitator_a)
    expected = segno.make_qr(expected_url(session), error="m")
    assert qr_matrix_from_pdf(data) == [[bool(m) for m in row] for row in expected.matrix]


@needs_weasyprint
def test_pack_in_bengali(cast: Cast) -> None:
    session = make_session(cast, lang="bn")
    data = pack.session_pack_pdf(session=session, reader=cast.facilitator_a)
    content = text(data)
    assert match(TITLE["bn"], content) >= 0.9
    with translation.override("bn"):
        headings = [gettext("Sign-in sheet"), gettext("Name"), gettext("Department")]
        sewing = str(Department.SEWING.label)
    for heading in [*headings, sewing]:
        assert match(heading, content) >= 0.9, heading
    for name in LATIN:
        assert name in content, name
    assert match(NAMES[11], content) >= 0.9
    assert f"S-{session.pk}" in content
    assert "14" in content  # the print count: 12 registered + 2 spare
    assert flat(expected_url(session)) in flat(content)
    assert language(data) == "bn"
    embedded = families(data)
    assert {"FITNotoSansBengali", "FITNotoSans"} <= embedded
    assert all(name.startswith("FITNoto") for name in embedded), embedded


def _positions(page: Any, wanted: set[str]) -> dict[str, float]:
    """Return the x position at which each wanted text is drawn on a page."""
    found: dict[str, float] = {}

    def visit(content: str, _cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        content = content.strip().strip("\u2068\u2069")  # names are bidi-isolated
        if content in wanted:
            found.setdefault(content, tm[4])

    page.extract_text(visitor_text=visit)
    return found


@needs_weasyprint
def test_pack_in_urdu_runs_right_to_left(cast: Cast) -> None:
    session = make_session(cast, lang="ur")
    data = pack.session_pack_pdf(session=session, reader=cast.facilitator_a)
    content = text(data)
    with translation.override("ur"):
        # Table headings and cells are set in Naskh, which extracts exactly.
        exact = [gettext("Name"), gettext("Department"), str(Department.SEWING.label)]
    for expected in exact:
        assert expected in content, expected
    assert match(TITLE["ur"], content) >= 0.6
    assert match(NAMES[10], content) >= 0.9
    for name in LATIN:
        assert name in content, name
    assert f"S-{session.pk}" in content
    assert flat(expected_url(session)) in flat(content)
    assert language(data) == "ur"
    embedded = families(data)
    assert {"FITNotoNastaliqUrdu", "FITNotoNaskhArabic", "FITNotoSans"} <= embedded
    assert all(name.startswith("FITNoto") for name in embedded), embedded
    # On the sign-in sheet the columns run right to left: row number, name, factory. (The
    # Urdu headings extract as one run, so the signature column cannot be located this way.)
    sheet = next(p for p in reader(data).pages if "Ayesha Khan" in (p.extract_text() or ""))
    # (The factory's name may wrap in its narrow column: its first word is enough.)
    x = _positions(sheet, {"1", "Ayesha Khan", "Alpha", "Alpha Garments"})
    factory = x.get("Alpha Garments", x.get("Alpha"))
    assert factory is not None
    assert x["1"] > x["Ayesha Khan"] > factory


@needs_weasyprint
def test_groups_not_formed_yet_get_blank_sheets(cast: Cast) -> None:
    session = make_session(cast, groups=False)
    content = text(pack.session_pack_pdf(session=session, reader=cast.facilitator_a))
    assert "The groups have not been formed yet." in content
    # 12 people make two groups: two blank group sheets and two blank action plans.
    assert content.count("Part of the module") == 2
    assert content.count("Action plan · Group") == 2
    assert "Group 1" not in content


@needs_weasyprint
def test_a_classroom_session_names_each_factory(cast: Cast) -> None:
    session = make_session(cast)
    session.engagements.add(cast.engagement_b)
    person = Participant.objects.create(
        factory=cast.factory_b, name="Zara Begum", sex=Sex.FEMALE, role="worker", department="hr"
    )
    Registration.objects.create(
        session=session, participant=person, group=session.groups.get(number=2)
    )
    content = text(pack.session_pack_pdf(session=session, reader=cast.superuser))
    assert "Alpha Garments, Beta Knit" in content  # the cover
    assert "Zara Begum Beta Knit Human" in content  # the sign-in sheet ("resources" wraps)
    assert "Zara Begum Human resources Beta Knit" in content  # her group
    assert "# Improvement Factory Who By when" in content  # the action plans
    assert "Registered participants 13" in content
    assert "Module copies to print 15" in content  # 13 + 2 (1.3 rounded up)


@needs_weasyprint
def test_a_session_without_venue_or_people(cast: Cast) -> None:
    session = make_session(cast, groups=False)
    session.registrations.all().delete()
    session.venue = None
    session.save()
    data = pack.session_pack_pdf(session=session, reader=cast.facilitator_a)
    content = text(data)
    assert "Nobody is registered yet" in content
    assert "Module copies to print 0" in content
    # Five empty rows on the sign-in sheet.
    assert row_numbers(data) == [str(n) for n in range(1, 6)]


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def fake_pdf(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str | None]]:
    calls: list[tuple[int, str | None]] = []

    def render(
        *, session: Session, reader: Any, language: str | None = None, request: Any = None
    ) -> bytes:
        calls.append((session.pk, language))
        return b"%PDF-pack"

    monkeypatch.setattr(pack, "session_pack_pdf", render)
    monkeypatch.setattr(pack.pdf, "unavailable_reason", lambda: None)
    return calls


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("facilitator_a", 200),
        ("coordinator_a", 200),  # factory A's engagement is attached to the session
        ("owner", 200),
        ("admin_b", 404),
        ("buyer", 404),
        ("outsider", 404),
    ],
)
def test_who_may_download_the_pack(cast: Cast, fake_pdf: list, who: str, status: int) -> None:
    session = make_session(cast, groups=False)
    response = cast.client(getattr(cast, who)).get(reverse("training:pack", args=[session.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content == b"%PDF-pack"
        assert f"session-{session.pk}-pack-en.pdf" in response["Content-Disposition"]


def test_anonymous_visitors_go_to_the_login_page(cast: Cast, fake_pdf: list) -> None:
    session = make_session(cast, groups=False)
    response = cast.client(None).get(reverse("training:pack", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_pack_is_in_the_sessions_language_unless_asked(cast: Cast, fake_pdf: list) -> None:
    session = make_session(cast, lang="bn", groups=False)
    url = reverse("training:pack", args=[session.pk])
    client = cast.client(cast.admin_a)
    client.get(url)
    client.get(url + "?lang=ur")
    client.get(url + "?lang=xx")  # not a language FIT Hub ships: the session's
    assert fake_pdf == [(session.pk, "bn"), (session.pk, "ur"), (session.pk, "bn")]


def test_provider_bs_session_is_hidden_from_provider_a(cast: Cast, fake_pdf: list) -> None:
    session = make_session(cast, groups=False)
    session.provider = cast.provider_b
    session.facilitator = None
    session.save()
    session.engagements.set([cast.engagement_b])
    url = reverse("training:pack", args=[session.pk])
    assert cast.client(cast.admin_a).get(url).status_code == 404
    assert cast.client(cast.coordinator_a).get(url).status_code == 404
    assert cast.client(cast.admin_b).get(url).status_code == 200


@needs_weasyprint
def test_the_page_returns_the_real_pdf(cast: Cast) -> None:
    session = make_session(cast, lang="ur")
    response = cast.client(cast.coordinator_a).get(reverse("training:pack", args=[session.pk]))
    assert response.status_code == 200
    assert language(response.content) == "ur"
    assert "Ayesha Khan" in text(response.content)


# --- the check-in token ---------------------------------------------------------------------


@needs_weasyprint
@pytest.mark.parametrize(
    ("who", "token"),
    [
        ("admin_a", True),
        ("facilitator_a", True),
        ("superuser", True),
        ("worker_rep_a", False),  # reads the session; the check-in QR is refused to them
        ("owner", False),
        ("coordinator_a", False),  # provider A's session: the coordinator does not run it
    ],
)
def test_the_check_in_token_is_printed_only_for_who_may_run_check_in(
    cast: Cast, who: str, token: bool
) -> None:
    session = make_session(cast)
    data = pack.session_pack_pdf(session=session, reader=getattr(cast, who))
    content = flat(text(data))
    assert (session.check_in_token in content) == token
    images = {image.data for page in reader(data).pages for image in page.images}
    assert len(images) == (1 if token else 0)
    # The session code still names the sheet when the paper comes back.
    assert f"S-{session.pk}" in content
    assert (flat(gettext("Sign-in sheet, with the QR code for self check-in")) in content) == token
