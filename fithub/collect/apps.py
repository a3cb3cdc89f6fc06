from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectConfig(AppConfig):
    name = "fithub.collect"
    verbose_name = _("Collect")
