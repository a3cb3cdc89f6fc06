from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "fithub.improvement"
    verbose_name = _("Improvement plans")

    def ready(self) -> None:
        from fithub.committees import links
        from fithub.improvement import from_findings, panels, signals
        from fithub.lib import slots

        # After the committee (50), which drives the plan; before later apps' panels.
        slots.register("factory-detail", slots.Panel("improvement", panels.factory_plan, 60))
        slots.register("engagement-detail", slots.Panel("improvement", panels.engagement_plan, 60))
        # Where the session's action items always were on its page: before the survey (60).
        slots.register("session-detail", slots.Panel("action-items", panels.session_items, 10))
        slots.register("assessment-detail", slots.Panel("improvement", panels.assessment_items, 60))
        links.register("plan-item", panels.decision_plan_links)
        signals.connect()
        # Compliance findings become plan items (compliance cannot import this app).
        from_findings.connect()
