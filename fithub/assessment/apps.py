from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "fithub.assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from fithub.assessment import panels
        from fithub.lib import slots

        # Before the committee (50): the needs assessment is where an engagement begins.
        slots.register("factory-detail", slots.Panel("assessments", panels.factory_assessments, 40))
        slots.register(
            "engagement-detail", slots.Panel("assessments", panels.engagement_assessments, 40)
        )
