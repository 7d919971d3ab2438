"""Customers: names, phones and addresses stored encrypted; found by the phone's blind index."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from pos_app.core.errors import InvalidInput, NotFound
from pos_app.core.identifiers import REGION_OF_CURRENCY
from pos_app.store.crypto import FieldCipher
from pos_app.store.schema import customers
from sync.providers.phones import InvalidPhone, normalise_msisdn

PHONE = "phone"


@dataclass(frozen=True, slots=True)
class CustomerDetails:
    name: str | None = None
    phone: str | None = None
    address: str | None = None

    def __repr__(self) -> str:  # personal data stays out of logs and tracebacks
        return "CustomerDetails(<redacted>)"


@dataclass(frozen=True, slots=True)
class CustomerView:
    id: str
    name: str | None
    phone: str | None
    address: str | None

    def __repr__(self) -> str:
        return f"CustomerView(id={self.id!r}, <redacted>)"


def region_for(currency_code: str) -> str:
    return REGION_OF_CURRENCY.get(currency_code, "KE")


def normalised_phone(phone: str, region: str) -> str:
    """E.164 ("+254712345678"): the form customers' phones have always been stored and
    blind-indexed in, so that earlier rows are still found."""
    try:
        return f"+{normalise_msisdn(phone, region)}"
    except InvalidPhone as exc:
        raise InvalidInput(str(exc)) from None


def phone_index(cipher: FieldCipher, phone: str, region: str) -> tuple[str, bytes]:
    normalized = normalised_phone(phone, region)
    return normalized, cipher.blind_index(PHONE, normalized)


def find_by_phone(conn: Connection, cipher: FieldCipher, phone: str, region: str) -> str | None:
    _, bidx = phone_index(cipher, phone, region)
    return conn.execute(
        select(customers.c.id).where(customers.c.phone_bidx == bidx).limit(1)
    ).scalar_one_or_none()


def upsert(
    conn: Connection, cipher: FieldCipher, details: CustomerDetails, region: str
) -> tuple[str, bool]:
    """(customer id, created?) — an existing customer with the same phone is reused."""
    name = details.name.strip() if details.name and details.name.strip() else None
    address = details.address.strip() if details.address and details.address.strip() else None
    phone, bidx = (None, None)
    if details.phone and details.phone.strip():
        phone, bidx = phone_index(cipher, details.phone, region)
        existing = conn.execute(
            select(customers.c.id).where(customers.c.phone_bidx == bidx).limit(1)
        ).scalar_one_or_none()
        if existing is not None:
            changes = {}
            if name is not None:
                changes["name_ct"] = cipher.encrypt(name, "customers", "name_ct", existing)
            if address is not None:
                changes["address_ct"] = cipher.encrypt(address, "customers", "address_ct", existing)
            if changes:
                conn.execute(update(customers).where(customers.c.id == existing).values(**changes))
            return existing, False
    customer_id = str(uuid.uuid4())
    conn.execute(
        customers.insert().values(
            id=customer_id,
            name_ct=cipher.encrypt_opt(name, "customers", "name_ct", customer_id),
            phone_ct=cipher.encrypt_opt(phone, "customers", "phone_ct", customer_id),
            phone_bidx=bidx,
            address_ct=cipher.encrypt_opt(address, "customers", "address_ct", customer_id),
            created_at=datetime.now(UTC),
        )
    )
    return customer_id, True


def load(conn: Connection, cipher: FieldCipher, customer_id: str) -> CustomerView:
    row = conn.execute(select(customers).where(customers.c.id == customer_id)).first()
    if row is None:
        raise NotFound("customer", customer_id)
    return CustomerView(
        row.id,
        cipher.decrypt_text_opt(row.name_ct, "customers", "name_ct", row.id),
        cipher.decrypt_text_opt(row.phone_ct, "customers", "phone_ct", row.id),
        cipher.decrypt_text_opt(row.address_ct, "customers", "address_ct", row.id),
    )
