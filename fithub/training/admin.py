"""Sessions, participants and registrations in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.training.models import Participant, Registration, Session


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "provider", "organising_factory", "date", "status", "language")
    list_filter = ("status", "delivery_model", "language")
    search_fields = ("module__code", "provider__name", "organising_factory__name")
    list_select_related = ("module", "provider", "organising_factory")
    raw_id_fields = (
        "module", "adaptation", "provider", "organising_factory", "venue", "facilitator",
        "parent", "representative", "created_by", "engagements",
    )  # fmt: skip
    date_hierarchy = "date"


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "factory", "sex", "role", "department", "language")
    list_filter = ("sex", "role", "department")
    search_fields = ("name", "phone", "factory__name")
    list_select_related = ("factory",)
    raw_id_fields = ("factory",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("participant", "session", "group_role", "present", "method", "recorded_at")
    list_filter = ("present", "method")
    search_fields = ("participant__name", "session__module__code")
    list_select_related = ("participant", "session__module")
    raw_id_fields = ("session", "participant", "group", "recorded_by")
