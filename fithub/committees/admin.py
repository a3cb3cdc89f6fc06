"""The review checklist is data: superusers change its questions here."""

from django.contrib import admin

from fithub.committees.models import ChecklistItem


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "weight", "order", "is_active")
    list_editable = ("weight", "order", "is_active")
    ordering = ("order", "pk")
