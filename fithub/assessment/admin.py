"""Needs assessments in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.assessment.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "factory", "status", "source", "interviewed_on", "submitted_at")
    list_filter = ("status", "source", "language")
    search_fields = ("factory__name", "instance_id", "coordinator_name", "manager_name")
    list_select_related = ("factory", "version__questionnaire")
    raw_id_fields = (
        "factory", "engagement", "version", "coordinator", "manager", "facilitator", "created_by",
    )  # fmt: skip
    readonly_fields = ("started_at",)
