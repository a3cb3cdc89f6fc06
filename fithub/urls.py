from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from fithub import audit, views
from fithub.accounts import views as accounts_views

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", views.api_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("fithub.factories.api")),
    path("", include("fithub.programmes.api")),
    path("", include("fithub.catalogue.api")),
    path("", include("fithub.compliance.api")),
    path("", include("fithub.assessment.api")),
    path("", include("fithub.training.api")),
    path("", include("fithub.certificates.api")),
    path("", include("fithub.surveys.api")),
    path("", include("fithub.committees.api")),
    path("", include("fithub.improvement.api")),
    path("", include("fithub.collect.api")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("login/", accounts_views.login_view, name="login"),
    path("logout/", accounts_views.logout_view, name="logout"),
    path("accounts/password-reset/", accounts_views.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        accounts_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        accounts_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("accounts/", include("fithub.accounts.urls")),
    path("audit/", audit.audit_log, name="audit"),
    # The history pages read the trail of every app, which no app imports (fithub/audit.py).
    path("factories/<int:pk>/history/", audit.factory_history, name="factory-history"),
    path("training/sessions/<int:pk>/history/", audit.session_history, name="session-history"),
    path("assessment/<int:pk>/history/", audit.assessment_history, name="assessment-history"),
    path("factories/", include("fithub.factories.urls")),
    path("programmes/", include("fithub.programmes.urls")),
    path("catalogue/", include("fithub.catalogue.urls")),
    path("compliance/", include("fithub.compliance.urls")),
    path("assessment/", include("fithub.assessment.urls")),
    path("training/", include("fithub.training.urls")),
    path("certificates/", include("fithub.certificates.urls")),
    path("surveys/", include("fithub.surveys.urls")),
    path("committees/", include("fithub.committees.urls")),
    path("improvement/", include("fithub.improvement.urls")),
    path("collect/", include("fithub.collect.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
