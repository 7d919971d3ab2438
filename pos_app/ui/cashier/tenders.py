"""The dialog of each tender."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from pos_app.core.money import Money
from pos_app.core.payments import LINK_METHOD_OF, PaymentProvider
from pos_app.ui.cashier.cash_dialog import CashDialog
from pos_app.ui.cashier.cod_dialog import CodDialog
from pos_app.ui.cashier.link_dialog import LinkDialog
from pos_app.ui.cashier.proof_dialog import ProofDialog
from pos_app.ui.cashier.stk_dialog import StkDialog
from pos_app.ui.cashier.tender_base import TenderDialog
from pos_app.ui.context import AppContext

# a hosted payment page per provider: the tender is the provider's name
LINK_TENDERS = tuple(provider.value for provider in LINK_METHOD_OF)


def make_tender_dialog(
    kind: str,
    ctx: AppContext,
    order_id: str,
    due: Money,
    parent: QWidget | None,
    resume: Any = None,
) -> TenderDialog:
    if kind == "cash":
        return CashDialog(ctx, order_id, due, parent)
    if kind == "cod":
        return CodDialog(ctx, order_id, due, parent)
    if kind == "mpesa":
        return StkDialog(ctx, order_id, due, parent, resume=resume)
    if kind in LINK_TENDERS:
        return LinkDialog(ctx, PaymentProvider(kind), order_id, due, parent, resume=resume)
    if kind == "proof":
        return ProofDialog(ctx, order_id, due, parent)
    raise ValueError(f"unknown tender {kind!r}")
