"""Every built-in provider, registered: import this module before create_provider()."""

from sync.providers import daraja, flutterwave, paystack, stripe_checkout
from sync.providers.base import create_provider, provider_names, register_provider

BUILT_IN = (daraja, flutterwave, paystack, stripe_checkout)

__all__ = ["BUILT_IN", "create_provider", "provider_names", "register_provider"]
