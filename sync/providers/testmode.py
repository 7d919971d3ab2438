"""Per-provider test mode: the providers' test cards and phones, and which keys fit a mode.

Test mode is chosen per provider for each shop. Daraja has a separate sandbox host (see
daraja.DarajaConfig); Paystack, Flutterwave and Stripe use one host and tell test from live by
the secret key's prefix, so a mismatch between the switch and the key is an owner error worth
stating plainly. The till's banner translates its hints around the numbers named here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.providers import daraja


@dataclass(frozen=True, slots=True)
class TestInstructions:
    provider: str
    title: str
    lines: tuple[str, ...]


# The providers' published test cards and phones (the till's banner translates around them).
PAYSTACK_TEST_CARD = "4084 0840 8408 4081"
PAYSTACK_DECLINED_CARD = "4084 0800 0000 5408"
PAYSTACK_TEST_MPESA = "+254 710 000 000"
FLUTTERWAVE_TEST_CARD = "5531 8866 5214 2950"
STRIPE_TEST_CARD = "4242 4242 4242 4242"

TEST_INSTRUCTIONS: dict[str, TestInstructions] = {
    "mpesa": TestInstructions(
        "mpesa",
        "M-Pesa sandbox",
        (
            f"Shortcode {daraja.SANDBOX_SHORTCODE}.",
            f"Safaricom's test number {daraja.SANDBOX_TEST_MSISDN} never answers (ends in 1037);",
            "in the local sandbox any other Kenyan number pays.",
        ),
    ),
    "paystack": TestInstructions(
        "paystack",
        "Paystack test keys",
        (
            f"Card {PAYSTACK_TEST_CARD}, any future expiry, CVV 408 ({PAYSTACK_DECLINED_CARD} is "
            "declined).",
            f"Test M-Pesa via Paystack: {PAYSTACK_TEST_MPESA}.",
        ),
    ),
    "flutterwave": TestInstructions(
        "flutterwave",
        "Flutterwave test keys",
        (f"Card {FLUTTERWAVE_TEST_CARD}, PIN 1234, expiry 09/32, CVV 564.",),
    ),
    "stripe": TestInstructions(
        "stripe",
        "Stripe test keys",
        (f"Card {STRIPE_TEST_CARD}, any future date, any CVC.",),
    ),
}

_KEY_PREFIXES: dict[str, tuple[str, str]] = {  # provider -> (test prefix, live prefix)
    "paystack": ("sk_test_", "sk_live_"),
    "stripe": ("sk_test_", "sk_live_"),
    "flutterwave": ("FLWSECK_TEST-", "FLWSECK-"),
}


def key_matches_mode(provider: str, secret_key: str, test_mode: bool) -> bool:
    """False when a live key is configured for test mode or the other way round. Providers
    whose keys do not carry the mode (Daraja) always match."""
    prefixes = _KEY_PREFIXES.get(provider)
    if prefixes is None:
        return True
    test_prefix, live_prefix = prefixes
    return secret_key.startswith(test_prefix if test_mode else live_prefix)
