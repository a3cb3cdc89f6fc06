"""The sample questionnaire for the demo."""

from io import StringIO

from django.core.management import call_command

from fithub.assessment.models import Assessment, Questionnaire, Statement, StatementModule
from fithub.assessment.recommend import recommendations_for
from fithub.assessment.sample import SECTIONS, SLUG


def test_seed_assessment_loads_a_published_sample_in_three_languages(db) -> None:
    out = StringIO()
    call_command("seed_assessment", stdout=out)
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    assert questionnaire.is_demo and questionnaire.owner.name == "ILO FIT pilots (demo)"
    assert "(sample)" in questionnaire.title["en"]
    version = questionnaire.versions.get()
    assert version.status == "published"
    statements = Statement.objects.filter(section__version=version)
    assert 6 <= len(SECTIONS) <= 8 and 38 <= statements.count() <= 45
    for statement in statements:
        assert set(statement.text) == {"en", "bn", "ur"}, statement.code
        assert statement.links.exists(), statement.code
    # Every link found its module in the sample catalogue, which the command loaded.
    assert "not in the catalogue" not in out.getvalue()
    assert StatementModule.objects.filter(statement__section__version=version).count() > 40
    # No demo factories: no demo assessment.
    assert not Assessment.objects.exists()


def test_seed_assessment_if_empty_does_nothing_the_second_time(db) -> None:
    call_command("seed_assessment", "--if-empty", stdout=StringIO())
    out = StringIO()
    call_command("seed_assessment", "--if-empty", stdout=out)
    assert "nothing was loaded" in out.getvalue()
    assert Questionnaire.objects.count() == 1


def test_with_the_demo_a_submitted_assessment_is_there(db) -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_assessment", stdout=StringIO())
    assessment = Assessment.objects.get()
    assert assessment.status == "submitted" and assessment.engagement is not None
    result = recommendations_for(assessment)
    assert 5 <= len(result.suggested) <= 6
    assert result.suggested[0].module.code == "FIT-00"
