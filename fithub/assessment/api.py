"""API endpoints of assessment, mounted under /api/v1/.

Questionnaires (read), assessments and their answers, recommendations, and an engagement's
module plan, with the same scoping as the pages.
"""

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.assessment import selectors, services
from fithub.assessment.models import (
    Answer,
    Assessment,
    ModulePlan,
    PlannedModule,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.recommend import Recommendation, recommendations_for
from fithub.assessment.scoping import (
    assessed_factories_for,
    assessments_for,
    questionnaires_for,
    versions_for,
)
from fithub.catalogue.api import ModuleRefSerializer, Translations
from fithub.catalogue.models import Module
from fithub.catalogue.scoping import modules_for
from fithub.lib.api import ERRORS, service_errors
from fithub.lib.serializers import BooleanField
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagements_for

# --- questionnaires ------------------------------------------------------------------------


class VersionRefSerializer(serializers.ModelSerializer):
    # Plain text here: the version detail documents the choices (one enum per choice set).
    status = serializers.CharField(read_only=True, help_text=_("draft, published or retired."))

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "number", "status", "published_at"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    title = Translations()
    owner = serializers.CharField(source="owner.name")
    versions = VersionRefSerializer(
        many=True, source="visible_versions", help_text=_("Only the versions you may see.")
    )

    class Meta:
        model = Questionnaire
        fields = ["id", "slug", "title", "kind", "owner", "is_demo", "versions"]


class LinkSerializer(serializers.ModelSerializer):
    module = ModuleRefSerializer()

    class Meta:
        model = StatementModule
        fields = ["module", "weight"]


class StatementSerializer(serializers.ModelSerializer):
    text = Translations()
    guidance = Translations()
    links = LinkSerializer(many=True, help_text=_('The modules a "no" points to, with weights.'))

    class Meta:
        model = Statement
        fields = ["id", "code", "order", "text", "guidance", "links"]


class SectionSerializer(serializers.ModelSerializer):
    title = Translations()
    statements = StatementSerializer(many=True)

    class Meta:
        model = Section
        fields = ["id", "code", "order", "title", "department", "statements"]


class QuestionnaireRefSerializer(serializers.ModelSerializer):
    title = Translations()

    class Meta:
        model = Questionnaire
        fields = ["id", "slug", "title"]


class VersionSerializer(serializers.ModelSerializer):
    questionnaire = QuestionnaireRefSerializer()
    sections = SectionSerializer(many=True)

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id",
            "questionnaire",
            "number",
            "status",
            "notes",
            "published_at",
            "form_id",
            "sections",
        ]


class QuestionnaireListApi(GenericAPIView):
    serializer_class = QuestionnaireSerializer

    @extend_schema(
        summary="List the questionnaires you may see, with their versions",
        responses=QuestionnaireSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        visible = versions_for(request.user).order_by("-number")
        qs = (
            questionnaires_for(request.user)
            .select_related("owner")
            .prefetch_related(Prefetch("versions", queryset=visible, to_attr="visible_versions"))
            .order_by("pk")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(QuestionnaireSerializer(page, many=True).data)


class VersionDetailApi(APIView):
    @extend_schema(
        summary="Show a questionnaire version: sections, statements and their module links",
        responses={200: VersionSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        links = StatementModule.objects.select_related("module").order_by("-weight", "pk")
        statements = Statement.objects.order_by("order", "pk").prefetch_related(
            Prefetch("links", queryset=links)
        )
        sections = Section.objects.order_by("order", "pk").prefetch_related(
            Prefetch("statements", queryset=statements)
        )
        qs = (
            versions_for(request.user)
            .select_related("questionnaire")
            .prefetch_related(Prefetch("sections", queryset=sections))
        )
        version = get_object_or_404(qs, pk=pk)
        return Response(VersionSerializer(version).data)


# --- assessments ---------------------------------------------------------------------------


class AnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="statement.code", read_only=True)
    evidence = serializers.SerializerMethodField(
        help_text=_("Address of the evidence file, if any; needs a login.")
    )

    class Meta:
        model = Answer
        fields = ["statement", "code", "value", "comment", "evidence", "answered_at"]

    def get_evidence(self, obj: Answer) -> str | None:
        if not obj.evidence:
            return None
        from django.urls import reverse

        url = reverse("assessment:evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AssessmentSerializer(serializers.ModelSerializer):
    questionnaire = serializers.IntegerField(source="version.questionnaire_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    answered = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "factory",
            "engagement",
            "questionnaire",
            "version",
            "version_number",
            "status",
            "source",
            "coordinator_name",
            "manager_name",
            "language",
            "answered",
            "total",
            "started_at",
            "submitted_at",
        ]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    factory = serializers.IntegerField(help_text=_("Factory id."))
    questionnaire = serializers.IntegerField(
        help_text=_("Questionnaire id; its newest published version is used.")
    )
    engagement = serializers.IntegerField(required=False, allow_null=True)
    coordinator_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    manager_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    language = serializers.CharField(required=False, default="en", max_length=8)


class AssessmentFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))
    status = serializers.ChoiceField(
        choices=Assessment.Status.choices, required=False, allow_blank=True
    )


class AnswerInputSerializer(serializers.Serializer):
    statement = serializers.IntegerField(help_text=_("Statement id."))
    value = BooleanField(
        allow_null=True, help_text=_("true for yes, false for no, null for not answered.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _assessment_for(request: Request, pk: int, *, write: bool = False) -> Assessment:
    """Return the assessment if the user may see it, else 404; 403 if they may not answer it."""
    qs = selectors.with_progress(assessments_for(request.user)).select_related("version")
    assessment = get_object_or_404(qs, pk=pk)
    if write and not assessments_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return assessment


def _answers(request: Request, assessment: Assessment) -> Response:
    answers = assessment.answers.select_related("statement").order_by(
        "statement__section__order", "statement__order", "statement_id"
    )
    return Response(AnswerSerializer(answers, many=True, context={"request": request}).data)


class AssessmentListApi(GenericAPIView):
    serializer_class = AssessmentSerializer

    @extend_schema(
        summary="List the assessments you may see",
        parameters=[AssessmentFilterSerializer],
        responses=AssessmentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = AssessmentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = {k: v for k, v in filters.validated_data.items() if v not in (None, "")}
        qs = selectors.with_progress(assessments_for(request.user).filter(**chosen)).select_related(
            "version"
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Start an assessment of a factory on a questionnaire's newest published version",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def post(self, request: Request) -> Response:
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        factory = get_object_or_404(
            assessed_factories_for(request.user, write=True), pk=values["factory"]
        )
        questionnaire = get_object_or_404(
            questionnaires_for(request.user), pk=values["questionnaire"]
        )
        engagement = None
        if values.get("engagement"):
            engagement = get_object_or_404(engagements_for(request.user), pk=values["engagement"])
        version = services.latest_published(questionnaire.pk)
        if version is None:
            raise ApiValidationError(
                {"questionnaire": [_("This questionnaire has no published version.")]}
            )
        with service_errors():
            assessment = services.assessment_start(
                factory=factory,
                version=version,
                engagement=engagement,
                coordinator_name=values.get("coordinator_name", ""),
                manager_name=values.get("manager_name", ""),
                language=values.get("language") or "en",
                by=cast(User, request.user),
            )
        created = selectors.with_progress(Assessment.objects.filter(pk=assessment.pk)).get()
        return Response(AssessmentSerializer(created).data, status=status.HTTP_201_CREATED)


class AssessmentDetailApi(APIView):
    @extend_schema(
        summary="Show an assessment and how far it is answered",
        responses={200: AssessmentSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(AssessmentSerializer(_assessment_for(request, pk)).data)


class AnswersApi(APIView):
    @extend_schema(
        summary="List an assessment's answers",
        responses={200: AnswerSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answers(request, _assessment_for(request, pk))

    @extend_schema(
        summary="Save answers, many at once",
        description=(
            "Each item sets one statement's answer and comment; statements not listed keep "
            "their answers. All items are saved, or none if one is invalid."
        ),
        request=AnswerInputSerializer(many=True),
        responses={200: AnswerSerializer(many=True), **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk, write=True)
        items = AnswerInputSerializer(data=request.data, many=True)
        items.is_valid(raise_exception=True)
        with service_errors():
            services.answers_save(
                assessment=assessment,
                answers=items.validated_data,
                by=cast(User, request.user),
            )
        return _answers(request, assessment)


class SubmitApi(APIView):
    @extend_schema(
        summary="Submit an assessment once every statement is answered",
        request=None,
        responses={200: AssessmentSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk, write=True)
        with service_errors():
            services.assessment_submit(assessment=assessment, by=cast(User, request.user))
        return Response(AssessmentSerializer(_assessment_for(request, pk)).data)


class ReasonSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["statement", "finding"])
    code = serializers.CharField(help_text=_("The statement's or the finding's code."))
    text = Translations(help_text=_("The statement, per language; empty for a finding."))
    weight = serializers.IntegerField()
    section = serializers.IntegerField(source="section_id", allow_null=True)
    # Declared fields leave the class (DRF's metaclass), so this does not shadow Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text=_("The finding's tool; empty for a statement.")
    )
    description = serializers.CharField(help_text=_("The finding's description."))


class ModuleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = Translations()
    category = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    module = ModuleBriefSerializer()
    score = serializers.IntegerField()
    suggested = serializers.BooleanField()
    prerequisite_of = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Modules (ids) that need this one first, when it scored nothing itself."),
    )
    reasons = ReasonSerializer(many=True)


class WeakSectionSerializer(serializers.Serializer):
    section = serializers.IntegerField()
    code = serializers.CharField()
    title = Translations()
    weight = serializers.IntegerField()


class RecommendationsSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    suggested = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("The suggested set (module ids), prerequisites first."),
    )
    ranked = RecommendationSerializer(many=True)
    weak_sections = WeakSectionSerializer(many=True)


class RecommendationsApi(APIView):
    @extend_schema(
        summary="Recommend modules from an assessment's answers and open findings",
        responses={200: RecommendationsSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk)
        result = recommendations_for(assessment)

        def rec(r: Recommendation) -> dict[str, Any]:
            return {
                "module": r.module.__dict__,
                "score": r.score,
                "suggested": r.suggested,
                "prerequisite_of": r.prerequisite_of if not r.score else [],
                "reasons": [reason.__dict__ for reason in r.reasons],
            }

        data = {
            "assessment": assessment.pk,
            "suggested": [r.module.id for r in result.suggested],
            "ranked": [rec(r) for r in result.ranked],
            "weak_sections": [
                {"section": s.id, "code": s.code, "title": s.title, "weight": w}
                for s, w in result.weak_sections
            ],
        }
        return Response(RecommendationsSerializer(data).data)


# --- module plans --------------------------------------------------------------------------


class PlannedModuleSerializer(serializers.ModelSerializer):
    module = ModuleRefSerializer()

    class Meta:
        model = PlannedModule
        fields = ["module", "order", "origin", "score"]


class ModulePlanSerializer(serializers.ModelSerializer):
    items = PlannedModuleSerializer(many=True)

    class Meta:
        model = ModulePlan
        fields = ["engagement", "assessment", "agreed_at", "items"]


class ModulePlanInputSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The submitted assessment it comes from.")
    )
    modules = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text=_("Module codes (or ids), in the order they are to be run."),
    )


def _engagement_for(request: Request, pk: int, *, write: bool = False) -> Engagement:
    """Return the engagement if the user may see it, else 404; 403 if they may not change it."""
    engagement = get_object_or_404(engagements_for(request.user), pk=pk)
    if write and not engagements_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return engagement


def _modules(keys: list[str], visible: QuerySet[Module]) -> list[Module]:
    ids = [int(k) for k in keys if k.isdigit()]
    codes = [k.upper() for k in keys if not k.isdigit()]
    found = {
        **{m.code.upper(): m for m in visible.filter(code__in=codes)},
        **{str(m.pk): m for m in visible.filter(pk__in=ids)},
    }
    unknown = [k for k in keys if (k if k.isdigit() else k.upper()) not in found]
    if unknown:
        raise ApiValidationError(
            {"modules": [_("Unknown modules: %(keys)s.") % {"keys": ", ".join(unknown)}]}
        )
    return [found[k if k.isdigit() else k.upper()] for k in keys]


class ModulePlanApi(APIView):
    @extend_schema(
        summary="Show an engagement's module plan",
        responses={
            200: ModulePlanSerializer,
            404: OpenApiResponse(description=_("No such engagement, or no plan agreed yet.")),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        engagement = _engagement_for(request, pk)
        plan = selectors.module_plan(engagement.pk)
        if plan is None:
            return Response(
                {"detail": _("No module plan agreed yet.")}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(ModulePlanSerializer(plan).data)

    @extend_schema(
        summary="Agree an engagement's module plan, replacing the one there is",
        request=ModulePlanInputSerializer,
        responses={200: ModulePlanSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        engagement = _engagement_for(request, pk, write=True)
        data = ModulePlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = None
        if data.validated_data.get("assessment"):
            assessment = get_object_or_404(
                assessments_for(request.user), pk=data.validated_data["assessment"]
            )
        modules = _modules(data.validated_data["modules"], modules_for(request.user))
        with service_errors():
            services.module_plan_agree(
                engagement=engagement,
                assessment=assessment,
                modules=modules,
                by=cast(User, request.user),
            )
        return Response(ModulePlanSerializer(selectors.module_plan(engagement.pk)).data)


urlpatterns = [
    path("questionnaires/", QuestionnaireListApi.as_view(), name="api-questionnaires"),
    path(
        "questionnaire-versions/<int:pk>/",
        VersionDetailApi.as_view(),
        name="api-questionnaire-version",
    ),
    path("assessments/", AssessmentListApi.as_view(), name="api-assessments"),
    path("assessments/<int:pk>/", AssessmentDetailApi.as_view(), name="api-assessment"),
    path("assessments/<int:pk>/answers/", AnswersApi.as_view(), name="api-assessment-answers"),
    path("assessments/<int:pk>/submit/", SubmitApi.as_view(), name="api-assessment-submit"),
    path(
        "assessments/<int:pk>/recommendations/",
        RecommendationsApi.as_view(),
        name="api-assessment-recommendations",
    ),
    path("engagements/<int:pk>/module-plan/", ModulePlanApi.as_view(), name="api-engagement-plan"),
]
