"""Attendance four ways: a tap on a phone, self check-in by QR, the paper sheet, a CSV file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fithub.training import services
from fithub.training.models import Registration
from fithub.training.tests.conftest import person
from fithub.training.tests.test_views import HTMX, get, post

NOT_STARTED = "Attendance cannot be recorded for a session that has not started."
RECORDED = "the facilitator has already recorded your attendance, so it was not changed"
SPEAK_TO = "If it is wrong, please speak to the facilitator."
ALREADY = "you are already checked in"


def csv_file(text: str, name: str = "attendance.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- a tap on a phone ----------------------------------------------------------------------


def test_a_tap_saves_and_swaps_the_row(cast, session_a, register) -> None:
    regs = register(session_a, 3)
    url = reverse("training:attendance-tap", args=[regs[0].pk])
    response = post(cast, "facilitator_a", url, {"present": "yes"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="tap-row is-present" id="r-{regs[0].pk}"')
    # The count above the list is updated out of band.
    assert 'id="count"' in html and 'hx-swap-oob="true"' in html and "1 present" in html
    reg = Registration.objects.get(pk=regs[0].pk)
    assert (reg.present, reg.method, reg.recorded_by) == (True, "tap", cast.facilitator_a)
    post(cast, "facilitator_a", url, {"present": "no"}, **HTMX)
    reg.refresh_from_db()
    assert reg.present is False


def test_the_attendance_page_is_made_for_a_phone(cast, session_a, register) -> None:
    register(session_a, 2)
    html = get(cast, "facilitator_a", reverse("training:attendance", args=[session_a.pk]))
    text = html.content.decode()
    assert 'name="viewport" content="width=device-width' in text
    assert 'hx-post="' in text and 'class="here"' in text and 'class="away"' in text
    assert "style=" not in text and "<script>" not in text
    assert reverse("training:check-in-qr", args=[session_a.pk]) in text


def test_a_tap_before_the_start_is_refused(cast, future_a) -> None:
    reg = Registration.objects.create(session=future_a, participant=person(cast.factory_a, "A"))
    url = reverse("training:attendance-tap", args=[reg.pk])
    html = post(cast, "facilitator_a", url, {"present": "yes"}, **HTMX).content.decode()
    assert NOT_STARTED in html and 'role="alert"' in html
    reg.refresh_from_db()
    assert reg.present is None
    page = get(cast, "facilitator_a", reverse("training:attendance", args=[future_a.pk]))
    assert "The session has not started" in page.content.decode()


def test_a_tap_without_javascript_comes_back_to_the_list(cast, session_a, register) -> None:
    reg = register(session_a, 1)[0]
    url = reverse("training:attendance-tap", args=[reg.pk])
    response = post(cast, "facilitator_a", url, {"present": "yes"})
    assert response.status_code == 302 and response["Location"].endswith(f"#r-{reg.pk}")


# --- self check-in by QR -------------------------------------------------------------------


def test_self_check_in_from_the_qr_code(cast, today_a, register) -> None:
    regs = register(today_a, 3)
    url = reverse("training:check-in", args=[today_a.check_in_token])
    client = cast.client(None)  # no account
    html = client.get(url).content.decode()
    assert all(r.participant.name in html for r in regs)
    response = client.post(url, {"registration": regs[1].pk})
    assert "you are checked in" in response.content.decode()
    reg = Registration.objects.get(pk=regs[1].pk)
    assert (reg.present, reg.method, reg.recorded_by) == (True, "qr", None)


def test_self_check_in_leaves_an_absence_the_facilitator_recorded(cast, today_a, register) -> None:
    reg = register(today_a, 1)[0]
    tap = reverse("training:attendance-tap", args=[reg.pk])
    post(cast, "facilitator_a", tap, {"present": "no"}, **HTMX)
    url = reverse("training:check-in", args=[today_a.check_in_token])
    html = cast.client(None).post(url, {"registration": reg.pk}).content.decode()
    assert RECORDED in html and SPEAK_TO in html
    assert reg.participant.name in html and "you are checked in" not in html
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (False, "tap", cast.facilitator_a)


@pytest.mark.parametrize(
    ("present", "method"), [(True, "tap"), (True, "sheet"), (False, "sheet"), (False, "import")]
)
def test_self_check_in_leaves_any_facilitator_record(cast, today_a, register, present, method):  # type: ignore[no-untyped-def]
    reg = register(today_a, 1)[0]
    services.attendance_record(
        registration=reg, present=present, by=cast.facilitator_a, method=method
    )
    url = reverse("training:check-in", args=[today_a.check_in_token])
    html = cast.client(None).post(url, {"registration": reg.pk}).content.decode()
    assert RECORDED in html
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (present, method, cast.facilitator_a)


def test_checking_in_twice_is_harmless(cast, today_a, register) -> None:
    reg = register(today_a, 1)[0]
    url = reverse("training:check-in", args=[today_a.check_in_token])
    cast.client(None).post(url, {"registration": reg.pk})
    reg.refresh_from_db()
    first = reg.recorded_at
    html = cast.client(None).post(url, {"registration": reg.pk}).content.decode()
    assert ALREADY in html and RECORDED not in html
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_at) == (True, "qr", first)
    assert reg.history.count() == 2  # registered, checked in: the second tap wrote nothing


def test_the_facilitator_corrects_a_self_check_in(cast, today_a, register) -> None:
    reg = register(today_a, 2)[0]
    check_in = reverse("training:check-in", args=[today_a.check_in_token])
    cast.client(None).post(check_in, {"registration": reg.pk})
    # The tap screen shows who checked themself in, marked present, with both buttons.
    page = get(cast, "facilitator_a", reverse("training:attendance", args=[today_a.pk]))
    html = page.content.decode()
    row = html[html.index(f'id="r-{reg.pk}"') :].split("</li>", 1)[0]
    assert "Self check-in (QR code)" in row and 'value="no" class="away"' in row
    assert html.count("Self check-in (QR code)") == 1 and "1 present" in html
    tap = reverse("training:attendance-tap", args=[reg.pk])
    swapped = post(cast, "facilitator_a", tap, {"present": "no"}, **HTMX).content.decode()
    assert "is-absent" in swapped and "Self check-in (QR code)" not in swapped
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (False, "tap", cast.facilitator_a)
    # Scanning again does not undo the correction.
    html = cast.client(None).post(check_in, {"registration": reg.pk}).content.decode()
    assert RECORDED in html
    reg.refresh_from_db()
    assert reg.present is False


def test_check_in_lists_only_this_sessions_people(cast, today_a, session_b, register) -> None:
    register(today_a, 1)
    other = register(session_b, 1, factory=cast.factory_b)[0]
    url = reverse("training:check-in", args=[today_a.check_in_token])
    html = cast.client(None).get(url).content.decode()
    assert other.participant.name not in html
    # Someone of another session cannot be checked in here.
    assert cast.client(None).post(url, {"registration": other.pk}).status_code == 404
    other.refresh_from_db()
    assert other.present is None


def test_a_wrong_token_is_not_found(cast, session_a) -> None:
    url = reverse("training:check-in", args=["not-the-token"])
    assert cast.client(None).get(url).status_code == 404
    assert len(session_a.check_in_token) >= 20


def test_check_in_closes_at_the_end_of_the_sessions_day(cast, session_a, register) -> None:
    reg = register(session_a, 1)[0]  # yesterday's session
    url = reverse("training:check-in", args=[session_a.check_in_token])
    html = cast.client(None).get(url).content.decode()
    assert reg.participant.name not in html
    cast.client(None).post(url, {"registration": reg.pk})
    reg.refresh_from_db()
    assert reg.present is None


def test_check_in_before_the_start_shows_no_names(cast, future_a) -> None:
    reg = Registration.objects.create(session=future_a, participant=person(cast.factory_a, "Zoya"))
    url = reverse("training:check-in", args=[future_a.check_in_token])
    html = cast.client(None).get(url).content.decode()
    assert "Zoya" not in html and "Check-in is open from the start" in html
    cast.client(None).post(url, {"registration": reg.pk})
    reg.refresh_from_db()
    assert reg.present is None


# --- the paper sign-in sheet ---------------------------------------------------------------


def test_the_sheet_records_everyone_at_once(cast, session_a, register) -> None:
    regs = register(session_a, 3)
    url = reverse("training:attendance-sheet", args=[session_a.pk])
    data = {f"r{regs[0].pk}": "yes", f"r{regs[1].pk}": "no", f"r{regs[2].pk}": ""}
    assert post(cast, "facilitator_a", url, data).status_code == 302
    got = {r.pk: (r.present, r.method) for r in Registration.objects.all()}
    assert got == {
        regs[0].pk: (True, "sheet"),
        regs[1].pk: (False, "sheet"),
        regs[2].pk: (None, ""),
    }


def test_the_sheet_before_the_start_is_refused(cast, future_a) -> None:
    reg = Registration.objects.create(session=future_a, participant=person(cast.factory_a, "A"))
    url = reverse("training:attendance-sheet", args=[future_a.pk])
    response = post(cast, "facilitator_a", url, {f"r{reg.pk}": "yes"})
    assert response.status_code == 200 and NOT_STARTED in response.content.decode()
    reg.refresh_from_db()
    assert reg.present is None


# --- a CSV file ----------------------------------------------------------------------------


def test_a_good_file_is_imported(cast, session_a, register) -> None:
    regs = register(session_a, 3)
    text = (
        "participant_id,name,present\n"
        f"{regs[0].participant_id},,yes\n"
        f",{regs[1].participant.name.upper()},no\n"
        f",{regs[2].participant.name},Yes\n"
    )
    url = reverse("training:attendance-import", args=[session_a.pk])
    response = post(cast, "facilitator_a", url, {"file": csv_file(text)})
    assert response.status_code == 302
    got = {r.pk: (r.present, r.method) for r in Registration.objects.all()}
    assert got == {
        regs[0].pk: (True, "import"),
        regs[1].pk: (False, "import"),
        regs[2].pk: (True, "import"),
    }


def test_a_bad_file_reports_every_bad_row_and_writes_nothing(cast, session_a, register) -> None:
    regs = register(session_a, 2)
    stranger = person(cast.factory_a, "Not Registered")
    text = (
        "participant_id,name,present\n"
        f"{regs[0].participant_id},,yes\n"  # good
        f"{stranger.pk},,yes\n"  # row 3: not registered
        ",Nobody Here,yes\n"  # row 4: unknown name
        f"{regs[1].participant_id},,maybe\n"  # row 5: bad value
        f"{regs[0].participant_id},,no\n"  # row 6: twice
    )
    url = reverse("training:attendance-import", args=[session_a.pk])
    response = post(cast, "facilitator_a", url, {"file": csv_file(text)})
    html = response.content.decode()
    assert response.status_code == 200 and "The file has 4 problems." in html
    assert "Nothing was imported" in html
    for row in ('<td class="num">3</td>', '<td class="num">4</td>', ">5</td>", ">6</td>"):
        assert row in html
    assert not Registration.objects.filter(present__isnull=False).exists()


def test_a_file_without_the_columns_is_refused(cast, session_a, register) -> None:
    register(session_a, 1)
    url = reverse("training:attendance-import", args=[session_a.pk])
    html = post(cast, "facilitator_a", url, {"file": csv_file("who,when\nA,B\n")}).content
    assert "no “present” column" in html.decode()


def test_an_import_before_the_start_is_refused(cast, future_a) -> None:
    reg = Registration.objects.create(session=future_a, participant=person(cast.factory_a, "A"))
    url = reverse("training:attendance-import", args=[future_a.pk])
    text = f"participant_id,present\n{reg.participant_id},yes\n"
    response = post(cast, "facilitator_a", url, {"file": csv_file(text)})
    assert NOT_STARTED in response.content.decode()
    reg.refresh_from_db()
    assert reg.present is None


def test_provider_b_cannot_import_into_a_session_of_a(cast, session_a, register) -> None:
    reg = register(session_a, 1)[0]
    url = reverse("training:attendance-import", args=[session_a.pk])
    text = f"participant_id,present\n{reg.participant_id},yes\n"
    assert post(cast, "admin_b", url, {"file": csv_file(text)}).status_code == 404
