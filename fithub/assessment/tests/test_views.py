"""Assessment pages: who may see and answer, autosave, resume, submit, plans, comparison."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.assessment import services
from fithub.assessment.models import (
    Answer,
    Assessment,
    ModulePlan,
    QuestionnaireVersion,
    Statement,
)
from fithub.assessment.tests.conftest import answer_all, start
from fithub.tests.cast import HTMX, get, post

READ_A = ["coordinator_a", "worker_rep_a", "admin_a", "facilitator_a", "owner", "superuser"]
BLIND_A = ["admin_b", "buyer", "outsider"]
WRITE_A = {"coordinator_a", "admin_a", "facilitator_a", "superuser"}
EVERYONE = READ_A + BLIND_A
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_assessment_pages_of_factory_a(cast, submitted_a, who) -> None:
    expected = 200 if who in READ_A else 404
    pk = submitted_a.pk
    for url in [
        reverse("assessment:detail", args=[pk]),
        reverse("assessment:recommendations", args=[pk]),
        reverse("assessment:compare", args=[pk]),
        reverse("assessment:findings", args=[cast.factory_a.pk]),
    ]:
        assert get(cast, who, url).status_code == expected, url


@pytest.mark.parametrize("who", EVERYONE)
def test_the_list_and_its_search_show_only_visible_assessments(cast, sample, who) -> None:
    start(cast, sample)
    services.assessment_start(factory=cast.factory_b, version=sample.version, by=cast.admin_b)
    response = get(cast, who, reverse("assessment:list") + "?q=a")
    if who in ("buyer", "outsider"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert ("Alpha Garments" in html) == (who in READ_A)
    assert ("Beta Knit" in html) == (who in {"admin_b", "owner", "superuser"})


def test_anonymous_users_are_sent_to_log_in(cast, submitted_a) -> None:
    response = cast.client(None).get(reverse("assessment:detail", args=[submitted_a.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", EVERYONE)
def test_who_answers(cast, assessment_a, sample, who) -> None:
    statement = sample.statements["ST-1"]
    url = reverse("assessment:answer", args=[assessment_a.pk, statement.pk])
    response = post(cast, who, url, {"value": "no"})
    assert response.status_code == (302 if who in WRITE_A else 404)
    assert Answer.objects.filter(assessment=assessment_a).exists() == (who in WRITE_A)
    html = get(cast, who, reverse("assessment:detail", args=[assessment_a.pk])).content.decode()
    if who in READ_A:
        # Readers see the answers, without the buttons.
        assert ('name="value" value="yes"' in html) == (who in WRITE_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_starts_an_assessment(cast, sample, who) -> None:
    url = reverse("assessment:start")
    can_start = who in WRITE_A | {"admin_b"}
    assert get(cast, who, url).status_code == (200 if can_start else 404)
    data = {
        "factory": cast.factory_a.pk,
        "questionnaire": sample.questionnaire.pk,
        "engagement": cast.engagement_a.pk,
        "language": "bn",
    }
    response = post(cast, who, url, data)
    created = Assessment.objects.filter(factory=cast.factory_a)
    if who in WRITE_A:
        assert response.status_code == 302
        assessment = created.get()
        assert (assessment.language, assessment.engagement) == ("bn", cast.engagement_a)
        assert response["Location"] == assessment.get_absolute_url()
    else:
        assert not created.exists()


# --- answering -----------------------------------------------------------------------------


def test_tapping_yes_saves_and_swaps_the_row_with_the_progress(cast, assessment_a, sample):
    statement = sample.statements["SW-1"]
    url = reverse("assessment:answer", args=[assessment_a.pk, statement.pk])
    response = post(cast, "coordinator_a", url, {"value": "yes", "comment": "Since May"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="statement answered-yes" id="s-{statement.pk}"')
    assert 'aria-pressed="true"' in html and "Since May" in html
    assert 'id="progress" class="progress" hx-swap-oob="true"' in html
    assert "1 of 6 answered" in html
    assert "<html" not in html
    answer = Answer.objects.get(assessment=assessment_a, statement=statement)
    assert (answer.value, answer.comment, answer.answered_by) == (
        True,
        "Since May",
        cast.coordinator_a,
    )


def test_evidence_is_uploaded_with_the_answer_and_served_to_readers(cast, assessment_a, sample):
    statement = sample.statements["ST-1"]
    url = reverse("assessment:answer", args=[assessment_a.pk, statement.pk])
    photo = SimpleUploadedFile("shelf.png", PNG, content_type="image/png")
    response = post(cast, "coordinator_a", url, {"value": "no", "evidence": photo}, **HTMX)
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=assessment_a)
    evidence = reverse("assessment:evidence", args=[answer.pk])
    assert evidence in response.content.decode()
    for who in EVERYONE:
        assert get(cast, who, evidence).status_code == (200 if who in READ_A else 404), who


def test_a_bad_file_is_refused_in_the_row_with_a_clear_message(cast, assessment_a, sample):
    statement = sample.statements["ST-1"]
    url = reverse("assessment:answer", args=[assessment_a.pk, statement.pk])
    bad = SimpleUploadedFile("notes.exe", b"MZ....", content_type="application/octet-stream")
    response = post(cast, "coordinator_a", url, {"value": "yes", "evidence": bad}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "Evidence can be a photo" in html
    assert not Answer.objects.exists()


def test_the_row_error_is_in_the_users_language(cast, assessment_a, sample) -> None:
    statement = sample.statements["ST-1"]
    url = reverse("assessment:answer", args=[assessment_a.pk, statement.pk])
    bad = SimpleUploadedFile("notes.exe", b"MZ....", content_type="application/octet-stream")
    client = cast.client(cast.coordinator_a)
    response = client.post(
        url, {"value": "yes", "evidence": bad}, HTTP_ACCEPT_LANGUAGE="bn", **HTMX
    )
    assert 'role="alert"' in response.content.decode()


def test_a_statement_of_another_questionnaire_is_not_found(cast, assessment_a) -> None:
    from fithub.assessment.tests.conftest import make_questionnaire

    other = make_questionnaire(cast, slug="other")
    url = reverse("assessment:answer", args=[assessment_a.pk, other.statements["ST-1"].pk])
    answers = assessment_a.answers.count()
    assert post(cast, "coordinator_a", url, {"value": "yes"}).status_code == 404
    assert assessment_a.answers.count() == answers


def test_leaving_and_coming_back_resumes_where_it_was(cast, assessment_a, sample) -> None:
    for code in ("ST-1", "ST-2", "SW-1"):
        url = reverse("assessment:answer", args=[assessment_a.pk, sample.statements[code].pk])
        post(cast, "coordinator_a", url, {"value": "no"}, **HTMX)
    html = get(cast, "coordinator_a", reverse("assessment:detail", args=[pk := assessment_a.pk]))
    text = html.content.decode()
    assert "3 of 6 answered" in text
    assert f'href="#s-{sample.statements["SW-2"].pk}"' in text  # the first still unanswered
    assert text.count('aria-pressed="true"') == 3
    listing = get(cast, "coordinator_a", reverse("assessment:list")).content.decode()
    assert f'href="/assessment/{pk}/"' in listing and "3 of 6" in listing


def test_statements_carry_their_language_and_direction(cast, assessment_a) -> None:
    services.assessment_update(assessment=assessment_a, by=cast.coordinator_a, language="ur")
    html = get(cast, "coordinator_a", reverse("assessment:detail", args=[assessment_a.pk]))
    text = html.content.decode()
    assert '<span lang="ur" dir="rtl">Materials are labelled (اردو)</span>' in text
    # A section without an Urdu title falls back to English, marked as such.
    assert '<span lang="en" dir="ltr">Sewing</span>' in text


def test_submit_with_missing_answers_is_refused(cast, assessment_a, sample) -> None:
    url = reverse("assessment:submit", args=[assessment_a.pk])
    response = cast.client(cast.coordinator_a).post(url, follow=True)
    assert "6 statements have no answer yet." in response.content.decode()
    assessment_a.refresh_from_db()
    assert assessment_a.status == Assessment.Status.IN_PROGRESS


def test_submit_once_complete_leads_to_the_recommendations(cast, assessment_a) -> None:
    answer_all(assessment_a, {"SW-1"})
    response = post(cast, "coordinator_a", reverse("assessment:submit", args=[assessment_a.pk]))
    assert response["Location"] == reverse("assessment:recommendations", args=[assessment_a.pk])
    assessment_a.refresh_from_db()
    assert assessment_a.status == Assessment.Status.SUBMITTED
    # Submitted: nobody answers any more.
    url = reverse("assessment:answer", args=[assessment_a.pk, Statement.objects.first().pk])
    response = cast.client(cast.coordinator_a).post(url, {"value": "yes"}, follow=True)
    assert "its answers cannot change" in response.content.decode()


def test_worker_rep_cannot_submit_or_change_people(cast, assessment_a) -> None:
    answer_all(assessment_a)
    for url in [
        reverse("assessment:submit", args=[assessment_a.pk]),
        reverse("assessment:people", args=[assessment_a.pk]),
    ]:
        assert post(cast, "worker_rep_a", url, {"language": "bn"}).status_code == 404
    fresh = Assessment.objects.get(pk=assessment_a.pk)
    assert (fresh.status, fresh.language) == (assessment_a.status, assessment_a.language)


def test_people_and_language_are_recorded(cast, assessment_a) -> None:
    url = reverse("assessment:people", args=[assessment_a.pk])
    data = {"coordinator_name": "Rina", "manager_name": "Mr Karim", "language": "bn"}
    assert post(cast, "facilitator_a", url, data).status_code == 302
    assessment_a.refresh_from_db()
    assert (assessment_a.manager_name, assessment_a.language) == ("Mr Karim", "bn")
    assert assessment_a.facilitator == cast.facilitator_a


def test_the_answer_page_query_count_does_not_grow(cast, sample) -> None:
    small = start(cast, sample)
    answer_all(small, {"SW-1"})
    from fithub.assessment.tests.test_recommend import _answered

    large = _answered(cast, 150, cast.factory_a)
    client = cast.client(cast.coordinator_a)
    counts = []
    for assessment in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assessment:detail", args=[assessment.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- recommendations and the module plan ---------------------------------------------------


def test_recommendations_show_the_modules_and_their_reasons(cast, submitted_a) -> None:
    html = get(cast, "worker_rep_a", reverse("assessment:recommendations", args=[submitted_a.pk]))
    text = html.content.decode()
    assert "Module P-03" in text and "Defects are tracked (বাংলা)" not in text
    assert "Defects are tracked" in text and "SW-2" in text
    assert "Weakest areas" in text
    assert "Agree the module plan" not in text  # read only


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_providers_admins_agree_the_plan(cast, submitted_a, sample, who) -> None:
    url = reverse("assessment:recommendations", args=[submitted_a.pk])
    m = sample.modules
    data = {
        "engagement": cast.engagement_a.pk,
        "modules": [m["P-03"].pk, m["FIT-00"].pk, m["W-01"].pk],
        "added": [m["S-01"].pk],
    }
    response = post(cast, who, url, data)
    agrees = who in {"admin_a", "superuser"}
    assert response.status_code == (302 if agrees else 404)
    assert ModulePlan.objects.exists() == agrees
    if agrees:
        plan = ModulePlan.objects.get()
        items = list(plan.items.order_by("order").values_list("module__code", "origin"))
        assert items == [
            ("FIT-00", "recommended"),
            ("P-03", "recommended"),
            ("W-01", "recommended"),
            ("S-01", "added"),
        ]
        assert plan.assessment == submitted_a and plan.engagement == cast.engagement_a
        page = get(cast, "worker_rep_a", url).content.decode()
        assert "added by the provider" in page


def test_the_plan_form_needs_a_module(cast, submitted_a) -> None:
    url = reverse("assessment:recommendations", args=[submitted_a.pk])
    response = post(cast, "admin_a", url, {"engagement": cast.engagement_a.pk})
    assert response.status_code == 200
    assert "Choose at least one module." in response.content.decode()


def test_the_plan_cannot_be_agreed_before_submission(cast, assessment_a, sample) -> None:
    url = reverse("assessment:recommendations", args=[assessment_a.pk])
    text = get(cast, "admin_a", url).content.decode()
    assert "not submitted yet" in text and "Agree the module plan" not in text
    data = {"engagement": cast.engagement_a.pk, "modules": [sample.modules["P-01"].pk]}
    assert post(cast, "admin_a", url, data).status_code == 404
    assert not ModulePlan.objects.filter(engagement=cast.engagement_a).exists()


def test_the_engagement_include_shows_the_plan(cast, submitted_a, sample) -> None:
    from django.template.loader import render_to_string

    assert "No module plan agreed yet" in render_to_string(
        "assessment/_module_plan.html", {"engagement": cast.engagement_a}
    )
    services.module_plan_agree(
        engagement=cast.engagement_a,
        assessment=submitted_a,
        modules=[sample.modules["P-02"]],
        by=cast.admin_a,
    )
    html = render_to_string("assessment/_module_plan.html", {"engagement": cast.engagement_a})
    assert "P-02" in html and "Amina Admin" in html


# --- repeat assessments --------------------------------------------------------------------


def test_the_comparison_shows_what_improved_and_what_got_worse(cast, sample) -> None:
    first = start(cast, sample)
    answer_all(first, {"ST-1", "SW-1", "PP-1"})
    services.assessment_submit(assessment=first, by=None)
    # Six months later, on a new version where SW-1 is reworded but keeps its code.
    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    sw1 = Statement.objects.get(section__version=draft, code="SW-1")
    services.statement_save(
        section=sw1.section,
        statement=sw1,
        by=cast.owner,
        code="SW-1",
        text={"en": "Every line is balanced"},
    )
    services.questionnaire_version_publish(version=draft, by=cast.owner)
    draft.refresh_from_db()
    second = services.assessment_start(factory=cast.factory_a, version=draft, by=None)
    answer_all(second, {"ST-1", "SW-2"})
    html = get(cast, "worker_rep_a", reverse("assessment:compare", args=[second.pk]))
    text = html.content.decode()
    assert "2 “no” became “yes”" in text and "1 got worse" in text
    assert "Every line is balanced" in text  # improved, matched by code across versions
    assert "Workers are consulted" in text
    assert "Defects are tracked" in text  # worse
    # Provider B sees none of it, with or without the other assessment named.
    url = reverse("assessment:compare", args=[second.pk]) + f"?with={first.pk}"
    assert get(cast, "admin_b", url).status_code == 404


def test_comparing_with_an_invisible_assessment_is_not_found(cast, submitted_a, sample) -> None:
    theirs = services.assessment_start(factory=cast.factory_b, version=sample.version, by=None)
    url = reverse("assessment:compare", args=[submitted_a.pk]) + f"?with={theirs.pk}"
    assert get(cast, "admin_a", url).status_code == 404


# --- questionnaires ------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_questionnaire_pages(cast, sample, who) -> None:
    sees = who not in ("buyer", "outsider")
    for url in [
        reverse("assessment:questionnaires"),
        reverse("assessment:version", args=[sample.version.pk]),
    ]:
        assert get(cast, who, url).status_code == (200 if sees else 404), url
    edits = who in ("owner", "superuser")
    for url in [
        reverse("assessment:questionnaire-create"),
        reverse("assessment:questionnaire-edit", args=[sample.questionnaire.pk]),
    ]:
        status = get(cast, who, url).status_code
        if who == "superuser" and url.endswith("new/"):
            assert status == 404  # owns nothing: no programme owner to create it for
        else:
            assert status == (200 if edits else 404), url


def test_editing_a_published_version_opens_a_new_draft(cast, sample) -> None:
    url = reverse("assessment:version-new-draft", args=[sample.version.pk])
    assert post(cast, "admin_a", url).status_code == 404
    assert not QuestionnaireVersion.objects.filter(status="draft").exists()
    response = post(cast, "owner", url)
    draft = QuestionnaireVersion.objects.get(status="draft")
    assert response["Location"] == reverse("assessment:version", args=[draft.pk])
    # Pressing "edit" again opens the same draft.
    assert post(cast, "owner", url)["Location"] == response["Location"]
    # Only the owner's staff see the draft.
    draft_url = reverse("assessment:version", args=[draft.pk])
    assert get(cast, "admin_a", draft_url).status_code == 404
    # The published version has no edit links; the draft has.
    published = get(cast, "owner", reverse("assessment:version", args=[sample.version.pk]))
    assert "/edit/" not in published.content.decode().split("<main")[1].split("Versions:")[0]
    section = draft.sections.first()
    url = reverse("assessment:statement-create", args=[section.pk])
    assert get(cast, "owner", url).status_code == 200
    old_section = sample.version.sections.first()
    url = reverse("assessment:statement-create", args=[old_section.pk])
    assert get(cast, "owner", url).status_code == 404


def test_the_owner_builds_and_publishes_a_questionnaire(cast, sample) -> None:
    client = cast.client(cast.owner)
    response = client.post(
        reverse("assessment:questionnaire-create"),
        {"slug": "self-check", "title_0": "Self check", "kind": "self_diagnosis"},
    )
    version = QuestionnaireVersion.objects.get(questionnaire__slug="self-check")
    assert response["Location"] == reverse("assessment:version", args=[version.pk])
    response = client.post(
        reverse("assessment:section-create", args=[version.pk]),
        {"code": "gen", "title_0": "General", "title_1": "সাধারণ", "department": ""},
    )
    assert response.status_code == 302
    section = version.sections.get()
    form = {
        "code": "G-1",
        "text_0": "Targets are shown",
        "text_1": "লক্ষ্য দেখানো হয়",
        "links-TOTAL_FORMS": "3",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "20",
        "links-0-module": sample.modules["P-02"].pk,
        "links-0-weight": "4",
        "links-1-weight": "1",
        "links-2-weight": "1",
    }
    url = reverse("assessment:statement-create", args=[section.pk])
    assert client.post(url, form).status_code == 302
    statement = section.statements.get()
    assert list(statement.links.values_list("module__code", "weight")) == [("P-02", 4)]
    # A duplicate code is refused next to the field.
    response = client.post(url, {**form, "code": "g-1"})
    assert response.status_code == 200 and "Another statement" in response.content.decode()
    # Without English text the form says so.
    response = client.post(url, {**form, "code": "G-2", "text_0": ""})
    assert "Write the English text" in response.content.decode()
    client.post(reverse("assessment:version-publish", args=[version.pk]), {"notes": "First"})
    version.refresh_from_db()
    assert version.status == "published" and version.notes == "First"
    # Published: its pages no longer edit.
    assert client.get(reverse("assessment:statement-edit", args=[statement.pk])).status_code == 404


def test_pdf_views_return_the_printed_files(cast, submitted_a, sample, monkeypatch) -> None:
    from fithub.assessment import printing

    calls = []
    monkeypatch.setattr(
        printing,
        "questionnaire_pdf",
        lambda *, version, language: calls.append(("q", version, language)) or b"%PDF-q",
    )
    monkeypatch.setattr(
        printing,
        "results_pdf",
        lambda *, assessment, language: calls.append(("r", assessment, language)) or b"%PDF-r",
    )
    url = reverse("assessment:version-pdf", args=[sample.version.pk]) + "?lang=ur"
    response = get(cast, "coordinator_a", url)
    assert response["Content-Type"] == "application/pdf" and response.content == b"%PDF-q"
    url = reverse("assessment:results-pdf", args=[submitted_a.pk]) + "?lang=bn"
    assert get(cast, "worker_rep_a", url).content == b"%PDF-r"
    assert get(cast, "admin_b", url).status_code == 404
    assert get(cast, "buyer", url).status_code == 404
    assert [(kind, language) for kind, _obj, language in calls] == [("q", "ur"), ("r", "bn")]


def test_the_list_filters_with_htmx_and_keeps_its_query_count(cast, sample) -> None:
    client = cast.client(cast.owner)
    url = reverse("assessment:list") + "?status=in_progress"
    start(cast, sample)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, **HTMX)
    assert response.content.decode().lstrip().startswith('<div id="results">')
    for _ in range(5):
        start(cast, sample)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **HTMX)
    assert "6 assessments" in response.content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)


def test_a_submitted_assessment_offers_to_answer_again(cast, submitted_a) -> None:
    url = reverse("assessment:detail", args=[submitted_a.pk])
    again = reverse("assessment:start") + f"?factory={cast.factory_a.pk}"
    assert again in get(cast, "coordinator_a", url).content.decode()
    assert again not in get(cast, "worker_rep_a", url).content.decode()
    form = get(cast, "coordinator_a", again).content.decode()
    assert f'<option value="{cast.factory_a.pk}" selected>' in form


def test_the_list_narrows_to_one_factory(cast, sample) -> None:
    start(cast, sample)
    services.assessment_start(factory=cast.factory_b, version=sample.version, by=None)
    url = reverse("assessment:list") + f"?factory={cast.factory_b.pk}"
    html = get(cast, "owner", url).content.decode()
    assert "Beta Knit" in html and "Alpha Garments" not in html
    assert "0 assessments" in get(cast, "admin_a", url).content.decode()
