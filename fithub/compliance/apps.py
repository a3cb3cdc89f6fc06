from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "fithub.compliance"
    verbose_name = _("Compliance assessment")

    def ready(self) -> None:
        from fithub.compliance import panels
        from fithub.lib import slots

        # After the needs assessment (40), before the committee (50).
        slots.register("factory-detail", slots.Panel("compliance", panels.factory_assessments, 45))
        slots.register(
            "engagement-detail", slots.Panel("compliance", panels.engagement_assessments, 45)
        )
        slots.register(
            "engagement-detail",
            slots.Panel("self-diagnosis", panels.engagement_self_diagnosis, 46),
        )
