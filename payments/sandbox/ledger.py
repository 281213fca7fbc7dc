"""Balance transactions with fees, and the daily payout that groups them.

Fees follow ``PAYMENT_SANDBOX_FEE_PERCENT`` and ``PAYMENT_SANDBOX_FEE_FIXED`` per method, in the
wire's minor units, rounded half up to a whole rupiah (IDR settles in whole units). Funds become
available ``PAYMENT_SANDBOX_BALANCE_DELAY_HOURS`` after the payment.
"""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from . import shapes
from .events import event_emit
from .models import BalanceTransaction, Charge, Payout, new_id

# Minor units per whole unit: IDR travels with two decimals but settles in whole rupiah.
_WHOLE_UNIT = {"idr": 100}
PAYOUT_DESTINATION = "ba_sandboxkasdaerah00000000"


def fee_for(*, method: str, amount: int, currency: str) -> int:
    """The processing fee on ``amount`` paid by ``method``. Moves money."""
    unit = _WHOLE_UNIT.get(currency, 1)
    percent = Decimal(str(settings.PAYMENT_SANDBOX_FEE_PERCENT.get(method, 0)))
    fixed = int(settings.PAYMENT_SANDBOX_FEE_FIXED.get(method, 0))
    variable = (Decimal(amount) * percent / 100 / unit).quantize(Decimal(1), ROUND_HALF_UP) * unit
    return min(amount, int(variable) + fixed)


def balance_record_charge(*, charge: Charge) -> BalanceTransaction:
    """The balance transaction of a succeeded charge: amount, fee, net. Moves money."""
    fee = fee_for(method=charge.method, amount=charge.amount, currency=charge.currency)
    delay = timedelta(hours=settings.PAYMENT_SANDBOX_BALANCE_DELAY_HOURS)
    return BalanceTransaction.objects.create(
        id=new_id("txn_"),
        type=BalanceTransaction.Type.CHARGE,
        amount=charge.amount,
        fee=fee,
        net=charge.amount - fee,
        currency=charge.currency,
        description=f"Payment {charge.payment_intent_id}",
        source=charge.id,
        method=charge.method,
        created=charge.created,
        available_on=charge.created + delay,
    )


def balance_record_refund(*, refund_id: str, charge: Charge, amount: int) -> BalanceTransaction:
    """A refund leaves the balance at once, fee kept (as Stripe does). Moves money."""
    return BalanceTransaction.objects.create(
        id=new_id("txn_"),
        type=BalanceTransaction.Type.REFUND,
        amount=-amount,
        fee=0,
        net=-amount,
        currency=charge.currency,
        description=f"Refund of {charge.id}",
        source=refund_id,
        method=charge.method,
        available_on=timezone.now(),
    )


def payouts_for_day(*, day: date | None = None, now: datetime | None = None) -> list[Payout]:
    """Pay out, per currency, what is available by the end of ``day`` (today by default).

    Runs any number of times: a day that already has its payout gets nothing new, and what
    becomes available later waits for the next day's. ``now`` is the clock (tests move it).
    Moves money.
    """
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    day_end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(0)))
    cutoff = min(now, day_end)
    unpaid = BalanceTransaction.objects.filter(payout__isnull=True, available_on__lte=cutoff)
    created = []
    for currency in unpaid.values_list("currency", flat=True).distinct().order_by():
        payout = _payout_create(day=day, currency=currency, cutoff=cutoff)
        if payout:
            created.append(payout)
    return created


def _payout_create(*, day: date, currency: str, cutoff: datetime) -> Payout | None:
    try:
        with transaction.atomic():
            if Payout.objects.filter(for_date=day, currency=currency).exists():
                return None
            rows = BalanceTransaction.objects.select_for_update().filter(
                payout__isnull=True, available_on__lte=cutoff, currency=currency
            )
            ids = list(rows.values_list("id", flat=True))
            total = rows.aggregate(total=Sum("net"))["total"] or 0
            if total <= 0:
                # Nothing to send to the bank: refunds outweigh payments; they wait for more.
                return None
            payout = Payout.objects.create(
                id=new_id("po_"), amount=total, currency=currency, for_date=day,
                arrival_date=day, destination=PAYOUT_DESTINATION,
                description=f"Sandbox payout {day.isoformat()}",
            )
            BalanceTransaction.objects.filter(id__in=ids).update(payout=payout)
            event_emit(type="payout.paid", data_object=shapes.payout(payout))
            return payout
    except IntegrityError:
        return None  # another run created this day's payout first
