"""A walk-in business with its NIB from OSS but no account: the front office registers it for its
owner, files its application, and the owner takes it over by accepting the e-mailed invitation."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from licensing import roles, services
from licensing.mail import SEPARATOR
from licensing.models import Application, Business, BusinessInvitation, MemberRole
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import complete
from tests.portal import in_english, post
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.machine import TransitionRefused

pytestmark = pytest.mark.django_db

FIELDS = {
    "legal_name": "CV Melayu Jaya",
    "nib": "9120001234567",
    "npwp": "012345678912000",
    "street_address": "Jl. Tuanku Tambusai No. 10",
    "kecamatan": "payung_sekaki",
    "kelurahan": "Labuh Baru Timur",
    "kbli_codes": ["56101"],
}
OWNER_EMAIL = "pemilik@melayujaya.id"
# What the clerk types into the form: the identifiers as printed, the codes as a list.
FORM = {**FIELDS, "npwp": "01.234.567.8-912.000", "kbli_codes": "56101, 47111",
        "owner_email": "Pemilik@MelayuJaya.id"}


def accept_url(invitation):
    return f"http://testserver/invitations/{invitation.token}/"


def register(actor, **overrides):
    return services.business_register_at_counter(
        actor=actor, owner_email=OWNER_EMAIL, accept_url_for=accept_url,
        **{**FIELDS, **overrides},
    )


def nothing_stored():
    return not Business.objects.exists() and not BusinessInvitation.objects.exists()


@pytest.fixture
def clerk():
    return UserFactory(groups=[roles.FRONT_OFFICE], full_name="Rina Petugas")


@pytest.fixture
def web(client):
    return in_english(client)


# The service.


def test_the_clerk_registers_a_business_nobody_acts_for_yet(clerk):
    business = register(clerk)
    assert business.registered_at_counter_by == clerk
    assert not business.memberships.exists()
    invitation = business.invitations.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        OWNER_EMAIL, MemberRole.OWNER, clerk)


def business_owner():
    owner = UserFactory()
    BusinessFactory(owner=owner)
    return owner


NOT_FRONT_OFFICE = {
    "business owner": business_owner,
    "reviewer": lambda: UserFactory(groups=["dinas_pupr"]),
    "head of office": lambda: UserFactory(groups=[roles.HEAD_OF_OFFICE]),
}


@pytest.mark.parametrize("who", NOT_FRONT_OFFICE)
def test_only_front_office_may_register_at_the_counter(who, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    someone = NOT_FRONT_OFFICE[who]()
    before = Business.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused) as e:
        register(someone)
    assert e.value.code == "permission_denied"
    assert Business.objects.count() == before
    assert not BusinessInvitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("nib", "123"), ("npwp", "12345"), ("kbli_codes", ["1"]), ("kecamatan", "jakarta")],
)
def test_bad_identifiers_are_refused_and_nothing_is_stored(clerk, field, value, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        register(clerk, **{field: value})
    assert field in e.value.message_dict
    assert nothing_stored()
    assert mailoutbox == []


def test_a_registered_nib_is_refused(clerk):
    BusinessFactory(nib=FIELDS["nib"], owner=UserFactory())
    with pytest.raises(ValidationError) as error:
        register(clerk)
    assert "nib" in error.value.message_dict
    assert Business.objects.count() == 1
    assert not BusinessInvitation.objects.exists()


def test_the_clerk_cannot_invite_themselves_as_owner(clerk):
    with pytest.raises(ValidationError) as error:
        services.business_register_at_counter(actor=clerk, owner_email=clerk.email.upper(),
                                              accept_url_for=accept_url, **FIELDS)
    assert "owner_email" in error.value.message_dict
    assert nothing_stored()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_owner_invitation_leaves_on_commit_in_indonesian_then_english(
    clerk, language, mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override(language):
        with django_capture_on_commit_callbacks() as callbacks:
            business = register(clerk)
        assert mailoutbox == []  # nothing is sent before the registration is committed
        for callback in callbacks:
            callback()
    [message] = mailoutbox
    assert message.to == [OWNER_EMAIL]
    assert message.subject == ("Usaha Anda telah terdaftar di Izin / "
                               "Your business is registered in Izin")
    indonesian, english = message.body.split(SEPARATOR)
    assert indonesian.startswith(
        "CV Melayu Jaya (NIB 9120001234567) telah didaftarkan di Izin melalui loket DPMPTSP.")
    assert english.startswith(
        "CV Melayu Jaya (NIB 9120001234567) was registered in Izin at the counter")
    url = accept_url(business.invitations.get())
    assert url in indonesian and url in english


def test_accepting_makes_the_owner_who_can_then_invite_staff(clerk, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    business = register(clerk)
    owner = UserFactory(email=OWNER_EMAIL)
    membership = services.invitation_accept(token=business.invitations.get().token, user=owner)
    assert (membership.business, membership.user, membership.role) == (
        business, owner, MemberRole.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.business_invite(business=business, actor=owner,
                                              email="staf@melayujaya.id",
                                              accept_url_for=accept_url)
    assert invitation.role == MemberRole.STAFF
    staff = UserFactory(email="staf@melayujaya.id")
    assert services.invitation_accept(token=invitation.token, user=staff).role == MemberRole.STAFF
    # The clerk who registered it never acts for it.
    assert set(business.members.all()) == {owner, staff}


def test_the_clerk_who_filed_it_may_not_review_it():
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    clerk = UserFactory(groups=[roles.FRONT_OFFICE, "dinas_pupr"])
    business = register(clerk)
    application = services.application_create(business=business, permit_type=permit_type,
                                              actor=clerk)
    assert application.filed_at_counter
    complete(application, clerk)
    services.application_submit(application=application, actor=clerk)
    task = pending_task(application, "dinas_pupr")
    with pytest.raises(TransitionRefused) as refused:
        review.task_claim(task=task, actor=clerk)
    assert refused.value.code == "four_eyes"
    with pytest.raises(TransitionRefused):
        review.task_decide(task=task, actor=clerk, decision="approve")
    # Another reviewer of the same group may.
    assert review.task_claim(task=task, actor=UserFactory(groups=["dinas_pupr"])).assignee


# Through the web.


def registration_page(web, nib):
    return web.get(reverse("counter_intake"), {"nib": nib}).content.decode()


def test_an_unknown_nib_offers_to_register_the_business(web, clerk):
    web.force_login(clerk)
    page = registration_page(web, "9120.0012.34567")
    assert "No business with NIB 9120001234567 is registered." in page
    assert reverse("counter_business_register") in page
    assert 'name="owner_email"' in page
    assert 'value="9120001234567"' in page


@pytest.mark.parametrize("who", NOT_FRONT_OFFICE)
def test_others_may_not_register_through_the_counter_page(web, who):
    web.force_login(NOT_FRONT_OFFICE[who]())
    before = Business.objects.count()
    response = post(web, reverse("counter_business_register"), FORM)
    assert response.status_code == 403
    assert Business.objects.count() == before
    assert not BusinessInvitation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [("nib", "912000123456", "NIB must be exactly 13 digits."),
     ("npwp", "12.345", "NPWP must be 15 or 16 digits."),
     ("kbli_codes", "561", "KBLI code 561 must be 5 digits."),
     ("owner_email", "pemilik-at-melayujaya", "Enter a valid email address.")],
)
def test_the_form_shows_clear_errors_and_stores_nothing(web, clerk, field, value, error,
                                                        mailoutbox):
    web.force_login(clerk)
    response = post(web, reverse("counter_business_register"), {**FORM, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert nothing_stored()
    assert mailoutbox == []


def test_the_form_refuses_a_registered_nib(web, clerk):
    web.force_login(clerk)
    BusinessFactory(nib=FIELDS["nib"], owner=UserFactory())
    response = post(web, reverse("counter_business_register"), FORM)
    assert "A business with this NIB is already registered." in response.content.decode()
    assert Business.objects.count() == 1
    assert not BusinessInvitation.objects.exists()


def test_the_form_refuses_the_clerks_own_address_as_the_owners(web, clerk):
    web.force_login(clerk)
    response = post(web, reverse("counter_business_register"),
                    {**FORM, "owner_email": clerk.email})
    assert "Enter the owner&#x27;s e-mail address, not your own." in response.content.decode()
    assert nothing_stored()


def test_a_double_submit_registers_once_and_mails_once(web, clerk, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    web.force_login(clerk)
    url = reverse("counter_business_register")
    with django_capture_on_commit_callbacks(execute=True):
        first = post(web, url, FORM, token="register-1")
        second = post(web, url, FORM, token="register-1")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Business.objects.count() == BusinessInvitation.objects.count() == 1
    assert len(mailoutbox) == 1


def invitation_path(message) -> str:
    url = re.search(r"https?://\S+/invitations/\S+", message.body.split(SEPARATOR)[1]).group(0)
    return urlsplit(url).path


def test_clerk_registers_files_and_the_owner_takes_over(client, clerk, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    web = in_english(client)
    permit_type = PermitTypeFactory(name_en="Food hygiene certificate")

    # The clerk looks the NIB up, registers the business, and is taken on to the application.
    web.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(web, reverse("counter_business_register"), FORM)
    business = Business.objects.get(nib=FIELDS["nib"])
    assert (business.npwp, business.kbli_codes) == (FIELDS["npwp"], ["56101", "47111"])
    assert response["Location"] == reverse("counter_intake") + f"?nib={business.nib}"
    page = web.get(response["Location"]).content.decode()
    assert "CV Melayu Jaya is registered." in page
    assert "Registered at the counter by Rina Petugas" in page
    assert "The owner (pemilik@melayujaya.id) has not accepted the invitation yet." in page
    assert 'name="permit_type"' in page

    response = post(web, reverse("counter_intake"),
                    {"business": business.pk, "permit_type": permit_type.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse("application_edit", args=[application.pk])
    assert application.filed_at_counter and application.created_by == clerk

    # The owner follows the e-mailed link, signs up with that address and accepts.
    [message] = mailoutbox
    path = invitation_path(message)
    web.logout()
    in_english(web)  # logging out forgets the cookies, the chosen language among them
    login_page = web.get(path, follow=True)
    assert login_page.redirect_chain[-1][0].startswith(reverse("login"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(web, reverse("signup") + f"?next={path}", {
            "email": "pemilik@melayujaya.id", "full_name": "Datuk Pemilik",
            "password1": "kata-sandi-panjang-1", "password2": "kata-sandi-panjang-1",
            "next": path,
        })
    assert response["Location"] == reverse("signup_sent")
    # ... confirms the address from the e-mail, which brings the owner back to the invitation.
    [confirmation] = mailoutbox
    link = urlsplit(re.search(r"https?://\S+/accounts/confirm/\S+", confirmation.body).group(0))
    assert web.get(f"{link.path}?{link.query}")["Location"] == path
    page = web.get(path).content.decode()
    assert "Rina Petugas of the licensing office registered CV Melayu Jaya for you" in page
    response = post(web, path)
    assert response["Location"] == reverse("business_detail", args=[business.pk])
    owner = business.memberships.get()
    assert (owner.user.email, owner.role) == ("pemilik@melayujaya.id", MemberRole.OWNER)

    # The application filed at the counter is on the owner's dashboard, marked as such.
    dashboard = web.get(reverse("dashboard")).content.decode()
    assert application.reference in dashboard
    detail = web.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Filed at the counter by" in detail and "Rina Petugas" in detail

    # As owner, they invite their staff.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(web, reverse("business_detail", args=[business.pk]),
                        {"email": "staf@melayujaya.id"})
    assert response.status_code == 302
    assert business.invitations.get(email="staf@melayujaya.id").role == MemberRole.STAFF
    assert mailoutbox[-1].to == ["staf@melayujaya.id"]

    # The counter page no longer says the owner is awaited.
    web.force_login(clerk)
    assert "has not accepted" not in registration_page(web, business.nib)


def test_the_admin_shows_who_registered_it_at_the_counter(client, clerk):
    business = register(clerk)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:licensing_business_change", args=[business.pk]))
    assert "Rina Petugas" in change.content.decode()
    listing = client.get(reverse("admin:licensing_business_changelist")).content.decode()
    assert "Rina Petugas" in listing
