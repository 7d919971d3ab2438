"""Where providers post to the relay: the paths the webhook routes serve and the initiating
calls hand to the provider (and `duka-relay` prints for the Daraja/Paystack portals).

Daraja signs nothing, so its paths carry the shop's secret webhook token; Daraja also refuses
URLs containing "mpesa" (and "sql", "query", ...), hence `/mobile/`.
"""

from __future__ import annotations

from sync.protocol import LINK_PROVIDERS

WEBHOOK_PREFIX = "/api/v1/payments/webhook"
# Where a hosted checkout page sends the customer's browser afterwards (Stripe requires one).
RETURN_PATH = "/api/v1/payments/return"


# Providers that sign their webhooks: one URL per shop, checked with the shop's secret.
HOSTED_WEBHOOKS = tuple(sorted(provider.value for provider in LINK_PROVIDERS))


def hosted_webhook_path(provider: str, shop_id: str) -> str:
    return f"{WEBHOOK_PREFIX}/{provider}/{shop_id}"


def callback_paths(shop_id: str, webhook_token: str) -> dict[str, str]:
    return {
        "mpesa_stk": f"{WEBHOOK_PREFIX}/mobile/{webhook_token}/stk",
        "mpesa_c2b_validation": f"{WEBHOOK_PREFIX}/mobile/{webhook_token}/c2b/validate",
        "mpesa_c2b_confirmation": f"{WEBHOOK_PREFIX}/mobile/{webhook_token}/c2b/confirm",
        **{name: hosted_webhook_path(name, shop_id) for name in HOSTED_WEBHOOKS},
    }


def stk_callback_path(webhook_token: str, payment_id: str) -> str:
    """The CallBackURL path of one STK push: the payment id spares a lookup by CheckoutRequestID."""
    return f"{WEBHOOK_PREFIX}/mobile/{webhook_token}/stk/{payment_id}"


def transaction_status_paths(webhook_token: str, request_id: str) -> tuple[str, str]:
    """ResultURL and QueueTimeOutURL of one Transaction Status query. `request_id` is new and
    unguessable per query: Daraja signs nothing, so only the URL tells its answer from a
    forgery."""
    base = f"{WEBHOOK_PREFIX}/mobile/{webhook_token}/status/{request_id}"
    return base, f"{base}/timeout"
