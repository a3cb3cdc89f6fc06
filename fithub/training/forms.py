from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import User
from fithub.catalogue.models import Adaptation, Module
from fithub.factories.models import Factory
from fithub.programmes.forms import QuoteForm
from fithub.programmes.models import DeliveryModel, Engagement
from fithub.training.models import Group, Participant, Registration, Session, Venue
from fithub.training.services import ParticipantDetails, SessionDetails, VenueDetails

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Module) -> str:  # type: ignore[override]
        return f"{obj.code} · {obj.title_text}"


class AdaptationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Adaptation) -> str:  # type: ignore[override]
        return f"{obj.module.code} · {obj.title_text} ({obj.provider})"


class EngagementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Engagement) -> str:  # type: ignore[override]
        return f"{obj.factory.name} · {obj.programme.name} · {obj.provider.name}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.get_full_name() or obj.email


class VenueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Venue) -> str:  # type: ignore[override]
        bits = [obj.name]
        if obj.city:
            bits.append(obj.city)
        bits.append(str(_("%(n)s places") % {"n": obj.capacity}))
        if obj.step_free:
            bits.append(str(_("step-free")))
        return " · ".join(bits)


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Factory) -> str:  # type: ignore[override]
        return str(_("A room at %(factory)s") % {"factory": obj.name})


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Group) -> str:  # type: ignore[override]
        return str(_("Group %(n)s") % {"n": obj.number})


class SessionForm(forms.ModelForm):
    """Plan a session. Choices are limited to what the user may use, so nothing leaks."""

    # The fields are the service's (SessionDetails); these come first on the page.
    field_order = ["module", "adaptation", "language", "engagements"]
    organiser = forms.ChoiceField(label=_("Organised by"))
    module = ModuleChoiceField(label=_("Module"), queryset=Module.objects.none())
    adaptation = AdaptationChoiceField(
        label=_("Adaptation"),
        queryset=Adaptation.objects.none(),
        required=False,
        empty_label=_("The ILO original"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.PARTICIPANT_LANGUAGES)
    engagements = EngagementChoiceField(
        label=_("Engagements"),
        queryset=Engagement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("The factories taking part. A classroom session takes several."),
    )
    venue = VenueChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        help_text=_("Or add a new venue below."),
    )
    facilitator = UserChoiceField(
        label=_("Facilitator"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Session
        fields = [*SessionDetails.field_names(), "engagements"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}
        help_texts = {
            "facilitator_name": _("In a cascade or in the factory's own session: who runs it."),
        }

    def __init__(
        self,
        *args: Any,
        organisers: list[tuple[str, str]] | None = None,
        modules: Any = None,
        adaptations: Any = None,
        engagements: Any = None,
        venues: Any = None,
        facilitators: Any = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        editing = self.instance.pk is not None
        if editing or not organisers:
            del self.fields["organiser"]
        else:
            organiser = self.fields["organiser"]
            assert isinstance(organiser, forms.ChoiceField)
            organiser.choices = organisers
            if len(organisers) == 1:
                organiser.initial = organisers[0][0]
                organiser.widget = forms.HiddenInput()
        if not editing:
            del self.fields["status"]
        for name, qs in (
            ("module", modules),
            ("adaptation", adaptations),
            ("engagements", engagements),
            ("venue", venues),
            ("facilitator", facilitators),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if qs is not None:
                field.queryset = qs

    def organiser_choice(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["organiser"].partition(":")
        return kind, int(pk)


class VenueForm(forms.ModelForm):
    """A new venue, added while planning a session; left empty, nothing is added."""

    field_order = ["name", "factory"]

    factory = RoomChoiceField(
        label=_("Where"),
        queryset=Factory.objects.none(),
        required=False,
        empty_label=_("An external venue"),
    )

    class Meta:
        model = Venue
        fields = [*VenueDetails.field_names(), "factory"]
        labels = {"name": _("New venue's name")}

    def __init__(self, *args: Any, factories: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["name"].required = False
        self.fields["capacity"].required = False
        field = self.fields["factory"]
        assert isinstance(field, forms.ModelChoiceField)
        if factories is not None:
            field.queryset = factories

    @property
    def wanted(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("capacity"):
            self.add_error("capacity", _("How many people does the venue hold?"))
        return data

    def _post_clean(self) -> None:
        # The model's own checks run in the service, only when a venue is actually added.
        pass


class ParticipantForm(forms.ModelForm):
    field_order = ["name", "factory"]
    confirm_new = forms.BooleanField(
        label=_("This is a different person with the same name"), required=False
    )

    class Meta:
        model = Participant
        fields = [*ParticipantDetails.field_names(), "factory"]
        widgets = {
            "disability": forms.NullBooleanSelect(),
            "language": forms.Select(choices=settings.PARTICIPANT_LANGUAGES),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }
        help_texts = {
            "name": _("As the person writes it, in any script."),
            "disability": _("Only if the person chooses to say."),
        }

    def __init__(self, *args: Any, factories: Any = None, duplicates: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["factory"]
        assert isinstance(field, forms.ModelChoiceField)
        if factories is not None:
            field.queryset = factories
            if len(factories) == 1:
                field.initial = factories[0].pk
        if self.instance.pk:
            field.disabled = True
        if not duplicates:
            del self.fields["confirm_new"]
        self.fields["disability"].required = False


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class GroupMoveForm(forms.Form):
    group = forms.IntegerField(label=_("Group"), required=False, min_value=1, max_value=99)
    group_role = forms.ChoiceField(
        label=_("Role in the group"),
        required=False,
        choices=[("", _("No role")), *Registration.GroupRole.choices],
    )


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["reflection_went_well", "reflection_to_change"]
        widgets = {
            "reflection_went_well": forms.Textarea(attrs={"rows": 3}),
            "reflection_to_change": forms.Textarea(attrs={"rows": 3}),
        }


class ChildSessionForm(forms.Form):
    """The representative's own session in their factory (a cascade)."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    facilitator_name = forms.CharField(label=_("Run by"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.PARTICIPANT_LANGUAGES)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: participant_id or name, and present (yes or no)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        f = self.cleaned_data["file"]
        if f.size and f.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return f


class SessionFilterForm(forms.Form):
    WHEN = [("", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))]
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    delivery_model = forms.ChoiceField(
        label=_("Delivery model"),
        choices=[("", _("All")), *DeliveryModel.choices],
        required=False,
    )


class AttendanceSheetForm(forms.Form):
    """The paper sign-in sheet, typed in: one present/absent choice per registered person."""

    CHOICES = [("yes", _("Present")), ("no", _("Absent")), ("", _("Not recorded"))]

    def __init__(self, *args: Any, registrations: list[Registration], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.rows: list[tuple[Registration, str]] = []
        for r in registrations:
            name = f"r{r.pk}"
            current = "" if r.present is None else ("yes" if r.present else "no")
            self.fields[name] = forms.ChoiceField(
                label=r.participant.name,
                choices=self.CHOICES,
                required=False,
                initial=current,
                widget=forms.RadioSelect,
            )
            self.rows.append((r, name))

    @property
    def table(self) -> list[tuple[Registration, forms.BoundField]]:
        return [(r, self[name]) for r, name in self.rows]

    def marks(self) -> list[tuple[Registration, bool]]:
        """The rows whose value was given and differs from what is recorded."""
        changed = []
        for r, name in self.rows:
            value = self.cleaned_data.get(name) or ""
            if not value:
                continue
            present = value == "yes"
            if r.present is not present:
                changed.append((r, present))
        return changed


class SessionQuoteForm(QuoteForm):
    """The session cost calculator: programmes' margin and preparation, and the head count."""

    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty to use the people registered."),
    )
