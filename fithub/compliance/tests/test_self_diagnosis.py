"""Self-diagnosis: the committee answers the dialogue questions; findings show beside them."""

from django.urls import reverse

from fithub.compliance.models import SelfAnswer, SelfDiagnosis, ToolVersion
from fithub.compliance.tests.conftest import Planned
from fithub.conftest import Cast


def _start(cast: Cast, who) -> SelfDiagnosis:  # type: ignore[no-untyped-def]
    url = reverse("compliance:self-diagnosis-start", args=[cast.engagement_a.pk])
    response = cast.client(who).post(url)
    sd = SelfDiagnosis.objects.get()
    assert response["Location"] == sd.get_absolute_url()
    return sd


def test_the_committee_answers_the_dialogue_questions(cast: Cast, small: ToolVersion) -> None:
    for who in (cast.admin_a, cast.assessor_a, cast.buyer, cast.coordinator_b, cast.owner):
        url = reverse("compliance:self-diagnosis-start", args=[cast.engagement_a.pk])
        assert cast.client(who).post(url).status_code == 404, who
    assert not SelfDiagnosis.objects.exists()
    sd = _start(cast, cast.worker_rep_a)
    assert sorted(sd.answers.values_list("question__code", flat=True)) == ["E1", "W2"]
    q = {a.question.code: a.question_id for a in sd.answers.select_related("question")}
    manager = cast.client(cast.manager_a)
    manager.post(sd.get_absolute_url(), {f"r-{q['W2']}": "non_compliant", "submit": "1"})
    sd.refresh_from_db()
    assert sd.submitted_at is None  # E1 not answered yet: nothing submitted
    manager.post(
        sd.get_absolute_url(),
        {f"r-{q['W2']}": "non_compliant", f"r-{q['E1']}": "compliant", "submit": "1"},
    )
    sd.refresh_from_db()
    assert sd.submitted_at is not None
    assert SelfAnswer.objects.get(question_id=q["W2"]).answered_by == cast.manager_a
    # Read by the provider and the owner; not by buyers or the other factory.
    for who in (cast.admin_a, cast.owner, cast.coordinator_a):
        assert cast.client(who).get(sd.get_absolute_url()).status_code == 200
    for who in (cast.buyer, cast.coordinator_b, cast.admin_b):
        assert cast.client(who).get(sd.get_absolute_url()).status_code == 404
    locked = manager.post(sd.get_absolute_url(), {f"r-{q['W2']}": "compliant"})
    assert locked.status_code == 404
    assert SelfAnswer.objects.get(question_id=q["W2"]).result == "non_compliant"


def test_the_answers_sit_beside_the_findings(cast: Cast, started: Planned) -> None:
    sd = _start(cast, cast.coordinator_a)
    q = {a.question.code: a.question_id for a in sd.answers.select_related("question")}
    cast.client(cast.coordinator_a).post(
        sd.get_absolute_url(),
        {f"r-{q['W2']}": "non_compliant", f"r-{q['E1']}": "compliant", "submit": "1"},
    )
    cluster = started.assessment.version.clusters.get(code="CO")
    page = cast.client(cast.assessor_a).get(
        reverse("compliance:cluster", args=[started.assessment.pk, cluster.pk])
    )
    assert "Self-diagnosis:" in page.content.decode()
    # The factory's self-diagnosis page says nothing of the assessment.
    html = cast.client(cast.coordinator_a).get(sd.get_absolute_url()).content.decode()
    assert started.assessment.planned_on.isoformat() not in html
    assert "compliance assessment" not in html.lower()
