"""Per-provider test mode: the providers' test cards and phones, and which keys fit a mode.

Test mode is chosen per provider for each shop. Daraja has a separate sandbox host (see
daraja.DarajaConfig); Paystack, Flutterwave and Stripe use one host and tell test from live by
the secret key's prefix, so a mismatch between the switch and the key is an owner error worth
stating plainly. The till's banner translates its hints around the numbers named here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TestInstructions:
    provider: str
    title: str
    lines: tuple[str, ...]


# The providers' published test cards and phones (the till's banner translates around them).
PAYSTACK_TEST_CARD = "4084 0840 8408 4081"
PAYSTACK_TEST_CVV = "408"
PAYSTACK_DECLINED_CARD = "4084 0800 0000 5408"
PAYSTACK_TEST_MPESA = "+254 710 000 000"
FLUTTERWAVE_TEST_CARD = "5531 8866 5214 2950"
FLUTTERWAVE_TEST_EXPIRY = "09/32"
FLUTTERWAVE_TEST_CVV = "564"
# Flutterwave's current Testing page gives PIN 3310; the product guide (older) says 1234.
FLUTTERWAVE_TEST_PIN = "3310"
FLUTTERWAVE_OLD_TEST_PIN = "1234"
FLUTTERWAVE_TEST_OTP = "12345"
# Failing test cards: insufficient funds, fraudulent, declined (AVS), incorrect PIN.
FLUTTERWAVE_DECLINED_CARDS = (
    "5258 5859 2266 6506",
    "5590 1317 4329 4314",
    "5143 0105 2233 9965",
    "5399 8346 9789 4723",
)
# Safaricom's Daraja sandbox: its public shortcode, and its test phone, which the real
# sandbox never prompts (its push ends in result 1037, "unreachable")
MPESA_SANDBOX_SHORTCODE = "174379"
MPESA_SANDBOX_TEST_MSISDN = "254708374149"
STRIPE_TEST_CARD = "4242 4242 4242 4242"
# generic decline, insufficient funds, expired, incorrect CVC, processing error
STRIPE_DECLINED_CARDS = (
    "4000 0000 0000 0002",
    "4000 0000 0000 9995",
    "4000 0000 0000 0069",
    "4000 0000 0000 0127",
    "4000 0000 0000 0119",
)

TEST_INSTRUCTIONS: dict[str, TestInstructions] = {
    "mpesa": TestInstructions(
        "mpesa",
        "M-Pesa sandbox",
        (
            f"Shortcode {MPESA_SANDBOX_SHORTCODE}.",
            f"Safaricom's test number {MPESA_SANDBOX_TEST_MSISDN} is never prompted (result 1037);",
            "in the local sandbox any other Kenyan number pays.",
        ),
    ),
    "paystack": TestInstructions(
        "paystack",
        "Paystack test keys",
        (
            f"Card {PAYSTACK_TEST_CARD}, any future expiry, CVV {PAYSTACK_TEST_CVV} "
            f"({PAYSTACK_DECLINED_CARD} is "
            "declined).",
            f"Test M-Pesa via Paystack: {PAYSTACK_TEST_MPESA}.",
        ),
    ),
    "flutterwave": TestInstructions(
        "flutterwave",
        "Flutterwave test keys",
        (
            f"Card {FLUTTERWAVE_TEST_CARD}, expiry {FLUTTERWAVE_TEST_EXPIRY}, CVV "
            f"{FLUTTERWAVE_TEST_CVV}, PIN {FLUTTERWAVE_TEST_PIN} (older guides say "
            f"{FLUTTERWAVE_OLD_TEST_PIN}), OTP {FLUTTERWAVE_TEST_OTP}.",
            f"{FLUTTERWAVE_DECLINED_CARDS[0]} is declined (insufficient funds).",
        ),
    ),
    "stripe": TestInstructions(
        "stripe",
        "Stripe test keys",
        (
            f"Card {STRIPE_TEST_CARD}, any future date, any CVC ({STRIPE_DECLINED_CARDS[0]} is "
            "declined).",
        ),
    ),
}

# provider -> (test prefixes, live prefixes); Stripe's restricted keys (rk_) carry the mode too.
_KEY_PREFIXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "paystack": (("sk_test_",), ("sk_live_",)),
    "stripe": (("sk_test_", "rk_test_"), ("sk_live_", "rk_live_")),
    "flutterwave": (("FLWSECK_TEST-",), ("FLWSECK-",)),
}


def key_matches_mode(provider: str, secret_key: str, test_mode: bool) -> bool:
    """False when a live key is configured for test mode or the other way round. Providers
    whose keys do not carry the mode (Daraja) always match."""
    prefixes = _KEY_PREFIXES.get(provider)
    if prefixes is None:
        return True
    test_prefixes, live_prefixes = prefixes
    return secret_key.startswith(test_prefixes if test_mode else live_prefixes)


def key_prefixes(provider: str, test_mode: bool) -> tuple[str, ...]:
    """How a secret key of that mode starts (empty when the keys do not carry the mode)."""
    test_prefixes, live_prefixes = _KEY_PREFIXES.get(provider, ((), ()))
    return test_prefixes if test_mode else live_prefixes


def key_mode(provider: str, secret_key: str) -> bool | None:
    """True for a test key, False for a live key, None when the prefix says neither (or the
    provider's keys do not carry the mode)."""
    if provider not in _KEY_PREFIXES:
        return None
    if key_matches_mode(provider, secret_key, True):
        return True
    if key_matches_mode(provider, secret_key, False):
        return False
    return None
