from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")


class ComplaintTopic(models.TextChoices):
    APPLICATION = "application", _("An application")
    SERVICE = "service", _("The service in general")
