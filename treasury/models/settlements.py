"""What the gateway paid out to the city's bank account, as pulled from it: payouts and the
balance transactions each groups. Rows are keyed by the gateway's ids, so pulling the same
settlement again adds nothing (``treasury.settlements``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from payments.money import CURRENCY


class GatewayPayout(models.Model):
    """One transfer from the gateway to the city's account (RKUD), whole rupiah."""

    payout_id = models.CharField(_("gateway payout"), max_length=255, unique=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    status = models.CharField(_("status at the gateway"), max_length=32)
    arrival_date = models.DateField(_("expected in the bank on"), db_index=True)
    created_at_gateway = models.DateTimeField(_("created at the gateway"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    transactions_pulled_at = models.DateTimeField(
        _("transactions pulled at"), null=True, blank=True,
        help_text=_("Set once every balance transaction of the payout has been pulled."),
    )

    class Meta:
        verbose_name = _("gateway payout")
        verbose_name_plural = _("gateway payouts")
        ordering = ["-arrival_date", "-pk"]

    def __str__(self) -> str:
        return self.payout_id


class GatewayTransaction(models.Model):
    """One balance transaction: a charge (``amount`` gross, ``fee`` kept by the gateway, ``net``
    paid out), a refund (negative), or another movement. Signed whole rupiah."""

    txn_id = models.CharField(_("gateway transaction"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=32, db_index=True)
    amount = models.BigIntegerField(_("gross (Rp)"))
    fee = models.BigIntegerField(_("fee (Rp)"))
    net = models.BigIntegerField(_("net (Rp)"))
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    source = models.CharField(_("source"), max_length=255, blank=True, db_index=True,
                              help_text=_("The charge or refund at the gateway."))
    created_at_gateway = models.DateTimeField(_("created at the gateway"))
    available_on = models.DateTimeField(_("available on"), null=True, blank=True)
    payout = models.ForeignKey(GatewayPayout, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="transactions", verbose_name=_("payout"))
    # Filled by matching (treasury.matching), set-based.
    payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="gateway_transactions",
                                verbose_name=_("payment"))
    refund = models.ForeignKey("payments.Refund", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="gateway_transactions",
                               verbose_name=_("refund"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gateway transaction")
        verbose_name_plural = _("gateway transactions")
        ordering = ["-created_at_gateway", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(net=models.F("amount") - models.F("fee")),
                                   name="gateway_transaction_net_is_amount_less_fee"),
        ]

    def __str__(self) -> str:
        return self.txn_id
