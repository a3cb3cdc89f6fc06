"""A held session of provider A with people who came, one who did not and one not recorded,
and a session of provider B; built from the training models directly."""

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from fithub.accounts.models import Organisation, User
from fithub.catalogue.models import Module
from fithub.certificates import services
from fithub.certificates.models import Certificate
from fithub.conftest import Cast
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement
from fithub.training.models import Participant, Registration, Session

SESSION_DATE = date(2026, 3, 14)
PHONE = "+880 1711 555 123"
TITLE = {
    "en": "Productivity through workplace cooperation",
    # Conjuncts: ক্ষ (twice), প্র, শ্র; reph in কর্ম.
    "bn": "কর্মক্ষেত্রে সহযোগিতায় উৎপাদন ক্ষমতা বৃদ্ধির প্রশিক্ষণ",
    "ur": "کام کی جگہ پر تعاون سے پیداواری صلاحیت",
    # Subscripts: ម្អ, ប្រ, ត្ត, ច្ច.
    "km": "ការកែលម្អផលិតភាពតាមរយៈកិច្ចសហប្រតិបត្តិការ",
}


@dataclass
class Room:
    session: Session
    present: list[Registration]
    absent: Registration
    unrecorded: Registration


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    # Batches and logos are written to a directory of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://fithub.example.org"
    cache.clear()  # the public API's throttle counts in the cache


def make_module(code: str = "PRD-01", title: dict[str, str] | None = None) -> Module:
    # Created directly: the catalogue's validation knows only the site's languages, not Khmer.
    return Module.objects.create(
        code=code,
        title=title or TITLE,
        category="production",
        audience="mixed",
        duration_minutes=120,
    )


def make_session(
    *,
    module: Module,
    provider: Organisation | None,
    engagement: Engagement,
    facilitator: User | None = None,
    **kw: Any,
) -> Session:
    data: dict[str, Any] = {
        "module": module,
        "provider": provider,
        "delivery_model": "in_factory",
        "date": SESSION_DATE,
        "starts_at": time(9),
        "ends_at": time(11, 30),
        "facilitator": facilitator,
        "status": Session.Status.HELD,
        **kw,
    }
    session = Session.objects.create(**data)
    session.engagements.add(engagement)
    return session


def attend(
    session: Session, factory: Factory, name: str, present: bool | None = True, **kw: Any
) -> Registration:
    data = {"sex": "female", "role": "worker", "department": "sewing", "phone": PHONE, **kw}
    participant = Participant.objects.create(factory=factory, name=name, **data)
    return Registration.objects.create(session=session, participant=participant, present=present)


@pytest.fixture
def module(db: None) -> Module:
    return make_module()


@pytest.fixture
def room(cast: Cast, module: Module) -> Room:
    """Provider A's session at factory A: three came, one did not, one not recorded."""
    session = make_session(
        module=module,
        provider=cast.provider_a,
        engagement=cast.engagement_a,
        facilitator=cast.facilitator_a,
    )
    present = [
        attend(session, cast.factory_a, "Amina Akter", role="supervisor"),
        attend(session, cast.factory_a, "সুমাইয়া আক্তার", language="bn"),
        attend(session, cast.factory_a, "فاطمہ بی بی", language="ur"),
    ]
    absent = attend(session, cast.factory_a, "Rashid Khan", present=False)
    unrecorded = attend(session, cast.factory_a, "Nadia Islam", present=None)
    return Room(session, present, absent, unrecorded)


@pytest.fixture
def issued(cast: Cast, room: Room) -> list[Certificate]:
    return services.certificates_issue_for_session(session=room.session, by=cast.admin_a)


@pytest.fixture
def cert_b(cast: Cast, module: Module) -> Certificate:
    """The certificate of the one person who came to provider B's session at factory B."""
    session = make_session(module=module, provider=cast.provider_b, engagement=cast.engagement_b)
    registration = attend(session, cast.factory_b, "Beatriz Rahman")
    return services.certificate_issue(registration=registration, by=cast.admin_b)
