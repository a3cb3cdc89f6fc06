"""Forms of the committee pages; their field lists come from the services' dataclasses."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import User
from fithub.committees import services
from fithub.committees.models import (
    Candidate,
    ChecklistItem,
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    ReviewAnswer,
)
from fithub.factories.models import Factory, TeamMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.get_full_name()


class TeamMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TeamMember) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.get_role_display()}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.get_side_display()}"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.get_side_display()}"


def _queryset(form: forms.BaseForm, name: str, qs: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = qs


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = services.COMMITTEE_FIELDS
        widgets = {"established_on": DATE}


class MemberForm(forms.ModelForm):
    user = UserChoiceField(
        label=_("FIT Hub user"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Link the member's FIT Hub account, if they have one at this factory."),
    )
    team_member = TeamMemberChoiceField(
        label=_("Improvement team member"), queryset=TeamMember.objects.none(), required=False
    )

    class Meta:
        model = Member
        fields = services.MEMBER_FIELDS
        widgets = {"term_starts_on": DATE, "term_ends_on": DATE}

    def __init__(self, *args: Any, factory: Factory, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _queryset(
            self, "user", User.objects.filter(factory_memberships__factory=factory).order_by("name")
        )
        _queryset(self, "team_member", factory.team.order_by("name"))


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left the committee on"), widget=DATE)


class ElectionForm(forms.ModelForm):
    guided_by = UserChoiceField(
        label=_("Guided by (advisor)"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Election
        fields = services.ELECTION_FIELDS
        widgets = {
            "nomination_opens_on": DATE,
            "nomination_closes_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, advisors: QuerySet[User], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _queryset(self, "guided_by", advisors)


class CandidateForm(forms.ModelForm):
    team_member = TeamMemberChoiceField(
        label=_("Improvement team member"), queryset=TeamMember.objects.none(), required=False
    )

    class Meta:
        model = Candidate
        fields = services.CANDIDATE_FIELDS
        widgets = {"nominated_on": DATE}

    def __init__(self, *args: Any, factory: Factory, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _queryset(self, "team_member", factory.team.order_by("name"))


class ResultsForm(forms.Form):
    """The count: voting day, the workers who voted, and one field per candidate."""

    held_on = forms.DateField(label=_("Voting day"), widget=DATE)
    voters = forms.IntegerField(label=_("Workers who voted"), min_value=0)

    def __init__(self, *args: Any, candidates: list[Candidate], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.candidates = candidates
        for c in candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": c.name},
                min_value=0,
                initial=c.votes,
            )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


class JoinForm(forms.Form):
    term_starts_on = forms.DateField(label=_("Term starts on"), widget=DATE)
    term_ends_on = forms.DateField(label=_("Term ends on"), widget=DATE, required=False)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS
        widgets = {
            "held_on": DATE,
            "starts_at": TIME,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class NewMeetingForm(MeetingForm):
    """A meeting with its attendees ticked at once (more can be added on its page)."""

    attendees = MembersChoiceField(
        label=_("Members present"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: QuerySet[Member], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class MinutesForm(forms.ModelForm):
    """The parts of a meeting written during or after it, edited on the meeting page."""

    class Meta:
        model = Meeting
        fields = ("agenda", "minutes", "others_present")
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class AttendeeForm(forms.Form):
    member = MemberChoiceField(label=_("Member present"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Member], **kw: Any) -> None:
        # The meeting page also has the approval form's "member": ids must differ.
        kw.setdefault("auto_id", "id_attendee_%s")
        super().__init__(*args, **kw)
        _queryset(self, "member", members)


class DecisionForm(forms.ModelForm):
    owner = MemberChoiceField(
        label=_("Carried out by (member)"), queryset=Member.objects.none(), required=False
    )

    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}

    def __init__(self, *args: Any, members: QuerySet[Member], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _queryset(self, "owner", members)


class ApprovalForm(forms.Form):
    member = MemberChoiceField(label=_("Approved by"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Member], **kw: Any) -> None:
        kw.setdefault("auto_id", "id_approval_%s")
        super().__init__(*args, **kw)
        _queryset(self, "member", members)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        if len(members) == 1:
            # A member approving for their own seat has nobody else to choose.
            field.initial = members[0].pk
            field.empty_label = None


class ReviewForm(forms.Form):
    """The advisor's checklist: one question per active item, answered no, partly or yes."""

    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, items: list[ChecklistItem], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.items = items
        for item in items:
            self.fields[f"q_{item.pk}"] = forms.TypedChoiceField(
                label=item.text_text,
                choices=ReviewAnswer.Answer.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[ChecklistItem, int]:
        return {item: self.cleaned_data[f"q_{item.pk}"] for item in self.items}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search factories"), required=False, max_length=100)
