"""Django's admin, for site administrators (superusers) only.

Staff status alone opens nothing: what a provider administrator may see is decided by the
scoping functions, which the admin does not apply, so the admin is for superusers, who see
everything anyway.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("FIT Hub administration")
    site_title = _("FIT Hub administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class FitHubAdminConfig(AdminConfig):
    default_site = "fithub.accounts.admin_site.SuperuserAdminSite"
