"""Every page a business uses, opened on a 360-pixel phone in its default language: nothing
scrolls sideways, whatever the names, e-mail addresses, file names, numbers and hashes on it;
and the tables become cards there, while staying tables on a wide screen."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from documents.services import attachment_upload
from documents.verification import verification_path
from licensing import services
from licensing.models import Application, Permit
from licensing.states import ApplicationState as S
from payments import payment_services
from payments.models import Invoice
from payments.states import InvoiceState
from payments.states import PaymentState as P
from tests.e2e.browsing import PASSWORD, log_in, press_main_button
from tests.factories import (
    BusinessFactory,
    FormFieldFactory,
    RequiredDocumentFactory,
    UserFactory,
)
from tests.lifecycle import Upload, draft, pdf_bytes
from tests.payments.flow import pay_by_card, start, use_sandbox
from tests.payments.support import ANSWERS, approve_all, building_type
from workflows import services as review
from workflows.models import ReviewTask

PHONE = {"viewport": {"width": 360, "height": 740}}
WIDE = {"viewport": {"width": 1024, "height": 768}}

AGENCY = "dinas_pekerjaan_umum_dan_penataan_ruang"
# Long, as real ones are: they must wrap, not push the page wider than the phone.
LEGAL_NAME = ("PT Pembangunan Perumahan dan Pengembangan Kawasan Industri Terpadu Pekanbaru "
              "Sejahtera-Abadi-Makmur-Sentosa Tbk")
OWNER_EMAIL = "direktur.utama.pembangunan.perumahan@kawasanindustriterpadupekanbaru.co.id"
STAFF_EMAIL = "staf.administrasi.perizinan.dan.keuangan@kawasanindustriterpadupekanbaru.co.id"
FILE_NAME = ("surat-permohonan-persetujuan-bangunan-gedung-ditandatangani-direktur-utama-"
             "final-revisi-ketiga-2026.pdf")

# What overflows: how far the page scrolls sideways, and the innermost elements that reach past
# the right edge (of the layout viewport, scroll bar excluded), named as a stylesheet would.
FIND_OVERFLOW = """() => {
  const edge = document.documentElement.clientWidth;
  const name = (element) => {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 4;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(part + "#" + node.id); break; }
      if (node.classList.length) part += "." + [...node.classList].join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const wide = [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > edge + 1);
  const innermost = wide.filter((element) =>
    !wide.some((other) => other !== element && element.contains(other)));
  return {
    scroll: document.documentElement.scrollWidth - edge,
    elements: innermost.slice(0, 5).map((element) =>
      name(element) + " (right edge " + Math.round(element.getBoundingClientRect().right) + ")"),
  };
}"""


def overflow(page) -> str | None:
    """What sticks out of the page now, in words; None when everything fits."""
    found = page.evaluate(FIND_OVERFLOW)
    if found["scroll"] > 0 or found["elements"]:
        return f"scrolls {found['scroll']} px sideways; too wide: {found['elements']}"
    return None


def sweep(page, who: str, paths, problems: dict, *, status: int = 200) -> None:
    for path in paths:
        response = page.goto(path)
        if response.status != status:
            problems[f"{who} {path}"] = f"answered {response.status}, not {status}"
        elif found := overflow(page):
            problems[f"{who} {path}"] = found


def upload(application, actor, name: str = FILE_NAME) -> None:
    for requirement in application.permit_type.required_documents.all():
        attachment_upload(application=application, requirement=requirement, actor=actor,
                          uploaded_file=Upload(pdf_bytes(), name))


def filed(permit_type, owner, business) -> Application:
    application, _owner = draft(permit_type=permit_type, owner=owner, business=business,
                                answers=dict(ANSWERS, site=LEGAL_NAME))
    upload(application, owner)
    return services.application_submit(application=application, actor=owner)


@pytest.fixture
def desk(settings, live_server):
    """A business owner with an application in every state, a bill, an unfinished payment,
    a paid one, the permit it brought, notifications, and a staff invitation."""
    use_sandbox(settings, live_server)
    owner = UserFactory(email=OWNER_EMAIL,
                        full_name="Raden Mas Muhammad Rizky Pratama Wijayakusuma Hadiningrat")
    business = BusinessFactory(owner=owner, legal_name=LEGAL_NAME,
                               kbli_codes=["41011", "41012", "42101", "43211", "68111", "68120"])
    permit_type = building_type(
        steps=[AGENCY], name_id="Persetujuan Bangunan Gedung untuk Fungsi Usaha dan Campuran",
        description_id="Persetujuan untuk membangun baru, mengubah, memperluas, mengurangi, "
                    "dan/atau merawat bangunan gedung sesuai standar teknis.")
    RequiredDocumentFactory(permit_type=permit_type, accepted_formats=["pdf"],
                            name_id="Surat permohonan yang ditandatangani direktur utama",
                            name_en="Application letter signed by the managing director")
    FormFieldFactory(permit_type=permit_type, key="site", kind="text",
                     label_id="Alamat lokasi bangunan", label_en="Building site address")

    drafted, _owner = draft(permit_type=permit_type, owner=owner, business=business,
                            answers={"floor_area": 7.5, "building_function": "usaha"})
    upload(drafted, owner)

    changes = filed(permit_type, owner, business)
    requirement = permit_type.required_documents.get()
    review.task_decide(
        task=ReviewTask.objects.get(application=changes, state="open"),
        actor=UserFactory(groups=[AGENCY]), decision="request_changes",
        message="Surat permohonan belum ditandatangani; unggah ulang versi bertanda tangan "
                "basah dan cap perusahaan.", documents_to_replace=[requirement])

    billed = approve_all(filed(permit_type, owner, business))
    bill = Invoice.objects.get(application=billed, state=InvoiceState.ISSUED)
    unfinished = start(bill, owner)

    issued = approve_all(filed(permit_type, owner, business))
    paid = start(Invoice.objects.get(application=issued, state=InvoiceState.ISSUED), owner)
    pay_by_card(paid)
    paid = payment_services.payment_refresh(payment=paid)
    assert paid.state == P.SUCCEEDED
    assert Application.objects.get(pk=issued.pk).state == S.ISSUED
    permit = Permit.objects.get(application=issued)

    services.business_invite(business=business, actor=owner, email=STAFF_EMAIL,
                             accept_url_for=lambda invitation: "/")
    return {"owner": owner, "business": business, "permit_type": permit_type,
            "draft": drafted, "changes": changes, "billed": billed, "bill": bill,
            "unfinished": unfinished, "issued": issued, "paid": paid, "permit": permit}


def anonymous_paths(desk) -> list[str]:
    owner = desk["owner"]
    return [
        reverse("home"), reverse("catalogue"),
        reverse("catalogue_detail", args=[desk["permit_type"].code]),
        verification_path(desk["permit"]),
        reverse("login"), reverse("signup"), reverse("signup_sent"),
        reverse("password_reset"), reverse("password_reset_done"),
        reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(owner.pk)),
                                                default_token_generator.make_token(owner)]),
        reverse("password_reset_complete"),
    ]


def owner_paths(desk) -> list[str]:
    code = desk["permit_type"].code
    return [
        reverse("home"), reverse("catalogue"), reverse("catalogue_detail", args=[code]),
        reverse("dashboard"), reverse("business_register"),
        reverse("business_detail", args=[desk["business"].pk]),
        reverse("application_start", args=[code]),
        reverse("application_edit", args=[desk["draft"].pk]),
        *(reverse("application_detail", args=[desk[state].pk])
          for state in ("draft", "changes", "billed", "issued")),
        reverse("invoice_detail", args=[desk["bill"].pk]),
        reverse("invoice_detail", args=[desk["paid"].invoice_id]),
        reverse("payment_return", args=[desk["unfinished"].pk]),
        reverse("payment_cancelled", args=[desk["unfinished"].pk]),
        reverse("payment_receipt", args=[desk["paid"].pk]),
        reverse("permit_list"), reverse("permit_detail", args=[desk["permit"].pk]),
        verification_path(desk["permit"]),
        reverse("notification_list"), reverse("notification_settings"),
        reverse("two_factor_manage"), reverse("two_factor_setup"),
    ]


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_page_a_business_uses_scrolls_sideways_on_a_phone(open_page, desk):
    problems: dict[str, str] = {}

    visitor = open_page(**PHONE)
    sweep(visitor, "visitor", anonymous_paths(desk), problems)
    sweep(visitor, "visitor", [reverse("email_confirm", args=["MTIz", "not-a-token"])], problems,
          status=400)

    owner = open_page(**PHONE)
    log_in(owner, desk["owner"])
    sweep(owner, "owner", owner_paths(desk), problems)

    # Staff invited by the owner: the invitation, a claim to a NIB already registered here, and
    # a second factor set up, its recovery codes, and the code asked at the next sign-in.
    staff = UserFactory(email=STAFF_EMAIL, full_name="Siti Nurhaliza binti Abdullah Rahman")
    invitation = desk["business"].invitations.get()
    claim = services.business_register(
        actor=staff, legal_name=LEGAL_NAME, nib=desk["business"].nib, npwp="012345678912345",
        street_address="Jl. Jenderal Sudirman No. 1", kecamatan="sail", kelurahan="Cinta Raja",
        kbli_codes=["41011"])
    phone = open_page(**PHONE)
    log_in(phone, staff)
    sweep(phone, "staff", [reverse("dashboard"),
                  reverse("invitation_accept", args=[invitation.token]),
                  reverse("nib_claim_received", args=[claim.pk]),
                  reverse("two_factor_setup")], problems)
    phone.locator('main input[name="code"]').fill(
        code_of(TOTPDevice.objects.get(user=staff, confirmed=False)))
    press_main_button(phone)
    phone.locator("main ul.codes").wait_for()
    if found := overflow(phone):
        problems["staff recovery codes"] = found
    again = open_page(**PHONE)
    again.goto(reverse("login"))
    again.locator('main input[name="username"]').fill(staff.email)
    again.locator('main input[name="password"]').fill(PASSWORD)
    press_main_button(again)
    again.wait_for_url(f"**{reverse('two_factor_verify')}**")
    if found := overflow(again):
        problems[f"staff {reverse('two_factor_verify')}"] = found

    # Someone who signed up and has not confirmed the address yet.
    newcomer = open_page(**PHONE)
    log_in(newcomer, UserFactory(email_verified_at=None, email="pendaftar.baru.yang.belum."
                                 "konfirmasi@perusahaan-keluarga-pekanbaru.co.id"))
    sweep(newcomer, "newcomer", [reverse("email_unconfirmed")], problems)

    # The office's register of permits lists the same permits as the business's own list.
    office = open_page(**PHONE)
    log_in(office, UserFactory(groups=[AGENCY]))
    sweep(office, "office", [reverse("permit_register")], problems)

    assert not problems, "Too wide for a phone:\n" + "\n".join(
        f"{path}: {problem}" for path, problem in problems.items())


def layout_of_rows(page) -> dict:
    return page.evaluate("""() => {
      const table = document.querySelector("main table.cards");
      return {
        row: getComputedStyle(table.querySelector("tbody tr")).display,
        header: getComputedStyle(table.querySelector("thead")).display,
        label: getComputedStyle(table.querySelector("tbody td"), "::before").content,
      };
    }""")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_tables_are_cards_on_a_phone_and_tables_on_a_wide_screen(open_page, desk):
    paths = [reverse("dashboard"), reverse("permit_list"),
             reverse("invoice_detail", args=[desk["bill"].pk])]
    phone, wide = open_page(**PHONE), open_page(**WIDE)
    log_in(phone, desk["owner"])
    log_in(wide, desk["owner"])
    for path in paths:
        phone.goto(path)
        wide.goto(path)
        on_phone, on_wide = layout_of_rows(phone), layout_of_rows(wide)
        assert (path, on_phone["row"], on_phone["header"]) == (path, "block", "none")
        # Each cell names its column, as the hidden header row did.
        assert on_phone["label"] not in ("none", "normal", '""'), path
        assert (path, on_wide["row"], on_wide["header"]) == (path, "table-row",
                                                              "table-header-group")
        assert on_wide["label"] in ("none", "normal"), path
