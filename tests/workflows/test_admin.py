"""The admin: steps edited on their permit type, holidays kept by clerks, the review records and
the audit trail readable but never editable by hand."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from licensing.models import PermitType
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from workflows import services as review
from workflows.admin import ReviewStepInline
from workflows.models import CalendarDay, ReviewStep, ReviewTask, TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_review_steps_inline_fits_on_the_permit_type_page():
    inline = ReviewStepInline(PermitType, admin.site)
    assert inline.model is ReviewStep
    assert inline.check() == []


def test_the_inline_refuses_a_malformed_checklist(rf):
    permit_type = PermitTypeFactory()
    request = rf.post("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    formset_class = ReviewStepInline(PermitType, admin.site).get_formset(request, permit_type)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-position": "1", f"{prefix}-0-kind": "inspection",
        f"{prefix}-0-sla_working_days": "5", f"{prefix}-0-name_id": "Cek lapangan",
        f"{prefix}-0-name_en": "Site check", f"{prefix}-0-checklist": '[{"en": "no id"}]',
    }
    formset = formset_class(data, instance=permit_type, prefix=prefix)
    assert not formset.is_valid()
    assert "checklist" in formset.errors[0]


def test_closures_are_added_in_the_admin_beside_the_national_calendar(admin_client):
    response = admin_client.post(reverse("admin:workflows_calendarday_add"),
                                 {"date": "2026-06-19", "is_closed": "on",
                                  "name": "Hari Jadi Kota Pekanbaru"})
    assert response.status_code == 302
    assert CalendarDay.objects.get().name == "Hari Jadi Kota Pekanbaru"
    listing = admin_client.get(reverse("admin:workflows_calendarday_changelist"))
    # This year's national days off are listed for the administrator to compare.
    assert "Tahun Baru" in listing.content.decode()


def test_review_tasks_are_listed_with_filters_but_not_editable(admin_client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    task = ReviewTask.objects.get(application=application)

    listing = admin_client.get(reverse("admin:workflows_reviewtask_changelist"),
                               {"state__exact": "open", "q": application.reference})
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [task]
    assert admin_client.get(reverse("admin:workflows_reviewtask_add")).status_code == 403
    response = admin_client.post(reverse("admin:workflows_reviewtask_change", args=[task.pk]),
                                 {"state": "approved"})
    assert response.status_code == 403
    assert admin_client.post(reverse("admin:workflows_reviewtask_delete", args=[task.pk]),
                             {"post": "yes"}).status_code == 403
    task.refresh_from_db()
    assert task.state == "open"


def test_the_audit_trail_is_read_only(admin_client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    entry = TransitionLog.objects.filter(application=application).first()

    assert admin_client.get(reverse("admin:workflows_transitionlog_changelist")).status_code == 200
    assert admin_client.get(
        reverse("admin:workflows_transitionlog_change", args=[entry.pk])
    ).status_code == 200
    assert admin_client.get(reverse("admin:workflows_transitionlog_add")).status_code == 403
    assert admin_client.post(reverse("admin:workflows_transitionlog_change", args=[entry.pk]),
                             {"note": "rewritten"}).status_code == 403
    assert admin_client.post(reverse("admin:workflows_transitionlog_delete", args=[entry.pk]),
                             {"post": "yes"}).status_code == 403
    assert TransitionLog.objects.get(pk=entry.pk).note == entry.note


def test_the_audit_trail_shows_states_by_their_labels(admin_client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    review.task_claim(task=application.review_tasks.get(), actor=UserFactory(groups=["agency_a"]))
    url = reverse("admin:workflows_transitionlog_changelist")

    page = admin_client.get(url).content.decode()
    for label in ("Draft", "Submitted", "In review", "Open", "Claimed"):
        assert f">{label}<" in page, label
    for value in ("draft", "in_review", "open", "claimed"):
        assert f">{value}<" not in page, value
    filtered = admin_client.get(url, {"target": "claimed"})
    assert [entry.transition for entry in filtered.context["cl"].queryset] == ["claim"]
    with translation.override("en"):
        assert str(TransitionLog.objects.get(transition="claim")) == "claim: Open → Claimed"
