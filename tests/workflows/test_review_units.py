"""Reviewer groups are technical ids; people see the unit behind each one, named by the city in
the admin (``ReviewUnit``), in the language they read, and the group's id until it is named."""

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    FormFieldFactory,
    PermitTypeFactory,
    ReviewUnitFactory,
    UserFactory,
)
from tests.lifecycle import submitted
from workflows import services as review
from workflows.models import ReviewUnit, unit_name
from workflows.selectors import application_conditions
from workflows.states import Decision

pytestmark = pytest.mark.django_db

PUPR_ID = "Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)"
PUPR_EN = "Public Works and Spatial Planning Office (PUPR)"


@pytest.fixture
def pupr():
    return ReviewUnitFactory(group__name="dinas_pupr", name_id=PUPR_ID, name_en=PUPR_EN)


def read_in(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_unit_is_named_in_the_readers_language_and_a_group_without_one_by_its_id(pupr):
    unnamed = Group.objects.create(name="bapenda")
    with translation.override("en"):
        assert unit_name(pupr.group) == PUPR_EN
        assert unit_name(unnamed) == "bapenda"
    with translation.override("id"):
        assert unit_name(pupr.group) == PUPR_ID


@pytest.mark.parametrize(("language", "name"), [("id", PUPR_ID), ("en", PUPR_EN)])
def test_the_catalogue_shows_who_is_responsible_by_unit_name(client, pupr, language, name):
    permit_type = PermitTypeFactory(steps=["dinas_pupr", "satpol_pp"])
    page = read_in(client, language).get(
        reverse("catalogue_detail", args=[permit_type.code])
    ).content.decode()
    assert name in page
    assert "dinas_pupr" not in page
    assert "satpol_pp" in page  # no unit configured for it yet: the group's id, not a blank


def test_the_catalogue_states_value_limits_as_one_phrase(client):
    permit_type = PermitTypeFactory()
    FormFieldFactory(permit_type=permit_type, kind="number", min_value=1, max_value=5000)
    FormFieldFactory(permit_type=permit_type, kind="number", min_value=2)
    FormFieldFactory(permit_type=permit_type, kind="number", max_value=30)
    url = reverse("catalogue_detail", args=[permit_type.code])
    english = read_in(client, "en").get(url).content.decode()
    assert "from 1 to 5000" in english and "at least 2" in english and "at most 30" in english
    indonesian = read_in(client, "id").get(url).content.decode()
    assert "dari 1 sampai 5000" in indonesian and "paling kecil 2" in indonesian
    assert "paling besar 30" in indonesian


def test_reviewers_and_applicants_see_the_unit_name(client, pupr):
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    application, owner = submitted(permit_type=permit_type)
    task = application.review_tasks.get()
    reviewer = UserFactory(groups=["dinas_pupr"])

    client.force_login(reviewer)
    for url in (reverse("inbox"), reverse("task_detail", args=[task.pk])):
        page = client.get(url).content.decode()
        assert PUPR_EN in page and "dinas_pupr" not in page, url

    client.force_login(owner)
    page = read_in(client, "id").get(
        reverse("application_detail", args=[application.pk])
    ).content.decode()
    assert PUPR_ID in page and "dinas_pupr" not in page


def test_decisions_and_conditions_name_the_unit(client, pupr):
    permit_type = PermitTypeFactory(steps=["dinas_pupr", "satpol_pp"])
    application, _owner = submitted(permit_type=permit_type)
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_decide(task=application.review_tasks.get(), actor=reviewer,
                       decision=Decision.APPROVE, conditions="Pagar setinggi 2 m.")
    with translation.override("en"):
        assert [c.group_name for c in application_conditions(application)] == [PUPR_EN]
    client.force_login(UserFactory(groups=["satpol_pp"]))
    next_task = application.review_tasks.get(group__name="satpol_pp")
    page = client.get(reverse("task_detail", args=[next_task.pk])).content.decode()
    assert PUPR_EN in page and "dinas_pupr" not in page


def test_the_administrator_names_a_unit_in_the_admin(client):
    group = Group.objects.create(name="dinas_kesehatan")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:workflows_reviewunit_add"), {
        "group": group.pk, "name_id": "Dinas Kesehatan", "name_en": "Health Office",
    })
    assert response.status_code == 302
    assert ReviewUnit.objects.get(group=group).name_en == "Health Office"
    assert site._registry[ReviewUnit].check() == []

