"""API endpoints of catalogue, mounted under /api/v1/: modules and adaptations, read only."""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.catalogue.models import Adaptation, Audience, Category, Module, ModuleFile
from fithub.catalogue.scoping import adaptations_for, modules_for
from fithub.catalogue.selectors import search_modules
from fithub.factories.models import Department
from fithub.lib.api import CursorPagination


class Translations(serializers.DictField):
    """Text per language code, such as {"en": "Line balancing", "bn": "লাইন ব্যালেন্সিং"}."""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("help_text", _("One text per language code: en, bn, ur."))
        super().__init__(child=serializers.CharField(), **kw)


class FileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download address; needs a login."))

    class Meta:
        model = ModuleFile
        fields = ["id", "language", "format", "version", "released_on", "size", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: ModuleFile) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class ModuleRefSerializer(serializers.ModelSerializer):
    title = Translations()

    class Meta:
        model = Module
        fields = ["id", "code", "title"]


class ModuleSerializer(serializers.ModelSerializer):
    title = Translations()
    departments = serializers.ListField(child=serializers.ChoiceField(Department.choices))
    languages = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Languages the module has files in."),
    )

    class Meta:
        model = Module
        fields = [
            "id",
            "code",
            "title",
            "category",
            "audience",
            "duration_minutes",
            "case_study_minutes",
            "activities_minutes",
            "action_plan_minutes",
            "departments",
            "languages",
            "is_active",
            "is_demo",
        ]


class AdaptationRefSerializer(serializers.ModelSerializer):
    title = Translations()
    provider = serializers.CharField(source="provider.name")

    class Meta:
        model = Adaptation
        fields = ["id", "provider", "title", "based_on_version"]


class ModuleDetailSerializer(ModuleSerializer):
    summary = Translations()
    files = FileSerializer(many=True)
    prerequisites = ModuleRefSerializer(many=True, source="visible_prerequisites")
    adaptations = AdaptationRefSerializer(
        many=True,
        source="visible_adaptations",
        help_text=_("Only the adaptations you may see."),
    )

    class Meta(ModuleSerializer.Meta):
        fields = [
            *ModuleSerializer.Meta.fields,
            "summary",
            "licence",
            "attribution",
            "files",
            "prerequisites",
            "adaptations",
        ]


class AdaptationSerializer(serializers.ModelSerializer):
    module = ModuleRefSerializer()
    provider = serializers.CharField(source="provider.name")
    title = Translations()
    summary = Translations()
    changes = serializers.ListField(child=serializers.ChoiceField(Adaptation.Change.choices))
    original_updated = serializers.BooleanField(
        help_text=_("The original has a newer English version than this adaptation is based on.")
    )
    files = FileSerializer(many=True)

    class Meta:
        model = Adaptation
        fields = [
            "id",
            "module",
            "provider",
            "title",
            "summary",
            "changes",
            "notes",
            "based_on_version",
            "original_updated",
            "files",
        ]


class ModuleFilterSerializer(serializers.Serializer):
    # Blank is allowed and means "any": a search form sends ?q= when its box is empty.
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Part of the code, or of a title or summary in any language, or of the title of an "
            "adaptation you may see: the same search as the catalogue page."
        ),
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    language = serializers.CharField(
        required=False, help_text=_("Only modules with a file in this language, e.g. bn.")
    )


class ModulePagination(CursorPagination):
    ordering = "code"


def _files() -> Prefetch:
    return Prefetch("files", queryset=ModuleFile.objects.order_by("language", "-released_on"))


def _filter(request: Request, qs: QuerySet[Module], filters: dict[str, Any]) -> QuerySet[Module]:
    qs = search_modules(qs, filters.get("q", ""), user=request.user)
    for name in ("category", "audience"):
        if value := filters.get(name):
            qs = qs.filter(**{name: value})
    if language := filters.get("language"):
        qs = qs.filter(Exists(ModuleFile.objects.filter(module=OuterRef("pk"), language=language)))
    return qs


class ModuleListApi(GenericAPIView):
    serializer_class = ModuleSerializer
    pagination_class = ModulePagination

    @extend_schema(
        summary="List the catalogue's modules",
        parameters=[ModuleFilterSerializer],
        responses=ModuleSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = ModuleFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = _filter(request, modules_for(request.user), filters.validated_data)
        page = self.paginate_queryset(qs.prefetch_related(_files()))
        return self.get_paginated_response(ModuleSerializer(page, many=True).data)


class ModuleDetailApi(APIView):
    @extend_schema(
        summary="Show a module: titles in every language, files and prerequisites",
        parameters=[
            OpenApiParameter(
                "key", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("Code or id.")
            )
        ],
        responses={
            200: ModuleDetailSerializer,
            404: OpenApiResponse(description=_("No such module, or not one you may see.")),
        },
    )
    def get(self, request: Request, key: str) -> Response:
        visible = modules_for(request.user)
        lookup = Q(code__iexact=key) | (Q(pk=int(key)) if key.isdigit() else Q())
        qs = visible.prefetch_related(
            _files(),
            Prefetch("prerequisites", queryset=visible, to_attr="visible_prerequisites"),
            Prefetch(
                "adaptations",
                queryset=adaptations_for(request.user).select_related("provider"),
                to_attr="visible_adaptations",
            ),
        )
        module = get_object_or_404(qs, lookup)
        return Response(ModuleDetailSerializer(module, context={"request": request}).data)


def _adaptations(request: Request) -> QuerySet[Adaptation]:
    return (
        adaptations_for(request.user)
        .select_related("provider", "module")
        .prefetch_related(Prefetch("module__files", queryset=ModuleFile.objects.all()), "files")
    )


class AdaptationListApi(GenericAPIView):
    serializer_class = AdaptationSerializer

    @extend_schema(
        summary="List the adaptations you may see",
        parameters=[
            OpenApiParameter("module", OpenApiTypes.STR, description=_("Module code.")),
        ],
        responses=AdaptationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = _adaptations(request)
        if code := request.query_params.get("module"):
            qs = qs.filter(module__code__iexact=code)
        page = self.paginate_queryset(qs)
        ctx = {"request": request}
        return self.get_paginated_response(AdaptationSerializer(page, many=True, context=ctx).data)


class AdaptationDetailApi(APIView):
    @extend_schema(
        summary="Show an adaptation and its files",
        responses={
            200: AdaptationSerializer,
            404: OpenApiResponse(description=_("No such adaptation, or not one you may see.")),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        adaptation = get_object_or_404(_adaptations(request), pk=pk)
        return Response(AdaptationSerializer(adaptation, context={"request": request}).data)


urlpatterns = [
    path("modules/", ModuleListApi.as_view(), name="api-modules"),
    path("modules/<str:key>/", ModuleDetailApi.as_view(), name="api-module"),
    path("adaptations/", AdaptationListApi.as_view(), name="api-adaptations"),
    path("adaptations/<int:pk>/", AdaptationDetailApi.as_view(), name="api-adaptation"),
]
