"""The evaluation's demo: a month of satisfaction-survey answers (enough for the public index),
two complaints, one answered, and the head of office named to receive the monthly evaluation.
Loaded once: answers and complaints already there are the demo's own."""

from datetime import timedelta

from django.utils import timezone

from demo.people import ACCOUNTS
from evaluation.complaints import complaint_answer, complaint_file_anonymous
from evaluation.models import ELEMENTS, Complaint, ReportRecipient, SurveyResponse
from licensing.models import PermitType, User
from licensing.roles import HEAD_OF_OFFICE

# Nine scores each (the order of ELEMENTS), as twelve businesses answered them.
ANSWERS = (
    (4, 4, 3, 4, 4, 4, 4, 3, 3), (3, 3, 3, 4, 3, 4, 4, 3, 3), (4, 3, 2, 4, 4, 3, 4, 2, 3),
    (3, 3, 3, 3, 3, 3, 3, 3, 3), (4, 4, 4, 4, 4, 4, 4, 4, 4), (3, 2, 2, 4, 3, 3, 4, 2, 3),
    (4, 3, 3, 4, 4, 4, 4, 3, 4), (3, 3, 2, 4, 3, 3, 3, 3, 2), (4, 4, 3, 4, 4, 4, 4, 3, 3),
    (3, 3, 3, 4, 3, 4, 4, 3, 3), (4, 3, 3, 4, 4, 4, 4, 4, 3), (3, 3, 3, 3, 3, 3, 4, 3, 3),
)
COMPLAINTS = (
    ("Antrean di loket pada hari Senin terlalu panjang; mohon loket ditambah.",
     "Terima kasih. Mulai bulan ini loket kedua dibuka setiap Senin pukul 08.00 sampai 12.00."),
    ("Halaman pembayaran lambat terbuka dari ponsel di daerah Rumbai.", ""),
)


def seed_evaluation(*, report) -> None:
    if not SurveyResponse.objects.exists():
        types = list(PermitType.objects.filter(is_active=True).order_by("code"))
        today = timezone.localdate()
        SurveyResponse.objects.bulk_create([
            SurveyResponse(permit_type=types[index % len(types)],
                           answered_on=max(today - timedelta(days=index),
                                           today.replace(day=1)),
                           **dict(zip([name for name, _label in ELEMENTS], scores, strict=True)))
            for index, scores in enumerate(ANSWERS)
        ])
        report.count("survey answers", True)
    if not Complaint.objects.exists():
        head = User.objects.filter(groups__name=HEAD_OF_OFFICE).order_by("pk").first()
        for body, answer in COMPLAINTS:
            complaint = complaint_file_anonymous(body=body)
            if answer and head is not None:
                complaint_answer(complaint=complaint, actor=head, answer=answer)
            report.count("complaints", True)
    head_email = next(account["email"] for account in ACCOUNTS
                      if HEAD_OF_OFFICE in account.get("groups", ()))
    _recipient, created = ReportRecipient.objects.get_or_create(
        email=head_email, defaults={"name": "Kepala DPMPTSP"})
    report.count("evaluation recipients", created)
