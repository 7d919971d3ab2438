"""The cashier's flows at the counter, over the ledger's services.

One object the sale screens call (always from a worker thread, through the TaskRunner): ring up
an order, take each tender, list open COD orders, build a receipt. Every money change goes
through PaymentService / OrderService, one SQLite transaction each.

Idempotency: each tender dialog makes a client key when it opens and passes it with its call.
A second call with the same key (a double click, a retry after a slow reply) waits for the
first and gets the same payment back, never a second payment. The ledger's own checks
(nothing may be paid beyond what an order owes) back this up across restarts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select

from pos_app.core.discounts import Discount
from pos_app.core.errors import DukaError, InvalidInput, NoShiftOpen, PaymentError
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import (
    LINK_METHOD_OF,
    STARTED_ONLINE,
    PaymentMethod,
    PaymentProvider,
    PaymentStatus,
    ProofType,
)
from pos_app.core.quantities import Quantity
from pos_app.core.shifts import z_report
from pos_app.services import Services, guard, receipt_numbers, sms_receipts
from pos_app.services.backups import back_up_quietly
from pos_app.services.catalogue import ProductView, ScannedItem
from pos_app.services.customers import CustomerDetails
from pos_app.services.gateway import (
    GatewayRejected,
    GatewayUnavailable,
    OnlineGateway,
    PaybillPayment,
)
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.orders import current_shift_id
from pos_app.services.payments import PaymentView
from pos_app.services.receipts import ReceiptData, build_receipt
from pos_app.services.shifts import takings as shift_takings
from pos_app.services.shifts import test_payments as shift_test_payments
from pos_app.services.shop import load_settings
from pos_app.services.sms_receipts import SmsReceipt, SmsWords
from pos_app.services.unit import ledger_change
from pos_app.services.users import authorise
from pos_app.store import state
from pos_app.store.schema import cash_movements, outbox, payments, shifts

T = TypeVar("T")
S = PaymentStatus
SEARCH_LIMIT = 30
WAITING_ONLINE = frozenset({S.PENDING.value, S.INITIATING.value, S.AWAITING_CUSTOMER.value})
CART_CHANGES = ("cleared", "line_removed", "quantity_lowered")
PAYBILL_KEY = "mpesa_paybill"
TILL_KEY = "mpesa_till"
# sync.protocol.PAYBILL_REFERENCE_SHOWN: the relay gives a C2B payment for a shown reference to
# the till that showed it first (one shop, one claim)
PAYBILL_REFERENCE_SHOWN = "paybill.reference_shown"


@dataclass(frozen=True, slots=True)
class Balance:
    total: Money
    paid: Money
    remaining: Money  # what no payment (paid or still open) covers yet
    waiting_online: bool  # an STK prompt / payment link is still out
    waiting_verification: bool  # a proof waits and the shop wants it verified first
    receipt_number: str = ""  # the sale's, as printed; empty for one stored before them

    @property
    def settled(self) -> bool:
        return self.remaining.is_zero and not self.waiting_online and not self.waiting_verification


@dataclass(frozen=True, slots=True)
class CodOrder:
    payment_id: str
    order_id: str
    amount: Money
    name: str
    phone: str
    address: str
    created_at: datetime
    receipt_number: str = ""  # as printed; empty for a sale stored before receipt numbers


@dataclass(frozen=True, slots=True)
class UnfinishedPayment:
    """An online payment left waiting when the till stopped, with its sale's printed number."""

    payment: PaymentView
    receipt_number: str  # empty for a sale stored before receipt numbers


@dataclass(frozen=True, slots=True)
class PaybillDetails:
    paybill: str | None
    till: str | None
    account_reference: str


def account_reference(order_id: str) -> str:
    """What the customer types as "account" in the SIM menu: short, unambiguous, upper case."""
    return order_id.replace("-", "")[:8].upper()


class _OnceByKey:
    """Runs a call once per key; concurrent or later calls with the key get the same result.

    Keeps the last KEEP keys: a key lives as long as its dialog, a few minutes at most.
    """

    KEEP = 512

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: OrderedDict[str, threading.Lock] = OrderedDict()
        self._results: dict[str, Any] = {}

    def run(self, key: str, fn: Callable[[], T]) -> T:
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
            self._locks.move_to_end(key)
            while len(self._locks) > self.KEEP:
                old, _ = self._locks.popitem(last=False)
                self._results.pop(old, None)
        with key_lock:
            if key in self._results:
                earlier: T = self._results[key]
                return earlier
            result = fn()
            self._results[key] = result
            return result


class UnsyncedEvents(DukaError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} money event(s) have not reached the relay yet. Wait for the sync, or "
            "ask a supervisor to override."
        )
        self.count = count


class Counter:
    def __init__(self, services: Services, gateway: OnlineGateway | None = None) -> None:
        self._ledger = services.ledger
        self._bus = services.bus
        self.payments = services.payments
        self.orders = services.orders
        self.shifts = services.shifts
        self.catalogue = services.catalogue
        self.gateway = gateway
        self.user_id: str | None = None  # the signed-in cashier, set at each sign-in
        # providers the relay runs in test mode: their payments carry the TEST MODE mark
        self.test_mode_providers: frozenset[str] = frozenset()
        self._once = _OnceByKey()

    # --- catalogue ------------------------------------------------------------------------
    def search_products(self, text: str, limit: int = SEARCH_LIMIT) -> list[ProductView]:
        text = text.strip()
        return self.catalogue.search(text, limit) if text else []

    def product_by_code(self, code: str) -> ProductView | None:
        """The active product whose barcode or SKU is exactly `code`."""
        code = code.strip()
        found = self.catalogue.find_by_barcode(code)
        if found is not None and found.active:
            return found
        return next(
            (p for p in self.catalogue.search(code, 5) if (p.sku or "").upper() == code.upper()),
            None,
        )

    def scan(self, code: str) -> ScannedItem | None:
        """A scanner's code: a scale label of the shop's layouts (the product with the weight
        it carries) or an active product's own barcode; None when nothing matches."""
        found = self.catalogue.lookup_code(code)
        return found if found is not None and found.product.active else None

    def find_for_enter(self, text: str) -> ScannedItem | None:
        """Enter in the search field: a scale label (the product with its weight), an exact
        barcode / SKU, else the only name match."""
        scanned = self.scan(text)
        if scanned is not None:
            return scanned
        exact = self.product_by_code(text)
        if exact is not None or text.strip().isdigit():
            # digits are a scan: never guess a product for an unknown barcode
            return None if exact is None else ScannedItem(exact)
        found = self.search_products(text, limit=2)
        return ScannedItem(found[0]) if len(found) == 1 else None

    def quick_keys(self) -> list[ProductView]:
        return self.catalogue.quick_keys()

    # --- orders ---------------------------------------------------------------------------
    def create_order(
        self,
        lines: Sequence[OrderLine],
        cart_discount: Discount | None = None,
        approved_by: Grant | None = None,
    ) -> str:
        """Store the cart as an order of the open shift; no shift open, no sale (its money
        would belong to no drawer count). Lines may carry their own discounts; above the
        shop's percent, a supervisor's grant (`approved_by`)."""
        with self._ledger.read() as conn:
            shift_id = current_shift_id(conn)
        if shift_id is None:
            raise NoShiftOpen()
        return self.orders.create_order(
            list(lines), cashier_id=self.user_id, shift_id=shift_id,
            cart_discount=cart_discount, approved_by=approved_by,
        ).id

    def record_cart_change(
        self,
        kind: str,
        removed: Sequence[OrderLine],
        order_id: str | None = None,
        approved_by: Grant | None = None,
    ) -> None:
        """Put a change to the cart's money on the record: the cart cleared with unpaid lines,
        a line removed, a quantity lowered (`removed` holds what left the cart). Audit only:
        the ids, the amount and who approved, never product names."""
        if kind not in CART_CHANGES:
            raise InvalidInput(f"Unknown cart change {kind!r}.")
        if not removed:
            return
        amount = sum((line.total for line in removed[1:]), removed[0].total)
        actor_id = self.user_id
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            if approved_by is not None:
                actor_id = authorise(change.conn, approved_by, Action.OVERRIDE).id
            change.record(
                f"cart.{kind}",
                entity="order",
                entity_id=order_id,
                details={
                    "lines": len(removed),
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "cashier": self.user_id,
                    "approved_by": actor_id if approved_by is not None else None,
                },
            )

    def record_price_override(
        self, old: Money, new: Money, quantity: int | Quantity, approved_by: Grant
    ) -> None:
        """A supervisor changed a line's price at the counter: on the record, with who (and
        the line's quantity: pieces, or thousandths of a kilo / litre with its unit)."""
        amount = quantity if isinstance(quantity, Quantity) else Quantity.each(quantity)
        with ledger_change(self._ledger, self._bus, actor(approved_by)) as change:
            authorise(change.conn, approved_by, Action.OVERRIDE)
            change.record(
                "cart.price_overridden",
                entity="order",
                entity_id=None,
                details={
                    "old_minor": old.minor,
                    "new_minor": new.minor,
                    "quantity_thousandths": amount.thousandths,
                    "unit": amount.unit.value,
                    "currency": new.currency,
                    "cashier": self.user_id,
                },
            )

    def order_lines(self, order_id: str) -> list[OrderLine]:
        return list(self.orders.get_order(order_id).lines)

    def abandon_order(self, order_id: str, override: Grant | None) -> None:
        """The cart changed after the order was stored: cancel it (it owes, nothing was paid).
        Once a tender started this needs a supervisor's OVERRIDE grant (the screen asks)."""
        self.orders.cancel_order(order_id, actor_id=self.user_id, override=override)

    def order_balance(self, order_id: str) -> Balance:
        order = self.orders.get_order(order_id)
        views = self.payments.payments_for_order(order_id)
        with self._ledger.read() as conn:
            policy = load_settings(conn).offline_proof_policy
        waiting_online = any(
            v.status in WAITING_ONLINE and v.method != PaymentMethod.CASH_ON_DELIVERY
            for v in views
        )
        waiting_verification = policy == "supervisor_approves" and any(
            v.status == S.AWAITING_VERIFICATION for v in views
        )
        return Balance(order.total, order.paid, order.outstanding, waiting_online,
                       waiting_verification, str(order.receipt_number or ""))

    # --- cash -----------------------------------------------------------------------------
    def pay_cash(self, order_id: str, amount: Money, tendered: Money, key: str) -> PaymentView:
        return self._once.run(key, lambda: self._pay_cash(order_id, amount, tendered))

    def _pay_cash(self, order_id: str, amount: Money, tendered: Money) -> PaymentView:
        if tendered < amount:
            raise InvalidInput(f"{tendered.format()} handed over is less than {amount.format()}.")
        owed = self.orders.get_order(order_id).outstanding
        if amount == owed:
            sale = self.payments.record_cash_sale(order_id, tendered, cashier_id=self.user_id)
            return self.payments.get_payment(sale.payment_id)
        view = self.payments.create_payment(
            order_id, amount, None, PaymentProvider.CASH, PaymentMethod.CASH,
            created_by=self.user_id,
        )
        return self.payments.process_payment(
            view.id, {"tendered_minor": tendered.minor}, actor_id=self.user_id
        )

    # --- cash on delivery -----------------------------------------------------------------
    def start_cod(
        self, order_id: str, amount: Money, name: str, phone: str, address: str, key: str
    ) -> PaymentView:
        details = CustomerDetails(name=name, phone=phone, address=address)
        return self._once.run(
            key, lambda: self.payments.create_cod(order_id, details, created_by=self.user_id)
        )

    def open_cod_orders(self) -> list[CodOrder]:
        with self._ledger.read() as conn:
            rows = list(
                conn.execute(
                    select(payments)
                    .where(payments.c.method == PaymentMethod.CASH_ON_DELIVERY.value)
                    .where(payments.c.status == S.AWAITING_COD.value)
                    .order_by(payments.c.created_at)
                )
            )
            numbers = receipt_numbers.of_orders(conn, (row.order_id for row in rows))
        result = []
        for row in rows:
            customer = (
                self.payments.customer(row.customer_id) if row.customer_id is not None else None
            )
            result.append(
                CodOrder(
                    payment_id=row.id,
                    order_id=row.order_id,
                    amount=Money(row.amount_minor, row.currency),
                    name=(customer.name if customer else None) or "",
                    phone=(customer.phone if customer else None) or "",
                    address=(customer.address if customer else None) or "",
                    created_at=row.created_at,
                    receipt_number=numbers.get(row.order_id, ""),
                )
            )
        return result

    def settle_cod(
        self, payment_id: str, collected: Money, collected_by: str | None = None
    ) -> PaymentView:
        """The signed-in user received `collected`, brought by `collected_by` (e.g. the rider;
        optional); a different sum is flagged."""
        return self.payments.settle_cod(
            payment_id, collected, actor_id=self.user_id, collected_by=collected_by
        )

    def cancel_cod(self, payment_id: str, reason: str) -> PaymentView:
        if not reason.strip():
            raise InvalidInput("A cancelled order needs a reason.")
        view = self.payments.cancel_payment(payment_id, actor_id=self.user_id, reason=reason)
        if not self.orders.get_order(view.order_id).paid.is_positive:
            self.orders.cancel_order(view.order_id, actor_id=self.user_id)
        return view

    # --- M-Pesa ---------------------------------------------------------------------------
    def start_stk(self, order_id: str, amount: Money, phone: str, key: str) -> PaymentView:
        return self._once.run(key, lambda: self._start_stk(order_id, amount, phone))

    def _start_stk(self, order_id: str, amount: Money, phone: str) -> PaymentView:
        gateway = self._online()
        view = self.payments.create_payment(
            order_id, amount, None, PaymentProvider.MPESA, PaymentMethod.MPESA_STK,
            CustomerDetails(phone=phone), created_by=self.user_id,
            test_mode=self._test_mode(PaymentProvider.MPESA),
        )
        view = self.payments.process_payment(
            view.id, {"phone_number": phone}, actor_id=self.user_id
        )
        from sync.providers.phones import normalise_msisdn

        with self._initiating(view.id, "relay unreachable while starting the prompt"):
            started = gateway.start_stk_push(
                view.id, normalise_msisdn(phone), amount, account_reference(order_id)
            )
        return self.payments.outcomes.mark_awaiting_customer(
            view.id, started.checkout_request_id, actor_id=self.user_id
        )

    def paybill_details(self, order_id: str) -> PaybillDetails:
        """What the customer pays to from the SIM menu. Showing a paybill's account reference
        tells the relay (an outbox event each time it is shown; the first till to show it owns
        it) that a C2B payment for it is this till's: every other till of the shop then sees
        that payment as taken."""
        reference = account_reference(order_id)
        with ledger_change(self._ledger, self._bus, self.user_id) as change:
            paybill = state.get(change.conn, PAYBILL_KEY)
            till = state.get(change.conn, TILL_KEY)
            if paybill is None:  # a Buy Goods till number needs no account reference
                change.nothing_changed()
            else:
                change.record(
                    PAYBILL_REFERENCE_SHOWN,
                    entity="order",
                    entity_id=order_id,
                    details={},
                    payload={"reference": reference, "order_id": order_id},
                )
        return PaybillDetails(paybill, till, reference)

    def paybill_payments(self, order_id: str) -> list[PaybillPayment]:
        """What M-Pesa reported for this sale's account reference, for the paybill screen
        while the customer pays; empty when the relay cannot be asked (offline)."""
        try:
            return self._online().paybill_payments(account_reference(order_id))
        except (GatewayUnavailable, GatewayRejected):
            return []

    def submit_mpesa_code(
        self, order_id: str, amount: Money, text: str, key: str
    ) -> PaymentView:
        """The customer paid from the SIM menu: the receipt code or the pasted SMS, for a
        supervisor to verify (the relay's C2B record confirms it when it arrives)."""
        return self._once.run(key, lambda: self._submit_mpesa_code(order_id, amount, text))

    def _submit_mpesa_code(self, order_id: str, amount: Money, text: str) -> PaymentView:
        from sync.providers.mpesa_sms import SmsNotRecognised, parse_mpesa_sms

        text = text.strip()
        if not text:
            raise InvalidInput("Type the M-Pesa receipt code or paste the confirmation SMS.")
        proof_type, reference, notes = ProofType.MPESA_RECEIPT, text, None
        if len(text) > 12:
            try:
                sms = parse_mpesa_sms(text)
            except SmsNotRecognised as error:
                raise InvalidInput(str(error)) from None
            if sms.amount_minor != amount.minor:
                raise PaymentError(
                    f"The SMS is for {Money(sms.amount_minor, amount.currency).format()}, "
                    f"not {amount.format()}."
                )
            proof_type, reference, notes = ProofType.SMS_TEXT, sms.receipt, text
        elif not reference.isalnum() or len(reference) not in (9, 10):
            raise InvalidInput("An M-Pesa receipt code is 10 letters and digits, e.g. QAI1S35S7Z.")
        view = self.payments.create_payment(
            order_id, amount, None, PaymentProvider.MPESA, PaymentMethod.MPESA_PAYBILL,
            created_by=self.user_id, test_mode=self._test_mode(PaymentProvider.MPESA),
        )
        self.payments.submit_manual_payment_proof(
            order_id, proof_type, reference.upper(), None, notes,
            submitted_by=self.user_id, payment_id=view.id,
        )
        return self.payments.get_payment(view.id)

    # --- hosted payment links (Paystack, Flutterwave, Stripe) ------------------------------
    def start_link(
        self,
        order_id: str,
        provider: PaymentProvider,
        amount: Money,
        email: str | None,
        key: str,
    ) -> tuple[PaymentView, str]:
        """A checkout page from `provider` for `amount`: the payment and the page's address."""
        return self._once.run(key, lambda: self._start_link(order_id, provider, amount, email))

    def _start_link(
        self, order_id: str, provider: PaymentProvider, amount: Money, email: str | None
    ) -> tuple[PaymentView, str]:
        method = LINK_METHOD_OF.get(provider)
        if method is None:
            raise InvalidInput(f"{provider.value} has no payment link.")
        gateway = self._online()
        view = self.payments.create_payment(
            order_id, amount, None, provider, method,
            created_by=self.user_id, test_mode=self._test_mode(provider),
        )  # fmt: skip
        data = {"email": email} if email else {}
        view = self.payments.process_payment(view.id, data, actor_id=self.user_id)
        with self._initiating(view.id, "relay unreachable while making the link"):
            link = gateway.start_payment_link(view.id, provider.value, amount, view.id, email)
        view = self.payments.outcomes.mark_awaiting_customer(view.id, link.reference,
                                                    actor_id=self.user_id)
        return view, link.url

    # --- shift ----------------------------------------------------------------------------
    def unsynced_count(self) -> int:
        with self._ledger.read() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(outbox).where(
                        outbox.c.pushed_at.is_(None), outbox.c.parked.is_(False)
                    )
                ).scalar_one()
            )

    def shift_preview(self, shift_id: str) -> dict[str, Any]:
        """The Z report as it stands now (expected per method, nothing counted yet)."""
        with self._ledger.read() as conn:
            row = conn.execute(select(shifts).where(shifts.c.id == shift_id)).one()
            code = row.currency
            moved = {
                d: Money(int(conn.execute(
                    select(func.coalesce(func.sum(cash_movements.c.amount_minor), 0)).where(
                        cash_movements.c.shift_id == shift_id, cash_movements.c.direction == d)
                ).scalar_one()), code)
                for d in ("in", "out")
            }
            report = z_report(
                opening_float=Money(row.float_minor, code),
                cash_in=moved["in"],
                cash_out=moved["out"],
                takings=shift_takings(conn, shift_id, code),
                counted={},
            )
            return {**report, "test_payments": shift_test_payments(conn, shift_id, code)}

    def require_synced(self, action: str, override_by: Grant | None) -> None:
        """Refuse `action` while money events wait for the relay, unless a supervisor's
        OVERRIDE grant overrides; the override is audited."""
        pending = self.unsynced_count()
        if not pending:
            return
        if override_by is None:
            raise UnsyncedEvents(pending)
        with ledger_change(self._ledger, self._bus, actor(override_by)) as change:
            authorise(change.conn, override_by, Action.OVERRIDE)
            change.record(
                "sync.override",
                entity="till",
                entity_id=None,
                details={"action": action, "unsynced": pending, "cashier": self.user_id},
            )

    def close_shift(
        self,
        shift_id: str,
        counted: dict[str, Money],
        override_by: Grant | None,
        shortage_reason: str = "",
        shortage_tolerance_minor: int = 0,
    ) -> dict[str, Any]:
        self.require_synced("close_shift", override_by)
        assert self.user_id is not None
        report = self.shifts.close_shift(
            shift_id,
            counted,
            user_id=self.user_id,
            shortage_reason=shortage_reason,
            shortage_tolerance_minor=shortage_tolerance_minor,
        )
        # the full integrity check: a damaged file stops the next shift's sales, not this Z;
        # a sound one is backed up (a damaged one would only overwrite good backups' use)
        if guard.check_now(self._ledger).selling:
            back_up_quietly(self._ledger, "shift close")
        return report

    def ledger_status(self) -> guard.GuardStatus:
        """Whether the till may sell, and if not why, in a supervisor's words."""
        return guard.status(self._ledger)

    def start_check_done(self) -> bool:
        """False while the start-up check of a large ledger still has to run."""
        return self._ledger.start_check_finished

    def finish_start_check(self) -> guard.GuardStatus:
        """The start-up check of a large ledger, whole (a worker calls it after start-up)."""
        return guard.finish_start_check(self._ledger)

    def check_ledger(self) -> guard.GuardStatus:
        """The full integrity check, on demand (slow on a large file: a worker calls it)."""
        return guard.check_now(self._ledger)

    # --- receipts and the sales list -------------------------------------------------------
    def receipt(self, order_id: str, reprint: bool = False) -> ReceiptData:
        return build_receipt(self._ledger, self.orders, self.payments, order_id, reprint=reprint)

    def send_receipt_sms(self, order_id: str, phone: str, words: SmsWords) -> SmsReceipt:
        """Text the sale's receipt to the customer through the relay (sent when online)."""
        return sms_receipts.request(
            self._ledger, self._bus, self.user_id, self.receipt(order_id), phone, words
        )

    def sale_phone(self, order_id: str) -> str | None:
        """The customer's phone the sale already knows, offered for an SMS receipt."""
        return sms_receipts.known_phone(self._ledger, order_id)

    def receipt_sms(self, order_id: str) -> SmsReceipt | None:
        """The sale's latest text receipt and what became of it."""
        return sms_receipts.latest_for(self._ledger, order_id)

    def recent_sales(self, limit: int = 50) -> list[Any]:
        return self.orders.recent_orders(limit)

    # --- shared by the online tenders -----------------------------------------------------
    def _test_mode(self, provider: PaymentProvider) -> bool:
        return provider.value in self.test_mode_providers

    def _online(self) -> OnlineGateway:
        if self.gateway is None or not self.gateway.is_online():
            raise GatewayUnavailable(
                "The till is offline: use cash, the paybill with a receipt code, or a proof."
            )
        return self.gateway

    @contextmanager
    def _initiating(self, payment_id: str, unreachable: str) -> Iterator[None]:
        """Around the relay call that starts a payment: a refusal fails the payment; an
        unreachable relay may or may not have reached the provider, so the payment stays
        open (unknown) to be re-checked."""
        outcomes = self.payments.outcomes
        try:
            yield
        except GatewayRejected as error:
            outcomes.mark_initiation_failed(payment_id, error.message, actor_id=self.user_id)
            raise
        except GatewayUnavailable:
            outcomes.mark_unknown(payment_id, unreachable, actor_id=self.user_id)
            raise

    def payment(self, payment_id: str) -> PaymentView:
        return self.payments.get_payment(payment_id)

    def check_status(self, payment_id: str) -> None:
        self._online().request_status_check(payment_id)

    def cancel_payment(self, payment_id: str, reason: str) -> PaymentView:
        return self.payments.cancel_payment(payment_id, actor_id=self.user_id, reason=reason)

    def resumable_payments(self) -> list[UnfinishedPayment]:
        """Online payments left waiting when the till stopped (crash, closed window)."""
        with self._ledger.read() as conn:
            rows = list(
                conn.execute(
                    select(payments.c.id, payments.c.order_id)
                    .where(payments.c.status.in_(
                        [S.INITIATING.value, S.AWAITING_CUSTOMER.value]))
                    .where(payments.c.method.in_([m.value for m in STARTED_ONLINE]))
                    .order_by(payments.c.created_at.desc())
                    .limit(20)
                )
            )
            numbers = receipt_numbers.of_orders(conn, (row.order_id for row in rows))
        return [
            UnfinishedPayment(self.payments.get_payment(row.id), numbers.get(row.order_id, ""))
            for row in rows
        ]

    # --- manual proof ---------------------------------------------------------------------
    def submit_proof(
        self,
        order_id: str,
        amount: Money,
        method: PaymentMethod,
        reference: str,
        image: bytes | None,
        notes: str | None,
        key: str,
    ) -> PaymentView:
        return self._once.run(
            key, lambda: self._submit_proof(order_id, amount, method, reference, image, notes)
        )

    def _submit_proof(
        self,
        order_id: str,
        amount: Money,
        method: PaymentMethod,
        reference: str,
        image: bytes | None,
        notes: str | None,
    ) -> PaymentView:
        if method not in (PaymentMethod.BANK_TRANSFER, PaymentMethod.MANUAL_MOBILE_MONEY):
            raise InvalidInput("A proof is for a bank transfer or mobile money.")
        view = self.payments.create_payment(
            order_id, amount, None, PaymentProvider.MANUAL, method, created_by=self.user_id
        )
        proof_type = (
            ProofType.BANK_TRANSFER if method is PaymentMethod.BANK_TRANSFER
            else ProofType.MOBILE_MONEY
        )
        self.payments.submit_manual_payment_proof(
            order_id, proof_type, reference, image, notes or None,
            submitted_by=self.user_id, payment_id=view.id,
        )
        return self.payments.get_payment(view.id)

    def proof_policy(self) -> str:
        with self._ledger.read() as conn:
            return load_settings(conn).offline_proof_policy
