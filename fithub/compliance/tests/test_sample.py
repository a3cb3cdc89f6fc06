"""The labelled SAMPLE tools: the 8 clusters, ≥60 questions per country, in en/bn/ur."""

import io

import pytest
from django.core.management import call_command

from fithub.compliance import cat
from fithub.compliance.models import Cluster, Question, Tool, ToolVersion
from fithub.compliance.sample import sample_tool_load
from fithub.conftest import Cast


@pytest.mark.parametrize("country", ["BD", "PK"])
def test_the_sample_tool_loads_published_and_labelled(cast: Cast, country: str) -> None:
    version = sample_tool_load(owner=cast.owner_org, country=country)
    assert version.status == ToolVersion.Status.PUBLISHED and version.tool.is_sample
    assert "SAMPLE" in version.tool.title["en"] and "SAMPLE" in version.notes
    assert [c.code for c in Cluster.objects.filter(version=version).order_by("order")] == [
        c.code for c in cat.CLUSTERS
    ]
    questions = list(Question.objects.filter(version=version))
    assert len(questions) >= 60
    assert all(q.text.get(code) for q in questions for code in ("en", "bn", "ur"))
    assert all("(sample)" in q.legal_reference for q in questions)
    assert sum(q.publicly_reported for q in questions) >= 20
    assert {f for q in questions for f in q.applies_if} >= {"has_accommodation", "has_union"}
    # Loading again changes nothing.
    assert sample_tool_load(owner=cast.owner_org, country=country) == version
    assert Question.objects.filter(version__tool__country=country).count() == len(questions)


def test_the_command_loads_both_countries(cast: Cast) -> None:
    call_command("seed_compliance", owner=cast.owner_org.name, stdout=io.StringIO())
    assert set(Tool.objects.values_list("country", flat=True)) == {"BD", "PK"}
