"""The programme owner's questionnaire: a draft from the current version, texts, publishing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fithub.accounts.models import Membership, Organisation, User
from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Question, Questionnaire, Version
from fithub.training.tests.conftest import plan

pytestmark = pytest.mark.django_db

NOT_EDITORS = (
    "admin_a",
    "facilitator_a",
    "admin_b",
    "coordinator_a",
    "worker_rep_a",
    "buyer",
    "outsider",
)


def _texts(version: Version, **changed: dict[str, str]) -> dict[str, str]:
    data = {}
    for q in Question.objects.filter(version=version):
        for language in ("en", "bn", "ur"):
            data[f"{q.code}__{language}"] = changed.get(q.code, {}).get(language, q.text[language])
    return data


def test_the_owner_drafts_edits_and_publishes_and_new_sessions_ask_it(cast: Cast, module) -> None:
    client = cast.client(cast.owner)

    made = client.post(reverse("surveys:new-draft"), {"owner": cast.owner_org.pk})
    draft = Version.objects.get(questionnaire__owner=cast.owner_org)
    assert made.status_code == 302 and made["Location"] == reverse(
        "surveys:version", args=[draft.pk]
    )
    assert (draft.number, draft.status) == (1, "draft")
    standard = services.standard_version()
    assert [q.code for q in draft.questions.all()] == [q.code for q in standard.questions.all()]

    new = {"bn": "প্রশিক্ষণটি আমার ভালো লেগেছে।", "en": "I liked the training."}
    saved = client.post(
        reverse("surveys:version", args=[draft.pk]),
        _texts(draft, enjoyed={**new, "ur": "مجھے تربیت پسند آئی"}),
    )
    assert saved.status_code == 302
    assert Question.objects.get(version=draft, code="enjoyed").text["bn"] == new["bn"]
    # The standard questionnaire it was copied from is untouched.
    assert standard.questions.get(code="enjoyed").text["en"] == "I enjoyed the session."

    client.post(reverse("surveys:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    survey = services.survey_open(session=plan(cast, module), by=cast.admin_a)
    assert survey.version == draft


def test_a_published_version_is_frozen(cast: Cast) -> None:
    draft = services.version_new_draft(owner=cast.owner_org, by=cast.owner)
    services.version_publish(version=draft, by=cast.owner)
    before = list(Question.objects.filter(version=draft).values_list("text", flat=True))

    page = cast.client(cast.owner).post(
        reverse("surveys:version", args=[draft.pk]), _texts(draft, enjoyed={"en": "Changed"})
    )

    assert page.status_code == 404
    with pytest.raises(ValidationError, match="cannot change"):
        services.question_texts_update(version=draft, texts={}, by=cast.owner)
    with pytest.raises(ValidationError, match="cannot change"):
        services.version_publish(version=draft, by=cast.owner)
    assert list(Question.objects.filter(version=draft).values_list("text", flat=True)) == before


def test_the_next_draft_copies_the_published_version_and_only_one_draft_at_a_time(
    cast: Cast,
) -> None:
    first = services.version_new_draft(owner=cast.owner_org, by=cast.owner)
    texts = {c: {k: v for k, v in t.items()} for c, t in _grouped(first).items()}
    texts["useful"] = {"en": "Useful.", "bn": "উপকারী।", "ur": "مفید"}
    services.question_texts_update(version=first, texts=texts, by=cast.owner)
    services.version_publish(version=first, by=cast.owner)

    second = services.version_new_draft(owner=cast.owner_org, by=cast.owner)

    assert second.number == 2
    assert Question.objects.get(version=second, code="useful").text["en"] == "Useful."
    refused = cast.client(cast.owner).post(
        reverse("surveys:new-draft"), {"owner": cast.owner_org.pk}
    )
    assert refused.status_code == 302
    assert Version.objects.filter(questionnaire__owner=cast.owner_org).count() == 2


def _grouped(version: Version) -> dict[str, dict[str, str]]:
    return {q.code: dict(q.text) for q in Question.objects.filter(version=version)}


def test_a_question_left_without_a_language_is_refused_and_nothing_saved(cast: Cast) -> None:
    draft = services.version_new_draft(owner=cast.owner_org, by=cast.owner)

    page = cast.client(cast.owner).post(
        reverse("surveys:version", args=[draft.pk]),
        _texts(draft, enjoyed={"en": "New text", "ur": ""}),
    )

    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert (
        Question.objects.get(version=draft, code="enjoyed").text["en"] == "I enjoyed the session."
    )


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_nobody_but_the_owners_admins_drafts_edits_or_publishes(cast: Cast, who: str) -> None:
    draft = services.version_new_draft(owner=cast.owner_org, by=cast.owner)
    client = cast.client(getattr(cast, who))

    made = client.post(reverse("surveys:new-draft"), {"owner": cast.owner_org.pk})
    seen = client.get(reverse("surveys:version", args=[draft.pk]))
    edit = client.post(
        reverse("surveys:version", args=[draft.pk]), _texts(draft, enjoyed={"en": "X"})
    )
    publish = client.post(reverse("surveys:publish", args=[draft.pk]))

    assert (made.status_code, seen.status_code, edit.status_code, publish.status_code) == (
        404, 404, 404, 404
    )  # fmt: skip
    draft.refresh_from_db()
    assert (
        draft.status == "draft"
        and Version.objects.filter(questionnaire__owner__isnull=False).count() == 1
    )
    assert (
        Question.objects.get(version=draft, code="enjoyed").text["en"] == "I enjoyed the session."
    )


def test_another_programme_owner_neither_sees_nor_changes_this_one(cast: Cast) -> None:
    draft = services.version_new_draft(owner=cast.owner_org, by=cast.owner)
    other_org = Organisation.objects.create(name="Donor E", kind=Organisation.Kind.PROGRAMME_OWNER)
    other = User.objects.create_user("donor@example.org", "correct horse battery staple", name="D")
    Membership.objects.create(user=other, organisation=other_org, role=Membership.Role.ADMIN)
    client = cast.client(other)

    listing = client.get(reverse("surveys:questionnaires")).content.decode()
    forged = client.post(reverse("surveys:new-draft"), {"owner": cast.owner_org.pk})

    assert cast.owner_org.name not in listing and "FIT post-training survey" in listing
    assert client.get(reverse("surveys:version", args=[draft.pk])).status_code == 404
    assert forged.status_code == 404
    assert Questionnaire.objects.filter(owner=other_org).count() == 0


def test_the_owner_and_providers_read_the_standard_questionnaire(cast: Cast) -> None:
    standard = services.standard_version()
    for who in (cast.owner, cast.admin_a, cast.facilitator_a):
        assert (
            cast.client(who).get(reverse("surveys:version", args=[standard.pk])).status_code == 200
        )
    for who in (cast.buyer, cast.outsider, cast.coordinator_a):
        assert (
            cast.client(who).get(reverse("surveys:version", args=[standard.pk])).status_code == 404
        )
