from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "fithub.surveys"
    verbose_name = _("Post-training surveys")

    def ready(self) -> None:
        from fithub.lib import slots
        from fithub.surveys import panels

        slots.register("session-detail", slots.Panel("survey", panels.session_survey, 60))
        slots.register("session-pack", slots.Panel("survey-slips", panels.session_pack_slips))
