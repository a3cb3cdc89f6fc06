from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "fithub.certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from fithub.certificates import panels
        from fithub.lib import slots

        slots.register("session-detail", slots.Panel("certificates", panels.session_certificates))
