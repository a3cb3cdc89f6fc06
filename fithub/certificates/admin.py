"""Certificates in Django's admin (superusers only)."""

from django.contrib import admin

from fithub.certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "language", "revision", "issued_at", "revoked_at")
    list_filter = ("language", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "registration__participant__name")
    raw_id_fields = ("registration", "issued_by", "revoked_by")
    date_hierarchy = "issued_at"
