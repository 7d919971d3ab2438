"""Finding late outcomes: the relay asks the provider itself when no callback came in time, and
verifies every hosted-page outcome (Paystack, Flutterwave, Stripe) through the provider's API,
by the provider interface, before a till hears of it. M-Pesa keeps its own questions (STK
Query, Transaction Status): Daraja's answers carry no amount and come back by callback."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Row

from sync.protocol import EventStatus, PaymentChannel, PaymentState, Provider
from sync.providers.base import PaymentOutcome, ProviderError
from sync.relay.background import KickedJob
from sync.relay.crypto import new_url_token
from sync.relay.observability import PAYMENT_CHECKS
from sync.relay.outcomes import OUTCOME_STATUS
from sync.relay.store.store import EventDraft, ParkDraft, utcnow
from sync.relay.webhook_paths import transaction_status_paths

log = logging.getLogger(__name__)


class PaymentChecker(KickedJob):
    """Background job: asks the providers about payments whose outcome is late or that a
    webhook reported (verified before anything is reported as paid)."""

    round_name = "payment check round"

    async def run_once(self) -> int:
        due = await self.ctx.store.run(self.ctx.store.due_payments, utcnow())
        for row in due:
            await self.check(row)
        claims = await self.ctx.store.run(self.ctx.store.due_c2b_claims, utcnow())
        for claim in claims:
            await self.confirm_c2b(claim)
        return len(due) + len(claims)

    async def confirm_c2b(self, claim: Row[Any]) -> None:
        """Ask the Transaction Status API about a claimed C2B payment. The answer comes to a
        result URL with a new unguessable request id (webhooks.mpesa_transaction_status);
        without an answer the claim is asked about again, later and later."""
        ctx = self.ctx
        store = ctx.store
        delay = min(ctx.settings.stk_requery_after_s * 2 ** (claim.attempts + 1), 3600)
        later = utcnow() + timedelta(seconds=delay)
        client = await store.run(ctx.credentials.daraja, claim.shop_id, claim.test_mode)
        if client is None or not client.config.initiator:
            # Nothing can confirm it: it stays a claim, and a supervisor is told why.
            summary = {
                "trans_id": claim.trans_id,
                "amount_minor": claim.amount_minor,
                "bill_ref": claim.bill_ref,
                "detail": "no M-Pesa initiator credentials to confirm C2B payments with",
            }
            park = ParkDraft("c2b_unconfirmed", f"mpesa:c2b:{claim.trans_id}:unconfirmed", summary)
            await store.run(store.record_outcome, claim.shop_id, park, None)
            await store.run(store.update_c2b_claim, claim.id, next_check_at=later)
            return
        request_id = new_url_token()
        token = await store.run(store.webhook_token, claim.shop_id)
        result_path, timeout_path = transaction_status_paths(token, request_id)
        # Saved before asking: the answer may come back before the call returns.
        await store.run(
            store.update_c2b_claim,
            claim.id,
            request_id=request_id,
            attempts=claim.attempts + 1,
            next_check_at=later,
        )
        try:
            await client.transaction_status(
                claim.trans_id, ctx.public_url(result_path), ctx.public_url(timeout_path)
            )
        except ProviderError as exc:
            PAYMENT_CHECKS.labels("mpesa_c2b", "error").inc()
            log.info("transaction status of a C2B claim failed: %s", exc.code)
            return
        PAYMENT_CHECKS.labels("mpesa_c2b", "asked").inc()

    async def check(self, row: Row[Any]) -> None:
        provider = Provider(row.provider)
        try:
            if provider is Provider.MPESA:
                await self._check_stk(row)
            else:
                await self._check_hosted(row)
        except ProviderError as exc:
            PAYMENT_CHECKS.labels(provider.value, "error").inc()
            log.info("check of payment %s failed: %s", row.payment_id, exc.code)
            await self._later(row)

    async def _later(self, row: Row[Any]) -> None:
        ctx = self.ctx
        age = (utcnow() - row.created_at).total_seconds()
        delay = min(max(age / 4, ctx.settings.stk_requery_after_s), 600)
        if age > ctx.settings.payment_give_up_after_s:
            # Never a guess: the customer may well have paid. A supervisor is told the outcome
            # is unknown; the relay keeps asking, hourly, and streams it if the provider answers.
            summary = {
                "payment_id": row.payment_id,
                "provider": row.provider,
                "reference": row.reference,
                "amount_minor": row.amount_minor,
                "checkout_request_id": row.checkout_request_id,
            }
            unknown = ParkDraft("outcome_unknown", f"payment:{row.payment_id}:unknown", summary)
            result = await ctx.store.run(ctx.store.record_outcome, row.shop_id, unknown, None)
            if result.verdict == "parked":
                log.warning("payment %s: outcome unknown, parked for a supervisor", row.payment_id)
            delay = 3600
        await ctx.store.run(
            ctx.store.update_payment,
            row.payment_id,
            next_check_at=utcnow() + timedelta(seconds=delay),
        )

    def _draft(
        self,
        row: Row[Any],
        status: EventStatus,
        result_code: str | None,
        message: str,
        amount_minor: int | None = None,
    ) -> EventDraft:
        mpesa = row.provider == Provider.MPESA.value
        return EventDraft(
            dedup_key=f"payment:{row.payment_id}",
            provider=Provider(row.provider),
            channel=PaymentChannel.MPESA_STK if mpesa else PaymentChannel(row.provider),
            status=status,
            occurred_at=utcnow(),
            test_mode=row.test_mode,
            payment_id=row.payment_id,
            reference=row.reference,
            amount_minor=amount_minor,
            currency=row.currency,
            result_code=result_code,
            message=message[:200],
        )

    async def _record(self, row: Row[Any], decision: EventDraft | ParkDraft) -> None:
        ctx = self.ctx
        result = await ctx.store.run(ctx.store.record_outcome, row.shop_id, decision, None)
        if isinstance(decision, ParkDraft):
            await ctx.store.run(
                ctx.store.update_payment,
                row.payment_id,
                state=PaymentState.MISMATCH.value,
                next_check_at=None,
            )
        if result.seq is not None:
            ctx.wake(row.shop_id)

    async def _check_stk(self, row: Row[Any]) -> None:
        client = await self.ctx.store.run(self.ctx.credentials.daraja, row.shop_id, row.test_mode)
        if client is None or row.checkout_request_id is None:
            await self._later(row)
            return
        result = await client.stk_query(row.checkout_request_id)
        PAYMENT_CHECKS.labels("mpesa", result.outcome.value).inc()
        status = OUTCOME_STATUS.get(result.outcome)
        if status is None or result.checkout_request_id != row.checkout_request_id:
            await self._later(row)
            return
        # A query answer of 0 means the prompt was paid for the amount it asked.
        amount = row.amount_minor if status is EventStatus.PAID else None
        draft = self._draft(row, status, result.result_code, result.message, amount)
        if status is EventStatus.PAID and row.receipt:  # the receipt the callback brought
            draft = replace(draft, receipt=row.receipt)
        await self._record(row, draft)

    async def _check_hosted(self, row: Row[Any]) -> None:
        provider = Provider(row.provider)
        client = await self.ctx.store.run(
            self.ctx.credentials.client, row.shop_id, provider, row.test_mode
        )
        if client is None:
            await self._later(row)
            return
        status = await client.verify_payment(row.provider_reference or row.reference)
        PAYMENT_CHECKS.labels(provider.value, status.outcome.value).inc()
        if status.provider_reference not in (row.reference, row.provider_reference):
            # what a refund names later (Flutterwave refunds a transaction id)
            await self.ctx.store.run(
                self.ctx.store.update_payment,
                row.payment_id,
                provider_reference=status.provider_reference[:120],
            )
        if status.outcome is PaymentOutcome.PAID:
            if status.gives_value(row.amount_minor, row.currency, row.reference):
                draft = self._draft(
                    row, EventStatus.PAID, status.result_code, status.message, row.amount_minor
                )
                receipt = status.receipt and status.receipt[:64]
                await self._record(row, replace(draft, receipt=receipt))
            else:
                summary = {
                    "reference": row.reference,
                    "provider_reference": status.provider_reference,
                    "expected_minor": row.amount_minor,
                    "expected_currency": row.currency,
                    "status": status.result_code,
                    "amount_minor": status.amount_minor,
                    "currency": status.currency,
                }
                key = f"{provider.value}:verify:{row.reference}"
                await self._record(row, ParkDraft("amount_mismatch", key, summary))
            return
        final = OUTCOME_STATUS.get(status.outcome)
        if final is not None:
            await self._record(row, self._draft(row, final, status.result_code, status.message))
            return
        lifetime = client.unpaid_page_lifetime_s()
        age = (utcnow() - row.created_at).total_seconds()
        if lifetime is not None and age > lifetime + self.ctx.settings.paystack_verify_after_s:
            # The page closed unpaid and the provider never says so: the sale may move on. A
            # payment made at the last moment still arrives by webhook and is parked.
            message = "the checkout page closed without a payment"
            await self._record(row, self._draft(row, EventStatus.EXPIRED, status.result_code,
                                                message))  # fmt: skip
            return
        await self._later(row)
