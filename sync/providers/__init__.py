"""Payment provider clients. Importing this package registers every built-in provider."""

from sync.providers import daraja, flutterwave, paystack, stripe_checkout
from sync.providers.base import (
    PaymentOutcome,
    PaymentProviderInterface,
    ProviderError,
    ProviderPayloadError,
    create_provider,
    provider_names,
    register_provider,
)

__all__ = [
    "PaymentOutcome",
    "PaymentProviderInterface",
    "ProviderError",
    "ProviderPayloadError",
    "create_provider",
    "daraja",
    "flutterwave",
    "paystack",
    "provider_names",
    "register_provider",
    "stripe_checkout",
]
