"""Factories and improvement teams in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.factories.models import Factory, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin):
    list_display = ("name", "os_id", "country", "city", "sector", "registered_by", "updated_at")
    list_filter = ("country", "sector", "tier", "better_work", "score_graduate")
    # search_text is the folded name, city, address and OS ID the factory list searches too.
    search_fields = ("name", "os_id", "city", "search_text")
    list_select_related = ("registered_by",)
    raw_id_fields = ("registered_by",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (TeamMemberInline,)
    list_per_page = 50  # as the factory list: the benchmark compares the two (bench/run.py)


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "factory", "role", "department", "sex")
    list_filter = ("role", "department", "sex")
    search_fields = ("name", "factory__name")
    list_select_related = ("factory",)
    raw_id_fields = ("factory",)
