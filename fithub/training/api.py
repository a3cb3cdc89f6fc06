"""API endpoints of training, mounted under /api/v1/.

Sessions, participants and registrations with attendance, with the same
scoping as the pages: what a user may not see answers 404; what they may see but not change
answers 403 on write.
"""

from typing import Any, cast

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import Organisation, User
from fithub.catalogue.api import ModuleRefSerializer
from fithub.catalogue.scoping import adaptations_for, modules_for
from fithub.factories.models import Factory
from fithub.lib.api import ERRORS, service_errors
from fithub.lib.serializers import BooleanField, ModelSerializer
from fithub.programmes.models import DeliveryModel, Engagement
from fithub.training import selectors, services
from fithub.training.models import Participant, Registration, Session, Venue
from fithub.training.scoping import (
    can_change_session,
    organising_factories_for,
    organising_providers_for,
    participant_factories_for,
    participants_for,
    plannable_engagements,
    registrations_for,
    sessions_for,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


# --- sessions ------------------------------------------------------------------------------


class VenueSerializer(ModelSerializer):
    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "factory",
            "address",
            "city",
            "capacity",
            "step_free",
            "accessible_toilets",
        ]


class SessionSerializer(serializers.ModelSerializer):
    module = ModuleRefSerializer()
    venue = VenueSerializer(allow_null=True)
    engagements: serializers.PrimaryKeyRelatedField[Engagement] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    registered = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "module",
            "adaptation",
            "language",
            "provider",
            "organising_factory",
            "engagements",
            "delivery_model",
            "date",
            "starts_at",
            "ends_at",
            "venue",
            "facilitator",
            "facilitator_name",
            "parent",
            "representative",
            "status",
            "registered",
            "attended",
            "reflection_went_well",
            "reflection_to_change",
        ]
        read_only_fields = fields


class SessionCreateSerializer(serializers.Serializer):
    module = serializers.IntegerField(help_text=_("Module id."))
    adaptation = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.CharField(required=False, default="en", max_length=8)
    provider = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("The organising provider; by default your own (the first, if several)."),
    )
    organising_factory = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Set instead of provider when a factory runs its own session."),
    )
    engagements = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("Engagement ids.")
    )
    delivery_model = serializers.ChoiceField(choices=DeliveryModel.choices)
    date = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    venue = serializers.IntegerField(required=False, allow_null=True)
    facilitator = serializers.IntegerField(required=False, allow_null=True)
    facilitator_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SessionFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))
    date_from = serializers.DateField(required=False, allow_null=True)
    date_to = serializers.DateField(required=False, allow_null=True)


def _session_for(request: Request, pk: int, *, write: bool = False) -> Session:
    """Return the session if the user may see it, else 404; 403 if they may not change it."""
    qs = selectors.with_counts(sessions_for(request.user)).select_related("module", "venue")
    session = get_object_or_404(qs.prefetch_related("engagements"), pk=pk)
    if write and not sessions_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return session


def _organiser(
    request: Request, values: dict[str, Any]
) -> tuple[Organisation | None, Factory | None]:
    """The organiser the request names, if the user may plan for it; with none named, the
    one provider the user plans for (several: they must say which)."""
    if values.get("organising_factory"):
        factory = organising_factories_for(request.user)
        return None, get_object_or_404(factory, pk=values["organising_factory"])
    providers = organising_providers_for(request.user)
    if values.get("provider"):
        return get_object_or_404(providers, pk=values["provider"]), None
    mine = list(providers[:2])
    if not mine:
        raise PermissionDenied
    if len(mine) > 1:
        raise ApiValidationError(
            {"provider": [_("You plan sessions for several providers: say which one.")]}
        )
    return mine[0], None


class SessionListApi(GenericAPIView):
    serializer_class = SessionSerializer

    @extend_schema(
        summary="List the sessions you may see",
        parameters=[SessionFilterSerializer],
        responses=SessionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = SessionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = sessions_for(request.user)
        if f.get("factory"):
            qs = selectors.of_factory(qs, f["factory"])
        if f.get("date_from"):
            qs = qs.filter(date__gte=f["date_from"])
        if f.get("date_to"):
            qs = qs.filter(date__lte=f["date_to"])
        qs = (
            selectors.with_counts(qs)
            .select_related("module", "venue")
            .prefetch_related("engagements")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    @extend_schema(
        summary="Plan a session",
        request=SessionCreateSerializer,
        responses={201: SessionSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        provider, own = _organiser(request, values)
        module = get_object_or_404(modules_for(request.user), pk=values["module"])
        adaptation = None
        if values.get("adaptation"):
            adaptation = get_object_or_404(adaptations_for(request.user), pk=values["adaptation"])
        wanted = values.get("engagements") or []
        usable = plannable_engagements(provider=provider, factory=own).filter(pk__in=wanted)
        engagements = list(usable)
        if len(engagements) != len(set(wanted)):
            raise ApiValidationError({"engagements": [_("Choose engagements of the organiser.")]})
        factory_ids = {e.factory_id for e in engagements} | ({own.pk} if own else set())
        venue = None
        if values.get("venue"):
            venues = Venue.objects.filter(
                Q(provider=provider) if provider else Q(pk__in=[])
            ) | Venue.objects.filter(factory__in=factory_ids)
            venue = get_object_or_404(venues, pk=values["venue"])
        facilitator = None
        if values.get("facilitator"):
            # Only the organising team: an unknown id and another tenant's user read the same.
            team = services.facilitators(
                provider_id=provider.pk if provider else None, factory_ids=factory_ids
            )
            facilitator = team.filter(pk=values["facilitator"]).first()
            if facilitator is None:
                raise ApiValidationError({"facilitator": [str(services.NOT_IN_TEAM)]})
        with service_errors():
            session = services.session_create(
                by=_user(request),
                details=services.SessionDetails(
                    module=module,
                    adaptation=adaptation,
                    language=values.get("language") or "en",
                    delivery_model=values["delivery_model"],
                    date=values["date"],
                    starts_at=values["starts_at"],
                    ends_at=values["ends_at"],
                    venue=venue,
                    facilitator=facilitator,
                    facilitator_name=values.get("facilitator_name", ""),
                ),
                provider=provider,
                organising_factory=own,
                engagements=engagements,
            )
        created = _session_for(request, session.pk)
        return Response(SessionSerializer(created).data, status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    @extend_schema(
        summary="Show a session",
        responses={200: SessionSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(SessionSerializer(_session_for(request, pk)).data)


# --- participants --------------------------------------------------------------------------


class ParticipantSerializer(ModelSerializer):
    factory = serializers.IntegerField(source="factory_id", help_text=_("Factory id."))

    class Meta:
        model = Participant
        fields = ["id", "factory", *services.ParticipantDetails.field_names(), "created_at"]
        read_only_fields = ["id", "created_at"]


class ParticipantFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))
    q = serializers.CharField(required=False, allow_blank=True, help_text=_("Part of the name."))


class ParticipantListApi(GenericAPIView):
    serializer_class = ParticipantSerializer

    @extend_schema(
        summary="List the participants you may see",
        parameters=[ParticipantFilterSerializer],
        responses=ParticipantSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = ParticipantFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = participants_for(request.user)
        if f.get("factory"):
            qs = qs.filter(factory=f["factory"])
        if q := (f.get("q") or "").strip():
            qs = qs.filter(name__icontains=q)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ParticipantSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a participant (one person across sessions)",
        request=ParticipantSerializer,
        responses={201: ParticipantSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = ParticipantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        factory = get_object_or_404(
            participant_factories_for(request.user, write=True), pk=values["factory_id"]
        )
        details = services.ParticipantDetails.from_mapping(values)
        with service_errors():
            participant = services.participant_create(
                factory=factory, by=_user(request), details=details
            )
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


class ParticipantDetailApi(APIView):
    @extend_schema(
        summary="Show a participant",
        responses={200: ParticipantSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        participant = get_object_or_404(participants_for(request.user), pk=pk)
        return Response(ParticipantSerializer(participant).data)


# --- registrations and attendance ----------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    participant_name = serializers.CharField(source="participant.name", read_only=True)
    group = serializers.IntegerField(source="group.number", read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "participant",
            "participant_name",
            "group",
            "group_role",
            "present",
            "method",
            "recorded_at",
        ]
        read_only_fields = fields


class RegistrationInputSerializer(serializers.Serializer):
    participant = serializers.IntegerField(help_text=_("Participant id."))


class AttendanceInputSerializer(serializers.Serializer):
    present = BooleanField(help_text=_("Required: true for present, false for absent."))
    method = serializers.ChoiceField(
        choices=Registration.Method.choices,
        default=Registration.Method.TAP,
        help_text=_("How attendance was taken."),
    )


class RegistrationListApi(APIView):
    @extend_schema(
        summary="List a session's registrations and attendance",
        description=_("People from factories you may not see are left out."),
        responses={200: RegistrationSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        session = _session_for(request, pk)
        return Response(
            RegistrationSerializer(
                selectors.registrations(session, visible=registrations_for(request.user)),
                many=True,
            ).data
        )

    @extend_schema(
        summary="Register a participant for a session",
        request=RegistrationInputSerializer,
        responses={201: RegistrationSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        session = _session_for(request, pk, write=True)
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = get_object_or_404(
            participants_for(request.user, write=True), pk=data.validated_data["participant"]
        )
        with service_errors():
            registration = services.registration_add(
                session=session, participant=participant, by=_user(request)
            )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class AttendanceApi(APIView):
    @extend_schema(
        summary="Record whether a registered person came",
        description=_("Refused (400) before the session has started."),
        request=AttendanceInputSerializer,
        responses={200: RegistrationSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        visible = registrations_for(request.user).select_related("session", "participant", "group")
        registration = get_object_or_404(visible, pk=pk)
        if not can_change_session(request.user, registration.session):
            raise PermissionDenied
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.attendance_record(
                registration=registration,
                present=data.validated_data["present"],
                method=data.validated_data["method"],
                by=_user(request),
            )
        return Response(RegistrationSerializer(registration).data)


urlpatterns = [
    path("sessions/", SessionListApi.as_view(), name="api-sessions"),
    path("sessions/<int:pk>/", SessionDetailApi.as_view(), name="api-session"),
    path(
        "sessions/<int:pk>/registrations/",
        RegistrationListApi.as_view(),
        name="api-session-registrations",
    ),
    path(
        "registrations/<int:pk>/attendance/",
        AttendanceApi.as_view(),
        name="api-registration-attendance",
    ),
    path("participants/", ParticipantListApi.as_view(), name="api-participants"),
    path("participants/<int:pk>/", ParticipantDetailApi.as_view(), name="api-participant"),
]
