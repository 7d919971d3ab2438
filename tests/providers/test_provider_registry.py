"""The registry: a provider is one class plus one registration line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

import pytest

from sync.providers.base import (
    PaymentInitiation,
    PaymentOutcome,
    PaymentProviderInterface,
    PaymentRequest,
    ProviderError,
    ProviderNotification,
    ProviderStatus,
)
from sync.providers.builtin import create_provider, provider_names, register_provider
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.flutterwave import FlutterwaveClient, FlutterwaveConfig
from sync.providers.paystack import PaystackClient, PaystackConfig
from sync.providers.stripe_checkout import StripeCheckoutClient, StripeConfig

pytestmark = pytest.mark.anyio


class CashOnDelivery(PaymentProviderInterface):
    name = "cod-test"

    def __init__(self, config: object) -> None:
        self.config = config

    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        return PaymentInitiation(self.name, request.reference, request.reference)

    async def verify_payment(self, reference: str) -> ProviderStatus:
        return ProviderStatus(self.name, reference, PaymentOutcome.PENDING, "collect on delivery")

    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        return []

    async def aclose(self) -> None:
        return None


def test_built_in_providers_are_registered() -> None:
    assert {"mpesa", "paystack", "flutterwave", "stripe"} <= set(provider_names())
    daraja = create_provider("mpesa", DarajaConfig("k", "s", "174379", "p", test_mode=True))
    assert isinstance(daraja, DarajaClient)
    paystack = create_provider("paystack", PaystackConfig("sk_test_x"))
    assert isinstance(paystack, PaystackClient)
    flutterwave = create_provider("flutterwave", FlutterwaveConfig("FLWSECK_TEST-x", "hash"))
    assert isinstance(flutterwave, FlutterwaveClient)
    stripe = create_provider("stripe", StripeConfig("sk_test_x", "whsec_x"))
    assert isinstance(stripe, StripeCheckoutClient)


def test_every_built_in_provider_names_its_test_instructions() -> None:
    providers = [
        create_provider("mpesa", DarajaConfig("k", "s", "174379", "p", test_mode=True)),
        create_provider("paystack", PaystackConfig("sk_test_x")),
        create_provider("flutterwave", FlutterwaveConfig("FLWSECK_TEST-x", "hash")),
        create_provider("stripe", StripeConfig("sk_test_x", "whsec_x")),
    ]
    cards = {"paystack": "4084 0840 8408 4081", "flutterwave": "5531 8866 5214 2950"}
    cards |= {"stripe": "4242 4242 4242 4242", "mpesa": "254708374149"}
    for provider in providers:
        instructions = provider.test_instructions()
        assert instructions is not None and instructions.provider == provider.name
        assert cards[provider.name] in " ".join(instructions.lines)


async def test_refund_is_declared_unsupported_where_a_provider_has_none() -> None:
    with pytest.raises(ProviderError) as caught:
        await CashOnDelivery(None).refund_payment("S-1", 100)
    assert caught.value.code == "refund_not_supported" and not caught.value.retryable
    assert CashOnDelivery(None).test_instructions() is None


async def test_a_new_provider_is_one_registration_line() -> None:
    register_provider(CashOnDelivery.name, CashOnDelivery)
    provider = create_provider("cod-test", config=None)
    started = await provider.initialize_payment(PaymentRequest("S-1", 100, "KES"))
    assert started.provider == "cod-test"
    assert (await provider.verify_payment("S-1")).outcome is PaymentOutcome.PENDING


def test_names_are_unique_and_known() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_provider("mpesa", PaystackClient)
    with pytest.raises(ValueError, match="unknown payment provider"):
        create_provider("bitcoin", None)


def test_provider_error_text_is_safe_and_informative() -> None:
    err = ProviderError("x_code", "Do this.", retryable=True, http_status=503)
    assert str(err) == "[x_code] Do this." and err.retryable and err.http_status == 503


def test_the_package_loads_no_provider_stack() -> None:
    """The till imports sync.providers.phones & co.; that must not drag in the providers'
    clients (the stripe library alone costs a quarter of a second at start-up)."""
    code = (
        "import sys, sync.providers.phones, sync.providers.mpesa_codes, sync.providers.testmode;"
        "clients = ('stripe', 'sync.providers.daraja', 'sync.providers.paystack');"
        "print(sorted(m for m in clients if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
