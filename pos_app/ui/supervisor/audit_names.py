"""The audit trail in words: each recorded action's human name in the user's language, and an
entry's details as "key: value" lines instead of JSON."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication


def action_text(action: str) -> str:
    """The action's name in words ("refund.requested": "Refund asked for"); an action not
    named here shows as recorded."""
    names = {
        "approval.refused": QCoreApplication.translate("AuditActions", "Approval refused"),
        "cash.in": QCoreApplication.translate("AuditActions", "Cash put in the drawer"),
        "cash.out": QCoreApplication.translate("AuditActions", "Cash taken out of the drawer"),
        "catalogue.imported": QCoreApplication.translate("AuditActions", "Products imported"),
        "drawer.no_sale": QCoreApplication.translate("AuditActions", "Drawer opened (no sale)"),
        "ledger.recovered": QCoreApplication.translate(
            "AuditActions", "Ledger recovered from the relay"
        ),
        "ledger.restore_started": QCoreApplication.translate(
            "AuditActions", "Ledger restore started"
        ),
        "order.cancelled": QCoreApplication.translate("AuditActions", "Sale cancelled"),
        "order.created": QCoreApplication.translate("AuditActions", "Sale started"),
        "payment.awaiting_customer": QCoreApplication.translate(
            "AuditActions", "Waiting for the customer"
        ),
        "payment.cancelled": QCoreApplication.translate("AuditActions", "Payment cancelled"),
        "payment.cod_mismatch": QCoreApplication.translate("AuditActions", "Delivery cash differs"),
        "payment.cod_settled": QCoreApplication.translate("AuditActions", "Delivery cash received"),
        "payment.created": QCoreApplication.translate("AuditActions", "Payment started"),
        "payment.expired": QCoreApplication.translate("AuditActions", "Payment expired"),
        "payment.failed": QCoreApplication.translate("AuditActions", "Payment failed"),
        "payment.flag_cleared": QCoreApplication.translate("AuditActions", "Flag cleared"),
        "payment.flagged": QCoreApplication.translate("AuditActions", "Payment flagged"),
        "payment.outcome": QCoreApplication.translate("AuditActions", "Provider answered"),
        "payment.outcome_flagged": QCoreApplication.translate(
            "AuditActions", "Provider answer flagged"
        ),
        "payment.processed": QCoreApplication.translate("AuditActions", "Payment taken"),
        "payment.refunded": QCoreApplication.translate("AuditActions", "Refund given"),
        "payment.resolved": QCoreApplication.translate("AuditActions", "Payment resolved"),
        "payment.risk_scored": QCoreApplication.translate("AuditActions", "Risk scored"),
        "payment.unknown": QCoreApplication.translate("AuditActions", "Payment outcome unknown"),
        "product.added": QCoreApplication.translate("AuditActions", "Product added"),
        "product.updated": QCoreApplication.translate("AuditActions", "Product changed"),
        "proof.decided": QCoreApplication.translate("AuditActions", "Proof decided"),
        "proof.image_unreadable": QCoreApplication.translate(
            "AuditActions", "Proof photo unreadable"
        ),
        "proof.submitted": QCoreApplication.translate("AuditActions", "Proof submitted"),
        "provider.test_mode": QCoreApplication.translate("AuditActions", "Test mode switched"),
        "provider.test_mode_refused": QCoreApplication.translate(
            "AuditActions", "Test mode refused"
        ),
        "provider_event.ignored": QCoreApplication.translate(
            "AuditActions", "Provider message ignored"
        ),
        "provider_event.matched": QCoreApplication.translate(
            "AuditActions", "Provider message matched"
        ),
        "provider_event.unmatched": QCoreApplication.translate(
            "AuditActions", "Provider message unmatched"
        ),
        "refund.approved": QCoreApplication.translate("AuditActions", "Refund approved"),
        "refund.failed": QCoreApplication.translate("AuditActions", "Refund failed"),
        "refund.refused": QCoreApplication.translate("AuditActions", "Refund refused"),
        "refund.requested": QCoreApplication.translate("AuditActions", "Refund asked for"),
        "relay.paired": QCoreApplication.translate("AuditActions", "Relay paired"),
        "relay.pairing_failed": QCoreApplication.translate("AuditActions", "Relay pairing failed"),
        "sale.cash": QCoreApplication.translate("AuditActions", "Cash sale"),
        "sale.voided": QCoreApplication.translate("AuditActions", "Sale voided"),
        "settings.updated": QCoreApplication.translate("AuditActions", "Settings changed"),
        "shift.closed": QCoreApplication.translate("AuditActions", "Shift closed"),
        "shift.opened": QCoreApplication.translate("AuditActions", "Shift opened"),
        "sync.override": QCoreApplication.translate("AuditActions", "Unsynced work overridden"),
        "user.activated": QCoreApplication.translate("AuditActions", "User activated"),
        "user.created": QCoreApplication.translate("AuditActions", "User added"),
        "user.deactivated": QCoreApplication.translate("AuditActions", "User deactivated"),
        "user.language": QCoreApplication.translate("AuditActions", "Language changed"),
        "user.pin_changed": QCoreApplication.translate("AuditActions", "PIN changed"),
        "user.pin_failed": QCoreApplication.translate("AuditActions", "Wrong PIN"),
        "user.pin_reset": QCoreApplication.translate("AuditActions", "PIN reset"),
        "user.signed_in": QCoreApplication.translate("AuditActions", "Signed in"),
        "void.refused": QCoreApplication.translate("AuditActions", "Void refused"),
    }
    return names.get(action, action)


def details_text(details: str) -> str:
    """JSON details as "key: value" lines (nested values stay compact JSON); anything that is
    not a JSON object shows as it is."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return details
    if not isinstance(parsed, dict):
        return details
    return "\n".join(
        f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in parsed.items()
    )
