from treasury.models.bank import BankLine, BankStatement, CounterPayment
from treasury.models.ledger import DailyClose, LedgerEntry, LedgerImmutable
from treasury.models.reconciliation import Discrepancy
from treasury.models.settlements import GatewayPayout, GatewayTransaction

__all__ = [
    "BankLine", "BankStatement", "CounterPayment", "DailyClose", "Discrepancy", "GatewayPayout",
    "GatewayTransaction", "LedgerEntry", "LedgerImmutable",
]
