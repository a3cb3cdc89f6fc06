"""API endpoints of factories, mounted under /api/v1/."""

from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.accounts.roles import roles_of
from fithub.factories import services
from fithub.factories.models import Factory, Sector, TeamMember, Tier
from fithub.factories.scoping import factories_for, sees_internals
from fithub.factories.selectors import search_factories
from fithub.lib.api import service_errors
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

    def validate_os_id(self, value: str | None) -> str | None:
        # Blank means "not known yet"; store NULL so the unique constraint allows many.
        return value or None


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


ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, answered as {field: [messages]}.")),
    403: OpenApiResponse(description=_("You may see this factory but not change it.")),
    404: OpenApiResponse(description=_("No such factory, or not one you may see.")),
}


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
        request=FactorySerializer,
        responses={
            201: FactoryDetailSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(description=_("Only provider administrators register factories.")),
        },
    )
    def post(self, request: Request) -> Response:
        if not roles_of(request.user).can_register_factories:
            raise PermissionDenied(_("Only service provider administrators register factories."))
        serializer = FactorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)  # IsAuthenticated, the default, let only users through
        with service_errors():
            factory = services.factory_create(
                registered_by=services.registering_organisation(user),
                by=user,
                **serializer.validated_data,
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
            factory = services.factory_update(
                factory=factory, by=cast(User, request.user), **serializer.validated_data
            )
        return _detail_response(request, factory)


urlpatterns = [
    path("factories/", FactoryListApi.as_view(), name="api-factories"),
    path("factories/<int:pk>/", FactoryDetailApi.as_view(), name="api-factory"),
]
