"""Who sees and who answers assessments, and who sees and edits questionnaires."""

import pytest

from fithub.assessment import services
from fithub.assessment.scoping import (
    assessed_factories_for,
    assessments_for,
    questionnaires_for,
    versions_for,
)
from fithub.assessment.tests.conftest import start
from fithub.tests.cast import EVERYONE

READ_A = {"coordinator_a", "worker_rep_a", "admin_a", "facilitator_a", "owner", "superuser"}
WRITE_A = {"coordinator_a", "admin_a", "facilitator_a", "superuser"}


@pytest.mark.parametrize("who", EVERYONE)
def test_assessments_of_factory_a(cast, sample, who) -> None:
    assessment = start(cast, sample)
    user = getattr(cast, who)
    assert assessments_for(user).filter(pk=assessment.pk).exists() == (who in READ_A)
    assert assessments_for(user, write=True).filter(pk=assessment.pk).exists() == (who in WRITE_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_factories_to_assess(cast, who) -> None:
    user = getattr(cast, who)
    readable = set(assessed_factories_for(user).values_list("name", flat=True))
    writable = set(assessed_factories_for(user, write=True).values_list("name", flat=True))
    assert ("Alpha Garments" in readable) == (who in READ_A)
    assert ("Alpha Garments" in writable) == (who in WRITE_A)
    # Provider B and its factory: only provider B's admin, the owner and the superuser.
    assert ("Beta Knit" in readable) == (who in {"admin_b", "owner", "superuser"})
    assert ("Beta Knit" in writable) == (who in {"admin_b", "superuser"})


def test_anonymous_sees_nothing(cast, sample) -> None:
    from django.contrib.auth.models import AnonymousUser

    start(cast, sample)
    assert not assessments_for(AnonymousUser()).exists()
    assert not versions_for(AnonymousUser()).exists()
    assert not questionnaires_for(AnonymousUser()).exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_published_versions_are_read_by_every_member(cast, sample, who) -> None:
    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    user = getattr(cast, who)
    members = {"owner", "admin_a", "facilitator_a", "admin_b", "coordinator_a", "worker_rep_a"}
    sees = who in members | {"superuser"}
    assert versions_for(user).filter(pk=sample.version.pk).exists() == sees
    assert questionnaires_for(user).filter(pk=sample.questionnaire.pk).exists() == sees
    # Drafts only to the owner's staff.
    assert versions_for(user).filter(pk=draft.pk).exists() == (who in {"owner", "superuser"})
    assert versions_for(user, write=True).filter(pk=draft.pk).exists() == (
        who in {"owner", "superuser"}
    )
    assert questionnaires_for(user, write=True).exists() == (who in {"owner", "superuser"})
