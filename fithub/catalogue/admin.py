"""The module catalogue in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.catalogue.models import Module


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "category", "audience", "duration_minutes", "is_active")
    list_filter = ("category", "audience", "is_active")
    # The title is JSON, one text per language: searching it searches every language.
    search_fields = ("code", "title")
    filter_horizontal = ("prerequisites",)
