"""The Stripe API subset at /sandbox/stripe/v1/…: parse, call one service, shape the answer."""

from django.urls import reverse

from . import checkout, listing, params, refunds, shapes
from .errors import NotFound
from .models import BalanceTransaction, Event, PaymentIntent, Payout, Refund
from .stripe_http import ApiCall, stripe_endpoint


def _retrieve(call: ApiCall, model, kind: str, object_id: str, shape):
    params.reject_unknown(call.params, set())
    record = model.objects.filter(pk=object_id).first()
    if record is None:
        raise NotFound(kind, object_id)
    return shape(record)


@stripe_endpoint("POST")
def checkout_sessions(call: ApiCall):
    fields = params.checkout_session_fields(call.params)
    session = checkout.checkout_session_create(
        fields=fields,
        hosted_url_for=lambda session_id: call.http.build_absolute_uri(
            reverse("sandbox:checkout", args=[session_id])
        ),
    )
    return shapes.checkout_session(session)


@stripe_endpoint("GET")
def checkout_session_detail(call: ApiCall, session_id: str):
    params.reject_unknown(call.params, set())
    return shapes.checkout_session(checkout.session_get(session_id=session_id))


@stripe_endpoint("POST")
def checkout_session_expire(call: ApiCall, session_id: str):
    params.reject_unknown(call.params, set())
    session = checkout.checkout_session_expire(session_id=session_id, origin=call.origin)
    return shapes.checkout_session(session)


@stripe_endpoint("GET")
def payment_intent_detail(call: ApiCall, intent_id: str):
    return _retrieve(call, PaymentIntent, "payment_intent", intent_id, shapes.payment_intent)


@stripe_endpoint("POST")
def payment_intent_confirm(call: ApiCall, intent_id: str):
    fields = params.payment_intent_confirm_fields(call.params)
    intent, declined = checkout.payment_intent_confirm(
        intent_id=intent_id, fields=fields, origin=call.origin
    )
    if declined:
        # A decline is a result, not a rollback: the failed charge and its event stay.
        error = {"type": "card_error", "code": declined.failure_code,
                 "decline_code": declined.decline_code, "message": declined.failure_message,
                 "charge": declined.id, "payment_intent": shapes.payment_intent(intent)}
        return 402, {"error": error}
    return shapes.payment_intent(intent)


@stripe_endpoint("POST")
def payment_intent_simulate_payment(call: ApiCall, intent_id: str):
    params.reject_unknown(call.params, set())
    intent = checkout.payment_intent_simulate_payment(intent_id=intent_id, origin=call.origin)
    return shapes.payment_intent(intent)


@stripe_endpoint("POST")
def refunds_create(call: ApiCall):
    refund = refunds.refund_create(fields=params.refund_fields(call.params), origin=call.origin)
    return shapes.refund(refund)


@stripe_endpoint("GET")
def refund_detail(call: ApiCall, refund_id: str):
    return _retrieve(call, Refund, "refund", refund_id, shapes.refund)


@stripe_endpoint("POST")
def refund_settle(call: ApiCall, refund_id: str):
    params.reject_unknown(call.params, set())
    return shapes.refund(refunds.refund_settle(refund_id=refund_id, origin=call.origin))


@stripe_endpoint("GET")
def events(call: ApiCall):
    params.reject_unknown(call.params, {"type", "created", "limit", "starting_after",
                                        "ending_before"})
    queryset = params.created_filter(Event.objects.all(), call.params)
    event_type = params.text(call.params, "type")
    if event_type.endswith(".*"):
        queryset = queryset.filter(type__startswith=event_type[:-1])
    elif event_type:
        queryset = queryset.filter(type=event_type)
    return listing.page(queryset.prefetch_related("deliveries"), call.params, url="/v1/events",
                        shape=shapes.event)


@stripe_endpoint("GET")
def event_detail(call: ApiCall, event_id: str):
    return _retrieve(call, Event, "event", event_id, shapes.event)


@stripe_endpoint("GET")
def balance_transactions(call: ApiCall):
    params.reject_unknown(call.params, {"payout", "type", "source", "currency", "created",
                                        "limit", "starting_after", "ending_before"})
    queryset = params.created_filter(BalanceTransaction.objects.all(), call.params)
    payout_id = params.text(call.params, "payout")
    if payout_id:
        if not Payout.objects.filter(pk=payout_id).exists():
            raise NotFound("payout", payout_id, param="payout")
        queryset = queryset.filter(payout_id=payout_id)
    for name in ("type", "source", "currency"):
        value = params.text(call.params, name)
        if value:
            queryset = queryset.filter(**{name: value})
    return listing.page(queryset, call.params, url="/v1/balance_transactions",
                        shape=shapes.balance_transaction)


@stripe_endpoint("GET")
def balance_transaction_detail(call: ApiCall, txn_id: str):
    return _retrieve(call, BalanceTransaction, "balance_transaction", txn_id,
                     shapes.balance_transaction)


@stripe_endpoint("GET")
def payouts(call: ApiCall):
    params.reject_unknown(call.params, {"status", "created", "limit", "starting_after",
                                        "ending_before"})
    queryset = params.created_filter(Payout.objects.all(), call.params)
    status = params.text(call.params, "status")
    if status:
        queryset = queryset.filter(status=status)
    return listing.page(queryset, call.params, url="/v1/payouts", shape=shapes.payout)


@stripe_endpoint("GET")
def payout_detail(call: ApiCall, payout_id: str):
    return _retrieve(call, Payout, "payout", payout_id, shapes.payout)

