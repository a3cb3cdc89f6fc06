from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "fithub.committees"
    verbose_name = _("Bipartite committees")

    def ready(self) -> None:
        from fithub.committees import panels
        from fithub.lib import slots

        # Before the training action items and later apps' panels: the committee drives them.
        slots.register("factory-detail", slots.Panel("committee", panels.factory_committee, 50))
