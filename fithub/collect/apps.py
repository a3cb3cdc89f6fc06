from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectConfig(AppConfig):
    name = "fithub.collect"
    verbose_name = _("Collect")

    def ready(self) -> None:
        from fithub.collect import panels
        from fithub.lib import slots

        # After the survey's own panel (60): its offline form and the import of its answers.
        slots.register("session-detail", slots.Panel("survey-offline", panels.survey_offline, 61))
