"""Data for the public pages' tests: a register of many permits made in bulk (a real issuance
renders and signs a PDF; hundreds of them would test WeasyPrint, not the register), and
applications with hand-set dates and clocks for the statistics."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from evaluation.models import ELEMENTS, SurveyResponse
from licensing.models import Application, Business, Permit, Signer
from tests.factories import ApplicationFactory, PermitTypeFactory, UserFactory
from workflows.models import ApplicationClock

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    """A moment in the office's time: ``wib(2026, 11, 3, 10)``."""
    return datetime(*args, tzinfo=JAKARTA)


def bulk_permits(count: int, *, permit_type=None, name="PT Bulk", kecamatan="sail",
                 valid_from=date(2026, 1, 5), valid_until=date(2027, 1, 4)) -> list[Permit]:
    """``count`` issued permits (a stored file each), one business each, oldest first."""
    permit_type = permit_type or PermitTypeFactory()
    creator = UserFactory()
    signer = Signer.objects.get_or_create(name="Kepala Dinas", title="Kepala DPMPTSP")[0]
    start = Business.objects.count()
    businesses = Business.objects.bulk_create([
        Business(legal_name=f"{name} {n:04d}", nib=f"{8120000000000 + start + n:013d}",
                 npwp=f"{20000000000000 + start + n:015d}", street_address="Jl. Uji",
                 kecamatan=kecamatan, kelurahan="Uji")
        for n in range(count)
    ])
    applications = Application.objects.bulk_create([
        Application(reference=f"BLK-{permit_type.code}-{start + n:06d}", business=business,
                    permit_type=permit_type, created_by=creator)
        for n, business in enumerate(businesses)
    ])
    return Permit.objects.bulk_create([
        Permit(number=f"{permit_type.code}/{start + n + 1:05d}/DPMPTSP/2026",
               application=application, holder=application.business, permit_type=permit_type,
               signer=signer, issued_year=2026, valid_from=valid_from, valid_until=valid_until,
               file=f"permits/2026/bulk-{start + n}.pdf", sha256="0" * 64)
        for n, application in enumerate(applications)
    ])


def application(permit_type, *, submitted=None, decided=None, issued=None) -> Application:
    """An application with its dates set by hand (the statistics read dates, not states)."""
    made = ApplicationFactory(permit_type=permit_type)
    Application.objects.filter(pk=made.pk).update(submitted_at=submitted, decided_at=decided,
                                                  issued_at=issued)
    return made


def clock(application, *, stopped: datetime, used: int, standard: int) -> ApplicationClock:
    """An ended service-standard clock: ``used`` working days of a ``standard``."""
    return ApplicationClock.objects.create(
        application=application, standard_days=standard, started_at=stopped,
        stopped_at=stopped, working_days_used=used)


def answers(permit_type, *, on: date, score: int, times: int = 1) -> None:
    """``times`` survey answers giving every element ``score``."""
    SurveyResponse.objects.bulk_create([
        SurveyResponse(permit_type=permit_type, answered_on=on,
                       **{name: score for name, _label in ELEMENTS})
        for _ in range(times)
    ])
