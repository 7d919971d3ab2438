"""Per-provider test mode: which host and keys a provider uses, and what the till's banner says.

Test mode is chosen per provider for each shop. Daraja has a separate sandbox host; Paystack,
Flutterwave and Stripe use one host and tell test from live by the secret key's prefix, so a
mismatch between the switch and the key is an owner error worth stating plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.providers import daraja, paystack


@dataclass(frozen=True, slots=True)
class TestInstructions:
    provider: str
    title: str
    lines: tuple[str, ...]

    def banner(self) -> str:
        return f"TEST MODE - {self.title}: " + " ".join(self.lines)


@dataclass(frozen=True, slots=True)
class ProviderMode:
    provider: str
    test_mode: bool
    base_url: str
    instructions: TestInstructions | None  # None in live mode: no banner


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

_HOSTS: dict[str, tuple[str, str]] = {  # provider -> (test host, live host)
    "mpesa": (daraja.SANDBOX_URL, daraja.PRODUCTION_URL),
    "paystack": (paystack.DEFAULT_BASE_URL, paystack.DEFAULT_BASE_URL),
    "flutterwave": ("https://api.flutterwave.com", "https://api.flutterwave.com"),
    "stripe": ("https://api.stripe.com", "https://api.stripe.com"),
}

_KEY_PREFIXES: dict[str, tuple[str, str]] = {  # provider -> (test prefix, live prefix)
    "paystack": ("sk_test_", "sk_live_"),
    "stripe": ("sk_test_", "sk_live_"),
    "flutterwave": ("FLWSECK_TEST-", "FLWSECK-"),
}


def provider_mode(provider: str, test_mode: bool) -> ProviderMode:
    """The host and banner for `provider` in the chosen mode."""
    try:
        test_host, live_host = _HOSTS[provider]
    except KeyError:
        raise ValueError(f"unknown provider {provider!r}") from None
    return ProviderMode(
        provider=provider,
        test_mode=test_mode,
        base_url=test_host if test_mode else live_host,
        instructions=TEST_INSTRUCTIONS[provider] if test_mode else None,
    )


def banner_text(modes: dict[str, bool]) -> str | None:
    """One line for the till's banner covering every provider in test mode, or None."""
    parts = [TEST_INSTRUCTIONS[name].banner() for name, on in sorted(modes.items()) if on]
    return "  |  ".join(parts) or None


def key_matches_mode(provider: str, secret_key: str, test_mode: bool) -> bool:
    """False when a live key is configured for test mode or the other way round. Providers
    whose keys do not carry the mode (Daraja) always match."""
    prefixes = _KEY_PREFIXES.get(provider)
    if prefixes is None:
        return True
    test_prefix, live_prefix = prefixes
    return secret_key.startswith(test_prefix if test_mode else live_prefix)
