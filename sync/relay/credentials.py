"""Which provider credentials a shop uses, and one shared client per credential set.

Stored credentials (encrypted, per shop, per mode) win; the environment variables the product
guide names (PAYSTACK_SECRET_KEY, FLUTTERWAVE_*, STRIPE_*, MPESA_*) are the default shop's
credentials when nothing is stored for it. Clients come from the provider registry
(sync.providers.builtin): the relay asks `client()` and uses the provider interface.
Decrypted values are cached for `ttl_s` so the webhook path does not decrypt on every request;
a change made by the CLI in another process is seen within that time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Row

from sync.protocol import Provider
from sync.providers.base import PaymentProviderInterface
from sync.providers.builtin import create_provider
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.flutterwave import FlutterwaveConfig
from sync.providers.paystack import PaystackConfig
from sync.providers.stripe_checkout import StripeConfig
from sync.providers.testmode import key_matches_mode, key_mode
from sync.relay.config import RelaySettings
from sync.relay.store.store import Store

log = logging.getLogger(__name__)

MPESA_FIELDS = (
    "consumer_key",
    "consumer_secret",
    "shortcode",
    "passkey",
    "till_number",
    "initiator",
    "security_credential",
)
# Without an initiator C2B payments cannot be confirmed: they stay claims (docs/hosting.md).
OPTIONAL_MPESA_FIELDS = frozenset({"till_number", "initiator", "security_credential"})
# Hosted-page providers: what the owner stores, the config it builds, the setting naming the
# provider's real host, and the environment variable of each field.
HOSTED: dict[Provider, tuple[Callable[..., Any], str, dict[str, str]]] = {
    Provider.PAYSTACK: (
        PaystackConfig, "paystack_base_url", {"secret_key": "PAYSTACK_SECRET_KEY"},
    ),
    Provider.FLUTTERWAVE: (
        FlutterwaveConfig,
        "flutterwave_base_url",
        {"secret_key": "FLUTTERWAVE_SECRET_KEY", "secret_hash": "FLUTTERWAVE_SECRET_HASH"},
    ),
    Provider.STRIPE: (
        StripeConfig,
        "stripe_base_url",
        {"secret_key": "STRIPE_SECRET_KEY", "webhook_secret": "STRIPE_WEBHOOK_SECRET"},
    ),
}  # fmt: skip
# The config field that says how long a page stays payable, and its seconds per unit
# (Paystack's links have none: they stay open until paid).
PAGE_LIFETIME: dict[Provider, tuple[str, int]] = {
    Provider.FLUTTERWAVE: ("session_minutes", 60),
    Provider.STRIPE: ("session_lifetime_s", 1),
}
MPESA_ENV_NAMES = {
    "consumer_key": "MPESA_CONSUMER_KEY",
    "consumer_secret": "MPESA_CONSUMER_SECRET",
    "shortcode": "MPESA_SHORTCODE",
    "passkey": "MPESA_PASSKEY",
    "till_number": "MPESA_TILL_NUMBER",
    # The Transaction Status API (confirming C2B payments) acts as this API operator.
    "initiator": "MPESA_INITIATOR_NAME",
    "security_credential": "MPESA_SECURITY_CREDENTIAL",
}


def env_names(provider: Provider) -> dict[str, str]:
    """Field -> the environment variable the product guide names for it."""
    return MPESA_ENV_NAMES if provider is Provider.MPESA else HOSTED[provider][2]


def test_mode_of(shop: Row[Any], provider: Provider) -> bool:
    """The shop's switch for `provider` (a column per provider on shops)."""
    return bool(getattr(shop, f"{provider.value}_test_mode"))


def credential_fields(provider: str) -> tuple[str, ...]:
    return (
        MPESA_FIELDS if provider == Provider.MPESA.value else tuple(env_names(Provider(provider)))
    )


def missing_fields(provider: str, secrets: dict[str, str]) -> list[str]:
    return [
        name
        for name in credential_fields(provider)
        if not secrets.get(name) and name not in OPTIONAL_MPESA_FIELDS
    ]


def mode_name(test_mode: bool) -> str:
    return "test" if test_mode else "live"


@dataclass(frozen=True)
class ShopCredentials:
    secrets: dict[str, str]
    base_url: str | None
    source: str  # "stored" | "environment"


class Credentials:
    def __init__(self, store: Store, settings: RelaySettings, ttl_s: float = 30.0) -> None:
        self.store = store
        self.settings = settings
        self.ttl_s = ttl_s
        self._cache: dict[tuple[str, str, str], tuple[float, ShopCredentials | None]] = {}
        self._generation = store.credentials_generation
        self._daraja: dict[tuple[str, ...], DarajaClient] = {}
        self._hosted: dict[tuple[str, ...], PaymentProviderInterface] = {}
        self._http = httpx.AsyncClient(timeout=15.0)

    async def aclose(self) -> None:
        await self._http.aclose()

    def get(self, shop_id: str, provider: Provider, test_mode: bool) -> ShopCredentials | None:
        key = (shop_id, provider.value, mode_name(test_mode))
        cached = self._cache.get(key)
        now = time.monotonic()
        if self._generation != self.store.credentials_generation:
            # Stored through this process (API, tests): drop the cache at once.
            self._cache.clear()
            self._generation = self.store.credentials_generation
        elif cached is not None and cached[0] > now:
            return cached[1]
        found = self._load(shop_id, provider, test_mode)
        self._cache[key] = (now + self.ttl_s, found)
        return found

    def _load(self, shop_id: str, provider: Provider, test_mode: bool) -> ShopCredentials | None:
        stored = self.store.credentials(shop_id, provider.value, mode_name(test_mode))
        if stored is not None:
            return ShopCredentials(stored[0], stored[1], "stored")
        if not self._is_default_shop(shop_id):
            return None
        env = self.environment(provider)
        if env is None or env[0] != test_mode:
            return None
        return ShopCredentials(env[1], None, "environment")

    def _is_default_shop(self, shop_id: str) -> bool:
        if self.settings.default_shop_id:
            return shop_id == self.settings.default_shop_id
        shops = self.store.shops()
        return len(shops) == 1 and shops[0].id == shop_id

    def environment(self, provider: Provider) -> tuple[bool, dict[str, str]] | None:
        """(test_mode, secrets) from the provider's environment variables when they are set."""
        s = self.settings
        if provider is not Provider.MPESA:
            secrets = {}
            for name in HOSTED[provider][2]:
                value = getattr(s, f"env_{provider.value}_{name}")
                if value is None:
                    return None
                secrets[name] = value.get_secret_value()
            mode = key_mode(provider.value, secrets["secret_key"])
            return None if mode is None else (mode, secrets)
        if not (
            s.env_mpesa_consumer_key
            and s.env_mpesa_consumer_secret
            and s.env_mpesa_shortcode
            and s.env_mpesa_passkey
        ):
            return None
        secrets = {
            "consumer_key": s.env_mpesa_consumer_key.get_secret_value(),
            "consumer_secret": s.env_mpesa_consumer_secret.get_secret_value(),
            "shortcode": s.env_mpesa_shortcode,
            "passkey": s.env_mpesa_passkey.get_secret_value(),
        }
        if s.env_mpesa_till_number:
            secrets["till_number"] = s.env_mpesa_till_number
        if s.env_mpesa_initiator and s.env_mpesa_security_credential:
            secrets["initiator"] = s.env_mpesa_initiator
            secrets["security_credential"] = s.env_mpesa_security_credential.get_secret_value()
        return s.env_mpesa_mode.lower() != "live", secrets

    def client(
        self, shop_id: str, provider: Provider, test_mode: bool
    ) -> PaymentProviderInterface | None:
        """The shop's client for `provider` in that mode, or None without usable credentials
        (a key of the other mode counts as none: the owner is told at set-credentials)."""
        if provider is Provider.MPESA:
            return self.daraja(shop_id, test_mode)
        found = self.get(shop_id, provider, test_mode)
        if found is None:
            return None
        if not key_matches_mode(provider.value, found.secrets.get("secret_key", ""), test_mode):
            log.warning("shop %s: its %s key is not a %s key", shop_id, provider.value,
                        mode_name(test_mode))  # fmt: skip
            return None
        make_config, url_setting, _env = HOSTED[provider]
        base_url = found.base_url or getattr(self.settings, url_setting)
        key = (provider.value, base_url, *sorted(f"{k}={v}" for k, v in found.secrets.items()))
        client = self._hosted.get(key)
        if client is None:
            options: dict[str, Any] = {}
            if provider in PAGE_LIFETIME:
                field_name, unit_s = PAGE_LIFETIME[provider]
                options[field_name] = self.settings.checkout_page_minutes * 60 // unit_s
            try:
                config = make_config(base_url=base_url, **options, **found.secrets)
            except (TypeError, ValueError) as exc:  # stored before a field was required
                log.warning("shop %s: unusable %s credentials: %s", shop_id, provider.value,
                            type(exc).__name__)  # fmt: skip
                return None
            client = create_provider(provider.value, config, http=self._http)
            self._hosted[key] = client
        return client

    def webhook_clients(
        self, shop_id: str, provider: Provider
    ) -> list[tuple[bool, PaymentProviderInterface]]:
        """Every client the shop has for `provider`, test first: a webhook is checked with
        each secret (test events are signed with the test secret)."""
        found = []
        for test_mode in (True, False):
            client = self.client(shop_id, provider, test_mode)
            if client is not None:
                found.append((test_mode, client))
        return found

    def daraja(self, shop_id: str, test_mode: bool) -> DarajaClient | None:
        """One client per consumer key and host: a new OAuth token revokes the previous one."""
        found = self.get(shop_id, Provider.MPESA, test_mode)
        if found is None:
            return None
        base_url = found.base_url or (
            self.settings.mpesa_base_url_test if test_mode else self.settings.mpesa_base_url_live
        )
        fields: dict[str, Any] = {name: found.secrets.get(name) for name in MPESA_FIELDS}
        key = (base_url, *(str(fields[name]) for name in MPESA_FIELDS))
        client = self._daraja.get(key)
        if client is None:
            config = DarajaConfig(base_url=base_url, test_mode=test_mode, **fields)
            client = self._daraja[key] = DarajaClient(config, http=self._http)
        return client

    def mpesa_shortcodes(self, shop_id: str, test_mode: bool) -> set[str]:
        found = self.get(shop_id, Provider.MPESA, test_mode)
        if found is None:
            return set()
        return {
            code
            for code in (found.secrets.get("shortcode"), found.secrets.get("till_number"))
            if code
        }
