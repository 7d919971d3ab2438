"""What a provider's final outcome becomes in the event tills pull. Pending and unknown have no
entry: the relay asks the provider again instead of reporting a guess."""

from __future__ import annotations

from typing import Final

from sync.protocol import EventStatus
from sync.providers.base import PaymentOutcome

OUTCOME_STATUS: Final = {
    PaymentOutcome.PAID: EventStatus.PAID,
    PaymentOutcome.FAILED: EventStatus.FAILED,
    PaymentOutcome.CANCELLED: EventStatus.CANCELLED,
    PaymentOutcome.EXPIRED: EventStatus.EXPIRED,
}
