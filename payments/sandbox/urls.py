from django.urls import path, re_path

from . import api, stripe_http, views

app_name = "sandbox"

_V1 = "stripe/v1/"

urlpatterns = [
    path("checkout/<str:session_id>/", views.checkout_page, name="checkout"),
    path("checkout/<str:session_id>/pay/", views.checkout_pay, name="checkout_pay"),
    path("checkout/<str:session_id>/simulate-bank-payment/",
         views.checkout_simulate_bank_payment, name="checkout_simulate"),
    path(_V1 + "checkout/sessions", api.checkout_sessions),
    path(_V1 + "checkout/sessions/<str:session_id>", api.checkout_session_detail),
    path(_V1 + "checkout/sessions/<str:session_id>/expire", api.checkout_session_expire),
    path(_V1 + "payment_intents/<str:intent_id>", api.payment_intent_detail),
    path(_V1 + "payment_intents/<str:intent_id>/confirm", api.payment_intent_confirm),
    path(_V1 + "refunds", api.refunds_create),
    path(_V1 + "refunds/<str:refund_id>", api.refund_detail),
    path(_V1 + "events", api.events),
    path(_V1 + "events/<str:event_id>", api.event_detail),
    path(_V1 + "balance_transactions", api.balance_transactions),
    path(_V1 + "balance_transactions/<str:txn_id>", api.balance_transaction_detail),
    path(_V1 + "payouts", api.payouts),
    path(_V1 + "payouts/<str:payout_id>", api.payout_detail),
    # The sandbox's own test helpers: what a bank would do, on demand.
    path(_V1 + "test_helpers/payment_intents/<str:intent_id>/simulate_payment",
         api.payment_intent_simulate_payment),
    path(_V1 + "test_helpers/refunds/<str:refund_id>/settle", api.refund_settle),
    re_path(r"^stripe/(?P<rest>.*)$", stripe_http.unknown_endpoint),
]
