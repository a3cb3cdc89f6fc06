"""API endpoints of programmes, mounted under /api/v1/."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.factories.scoping import factories_for
from fithub.lib.api import error_responses, service_errors
from fithub.programmes import services
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagement_providers_for, engagements_for, programmes_for

Scope = Callable[[User | AnonymousUser], QuerySet[Any]]


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id limited to the rows the requesting user may use; any other id reads as unknown."""

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(self.context["request"].user)


def _writable_factories(user: User | AnonymousUser) -> QuerySet[Any]:
    return factories_for(user, write=True)


def _coordinators(user: User | AnonymousUser) -> QuerySet[Any]:
    # The same choice the engagement form offers: staff of factories the user may change.
    factories = factories_for(user, write=True).values("pk")
    return User.objects.filter(factory_memberships__factory__in=factories).distinct()


class EngagementSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyRelatedField(scope=programmes_for)
    factory = ScopedPrimaryKeyRelatedField(scope=_writable_factories)
    coordinator = ScopedPrimaryKeyRelatedField(scope=_coordinators, required=False, allow_null=True)

    class Meta:
        model = Engagement
        fields = ["id", *services.EngagementDetails.field_names(), "provider", "created_at"]
        read_only_fields = ["provider"]


# The request body of a create is still "an engagement" to API clients (EngagementRequest), and
# one component name keeps the status choices one enum (EngagementStatusEnum).
@extend_schema_serializer(component_name="Engagement")
class EngagementCreateSerializer(EngagementSerializer):
    # Optional for an administrator of one provider, who has nothing to choose.
    provider = ScopedPrimaryKeyRelatedField(scope=engagement_providers_for, required=False)

    class Meta(EngagementSerializer.Meta):
        read_only_fields = []
        # DRF would make a writable provider required for the one-per-cycle check; the service
        # checks it anyway (a 400 under non_field_errors), after the provider is settled below.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "provider" not in attrs:
            providers = list(engagement_providers_for(self.context["request"].user)[:2])
            if len(providers) > 1:
                # Never guess for an administrator of several providers: the engagement would
                # open the factory to the wrong provider's staff.
                required = self.fields["provider"].error_messages["required"]
                raise serializers.ValidationError({"provider": [required]})
            attrs["provider"] = providers[0]
        return attrs


class EngagementFilterSerializer(serializers.Serializer):
    # Blank means "any", as a filter form sends it; it arrives as None or "".
    programme = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Programme id.")
    )
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))
    status = serializers.ChoiceField(
        choices=Engagement.Status.choices, required=False, allow_blank=True
    )


ERRORS = error_responses(
    forbidden=_("You may see this engagement but not change it."),
    not_found=_("No such engagement, or not one you may see."),
)


def _engagement_for(request: Request, pk: int, *, write: bool = False) -> Engagement:
    """Return the engagement if the user may see it, else 404; 403 if they may not change it."""
    engagement = get_object_or_404(engagements_for(request.user), pk=pk)
    if write and not engagements_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return engagement


class EngagementListApi(GenericAPIView):
    serializer_class = EngagementSerializer

    @extend_schema(
        summary="List the engagements you may see",
        parameters=[EngagementFilterSerializer],
        responses=EngagementSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = EngagementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = {k: v for k, v in filters.validated_data.items() if v not in (None, "")}
        qs = engagements_for(request.user).filter(**chosen)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(EngagementSerializer(page, many=True).data)

    @extend_schema(
        summary="Start an engagement for your service provider",
        description=(
            "The provider is a service provider you administer: give its id if you administer "
            "several, or leave it out if you administer one. The factory must be one you may "
            "change, and the programme must count the provider among its own."
        ),
        request=EngagementCreateSerializer,
        responses={
            201: EngagementSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(description=_("Only provider administrators start engagements.")),
        },
    )
    def post(self, request: Request) -> Response:
        if not engagement_providers_for(request.user).exists():
            raise PermissionDenied(_("Only service provider administrators start engagements."))
        serializer = EngagementCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        with service_errors():
            engagement = services.engagement_create(
                provider=values["provider"],
                by=cast(User, request.user),  # IsAuthenticated, the default, let only users in
                details=services.EngagementDetails.from_mapping(values),
            )
        data = EngagementSerializer(engagement, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class EngagementDetailApi(APIView):
    @extend_schema(
        summary="Show an engagement",
        responses={200: EngagementSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        engagement = _engagement_for(request, pk)
        return Response(EngagementSerializer(engagement, context={"request": request}).data)

    @extend_schema(
        summary="Change some of an engagement's fields",
        request=EngagementSerializer,
        responses={200: EngagementSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        engagement = _engagement_for(request, pk, write=True)
        serializer = EngagementSerializer(
            engagement, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        # Only the fields sent change: a PATCH stays partial.
        details = services.EngagementDetails.of(engagement).changed(serializer.validated_data)
        with service_errors():
            engagement = services.engagement_update(
                engagement=engagement, by=cast(User, request.user), details=details
            )
        return Response(EngagementSerializer(engagement, context={"request": request}).data)


urlpatterns = [
    path("engagements/", EngagementListApi.as_view(), name="api-engagements"),
    path("engagements/<int:pk>/", EngagementDetailApi.as_view(), name="api-engagement"),
]
