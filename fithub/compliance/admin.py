"""Compliance assessments in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.compliance.models import ComplianceAssessment, Tool


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ("__str__", "country", "owner", "is_sample")
    list_filter = ("country", "is_sample")
    search_fields = ("slug",)
    list_select_related = ("owner",)


@admin.register(ComplianceAssessment)
class ComplianceAssessmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "factory", "status", "planned_on", "submitted_at")
    list_filter = ("status",)
    search_fields = ("factory__name",)
    list_select_related = ("factory",)
    raw_id_fields = ("factory", "engagement", "version", "created_by")
