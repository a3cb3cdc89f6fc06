"""Users, organisations and memberships in Django's admin (superusers only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organisation",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "created_at")
    list_filter = ("kind", "country")
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("email", "name", "language", "is_active", "is_staff", "is_superuser")
    list_filter = ("is_active", "is_staff", "is_superuser", "language")
    search_fields = ("email", "name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__email", "user__name", "organisation__name")
    list_select_related = ("user", "organisation")
    raw_id_fields = ("user", "organisation")


@admin.register(FactoryMembership)
class FactoryMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "factory", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__name", "factory__name")
    list_select_related = ("user", "factory")
    raw_id_fields = ("user", "factory")
