"""Which provider credentials a shop uses, and one shared client per credential set.

Stored credentials (encrypted, per shop, per mode) win; the environment variables the product
guide names (PAYSTACK_SECRET_KEY, MPESA_*) are the default shop's credentials when nothing is
stored for it. Decrypted values are cached for `ttl_s` so the webhook path does not decrypt on
every request; a change made by the CLI in another process is seen within that time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from sync.protocol import Provider
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.paystack import PaystackClient, PaystackConfig
from sync.relay.config import RelaySettings
from sync.relay.store.store import Store

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
PAYSTACK_FIELDS = ("secret_key",)


def credential_fields(provider: str) -> tuple[str, ...]:
    return MPESA_FIELDS if provider == Provider.MPESA.value else PAYSTACK_FIELDS


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
        """(test_mode, secrets) from PAYSTACK_SECRET_KEY / MPESA_* when they are set."""
        s = self.settings
        if provider is Provider.PAYSTACK:
            if s.env_paystack_secret_key is None:
                return None
            key = s.env_paystack_secret_key.get_secret_value()
            return key.startswith("sk_test_"), {"secret_key": key}
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

    def paystack_keys(self, shop_id: str) -> list[tuple[bool, str]]:
        """Every Paystack secret the shop has, test first: a test event verifies with sk_test."""
        keys = []
        for test_mode in (True, False):
            found = self.get(shop_id, Provider.PAYSTACK, test_mode)
            if found is not None:
                keys.append((test_mode, found.secrets["secret_key"]))
        return keys

    def paystack(self, shop_id: str, test_mode: bool) -> PaystackClient | None:
        found = self.get(shop_id, Provider.PAYSTACK, test_mode)
        if found is None:
            return None
        config = PaystackConfig(
            secret_key=found.secrets["secret_key"],
            base_url=found.base_url or self.settings.paystack_base_url,
        )
        return PaystackClient(config, http=self._http)

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
