"""The session pack: everything a facilitator prints for one FIT session, as one PDF.

In the session's language: a cover; the sign-in sheet with the session's QR code (scanning it
opens self check-in, and it identifies the sheet when the paper comes back); the groups with
their rotating roles; the print count and materials list; one action-plan form per group.

Printed for a reader: it names only the people and factories they may see (a factory's users
see their own people in a shared classroom session), and carries the check-in link and QR code
only for those who may run check-in; the session code identifies the sheet for everyone.

Decisions:
- Print count: one module copy per registered participant (FIT guide), plus 10% spare copies
  rounded up, for walk-ins and spoilt copies: 12 registered -> 2 spare -> 14 copies. Pens
  follow the copies; A4 paper and markers are optional (FIT guide), one set per group.
- Sign-in sheet: the registered people, then empty rows up to the venue's capacity (at most
  20), or 5 when the session has no venue yet.
- Roles rotate once per part of the module (case study, learning activities, reflection and
  action plan): part 1 has the roles the groups were given, and each later part passes them
  on to the next three members, so that in a group of 5-7 nearly everyone takes a turn.
- Groups not formed yet: the pack says so and prints blank group lists and action plans, as
  many as the groups the registered people would make.
"""

import math
from dataclasses import dataclass, field
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.assessment.printing import Text, isolate
from fithub.lib import pdf, slots
from fithub.lib.i18n import language_codes, localized_with_language
from fithub.training import groups as grouping
from fithub.training import selectors
from fithub.training.models import Registration, Session
from fithub.training.scoping import (
    can_change_session,
    registrations_for,
    session_factories_for,
    sessions_for,
)

SPARE_PERCENT = 10
BLANK_ROWS = 5  # on the sign-in sheet of a session without a venue
MOST_BLANK_ROWS = 20
ACTION_ROWS = 8
ROLES = (
    Registration.GroupRole.READER,
    Registration.GroupRole.TIME_KEEPER,
    Registration.GroupRole.NOTE_TAKER,
)
PARTS = (
    ("case_study_minutes", gettext_lazy("Case study")),
    ("activities_minutes", gettext_lazy("Learning about the topic")),
    ("action_plan_minutes", gettext_lazy("Reflection and action plan")),
)


def spare_copies(registered: int) -> int:
    """Return the spare module copies: 10% of the registered people, rounded up."""
    return math.ceil(registered * SPARE_PERCENT / 100)


def blank_rows(registered: int, capacity: int | None) -> int:
    """Return the empty rows the sign-in sheet needs after the registered people."""
    if capacity is None:
        return BLANK_ROWS
    return max(0, min(capacity - registered, MOST_BLANK_ROWS))


def check_in_url(session: Session) -> str:
    """Return the absolute URL of the session's self check-in page (what the QR code holds)."""
    return settings.SITE_URL + reverse("training:check-in", args=[session.check_in_token])


def short_code(session: Session) -> str:
    """Return the code printed next to the QR code: it names the session on a returned sheet."""
    return f"S-{session.pk}"


def qr_data_uri(text: str) -> str:
    """Return a PNG QR code of text as a data: URI (render_pdf fetches nothing else)."""
    # A full QR code, never a Micro QR: phone cameras do not all read the latter.
    return str(segno.make_qr(text, error="m").png_data_uri(scale=6, border=4))


def rotation(members: list[Any]) -> list[list[Any]]:
    """Return, for each part of the module, who reads, keeps time and takes notes."""
    if not members:
        return [[None] * len(ROLES) for _part in PARTS]
    n = len(members)
    return [
        [members[(part * len(ROLES) + i) % n] for i in range(len(ROLES))]
        for part in range(len(PARTS))
    ]


@dataclass(frozen=True)
class Member:
    number: int
    name: str
    factory: str
    department: str
    sex: str
    role: str  # the role at the start, or ""


@dataclass
class PrintedGroup:
    number: int | None  # None for a blank sheet of groups not formed yet
    members: list[Member] = field(default_factory=list)
    rotation: list[tuple[str, int, list[Any]]] = field(default_factory=list)
    blank: int = 0  # empty rows to write names in

    @property
    def blank_rows(self) -> range:
        return range(len(self.members) + 1, len(self.members) + 1 + self.blank)


def _member(number: int, registration: Registration) -> Member:
    participant = registration.participant
    return Member(
        number=number,
        name=isolate(participant.name),
        factory=isolate(participant.factory.name),
        department=str(participant.get_department_display()),
        sex=str(participant.get_sex_display()),
        role=str(registration.get_group_role_display()) if registration.group_role else "",
    )


def _parts(session: Session) -> list[tuple[str, int]]:
    module = session.module
    return [(str(label), getattr(module, name) or 0) for name, label in PARTS]


def _groups(
    session: Session, registrations: list[Registration], visible: set[int]
) -> tuple[list[PrintedGroup], list[Member], bool]:
    """Return the groups (or blank ones), the people in none, and whether groups are formed.

    Only the people in `visible` (registration ids) are printed; the roles still rotate over
    every member, so a reader who sees part of a group sees the turns the group really takes,
    with the others' turns left blank.
    """
    parts = _parts(session)
    by_group: dict[int, list[Registration]] = {}
    loose = []
    for registration in registrations:
        if registration.group_id is None:
            loose.append(registration)
        else:
            by_group.setdefault(registration.group.number, []).append(registration)  # type: ignore[union-attr]
    if not by_group:
        count = max(1, len(grouping.group_sizes(len(registrations))))
        blank = [
            PrintedGroup(
                None,
                rotation=[(label, minutes, [None] * len(ROLES)) for label, minutes in parts],
                blank=grouping.GROUP_MAX,
            )
            for _i in range(count)
        ]
        return blank, [], False
    printed = []
    order = {role: i for i, role in enumerate(ROLES)}
    for number in sorted(by_group):
        # The people with a role first, in the order of the roles; then the others by name.
        members = sorted(
            by_group[number],
            key=lambda r: (order.get(r.group_role, len(ROLES)), r.participant.name),  # type: ignore[call-overload]
        )
        shown = [r for r in members if r.pk in visible]
        if not shown:
            continue
        rows = [_member(i, r) for i, r in enumerate(shown, start=1)]
        turns = rotation([isolate(r.participant.name) if r.pk in visible else "" for r in members])
        printed.append(
            PrintedGroup(
                number,
                rows,
                [
                    (label, minutes, turn)
                    for (label, minutes), turn in zip(parts, turns, strict=True)
                ],
            )
        )
    shown_loose = [r for r in loose if r.pk in visible]
    return printed, [_member(i, r) for i, r in enumerate(shown_loose, start=1)], True


def _facilitator(session: Session) -> str:
    if session.facilitator is not None:
        return isolate(session.facilitator.get_full_name() or str(session.facilitator))
    return isolate(session.facilitator_name)


def _organiser(session: Session) -> str:
    if session.provider is not None:
        return isolate(session.provider.name)
    if session.organising_factory is not None:
        return isolate(session.organising_factory.name)
    return ""


def pack_context(
    session: Session, language: str, *, reader: User | AnonymousUser
) -> dict[str, Any]:
    """Gather what the pack prints for a reader; call it with the language active.

    The reader sees the people the scoping rule lets them see (registrations_for), and the
    check-in link and its QR code only if they may run check-in (change the session): a
    worker representative or a programme owner gets the pack without them.
    """
    everyone = list(selectors.registrations(session))
    visible_ids = set(
        registrations_for(reader).filter(session=session).values_list("pk", flat=True)
    )
    registrations = [r for r in everyone if r.pk in visible_ids]
    title, title_lang = localized_with_language(session.module.title, language)
    if session.adaptation is not None and session.adaptation.title:
        title, title_lang = localized_with_language(session.adaptation.title, language)
    all_factories = [e.factory for e in session.engagements.select_related("factory")]
    if session.organising_factory is not None:
        all_factories.append(session.organising_factory)
    factories = sorted({f.name for f in session_factories_for(reader, all_factories)})
    groups, loose, formed = _groups(session, everyone, visible_ids)
    registered = len(registrations)
    spare = spare_copies(registered)
    venue = session.venue
    check_in = can_change_session(reader, session)
    url = check_in_url(session) if check_in else ""
    return {
        "session": session,
        "title": Text(title or session.module.code, title_lang, language),
        "code": session.module.code,
        "language_name": get_language_info(language)["name_local"]
        if language in language_codes()
        else language,
        "delivery_model": session.get_delivery_model_display(),
        "facilitator": _facilitator(session),
        "organiser": _organiser(session),
        "factories": [isolate(name) for name in factories],
        "multi_factory": len(factories) > 1,
        "venue": venue,
        "venue_text": isolate(", ".join(p for p in (venue.name, venue.address, venue.city) if p))
        if venue
        else "",
        "members": [_member(i, r) for i, r in enumerate(registrations, start=1)],
        "blank_rows": range(
            registered + 1,
            registered + 1 + blank_rows(registered, venue.capacity if venue else None),
        ),
        "check_in": check_in,
        "qr": qr_data_uri(url) if check_in else "",
        "check_in_url": url,
        "short_code": short_code(session),
        "groups": groups,
        "loose": loose,
        "groups_formed": formed,
        "role_labels": [label for _value, label in Registration.GroupRole.choices],
        "registered": registered,
        "spare": spare,
        "spare_percent": SPARE_PERCENT,
        "copies": registered + spare,
        "group_count": len(groups),
        "action_rows": range(1, ACTION_ROWS + 1),
    }


def session_pack_pdf(
    *,
    session: Session,
    reader: User | AnonymousUser,
    language: str | None = None,
    request: HttpRequest | None = None,
) -> bytes:
    """Print a session's pack, as the reader may see it, in its language (or the one given).

    With the request, the pack ends with the parts later apps add for this reader (the
    `session-pack` slot: the survey's code slips), each on pages of its own.
    """
    language = language or session.language or "en"
    with translation.override(language):
        context = pack_context(session, language, reader=reader)
        context["extra_parts"] = slots.render("session-pack", request, session) if request else []
    return pdf.render_pdf(template="training/pdf/pack.html", context=context, language=language)


@login_required
def session_pack_view(request: HttpRequest, pk: int) -> HttpResponse:
    qs = sessions_for(request.user).select_related(
        "module", "adaptation", "venue", "facilitator", "provider", "organising_factory"
    )
    session = get_object_or_404(qs, pk=pk)
    asked = request.GET.get("lang", "")
    language = asked if asked in language_codes() else session.language
    if pdf.unavailable_reason():
        return HttpResponse(
            _("Printing is not available on this server yet."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    content = session_pack_pdf(
        session=session, reader=request.user, language=language, request=request
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="session-{session.pk}-pack-{language}.pdf"'
    return response
