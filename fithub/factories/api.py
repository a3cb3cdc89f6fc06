"""API endpoints of factories, mounted under /api/v1/."""

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import roles_of
from fithub.factories import access, services
from fithub.factories.models import (
    OS_ID_VALIDATOR,
    AccessRequest,
    Factory,
    Sector,
    TeamMember,
    Tier,
)
from fithub.factories.scoping import (
    access_requests_for,
    factories_for,
    factory_by_os_id,
    requesting_providers_for,
    sees_internals,
)
from fithub.factories.selectors import search_factories
from fithub.lib.api import error_responses, service_errors
from fithub.lib.serializers import ModelSerializer


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "name", "role", "department", "sex"]


class FactorySerializer(ModelSerializer):
    """The factory profile: what everyone who may see the factory sees, buyers included."""

    class Meta:
        model = Factory
        fields = [
            "id",
            "name",
            "os_id",
            "country",
            "city",
            "address",
            "latitude",
            "longitude",
            "sector",
            "product_types",
            "tier",
            "workers_female",
            "workers_male",
            "score_graduate",
            "better_work",
            "consent_date",
            "registered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["registered_by"]
        # Uniqueness is checked below on registration, to offer the way on, and by the
        # service (the model) on every change.
        extra_kwargs = {"os_id": {"validators": [OS_ID_VALIDATOR]}}

    def validate_os_id(self, value: str | None) -> str | None:
        # Blank means "not known yet"; store NULL so the unique constraint allows many.
        value = (value or "").strip().upper() or None
        request = self.context.get("request")
        if value and self.instance is None and request is not None:
            try:
                services.os_id_check(os_id=value, user=request.user)
            except DjangoValidationError as e:
                error = e.error_dict["os_id"][0]
                raise serializers.ValidationError(error.messages[0], code=error.code) from None
        return value


class FactoryCreateSerializer(FactorySerializer):
    """A new factory, and for an administrator of several providers, which one registers it."""

    registered_by = serializers.IntegerField(
        required=False,
        help_text=(
            "The id of the provider that registers the factory. Needed only by an "
            "administrator of several providers; one who administers one may leave it out."
        ),
    )

    class Meta(FactorySerializer.Meta):
        read_only_fields: list[str] = []


class FactoryDetailSerializer(FactorySerializer):
    """The profile plus the improvement team, for users who see the factory's internals."""

    # Only ever used for output. It is not read_only so that the schema marks it optional:
    # buyers get the profile without this key.
    team = TeamMemberSerializer(
        many=True,
        required=False,
        help_text=_("Only for users who see the factory's internals; never for buyers."),
    )

    class Meta(FactorySerializer.Meta):
        fields = [*FactorySerializer.Meta.fields, "team"]


class FactoryFilterSerializer(serializers.Serializer):
    # Blank is allowed and means "any": a search form sends ?q= when its box is empty.
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Part of the name, city, address or Open Supply Hub ID, in any case: the same "
            "search as the factory list."
        ),
    )
    country = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. BD."),
    )
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)


ERRORS = error_responses(
    forbidden=_("You may see this factory but not change it."),
    not_found=_("No such factory, or not one you may see."),
)


def _factory_for(request: Request, pk: int, *, write: bool = False) -> Factory:
    """Return the factory if the user may see it, else 404; 403 if they may not change it."""
    factory = get_object_or_404(factories_for(request.user), pk=pk)
    if write and not factories_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return factory


def _filter(qs: QuerySet[Factory], filters: dict[str, Any]) -> QuerySet[Factory]:
    qs = search_factories(qs, filters.get("q", ""))
    if country := filters.get("country"):
        qs = qs.filter(country=country.upper())
    for name in ("sector", "tier"):
        if value := filters.get(name):
            qs = qs.filter(**{name: value})
    return qs


def _detail_response(request: Request, factory: Factory, code: int = 200) -> Response:
    if sees_internals(request.user, factory):
        return Response(FactoryDetailSerializer(factory).data, status=code)
    return Response(FactorySerializer(factory).data, status=code)


class FactoryListApi(GenericAPIView):
    serializer_class = FactorySerializer

    @extend_schema(
        summary="List the factories you may see",
        parameters=[FactoryFilterSerializer],
        responses=FactorySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = FactoryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = _filter(factories_for(request.user), filters.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(FactorySerializer(page, many=True).data)

    @extend_schema(
        summary="Register a factory for your service provider",
        description=(
            "A factory whose Open Supply Hub ID is already in FIT Hub is not registered again: "
            "the answer is a 400 on os_id that says so. Ask to work with it "
            "instead (POST /api/v1/factory-access-requests/ with its os_id)."
        ),
        request=FactoryCreateSerializer,
        responses={
            201: FactoryDetailSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(description=_("Only provider administrators register factories.")),
        },
    )
    def post(self, request: Request) -> Response:
        if not roles_of(request.user).can_register_factories:
            raise PermissionDenied(_("Only service provider administrators register factories."))
        serializer = FactoryCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)  # IsAuthenticated, the default, let only users through
        data = dict(serializer.validated_data)
        with service_errors():
            factory = services.factory_create(
                registered_by=services.registering_organisation(
                    user, data.pop("registered_by", None)
                ),
                by=user,
                details=services.FactoryDetails.from_mapping(data),
            )
        return _detail_response(request, factory, status.HTTP_201_CREATED)


class FactoryDetailApi(APIView):
    @extend_schema(
        summary="Show a factory; the team only if you see its internals",
        responses={200: FactoryDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail_response(request, _factory_for(request, pk))

    @extend_schema(
        summary="Replace a factory's fields",
        request=FactorySerializer,
        responses={200: FactoryDetailSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Change some of a factory's fields",
        request=FactorySerializer,
        responses={200: FactoryDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        factory = _factory_for(request, pk, write=True)
        serializer = FactorySerializer(factory, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            details = services.FactoryDetails.of(factory).changed(serializer.validated_data)
            factory = services.factory_update(
                factory=factory, by=cast(User, request.user), details=details
            )
        return _detail_response(request, factory)


# --- asking to work with a factory already in FIT Hub --------------------------------------


class RegistryEntrySerializer(serializers.Serializer):
    """What Open Supply Hub publishes of a factory: all the requester sees until approval."""

    os_id = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 code."))
    sector = serializers.ChoiceField(choices=Sector.choices)


class ProviderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="when")
    status = serializers.ChoiceField(choices=AccessRequest.Status.choices)
    by = serializers.CharField(help_text=_("Empty where you may not know who."))


class AccessRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    status = serializers.ChoiceField(source="request.status", choices=AccessRequest.Status.choices)
    factory = RegistryEntrySerializer(source="registry")
    factory_id = serializers.IntegerField(
        allow_null=True, help_text=_("Set once you may see the factory (after approval).")
    )
    provider = ProviderRefSerializer(source="request.provider")
    requested_by = serializers.CharField(source="requester_name")
    note = serializers.CharField(source="request.note")
    created_at = serializers.DateTimeField(source="request.created_at")
    decided_at = serializers.DateTimeField(source="request.decided_at", allow_null=True)
    decided_by = serializers.CharField(
        source="decider_name", help_text=_("Only for the factory's side; empty otherwise.")
    )
    decision_note = serializers.CharField(source="request.decision_note")
    can_decide = serializers.BooleanField(read_only=True)


class AccessRequestDetailSerializer(AccessRequestSerializer):
    history = EventSerializer(source="events", many=True)


class AccessRequestCreateSerializer(serializers.Serializer):
    os_id = serializers.CharField(max_length=20, help_text=_("The factory's Open Supply Hub ID."))
    provider = serializers.IntegerField(
        required=False,
        help_text=_("The provider you ask for; leave it out if you administer one."),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text=_("A message to the factory.")
    )

    def validate_os_id(self, value: str) -> str:
        value = value.strip().upper()
        try:
            OS_ID_VALIDATOR(value)
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.messages) from None
        return value


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text=_("A message to the provider.")
    )


ACCESS_ERRORS = {
    400: ERRORS[400],
    403: OpenApiResponse(description=_("You see this request but may not decide it.")),
    404: OpenApiResponse(description=_("No such request, or not one you may see.")),
}
_ACCESS_RELATED = ("factory", "provider", "requested_by", "decided_by")


def _access_request_for(request: Request, pk: int, *, decide: bool = False) -> AccessRequest:
    """Return the request if the user sees it, else 404; 403 if they may not decide it."""
    qs = access_requests_for(request.user).select_related(*_ACCESS_RELATED)
    access_request = get_object_or_404(qs, pk=pk)
    if decide and not access_requests_for(request.user, decide=True).filter(pk=pk).exists():
        raise PermissionDenied
    return access_request


def _access_response(request: Request, access_request: AccessRequest, code: int = 200) -> Response:
    seen = access.seen_by(request.user, [access_request], history=True)[0]
    return Response(AccessRequestDetailSerializer(seen).data, status=code)


class AccessRequestListApi(GenericAPIView):
    serializer_class = AccessRequestSerializer

    @extend_schema(
        summary="List the requests to work with factories: your provider's and your factories'",
        parameters=[
            OpenApiParameter(
                "status", str, enum=AccessRequest.Status.values, description=_("Only these.")
            )
        ],
        responses=AccessRequestSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = access_requests_for(request.user).select_related(*_ACCESS_RELATED)
        if status_ := request.query_params.get("status"):
            if status_ not in AccessRequest.Status.values:
                raise serializers.ValidationError({"status": [_("Choose a valid status.")]})
            qs = qs.filter(status=status_)
        page = self.paginate_queryset(qs)
        rows = access.seen_by(request.user, list(page or []))
        return self.get_paginated_response(AccessRequestSerializer(rows, many=True).data)

    @extend_schema(
        summary="Ask to work with a factory already in FIT Hub, by its Open Supply Hub ID",
        description=(
            "For service provider administrators. The factory's coordinator or manager (or, "
            "while it has none in FIT Hub, a provider working with it) approves or declines; "
            "until then you see only its public registry fields."
        ),
        request=AccessRequestCreateSerializer,
        responses={
            201: AccessRequestDetailSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(description=_("Only provider administrators ask.")),
        },
    )
    def post(self, request: Request) -> Response:
        providers = requesting_providers_for(request.user)
        if not providers:
            raise PermissionDenied(_("Only service provider administrators ask for it."))
        data = AccessRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        provider_id = values.get("provider", providers[0] if len(providers) == 1 else None)
        if provider_id not in providers:
            raise serializers.ValidationError(
                {"provider": [_("Choose a service provider you administer.")]}
            )
        factory = factory_by_os_id(values["os_id"])
        if factory is None:
            raise serializers.ValidationError(
                {"os_id": [_("No factory in FIT Hub has this Open Supply Hub ID.")]}
            )
        with service_errors():
            access_request = services.access_request_create(
                factory=factory,
                provider=Organisation.objects.get(pk=provider_id),
                by=cast(User, request.user),
                note=values.get("note", ""),
            )
        return _access_response(request, access_request, status.HTTP_201_CREATED)


class AccessRequestDetailApi(APIView):
    @extend_schema(
        summary="Show a request to work with a factory, with its history",
        responses={200: AccessRequestDetailSerializer, 404: ACCESS_ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _access_response(request, _access_request_for(request, pk))


class _DecisionApi(APIView):
    approve = True

    def post(self, request: Request, pk: int) -> Response:
        access_request = _access_request_for(request, pk, decide=True)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide = (
            services.access_request_approve if self.approve else services.access_request_decline
        )
        with service_errors():
            access_request = decide(
                access_request=access_request,
                by=cast(User, request.user),
                note=data.validated_data.get("note", ""),
            )
        return _access_response(request, access_request)


class AccessApproveApi(_DecisionApi):
    approve = True

    @extend_schema(
        summary="Approve: the provider may see the factory and start an engagement with it",
        request=DecisionSerializer,
        responses={200: AccessRequestDetailSerializer, **ACCESS_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class AccessDeclineApi(_DecisionApi):
    approve = False

    @extend_schema(
        summary="Decline a request to work with a factory",
        request=DecisionSerializer,
        responses={200: AccessRequestDetailSerializer, **ACCESS_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


urlpatterns = [
    path("factories/", FactoryListApi.as_view(), name="api-factories"),
    path("factories/<int:pk>/", FactoryDetailApi.as_view(), name="api-factory"),
    path("factory-access-requests/", AccessRequestListApi.as_view(), name="api-access-requests"),
    path(
        "factory-access-requests/<int:pk>/",
        AccessRequestDetailApi.as_view(),
        name="api-access-request",
    ),
    path(
        "factory-access-requests/<int:pk>/approve/",
        AccessApproveApi.as_view(),
        name="api-access-approve",
    ),
    path(
        "factory-access-requests/<int:pk>/decline/",
        AccessDeclineApi.as_view(),
        name="api-access-decline",
    ),
]
