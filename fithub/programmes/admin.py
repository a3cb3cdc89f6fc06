"""Programmes and engagements in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.programmes.models import Engagement, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "country", "starts_on", "ends_on", "target_enterprises")
    list_filter = ("country",)
    search_fields = ("name", "owner__name")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    filter_horizontal = ("providers",)


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("factory", "provider", "programme", "status", "cycle", "starts_on")
    list_filter = ("status", "delivery_model", "programme__country")
    search_fields = ("factory__name", "provider__name", "programme__name")
    list_select_related = ("factory", "provider", "programme")
    raw_id_fields = ("programme", "factory", "provider", "coordinator")
    date_hierarchy = "starts_on"
