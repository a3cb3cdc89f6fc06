"""The tool is versioned data: publishing freezes a version, editing it makes a draft."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fithub.compliance import services
from fithub.compliance.models import Cluster, Question, Tool, ToolVersion
from fithub.compliance.scoping import tools_for, versions_for
from fithub.compliance.tests.conftest import Planned
from fithub.conftest import Cast


def test_a_published_version_is_frozen(cast: Cast, small: ToolVersion) -> None:
    with pytest.raises(ValidationError, match="published"):
        services.tool_version_import(version=small, rows=[], by=cast.owner)
    assert Question.objects.filter(version=small).count() == 8


def test_editing_a_published_version_makes_a_draft_copy(cast: Cast, small: ToolVersion) -> None:
    draft = services.tool_version_new_draft(version=small, by=cast.owner)
    assert (draft.number, draft.status) == (2, ToolVersion.Status.DRAFT)
    copied = Question.objects.filter(version=draft).select_related("point__cluster")
    assert sorted(q.code for q in copied) == sorted(
        Question.objects.filter(version=small).values_list("code", flat=True)
    )
    # The copy's questions hang on the copy's own points and clusters.
    assert {q.point.cluster.version_id for q in copied} == {draft.pk}
    a1 = copied.get(code="A1")
    assert (a1.applies_if, a1.text["bn"]) == (["has_accommodation"], "Accommodation is safe (bn)")
    with pytest.raises(ValidationError):  # one draft at a time
        services.tool_version_new_draft(version=small, by=cast.owner)


def test_assessments_keep_their_version_when_a_new_one_is_published(
    cast: Cast, planned: Planned
) -> None:
    draft = services.tool_version_new_draft(version=planned.version, by=cast.owner)
    services.tool_version_publish(version=draft, by=cast.owner)
    planned.assessment.refresh_from_db()
    planned.version.refresh_from_db()
    assert planned.assessment.version_id == planned.version.pk
    assert planned.version.status == ToolVersion.Status.RETIRED
    services.assessment_start(assessment=planned.assessment, by=cast.assessor_a)
    versions = set(planned.assessment.findings.values_list("question__version", flat=True))
    assert versions == {planned.version.pk}


def test_only_programme_owners_own_tools(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.tool_create(
            owner=cast.provider_a, country="PK", slug="x", title={"en": "X"}, by=cast.admin_a
        )
    assert not Tool.objects.exists()


def test_one_tool_per_country_and_owner(cast: Cast, small: ToolVersion) -> None:
    with pytest.raises(ValidationError):
        services.tool_create(
            owner=cast.owner_org, country="pk", slug="again", title={"en": "X"}, by=cast.owner
        )
    assert Tool.objects.count() == 1


def test_publishing_needs_questions(cast: Cast) -> None:
    tool = services.tool_create(
        owner=cast.owner_org, country="BD", slug="empty", title={"en": "E"}, by=cast.owner
    )
    with pytest.raises(ValidationError):
        services.tool_version_publish(version=tool.versions.get(), by=cast.owner)
    assert tool.versions.get().status == ToolVersion.Status.DRAFT


def test_who_sees_and_edits_tools(cast: Cast, small: ToolVersion) -> None:
    draft = services.tool_version_new_draft(version=small, by=cast.owner)
    assert set(versions_for(cast.owner, write=True)) == {small, draft}
    for reader in (cast.admin_a, cast.assessor_a, cast.coordinator_a, cast.admin_b):
        assert set(versions_for(reader)) == {small}, reader  # drafts are the owner's
        assert not versions_for(reader, write=True).exists()
        assert not tools_for(reader, write=True).exists()
    for stranger in (cast.buyer, cast.buyer_b, cast.outsider):
        assert not tools_for(stranger).exists()
        assert not versions_for(stranger).exists()


def test_the_version_page_and_its_buttons(cast: Cast, small: ToolVersion) -> None:
    url = reverse("compliance:version", args=[small.pk])
    page = cast.client(cast.owner).get(url).content.decode()
    assert "Child Labour" not in page and "Compensation" in page and "W5" in page
    assert reverse("compliance:version-edit", args=[small.pk]) in page
    reader = cast.client(cast.assessor_a).get(url).content.decode()
    assert "W5" in reader and reverse("compliance:version-edit", args=[small.pk]) not in reader
    assert cast.client(cast.buyer).get(url).status_code == 404
    # An assessor cannot make a draft.
    response = cast.client(cast.assessor_a).post(
        reverse("compliance:version-edit", args=[small.pk])
    )
    assert response.status_code == 404 and ToolVersion.objects.count() == 1
    response = cast.client(cast.owner).post(reverse("compliance:version-edit", args=[small.pk]))
    draft = ToolVersion.objects.get(status=ToolVersion.Status.DRAFT)
    assert response["Location"] == draft.get_absolute_url()
    assert Cluster.objects.filter(version=draft).count() == 2


def test_the_owners_administrator_starts_a_tool(cast: Cast) -> None:
    url = reverse("compliance:tool-create")
    data = {
        "country": "bd",
        "slug": "cat-bd",
        "title_0": "CAT Bangladesh",
        "title_1": "",
        "title_2": "",
    }
    for who in (cast.admin_a, cast.assessor_a, cast.coordinator_a, cast.buyer):
        assert cast.client(who).post(url, data).status_code == 404, who
    assert not Tool.objects.exists()
    response = cast.client(cast.owner).post(url, data)
    tool = Tool.objects.get()
    assert response["Location"] == tool.get_absolute_url()
    assert (tool.country, tool.owner, tool.versions.get().status) == ("BD", cast.owner_org, "draft")
