"""API endpoints of committees, mounted under /api/v1/.

Committees, members, elections (candidates, results, the elected joining), meetings
(attendees, decisions, approvals of the minutes), decisions and effectiveness reviews, with the
pages' scoping: what a user may not see answers 404; what they may see but not change, 403.
The editable fields of each write come from the services' dataclasses.
"""

from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.committees import checks, selectors, services
from fithub.committees.models import (
    Candidate,
    ChecklistItem,
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    MinutesApproval,
    Review,
    ReviewAnswer,
)
from fithub.committees.scoping import (
    advisors_of,
    approving_members_for,
    committee_factories_for,
    committees_for,
    decisions_for,
    elections_for,
    guided_factories_for,
    meetings_for,
    members_for,
    reviews_for,
)
from fithub.lib.api import ERRORS, service_errors
from fithub.lib.serializers import ModelSerializer


def _user(request: Request) -> User:
    return cast(User, request.user)


def _writable(request: Request, committee: Committee) -> None:
    """Refuse (403) a write by someone who may only read the committee."""
    if (
        not committee_factories_for(request.user, write=True)
        .filter(pk=committee.factory_id)
        .exists()
    ):
        raise PermissionDenied


def _committee_for(request: Request, pk: int, *, write: bool = False) -> Committee:
    committee = get_object_or_404(committees_for(request.user).select_related("factory"), pk=pk)
    if write:
        _writable(request, committee)
    return committee


def _merged(instance: Any, details: type[services.Details], data: dict[str, Any]) -> Any:
    """The instance's current values overlaid with a partial update's."""
    current = {name: getattr(instance, name) for name in details.field_names()}
    return details.from_mapping({**current, **data})


# --- committees ------------------------------------------------------------------------------


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.ChoiceField(choices=[(level.value, level.value) for level in checks.Level])
    message = serializers.CharField()


class CommitteeSerializer(ModelSerializer):
    factory_name = serializers.CharField(source="factory.name", read_only=True)
    workers = serializers.IntegerField(read_only=True, help_text=_("Current worker members."))
    managers = serializers.IntegerField(read_only=True, help_text=_("Current management members."))
    meeting_count = serializers.IntegerField(read_only=True)
    last_meeting = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "factory",
            "factory_name",
            "name",
            "established_on",
            "workers",
            "managers",
            "meeting_count",
            "last_meeting",
            "created_at",
        ]
        read_only_fields = fields


class CommitteeDetailSerializer(CommitteeSerializer):
    checks = serializers.SerializerMethodField()
    latest_review_score = serializers.SerializerMethodField()

    class Meta(CommitteeSerializer.Meta):
        fields = [*CommitteeSerializer.Meta.fields, "checks", "latest_review_score"]
        read_only_fields = fields

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, obj: Committee) -> list[dict[str, str]]:
        summary = self.context["summary"]
        return [
            {"code": c.code, "level": str(c.level), "message": c.message} for c in summary.checks
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_latest_review_score(self, obj: Committee) -> int | None:
        review = self.context["summary"].latest_review
        return review.score if review else None


class CommitteeInputSerializer(ModelSerializer):
    class Meta:
        model = Committee
        fields = services.COMMITTEE_FIELDS


class CommitteeCreateSerializer(CommitteeInputSerializer):
    factory = serializers.IntegerField(help_text=_("Factory id."))

    class Meta(CommitteeInputSerializer.Meta):
        fields = ("factory", *services.COMMITTEE_FIELDS)


class CommitteeFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))


def _overview(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    return selectors.committees_overview(qs)


def _detail(committee: Committee) -> dict[str, Any]:
    committee = _overview(Committee.objects.filter(pk=committee.pk)).get()
    summary = selectors.committee_summary(committee)
    return CommitteeDetailSerializer(committee, context={"summary": summary}).data


class CommitteeListApi(GenericAPIView):
    serializer_class = CommitteeSerializer

    @extend_schema(
        summary="List the committees you may see",
        parameters=[CommitteeFilterSerializer],
        responses=CommitteeSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = CommitteeFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = committees_for(request.user)
        if factory := filters.validated_data.get("factory"):
            qs = qs.filter(factory=factory)
        page = self.paginate_queryset(_overview(qs))
        return self.get_paginated_response(CommitteeSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a factory's committee",
        request=CommitteeCreateSerializer,
        responses={201: CommitteeDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = CommitteeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        factory = get_object_or_404(committee_factories_for(request.user), pk=values.pop("factory"))
        if not committee_factories_for(request.user, write=True).filter(pk=factory.pk).exists():
            raise PermissionDenied
        with service_errors():
            committee = services.committee_create(
                factory=factory,
                details=services.CommitteeDetails.from_mapping(values),
                by=_user(request),
            )
        return Response(_detail(committee), status=status.HTTP_201_CREATED)


class CommitteeDetailApi(APIView):
    @extend_schema(
        summary="Show a committee, with its checks",
        responses={200: CommitteeDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(_committee_for(request, pk)))

    @extend_schema(
        summary="Change a committee's name or founding date",
        request=CommitteeInputSerializer,
        responses={200: CommitteeDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk, write=True)
        data = CommitteeInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.committee_update(
                committee=committee,
                details=_merged(committee, services.CommitteeDetails, dict(data.validated_data)),
                by=_user(request),
            )
        return Response(_detail(committee))


# --- members ---------------------------------------------------------------------------------


class MemberSerializer(ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "committee", *services.MEMBER_FIELDS, "left_on", "created_at"]
        read_only_fields = fields


class MemberInputSerializer(ModelSerializer):
    """A member's fields; the user and team member must be of the committee's factory."""

    class Meta:
        model = Member
        fields = services.MEMBER_FIELDS

    def __init__(self, *args: Any, committee: Committee | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if committee is not None:
            factory = committee.factory
            self.fields["user"] = serializers.PrimaryKeyRelatedField(
                queryset=User.objects.filter(factory_memberships__factory=factory),
                required=False,
                allow_null=True,
            )
            self.fields["team_member"] = serializers.PrimaryKeyRelatedField(
                queryset=factory.team.all(), required=False, allow_null=True
            )


class LeaveInputSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class MemberListApi(APIView):
    @extend_schema(
        summary="List a committee's members, former members too",
        responses={200: MemberSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk)
        return Response(MemberSerializer(committee.members.all(), many=True).data)

    @extend_schema(
        summary="Add a member to a committee",
        request=MemberInputSerializer,
        responses={201: MemberSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk, write=True)
        data = MemberInputSerializer(data=request.data, committee=committee)
        data.is_valid(raise_exception=True)
        with service_errors():
            member = services.member_add(
                committee=committee,
                details=services.MemberDetails.from_mapping(data.validated_data),
                by=_user(request),
            )
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


def _member_for(request: Request, pk: int, *, write: bool = False) -> Member:
    member = get_object_or_404(
        members_for(request.user).select_related("committee__factory"), pk=pk
    )
    if write:
        _writable(request, member.committee)
    return member


class MemberDetailApi(APIView):
    @extend_schema(
        summary="Show a committee member",
        responses={200: MemberSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MemberSerializer(_member_for(request, pk)).data)

    @extend_schema(
        summary="Change a committee member",
        request=MemberInputSerializer,
        responses={200: MemberSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        member = _member_for(request, pk, write=True)
        data = MemberInputSerializer(data=request.data, partial=True, committee=member.committee)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.member_update(
                member=member,
                details=_merged(member, services.MemberDetails, dict(data.validated_data)),
                by=_user(request),
            )
        return Response(MemberSerializer(member).data)


class MemberLeaveApi(APIView):
    @extend_schema(
        summary="Record that a member left the committee",
        request=LeaveInputSerializer,
        responses={200: MemberSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        member = _member_for(request, pk, write=True)
        data = LeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.member_leave(
                member=member, left_on=data.validated_data["left_on"], by=_user(request)
            )
        return Response(MemberSerializer(member).data)


# --- elections -------------------------------------------------------------------------------


class CandidateSerializer(ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", *services.CANDIDATE_FIELDS, "votes", "member"]
        read_only_fields = fields


class CandidateInputSerializer(ModelSerializer):
    class Meta:
        model = Candidate
        fields = services.CANDIDATE_FIELDS

    def __init__(self, *args: Any, election: Election | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if election is not None:
            self.fields["team_member"] = serializers.PrimaryKeyRelatedField(
                queryset=election.committee.factory.team.all(), required=False, allow_null=True
            )


class ElectionSerializer(ModelSerializer):
    candidates = CandidateSerializer(many=True, read_only=True)
    elected = serializers.SerializerMethodField(help_text=_("Ids of the elected candidates."))
    tied = serializers.SerializerMethodField(
        help_text=_("Ids of candidates tied for the last seat: a run-off decides.")
    )

    class Meta:
        model = Election
        fields = [
            "id",
            "committee",
            *services.ELECTION_FIELDS,
            "held_on",
            "voters",
            "recorded_by",
            "results_recorded_at",
            "candidates",
            "elected",
            "tied",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_elected(self, obj: Election) -> list[int]:
        return services.election_outcome(obj).elected

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_tied(self, obj: Election) -> list[int]:
        return services.election_outcome(obj).tied


class ElectionInputSerializer(ModelSerializer):
    class Meta:
        model = Election
        fields = services.ELECTION_FIELDS

    def __init__(self, *args: Any, committee: Committee | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if committee is not None:
            self.fields["guided_by"] = serializers.PrimaryKeyRelatedField(
                queryset=advisors_of(committee.factory), required=False, allow_null=True
            )


class VoteSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(help_text=_("Candidate id."))
    votes = serializers.IntegerField(min_value=0)


class ResultsInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text=_("The voting day, after the nomination period."))
    voters = serializers.IntegerField(min_value=0, help_text=_("Workers who voted."))
    votes = VoteSerializer(many=True)


class JoinInputSerializer(serializers.Serializer):
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField(required=False, allow_null=True)


def _election_for(request: Request, pk: int, *, write: bool = False) -> Election:
    election = get_object_or_404(
        elections_for(request.user).select_related("committee__factory"), pk=pk
    )
    if write:
        _writable(request, election.committee)
    return election


def _election_data(election: Election) -> dict[str, Any]:
    fresh = Election.objects.prefetch_related("candidates").get(pk=election.pk)
    return ElectionSerializer(fresh).data


class ElectionListApi(APIView):
    @extend_schema(
        summary="List a committee's elections",
        responses={200: ElectionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk)
        elections = committee.elections.prefetch_related("candidates")
        return Response(ElectionSerializer(elections, many=True).data)

    @extend_schema(
        summary="Open an election of worker representatives",
        request=ElectionInputSerializer,
        responses={201: ElectionSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk, write=True)
        data = ElectionInputSerializer(data=request.data, committee=committee)
        data.is_valid(raise_exception=True)
        with service_errors():
            election = services.election_create(
                committee=committee,
                details=services.ElectionDetails.from_mapping(data.validated_data),
                by=_user(request),
            )
        return Response(_election_data(election), status=status.HTTP_201_CREATED)


class ElectionDetailApi(APIView):
    @extend_schema(
        summary="Show an election with its candidates and result",
        responses={200: ElectionSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_election_data(_election_for(request, pk)))

    @extend_schema(
        summary="Change an election's details",
        request=ElectionInputSerializer,
        responses={200: ElectionSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        election = _election_for(request, pk, write=True)
        data = ElectionInputSerializer(
            data=request.data, partial=True, committee=election.committee
        )
        data.is_valid(raise_exception=True)
        with service_errors():
            services.election_update(
                election=election,
                details=_merged(election, services.ElectionDetails, dict(data.validated_data)),
                by=_user(request),
            )
        return Response(_election_data(election))


class CandidateListApi(APIView):
    @extend_schema(
        summary="Add a candidate, during the nomination period",
        request=CandidateInputSerializer,
        responses={201: CandidateSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        election = _election_for(request, pk, write=True)
        data = CandidateInputSerializer(data=request.data, election=election)
        data.is_valid(raise_exception=True)
        with service_errors():
            candidate = services.candidate_add(
                election=election,
                details=services.CandidateDetails.from_mapping(data.validated_data),
                by=_user(request),
            )
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class ResultsApi(APIView):
    @extend_schema(
        summary="Enter the count of an election",
        description=_(
            "Refused (400) before the nomination period has ended, or when a candidate has more "
            "votes than there were voters."
        ),
        request=ResultsInputSerializer,
        responses={200: ElectionSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        election = _election_for(request, pk, write=True)
        data = ResultsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        votes = {v["candidate"]: v["votes"] for v in values["votes"]}
        with service_errors():
            services.election_results_record(
                election=election,
                held_on=values["held_on"],
                voters=values["voters"],
                votes=votes,
                by=_user(request),
            )
        return Response(_election_data(election))


class JoinApi(APIView):
    @extend_schema(
        summary="Seat the elected on the committee's workers' side",
        request=JoinInputSerializer,
        responses={201: MemberSerializer(many=True), **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        election = _election_for(request, pk, write=True)
        data = JoinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            joined = services.election_elected_join(
                election=election,
                term_starts_on=data.validated_data["term_starts_on"],
                term_ends_on=data.validated_data.get("term_ends_on"),
                by=_user(request),
            )
        return Response(MemberSerializer(joined, many=True).data, status=status.HTTP_201_CREATED)


# --- meetings and decisions ------------------------------------------------------------------


class DecisionSerializer(ModelSerializer):
    factory = serializers.IntegerField(source="committee.factory_id", read_only=True)
    meeting_held_on = serializers.DateField(source="meeting.held_on", read_only=True)
    owner_label = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "uid",
            "number",
            "committee",
            "factory",
            "meeting",
            "meeting_held_on",
            *services.DECISION_FIELDS,
            "owner_label",
            "created_at",
        ]
        read_only_fields = fields


class DecisionInputSerializer(ModelSerializer):
    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS

    def __init__(self, *args: Any, committee: Committee | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if committee is not None:
            self.fields["owner"] = serializers.PrimaryKeyRelatedField(
                queryset=committee.members.all(), required=False, allow_null=True
            )


class ApprovalSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = MinutesApproval
        fields = ["id", "member", "member_name", "side", "revision", "approved_by", "approved_at"]
        read_only_fields = fields


class MeetingSerializer(ModelSerializer):
    attendees = serializers.SerializerMethodField(help_text=_("Ids of the members present."))
    quorate = serializers.SerializerMethodField(help_text=_("Both sides present."))
    approved = serializers.SerializerMethodField(
        help_text=_("One member of each side approved the current revision.")
    )
    approvals = ApprovalSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            *services.MEETING_FIELDS,
            "revision",
            "attendees",
            "quorate",
            "approved",
            "approvals",
            "decisions",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_attendees(self, obj: Meeting) -> list[int]:
        return [a.member_id for a in obj.attendances.all()]

    @extend_schema_field(serializers.BooleanField())
    def get_quorate(self, obj: Meeting) -> bool:
        return selectors.meeting_facts(obj).quorate

    @extend_schema_field(serializers.BooleanField())
    def get_approved(self, obj: Meeting) -> bool:
        return selectors.approval_state(obj).approved


class MeetingInputSerializer(ModelSerializer):
    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS


class MeetingCreateSerializer(MeetingInputSerializer):
    attendees = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("Member ids.")
    )

    class Meta(MeetingInputSerializer.Meta):
        fields = (*services.MEETING_FIELDS, "attendees")


class AttendeesInputSerializer(serializers.Serializer):
    members = serializers.ListField(child=serializers.IntegerField(), help_text=_("Member ids."))


class ApprovalInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text=_("The member approving, for their side."))


def _meeting_for(request: Request, pk: int, *, write: bool = False) -> Meeting:
    meeting = get_object_or_404(
        meetings_for(request.user).select_related("committee__factory"), pk=pk
    )
    if write:
        _writable(request, meeting.committee)
    return meeting


def _meeting_data(meeting: Meeting) -> dict[str, Any]:
    fresh = selectors.with_meeting_facts(Meeting.objects.filter(pk=meeting.pk)).get()
    return MeetingSerializer(fresh).data


def _members_of(committee: Committee, ids: list[int]) -> list[Member]:
    """Resolve member ids within the committee; an id from elsewhere names nobody."""
    found = {m.pk: m for m in committee.members.filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ApiValidationError({"members": [_("Choose members of this committee.")]})
    return [found[i] for i in ids]


class MeetingListApi(GenericAPIView):
    serializer_class = MeetingSerializer

    @extend_schema(
        summary="List a committee's meetings, newest first",
        responses={200: MeetingSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk)
        page = self.paginate_queryset(selectors.with_meeting_facts(committee.meetings.all()))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a committee meeting",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk, write=True)
        data = MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        attendees = _members_of(committee, values.pop("attendees", []))
        with service_errors():
            meeting = services.meeting_create(
                committee=committee,
                details=services.MeetingDetails.from_mapping(values),
                attendees=attendees,
                by=_user(request),
            )
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    @extend_schema(
        summary="Show a meeting: attendees, minutes, decisions, approvals",
        responses={200: MeetingSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_meeting_data(_meeting_for(request, pk)))

    @extend_schema(
        summary="Change a meeting's date, agenda or minutes",
        description=_("A change after approval asks both sides to approve again."),
        request=MeetingInputSerializer,
        responses={200: MeetingSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        meeting = _meeting_for(request, pk, write=True)
        data = MeetingInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.meeting_update(
                meeting=meeting,
                details=_merged(meeting, services.MeetingDetails, dict(data.validated_data)),
                by=_user(request),
            )
        return Response(_meeting_data(meeting))


class AttendeesApi(APIView):
    @extend_schema(
        summary="Set who attended a meeting",
        description=_("Members of this committee only, who were members on the meeting's day."),
        request=AttendeesInputSerializer,
        responses={200: MeetingSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        meeting = _meeting_for(request, pk, write=True)
        data = AttendeesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members = _members_of(meeting.committee, data.validated_data["members"])
        with service_errors():
            services.attendees_set(meeting=meeting, members=members, by=_user(request))
        return Response(_meeting_data(meeting))


class MeetingDecisionsApi(APIView):
    @extend_schema(
        summary="Record a decision of a meeting",
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = _meeting_for(request, pk, write=True)
        data = DecisionInputSerializer(data=request.data, committee=meeting.committee)
        data.is_valid(raise_exception=True)
        with service_errors():
            decision = services.decision_add(
                meeting=meeting,
                details=services.DecisionDetails.from_mapping(data.validated_data),
                by=_user(request),
            )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ApprovalsApi(APIView):
    @extend_schema(
        summary="Approve a meeting's minutes for one side",
        description=_(
            "The factory's recorders approve for any member; a member with an account approves "
            "for their own seat. A second approval from the same side is refused."
        ),
        request=ApprovalInputSerializer,
        responses={201: MeetingSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = _meeting_for(request, pk)
        allowed = approving_members_for(request.user, committee=meeting.committee)
        if not allowed.exists():
            raise PermissionDenied
        data = ApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = allowed.filter(pk=data.validated_data["member"]).first()
        if member is None:
            raise ApiValidationError({"member": [_("Choose a member you may approve for.")]})
        with service_errors():
            services.minutes_approve(meeting=meeting, member=member, by=_user(request))
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED)


class DecisionFilterSerializer(serializers.Serializer):
    factory = serializers.IntegerField(required=False, allow_null=True, help_text=_("Factory id."))
    committee = serializers.IntegerField(required=False, allow_null=True)


class DecisionListApi(GenericAPIView):
    serializer_class = DecisionSerializer

    @extend_schema(
        summary="List the committee decisions you may see",
        parameters=[DecisionFilterSerializer],
        responses=DecisionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = DecisionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = decisions_for(request.user).select_related("committee", "meeting", "owner")
        if f.get("factory"):
            qs = qs.filter(committee__factory=f["factory"])
        if f.get("committee"):
            qs = qs.filter(committee=f["committee"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)


class DecisionDetailApi(APIView):
    def _decision(self, request: Request, pk: int, *, write: bool = False) -> Decision:
        qs = decisions_for(request.user).select_related("committee__factory", "meeting", "owner")
        decision = get_object_or_404(qs, pk=pk)
        if write:
            _writable(request, decision.committee)
        return decision

    @extend_schema(
        summary="Show a committee decision",
        responses={200: DecisionSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(DecisionSerializer(self._decision(request, pk)).data)

    @extend_schema(
        summary="Change a decision; its number and uid stay",
        request=DecisionInputSerializer,
        responses={200: DecisionSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        decision = self._decision(request, pk, write=True)
        data = DecisionInputSerializer(
            data=request.data, partial=True, committee=decision.committee
        )
        data.is_valid(raise_exception=True)
        with service_errors():
            services.decision_update(
                decision=decision,
                details=_merged(decision, services.DecisionDetails, dict(data.validated_data)),
                by=_user(request),
            )
        return Response(DecisionSerializer(decision).data)


# --- effectiveness reviews -------------------------------------------------------------------


class ChecklistItemSerializer(ModelSerializer):
    text = serializers.CharField(source="text_text", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "text", "weight", "order"]
        read_only_fields = fields


class ReviewAnswerSerializer(ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ReviewAnswer
        fields = ["item", "code", "answer"]
        read_only_fields = fields


class ReviewSerializer(ModelSerializer):
    answers = ReviewAnswerSerializer(many=True, read_only=True)
    score = serializers.SerializerMethodField(help_text=_("Out of 100, computed from the answers."))

    class Meta:
        model = Review
        fields = ["id", "committee", "reviewed_on", "reviewer", "notes", "score", "answers"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_score(self, obj: Review) -> int | None:
        return selectors.review_summary(obj).score


class ReviewAnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text=_("Checklist item id."))
    answer = serializers.ChoiceField(choices=ReviewAnswer.Answer.choices)


class ReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    answers = ReviewAnswerInputSerializer(many=True)


class ChecklistApi(APIView):
    @extend_schema(
        summary="List the questions of the effectiveness review",
        responses=ChecklistItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        items = ChecklistItem.objects.filter(is_active=True)
        return Response(ChecklistItemSerializer(items, many=True).data)


class ReviewListApi(APIView):
    @extend_schema(
        summary="List a committee's effectiveness reviews, newest first",
        responses={200: ReviewSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk)
        reviews = selectors.with_answers(committee.reviews.all())
        return Response(ReviewSerializer(reviews, many=True).data)

    @extend_schema(
        summary="Record the advisor's effectiveness review",
        description=_("Only the factory's provider's administrators and facilitators review."),
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        committee = _committee_for(request, pk)
        if not guided_factories_for(request.user).filter(pk=committee.factory_id).exists():
            raise PermissionDenied
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        items = ChecklistItem.objects.in_bulk([a["item"] for a in values["answers"]])
        if len(items) != len({a["item"] for a in values["answers"]}):
            raise ApiValidationError({"answers": [_("Answer only the questions asked today.")]})
        with service_errors():
            review = services.review_create(
                committee=committee,
                reviewed_on=values["reviewed_on"],
                answers={items[a["item"]]: int(a["answer"]) for a in values["answers"]},
                notes=values.get("notes", ""),
                by=_user(request),
            )
        fresh = selectors.with_answers(Review.objects.filter(pk=review.pk)).get()
        return Response(ReviewSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ReviewDetailApi(APIView):
    @extend_schema(
        summary="Show an effectiveness review",
        responses={200: ReviewSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        review = get_object_or_404(selectors.with_answers(reviews_for(request.user)), pk=pk)
        return Response(ReviewSerializer(review).data)


urlpatterns = [
    path("committees/", CommitteeListApi.as_view(), name="api-committees"),
    path("committees/<int:pk>/", CommitteeDetailApi.as_view(), name="api-committee"),
    path("committees/<int:pk>/members/", MemberListApi.as_view(), name="api-committee-members"),
    path(
        "committees/<int:pk>/elections/", ElectionListApi.as_view(), name="api-committee-elections"
    ),
    path("committees/<int:pk>/meetings/", MeetingListApi.as_view(), name="api-committee-meetings"),
    path("committees/<int:pk>/reviews/", ReviewListApi.as_view(), name="api-committee-reviews"),
    path("committee-members/<int:pk>/", MemberDetailApi.as_view(), name="api-committee-member"),
    path(
        "committee-members/<int:pk>/leave/",
        MemberLeaveApi.as_view(),
        name="api-committee-member-leave",
    ),
    path(
        "committee-elections/<int:pk>/", ElectionDetailApi.as_view(), name="api-committee-election"
    ),
    path(
        "committee-elections/<int:pk>/candidates/",
        CandidateListApi.as_view(),
        name="api-committee-election-candidates",
    ),
    path(
        "committee-elections/<int:pk>/results/",
        ResultsApi.as_view(),
        name="api-committee-election-results",
    ),
    path(
        "committee-elections/<int:pk>/join/",
        JoinApi.as_view(),
        name="api-committee-election-join",
    ),
    path("committee-meetings/<int:pk>/", MeetingDetailApi.as_view(), name="api-committee-meeting"),
    path(
        "committee-meetings/<int:pk>/attendees/",
        AttendeesApi.as_view(),
        name="api-committee-meeting-attendees",
    ),
    path(
        "committee-meetings/<int:pk>/decisions/",
        MeetingDecisionsApi.as_view(),
        name="api-committee-meeting-decisions",
    ),
    path(
        "committee-meetings/<int:pk>/approvals/",
        ApprovalsApi.as_view(),
        name="api-committee-meeting-approvals",
    ),
    path("committee-decisions/", DecisionListApi.as_view(), name="api-committee-decisions"),
    path(
        "committee-decisions/<int:pk>/",
        DecisionDetailApi.as_view(),
        name="api-committee-decision",
    ),
    path("committee-reviews/<int:pk>/", ReviewDetailApi.as_view(), name="api-committee-review"),
    path("committee-checklist/", ChecklistApi.as_view(), name="api-committee-checklist"),
]
