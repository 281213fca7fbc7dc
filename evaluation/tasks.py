from celery import shared_task

from config.celery import retry_transient
from documents.signing import SigningUnavailable
from evaluation import reports


# Beat, hourly. From the first working day of a month on, the month before's report is made if
# it is missing (one row per month, made under its lock) and e-mailed if it was not yet: every
# later run finds both done. Rendering and signing a report takes seconds; ten minutes is ample.
@shared_task(acks_late=True, time_limit=600,
             **retry_transient(max_retries=5, also=(SigningUnavailable,)))
def monthly_report_due() -> int | None:
    report = reports.monthly_report_due()
    if report is None:
        return None
    if report.sent_at is None:
        monthly_report_send.delay(report.pk)
    return report.pk


# Sends once: the report's row lock and ``sent_at`` say whether it went already. One message
# with two attachments; a slow mail server is the longest it can take.
@shared_task(acks_late=True, time_limit=300, **retry_transient(max_retries=5))
def monthly_report_send(report_id: int) -> bool:
    return reports.monthly_report_send(report_id=report_id)
