"""RelaySettings: every knob of the relay, from DUKA_RELAY_* variables or a .env file.

The provider variables the product guide names (PAYSTACK_SECRET_KEY, MPESA_*) are read here
too, without the prefix; they are the default shop's credentials (see EnvCredentials).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SAFARICOM_CALLBACK_IPS = (
    "196.201.214.200",
    "196.201.214.206",
    "196.201.213.114",
    "196.201.214.207",
    "196.201.214.208",
    "196.201.213.44",
    "196.201.212.127",
    "196.201.212.138",
    "196.201.212.129",
    "196.201.212.136",
    "196.201.212.74",
    "196.201.212.69",
    "196.201.212.128",
    "196.201.212.132",
)
PAYSTACK_WEBHOOK_IPS = ("52.31.139.75", "52.49.173.169", "52.214.14.220")


LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("duka-relay", appauthor=False))


class RelaySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DUKA_RELAY_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # default: sqlite file in data_dir
    sqlite_synchronous: str = "FULL"  # FULL: an acknowledged webhook survives a power cut
    master_key: SecretStr | None = None  # base64 of 32 bytes; else data_dir/master.key
    master_key_file: Path | None = None
    public_base_url: str = "http://127.0.0.1:8080"  # what providers call back (https in prod)
    default_shop_id: str | None = None  # shop that gets the env credentials (else: the only one)

    trusted_forwarded_for: str | None = None  # e.g. X-Forwarded-For, only behind your proxy
    # Peers whose forwarded header is believed (your proxy); anyone else could forge it.
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    # Accept Daraja callbacks only from Safaricom's published addresses: true, false, or unset
    # = only for shops in M-Pesa live mode (Daraja signs nothing; test callbacks come from
    # the sandbox, wherever it runs). Paystack's, signed, are checked when true.
    ip_allowlist: bool | None = None
    safaricom_callback_ips: list[str] = Field(default_factory=lambda: [*SAFARICOM_CALLBACK_IPS])
    max_body_bytes: int = 256 * 1024
    webhook_rate_per_s: float = 200.0  # per source IP, token bucket
    webhook_burst: int = 2000
    terminal_rate_per_s: float = 50.0  # per source IP on /terminal
    terminal_burst: int = 500
    retention_days: int = 90
    pairing_code_ttl_s: int = 900
    stk_requery_after_s: int = 30  # no callback this long after the push: ask Daraja
    # no webhook this long after a hosted page (Paystack, Flutterwave, Stripe): verify
    paystack_verify_after_s: int = 120
    # How long a Flutterwave or Stripe checkout page stays payable (Stripe: 30 min at least);
    # a sale at the counter does not wait for Stripe's default of a day.
    checkout_page_minutes: int = Field(default=30, ge=30, le=1440)
    payment_give_up_after_s: int = 3600  # stop re-querying after this
    # M-Pesa Pull Transactions (shops that turned it on): a window at most this often, each
    # starting this long before the last one ended (Daraja may list a payment late)
    mpesa_pull_every_s: int = Field(default=300, ge=0)
    mpesa_pull_overlap_s: int = Field(default=900, ge=0, le=86_400)
    job_interval_s: float = 5.0
    long_poll_fallback_s: float = 1.0  # re-read the DB this often even without a wake-up
    log_level: str = "INFO"
    access_log: bool = False  # access lines carry the shops' URL tokens (scrubbed, still noise)
    metrics_token: SecretStr | None = None  # /metrics needs it as a bearer token; else loopback
    openapi_docs: bool = False  # /openapi.json and /docs; development only
    console_time_zone: str = "Africa/Nairobi"  # "today" on the console starts at its midnight
    console_session_hours: float = 12.0
    console_max_failures: int = 5  # wrong passwords or codes in a row before the lock-out
    console_lockout_s: int = 900
    floor_endpoint: bool = False  # POST /bench/floor answers 200 and does nothing (benchmarks)

    mpesa_base_url_test: str = "https://sandbox.safaricom.co.ke"
    mpesa_base_url_live: str = "https://api.safaricom.co.ke"
    paystack_base_url: str = "https://api.paystack.co"
    flutterwave_base_url: str = "https://api.flutterwave.com"
    stripe_base_url: str = "https://api.stripe.com"
    # KRA eTIMS: how long one signing call may wait (Odoo's 120 s for a congested eTIMS), and
    # the first pause before a document KRA did not answer is tried again (then doubled).
    etims_timeout_s: float = 120.0
    etims_retry_s: float = 30.0
    # KRA's code lists and item classes are fetched this often (incrementally) per device.
    etims_reference_every_s: float = 86400.0
    # SMS receipts (Africa's Talking): one send's wait, and the pause before a text that never
    # reached Africa's Talking is tried again (doubled each time, `sms_attempts` in all).
    sms_timeout_s: float = 20.0
    sms_retry_s: float = 30.0
    sms_attempts: int = 5

    env_paystack_secret_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PAYSTACK_SECRET_KEY")
    )
    env_flutterwave_secret_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("FLUTTERWAVE_SECRET_KEY")
    )
    env_flutterwave_secret_hash: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("FLUTTERWAVE_SECRET_HASH")
    )
    env_stripe_secret_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_SECRET_KEY")
    )
    env_stripe_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_WEBHOOK_SECRET")
    )
    env_mpesa_consumer_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_CONSUMER_KEY")
    )
    env_mpesa_consumer_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_CONSUMER_SECRET")
    )
    env_mpesa_shortcode: str | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_SHORTCODE")
    )
    env_mpesa_passkey: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_PASSKEY")
    )
    env_mpesa_till_number: str | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_TILL_NUMBER")
    )
    env_mpesa_initiator: str | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_INITIATOR_NAME")
    )
    env_mpesa_security_credential: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MPESA_SECURITY_CREDENTIAL")
    )
    env_mpesa_mode: str = Field(default="test", validation_alias=AliasChoices("MPESA_MODE"))

    def client_address(self, peer: str | None, forwarded: str | None) -> str | None:
        """The caller's address: the trusted header's last entry (the peer the proxy saw) when
        the request comes from a trusted proxy, else the TCP peer."""
        if forwarded and self.trusted_forwarded_for and peer in self.trusted_proxies:
            return forwarded.split(",")[-1].strip()
        return peer

    def from_safaricom(self, address: str | None) -> bool:
        if address is None:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(
            ip in ipaddress.ip_network(net, strict=False) for net in self.safaricom_callback_ips
        )

    @field_validator("public_base_url")
    @classmethod
    def _https_unless_loopback(cls, value: str) -> str:
        """Callback URLs carry the shop's token: over http they would cross the internet in
        clear, so only a relay that providers reach on this machine may use http."""
        parts = urlsplit(value)
        if parts.scheme == "https" and parts.hostname:
            return value
        if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
            return value
        raise ValueError(
            f"DUKA_RELAY_PUBLIC_BASE_URL must be an https URL (http only for 127.0.0.1 or "
            f"localhost), got {parts.scheme or 'no'} scheme for host {parts.hostname or '?'}"
        )

    @property
    def https(self) -> bool:
        return self.public_base_url.startswith("https://")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'relay.sqlite3'}"
