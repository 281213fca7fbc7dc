from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreasuryConfig(AppConfig):
    name = "treasury"
    verbose_name = _("Treasury")

    def ready(self):
        from treasury import receivers  # noqa: F401  (connects the receivers)
