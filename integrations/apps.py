from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Connectors to other systems: the shapes in which they receive the outbox's events."""

    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        # The outbox knows no app above it: each body shape is registered here, one a line.
        from events import shapes
        from integrations import oss_status, sipkd_push

        shapes.register(sipkd_push.SHAPE, sipkd_push.daily_close_file,
                        topics=sipkd_push.TOPICS)
        shapes.register(oss_status.NAME, oss_status.license_status, topics=oss_status.TOPICS)
