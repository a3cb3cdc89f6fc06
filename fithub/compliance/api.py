"""API endpoints of compliance assessment, mounted under /api/v1/.

Tools and their versions' questions, assessments (plan, start, findings, submit), rates for one
assessment and across factories, with the pages' scoping: what a user may not see answers 404,
what they may see but not change answers 403. The planned date is written only for those who
may know it (scoping.sees_planned_date); the factory and buyers see no assessment at all.
"""

from typing import Any, cast

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
from fithub.catalogue.api import Translations
from fithub.compliance import selectors, services
from fithub.compliance.models import ComplianceAssessment, Finding, Question, Tool, ToolVersion
from fithub.compliance.scoping import (
    assessments_for,
    assessors_for,
    dated_assessment_ids,
    plannable_engagements_for,
    sees_planned_date,
    tools_for,
    versions_for,
)
from fithub.lib.api import service_errors

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, answered as {field: [messages]}.")),
    403: OpenApiResponse(description=_("You may see this but not change it.")),
    404: OpenApiResponse(description=_("No such record, or not one you may see.")),
}


def _user(request: Request) -> User:
    return cast(User, request.user)


def _assessment_for(request: Request, pk: int, *, write: bool = False) -> ComplianceAssessment:
    assessment = get_object_or_404(
        assessments_for(request.user).select_related("version__tool", "factory"), pk=pk
    )
    if write and not assessments_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return assessment


# --- tools -----------------------------------------------------------------------------------


class ToolVersionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ToolVersion
        fields = ["id", "number", "status", "published_at"]
        read_only_fields = fields


class ComplianceToolSerializer(serializers.ModelSerializer):
    title = Translations(read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = ["id", "slug", "country", "owner", "title", "is_sample", "versions"]
        read_only_fields = fields

    def get_versions(self, tool: Tool) -> list[dict[str, Any]]:
        visible = self.context["versions"]
        rows = [v for v in tool.versions.all() if v.pk in visible]
        return list(ToolVersionRefSerializer(rows, many=True).data)


class ComplianceQuestionSerializer(serializers.ModelSerializer):
    text = Translations(read_only=True)
    guidance = Translations(read_only=True)
    cluster = serializers.CharField(source="point.cluster.code", read_only=True)
    point = serializers.CharField(source="point.code", read_only=True)
    applies_if = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Question
        fields = [
            "id", "code", "cluster", "point", "text", "legal_reference", "guidance",
            "publicly_reported", "dialogue", "applies_if",
        ]  # fmt: skip
        read_only_fields = fields


class ToolListApi(GenericAPIView):
    serializer_class = ComplianceToolSerializer

    @extend_schema(
        summary="List the assessment tools you may see",
        responses=ComplianceToolSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = tools_for(request.user).prefetch_related("versions").order_by("pk")
        page = self.paginate_queryset(qs)
        ctx = {"versions": set(versions_for(request.user).values_list("pk", flat=True))}
        return self.get_paginated_response(
            ComplianceToolSerializer(page, many=True, context=ctx).data
        )


class VersionQuestionsApi(GenericAPIView):
    serializer_class = ComplianceQuestionSerializer

    @extend_schema(
        summary="List a tool version's questions (clusters and points by code)",
        responses={200: ComplianceQuestionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(versions_for(request.user), pk=pk)
        qs = Question.objects.filter(version=version).select_related("point__cluster")
        page = self.paginate_queryset(qs.order_by("pk"))
        return self.get_paginated_response(ComplianceQuestionSerializer(page, many=True).data)


# --- assessments -----------------------------------------------------------------------------


class ComplianceAssessmentSerializer(serializers.ModelSerializer):
    planned_on = serializers.SerializerMethodField(
        help_text=_("Unannounced: only for those who may know it; never the factory or a buyer.")
    )
    assessors = serializers.ListField(
        child=serializers.IntegerField(), source="assessor_ids", read_only=True
    )

    class Meta:
        model = ComplianceAssessment
        fields = [
            "id", "engagement", "factory", "version", "status", "planned_on", "days", "assessors",
            "facts", "worker_interviews", "management_interviews", "documents_reviewed",
            "started_at", "submitted_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_planned_on(self, obj: ComplianceAssessment) -> str | None:
        dated = self.context.get("dated")
        if dated is None:
            known = sees_planned_date(self.context["request"].user, obj)
        else:
            known = obj.pk in dated
        return obj.planned_on.isoformat() if known else None


class CompliancePlanInputSerializer(serializers.Serializer):
    engagement = serializers.IntegerField()
    version = serializers.IntegerField()
    planned_on = serializers.DateField()
    days = serializers.IntegerField(default=2)
    assessors = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class AssessmentListApi(GenericAPIView):
    serializer_class = ComplianceAssessmentSerializer

    @extend_schema(
        summary="List the compliance assessments you may see",
        responses=ComplianceAssessmentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = assessments_for(request.user).prefetch_related("assessors")
        page = self.paginate_queryset(qs)
        rows = list(page or [])
        dated = dated_assessment_ids(request.user, [a.pk for a in rows])
        ctx = {"request": request, "dated": dated}
        data = ComplianceAssessmentSerializer(rows, many=True, context=ctx).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Plan an unannounced assessment for an engagement (its provider's admins)",
        request=CompliancePlanInputSerializer,
        responses={201: ComplianceAssessmentSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = CompliancePlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        engagement = get_object_or_404(plannable_engagements_for(request.user), pk=v["engagement"])
        version = get_object_or_404(ToolVersion.objects.select_related("tool"), pk=v["version"])
        people = list(assessors_for(engagement).filter(pk__in=v["assessors"]))
        if len(people) != len(set(v["assessors"])):
            message = _("Both assessors must be assessors of the engagement's provider.")
            return Response({"assessors": [message]}, status=status.HTTP_400_BAD_REQUEST)
        details = services.PlanDetails(planned_on=v["planned_on"], days=v["days"], assessors=people)
        with service_errors():
            assessment = services.assessment_plan(
                engagement=engagement, version=version, details=details, by=_user(request)
            )
        body = ComplianceAssessmentSerializer(assessment, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class AssessmentDetailApi(APIView):
    @extend_schema(
        summary="Show a compliance assessment",
        responses={200: ComplianceAssessmentSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk)
        return Response(
            ComplianceAssessmentSerializer(assessment, context={"request": request}).data
        )


class AssessmentStartApi(APIView):
    @extend_schema(
        summary="Start the assessment on site (its assessors)",
        request=None,
        responses={200: ComplianceAssessmentSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk, write=True)
        assessment = services.assessment_start(assessment=assessment, by=_user(request))
        return Response(
            ComplianceAssessmentSerializer(assessment, context={"request": request}).data
        )


class AssessmentSubmitApi(APIView):
    @extend_schema(
        summary="Submit and lock the assessment once every applicable question is answered",
        request=None,
        responses={200: ComplianceAssessmentSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk, write=True)
        with service_errors():
            assessment = services.assessment_submit(assessment=assessment, by=_user(request))
        return Response(
            ComplianceAssessmentSerializer(assessment, context={"request": request}).data
        )


class ComplianceFindingSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="question.code", read_only=True)
    point = serializers.CharField(source="question.point.code", read_only=True)
    publicly_reported = serializers.BooleanField(
        source="question.publicly_reported", read_only=True
    )

    class Meta:
        model = Finding
        fields = [
            "id", "question", "code", "point", "publicly_reported", "result", "notes",
            "answered_by", "answered_at", "revision",
        ]  # fmt: skip
        read_only_fields = fields


class ComplianceFindingInputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    result = serializers.ChoiceField(choices=[("", "—"), *Finding.Result.choices], allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    seen = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("The finding's revision you last read; a newer one is refused with 409."),
    )


class FindingsApi(GenericAPIView):
    serializer_class = ComplianceFindingSerializer

    @extend_schema(
        summary="List an assessment's findings",
        responses={200: ComplianceFindingSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk)
        qs = assessment.findings.select_related("question__point").order_by("pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ComplianceFindingSerializer(page, many=True).data)

    @extend_schema(
        summary="Save one question's finding (its assessors); 409 if another saved it since",
        request=ComplianceFindingInputSerializer,
        responses={200: ComplianceFindingSerializer, 409: OpenApiResponse(), **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk, write=True)
        data = ComplianceFindingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        question = Question.objects.filter(pk=v["question"]).first()
        if question is None:
            return Response({"question": [_("No such question.")]}, status=400)
        try:
            with service_errors():
                finding = services.finding_save(
                    assessment=assessment,
                    question=question,
                    result=v["result"],
                    notes=v["notes"],
                    seen=v.get("seen"),
                    by=_user(request),
                )
        except serializers.ValidationError as e:
            if "conflict" in str(e.get_codes()):
                current = assessment.findings.select_related("question__point").get(
                    question=question
                )
                body = {"detail": e.detail, "current": ComplianceFindingSerializer(current).data}
                return Response(body, status=status.HTTP_409_CONFLICT)
            raise
        return Response(ComplianceFindingSerializer(finding).data)


def _rate(rate: selectors.Rate) -> dict[str, Any]:
    return {"non_compliant": rate.non_compliant, "assessed": rate.assessed, "percent": rate.percent}


class AssessmentRatesApi(APIView):
    @extend_schema(
        summary="One assessment's non-compliance rates, with numerators and denominators",
        responses={200: OpenApiResponse(description=_("Rates per cluster and compliance point."))},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment_for(request, pk)
        if assessment.status != ComplianceAssessment.Status.SUBMITTED:
            return Response({"detail": _("The assessment is not submitted yet.")}, status=404)
        rates = selectors.factory_rates(assessment)
        changes = rates.question_changes
        return Response(
            {
                "questions": _rate(rates.questions),
                "points": _rate(rates.points),
                "clusters": [
                    {
                        "code": c.cluster.code,
                        "points": _rate(c.rate),
                        "questions": _rate(c.question_rate),
                        "compliance_points": [
                            {"code": p.point.code, "non_compliant": p.non_compliant}
                            | {"applicable": p.applicable, "questions": _rate(p.rate)}
                            for p in c.points
                        ],
                    }
                    for c in rates.clusters
                ],
                "previous": rates.previous.pk if rates.previous else None,
                "changes": None
                if changes is None
                else {
                    "new": changes.new,
                    "resolved": changes.resolved,
                    "persisting": changes.persisting,
                },
            }
        )


class ComplianceRatesFilter(serializers.Serializer):
    programme = serializers.IntegerField(required=False)
    provider = serializers.IntegerField(required=False)
    country = serializers.CharField(required=False, max_length=2)


class CrossRatesApi(APIView):
    @extend_schema(
        summary="The share of assessed factories non-compliant per compliance point and question",
        parameters=[ComplianceRatesFilter],
        responses={200: OpenApiResponse(description=_("Rates across the factories you may see."))},
    )
    def get(self, request: Request) -> Response:
        filters = ComplianceRatesFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = assessments_for(request.user)
        f = filters.validated_data
        if f.get("programme"):
            qs = qs.filter(engagement__programme=f["programme"])
        if f.get("provider"):
            qs = qs.filter(engagement__provider=f["provider"])
        if f.get("country"):
            qs = qs.filter(factory__country=f["country"].upper())
        rates = selectors.cross_factory_rates(qs)
        return Response(
            {
                "factories": rates.factories,
                "points": [{"code": r.code, **_rate(r.rate)} for r in rates.points],
                "questions": [{"code": r.code, **_rate(r.rate)} for r in rates.questions],
            }
        )


urlpatterns = [
    path("compliance-tools/", ToolListApi.as_view(), name="api-compliance-tools"),
    path(
        "compliance-tool-versions/<int:pk>/questions/",
        VersionQuestionsApi.as_view(),
        name="api-compliance-version-questions",
    ),
    path("compliance-assessments/", AssessmentListApi.as_view(), name="api-compliance-assessments"),
    path(
        "compliance-assessments/<int:pk>/",
        AssessmentDetailApi.as_view(),
        name="api-compliance-assessment",
    ),
    path(
        "compliance-assessments/<int:pk>/start/",
        AssessmentStartApi.as_view(),
        name="api-compliance-assessment-start",
    ),
    path(
        "compliance-assessments/<int:pk>/submit/",
        AssessmentSubmitApi.as_view(),
        name="api-compliance-assessment-submit",
    ),
    path(
        "compliance-assessments/<int:pk>/findings/",
        FindingsApi.as_view(),
        name="api-compliance-findings",
    ),
    path(
        "compliance-assessments/<int:pk>/rates/",
        AssessmentRatesApi.as_view(),
        name="api-compliance-assessment-rates",
    ),
    path("compliance-rates/", CrossRatesApi.as_view(), name="api-compliance-rates"),
]
