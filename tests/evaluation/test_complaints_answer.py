"""The head of office's complaints: the list (unanswered first, paged), the page, the answer
through the transition machine; what the business sees of its own."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from evaluation.complaints import complaint_answer, complaint_file, complaint_file_anonymous
from evaluation.models import Complaint
from evaluation.states import ComplaintState
from licensing import roles
from notifications.models import Notification
from tests.evaluation.feedback_support import rejected_application
from tests.factories import UserFactory
from tests.portal import in_english
from tests.workflows.support import form_post
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db
# The page's own few and the header's (session, user, roles, unread notices): a query per
# complaint would pass it at once with 25 on a page.
MAX_QUERIES = 20


@pytest.fixture
def head():
    return UserFactory(groups=[roles.HEAD_OF_OFFICE])


@pytest.fixture
def filed():
    application, owner = rejected_application()
    return complaint_file(application=application, actor=owner, body="Alasan tidak jelas."), owner


def test_the_answer_goes_through_the_machine_and_reaches_the_complainant(head, filed):
    complaint, owner = filed
    answered = complaint_answer(complaint=complaint, actor=head,
                                answer="  Lokasi berada di jalur hijau menurut RTRW.  ")

    answered.refresh_from_db()
    assert answered.state == ComplaintState.ANSWERED
    assert answered.answer == "Lokasi berada di jalur hijau menurut RTRW."
    assert (answered.answered_by, answered.answered_at is not None) == (head, True)
    entry = TransitionLog.objects.get(content_type=ContentType.objects.get_for_model(Complaint),
                                      object_id=complaint.pk)
    assert (entry.transition, entry.source, entry.target, entry.actor, entry.note) == (
        "give_answer", "received", "answered", head, answered.answer)
    assert entry.application_id == complaint.application_id
    notice = Notification.objects.get(kind="complaint.answered")
    assert notice.recipient == owner
    assert answered.answer in notice.body


def test_only_the_head_of_office_answers_and_only_once(head, filed):
    complaint, owner = filed
    for someone in (owner, UserFactory(groups=[roles.FRONT_OFFICE])):
        with pytest.raises(TransitionRefused) as refused:
            complaint_answer(complaint=complaint, actor=someone, answer="Tidak.")
        assert refused.value.code == "permission_denied"
    complaint_answer(complaint=complaint, actor=head, answer="Sudah kami periksa.")
    with pytest.raises(TransitionRefused):
        complaint_answer(complaint=complaint, actor=head, answer="Lagi.")
    complaint.refresh_from_db()
    assert complaint.answer == "Sudah kami periksa."
    assert Notification.objects.filter(kind="complaint.answered").count() == 1


def test_an_anonymous_complaint_is_answered_and_nobody_is_told(head):
    complaint = complaint_file_anonymous(body="Situs lambat.")
    complaint_answer(complaint=complaint, actor=head, answer="Server sudah ditambah.")
    assert not Notification.objects.filter(kind="complaint.answered").exists()


def test_the_list_puts_unanswered_first_pages_and_keeps_its_queries(
        client, head, django_assert_max_num_queries):
    answered = complaint_file_anonymous(body="Lama.")
    complaint_answer(complaint=answered, actor=head, answer="Maaf.")
    application, owner = rejected_application()
    for number in range(30):
        complaint_file(application=application, actor=owner, body=f"Keluhan {number}")
    client.force_login(head)
    url = reverse("feedback:complaint_list")

    with django_assert_max_num_queries(MAX_QUERIES):
        first = in_english(client).get(url)
    assert first.status_code == 200
    assert len(first.context["page"]) == 25
    assert answered.reference not in first.content.decode()
    with django_assert_max_num_queries(MAX_QUERIES):
        second = client.get(url, {"page": 2})
    references = [c.reference for c in second.context["page"]]
    assert references[-1] == answered.reference
    assert len(references) == 6
    only_answered = client.get(url, {"state": "answered"}).context["page"]
    assert [c.reference for c in only_answered] == [answered.reference]


def test_the_head_answers_on_the_complaints_page(client, head, filed):
    complaint, _owner = filed
    client.force_login(head)
    page = in_english(client).get(reverse("feedback:complaint_detail", args=[complaint.pk]))
    assert "Alasan tidak jelas." in page.content.decode()
    url = reverse("feedback:complaint_answer", args=[complaint.pk])
    assert form_post(client, url, {"answer": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED
    done = form_post(client, url, {"answer": "Sudah diperiksa ulang."})
    assert done["Location"] == reverse("feedback:complaint_detail", args=[complaint.pk])
    complaint.refresh_from_db()
    assert complaint.answer == "Sudah diperiksa ulang."
    assert "Answer the complaint" not in client.get(done["Location"]).content.decode()


def test_nobody_else_reads_the_office_pages(client, filed):
    complaint, owner = filed
    for someone in (owner, UserFactory(groups=[roles.FRONT_OFFICE])):
        client.force_login(someone)
        assert client.get(reverse("feedback:complaint_list")).status_code == 403
        assert client.get(reverse("feedback:complaint_detail",
                                  args=[complaint.pk])).status_code == 404
        assert form_post(client, reverse("feedback:complaint_answer", args=[complaint.pk]),
                         {"answer": "x"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED


def test_the_business_sees_its_complaints_and_answers_and_no_one_elses(client, head, filed):
    complaint, owner = filed
    complaint_answer(complaint=complaint, actor=head, answer="Lokasi di jalur hijau.")
    other, other_owner = rejected_application()
    theirs = complaint_file(application=other, actor=other_owner, body="Punya orang lain.")
    anonymous = complaint_file_anonymous(body="Anonim.")
    client.force_login(owner)
    html = in_english(client).get(reverse("feedback:complaint_mine")).content.decode()
    assert complaint.reference in html and "Lokasi di jalur hijau." in html
    assert theirs.reference not in html and anonymous.reference not in html
    # The application page links to it.
    detail = client.get(reverse("application_detail", args=[complaint.application_id]))
    assert reverse("feedback:complaint_mine") in detail.content.decode()


def test_the_admin_lists_complaints_and_survey_answers_to_read_only(client, filed):
    complaint, _owner = filed
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:evaluation_complaint_changelist"))
    assert listing.status_code == 200
    assert complaint.reference in listing.content.decode()
    assert client.get(reverse("admin:evaluation_complaint_add")).status_code == 403
    assert client.get(reverse("admin:evaluation_surveyresponse_changelist")).status_code == 200
    # Which application answered, and when, is shown to nobody.
    index = client.get(reverse("admin:app_list", args=["evaluation"]))
    assert index.status_code == 200
    assert "surveyinvitation" not in index.content.decode()
