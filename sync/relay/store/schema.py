"""The relay's tables (SQLAlchemy Core). Alembic migrations in sync/relay/migrations create them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

metadata = MetaData()

# SQLite has no 64-bit autoincrement through BigInteger; Integer there, BIGINT on PostgreSQL.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware UTC; SQLite returns naive values, which are UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


shops = Table(
    "shops",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("webhook_token_hash", String(64), nullable=False, unique=True),
    Column("webhook_token_enc", Text, nullable=False),
    Column("mpesa_test_mode", Boolean, nullable=False, default=True),
    Column("paystack_test_mode", Boolean, nullable=False, default=True),
    Column("flutterwave_test_mode", Boolean, nullable=False, default=True),
    Column("stripe_test_mode", Boolean, nullable=False, default=True),
    # The per-shop event counter: bumped in the same transaction that inserts the event, so
    # the row lock serialises writers and a rollback leaves no gap.
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    # M-Pesa Pull Transactions: the end of the last window queried; NULL while Pull is off
    Column("mpesa_pull_until", UtcDateTime),
)

shop_credentials = Table(
    "shop_credentials",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("provider", String(16), primary_key=True),
    Column("mode", String(8), primary_key=True),  # test | live
    Column("secret_enc", Text, nullable=False),  # AES-GCM of a JSON object
    Column("base_url", String(300)),  # None: the provider's real host for that mode
    Column("updated_at", UtcDateTime, nullable=False),
)

tills = Table(
    "tills",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("next_till_seq", BigInteger, nullable=False, default=1),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_seen_at", UtcDateTime),
)

pairing_codes = Table(
    "pairing_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

raw_webhooks = Table(
    "raw_webhooks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), index=True),
    Column("provider", String(16), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    Column("source_ip", String(64)),
    Column("headers", JSON, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("verdict", String(24), nullable=False),
    Column("detail", String(200)),
)

canonical_events = Table(
    "canonical_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("provider", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("payment_id", String(36)),
    # reference, receipt, payer and message: AES-GCM sealed, bound to event_id (at_rest.py)
    Column("reference", Text),
    Column("status", String(16), nullable=False),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("receipt", Text),
    Column("payer", Text),
    Column("result_code", String(32)),
    Column("message", Text),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("test_mode", Boolean, nullable=False),
    Column("dedup_key", String(200), nullable=False),  # a blind index: keys spell receipts
    Column("raw_id", Id),
    Column("claimed_by_till", String(36)),  # C2B: the till the payment was given to
    Column("receipt_index", String(67)),  # blind index of the receipt
    UniqueConstraint("shop_id", "seq", name="uq_canonical_shop_seq"),
    # Per shop: a transaction id seen at one shop says nothing about another's.
    UniqueConstraint("shop_id", "dedup_key", name="uq_canonical_shop_dedup"),
    Index("ix_canonical_receipt", "shop_id", "receipt_index"),
)

parked = Table(
    "parked",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), index=True),
    Column("raw_id", Id),  # None when a re-query / verify found it, not a webhook
    Column("provider", String(16), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("dedup_key", String(200)),  # a blind index, as canonical_events'
    Column("summary", JSON, nullable=False),  # {"sealed": ...}: it names references, receipts
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolution", String(200)),
    UniqueConstraint("shop_id", "dedup_key", name="uq_parked_shop_dedup"),
)

till_events = Table(
    "till_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("till_id", String(36), ForeignKey("tills.id"), nullable=False),
    Column("shop_id", String(36), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("till_seq", BigInteger, nullable=False),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("till_id", "event_id", name="uq_till_events_event"),
    UniqueConstraint("till_id", "till_seq", name="uq_till_events_seq"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("shop_id", String(36), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("till_id", String(36), nullable=False),
    Column("request_hash", String(64), nullable=False),
    # None while the first request is still running: SQL NULL (not JSON null), so that
    # release_idempotency_key's IS NULL finds a claim to free.
    Column("response", JSON(none_as_null=True)),
    Column("created_at", UtcDateTime, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", String(36), primary_key=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    Column("till_id", String(36), nullable=False),
    Column("provider", String(16), nullable=False),
    Column("test_mode", Boolean, nullable=False),
    # reference, checkout_request_id and receipt: AES-GCM sealed, bound to payment_id; found
    # by their blind indexes (at_rest.py)
    Column("reference", Text, nullable=False),
    Column("checkout_request_id", Text, unique=True),
    # What the provider calls it, verified before value is given: the Stripe Checkout Session,
    # the Flutterwave transaction a webhook named. None: the reference itself (Paystack).
    # Sealed like the reference (it may be the reference itself); never looked up.
    Column("provider_reference", Text),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("state", String(16), nullable=False),
    Column("authorization_url", String(1000)),
    Column("customer_message", String(200)),
    Column("receipt", Text),
    Column("error", JSON),
    Column("event_seq", BigInteger),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("next_check_at", UtcDateTime),
    Column("reference_index", String(67)),
    Column("checkout_index", String(67)),
    Index("ix_payments_next_check", "next_check_at"),
    Index("ix_payments_reference", "shop_id", "provider", "reference_index"),
    UniqueConstraint("checkout_index", name="uq_payments_checkout_index"),
)

# A C2B confirmation is a claim (Daraja signs nothing) until the Transaction Status API, asked
# by the relay, confirms it; its answer comes to a result URL carrying `request_id`.
c2b_claims = Table(
    "c2b_claims",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    # trans_id (the receipt), bill_ref and payer: AES-GCM sealed, bound to the shop and
    # trans_index, the receipt's blind index (at_rest.py)
    Column("trans_id", Text, nullable=False),
    Column("test_mode", Boolean, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("short_code", String(16), nullable=False),
    Column("bill_ref", Text),
    Column("payer", Text),
    Column("transaction_type", String(32)),
    Column("trans_time", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # claimed | confirmed | refused
    Column("request_id", String(64), unique=True),  # of the last Transaction Status asked
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_check_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("trans_index", String(67)),
    UniqueConstraint("shop_id", "trans_index", name="uq_c2b_claims_shop_trans"),
    Index("ix_c2b_claims_next_check", "next_check_at"),
)

# Which till showed a paybill account reference first (its outbox event
# paybill.reference_shown): a C2B payment for that reference is given to that till.
c2b_references = Table(
    "c2b_references",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("reference", String(120), primary_key=True),  # a blind index of it
    Column("till_id", String(36), nullable=False),
    Column("shown_at", UtcDateTime, nullable=False),
)

# One shop, one claim: each C2B payment (by receipt) belongs to at most one till.
c2b_grants = Table(
    "c2b_grants",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("receipt", String(67), primary_key=True),  # a blind index of it
    Column("till_id", String(36), nullable=False),
    Column("how", String(16), nullable=False),  # reference | manual
    Column("actor", String(120)),
    Column("granted_at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36)),
    Column("actor", String(120), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# ---- the owner's console (migration 0002) ---------------------------------------------------

owners = Table(
    "owners",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(200), nullable=False, unique=True),  # lower-cased
    Column("password_hash", String(200), nullable=False),  # argon2id
    Column("totp_secret_enc", Text, nullable=False),  # AES-GCM, bound to the owner id
    Column("totp_last_step", BigInteger),  # a code is good once (no replay within its window)
    Column("language", String(8), nullable=False, default="en"),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_sign_in_at", UtcDateTime),
)

owner_shops = Table(
    "owner_shops",
    metadata,
    Column("owner_id", String(36), ForeignKey("owners.id"), primary_key=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
)

owner_sessions = Table(
    "owner_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # SHA-256 of the cookie's session id
    Column("owner_id", String(36), ForeignKey("owners.id")),  # None before the password
    Column("stage", String(8), nullable=False),  # anon | totp | full
    Column("csrf", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

shop_policies = Table(
    "shop_policies",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    # A till may refund up to this much (minor units) alone; above it only the owner.
    Column("refund_limit_minor", BigInteger),
    Column("updated_at", UtcDateTime, nullable=False),
)

till_cursors = Table(
    "till_cursors",
    metadata,
    Column("till_id", String(36), ForeignKey("tills.id"), primary_key=True),
    Column("pulled_seq", BigInteger, nullable=False),  # the till holds every event up to here
    Column("at", UtcDateTime, nullable=False),
)

# ---- KRA eTIMS (migration 0007) -------------------------------------------------------------

# A shop's OSCU device: what KRA gave at initialisation (the communication key among it) is
# sealed whole, because KRA hands the key out once (docs/etims.md).
etims_devices = Table(
    "etims_devices",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("tin", String(11), nullable=False),
    Column("bhf_id", String(2), nullable=False),
    Column("device_serial", String(100), nullable=False),
    Column("device_enc", Text, nullable=False),  # AES-GCM of DeviceInfo's JSON, bound to shop
    Column("base_url", String(300)),  # None: KRA's sandbox or live host, by the mode
    Column("receipt_host", String(300)),
    # KRA's invcNo is the device's gap-free sequence: the next one to give (§5.5).
    Column("next_invoice_number", BigInteger, nullable=False, default=1),
    Column("initialised_at", UtcDateTime, nullable=False),
)

# One row per invoice a till asked to sign, unique by (till, receipt number): a re-pushed
# event finds its row and never gets a second invcNo.
etims_documents = Table(
    "etims_documents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    Column("till_id", String(36), nullable=False),
    Column("receipt_number", String(50), nullable=False),
    Column("kind", String(12), nullable=False),  # sale | credit_note
    Column("original_receipt_number", String(50)),
    # the body (buyer PIN and phone may be in it): {"sealed": ...}, bound to the document
    Column("body", JSON, nullable=False),
    Column("state", String(12), nullable=False),  # queued | signed | refused
    Column("invoice_number", BigInteger),  # given before the first send, kept after
    Column("in_doubt", Boolean, nullable=False, default=False),  # KRA may have signed it
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", UtcDateTime),
    Column("signature", JSON),  # what the receipt prints; public on the receipt itself
    Column("refusal_code", String(32)),
    Column("refusal_message", String(200)),
    Column("stream_seq", BigInteger),  # in the shop's event sequence, once settled
    Column("stream_event_id", String(36)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("shop_id", "till_id", "receipt_number", name="uq_etims_documents_receipt"),
    UniqueConstraint("shop_id", "stream_seq", name="uq_etims_documents_stream"),
    UniqueConstraint("shop_id", "invoice_number", name="uq_etims_documents_invoice"),
    Index("ix_etims_documents_state", "shop_id", "state"),
)

# ---- KRA eTIMS items (migration 0008) -------------------------------------------------------

# One row per item a shop's device must know (saveItem, an upsert by itemCd): `body` is what
# the tills want registered, `registered` what KRA last accepted. Names and prices only: not
# personal, not secret, so not sealed.
etims_items = Table(
    "etims_items",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("item_code", String(20), primary_key=True),
    Column("body", JSON, nullable=False),  # the saveItem body
    Column("registered", JSON),  # the body KRA accepted last; None: never
    Column("state", String(12), nullable=False),  # queued | registered | refused
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", UtcDateTime),
    Column("refusal", String(240)),  # KRA's code and message
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_etims_items_state", "shop_id", "state"),
)

# ---- KRA eTIMS reference data (migration 0011) ----------------------------------------------

# KRA's code lists (tax types, payment types, refund reasons...) and item classes as each shop's
# device fetched them: public reference data, not sealed. Upserted by key, never duplicated.
etims_codes = Table(
    "etims_codes",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("cd_cls", String(10), primary_key=True),  # the list: 04 tax types, 32 refund reasons
    Column("cd", String(40), primary_key=True),
    Column("cd_cls_nm", String(200)),
    Column("cd_nm", String(200)),
    Column("use_yn", String(1)),
    Column("srt_ord", Integer),
    Column("user_dfn_cd1", String(100)),  # class 04: the band's rate in percent
    Column("updated_at", UtcDateTime, nullable=False),
)

etims_item_classes = Table(
    "etims_item_classes",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("item_cls_cd", String(20), primary_key=True),
    Column("item_cls_nm", String(200)),
    Column("item_cls_lvl", Integer),
    Column("tax_ty_cd", String(5)),
    Column("use_yn", String(1)),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per (shop, list): the lastReqDt to send next (KRA's resultDt of the last success),
# when it last succeeded, when it was last tried, and why that try failed (an error code).
etims_reference_pulls = Table(
    "etims_reference_pulls",
    metadata,
    Column("shop_id", String(36), ForeignKey("shops.id"), primary_key=True),
    Column("list", String(12), primary_key=True),  # codes | item_classes
    Column("last_req_dt", String(14), nullable=False),
    Column("fetched_at", UtcDateTime),
    Column("tried_at", UtcDateTime, nullable=False),
    Column("failure", String(200)),
)

# ---- SMS receipts (migration 0009) ----------------------------------------------------------

sms_messages = Table(
    "sms_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shop_id", String(36), ForeignKey("shops.id"), nullable=False),
    Column("till_id", String(36), nullable=False),
    Column("event_id", String(36), nullable=False),  # the till's outbox event: one text each
    Column("request_id", String(36), nullable=False),
    Column("body", JSON, nullable=False),  # {"to", "message"} sealed: a phone is personal data
    # queued | sending (taken for its one send) | sent | failed | unknown
    Column("state", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", UtcDateTime),
    Column("message_id", String(64)),  # Africa's Talking's, for the owner's records
    Column("cost", String(32)),
    Column("reason", String(200)),
    Column("stream_seq", BigInteger),  # in the shop's event sequence, once settled
    Column("stream_event_id", String(36)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("till_id", "event_id", name="uq_sms_messages_event"),
    UniqueConstraint("shop_id", "stream_seq", name="uq_sms_messages_stream"),
    Index("ix_sms_messages_state", "state", "next_try_at"),
)
