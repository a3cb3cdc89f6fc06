"""API endpoints of improvement plans, mounted under /api/v1/.

Plans, items, their transitions, evidence and comments, a session's action items (the
session page's, kept at their old addresses), and adoption follow-ups and their rates, with
the pages' scoping: what a user may not see answers 404; what they may see but not change
answers 403. An item's editable fields come from
services.ITEM_FIELDS.
"""

from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.factories.models import Factory
from fithub.improvement import selectors, services
from fithub.improvement.models import (
    AdoptionFollowUp,
    ImprovementItem,
    ImprovementPlan,
    ItemComment,
    ItemEvidence,
    ItemTransition,
    PlanSignOff,
)
from fithub.improvement.scoping import (
    commentable_items_for,
    edits_plans_of,
    evidence_items_for,
    followups_for,
    items_for,
    plans_for,
    sign_off_sides_for,
    verifiable_items_for,
)
from fithub.lib.api import service_errors
from fithub.lib.evidence import evidence_response
from fithub.lib.serializers import BooleanField, ModelSerializer
from fithub.programmes.scoping import engagements_for
from fithub.training.models import Session
from fithub.training.scoping import can_change_session, sessions_for

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, answered as {field: [messages]}.")),
    403: OpenApiResponse(description=_("You may see this but not change it.")),
    404: OpenApiResponse(description=_("No such record, or not one you may see.")),
}
FACTORY_MOVES = {"start", "done", "drop"}


def _user(request: Request) -> User:
    return cast(User, request.user)


def _plan_for(request: Request, pk: int, *, write: bool = False) -> ImprovementPlan:
    plan = get_object_or_404(selectors.plans(plans_for(request.user)), pk=pk)
    if write and not edits_plans_of(request.user, plan.factory_id):
        raise PermissionDenied
    return plan


def _item_for(request: Request, pk: int, *, act: str = "read") -> ImprovementItem:
    item = get_object_or_404(items_for(request.user).select_related("plan"), pk=pk)
    allowed = {
        "read": None,
        "write": items_for(request.user, write=True),
        "verify": verifiable_items_for(request.user),
        "comment": commentable_items_for(request.user),
        "evidence": evidence_items_for(request.user),
    }[act]
    if allowed is not None and not allowed.filter(pk=item.pk).exists():
        raise PermissionDenied
    return item


# --- plans -----------------------------------------------------------------------------------


class SignOffSerializer(ModelSerializer):
    class Meta:
        model = PlanSignOff
        fields = ["side", "signed_by", "signed_at"]
        read_only_fields = fields


class PlanSerializer(ModelSerializer):
    sign_off_state = serializers.ChoiceField(
        choices=ImprovementPlan.SignOffState.choices,
        read_only=True,
        help_text=_("Whether both sides signed the plan as it stands."),
    )
    sign_offs = SignOffSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "engagement",
            "factory",
            "changed_at",
            "created_at",
            "sign_off_state",
            "sign_offs",
        ]
        read_only_fields = fields


class PlanFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, help_text=_("Factory id."))
    engagement = serializers.IntegerField(required=False, help_text=_("Engagement id."))


class PlanCreateSerializer(serializers.Serializer):
    engagement = serializers.IntegerField(help_text=_("Engagement id."))


class PlanListApi(GenericAPIView):
    serializer_class = PlanSerializer

    @extend_schema(
        summary="List the improvement plans you may see",
        parameters=[PlanFilterSerializer],
        responses=PlanSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = PlanFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = plans_for(request.user)
        for name in ("factory", "engagement"):
            if value := filters.validated_data.get(name):
                qs = qs.filter(**{name: value})
        page = self.paginate_queryset(selectors.plans(qs))
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    @extend_schema(
        summary="Start an engagement's improvement plan (or return the one it has)",
        request=PlanCreateSerializer,
        responses={201: PlanSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = get_object_or_404(
            engagements_for(request.user), pk=data.validated_data["engagement"]
        )
        if not edits_plans_of(request.user, engagement.factory_id):
            raise PermissionDenied
        plan = services.plan_for(engagement=engagement, by=_user(request))
        plan = selectors.plans(ImprovementPlan.objects.filter(pk=plan.pk)).get()
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    @extend_schema(
        summary="Show an improvement plan", responses={200: PlanSerializer, 404: ERRORS[404]}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanSerializer(_plan_for(request, pk)).data)


class SignOffInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=PlanSignOff.Side.choices)


class PlanSignOffApi(APIView):
    @extend_schema(
        summary="Sign the plan off for management (a manager) or the workers (a representative)",
        request=SignOffInputSerializer,
        responses={201: PlanSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = _plan_for(request, pk)
        data = SignOffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        side = data.validated_data["side"]
        if side not in sign_off_sides_for(request.user, plan):
            raise PermissionDenied
        with service_errors():
            services.plan_sign_off(plan=plan, side=side, by=_user(request))
        plan = selectors.plans(ImprovementPlan.objects.filter(pk=plan.pk)).get()
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


# --- items -----------------------------------------------------------------------------------


class ItemSerializer(ModelSerializer):
    factory = serializers.IntegerField(source="plan.factory_id", read_only=True)
    evidence_count = serializers.IntegerField(read_only=True, required=False)
    comment_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = ImprovementItem
        fields = [
            "id",
            "plan",
            "factory",
            "status",
            "source",
            "session",
            "group",
            "answer",
            "decision",
            *services.ITEM_FIELDS,
            "evidence_count",
            "comment_count",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ItemInputSerializer(ModelSerializer):
    class Meta:
        model = ImprovementItem
        fields = services.ITEM_FIELDS

    def __init__(self, *args: Any, plan: ImprovementPlan | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if plan is not None:
            # Only the factory's team: another factory's member is "not found", not listed.
            self.fields["owner"] = serializers.PrimaryKeyRelatedField(
                queryset=plan.factory.team.all(), required=False, allow_null=True
            )


class ItemFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImprovementItem.Status.choices, required=False)
    # The query parameter is named "source", which shadows Field.source only for the type checker.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=ImprovementItem.Source.choices, required=False
    )


class PlanItemsApi(GenericAPIView):
    serializer_class = ItemSerializer

    @extend_schema(
        summary="List a plan's items",
        parameters=[ItemFilterSerializer],
        responses={200: ItemSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = _plan_for(request, pk)
        filters = ItemFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs: QuerySet[ImprovementItem] = plan.items.all()
        for name in ("status", "source"):
            if value := filters.validated_data.get(name):
                qs = qs.filter(**{name: value})
        page = self.paginate_queryset(selectors.items(qs))
        return self.get_paginated_response(ItemSerializer(page, many=True).data)

    @extend_schema(
        summary="Add an item to a plan (typed in)",
        request=ItemInputSerializer,
        responses={201: ItemSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = _plan_for(request, pk, write=True)
        data = ItemInputSerializer(data=request.data, plan=plan)
        data.is_valid(raise_exception=True)
        with service_errors():
            item = services.item_create(
                plan=plan,
                details=services.ItemDetails.from_mapping(data.validated_data),
                by=_user(request),
            )
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    @extend_schema(summary="Show an item", responses={200: ItemSerializer, 404: ERRORS[404]})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ItemSerializer(_item_for(request, pk)).data)

    @extend_schema(
        summary="Change what an item says",
        request=ItemInputSerializer(partial=True),
        responses={200: ItemSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk, act="write")
        data = ItemInputSerializer(data=request.data, plan=item.plan, partial=True)
        data.is_valid(raise_exception=True)
        current = services.ItemDetails.of(item)
        details = services.ItemDetails.from_mapping(
            {**{n: getattr(current, n) for n in services.ITEM_FIELDS}, **data.validated_data}
        )
        with service_errors():
            item = services.item_update(item=item, details=details, by=_user(request))
        return Response(ItemSerializer(item).data)


class TransitionSerializer(ModelSerializer):
    class Meta:
        model = ItemTransition
        fields = ["id", "from_status", "to_status", "by", "at", "reason"]
        read_only_fields = fields


class MoveInputSerializer(serializers.Serializer):
    move = serializers.ChoiceField(
        choices=list(services.MOVES),
        help_text=_(
            "start, done and drop are the factory's; verify and return the provider's advisor's."
        ),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Needed to return or drop.")
    )


class ItemTransitionsApi(APIView):
    @extend_schema(
        summary="List an item's moves from status to status",
        responses={200: TransitionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk)
        return Response(TransitionSerializer(item.transitions.all(), many=True).data)

    @extend_schema(
        summary="Move an item on: start, done, verify, return or drop",
        request=MoveInputSerializer,
        responses={201: TransitionSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = MoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        move = data.validated_data["move"]
        item = _item_for(request, pk, act="write" if move in FACTORY_MOVES else "verify")
        act = {
            "start": services.item_start,
            "done": services.item_done,
            "verify": services.item_verify,
            "return": services.item_return,
            "drop": services.item_drop,
        }[move]
        with service_errors():
            transition = act(
                item=item, by=_user(request), reason=data.validated_data.get("reason", "")
            )
        return Response(TransitionSerializer(transition).data, status=status.HTTP_201_CREATED)


class EvidenceSerializer(ModelSerializer):
    url = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text=_("Where the file is served.")
    )

    class Meta:
        model = ItemEvidence
        fields = ["id", "kind", "stage", "caption", "original_name", "uploaded_by", "uploaded_at"]
        fields += ["url"]
        read_only_fields = fields


class EvidenceInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A photo (JPEG, PNG, WebP) or a document."))
    stage = serializers.ChoiceField(choices=ItemEvidence.Stage.choices)
    caption = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ItemEvidenceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="List an item's evidence",
        responses={200: EvidenceSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk)
        qs = item.evidence.select_related("uploaded_by")
        return Response(EvidenceSerializer(qs, many=True).data)

    @extend_schema(
        summary="Add a photo or document to an item",
        request=EvidenceInputSerializer,
        responses={201: EvidenceSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk, act="evidence")
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with service_errors():
            evidence = services.evidence_add(
                item=item,
                upload=values["file"],
                stage=values["stage"],
                caption=values.get("caption", ""),
                by=_user(request),
            )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceFileApi(APIView):
    @extend_schema(
        summary="Download an evidence file",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = get_object_or_404(
            ItemEvidence.objects.filter(item__in=items_for(request.user).values("pk")), pk=pk
        )
        return evidence_response(evidence.file)


class CommentSerializer(ModelSerializer):
    class Meta:
        model = ItemComment
        fields = ["id", "text", "by", "at"]
        read_only_fields = ["id", "by", "at"]


class ItemCommentsApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary="List an item's comments",
        responses={200: CommentSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk)
        return Response(CommentSerializer(item.comments.all(), many=True).data)

    @extend_schema(
        summary="Comment on an item",
        request=CommentSerializer,
        responses={201: CommentSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = _item_for(request, pk, act="comment")
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            comment = services.comment_add(
                item=item, text=data.validated_data["text"], by=_user(request)
            )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- adoption follow-ups ---------------------------------------------------------------------


class FollowUpSerializer(ModelSerializer):
    module = serializers.IntegerField(source="session.module_id", read_only=True)
    # Plain text, not the evidence kinds' enum again (the schema names that once, for items).
    evidence_kind = serializers.CharField(
        read_only=True, help_text=_("photo or document; empty when there is no evidence.")
    )
    session_date = serializers.DateField(source="session.date", read_only=True)
    evidence_url = serializers.SerializerMethodField(
        help_text=_("Where the evidence file is served; null when there is none.")
    )

    class Meta:
        model = AdoptionFollowUp
        fields = [
            "id",
            "engagement",
            "factory",
            "session",
            "session_date",
            "module",
            "months",
            "due_on",
            "in_use",
            "note",
            "evidence_kind",
            "evidence_name",
            "evidence_url",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields

    def get_evidence_url(self, obj: AdoptionFollowUp) -> str | None:
        if not obj.evidence:
            return None
        return reverse("api-improvement-followup-evidence", args=[obj.pk])


class FollowUpFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, help_text=_("Factory id."))
    engagement = serializers.IntegerField(required=False, help_text=_("Engagement id."))
    due = BooleanField(
        required=False,
        default=False,
        help_text=_("Only those not answered and overdue or due within two weeks."),
    )


class FollowUpAnswerSerializer(serializers.Serializer):
    in_use = serializers.ChoiceField(choices=AdoptionFollowUp.InUse.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    evidence = serializers.FileField(
        required=False, help_text=_("A photo (JPEG, PNG, WebP) or a document.")
    )


def _followup_for(request: Request, pk: int, *, write: bool = False) -> AdoptionFollowUp:
    followup = get_object_or_404(selectors.followups(followups_for(request.user)), pk=pk)
    if write and not followups_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return followup


class FollowUpListApi(GenericAPIView):
    serializer_class = FollowUpSerializer

    @extend_schema(
        summary="List the adoption follow-ups you may see",
        parameters=[FollowUpFilterSerializer],
        responses=FollowUpSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = FollowUpFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = followups_for(request.user)
        for name in ("factory", "engagement"):
            if value := filters.validated_data.get(name):
                qs = qs.filter(**{name: value})
        if filters.validated_data.get("due"):
            qs = selectors.followups_due(qs, today=timezone.localdate())
        page = self.paginate_queryset(selectors.followups(qs).order_by("due_on", "pk"))
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)


class FollowUpDetailApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary="Show an adoption follow-up",
        responses={200: FollowUpSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(FollowUpSerializer(_followup_for(request, pk)).data)

    @extend_schema(
        summary="Answer a follow-up: is the module's practice in use (yes, partly, no)?",
        request=FollowUpAnswerSerializer,
        responses={200: FollowUpSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        followup = _followup_for(request, pk, write=True)
        data = FollowUpAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            followup = services.followup_answer(
                followup=followup,
                answer=services.FollowUpAnswer.from_mapping(data.validated_data),
                evidence=data.validated_data.get("evidence"),
                by=_user(request),
            )
        fresh = selectors.followups(AdoptionFollowUp.objects.filter(pk=followup.pk)).get()
        return Response(FollowUpSerializer(fresh).data)


class FollowUpEvidenceApi(APIView):
    @extend_schema(
        summary="Download a follow-up's evidence file",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        followup = _followup_for(request, pk)
        if not followup.evidence:
            raise Http404
        return evidence_response(followup.evidence)


class RateSerializer(serializers.Serializer):
    key = serializers.IntegerField(
        help_text=_("The module's, factory's, provider's or programme's id.")
    )
    # "label" shadows Field.label only for the type checker; it names the module, factory...
    label = serializers.CharField()  # type: ignore[assignment]
    months = serializers.IntegerField(help_text=_("The follow-up round: 1 or 3 months."))
    answered = serializers.IntegerField(help_text=_("Follow-ups answered: the rates' denominator."))
    yes = serializers.IntegerField()
    partly = serializers.IntegerField()
    no = serializers.IntegerField()
    waiting = serializers.IntegerField(
        help_text=_("Overdue and not answered: left out of the rates.")
    )
    in_use_pct = serializers.IntegerField(allow_null=True)
    at_least_partly_pct = serializers.IntegerField(allow_null=True)


class RateFilterSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=list(selectors.RATE_GROUPS), default="module")
    factory = serializers.IntegerField(required=False, help_text=_("Factory id."))
    engagement = serializers.IntegerField(required=False, help_text=_("Engagement id."))


class AdoptionRatesApi(APIView):
    @extend_schema(
        summary="Adoption rates per module, factory, provider or programme, and round",
        parameters=[RateFilterSerializer],
        responses=RateSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = RateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = followups_for(request.user)
        for name in ("factory", "engagement"):
            if value := filters.validated_data.get(name):
                qs = qs.filter(**{name: value})
        rates = selectors.adoption_rates(
            qs, by=filters.validated_data["by"], today=timezone.localdate()
        )
        return Response(RateSerializer(rates, many=True).data)


# --- a session's action items (their addresses from before they joined the plan) -------------


class ActionItemSerializer(ModelSerializer):
    factory = serializers.IntegerField(source="plan.factory_id", read_only=True)
    group = serializers.IntegerField(source="group.number", read_only=True, allow_null=True)
    description = serializers.CharField(source="action", read_only=True)

    class Meta:
        model = ImprovementItem
        fields = [
            "id",
            "session",
            "factory",
            "plan",
            "group",
            "description",
            "owner_name",
            "due_on",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class ActionItemInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True)
    group = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The group's number in the session.")
    )
    factory = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Factory id; needed when the session has several factories."),
    )


def _session_for(request: Request, pk: int, *, write: bool = False) -> Session:
    session = get_object_or_404(sessions_for(request.user), pk=pk)
    if write and not can_change_session(request.user, session):
        raise PermissionDenied
    return session


class ActionItemListApi(APIView):
    @extend_schema(
        summary="List a session's action-plan items",
        responses={200: ActionItemSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        session = _session_for(request, pk)
        items = selectors.session_items(items_for(request.user).filter(session=session))
        return Response(ActionItemSerializer(items, many=True).data)

    @extend_schema(
        summary="Add an improvement a group decided to the session's action plan",
        request=ActionItemInputSerializer,
        responses={201: ActionItemSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        session = _session_for(request, pk, write=True)
        data = ActionItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        group = None
        if values.get("group"):
            group = session.groups.filter(number=values["group"]).first()
            if group is None:
                raise ApiValidationError({"group": [_("This session has no such group.")]})
        factory = None
        if values.get("factory"):
            factory = Factory.objects.filter(pk=values["factory"]).first()
            if factory is None:
                raise ApiValidationError(
                    {"factory": [_("This factory does not take part in this session.")]}
                )
        with service_errors():
            item = services.session_item_add(
                session=session,
                by=_user(request),
                description=values["description"],
                owner_name=values.get("owner_name", ""),
                due_on=values.get("due_on"),
                group=group,
                factory=factory,
            )
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class FactoryActionItemsFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))


class ActionItemAllApi(GenericAPIView):
    serializer_class = ActionItemSerializer

    @extend_schema(
        summary="List the action-plan items from sessions that you may see",
        parameters=[FactoryActionItemsFilterSerializer],
        responses=ActionItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = FactoryActionItemsFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = items_for(request.user).filter(source=ImprovementItem.Source.SESSION)
        if factory := filters.validated_data.get("factory"):
            qs = qs.filter(plan__factory=factory)
        page = self.paginate_queryset(qs.select_related("group", "plan"))
        return self.get_paginated_response(ActionItemSerializer(page, many=True).data)


urlpatterns = [
    path("improvement-plans/", PlanListApi.as_view(), name="api-improvement-plans"),
    path("improvement-plans/<int:pk>/", PlanDetailApi.as_view(), name="api-improvement-plan"),
    path(
        "improvement-plans/<int:pk>/sign-off/",
        PlanSignOffApi.as_view(),
        name="api-improvement-plan-sign-off",
    ),
    path(
        "improvement-plans/<int:pk>/items/",
        PlanItemsApi.as_view(),
        name="api-improvement-plan-items",
    ),
    path("improvement-items/<int:pk>/", ItemDetailApi.as_view(), name="api-improvement-item"),
    path(
        "improvement-items/<int:pk>/transitions/",
        ItemTransitionsApi.as_view(),
        name="api-improvement-item-transitions",
    ),
    path(
        "improvement-items/<int:pk>/evidence/",
        ItemEvidenceApi.as_view(),
        name="api-improvement-item-evidence",
    ),
    path(
        "improvement-items/<int:pk>/comments/",
        ItemCommentsApi.as_view(),
        name="api-improvement-item-comments",
    ),
    path(
        "improvement-evidence/<int:pk>/file/",
        EvidenceFileApi.as_view(),
        name="api-improvement-evidence-file",
    ),
    path(
        "sessions/<int:pk>/action-items/",
        ActionItemListApi.as_view(),
        name="api-session-action-items",
    ),
    path("action-items/", ActionItemAllApi.as_view(), name="api-action-items"),
    path("adoption-followups/", FollowUpListApi.as_view(), name="api-improvement-followups"),
    path(
        "adoption-followups/<int:pk>/",
        FollowUpDetailApi.as_view(),
        name="api-improvement-followup",
    ),
    path(
        "adoption-followups/<int:pk>/evidence/",
        FollowUpEvidenceApi.as_view(),
        name="api-improvement-followup-evidence",
    ),
    path("adoption-rates/", AdoptionRatesApi.as_view(), name="api-improvement-adoption-rates"),
]
