"""Complaints (pengaduan): about an application, or, anonymously, about the service. Each
reaches the head of office and gets a tracked answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from evaluation.states import ComplaintState, ComplaintTopic
from licensing.roles import HEAD_OF_OFFICE, in_group


def is_head_of_office(complaint, user) -> bool:
    return user is not None and in_group(user, HEAD_OF_OFFICE)


class Complaint(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    topic = models.CharField(_("about"), max_length=12, choices=ComplaintTopic.choices)
    # About an application: the application and its business; anonymous: neither, nor a person.
    application = models.ForeignKey("licensing.Application", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="complaints",
                                    verbose_name=_("application"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    body = models.TextField(_("complaint"), max_length=4000)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    state = FSMField(_("state"), max_length=10, choices=ComplaintState.choices,
                     default=ComplaintState.RECEIVED, protected=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @transition(field=state, source=ComplaintState.RECEIVED, target=ComplaintState.ANSWERED,
                permission=is_head_of_office)
    def give_answer(self, *, by, answer: str, at):
        self.answer = answer
        self.answered_by = by
        self.answered_at = at
