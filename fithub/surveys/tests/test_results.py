"""Results: who reads them, and small groups withheld in the page and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Response, Survey
from fithub.surveys.selectors import survey_results
from fithub.surveys.tests.conftest import give
from fithub.training import services as training
from fithub.training.tests.conftest import person, plan

READERS = ("admin_a", "facilitator_a", "owner", "coordinator_a", "worker_rep_a", "superuser")
NOT_READERS = ("admin_b", "buyer", "buyer_b", "coordinator_b", "outsider")


def test_four_answers_show_as_fewer_than_five(cast: Cast, survey) -> None:
    give(survey, 4)

    result = survey_results(Survey.objects.filter(pk=survey.pk))

    assert result.groups[0].hidden and result.groups[0].figures == {}
    assert result.total.hidden
    page = cast.client(cast.facilitator_a).get(reverse("surveys:detail", args=[survey.pk]))
    assert "Fewer than 5 answers" in page.content.decode()
    api = cast.client(cast.facilitator_a).get(f"/api/v1/surveys/{survey.pk}/results/").json()
    assert api["groups"][0] == {
        "n": None,
        "hidden": True,
        "figures": [],
        "key": str(survey.session_id),
        "by_sex": {},
        "texts": {},
        "texts_more": {},
    }


def test_shares_and_means_for_a_group_of_five_and_the_sex_split_withheld_together(
    cast: Cast, survey
) -> None:
    give(survey, 3, sex="female", enjoyed="5")
    give(survey, 6, sex="male", enjoyed="2", which_improvement="Mark the fire exits")

    group = survey_results(Survey.objects.filter(pk=survey.pk)).groups[0]

    assert (group.n, group.hidden) == (9, False)
    enjoyed = group.figures["enjoyed"]
    assert (enjoyed.answered, enjoyed.positive, enjoyed.share) == (9, 3, 33)
    assert enjoyed.mean == round((3 * 5 + 6 * 2) / 9, 1)
    # Three women: withheld, and the men with them, since 9 - men would give the women.
    assert group.by_sex["female"].hidden and group.by_sex["male"].hidden
    assert group.texts == {"which_improvement": ["Mark the fire exits"] * 6}


@pytest.mark.parametrize("who", READERS + NOT_READERS)
def test_who_reads_a_sessions_results(cast: Cast, survey, who: str) -> None:
    give(survey, 5)
    client = cast.client(getattr(cast, who))

    page = client.get(reverse("surveys:detail", args=[survey.pk]))
    api = client.get(f"/api/v1/surveys/{survey.pk}/results/")
    listing = client.get("/api/v1/survey-results/?by=session").json()

    expected = 200 if who in READERS else 404
    assert (page.status_code, api.status_code) == (expected, expected), who
    assert len(listing["groups"]) == (1 if who in READERS else 0), who


def test_a_factory_does_not_read_a_session_it_shared_with_another(
    cast: Cast, cast_a2, module
) -> None:
    session = plan(
        cast,
        module,
        delivery_model="classroom",
        engagements=[cast.engagement_a, cast_a2.engagement],
    )
    for factory in (cast.factory_a, cast_a2.factory):
        training.registration_add(session=session, participant=person(factory, "P"), by=None)
    survey = services.survey_open(session=session, by=cast.admin_a)
    give(survey, 6)

    for who in (cast.coordinator_a, cast_a2.coordinator):
        assert cast.client(who).get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    assert (
        cast.client(cast.admin_a).get(reverse("surveys:detail", args=[survey.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("who", ("coordinator_a", "worker_rep_a", "owner", "admin_b", "buyer"))
def test_only_who_runs_the_session_prints_codes_or_enters_paper(cast: Cast, survey, who) -> None:
    client = cast.client(getattr(cast, who))

    assert client.get(reverse("surveys:slips", args=[survey.pk])).status_code == 404
    paper = client.post(reverse("surveys:paper", args=[survey.pk]), {"q_enjoyed": "5"})
    assert paper.status_code == 404
    assert client.post(f"/api/v1/surveys/{survey.pk}/codes/").status_code == 404
    assert Response.objects.count() == 0 and survey.codes.count() == 0


def test_the_facilitator_enters_a_paper_form(cast: Cast, survey) -> None:
    client = cast.client(cast.facilitator_a)
    data = {"q_enjoyed": "4", "q_useful": "5", "q_learnt": "1", "q_improvements": "0"}

    done = client.post(reverse("surveys:paper", args=[survey.pk]), data)

    assert done.status_code == 302
    assert Response.objects.get().source == "paper"


def test_the_results_page_groups_by_module_in_constant_queries(
    cast: Cast, survey, django_assert_max_num_queries
) -> None:
    give(survey, 6)
    client = cast.client(cast.admin_a)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("surveys:results") + "?by=module")
    give(survey, 30, sex="male")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("surveys:results") + "?by=module")
    assert page.status_code == 200 and "36" in page.content.decode()


def test_the_session_page_offers_the_survey_to_who_runs_it(cast: Cast, session) -> None:
    page = cast.client(cast.facilitator_a).get(session.get_absolute_url()).content.decode()
    assert reverse("surveys:open", args=[session.pk]) in page
    rep = cast.client(cast.worker_rep_a).get(session.get_absolute_url()).content.decode()
    assert reverse("surveys:open", args=[session.pk]) not in rep


def test_the_slips_pdf_carries_one_code_per_person_and_a_tenth_more(cast: Cast, survey) -> None:
    import io

    from pypdf import PdfReader

    response = cast.client(cast.facilitator_a).get(reverse("surveys:slips", args=[survey.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    codes = list(survey.codes.values_list("code", flat=True))
    assert len(codes) == 9  # 8 registered, and a tenth more rounded up
    # Letter-spaced codes may come back from the PDF with spaces between their letters.
    compact = "".join(text.split())
    assert all(code in compact for code in codes)


@pytest.mark.parametrize("by", ["programme", "session"])
def test_results_for_a_programme_take_constant_queries_as_sessions_and_answers_grow(
    cast: Cast, survey, module, django_assert_num_queries, by: str
) -> None:
    give(survey, 6)
    client = cast.client(cast.owner)
    urls = [reverse("surveys:results") + f"?by={by}", f"/api/v1/survey-results/?by={by}"]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for _i in range(3):
        more = services.survey_open(session=plan(cast, module), by=cast.admin_a)
        give(more, 12, sex="male")
    for url, few in zip(urls, counts, strict=True):
        with django_assert_num_queries(few):
            page = client.get(url)
        assert page.status_code == 200
    assert survey_results(Survey.objects.all(), by=by).total.n == 42


def test_a_large_group_lists_fifty_texts_and_says_how_many_more(cast: Cast, survey) -> None:
    give(survey, 53, comment="Good")

    group = survey_results(Survey.objects.filter(pk=survey.pk)).groups[0]
    page = cast.client(cast.admin_a).get(reverse("surveys:detail", args=[survey.pk]))

    assert len(group.texts["comment"]) == 50 and group.texts_more == {"comment": 3}
    assert "… and 3 more." in page.content.decode()


def test_a_session_in_two_programmes_counts_in_both_and_once_in_the_total(
    cast: Cast, module
) -> None:
    from datetime import date

    from fithub.programmes.models import Engagement, Programme

    second = Programme.objects.create(
        owner=cast.owner_org,
        name="FIT pilot two",
        country="PK",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    second.providers.set([cast.provider_a])
    other = Engagement.objects.create(
        programme=second,
        factory=cast.factory_a,
        provider=cast.provider_a,
        delivery_model="classroom",
    )
    session = plan(cast, module, delivery_model="classroom", engagements=[cast.engagement_a, other])
    give(services.survey_open(session=session, by=cast.admin_a), 6, enjoyed="4")

    result = survey_results(Survey.objects.all(), by="programme")

    assert sorted(g.key for g in result.groups) == sorted([cast.programme.pk, second.pk])
    assert [g.n for g in result.groups] == [6, 6]
    assert result.total.n == 6 and result.total.figures["enjoyed"].answered == 6
