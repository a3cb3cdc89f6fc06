"""API of the surveys app: a session's survey and results for staff, and the public answer."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fithub.lib.api import service_errors
from fithub.surveys import services
from fithub.surveys.models import Question, Survey, Version
from fithub.surveys.scoping import survey_by_token, surveys_for, versions_for
from fithub.surveys.selectors import GROUPINGS, Cell, Figure, survey_results
from fithub.training.scoping import sessions_for


class SurveyFigureSerializer(serializers.Serializer):
    question = serializers.CharField()
    answered = serializers.IntegerField()
    share = serializers.IntegerField(help_text=_("Percent who agree (4 or 5 of 5) or say yes."))
    mean = serializers.FloatField(allow_null=True)


class SurveyCellSerializer(serializers.Serializer):
    n = serializers.IntegerField(allow_null=True, help_text=_("Withheld (null) when hidden."))
    hidden = serializers.BooleanField()
    figures = SurveyFigureSerializer(many=True)


class SurveyGroupSerializer(SurveyCellSerializer):
    key = serializers.CharField(allow_null=True)
    by_sex = serializers.DictField(child=SurveyCellSerializer())
    texts = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    texts_more = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Texts not listed, per question.")
    )


class SurveyResultsSerializer(serializers.Serializer):
    min_group = serializers.IntegerField()
    total = SurveyCellSerializer()
    groups = SurveyGroupSerializer(many=True)


def _figures(figures: dict[str, Figure]) -> list[dict[str, Any]]:
    return [
        {"question": code, "answered": f.answered, "share": f.share, "mean": f.mean}
        for code, f in figures.items()
    ]


def _cell(cell: Cell) -> dict[str, Any]:
    # A hidden group's count is withheld too: the count alone says how few answered.
    return {
        "n": None if cell.hidden else cell.n,
        "hidden": cell.hidden,
        "figures": [] if cell.hidden else _figures(cell.figures),
    }


def results_data(surveys: Any, by: str) -> dict[str, Any]:
    result = survey_results(surveys, by=by)
    return {
        "min_group": result.min_group,
        "total": _cell(result.total),
        "groups": [
            {
                **_cell(g),
                "key": None if g.key is None else str(g.key),
                "by_sex": {sex: _cell(c) for sex, c in g.by_sex.items()},
                "texts": g.texts,
                "texts_more": g.texts_more,
            }
            for g in result.groups
        ],
    }


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "session", "is_open", "codes_issued"]


class SurveyResultsFilterSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=list(GROUPINGS), default="module")


class SurveyDetailView(APIView):
    @extend_schema(responses=SurveySerializer, operation_id="survey_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        survey = get_object_or_404(surveys_for(request.user), pk=pk)
        return Response(SurveySerializer(survey).data)


class SurveyResultsView(APIView):
    @extend_schema(responses=SurveyResultsSerializer, operation_id="survey_results_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        survey = get_object_or_404(surveys_for(request.user), pk=pk)
        return Response(results_data(Survey.objects.filter(pk=survey.pk), "session"))


class ResultsView(APIView):
    @extend_schema(
        parameters=[SurveyResultsFilterSerializer],
        responses=SurveyResultsSerializer,
        operation_id="survey_results_list",
    )
    def get(self, request: Request) -> Response:
        params = SurveyResultsFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(results_data(surveys_for(request.user), params.validated_data["by"]))


class SurveyCodesView(APIView):
    @extend_schema(
        request=None,
        responses=serializers.ListSerializer(child=serializers.CharField()),
        operation_id="survey_codes_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = get_object_or_404(surveys_for(request.user, write=True), pk=pk)
        codes = services.codes_issue(survey=survey, by=request.user)  # type: ignore[arg-type]
        return Response(codes)


class SurveyCodeListView(APIView):
    """The survey's unused codes, for a facilitator who lost the printout: issues none."""

    @extend_schema(
        responses=serializers.ListSerializer(child=serializers.CharField()),
        operation_id="survey_codes_list",
    )
    def get(self, request: Request, pk: int) -> Response:
        survey = get_object_or_404(surveys_for(request.user, write=True), pk=pk)
        return Response(sorted(survey.codes.values_list("code", flat=True)))


class SurveyOpenView(APIView):
    @extend_schema(request=None, responses=SurveySerializer, operation_id="survey_open")
    def post(self, request: Request, session_pk: int) -> Response:
        session = get_object_or_404(sessions_for(request.user, write=True), pk=session_pk)
        with service_errors():
            survey = services.survey_open(session=session, by=request.user)  # type: ignore[arg-type]
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["code", "kind", "text", "required", "order"]


class SurveyVersionSerializer(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire.name")
    owner = serializers.IntegerField(source="questionnaire.owner_id", allow_null=True)
    questions = SurveyQuestionSerializer(many=True)

    class Meta:
        model = Version
        fields = ["id", "questionnaire", "owner", "number", "status", "published_at", "questions"]


class SurveyVersionListView(GenericAPIView):
    serializer_class = SurveyVersionSerializer

    @extend_schema(
        responses=SurveyVersionSerializer(many=True), operation_id="survey_versions_list"
    )
    def get(self, request: Request) -> Response:
        qs = (
            versions_for(request.user).select_related("questionnaire").prefetch_related("questions")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(SurveyVersionSerializer(page, many=True).data)


class SurveyVersionDetailView(APIView):
    @extend_schema(responses=SurveyVersionSerializer, operation_id="survey_version_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(versions_for(request.user), pk=pk)
        return Response(SurveyVersionSerializer(version).data)


class SurveyAnswerInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    language = serializers.CharField(max_length=8, required=False, default="en")
    answers = serializers.DictField(child=serializers.CharField(max_length=2000, allow_blank=True))
    sex = serializers.CharField(required=False, allow_blank=True, default="")
    role = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerThrottle(AnonRateThrottle):
    rate = "30/hour"


class PublicAnswerView(APIView):
    """Answer a survey anonymously, with a code from a slip; no account."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnswerThrottle]

    @extend_schema(
        request=SurveyAnswerInputSerializer, responses={201: None}, operation_id="survey_answer"
    )
    def post(self, request: Request, token: str) -> Response:
        survey = get_object_or_404(survey_by_token(token))
        data = SurveyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        with service_errors():
            services.response_submit(
                survey=survey,
                code=v["code"],
                given=services.Given(answers=v["answers"], sex=v["sex"], role=v["role"]),
                language=v["language"],
            )
        return Response(status=status.HTTP_201_CREATED)


urlpatterns = [
    path("surveys/<int:pk>/", SurveyDetailView.as_view(), name="api-survey"),
    path("surveys/<int:pk>/results/", SurveyResultsView.as_view(), name="api-survey-results"),
    path("surveys/<int:pk>/codes/", SurveyCodesView.as_view(), name="api-survey-codes"),
    path(
        "surveys/<int:pk>/unused-codes/",
        SurveyCodeListView.as_view(),
        name="api-survey-unused-codes",
    ),
    path("surveys/open/<int:session_pk>/", SurveyOpenView.as_view(), name="api-survey-open"),
    path("survey-versions/", SurveyVersionListView.as_view(), name="api-survey-versions"),
    path("survey-versions/<int:pk>/", SurveyVersionDetailView.as_view(), name="api-survey-version"),
    path("survey-results/", ResultsView.as_view(), name="api-survey-results-list"),
    path("surveys/answer/<str:token>/", PublicAnswerView.as_view(), name="api-survey-answer"),
]
