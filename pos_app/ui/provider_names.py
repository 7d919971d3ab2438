"""The providers' own names as screens show them (brand names: never translated)."""

from __future__ import annotations

from typing import Final

PROVIDER_NAMES: Final = {
    "mpesa": "M-Pesa",
    "paystack": "Paystack",
    "flutterwave": "Flutterwave",
    "stripe": "Stripe",
}


def provider_name(provider: str) -> str:
    return PROVIDER_NAMES.get(provider, provider)
